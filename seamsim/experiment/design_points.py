"""The :class:`Design` of an experiment: its points (override dicts), kind and sampled ranges.

A grid's points are a :class:`GridPoints`, computed when asked for; other designs hold
their points. The designs themselves are built in :mod:`seamsim.experiment.grid_design`
and :mod:`seamsim.experiment.sampled_designs`.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from seamsim.experiment.vary import FieldInfo, field_info

__all__ = ["MANIFEST_POINTS_MAX", "Design", "GridPoints", "as_design", "coerced_value", "no_design", "points"]

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


def coerced_value(info: FieldInfo, value: Any) -> Any:
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
    coerced = tuple({f: coerced_value(infos[f], row[f]) for f in fields} for row in rows)
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
