"""Messages for the schema errors of an exercise file (pydantic errors → path and words)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel

from seamsim.exercise.located_issues import MarkPath
from seamsim.exercise.schema import BestChangeQuestion, BottleneckQuestion, Exercise
from seamsim.scenario.messages import _shown

__all__ = ["error_path_and_message"]

_MODELS_AT: dict[str, type[BaseModel]] = {"bottleneck": BottleneckQuestion, "best_change": BestChangeQuestion}


def error_path_and_message(error: Mapping[str, Any]) -> tuple[MarkPath, str]:
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


def _unknown_key(path: MarkPath, kind: str | None) -> str:
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
