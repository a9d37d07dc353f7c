"""The Compare page's "report to hand out": the same HTML file as ``seamsim report`` (Streamlit).

The comparison already on the page is reused; the job adds the decomposition from the
first scenario to each other one (one factor at a time, the same seed) and renders the
report with :mod:`seamsim.report` — the builder the command line uses.
"""

from __future__ import annotations

import re
from typing import Any

import streamlit as st

import dashboard
import seamsim
from dashboard import widgets as w
from seamsim.report.comparison import default_question, report_from_results
from seamsim.report.document import report_html


def _report_work(comparison: Any, replications: int, seed: int, question: str, decompose: bool):
    def work(progress):
        scenarios = list(comparison.experiment.scenarios.values())
        decompositions = [
            seamsim.decompose(scenarios[0], other, replications, seed, executor="serial", progress=progress,
                              chunk_size=max(1, replications // 4))
            for other in (scenarios[1:] if decompose else [])
        ]
        report = report_from_results(comparison, decompositions=decompositions, question=question)
        return report_html(report)

    return work


def report_file_name(comparison: Any) -> str:
    """Return the download's file name: ``report-<first>-vs-<second>….html``."""
    names = "-vs-".join(list(comparison.experiment.scenarios)[:3])
    return f"report-{re.sub(r'[^A-Za-z0-9_.-]+', '_', names)[:120]}.html"


def report_section(comparison: Any, key: str, *, seed: int) -> None:
    """Draw the section: the question, whether to decompose, *Build*, then *Download*."""
    scenarios = list(comparison.experiment.scenarios.values())
    replications = len(comparison.experiment.replications)
    st.subheader("A report to hand out")
    st.caption("One HTML file that opens anywhere without a network: the question, the KPI table with paired "
               "intervals, the waterfall, the time breakdown, what holds each face back, the model's assumptions and "
               "the scenarios (downloadable). The same file as `seamsim report`; it prints on A4.")
    question = st.text_area("The question it answers", value=default_question(scenarios), key=f"{key}_question",
                            height=68)
    c1, c2 = st.columns([3, 1])
    decompose = c1.toggle(f"With the waterfall from the first scenario to each other ({replications} replications "
                          "of every step)", value=True, key=f"{key}_decompose")
    job = st.session_state.get(key)
    running = isinstance(job, dashboard.Job) and job.running
    if c2.button("Build the report", icon=":material/description:", disabled=running, width="stretch",
                 key=f"{key}_build"):
        w.start_job(key, _report_work(comparison, replications, seed, question, decompose),
                    "Building the report", seed=seed)
        st.rerun()
    if not isinstance(job, dashboard.Job):
        return
    if job.running:
        w.job_panel(job, key)
    elif job.error:
        (st.info if job.cancelled else st.error)("Stopped." if job.cancelled else f"The report failed: {job.error}")
    elif job.result:
        st.download_button("Download the report (HTML)", job.result, file_name=report_file_name(comparison),
                           mime="text/html", icon=":material/download:", type="primary", key=f"{key}_download")
