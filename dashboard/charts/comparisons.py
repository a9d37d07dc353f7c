"""Scenarios compared: KPI bars with their intervals, paired differences (a forest plot),
and the decomposition waterfall."""

from __future__ import annotations

import math
import textwrap
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from dashboard.charts.style import scenario_color, with_layout

PANEL_TITLE_CHARS = 24
"""The most characters on one line of a small multiple's title (the rest wraps)."""


def _wrapped(text: str, width: int) -> str:
    """``text`` over lines of at most ``width`` characters (plotly's ``<br>``), words kept whole."""
    return "<br>".join(textwrap.wrap(text, width)) or text


def kpi_bars(summary: pd.DataFrame, kpis: Sequence[str], *, kpi_titles: Mapping[str, str] | None = None,
             labels: Mapping[str, str] | None = None, scale: Mapping[str, float] | None = None,
             by: str = "scenario", title: str | None = "Side by side (mean and 95% CI)") -> go.Figure:
    """Small multiples: one panel per KPI, one bar per scenario with its 95% CI.

    Parameters
    ----------
    summary : DataFrame
        Long format: ``by``, ``kpi``, ``mean``, ``lo``, ``hi``.
    """
    kpis = [k for k in kpis if k in set(summary["kpi"])]
    cols = min(3, max(1, len(kpis)))
    rows = max(1, math.ceil(len(kpis) / cols))
    titles = [_wrapped((kpi_titles or {}).get(k, k), PANEL_TITLE_CHARS) for k in kpis]  # a panel is ~180 px at 1024
    fig = make_subplots(rows=rows, cols=cols, subplot_titles=titles,
                        vertical_spacing=0.16 if rows > 1 else 0.1, horizontal_spacing=0.08)
    groups = list(dict.fromkeys(summary[by]))
    for j, key in enumerate(kpis):
        part = summary[summary["kpi"] == key].set_index(by).reindex(groups)
        factor = (scale or {}).get(key, 1.0)
        mean = part["mean"].to_numpy(float) * factor
        lo = part["lo"].to_numpy(float) * factor
        hi = part["hi"].to_numpy(float) * factor
        fig.add_trace(
            go.Bar(
                x=[(labels or {}).get(g, g) for g in groups], y=mean, name=key,
                marker={"color": [scenario_color(i) for i in range(len(groups))]},
                error_y={"type": "data", "array": np.nan_to_num(hi - mean), "arrayminus": np.nan_to_num(mean - lo),
                         "visible": True, "color": "#212121"},
                hovertemplate="%{x}: %{y:,.3g}<extra></extra>", showlegend=False,
            ),
            row=j // cols + 1, col=j % cols + 1,
        )
    with_layout(fig, title, height=280 * rows + 60, legend=False)
    return fig


def paired_differences_chart(paired: pd.DataFrame, *, kpi: str = "rom_t_per_month",
                             labels: Mapping[str, str] | None = None, baseline_label: str = "the first",
                             unit: str = "t/month", scale: float = 1.0, by: str = "scenario",
                             title: str | None = None) -> go.Figure:
    """Paired difference of one KPI against the baseline, with its 95% CI (a forest plot)."""
    part = paired[paired["kpi"] == kpi]
    names = [f"{(labels or {}).get(g, g)} − {baseline_label}" for g in part[by]]
    mean = part["mean"].to_numpy(float) * scale
    lo = part["lo"].to_numpy(float) * scale
    hi = part["hi"].to_numpy(float) * scale
    texts = [f"{m:+,.0f} {unit}" + (f"<br>95% CI {a:+,.0f} to {b:+,.0f}" if np.isfinite(a) else "<br>no interval (n < 5)")
             for m, a, b in zip(mean, lo, hi, strict=True)]
    fig = go.Figure(
        go.Scatter(
            x=mean, y=names, mode="markers+text", name="difference", text=texts, textposition="top center",
            cliponaxis=False,
            marker={"size": 12, "color": ["#2e7d32" if m >= 0 else "#c62828" for m in mean]},
            error_x={"type": "data", "array": np.nan_to_num(hi - mean), "arrayminus": np.nan_to_num(mean - lo)},
            hovertemplate="%{y}: %{x:+,.3g}<extra></extra>",
        )
    )
    fig.add_vline(x=0.0, line={"color": "#616161", "dash": "dash"}, annotation_text="no difference",
                  annotation_position="bottom right", annotation_font={"size": 11, "color": "#616161"})
    with_layout(fig, title or f"Difference from {baseline_label} (paired, 95% CI)", height=max(220, 60 * len(names) + 140),
            legend=False)
    fig.update_xaxes(title_text=f"difference [{unit}]", tickformat=",")
    return fig


def waterfall(steps: pd.DataFrame, *, start_label: str, end_label: str, start_value: float,
              end_value: float | None = None, unit: str = "t/month",
              title: str | None = "Where the gain comes from, one factor at a time") -> go.Figure:
    """Decomposition waterfall: the first scenario, one bar per factor changed, the last.

    Parameters
    ----------
    steps : DataFrame
        One row per factor in the order applied: ``factor`` (label), ``delta`` and
        optionally ``lo`` / ``hi`` (95% CI of the delta).
    start_value, end_value : float
        Mean KPI of the first and (optionally) the last scenario.

    Returns
    -------
    plotly.graph_objects.Figure
        A ``Waterfall`` trace named ``decomposition`` (plus ``95% CI`` error bars when given).
    """
    factors = [str(f) for f in steps["factor"]]
    deltas = steps["delta"].to_numpy(float)
    end = end_value if end_value is not None else start_value + float(np.nansum(deltas))
    x = [start_label, *factors, end_label]
    y = [start_value, *deltas, end]
    measure = ["absolute", *(["relative"] * len(factors)), "total"]
    fig = go.Figure(
        go.Waterfall(
            x=x, y=y, measure=measure, name="decomposition",
            text=[f"{start_value:,.0f}", *(f"{d:+,.0f}" for d in deltas), f"{end:,.0f}"],
            textposition="outside",
            increasing={"marker": {"color": "#43a047"}}, decreasing={"marker": {"color": "#e53935"}},
            totals={"marker": {"color": "#1565c0"}},
            connector={"line": {"color": "#9e9e9e", "dash": "dot"}},
            hovertemplate="%{x}: %{y:,.0f}<extra></extra>",
        )
    )
    if {"lo", "hi"} <= set(steps.columns) and np.isfinite(steps["lo"].to_numpy(float)).any():
        tops = start_value + np.cumsum(deltas)
        fig.add_trace(
            go.Scatter(
                x=factors, y=tops, mode="markers", name="95% CI", marker={"size": 1, "color": "#212121"},
                error_y={"type": "data", "array": np.nan_to_num(steps["hi"].to_numpy(float) - deltas),
                         "arrayminus": np.nan_to_num(deltas - steps["lo"].to_numpy(float)), "color": "#212121"},
                hoverinfo="skip", showlegend=False,
            )
        )
    with_layout(fig, title, height=420, legend=False)
    fig.update_yaxes(title_text=unit, tickformat=",", rangemode="tozero")
    return fig
