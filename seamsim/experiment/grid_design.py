"""Full factorial designs: :func:`grid`, and how many values a field's spec gives."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np

from seamsim.experiment.design_points import Design, GridPoints, coerced_value
from seamsim.experiment.vary import FieldInfo, Range, _vary_error, field_info, parse_values

__all__ = ["grid", "grid_value_count"]


def _grid_values(info: FieldInfo, spec: Any) -> list[Any]:
    if isinstance(spec, str):
        spec = parse_values(info.path, spec)
    if isinstance(spec, tuple) and len(spec) in (2, 3) and not info.choices:
        spec = Range(*spec)
    if isinstance(spec, Range):
        if not info.numeric:
            raise _vary_error(info.path, f"is a {info.kind} field: list its values (a,b,c), not a range")
        if spec.n is None or spec.n < 1:
            raise _vary_error(info.path, f"a grid range needs a count: {spec.lo:g}:{spec.hi:g}:n")
        values = [coerced_value(info, float(v)) for v in np.linspace(spec.lo, spec.hi, spec.n)]
        if info.kind == "float":  # 0.7000000000000001 → 0.7 where the float is that close
            values = [float(f"{v:.12g}") for v in values]
        return list(dict.fromkeys(values))  # rounding ints can repeat values
    if isinstance(spec, str | bytes) or not isinstance(spec, Iterable):
        spec = [spec]
    values = [coerced_value(info, v) for v in spec]
    if not values:
        raise _vary_error(info.path, "no values given")
    return values


def grid(spec: Mapping[str, Any]) -> Design:
    """Return the full factorial design over the given fields.

    Parameters
    ----------
    spec : mapping
        Field path → a list of values, a :class:`Range` with a count, a ``(lo, hi, n)``
        tuple, or a string (``"a,b,c"`` or ``"lo:hi:n"``).

    Returns
    -------
    Design
        ``Π nᵢ`` points; the last field varies fastest. The points are computed when
        asked for (:class:`GridPoints`), so a large grid is streamed, not held.
    """
    if not spec:
        raise ValueError("a grid needs at least one field to vary")
    infos = [field_info(path) for path in spec]
    values = [_grid_values(info, spec[info.path]) for info in infos]
    fields = tuple(info.path for info in infos)
    return Design("grid", fields, GridPoints(fields, values), options={"values": {f: v for f, v in zip(fields, values, strict=True)}})


def grid_value_count(info: FieldInfo, spec: Any) -> int:
    """Return how many values :func:`_grid_values` gives a field, at most (without building them)."""
    if isinstance(spec, str):
        spec = parse_values(info.path, spec)
    if isinstance(spec, tuple) and len(spec) in (2, 3) and not info.choices:
        spec = Range(*spec)
    if isinstance(spec, Range):
        return max(1, spec.n or 1)  # a range without a count is refused when the grid is built
    if isinstance(spec, str | bytes) or not isinstance(spec, Iterable):
        return 1
    return max(1, len(spec) if hasattr(spec, "__len__") else len(list(spec)))
