"""The names of the experiment layer's choices, importable without its heavy modules.

The CLI builds its argument choices from these (``--executor``, ``--design``), so the
parser and the experiment layer cannot disagree, and ``seamsim --help`` stays fast.
"""

from __future__ import annotations

EXECUTORS: tuple[str, ...] = ("serial", "processes", "dask")
"""Where runs execute: this process, a local process pool, or a Dask cluster."""

DESIGN_KINDS: tuple[str, ...] = ("grid", "lhs", "sobol", "morris")
"""Designs that :func:`seamsim.experiment.designs.design_from_spec` (and ``seamsim sweep --design``) builds."""

SOBOL_DEFAULT_N = 512
"""Base sample ``N`` of a Sobol design when none is given (``seamsim sweep --design sobol``):
the size usually recommended for indices whose intervals are narrow enough to rank the
fields; check with the convergence table of ``seamsim analyse``."""

SOBOL_MIN_N = 256
"""Below this base sample a Sobol design warns that its indices will be too uncertain."""
