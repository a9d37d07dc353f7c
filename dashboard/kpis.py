"""How KPI columns are shown to people: labels, units, number formats and which way is better.

:data:`KPIS` describes the known columns of ``RunResult.summary``; :func:`kpi` also makes a
plain :class:`Kpi` for the per-state time and per-limit share columns and anything unknown.
:data:`HEADLINE_KPIS` and :data:`COMPARE_KPIS` are the sets the pages show.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

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


KPIS: dict[str, Kpi] = {
    k.key: k
    for k in (
        Kpi("rom_t_per_month", "Monthly output (run-of-mine)", "t/month"),
        Kpi("coal_t_per_month", "Monthly coal", "t/month"),
        Kpi("running_ratio", "Running ratio", "%", ".0f", 100.0),
        Kpi("t_per_worker_shift", "Tonnes per worker-shift", "t", ",.1f"),
        Kpi("kwh_per_t", "Energy per tonne", "kWh/t", ".2f", higher_is_better=False),
        Kpi("spare_clearance_mm", "Spare clearance", "mm", "+.0f"),
        Kpi("voltage_drop_pct", "Voltage drop", "%", ".1f", higher_is_better=False),
        Kpi("cuts_per_day", "Cuts per day", "", ".1f"),
        Kpi("face_advance_m", "Face advance", "m", ",.0f"),
        Kpi("rom_t", "Run-of-mine", "t"),
        Kpi("coal_t", "Coal", "t"),
        Kpi("rock_t", "Rock cut", "t", higher_is_better=False),
        Kpi("rock_share", "Rock in the output", "%", ".1f", 100.0, higher_is_better=False),
        Kpi("energy_kwh", "Energy", "kWh", higher_is_better=None),
        Kpi("cable_loss_kwh", "Cable losses", "kWh", higher_is_better=False),
        Kpi("min_clearance_mm", "Least clearance met", "mm", "+.0f"),
        Kpi("line_current_a", "Line current drawn (cutting)", "A", higher_is_better=False),
        Kpi("start_dip_pct", "Start dip", "%", ".1f", higher_is_better=False),
        Kpi("cable_loading_pct", "Cable loading", "%", higher_is_better=False),
        Kpi("crew_per_shift", "Crew per production shift", "people", higher_is_better=False),
        Kpi("jams", "Jams", "", ".0f", higher_is_better=False),
        Kpi("ash_pct", "Ash in the run-of-mine", "%", ".1f", higher_is_better=False),
        Kpi("kwh_per_t_coal", "Energy per tonne of coal", "kWh/t", ".2f", higher_is_better=False),
        Kpi("pick_changes", "Pick changes", "", ".0f", higher_is_better=False),
        Kpi("picks_per_kt_coal", "Picks per kt of coal", "", ".1f", higher_is_better=False),
        Kpi("machine_height_mm", "Machine height", "mm", ",.0f", higher_is_better=False),
        Kpi("rated_current_a", "Rated current", "A", higher_is_better=False),
        Kpi("peak_current_a", "Peak current drawn", "A", higher_is_better=False),
        Kpi("electrical_trip_mtbf_h", "Hours between electrical trips", "h", ",.1f"),
        Kpi("face_air_c", "Face air", "°C", ".1f", higher_is_better=False),
    )
}
"""Known KPI columns of ``RunResult.summary`` and how to show them."""

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
    """Return the :class:`Kpi` of ``key`` (a plain one for unknown columns)."""
    if key in KPIS:
        return KPIS[key]
    if key.startswith("time_") and key.endswith("_h"):
        return Kpi(key, "Time " + key[5:-2].replace("_", " "), "h", ",.1f", higher_is_better=None)
    if key.startswith("limit_share_"):
        return Kpi(key, "Bound by " + key[12:], "%", ".0f", 100.0, higher_is_better=None)
    return Kpi(key, key.replace("_", " "), "", ",.3g", higher_is_better=None)
