"""People-facing messages for scenario errors: pydantic validation errors → located issues.

Every problem with a scenario becomes an :class:`Issue` located by file, line and column,
with the dotted field path and a message written for people: the bounds and unit of the
field, what was given, and a hint where one helps (did you mean a near key, or the same key
in another section; a likely mm/m or kW/MW slip; a number written with its unit). This
module turns pydantic validation errors into such issues by walking the schema
(:mod:`seamsim.scenario.schema`) for each field's bounds, allowed values and unit.

:class:`~seamsim.scenario.issues.Issue` and :class:`~seamsim.scenario.issues.ScenarioError`
live in :mod:`seamsim.scenario.issues`, the schema walk in :mod:`seamsim.scenario.schema_walk`,
the strict-type messages in :mod:`seamsim.scenario.type_messages` and the clipping and
escaping of echoed text in :mod:`seamsim.scenario.terminal_text`.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import ValidationError
from pydantic.fields import FieldInfo

from seamsim.scenario.fields import UNIT_SUFFIXES, field_paths, unit_of
from seamsim.scenario.issues import Issue, _Mark, _nearest_mark, _Path
from seamsim.scenario.schema_walk import _bounds, _field_at, _literal_values, _model_at
from seamsim.scenario.terminal_text import _clip

__all__: list[str] = []


_MAX_DESCRIBED = 1000
"""Validation errors given a full message (hints, near keys); the rest, never printed by
``str(ScenarioError)``, get pydantic's short one, so that a file of 30,000 bad keys is
reported in a moment."""


def _issues_from_validation(
    exc: ValidationError, marks: dict[_Path, _Mark], file: str | None
) -> list[Issue]:
    """Return one located issue per pydantic error."""
    issues = []
    for count, error in enumerate(exc.errors(include_url=False)):
        path = tuple(str(p) for p in error["loc"])
        where = _nearest_mark(marks, path, file)
        message = _describe(error, path) if count < _MAX_DESCRIBED else _brief(error)
        issues.append(Issue(where[0], where[1], where[2], ".".join(path), message))
    return issues


def _brief(error: Mapping[str, Any]) -> str:
    """Return pydantic's own short message for an error (no hints)."""
    if error["type"] == "extra_forbidden":
        return "unknown key"
    return str(error.get("msg", "invalid"))


# --- units from field names (the field registry's table) ----------------------------------
def _unit_of(name: str, info: FieldInfo | None = None) -> str:
    """Return the unit of a field from its name's suffix (``_mm`` → mm), else its description.

    ``""`` for dimensionless fields (:func:`seamsim.scenario.fields.unit_of`).
    """
    return unit_of(name, (info.description if info is not None else None) or "")[1]


def _quantity_word(name: str) -> str:
    """Return what a length field measures, for hints (``seam.height_m`` → ``height``)."""
    for suffix, _ in UNIT_SUFFIXES:
        if name.endswith(suffix):
            name = name[: -len(suffix)]
            break
    word = name.rsplit("_", 1)[-1]
    return (
        word
        if word
        in {
            "height",
            "length",
            "thickness",
            "diameter",
            "width",
            "web",
            "convergence",
            "float",
            "depth",
            "travel",
            "interval",
        }
        else "length"
    )


def _slip_candidates(name: str, unit: str) -> list[tuple[float, str]]:
    """Return (factor, explanation) pairs for likely unit slips on a field."""
    q = _quantity_word(name)
    table: dict[str, list[tuple[float, str]]] = {
        "m": [(1e-3, f"a {q} in mm given in m"), (1e-2, f"a {q} in cm given in m")],
        "mm": [(1e3, f"a {q} in m given in mm"), (10.0, f"a {q} in cm given in mm")],
        "kW": [(1e-3, "a power in W given in kW"), (1e3, "a power in MW given in kW")],
        "V": [(1e3, "a voltage in kV given in V")],
        "h": [(1.0 / 60.0, "a time in min given in h")],
        "min": [(1.0 / 60.0, "a time in s given in min"), (60.0, "a time in h given in min")],
        "s": [(60.0, "a time in min given in s")],
        "m/min": [(60.0, "a speed in m/s given in m/min")],
        "m/s": [(1.0 / 60.0, "a speed in m/min given in m/s")],
        "%": [(100.0, "a fraction given where a percentage is expected")],
        "": [(0.01, "a percentage given where a fraction is expected")],
    }
    return table.get(unit, [])


def _in_bounds(value: float, bounds: Mapping[str, float]) -> bool:
    return (
        ("ge" not in bounds or value >= bounds["ge"])
        and ("gt" not in bounds or value > bounds["gt"])
        and ("le" not in bounds or value <= bounds["le"])
        and ("lt" not in bounds or value < bounds["lt"])
    )


