"""``seamsim exercise check FILE…``: a trainer checks an exercise file and reads its answer key.

Each file is read and checked like the dashboard's Exercise page reads it
(:func:`seamsim.exercise.load_exercise`: the schema, the scenario and the trainer's changes,
the visible and hidden settings, and that nothing a student reads reveals a hidden value).
A file that passes gets its answer key computed by the model
(:func:`seamsim.exercise.answer_key`: the exercise's own seed, replications and days, common
random numbers), printed as a table: for a bottleneck question the hours each cause loses
(against the reference face when there is one), for a best-change question the paired gain
of each candidate. ``--no-key`` only checks. ``--json`` prints one JSON object.

Exit status: 0 every file valid (and its key computed), 2 a file that does not validate,
is missing, or whose face cannot be worked (each problem as ``file:line:column: field:
message``; the other files are still checked).
"""

from __future__ import annotations

import argparse
import math
import sys
from collections.abc import Mapping
from typing import Any

from seamsim.cli.base import EXIT_BAD_INPUT, EXIT_OK, Command, add_json_argument, print_json
from seamsim.cli.tables import fmt, fmt_ci, render_table

__all__ = ["COMMAND", "check_entry", "configure", "handle", "key_lines"]


def configure(parser: argparse.ArgumentParser) -> None:
    """Add the ``check`` action of ``seamsim exercise`` and its arguments."""
    actions = parser.add_subparsers(dest="exercise_action", metavar="ACTION", required=True)
    check = actions.add_parser("check", help="validate exercise files and print the answer key the model computes",
                               description="Validate exercise files (every problem with its file, line and column) "
                                           "and print the answer key the model computes for each.")
    check.add_argument("files", nargs="+", metavar="FILE", help="exercise YAML files")
    check.add_argument("--no-key", action="store_true", help="only check the files; compute no answer key")
    add_json_argument(check)


def handle(args: argparse.Namespace) -> int:
    """Check each file; print its summary and answer key, or its problems. Returns 0 or 2."""
    from seamsim.exercise import ExerciseError, answer_key, load_exercise

    entries: list[dict[str, Any]] = []
    status = EXIT_OK
    for path in args.files:
        try:
            exercise = load_exercise(path)
            key = None if args.no_key else answer_key(exercise)
        except ExerciseError as error:
            status = EXIT_BAD_INPUT
            entries.append({"file": path, "ok": False, "issues": [_issue(i) for i in error.issues]})
            if not args.json:
                print(str(error), file=sys.stderr)
            continue
        entry = check_entry(path, exercise, key)
        entries.append(entry)
        if not args.json:
            print("\n".join(key_lines(entry)))
            print()
    if args.json:
        print_json({"exercises": entries, "ok": status == EXIT_OK})
    return status


def _issue(issue: Any) -> dict[str, Any]:
    return {"file": issue.file, "line": issue.line, "column": issue.column, "path": issue.path,
            "message": issue.message, "text": str(issue)}


def check_entry(path: str, exercise: Any, key: Any | None) -> dict[str, Any]:
    """Return what ``check`` reports of one valid exercise (the ``--json`` entry).

    Parameters
    ----------
    path : str
        The file as named.
    exercise : LoadedExercise
        From :func:`seamsim.exercise.load_exercise`.
    key : AnswerKey or None
        From :func:`seamsim.exercise.answer_key`; ``None`` with ``--no-key``.

    Returns
    -------
    dict
        ``file, ok, id, title, kind, question, kpi, visible, hidden`` (setting → value),
        ``runs`` (budget, replications, seed, days) and ``key`` (``None`` without one):
        ``answer``, ``answer_label``, ``face`` (mean and 95 % interval of the KPI),
        ``reference_mean`` and ``ranking`` (one dict per row, best first).
    """
    spec = exercise.exercise
    entry: dict[str, Any] = {
        "file": path, "ok": True, "id": exercise.id, "title": spec.title, "kind": exercise.kind,
        "question": spec.question.text.strip(), "kpi": spec.kpi, "visible": list(spec.visible),
        "hidden": {s.path: s.value for s in exercise.secrets},
        "runs": spec.runs.model_dump(), "key": None,
    }
    if exercise.kind == "best_change":
        entry["budget"] = spec.question.budget
        entry["cost_unit"] = spec.question.cost_unit
    if key is not None:
        ranking = key.ranking.drop(columns=[c for c in ("order", "scenario") if c in key.ranking])
        entry["key"] = {
            "answer": key.answer, "answer_label": _answer_label(key.kind, key.answer),
            "face": {"mean": key.face_mean, "ci95": [key.face_lo, key.face_hi]},
            "reference_mean": key.reference_mean,
            "replications": key.replications, "seed": key.seed, "days": key.days,
            "ranking": ranking.to_dict(orient="records"),
        }
    return entry


