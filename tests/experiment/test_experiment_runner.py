"""run_experiment: identical numbers on every executor, re-running one replication alone,
failures recorded, validation before anything runs, progress and cooperative cancel."""

from __future__ import annotations

import logging
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from seamsim import ExperimentResult, run_experiment, simulate
from seamsim.experiment import executors, runner
from seamsim.experiment.designs import grid
from seamsim.experiment.seeds import replication_seed
from seamsim.scenario import ScenarioError, apply_overrides

ROOT = Path(__file__).resolve().parents[2]
DAYS = 2.0


@pytest.fixture(scope="module")
def design():
    return grid({"seam.height_m": [0.78, 0.9], "operation.remote_control": [True, False]})


@pytest.fixture(scope="module")
def serial(after, before, design):
    return run_experiment([after, before], 3, seed=5, days=DAYS, design=design, executor="serial")


# --------------------------------------------------------------------------------------
# The table
# --------------------------------------------------------------------------------------
def test_runs_table_has_one_row_per_run_and_the_documented_columns(serial, design):
    runs = serial.runs
    assert len(runs) == 2 * len(design) * 3
    assert list(runs.columns[:13]) == [
        "scenario", "point", "seam.height_m", "operation.remote_control",
        "replication", "seed", "spawn_key", "scenario_sha256", "status", "error", "reasons", "warnings",
        "rom_t_per_month",
    ]
    assert set(runner.MAIN_KPIS) <= set(runs.columns)
    assert (runs["seed"] == 5).all()
    assert (runs["spawn_key"] == runs["replication"].map(lambda r: f"[{r}]")).all()
    # each row names the resolved scenario of its point: one hash per (scenario, point)
    assert runs.groupby(["scenario", "point"])["scenario_sha256"].nunique().eq(1).all()
    assert runs["scenario_sha256"].nunique() == 2 * len(design)
    assert list(runs["scenario"].drop_duplicates()) == ["article_after_3300v", "article_before_1140v"]
    assert runs[["scenario", "point", "replication"]].duplicated().sum() == 0
    first = runs[runs["scenario"] == "article_after_3300v"]
    assert list(first["point"]) == [0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3]
    assert list(first["replication"]) == [0, 1, 2] * 4
    assert list(first["seam.height_m"].unique()) == [0.78, 0.9]
    # Remote control off without drivers, or on without remote operators: infeasible.
    infeasible = runs[runs.status == "infeasible"].groupby("scenario")["point"].unique()
    assert list(infeasible["article_after_3300v"]) == [1, 3]
    assert list(infeasible["article_before_1140v"]) == [0, 2]
    assert (runs[runs.status == "infeasible"]["rom_t_per_month"] == 0).all()
    assert runs[runs.status == "infeasible"]["reasons"].str.len().gt(0).all()
    assert set(runs["status"]) == {"ok", "infeasible"}
    assert serial.complete and isinstance(serial, ExperimentResult)


def test_summary_is_long_with_a_row_per_scenario_point_and_kpi(serial, design):
    summary = serial.summary
    assert list(summary.columns) == [
        "scenario", "point", "seam.height_m", "operation.remote_control",
        "kpi", "n", "mean", "sd", "ci95_lo", "ci95_hi", "half_width",
    ]
    assert len(summary) == 2 * len(design) * len(serial.kpis)
    rom = serial.kpi_table("rom_t_per_month")
    assert len(rom) == 2 * len(design)
    runs = serial.runs
    mean = runs[(runs.scenario == "article_before_1140v") & (runs.point == 2)]["rom_t_per_month"].mean()
    assert rom[(rom.scenario == "article_before_1140v") & (rom.point == 2)]["mean"].item() == pytest.approx(mean)
    assert (rom["n"] == 3).all()
    with pytest.raises(KeyError):
        serial.kpi_table("tonnes")


def test_manifest_describes_the_experiment(serial, design):
    m = serial.manifest
    assert m["seed"] == 5 and m["replications"] == 3 and m["days"] == DAYS
    assert [s["name"] for s in m["scenarios"]] == ["article_after_3300v", "article_before_1140v"]
    assert m["scenarios"][0]["scenario"]["seam"]["height_m"] == 0.8
    assert m["design"]["points"] == [dict(p) for p in design.points]
    assert m["seamsim_version"] and m["created"] and m["status"] == "complete"
    assert m["timings"]["runs"] == len(serial.runs) and m["timings"]["wall_s"] > 0


