"""Compare's "report to hand out" reuses a decomposition already run on the page for the same
scenarios, seed, replications and days, and computes only what is not there."""

from __future__ import annotations

import time
from pathlib import Path

from streamlit.testing.v1 import AppTest

import dashboard
from dashboard import report_job

APP = str(Path(dashboard.__file__).resolve().parent / "app.py")
TIMEOUT = 180


def _wait(at: AppTest, key: str) -> dashboard.Job:
    deadline = time.time() + TIMEOUT
    job = at.session_state[key]
    while job.running and time.time() < deadline:
        time.sleep(0.05)
    assert not job.running and job.error is None, job.error
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return job


def _button(at: AppTest, starts: str):
    return next(b for b in at.button if b.label.startswith(starts))


def _build_report(at: AppTest) -> dashboard.Job:
    _button(at, "Build the report").click().run()
    return _wait(at, "compare_report_job")


def test_the_report_reuses_the_pages_decomposition_and_computes_only_what_is_missing():
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    at.switch_page("pages/compare.py").run()
    at.slider(key="compare_reps").set_value(3).run()
    _button(at, "Run the comparison").click().run()
    comparison = _wait(at, "compare_job").result["comparison"]

    # nothing decomposed yet: the report computes the waterfall itself, and keeps it
    first = _build_report(at)
    assert len(first.result["computed"]) == 1
    (key, computed), = first.result["computed"].items()
    a, b = comparison.experiment.scenarios.values()
    assert key == report_job.decomposition_key(a, b, 3, 0)
    assert "--order-free" not in first.result["html"]
    at.run()  # the finished job's decomposition is kept for the next build
    assert at.session_state[report_job.CACHE][key]["one_order"] is computed

    # a second build (another question) runs nothing
    at.text_area(key="compare_report_job_question").set_value("Which face makes more coal?").run()
    second = _build_report(at)
    assert second.result["computed"] == {} and "Which face makes more coal?" in second.result["html"]

    # Decompose on the page: the report takes that one (and its order-free split) as it is
    _button(at, "Decompose").click().run()
    page = _wait(at, "compare_decompose_job").result
    assert at.session_state[report_job.CACHE][key]["one_order"] is page["one_order"]
    assert any("already run on this page" in c.value for c in at.caption)
    third = _build_report(at)
    assert third.result["computed"] == {}
    assert "--order-free" in third.result["html"]  # the page's Shapley split is in the report

    # another seed is another decomposition: computed, not taken from the cache
    at.number_input(key="compare_seed").set_value(1).run()
    _button(at, "Run the comparison").click().run()
    _wait(at, "compare_job")
    fourth = _build_report(at)
    assert len(fourth.result["computed"]) == 1 and key not in fourth.result["computed"]
