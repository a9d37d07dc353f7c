"""The Compare page's "report to hand out": the same HTML file as ``seamsim report`` (Streamlit).

The comparison already on the page is reused, and so is every decomposition already run in
this session for the same two scenarios, replications, seed and days (the page's
*Decompose*, or an earlier report): :func:`remember_decomposition` keeps them by
:func:`decomposition_key`. The job computes only the decompositions from the first scenario
to each other one that are not kept yet (one factor at a time, the same seed), and renders
the report with :mod:`seamsim.report` — the builder the command line uses.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

import streamlit as st

import dashboard
import seamsim
from dashboard.job_panel import job_panel, start_job
from seamsim.report.comparison import default_question, report_from_results
from seamsim.report.document import report_html
from seamsim.scenario.digest import scenario_sha256

CACHE = "report_decompositions"
"""Session key of the decompositions kept: :func:`decomposition_key` → ``{"one_order",
"order_free"}``."""

CACHE_SIZE = 8
"""The most decompositions kept in a session (the oldest go first)."""

Key = tuple[str, str, int, int, float | None]


def decomposition_key(a: seamsim.Scenario, b: seamsim.Scenario, replications: int, seed: int,
                      days: float | None = None) -> Key:
    """Return what a decomposition from ``a`` to ``b`` depends on: both scenarios (every
    setting, the name included), the replications, the seed and the days (``None``: each
    scenario's own)."""
    return (scenario_sha256(a), scenario_sha256(b), int(replications), int(seed),
            None if days is None else float(days))


def remember_decomposition(key: Key, one_order: Any, order_free: Any = None) -> None:
    """Keep a decomposition (and its order-free split, when there is one) for the report."""
    cache: dict = st.session_state.setdefault(CACHE, {})
    entry = dict(cache.pop(key, {}))
    entry["one_order"] = one_order
    if order_free is not None:
        entry["order_free"] = order_free
    cache[key] = entry
    while len(cache) > CACHE_SIZE:
        cache.pop(next(iter(cache)))


def known_decompositions(comparison: Any) -> dict[Key, dict[str, Any]]:
    """Return the kept decompositions from the comparison's first scenario to each other one."""
    cache: Mapping = st.session_state.get(CACHE, {})
    return {key: dict(cache[key]) for key in _pairs(comparison) if key in cache}


def _pairs(comparison: Any) -> list[Key]:
    experiment = comparison.experiment
    scenarios = list(experiment.scenarios.values())
    return [decomposition_key(scenarios[0], other, len(experiment.replications), int(experiment.seed),
                              experiment.days) for other in scenarios[1:]]


def report_work(comparison: Any, question: str, decompose: bool,
                known: Mapping[Key, Mapping[str, Any]]) -> Callable[[Callable[[int, int], Any]], dict]:
    """Work for a background job: the report of ``comparison``.

    Returns ``fn(progress)`` giving ``{"html": str, "computed": {key: DecompositionResult}}``:
    with ``decompose``, the waterfall from the first scenario to each other one, taken from
    ``known`` (with its order-free split) where it is there and computed otherwise.
    """
    experiment = comparison.experiment
    scenarios = list(experiment.scenarios.values())
    replications, seed, days = len(experiment.replications), int(experiment.seed), experiment.days
    pairs = list(zip(_pairs(comparison), scenarios[1:], strict=True)) if decompose else []

    def work(progress):
        computed = {}
        for key, other in pairs:
            if key not in known:
                computed[key] = seamsim.decompose(scenarios[0], other, replications, seed, days=days,
                                                  executor="serial", progress=progress,
                                                  chunk_size=max(1, replications // 4))
        decompositions = [known[key]["one_order"] if key in known else computed[key] for key, _ in pairs]
        order_free = [known[key]["order_free"] for key, _ in pairs
                      if known.get(key, {}).get("order_free") is not None]
        report = report_from_results(comparison, decompositions=decompositions, order_free=order_free,
                                     question=question)
        return {"html": report_html(report), "computed": computed}

    return work


def report_file_name(comparison: Any) -> str:
    """Return the download's file name: ``report-<first>-vs-<second>….html``."""
    names = "-vs-".join(list(comparison.experiment.scenarios)[:3])
    return f"report-{re.sub(r'[^A-Za-z0-9_.-]+', '_', names)[:120]}.html"


def _start_report(comparison: Any, key: str, seed: int) -> None:
    """The *Build the report* button's callback: the question and the toggle as they stand, the
    decompositions kept so far."""
    question = str(st.session_state.get(f"{key}_question") or "")
    decompose = bool(st.session_state.get(f"{key}_decompose", True))
    start_job(key, report_work(comparison, question, decompose, known_decompositions(comparison)),
              "Building the report", seed=seed)


def report_section(comparison: Any, key: str, *, seed: int) -> None:
    """Draw the section: the question, whether to decompose, *Build*, then *Download*."""
    scenarios = list(comparison.experiment.scenarios.values())
    replications = len(comparison.experiment.replications)
    st.subheader("A report to hand out")
    st.caption("One HTML file that opens anywhere without a network: the question, the KPI table with paired "
               "intervals, the waterfall, the time breakdown, what holds each face back, the model's assumptions and "
               "the scenarios (downloadable). The same file as `seamsim report`; it prints on A4.")
    st.text_area("The question it answers", value=default_question(scenarios), key=f"{key}_question",
                 height=100)
    known = known_decompositions(comparison)
    decompose = st.toggle(f"With the waterfall from the first scenario to each other ({replications} replications "
                          "of every step)", value=True, key=f"{key}_decompose")
    if decompose and known:
        st.caption(f"{len(known)} of {len(scenarios) - 1} already run on this page (same scenarios, seed, "
                   "replications and days): reused as they are, in the order chosen there, with the order-free "
                   "split where there is one.")
    job = st.session_state.get(key)
    running = isinstance(job, dashboard.Job) and job.running
    build, _ = st.columns([1, 2])  # the button on a row of its own: the toggle's label is never cut
    build.button("Build the report", icon=":material/description:", disabled=running, width="stretch",
                 key=f"{key}_build", on_click=_start_report, args=(comparison, key, seed))
    job = st.session_state.get(key)
    if not isinstance(job, dashboard.Job):
        return
    if job.running:
        job_panel(job, key)
    elif job.error:
        (st.info if job.cancelled else st.error)("Stopped." if job.cancelled else f"The report failed: {job.error}")
    elif job.result:
        for done_key, result in job.result["computed"].items():  # a second build reuses them
            if done_key not in st.session_state.get(CACHE, {}):
                remember_decomposition(done_key, result)
        st.download_button("Download the report (HTML)", job.result["html"], file_name=report_file_name(comparison),
                           mime="text/html", icon=":material/download:", type="primary", key=f"{key}_download")