# --------------------------------------------------------------------------------------
# Same numbers everywhere
# --------------------------------------------------------------------------------------
def test_processes_give_identical_numbers(serial, after, before, design):
    pooled = run_experiment(
        [after, before], 3, seed=5, days=DAYS, design=design, executor="processes", workers=2, chunk_size=2
    )
    pd.testing.assert_frame_equal(serial.runs, pooled.runs, check_exact=True)
    pd.testing.assert_frame_equal(serial.summary, pooled.summary, check_exact=True)


def test_dask_gives_identical_numbers(serial, after, before, design):
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=logging.ERROR
    ) as cluster:
        on_dask = run_experiment(
            [after, before], 3, seed=5, days=DAYS, design=design, executor="dask",
            scheduler=cluster.scheduler_address, chunk_size=3,
        )
    pd.testing.assert_frame_equal(serial.runs, on_dask.runs, check_exact=True)


def test_chunking_and_order_do_not_change_the_numbers(serial, after, before, design):
    one_by_one = run_experiment(
        [after, before], 3, seed=5, days=DAYS, design=design, executor="serial", chunk_size=1
    )
    pd.testing.assert_frame_equal(serial.runs, one_by_one.runs, check_exact=True)


def test_a_replication_rerun_alone_equals_its_row(serial, before):
    row = serial.runs.query("scenario == 'article_before_1140v' and point == 3 and replication == 2").iloc[0]
    scenario = apply_overrides(before, {"seam.height_m": 0.9, "operation.remote_control": False})
    alone = simulate(scenario, replication_seed(5, 2), days=DAYS)
    for kpi, value in alone.summary.items():
        assert row[kpi] == value or (math.isnan(value) and math.isnan(row[kpi])), kpi
    again = serial.rerun("article_before_1140v", replication=2, point=3)
    assert again.summary.keys() == alone.summary.keys()
    for kpi, value in alone.summary.items():  # NaN ≠ NaN: compare those by kind
        assert again.summary[kpi] == value or (math.isnan(value) and math.isnan(again.summary[kpi])), kpi
    assert again.summary["rom_t_per_month"] == row["rom_t_per_month"]
    assert len(again.events) > 0


def test_explicit_replication_indices_reproduce_the_batch(serial, after, design):
    only = run_experiment(after, [2], seed=5, days=DAYS, design=design, executor="serial")
    batch = serial.runs[(serial.runs.scenario == "article_after_3300v") & (serial.runs.replication == 2)]
    pd.testing.assert_frame_equal(only.runs, batch.reset_index(drop=True), check_exact=True)


def test_common_random_numbers_across_scenarios(after):
    """The same scenario under two names gives the same numbers, run for run (the names, and so
    the scenario hashes, differ)."""
    ex = run_experiment([after, after], 3, seed=1, days=DAYS, executor="serial")
    assert list(ex.scenarios) == ["article_after_3300v", "article_after_3300v-2"]
    a, b = (ex.runs[ex.runs.scenario == n].drop(columns=["scenario", "scenario_sha256"]).reset_index(drop=True) for n in ex.scenarios)
    pd.testing.assert_frame_equal(a, b, check_exact=True)


def test_different_seeds_give_different_numbers(after):
    a = run_experiment(after, 2, seed=1, days=DAYS, executor="serial").runs["rom_t_per_month"]
    b = run_experiment(after, 2, seed=2, days=DAYS, executor="serial").runs["rom_t_per_month"]
    assert not np.array_equal(a.to_numpy(), b.to_numpy())


def test_scenario_files_are_accepted(after):
    ex = run_experiment(str(ROOT / "scenarios" / "article_after_3300v.yaml"), 1, days=1, executor="serial")
    assert ex.scenarios["article_after_3300v"] == after


# --------------------------------------------------------------------------------------
# Failures
# --------------------------------------------------------------------------------------
def test_a_failing_run_is_recorded_and_the_others_complete(after, monkeypatch):
    real = runner._simulate

    def flaky(scenario, seed, days=None):
        if seed.spawn_key == (1,) and scenario.seam.height_m == 0.9:
            raise RuntimeError("boom in the shearer model")
        return real(scenario, seed, days)

    monkeypatch.setattr(runner, "_simulate", flaky)
    ex = run_experiment(
        after, 3, seed=0, days=1, design=grid({"seam.height_m": [0.8, 0.9]}), executor="serial", chunk_size=1
    )
    runs = ex.runs
    failed = runs[runs.status == "error"]
    assert len(failed) == 1
    assert failed.iloc[0][["point", "replication"]].tolist() == [1, 1]
    assert failed.iloc[0]["error"] == "RuntimeError: boom in the shearer model"
    assert np.isnan(failed.iloc[0]["rom_t_per_month"])
    assert (runs[runs.status != "error"]["status"] == "ok").all() and len(runs) == 6
    rom = ex.kpi_table()
    assert rom["n"].tolist() == [3, 2]  # the failed run is left out of the mean
    status = ex.status_table()
    assert status["error"].tolist() == [0, 1]
    assert "boom" in status["errors"].iloc[1]


