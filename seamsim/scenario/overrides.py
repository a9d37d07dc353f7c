"""Dotted-path overrides: ``--set key=value`` parsing and setting values in scenario data.

:func:`parse_overrides` reads ``key=value`` strings as YAML scalars; :func:`apply_to_data`
sets each dotted path in raw scenario data (creating sections as needed) and says what
could not be set. The loader (:func:`seamsim.scenario.loader.apply_overrides`) validates
the result.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from seamsim.scenario.issues import OVERRIDE_SOURCE, Issue, ScenarioError, _Mark, _Path
from seamsim.scenario.messages import _shown
from seamsim.scenario.safe_yaml import _Builder, _compose
from seamsim.scenario.schema_walk import _field_at
from seamsim.scenario.type_messages import _field_kind

__all__ = ["apply_to_data", "flatten_overrides", "parse_overrides"]


def parse_overrides(items: Iterable[str]) -> dict[str, object]:
    """Parse ``key=value`` strings (``--set`` arguments) into an overrides mapping.

    Values are read as YAML scalars: ``0.75`` is a float, ``3300`` an int, ``true`` a bool,
    an empty value is ``None`` and anything that is not valid YAML stays a string. For a text
    field (``title``, ``name``…) the value is the text as given (``title=2024`` is the text
    ``2024``; quotes are removed).

    Parameters
    ----------
    items : iterable of str
        E.g. ``["seam.height_m=0.75", "operation.shield_control=manual"]``.

    Returns
    -------
    dict of str to object
        Dotted path → value, in the order given (a later repeat wins).

    Raises
    ------
    ScenarioError
        For an item without ``=`` or with a key that is not a dotted name.

    Examples
    --------
    >>> parse_overrides(["seam.height_m=0.75", "operation.remote_control=false", "title=A: B"])
    {'seam.height_m': 0.75, 'operation.remote_control': False, 'title': 'A: B'}
    """
    result: dict[str, object] = {}
    issues: list[Issue] = []
    for item in items:
        key, sep, value_text = str(item).partition("=")
        key = key.strip()
        if not sep or not key:
            issues.append(
                Issue(OVERRIDE_SOURCE, None, None, "", f"expected key=value, got {_shown(item)}")
            )
            continue
        if not _DOTTED_KEY.fullmatch(key):
            issues.append(
                Issue(
                    OVERRIDE_SOURCE,
                    None,
                    None,
                    "",
                    f"not a dotted field path (like seam.height_m): {_shown(key)}",
                )
            )
            continue
        result[key] = _override_value(key, value_text)
    if issues:
        raise ScenarioError(issues)
    return result



# --------------------------------------------------------------------------------------
# Overrides
# --------------------------------------------------------------------------------------
_DOTTED_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$")


def _override_value(key: str, text: str) -> object:
    """Return a ``--set`` value: the text as given for a text field, else a YAML scalar."""
    info = _field_at(tuple(key.split(".")))
    if info is not None and _field_kind(info) == "text":
        return _text_value(text)
    return _parse_override_value(text)


def _text_value(text: str) -> str:
    """Return a text field's ``--set`` value: as given, without surrounding quotes."""
    stripped = text.strip()
    if len(stripped) >= 2 and stripped[0] == stripped[-1] and stripped[0] in "'\"":
        value = _parse_override_value(stripped)
        if isinstance(value, str):
            return value
    return stripped


def _parse_override_value(text: str) -> object:
    """Read an override value as a YAML scalar, falling back to the plain string.

    Text with characters YAML refuses (a control character) stays a string, to be refused
    with the field's name when the scenario is checked.
    """
    stripped = text.strip()
    if stripped == "":
        return None
    try:
        node, loader = _compose(stripped, OVERRIDE_SOURCE)
        builder = _Builder(loader, OVERRIDE_SOURCE)
        value = builder.build(node, ()) if node is not None else None
    except ScenarioError:
        return stripped
    if builder.issues:
        return stripped
    if isinstance(value, dict | list) and stripped[0] not in "{[":
        return stripped  # "A: B" is a title, not a mapping
    return value


def flatten_overrides(overrides: Mapping[str, object]) -> list[tuple[_Path, object]]:
    """Split dotted keys; a mapping value sets each of its leaves (``x={a: 1}`` → ``x.a=1``)."""
    flat: list[tuple[_Path, object]] = []

    def walk(path: _Path, value: object) -> None:
        if isinstance(value, Mapping) and value:
            for key, sub in value.items():
                walk((*path, str(key)), sub)
        else:
            flat.append((path, value))

    for key, value in overrides.items():
        walk(tuple(str(key).split(".")), value)
    return flat


def apply_to_data(
    data: dict[str, object], marks: dict[_Path, _Mark], overrides: Iterable[tuple[_Path, object]]
) -> list[Issue]:
    """Set each override (a path and its value, as :func:`flatten_overrides` gives them) in
    ``data``, creating sections as needed; return the problems found."""
    issues: list[Issue] = []
    for path, value in overrides:
        dotted = ".".join(path)
        if path == ("extends",):
            issues.append(
                Issue(OVERRIDE_SOURCE, None, None, dotted, "extends cannot be overridden")
            )
            continue
        target: dict[str, object] = data
        for depth, part in enumerate(path[:-1]):
            current = target.get(part)
            if current is None:
                current = target[part] = {}
                marks[path[: depth + 1]] = (OVERRIDE_SOURCE, None, None)  # an unknown section
            if not isinstance(current, dict):
                here = ".".join(path[: depth + 1])
                issues.append(
                    Issue(
                        OVERRIDE_SOURCE,
                        None,
                        None,
                        dotted,
                        f"`{here}` holds a value, not a section; cannot set `{dotted}`",
                    )
                )
                break
            target = current
        else:
            target[path[-1]] = value
            for other in [p for p in marks if p[: len(path)] == path]:
                del marks[other]
            for end in range(1, len(path) + 1):  # a section's own rule broken by an override
                marks[path[:end]] = (OVERRIDE_SOURCE, None, None)
    return issues


