"""Sensitivity analysis of a Sobol or Morris experiment.

:func:`sensitivity` analyses an experiment run on a
:func:`~seamsim.experiment.designs.sobol` or :func:`~seamsim.experiment.designs.morris`
design — in memory, or stored in a directory — and returns the indices with 95 %
confidence intervals; :func:`sensitivity_convergence` recomputes them on the first
``N/8, N/4, N/2, N`` base samples (Saltelli prefixes; trajectories for Morris), to show
whether they have settled.

The indices are computed on the *replication mean* of each design point, so simulation noise
is averaged out before it reaches them. Their intervals come from one bootstrap over both
sources of error: each resample draws the base samples (Sobol: rows of Saltelli's ``A``,
``B``, ``ABᵢ``, ``BAᵢ`` blocks together; Morris: whole trajectories) *and* the replications
(the same draw for every point, keeping the common random numbers), recomputes the point means
and the indices; the interval is the estimate ± 1.96 × the resamples' standard deviation.
Estimators (those of SALib): first order and total order after Saltelli et al. (2010) [S-SOB1],
second order after Saltelli (2002) [S-SOB2], on the output centred and scaled as SALib does;
Morris μ, μ*, σ of the elementary effects [S-MOR]. An interval of a quantity that cannot be
negative (μ*, σ) is clipped at 0.

Also importable from :mod:`seamsim.experiment.designs` and :mod:`seamsim.experiment`. (The
module is not called ``sensitivity``: a submodule of that name would replace the function
``seamsim.experiment.sensitivity`` as an attribute of the package.)
"""

from __future__ import annotations

import itertools
import math
import os
import warnings
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from seamsim.experiment.design_points import Design

__all__ = ["CONVERGENCE_FRACTIONS", "Z95", "sensitivity", "sensitivity_convergence"]

Z95 = 1.959963984540054
"""The two-sided 95 % point of the normal distribution."""

CONVERGENCE_FRACTIONS: tuple[float, ...] = (1 / 8, 1 / 4, 1 / 2, 1.0)
"""Shares of the base samples (trajectories) on which :func:`sensitivity_convergence` recomputes."""

RESAMPLES_PER_BLOCK = 100
"""Bootstrap resamples computed at once (bounds memory: points × this × replications)."""


# --------------------------------------------------------------------------------------
# The public functions
# --------------------------------------------------------------------------------------
def sensitivity(
    result: Any,
    kpi: str = "rom_t_per_month",
    *,
    scenario: str | None = None,
    num_resamples: int = 1000,
    seed: int = 0,
    base_samples: int | None = None,
) -> pd.DataFrame:
    """Return Sobol or Morris sensitivity indices of ``kpi`` with 95 % confidence intervals.

    Parameters
    ----------
    result : ExperimentResult or path-like
        An experiment run on a :func:`~seamsim.experiment.designs.sobol` or
        :func:`~seamsim.experiment.designs.morris` design, or its output directory (read
        with :func:`~seamsim.experiment.stored.load_experiment`).
    kpi : str, optional
        The KPI column (``rom_t_per_month``).
    scenario : str, optional
        Analyse this scenario only (default: every scenario, one block each).
    num_resamples : int, optional
        Bootstrap resamples for the intervals (over base samples and replications).
    seed : int, optional
        Seed of the bootstrap.
    base_samples : int, optional
        Use only the first ``base_samples`` base samples (Sobol) or trajectories (Morris):
        a prefix of the design (see :func:`sensitivity_convergence`). Default: all.

    Returns
    -------
    DataFrame
        Sobol: ``scenario, kpi, field, S1, S1_ci95_lo, S1_ci95_hi, ST, ST_ci95_lo,
        ST_ci95_hi`` per field (and, with second order, rows ``"a × b"`` with ``S2,
        S2_ci95_lo, S2_ci95_hi``). Morris: ``scenario, kpi, field, mu, mu_star,
        mu_star_ci95_lo, mu_star_ci95_hi, sigma, sigma_ci95_lo, sigma_ci95_hi``
        (``mu_star`` and ``sigma`` intervals clipped at 0).
    """
    result = _as_result(result)
    design: Design = result.design
    if design.kind not in ("sobol", "morris"):
        raise ValueError(f"sensitivity needs a sobol or morris design, not {design.kind!r}")
    if isinstance(num_resamples, bool) or int(num_resamples) < 2:
        raise ValueError(f"num_resamples must be at least 2, not {num_resamples!r}")
    runs = result.runs
    if kpi not in runs.columns:
        raise ValueError(f"unknown KPI {kpi!r}")
    names = [scenario] if scenario is not None else list(result.scenarios)
    n_total = _base_count(design)
    n = n_total if base_samples is None else int(base_samples)
    if not 2 <= n <= n_total:
        raise ValueError(f"base_samples must be between 2 and {n_total}, not {base_samples!r}")
    frames = []
    for name in names:
        matrix = _replication_matrix(runs, name, kpi, len(design))
        table = _analyse(design, matrix, n, int(num_resamples), int(seed))
        table.insert(0, "kpi", kpi)
        table.insert(0, "scenario", name)
        frames.append(table)
    return pd.concat(frames, ignore_index=True)


