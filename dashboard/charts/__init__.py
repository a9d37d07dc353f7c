"""Plotly figure builders: pure functions of DataFrames and dicts, no Streamlit.

Every chart of the dashboard is built in this package so that it can be tested without a
browser and reused in notebooks. Names of traces are stable (tests look for them); colours
of states and speed limits are the same on every chart (``seamsim.report.palette``).

One module per subject, their builders listed here (``charts.cross_section`` …):

- ``style`` — scenario colours, the house layout, small helpers;
- ``cross_section`` — the height stack at the canopy tip, to scale;
- ``position`` — the shearer's position along the face over time;
- ``tonnage`` — cumulative tonnes and their distribution over replications;
- ``time_and_limits`` — where the time goes, what holds the face back;
- ``comparisons`` — KPI bars, paired differences, the decomposition waterfall;
- ``sweep_results`` — a KPI along one or two varied fields, the feasible region.
"""

from __future__ import annotations

from dashboard.charts.comparisons import (
    PANEL_TITLE_CHARS,
    kpi_bars,
    paired_differences_chart,
    waterfall,
)
from dashboard.charts.cross_section import PAN_HEIGHT_MM, common_detail_range, cross_section
from dashboard.charts.position import position_over_time
from dashboard.charts.style import RUNNING_STATES, SCENARIO_COLORS, scenario_color
from dashboard.charts.sweep_results import feasible_region, heatmap, sweep_line
from dashboard.charts.time_and_limits import (
    limit_shares_compare,
    time_breakdown,
    time_breakdown_compare,
    what_holds_back,
)
from dashboard.charts.tonnage import cumulative_tonnage, tonnage_distribution
from seamsim.report.palette import (  # one colour per state and limit on every chart
    LIMIT_COLORS,
    LIMIT_LABELS,
    STATE_COLORS,
    STATE_LABELS,
    limit_label,
    state_label,
)

__all__ = [
    "LIMIT_COLORS",
    "LIMIT_LABELS",
    "PANEL_TITLE_CHARS",
    "PAN_HEIGHT_MM",
    "RUNNING_STATES",
    "SCENARIO_COLORS",
    "STATE_COLORS",
    "STATE_LABELS",
    "common_detail_range",
    "cross_section",
    "cumulative_tonnage",
    "feasible_region",
    "heatmap",
    "kpi_bars",
    "limit_shares_compare",
    "limit_label",
    "paired_differences_chart",
    "position_over_time",
    "scenario_color",
    "state_label",
    "sweep_line",
    "time_breakdown",
    "time_breakdown_compare",
    "tonnage_distribution",
    "waterfall",
    "what_holds_back",
]
