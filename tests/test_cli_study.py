"""The researcher's study through ``main([...])``: order-free decomposition, sequential
replications and paired comparisons over a design."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_calls import run, run_json

ROOT = Path(__file__).resolve().parents[1]
AFTER = str(ROOT / "scenarios" / "article_after_3300v.yaml")
BEFORE = str(ROOT / "scenarios" / "article_before_1140v.yaml")
FAST = ["--days", "2", "--executor", "serial", "--no-progress"]


# --------------------------------------------------------------------------------------
# decompose --order-free
# --------------------------------------------------------------------------------------
def test_order_free_json_adds_up_and_names_infeasible_coalitions(capsys):
    code, data = run_json(capsys, "decompose", BEFORE, AFTER, "-n", "2", *FAST, "--order-free")
    assert code == 0 and data["method"] == "exact" and data["coalitions"] == 2 ** len(data["factors"])
    assert sum(f["shapley"] for f in data["factors"]) == pytest.approx(data["total"]["delta"], rel=1e-9)
    assert "electrical.supply_voltage_v" in data["factors"][0]["fields"]
    crew_alone = [c for c in data["infeasible_coalitions"] if c["factors"] == ["crew"]]
    assert crew_alone and any("driver" in r for r in crew_alone[0]["reasons"])


def test_order_free_text_and_together(capsys):
    together = "shield control+face-end automation+remote control+crew"
    code, out, _ = run(capsys, "decompose", BEFORE, AFTER, "-n", "2", *FAST, "--order-free", "--together", together)
    assert code == 0
    assert "Order-free decomposition (Shapley values)" in out and "all 8 coalitions of 3 factors" in out
    assert "shield control + face-end automation + remote control + crew" in out
    assert "coalitions are not ok" not in out


@pytest.mark.parametrize("extra, message", [
    (["--order-free", "--order", "crew"], "--order has no meaning with --order-free"),
    (["--together", "crew+remote control"], "go with --order-free"),
    (["--order-free", "--together", "crew+magic"], "unknown factors"),
    (["--order-free", "--permutations", "0"], "must be at least 1"),
])
def test_order_free_bad_input_exits_2(capsys, extra, message):
    code, _, err = run(capsys, "decompose", BEFORE, AFTER, "-n", "2", *FAST, *extra)
    assert code == 2 and message in err


# --------------------------------------------------------------------------------------
# run / compare --target-rel
# --------------------------------------------------------------------------------------
def test_run_target_rel_text_and_json(capsys):
    code, out, _ = run(capsys, "run", AFTER, "--target-rel", "0.1", "--min-replications", "4", *FAST)
    assert code == 0 and "Replications by rule:" in out and "target met" in out and "Cochran" in out
    code, data = run_json(capsys, "run", AFTER, "--target-rel", "0.1", "--min-replications", "4", *FAST)
    seq = data["sequential"]
    assert seq["met"] and seq["replications"] == data["replications"] >= 4 and seq["kpi"] == "rom_t_per_month"
    assert seq["measures"][0]["relative_half_width"] <= 0.1


def test_compare_target_rel_is_on_the_paired_difference(capsys):
    code, data = run_json(capsys, "compare", BEFORE, AFTER, "--target-rel", "0.2", "--min-replications", "4",
                          "--kpi", "coal_t_per_month", *FAST)
    assert code == 0
    seq = data["sequential"]
    assert seq["kpi"] == "coal_t_per_month" and seq["measures"][0]["measure"].startswith("article_after_3300v − ")
    base = data["scenarios"][0]["kpis"]["coal_t_per_month"]["mean"]
    assert seq["measures"][0]["scale"] == pytest.approx(base)
    assert data["replications"] == seq["replications"]


@pytest.mark.parametrize("extra, message", [
    (["--target-rel", "0"], "argument --target-rel: must be between 0 and 1"),
    (["--target-rel", "1.5"], "argument --target-rel: must be between 0 and 1"),
    (["--target-rel", "nan"], "argument --target-rel: must be between 0 and 1"),
    (["--target-rel", "two"], "argument --target-rel: expected a number"),
    (["--target-rel", "0.02", "--kpi", "rom_t_per_mont"], "did you mean rom_t_per_month"),
    (["--target-rel", "0.02", "--min-replications", "20", "--max-replications", "10"], "below --min-replications"),
    (["--max-replications", "10"], "--max-replications goes with --target-rel"),
    (["--target-rel", "0.02", "--out", "/tmp/never-written-by-seamsim-tests"], "store them with"),
])
def test_target_rel_bad_input_exits_2(capsys, extra, message):
    code, _, err = run(capsys, "run", AFTER, *FAST, *extra)
    assert code == 2 and message in err


# --------------------------------------------------------------------------------------
# sweep --compare
# --------------------------------------------------------------------------------------
def test_sweep_compare_text_json_out_and_plot(capsys, tmp_path):
    argv = ["sweep", BEFORE, "--vary", "seam.height_m=0.75,0.95", "--compare", AFTER, "-n", "3", *FAST]
    code, out, _ = run(capsys, *argv)
    assert code == 0 and "Paired difference article_after_3300v − article_before_1140v of rom_t_per_month" in out
    out_dir, plot = tmp_path / "sweep", tmp_path / "gain.html"
    code, data = run_json(capsys, *argv, "--out", str(out_dir), "--plot", str(plot))
    assert code == 0
    points = data["compare"]["points"]
    assert [p["values"]["seam.height_m"] for p in points] == [0.75, 0.95]
    assert all(p["ci95"][0] <= p["mean_diff"] <= p["ci95"][1] for p in points)
    assert points[1]["mean_diff"] > points[0]["mean_diff"] > 0
    assert [p["kpis"]["rom_t_per_month"]["mean"] for p in data["points"]] == [p["baseline_mean"] for p in points]
    import pandas as pd

    stored = pd.read_csv(out_dir / "paired.csv")
    assert list(stored["mean_diff"]) == pytest.approx([p["mean_diff"] for p in points], rel=1e-12)
    assert "plotly" in plot.read_text(encoding="utf-8")[:20000].lower()


def test_sweep_compare_with_itself_is_zero_and_draws_a_heatmap(capsys, tmp_path):
    plot = tmp_path / "map.html"
    code, data = run_json(capsys, "sweep", AFTER, "--vary", "seam.height_m=0.8,0.9",
                          "--vary", "electrical.cable_csa_mm2=70,95", "--compare", AFTER, "-n", "2", *FAST,
                          "--plot", str(plot))
    assert code == 0 and data["compare"]["other"] == "article_after_3300v-2"
    assert all(p["mean_diff"] == 0.0 and p["ci95"] == [0.0, 0.0] for p in data["compare"]["points"])
    assert '"type":"heatmap"' in plot.read_text(encoding="utf-8").replace(" ", "")


@pytest.mark.parametrize("extra, message", [
    (["--plot", "x.html"], "--plot draws the paired difference of --compare"),
    (["--compare", AFTER, "--design", "sobol", "--vary", "seam.height_m=0.7:0.9"], "--compare goes with --design grid"),
    (["--compare", AFTER, "--plot", "x.pdf"], "give a file ending in .html"),
    (["--compare", AFTER, "--plot", "x.html", "--vary", "seam.height_m=0.8", "--vary", "crew.patrol=1",
      "--vary", "electrical.cable_csa_mm2=70"], "--plot draws one or two varied fields"),
    (["--compare", "no-such-file.yaml"], "no-such-file.yaml"),
])
def test_sweep_compare_bad_input_exits_2(capsys, extra, message):
    vary = [] if "--vary" in extra else ["--vary", "seam.height_m=0.8"]
    code, _, err = run(capsys, "sweep", BEFORE, *vary, "-n", "2", *FAST, *extra)
    assert code == 2 and message in err


# --------------------------------------------------------------------------------------
# Small fixes: the worst spot's label, the interrupted message
# --------------------------------------------------------------------------------------
def test_min_clearance_is_labelled_as_the_worst_spot(capsys):
    code, out, _ = run(capsys, "run", AFTER, "-n", "2", *FAST)
    assert code == 0 and "min_clearance_mm [mm, worst spot]" in out
    assert "`seamsim inspect` shows the nominal spare clearance" in out


def test_an_interrupt_names_resume_when_there_is_an_out(capsys, tmp_path, monkeypatch):
    import seamsim.experiment.compare as compare_module
    import seamsim.experiment.runner as runner

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(runner, "run_experiment", interrupted)
    monkeypatch.setattr(compare_module, "run_experiment", interrupted)
    code, _, err = run(capsys, "compare", BEFORE, AFTER, "-n", "2", *FAST, "--out", str(tmp_path / "x"))
    assert code == 130 and "--resume" in err and str(tmp_path / "x") in err
    code, _, err = run(capsys, "run", AFTER, "-n", "2", *FAST)
    assert code == 130 and "interrupted; nothing was kept" in err and "--resume" not in err
