"""Run-of-mine tonnes: cumulative over a run, and their distribution over replications."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import plotly.graph_objects as go

from dashboard.charts.style import rgba, scenario_color, with_layout


def cumulative_tonnage(cumulative: pd.DataFrame, *, highlight: int | None = 0,
                       title: str | None = "Run-of-mine tonnes so far") -> go.Figure:
    """Cumulative run-of-mine tonnes over the run, one line per replication.

    Parameters
    ----------
    cumulative : DataFrame
        ``replication``, ``time_d``, ``rom_t`` (cumulative).
    highlight : int, optional
        The replication drawn bold (the one whose position trace is shown).
    """
    fig = go.Figure()
    for rep, frame in cumulative.groupby("replication", sort=True):
        bold = rep == highlight
        fig.add_trace(
            go.Scatter(
                x=frame["time_d"], y=frame["rom_t"], mode="lines", line_shape="hv",
                name=f"replication {rep + 1}" if bold else "other replications",
                legendgroup="bold" if bold else "others",
                showlegend=bool(bold) or rep == (0 if highlight != 0 else 1),
                line={"color": "#1565c0" if bold else "rgba(120,144,156,0.45)", "width": 2.5 if bold else 1},
                hovertemplate="day %{x:.1f}: %{y:,.0f} t<extra></extra>",
            )
        )
    with_layout(fig, title, height=340)
    fig.update_xaxes(title_text="day")
    fig.update_yaxes(title_text="run-of-mine [t]", rangemode="tozero", tickformat=",")
    return fig


def tonnage_distribution(
    runs: pd.DataFrame,
    *,
    kpi: str = "rom_t_per_month",
    by: str = "scenario",
    bands: Mapping[str, tuple[float, float]] | None = None,
    labels: Mapping[str, str] | None = None,
    title: str | None = "Monthly output over replications",
    y_title: str = "run-of-mine [t/month]",
) -> go.Figure:
    """Distribution of a KPI over replications: a box with every replication as a dot.

    Parameters
    ----------
    runs : DataFrame
        One row per run with ``by`` and ``kpi`` columns.
    bands : mapping, optional
        Shaded reference bands, label → (lo, hi) (e.g. what the article reports).
    labels : mapping, optional
        Display names of the groups.
    """
    fig = go.Figure()
    for i, (group, frame) in enumerate(runs.groupby(by, sort=False)):
        name = (labels or {}).get(group, str(group))
        fig.add_trace(
            go.Box(y=frame[kpi], name=name, boxpoints="all", jitter=0.4, pointpos=0, boxmean=True,
                   marker={"color": scenario_color(i), "size": 7, "opacity": 0.75},
                   line={"color": scenario_color(i)}, fillcolor=rgba(scenario_color(i), 0.15),
                   hovertemplate="%{y:,.0f}<extra>" + name + "</extra>")
        )
    for j, (label, (lo, hi)) in enumerate((bands or {}).items()):
        color = ("#8d6e63", "#1e88e5", "#43a047")[j % 3]
        fig.add_hrect(y0=lo, y1=hi, fillcolor=rgba(color, 0.12), line_width=0, layer="below")
        # the band's label sits in the right margin, beside the band: never under a box
        fig.add_annotation(x=1.0, xref="paper", xanchor="left", xshift=4, y=(lo + hi) / 2.0, yref="y", text=label,
                           showarrow=False, align="left", font={"size": 11, "color": color}, name="band label")
    with_layout(fig, title, height=360, legend=False)
    if bands:
        fig.update_layout(margin={"r": 120})
    fig.update_yaxes(title_text=y_title, rangemode="tozero", tickformat=",")
    return fig
