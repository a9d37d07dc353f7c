"""A validated exercise with its faces built (:class:`LoadedExercise`), and its error."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from seamsim.exercise.hidden_values import Secret, value_pattern
from seamsim.exercise.schema import Candidate, Exercise
from seamsim.scenario import Issue, Scenario, ScenarioError, apply_overrides

__all__ = ["ECHOED_BY_KPI", "ExerciseError", "LoadedExercise", "flat_fields"]

ECHOED_BY_KPI: dict[str, tuple[str, ...]] = {
    "supply_voltage_v": ("electrical.supply_voltage_v",),
    "machine_height_mm": ("machine.machine_height_mm", "machine.height_mode"),
    "rock_reach_mm": ("machine.drum_diameter_m", "machine.max_rock_arc_share"),
    "crew_per_shift": ("crew.",),
    "days": ("run.days",),
}
"""KPIs whose value repeats an input (prefix ``crew.``: any crew field): the student page
leaves such a KPI out when the input is hidden."""


class ExerciseError(ScenarioError):
    """An exercise file is not valid; ``issues`` holds every problem, each with its place."""


@dataclass
class LoadedExercise:
    """A validated exercise with its faces built.

    Attributes
    ----------
    exercise : Exercise
        The file as validated.
    id : str
        The exercise's id (its ``id`` or the file stem).
    source : str
        The file as named.
    digest : str
        SHA-256 of the file's text (answers to an edited exercise can be told apart).
    scenario : Scenario
        The face students work on (the scenario with the trainer's changes).
    reference : Scenario or None
        The reference face of a bottleneck question.
    candidates : list of (Candidate, Scenario)
        Each candidate of a best-change question with its face.
    secrets : tuple of Secret
        The hidden settings and their values.
    """

    exercise: Exercise
    id: str
    source: str
    digest: str
    scenario: Scenario
    reference: Scenario | None = None
    candidates: list[tuple[Candidate, Scenario]] = field(default_factory=list)
    secrets: tuple[Secret, ...] = ()

    @property
    def kind(self) -> str:
        """The question's kind (``bottleneck`` or ``best_change``)."""
        return self.exercise.question.kind

    def visible_values(self) -> dict[str, Any]:
        """Visible setting → its value in the face students start from."""
        flat = flat_fields(self.scenario.model_dump(mode="python"))
        return {path: flat[path] for path in self.exercise.visible}

    def student_scenario(self, values: Mapping[str, Any]) -> Scenario:
        """Return the face with a student's values of visible settings applied.

        Raises
        ------
        ExerciseError
            A value for a setting that is not visible (never applied).
        ScenarioError
            The values do not make a valid scenario.
        """
        extra = [p for p in values if p not in self.exercise.visible]
        if extra:
            raise ExerciseError([Issue(self.source, None, None, p, "not a visible setting of this exercise") for p in extra])
        return apply_overrides(self.scenario, dict(values)) if values else self.scenario

    def redact(self, text: str) -> str:
        """Return ``text`` with every distinctive hidden value replaced by ``…``."""
        for secret in self.secrets:
            for form in secret.forms:
                text = value_pattern(form).sub("…", text)
        return text

    def reveals(self, text: str) -> list[str]:
        """Return the hidden settings whose distinctive value ``text`` shows."""
        return [s.path for s in self.secrets if any(value_pattern(f).search(text) for f in s.forms)]

    def hides_kpi(self, kpi: str) -> bool:
        """Whether the KPI repeats a hidden input (and so must not be shown)."""
        echoed = ECHOED_BY_KPI.get(kpi, ())
        return any(h == e or (e.endswith(".") and h.startswith(e)) for h in self.exercise.hidden for e in echoed)


def flat_fields(data: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """Return nested settings as dotted path → value (an empty mapping is a value)."""
    flat: dict[str, Any] = {}
    for key, value in data.items():
        if isinstance(value, Mapping) and value:
            flat.update(flat_fields(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = value
    return flat
