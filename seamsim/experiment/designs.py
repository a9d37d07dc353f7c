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

This module builds a design from a spec (:func:`design_from_spec`) and counts its points
without building it (:func:`design_size`). The :class:`Design` itself lives in
:mod:`seamsim.experiment.design_points`, :func:`grid` in :mod:`seamsim.experiment.grid_design`,
the SALib samplers in :mod:`seamsim.experiment.sampled_designs` and
:func:`~seamsim.experiment.design_validation.validate_design` in
:mod:`seamsim.experiment.design_validation`. The fields a design can vary and the parsing
of ``--vary`` live in :mod:`seamsim.experiment.vary`; :func:`sensitivity`, which analyses a
Sobol or Morris experiment with SALib on the *replication means* of each point, lives in
:mod:`seamsim.experiment.sensitivity_analysis`. The builders, ``parse_vary`` and
``sensitivity`` are importable from here too.

Examples
--------
>>> d = grid({"seam.height_m": [0.7, 0.8], "machine.cutting_power_kw": "400:800:5"})
>>> len(d), d.fields
(10, ('seam.height_m', 'machine.cutting_power_kw'))
>>> d.points[1]
{'seam.height_m': 0.7, 'machine.cutting_power_kw': 500.0}
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from seamsim.experiment.design_points import Design
from seamsim.experiment.grid_design import grid, grid_value_count
from seamsim.experiment.kinds import DESIGN_KINDS, SOBOL_DEFAULT_N
from seamsim.experiment.sampled_designs import latin_hypercube, morris, sobol
from seamsim.experiment.sensitivity_analysis import sensitivity
from seamsim.experiment.vary import Range, field_info, parse_vary

__all__ = [
    "DESIGN_KINDS",
    "Design",
    "Range",
    "design_from_spec",
    "design_size",
    "field_info",
    "grid",
    "latin_hypercube",
    "morris",
    "parse_vary",
    "sensitivity",
    "sobol",
]


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
        return math.prod(grid_value_count(field_info(path), value) for path, value in spec.items())
    if kind == "lhs":
        return int(samples or 10 * d)
    if kind == "sobol":
        return int(samples or SOBOL_DEFAULT_N) * (2 * d + 2 if second_order else d + 2)
    if kind == "morris":
        return int(samples or 10) * (d + 1)
    raise ValueError(f"unknown design {kind!r}; choose one of {', '.join(DESIGN_KINDS)}")
