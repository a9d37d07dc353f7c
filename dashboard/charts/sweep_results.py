"""Sweeps: a KPI along one varied field, over two (a heatmap), and the feasible region of
seam height against cutting power."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from dashboard.charts.style import rgba, scenario_color, with_layout


def sweep_line(data: pd.DataFrame, *, x: str, x_title: str, y_title: str, group: str | None = None,
               title: str | None = None) -> go.Figure:
    """Mean KPI against one varied field, with its 95% CI as a band.

    Parameters
    ----------
    data : DataFrame
        ``x``, ``mean``, ``lo``, ``hi`` (and ``group`` when given: one line per group).

    Returns
    -------
    plotly.graph_objects.Figure
        Per line: a ``95% CI`` band (two traces, the second filled to the first) and a
        ``mean`` line.
    """
    fig = go.Figure()
    groups = [(None, data)] if group is None else list(data.groupby(group, sort=False))
    for i, (name, frame) in enumerate(groups):
        frame = frame.sort_values(x)
        color = scenario_color(i + 1)
        label = "mean" if name is None else f"{name}"
        fig.add_trace(go.Scatter(x=frame[x], y=frame["hi"], mode="lines", line={"width": 0},
                                 name="95% CI", legendgroup=label, showlegend=False, hoverinfo="skip"))
        fig.add_trace(go.Scatter(x=frame[x], y=frame["lo"], mode="lines", line={"width": 0}, fill="tonexty",
                                 fillcolor=rgba(color, 0.2), name="95% CI", legendgroup=label,
                                 showlegend=name is None, hoverinfo="skip"))
        fig.add_trace(go.Scatter(x=frame[x], y=frame["mean"], mode="lines+markers", name=label,
                                 legendgroup=label, line={"color": color, "width": 2.5},
                                 customdata=np.stack([frame["lo"], frame["hi"]], axis=-1),
                                 hovertemplate="%{x}: %{y:,.4g} (95% CI %{customdata[0]:,.4g} – "
                                               "%{customdata[1]:,.4g})<extra></extra>"))
    with_layout(fig, title, height=400)
    fig.update_xaxes(title_text=x_title)
    fig.update_yaxes(title_text=y_title, tickformat=",")
    return fig


def heatmap(data: pd.DataFrame, *, x: str, y: str, x_title: str, y_title: str, z_title: str,
            title: str | None = None) -> go.Figure:
    """Mean KPI over two varied fields; the hover shows the 95% CI.

    Parameters
    ----------
    data : DataFrame
        ``x``, ``y``, ``mean``, ``lo``, ``hi``.

    Returns
    -------
    plotly.graph_objects.Figure
        One ``Heatmap`` trace named ``mean``.
    """
    z = data.pivot_table(index=y, columns=x, values="mean", aggfunc="mean")
    lo = data.pivot_table(index=y, columns=x, values="lo", aggfunc="mean").reindex_like(z)
    hi = data.pivot_table(index=y, columns=x, values="hi", aggfunc="mean").reindex_like(z)
    custom = np.dstack([lo.to_numpy(float), hi.to_numpy(float)])
    fig = go.Figure(
        go.Heatmap(
            z=z.to_numpy(float), x=[str(c) for c in z.columns], y=[str(i) for i in z.index], name="mean",
            colorscale="Viridis", colorbar={"title": {"text": z_title}}, customdata=custom,
            texttemplate="%{z:,.3s}",
            hovertemplate=f"{x_title} %{{x}}<br>{y_title} %{{y}}<br>%{{z:,.4g}} "
                          "(95% CI %{customdata[0]:,.4g} – %{customdata[1]:,.4g})<extra></extra>",
        )
    )
    with_layout(fig, title, height=440, legend=False)
    fig.update_xaxes(title_text=x_title, type="category")
    fig.update_yaxes(title_text=y_title, type="category")
    return fig


_FEASIBLE_COLORS = ("#e57373", "#ffd54f", "#81c784")


def feasible_region(grid: pd.DataFrame, *, panel_titles: Mapping[int, str] | None = None,
                    markers: Sequence[Mapping[str, object]] = (),
                    title: str | None = "Where a face can work: seam height against installed cutting power") -> go.Figure:
    """Feasible region of seam height against installed cutting power, one panel per voltage.

    Parameters
    ----------
    grid : DataFrame
        From :func:`dashboard.feasibility_grid`: ``supply_voltage_v``, ``seam_height_m``,
        ``cutting_power_kw``, ``code`` (0 cannot work, 1 with warnings, 2 works), ``category``,
        ``note``.
    panel_titles : mapping, optional
        Voltage → panel title.
    markers : sequence of mappings
        Points to mark: ``supply_voltage_v``, ``seam_height_m``, ``cutting_power_kw``, ``label``.

    Returns
    -------
    plotly.graph_objects.Figure
        One ``Heatmap`` per voltage (named ``<voltage> V``) on a shared colour legend, and
        ``Scatter`` markers.
    """
    from dashboard.sweeps import FEASIBILITY_LABELS

    voltages = sorted(grid["supply_voltage_v"].unique())
    titles = [(panel_titles or {}).get(v, f"{v:,} V") for v in voltages]
    fig = make_subplots(rows=1, cols=max(1, len(voltages)), shared_yaxes=True, subplot_titles=titles,
                        horizontal_spacing=0.05)
    colorscale = []
    for i, color in enumerate(_FEASIBLE_COLORS):
        colorscale += [[i / 3, color], [(i + 1) / 3, color]]
    for col, v in enumerate(voltages, start=1):
        part = grid[grid["supply_voltage_v"] == v]
        z = part.pivot_table(index="cutting_power_kw", columns="seam_height_m", values="code", aggfunc="min")
        notes = part.pivot_table(index="cutting_power_kw", columns="seam_height_m", values="note",
                                 aggfunc="first").reindex_like(z)
        cats = part.pivot_table(index="cutting_power_kw", columns="seam_height_m", values="category",
                                aggfunc="first").reindex_like(z)
        custom = np.dstack([cats.to_numpy(object), notes.fillna("").to_numpy(object)])
        fig.add_trace(
            go.Heatmap(
                z=z.to_numpy(float), x=z.columns.to_numpy(float), y=z.index.to_numpy(float), name=f"{v:,} V",
                zmin=-0.5, zmax=2.5, colorscale=colorscale, showscale=col == len(voltages),
                colorbar={"tickvals": [0, 1, 2], "ticktext": list(FEASIBILITY_LABELS), "title": {"text": ""}},
                customdata=custom, xgap=1, ygap=1,
                hovertemplate="seam %{x:.2f} m, %{y:,.0f} kW<br><b>%{customdata[0]}</b><br>"
                              "%{customdata[1]}<extra>" + f"{v:,} V" + "</extra>",
            ),
            row=1, col=col,
        )
        for m in markers:
            if int(m.get("supply_voltage_v", -1)) != int(v):
                continue
            fig.add_trace(
                go.Scatter(x=[m["seam_height_m"]], y=[m["cutting_power_kw"]], mode="markers+text",
                           name=str(m.get("label", "")), text=[str(m.get("label", ""))], textposition="top center",
                           textfont={"size": 13, "color": "#000"},
                           marker={"symbol": "star", "size": 16, "color": "#212121", "line": {"color": "white", "width": 1}},
                           hovertemplate="%{text}<extra></extra>", showlegend=False),
                row=1, col=col,
            )
        fig.update_xaxes(title_text="seam height [m]", row=1, col=col)
    fig.update_yaxes(title_text="installed cutting power [kW]", row=1, col=1)
    with_layout(fig, title, height=480, legend=False)
    for text in titles:
        fig.update_annotations(selector={"text": text}, font={"size": 13})
    return fig
