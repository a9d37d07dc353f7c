"""The experiment layer's statistics in the columns the pages use, and per-scenario breakdowns.

No statistics of its own: means and intervals come from
:func:`seamsim.experiment.stats.kpi_summary` (a bootstrap interval that cannot go below zero
for quantities that cannot, none below five replications), paired differences from
:func:`seamsim.experiment.stats.paired_summary` (percentage points for shares, a verdict, no
verdict on a difference the scenarios fix). This module only renames their columns for the
pages and averages the per-state time and per-limit share columns of a runs table.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

import seamsim
from seamsim.experiment import stats as experiment_stats

__all__ = [
    "limit_shares",
    "paired_differences",
    "summarize",
    "time_breakdown_hours",
]


def summarize(runs: pd.DataFrame, kpis: Sequence[str], *, by: str = "scenario") -> pd.DataFrame:
    """Means and intervals of ``kpis`` per group of ``runs`` (the experiment layer's :func:`kpi_summary`).

    Returns
    -------
    pandas.DataFrame
        One row per (group, kpi): ``by``, ``kpi``, ``kind``, ``mean``, ``lo``, ``hi``, ``n``,
        ``method`` (``t``, ``bootstrap``, ``fixed`` or ``too few``), groups in the order they
        first appear.
    """
    table = experiment_stats.kpi_summary(runs, kpis, by=by)
    return table[[by, "kpi", "kind", "mean", "lo", "hi", "n", "method"]]


def paired_differences(runs: pd.DataFrame, kpis: Sequence[str], *, baseline: str | None = None,
                       by: str = "scenario", pair_on: str = "replication") -> pd.DataFrame:
    """Paired differences of each group against ``baseline`` (the experiment layer's :func:`paired_summary`).

    Returns
    -------
    pandas.DataFrame
        ``by``, ``kpi``, ``kind``, ``mean`` (the mean difference), ``lo``, ``hi``, ``n``,
        ``baseline_mean``, ``other_mean``, ``relative`` (``NaN`` where a relative change
        means nothing), ``unit`` (``pp`` for shares and percentages) and ``verdict``.
    """
    table = experiment_stats.paired_summary(runs, kpis, baseline=baseline, by=by, pair_on=pair_on)
    table = table.rename(columns={"mean_diff": "mean", "relative_diff": "relative", "difference_unit": "unit"})
    return table[[by, "kpi", "kind", "mean", "lo", "hi", "n", "baseline_mean", "other_mean", "relative", "unit",
                  "verdict"]]


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
