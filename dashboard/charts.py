"""Plotly figure builders: pure functions of DataFrames and dicts, no Streamlit.

Every chart of the dashboard is built here so that it can be tested without a browser
and reused in notebooks. Names of traces are stable (tests look for them); colours of
states and speed limits are the same on every chart.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

import seamsim
from seamsim.report.palette import (  # one colour per state and limit on every chart
    LIMIT_COLORS,
    LIMIT_LABELS,
    STATE_COLORS,
    STATE_LABELS,
    limit_label,
    state_family,
    state_label,
    state_rank,
)

# --------------------------------------------------------------------------------------
# Colours and labels shared by every chart
# --------------------------------------------------------------------------------------
RUNNING_STATES: frozenset[str] = frozenset(seamsim.RUNNING_STATES)
"""States in which the shearer moves (drawn as the position line, not as a stoppage)."""

SCENARIO_COLORS: tuple[str, ...] = (
    "#6d4c41", "#1565c0", "#2e7d32", "#c62828", "#7b1fa2", "#00838f", "#ef6c00", "#455a64",
)
"""Colours of scenarios in side-by-side charts, in order."""

_FONT = {"family": "Source Sans Pro, Arial, sans-serif", "size": 13}


def scenario_color(i: int) -> str:
    """Colour of the ``i``-th scenario."""
    return SCENARIO_COLORS[i % len(SCENARIO_COLORS)]


def _layout(fig: go.Figure, title: str | None = None, *, height: int = 380, legend: bool = True) -> go.Figure:
    fig.update_layout(
        title={"text": title, "x": 0.0, "xanchor": "left", "font": {"size": 16}} if title else None,
        height=height,
        margin={"l": 60, "r": 20, "t": 50 if title else 20, "b": 50},
        font=_FONT,
        template="plotly_white",
        showlegend=legend,
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "xanchor": "right", "x": 1.0}
        if legend
        else None,
    )
    return fig


def _finite(value, default: float = 0.0) -> float:
    try:
        value = float(value)
    except (TypeError, ValueError):
        return default
    return value if math.isfinite(value) else default


def _rgba(hex_color: str, alpha: float) -> str:
    h = hex_color.lstrip("#")
    r, g, b = (int(h[i : i + 2], 16) for i in (0, 2, 4))
    return f"rgba({r},{g},{b},{alpha})"


# --------------------------------------------------------------------------------------
# The cross-section
# --------------------------------------------------------------------------------------
PAN_HEIGHT_MM = 180.0
"""Height drawn for the conveyor pan (part of the machine-face height; schematic split)."""

_COAL = "#263238"
_ROCK = "#bcaaa4"
_FLOOR = "#a1887f"
_STEEL = "#546e7a"
_MACHINE = "#f9a825"
_PAN = "#78909c"
_GOOD = "#43a047"
_BAD = "#e53935"


def _rect(x0: float, x1: float, y0: float, y1: float, name: str, color: str, hover: str,
          *, line: str | None = None, opacity: float = 1.0) -> go.Scatter:
    return go.Scatter(
        x=[x0, x1, x1, x0, x0],
        y=[y0, y0, y1, y1, y0],
        mode="lines",
        fill="toself",
        fillcolor=color,
        line={"color": line or color, "width": 1},
        opacity=opacity,
        name=name,
        hoverinfo="text",
        hoveron="fills",
        text=hover,
        showlegend=False,
    )


def cross_section(picture: Mapping[str, float], *, title: str | None = None, y_max_mm: float | None = None,
                  detail_only: bool = False, detail_range_mm: tuple[float, float] | None = None) -> go.Figure:
    """The height stack at the canopy tip, drawn to scale (mm), looking along the face.

    Left, the whole stack to scale: floor, the un-mined coal seam at the face, the
    conveyor pan and the shearer body, the shield canopy with its tip thickness hanging
    from a roof that has converged, and between body and canopy either the spare
    clearance (green) or the overlap that must be cut out of the roof as rock (red).
    Right, the same picture magnified around the gap between body and canopy, where a
    few tens of millimetres decide whether the machine passes.

    Parameters
    ----------
    picture : mapping
        ``seamsim.engineering_picture`` (needs ``seam_height_mm``, ``machine_height_mm``,
        ``canopy_tip_thickness_mm``, ``convergence_mm``, ``spare_clearance_mm``; uses
        ``rock_cut_mm`` and ``design_spare_clearance_mm`` when present).
    title : str, optional
        Figure title; a sentence about the clearance when not given.
    y_max_mm : float, optional
        Top of the vertical axis of the whole-stack panel (fixed, so that pictures of
        different scenarios compare); at least 1,300 mm.
    detail_only : bool, optional
        Draw only the magnified panel (for small pictures side by side).
    detail_range_mm : (float, float), optional
        Height range of the magnified panel (the same for pictures that are compared).

    Returns
    -------
    plotly.graph_objects.Figure
        Traces named ``floor``, ``coal seam``, ``roof``, ``shield leg``, ``canopy``,
        ``conveyor pan``, ``machine body`` and ``spare clearance`` or ``overlap`` (and
        ``rock to cut`` when rock must be cut), in both panels.
    """
    seam = _finite(picture.get("seam_height_mm"), 800.0)
    machine = _finite(picture.get("machine_height_mm"), 600.0)
    canopy = _finite(picture.get("canopy_tip_thickness_mm"), 150.0)
    conv = _finite(picture.get("convergence_mm"), 0.0)
    spare = _finite(picture.get("spare_clearance_mm"), seam - machine - canopy - conv)
    margin = _finite(picture.get("design_spare_clearance_mm"), 0.0)
    sag = _finite(picture.get("body_sag_mm"), 0.0)
    rock = _finite(picture.get("rock_cut_mm"), max(0.0, -spare))
    floor_depth = 150.0
    roof_band = 220.0
    top = max(y_max_mm or 0.0, seam + roof_band + 60.0, 1300.0)

    # x (mm): the coal face at 0; solid coal to the left; machine and canopy to the right.
    x_coal0, x_face = -900.0, 0.0
    x_mach0, x_mach1 = 120.0, 1500.0
    x_tip, x_can1 = 60.0, 3300.0
    x_leg0, x_leg1 = 2500.0, 2700.0
    x_end = 3600.0
    canopy_top = seam - conv
    canopy_bottom = canopy_top - canopy
    pan = min(PAN_HEIGHT_MM, 0.4 * machine)
    body0, body1 = x_mach0 + 60.0, x_mach1 - 60.0

    def parts() -> list[go.Scatter]:
        out = [
            _rect(x_coal0, x_end, -floor_depth, 0.0, "floor", _FLOOR, "floor rock"),
            _rect(x_coal0, x_face, 0.0, seam, "coal seam", _COAL, f"coal seam: {seam:,.0f} mm"),
            go.Scatter(
                x=[x_coal0, x_face, x_tip, x_end, x_end, x_coal0, x_coal0],
                y=[seam, seam, canopy_top, canopy_top, seam + roof_band, seam + roof_band, seam],
                mode="lines", fill="toself", fillcolor=_ROCK, line={"color": "#8d6e63", "width": 1},
                name="roof", hoverinfo="text", hoveron="fills", showlegend=False,
                text=f"roof rock (down {conv:,.0f} mm at the canopy tip)",
            ),
        ]
        if rock > 0.5:
            out.append(_rect(x_face - 30.0, x_mach1, seam, seam + rock, "rock to cut", _BAD,
                             f"rock to cut: {rock:,.0f} mm of roof", line=_BAD, opacity=0.85))
        out += [
            _rect(x_leg0, x_leg1, 0.0, canopy_bottom, "shield leg", _STEEL, "shield leg", opacity=0.8),
            _rect(x_tip, x_can1, canopy_bottom, canopy_top, "canopy", _STEEL,
                  f"shield canopy tip: {canopy:,.0f} mm thick"),
            _rect(x_mach0, x_mach1, 0.0, pan, "conveyor pan", _PAN,
                  "conveyor pan (the machine rides on it; part of the machine-face height)"),
            _rect(body0, body1, pan, machine, "machine body", _MACHINE,
                  f"machine-face height: {machine:,.0f} mm"),
        ]
        if sag > 0.5:
            out.append(_rect(body0, body1, machine, machine + sag, "body sag", _MACHINE,
                             f"{sag:,.0f} mm more for the rigid body over the floor's undulation", opacity=0.45))
        if spare >= 0:
            out.append(_rect(body0, body1, machine + sag, canopy_bottom, "spare clearance", _GOOD,
                             f"spare clearance: {spare:,.0f} mm", line=_GOOD, opacity=0.85))
        else:
            out.append(_rect(body0, body1, canopy_bottom, machine + sag, "overlap", _BAD,
                             f"the body is {-spare:,.0f} mm taller than the space under the canopy",
                             line=_BAD, opacity=0.9))
        return out

    if detail_only:
        fig = make_subplots(rows=1, cols=1, subplot_titles=("body top and canopy, magnified",))
    else:
        fig = make_subplots(rows=1, cols=2, column_widths=[0.6, 0.4], horizontal_spacing=0.1,
                            subplot_titles=("the whole height, to scale", "magnified: body top and canopy"))
    cols = (1,) if detail_only else (1, 2)
    d = 1 if detail_only else 2  # the column of the magnified panel
    # shapes and annotations are collected and set once at the end: plotly re-validates every
    # earlier one on each add_shape/add_annotation (that alone took ~0.2 s of Explore's run)
    shapes: list[dict] = []
    notes: list[dict] = []
    dx, dy = ("x", "y") if detail_only else ("x2", "y2")
    for col in cols:
        for trace in parts():
            fig.add_trace(trace, row=1, col=col)

    def dim(y0: float, y1: float, text: str, x: float, *, col: int, color: str = "#37474f",
            side: str = "left", tick: float = 60.0, size: int = 13) -> None:
        xref, yref = ("x", "y") if col == 1 else ("x2", "y2")
        shapes.append(dict(type="line", x0=x, x1=x, y0=y0, y1=y1, xref=xref, yref=yref,
                           line={"color": color, "width": 2}))
        for y in (y0, y1):
            shapes.append(dict(type="line", x0=x - tick, x1=x + tick, y0=y, y1=y, xref=xref, yref=yref,
                               line={"color": color, "width": 2}))
        notes.append(dict(x=x + (-1 if side == "left" else 1) * (tick + 20), y=(y0 + y1) / 2, text=text,
                           showarrow=False, xanchor="right" if side == "left" else "left", xref=xref,
                          yref=yref, font={"color": color, "size": size}))

    def label(x: float, y: float, text: str, color: str, col: int = 1, size: int = 12) -> None:
        xref, yref = ("x", "y") if col == 1 else ("x2", "y2")
        notes.append(dict(x=x, y=y, text=text, showarrow=False, xref=xref, yref=yref,
                          font={"color": color, "size": size}))

    # Whole stack.
    if not detail_only:
        _whole_stack_labels(dim, label, seam, machine, pan, canopy_bottom, canopy_top, roof_band, floor_depth,
                            x_coal0, x_face, x_mach0, x_mach1, body0, body1, x_leg0, x_end)


    # Magnified gap.
    gap_lo, gap_hi = min(machine, canopy_bottom), max(machine, canopy_bottom)
    y2_lo = gap_lo - 120.0
    y2_hi = max(canopy_top, seam + rock) + 70.0
    if detail_range_mm is not None:
        y2_lo, y2_hi = float(detail_range_mm[0]), float(detail_range_mm[1])
    x_gap = (body0 + body1) / 2
    if spare >= 0:
        gap_text, color = f"<b>spare {spare:,.0f} mm</b>", _GOOD
    else:
        gap_text, color = f"<b>{-spare:,.0f} mm too tall</b>", _BAD
    if margin > 0:
        gap_text += f"<br><span style='font-size:11px'>design margin {margin:,.0f} mm (dotted)</span>"
        shapes.append(dict(type="line", x0=body0, x1=body1, y0=machine + margin, y1=machine + margin, xref=dx,
                           yref=dy, line={"color": "#1b5e20", "width": 2, "dash": "dot"}))
    dim(gap_lo, gap_hi, "", x_mach1 + 80.0, col=d, color=color, side="right", tick=40.0)
    notes.append(dict(x=x_gap, y=gap_lo - 10.0, text=gap_text, showarrow=False, xanchor="center",
                      yanchor="top", align="center", xref=dx, yref=dy, font={"color": color, "size": 14},
                      bgcolor="rgba(255,255,255,0.92)", bordercolor=color, borderwidth=1, borderpad=3))
    label(x_mach1 + 450.0, (canopy_bottom + canopy_top) / 2, f"canopy tip {canopy:,.0f} mm", "white", col=d)
    if conv > 0:
        label(x_mach1 + 450.0, canopy_top + min(60.0, (y2_hi - canopy_top) / 2),
              f"roof down {conv:,.0f} mm", "#4e342e", col=d)
    if rock > 0.5:
        label(x_gap, seam + rock / 2, f"<b>cut {rock:,.0f} mm of rock</b>", "white", col=d, size=13)
    label(x_gap, y2_lo + 18.0, "shearer body", "#212121", col=d)
    fig.update_layout(shapes=[*fig.layout.shapes, *shapes], annotations=[*fig.layout.annotations, *notes])

    if title is None:
        if spare >= margin:
            title = (f"Clearance under the canopy: {spare:+,.0f} mm (the design keeps {margin:,.0f} mm)"
                     " — the machine cuts coal only")
        elif spare >= 0:
            title = f"Clearance under the canopy: {spare:+,.0f} mm — less than the {margin:,.0f} mm design margin"
        else:
            title = (f"The machine is {-spare:,.0f} mm taller than the space under the canopy:"
                     f" it must cut {rock:,.0f} mm of roof rock")
    _layout(fig, title, height=400, legend=False)
    fig.update_xaxes(visible=False, fixedrange=True)
    fig.update_yaxes(fixedrange=True, zeroline=False)
    if not detail_only:
        fig.update_xaxes(range=[x_coal0 - 1250.0, x_end + 1000.0], row=1, col=1)
        fig.update_yaxes(title_text="height above floor [mm]", range=[-floor_depth, top], row=1, col=1)
    fig.update_xaxes(range=[x_face - 250.0, x_leg0 - 60.0], row=1, col=d)
    fig.update_yaxes(range=[y2_lo, y2_hi], row=1, col=d, title_text="height above floor [mm]" if detail_only else "mm")
    fig.update_annotations(selector={"text": "the whole height, to scale"}, font={"size": 12, "color": "#616161"})
    fig.update_annotations(selector={"text": "magnified: body top and canopy"}, font={"size": 12, "color": "#616161"})
    fig.update_annotations(selector={"text": "body top and canopy, magnified"}, font={"size": 12, "color": "#616161"})
    return fig


def common_detail_range(pictures: Sequence[Mapping[str, float]]) -> tuple[float, float]:
    """A height range [mm] for the magnified panel that fits every picture (to compare them)."""
    lows, highs = [], []
    for p in pictures:
        seam = _finite(p.get("seam_height_mm"), 800.0)
        machine = _finite(p.get("machine_height_mm"), 600.0)
        canopy_top = seam - _finite(p.get("convergence_mm"), 0.0)
        canopy_bottom = canopy_top - _finite(p.get("canopy_tip_thickness_mm"), 150.0)
        rock = _finite(p.get("rock_cut_mm"), 0.0)
        lows.append(min(machine, canopy_bottom) - 120.0)
        highs.append(max(canopy_top, seam + rock) + 70.0)
    return (min(lows), max(highs)) if lows else (400.0, 900.0)


def _whole_stack_labels(dim, label, seam, machine, pan, canopy_bottom, canopy_top, roof_band, floor_depth,
                        x_coal0, x_face, x_mach0, x_mach1, body0, body1, x_leg0, x_end) -> None:
    """Dimensions and names of the parts on the whole-height panel of :func:`cross_section`."""
    dim(0.0, seam, f"seam<br>{seam:,.0f} mm", x_end + 150.0, col=1, side="right")
    dim(0.0, machine, f"machine<br>{machine:,.0f} mm", x_coal0 - 150.0, col=1, side="left")
    label((x_coal0 + x_face) / 2, seam / 2, "coal", "white", size=13)
    label((body0 + body1) / 2, (pan + machine) / 2, "shearer body", "#212121")
    label((x_mach0 + x_mach1) / 2, pan / 2, "conveyor pan", "white", size=11)
    label((x_mach1 + x_leg0) / 2, (canopy_bottom + canopy_top) / 2, "canopy", "white")
    label((x_leg0 + x_end) / 2, seam + roof_band / 2, "roof", "#4e342e")
    label((x_leg0 + x_end) / 2, -floor_depth / 2, "floor", "#3e2723", size=11)


# --------------------------------------------------------------------------------------
# Shearer position over time
# --------------------------------------------------------------------------------------
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
    _layout(fig, title, height=420)
    fig.update_layout(legend={"orientation": "v", "x": 1.01, "y": 1.0, "xanchor": "left", "yanchor": "top",
                              "font": {"size": 11}}, margin={"r": 190})
    x_range = [0.0, min(window_h, end_h)] if window_h and end_h > window_h else [0.0, max(end_h, 1e-9)]
    fig.update_xaxes(title_text="time [h] — drag to zoom in, double-click to see the whole run", range=x_range)
    y_top = face_length_m if face_length_m else (float(np.nanmax(pos)) if pos.size else 1.0)
    fig.update_yaxes(title_text="position along the face [m]", range=[-0.03 * y_top, 1.03 * y_top])
    return fig


# --------------------------------------------------------------------------------------
# Tonnage: cumulative and distribution
# --------------------------------------------------------------------------------------
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
    _layout(fig, title, height=340)
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
                   line={"color": scenario_color(i)}, fillcolor=_rgba(scenario_color(i), 0.15),
                   hovertemplate="%{y:,.0f}<extra>" + name + "</extra>")
        )
    for j, (label, (lo, hi)) in enumerate((bands or {}).items()):
        color = ("#8d6e63", "#1e88e5", "#43a047")[j % 3]
        fig.add_hrect(y0=lo, y1=hi, fillcolor=_rgba(color, 0.12), line_width=0, layer="below")
        # the band's label sits in the right margin, beside the band: never under a box
        fig.add_annotation(x=1.0, xref="paper", xanchor="left", xshift=4, y=(lo + hi) / 2.0, yref="y", text=label,
                           showarrow=False, align="left", font={"size": 11, "color": color}, name="band label")
    _layout(fig, title, height=360, legend=False)
    if bands:
        fig.update_layout(margin={"r": 120})
    fig.update_yaxes(title_text=y_title, rangemode="tozero", tickformat=",")
    return fig


# --------------------------------------------------------------------------------------
# Where the time goes and what holds the face back
# --------------------------------------------------------------------------------------
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
    _layout(fig, title, height=max(300, 26 * len(series) + 110), legend=False)
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
    _layout(fig, title, height=max(300, 70 * len(names) + 260))
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
    _layout(fig, title, height=max(240, 70 * len(names) + 150))
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
            LIMIT_COLORS.get(n, "#9e9e9e") if n == binding else _rgba(LIMIT_COLORS.get(n, "#9e9e9e"), 0.35)
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
    _layout(fig, title, height=330, legend=False)
    fig.update_annotations(font={"size": 12, "color": "#616161"})
    return fig


# --------------------------------------------------------------------------------------
# Comparisons
# --------------------------------------------------------------------------------------
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
    _layout(fig, title, height=280 * rows + 60, legend=False)
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
    _layout(fig, title or f"Difference from {baseline_label} (paired, 95% CI)", height=max(220, 60 * len(names) + 140),
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
    _layout(fig, title, height=420, legend=False)
    fig.update_yaxes(title_text=unit, tickformat=",", rangemode="tozero")
    return fig


# --------------------------------------------------------------------------------------
# Sweeps and the feasible region
# --------------------------------------------------------------------------------------
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
                                 fillcolor=_rgba(color, 0.2), name="95% CI", legendgroup=label,
                                 showlegend=name is None, hoverinfo="skip"))
        fig.add_trace(go.Scatter(x=frame[x], y=frame["mean"], mode="lines+markers", name=label,
                                 legendgroup=label, line={"color": color, "width": 2.5},
                                 customdata=np.stack([frame["lo"], frame["hi"]], axis=-1),
                                 hovertemplate="%{x}: %{y:,.4g} (95% CI %{customdata[0]:,.4g} – "
                                               "%{customdata[1]:,.4g})<extra></extra>"))
    _layout(fig, title, height=400)
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
    _layout(fig, title, height=440, legend=False)
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
    _layout(fig, title, height=480, legend=False)
    for text in titles:
        fig.update_annotations(selector={"text": text}, font={"size": 13})
    return fig


__all__ = [
    "LIMIT_COLORS",
    "LIMIT_LABELS",
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
