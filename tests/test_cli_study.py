"""The researcher's study through ``main([...])``: order-free decomposition, sequential
replications and paired comparisons over a design."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from seamsim.cli import main

ROOT = Path(__file__).resolve().parents[1]
AFTER = str(ROOT / "scenarios" / "article_after_3300v.yaml")
BEFORE = str(ROOT / "scenarios" / "article_before_1140v.yaml")
FAST = ["--days", "2", "--executor", "serial", "--no-progress"]


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def run_json(capsys, *argv: str) -> tuple[int, dict]:
    code, out, _ = run(capsys, *argv, "--json")
    return code, json.loads(out)


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
