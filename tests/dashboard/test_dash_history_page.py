"""History keeps every distinct run and shows what each one was: two sweeps that differ only
in their design are two runs, with their real x values; Explore changes are named; a
comparison lists one row per scenario; seed and status come before the long columns."""

from __future__ import annotations

import time
from pathlib import Path

from streamlit.testing.v1 import AppTest

import dashboard
import seamsim
from dashboard.history import HistoryStore
from dashboard.history_recording import fingerprint, record_run

APP = str(Path(dashboard.__file__).resolve().parent / "app.py")
TIMEOUT = 120


def _ok(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


def _page(page: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    _ok(at)
    at.switch_page(f"pages/{page}.py").run()
    _ok(at)
    return at


def _wait(at: AppTest, key: str) -> None:
    deadline = time.time() + TIMEOUT
    while at.session_state[key].running and time.time() < deadline:
        time.sleep(0.05)
    at.run()
    _ok(at)


def test_the_fingerprint_covers_the_design_and_the_changes():
    sc = seamsim.load_scenario(dashboard.scenario_dir() / f"{dashboard.ARTICLE_AFTER}.yaml")
    a = fingerprint("sweep", [sc], 0, 2, None, {"design": [{"seam.height_m": 0.6}, {"seam.height_m": 1.0}]})
    b = fingerprint("sweep", [sc], 0, 2, None, {"design": [{"seam.height_m": 0.6}, {"seam.height_m": 0.8},
                                                           {"seam.height_m": 1.0}]})
    assert a != b
    assert a == fingerprint("sweep", [sc], 0, 2, None, {"design": [{"seam.height_m": 0.6}, {"seam.height_m": 1.0}]})


def test_two_sweeps_that_differ_only_in_design_are_both_kept(history_db):
    at = _page("sweep")
    at.slider(key="sweep_reps").set_value(2).run()
    at.number_input(key="sweep_n:1").set_value(3).run()
    next(b for b in at.button if b.label.startswith("Run 3 points")).click().run()
    _wait(at, "sweep_job")
    at.number_input(key="sweep_n:1").set_value(2).run()
    next(b for b in at.button if b.label.startswith("Run 2 points")).click().run()
    _wait(at, "sweep_job")
    assert len(HistoryStore(history_db).list_runs(page="sweep")) == 2  # same base, seed, replications: two designs

    history = _page("history")
    table = history.dataframe[0].value
    assert list(table.columns[:6]) == ["id", "when", "page", "status", "seed", "replications"]
    table = table[table["page"] == "Sweep"]
    changed = sorted(table["what changed"])
    assert changed == ["seam.height_m: 0.6, 0.8, 1", "seam.height_m: 0.6, 1"]
    ids = sorted(int(i) for i in table["id"])
    history.multiselect(key="history_pick").set_value([ids[0]]).run()  # one sweep: its points by their values
    _ok(history)
    summary = next(d.value for d in history.dataframe if "KPI" in d.value.columns)
    assert {"seam.height_m = 0.6", "seam.height_m = 0.8", "seam.height_m = 1"} <= set(summary.columns)


def test_explore_runs_name_what_changed_and_a_comparison_lists_each_scenario(history_db):
    store = HistoryStore(history_db)
    before = seamsim.load_scenario(dashboard.scenario_dir() / f"{dashboard.ARTICLE_BEFORE}.yaml")
    after = seamsim.load_scenario(dashboard.scenario_dir() / f"{dashboard.ARTICLE_AFTER}.yaml")
    runs = dashboard.experiment_runs([before, after], 2, 0, days=2)
    with_store = HistoryStore(history_db)
    record_run("compare", "Compare: Before vs After", [before, after], 0, 2, None, runs, store=with_store)
    record_run("explore", "Explore: After", [after], 0, 2, 2.0, runs[runs.scenario == after.name],
               store=with_store, changes={"seam.height_m": [0.8, 0.7]})
    assert store.count_runs() == 2
    history = _page("history")
    table = history.dataframe[0].value
    compare_rows = table[table["page"] == "Compare"]
    assert sorted(compare_rows["scenario"]) == sorted([before.name, after.name])  # one row per scenario
    outputs = runs.groupby("scenario")["rom_t_per_month"].mean()
    for _, row in compare_rows.iterrows():
        assert row["monthly output (mean)"] == dashboard.kpi("rom_t_per_month").format(outputs[row["scenario"]])
    assert "Seam height 0.8 → 0.7 m" in set(table.loc[table["page"] == "Explore", "what changed"])
