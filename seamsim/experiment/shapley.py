"""Split the gain from scenario A to scenario B among factor groups, whatever the order.

:func:`~seamsim.experiment.decompose.decompose` applies the factors of B one after another,
so a factor's share depends on what came before it (an automatic shield advance is worth
more on a fast machine). The *Shapley value* of a factor is its step's change averaged over
every order of the factors: order-free, and the values still add up to B − A.

For the factor groups ``N`` of :func:`~seamsim.experiment.decompose.decompose` (the same
table, the same fields per group), every *coalition* ``S ⊆ N`` is a scenario: A with the
fields of B's groups in ``S`` applied (``∅`` is A, ``N`` is B). Each coalition runs the
same replications with the same seeds (common random numbers), so for replication ``r``
the value ``v_r(S)`` of every coalition is known, and

.. math::

    φ_{i,r} = \\sum_{S ⊆ N∖\\{i\\}} \\frac{|S|!\\,(k − |S| − 1)!}{k!} (v_r(S ∪ \\{i\\}) − v_r(S)),

with ``k = |N|``. Per replication ``Σ_i φ_{i,r} = v_r(N) − v_r(∅)`` (up to float rounding),
the paired difference B − A of that replication. The reported value of a factor is the mean
of ``φ_{i,r}`` over replications with its t-based 95 % interval (the per-replication values
are paired, so the interval is that of :func:`~seamsim.experiment.t_estimates.estimate`).

Up to :data:`MAX_EXACT_GROUPS` groups every one of the ``2^k`` coalitions runs (exact).
Beyond, ``permutations`` orders are drawn (half at random with a seeded generator, each with
its reverse: antithetic pairs) and ``φ_i`` is the mean of the factor's step over them; only
the coalitions these orders pass through run. The values still add up exactly to B − A; the
interval covers the replication noise for the drawn orders, and ``sampling_se`` (the
standard error over the antithetic pairs) the error of drawing orders. When the drawn orders
would pass through as many coalitions as there are, the exact values are computed instead.

The combining arithmetic is in pure functions over a mapping *coalition → values per
replication* (:mod:`seamsim.experiment.shapley_arithmetic`: :func:`shapley_values`,
:func:`~seamsim.experiment.shapley_arithmetic.permutation_shapley_values`,
:func:`~seamsim.experiment.shapley_arithmetic.one_order_contributions`), usable without
simulation.

Examples
--------
>>> import numpy as np
>>> v = {frozenset(): 0.0, frozenset("a"): 1.0, frozenset("b"): 2.0, frozenset("ab"): 5.0}
>>> {k: float(x) for k, x in shapley_values(v, ["a", "b"]).items()}
{'a': 2.0, 'b': 3.0}
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from seamsim.experiment.decompose import _factor_table, assign_factors, differing_fields
from seamsim.experiment.runner import (
    MAIN_KPIS,
    ExperimentResult,
    check_kpi,
    resolve_scenarios,
    run_experiment,
)
from seamsim.experiment.shapley_arithmetic import (
    permutation_shapley_values,
    prefixes,
    sampled_orders,
    shapley_values,
)
from seamsim.experiment.t_estimates import estimate, paired_difference
from seamsim.scenario import Issue, Scenario, ScenarioError, apply_overrides

__all__ = [
    "DEFAULT_PERMUTATIONS",
    "MAX_EXACT_GROUPS",
    "ShapleyResult",
    "merge_factors",
    "shapley_decomposition",
]

MAX_EXACT_GROUPS = 6
"""Up to this many factor groups every coalition runs (2^6 = 64 scenarios); beyond, orders are sampled."""

DEFAULT_PERMUTATIONS = 32
"""Orders drawn beyond :data:`MAX_EXACT_GROUPS` groups (16 random ones and their reverses)."""

VALUE_COLUMNS = (
    "factor", "fields", "n", "shapley", "sd", "ci95_lo", "ci95_hi", "half_width", "share", "sampling_se",
)
"""Columns of :attr:`ShapleyResult.values`."""


# --------------------------------------------------------------------------------------
# The decomposition (runs)
# --------------------------------------------------------------------------------------
@dataclass
class ShapleyResult:
    """The outcome of :func:`shapley_decomposition`.

    Attributes
    ----------
    a, b : str
        Names of the start and end scenarios.
    kpi : str
        The KPI of :attr:`values` and :attr:`total`.
    method : {"exact", "sampled"}
        Every coalition run, or orders sampled (beyond :data:`MAX_EXACT_GROUPS` groups).
    factors : list of str
        The factor groups in which A and B differ, in table order (which does not change
        the values).
    values : DataFrame
        One row per factor: ``factor``, ``fields`` (comma-separated), ``n`` (replications
        used), ``shapley`` (mean over replications), ``sd``, ``ci95_lo``, ``ci95_hi``,
        ``half_width`` (t-based, over the paired per-replication values), ``share``
        (``shapley / total delta``) and ``sampling_se`` (NaN when exact).
    table : DataFrame
        The same for every KPI in long format (``factor, kpi, n, shapley, sd, ci95_lo,
        ci95_hi, half_width, share, sampling_se``).
    per_replication : DataFrame
        ``φ_{i,r}`` of :attr:`kpi`: one row per replication, one column per factor, and
        ``total`` (the paired difference B − A of that replication).
    total : dict
        ``kpi, a_mean, b_mean, delta, ci95_lo, ci95_hi, half_width, n`` of B − A.
    start : dict
        ``n, mean, ci95_lo, ci95_hi`` of the KPI for A.
    assignment : dict of str to list of str
        Which fields each factor changes.
    coalitions : DataFrame
        One row per coalition run: ``coalition`` (its factors joined by `` + ``; empty for
        A), ``scenario`` (its run name), ``size``, ``status`` (``ok``, ``infeasible``,
        ``error``), ``reasons`` and ``mean`` (of :attr:`kpi`). An infeasible coalition
        (say, B's smaller crew without B's automation) counts with its KPI as run (0 t):
        its factors then share the others' gain; group such factors in one ``factors``
        entry to split only what can be run.
    orders : list of tuple of str
        The orders averaged over (empty when exact).
    experiment : ExperimentResult
        The runs of every coalition (scenario ``A`` is the empty one).
    """

    a: str
    b: str
    kpi: str
    method: str
    factors: list[str]
    values: pd.DataFrame
    table: pd.DataFrame
    per_replication: pd.DataFrame
    total: dict[str, Any]
    start: dict[str, Any]
    assignment: dict[str, list[str]]
    coalitions: pd.DataFrame
    orders: list[tuple[str, ...]] = field(default_factory=list)
    experiment: ExperimentResult | None = field(default=None, repr=False)


def merge_factors(
    assignment: Mapping[str, list[str]], together: Sequence[Sequence[str]], known: Sequence[str]
) -> dict[str, list[str]]:
    """Return ``assignment`` (factor → fields) with each group of ``together`` merged into one factor.

    The merged factor is named by its members joined with `` + `` (those that change a
    field) and sits where its first member was. An unknown name raises ``ValueError``.
    """
    merged = {name: list(paths) for name, paths in assignment.items()}
    for group in together:
        group = [group] if isinstance(group, str) else list(group)
        unknown = [g for g in group if g not in known and g != "other"]
        if unknown:
            raise ValueError(f"unknown factors {unknown} in together; the factors are: {', '.join(known)}")
        present = [g for g in group if g in merged]
        if len(present) < 2:
            continue
        name = " + ".join(present)
        rebuilt: dict[str, list[str]] = {}
        for key, paths in merged.items():
            if key == present[0]:
                rebuilt[name] = [p for g in present for p in merged[g]]
            elif key not in present:
                rebuilt[key] = paths
        merged = rebuilt
    return merged


def _coalition_name(coalition: frozenset, factors: list[str]) -> str:
    bits = "".join("1" if f in coalition else "0" for f in factors)
    return f"coalition-{bits}"


def shapley_decomposition(
    a: Scenario | str,
    b: Scenario | str,
    replications: int | Sequence[int] = 30,
    seed: int = 0,
    factors: Any = None,
    *,
    kpi: str = "rom_t_per_month",
    kpis: Sequence[str] = MAIN_KPIS,
    max_exact_groups: int = MAX_EXACT_GROUPS,
    permutations: int = DEFAULT_PERMUTATIONS,
    permutation_seed: int = 0,
    together: Sequence[Sequence[str]] = (),
    **runner_kwargs: Any,
) -> ShapleyResult:
    """Return the order-free split of the change of ``kpi`` from A to B: Shapley values per factor.

    The factor groups and their fields are those of
    :func:`~seamsim.experiment.decompose.decompose` (same ``factors`` table); every
    coalition of groups runs the same replications with the same seeds, and each factor's
    value is its paired step averaged over every order of the factors (see the module
    notes). The values add up to the paired difference B − A, replication by replication.

    Parameters
    ----------
    a, b : Scenario or path
        Start and end scenarios.
    replications : int or sequence of int, optional
        Replications of each coalition (30).
    seed : int, optional
        Experiment seed (common random numbers across coalitions).
    factors : sequence of (name, patterns) or mapping, optional
        The factor table (default :data:`~seamsim.experiment.decompose.DEFAULT_FACTORS`);
        it groups the fields, its order does not change the values.
    kpi : str, optional
        The KPI of :attr:`ShapleyResult.values` (``rom_t_per_month``).
    kpis : sequence of str, optional
        KPIs of :attr:`ShapleyResult.table`.
    max_exact_groups : int, optional
        Run all ``2^k`` coalitions up to this many groups (:data:`MAX_EXACT_GROUPS`);
        sample orders beyond.
    permutations : int, optional
        Orders drawn when sampling (:data:`DEFAULT_PERMUTATIONS`; rounded up to even).
    permutation_seed : int, optional
        Seed of the order sampler.
    together : sequence of sequence of str, optional
        Factors counted as one (e.g. ``[("remote control", "crew")]``: B's small crew is
        only feasible with its remote control); the merged factor is named ``"remote
        control + crew"`` and takes the place of the first.
    **runner_kwargs
        Passed to :func:`~seamsim.experiment.runner.run_experiment` (``days``,
        ``executor``, ``workers``, ``progress``…; no ``design``).

    Returns
    -------
    ShapleyResult

    Raises
    ------
    ScenarioError
        A coalition is not a valid scenario (its fields contradict each other without the
        rest of B); the message names the coalition. Nothing has run.
    ValueError
        An unknown KPI or bad argument.
    """
    if runner_kwargs.pop("design", None) is not None:
        raise TypeError("shapley_decomposition takes no design")
    check_kpi(kpi)
    if isinstance(max_exact_groups, bool) or int(max_exact_groups) < 0:
        raise ValueError(f"max_exact_groups must be a whole number ≥ 0, not {max_exact_groups!r}")
    sa, sb = resolve_scenarios([a, b])
    table = _factor_table(factors)
    fields = differing_fields(sa, sb)
    assignment = merge_factors(assign_factors(list(fields), table), together, [n for n, _ in table])
    names = list(assignment)
    k = len(names)

    orders: list[tuple[str, ...]] = []
    method = "exact"
    if k > int(max_exact_groups):
        orders = sampled_orders(names, permutations, permutation_seed)
        needed = prefixes(orders)
        if len(needed) < 2**k:
            method = "sampled"
        else:
            orders = []
    if method == "exact":
        needed = [frozenset(c) for size in range(k + 1) for c in itertools.combinations(names, size)]

    scenarios: dict[frozenset, Scenario] = {}
    for coalition in needed:
        if not coalition:
            scenarios[coalition] = sa
            continue
        overrides = {path: fields[path] for name in names if name in coalition for path in assignment[name]}
        try:
            scenario = apply_overrides(sa, overrides)
        except ScenarioError as error:
            shown = ", ".join(n for n in names if n in coalition)
            where = f"the coalition of {{{shown}}}"
            raise ScenarioError([Issue(where, None, None, i.path, i.message) for i in error.issues]) from None
        scenarios[coalition] = scenario.model_copy(update={"name": _coalition_name(coalition, names)})
    run_names = {c: s.name for c, s in scenarios.items()}
    if frozenset() not in scenarios:
        scenarios[frozenset()] = sa
    experiment = run_experiment(list(scenarios.values()), replications, seed, **runner_kwargs)
    runs = experiment.runs
    a_name = next(iter(experiment.scenarios))
    run_names[frozenset()] = a_name
    full = frozenset(names)
    kpi_list = [x for x in dict.fromkeys([kpi, *kpis]) if x in runs.columns]

    rows = []
    per_replication = None
    for x in kpi_list:
        wide = runs.pivot(index="replication", columns="scenario", values=x)
        values = {c: wide[run_names[c]].to_numpy() for c in scenarios}
        if method == "exact":
            phi = shapley_values(values, names) if k else {}
            spread: dict[str, float] = {}
        else:
            phi, steps = permutation_shapley_values(values, orders)
            spread = {f: _pair_standard_error(steps[f]) for f in names}
        delta = values[full] - values[frozenset()] if k else np.zeros(len(wide))
        total = paired_difference(values[frozenset()], values[full]) if k else estimate(delta)
        for f in names:
            e = estimate(phi[f])
            share = e.mean / total.mean if total.mean != 0 and math.isfinite(total.mean) else math.nan
            rows.append({"factor": f, "fields": ", ".join(assignment[f]), "kpi": x, "n": e.n, "shapley": e.mean,
                         "sd": e.sd, "ci95_lo": e.ci95_lo, "ci95_hi": e.ci95_hi, "half_width": e.half_width,
                         "share": share, "sampling_se": spread.get(f, math.nan)})
        if x == kpi:
            per_replication = pd.DataFrame({f: phi[f] for f in names}, index=wide.index)
            per_replication["total"] = delta
            a_values, b_values = values[frozenset()], values[full]
    long = pd.DataFrame(rows, columns=["factor", "fields", "kpi", *VALUE_COLUMNS[2:]])
    main = long[long["kpi"] == kpi].drop(columns="kpi").reset_index(drop=True)
    long = long.drop(columns="fields")
    if len(main):
        main["n"] = main["n"].astype("int64")
    status = experiment.status_table().set_index("scenario")
    means = runs.groupby("scenario", sort=False)[kpi].mean()
    coalition_rows = []
    for c, name in run_names.items():
        counts = status.loc[name]
        coalition_rows.append({
            "coalition": " + ".join(n for n in names if n in c), "scenario": name, "size": len(c),
            "status": "error" if counts["error"] else "infeasible" if counts["infeasible"] else "ok",
            "reasons": "\n".join(r for r in (counts["reasons"], counts["errors"]) if r),
            "mean": float(means.get(name, math.nan)),
        })
    coalitions = pd.DataFrame(coalition_rows, columns=["coalition", "scenario", "size", "status", "reasons", "mean"])
    coalitions = coalitions.sort_values(["size", "scenario"], kind="stable").reset_index(drop=True)
    t = paired_difference(a_values, b_values)
    s = estimate(a_values)
    return ShapleyResult(
        a=sa.name,
        b=sb.name,
        kpi=kpi,
        method=method,
        factors=names,
        values=main[list(VALUE_COLUMNS)],
        table=long,
        per_replication=per_replication,
        total={"kpi": kpi, "a_mean": float(np.nanmean(a_values)), "b_mean": float(np.nanmean(b_values)),
               "delta": t.mean, "ci95_lo": t.ci95_lo, "ci95_hi": t.ci95_hi, "half_width": t.half_width,
               "n": t.n},
        start={"n": s.n, "mean": s.mean, "ci95_lo": s.ci95_lo, "ci95_hi": s.ci95_hi},
        assignment={n: assignment[n] for n in names},
        coalitions=coalitions,
        orders=orders,
        experiment=experiment,
    )


def _pair_standard_error(steps: np.ndarray) -> float:
    """Standard error of a factor's mean step over antithetic pairs of orders.

    ``steps`` has one row per order (pairs adjacent) and one column per replication; the
    replication mean of each pair's average is one draw.
    """
    per_order = np.nanmean(steps, axis=1) if steps.ndim == 2 else steps
    pairs = per_order.reshape(-1, 2).mean(axis=1)
    if len(pairs) < 2:
        return math.nan
    return float(np.std(pairs, ddof=1) / math.sqrt(len(pairs)))

