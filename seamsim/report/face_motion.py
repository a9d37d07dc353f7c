"""The face in motion: frames of a run sampled at a fixed interval, and their animation.

:func:`face_frames` turns a run's position trace and passes into a short list of
:class:`FaceFrame` (a pure function: no simulation, no plotting); :func:`face_motion_figure`
draws them as a plan view of the face — the shearer moving along it, the shields and the
conveyor behind it, the coal face cut to the new web — with play/pause buttons at three
speeds and a slider; :func:`face_motion_html` writes that figure as one self-contained HTML
file (plotly's JavaScript inlined, no network request).

Only sampled frames go to the browser (one every ``interval_s``, at most ``max_frames``),
never every event of the run, so a month stays light.

What comes from the run and what is approximated
------------------------------------------------
- The shearer's position at a frame's time is the trace interpolated linearly between the
  two changes of state around it (the trace has one row per change of state; the shearer
  moves between them at the mean speed of that stretch). The state shown is the one entered
  at the last change at or before that time, coloured as on every other chart.
- Tonnes so far: the run-of-mine tonnes of the passes finished, plus the running pass's
  tonnes in proportion to the distance its shearer has covered so far.
- Shields and conveyor are **approximated from positions**: the model does not trace each
  shield. Within a pass a shield counts as advanced once the shearer is ``shield_lag_m``
  past it (default: ``face.max_shield_lag`` shields, the most the model lets the shields
  fall behind), and the conveyor is pushed over the ``snake_m`` after that (default: the
  scenario's ``operation.sump_travel_m``, the bend the conveyor can take), so it snakes
  between the pushed and the unpushed part. Between passes the last web is shown complete
  (cut, shields advanced, conveyor pushed); the next pass starts from it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from seamsim.report.palette import OTHER_COLOR, STATE_COLORS, state_label

__all__ = [
    "DEFAULT_DAYS_SHOWN",
    "DEFAULT_INTERVAL_S",
    "MAX_FRAMES",
    "FaceFrame",
    "FaceGeometry",
    "face_frames",
    "face_motion_figure",
    "face_motion_html",
    "shearer_position_m",
]

DEFAULT_INTERVAL_S = 300.0
"""One frame every five simulated minutes."""

MAX_FRAMES = 600
"""The most frames an animation holds; a longer stretch gets a longer interval."""

DEFAULT_DAYS_SHOWN = 2.0
"""Days of the run shown unless asked otherwise."""

SPEEDS: tuple[tuple[str, float], ...] = (("1×", 400.0), ("4×", 100.0), ("16×", 25.0))
"""Play buttons: label and milliseconds per frame."""

S_PER_DAY = 86_400.0
_CONVEYOR_WIDTH_M = 0.8
_CANOPY_LENGTH_M = 3.0
_SHIELD_FILL = "#90a4ae"
_SHIELD_ADVANCED = "#546e7a"
_COAL = "#263238"
_CONVEYOR = "#1565c0"
_CLOCK_ABOVE_M = 0.75
"""Height of the clock's two lines' middle above the new web [m of the plan]."""
FIGURE_HEIGHT_PX = 420
"""Height of the animated chart [px]; its width follows the page."""
_MARGIN_TOP_PX = 8
_MARGIN_BOTTOM_PX = 112  # the axis' ticks, the play buttons, the slider


@dataclass(frozen=True)
class FaceGeometry:
    """What the plan view of the face needs to know of a scenario.

    Attributes
    ----------
    length_m : float
        Face length [m].
    shield_width_m : float
        Shield width, centre to centre [m].
    web_m : float
        Depth of one cut [m].
    shield_lag_m : float
        How far behind the shearer a shield counts as advanced [m] (approximation).
    snake_m : float
        Length of the conveyor's bend between unpushed and pushed [m] (approximation).
    """

    length_m: float
    shield_width_m: float
    web_m: float
    shield_lag_m: float
    snake_m: float

    @classmethod
    def from_scenario(cls, scenario: Any) -> FaceGeometry:
        """Return the geometry of a :class:`seamsim.Scenario`."""
        face = scenario.face
        return cls(
            length_m=float(face.length_m),
            shield_width_m=float(face.shield_width_m),
            web_m=float(scenario.machine.web_m),
            shield_lag_m=float(face.max_shield_lag * face.shield_width_m),
            snake_m=max(float(scenario.operation.sump_travel_m), float(face.shield_width_m)),
        )

    @property
    def shield_centres_m(self) -> np.ndarray:
        """Centre of each shield along the face [m]."""
        count = max(1, int(math.floor(self.length_m / self.shield_width_m + 1e-9)))
        return (np.arange(count) + 0.5) * (self.length_m / count)


@dataclass(frozen=True)
class FaceFrame:
    """The face at one instant.

    Attributes
    ----------
    time_s : float
        Simulated time since the start of the run [s].
    shearer_m : float
        The shearer's position along the face [m].
    state : str
        The face's state (one of :data:`seamsim.STATES`).
    rom_t : float
        Run-of-mine tonnes so far.
    webs : int
        Webs (passes) finished.
    cut_from_m, cut_to_m : float
        The stretch of the face already cut to the web of the running pass [m]; between
        passes the whole face (the last web complete), before the first pass nothing.
    shields_advanced : tuple of bool
        Per shield (:attr:`FaceGeometry.shield_centres_m`): advanced to the next web.
    conveyor_pushed : tuple of float
        Per shield: the share of the web the conveyor in front of it has been pushed (0–1).
    """

    time_s: float
    shearer_m: float
    state: str
    rom_t: float
    webs: int
    cut_from_m: float
    cut_to_m: float
    shields_advanced: tuple[bool, ...]
    conveyor_pushed: tuple[float, ...]

    @property
    def clock(self) -> str:
        """The simulated time as ``day 1, 06:40``."""
        minutes = int(round(self.time_s / 60.0))
        day, rest = divmod(minutes, 24 * 60)
        return f"day {day + 1}, {rest // 60:02d}:{rest % 60:02d}"


def frame_times_s(start_s: float, end_s: float, interval_s: float = DEFAULT_INTERVAL_S,
                  max_frames: int = MAX_FRAMES) -> np.ndarray:
    """Return the frame times from ``start_s`` to ``end_s``: every ``interval_s``, or fewer
    and evenly spread when that would make more than ``max_frames`` frames."""
    if not (math.isfinite(interval_s) and interval_s > 0):
        raise ValueError(f"interval_s must be a positive number of seconds, got {interval_s}")
    if max_frames < 2:
        raise ValueError(f"max_frames must be at least 2, got {max_frames}")
    span_s = max(0.0, end_s - start_s)
    count = int(math.floor(span_s / interval_s + 1e-9)) + 1
    if count > max_frames:
        return np.linspace(start_s, end_s, max_frames)
    return start_s + interval_s * np.arange(count)


def shearer_position_m(trace: pd.DataFrame, times_s: Sequence[float] | np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return the shearer's position [m] and state at each time, from a position trace.

    Parameters
    ----------
    trace : DataFrame
        ``time_s``, ``position_m``, ``state``, sorted by time (one row per change of state;
        rows at the same time keep their order, the last one holds).
    times_s : array of float
        Times [s].

    Returns
    -------
    (ndarray of float, ndarray of str)
        The position interpolated linearly between the last row at or before each time and
        the next row, and the state of that last row (the first row's before the trace).
    """
    t = trace["time_s"].to_numpy(float)
    x = trace["position_m"].to_numpy(float)
    states = trace["state"].astype(str).to_numpy()
    times = np.asarray(times_s, dtype=float)
    if t.size == 0:
        return np.zeros(times.size), np.full(times.size, "idle", dtype=object)
    i = np.clip(np.searchsorted(t, times, side="right") - 1, 0, t.size - 1)
    j = np.minimum(i + 1, t.size - 1)
    span = t[j] - t[i]
    frac = np.where(span > 0, np.clip((times - t[i]) / np.where(span > 0, span, 1.0), 0.0, 1.0), 0.0)
    return x[i] + (x[j] - x[i]) * frac, states[i]


