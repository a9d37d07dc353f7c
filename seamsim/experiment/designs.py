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

:func:`sensitivity` analyses a Sobol or Morris experiment with SALib on the *replication
means* of each point and returns the indices with their 95 % confidence intervals.

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
import re
import types
import typing
import warnings
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from pydantic import BaseModel

from seamsim.scenario import Issue, Scenario, ScenarioError, apply_overrides, parse_overrides

__all__ = [
    "DESIGN_KINDS",
    "Design",
    "FieldInfo",
    "Range",
    "design_from_spec",
    "field_info",
    "grid",
    "latin_hypercube",
    "morris",
    "parse_vary",
    "points",
    "sensitivity",
    "sobol",
]

DESIGN_KINDS = ("grid", "lhs", "sobol", "morris")
"""Designs that :func:`design_from_spec` (and ``seamsim sweep --design``) builds."""

VARY_SOURCE = "--vary"
"""The ``file`` of an :class:`~seamsim.scenario.Issue` about a varied field."""

Value = bool | int | float | str | None


# --------------------------------------------------------------------------------------
# Fields of the schema
# --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class FieldInfo:
    """What a design needs to know about one scenario field.

    Attributes
    ----------
    path : str
        Dotted path, e.g. ``"seam.height_m"``.
    kind : {"float", "int", "bool", "choice", "text"}
        How values are sampled: floats and ints from a range, the others only listed.
    choices : tuple
        Allowed values of a ``choice`` field.
    lo, hi : float or None
        Schema bounds, where the field has them.
    """

    path: str
    kind: str
    choices: tuple[Any, ...] = ()
    lo: float | None = None
    hi: float | None = None

    @property
    def numeric(self) -> bool:
        """Whether a range can be sampled for this field."""
        return self.kind in ("float", "int")


def _vary_error(path: str, message: str) -> ScenarioError:
    return ScenarioError([Issue(VARY_SOURCE, None, None, path, message)])


def _as_vary_error(error: ScenarioError) -> ScenarioError:
    return ScenarioError([dataclasses.replace(i, file=VARY_SOURCE) for i in error.issues])


def field_info(path: str) -> FieldInfo:
    """Return the :class:`FieldInfo` of a dotted scenario field.

    Raises
    ------
    ScenarioError
        For an unknown field (with the same "did you mean" as ``seamsim validate``) or a
        path that names a section rather than a field.
    """
    model: type[BaseModel] = Scenario
    parts = str(path).split(".")
    if len(parts) == 1 and parts[0] in ("name", "title", "description"):
        raise _vary_error(path, "names or describes the scenario; it cannot be varied")
    for i, part in enumerate(parts):
        info = model.model_fields.get(part)
        if info is None:
            _raise_unknown(path)
        annotation = info.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            if i == len(parts) - 1:
                raise _vary_error(path, "is a section, not a field: name one of its fields")
            model = annotation
            continue
        if i != len(parts) - 1:
            _raise_unknown(path)
        return _leaf_info(path, annotation, info)
    raise _vary_error(path, "not a field")  # pragma: no cover - loop always returns


def _raise_unknown(path: str) -> typing.NoReturn:
    try:
        apply_overrides(Scenario(), {path: 0})
    except ScenarioError as error:
        raise _as_vary_error(error) from None
    raise _vary_error(path, "unknown field")  # pragma: no cover


def _leaf_info(path: str, annotation: Any, info: Any) -> FieldInfo:
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    if typing.get_origin(annotation) in (typing.Union, types.UnionType) and len(args) == 1:
        annotation = args[0]  # an optional field (``float | None``)
    lo = hi = None
    for meta in info.metadata:  # annotated-types Ge/Gt/Le/Lt
        for name in ("ge", "gt"):
            lo = getattr(meta, name, None) if getattr(meta, name, None) is not None else lo
        for name in ("le", "lt"):
            hi = getattr(meta, name, None) if getattr(meta, name, None) is not None else hi
    if typing.get_origin(annotation) is typing.Literal:
        return FieldInfo(path, "choice", tuple(typing.get_args(annotation)))
    if annotation is bool:
        return FieldInfo(path, "bool", (False, True))
    if annotation is int:
        return FieldInfo(path, "int", (), lo, hi)
    if annotation is float:
        return FieldInfo(path, "float", (), lo, hi)
    return FieldInfo(path, "text")


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


