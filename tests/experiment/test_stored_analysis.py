"""A stored experiment read back (load_experiment), analysed (analyse) and exported (export):
the same tables as in memory, indices with intervals in their domain, files written beside it."""

from __future__ import annotations

import json
import types
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from seamsim import run_experiment
from seamsim.cli import main
from seamsim.experiment.designs import grid, morris, sobol
from seamsim.experiment.sensitivity_analysis import sensitivity, sensitivity_convergence
from seamsim.experiment.sensitivity_report import ANALYSIS_FILES, analyse
from seamsim.experiment.store import StoreError
from seamsim.experiment.stored import export_runs, load_experiment, read_export

AFTER = Path(__file__).resolve().parents[2] / "scenarios" / "article_after_3300v.yaml"
RANGES = {"seam.height_m": (0.72, 0.95), "roof.convergence_mm": (20, 60), "operation.eh_shield_cycle_s": (6, 20)}


@pytest.fixture(scope="module")
def stored_sobol(after, tmp_path_factory):
    """A second-order Sobol sweep run once in memory and once into a directory."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        design = sobol(RANGES, 8, seed=2, second_order=True)
    out = tmp_path_factory.mktemp("sobol") / "sweep"
    kwargs = {"replications": 2, "seed": 5, "days": 0.5, "design": design, "executor": "serial"}
    memory = run_experiment(after, **kwargs)
    run_experiment(after, **kwargs, out=out, chunk_size=7)
    return memory, out


def test_load_experiment_gives_back_the_experiment(stored_sobol):
    memory, out = stored_sobol
    loaded = load_experiment(out)
    assert loaded.complete and loaded.seed == 5 and loaded.replications == [0, 1] and loaded.days == 0.5
    assert loaded.design == memory.design and loaded.scenarios == memory.scenarios
    pd.testing.assert_frame_equal(loaded.runs, memory.runs, check_exact=True)
    pd.testing.assert_frame_equal(loaded.summary, memory.summary, check_exact=True)
    assert loaded.rerun(replication=1, point=3).summary["rom_t_per_month"] == memory.runs.query(
        "point == 3 and replication == 1")["rom_t_per_month"].item()


def test_load_experiment_of_a_large_grid_keeps_its_points_lazy(after, tmp_path):
    out = tmp_path / "grid"
    design = grid({"seam.height_m": [0.8, 0.85], "roof.convergence_mm": [30, 40, 50]})
    ex = run_experiment(after, 1, days=0.2, design=design, executor="serial", out=out)
    loaded = load_experiment(out)
    assert list(loaded.design.points) == list(design.points)
    pd.testing.assert_frame_equal(loaded.runs, ex.runs, check_exact=True)


def test_analyse_on_a_stored_sweep_reproduces_the_in_memory_indices(stored_sobol):
    memory, out = stored_sobol
    report = analyse(out, ["rom_t_per_month", "running_ratio"], num_resamples=200)
    expected = pd.concat([sensitivity(memory, k, num_resamples=200, seed=memory.seed)
                          for k in ("rom_t_per_month", "running_ratio")], ignore_index=True)
    pd.testing.assert_frame_equal(report.indices, expected, check_exact=True)
    pd.testing.assert_frame_equal(sensitivity(out, num_resamples=200, seed=5),  # a path is accepted too
                                  expected[expected["kpi"] == "rom_t_per_month"], check_exact=True)
    assert sorted(report.files) == sorted(ANALYSIS_FILES)
    assert set(report.indices["field"]) >= {*RANGES, "seam.height_m × roof.convergence_mm"}
    written = pd.read_csv(out / "indices.csv")
    np.testing.assert_allclose(written["ST"], expected["ST"], rtol=1e-12)
    payload = json.loads((out / "indices.json").read_text())
    assert payload["analysis"]["bootstrap_seed"] == 5 and payload["provenance"]["model_sha256"]
    assert len(payload["indices"]) == len(expected)
    assert (out / "indices.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert b"<svg" in (out / "indices.svg").read_bytes()[:2000]


def test_the_convergence_table_uses_saltelli_prefixes(stored_sobol):
    memory, _ = stored_sobol
    conv = sensitivity_convergence(memory, num_resamples=200, seed=5)
    assert sorted(conv["base_samples"].unique()) == [2, 4, 8]  # 8/8 is too few and left out
    assert set(conv["runs"]) == {2 * 8 * 2, 4 * 8 * 2, 8 * 8 * 2}  # N (2D + 2) points × 2 replications
    full = conv[conv["base_samples"] == 8].drop(columns=["base_samples", "runs"]).reset_index(drop=True)
    plain = sensitivity(memory, num_resamples=200, seed=5)
    pd.testing.assert_frame_equal(full[plain.columns], plain, check_exact=True)
    half = sensitivity(memory, num_resamples=200, seed=5, base_samples=4)
    assert not np.allclose(half["S1"].dropna(), plain["S1"].dropna())


def test_sobol_point_estimates_are_salibs(stored_sobol):
    from SALib.analyze import sobol as salib_sobol

    memory, _ = stored_sobol
    y = memory.runs.groupby("point")["rom_t_per_month"].mean().to_numpy()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        s = salib_sobol.analyze(memory.design.problem(), y, calc_second_order=True, num_resamples=10, seed=1)
    table = sensitivity(memory, num_resamples=50).set_index("field")
    np.testing.assert_allclose(table.loc[list(RANGES), "S1"], s["S1"], rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(table.loc[list(RANGES), "ST"], s["ST"], rtol=1e-10, atol=1e-12)
    assert table.loc["seam.height_m × roof.convergence_mm", "S2"] == pytest.approx(s["S2"][0, 1], abs=1e-12)


def _toy_morris(effect):
    """A Morris design over two fields and a synthetic KPI ``effect(x) + noise`` per replication."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        design = morris({"seam.height_m": (0.7, 1.0), "roof.convergence_mm": (20, 60)}, 12, seed=4)
    x = np.asarray(design.samples)
    rng = np.random.default_rng(0)
    rows = [{"scenario": "toy", "point": p, "replication": r, "kpi": effect(x[p]) + rng.normal(0, 0.01)}
            for p in range(len(design)) for r in range(3)]
    return types.SimpleNamespace(design=design, runs=pd.DataFrame(rows), scenarios={"toy": None},
                                 replications=[0, 1, 2])


