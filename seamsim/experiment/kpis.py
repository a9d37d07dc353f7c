"""The KPI table: every column of a run's summary once, with its label, unit, kind and help.

One table, read by the experiment layer (column order, statistics that respect the
quantity), the CLI (units and notes in tables), the dashboard (cards, labels, "?" help,
which way is better) and the docs. A run's summary (``RunResult.summary``) has exactly the
keys of :func:`kpi_keys`: the KPIs below, one ``time_<state>_h`` per recorder state and one
``limit_share_<limit>`` per speed limit (a test checks it).

Kinds (:data:`KIND_SHARE`, :data:`KIND_PERCENT`, :data:`KIND_AMOUNT`, :data:`KIND_SIGNED`)
say how a KPI is treated by the statistics: a share is shown ×100 as %, differences of
shares and percentages are percentage points, amounts cannot be negative (their intervals
do not go below zero), signed quantities get a plain t interval.

Examples
--------
>>> KPIS["rom_t_per_month"].unit, KPIS["running_ratio"].kind
('t/month', 'share')
>>> kpi_of("time_cutting_h").label
'Time cutting'
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "KIND_AMOUNT",
    "KIND_PERCENT",
    "KIND_SHARE",
    "KIND_SIGNED",
    "KPIS",
    "MAIN_KPIS",
    "Kpi",
    "kpi_keys",
    "kpi_of",
]

KIND_SHARE = "share"
"""A fraction 0–1 (running ratio, rock share): shown ×100 as %, differences in percentage points."""
KIND_PERCENT = "percent"
"""A value already in % (ash, voltage drop, cable loading): differences in percentage points."""
KIND_AMOUNT = "amount"
"""A quantity that cannot be negative (tonnes, kWh, people, counts, heights, hours)."""
KIND_SIGNED = "signed"
"""A quantity that can be negative (spare clearance): a t interval, no relative change."""


@dataclass(frozen=True)
class Kpi:
    """One column of a run's summary.

    Attributes
    ----------
    key : str
        Column name (units in the name: ``rom_t_per_month``).
    label : str
        People's name (``Monthly output (run-of-mine)``).
    unit : str
        Unit as shown (``t/month``; ``%`` for shares, which are shown ×100).
    kind : str
        ``share``, ``percent``, ``amount`` or ``signed``.
    higher_is_better : bool or None
        Which way is better; ``None`` where neither is.
    help : str
        One or two plain sentences for a "?" and the docs.
    fmt : str
        Number format of the shown value (after ``scale``).
    scale : float
        Factor from the column to the shown value (100 for shares).
    note : str
        A word after the unit where the KPI is easily misread (``worst spot``).
    """

    key: str
    label: str
    unit: str
    kind: str
    higher_is_better: bool | None
    help: str
    fmt: str = ",.0f"
    scale: float = 1.0
    note: str = ""

    @property
    def column_unit(self) -> str:
        """Unit of the raw column (a share is a fraction 0–1 there, so it has none)."""
        return "" if self.kind == KIND_SHARE else self.unit

    @property
    def title(self) -> str:
        """Label with the unit, e.g. ``Monthly output (run-of-mine) [t/month]``."""
        return f"{self.label} [{self.unit}]" if self.unit else self.label


def _k(key, label, unit, kind, better, help_text, fmt=",.0f", scale=1.0, note="") -> Kpi:
    return Kpi(key, label, unit, kind, better, help_text, fmt, scale, note)


_A, _S, _P, _X = KIND_AMOUNT, KIND_SHARE, KIND_PERCENT, KIND_SIGNED

KPIS: dict[str, Kpi] = {k.key: k for k in (
    _k("rom_t_per_month", "Monthly output (run-of-mine)", "t/month", _A, True,
       "Everything the shearer cuts and loads, coal and rock, scaled to a 30-day month."),
    _k("coal_t_per_month", "Monthly coal", "t/month", _A, True,
       "The coal in the run-of-mine, scaled to a 30-day month: what is sold after washing."),
    _k("rom_t", "Run-of-mine", "t", _A, True, "Coal and rock loaded over the run."),
    _k("coal_t", "Coal", "t", _A, True, "Coal loaded over the run."),
    _k("rock_t", "Rock cut", "t", _A, False,
       "Roof or floor rock cut where the machine is taller than the open seam; it dilutes the coal."),
    _k("ash_pct", "Ash in the run-of-mine", "%", _P, False,
       "Ash of the run-of-mine: the coal's own ash plus the rock cut with it.", ".1f"),
    _k("pick_changes", "Pick changes", "", _A, False,
       "Stops to change worn picks on the drums; rock wears picks far faster than coal.", ".0f"),
    _k("picks_used", "Picks used", "", _A, False, "Picks changed over the run.", ".0f"),
    _k("picks_per_kt_coal", "Picks per kt of coal", "", _A, False, "Picks used per thousand tonnes of coal.", ".1f"),
    _k("machine_height_mm", "Machine height", "mm", _A, False,
       "Body height of the shearer over the conveyor; derived from power and voltage when height_mode is derived.",
       ",.0f"),
    _k("cuts", "Cuts", "", _A, True, "Webs cut over the whole face length.", ".0f"),
    _k("cuts_per_day", "Cuts per day", "", _A, True, "Webs cut over the whole face length per day.", ".1f"),
    _k("face_advance_m", "Face advance", "m", _A, True, "How far the face moved forward over the run."),
    _k("running_ratio", "Running ratio", "%", _S, True,
       "Share of the production shifts' time the shearer is cutting, sumping or flitting [S17].", ".0f", 100.0),
    _k("t_per_worker_shift", "Tonnes per worker-shift", "t", _A, True,
       "Run-of-mine per person-shift of the face crew (production and maintenance shifts).", ",.1f"),
    _k("worker_shifts", "Worker-shifts", "", _A, False, "Person-shifts worked at the face over the run.", ",.0f"),
    _k("energy_kwh", "Energy", "kWh", _A, None, "Energy drawn by the shearer, cable losses included."),
    _k("kwh_per_t", "Energy per tonne", "kWh/t", _A, False, "Shearer energy per tonne of run-of-mine.", ".2f"),
    _k("kwh_per_t_coal", "Energy per tonne of coal", "kWh/t", _A, False, "Shearer energy per tonne of coal.", ".2f"),
    _k("cable_loss_kwh", "Cable losses", "kWh", _A, False, "Energy lost as heat in the trailing cable."),
    _k("min_clearance_mm", "Least clearance met", "mm", _X, True,
       "The least spare clearance met anywhere in the run (the worst spot: a thin patch, roof convergence); "
       "seamsim inspect shows the nominal one.", "+.0f", note="worst spot"),
    _k("rock_share", "Rock in the output", "%", _S, False, "Share of the run-of-mine that is rock.", ".1f", 100.0),
    _k("line_current_a", "Line current drawn (cutting)", "A", _A, False,
       "Mean current in the trailing cable while cutting, from the power actually drawn."),
    _k("peak_current_a", "Peak current drawn", "A", _A, False, "Highest current drawn on any stretch of a pass."),
    _k("rated_current_a", "Rated current", "A", _A, False,
       "Current at the installed power: the higher the voltage, the lower the current for the same power."),
    _k("electrical_trip_mtbf_h", "Hours between electrical trips", "h", _A, True,
       "Operating hours between trips of the supply (undervoltage, voltage drop, overload), time-weighted.", ",.1f"),
    _k("jams", "Jams", "", _A, False,
       "Shields where the body stalled because the drums could not take enough rock.", ".0f"),
    _k("jam_stops", "Jam stops", "", _A, False, "Stops to free a stalled body (one per tight stretch).", ".0f"),
    _k("failures_shearer", "Shearer failures", "", _A, False, "Breakdowns of the shearer.", ".0f"),
    _k("failures_conveyor", "Conveyor failures", "", _A, False, "Breakdowns of the armoured face conveyor.", ".0f"),
    _k("failures_shields", "Shield failures", "", _A, False, "Breakdowns of shields (hoses, valves, legs).", ".0f"),
    _k("failures_electrical", "Electrical trips", "", _A, False, "Trips of the shearer supply.", ".0f"),
    _k("voltage_drop_pct", "Voltage drop", "%", _P, False,
       "Running voltage drop along the trailing cable at rated current, as a share of the supply voltage.", ".1f"),
    _k("start_dip_pct", "Start dip", "%", _P, False,
       "How far the voltage dips while a cutting motor starts (cable and transformer).", ".1f"),
    _k("cable_loading_pct", "Cable loading", "%", _P, False, "Design current as a share of the cable's rating.",
       ".0f"),
    _k("spare_clearance_mm", "Spare clearance", "mm", _X, True,
       "Space between the machine body and the canopy at the mean seam height and nominal convergence; "
       "negative means rock must be cut.", "+.0f"),
    _k("rock_reach_mm", "Rock reach", "mm", _A, True, "Most rock the drums can take in one pass.", ",.0f"),
    _k("face_air_c", "Face air", "°C", _X, False, "Mean air temperature at the face; handwork slows above 26 °C.",
       ".1f"),
    _k("crew_per_shift", "Crew per production shift", "people", _A, False, "People at the face on a production shift.",
       ".0f"),
    _k("supply_voltage_v", "Supply voltage", "V", _A, None, "Nominal voltage of the shearer supply.", ",.0f"),
    _k("days", "Days simulated", "d", _A, None, "Length of the run.", ",.1f"),
)}
"""Every KPI of a run's summary besides the per-state times and per-limit shares."""

