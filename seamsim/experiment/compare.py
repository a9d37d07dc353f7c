"""Compare scenarios with common random numbers: KPIs side by side, paired differences.

Each scenario runs the same replications with the same seeds, so replication ``i`` of every
scenario sees the same failure clocks, outages and seam wherever the physics does not
differ. The difference of a KPI is taken *per replication* and its mean gets a t-based
95 % interval: much narrower than comparing two separate intervals, and exactly zero
for a scenario compared with itself.

Examples
--------
>>> from seamsim import compare                                    # doctest: +SKIP
>>> c = compare(["scenarios/article_before_1140v.yaml",
...              "scenarios/article_after_3300v.yaml"], replications=30)  # doctest: +SKIP
>>> c.paired.query("kpi == 'rom_t_per_month'")                       # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from seamsim.experiment.quantity_intervals import quantity_kind, relative_difference
from seamsim.experiment.runner import MAIN_KPIS, ExperimentResult, run_experiment
from seamsim.experiment.t_estimates import paired_difference

OVER_DESIGN_COLUMNS = (
    "point", "n", "baseline_mean", "other_mean", "mean_diff", "sd", "ci95_lo", "ci95_hi", "half_width",
    "relative_diff",
)
"""Columns of :func:`paired_differences_over_design` (the varied fields follow ``point``)."""

__all__ = ["ComparisonResult", "compare", "comparison_of", "paired_differences_over_design", "paired_table"]

PAIRED_COLUMNS = (
    "scenario", "baseline", "kpi", "n", "baseline_mean", "mean", "mean_diff", "sd",
    "ci95_lo", "ci95_hi", "half_width", "relative_diff",
)


@dataclass
class ComparisonResult:
    """The outcome of :func:`compare`.

    Attributes
    ----------
    experiment : ExperimentResult
        The runs behind the comparison.
    baseline : str
        The first scenario, which the others are compared against.
    kpis : DataFrame
        Per scenario and KPI: ``scenario, kpi, n, mean, sd, ci95_lo, ci95_hi, half_width``.
    paired : DataFrame
        Per other scenario and KPI: ``scenario, baseline, kpi, n, baseline_mean, mean,
        mean_diff`` (scenario − baseline), ``sd, ci95_lo, ci95_hi, half_width`` of the
        paired differences and ``relative_diff`` (``mean_diff / baseline_mean``, only for
        quantities that cannot be negative and are not shares or percentages, on a positive
        baseline; else ``NaN``: see :func:`~seamsim.experiment.quantity_intervals.relative_difference`).
    """

    experiment: ExperimentResult
    baseline: str
    kpis: pd.DataFrame
    paired: pd.DataFrame

    @property
    def names(self) -> list[str]:
        """Scenario names, baseline first."""
        return list(self.experiment.scenarios)

    def table(self, kpi: str = "rom_t_per_month") -> pd.DataFrame:
        """Return one row per scenario for ``kpi``: mean, CI, and the paired difference."""
        means = self.kpis[self.kpis["kpi"] == kpi].set_index("scenario")
        diffs = self.paired[self.paired["kpi"] == kpi].set_index("scenario")
        table = means[["n", "mean", "ci95_lo", "ci95_hi"]].copy()
        table["mean_diff"] = diffs["mean_diff"]
        table["diff_ci95_lo"] = diffs["ci95_lo"]
        table["diff_ci95_hi"] = diffs["ci95_hi"]
        return table.reset_index()


def paired_table(
    runs: pd.DataFrame, baseline: str, others: Sequence[str], kpis: Sequence[str], point: int = 0
) -> pd.DataFrame:
    """Return paired differences of ``others`` against ``baseline`` from a runs table.

    Runs are matched by replication (within design point ``point``); pairs where either
    value is missing are left out.
    """
    sub = runs[runs["point"] == point]
    rows = []
    for kpi in kpis:
        if kpi not in sub.columns:
            continue
        wide = sub.pivot(index="replication", columns="scenario", values=kpi)
        # a cancelled run may leave a scenario with no finished replication at all
        wide = wide.reindex(columns=[baseline, *others])
        base = wide[baseline]
        for name in others:
            e = paired_difference(base.to_numpy(), wide[name].to_numpy())
            base_mean = float(base.mean())
            rows.append({
                "scenario": name, "baseline": baseline, "kpi": kpi, "n": e.n,
                "baseline_mean": base_mean, "mean": float(wide[name].mean()),
                "mean_diff": e.mean, "sd": e.sd, "ci95_lo": e.ci95_lo, "ci95_hi": e.ci95_hi,
                "half_width": e.half_width,
                "relative_diff": relative_difference(e.mean, base_mean, quantity_kind(kpi)),
            })
    return pd.DataFrame(rows, columns=list(PAIRED_COLUMNS))


def compare(
    scenarios: Sequence[Any],
    replications: int | Sequence[int] = 30,
    seed: int = 0,
    *,
    kpis: Sequence[str] = MAIN_KPIS,
    **runner_kwargs: Any,
) -> ComparisonResult:
    """Run scenarios with common random numbers and compare each with the first.

    Parameters
    ----------
    scenarios : sequence of Scenario or path
        Two or more scenarios; the first is the baseline. A scenario may appear twice
        (its second copy is renamed ``name-2``; its differences are exactly 0).
    replications : int or sequence of int, optional
        Replications per scenario (30).
    seed : int, optional
        Experiment seed.
    kpis : sequence of str, optional
        KPIs in :attr:`ComparisonResult.paired` (the main KPIs; ``kpis`` table has all).
    **runner_kwargs
        Passed to :func:`~seamsim.experiment.runner.run_experiment` (``days``,
        ``executor``, ``workers``, ``out``, ``progress``…); no ``design``.

    Returns
    -------
    ComparisonResult
    """
    if "design" in runner_kwargs and runner_kwargs["design"] is not None:
        raise TypeError("compare takes no design; use run_experiment(..., design=...)")
    runner_kwargs.pop("design", None)
    experiment = run_experiment(list(scenarios), replications, seed, **runner_kwargs)
    return comparison_of(experiment, kpis)


def comparison_of(experiment: ExperimentResult, kpis: Sequence[str] = MAIN_KPIS) -> ComparisonResult:
    """Return the comparison of the scenarios of a finished experiment (the first is the baseline).

    What :func:`compare` returns, for runs made otherwise (e.g. by
    :func:`~seamsim.experiment.sequential.run_until_precise`).
    """
    names = list(experiment.scenarios)
    summary = experiment.summary
    kpi_table = summary[summary["point"] == 0].drop(columns=["point"]).reset_index(drop=True)
    paired = paired_table(experiment.runs, names[0], names[1:], kpis)
    return ComparisonResult(experiment, names[0], kpi_table, paired)


def paired_differences_over_design(
    result: ExperimentResult, baseline: str | None = None, other: str | None = None, kpi: str = "rom_t_per_month"
) -> pd.DataFrame:
    """Return, per design point, the paired difference ``other − baseline`` of ``kpi`` with its CI.

    Both scenarios ran every point with the same replication seeds (common random
    numbers), so the difference is taken replication by replication within each point, and
    its mean gets a t-based 95 % interval (exactly ``[0, 0]`` for a scenario against
    itself).

    Parameters
    ----------
    result : ExperimentResult
        An experiment of two or more scenarios over a design (``run_experiment([a, b],
        design=...)``, ``seamsim sweep A --compare B``).
    baseline, other : str, optional
        Scenario names (default: the first and the second).
    kpi : str, optional
        The KPI (``rom_t_per_month``).

    Returns
    -------
    DataFrame
        One row per point: ``point``, the varied fields, ``n`` (pairs), ``baseline_mean``,
        ``other_mean``, ``mean_diff``, ``sd``, ``ci95_lo``, ``ci95_hi``, ``half_width`` and
        ``relative_diff`` (see :func:`~seamsim.experiment.quantity_intervals.relative_difference`).
    """
    names = list(result.scenarios)
    if len(names) < 2 and (baseline is None or other is None):
        raise ValueError("paired differences need two scenarios in the experiment")
    baseline = names[0] if baseline is None else baseline
    other = names[1] if other is None else other
    for name in (baseline, other):
        if name not in result.scenarios:
            raise KeyError(f"no scenario {name!r} in the experiment; it has: {', '.join(names)}")
    runs = result.runs
    if kpi not in runs.columns:
        raise KeyError(f"unknown KPI {kpi!r}; the KPIs are: {', '.join(result.kpis)}")
    fields = list(result.fields)
    points = result.design.frame().set_index("point") if fields else None
    kind = quantity_kind(kpi)
    rows = []
    for point in range(len(result.design)):
        sub = runs[runs["point"] == point]
        wide = sub.pivot(index="replication", columns="scenario", values=kpi).reindex(columns=[baseline, other])
        e = paired_difference(wide[baseline].to_numpy(), wide[other].to_numpy())
        base_mean = float(wide[baseline].mean())
        row = {"point": point, **({f: points.loc[point, f] for f in fields} if fields else {}),
               "n": e.n, "baseline_mean": base_mean, "other_mean": float(wide[other].mean()),
               "mean_diff": e.mean, "sd": e.sd, "ci95_lo": e.ci95_lo, "ci95_hi": e.ci95_hi,
               "half_width": e.half_width, "relative_diff": relative_difference(e.mean, base_mean, kind)}
        rows.append(row)
    columns = ["point", *fields, *OVER_DESIGN_COLUMNS[1:]]
    frame = pd.DataFrame(rows, columns=columns)
    frame["n"] = frame["n"].astype("int64")
    return frame