def face_frames(
    trace: pd.DataFrame,
    passes: pd.DataFrame,
    geometry: FaceGeometry,
    *,
    start_s: float = 0.0,
    duration_s: float | None = DEFAULT_DAYS_SHOWN * S_PER_DAY,
    horizon_s: float | None = None,
    interval_s: float = DEFAULT_INTERVAL_S,
    max_frames: int = MAX_FRAMES,
) -> list[FaceFrame]:
    """Return the frames of the face in motion, sampled every ``interval_s``.

    Parameters
    ----------
    trace : DataFrame
        The run's position trace (``RunResult.trace``: ``time_s``, ``position_m``, ``state``).
    passes : DataFrame
        The run's passes (``RunResult.passes``: ``start_s``, ``end_s``, ``coal_t``,
        ``rock_t``).
    geometry : FaceGeometry
        The face (:meth:`FaceGeometry.from_scenario`).
    start_s : float, optional
        First frame's time [s].
    duration_s : float or None, optional
        Span shown [s] (two days); ``None`` shows up to the end of the run.
    horizon_s : float, optional
        End of the run [s] (the trace's last time when not given); no frame goes past it.
    interval_s : float, optional
        Simulated seconds between frames (300); made longer when the span would need more
        than ``max_frames``.
    max_frames : int, optional
        The most frames returned (600).

    Returns
    -------
    list of FaceFrame
        In time order; see the module's notes for what is approximated.
    """
    trace = trace.sort_values("time_s", kind="stable").reset_index(drop=True)
    end_of_run_s = float(horizon_s) if horizon_s is not None else (
        float(trace["time_s"].iloc[-1]) if len(trace) else 0.0)
    end_s = end_of_run_s if duration_s is None else min(end_of_run_s, start_s + float(duration_s))
    times = frame_times_s(float(start_s), max(float(start_s), end_s), interval_s, max_frames)
    positions, states = shearer_position_m(trace, times)
    trace_t = trace["time_s"].to_numpy(float)
    trace_x = trace["position_m"].to_numpy(float)
    p_start = passes["start_s"].to_numpy(float) if len(passes) else np.zeros(0)
    p_end = passes["end_s"].to_numpy(float) if len(passes) else np.zeros(0)
    p_tonnes = (passes["coal_t"] + passes["rock_t"]).to_numpy(float) if len(passes) else np.zeros(0)
    done_tonnes = np.concatenate([[0.0], np.cumsum(p_tonnes)])
    x_start, _ = shearer_position_m(trace, p_start)
    x_end, _ = shearer_position_m(trace, p_end)
    centres = geometry.shield_centres_m
    frames = []
    for time_s, x, state in zip(times, positions, states, strict=True):
        webs = int(np.searchsorted(p_end, time_s, side="right"))
        running = webs < p_start.size and p_start[webs] <= time_s < p_end[webs]
        rom_t = float(done_tonnes[webs])
        if not running:  # before the first pass nothing is cut; after a pass, its web is complete
            cut = (0.0, geometry.length_m) if webs else (float(x), float(x))
            frames.append(FaceFrame(float(time_s), float(x), str(state), rom_t, webs, *cut,
                                    (bool(webs),) * centres.size, (1.0 if webs else 0.0,) * centres.size))
            continue
        # the running pass: the stretch covered since it started (the trace points in it, and now)
        inside = (trace_t >= p_start[webs]) & (trace_t <= time_s)
        visited = np.concatenate([[x_start[webs], x], trace_x[inside]])
        cut_from, cut_to = float(visited.min()), float(visited.max())
        length = abs(x_end[webs] - x_start[webs])
        covered = max(abs(v - x_start[webs]) for v in (cut_from, cut_to))
        rom_t += float(p_tonnes[webs]) * (min(1.0, covered / length) if length > 0 else 0.0)
        direction = 1.0 if x_end[webs] >= x_start[webs] else -1.0
        behind_m = (x - centres) * direction
        in_cut = (centres >= cut_from) & (centres <= cut_to)
        advanced = in_cut & (behind_m >= geometry.shield_lag_m)
        pushed = np.where(in_cut, np.clip((behind_m - geometry.shield_lag_m) / geometry.snake_m, 0.0, 1.0), 0.0)
        frames.append(FaceFrame(float(time_s), float(x), str(state), rom_t, webs, cut_from, cut_to,
                                tuple(bool(a) for a in advanced), tuple(float(round(v, 3)) for v in pushed)))
    return frames