MAIN_KPIS: tuple[str, ...] = (
    "rom_t_per_month",
    "coal_t_per_month",
    "coal_t",
    "rock_t",
    "ash_pct",
    "pick_changes",
    "machine_height_mm",
    "cuts_per_day",
    "face_advance_m",
    "running_ratio",
    "t_per_worker_shift",
    "kwh_per_t",
    "energy_kwh",
    "cable_loss_kwh",
    "min_clearance_mm",
    "line_current_a",
    "voltage_drop_pct",
    "start_dip_pct",
)
"""The KPIs shown first (and compared) everywhere; every other KPI follows, by name."""


def kpi_of(key: str) -> Kpi:
    """Return the KPI of a summary column, including ``time_<state>_h`` and ``limit_share_<limit>``.

    An unknown column gets a plain entry (its name as label, signed, no unit).
    """
    if key in KPIS:
        return KPIS[key]
    if key.startswith("time_") and key.endswith("_h"):
        state = key.removeprefix("time_").removesuffix("_h").replace("_", " ")
        return Kpi(key, f"Time {state}", "h", KIND_AMOUNT, None, f"Hours spent {state} over the run.", ",.1f")
    if key.startswith("limit_share_"):
        limit = key.removeprefix("limit_share_")
        return Kpi(key, f"Speed limited by {limit}", "%", KIND_SHARE, None,
                   f"Share of the distance cut where the {limit} limit set the speed.", ".0f", 100.0)
    return Kpi(key, key, "", KIND_SIGNED, None, "")


def kpi_keys(states: tuple[str, ...], limits: tuple[str, ...]) -> tuple[str, ...]:
    """Return the columns of a run's summary, main KPIs first, for the model's states and limits.

    Parameters
    ----------
    states : tuple of str
        The recorder's states (``seamsim.STATES``).
    limits : tuple of str
        The speed limits (``seamsim.LIMIT_NAMES``).
    """
    rest = sorted(k for k in KPIS if k not in MAIN_KPIS)
    return (*MAIN_KPIS, *rest, *(f"time_{s}_h" for s in states), *(f"limit_share_{n}" for n in limits))
