"""Experimental designs: which scenario fields to vary, and to which values.

A :class:`Design` is a list of *points*; each point is an override dict (dotted field path →
value) applied with :func:`seamsim.scenario.apply_overrides` to every scenario of an
experiment. Number of points each design produces, for ``D`` varied fields:

=============================  ==========================================================
design                         points
=============================  ==========================================================
:func:`grid`                   the product of the number of values of each field
:func:`latin_hypercube`        ``n``
:func:`sobol`                  ``N·(D + 2)`` (first and total order; the default), or
                               ``N·(2D + 2)`` with ``second_order=True`` (Saltelli's scheme
                               as SALib builds it); ``N`` should be a power of two
:func:`morris`                 ``r·(D + 1)`` for ``r`` trajectories
=============================  ==========================================================

Field types come from the scenario schema: float fields take any value in range; integer
fields are rounded to whole numbers (a grid range drops repeated values); categorical
fields (choices such as ``operation.shield_control`` or ``electrical.supply_voltage_v``, and
true/false fields) can only be varied in a grid, by listing their values.

The fields a design can vary and the parsing of ``--vary`` live in
:mod:`seamsim.experiment.vary`; :func:`sensitivity`, which analyses a Sobol or Morris
experiment with SALib on the *replication means* of each point, lives in
:mod:`seamsim.experiment.sensitivity_analysis`. Both are re-exported here.

Examples
--------
>>> d = grid({"seam.height_m": [0.7, 0.8], "machine.cutting_power_kw": "400:800:5"})
>>> len(d), d.fields
(10, ('seam.height_m', 'machine.cutting_power_kw'))
>>> d.points[1]
{'seam.height_m': 0.7, 'machine.cutting_power_kw': 500.0}
"""

from __future__ import annotations

import dataclasses
import itertools
import math
import warnings
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from seamsim.experiment.kinds import DESIGN_KINDS, SOBOL_DEFAULT_N, SOBOL_MIN_N
from seamsim.experiment.sensitivity_analysis import sensitivity
from seamsim.experiment.vary import (
    VARY_SOURCE,
    FieldInfo,
    Range,
    _as_vary_error,
    _vary_error,
    field_info,
    parse_values,
    parse_vary,
)
from seamsim.experiment.vary import VarySpec as VarySpec  # re-exported
from seamsim.scenario import Scenario, ScenarioError, apply_overrides

__all__ = [
    "DESIGN_KINDS",
    "Design",
    "FieldInfo",
    "Range",
    "design_from_spec",
    "design_size",
    "field_info",
    "grid",
    "latin_hypercube",
    "morris",
    "parse_vary",
    "points",
    "sensitivity",
    "sobol",
]


Value = bool | int | float | str | None


# --------------------------------------------------------------------------------------
# The design
# --------------------------------------------------------------------------------------
MANIFEST_POINTS_MAX = 10_000
"""A grid with more points than this is stored in the manifest by its values only."""


class GridPoints(Sequence):
    """The points of a full factorial design, computed when asked for, never all held.

    Point ``i`` is read in mixed radix (the last field fastest), so a grid of a million
    points costs its value lists, not a million dicts.

    Examples
    --------
    >>> g = GridPoints(("a", "b"), ([1, 2], [10, 20, 30]))
    >>> len(g), g[4], g[-1]
    (6, {'a': 2, 'b': 20}, {'a': 2, 'b': 30})
    """

    def __init__(self, fields: Sequence[str], values: Sequence[Sequence[Any]]):
        self.fields = tuple(fields)
        self.values = tuple(tuple(v) for v in values)
        self._size = math.prod(len(v) for v in self.values)

    def __len__(self) -> int:
        return self._size

    def __getitem__(self, index):  # type: ignore[override]
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self._size))]
        i = int(index)
        if i < 0:
            i += self._size
        if not 0 <= i < self._size:
            raise IndexError(f"grid point {index} out of range (0–{self._size - 1})")
        point: dict[str, Any] = {}
        for name, values in zip(reversed(self.fields), reversed(self.values), strict=True):
            i, digit = divmod(i, len(values))
            point[name] = values[digit]
        return {name: point[name] for name in self.fields}

    def __iter__(self):
        for combo in itertools.product(*self.values):
            yield dict(zip(self.fields, combo, strict=True))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, GridPoints):
            return self.fields == other.fields and self.values == other.values
        if isinstance(other, Sequence) and not isinstance(other, str):
            return len(other) == self._size and all(a == b for a, b in zip(self, other, strict=False))
        return NotImplemented

    def __hash__(self) -> int:
        return hash((self.fields, self.values))

    def __repr__(self) -> str:
        return f"GridPoints({len(self):,} points over {list(self.fields)})"


