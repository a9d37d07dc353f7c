"""The exercise file: one pydantic schema for a trainer's diagnosis exercise.

An exercise names a scenario (a bundled name or a path), the trainer's own changes to it,
the settings students may see and change (``visible``), the settings whose values the
student page must never show (``hidden``), a question and the runs a student may make.
The answer key is never written here: :mod:`seamsim.exercise.answer_key` computes it with
the model.

Two kinds of question:

``bottleneck``
    "Why does this face make 26 kt and not 48?" The student picks a cause from
    :data:`~seamsim.exercise.causes.CAUSES`; the key is the cause that loses the face the most
    hours (more than on the ``reference`` face, when one is given).
``best_change``
    "Which one change is worth most, within a budget?" The student picks one of the
    ``candidates`` (each a set of changes with a cost); the key is the affordable candidate
    with the largest paired gain per replication against the face as given.

Examples
--------
>>> ex = Exercise.model_validate({
...     "title": "Why so slow?", "scenario": "article_after_3300v",
...     "visible": ["seam.height_m"], "hidden": ["crew.fitters"],
...     "changes": {"crew.fitters": 0},
...     "question": {"kind": "bottleneck", "text": "What holds this face back?"}})
>>> ex.question.kind, ex.runs.budget
('bottleneck', 6)
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "BestChangeQuestion",
    "BottleneckQuestion",
    "Candidate",
    "Exercise",
    "QUESTION_KINDS",
    "RunLimits",
]

QUESTION_KINDS: tuple[str, ...] = ("bottleneck", "best_change")
"""The kinds of question an exercise can ask."""

Text = Annotated[str, Field(min_length=1, max_length=2000)]
Label = Annotated[str, Field(min_length=1, max_length=120)]
DottedPath = Annotated[str, Field(min_length=1, max_length=200, pattern=r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)+$")]


class _Part(BaseModel):
    """Base of every part of an exercise: unknown keys are errors, values are frozen."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class RunLimits(_Part):
    """The runs behind the answer key and each student run."""

    budget: int = Field(6, ge=1, le=100, description="Runs a student may make before answering [runs].")
    replications: int = Field(5, ge=2, le=100, description="Replications of every run and of the answer key [-].")
    seed: int = Field(0, ge=0, le=2**31 - 1, description="Seed of every run: a student's run and the key see the same random failures.")
    days: float = Field(15.0, ge=1.0, le=366.0, description="Days simulated in every run [d].")


class BottleneckQuestion(_Part):
    """Why does the face make what it makes? The key: the cause that loses the most hours."""

    kind: Literal["bottleneck"]
    text: Text = Field(description="The question as the students read it.")
    reference: str | None = Field(None, min_length=1, max_length=500, description="A face to compare with (bundled name or path): the key is the cause that loses the most hours more than there.")
    reference_label: Label = Field("the reference face", description="What the students read for the reference face (its own title is never shown).")


class Candidate(_Part):
    """One change a student may choose."""

    label: Label = Field(description="What the students read for this change.")
    cost: float = Field(ge=0.0, le=1e9, description="What it costs, in the question's cost unit.")
    changes: dict[str, Any] = Field(min_length=1, max_length=20, description="Dotted scenario fields → new values; each field must be visible.")


class BestChangeQuestion(_Part):
    """Which one change is worth most within the budget? The key: the model's paired ranking."""

    kind: Literal["best_change"]
    text: Text = Field(description="The question as the students read it.")
    budget: float = Field(ge=0.0, le=1e9, description="Most a chosen change may cost, in cost_unit.")
    cost_unit: Label = Field("thousand yuan", description="The unit of costs and the budget, in words.")
    candidates: list[Candidate] = Field(min_length=2, max_length=12, description="The changes to choose from.")


Question = Annotated[BottleneckQuestion | BestChangeQuestion, Field(discriminator="kind")]


class Exercise(_Part):
    """A diagnosis exercise, as a trainer writes it."""

    id: str | None = Field(None, min_length=1, max_length=80, pattern=r"^[A-Za-z0-9_.\-]+$", description="Short identifier; the file stem when not given. Answers are kept under it.")
    title: Label = Field(description="The exercise's title, shown to students.")
    intro: str = Field("", max_length=4000, description="A paragraph for the students before the question.")
    scenario: str = Field(min_length=1, max_length=500, description="The face: a bundled scenario's name or a path relative to this file. Its own name, title and description are never shown to students.")
    changes: dict[str, Any] = Field(default_factory=dict, max_length=100, description="The trainer's changes to the scenario (dotted field → value), applied before anything is shown.")
    visible: list[DottedPath] = Field(min_length=1, max_length=60, description="Settings the students see and may change.")
    hidden: list[DottedPath] = Field(default_factory=list, max_length=60, description="Settings whose values the student page must never show.")
    question: Question
    kpi: str = Field("rom_t_per_month", min_length=1, max_length=80, description="The KPI the question is about.")
    runs: RunLimits = Field(default_factory=RunLimits)
