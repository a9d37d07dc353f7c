"""Streamlit-free logic of the dashboard: statistics, replications, the library, jobs."""

from __future__ import annotations

import math
import threading
import time

import numpy as np
import pandas as pd
import pytest

import dashboard
import seamsim


def test_summarize_is_the_experiment_layers_interval():
    from seamsim.experiment.stats import kpi_summary

    runs = pd.DataFrame({"scenario": ["a"] * 6, "rom_t_per_month": [0.0, 0.0, 0.0, 0.0, 100.0, 9000.0],
                         "spare_clearance_mm": [-3.0, -1.0, 2.0, 4.0, 5.0, 1.0]})
    table = dashboard.summarize(runs, ["rom_t_per_month", "spare_clearance_mm"])
    expected = kpi_summary(runs, ["rom_t_per_month", "spare_clearance_mm"])
    assert table["lo"].tolist() == expected["lo"].tolist() and table["hi"].tolist() == expected["hi"].tolist()
    assert table.iloc[0]["lo"] >= 0.0 and table.iloc[0]["method"] == "bootstrap"  # tonnes never below zero
    assert table.iloc[1]["method"] == "t"


def test_summarize_says_too_few_below_five():
    runs = pd.DataFrame({"scenario": ["a"] * 3, "rom_t_per_month": [1.0, 2.0, 4.0]})
    row = dashboard.summarize(runs, ["rom_t_per_month"]).iloc[0]
    assert row["method"] == "too few" and math.isnan(row["lo"]) and row["mean"] == pytest.approx(7 / 3)


def test_paired_differences_of_a_scenario_with_itself_are_zero():
    runs = pd.DataFrame({"scenario": ["a"] * 5 + ["b"] * 5, "replication": list(range(5)) * 2,
                         "x": [1.0, 2.0, 3.0, 4.0, 5.0] * 2})
    paired = dashboard.paired_differences(runs, ["x"])
    row = paired.iloc[0]
    assert row["scenario"] == "b" and row["mean"] == 0.0 and row["lo"] == 0.0 and row["hi"] == 0.0
    assert row["verdict"] == "same"


def test_paired_differences_pair_by_replication():
    runs = pd.DataFrame({"scenario": ["a"] * 5 + ["b"] * 5, "replication": [0, 1, 2, 3, 4, 4, 3, 2, 1, 0],
                         "rom_t": [1.0, 2.0, 3.0, 4.0, 5.0, 15.0, 14.0, 13.0, 12.0, 11.0]})
    paired = dashboard.paired_differences(runs, ["rom_t"])
    assert paired.iloc[0]["mean"] == 10.0
    assert paired.iloc[0]["hi"] - paired.iloc[0]["lo"] == pytest.approx(0.0)  # a constant difference
    assert paired.iloc[0]["relative"] == pytest.approx(10.0 / 3.0)
    assert paired.iloc[0]["verdict"] == "differs"


def test_summarize_keeps_group_order():
    runs = pd.DataFrame({"scenario": ["z", "z", "a", "a"], "x": [1.0, 3.0, 5.0, 7.0]})
    table = dashboard.summarize(runs, ["x", "missing"])
    assert list(table["scenario"]) == ["z", "a"]
    assert list(table["mean"]) == [2.0, 6.0]


def test_differences_of_ratios_are_percentage_points():
    assert dashboard.kpi("running_ratio").format_difference(0.49) == "+49 pp"
    assert dashboard.kpi("ash_pct").format_difference(-1.25) == "-1.2 pp"
    assert dashboard.kpi("rom_t_per_month").format_difference(1234.0) == "+1,234 t/month"


def test_paired_table_no_verdict_on_fixed_inputs_and_no_percent_of_a_signed_baseline():
    from dashboard.comparison_tables import paired_table

    runs = pd.DataFrame({
        "scenario": ["a"] * 6 + ["b"] * 6, "replication": list(range(6)) * 2,
        "crew_per_shift": [20.0] * 6 + [6.0] * 6, "spare_clearance_mm": [20.0] * 6 + [-22.0] * 6,
        "running_ratio": [0.30, 0.32, 0.29, 0.31, 0.33, 0.30, 0.70, 0.71, 0.69, 0.72, 0.70, 0.71],
    })
    paired = dashboard.paired_differences(runs, ["crew_per_shift", "spare_clearance_mm", "running_ratio"])
    table = paired_table(paired).set_index("KPI")
    crew = table.loc[dashboard.kpi("crew_per_shift").title]
    assert crew["verdict"] == "fixed by the scenarios (does not vary)" and crew["95% CI"] == "—"
    assert crew["difference"] == "-14 people"
    clearance = table.loc[dashboard.kpi("spare_clearance_mm").title]
    assert clearance["relative"] == "" and clearance["difference"] == "-42 mm"
    ratio = table.loc[dashboard.kpi("running_ratio").title]
    assert ratio["difference"].endswith(" pp") and ratio["relative"] == "" and ratio["verdict"] == "a real difference"
    assert ratio["95% CI"].count("pp") == 2


def test_kpi_format():
    k = dashboard.kpi("running_ratio")
    assert k.format(0.494) == "49 %"
    assert dashboard.kpi("spare_clearance_mm").format(22.0) == "+22 mm"
    assert dashboard.kpi("spare_clearance_mm").format(-3.0, signed=True) == "-3 mm"
    assert dashboard.kpi("rom_t_per_month").format(float("nan")) == "—"
    assert dashboard.kpi("time_jam_h").unit == "h"


