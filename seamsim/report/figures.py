"""The figures of the comparison report: plotly, white, large type, sized for A4 and projectors.

Each function takes a :class:`~seamsim.report.comparison.ComparisonReport` (or one of its
results) and returns a ``plotly.graph_objects.Figure``; state and limit colours are those of
every other chart (:mod:`seamsim.report.palette`).
"""

from __future__ import annotations

import math
from typing import Any

from seamsim.report.palette import LIMIT_COLORS, OTHER_COLOR, STATE_COLORS, limit_label, state_label

__all__ = [
    "SCENARIO_COLORS",
    "limit_shares_figure",
    "order_free_figure",
    "time_breakdown_figure",
    "tonnage_figure",
    "waterfall_figure",
]

SCENARIO_COLORS: tuple[str, ...] = (
    "#6d4c41", "#1565c0", "#2e7d32", "#c62828", "#7b1fa2", "#00838f", "#ef6c00", "#455a64",
)
"""Colours of scenarios, in order (as on the dashboard)."""

_FONT = {"family": "Arial, Helvetica, sans-serif", "size": 16, "color": "#212121"}


def _label(scenario: Any) -> str:
    text = scenario.title or scenario.name
    return text if len(text) <= 48 else text[:46] + "…"


def _styled(fig: Any, title: str, *, height: int, legend: bool = True) -> Any:
    fig.update_layout(
        title={"text": title, "x": 0.0, "xanchor": "left", "font": {"size": 20}},
        template="plotly_white", font=_FONT, height=height, showlegend=legend,
        margin={"l": 20, "r": 30, "t": 60, "b": 60},
        legend={"orientation": "h", "yanchor": "top", "y": -0.18, "x": 0.0, "font": {"size": 14}},
    )
    fig.update_yaxes(automargin=True)
    fig.update_xaxes(automargin=True)
    return fig


def tonnage_figure(report: Any) -> Any:
    """Monthly run-of-mine output of every replication, one box per scenario."""
    import plotly.graph_objects as go

    runs = report.comparison.experiment.runs
    fig = go.Figure()
    for i, sc in enumerate(report.scenarios):
        values = runs.loc[runs["scenario"] == sc.name, "rom_t_per_month"].astype(float)
        fig.add_trace(go.Box(x=values, name=_label(sc), boxpoints="all", jitter=0.4, pointpos=0,
                             marker={"color": SCENARIO_COLORS[i % len(SCENARIO_COLORS)], "size": 6},
                             line={"width": 2}, hovertemplate="%{x:,.0f} t/month<extra></extra>"))
    _styled(fig, "Monthly output, every replication", height=140 + 90 * len(report.scenarios), legend=False)
    fig.update_xaxes(title_text="run-of-mine output [t/month]", tickformat=",", rangemode="tozero")
    fig.update_yaxes(autorange="reversed")
    return fig


def waterfall_figure(decomposition: Any, labels: dict[str, str]) -> Any:
    """The gain from A to B, one factor at a time, with each step's 95 % interval."""
    import numpy as np
    import plotly.graph_objects as go

    steps = decomposition.steps
    deltas = steps["delta"].to_numpy(float)
    start, end = float(decomposition.total["a_mean"]), float(decomposition.total["b_mean"])
    a, b = labels.get(decomposition.a, decomposition.a), labels.get(decomposition.b, decomposition.b)
    factors = [str(f) for f in steps["factor"]]
    fig = go.Figure(go.Waterfall(
        x=[a, *factors, b], y=[start, *np.nan_to_num(deltas), end],
        measure=["absolute", *(["relative"] * len(factors)), "total"], name="decomposition",
        text=[f"{start:,.0f}", *(f"{d:+,.0f}" if math.isfinite(d) else "—" for d in deltas), f"{end:,.0f}"],
        textposition="outside", increasing={"marker": {"color": "#43a047"}},
        decreasing={"marker": {"color": "#e53935"}}, totals={"marker": {"color": "#1565c0"}},
        connector={"line": {"color": "#9e9e9e", "dash": "dot"}}, cliponaxis=False,
    ))
    lo, hi = steps["ci95_lo"].to_numpy(float), steps["ci95_hi"].to_numpy(float)
    if np.isfinite(lo).any():
        fig.add_trace(go.Scatter(
            x=factors, y=start + np.nancumsum(deltas), mode="markers", name="95 % CI of the step",
            marker={"size": 1, "color": "#212121"}, showlegend=False, hoverinfo="skip",
            error_y={"type": "data", "array": np.nan_to_num(hi - deltas), "arrayminus": np.nan_to_num(deltas - lo),
                     "color": "#212121", "thickness": 2, "width": 8},
        ))
    _styled(fig, f"From {a} to {b}, one factor at a time", height=480, legend=False)
    fig.update_yaxes(title_text="t/month", tickformat=",", rangemode="tozero")
    fig.update_xaxes(tickangle=-20)
    return fig