def _coerce(info: FieldInfo, value: Any) -> Any:
    """Return ``value`` in the field's type where that is unambiguous (validation comes later)."""
    if value is None or isinstance(value, bool) or isinstance(value, str):
        return value
    if isinstance(value, np.generic):
        value = value.item()
    if info.kind == "float" and isinstance(value, int | float):
        return float(value)
    if info.kind == "int" and isinstance(value, float) and math.isfinite(value):
        return int(math.floor(value + 0.5))  # half up: 2.5 → 3
    return value


@dataclass(frozen=True)
class Design:
    """Points of an experiment: override dicts applied to every scenario.

    Attributes
    ----------
    kind : str
        ``"grid"``, ``"lhs"``, ``"sobol"``, ``"morris"``, ``"points"`` (a given list) or
        ``"none"`` (one empty point: the scenarios as they are).
    fields : tuple of str
        The varied fields (dotted paths), the same in every point.
    points : sequence of dict
        One override dict per point; point ``i`` is ``points[i]``. A grid's points are a
        :class:`GridPoints`, computed when asked for.
    ranges : dict of str to (float, float)
        Sampled ranges of ``lhs``, ``sobol`` and ``morris`` designs.
    samples : tuple of tuple of float
        The sampler's raw (unrounded) values, one row per point, for the analysis.
    options : dict
        How the design was built (``n``, ``seed``, ``levels``, ``second_order``…).
    """

    kind: str
    fields: tuple[str, ...]
    points: Sequence[dict[str, Any]]
    ranges: dict[str, tuple[float, float]] = field(default_factory=dict)
    samples: tuple[tuple[float, ...], ...] = ()
    options: dict[str, Any] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.points)

    def __iter__(self):
        return iter(self.points)

    def frame(self) -> pd.DataFrame:
        """Return the points as a table: ``point`` and one column per varied field."""
        table = pd.DataFrame([dict(p) for p in self.points], columns=list(self.fields))
        table.insert(0, "point", range(len(self.points)))
        return table

    def problem(self) -> dict[str, Any]:
        """Return the SALib ``problem`` dict (names, bounds) of a sampled design."""
        if not self.ranges:
            raise ValueError(f"a {self.kind} design has no sampled ranges")
        return {
            "num_vars": len(self.fields),
            "names": list(self.fields),
            "bounds": [list(self.ranges[f]) for f in self.fields],
        }

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready description (stored in ``manifest.json``).

        A grid of more than :data:`MANIFEST_POINTS_MAX` points is stored by its values
        (``options["values"]``) and its size only.
        """
        large_grid = isinstance(self.points, GridPoints) and len(self.points) > MANIFEST_POINTS_MAX
        return {
            "kind": self.kind,
            "fields": list(self.fields),
            **({"size": len(self.points)} if large_grid else {"points": [dict(p) for p in self.points]}),
            "ranges": {k: list(v) for k, v in self.ranges.items()},
            "samples": [list(row) for row in self.samples],
            "options": dict(self.options),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Design:
        """Rebuild a design from :meth:`to_dict`."""
        fields = tuple(data["fields"])
        if data["kind"] == "grid" and "points" not in data:
            values = dict(data.get("options", {}).get("values", {}))
            the_points: Sequence[dict[str, Any]] = GridPoints(fields, [values[f] for f in fields])
        else:
            the_points = tuple(dict(p) for p in data["points"])
        return cls(
            kind=str(data["kind"]),
            fields=fields,
            points=the_points,
            ranges={k: (float(v[0]), float(v[1])) for k, v in dict(data.get("ranges", {})).items()},
            samples=tuple(tuple(float(x) for x in row) for row in data.get("samples", [])),
            options=dict(data.get("options", {})),
        )


def no_design() -> Design:
    """Return the design of a plain experiment: one empty point."""
    return Design("none", (), ({},))


def points(overrides: Iterable[Mapping[str, Any]]) -> Design:
    """Return a design of given points (override dicts; all must vary the same fields)."""
    rows = [dict(p) for p in overrides]
    if not rows:
        raise ValueError("a design needs at least one point")
    fields = tuple(rows[0])
    infos = {f: field_info(f) for f in fields}
    for i, row in enumerate(rows):
        if set(row) != set(fields):
            raise ValueError(f"point {i} varies {sorted(row)}, point 0 varies {sorted(fields)}")
    coerced = tuple({f: _coerce(infos[f], row[f]) for f in fields} for row in rows)
    return Design("points", fields, coerced)


def as_design(design: Design | Iterable[Mapping[str, Any]] | None) -> Design:
    """Return ``design`` as a :class:`Design` (``None`` → one empty point)."""
    if design is None:
        return no_design()
    if isinstance(design, Design):
        if not design.points:
            raise ValueError("a design needs at least one point")
        return design
    return points(design)


# --------------------------------------------------------------------------------------
# Grid
# --------------------------------------------------------------------------------------
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
        values = [_coerce(info, float(v)) for v in np.linspace(spec.lo, spec.hi, spec.n)]
        if info.kind == "float":  # 0.7000000000000001 → 0.7 where the float is that close
            values = [float(f"{v:.12g}") for v in values]
        return list(dict.fromkeys(values))  # rounding ints can repeat values
    if isinstance(spec, str | bytes) or not isinstance(spec, Iterable):
        spec = [spec]
    values = [_coerce(info, v) for v in spec]
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


# --------------------------------------------------------------------------------------
# Sampled designs (SALib)
# --------------------------------------------------------------------------------------
def _ranges(spec: Mapping[str, Any]) -> tuple[list[FieldInfo], dict[str, tuple[float, float]]]:
    if not spec:
        raise ValueError("a sampled design needs at least one field to vary")
    infos: list[FieldInfo] = []
    ranges: dict[str, tuple[float, float]] = {}
    for path, value in spec.items():
        info = field_info(path)
        if not info.numeric:
            raise _vary_error(
                path,
                f"is a {info.kind} field ({', '.join(map(str, info.choices)) or 'text'}): "
                "categorical fields can only be varied in a grid",
            )
        if isinstance(value, str):
            value = parse_values(path, value)
        if isinstance(value, Range):
            lo, hi = value.lo, value.hi
        elif isinstance(value, Sequence) and len(value) in (2, 3) and not isinstance(value, str):
            lo, hi = float(value[0]), float(value[1])
        else:
            raise _vary_error(path, f"give a range lo:hi for a sampled design, got {value!r}")
        if not (math.isfinite(lo) and math.isfinite(hi)) or not lo < hi:
            raise _vary_error(path, f"a sampled range needs lo < hi, got {lo:g}:{hi:g}")
        infos.append(info)
        ranges[path] = (float(lo), float(hi))
    return infos, ranges


def _from_samples(
    kind: str, infos: list[FieldInfo], ranges: dict[str, tuple[float, float]], x: np.ndarray, options: dict
) -> Design:
    fields = tuple(info.path for info in infos)
    rows = tuple(
        {info.path: _coerce(info, float(v)) for info, v in zip(infos, row, strict=True)} for row in x
    )
    samples = tuple(tuple(float(v) for v in row) for row in x)
    return Design(kind, fields, rows, ranges, samples, options)


def _salib_problem(infos: list[FieldInfo], ranges: dict[str, tuple[float, float]]) -> dict:
    return {
        "num_vars": len(infos),
        "names": [i.path for i in infos],
        "bounds": [list(ranges[i.path]) for i in infos],
    }


def latin_hypercube(ranges: Mapping[str, Any], n: int, seed: int = 0) -> Design:
    """Return a Latin hypercube design of ``n`` points over the given ranges (SALib).

    Parameters
    ----------
    ranges : mapping
        Field path → ``(lo, hi)``, a :class:`Range` or ``"lo:hi"``; numeric fields only.
    n : int
        Points (each range is cut into ``n`` strata, one sample in each).
    seed : int, optional
        Seed of the sampler.
    """
    from SALib.sample import latin

    infos, bounds = _ranges(ranges)
    if n < 1:
        raise ValueError(f"a Latin hypercube needs n ≥ 1, not {n}")
    if n < len(infos) + 1:
        warnings.warn(
            f"a Latin hypercube of {n} points over {len(infos)} fields is very sparse; "
            f"use at least {len(infos) + 1} (10 per field is a common rule)",
            stacklevel=2,
        )
    x = latin.sample(_salib_problem(infos, bounds), int(n), seed=int(seed))
    return _from_samples("lhs", infos, bounds, x, {"n": int(n), "seed": int(seed)})


def sobol(ranges: Mapping[str, Any], n: int, seed: int = 0, *, second_order: bool = False) -> Design:
    """Return Saltelli's design for Sobol indices (SALib ``sobol.sample``).

    Parameters
    ----------
    ranges : mapping
        Field path → ``(lo, hi)``, a :class:`Range` or ``"lo:hi"``; numeric fields only.
    n : int
        Base sample ``N``; ideally a power of two (a warning otherwise), and at least
        :data:`SOBOL_MIN_N` = 256 (a warning otherwise; 512 is recommended).
    seed : int, optional
        Seed of the scrambled Sobol sequence.
    second_order : bool, optional
        Also sample for second-order indices.

    Returns
    -------
    Design
        ``N·(D + 2)`` points, or ``N·(2D + 2)`` with ``second_order``.
    """
    from SALib.sample import sobol as sobol_sample

    infos, bounds = _ranges(ranges)
    if n < 1:
        raise ValueError(f"a Sobol design needs N ≥ 1, not {n}")
    if n & (n - 1):
        warnings.warn(
            f"Sobol base sample N={n} is not a power of two; the Sobol sequence keeps its "
            f"balance only for powers of two (try {1 << (int(n) - 1).bit_length()})",
            stacklevel=2,
        )
    if n < SOBOL_MIN_N:
        warnings.warn(
            f"a Sobol base sample of N={n} gives wide confidence intervals on the indices; "
            f"N = {SOBOL_DEFAULT_N} is recommended (the default) and {SOBOL_MIN_N} the least to rank "
            "fields: check whether each interval includes 0, and the convergence table of seamsim analyse",
            stacklevel=2,
        )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # SALib's own power-of-two warning: given above
        x = sobol_sample.sample(
            _salib_problem(infos, bounds), int(n), calc_second_order=bool(second_order), seed=int(seed)
        )
    options = {"n": int(n), "seed": int(seed), "second_order": bool(second_order)}
    return _from_samples("sobol", infos, bounds, x, options)


def morris(ranges: Mapping[str, Any], trajectories: int, levels: int = 4, seed: int = 0) -> Design:
    """Return a Morris elementary-effects design (SALib ``morris.sample``).

    Parameters
    ----------
    ranges : mapping
        Field path → ``(lo, hi)``, a :class:`Range` or ``"lo:hi"``; numeric fields only.
    trajectories : int
        Trajectories ``r`` (10–50 is usual; a warning below 10).
    levels : int, optional
        Grid levels ``p`` of each range (even; 4 by default).
    seed : int, optional
        Seed of the sampler.

    Returns
    -------
    Design
        ``r·(D + 1)`` points.
    """
    from SALib.sample import morris as morris_sample

    infos, bounds = _ranges(ranges)
    if trajectories < 2:
        raise ValueError(f"a Morris design needs at least 2 trajectories, not {trajectories}")
    if levels < 2:
        raise ValueError(f"a Morris design needs at least 2 levels, not {levels}")
    if trajectories < 10:
        warnings.warn(
            f"{trajectories} Morris trajectories give rough screening; 10–50 are usual",
            stacklevel=2,
        )
    x = morris_sample.sample(
        _salib_problem(infos, bounds), int(trajectories), num_levels=int(levels), seed=int(seed)
    )
    options = {"n": int(trajectories), "levels": int(levels), "seed": int(seed)}
    return _from_samples("morris", infos, bounds, x, options)


def design_from_spec(
    kind: str,
    spec: Mapping[str, Any],
    samples: int | None = None,
    seed: int = 0,
    *,
    levels: int = 4,
    second_order: bool = False,
) -> Design:
    """Build a design of ``kind`` (``grid``, ``lhs``, ``sobol``, ``morris``) from a spec.

    ``samples`` is ``n`` for ``lhs``, ``N`` for ``sobol`` and the trajectories for
    ``morris`` (defaults: ``10·D``, :data:`SOBOL_DEFAULT_N` = 512 and 10); a grid ignores it.
    """
    if kind == "grid":
        return grid(spec)
    if kind == "lhs":
        return latin_hypercube(spec, samples or 10 * max(1, len(spec)), seed)
    if kind == "sobol":
        return sobol(spec, samples or SOBOL_DEFAULT_N, seed, second_order=second_order)
    if kind == "morris":
        return morris(spec, samples or 10, levels, seed)
    raise ValueError(f"unknown design {kind!r}; choose one of {', '.join(DESIGN_KINDS)}")


def _grid_count(info: FieldInfo, spec: Any) -> int:
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


def design_size(kind: str, spec: Mapping[str, Any], samples: int | None = None, *, second_order: bool = False) -> int:
    """Return how many points :func:`design_from_spec` would build, without building them.

    A grid counts the values of each field (a rounded integer range may give fewer);
    ``lhs`` gives ``n``, ``sobol`` ``N·(D+2)`` (``N·(2D+2)`` with ``second_order``) and
    ``morris`` ``r·(D+1)``, with the defaults of :func:`design_from_spec`.

    Examples
    --------
    >>> design_size("grid", {"seam.height_m": "0.7:1.0:100000000", "roof.convergence_mm": [20, 60]})
    200000000
    """
    d = max(1, len(spec))
    if kind == "grid":
        return math.prod(_grid_count(field_info(path), value) for path, value in spec.items())
    if kind == "lhs":
        return int(samples or 10 * d)
    if kind == "sobol":
        return int(samples or SOBOL_DEFAULT_N) * (2 * d + 2 if second_order else d + 2)
    if kind == "morris":
        return int(samples or 10) * (d + 1)
    raise ValueError(f"unknown design {kind!r}; choose one of {', '.join(DESIGN_KINDS)}")


# --------------------------------------------------------------------------------------
# Validation against scenarios
# --------------------------------------------------------------------------------------
def validate_design(design: Design, scenarios: Sequence[Scenario]) -> None:
    """Check every point of ``design`` on every scenario before anything runs.

    Range ends are checked first, so the message shows the value the user typed.

    Raises
    ------
    ScenarioError
        With the messages of ``seamsim validate`` (the point is named when it matters).
    """
    for scenario in scenarios:
        for path, (lo, hi) in design.ranges.items():
            info = field_info(path)
            for end in (lo, hi):
                try:
                    apply_overrides(scenario, {path: _coerce(info, end)})
                except ScenarioError as error:
                    raise _as_vary_error(error) from None
        for i, point in _points_to_check(design):
            try:
                apply_overrides(scenario, point)
            except ScenarioError as error:
                issues = [dataclasses.replace(e, file=VARY_SOURCE) for e in error.issues]
                if len(design.points) > 1:
                    note = f" (design point {i} on scenario {scenario.name})"
                    issues = [dataclasses.replace(e, message=e.message + note) for e in issues]
                raise ScenarioError(issues) from None


def _points_to_check(design: Design) -> Iterator[tuple[int, dict[str, Any]]]:
    """Yield (index, overrides) that together check every point of ``design``.

    A grid is checked section by section: the schema's rules join fields of one section
    only (``crew.patrol_qualified_fitters`` ≤ ``crew.patrol``, shifts within a day), so
    every combination of each section's values, with the other fields at their first
    value, covers every point. A grid of 1,000 × 1,000 values over two sections is checked
    in 2,000 scenarios, not a million. Other designs are checked point by point (repeated
    points once).
    """
    points = design.points
    if isinstance(points, GridPoints):
        sections: dict[str, list[int]] = {}
        for k, name in enumerate(points.fields):
            sections.setdefault(name.split(".")[0], []).append(k)
        radix = [math.prod(len(v) for v in points.values[k + 1:]) for k in range(len(points.fields))]
        for members in sections.values():
            for digits in itertools.product(*(range(len(points.values[k])) for k in members)):
                index = sum(d * radix[k] for d, k in zip(digits, members, strict=True))
                yield index, points[index]
        return
    checked: set[tuple] = set()
    for i, point in enumerate(points):
        key = tuple(sorted((k, repr(v)) for k, v in point.items()))
        if key not in checked:
            checked.add(key)
            yield i, point
