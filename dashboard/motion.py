"""The "Face in motion" expander of the Explore and History pages (Streamlit).

The frames are built by :mod:`seamsim.report.face_motion` (the same builder as
``seamsim animate``) and shown as the very page that the download button hands out: one
self-contained HTML file with plotly's JavaScript inlined. Only sampled frames (one every
few simulated minutes, at most 600) reach the browser, never every event of the run.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd
import streamlit as st
import streamlit.components.v1 as components

import seamsim
from seamsim.report.face_motion import (
    DEFAULT_DAYS_SHOWN,
    FaceGeometry,
    face_frames,
    face_motion_figure,
    face_motion_html,
)

HEIGHT_PX = 730
"""Height of the animation's frame on the page: the whole page fits it from the expander's width at 1,024 px
(about 520 px, 715 px tall) up; a narrower frame scrolls instead of cutting the notes off."""


def motion_html(scenario: seamsim.Scenario, trace: pd.DataFrame, passes: pd.DataFrame, horizon_s: float, *,
                start_day: float, days: float, interval_min: float, label: str) -> str:
    """Return the self-contained animation of a run between ``start_day`` and ``start_day + days``."""
    geometry = FaceGeometry.from_scenario(scenario)
    frames = face_frames(trace, passes, geometry, start_s=start_day * 86_400.0, duration_s=days * 86_400.0,
                         horizon_s=horizon_s, interval_s=interval_min * 60.0)
    title = f"The face in motion: {scenario.title or scenario.name}"
    step_min = (frames[1].time_s - frames[0].time_s) / 60.0 if len(frames) > 1 else 0.0
    return face_motion_html(face_motion_figure(frames, geometry), title=title, notes={
        "run": label, "shown": f"days {start_day:g} to {start_day + days:g}, {len(frames)} frames, one every "
                               f"{step_min:.0f} simulated minutes",
        "version": f"seamsim {seamsim.__version__}",
    })


def face_in_motion(scenario: seamsim.Scenario, key: str, *, horizon_days: float, label: str,
                   run: Any = None, load: Any = None) -> None:
    """Draw the "Face in motion" expander: a span of the run to show, the animation, a download.

    Parameters
    ----------
    scenario : Scenario
        The face.
    key : str
        Prefix of the widget keys (one per page).
    horizon_days : float
        Days the run covers.
    label : str
        What run this is (shown under the animation and in the file).
    run : object with ``trace``, ``passes`` (with ``start_s``), ``horizon_s``, optional
        The replication already simulated (Explore).
    load : callable, optional
        Returns such a replication when asked (History re-simulates it from its seed).
    """
    with st.expander(f"Face in motion: {scenario.title or scenario.name}, replayed from the run", expanded=False,
                     icon=":material/animation:"):
        st.caption("Play, pause, drag the slider; the shearer takes the colour of its state. Shields and the "
                   "conveyor's snake are approximated from the shearer's positions.")
        c1, c2, c3, c4 = st.columns([1, 1, 1, 1])
        days = c1.number_input("Days shown", 0.1, max(0.1, float(horizon_days)),
                               min(DEFAULT_DAYS_SHOWN, float(horizon_days)), 0.5, key=f"{key}_days")
        latest = max(0.0, float(horizon_days) - float(days))
        start = c2.number_input("From day", 0.0, latest, 0.0, 1.0, key=f"{key}_start")
        interval = c3.select_slider("Minutes between frames", [1, 2, 5, 10, 15, 30, 60], 5, key=f"{key}_interval")
        c4.write("")
        show = c4.toggle("Show it", key=f"{key}_show")
        if not show:
            return
        wanted = (scenario.model_dump_json(), label, float(start), float(days), float(interval))
        cached = st.session_state.get(f"{key}_html")
        if not cached or cached[0] != wanted:
            rep = run if run is not None else load()
            if rep is None or not len(rep.trace):
                st.info("Nothing to replay: the face cannot be worked.")
                return
            with st.spinner("Building the frames…"):
                html = motion_html(scenario, rep.trace, rep.passes, rep.horizon_s, start_day=float(start),
                                   days=float(days), interval_min=float(interval), label=label)
            st.session_state[f"{key}_html"] = cached = (wanted, html)
        html = cached[1]
        components.html(html, height=HEIGHT_PX, scrolling=True)
        st.download_button("Download the animation (HTML, works offline)", html,
                           file_name=f"{scenario.name}-face-{int(start)}-{math.ceil(start + days)}d.html",
                           mime="text/html", icon=":material/download:", key=f"{key}_download")
