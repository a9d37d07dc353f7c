"""Sequential replications: batches until the CI is within a relative target, robust to skew."""

from __future__ import annotations

import numpy as np
import pytest

from seamsim import run_experiment
from seamsim.experiment.sequential import (
    next_replication_count,
    precision_check,
    replicate_until_precise,
    run_until_precise,
)
from seamsim.experiment.stats import replications_needed


def _stream(values):
    return lambda n: {"x": (values[:n], None)}


@pytest.mark.parametrize("seed", range(5))
def test_a_normal_stream_stops_within_the_target_near_the_theoretical_n(seed):
    values = np.random.default_rng(seed).normal(100.0, 10.0, 5000)
    theory = replications_needed(sd=10.0, mean=100.0, relative=0.02)  # 99
    outcome = replicate_until_precise(_stream(values), 0.02)
    assert outcome.met and outcome.stop_reason == "target met"
    assert 0.6 * theory <= outcome.n <= 1.5 * theory
    check = outcome.checks[0]
    assert check.relative_half_width <= 0.02 and check.t_half_width <= 0.02 * abs(check.mean)
    assert not outcome.warnings
    assert list(outcome.history["n"])[0] == 10 and outcome.history["n"].iloc[-1] == outcome.n


def test_a_skewed_stream_does_not_stop_where_the_t_interval_alone_would_and_warns():
    # one replication in ten is a jam-heavy month 30 % down: skewness about −2.7
    n = np.arange(4000)
    values = np.where(n % 10 == 3, 70.0, 100.0) + np.random.default_rng(0).normal(0.0, 1.0, n.size)
    outcome = replicate_until_precise(_stream(values), 0.05)
    history = outcome.history
    t_alone = history[history["t_half_width"] <= 0.05 * history["mean"].abs()]["n"].min()
    assert t_alone <= 20  # the t interval alone would have stopped at the first batches
    assert outcome.n >= 150 and outcome.n > 5 * t_alone  # Cochran: n ≥ 25·g1²
    assert outcome.met
    assert any("strongly skewed" in w for w in outcome.warnings)
    check = outcome.checks[0]
    assert check.skewness < -1.0 and outcome.n >= check.n_for_skewness


def test_the_bootstrap_side_counts_on_a_lopsided_sample():
    values = np.array([10.0] * 18 + [100.0, 400.0])
    check = precision_check(values, 0.5, min_replications=2)
    assert check.bootstrap_half_width > 0 and check.n_for_skewness > 20 and not check.met
    assert "skewness" in check.missing


def test_a_zero_mean_stops_at_once_and_says_why():
    outcome = replicate_until_precise(_stream(np.zeros(100)), 0.02)
    assert not outcome.met and outcome.n == 10 and outcome.stop_reason.startswith("cannot be met")
    assert "relative target cannot be met" in outcome.stop_reason


def test_max_replications_ends_the_batches():
    values = np.random.default_rng(1).normal(100.0, 50.0, 5000)
    outcome = replicate_until_precise(_stream(values), 0.001, max_replications=60)
    assert outcome.n == 60 and not outcome.met and outcome.stop_reason == "max replications reached"
    assert any("not met after 60" in w for w in outcome.warnings)


def test_next_batch_is_at_least_min_batch_and_at_most_double():
    check = precision_check(np.random.default_rng(2).normal(100.0, 30.0, 10), 0.01)
    assert next_replication_count([check], 10, 0.01) == 20
    close = precision_check(np.random.default_rng(2).normal(100.0, 1.0, 40), 0.0045)
    assert next_replication_count([close], 40, 0.0045, min_batch=5) >= 45


@pytest.mark.parametrize("bad", [0, 1, -0.1, float("nan"), "x", True])
def test_bad_targets_are_refused(bad):
    with pytest.raises(ValueError, match="target_rel"):
        replicate_until_precise(_stream(np.ones(10)), bad)


def test_sequential_runs_equal_a_fixed_run_of_the_same_n(after):
    result = run_until_precise(after, 0.05, seed=3, days=5, executor="serial", min_replications=4, min_batch=2)
    assert result.met and result.n >= 4 and result.half_width > 0
    fixed = run_experiment(after, result.n, 3, days=5, executor="serial")
    a = result.experiment.runs.drop(columns=["traceback"])
    b = fixed.runs.drop(columns=["traceback"])
    assert a.equals(b)
    assert result.experiment.replications == list(range(result.n))
    assert result.as_dict()["replications"] == result.n


def test_paired_target_is_relative_to_the_baseline(before, after):
    result = run_until_precise([before, after], 0.15, seed=0, days=3, executor="serial", min_replications=4)
    check = result.checks[0]
    base = result.experiment.runs.query("scenario == @before.name")["rom_t_per_month"].mean()
    assert check.scale == pytest.approx(base) and check.measure.startswith(after.name + " − " + before.name)
    assert check.mean > 0 and check.t_half_width <= 0.15 * base
    same = run_until_precise([after, after], 0.02, seed=0, days=3, executor="serial")
    assert same.n == 10 and same.met and same.checks[0].t_half_width == 0.0
