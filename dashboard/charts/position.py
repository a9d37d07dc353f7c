"""The shearer's position along the face over time, stoppages coloured by cause."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard.charts.style import RUNNING_STATES, with_layout
from seamsim.report.palette import STATE_COLORS, state_label


def position_over_time(
    trace: pd.DataFrame,
    *,
    horizon_s: float | None = None,
    face_length_m: float | None = None,
    window_h: float | None = 48.0,
    title: str | None = "Where the shearer is: position along the face over time",
) -> go.Figure:
    """The shearer's position along the face over time, stoppages coloured by cause.

    Parameters
    ----------
    trace : DataFrame
        ``time_s``, ``position_m``, ``state``: one row per change of state (the state
        entered at that time and position).
    horizon_s : float, optional
        End of the run, to close the last segment.
    face_length_m : float, optional
        Face length, for the vertical axis.
    window_h : float, optional
        Hours shown at first (zoom out to see the whole run); ``None`` shows all.

    Returns
    -------
    plotly.graph_objects.Figure
        A trace ``shearer position`` (the zig-zag line) and one trace per stoppage state,
        named by :func:`state_label`, with thick horizontal segments where the shearer stood.
    """
    t = trace["time_s"].to_numpy(float) / 3600.0 if len(trace) else np.zeros(0)
    pos = trace["position_m"].to_numpy(float) if len(trace) else np.zeros(0)
    states = trace["state"].astype(str).to_numpy() if len(trace) else np.zeros(0, dtype=object)
    end_h = (horizon_s / 3600.0) if horizon_s else (t[-1] if t.size else 0.0)
    fig = go.Figure()
    fig.add_trace(
        go.Scattergl(x=t, y=pos, mode="lines", name="shearer position", line={"color": "#37474f", "width": 1.2},
                     hovertemplate="%{x:.2f} h<br>%{y:.0f} m<extra>shearer</extra>")
    )
    next_t = np.append(t[1:], end_h) if t.size else t
    for state in STATE_COLORS:
        if state in RUNNING_STATES:
            continue
        idx = np.flatnonzero((states == state) & (next_t > t))
        if idx.size == 0:
            continue
        xs = np.full(idx.size * 3, np.nan)
        ys = np.full(idx.size * 3, np.nan)
        xs[0::3], xs[1::3] = t[idx], next_t[idx]
        ys[0::3], ys[1::3] = pos[idx], pos[idx]
        durations = (next_t[idx] - t[idx]) * 60.0
        text = np.repeat([f"{state_label(state)}: {d:,.0f} min" for d in durations], 3)
        fig.add_trace(
            go.Scattergl(x=xs, y=ys, mode="lines", name=state_label(state), text=text,
                         line={"color": STATE_COLORS[state], "width": 7},
                         hovertemplate="%{text}<br>at %{y:.0f} m<extra></extra>", connectgaps=False)
        )
    with_layout(fig, title, height=420)
    fig.update_layout(legend={"orientation": "v", "x": 1.01, "y": 1.0, "xanchor": "left", "yanchor": "top",
                              "font": {"size": 11}}, margin={"r": 190})
    x_range = [0.0, min(window_h, end_h)] if window_h and end_h > window_h else [0.0, max(end_h, 1e-9)]
    fig.update_xaxes(title_text="time [h] — drag to zoom in, double-click to see the whole run", range=x_range)
    y_top = face_length_m if face_length_m else (float(np.nanmax(pos)) if pos.size else 1.0)
    fig.update_yaxes(title_text="position along the face [m]", range=[-0.03 * y_top, 1.03 * y_top])
    return fig
