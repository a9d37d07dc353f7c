"""Means and confidence intervals of replicated runs, and per-scenario breakdowns.

:func:`mean_ci` is the t-based interval of one KPI; :func:`summarize` applies it per group,
:func:`paired_differences` against a baseline with common random numbers;
:func:`time_breakdown_hours` and :func:`limit_shares` average the per-state time and the
per-limit share columns of a runs table.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

import seamsim

__all__ = [
    "limit_shares",
    "mean_ci",
    "paired_differences",
    "summarize",
    "time_breakdown_hours",
]


def mean_ci(values: Iterable[float], confidence: float = 0.95) -> tuple[float, float, float]:
    """Return the mean of ``values`` and its t-based confidence interval.

    Missing (NaN) values are left out. With fewer than two values the interval is
    ``(nan, nan)``; with no values everything is NaN.

    Parameters
    ----------
    values : iterable of float
        One value per replication.
    confidence : float, optional
        Two-sided confidence level (0.95).

    Returns
    -------
    tuple of float
        ``(mean, lo, hi)``.
    """
    from seamsim.experiment.stats import estimate  # the one t-interval of the project

    x = np.asarray([v for v in values if v is not None], dtype=float)
    e = estimate(x[np.isfinite(x)], confidence)
    return e.mean, e.ci95_lo, e.ci95_hi


def summarize(
    runs: pd.DataFrame, kpis: Sequence[str], *, by: str = "scenario", confidence: float = 0.95
) -> pd.DataFrame:
    """Means and CIs of ``kpis`` per group of ``runs``.

    Returns
    -------
    pandas.DataFrame
        One row per (group, kpi): ``by``, ``kpi``, ``mean``, ``lo``, ``hi``, ``n``, in the
        order the groups first appear.
    """
    rows = []
    for group, frame in runs.groupby(by, sort=False):
        for key in kpis:
            if key not in frame:
                continue
            mean, lo, hi = mean_ci(frame[key], confidence)
            rows.append({by: group, "kpi": key, "mean": mean, "lo": lo, "hi": hi, "n": len(frame)})
    return pd.DataFrame(rows, columns=[by, "kpi", "mean", "lo", "hi", "n"])


def paired_differences(
    runs: pd.DataFrame,
    kpis: Sequence[str],
    *,
    baseline: str | None = None,
    by: str = "scenario",
    pair_on: str = "replication",
    confidence: float = 0.95,
) -> pd.DataFrame:
    """Paired differences of each group against ``baseline`` (common random numbers).

    Replication *i* of every scenario ran with the same seed, so the difference is taken
    replication by replication and its CI is the t interval of those differences.

    Returns
    -------
    pandas.DataFrame
        ``by``, ``kpi``, ``mean`` (difference), ``lo``, ``hi``, ``n``, ``baseline_mean``,
        ``relative`` (mean difference / baseline mean).
    """
    groups = list(dict.fromkeys(runs[by]))
    if not groups:
        return pd.DataFrame(columns=[by, "kpi", "mean", "lo", "hi", "n", "baseline_mean", "relative"])
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
            diff = other.loc[common, key].astype(float) - base.loc[common, key].astype(float)
            mean, lo, hi = mean_ci(diff, confidence)
            base_mean = float(np.nanmean(base.loc[common, key].astype(float))) if len(common) else math.nan
            rel = mean / base_mean if base_mean and np.isfinite(base_mean) else math.nan
            rows.append(
                {by: group, "kpi": key, "mean": mean, "lo": lo, "hi": hi, "n": len(common),
                 "baseline_mean": base_mean, "relative": rel}
            )
    return pd.DataFrame(rows, columns=[by, "kpi", "mean", "lo", "hi", "n", "baseline_mean", "relative"])


def _group_means(runs: pd.DataFrame, names: Sequence[str], column: str, by: str) -> pd.DataFrame:
    """Mean of the columns ``column.format(name)`` per group, with the columns named by ``names``."""
    present = [n for n in names if column.format(n) in runs]
    if not len(runs) or not present:
        return pd.DataFrame()
    table = runs.groupby(by, sort=False)[[column.format(n) for n in present]].mean()
    table.columns = present
    return table


def time_breakdown_hours(runs: pd.DataFrame, *, by: str = "scenario") -> pd.DataFrame:
    """Mean hours in each state per group: index = group, columns = states (``time_*_h``)."""
    return _group_means(runs, seamsim.STATES, "time_{}_h", by)


def limit_shares(runs: pd.DataFrame, *, by: str = "scenario") -> pd.DataFrame:
    """Mean share of cutting distance bound by each speed limit: index = group, columns = limits."""
    return _group_means(runs, seamsim.LIMIT_NAMES, "limit_share_{}", by)