def _slip_hint(
    name: str,
    unit: str,
    value: object,
    allowed: Sequence[object] | None = None,
    bounds: Mapping[str, float] | None = None,
) -> str:
    """Return `` — did you mean X? (why)`` when a unit slip would put ``value`` in range."""
    if isinstance(value, bool) or not isinstance(value, int | float) or value != value:
        return ""
    if _is_huge(value):
        return ""
    if unit == "" and (bounds is None or bounds.get("le", bounds.get("lt", 2.0)) > 1.0):
        return ""  # the percentage slip only makes sense for shares in [0, 1]
    for factor, why in _slip_candidates(name, unit):
        candidate = value * factor
        if allowed is not None:
            match = [
                a
                for a in allowed
                if isinstance(a, int | float) and abs(a - candidate) < 1e-9 * max(1.0, abs(a))
            ]
            if match:
                return f" — did you mean {match[0]}? ({why})"
        elif bounds is not None and _in_bounds(candidate, bounds):
            return f" — did you mean {_number(candidate)}? ({why})"
    return ""


# --- formatting -------------------------------------------------------------------------
def _number(value: float) -> str:
    """Format a suggested number without float noise (0.8, not 0.8000000000000002)."""
    text = f"{value:.6g}"
    return text if "e" not in text else repr(value)


def _shown(value: object) -> str:
    """Format a given value as people wrote it."""
    if value is None:
        return "an empty value"
    if _is_boolean(value):
        return "true" if value else "false"
    if getattr(getattr(value, "dtype", None), "kind", "") in ("i", "u", "f"):
        value = value.item()  # type: ignore[attr-defined]  # a numpy number
    if isinstance(value, int | float):
        text = repr(float(value)) if isinstance(value, float) else repr(int(value))
        if len(text) > 30:  # a whole number with hundreds of digits
            text = f"{text[:12]}…{text[-4:]} ({len(text.lstrip('-')):,} digits)"
        return text
    if isinstance(value, str):
        value = str(value)
        return repr(value) if len(value) <= 80 else repr(value[:79] + "…")
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return f"{_clip(str(value), 80)} ({type(value).__name__})"


def _with_unit(value: object, unit: str) -> str:
    return f"{value} [{unit}]" if unit and unit != "-" else f"{value}"


def _describe(error: Mapping[str, Any], path: _Path) -> str:
    """Return the people-facing message for one pydantic error at ``path``."""
    kind = error["type"]
    given = error.get("input")
    name = path[-1] if path else ""
    info = _field_at(path)
    unit = _unit_of(name, info) if info is not None else ""
    if kind == "extra_forbidden":
        return _unknown_key_message(path)
    if (_is_huge(given) or kind == "int_parsing_size") and info is not None:
        return _huge_message(given, unit, info)
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        return _bounds_message(kind, error.get("ctx", {}), given, name, unit, info)
    if kind in ("literal_error", "enum"):
        return _literal_message(given, name, unit, info)
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        model = _model_at(path)
        keys = ", ".join(list(model.model_fields)[:4]) + ", …" if model is not None else ""
        return f"expected a mapping of `{name}` keys ({keys}), got {_shown(given)}"
    if kind in ("float_parsing", "float_type", "finite_number"):
        hint = _number_with_unit_hint(given, unit)
        return f"expected a number{_in_unit(unit)}, got {_shown(given)}{hint}"
    if kind in ("int_parsing", "int_type", "int_from_float"):
        hint = _number_with_unit_hint(given, unit)
        return f"expected a whole number{_in_unit(unit)}, got {_shown(given)}{hint}"
    if kind in ("bool_parsing", "bool_type"):
        return f"expected true or false, got {_shown(given)}"
    if kind in ("string_type",):
        quote = " — put it in quotes" if isinstance(given, bool | int | float) else ""
        return f"expected text, got {_shown(given)}{quote}"
    if kind == "string_pattern_mismatch":
        return f"{_shown(given)} may use only letters, digits, _ . and - (no spaces)"
    if kind == "string_too_long":
        return f"longer than the maximum {error.get('ctx', {}).get('max_length')} characters"
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "value_error":
        return str(error.get("msg", "")).removeprefix("Value error, ")
    return f"{error.get('msg', 'invalid')}, got {_shown(given)}"


def _is_huge(value: object) -> bool:
    """Whether ``value`` is a whole number too large to be read as a float (or an int)."""
    return isinstance(value, int) and not isinstance(value, bool) and abs(value) > 10**300


