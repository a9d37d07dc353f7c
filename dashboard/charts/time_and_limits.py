"""Where the time goes (hours per state) and what holds the face back (the binding speed
limits), for one scenario and side by side."""

from __future__ import annotations

import math
from collections.abc import Mapping

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from dashboard.charts.style import rgba, with_layout
from seamsim.report.palette import (
    LIMIT_COLORS,
    STATE_COLORS,
    limit_label,
    state_family,
    state_label,
    state_rank,
)


def time_breakdown(hours: Mapping[str, float] | pd.Series, *, title: str | None = "Where the time goes",
                   min_hours: float = 0.05) -> go.Figure:
    """Hours in each state over the run (mean of the replications), largest first.

    Returns
    -------
    plotly.graph_objects.Figure
        One horizontal ``Bar`` trace named ``hours``, one bar per state with time in it.
    """
    series = pd.Series(dict(hours), dtype=float)
    series = series[series > min_hours].sort_values()
    total = float(pd.Series(dict(hours), dtype=float).sum()) or 1.0
    fig = go.Figure(
        go.Bar(
            x=series.to_numpy(), y=[state_label(s) for s in series.index], orientation="h", name="hours",
            marker={"color": [STATE_COLORS.get(s, "#9e9e9e") for s in series.index]},
            text=[f"{v:,.0f} h ({v / total:.0%})" for v in series.to_numpy()], textposition="auto",
            customdata=[state_family(s) for s in series.index],
            hovertemplate="%{y} (%{customdata}): %{x:,.1f} h<extra></extra>",
        )
    )
    with_layout(fig, title, height=max(300, 26 * len(series) + 110), legend=False)
    fig.update_xaxes(title_text="hours in the run")
    return fig


def time_breakdown_compare(table: pd.DataFrame, *, labels: Mapping[str, str] | None = None,
                           title: str | None = "Where the time goes, side by side",
                           min_hours: float = 0.05) -> go.Figure:
    """Stacked hours per state for several scenarios: one bar per scenario.

    Parameters
    ----------
    table : DataFrame
        Index = scenario, columns = states, values = mean hours.

    Returns
    -------
    plotly.graph_objects.Figure
        One ``Bar`` trace per state that has time in any scenario (named by :func:`state_label`),
        stacked family by family (running, face cycle, breakdowns, organisation, outside the
        face: ``seamsim.report.palette.STATE_ORDER``); the legend lists them in the same order,
        under the family's name.
    """
    fig = go.Figure()
    names = [(labels or {}).get(str(i), str(i)) for i in table.index]
    for state in sorted(table.columns, key=state_rank):
        values = table[state].astype(float)
        if not (values > min_hours).any():
            continue
        family = state_family(state)
        fig.add_trace(
            go.Bar(y=names, x=values, orientation="h", name=state_label(state),
                   marker={"color": STATE_COLORS.get(state, "#9e9e9e")},
                   legendgroup=family, legendgrouptitle={"text": family},
                   hovertemplate="%{y}<br>" + state_label(state) + f" ({family})" + ": %{x:,.1f} h<extra></extra>")
        )
    with_layout(fig, title, height=max(300, 70 * len(names) + 260))
    fig.update_layout(barmode="stack", legend={"font": {"size": 11}, "orientation": "h", "y": -0.22,
                                               "traceorder": "normal",
                                               "yanchor": "top", "x": 0.0, "xanchor": "left"},
                      margin={"b": 130})
    fig.update_xaxes(title_text="hours in the run")
    fig.update_yaxes(autorange="reversed")
    return fig


