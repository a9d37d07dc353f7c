"""compare: paired differences with common random numbers."""

from __future__ import annotations

import numpy as np
import pytest

from seamsim import compare
from seamsim.experiment.runner import MAIN_KPIS
from seamsim.experiment.stats import estimate
from seamsim.scenario import apply_overrides


def test_a_scenario_compared_with_itself_differs_by_exactly_zero(after):
    c = compare([after, after], replications=4, seed=2, days=2, executor="serial")
    assert c.names == ["article_after_3300v", "article_after_3300v-2"]
    paired = c.paired
    assert set(paired["kpi"]) == set(MAIN_KPIS)
    assert (paired["mean_diff"] == 0.0).all()
    assert (paired["ci95_lo"] == 0.0).all() and (paired["ci95_hi"] == 0.0).all()
    assert (paired["sd"] == 0.0).all() and (paired["n"] == 4).all()


def test_paired_differences_by_hand(before, after):
    c = compare([before, after], replications=5, seed=1, days=2, executor="serial")
    runs = c.experiment.runs
    a = runs[runs.scenario == "article_before_1140v"].set_index("replication")["rom_t_per_month"]
    b = runs[runs.scenario == "article_after_3300v"].set_index("replication")["rom_t_per_month"]
    hand = estimate((b - a).to_numpy())
    row = c.paired[c.paired.kpi == "rom_t_per_month"].iloc[0]
    assert row["scenario"] == "article_after_3300v" and row["baseline"] == "article_before_1140v"
    assert row["mean_diff"] == pytest.approx(hand.mean, rel=1e-12)
    assert row["ci95_lo"] == pytest.approx(hand.ci95_lo, rel=1e-12)
    assert row["relative_diff"] == pytest.approx(hand.mean / a.mean(), rel=1e-12)
    assert row["mean_diff"] > 0  # the upgrade produces more
    kpis = c.kpis[c.kpis.kpi == "rom_t_per_month"].set_index("scenario")
    assert kpis.loc["article_after_3300v", "mean"] == pytest.approx(b.mean(), rel=1e-12)
    table = c.table("rom_t_per_month")
    assert table["mean_diff"].isna().tolist() == [True, False]


def test_common_random_numbers_narrow_the_interval(after):
    """A small change measured by paired differences has a far narrower CI than the
    difference of two independent estimates."""
    nudged = apply_overrides(after, {"operation.automated_face_end_reversal_min": 0.6}).model_copy(update={"name": "nudged"})
    c = compare([after, nudged], replications=8, seed=0, days=3, executor="serial")
    row = c.paired[c.paired.kpi == "rom_t_per_month"].iloc[0]
    k = c.kpis[c.kpis.kpi == "rom_t_per_month"].set_index("scenario")["half_width"]
    independent = float(np.hypot(k["article_after_3300v"], k["nudged"]))
    assert row["half_width"] < independent / 3


def test_compare_takes_no_design(after):
    with pytest.raises(TypeError):
        compare([after, after], replications=2, design=[{"seam.height_m": 0.8}])


def test_paired_table_survives_a_scenario_with_no_finished_run():
    """A cancelled comparison can leave a scenario without rows; that gives n = 0, not a crash."""
    import pandas as pd

    from seamsim.experiment.compare import paired_table

    runs = pd.DataFrame({
        "point": [0, 0, 0], "replication": [0, 1, 0], "scenario": ["a", "a", "b"], "rom_t": [1.0, 2.0, 3.0],
    })
    table = paired_table(runs, "a", ["b", "c"], ["rom_t"]).set_index("scenario")
    assert table.loc["b", "n"] == 1
    assert table.loc["b", "mean_diff"] == 2.0
    assert table.loc["c", "n"] == 0


# --------------------------------------------------------------------------------------
# Paired differences over a design
# --------------------------------------------------------------------------------------
def test_paired_differences_over_a_design_are_zero_for_the_same_scenario(after):
    from seamsim import run_experiment
    from seamsim.experiment.compare import paired_differences_over_design
    from seamsim.experiment.designs import grid

    ex = run_experiment([after, after], 3, 0, days=3, executor="serial",
                        design=grid({"seam.height_m": [0.75, 0.9]}))
    table = paired_differences_over_design(ex)
    assert list(table["seam.height_m"]) == [0.75, 0.9] and (table["n"] == 3).all()
    assert (table["mean_diff"] == 0.0).all() and (table["ci95_lo"] == 0.0).all() and (table["ci95_hi"] == 0.0).all()


def test_the_before_after_gain_grows_with_seam_height(before, after):
    from seamsim import run_experiment
    from seamsim.experiment.compare import paired_differences_over_design
    from seamsim.experiment.designs import grid

    ex = run_experiment([before, after], 4, 0, days=8, executor="serial",
                        design=grid({"seam.height_m": [0.7, 0.8, 1.0]}))
    table = paired_differences_over_design(ex, before.name, after.name, "rom_t_per_month")
    gain = table["mean_diff"].to_numpy()
    assert (gain > 0).all() and gain[0] < gain[1] < gain[2]
    assert table["ci95_lo"].iloc[2] > table["ci95_hi"].iloc[0]  # 1.0 m gains clearly more than 0.7 m
    expected = (table["other_mean"] - table["baseline_mean"]).to_numpy()
    np.testing.assert_allclose(gain, expected, rtol=1e-9)
    with pytest.raises(KeyError, match="unknown KPI"):
        paired_differences_over_design(ex, kpi="rom")