def sensitivity_convergence(
    result: Any,
    kpi: str = "rom_t_per_month",
    *,
    scenario: str | None = None,
    num_resamples: int = 1000,
    seed: int = 0,
    fractions: Sequence[float] = CONVERGENCE_FRACTIONS,
) -> pd.DataFrame:
    """Return the indices recomputed on growing prefixes of the design.

    Saltelli's design is built from a Sobol sequence whose first ``n`` points (``n`` a
    power of two) are balanced on their own, so the first ``n`` base samples form a design
    of base sample ``n``. The same holds for the first ``r`` Morris trajectories. Indices
    whose estimate and interval still move between ``N/2`` and ``N`` need a larger ``N``.

    Parameters
    ----------
    result : ExperimentResult or path-like
        As for :func:`sensitivity`.
    kpi, scenario, num_resamples, seed
        As for :func:`sensitivity`.
    fractions : sequence of float, optional
        Shares of the base samples (default ``1/8, 1/4, 1/2, 1``); prefixes of fewer than 2
        samples are left out.

    Returns
    -------
    DataFrame
        The rows of :func:`sensitivity` for each prefix, with ``base_samples`` (the prefix
        ``n``) and ``runs`` (the runs it uses) after ``kpi``, and the interval's
        ``…_half_width`` of each index.
    """
    result = _as_result(result)
    n_total = _base_count(result.design)
    sizes = sorted({max(1, math.floor(n_total * float(f))) for f in fractions if 0 < float(f) <= 1})
    frames = []
    for n in (s for s in sizes if s >= 2):
        table = sensitivity(result, kpi, scenario=scenario, num_resamples=num_resamples, seed=seed, base_samples=n)
        per_sample = len(result.design) // n_total
        table.insert(2, "base_samples", n)
        table.insert(3, "runs", n * per_sample * len(result.replications))
        for index in ("S1", "ST", "S2", "mu_star", "sigma"):
            if f"{index}_ci95_lo" in table:
                table[f"{index}_half_width"] = (table[f"{index}_ci95_hi"] - table[f"{index}_ci95_lo"]) / 2
        frames.append(table)
    if not frames:
        raise ValueError(f"the design has {n_total} base sample(s): too few for a convergence table")
    return pd.concat(frames, ignore_index=True)


# --------------------------------------------------------------------------------------
# Inputs
# --------------------------------------------------------------------------------------
def _as_result(result: Any) -> Any:
    """Return ``result``, or the experiment stored in the directory ``result``."""
    if isinstance(result, str | os.PathLike):
        from seamsim.experiment.stored import load_experiment

        return load_experiment(result)
    return result


def _base_count(design: Design) -> int:
    """Return the base samples ``N`` of a Sobol design, or the trajectories of a Morris one."""
    d = len(design.fields)
    if design.kind == "sobol":
        step = 2 * d + 2 if design.options.get("second_order") else d + 2
    elif design.kind == "morris":
        step = d + 1
    else:
        raise ValueError(f"sensitivity needs a sobol or morris design, not {design.kind!r}")
    return len(design) // step


def _replication_matrix(runs: pd.DataFrame, name: str, kpi: str, points: int) -> np.ndarray:
    """Return ``kpi`` of scenario ``name`` as a (points × replications) array (NaN: no value)."""
    sub = runs[runs["scenario"] == name]
    table = sub.pivot_table(index="point", columns="replication", values=kpi, aggfunc="first", dropna=False)
    table = table.reindex(range(points))
    missing = table.index[table.isna().all(axis=1)].tolist()
    if missing:
        raise ValueError(
            f"{kpi} of scenario {name} has no value at design points {missing[:10]}"
            + (" …" if len(missing) > 10 else "")
            + ": the analysis needs every point (did runs fail or was the experiment stopped?)"
        )
    return table.to_numpy(dtype=float)


