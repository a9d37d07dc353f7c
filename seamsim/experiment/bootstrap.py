"""The percentile bootstrap of a mean: an interval that stays within the values' range."""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np

from seamsim.experiment.t_estimates import CONFIDENCE, without_nan

__all__ = ["BOOTSTRAP_RESAMPLES", "BOOTSTRAP_SEED", "bootstrap_mean_interval"]

BOOTSTRAP_RESAMPLES = 4000
"""Resamples of the percentile bootstrap (enough for the 2.5 % and 97.5 % quantiles)."""

BOOTSTRAP_SEED = 20_240_611
"""Fixed seed of the bootstrap: the same values give the same interval, bit for bit."""


def bootstrap_mean_interval(
    values: Iterable[float], confidence: float = CONFIDENCE, *, resamples: int = BOOTSTRAP_RESAMPLES,
    seed: int = BOOTSTRAP_SEED,
) -> tuple[float, float]:
    """Return the percentile-bootstrap interval of the mean of ``values``.

    Each resample draws ``n`` values with replacement; the interval is the
    ``(α/2, 1 − α/2)`` quantiles of the resampled means. Every resampled mean lies between
    the smallest and the largest value, so the interval of a quantity that cannot be
    negative never goes below zero (and that of a share never above one). The generator is
    seeded with ``seed``: the same values give the same interval.

    Parameters
    ----------
    values : iterable of float
        At least one value (``NaN`` left out).
    confidence : float, optional
        Two-sided level (0.95).
    resamples : int, optional
        Number of resamples.
    seed : int, optional
        Seed of the resampling.

    Returns
    -------
    tuple of float
        ``(lo, hi)``; ``(nan, nan)`` for no values.

    Examples
    --------
    >>> lo, hi = bootstrap_mean_interval([0.0, 0.0, 0.0, 10.0, 200.0])
    >>> lo >= 0.0
    True
    """
    x = without_nan(values)
    if x.size == 0:
        return (math.nan, math.nan)
    if not 0.0 < confidence < 1.0:
        raise ValueError(f"confidence must be in (0, 1), not {confidence}")
    rng = np.random.default_rng(int(seed))
    means = x[rng.integers(0, x.size, size=(int(resamples), x.size))].mean(axis=1)
    alpha = 1.0 - confidence
    lo, hi = np.quantile(means, [alpha / 2.0, 1.0 - alpha / 2.0])
    return (float(lo), float(hi))