def test_morris_mu_star_interval_never_goes_below_zero():
    # The convergence matters in one corner only: a few large effects among many near zero,
    # where estimate − 1.96 sd is negative.
    toy = _toy_morris(lambda x: 100 * x[0] + 500 * (x[1] > 55 and x[0] > 0.95))
    table = sensitivity(toy, "kpi", num_resamples=300).set_index("field")
    assert (table["mu_star_ci95_lo"] >= 0).all() and (table["sigma_ci95_lo"] >= 0).all()
    assert table.loc["roof.convergence_mm", "mu_star_ci95_lo"] == 0.0  # clipped
    assert table.loc["roof.convergence_mm", "mu_star_ci95_hi"] > table.loc["roof.convergence_mm", "mu_star"] > 0


def test_morris_point_estimates_are_salibs():
    from SALib.analyze import morris as salib_morris

    toy = _toy_morris(lambda x: 3 * x[0] ** 2 - 0.1 * x[1])
    y = toy.runs.groupby("point")["kpi"].mean().to_numpy()
    s = salib_morris.analyze(toy.design.problem(), np.asarray(toy.design.samples), y, num_levels=4, seed=1)
    table = sensitivity(toy, "kpi", num_resamples=50)
    for column in ("mu", "mu_star", "sigma"):
        np.testing.assert_allclose(table[column], s[column], rtol=1e-10)


@pytest.mark.parametrize("suffix", ["csv", "parquet"])
def test_export_round_trips(stored_sobol, tmp_path, suffix):
    _, out = stored_sobol
    target = tmp_path / f"runs.{suffix}"
    assert main(["export", str(out), f"--{suffix}", str(target)]) == 0
    back = read_export(target)
    pd.testing.assert_frame_equal(back, load_experiment(out).runs, check_exact=True)
    assert {"scenario", "point", *RANGES, "replication", "seed", "status", "rom_t_per_month"} <= set(back.columns)


def test_export_of_a_grid_with_text_and_whole_number_fields_round_trips(after, tmp_path):
    out = tmp_path / "grid"
    design = grid({"crew.patrol": [2, 3], "operation.shield_control": ["manual", "electrohydraulic"]})
    run_experiment(after, 2, days=0.2, design=design, executor="serial", out=out)
    export_runs(out, tmp_path / "runs.csv")
    back = read_export(tmp_path / "runs.csv")
    pd.testing.assert_frame_equal(back, load_experiment(out).runs, check_exact=True)
    assert back["crew.patrol"].dtype == "int64"


