"""The problems of an exercise file, each placed at its line and column."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from seamsim.exercise.loaded import ExerciseError
from seamsim.scenario import Issue
from seamsim.scenario.issues import _nearest_mark, _sorted_issues

__all__ = ["Mark", "MarkPath", "LocatedIssues", "change_path"]

MarkPath = tuple[str, ...]
"""The path of a node in the file (keys and list indices as text)."""
Mark = tuple[str | None, int | None, int | None]
"""(file, line, column) of a node."""


class LocatedIssues:
    """Collects located issues."""

    def __init__(self, source: str, marks: Mapping[MarkPath, Mark]):
        self.source = source
        self.marks = marks
        self.found: list[Issue] = []

    def add(self, path: MarkPath, message: str) -> None:
        file, line, column = _nearest_mark(self.marks, path, self.source)
        self.found.append(Issue(file, line, column, ".".join(path), message))

    def raise_if_any(self) -> None:
        if self.found:
            raise ExerciseError(_sorted_issues(self.found))


def change_path(section: str | MarkPath, dotted: str, changes: Mapping[str, Any]) -> MarkPath:
    """Return the mark path of the change of ``dotted`` (written dotted or nested)."""
    prefix = (section,) if isinstance(section, str) else section
    for key in changes:
        if dotted == key or dotted.startswith(f"{key}."):
            return (*prefix, key, *[p for p in dotted[len(key) + 1:].split(".") if p])
    return (*prefix, *dotted.split("."))
