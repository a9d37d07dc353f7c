"""What on the student page would reveal a hidden setting: its name in a text students read,
or its distinctive value in a text or a shown value (refused at its line)."""

from __future__ import annotations

import re

from seamsim.exercise.hidden_values import Secret, value_forms, value_pattern
from seamsim.exercise.loaded import flat_fields
from seamsim.exercise.located_issues import LocatedIssues, MarkPath, change_path
from seamsim.exercise.schema import BottleneckQuestion, Exercise
from seamsim.scenario import Scenario
from seamsim.scenario.messages import _shown

__all__ = ["check_reveals", "hidden_secrets"]


def hidden_secrets(exercise: Exercise, scenario: Scenario) -> tuple[Secret, ...]:
    """Return each hidden setting with its value in ``scenario`` and the forms it could take."""
    flat = flat_fields(scenario.model_dump(mode="python"))
    return tuple(Secret(path, flat.get(path), value_forms(flat.get(path))) for path in exercise.hidden)


def _words_of(path: str) -> list[str]:
    """The names people could use for a field: its dotted path, its key, its key in words."""
    leaf = path.rsplit(".", 1)[-1]
    stem = re.sub(r"_(mm2|kwh_per_m3|t_per_m3|m_per_min|m_per_s|t_per_h|ohm_per_km|per_h|mm|kw|kwh|pct|rpm|min|m|h|s|v|a|c|t|d)$", "", leaf)
    words = [path, leaf]
    if "_" in stem:
        words.append(stem.replace("_", " "))
    return words


def check_reveals(exercise: Exercise, scenario: Scenario, secrets: tuple[Secret, ...], issues: LocatedIssues) -> None:
    """Refuse what would show a hidden setting, or its value, on the student page."""
    question = exercise.question
    visible = set(exercise.visible)
    for i, path in enumerate(exercise.hidden):
        if path in visible:
            issues.add(("hidden", str(i)), f"`{path}` is both hidden and visible: a visible setting is shown "
                                           "to students with its value")
    texts: list[tuple[MarkPath, str]] = [(("title",), exercise.title), (("intro",), exercise.intro),
                                      (("question", "text"), question.text)]
    shown: list[tuple[MarkPath, str]] = []  # values the page shows
    if isinstance(question, BottleneckQuestion):
        texts.append((("question", "reference_label"), question.reference_label))
    else:
        shown.append((("question", "budget"), f"{question.budget:g} {question.budget:,g}"))
        texts.append((("question", "cost_unit"), question.cost_unit))
        for i, candidate in enumerate(question.candidates):
            at = ("question", "candidates", str(i))
            texts.append(((*at, "label"), candidate.label))
            shown.append(((*at, "cost"), f"{candidate.cost:g} {candidate.cost:,g}"))
            for path, value in flat_fields(candidate.changes).items():
                where = change_path((*at, "changes"), path, candidate.changes)
                if path in exercise.hidden:
                    issues.add(where, f"changes the hidden setting `{path}`: students see every candidate's changes")
                shown.append((where, " ".join(value_forms(value)) or str(value)))
    for name in ("budget", "replications", "seed", "days"):
        value = getattr(exercise.runs, name)
        shown.append((("runs", name), f"{value:g} {value:,g}" if isinstance(value, float) else f"{value} {value:,}"))
    values = flat_fields(scenario.model_dump(mode="python"))
    for i, path in enumerate(exercise.visible):
        if path not in exercise.hidden:
            shown.append((("visible", str(i)), " ".join(value_forms(values.get(path))) or str(values.get(path))))

    for secret in secrets:
        for where, text in texts:
            lowered = text.lower()
            named = [w for w in _words_of(secret.path) if value_pattern(w.lower()).search(lowered)]
            if named:
                issues.add(where, f"names the hidden setting `{secret.path}` ({_shown(named[0])}): students read this")
        if not secret.distinctive:
            continue
        for where, text in texts + shown:
            found = [f for f in secret.forms if value_pattern(f).search(text)]
            if found:
                issues.add(where, f"shows {_shown(found[0])}, the value of the hidden setting `{secret.path}`: "
                                  "students would see it")
