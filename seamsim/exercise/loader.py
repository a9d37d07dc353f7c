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
import math
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from seamsim.exercise.schema import BestChangeQuestion, BottleneckQuestion, Candidate, Exercise
from seamsim.scenario import (
    Issue,
    Scenario,
    ScenarioError,
    apply_overrides,
    bundled_scenario_path,
    load_scenario,
)
from seamsim.scenario.messages import _clip, _nearest_mark, _shown, _sorted_issues
from seamsim.scenario.safe_yaml import _compose, _mark_of, _parse_yaml, _read_text

__all__ = [
    "ExerciseError",
    "LoadedExercise",
    "Secret",
    "exercise_dir",
    "exercise_paths",
    "load_exercise",
    "load_exercise_text",
    "value_forms",
]

_Path = tuple[str, ...]
_Mark = tuple[str | None, int | None, int | None]

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


@dataclass(frozen=True)
class Secret:
    """A hidden setting and the ways its value could be written on a page.

    Attributes
    ----------
    path : str
        The dotted field.
    value : object
        Its value in the exercise's face.
    forms : tuple of str
        The value as people would write it (``1140``, ``1,140``, ``1140.0``); empty when the
        value is not distinctive (0, 2, true), which is then guarded field by field only.
    """

    path: str
    value: Any
    forms: tuple[str, ...]

    @property
    def distinctive(self) -> bool:
        """Whether the value can be looked for in text."""
        return bool(self.forms)


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
        flat = _flatten(self.scenario.model_dump(mode="python"))
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
                text = _form_pattern(form).sub("…", text)
        return text

    def reveals(self, text: str) -> list[str]:
        """Return the hidden settings whose distinctive value ``text`` shows."""
        return [s.path for s in self.secrets if any(_form_pattern(f).search(text) for f in s.forms)]

    def hides_kpi(self, kpi: str) -> bool:
        """Whether the KPI repeats a hidden input (and so must not be shown)."""
        echoed = ECHOED_BY_KPI.get(kpi, ())
        return any(h == e or (e.endswith(".") and h.startswith(e)) for h in self.exercise.hidden for e in echoed)


# --------------------------------------------------------------------------------------
# Finding exercises
# --------------------------------------------------------------------------------------
_CHECKOUT_EXERCISES = Path(__file__).resolve().parents[2] / "exercises"


def exercise_dir() -> Path:
    """Return the folder of bundled exercises (``SEAMSIM_EXERCISE_DIR`` overrides it)."""
    env = os.environ.get("SEAMSIM_EXERCISE_DIR")
    return Path(env) if env else _CHECKOUT_EXERCISES


def exercise_paths(folder: str | os.PathLike[str] | None = None) -> list[Path]:
    """Return the exercise files (``*.yaml``) of ``folder`` (:func:`exercise_dir`), sorted."""
    base = Path(folder) if folder is not None else exercise_dir()
    return sorted(p for p in base.glob("*.yaml") if p.is_file()) if base.is_dir() else []


def _default_scenario_dir(base: Path | None) -> Path | None:
    env = os.environ.get("SEAMSIM_SCENARIO_DIR")
    if env:
        return Path(env)
    return base.parent / "scenarios" if base is not None else None


# --------------------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------------------
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
        folder = Path(scenario_dir) if scenario_dir is not None else _default_scenario_dir(base)
        return _check(text, source, base, folder)
    except ExerciseError:
        raise
    except ScenarioError as error:
        raise ExerciseError(error.issues) from None
    except Exception as exc:  # noqa: BLE001 - bad input raises ExerciseError only
        message = " ".join(str(exc).split())
        raise ExerciseError([Issue(source, None, None, "", f"cannot read this exercise ({type(exc).__name__}: "
                                                            f"{_clip(message)})")]) from exc


# --------------------------------------------------------------------------------------
# Checking
# --------------------------------------------------------------------------------------
class _Issues:
    """Collects located issues."""

    def __init__(self, source: str, marks: Mapping[_Path, _Mark]):
        self.source = source
        self.marks = marks
        self.found: list[Issue] = []

    def add(self, path: _Path, message: str) -> None:
        file, line, column = _nearest_mark(self.marks, path, self.source)
        self.found.append(Issue(file, line, column, ".".join(path), message))

    def raise_if_any(self) -> None:
        if self.found:
            raise ExerciseError(_sorted_issues(self.found))