@pytest.fixture(scope="module")
def after() -> seamsim.Scenario:
    return seamsim.load_scenario(dashboard.scenario_dir() / f"{dashboard.ARTICLE_AFTER}.yaml")


def test_replication_seeds_match_the_experiment_runner(after):
    from seamsim.experiment.seeds import replication_seed

    mine = dashboard.simulate_replication(after, 7, 2, days=0.5)
    theirs = replication_seed(7, 2)
    assert (mine.seed_entropy, mine.spawn_key) == (theirs.entropy, theirs.spawn_key)
    assert dashboard.replication_of(mine) == 2


def test_explore_runs_replications_that_match_run_experiment(after):
    result = dashboard.explore(after, seed=3, replications=2, days=5)
    assert result.status == "ok"
    runs = result.runs
    assert list(runs["replication"]) == [0, 1]
    batch = seamsim.run_experiment(after, 2, 3, days=5, executor="serial").runs
    assert np.allclose(runs["rom_t_per_month"], batch["rom_t_per_month"])
    cumulative = result.cumulative()
    last = cumulative.groupby("replication")["rom_t"].last().to_numpy()
    assert np.allclose(last, runs["rom_t"].to_numpy())
    assert result.time_hours().sum() == pytest.approx(5 * 24.0)
    assert result.limit_share().sum() == pytest.approx(1.0)


def test_explore_of_an_infeasible_face_gives_reasons_not_an_exception(after):
    sc = seamsim.apply_overrides(after, {"seam.height_m": 0.5})
    result = dashboard.explore(sc, 0, 2, days=2)
    assert result.status == "infeasible"
    assert result.reasons and "cannot pass" in result.reasons[0]
    assert result.runs["rom_t_per_month"].eq(0.0).all()


def test_bundled_library_lists_the_article_pair_first():
    entries = dashboard.bundled_library()
    assert [e.name for e in entries[:2]] == [dashboard.ARTICLE_BEFORE, dashboard.ARTICLE_AFTER]
    assert all(e.title and e.description and not e.error for e in entries)
    assert entries[0].load().name == dashboard.ARTICLE_BEFORE


def test_scenario_yaml_round_trips(after):
    text = dashboard.scenario_yaml(after)
    back = seamsim.load_scenario_text(text, source="x.yaml")
    assert back == after


def test_sweep_points_and_values(after):
    assert dashboard.sweep_values(1, 3, 5, integer=True) == (1, 2, 3)
    assert dashboard.sweep_values(0.7, 0.9, 3) == (0.7, 0.8, 0.9)
    axes = [dashboard.SweepAxis("seam.height_m", (0.7, 0.8)), dashboard.SweepAxis("machine.cutting_power_kw", (400.0,))]
    scenarios, table = dashboard.sweep_points(after, axes)
    assert len(scenarios) == 2 and scenarios[1].seam.height_m == 0.8
    assert list(table.columns) == ["scenario", "seam.height_m", "machine.cutting_power_kw"]
    with pytest.raises(seamsim.ScenarioError):
        dashboard.sweep_points(after, [dashboard.SweepAxis("calendar.production_shifts_per_day", (4,))])


def test_unique_names(after):
    names = [sc.name for sc in dashboard.unique_names([after, after, after])]
    assert names == [after.name, f"{after.name}-2", f"{after.name}-3"]


def test_feasibility_grid_tells_the_voltage_story():
    before = seamsim.load_scenario(dashboard.scenario_dir() / f"{dashboard.ARTICLE_BEFORE}.yaml")
    after = seamsim.load_scenario(dashboard.scenario_dir() / f"{dashboard.ARTICLE_AFTER}.yaml")
    grid = dashboard.feasibility_grid({1140: before, 3300: after}, [0.8], [400.0, 600.0, 900.0])
    code = grid.set_index(["supply_voltage_v", "cutting_power_kw"])["code"]
    assert code[(3300, 600.0)] == 2  # the 588 mm machine on 3,300 V works cleanly
    assert code[(1140, 400.0)] >= 1  # the 630 mm machine on 1,140 V works, with warnings at best
    assert code[(1140, 900.0)] == 0  # 900 kW on 1,140 V overloads the cable beyond any setting
    assert code[(3300, 900.0)] >= 1
    assert set(grid["category"]) <= set(dashboard.FEASIBILITY_LABELS)


def test_a_job_reports_progress_and_stops_cooperatively():
    release = threading.Event()

    def work(progress):
        done = 0
        while progress(done, 1000) is not False and done < 1000:
            done += 1
            release.wait(0.001)
        return done

    job = dashboard.Job(work, label="test").start()
    deadline = time.time() + 5
    while job.done < 5 and time.time() < deadline:
        time.sleep(0.01)
    assert job.running and job.total == 1000 and 0 < job.fraction < 1
    job.cancel()
    assert job.wait(5)
    assert job.cancelled and job.result < 1000 and job.error is None


def test_a_failing_job_keeps_its_error():
    def work(progress):
        raise RuntimeError("boom")

    job = dashboard.Job(work).run_here()
    assert job.finished and not job.running and job.error == "RuntimeError: boom"


def test_a_job_cancels_run_experiment_through_its_progress_callback(after):
    job = dashboard.Job(lambda progress: dashboard.experiment_runs([after], 40, 0, days=2, progress=progress))
    job.cancel()  # before the first report: nothing runs
    job.run_here()
    assert job.error is None and len(job.result) == 0
