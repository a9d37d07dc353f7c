"""The experiment subcommands through ``main([...])``: run, compare, sweep, decompose."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from cli_calls import run, run_json

from seamsim.cli import main
from seamsim.scenario import load_scenario

ROOT = Path(__file__).resolve().parents[1]
AFTER = str(ROOT / "scenarios" / "article_after_3300v.yaml")
BEFORE = str(ROOT / "scenarios" / "article_before_1140v.yaml")
FAST = ["--days", "2", "--executor", "serial"]


# --------------------------------------------------------------------------------------
# run
# --------------------------------------------------------------------------------------
def test_run_prints_kpis_time_breakdown_and_limits(capsys):
    code, out, _ = run(capsys, "run", AFTER, "-n", "3", *FAST)
    assert code == 0
    assert out.startswith("article_after_3300v — After:")
    assert "3 replication(s) of 2.00 d, seed 0 · status ok" in out
    for kpi in ("rom_t_per_month [t/month]", "running_ratio", "kwh_per_t [kWh/t]", "start_dip_pct [%]"):
        assert kpi in out
    assert "95 % CI" in out and "Time breakdown" in out and "What holds this face back" in out
    breakdown = out.split("Time breakdown")[1].split("What holds")[0]
    assert "cutting" in breakdown and "idle" not in breakdown  # non-zero states only


def test_run_json_is_one_object_with_kpis_and_cis(capsys):
    code, data = run_json(capsys, "run", AFTER, "-n", "5", "--seed", "4", *FAST)
    assert code == 0
    assert data["scenario"] == "article_after_3300v" and data["replications"] == 5 and data["seed"] == 4
    assert data["status"] == "ok" and data["reasons"] == [] and isinstance(data["warnings"], list)
    rom = data["kpis"]["rom_t_per_month"]
    assert rom["ci95"][0] <= rom["mean"] <= rom["ci95"][1] and rom["interval"] == "bootstrap"
    assert data["kpis"]["min_clearance_mm"]["interval"] in ("t", "fixed")  # can be negative: Student's t
    for kpi in ("pick_changes", "rock_t", "running_ratio"):  # cannot be negative: nor can their intervals
        assert data["kpis"].get(kpi, {"ci95": [0.0]})["ci95"][0] >= 0.0
    assert "kwh_per_t" in data["kpis"] and "cutting" in data["time_in_state_h"]
    assert sum(data["time_in_state_h"].values()) == pytest.approx(48.0)


def test_run_json_with_one_replication_has_null_intervals(capsys):
    code, data = run_json(capsys, "run", AFTER, "-n", "1", *FAST)
    assert code == 0 and data["kpis"]["rom_t_per_month"]["ci95"] == [None, None]
    code, data = run_json(capsys, "run", AFTER, "-n", "3", *FAST)  # below 5 replications: no interval
    assert code == 0 and data["kpis"]["pick_changes"]["ci95"] == [None, None]
    assert data["kpis"]["pick_changes"]["interval"] == "too few"


def test_run_json_matches_the_api(capsys):
    from seamsim import run_experiment

    _, data = run_json(capsys, "run", AFTER, "-n", "3", "--seed", "2", "--set", "seam.height_m=0.85", *FAST)
    sc = load_scenario(AFTER, overrides={"seam.height_m": 0.85})
    ex = run_experiment(sc, 3, seed=2, days=2, executor="serial")
    summary = ex.summary[ex.summary.kpi == "rom_t_per_month"]
    assert data["kpis"]["rom_t_per_month"]["mean"] == float(summary["mean"].iloc[0])
    assert data["kpis"]["rom_t_per_month"]["mean"] == pytest.approx(ex.runs["rom_t_per_month"].mean(), rel=1e-12)


def test_run_infeasible_prints_reasons_and_exits_1(capsys):
    code, out, _ = run(capsys, "run", AFTER, "-n", "2", "--set", "crew.remote_operators=0", *FAST)
    assert code == 1
    assert "status infeasible" in out and "remote operator" in out
    code, data = run_json(capsys, "run", AFTER, "-n", "2", "--set", "crew.remote_operators=0", *FAST)
    assert code == 1 and data["status"] == "infeasible" and data["reasons"]


def test_run_out_writes_runs_events_scenario_and_manifest(capsys, tmp_path):
    out = tmp_path / "res"
    code, _, _ = run(capsys, "run", AFTER, "-n", "3", "--seed", "1", *FAST, "--out", str(out))
    assert code == 0
    runs = pd.read_parquet(out / "runs")
    assert len(runs) == 3 and set(runs["replication"]) == {0, 1, 2}
    events = pd.read_csv(out / "events.csv")
    assert {"replication", "time_s", "event", "duration_s"} <= set(events.columns) and len(events)
    assert (events["replication"] == 0).all()
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["status"] == "complete" and manifest["seed"] == 1
    again = load_scenario(out / "scenario.yaml")
    assert again == load_scenario(AFTER)
    # An occupied directory is refused; --resume completes (nothing to do) it.
    code, _, err = run(capsys, "run", AFTER, "-n", "3", "--seed", "1", *FAST, "--out", str(out))
    assert code == 2 and "already holds an experiment" in err


def test_run_bad_input_exits_2(capsys, tmp_path):
    code, _, err = run(capsys, "run", str(tmp_path / "missing.yaml"))
    assert code == 2 and "file not found" in err
    code, _, err = run(capsys, "run", AFTER, "--set", "seam.height_m=800", *FAST)
    assert code == 2 and "did you mean 0.8" in err
    code, _, err = run(capsys, "run", AFTER, "--resume", *FAST)
    assert code == 2 and "--resume needs --out" in err
    code, _, _ = run(capsys, "run", AFTER, "-n", "0")
    assert code == 2


def test_run_on_processes(capsys):
    code, data = run_json(capsys, "run", AFTER, "-n", "4", "--days", "2", "--executor", "processes",
                          "--workers", "2")
    _, serial = run_json(capsys, "run", AFTER, "-n", "4", *FAST)
    assert code == 0 and data["kpis"] == serial["kpis"]


# --------------------------------------------------------------------------------------
# compare
# --------------------------------------------------------------------------------------
def test_compare_prints_kpis_and_paired_differences(capsys):
    code, out, _ = run(capsys, "compare", BEFORE, AFTER, "-n", "3", *FAST)
    assert code == 0
    assert "article_before_1140v" in out and "article_after_3300v" in out
    assert "Paired differences against article_before_1140v" in out
    assert "article_after_3300v − base" in out


def test_compare_json(capsys):
    code, data = run_json(capsys, "compare", BEFORE, AFTER, "-n", "3", *FAST)
    assert code == 0 and data["baseline"] == "article_before_1140v"
    assert [e["scenario"] for e in data["scenarios"]] == ["article_before_1140v", "article_after_3300v"]
    assert all("rom_t_per_month" in e["kpis"] for e in data["scenarios"])
    diff = data["paired_differences"]["article_after_3300v"]["rom_t_per_month"]
    means = [e["kpis"]["rom_t_per_month"]["mean"] for e in data["scenarios"]]
    assert diff["mean"] == pytest.approx(means[1] - means[0], rel=1e-9)
    assert diff["ci95"][0] <= diff["mean"] <= diff["ci95"][1]


def test_compare_a_file_with_itself_gives_zero_differences(capsys):
    code, data = run_json(capsys, "compare", AFTER, AFTER, "-n", "3", *FAST)
    assert code == 0
    diffs = data["paired_differences"]["article_after_3300v-2"]
    assert all(d["mean"] == 0.0 and d["ci95"] == [0.0, 0.0] for d in diffs.values())


# --------------------------------------------------------------------------------------
# sweep
# --------------------------------------------------------------------------------------
def test_sweep_grid_prints_a_row_per_point(capsys):
    code, out, _ = run(capsys, "sweep", AFTER, "--vary", "seam.height_m=0.75,0.85",
                       "--vary", "operation.eh_shield_cycle_s=8:12:3", "-n", "2", *FAST)
    assert code == 0
    assert "grid over seam.height_m, operation.eh_shield_cycle_s" in out
    assert "6 point(s) × 2 replication(s)" in out
    table = out.split("\n\n")[1].splitlines()
    assert table[0].split()[:3] == ["point", "seam.height_m", "operation.eh_shield_cycle_s"]
    assert len(table) == 1 + 6


def test_sweep_json(capsys):
    code, data = run_json(capsys, "sweep", AFTER, "--vary", "seam.height_m=0.75:0.9:4", "-n", "2", *FAST)
    assert code == 0
    assert data["design"] == {"kind": "grid", "fields": ["seam.height_m"], "points": 4, "options": {}}
    assert [p["values"]["seam.height_m"] for p in data["points"]] == [0.75, 0.8, 0.85, 0.9]
    rom = [p["kpis"]["rom_t_per_month"]["mean"] for p in data["points"]]
    assert rom[-1] > rom[0]  # more seam, more coal
    assert data["sensitivity"] is None


@pytest.mark.parametrize(
    ("vary", "field", "message"),
    [
        ("seam.hieght_m=0.7,0.8", "seam.hieght_m", "unknown key — did you mean `height_m`?"),
        ("seam.height_m=0.7,80", "seam.height_m", "80.0 is above the maximum 3.0 [m] — did you mean 0.8?"),
        ("operation.shield_control=manual,robotic", "operation.shield_control", "'robotic' is not allowed"),
        ("seam.height_m=0.7:5:3", "seam.height_m", "5.0 is above the maximum 3.0"),
    ],
)
def test_sweep_bad_vary_is_refused_before_anything_runs(capsys, tmp_path, vary, field, message):
    out = tmp_path / "never"
    code, stdout, err = run(capsys, "sweep", AFTER, "--vary", vary, "-n", "2", *FAST, "--out", str(out))
    assert code == 2 and stdout == ""
    assert f"--vary: {field}: " in err and message in err
    assert not out.exists()


def test_sweep_sobol_reports_sensitivity(capsys):
    code, data = run_json(capsys, "sweep", AFTER, "--vary", "seam.height_m=0.72:0.95",
                          "--vary", "roof.convergence_mm=20:60", "--design", "sobol", "--samples", "8",
                          "-n", "2", "--days", "1", "--executor", "serial")
    assert code == 0 and data["design"]["points"] == 8 * (2 + 2)
    fields = [row["field"] for row in data["sensitivity"]]
    assert fields == ["seam.height_m", "roof.convergence_mm"]
    assert {"S1", "ST", "S1_ci95_lo"} <= set(data["sensitivity"][0])


def test_sweep_morris_text_and_warnings(capsys):
    code, out, err = run(capsys, "sweep", AFTER, "--vary", "seam.height_m=0.72:0.95", "--design", "morris",
                         "--samples", "4", "-n", "1", "--days", "1", "--executor", "serial")
    assert code == 0 and "Morris elementary effects of rom_t_per_month" in out
    assert "warning: 4 Morris trajectories" in err


def test_sweep_resume_completes_an_interrupted_sweep(capsys, tmp_path):
    from seamsim import run_experiment
    from seamsim.experiment.designs import grid

    out = tmp_path / "sweep"
    argv = ["sweep", AFTER, "--vary", "seam.height_m=0.76,0.8,0.9", "-n", "4", "--seed", "3", *FAST,
            "--out", str(out)]
    sc = load_scenario(AFTER)
    design = grid({"seam.height_m": [0.76, 0.8, 0.9]})
    run_experiment(sc, 4, seed=3, days=2, design=design, executor="serial", out=out, chunk_size=2,
                   progress=lambda d, t: d < 4)  # an interrupted first session
    code, _, err = run(capsys, *argv)
    assert code == 2 and "--resume" in err
    code, data = run_json(capsys, *argv, "--resume")
    assert code == 0 and data["complete"]
    stored = pd.read_parquet(out / "runs")
    assert len(stored) == 12 and not stored[["point", "replication"]].duplicated().any()
    code, _, err = run(capsys, *[a if a != "3" else "4" for a in argv], "--resume")
    assert code == 2 and "seed was 3, now 4" in err


# --------------------------------------------------------------------------------------
# decompose
# --------------------------------------------------------------------------------------
def test_decompose_prints_steps_in_order(capsys):
    code, out, _ = run(capsys, "decompose", BEFORE, AFTER, "-n", "3", *FAST)
    assert code == 0
    lines = out.splitlines()
    factors = ["voltage and machine", "shield control", "face-end automation", "remote control"]
    positions = [next(i for i, line in enumerate(lines) if f in line) for f in factors]
    assert positions == sorted(positions)
    assert "start: article_before_1140v" in out and "total: article_after_3300v − article_before_1140v" in out


def test_decompose_json_steps_add_up_to_the_total(capsys):
    code, data = run_json(capsys, "decompose", BEFORE, AFTER, "-n", "3", *FAST)
    assert code == 0 and data["kpi"] == "rom_t_per_month"
    assert [s["factor"] for s in data["steps"]] == data["order"]
    assert sum(s["delta"] for s in data["steps"]) == pytest.approx(data["total"]["delta"], rel=1e-9)
    assert data["total"]["delta"] == pytest.approx(data["total"]["b_mean"] - data["total"]["a_mean"], rel=1e-9)
    assert all(s["ci95"][0] <= s["delta"] <= s["ci95"][1] for s in data["steps"])
    assert "electrical.supply_voltage_v" in data["steps"][0]["fields"]


def test_decompose_other_order_and_bad_input(capsys):
    code, data = run_json(capsys, "decompose", BEFORE, AFTER, "-n", "2", *FAST, "--order", "remote control")
    assert code == 0 and data["order"][0] == "remote control"
    code, _, err = run(capsys, "decompose", BEFORE, AFTER, "-n", "2", *FAST, "--order", "magic")
    assert code == 2 and "unknown factors" in err
    code, _, err = run(capsys, "decompose", BEFORE, AFTER, "-n", "2", *FAST, "--kpi", "rom_t_per_mont")
    assert code == 2 and "did you mean rom_t_per_month" in err


def test_help_lists_the_experiment_commands(capsys):
    code = main(["--help"])
    out = capsys.readouterr().out
    assert code == 0
    for name in ("run", "compare", "sweep", "decompose"):
        assert f"    {name}" in out
