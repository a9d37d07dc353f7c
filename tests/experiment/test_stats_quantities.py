"""Statistics that respect the quantity: bootstrap intervals that cannot go below zero, no
interval below five replications, percentage points, no verdict on a fixed difference, no
relative change of a quantity that can be negative."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from seamsim.experiment import stats
from seamsim.experiment.stats import (
    MIN_REPLICATIONS_FOR_INTERVAL,
    bootstrap_mean_interval,
    estimate,
    interval,
    kpi_summary,
    paired_summary,
    quantity_kind,
    relative_difference,
)


def test_kinds_of_the_kpis():
    assert quantity_kind("running_ratio") == "share"
    assert quantity_kind("ash_pct") == "percent"
    assert quantity_kind("rom_t_per_month") == "amount"
    assert quantity_kind("spare_clearance_mm") == "signed"
    assert quantity_kind("time_jam_h") == "amount"
    assert quantity_kind("limit_share_pick") == "share"
    assert quantity_kind("something_new") == "signed"


def test_a_non_negative_interval_never_goes_below_zero_where_t_does():
    values = [0.0, 0.0, 0.0, 0.0, 0.0, 50.0, 8000.0]  # a face that mostly cannot work
    t = estimate(values)
    assert t.ci95_lo < 0.0  # the t interval goes negative for tonnes
    e = interval(values, "amount")
    assert e.method == "bootstrap"
    assert 0.0 <= e.lo <= e.mean <= e.hi <= max(values)
    assert e.mean == pytest.approx(np.mean(values))


def test_a_share_interval_stays_within_zero_and_one():
    e = interval([0.98, 1.0, 1.0, 1.0, 0.99, 1.0], "share")
    assert 0.0 <= e.lo <= e.hi <= 1.0


def test_the_bootstrap_is_seeded():
    values = np.random.default_rng(3).gamma(2.0, 5.0, 30)
    assert bootstrap_mean_interval(values) == bootstrap_mean_interval(values)
    assert bootstrap_mean_interval(values, seed=1) != bootstrap_mean_interval(values, seed=2)


def test_too_few_replications_give_no_interval():
    for n in range(1, MIN_REPLICATIONS_FOR_INTERVAL):
        e = interval(np.arange(n, dtype=float) + 100.0, "amount")
        assert e.method == "too few" and math.isnan(e.lo) and math.isnan(e.hi)
        assert e.mean == pytest.approx(100.0 + (n - 1) / 2)
    e = interval(np.arange(MIN_REPLICATIONS_FOR_INTERVAL, dtype=float) + 100.0, "amount")
    assert e.method == "bootstrap" and math.isfinite(e.lo)


def test_signed_quantities_keep_the_t_interval():
    values = [-30.0, -10.0, 5.0, 12.0, -2.0]
    e = interval(values, "signed")
    t = estimate(values)
    assert e.method == "t" and (e.lo, e.hi) == (t.ci95_lo, t.ci95_hi)


def test_relative_difference_only_for_amounts_on_a_positive_baseline():
    assert relative_difference(10.0, 20.0, "amount") == 0.5
    assert math.isnan(relative_difference(-42.0, 20.0, "signed"))  # spare clearance: no "−210 %"
    assert math.isnan(relative_difference(0.2, 0.4, "share"))  # a ratio changes by points
    assert math.isnan(relative_difference(5.0, 0.0, "amount"))
    assert math.isnan(relative_difference(5.0, -3.0, "amount"))


def _runs(a: dict[str, list[float]], b: dict[str, list[float]]) -> pd.DataFrame:
    n = len(next(iter(a.values())))
    rows = [{"scenario": "a", "replication": i, **{k: v[i] for k, v in a.items()}} for i in range(n)]
    rows += [{"scenario": "b", "replication": i, **{k: v[i] for k, v in b.items()}} for i in range(n)]
    return pd.DataFrame(rows)


def test_paired_summary_marks_points_fixed_inputs_and_verdicts():
    rng = np.random.default_rng(0)
    out_a = rng.normal(20_000, 2_000, 10)
    runs = _runs(
        {"rom_t_per_month": out_a, "running_ratio": rng.uniform(0.2, 0.3, 10), "crew_per_shift": [20.0] * 10,
         "spare_clearance_mm": [-20.0] * 10, "ash_pct": np.full(10, 30.0)},
        {"rom_t_per_month": out_a + 20_000 + rng.normal(0, 500, 10), "running_ratio": rng.uniform(0.6, 0.7, 10),
         "crew_per_shift": [6.0] * 10, "spare_clearance_mm": [22.0] * 10, "ash_pct": np.full(10, 30.0)},
    )
    table = paired_summary(runs, ["rom_t_per_month", "running_ratio", "crew_per_shift", "spare_clearance_mm",
                                  "ash_pct"]).set_index("kpi")
    assert table.loc["rom_t_per_month", "verdict"] == "differs"
    assert table.loc["rom_t_per_month", "relative_diff"] == pytest.approx(
        table.loc["rom_t_per_month", "mean_diff"] / np.mean(out_a))
    assert table.loc["running_ratio", "difference_unit"] == "pp"
    assert math.isnan(table.loc["running_ratio", "relative_diff"])
    assert table.loc["crew_per_shift", "verdict"] == "fixed"  # a crew of 20 against 6: no statistics
    assert table.loc["crew_per_shift", "mean_diff"] == -14.0
    assert table.loc["spare_clearance_mm", "verdict"] == "fixed"
    assert math.isnan(table.loc["spare_clearance_mm", "relative_diff"])
    assert table.loc["ash_pct", "verdict"] == "same"


def test_paired_summary_says_too_few_below_five_pairs():
    runs = _runs({"rom_t_per_month": [1.0, 2.0, 3.0]}, {"rom_t_per_month": [2.0, 2.5, 5.0]})
    row = paired_summary(runs, ["rom_t_per_month"]).iloc[0]
    assert row["verdict"] == "too few" and math.isnan(row["lo"])


def test_noise_when_the_interval_holds_zero():
    runs = _runs({"rom_t_per_month": [10.0, 20.0, 30.0, 40.0, 50.0]},
                 {"rom_t_per_month": [11.0, 18.0, 31.0, 39.0, 51.0]})
    assert paired_summary(runs, ["rom_t_per_month"]).iloc[0]["verdict"] == "noise"


def test_kpi_summary_per_group_and_kind():
    runs = _runs({"rom_t_per_month": [0.0, 0.0, 0.0, 0.0, 9000.0], "spare_clearance_mm": [-5, -4, -3, -2, -1.0]},
                 {"rom_t_per_month": [1.0, 2.0, 3.0, 4.0, 5.0], "spare_clearance_mm": [1, 1, 1, 1, 1.0]})
    s = kpi_summary(runs, ["rom_t_per_month", "spare_clearance_mm"]).set_index(["scenario", "kpi"])
    assert s.loc[("a", "rom_t_per_month"), "lo"] >= 0.0
    assert s.loc[("a", "rom_t_per_month"), "method"] == "bootstrap"
    assert s.loc[("a", "spare_clearance_mm"), "method"] == "t"
    assert s.loc[("b", "spare_clearance_mm"), "method"] == "fixed"
    assert list(s.index.get_level_values(0).unique()) == ["a", "b"]


def test_every_kind_is_one_of_the_named_kinds():
    assert set(stats.QUANTITY_KINDS.values()) <= {"share", "percent", "amount", "signed"}
