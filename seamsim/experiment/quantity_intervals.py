"""Statistics that respect the quantity: what kind of number a KPI is, and intervals and
paired differences fit for it.

A bootstrap interval that cannot go below zero for quantities that cannot, no interval
below :data:`MIN_REPLICATIONS_FOR_INTERVAL` replications, differences of shares in
percentage points, no verdict on a difference fixed by the scenarios, and no relative change
of a quantity that can be negative (:func:`kpi_summary`, :func:`paired_summary`).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from seamsim.experiment.bootstrap import BOOTSTRAP_SEED, bootstrap_mean_interval
from seamsim.experiment.kpis import KIND_AMOUNT, KIND_PERCENT, KIND_SHARE, KIND_SIGNED, KPIS, kpi_of
from seamsim.experiment.t_estimates import CONFIDENCE, estimate, without_nan

__all__ = [
    "DIFFERENCE_VERDICTS",
    "KPI_SUMMARY_COLUMNS",
    "MIN_REPLICATIONS_FOR_INTERVAL",
    "PAIRED_SUMMARY_COLUMNS",
    "QUANTITY_KINDS",
    "Interval",
    "difference_verdict",
    "in_points",
    "interval",
    "kpi_summary",
    "paired_summary",
    "quantity_kind",
    "relative_difference",
]

MIN_REPLICATIONS_FOR_INTERVAL = 5
"""Below this many values no interval is given: a "too few replications" notice instead."""

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
    x = without_nan(values)
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
    a = without_nan(baseline)
    b = without_nan(other)
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
