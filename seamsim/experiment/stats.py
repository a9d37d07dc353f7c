"""Output analysis of replications: means, t-based confidence intervals, paired differences
and the number of replications needed for a target precision; and statistics that respect
the quantity (:func:`kpi_summary`, :func:`paired_summary`): a bootstrap interval that cannot
go below zero for quantities that cannot, no interval below five replications, differences
of shares in percentage points, no verdict on a difference fixed by the scenarios, and no
relative change of a quantity that can be negative.

This is the public home of those names; they are defined in :mod:`.t_estimates` (means,
t intervals, paired differences, replications needed, :func:`summarize`), :mod:`.bootstrap`
and :mod:`.quantity_intervals` (what kind of number a KPI is; intervals and differences fit
for it).

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

from seamsim.experiment.bootstrap import BOOTSTRAP_SEED, bootstrap_mean_interval
from seamsim.experiment.quantity_intervals import (
    DIFFERENCE_VERDICTS,
    MIN_REPLICATIONS_FOR_INTERVAL,
    QUANTITY_KINDS,
    Interval,
    difference_verdict,
    in_points,
    interval,
    kpi_summary,
    paired_summary,
    quantity_kind,
    relative_difference,
)
from seamsim.experiment.t_estimates import (
    CONFIDENCE,
    Estimate,
    estimate,
    paired_difference,
    replications_needed,
    summarize,
    t_quantile,
)

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