def _check(text: str, source: str, base: Path | None, scenario_dir: Path | None) -> LoadedExercise:
    data, marks = _parse_yaml(text, source)
    node, _ = _compose(text, source)
    marks = {**_item_marks(node, (), source), **marks}
    issues = _Issues(source, marks)
    try:
        exercise = Exercise.model_validate(data)
    except ValidationError as exc:
        for error in exc.errors(include_url=False):
            path, message = _describe(error)
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
    secrets = _secrets(exercise, scenario)
    _check_reveals(exercise, scenario, secrets, issues)
    issues.raise_if_any()
    return LoadedExercise(
        exercise=exercise, id=str(ex_id), source=source, digest=hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest(),
        scenario=scenario, reference=reference, candidates=candidates, secrets=secrets,
    )


def _item_marks(node: yaml.Node | None, path: _Path, source: str) -> dict[_Path, _Mark]:
    """Return the place of every list item (the YAML builder marks mapping keys only)."""
    found: dict[_Path, _Mark] = {}
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


def _face(ref: str, at: _Path, changes: Mapping[str, Any], base: Path | None, scenario_dir: Path | None,
          issues: _Issues) -> Scenario | None:
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
            issues.add(_change_path("changes", issue.path, changes), issue.message)
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


def _change_path(section: str | _Path, dotted: str, changes: Mapping[str, Any]) -> _Path:
    """Return the mark path of the change of ``dotted`` (written dotted or nested)."""
    prefix = (section,) if isinstance(section, str) else section
    for key in changes:
        if dotted == key or dotted.startswith(f"{key}."):
            return (*prefix, key, *[p for p in dotted[len(key) + 1:].split(".") if p])
    return (*prefix, *dotted.split("."))


def _check_fields(exercise: Exercise, issues: _Issues) -> None:
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


def _check_kpi(kpi: str, issues: _Issues) -> None:
    from seamsim.experiment.runner import check_kpi

    try:
        check_kpi(kpi)
    except ValueError as error:
        issues.add(("kpi",), str(error))


def _candidate_faces(question: BestChangeQuestion, scenario: Scenario, exercise: Exercise,
                     issues: _Issues) -> list[tuple[Candidate, Scenario]]:
    faces = []
    labels: dict[str, int] = {}
    affordable = 0
    for i, candidate in enumerate(question.candidates):
        at = ("question", "candidates", str(i))
        if candidate.label in labels:
            issues.add((*at, "label"), f"two candidates are labelled {_shown(candidate.label)}")
        labels.setdefault(candidate.label, i)
        affordable += candidate.cost <= question.budget
        flat = _flatten(candidate.changes)
        for path in flat:
            if path not in exercise.visible and path not in exercise.hidden:
                issues.add(_change_path((*at, "changes"), path, candidate.changes),
                           f"`{path}` is not visible: students could not see or try this change (add it to visible)")
        try:
            faces.append((candidate, apply_overrides(scenario, flat)))
        except ScenarioError as error:
            for issue in error.issues:
                issues.add(_change_path((*at, "changes"), issue.path, candidate.changes), issue.message)
    if affordable < 2:
        issues.add(("question", "budget"), f"only {affordable} candidate{'s' if affordable != 1 else ''} cost at most "
                                           f"the budget {question.budget:g}: a choice needs two or more")
    return faces


