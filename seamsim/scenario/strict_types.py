"""Strict types, checked before pydantic (which would read ``on`` as 1.0 and ``'0.8'`` as 0.8).

:func:`type_issues` finds every value of the wrong type in raw scenario data: a boolean or
text where a number is expected, a number or text for true/false, text with characters a
YAML file may not hold. :func:`only` and :func:`without` cut the data to the paths checked
and leave refused values out of what pydantic sees.
"""

from __future__ import annotations

from collections.abc import Mapping

from pydantic import BaseModel

from seamsim.scenario.issues import Issue, _Mark, _nearest_mark, _Path
from seamsim.scenario.schema import Scenario
from seamsim.scenario.schema_walk import _model_of
from seamsim.scenario.type_messages import _wrong_type_message

__all__ = ["only", "type_issues", "without"]


def type_issues(
    data: Mapping[str, object], marks: Mapping[_Path, _Mark], file: str | None
) -> list[Issue]:
    """Return an issue for every value of the wrong type: a boolean or text for a number,
    a number or text for true/false, text with control characters."""
    issues = []
    for path, message in _wrong_types(Scenario, data, ()):
        where = _nearest_mark(marks, path, file)
        issues.append(Issue(where[0], where[1], where[2], ".".join(path), message))
    return issues


def _wrong_types(
    model: type[BaseModel], data: Mapping[str, object], prefix: _Path
) -> list[tuple[_Path, str]]:
    """Return (path, message) for each known field of ``model`` in ``data`` of a wrong type.

    Unknown keys and values that are not mappings where a section is expected are left to
    the schema's own validation.
    """
    found: list[tuple[_Path, str]] = []
    for name, value in data.items():
        info = model.model_fields.get(name)
        if info is None:
            continue
        section = _model_of(info.annotation)
        if section is not None:
            if isinstance(value, Mapping):
                found += _wrong_types(section, value, (*prefix, name))
            continue
        message = _wrong_type_message(name, info, value)
        if message is not None:
            found.append(((*prefix, name), message))
    return found


def only(data: Mapping[str, object], paths: set[_Path]) -> dict[str, object]:
    """Return the part of ``data`` at ``paths`` (each path with everything under it)."""
    kept: dict[str, object] = {}
    for path in sorted(paths):
        source: object = data
        for part in path:
            if not isinstance(source, Mapping) or part not in source:
                break
            source = source[part]
        else:
            target = kept
            for part in path[:-1]:
                target = target.setdefault(part, {})  # type: ignore[assignment]
                if not isinstance(target, dict):
                    break
            else:
                target[path[-1]] = source
    return kept


def without(data: Mapping[str, object], dotted: set[str], prefix: str = "") -> dict[str, object]:
    """Return a copy of ``data`` without the values at the ``dotted`` paths."""
    if not dotted:
        return dict(data)
    kept: dict[str, object] = {}
    for key, value in data.items():
        here = f"{prefix}{key}"
        if here in dotted:
            continue
        if isinstance(value, Mapping) and any(d.startswith(here + ".") for d in dotted):
            value = without(value, dotted, here + ".")
        kept[key] = value
    return kept


