"""Sensitivity analysis of a Sobol or Morris experiment (SALib).

:func:`sensitivity` analyses an experiment run on a
:func:`~seamsim.experiment.designs.sobol` or :func:`~seamsim.experiment.designs.morris`
design, on the *replication means* of each design point, and returns the indices with
their 95 % confidence intervals; :func:`_analyse` calls SALib for one scenario.

Also importable from :mod:`seamsim.experiment.designs` and :mod:`seamsim.experiment`, as
before. (The module is not called ``sensitivity``: a submodule of that name would replace the
function ``seamsim.experiment.sensitivity`` as an attribute of the package.)
"""

from __future__ import annotations

import itertools
import warnings
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from seamsim.experiment.designs import Design

__all__ = ["sensitivity"]


def sensitivity(
    result: Any,
    kpi: str = "rom_t_per_month",
    *,
    scenario: str | None = None,
    num_resamples: int = 1000,
    seed: int = 0,
) -> pd.DataFrame:
    """Return Sobol or Morris sensitivity indices of ``kpi`` with 95 % confidence intervals.

    The analysis runs on the *replication mean* of each design point, so simulation noise
    is averaged out before it reaches the indices (it still widens their intervals: an
    index whose interval includes 0 may be 0).

    Parameters
    ----------
    result : ExperimentResult
        An experiment run on a :func:`~seamsim.experiment.designs.sobol` or
        :func:`~seamsim.experiment.designs.morris` design.
    kpi : str, optional
        The KPI column (``rom_t_per_month``).
    scenario : str, optional
        Analyse this scenario only (default: every scenario, one block each).
    num_resamples : int, optional
        Bootstrap resamples for the intervals.
    seed : int, optional
        Seed of the bootstrap.

    Returns
    -------
    DataFrame
        Sobol: ``scenario, kpi, field, S1, S1_ci95_lo, S1_ci95_hi, ST, ST_ci95_lo,
        ST_ci95_hi`` per field (and, with second order, rows ``"a × b"`` with ``S2,
        S2_ci95_lo, S2_ci95_hi``). Morris: ``scenario, kpi, field, mu, mu_star,
        mu_star_ci95_lo, mu_star_ci95_hi, sigma``.
    """
    design: Design = result.design
    if design.kind not in ("sobol", "morris"):
        raise ValueError(f"sensitivity needs a sobol or morris design, not {design.kind!r}")
    runs = result.runs
    if kpi not in runs.columns:
        raise ValueError(f"unknown KPI {kpi!r}")
    names = [scenario] if scenario is not None else list(result.scenarios)
    frames = []
    for name in names:
        sub = runs[runs["scenario"] == name]
        means = sub.groupby("point", sort=True)[kpi].mean().reindex(range(len(design)))
        missing = means.index[means.isna()].tolist()
        if missing:
            raise ValueError(
                f"{kpi} of scenario {name} has no value at design points {missing[:10]}"
                + (" …" if len(missing) > 10 else "")
                + ": the analysis needs every point (did runs fail or was the experiment stopped?)"
            )
        y = means.to_numpy(dtype=float)
        table = _analyse(design, y, num_resamples, seed)
        table.insert(0, "kpi", kpi)
        table.insert(0, "scenario", name)
        frames.append(table)
    return pd.concat(frames, ignore_index=True)


def _analyse(design: Design, y: np.ndarray, num_resamples: int, seed: int) -> pd.DataFrame:
    problem = design.problem()
    fields = list(design.fields)
    if np.ptp(y) == 0:
        warnings.warn("the KPI does not vary over the design: its indices are undefined", stacklevel=3)
        cols = ["S1", "ST"] if design.kind == "sobol" else ["mu", "mu_star", "sigma"]
        return pd.DataFrame({"field": fields, **{c: np.nan for c in cols}})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        if design.kind == "sobol":
            from SALib.analyze import sobol as sobol_analyze

            second = bool(design.options.get("second_order", False))
            s = sobol_analyze.analyze(
                problem, y, calc_second_order=second, num_resamples=num_resamples,
                conf_level=0.95, seed=seed,
            )
            table = pd.DataFrame({"field": fields})
            for index in ("S1", "ST"):
                table[index] = s[index]
                table[f"{index}_ci95_lo"] = s[index] - s[f"{index}_conf"]
                table[f"{index}_ci95_hi"] = s[index] + s[f"{index}_conf"]
            if second:
                rows = []
                for i, j in itertools.combinations(range(len(fields)), 2):
                    value, conf = s["S2"][i, j], s["S2_conf"][i, j]
                    rows.append({"field": f"{fields[i]} × {fields[j]}", "S2": value,
                                 "S2_ci95_lo": value - conf, "S2_ci95_hi": value + conf})
                table = pd.concat([table, pd.DataFrame(rows)], ignore_index=True)
            return table
        from SALib.analyze import morris as morris_analyze

        x = np.asarray(design.samples, dtype=float)
        s = morris_analyze.analyze(
            problem, x, y, num_resamples=num_resamples, conf_level=0.95,
            num_levels=int(design.options.get("levels", 4)), seed=seed,
        )
        return pd.DataFrame({
            "field": fields,
            "mu": np.asarray(s["mu"], dtype=float),
            "mu_star": np.asarray(s["mu_star"], dtype=float),
            "mu_star_ci95_lo": np.asarray(s["mu_star"], dtype=float) - np.asarray(s["mu_star_conf"], dtype=float),
            "mu_star_ci95_hi": np.asarray(s["mu_star"], dtype=float) + np.asarray(s["mu_star_conf"], dtype=float),
            "sigma": np.asarray(s["sigma"], dtype=float),
        })