# --------------------------------------------------------------------------------------
# What would reveal a hidden setting
# --------------------------------------------------------------------------------------
def value_forms(value: Any) -> tuple[str, ...]:
    """Return the ways a value could be written on a page, or ``()`` if it is not distinctive.

    A number is distinctive when written with three or more digits (700, 0.85, 1140 — not
    0, 2, 50 or 0.5, which any page shows somewhere); text with four or more characters
    (``manual``).
    Booleans and empty values never are.

    Examples
    --------
    >>> value_forms(1140)
    ('1140', '1,140', '1140.0')
    >>> value_forms(0.85), value_forms(50), value_forms(True)
    (('0.85',), (), ())
    """
    if value is None or isinstance(value, bool):
        return ()
    if isinstance(value, int | float):
        if not math.isfinite(float(value)):
            return ()
        short = f"{float(value):g}" if "e" not in f"{float(value):g}" else repr(float(value))
        digits = short.lstrip("-").replace(".", "")
        if len(digits) < 3:
            return ()
        forms = [short]
        if float(value).is_integer():
            whole = int(value)
            forms += [f"{whole:,}", f"{whole}.0"]
        return tuple(dict.fromkeys(forms))
    text = str(value).strip()
    return (text,) if len(text) >= 4 else ()


def _form_pattern(form: str) -> re.Pattern[str]:
    if re.fullmatch(r"[-\d.,]+", form):
        return re.compile(rf"(?<![\d.,]){re.escape(form)}(?![\d]|[.,]\d)")
    return re.compile(rf"(?<![A-Za-z0-9_]){re.escape(form)}(?![A-Za-z0-9_])", re.IGNORECASE)


def _secrets(exercise: Exercise, scenario: Scenario) -> tuple[Secret, ...]:
    flat = _flatten(scenario.model_dump(mode="python"))
    return tuple(Secret(path, flat.get(path), value_forms(flat.get(path))) for path in exercise.hidden)


def _words_of(path: str) -> list[str]:
    """The names people could use for a field: its dotted path, its key, its key in words."""
    leaf = path.rsplit(".", 1)[-1]
    stem = re.sub(r"_(mm2|kwh_per_m3|t_per_m3|m_per_min|m_per_s|t_per_h|ohm_per_km|per_h|mm|kw|kwh|pct|rpm|min|m|h|s|v|a|c|t|d)$", "", leaf)
    words = [path, leaf]
    if "_" in stem:
        words.append(stem.replace("_", " "))
    return words


def _check_reveals(exercise: Exercise, scenario: Scenario, secrets: tuple[Secret, ...], issues: _Issues) -> None:
    """Refuse what would show a hidden setting, or its value, on the student page."""
    question = exercise.question
    visible = set(exercise.visible)
    for i, path in enumerate(exercise.hidden):
        if path in visible:
            issues.add(("hidden", str(i)), f"`{path}` is both hidden and visible: a visible setting is shown "
                                           "to students with its value")
    texts: list[tuple[_Path, str]] = [(("title",), exercise.title), (("intro",), exercise.intro),
                                      (("question", "text"), question.text)]
    shown: list[tuple[_Path, str]] = []  # values the page shows
    if isinstance(question, BottleneckQuestion):
        texts.append((("question", "reference_label"), question.reference_label))
    else:
        shown.append((("question", "budget"), f"{question.budget:g} {question.budget:,g}"))
        texts.append((("question", "cost_unit"), question.cost_unit))
        for i, candidate in enumerate(question.candidates):
            at = ("question", "candidates", str(i))
            texts.append(((*at, "label"), candidate.label))
            shown.append(((*at, "cost"), f"{candidate.cost:g} {candidate.cost:,g}"))
            for path, value in _flatten(candidate.changes).items():
                where = _change_path((*at, "changes"), path, candidate.changes)
                if path in exercise.hidden:
                    issues.add(where, f"changes the hidden setting `{path}`: students see every candidate's changes")
                shown.append((where, " ".join(value_forms(value)) or str(value)))
    for name in ("budget", "replications", "seed", "days"):
        value = getattr(exercise.runs, name)
        shown.append((("runs", name), f"{value:g} {value:,g}" if isinstance(value, float) else f"{value} {value:,}"))
    values = _flatten(scenario.model_dump(mode="python"))
    for i, path in enumerate(exercise.visible):
        if path not in exercise.hidden:
            shown.append((("visible", str(i)), " ".join(value_forms(values.get(path))) or str(values.get(path))))

    for secret in secrets:
        for where, text in texts:
            lowered = text.lower()
            named = [w for w in _words_of(secret.path) if _form_pattern(w.lower()).search(lowered)]
            if named:
                issues.add(where, f"names the hidden setting `{secret.path}` ({_shown(named[0])}): students read this")
        if not secret.distinctive:
            continue
        for where, text in texts + shown:
            found = [f for f in secret.forms if _form_pattern(f).search(text)]
            if found:
                issues.add(where, f"shows {_shown(found[0])}, the value of the hidden setting `{secret.path}`: "
                                  "students would see it")