def _means(matrix: np.ndarray, picks: np.ndarray | None = None) -> np.ndarray:
    """Return point means over replications, NaN skipped: (points × 1), or (points × resamples)
    for ``picks`` (resamples × replications) of replication columns."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # a point whose drawn replications all lack a value
        if picks is None:
            return np.nanmean(matrix, axis=1)[:, None]
        return np.nanmean(matrix[:, picks], axis=2)


def _bootstrap(matrix: np.ndarray, n: int, num_resamples: int, seed: int, statistic: Any) -> np.ndarray:
    """Return ``statistic(y, rows)`` of every resample (resamples × indices).

    Each resample draws ``n`` base samples (a column of ``rows``) and the replications (one
    draw shared by every point) with replacement; ``y`` holds, per resample, the point means
    over the drawn replications. Resamples are computed :data:`RESAMPLES_PER_BLOCK` at a time.
    """
    rng = np.random.default_rng(seed)
    replications = matrix.shape[1]
    out = []
    for start in range(0, num_resamples, RESAMPLES_PER_BLOCK):
        size = min(RESAMPLES_PER_BLOCK, num_resamples - start)
        picks = rng.integers(replications, size=(size, replications))
        rows = rng.integers(n, size=(n, size))
        out.append(statistic(_means(matrix, picks), rows))
    return np.concatenate(out, axis=0)


def _spread(estimate: np.ndarray, resampled: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return the 95 % interval estimate ± z·sd of the resamples (resamples with NaN left out)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        sd = np.nanstd(resampled, axis=0, ddof=1)
    return estimate - Z95 * sd, estimate + Z95 * sd


def _rows(block: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """Return ``block`` (n × … × resamples) at base samples ``rows`` (n × resamples), per resample."""
    index = rows.reshape(rows.shape[0], *([1] * (block.ndim - 2)), rows.shape[1])
    return np.take_along_axis(block, index, axis=0)


# --------------------------------------------------------------------------------------
# Sobol
# --------------------------------------------------------------------------------------
def _sobol_blocks(y: np.ndarray, d: int, n: int, second: bool) -> tuple[np.ndarray, ...]:
    """Return ``A, B, AB, BA`` of the first ``n`` base samples, centred and scaled as SALib does.

    ``y`` is (points × resamples); ``A``, ``B`` are (n × resamples), ``AB``, ``BA``
    (n × d × resamples).
    """
    step = 2 * d + 2 if second else d + 2
    y = y[: n * step]
    y = (y - y.mean(axis=0)) / y.std(axis=0)
    blocks = y.reshape(n, step, y.shape[1])
    a, b = blocks[:, 0], blocks[:, step - 1]
    ab = blocks[:, 1 : d + 1]
    ba = blocks[:, d + 1 : 2 * d + 1] if second else None
    return a, b, ab, ba


def _sobol_indices(a, b, ab, ba, pairs) -> np.ndarray:
    """Return ``[S1…, ST…, S2 of each pair…]`` per resample (resamples × indices).

    First and total order after Saltelli et al. (2010), second order after Saltelli (2002),
    divided by the variance of ``A`` and ``B`` (0 where it is 0, as SALib does).
    """
    var = np.var(np.concatenate([a, b]), axis=0)
    scale = np.divide(1.0, var, out=np.zeros_like(var), where=var > np.finfo(float).eps)
    s1 = np.mean(b[:, None] * (ab - a[:, None]), axis=0) * scale
    st = 0.5 * np.mean((a[:, None] - ab) ** 2, axis=0) * scale
    s2 = [np.mean(ba[:, j] * ab[:, k] - a * b, axis=0) * scale - s1[j] - s1[k] for j, k in pairs]
    return np.concatenate([s1, st, np.reshape(s2, (len(pairs), s1.shape[1]))]).T


def _sobol_table(design: Design, matrix: np.ndarray, n: int, num_resamples: int, seed: int) -> pd.DataFrame:
    fields = list(design.fields)
    d = len(fields)
    second = bool(design.options.get("second_order", False))
    pairs = list(itertools.combinations(range(d), 2)) if second else []

    def statistic(y: np.ndarray, rows: np.ndarray | None = None) -> np.ndarray:
        a, b, ab, ba = _sobol_blocks(y, d, n, second)
        if rows is not None:
            a, b, ab = _rows(a, rows), _rows(b, rows), _rows(ab, rows)
            ba = _rows(ba, rows) if ba is not None else None
        return _sobol_indices(a, b, ab, ba, pairs)

    estimate = statistic(_means(matrix))[0]
    lo, hi = _spread(estimate, _bootstrap(matrix, n, num_resamples, seed, statistic))
    table = pd.DataFrame({"field": fields})
    for k, index in enumerate(("S1", "ST")):
        part = slice(k * d, (k + 1) * d)
        table[index] = estimate[part]
        table[f"{index}_ci95_lo"] = lo[part]
        table[f"{index}_ci95_hi"] = hi[part]
    if pairs:
        rows = [
            {"field": f"{fields[j]} × {fields[k]}", "S2": estimate[2 * d + i],
             "S2_ci95_lo": lo[2 * d + i], "S2_ci95_hi": hi[2 * d + i]}
            for i, (j, k) in enumerate(pairs)
        ]
        table = pd.concat([table, pd.DataFrame(rows)], ignore_index=True)
    return table


# --------------------------------------------------------------------------------------
# Morris
# --------------------------------------------------------------------------------------
def _morris_steps(design: Design, n: int) -> tuple[np.ndarray, np.ndarray, float]:
    """Return, per trajectory and step, the field moved and the sign of its move, and Δ.

    ``Δ = p / (2 (p − 1))`` for ``p`` levels is the step on the unit scale; an elementary
    effect is ``sign · (y_after − y_before) / Δ`` for the field that moved (SALib's).
    """
    d = len(design.fields)
    x = np.asarray(design.samples, dtype=float)[: n * (d + 1)].reshape(n, d + 1, d)
    moves = np.diff(x, axis=1)  # (n, d, d): step k moves one field
    field = np.abs(moves).argmax(axis=2)
    sign = np.sign(np.take_along_axis(moves, field[..., None], axis=2)[..., 0])
    levels = int(design.options.get("levels", 4))
    return field, sign, levels / (2 * (levels - 1))


def _effects(y: np.ndarray, field: np.ndarray, sign: np.ndarray, delta: float) -> np.ndarray:
    """Return the elementary effects (trajectories × fields × resamples) of point values ``y``."""
    n, d = field.shape
    resamples = y.shape[1]
    steps = np.diff(y[: n * (d + 1)].reshape(n, d + 1, resamples), axis=1) * (sign / delta)[..., None]
    effects = np.full((n, d, resamples), np.nan)
    np.put_along_axis(effects, np.broadcast_to(field[..., None], steps.shape), steps, axis=1)
    return effects


def _morris_table(design: Design, matrix: np.ndarray, n: int, num_resamples: int, seed: int) -> pd.DataFrame:
    d = len(design.fields)
    field, sign, delta = _morris_steps(design, n)

    def statistic(y: np.ndarray, rows: np.ndarray | None = None) -> np.ndarray:
        effects = _effects(y, field, sign, delta)
        if rows is not None:
            effects = _rows(effects, rows)
        return np.concatenate([
            effects.mean(axis=0), np.abs(effects).mean(axis=0), effects.std(axis=0, ddof=1),
        ]).T

    estimate = statistic(_means(matrix))[0]
    lo, hi = _spread(estimate, _bootstrap(matrix, n, num_resamples, seed, statistic))
    lo = np.maximum(lo, np.r_[np.full(d, -np.inf), np.zeros(2 * d)])  # μ* and σ are never below 0
    return pd.DataFrame({
        "field": list(design.fields),
        "mu": estimate[:d],
        "mu_star": estimate[d : 2 * d],
        "mu_star_ci95_lo": lo[d : 2 * d],
        "mu_star_ci95_hi": hi[d : 2 * d],
        "sigma": estimate[2 * d :],
        "sigma_ci95_lo": lo[2 * d :],
        "sigma_ci95_hi": hi[2 * d :],
    })


def _analyse(design: Design, matrix: np.ndarray, n: int, num_resamples: int, seed: int) -> pd.DataFrame:
    """Return the indices of one scenario's (points × replications) values."""
    fields = list(design.fields)
    if np.nanmax(matrix) == np.nanmin(matrix):
        warnings.warn("the KPI does not vary over the design: its indices are undefined", stacklevel=3)
        cols = ["S1", "ST"] if design.kind == "sobol" else ["mu", "mu_star", "sigma"]
        return pd.DataFrame({"field": fields, **{c: np.nan for c in cols}})
    if design.kind == "sobol":
        return _sobol_table(design, matrix, n, num_resamples, seed)
    return _morris_table(design, matrix, n, num_resamples, seed)
