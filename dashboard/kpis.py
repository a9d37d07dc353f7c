"""How KPI columns are shown to people: labels, units, number formats and which way is better.

:data:`KPIS` shows the known columns of ``RunResult.summary`` as the experiment layer's KPI
table describes them (label, unit, format, direction, help); :func:`kpi` also covers the
per-state time and per-limit share columns and anything unknown.
:data:`HEADLINE_KPIS` and :data:`COMPARE_KPIS` are the sets the pages show.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from seamsim.experiment.kpis import KPIS as KPI_TABLE
from seamsim.experiment.kpis import Kpi as KpiEntry
from seamsim.experiment.kpis import kpi_of
from seamsim.experiment.stats import in_points, quantity_kind

__all__ = [
    "COMPARE_KPIS",
    "HEADLINE_KPIS",
    "KPIS",
    "Kpi",
    "kpi",
]


@dataclass(frozen=True)
class Kpi:
    """How a KPI column is shown to people."""

    key: str
    label: str
    unit: str
    fmt: str = ",.0f"
    scale: float = 1.0
    higher_is_better: bool | None = True
    help: str = ""

    def format(self, value: float | None, *, signed: bool = False) -> str:
        """Return ``value`` scaled, formatted and with its unit; ``—`` when missing."""
        if value is None or not np.isfinite(value):
            return "—"
        spec = self.fmt.lstrip("+")
        text = format(value * self.scale, ("+" if signed or self.fmt.startswith("+") else "") + spec)
        return f"{text} {self.unit}".rstrip()

    @property
    def kind(self) -> str:
        """What kind of number this is (``share``, ``percent``, ``amount``, ``signed``)."""
        return quantity_kind(self.key)

    def format_difference(self, value: float | None) -> str:
        """Return a difference of this KPI, signed; in percentage points (``pp``) for shares
        and percentages (a running ratio from 40 % to 89 % is ``+49 pp``, not ``+49 %``)."""
        if value is None or not np.isfinite(value):
            return "—"
        if in_points(self.kind):
            spec = self.fmt.lstrip("+").replace(",", "")
            return f"{format(value * self.scale, '+' + spec)} pp"
        return self.format(value, signed=True)

    @property
    def title(self) -> str:
        """Label with the unit, e.g. ``Monthly output [t/month]``."""
        return f"{self.label} [{self.unit}]" if self.unit else self.label


def _shown(entry: KpiEntry) -> Kpi:
    return Kpi(entry.key, entry.label, entry.unit, entry.fmt, entry.scale, entry.higher_is_better, entry.help)


KPIS: dict[str, Kpi] = {key: _shown(entry) for key, entry in KPI_TABLE.items()}
"""Known KPI columns of ``RunResult.summary`` and how to show them (from the experiment
layer's KPI table, :mod:`seamsim.experiment.kpis`)."""

HEADLINE_KPIS: tuple[str, ...] = (
    "rom_t_per_month",
    "coal_t_per_month",
    "ash_pct",
    "running_ratio",
    "t_per_worker_shift",
    "kwh_per_t",
    "spare_clearance_mm",
    "voltage_drop_pct",
)
"""The KPI cards of the Explore page, in order."""

COMPARE_KPIS: tuple[str, ...] = (
    "rom_t_per_month",
    "coal_t_per_month",
    "ash_pct",
    "pick_changes",
    "machine_height_mm",
    "running_ratio",
    "t_per_worker_shift",
    "cuts_per_day",
    "kwh_per_t",
    "rock_share",
    "crew_per_shift",
    "spare_clearance_mm",
    "voltage_drop_pct",
    "line_current_a",
)
"""KPIs shown side by side on the Compare and History pages."""


def kpi(key: str) -> Kpi:
    """Return the :class:`Kpi` of ``key`` (time, limit and unknown columns included)."""
    return KPIS[key] if key in KPIS else _shown(kpi_of(key))
