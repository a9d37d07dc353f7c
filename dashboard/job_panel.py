"""Background jobs on a page: start one (kept in the session state) and show its progress
with a *Stop* button, the page rerun when it ends.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

import dashboard


def job_panel(job: dashboard.Job, key: str) -> None:
    """Progress of a background job with a *Stop* button; reruns the page when it ends.

    The panel refreshes itself twice a second (a fragment), so the rest of the page stays
    usable while the job runs.
    """

    @st.fragment(run_every=0.5)
    def _poll() -> None:
        if job.running:
            text = f"{job.label}: {job.done:,} of {job.total:,} runs · {job.elapsed_s:,.1f} s"
            if job.cancelled:
                text += " · stopping…"
            st.progress(job.fraction, text=text)
            st.button("Stop", key=f"{key}:stop", icon=":material/stop_circle:", disabled=job.cancelled,
                      on_click=job.cancel)
        else:
            st.rerun()

    _poll()


def start_job(state_key: str, fn: Callable[[Callable[[int, int], bool]], Any], label: str, **meta: Any) -> dashboard.Job:
    """Start ``fn(progress)`` as a background job kept in ``st.session_state[state_key]``."""
    old = st.session_state.get(state_key)
    if isinstance(old, dashboard.Job) and old.running:
        old.cancel()
    job = dashboard.Job(fn, label=label, meta=dict(meta)).start()
    st.session_state[state_key] = job
    return job


__all__ = [
    "job_panel",
    "start_job",
]
