"""A located problem with a scenario (:class:`Issue`), the error that carries them all
(:class:`ScenarioError`), and how issues are ordered and placed.

Examples
--------
>>> print(Issue("x.yaml", 2, 3, "seam.height_m", "800 is above the maximum 3.0 [m]"))
x.yaml:2:3: seam.height_m: 800 is above the maximum 3.0 [m]
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from seamsim.scenario.terminal_text import MAX_ECHO, _clip, _clip_middle, _printable

__all__ = ["MAX_SHOWN_ISSUES", "OVERRIDE_SOURCE", "Issue", "ScenarioError"]

OVERRIDE_SOURCE = "--set"
"""The ``file`` of an :class:`Issue` raised by an override."""
MAX_SHOWN_ISSUES = 20
"""Issues printed by ``str(ScenarioError)``; the rest are counted (all are in ``issues``)."""

_Path = tuple[str, ...]
_Mark = tuple[str | None, int | None, int | None]
"""Where a key was given: (file, line, column), 1-based; ``None`` where unknown."""


@dataclass(frozen=True)
class Issue:
    """One problem with a scenario, located for people.

    Attributes
    ----------
    file : str or None
        The file as the user named it, ``"--set"`` for an override, ``None`` if unknown.
    line, column : int or None
        1-based position of the offending key in ``file``.
    path : str
        Dotted field path, e.g. ``"machine.machine_height_mm"``; ``""`` for the whole file.
    message : str
        What is wrong and, where possible, how to fix it.
    """

    file: str | None
    line: int | None
    column: int | None
    path: str
    message: str

    def __str__(self) -> str:
        where = _clip_middle(self.file or "", MAX_ECHO)
        if where and self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        parts = [p for p in (where, _clip(self.path, MAX_ECHO)) if p]
        return _printable(": ".join([*parts, self.message]))


class ScenarioError(Exception):
    """A scenario (file, text or overrides) is not valid; carries every :class:`Issue` found.

    ``str(error)`` gives one line per issue, ``file:line:column: field.path: message``, for
    the first :data:`MAX_SHOWN_ISSUES` issues and then ``… and N more problems``; the
    attribute ``issues`` holds them all.
    """

    def __init__(self, issues: Sequence[Issue]):
        self.issues: list[Issue] = list(issues)
        super().__init__(str(self))

    def __str__(self) -> str:
        lines = [str(issue) for issue in self.issues[:MAX_SHOWN_ISSUES]]
        hidden = len(self.issues) - MAX_SHOWN_ISSUES
        if hidden > 0:
            lines.append(f"… and {hidden:,} more problem{'s' if hidden != 1 else ''}")
        return "\n".join(lines)


def _fail(
    file: str | None, message: str, *, mark: _Mark | None = None, path: str = ""
) -> ScenarioError:
    """Return a one-issue :class:`ScenarioError` (to ``raise``)."""
    line = column = None
    if mark is not None:
        file, line, column = mark
    return ScenarioError([Issue(file, line, column, path, message)])


def _sorted_issues(issues: list[Issue]) -> list[Issue]:
    """Order issues by file (in order of appearance, overrides last), then line."""
    files: dict[str | None, int] = {}
    for issue in issues:
        files.setdefault(issue.file, len(files))
    return sorted(
        issues,
        key=lambda i: (
            (i.file or "").startswith(OVERRIDE_SOURCE),
            files[i.file],
            i.line is None,
            i.line or 0,
            i.column or 0,
        ),
    )


def _nearest_mark(marks: Mapping[_Path, _Mark], path: _Path, file: str | None) -> _Mark:
    """Return the mark of ``path``'s key, or of its nearest ancestor given in the file."""
    for end in range(len(path), 0, -1):
        if path[:end] in marks:
            return marks[path[:end]]
    return (file, None, None)
