"""Sampled designs (SALib): :func:`latin_hypercube`, :func:`sobol` and :func:`morris`.

Numeric fields only, each over a range ``lo:hi``; a categorical field can only be varied in
a :func:`~seamsim.experiment.grid_design.grid`.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from seamsim.experiment.design_points import Design, coerced_value
from seamsim.experiment.kinds import SOBOL_DEFAULT_N, SOBOL_MIN_N
from seamsim.experiment.vary import FieldInfo, Range, _vary_error, field_info, parse_values

__all__ = ["latin_hypercube", "morris", "sobol"]


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
        {info.path: coerced_value(info, float(v)) for info, v in zip(infos, row, strict=True)} for row in x
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
