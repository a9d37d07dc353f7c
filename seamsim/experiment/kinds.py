"""The names of the experiment layer's choices, importable without its heavy modules.

The CLI builds its argument choices from these (``--executor``, ``--design``), so the
parser and the experiment layer cannot disagree, and ``seamsim --help`` stays fast.
"""

from __future__ import annotations

EXECUTORS: tuple[str, ...] = ("serial", "processes", "dask")
"""Where runs execute: this process, a local process pool, or a Dask cluster."""

DESIGN_KINDS: tuple[str, ...] = ("grid", "lhs", "sobol", "morris")
"""Designs that :func:`seamsim.experiment.designs.design_from_spec` (and ``seamsim sweep --design``) builds."""
