"""Server-side speed of the dashboard. Printed, never asserted.

1. The Explore page's default run (the bundled after-face, 5 replications of 30 days):
   the whole page through Streamlit's ``AppTest`` — scenario, simulation, engineering
   picture, every chart — with empty caches, after a widget change, and cached. Target
   ≤ 1 s (what a student waits for after moving a slider).
2. A two-scenario comparison with 30 replications each, as the Compare page runs it:
   ``seamsim.compare`` on the serial executor, the paired table and every chart of the
   results. Target ≤ 3 s.

Imports (Streamlit, plotly, simpy, scipy) are paid once per server and are reported apart.

Run: ``python benchmarks/bench_dashboard.py`` (or through ``benchmarks/run_all.py``).
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "dashboard" / "app.py"
REPEATS = 5


def _median_s(fn, repeats: int = REPEATS) -> tuple[float, float]:
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), min(times)


def explore_times() -> dict[str, float]:
    """Seconds for the Explore page: first run in this process, uncached, changed, cached."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    out: dict[str, float] = {}
    t = time.perf_counter()
    at = AppTest.from_file(str(APP), default_timeout=120).run()
    out["first run (with imports)"] = time.perf_counter() - t
    assert not at.exception, at.exception

    def uncached():
        st.cache_data.clear()
        at = AppTest.from_file(str(APP), default_timeout=120).run()
        assert not at.exception and len(at.get("plotly_chart")) >= 6

    out["default run, empty caches"], _ = _median_s(uncached)

    at = AppTest.from_file(str(APP), default_timeout=120).run()
    heights = iter([0.70 + 0.01 * i for i in range(50)])

    def changed():  # the settings sit in a form: a change runs when Run is pressed
        at.slider(key="explore:seam.height_m").set_value(round(next(heights), 2))
        at.button(key="explore_run").click().run()
        assert not at.exception

    out["after a slider change + Run"], _ = _median_s(changed)

    def cached():
        at.run()

    out["rerun, cached"], _ = _median_s(cached)
    return out


def compare_time(replications: int = 30) -> tuple[float, int]:
    """Median seconds of the Compare page's work for the article pair, and the runs done."""
    import dashboard
    import seamsim
    from dashboard import charts

    folder = dashboard.scenario_dir()
    scenarios = [seamsim.load_scenario(folder / f"{n}.yaml") for n in (dashboard.ARTICLE_BEFORE, dashboard.ARTICLE_AFTER)]

    def work():
        result = seamsim.compare(scenarios, replications, 0, executor="serial", kpis=list(dashboard.COMPARE_KPIS))
        runs = dashboard.normalise_runs(result.experiment.runs)
        kpis = dashboard.summarize(runs, list(dashboard.KPIS))
        paired = dashboard.paired_differences(runs, list(dashboard.COMPARE_KPIS))
        labels = {sc.name: sc.name for sc in scenarios}
        charts.tonnage_distribution(runs, labels=labels)
        charts.paired_differences_chart(paired, labels=labels)
        charts.time_breakdown_compare(dashboard.time_breakdown_hours(runs), labels=labels)
        charts.limit_shares_compare(dashboard.limit_shares(runs), labels=labels)
        charts.kpi_bars(kpis, list(dashboard.COMPARE_KPIS)[:6])
        return len(runs)

    work()  # warm-up (imports)
    median, _ = _median_s(work, 3)
    return median, work()


def main() -> None:
    """Print the dashboard benchmarks."""
    sys.path.insert(0, str(ROOT))
    # the pages run here without a Streamlit server; its "bare mode" notices are noise
    import logging

    logging.disable(logging.WARNING)  # Streamlit's "bare mode" notices: the pages run without a server here
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["SEAMSIM_HISTORY_DB"] = str(Path(tmp) / "history.sqlite")
        explore = explore_times()
        print("Explore page, default run (article_after_3300v, 5 replications × 30 days), server side:")
        for label, seconds in explore.items():
            note = "" if label.startswith("first") else "   (target ≤ 1 s)" if "empty" in label or "change" in label else ""
            print(f"   {label:<28} {seconds * 1000:8.0f} ms{note}")
        median, runs = compare_time()
        print(f"Compare page, article pair × 30 replications ({runs} runs, serial executor, tables and charts):")
        print(f"   median of 3                  {median * 1000:8.0f} ms   (target ≤ 3 s)")


if __name__ == "__main__":
    main()