# --------------------------------------------------------------------------------------
# The design
# --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Range:
    """A numeric range ``lo:hi`` (with ``n`` values for a grid)."""

    lo: float
    hi: float
    n: int | None = None

    def __str__(self) -> str:
        return f"{self.lo:g}:{self.hi:g}" + (f":{self.n}" if self.n is not None else "")


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
    points : tuple of dict
        One override dict per point; point ``i`` is ``points[i]``.
    ranges : dict of str to (float, float)
        Sampled ranges of ``lhs``, ``sobol`` and ``morris`` designs.
    samples : tuple of tuple of float
        The sampler's raw (unrounded) values, one row per point, for the analysis.
    options : dict
        How the design was built (``n``, ``seed``, ``levels``, ``second_order``…).
    """

    kind: str
    fields: tuple[str, ...]
    points: tuple[dict[str, Any], ...]
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
        """Return a JSON-ready description (stored in ``manifest.json``)."""
        return {
            "kind": self.kind,
            "fields": list(self.fields),
            "points": [dict(p) for p in self.points],
            "ranges": {k: list(v) for k, v in self.ranges.items()},
            "samples": [list(row) for row in self.samples],
            "options": dict(self.options),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Design:
        """Rebuild a design from :meth:`to_dict`."""
        return cls(
            kind=str(data["kind"]),
            fields=tuple(data["fields"]),
            points=tuple(dict(p) for p in data["points"]),
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
# Parsing --vary
# --------------------------------------------------------------------------------------
_NUMBER = r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?"
_RANGE = re.compile(rf"^\s*({_NUMBER})\s*:\s*({_NUMBER})\s*(?::\s*(\d+)\s*)?$")

VarySpec = Range | list[Any]


def parse_values(path: str, text: str) -> VarySpec:
    """Parse the value part of ``--vary``: ``a,b,c`` (a list) or ``lo:hi[:n]`` (a range)."""
    match = _RANGE.match(text)
    if match:
        lo, hi, n = float(match.group(1)), float(match.group(2)), match.group(3)
        return Range(lo, hi, int(n) if n is not None else None)
    items = [t.strip() for t in str(text).split(",")]
    if not any(items):
        raise _vary_error(path, "no values given: write key=a,b,c or key=lo:hi:n")
    return [parse_overrides([f"{path}={item}"])[path] for item in items]


def parse_vary(items: Iterable[str]) -> dict[str, VarySpec]:
    """Parse ``--vary`` arguments into a spec for :func:`grid` and the samplers.

    Parameters
    ----------
    items : iterable of str
        ``key=a,b,c`` (listed values, read as YAML scalars) or ``key=lo:hi:n`` (``n``
        evenly spaced values from ``lo`` to ``hi``; ``key=lo:hi`` for a sampled design).

    Returns
    -------
    dict of str to Range or list
        Field path → values, in the order given.

    Raises
    ------
    ScenarioError
        For malformed items, unknown fields, or a field given twice.

    Examples
    --------
    >>> parse_vary(["seam.height_m=0.7,0.8", "machine.cutting_power_kw=400:800:5"])
    {'seam.height_m': [0.7, 0.8], 'machine.cutting_power_kw': Range(lo=400.0, hi=800.0, n=5)}
    """
    spec: dict[str, VarySpec] = {}
    issues: list[Issue] = []
    for item in items:
        key, sep, text = str(item).partition("=")
        key = key.strip()
        if not sep or not key:
            issues.append(Issue(VARY_SOURCE, None, None, "", f"expected key=a,b,c or key=lo:hi:n, got {item!r}"))
            continue
        if key in spec:
            issues.append(Issue(VARY_SOURCE, None, None, key, "given twice"))
            continue
        try:
            field_info(key)
            spec[key] = parse_values(key, text)
        except ScenarioError as error:
            issues += _as_vary_error(error).issues
    if issues:
        raise ScenarioError(issues)
    return spec


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
        ``Π nᵢ`` points; the last field varies fastest.
    """
    if not spec:
        raise ValueError("a grid needs at least one field to vary")
    infos = [field_info(path) for path in spec]
    values = [_grid_values(info, spec[info.path]) for info in infos]
    fields = tuple(info.path for info in infos)
    rows = tuple(dict(zip(fields, combo, strict=True)) for combo in itertools.product(*values))
    return Design("grid", fields, rows, options={"values": {f: v for f, v in zip(fields, values, strict=True)}})


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
        Base sample ``N``; ideally a power of two (a warning otherwise).
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
    if n < 64:
        warnings.warn(
            f"a Sobol base sample of N={n} gives wide confidence intervals on the indices; "
            "N of 512 or more is usual (check whether each interval includes 0)",
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
    ``morris`` (defaults: ``10·D``, 64 and 10); a grid ignores it.
    """
    if kind == "grid":
        return grid(spec)
    if kind == "lhs":
        return latin_hypercube(spec, samples or 10 * max(1, len(spec)), seed)
    if kind == "sobol":
        return sobol(spec, samples or 64, seed, second_order=second_order)
    if kind == "morris":
        return morris(spec, samples or 10, levels, seed)
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
        checked: set[tuple] = set()
        for i, point in enumerate(design.points):
            key = tuple(sorted((k, repr(v)) for k, v in point.items()))
            if key in checked:
                continue
            checked.add(key)
            try:
                apply_overrides(scenario, point)
            except ScenarioError as error:
                issues = [dataclasses.replace(e, file=VARY_SOURCE) for e in error.issues]
                if len(design.points) > 1:
                    note = f" (design point {i} on scenario {scenario.name})"
                    issues = [dataclasses.replace(e, message=e.message + note) for e in issues]
                raise ScenarioError(issues) from None


# --------------------------------------------------------------------------------------
# Sensitivity analysis
# --------------------------------------------------------------------------------------
def sensitivity(
    result: Any,
    kpi: str = "rom_t_per_month",
    *,
    scenario: str | None = None,
    num_resamples: int = 1000,
    seed: int = 0,
) -> pd.DataFrame:
    """Return Sobol or Morris sensitivity indices of ``kpi`` with 95 % confidence intervals.

    The analysis runs on the *replication mean* of each design point, so simulation noise
    is averaged out before it reaches the indices (it still widens their intervals: an
    index whose interval includes 0 may be 0).

    Parameters
    ----------
    result : ExperimentResult
        An experiment run on a :func:`sobol` or :func:`morris` design.
    kpi : str, optional
        The KPI column (``rom_t_per_month``).
    scenario : str, optional
        Analyse this scenario only (default: every scenario, one block each).
    num_resamples : int, optional
        Bootstrap resamples for the intervals.
    seed : int, optional
        Seed of the bootstrap.

    Returns
    -------
    DataFrame
        Sobol: ``scenario, kpi, field, S1, S1_ci95_lo, S1_ci95_hi, ST, ST_ci95_lo,
        ST_ci95_hi`` per field (and, with second order, rows ``"a × b"`` with ``S2,
        S2_ci95_lo, S2_ci95_hi``). Morris: ``scenario, kpi, field, mu, mu_star,
        mu_star_ci95_lo, mu_star_ci95_hi, sigma``.
    """
    design: Design = result.design
    if design.kind not in ("sobol", "morris"):
        raise ValueError(f"sensitivity needs a sobol or morris design, not {design.kind!r}")
    runs = result.runs
    if kpi not in runs.columns:
        raise ValueError(f"unknown KPI {kpi!r}")
    names = [scenario] if scenario is not None else list(result.scenarios)
    frames = []
    for name in names:
        sub = runs[runs["scenario"] == name]
        means = sub.groupby("point", sort=True)[kpi].mean().reindex(range(len(design)))
        missing = means.index[means.isna()].tolist()
        if missing:
            raise ValueError(
                f"{kpi} of scenario {name} has no value at design points {missing[:10]}"
                + (" …" if len(missing) > 10 else "")
                + ": the analysis needs every point (did runs fail or was the experiment stopped?)"
            )
        y = means.to_numpy(dtype=float)
        table = _analyse(design, y, num_resamples, seed)
        table.insert(0, "kpi", kpi)
        table.insert(0, "scenario", name)
        frames.append(table)
    return pd.concat(frames, ignore_index=True)


def _analyse(design: Design, y: np.ndarray, num_resamples: int, seed: int) -> pd.DataFrame:
    problem = design.problem()
    fields = list(design.fields)
    if np.ptp(y) == 0:
        warnings.warn("the KPI does not vary over the design: its indices are undefined", stacklevel=3)
        cols = ["S1", "ST"] if design.kind == "sobol" else ["mu", "mu_star", "sigma"]
        return pd.DataFrame({"field": fields, **{c: np.nan for c in cols}})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        if design.kind == "sobol":
            from SALib.analyze import sobol as sobol_analyze

            second = bool(design.options.get("second_order", False))
            s = sobol_analyze.analyze(
                problem, y, calc_second_order=second, num_resamples=num_resamples,
                conf_level=0.95, seed=seed,
            )
            table = pd.DataFrame({"field": fields})
            for index in ("S1", "ST"):
                table[index] = s[index]
                table[f"{index}_ci95_lo"] = s[index] - s[f"{index}_conf"]
                table[f"{index}_ci95_hi"] = s[index] + s[f"{index}_conf"]
            if second:
                rows = []
                for i, j in itertools.combinations(range(len(fields)), 2):
                    value, conf = s["S2"][i, j], s["S2_conf"][i, j]
                    rows.append({"field": f"{fields[i]} × {fields[j]}", "S2": value,
                                 "S2_ci95_lo": value - conf, "S2_ci95_hi": value + conf})
                table = pd.concat([table, pd.DataFrame(rows)], ignore_index=True)
            return table
        from SALib.analyze import morris as morris_analyze

        x = np.asarray(design.samples, dtype=float)
        s = morris_analyze.analyze(
            problem, x, y, num_resamples=num_resamples, conf_level=0.95,
            num_levels=int(design.options.get("levels", 4)), seed=seed,
        )
        return pd.DataFrame({
            "field": fields,
            "mu": np.asarray(s["mu"], dtype=float),
            "mu_star": np.asarray(s["mu_star"], dtype=float),
            "mu_star_ci95_lo": np.asarray(s["mu_star"], dtype=float) - np.asarray(s["mu_star_conf"], dtype=float),
            "mu_star_ci95_hi": np.asarray(s["mu_star"], dtype=float) + np.asarray(s["mu_star_conf"], dtype=float),
            "sigma": np.asarray(s["sigma"], dtype=float),
        })