def order_free_figure(shapley: Any, labels: dict[str, str]) -> Any:
    """Each factor's share of the gain whatever the order (Shapley values) with 95 % CIs."""
    import numpy as np
    import plotly.graph_objects as go

    values = shapley.values
    mean = values["shapley"].to_numpy(float)
    lo, hi = values["ci95_lo"].to_numpy(float), values["ci95_hi"].to_numpy(float)
    fig = go.Figure(go.Bar(
        x=mean, y=[str(f) for f in values["factor"]], orientation="h", name="order-free share",
        marker={"color": ["#43a047" if m >= 0 else "#e53935" for m in mean]},
        error_x={"type": "data", "array": np.nan_to_num(hi - mean), "arrayminus": np.nan_to_num(mean - lo),
                 "color": "#212121"},
        text=[f"{m:+,.0f}" for m in mean], textposition="outside", cliponaxis=False,
    ))
    a, b = labels.get(shapley.a, shapley.a), labels.get(shapley.b, shapley.b)
    _styled(fig, f"From {a} to {b}, whatever the order (Shapley values)", height=160 + 55 * len(values),
            legend=False)
    fig.update_xaxes(title_text="t/month", tickformat=",")
    fig.update_yaxes(autorange="reversed")
    return fig


def _means(report: Any, prefix: str, suffix: str = "") -> dict[str, dict[str, float]]:
    """``{scenario: {name: mean}}`` of the KPIs ``<prefix><name><suffix>``."""
    table = report.comparison.kpis
    out: dict[str, dict[str, float]] = {}
    for row in table.itertuples(index=False):
        if row.kpi.startswith(prefix) and row.kpi.endswith(suffix):
            name = row.kpi[len(prefix): len(row.kpi) - len(suffix) if suffix else None]
            out.setdefault(row.scenario, {})[name] = float(row.mean)
    return out


def time_breakdown_figure(report: Any, *, min_hours: float = 0.05) -> Any:
    """Mean hours in each state, one stacked bar per scenario."""
    import plotly.graph_objects as go

    hours = _means(report, "time_", "_h")
    states = list(STATE_COLORS) + sorted({s for v in hours.values() for s in v} - set(STATE_COLORS))
    fig = go.Figure()
    names = [_label(sc) for sc in report.scenarios]
    for state in states:
        values = [hours.get(sc.name, {}).get(state, 0.0) for sc in report.scenarios]
        if max(values) <= min_hours:
            continue
        fig.add_trace(go.Bar(y=names, x=values, orientation="h", name=state_label(state),
                             marker={"color": STATE_COLORS.get(state, OTHER_COLOR)},
                             hovertemplate="%{y}<br>" + state_label(state) + ": %{x:,.1f} h<extra></extra>"))
    _styled(fig, "Where the time goes (mean hours per replication)", height=330 + 70 * len(names))
    fig.update_layout(barmode="stack", legend={"y": -0.25})
    fig.update_xaxes(title_text="hours in the run")
    fig.update_yaxes(autorange="reversed")
    return fig


def limit_shares_figure(report: Any) -> Any:
    """Share of the cutting distance on which each speed limit binds, per scenario."""
    import plotly.graph_objects as go

    shares = _means(report, "limit_share_")
    limits = list(LIMIT_COLORS) + sorted({s for v in shares.values() for s in v} - set(LIMIT_COLORS))
    fig = go.Figure()
    names = [_label(sc) for sc in report.scenarios]
    for limit in limits:
        values = [100.0 * shares.get(sc.name, {}).get(limit, 0.0) for sc in report.scenarios]
        if max(values) <= 0.5:
            continue
        fig.add_trace(go.Bar(y=names, x=values, orientation="h", name=limit_label(limit),
                             marker={"color": LIMIT_COLORS.get(limit, OTHER_COLOR)},
                             hovertemplate="%{y}<br>" + limit_label(limit) + ": %{x:.0f} %<extra></extra>"))
    _styled(fig, "What holds each face back: the speed limit that binds", height=260 + 70 * len(names))
    fig.update_layout(barmode="stack", legend={"y": -0.3})  # below the axis title, never on it
    fig.update_xaxes(title_text="% of the cutting distance", range=[0, 100])
    fig.update_yaxes(autorange="reversed")
    return fig