def _answer_label(kind: str, answer: str) -> str:
    from seamsim.exercise import cause_by_key

    return cause_by_key(answer).label if kind == "bottleneck" else answer


def key_lines(entry: Mapping[str, Any]) -> list[str]:
    """Return the text ``check`` prints for one valid exercise: what students see and do,
    what is hidden from them, and the answer key as a table."""
    runs = entry["runs"]
    lines = [
        f"ok  {entry['file']}  ({entry['title']})",
        f"  question ({entry['kind'].replace('_', ' ')}): {' '.join(entry['question'].split())}",
        f"  students see and may change: {', '.join(entry['visible'])}",
        "  hidden from them: " + (", ".join(f"{p} = {v}" for p, v in entry["hidden"].items()) or "nothing"),
        f"  runs: {runs['budget']} a student, {runs['replications']} replications of {runs['days']:g} days, "
        f"seed {runs['seed']}",
    ]
    key = entry.get("key")
    if key is None:
        return lines
    face = key["face"]
    lines.append(f"  {entry['kpi']} of the face: {fmt(face['mean'])} {fmt_ci(*face['ci95'])}"
                 + (f"; reference face {fmt(key['reference_mean'])}" if key["reference_mean"] is not None else ""))
    lines.append(f"  answer key (computed by the model): {key['answer_label']}")
    table = _bottleneck_table(key) if entry["kind"] == "bottleneck" else _best_change_table(key, entry)
    lines += ["    " + row for row in table.splitlines()]
    return lines


def _bottleneck_table(key: Mapping[str, Any]) -> str:
    rows = key["ranking"]
    with_reference = key["reference_mean"] is not None
    header = ["rank", "cause", "lost h", "stopped h", "slowed h", "share"]
    if with_reference:
        header += ["reference h", "more than there h", "95% CI"]
    body = []
    for row in rows:
        cells = [str(row["rank"]), str(row["cause"]), fmt(row["lost_h"]), fmt(row["stopped_h"]),
                 fmt(row["slowed_h"]), f"{row['share']:.0%}" if math.isfinite(row["share"]) else "—"]
        if with_reference:
            cells += [fmt(row["reference_lost_h"]), fmt(row["gap_h"], signed=True),
                      fmt_ci(row["gap_lo"], row["gap_hi"], signed=True)]
        body.append(cells)
    return render_table(header, body)


def _best_change_table(key: Mapping[str, Any], entry: Mapping[str, Any]) -> str:
    header = ["rank", "candidate", f"cost [{entry['cost_unit']}]", "affordable", "gain", "95% CI", "status"]
    body = [[str(row["rank"]), str(row["candidate"]), f"{row['cost']:,g}", "yes" if row["affordable"] else "no",
             fmt(row["gain"], signed=True), fmt_ci(row["gain_lo"], row["gain_hi"], signed=True), str(row["status"])]
            for row in key["ranking"]]
    return (render_table(header, body, right=[False, False, True, False, True, True, False])
            + f"\nbudget {entry['budget']:,g} {entry['cost_unit']}; gain = paired difference of "
              f"{entry['kpi']} per replication against the face as given")


COMMAND = Command("exercise", "check a trainer's exercise files and print their answer keys", configure, handle)