# --------------------------------------------------------------------------------------
# Messages for schema errors
# --------------------------------------------------------------------------------------
_MODELS_AT: dict[str, type[BaseModel]] = {"bottleneck": BottleneckQuestion, "best_change": BestChangeQuestion}


def _describe(error: Mapping[str, Any]) -> tuple[_Path, str]:
    """Return the mark path and the message for one pydantic error of an exercise."""
    loc = [str(p) for p in error["loc"]]
    if len(loc) >= 2 and loc[0] == "question" and loc[1] in _MODELS_AT:
        kind = loc.pop(1)
    else:
        kind = None
    path = tuple(loc)
    kind_of_error = error["type"]
    given = error.get("input")
    if kind_of_error == "extra_forbidden":
        return path, _unknown_key(path, kind)
    if kind_of_error == "missing":
        return path, f"missing: an exercise needs `{path[-1]}`" if len(path) == 1 else f"missing: `{'.'.join(path)}` is required"
    if kind_of_error in ("union_tag_invalid", "union_tag_not_found"):
        kinds = ", ".join(_MODELS_AT)
        if kind_of_error == "union_tag_not_found":
            return (*path, "kind"), f"missing: say which kind of question (kind: one of {kinds})"
        tag = given.get("kind") if isinstance(given, Mapping) else given
        return (*path, "kind"), f"{_shown(tag)} is not a kind of question; choose one of {kinds}"
    if kind_of_error == "string_pattern_mismatch" and path and path[0] in ("visible", "hidden"):
        return path, f"{_shown(given)} is not a dotted field path (like seam.height_m)"
    if kind_of_error == "string_pattern_mismatch":
        return path, f"{_shown(given)} may use only letters, digits, _ . and - (no spaces)"
    if kind_of_error in ("too_short", "string_too_short"):
        least = (error.get("ctx") or {}).get("min_length", 1)
        return path, "must not be empty" if least == 1 else f"needs at least {least} items, got {_count(given)}"
    if kind_of_error in ("too_long", "string_too_long"):
        return path, f"longer than the maximum {(error.get('ctx') or {}).get('max_length')}"
    bounds = {"greater_than_equal": "below the minimum", "less_than_equal": "above the maximum",
              "greater_than": "not above", "less_than": "not below"}
    if kind_of_error in bounds:
        limit = next(iter((error.get("ctx") or {}).values()), "")
        return path, f"{_shown(given)} is {bounds[kind_of_error]} {limit}"
    return path, f"{str(error.get('msg', 'invalid')).removeprefix('Value error, ')}, got {_shown(given)}"


def _count(value: Any) -> str:
    return str(len(value)) if hasattr(value, "__len__") else _shown(value)


def _unknown_key(path: _Path, kind: str | None) -> str:
    import difflib

    model: type[BaseModel] | None = Exercise
    for part in path[:-1]:
        if model is None or part.isdigit():
            continue
        if part == "question":
            model = _MODELS_AT.get(kind or "", BottleneckQuestion)
            continue
        info = model.model_fields.get(part)
        annotation = getattr(info, "annotation", None)
        args = getattr(annotation, "__args__", ())
        inner = next((a for a in (annotation, *args) if isinstance(a, type) and issubclass(a, BaseModel)), None)
        model = inner
    keys = list(model.model_fields) if model is not None else []
    close = difflib.get_close_matches(path[-1], keys, n=1, cutoff=0.6) if len(path[-1]) <= 200 else []
    if close:
        return f"unknown key — did you mean `{close[0]}`?"
    return f"unknown key; the keys here are: {', '.join(keys)}" if keys else "unknown key"


def _flatten(data: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in data.items():
        if isinstance(value, Mapping) and value:
            flat.update(_flatten(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = value
    return flat
