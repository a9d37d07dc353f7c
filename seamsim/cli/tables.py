"""KPI numbers and plain-text tables for the terminal."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from seamsim.experiment.kpis import kpi_of

KPI_FOOTNOTES: dict[str, str] = {
    "min_clearance_mm": (
        "min_clearance_mm is the least spare clearance met anywhere in the run (the worst spot: a "
        "thin patch, roof convergence); `seamsim inspect` shows the nominal spare clearance"
    ),
}
"""Lines printed under a KPI table that shows these KPIs."""


def fmt(value: Any, *, signed: bool = False) -> str:
    """Format a KPI value with precision that suits its size; ``—`` for missing."""
    try:
        x = float(value)
    except (TypeError, ValueError):
        return "—"
    if math.isnan(x):
        return "—"
    if math.isinf(x):
        return "∞" if x > 0 else "-∞"
    sign = "+" if signed else ""
    magnitude = abs(x)
    if magnitude >= 1000:
        spec = ",.0f"
    elif magnitude >= 100:
        spec = ".1f"
    elif magnitude >= 1 or x == 0:
        spec = ".2f"
    else:
        spec = ".3f"
    return format(x, sign + spec)


def fmt_ci(lo: Any, hi: Any, *, signed: bool = False) -> str:
    """Format an interval as ``[lo … hi]`` (``—`` when undefined, e.g. one replication)."""
    if fmt(lo) == "—" or fmt(hi) == "—":
        return "—"
    return f"[{fmt(lo, signed=signed)} … {fmt(hi, signed=signed)}]"


def render_table(header: Sequence[str], rows: Sequence[Sequence[str]], right: Sequence[bool] | None = None) -> str:
    """Return a plain-text table with aligned columns (two spaces between)."""
    cells = [list(map(str, header)), *[list(map(str, r)) for r in rows]]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    right = list(right) if right is not None else [False] + [True] * (len(header) - 1)
    lines = []
    for row in cells:
        parts = [c.rjust(w) if r else c.ljust(w) for c, w, r in zip(row, widths, right, strict=True)]
        lines.append("  ".join(parts).rstrip())
    return "\n".join(lines)


def kpi_label(kpi: str) -> str:
    """Return ``kpi [unit, note]`` for a table, from the KPI table (raw column units)."""
    entry = kpi_of(kpi)
    parts = [u for u in (entry.column_unit, entry.note) if u]
    return f"{kpi} [{', '.join(parts)}]" if parts else kpi


def kpi_footnotes(kpis: Sequence[str]) -> list[str]:
    """Return the notes (:data:`KPI_FOOTNOTES`) of the KPIs shown in a table."""
    return [KPI_FOOTNOTES[k] for k in kpis if k in KPI_FOOTNOTES]
