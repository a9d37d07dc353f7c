"""Output analysis of replications: means, t-based confidence intervals, paired differences
and the number of replications needed for a target precision; and statistics that respect
the quantity (:func:`kpi_summary`, :func:`paired_summary`): a bootstrap interval that cannot
go below zero for quantities that cannot, no interval below five replications, differences
of shares in percentage points, no verdict on a difference fixed by the scenarios, and no
relative change of a quantity that can be negative.

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

Examples
--------
>>> e = estimate([10.0, 12.0, 14.0])
>>> e.mean, e.sd, round(e.half_width, 4)
(12.0, 2.0, 4.9683)
>>> estimate([5.0, 5.0, 5.0]).ci95
(5.0, 5.0)
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from seamsim.experiment.kpis import KIND_AMOUNT, KIND_PERCENT, KIND_SHARE, KIND_SIGNED, KPIS, kpi_of

__all__ = [
    "BOOTSTRAP_SEED",
    "CONFIDENCE",
    "DIFFERENCE_VERDICTS",
    "Estimate",
    "Interval",
    "MIN_REPLICATIONS_FOR_INTERVAL",
    "QUANTITY_KINDS",
    "bootstrap_mean_interval",
    "difference_verdict",
    "estimate",
    "in_points",
    "interval",
    "kpi_summary",
    "paired_difference",
    "paired_summary",
    "quantity_kind",
    "relative_difference",
    "replications_needed",
    "summarize",
    "t_quantile",
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


def _clean(values: Iterable[float]) -> np.ndarray:
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
    x = _clean(values)
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


# --------------------------------------------------------------------------------------
# Statistics that respect the quantity: what kind of number a KPI is
# --------------------------------------------------------------------------------------
MIN_REPLICATIONS_FOR_INTERVAL = 5
"""Below this many values no interval is given: a "too few replications" notice instead."""

BOOTSTRAP_RESAMPLES = 4000
"""Resamples of the percentile bootstrap (enough for the 2.5 % and 97.5 % quantiles)."""

BOOTSTRAP_SEED = 20_240_611
"""Fixed seed of the bootstrap: the same values give the same interval, bit for bit."""

QUANTITY_KINDS: dict[str, str] = {key: entry.kind for key, entry in KPIS.items()}
"""What kind of number each KPI column is, from the KPI table (:func:`quantity_kind` covers
the time and limit columns)."""

DIFFERENCE_VERDICTS = ("fixed", "same", "too few", "differs", "noise")
"""What a paired difference says: ``fixed`` — neither side varies over the replications, so
the difference is set by the scenarios (no statistics to do); ``same`` — every paired
difference is exactly zero; ``too few`` — fewer than :data:`MIN_REPLICATIONS_FOR_INTERVAL`
pairs; ``differs`` — the interval excludes zero; ``noise`` — it does not."""


def quantity_kind(kpi: str) -> str:
    """Return the kind of the KPI column ``kpi`` (one of the ``KIND_*`` names).

    ``time_*_h`` columns are amounts (hours), ``limit_share_*`` shares; a column not in the
    KPI table is ``signed`` (nothing is assumed about its sign). See :func:`.kpis.kpi_of`.
    """
    return kpi_of(kpi).kind


def in_points(kind: str) -> bool:
    """Whether differences of a quantity of ``kind`` are percentage points (shares and percentages)."""
    return kind in (KIND_SHARE, KIND_PERCENT)


@dataclass(frozen=True)
class Interval:
    """A mean with an interval that respects its quantity.

    Attributes
    ----------
    n : int
        Values used (missing values left out).
    mean : float
        Sample mean.
    lo, hi : float
        The interval; ``NaN`` when ``method`` is ``"too few"``.
    method : str
        ``"t"`` (Student's t), ``"bootstrap"`` (percentile bootstrap of the mean, for
        quantities that cannot be negative: never below the smallest value), ``"fixed"``
        (every value equal: the interval is the value) or ``"too few"`` (fewer than
        :data:`MIN_REPLICATIONS_FOR_INTERVAL` values; no interval).
    """

    n: int
    mean: float
    lo: float
    hi: float
    method: str


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
    x = _clean(values)
    if x.size == 0:
        return (math.nan, math.nan)
    if not 0.0 < confidence < 1.0:
        raise ValueError(f"confidence must be in (0, 1), not {confidence}")
    rng = np.random.default_rng(int(seed))
    means = x[rng.integers(0, x.size, size=(int(resamples), x.size))].mean(axis=1)
    alpha = 1.0 - confidence
    lo, hi = np.quantile(means, [alpha / 2.0, 1.0 - alpha / 2.0])
    return (float(lo), float(hi))


def interval(values: Iterable[float], kind: str = KIND_SIGNED, confidence: float = CONFIDENCE, *,
             seed: int = BOOTSTRAP_SEED) -> Interval:
    """Return the mean of ``values`` with an interval fit for a quantity of ``kind``.

    - fewer than :data:`MIN_REPLICATIONS_FOR_INTERVAL` values: no interval (``"too few"``);
    - every value equal: the interval is the value (``"fixed"``);
    - ``signed``: Student's t (:func:`estimate`);
    - ``amount``, ``share``, ``percent`` (cannot be negative): the percentile bootstrap
      (:func:`bootstrap_mean_interval`), which stays within the values' range.

    Parameters
    ----------
    values : iterable of float
        One value per replication; ``NaN`` left out.
    kind : str, optional
        :func:`quantity_kind` of the column.
    confidence : float, optional
        Two-sided level (0.95).
    seed : int, optional
        Seed of the bootstrap.

    Returns
    -------
    Interval
    """
    x = _clean(values)
    n = int(x.size)
    if n == 0:
        return Interval(0, math.nan, math.nan, math.nan, "too few")
    if x.min() == x.max():
        value = float(x[0])
        if n < MIN_REPLICATIONS_FOR_INTERVAL:
            return Interval(n, value, math.nan, math.nan, "too few")
        return Interval(n, value, value, value, "fixed")
    mean = float(x.mean())
    if n < MIN_REPLICATIONS_FOR_INTERVAL:
        return Interval(n, mean, math.nan, math.nan, "too few")
    if kind == KIND_SIGNED:
        e = estimate(x, confidence)
        return Interval(n, mean, e.ci95_lo, e.ci95_hi, "t")
    lo, hi = bootstrap_mean_interval(x, confidence, seed=seed)
    return Interval(n, mean, lo, hi, "bootstrap")


def relative_difference(mean_diff: float, baseline_mean: float, kind: str) -> float:
    """Return ``mean_diff / baseline_mean`` where a relative change means something, else ``NaN``.

    Only for amounts (quantities on a ratio scale that cannot be negative) with a positive
    baseline: a share or percentage changes by percentage points, and a quantity that can be
    negative or sit near zero (spare clearance) has no meaningful "% change".
    """
    if kind != KIND_AMOUNT or not (math.isfinite(mean_diff) and math.isfinite(baseline_mean)):
        return math.nan
    if baseline_mean <= 0.0:
        return math.nan
    return mean_diff / baseline_mean


def difference_verdict(baseline: Sequence[float], other: Sequence[float], lo: float, hi: float) -> str:
    """Return what a paired difference says (one of :data:`DIFFERENCE_VERDICTS`).

    Parameters
    ----------
    baseline, other : sequence of float
        The paired values (``NaN`` pairs already left out, same length).
    lo, hi : float
        Interval of the mean difference (``NaN`` when there are too few pairs).
    """
    a = _clean(baseline)
    b = _clean(other)
    if a.size == 0 or b.size == 0:
        return "too few"
    if np.array_equal(a, b):
        return "same"
    if a.min() == a.max() and b.min() == b.max():
        return "fixed"
    if not (math.isfinite(lo) and math.isfinite(hi)):
        return "too few"
    return "differs" if lo > 0.0 or hi < 0.0 else "noise"


KPI_SUMMARY_COLUMNS = ("kpi", "kind", "n", "mean", "lo", "hi", "method")
"""Columns of :func:`kpi_summary` after the grouping column."""

PAIRED_SUMMARY_COLUMNS = (
    "kpi", "kind", "n", "baseline_mean", "other_mean", "mean_diff", "lo", "hi", "relative_diff",
    "difference_unit", "verdict",
)
"""Columns of :func:`paired_summary` after the grouping and baseline columns."""


def kpi_summary(runs: pd.DataFrame, kpis: Sequence[str], *, by: str = "scenario",
                confidence: float = CONFIDENCE, seed: int = BOOTSTRAP_SEED) -> pd.DataFrame:
    """Return the mean and interval of each KPI per group, each interval fit for its quantity.

    Parameters
    ----------
    runs : DataFrame
        One row per run with the column ``by`` and the KPI columns.
    kpis : sequence of str
        KPI columns (missing ones are skipped).
    by : str, optional
        Grouping column; groups keep their first-seen order.
    confidence : float, optional
        Two-sided level (0.95).
    seed : int, optional
        Seed of the bootstrap.

    Returns
    -------
    DataFrame
        ``by, kpi, kind, n, mean, lo, hi, method`` (see :func:`interval`).
    """
    rows = []
    if len(runs):
        for group, frame in runs.groupby(by, sort=False):
            for key in kpis:
                if key not in frame:
                    continue
                kind = quantity_kind(key)
                e = interval(pd.to_numeric(frame[key], errors="coerce").to_numpy(float), kind, confidence, seed=seed)
                rows.append({by: group, "kpi": key, "kind": kind, "n": e.n, "mean": e.mean, "lo": e.lo,
                             "hi": e.hi, "method": e.method})
    return pd.DataFrame(rows, columns=[by, *KPI_SUMMARY_COLUMNS])


def paired_summary(runs: pd.DataFrame, kpis: Sequence[str], *, baseline: str | None = None,
                   by: str = "scenario", pair_on: str = "replication",
                   confidence: float = CONFIDENCE) -> pd.DataFrame:
    """Return the paired difference of every group against ``baseline``, per KPI.

    Replication *i* of every group ran with the same seed (common random numbers), so the
    difference is taken replication by replication. The interval of the mean difference is
    Student's t (a difference can be either sign) from :data:`MIN_REPLICATIONS_FOR_INTERVAL`
    pairs up; ``relative_diff`` only where it means something
    (:func:`relative_difference`); ``difference_unit`` is ``"pp"`` for shares and
    percentages (a share's difference is still stored as a fraction: ×100 gives points);
    ``verdict`` is one of :data:`DIFFERENCE_VERDICTS`.

    Parameters
    ----------
    runs : DataFrame
        One row per run with the columns ``by``, ``pair_on`` and the KPIs.
    kpis : sequence of str
        KPI columns (missing ones are skipped).
    baseline : str, optional
        The group compared against (the first group).
    by, pair_on : str, optional
        Grouping and pairing columns.
    confidence : float, optional
        Two-sided level (0.95).

    Returns
    -------
    DataFrame
        ``by, baseline`` and :data:`PAIRED_SUMMARY_COLUMNS`; one row per other group and KPI.
    """
    columns = [by, "baseline", *PAIRED_SUMMARY_COLUMNS]
    groups = list(dict.fromkeys(runs[by])) if len(runs) else []
    if not groups:
        return pd.DataFrame(columns=columns)
    baseline = groups[0] if baseline is None else baseline
    base = runs[runs[by] == baseline].set_index(pair_on)
    rows = []
    for group in groups:
        if group == baseline:
            continue
        other = runs[runs[by] == group].set_index(pair_on)
        common = base.index.intersection(other.index)
        for key in kpis:
            if key not in other or key not in base:
                continue
            kind = quantity_kind(key)
            a = pd.to_numeric(base.loc[common, key], errors="coerce").to_numpy(float)
            b = pd.to_numeric(other.loc[common, key], errors="coerce").to_numpy(float)
            keep = ~(np.isnan(a) | np.isnan(b))
            a, b = a[keep], b[keep]
            d = interval(b - a, KIND_SIGNED, confidence)
            base_mean = float(a.mean()) if a.size else math.nan
            rows.append({
                by: group, "baseline": baseline, "kpi": key, "kind": kind, "n": d.n, "baseline_mean": base_mean,
                "other_mean": float(b.mean()) if b.size else math.nan, "mean_diff": d.mean, "lo": d.lo, "hi": d.hi,
                "relative_diff": relative_difference(d.mean, base_mean, kind),
                "difference_unit": "pp" if in_points(kind) else "",
                "verdict": difference_verdict(a, b, d.lo, d.hi),
            })
    return pd.DataFrame(rows, columns=columns)