def limit_shares_compare(table: pd.DataFrame, *, labels: Mapping[str, str] | None = None,
                         title: str | None = "What holds each face back") -> go.Figure:
    """Share of cutting distance bound by each speed limit, one stacked bar per scenario.

    Parameters
    ----------
    table : DataFrame
        Index = scenario, columns = limits, values = shares (0–1).

    Returns
    -------
    plotly.graph_objects.Figure
        One ``Bar`` trace per limit that binds anywhere (named by :func:`limit_label`).
    """
    fig = go.Figure()
    names = [(labels or {}).get(str(i), str(i)) for i in table.index]
    for limit in table.columns:
        values = table[limit].astype(float) * 100.0
        if not (values > 0.5).any():
            continue
        fig.add_trace(
            go.Bar(y=names, x=values, orientation="h", name=limit_label(limit),
                   marker={"color": LIMIT_COLORS.get(limit, "#9e9e9e")},
                   hovertemplate="%{y}<br>" + limit_label(limit) + ": %{x:.0f}% of the cutting<extra></extra>")
        )
    with_layout(fig, title, height=max(240, 70 * len(names) + 150))
    fig.update_layout(barmode="stack")
    fig.update_xaxes(title_text="% of the cutting distance", range=[0, 100])
    fig.update_yaxes(autorange="reversed")
    return fig


def what_holds_back(limit_share: Mapping[str, float] | pd.Series,
                    speed_limits_m_per_min: Mapping[str, float | None] | None = None,
                    *, binding: str | None = None,
                    title: str | None = "What holds this face back") -> go.Figure:
    """Which speed limit binds, and for how much of the cutting.

    Left: the share of the cutting distance on which each limit was the lowest. Right
    (when ``speed_limits_m_per_min`` is given): the speed each limit allows at the mean
    seam height, the binding one marked.

    Returns
    -------
    plotly.graph_objects.Figure
        Traces ``share of cutting`` and (optionally) ``speed allowed``.
    """
    shares = pd.Series(dict(limit_share), dtype=float).fillna(0.0)
    with_speeds = speed_limits_m_per_min is not None
    fig = make_subplots(
        rows=1, cols=2 if with_speeds else 1, horizontal_spacing=0.2,
        subplot_titles=("binds the speed on", "allows at most") if with_speeds else None,
    )
    names = [limit_label(n) for n in shares.index]
    fig.add_trace(
        go.Bar(x=shares.to_numpy() * 100.0, y=names, orientation="h", name="share of cutting",
               marker={"color": [LIMIT_COLORS.get(n, "#9e9e9e") for n in shares.index]},
               text=[f"{v:.0%}" if v > 0.005 else "" for v in shares.to_numpy()], textposition="auto",
               hovertemplate="%{y}: %{x:.0f}% of the cutting<extra></extra>"),
        row=1, col=1,
    )
    fig.update_xaxes(range=[0, 100], title_text="% of cutting distance", row=1, col=1)
    if with_speeds:
        speeds = {n: speed_limits_m_per_min.get(n) for n in shares.index}
        finite = [v for v in speeds.values() if v is not None and math.isfinite(v)]
        cap = (max(finite) * 1.15) if finite else 10.0
        xs = [v if v is not None and math.isfinite(v) else cap for v in speeds.values()]
        texts = [f"{v:.1f}" if v is not None and math.isfinite(v) else "no limit" for v in speeds.values()]
        colors = [
            LIMIT_COLORS.get(n, "#9e9e9e") if n == binding else rgba(LIMIT_COLORS.get(n, "#9e9e9e"), 0.35)
            for n in speeds
        ]
        texts = [t + (" ◀ binds" if n == binding else "") for t, n in zip(texts, speeds, strict=True)]
        fig.add_trace(
            go.Bar(x=xs, y=names, orientation="h", name="speed allowed", marker={"color": colors},
                   text=texts, textposition="outside", cliponaxis=False, hovertemplate="%{y}: %{x:.2f} m/min<extra></extra>"),
            row=1, col=2,
        )
        fig.update_xaxes(title_text="m/min", range=[0, cap * 1.5], row=1, col=2)
        fig.update_yaxes(showticklabels=False, row=1, col=2)
    fig.update_yaxes(autorange="reversed")
    with_layout(fig, title, height=330, legend=False)
    fig.update_annotations(font={"size": 12, "color": "#616161"})
    return fig