def test_bad_directories_exit_2_with_a_message(after, tmp_path, capsys):
    assert main(["analyse", str(tmp_path / "missing")]) == 2
    assert "is not a directory" in capsys.readouterr().err
    (tmp_path / "empty").mkdir()
    assert main(["export", str(tmp_path / "empty"), "--csv", str(tmp_path / "x.csv")]) == 2
    assert "holds no manifest.json" in capsys.readouterr().err
    out = tmp_path / "plain"
    run_experiment(after, 1, days=0.2, executor="serial", out=out)
    assert main(["analyse", str(out)]) == 2
    assert "analyse computes Sobol and Morris indices" in capsys.readouterr().err
    with pytest.raises(StoreError, match="not a directory"):
        load_experiment(tmp_path / "x.csv")


def test_analyse_command_prints_and_writes(stored_sobol, capsys):
    _, out = stored_sobol
    assert main(["analyse", str(out), "--resamples", "100", "--json", "--no-files"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["design"] == "sobol" and data["files"] == {}
    assert {"S1", "ST", "S1_ci95_lo"} <= set(data["indices"][0]) and data["convergence"]
    assert data["provenance"]["model_sha256"]
    assert main(["analyse", str(out), "--resamples", "100", "--kpi", "coal_t"]) == 0
    text = capsys.readouterr().out
    assert "Sobol indices of coal_t" in text and "Convergence of ST over the first 2, 4, 8" in text
    assert main(["analyse", str(out), "--kpi", "tonnes"]) == 2
    assert "unknown KPI 'tonnes'" in capsys.readouterr().err


def test_sobol_default_n_matches_its_warning():
    from seamsim.experiment.designs import design_from_spec, design_size
    from seamsim.experiment.kinds import SOBOL_DEFAULT_N, SOBOL_MIN_N

    spec = {"seam.height_m": "0.7:1.0", "roof.convergence_mm": "20:60"}
    assert SOBOL_DEFAULT_N == 512 and design_size("sobol", spec) == 512 * 4
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the default and the least recommended N warn of nothing
        assert len(design_from_spec("sobol", spec)) == 512 * 4
        sobol(spec, SOBOL_MIN_N)
    with pytest.warns(UserWarning, match="N = 512 is recommended"):
        sobol(spec, SOBOL_MIN_N // 2)


def test_sweep_dry_run_counts_times_a_pilot_and_writes_nothing(tmp_path, capsys):
    out = tmp_path / "never"
    argv = ["sweep", str(AFTER), "--design", "sobol", "--vary", "seam.height_m=0.7:1.0",
            "--vary", "roof.convergence_mm=20:60", "-n", "3", "--days", "0.2", "--out", str(out), "--dry-run"]
    assert main([*argv, "--json", "--executor", "serial"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["runs"] == 512 * 4 * 3 and data["points"] == 2048 and data["pilot_runs"] == 5
    assert data["workers"] == 1 and data["estimated_s"] == pytest.approx(data["runs"] * data["s_per_run"])
    assert main([*argv, "--workers", "4"]) == 0
    text = capsys.readouterr().out
    assert "= 6,144 runs" in text and "on 4 worker(s)" in text
    assert not out.exists()


def test_a_sobol_sweep_with_out_keeps_its_indices(tmp_path, capsys):
    out = tmp_path / "sobol"
    argv = ["sweep", str(AFTER), "--design", "sobol", "--samples", "4", "--vary", "seam.height_m=0.72:0.95",
            "--vary", "roof.convergence_mm=20:60", "-n", "2", "--days", "0.3", "--seed", "3",
            "--executor", "serial", "--no-progress", "--out", str(out), "--json"]
    assert main(argv) == 0
    printed = json.loads(capsys.readouterr().out)["sensitivity"]
    assert all((out / name).exists() for name in ANALYSIS_FILES)
    stored = pd.read_csv(out / "indices.csv")
    np.testing.assert_allclose(stored["ST"], [row["ST"] for row in printed], rtol=1e-12)
    again = sensitivity(out, seed=3)  # what the sweep printed, from the directory
    np.testing.assert_array_equal(again["S1"], [row["S1"] for row in printed])
