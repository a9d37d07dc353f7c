"""The random processes of the model against their theory (``scipy.stats``).

Each sampler is drawn many times from a fixed seed and compared with the distribution it
claims: a Kolmogorov–Smirnov test (fixed seed, so the verdict is deterministic) and the
mean. The outbye process is a renewal process; its long-run stopped share must equal the
scenario's ``outbye_blocked_fraction`` (renewal–reward theorem).
"""

from __future__ import annotations

import dataclasses
import itertools
import math

import numpy as np
import pytest
from scipy import stats

from seamsim.model.failures import (
    _comms_intervals,
    _outbye_intervals,
    lognormal_from_median,
    time_between_failures_s,
)
from seamsim.model.stoppage_parameters import FailureModeParameters, stoppage_parameters
from seamsim.scenario import Scenario

N = 20_000
P_MIN = 1e-3


def _mode(distribution: str, mean_h: float, shape: float) -> FailureModeParameters:
    return FailureModeParameters(True, distribution, mean_h * 3600.0, shape, 3600.0, 0.9, "fitter")


def _draws(mode: FailureModeParameters, seed: int = 11) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return np.array([time_between_failures_s(rng, mode) for _ in range(N)])


@pytest.mark.parametrize("shape", [0.8, 1.0, 1.5, 2.5])
def test_weibull_time_between_failures_has_the_scenario_mean_and_shape(shape):
    mode = _mode("weibull", 60.0, shape)
    scale_s = mode.mean_time_between_failures_s / math.gamma(1.0 + 1.0 / shape)
    draws = _draws(mode)
    assert stats.kstest(draws, stats.weibull_min(c=shape, scale=scale_s).cdf).pvalue > P_MIN
    sem = draws.std(ddof=1) / math.sqrt(N)
    assert abs(draws.mean() - mode.mean_time_between_failures_s) < 4 * sem


def test_exponential_time_between_failures():
    mode = _mode("exponential", 15.0, 1.0)
    draws = _draws(mode)
    assert stats.kstest(draws, stats.expon(scale=mode.mean_time_between_failures_s).cdf).pvalue > P_MIN


@pytest.mark.parametrize("sigma", [0.3, 1.0])
def test_lognormal_time_between_failures_keeps_the_mean(sigma):
    mode = _mode("lognormal", 80.0, sigma)
    median_s = mode.mean_time_between_failures_s * math.exp(-0.5 * sigma**2)
    draws = _draws(mode)
    theory = stats.lognorm(s=sigma, scale=median_s)
    assert theory.mean() == pytest.approx(mode.mean_time_between_failures_s)
    assert stats.kstest(draws, theory.cdf).pvalue > P_MIN


def test_repair_times_are_lognormal_with_the_given_median():
    rng = np.random.default_rng(3)
    draws = np.array([lognormal_from_median(rng, 1800.0, 0.9) for _ in range(N)])
    assert stats.kstest(draws, stats.lognorm(s=0.9, scale=1800.0).cdf).pvalue > P_MIN
    assert np.median(draws) == pytest.approx(1800.0, rel=0.03)


def _streams(seed: int) -> dict[str, np.random.Generator]:
    names = ("outbye.up", "outbye.down", "comms.arrival", "comms.duration")
    children = np.random.SeedSequence(seed).spawn(len(names))
    return {name: np.random.default_rng(child) for name, child in zip(names, children, strict=True)}


@pytest.mark.parametrize("fraction", [0.05, 0.10, 0.30])
def test_outbye_stopped_share_is_the_scenario_fraction(fraction):
    stops = dataclasses.replace(stoppage_parameters(Scenario()), outbye_blocked_fraction=fraction)
    intervals = list(itertools.islice(_outbye_intervals(stops, _streams(5)), 40_000))
    stopped_s = sum(end - start for start, end in intervals)
    share = stopped_s / intervals[-1][1]
    assert share == pytest.approx(fraction, abs=0.01)
    lengths = np.array([end - start for start, end in intervals])
    theory = stats.lognorm(s=stops.outbye_stop_sigma_ln, scale=stops.outbye_stop_median_s)
    assert stats.kstest(lengths, theory.cdf).pvalue > P_MIN


def test_comms_outages_arrive_as_a_poisson_process():
    stops = stoppage_parameters(Scenario())
    assert stops.comms_outage_rate_per_s > 0  # the default face is run remotely
    intervals = list(itertools.islice(_comms_intervals(stops, _streams(9)), N))
    starts = np.array([s for s, _ in intervals])
    ends = np.array([e for _, e in intervals])
    gaps = starts[1:] - ends[:-1]  # time from the end of one outage to the next arrival
    assert stats.kstest(gaps, stats.expon(scale=1.0 / stops.comms_outage_rate_per_s).cdf).pvalue > P_MIN
    theory = stats.lognorm(s=stops.comms_outage_sigma_ln, scale=stops.comms_outage_median_s)
    assert stats.kstest(ends - starts, theory.cdf).pvalue > P_MIN
