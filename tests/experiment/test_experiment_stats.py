"""Statistics against hand-computed values; n = 1, zero variance and NaN without crashes."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from seamsim.experiment.stats import (
    estimate,
    paired_difference,
    replications_needed,
    summarize,
    t_quantile,
)

# Student t, 97.5 %: with 2 degrees of freedom in closed form, t = (2p − 1)/√(2p(1 − p));
# the others from printed tables (9 digits).
T_975_2 = 0.95 / math.sqrt(2 * 0.975 * 0.025)  # 4.30265273
T_975_4 = 2.776445105
T_975_17 = 2.109815578


def test_t_quantiles_match_tables():
    assert_allclose(t_quantile(3), T_975_2, rtol=1e-12)
    assert_allclose(t_quantile(5), T_975_4, rtol=1e-9)
    assert_allclose(t_quantile(18), T_975_17, rtol=1e-9)
    assert math.isnan(t_quantile(1))


def test_t_interval_of_a_small_sample_by_hand():
    # mean 12, sd 2, half-width t(0.975, 2)·2/√3
    e = estimate([10.0, 12.0, 14.0])
    assert e.n == 3 and e.mean == 12.0 and e.sd == 2.0
    half = T_975_2 * 2.0 / math.sqrt(3.0)
    assert_allclose(e.half_width, half, rtol=1e-12)
    assert_allclose(e.ci95, (12.0 - half, 12.0 + half), rtol=1e-12)


def test_t_interval_of_five_values_by_hand():
    x = [3.0, 5.0, 4.0, 8.0, 10.0]  # mean 6, sd √8.5
    e = estimate(x)
    assert_allclose(e.mean, 6.0)
    assert_allclose(e.sd, math.sqrt(8.5))
    assert_allclose(e.half_width, T_975_4 * math.sqrt(8.5) / math.sqrt(5.0), rtol=1e-9)


def test_zero_variance_collapses_the_interval_exactly():
    e = estimate([0.1, 0.1, 0.1, 0.1])
    assert (e.mean, e.sd, e.half_width, e.ci95_lo, e.ci95_hi) == (0.1, 0.0, 0.0, 0.1, 0.1)


def test_one_value_has_a_mean_and_no_interval():
    e = estimate([42.0])
    assert e.n == 1 and e.mean == 42.0
    assert math.isnan(e.sd) and math.isnan(e.half_width) and math.isnan(e.ci95_lo)


def test_no_values_and_nan_values():
    assert estimate([]).n == 0 and math.isnan(estimate([]).mean)
    e = estimate([1.0, float("nan"), 3.0])
    assert e.n == 2 and e.mean == 2.0


def test_paired_difference_by_hand_and_of_identical_inputs():
    a = [10.0, 20.0, 30.0]
    b = [11.0, 23.0, 32.0]  # differences 1, 3, 2: mean 2, sd 1
    e = paired_difference(a, b)
    assert e.mean == 2.0 and e.sd == 1.0
    assert_allclose(e.half_width, T_975_2 / math.sqrt(3.0), rtol=1e-12)
    same = paired_difference(a, a)
    assert (same.mean, same.sd, same.ci95_lo, same.ci95_hi) == (0.0, 0.0, 0.0, 0.0)


def test_paired_difference_drops_incomplete_pairs_and_checks_lengths():
    e = paired_difference([1.0, float("nan"), 3.0, 4.0], [2.0, 5.0, float("nan"), 6.0])
    assert e.n == 2 and e.mean == 1.5
    with pytest.raises(ValueError):
        paired_difference([1.0], [1.0, 2.0])


def test_replications_needed_absolute_by_hand():
    # n = 18: t(0.975, 17)·10/√18 = 4.973 ≤ 5, while n = 17 gives 5.14 > 5.
    assert replications_needed(sd=10.0, half_width=5.0) == 18
    assert T_975_17 * 10.0 / math.sqrt(18) <= 5.0
    assert t_quantile(17) * 10.0 / math.sqrt(17) > 5.0


def test_replications_needed_relative_from_pilot_values():
    pilot = [90.0, 100.0, 110.0]  # mean 100, sd 10; ±5 % is ±5
    assert replications_needed(pilot, relative=0.05) == 18
    # ±50 % is ±50: n = 2 gives 12.71·10/√2 = 89.8, n = 3 gives 4.30·10/√3 = 24.8
    assert replications_needed(pilot, relative=0.5) == 3


def test_replications_needed_edge_cases():
    assert replications_needed([5.0, 5.0, 5.0], half_width=0.1) == 2  # no variance
    with pytest.raises(ValueError, match="two pilot values"):
        replications_needed([5.0], half_width=1.0)
    with pytest.raises(ValueError, match="exactly one"):
        replications_needed(sd=1.0)
    with pytest.raises(ValueError):
        replications_needed([-1.0, 1.0], relative=0.1)  # mean 0: a relative target is 0
    n = replications_needed(sd=100.0, half_width=1.0)
    assert abs(n - (1.959964 * 100) ** 2) < 10  # large n: t ≈ z


def test_summarize_agrees_with_estimate():
    rng = np.random.default_rng(1)
    runs = pd.DataFrame({
        "scenario": ["b"] * 5 + ["a"] * 4 + ["c"],
        "point": 0,
        "x": rng.normal(10, 2, 10),
        "y": [1.0, 1.0, 1.0, 1.0, 1.0, float("nan"), 2.0, 4.0, 6.0, 3.0],
    })
    table = summarize(runs, ["scenario", "point"], ["x", "y"])
    assert list(table.columns) == ["scenario", "point", "kpi", "n", "mean", "sd", "ci95_lo", "ci95_hi", "half_width"]
    assert list(table["scenario"].drop_duplicates()) == ["b", "a", "c"]  # first-seen order
    for row in table.itertuples():
        e = estimate(runs.loc[runs["scenario"] == row.scenario, row.kpi])
        assert row.n == e.n
        assert_allclose([row.mean, row.half_width], [e.mean, e.half_width], rtol=1e-12, equal_nan=True)
    const = table[(table.scenario == "b") & (table.kpi == "y")].iloc[0]
    assert (const["sd"], const["ci95_lo"], const["ci95_hi"]) == (0.0, 1.0, 1.0)
    single = table[(table.scenario == "c") & (table.kpi == "x")].iloc[0]
    assert single["n"] == 1 and math.isnan(single["half_width"])