def test_an_all_failed_part_streams_and_reads_back(after, monkeypatch, tmp_path):
    real = runner._simulate

    def flaky(scenario, seed, days=None):
        if seed.spawn_key == (0,):
            raise ValueError("first replication fails")
        return real(scenario, seed, days)

    monkeypatch.setattr(runner, "_simulate", flaky)
    ex = run_experiment(after, 3, seed=0, days=1, executor="serial", chunk_size=1, out=tmp_path / "o")
    runs = ex.runs
    assert runs["status"].tolist() == ["error", "ok", "ok"]
    assert set(runner.MAIN_KPIS) <= set(runs.columns)


# --------------------------------------------------------------------------------------
# Validation before anything runs
# --------------------------------------------------------------------------------------
def test_bad_design_points_are_refused_before_anything_runs(after, monkeypatch, tmp_path):
    calls = []
    monkeypatch.setattr(runner, "_simulate", lambda *a, **k: calls.append(a))
    with pytest.raises(ScenarioError) as err:
        run_experiment(after, 2, design=[{"seam.height_m": 0.8}, {"seam.height_m": 80}],
                       executor="serial", out=tmp_path / "o")
    assert "seam.height_m: 80.0 is above the maximum 3.0 [m] — did you mean 0.8?" in str(err.value)
    with pytest.raises(ScenarioError, match="unknown key"):
        run_experiment(after, 2, design=[{"seam.hieght_m": 0.8}], executor="serial")
    assert calls == [] and not (tmp_path / "o").exists()


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"replications": 0}, ValueError),
        ({"seed": -1}, ValueError),
        ({"executor": "threads"}, ValueError),
        ({"workers": 0}, ValueError),
        ({"days": 0}, ScenarioError),
        ({"resume": True}, ValueError),
        ({"chunk_size": 0}, ValueError),
    ],
)
def test_bad_arguments_are_refused(after, kwargs, error):
    with pytest.raises(error):
        run_experiment(after, **{"replications": 1, "executor": "serial", **kwargs})


# --------------------------------------------------------------------------------------
# Progress and cancel
# --------------------------------------------------------------------------------------
def test_progress_callback_sees_every_chunk(after):
    calls = []
    run_experiment(after, 6, days=1, executor="serial", chunk_size=2, progress=lambda d, t: calls.append((d, t)))
    assert calls == [(0, 6), (2, 6), (4, 6), (6, 6)]


def test_a_callback_returning_false_stops_the_experiment(after):
    def stop_after_four(done, total):
        return done < 4

    ex = run_experiment(after, 10, days=1, executor="serial", chunk_size=2, progress=stop_after_four)
    assert not ex.complete and ex.manifest["status"] == "cancelled"
    assert ex.runs["replication"].tolist() == [0, 1, 2, 3]


def test_cancel_on_a_process_pool_keeps_only_finished_runs(after):
    ex = run_experiment(
        after, 16, days=1, executor="processes", workers=2, chunk_size=2, progress=lambda d, t: d < 2
    )
    assert not ex.complete
    runs = ex.runs
    assert 2 <= len(runs) < 16 and runs[["replication"]].duplicated().sum() == 0


def test_progress_bar_goes_to_stderr(after, capsys):
    run_experiment(after, 3, days=1, executor="serial", progress=True)
    out, err = capsys.readouterr()
    assert out == "" and "3/3" in err


def test_dask_local_cluster_started_and_closed_by_the_runner(serial, after, before, design):
    pytest.importorskip("distributed")
    on_dask = run_experiment(
        [after, before], 3, seed=5, days=DAYS, design=design, executor="dask", workers=2
    )
    pd.testing.assert_frame_equal(serial.runs, on_dask.runs, check_exact=True)


def test_processes_from_a_threaded_caller_give_identical_numbers(serial, after, before, design):
    """A web app or a Dask client runs threads: the pool then starts from a fork server."""
    import threading

    stop = threading.Event()
    helper = threading.Thread(target=stop.wait, daemon=True)
    helper.start()
    try:
        assert executors._mp_context().get_start_method() != "fork"
        pooled = run_experiment(
            [after, before], 3, seed=5, days=DAYS, design=design, executor="processes", workers=2, chunk_size=4
        )
    finally:
        stop.set()
        helper.join()
    pd.testing.assert_frame_equal(serial.runs, pooled.runs, check_exact=True)