# --------------------------------------------------------------------------------------
# The figure
# --------------------------------------------------------------------------------------
def _shield_bars(shown: np.ndarray) -> dict[str, Any]:
    """Shields as bars one canopy long, one per shield at its centre (the x of the trace, its
    width set on the trace in metres of face, so they stay apart at any page width): a shield
    not in this group has a bar of height 0. Every frame keeps every bar, because plotly
    leaves bars that a frame adds unstyled."""
    return {"type": "bar", "y": np.where(shown, _CANOPY_LENGTH_M, 0.0).tolist()}


def _frame_traces(frame: FaceFrame, geometry: FaceGeometry) -> list[dict[str, Any]]:
    """The moving traces of one frame: coal face, conveyor, shields waiting, shields advanced,
    shearer, clock (in that order)."""
    web = geometry.web_m
    centres = geometry.shield_centres_m
    # the coal face: at the new web where this pass has cut, at the old one elsewhere
    if frame.cut_to_m > frame.cut_from_m:
        face_x = [0.0, frame.cut_from_m, frame.cut_from_m, frame.cut_to_m, frame.cut_to_m, geometry.length_m]
        face_y = [0.0, 0.0, web, web, 0.0, 0.0]
    else:
        face_x, face_y = [0.0, geometry.length_m], [0.0, 0.0]
    pushed = np.asarray(frame.conveyor_pushed, dtype=float)
    conveyor_y = np.round(-_CONVEYOR_WIDTH_M / 2 + web * pushed, 3)
    advanced = np.asarray(frame.shields_advanced, dtype=bool)
    color = STATE_COLORS.get(frame.state, OTHER_COLOR)
    label = state_label(frame.state)
    return [
        {"type": "scatter", "x": face_x, "y": face_y},
        {"type": "scatter", "x": np.round(centres, 3).tolist(), "y": conveyor_y.tolist()},
        _shield_bars(~advanced),
        _shield_bars(advanced),
        {"type": "scatter", "x": [round(frame.shearer_m, 2)], "y": [web / 2 - _CONVEYOR_WIDTH_M / 2],
         "marker": {"color": [color]}, "text": [label], "hovertext": [label]},
        {"type": "scatter", "x": [0.0], "y": [web + _CLOCK_ABOVE_M], "text": [_clock_line(frame)]},
    ]


