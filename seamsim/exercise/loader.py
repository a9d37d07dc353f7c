"""Exercise files → a validated :class:`LoadedExercise`, or every problem with its place.

Exercise files are read like scenario files: the same safe YAML reader (size and alias
limits, no object tags, regular files only) and the same :class:`~seamsim.scenario.Issue`
messages, ``file:line:column: field.path: message``, all raised together as one
:class:`ExerciseError` (a :class:`~seamsim.scenario.ScenarioError`). On top of the schema
(:mod:`seamsim.exercise.schema`) the loader checks:

- the scenario (and the reference face) load, and the trainer's ``changes`` apply to them;
- every ``visible`` and ``hidden`` entry is a field of the scenario schema (not a section),
  with the "did you mean" of ``seamsim validate``; the KPI is one that runs report;
- each candidate's changes are valid and touch only visible settings;
- **nothing on the student page would reveal a hidden setting**: a setting both hidden and
  visible, a candidate that changes a hidden setting, a text students read (title, intro,
  question, the reference's label, a candidate's label) that names a hidden setting, and a
  *distinctive* hidden value (see :func:`value_forms`) written in those texts or shown as a
  visible setting's value, a candidate's value or cost, the budget or a run limit are
  refused, each at its line.

Examples
--------
>>> ex = load_exercise("exercises/shields_bottleneck.yaml")  # doctest: +SKIP
>>> ex.redact("the cable is 700 m long")  # doctest: +SKIP
'the cable is … m long'
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from seamsim.exercise.exercise_files import default_scenario_dir
from seamsim.exercise.loaded import ExerciseError, LoadedExercise, flat_fields
from seamsim.exercise.located_issues import LocatedIssues, Mark, MarkPath, change_path
from seamsim.exercise.reveal_checks import check_reveals, hidden_secrets
from seamsim.exercise.schema import BestChangeQuestion, BottleneckQuestion, Candidate, Exercise
from seamsim.exercise.schema_messages import error_path_and_message
from seamsim.scenario import (
    Issue,
    Scenario,
    ScenarioError,
    apply_overrides,
    bundled_scenario_path,
    load_scenario,
)
from seamsim.scenario.messages import _shown
from seamsim.scenario.safe_yaml import _compose, _mark_of, _parse_yaml, _read_text
from seamsim.scenario.terminal_text import _clip

__all__ = ["load_exercise", "load_exercise_text"]


def load_exercise(path: str | os.PathLike[str], *, scenario_dir: str | os.PathLike[str] | None = None) -> LoadedExercise:
    """Read and check an exercise file.

    Parameters
    ----------
    path : str or path-like
        The YAML file; errors name it as given.
    scenario_dir : path-like, optional
        Where bundled scenario names are looked up (a ``scenario:`` without a folder that is
        not a file beside the exercise): ``SEAMSIM_SCENARIO_DIR``, else the ``scenarios``
        folder beside the exercise's folder.

    Returns
    -------
    LoadedExercise

    Raises
    ------
    ExerciseError
        For any problem, each issue with the file, line and column (never anything else).
    """
    display = os.fspath(path)
    try:
        text = _read_text(Path(display), display)
    except ScenarioError as error:
        raise ExerciseError(error.issues) from None
    return load_exercise_text(text, source=display, base_dir=Path(display).resolve().parent,
                              scenario_dir=scenario_dir)


def load_exercise_text(
    text: str,
    *,
    source: str = "<exercise>",
    base_dir: str | os.PathLike[str] | None = None,
    scenario_dir: str | os.PathLike[str] | None = None,
) -> LoadedExercise:
    """Check an exercise given as YAML text.

    Parameters
    ----------
    text : str
        The YAML document.
    source : str, optional
        Name used in messages; its stem is the default ``id``.
    base_dir : path-like, optional
        Folder that a scenario path is relative to.
    scenario_dir : path-like, optional
        As for :func:`load_exercise`.

    Returns
    -------
    LoadedExercise

    Raises
    ------
    ExerciseError
        For any problem (never anything else).
    """
    try:
        base = Path(base_dir) if base_dir is not None else None
        folder = Path(scenario_dir) if scenario_dir is not None else default_scenario_dir(base)
        return _check(text, source, base, folder)
    except ExerciseError:
        raise
    except ScenarioError as error:
        raise ExerciseError(error.issues) from None
    except Exception as exc:  # noqa: BLE001 - bad input raises ExerciseError only
        message = " ".join(str(exc).split())
        raise ExerciseError([Issue(source, None, None, "", f"cannot read this exercise ({type(exc).__name__}: "
                                                            f"{_clip(message)})")]) from exc


def _check(text: str, source: str, base: Path | None, scenario_dir: Path | None) -> LoadedExercise:
    data, marks = _parse_yaml(text, source)
    node, _ = _compose(text, source)
    marks = {**_item_marks(node, (), source), **marks}
    issues = LocatedIssues(source, marks)
    try:
        exercise = Exercise.model_validate(data)
    except ValidationError as exc:
        for error in exc.errors(include_url=False):
            path, message = error_path_and_message(error)
            issues.add(path, message)
        issues.raise_if_any()
        raise  # pragma: no cover - a ValidationError always has errors
    ex_id = exercise.id or _id_from(source)
    if ex_id is None:
        issues.add(("id",), "give the exercise an id (letters, digits, _ . -): it has no file name to take one from")

    scenario = _face(exercise.scenario, ("scenario",), exercise.changes, base, scenario_dir, issues)
    reference = None
    question = exercise.question
    if isinstance(question, BottleneckQuestion) and question.reference is not None:
        reference = _face(question.reference, ("question", "reference"), {}, base, scenario_dir, issues)
    _check_fields(exercise, issues)
    _check_kpi(exercise.kpi, issues)
    candidates: list[tuple[Candidate, Scenario]] = []
    if isinstance(question, BestChangeQuestion) and scenario is not None:
        candidates = _candidate_faces(question, scenario, exercise, issues)
    issues.raise_if_any()
    assert scenario is not None
    secrets = hidden_secrets(exercise, scenario)
    check_reveals(exercise, scenario, secrets, issues)
    issues.raise_if_any()
    return LoadedExercise(
        exercise=exercise, id=str(ex_id), source=source, digest=hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest(),
        scenario=scenario, reference=reference, candidates=candidates, secrets=secrets,
    )


def _item_marks(node: yaml.Node | None, path: MarkPath, source: str) -> dict[MarkPath, Mark]:
    """Return the place of every list item (the YAML builder marks mapping keys only)."""
    found: dict[MarkPath, Mark] = {}
    if isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            found[(*path, str(i))] = _mark_of(item, source)
            found.update(_item_marks(item, (*path, str(i)), source))
    elif isinstance(node, yaml.MappingNode) and len(path) < 8:
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode):
                found.update(_item_marks(value, (*path, str(key.value)), source))
    return found


def _id_from(source: str) -> str | None:
    if not source or source.startswith("<"):
        return None
    stem = re.sub(r"[^A-Za-z0-9_.\-]+", "_", Path(source).stem).strip("_")[:80]
    return stem or None


def _face(ref: str, at: MarkPath, changes: Mapping[str, Any], base: Path | None, scenario_dir: Path | None,
          issues: LocatedIssues) -> Scenario | None:
    """Load the scenario ``ref`` names and apply ``changes``; issues go to ``at`` and ``changes``."""
    path = _scenario_path(ref, base, scenario_dir)
    if path is None:
        where = f" in {scenario_dir}" if scenario_dir is not None else ""
        issues.add(at, f"no scenario file {_shown(ref)} beside this exercise, and no bundled scenario of that name{where}")
        return None
    try:
        scenario = load_scenario(path)
    except ScenarioError as error:
        issues.add(at, f"the scenario {_shown(ref)} does not load:")
        issues.found.extend(error.issues)
        return None
    if not changes:
        return scenario
    try:
        return apply_overrides(scenario, dict(changes))
    except ScenarioError as error:
        for issue in error.issues:
            issues.add(change_path("changes", issue.path, changes), issue.message)
        return None


def _scenario_path(ref: str, base: Path | None, scenario_dir: Path | None) -> Path | None:
    """Return the file ``ref`` names: beside the exercise first, then in ``scenario_dir``, then
    a scenario shipped with seamsim (:func:`seamsim.scenario.bundled_scenario_path`)."""
    if "\x00" in ref:
        return None
    if base is not None and (base / ref).is_file():
        return base / ref
    if scenario_dir is not None and "/" not in ref and os.sep not in ref and not ref.startswith("."):
        stem = ref[: -len(".yaml")] if ref.endswith(".yaml") else ref
        candidate = scenario_dir / f"{stem}.yaml"
        if candidate.is_file():
            return candidate
    return bundled_scenario_path(ref)  # a trainer's file anywhere may name a scenario shipped with seamsim


def _check_fields(exercise: Exercise, issues: LocatedIssues) -> None:
    from seamsim.experiment.vary import field_info

    for section in ("visible", "hidden"):
        seen: dict[str, int] = {}
        for i, path in enumerate(getattr(exercise, section)):
            if path in seen:
                issues.add((section, str(i)), f"`{path}` is listed twice (first as item {seen[path] + 1})")
                continue
            seen[path] = i
            try:
                field_info(path)
            except ScenarioError as error:
                for issue in error.issues:
                    issues.add((section, str(i)), issue.message)


def _check_kpi(kpi: str, issues: LocatedIssues) -> None:
    from seamsim.experiment.runner import check_kpi

    try:
        check_kpi(kpi)
    except ValueError as error:
        issues.add(("kpi",), str(error))


def _candidate_faces(question: BestChangeQuestion, scenario: Scenario, exercise: Exercise,
                     issues: LocatedIssues) -> list[tuple[Candidate, Scenario]]:
    faces = []
    labels: dict[str, int] = {}
    affordable = 0
    for i, candidate in enumerate(question.candidates):
        at = ("question", "candidates", str(i))
        if candidate.label in labels:
            issues.add((*at, "label"), f"two candidates are labelled {_shown(candidate.label)}")
        labels.setdefault(candidate.label, i)
        affordable += candidate.cost <= question.budget
        flat = flat_fields(candidate.changes)
        for path in flat:
            if path not in exercise.visible and path not in exercise.hidden:
                issues.add(change_path((*at, "changes"), path, candidate.changes),
                           f"`{path}` is not visible: students could not see or try this change (add it to visible)")
        try:
            faces.append((candidate, apply_overrides(scenario, flat)))
        except ScenarioError as error:
            for issue in error.issues:
                issues.add(change_path((*at, "changes"), issue.path, candidate.changes), issue.message)
    if affordable < 2:
        issues.add(("question", "budget"), f"only {affordable} candidate{'s' if affordable != 1 else ''} cost at most "
                                           f"the budget {question.budget:g}: a choice needs two or more")
    return faces
