"""Means with Student's t confidence intervals: one sample, paired differences, replications
needed for a target precision, and a table of them per group (:func:`summarize`).

Conventions
-----------
- The confidence interval of a mean is ``mean ± t(1 - α/2, n - 1) · sd / √n`` with the
  sample standard deviation (``ddof=1``) and Student's t (:data:`scipy.stats.t`).
- Missing values (``NaN``: a KPI that is undefined for a run, or a run that failed) are
  left out; ``n`` counts the values used.
- ``n = 0``: everything is ``NaN``. ``n = 1``: the mean is the value, the standard
  deviation and the interval are ``NaN`` (one value says nothing about spread).
- Zero variance (every value equal): ``sd = 0`` and the interval collapses to the mean,
  exactly (a scenario compared with itself gives ``[0, 0]``).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = [
    "CONFIDENCE",
    "SUMMARY_COLUMNS",
    "Estimate",
    "estimate",
    "paired_difference",
    "replications_needed",
    "summarize",
    "t_quantile",
    "without_nan",
]

CONFIDENCE = 0.95
"""Confidence level of every interval in the experiment tables (columns ``ci95_*``)."""

SUMMARY_COLUMNS = ("kpi", "n", "mean", "sd", "ci95_lo", "ci95_hi", "half_width")
"""Columns of :func:`summarize` after the grouping columns."""


@dataclass(frozen=True)
class Estimate:
    """A mean with its t-based confidence interval.

    Attributes
    ----------
    n : int
        Values used (missing values left out).
    mean, sd : float
        Sample mean and standard deviation (``ddof=1``).
    ci95_lo, ci95_hi : float
        The confidence interval (at :attr:`confidence`, 95 % unless asked otherwise).
    half_width : float
        Half the width of the interval.
    confidence : float
        The confidence level.
    """

    n: int
    mean: float
    sd: float
    ci95_lo: float
    ci95_hi: float
    half_width: float
    confidence: float = CONFIDENCE

    @property
    def ci95(self) -> tuple[float, float]:
        """The interval as ``(lo, hi)``."""
        return (self.ci95_lo, self.ci95_hi)

    def as_dict(self) -> dict[str, float]:
        """Return the estimate as a flat dict (``n, mean, sd, ci95_lo, ci95_hi, half_width``)."""
        return {
            "n": self.n,
            "mean": self.mean,
            "sd": self.sd,
            "ci95_lo": self.ci95_lo,
            "ci95_hi": self.ci95_hi,
            "half_width": self.half_width,
        }


def t_quantile(n: int | np.ndarray, confidence: float = CONFIDENCE) -> float | np.ndarray:
    """Return Student's t quantile ``t(1 - α/2, n - 1)`` for ``n`` values (NaN for n < 2).

    Parameters
    ----------
    n : int or ndarray of int
        Number of values.
    confidence : float, optional
        Two-sided confidence level in (0, 1).

    Returns
    -------
    float or ndarray
        The multiplier of the standard error.
    """
    from scipy import stats  # heavy: imported on first use

    if not 0.0 < confidence < 1.0:
        raise ValueError(f"confidence must be in (0, 1), not {confidence}")
    n_arr = np.asarray(n, dtype=float)
    dof = np.where(n_arr >= 2, n_arr - 1.0, np.nan)
    with np.errstate(invalid="ignore"):
        q = stats.t.ppf(0.5 + confidence / 2.0, dof)
    return float(q) if np.ndim(q) == 0 else q


def without_nan(values: Iterable[float]) -> np.ndarray:
    """Return ``values`` as a float array, ``NaN`` left out."""
    arr = np.asarray(list(values) if not isinstance(values, np.ndarray | pd.Series) else values, dtype=float)
    return arr[~np.isnan(arr)]


def estimate(values: Iterable[float], confidence: float = CONFIDENCE) -> Estimate:
    """Return the mean of ``values`` with its t-based confidence interval.

    Parameters
    ----------
    values : iterable of float
        One value per replication; ``NaN`` values are left out.
    confidence : float, optional
        Confidence level (0.95).

    Returns
    -------
    Estimate
        See the module notes for ``n`` of 0 or 1 and for zero variance.
    """
    x = without_nan(values)
    n = int(x.size)
    if n == 0:
        return Estimate(0, math.nan, math.nan, math.nan, math.nan, math.nan, confidence)
    if x.min() == x.max():  # zero variance: the interval collapses exactly to the value
        value = float(x[0])
        sd = 0.0 if n >= 2 else math.nan
        half = 0.0 if n >= 2 else math.nan
        lo = value if n >= 2 else math.nan
        return Estimate(n, value, sd, lo, lo, half, confidence)
    mean = float(x.mean())
    sd = float(x.std(ddof=1))
    half = float(t_quantile(n, confidence)) * sd / math.sqrt(n)
    return Estimate(n, mean, sd, mean - half, mean + half, half, confidence)


def paired_difference(
    baseline: Sequence[float], other: Sequence[float], confidence: float = CONFIDENCE
) -> Estimate:
    """Return the mean paired difference ``other − baseline`` with its confidence interval.

    With common random numbers, replication ``i`` of two scenarios saw the same random
    draws wherever their physics does not differ, so the differences per replication vary
    much less than either scenario: the paired interval is narrower than the two separate
    ones.

    Parameters
    ----------
    baseline, other : sequence of float
        Values of the same replications, aligned by position. Pairs with a ``NaN`` on
        either side are left out.
    confidence : float, optional
        Confidence level (0.95).

    Returns
    -------
    Estimate
        Of the differences; exactly zero (with a ``[0, 0]`` interval) for identical inputs.
    """
    a = np.asarray(baseline, dtype=float)
    b = np.asarray(other, dtype=float)
    if a.shape != b.shape:
        raise ValueError(f"paired values must have the same length ({a.size} and {b.size})")
    keep = ~(np.isnan(a) | np.isnan(b))
    return estimate(b[keep] - a[keep], confidence)


def replications_needed(
    values: Iterable[float] | None = None,
    *,
    half_width: float | None = None,
    relative: float | None = None,
    confidence: float = CONFIDENCE,
    sd: float | None = None,
    mean: float | None = None,
    max_replications: int = 1_000_000,
) -> int:
    """Return the fewest replications whose t-based CI half-width meets a target.

    The answer is the smallest ``n ≥ 2`` with ``t(1 - α/2, n - 1) · s / √n ≤ h``, where
    ``s`` is the standard deviation estimated from a pilot run and ``h`` the target
    half-width (the confidence-interval method of Hoad, Robinson & Davies 2010, with the
    pilot's ``s`` held fixed).

    Parameters
    ----------
    values : iterable of float, optional
        Pilot replications (at least two values), giving ``s`` and the mean.
    half_width : float, optional
        Target absolute half-width, in the KPI's unit.
    relative : float, optional
        Target half-width as a share of the mean (``0.01`` is ±1 %).
    confidence : float, optional
        Confidence level (0.95).
    sd, mean : float, optional
        Give these instead of ``values``.
    max_replications : int, optional
        Give up (``ValueError``) above this.

    Returns
    -------
    int
        Replications needed (2 when the pilot shows no variance).

    Examples
    --------
    >>> replications_needed(sd=10.0, half_width=5.0)   # t(0.975, 17)·10/√18 = 4.97
    18
    """
    if (half_width is None) == (relative is None):
        raise ValueError("give exactly one of half_width (absolute) or relative")
    if values is not None:
        e = estimate(values, confidence)
        if e.n < 2:
            raise ValueError("need at least two pilot values to estimate the variance")
        sd, mean = e.sd, e.mean
    if sd is None or not math.isfinite(sd) or sd < 0:
        raise ValueError("give pilot values, or a finite non-negative sd")
    if relative is not None:
        if mean is None or not math.isfinite(mean):
            raise ValueError("a relative target needs the mean (give pilot values or mean)")
        if relative <= 0:
            raise ValueError(f"relative target must be positive, not {relative}")
        target = relative * abs(mean)
    else:
        target = float(half_width)  # type: ignore[arg-type]
        if target <= 0:
            raise ValueError(f"half_width must be positive, not {half_width}")
    if sd == 0.0:
        return 2
    if target == 0.0:
        raise ValueError("the mean is 0, so a relative target is 0: give an absolute half_width")
    from scipy import stats

    z = float(stats.norm.ppf(0.5 + confidence / 2.0))
    n = max(2, math.ceil((z * sd / target) ** 2))  # t > z, so this is a lower bound
    while n <= max_replications:  # a few steps at most: t approaches z quickly
        if float(t_quantile(n, confidence)) * sd / math.sqrt(n) <= target:
            return n
        n += 1
    raise ValueError(f"more than {max_replications:,} replications would be needed")


def summarize(
    runs: pd.DataFrame, by: Sequence[str], kpis: Sequence[str], confidence: float = CONFIDENCE
) -> pd.DataFrame:
    """Return mean, sd and confidence interval of each KPI per group, in long (tidy) format.

    Parameters
    ----------
    runs : DataFrame
        One row per run.
    by : sequence of str
        Grouping columns (e.g. ``["scenario", "point"]``); groups keep their first-seen order.
    kpis : sequence of str
        KPI columns to summarize.
    confidence : float, optional
        Confidence level (0.95; the columns are named ``ci95_*`` regardless).

    Returns
    -------
    DataFrame
        Columns ``*by, kpi, n, mean, sd, ci95_lo, ci95_hi, half_width``; one row per group
        and KPI, groups in order and KPIs in the order given.
    """
    by = list(by)
    kpis = [k for k in kpis if k in runs.columns]
    if runs.empty or not kpis:
        return pd.DataFrame(columns=[*by, *SUMMARY_COLUMNS])
    values = runs[kpis].astype(float)
    grouped = values.groupby([runs[c] for c in by], sort=False, dropna=False)
    n = grouped.count()
    mean = grouped.mean()
    sd = grouped.std(ddof=1)
    lo_v = grouped.min()
    hi_v = grouped.max()
    constant = (lo_v == hi_v) & (n >= 1)
    mean = mean.mask(constant, lo_v)  # exact value, no float noise
    sd = sd.mask(constant & (n >= 2), 0.0)
    t = pd.DataFrame(t_quantile(n.to_numpy(), confidence), index=n.index, columns=n.columns)
    half = t * sd / np.sqrt(n.where(n > 0))
    half = half.mask(constant & (n >= 2), 0.0)
    long = pd.concat(
        {
            "n": n.stack(future_stack=True),
            "mean": mean.stack(future_stack=True),
            "sd": sd.stack(future_stack=True),
            "half_width": half.stack(future_stack=True),
        },
        axis=1,
    )
    long["ci95_lo"] = long["mean"] - long["half_width"]
    long["ci95_hi"] = long["mean"] + long["half_width"]
    long.index = long.index.set_names([*by, "kpi"])
    long = long.reset_index()
    long["n"] = long["n"].astype("int64")
    return long[[*by, *SUMMARY_COLUMNS]]