def _huge_message(given: Any, unit: str, info: FieldInfo) -> str:
    """Message for a number too large to read (hundreds of digits, or 1e301 for a whole
    number), with the field's range or choices."""
    allowed = _literal_values(info)
    if allowed:
        listed = ", ".join(str(a) for a in allowed)
        return f"{_shown(given)} is not allowed; choose one of {listed}" + (f" [{unit}]" if unit else "")
    bounds = _bounds(info)
    top = bounds.get("le", bounds.get("lt"))
    if isinstance(given, int | float) and given > 0 and top is not None:
        return f"{_shown(given)} is above the maximum {_with_unit(top, unit)}"
    bottom = bounds.get("ge", bounds.get("gt"))
    if isinstance(given, int | float) and given < 0 and bottom is not None:
        return f"{_shown(given)} is below the minimum {_with_unit(bottom, unit)}"
    return f"{_shown(given)} is too large a number"


def _in_unit(unit: str) -> str:
    return f" in {unit}" if unit and unit != "-" else ""


def _number_with_unit_hint(given: object, unit: str) -> str:
    """Hint for ``"0.8 m"``-style values: the unit is in the field name, not the value."""
    if isinstance(given, str) and re.match(
        r"^\s*[-+]?[\d.]+(e[-+]?\d+)?\s*[^\d\s.]+\s*$", given, re.I
    ):
        if unit:
            return f" — write the number alone; this field is in {unit}"
        return " — write the number alone"
    return ""


def _bounds_message(
    kind: str, ctx: Mapping[str, Any], given: object, name: str, unit: str, info: FieldInfo | None
) -> str:
    bounds = _bounds(info) if info is not None else {}
    if isinstance(given, float) and given != given:
        return "nan is not a number"
    if kind == "less_than_equal":
        text = f"{_shown(given)} is above the maximum {_with_unit(ctx.get('le'), unit)}"
    elif kind == "less_than":
        text = f"{_shown(given)} must be below {_with_unit(ctx.get('lt'), unit)}"
    elif kind == "greater_than_equal":
        text = f"{_shown(given)} is below the minimum {_with_unit(ctx.get('ge'), unit)}"
    else:
        text = f"{_shown(given)} must be above {_with_unit(ctx.get('gt'), unit)}"
    return text + _slip_hint(name, unit, given, bounds=bounds or dict(ctx))


def _literal_message(given: object, name: str, unit: str, info: FieldInfo | None) -> str:
    allowed = _literal_values(info) if info is not None else ()
    listed = ", ".join(str(a) for a in allowed)
    text = f"{_shown(given)} is not allowed; choose one of {listed}" + (
        f" [{unit}]" if unit else ""
    )
    hint = _slip_hint(name, unit, given, allowed=allowed)
    if not hint and isinstance(given, str):
        unquoted = [a for a in allowed if not isinstance(a, str) and str(a) == given.strip()]
        if unquoted:
            hint = f" — write {unquoted[0]} without quotes"
        else:
            close = difflib.get_close_matches(given, [str(a) for a in allowed], n=1, cutoff=0.6)
            if close:
                hint = f" — did you mean `{close[0]}`?"
    return text + hint


def _unknown_key_message(path: _Path) -> str:
    """Message for an unknown key: the section it belongs in, else a near key here.

    A key that is exactly a field of another section is said to belong there (``length_m``
    under ``electrical`` belongs in ``face``), before any near key here is suggested.
    """
    key = path[-1]
    parent = path[:-1]
    model = _model_at(parent)
    here = list(model.model_fields) if model is not None else []
    if not parent:
        here.append("extends")
    what = "unknown section" if not parent else "unknown key"
    elsewhere = _sections_holding(key, parent)
    if elsewhere:
        return f"{what} here — `{key}` belongs in {elsewhere}"
    close = difflib.get_close_matches(key, here, n=1, cutoff=0.6) if len(key) <= 200 else []
    if close:
        return f"{what} — did you mean `{close[0]}`?"
    shown = ", ".join(here)
    return f"{what}; the keys here are: {shown}"


def _sections_holding(key: str, parent: _Path) -> str:
    """Return where a field named ``key`` is (`` `face` ``, `` `a` or `b` ``), not in ``parent``."""
    sections = [
        "`" + (".".join(p[:-1]) or "the top level") + "`"
        for p in field_paths()
        if p[-1] == key and p[:-1] != parent
    ]
    return " or ".join(sections)


def _is_boolean(value: object) -> bool:
    """Whether ``value`` is a boolean: Python's, or a numpy one (without importing numpy)."""
    return isinstance(value, bool) or getattr(getattr(value, "dtype", None), "kind", "") == "b"