def _clock_line(frame: FaceFrame) -> str:
    """Two short lines above the face: the clock and the tonnes, then the shearer's state."""
    webs = f"{frame.webs} web{'s' if frame.webs != 1 else ''}"
    return (f"<b>{frame.clock}</b> · <b>{frame.rom_t:,.0f} t</b> so far · {webs}<br>"
            f"shearer: {state_label(frame.state)}")


def face_motion_figure(frames: Sequence[FaceFrame], geometry: FaceGeometry, *,
                       title: str | None = None) -> dict[str, Any]:
    """Return the plan view of the face animated over ``frames``, as a plotly figure dict.

    Parameters
    ----------
    frames : sequence of FaceFrame
        From :func:`face_frames` (at least one).
    geometry : FaceGeometry
        The face.
    title : str, optional
        A title drawn in the chart (none by default: :func:`face_motion_html` writes the
        title above the chart as text that wraps on a narrow page). Two short lines inside
        the chart give the clock, the tonnes so far, the webs and the shearer's state.

    Returns
    -------
    dict
        ``data``, ``layout`` and ``frames`` of a plotly figure: traces ``coal face``,
        ``conveyor``, ``shields, not yet advanced`` and ``shields advanced`` (bars one shield
        wide), ``shearer`` and ``clock`` (moving, one frame per :class:`FaceFrame`),
        play buttons at 1×, 4× and 16× (400, 100 and 25 ms a frame), a pause button and a
        slider on a row of its own. The colour key (the face's parts and each state the
        shearer is in) is ``layout.meta["key"]``, a list of ``{"name", "color", "shape"}``
        that :func:`face_motion_html` writes under the chart (it wraps on a narrow page,
        where a plotly legend would not). The height is fixed (:data:`FIGURE_HEIGHT_PX`); the
        width follows the page. The frames are plain dicts, not checked by plotly's figure
        classes (which take seconds for 600 frames); ``plotly.graph_objects.Figure(spec)``
        makes a figure of it.
    """
    import plotly.graph_objects as go

    if not frames:
        raise ValueError("no frames to animate (the span shown is empty)")
    first = _frame_traces(frames[0], geometry)
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=first[0]["x"], y=first[0]["y"], mode="lines", name="coal face",
                             line={"color": _COAL, "width": 4}, hoverinfo="skip"))
    fig.add_trace(go.Scatter(x=first[1]["x"], y=first[1]["y"], mode="lines", name="conveyor",
                             line={"color": _CONVEYOR, "width": 5, "shape": "spline"}, hoverinfo="skip"))
    for k, (name, color, advance_m) in enumerate((("shields, not yet advanced", _SHIELD_FILL, 0.0),
                                                  ("shields advanced", _SHIELD_ADVANCED, geometry.web_m)), start=2):
        fig.add_trace(go.Bar(x=np.round(geometry.shield_centres_m, 2), y=first[k]["y"], name=name, hoverinfo="skip",
                             base=-_CONVEYOR_WIDTH_M - _CANOPY_LENGTH_M + advance_m,
                             width=0.8 * geometry.shield_width_m, marker={"color": color, "line": {"width": 0}}))
    fig.add_trace(go.Scatter(x=first[4]["x"], y=first[4]["y"], text=first[4]["text"], mode="markers",
                             name="shearer", marker={"color": first[4]["marker"]["color"], "size": 22,
                                                     "symbol": "square", "line": {"color": "#212121", "width": 2}},
                             hovertemplate="%{text}<extra>shearer</extra>"))
    fig.add_trace(go.Scatter(x=first[5]["x"], y=first[5]["y"], text=first[5]["text"], mode="text", name="clock",
                             textposition="middle right", textfont={"size": 15, "color": "#212121"},
                             hoverinfo="skip"))
    buttons = [
        {"label": f"▶ {label}", "method": "animate",
         "args": [None, {"frame": {"duration": ms, "redraw": False}, "fromcurrent": True,
                         "transition": {"duration": 0}, "mode": "immediate"}]}
        for label, ms in SPEEDS
    ]
    buttons.append({"label": "❚❚ pause", "method": "animate",
                    "args": [[None], {"frame": {"duration": 0, "redraw": False}, "mode": "immediate",
                                      "transition": {"duration": 0}}]})
    steps = [
        {"label": f.clock, "method": "animate",
         "args": [[str(k)], {"frame": {"duration": 0, "redraw": False}, "mode": "immediate",
                             "transition": {"duration": 0}}]}
        for k, f in enumerate(frames)
    ]
    plot_px = FIGURE_HEIGHT_PX - _MARGIN_TOP_PX - _MARGIN_BOTTOM_PX  # the plot area's height (no automargin)
    fig.update_layout(
        title={"text": title, "x": 0.0, "xanchor": "left", "font": {"size": 17}} if title else None,
        template="plotly_white",
        font={"family": "Arial, sans-serif", "size": 14},
        height=FIGURE_HEIGHT_PX,
        margin={"l": 62, "r": 12, "t": _MARGIN_TOP_PX + (34 if title else 0), "b": _MARGIN_BOTTOM_PX},
        showlegend=False,
        barmode="overlay",
        bargap=0,
        meta={"key": _colour_key(frames)},
        updatemenus=[{"type": "buttons", "direction": "left", "showactive": False, "x": 0.0, "xanchor": "left",
                      "y": -34 / plot_px, "yanchor": "top", "pad": {"t": 0, "r": 6}, "buttons": buttons}],
    )
    fig.update_xaxes(ticksuffix=" m", automargin=False, range=[-0.02 * geometry.length_m, 1.02 * geometry.length_m])
    fig.update_yaxes(title_text="towards the coal [m]", title_font={"size": 13}, automargin=False,
                     range=[-_CONVEYOR_WIDTH_M - _CANOPY_LENGTH_M - 0.3, geometry.web_m + _CLOCK_ABOVE_M + 0.6],
                     zeroline=False, fixedrange=True)
    spec = fig.to_dict()
    spec["layout"]["sliders"] = [{
        "active": 0, "steps": steps, "x": 0.0, "len": 1.0, "y": -72 / plot_px, "yanchor": "top",
        "pad": {"t": 4, "b": 0, "l": 0, "r": 0}, "ticklen": 0, "tickwidth": 0,
        "font": {"color": "rgba(0,0,0,0)", "size": 1}, "currentvalue": {"visible": False},
    }]
    spec["frames"] = [
        {"data": _frame_traces(f, geometry), "traces": [0, 1, 2, 3, 4, 5], "name": str(k)}
        for k, f in enumerate(frames)
    ]
    return spec


def _colour_key(frames: Sequence[FaceFrame]) -> list[dict[str, str]]:
    """The colour key: the face's parts, then each state the shearer is in (in order of first
    appearance)."""
    key = [{"name": "coal face", "color": _COAL, "shape": "line"},
           {"name": "conveyor", "color": _CONVEYOR, "shape": "line"},
           {"name": "shield, not yet advanced", "color": _SHIELD_FILL, "shape": "bar"},
           {"name": "shield advanced", "color": _SHIELD_ADVANCED, "shape": "bar"}]
    for state in dict.fromkeys(f.state for f in frames):
        key.append({"name": f"shearer: {state_label(state)}", "color": STATE_COLORS.get(state, OTHER_COLOR),
                    "shape": "square"})
    return key


_QUIET_PAUSE = ("<script>window.addEventListener('unhandledrejection',function(e){"
                "if(e.reason===undefined){e.preventDefault();}});</script>")
"""Pause interrupts plotly's running animation, whose promise then rejects with nothing: not
an error of the page, so it is not reported as one."""


def face_motion_html(figure: Mapping[str, Any], *, title: str = "The face in motion",
                     notes: Mapping[str, str] | None = None) -> str:
    """Return ``figure`` as one self-contained HTML page: plotly's JavaScript inlined, no
    MathJax, no fonts or scripts fetched from anywhere.

    The title is a heading above the chart and the colour key (``layout.meta["key"]`` of
    :func:`face_motion_figure`) a list under it, both plain text that wraps, so the page
    reads the same in a narrow frame (the dashboard's expander at 1,024 px) and on a
    projector.

    Parameters
    ----------
    figure : dict
        From :func:`face_motion_figure`.
    title : str, optional
        The page's title, also written above the chart.
    notes : mapping of str to str, optional
        Lines shown under the animation (``label: text``), e.g. the scenario and the seed.
    """
    from html import escape

    import plotly.io as pio

    div = pio.to_html(figure, full_html=False, include_plotlyjs=True, include_mathjax=False, validate=False,
                      config={"displaylogo": False, "responsive": True, "displayModeBar": False},
                      div_id="face-motion", auto_play=False)
    key = "".join(
        f'<li><span class="{escape(item.get("shape", "square"))}" style="background:{escape(item["color"])}">'
        f"</span>{escape(item['name'])}</li>"
        for item in (figure.get("layout", {}).get("meta") or {}).get("key", [])
    )
    rows = "".join(f"<li><b>{escape(k)}</b>: {escape(v)}</li>" for k, v in (notes or {}).items())
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        f"<title>{escape(title)}</title>{_QUIET_PAUSE}"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        "<style>body{font-family:Arial,Helvetica,sans-serif;margin:0.75rem;color:#212121;background:#fff}"
        "h1{font-size:1.15rem;font-weight:normal;color:#1a2b4c;margin:0 0 0.25rem 0;line-height:1.3}"
        "ul.key{list-style:none;padding:0;margin:0.25rem 0 0.5rem 0;display:flex;flex-wrap:wrap;"
        "gap:0.15rem 1.1rem;font-size:0.85rem}"
        "ul.key li{display:flex;align-items:center;gap:0.35rem;white-space:nowrap}"
        "ul.key span{display:inline-block;width:0.8rem;height:0.8rem;border:1px solid #212121}"
        "ul.key span.line{height:0.25rem;width:1.3rem;border:none}"
        "ul.key span.bar{width:0.45rem;height:0.9rem;border:none}"
        "ul.notes{font-size:0.85rem;line-height:1.4;margin:0;padding-left:1.1rem}"
        "p{font-size:0.8rem;color:#546e7a;margin:0.3rem 0 0 0}</style></head><body>"
        f"<h1>{escape(title)}</h1>{div}<ul class=\"key\">{key}</ul><ul class=\"notes\">{rows}</ul>"
        "<p>Shields and the conveyor's snake are approximated from the shearer's positions; the shearer's "
        "position and state, the clock and the tonnes come from the run.</p></body></html>\n"
    )
