"""Split the gain from scenario A to scenario B one factor at a time.

The fields in which B differs from A are grouped into *factors* (the table below, in this
order; a field belongs to the first factor whose patterns match it). Starting from A, each
step applies one factor's fields of B onto the previous step's scenario; after the last
step the scenario is B (apart from its name, title and description). Every step runs the
same replications with the same seeds (common random numbers), so the change each step
makes — its *delta* — is a paired difference with a t-based 95 % interval, and the
deltas add up to B − A exactly (up to float rounding) for any KPI defined in every run.

=======================  =================================================================
factor                   fields (``fnmatch`` patterns on dotted paths)
=======================  =================================================================
voltage and machine      ``electrical.*``, ``machine.*``
shield control           ``operation.shield_control``, ``operation.*shield*``,
                         ``operation.*parallel_advances``
face-end automation      ``operation.face_end_mode``, ``operation.*face_end*``
remote control           ``operation.remote_control``, ``crew.remote_operators``,
                         ``calendar.handover``, ``calendar.handover_min``, ``failures.comms_*``
crew                     the rest of ``crew.*``
seam and face            ``seam.*``, ``roof.*``, ``face.*``
calendar                 the rest of ``calendar.*``
failures                 the rest of ``failures.*``
other                    everything else (``operation.cutting_mode``, ``run.*``…)
=======================  =================================================================

Only factors with differing fields become steps. The order matters — a factor's share of
the gain depends on what was applied before it (an automatic shield advance is worth more
on a fast machine) — so the order is part of the answer and is reported with it; ask for
another with ``order=``. An intermediate scenario may be infeasible (its row says why) or
not even valid (its row has status ``invalid`` and the validation message; the next step
is then measured from the last valid one).
"""

from __future__ import annotations

import fnmatch
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from seamsim.experiment.runner import (
    MAIN_KPIS,
    ExperimentResult,
    check_kpi,
    resolve_scenarios,
    run_experiment,
)
from seamsim.experiment.t_estimates import estimate, paired_difference
from seamsim.scenario import Scenario, ScenarioError, apply_overrides

__all__ = ["DEFAULT_FACTORS", "DecompositionResult", "decompose", "differing_fields", "assign_factors"]

DEFAULT_FACTORS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("voltage and machine", ("electrical.*", "machine.*")),
    ("shield control", ("operation.shield_control", "operation.*shield*", "operation.*parallel_advances")),
    ("face-end automation", ("operation.face_end_mode", "operation.*face_end*")),
    (
        "remote control",
        ("operation.remote_control", "crew.remote_operators", "calendar.handover*", "failures.comms_*"),
    ),
    ("crew", ("crew.*",)),
    ("seam and face", ("seam.*", "roof.*", "face.*")),
    ("calendar", ("calendar.*",)),
    ("failures", ("failures.*",)),
    ("other", ("*",)),
)
"""The factor table: (name, patterns), in step order; a field goes to the first match."""

IGNORED_FIELDS = ("name", "title", "description")
"""Fields that describe a scenario and are never a step."""

STEP_COLUMNS = (
    "order", "factor", "fields", "status", "reasons", "n", "mean", "delta", "ci95_lo",
    "ci95_hi", "half_width", "share",
)


def _flatten(data: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in data.items():
        path = f"{prefix}{key}"
        if isinstance(value, Mapping):
            flat.update(_flatten(value, path + "."))
        else:
            flat[path] = value
    return flat


def differing_fields(a: Scenario, b: Scenario) -> dict[str, Any]:
    """Return the dotted fields in which ``b`` differs from ``a``, with ``b``'s values."""
    fa = _flatten(a.model_dump(mode="json"))
    fb = _flatten(b.model_dump(mode="json"))
    return {
        path: fb[path]
        for path in fb
        if path not in IGNORED_FIELDS and fa.get(path) != fb[path]
    }


def _factor_table(factors: Any) -> list[tuple[str, tuple[str, ...]]]:
    if factors is None:
        return [(n, tuple(p)) for n, p in DEFAULT_FACTORS]
    items = factors.items() if isinstance(factors, Mapping) else factors
    table = []
    for name, patterns in items:
        patterns = (patterns,) if isinstance(patterns, str) else tuple(patterns)
        table.append((str(name), patterns))
    if len({n for n, _ in table}) != len(table):
        raise ValueError("factor names must be unique")
    return table


def assign_factors(
    fields: Sequence[str], factors: Any = None
) -> dict[str, list[str]]:
    """Return factor name → the fields it takes (first matching factor wins), in table order.

    Fields that no factor matches go to ``"other"``.
    """
    table = _factor_table(factors)
    assigned: dict[str, list[str]] = {name: [] for name, _ in table}
    for path in fields:
        for name, patterns in table:
            if any(fnmatch.fnmatchcase(path, p) for p in patterns):
                assigned[name].append(path)
                break
        else:
            assigned.setdefault("other", []).append(path)
    return {name: paths for name, paths in assigned.items() if paths}


@dataclass
class DecompositionResult:
    """The outcome of :func:`decompose`.

    Attributes
    ----------
    a, b : str
        Names of the start and end scenarios.
    kpi : str
        The KPI of :attr:`steps` and :attr:`total` (``rom_t_per_month``).
    order : list of str
        The factors, in the order they were applied.
    steps : DataFrame
        One row per step: ``order`` (1, 2, …), ``factor``, ``fields`` (comma-separated),
        ``status`` (``ok``, ``infeasible``, ``invalid``, ``error``), ``reasons``, ``n``,
        ``mean`` (the KPI after the step), ``delta`` (paired change from the previous
        step), ``ci95_lo``, ``ci95_hi``, ``half_width`` (of the delta) and ``share``
        (``delta / total delta``).
    deltas : DataFrame
        The same for every KPI in long format (``order, factor, kpi, mean, delta, ci95_lo,
        ci95_hi, half_width, share``).
    total : dict
        ``kpi, a_mean, b_mean, delta, ci95_lo, ci95_hi, half_width`` of B − A.
    start : dict
        ``n, mean, ci95_lo, ci95_hi`` of the KPI for A.
    assignment : dict of str to list of str
        Which fields each factor changed.
    experiment : ExperimentResult
        The runs of A and of every valid step.
    """

    a: str
    b: str
    kpi: str
    order: list[str]
    steps: pd.DataFrame
    deltas: pd.DataFrame
    total: dict[str, Any]
    start: dict[str, Any]
    assignment: dict[str, list[str]]
    experiment: ExperimentResult | None = field(default=None, repr=False)


def decompose(
    a: Scenario | str,
    b: Scenario | str,
    replications: int | Sequence[int] = 30,
    seed: int = 0,
    factors: Any = None,
    *,
    kpi: str = "rom_t_per_month",
    kpis: Sequence[str] = MAIN_KPIS,
    order: Sequence[str] | None = None,
    **runner_kwargs: Any,
) -> DecompositionResult:
    """Split the change of ``kpi`` from A to B into one step per differing factor.

    Parameters
    ----------
    a, b : Scenario or path
        Start and end scenarios.
    replications : int or sequence of int, optional
        Replications of each step (30).
    seed : int, optional
        Experiment seed (common random numbers across steps).
    factors : sequence of (name, patterns) or mapping, optional
        The factor table (default :data:`DEFAULT_FACTORS`): step order and field grouping.
    kpi : str, optional
        The KPI of ``steps`` (``rom_t_per_month``).
    kpis : sequence of str, optional
        KPIs of ``deltas``.
    order : sequence of str, optional
        Apply the factors in this order instead (fields stay grouped by ``factors``);
        factors not named follow in table order.
    **runner_kwargs
        Passed to :func:`~seamsim.experiment.runner.run_experiment` (``days``,
        ``executor``, ``workers``, ``progress``…).

    Returns
    -------
    DecompositionResult
    """
    if runner_kwargs.get("design") is not None:
        raise TypeError("decompose takes no design")
    runner_kwargs.pop("design", None)
    check_kpi(kpi)
    sa, sb = resolve_scenarios([a, b])
    table = _factor_table(factors)
    assignment = assign_factors(list(differing_fields(sa, sb)), table)
    values = differing_fields(sa, sb)
    names = _step_order(list(assignment), [n for n, _ in table], order)

    # Build every step's scenario from A plus the fields of B applied so far.
    applied: dict[str, Any] = {}
    steps: list[dict[str, Any]] = []
    to_run: list[Scenario] = [sa]
    for k, name in enumerate(names, start=1):
        applied.update({path: values[path] for path in assignment[name]})
        step = {"order": k, "factor": name, "fields": ", ".join(assignment[name]), "run": None,
                "status": "", "reasons": ""}
        try:
            scenario = apply_overrides(sa, applied)
        except ScenarioError as error:
            step.update(status="invalid", reasons=str(error))
        else:
            run_name = f"{k}-" + re.sub(r"[^A-Za-z0-9_.\-]+", "_", name)[:60]
            run_name = run_name if run_name != sa.name else run_name + "-step"
            to_run.append(scenario.model_copy(update={"name": run_name}))
            step["run"] = run_name
        steps.append(step)

    experiment = run_experiment(to_run, replications, seed, **runner_kwargs)
    runs = experiment.runs
    a_name = next(iter(experiment.scenarios))
    status = experiment.status_table().set_index("scenario")
    kpi_list = list(dict.fromkeys([kpi, *kpis]))
    kpi_list = [k for k in kpi_list if k in runs.columns]
    wide = {k: runs.pivot(index="replication", columns="scenario", values=k) for k in kpi_list}
    last_valid = [step["run"] for step in steps if step["run"] is not None]
    final = last_valid[-1] if last_valid else a_name

    delta_rows = []
    for k in kpi_list:
        total = paired_difference(wide[k][a_name].to_numpy(), wide[k][final].to_numpy())
        previous = a_name
        for step in steps:
            row = {"order": step["order"], "factor": step["factor"], "kpi": k}
            if step["run"] is None:
                row.update(mean=math.nan, delta=math.nan, ci95_lo=math.nan, ci95_hi=math.nan,
                           half_width=math.nan, share=math.nan, n=0)
            else:
                e = paired_difference(wide[k][previous].to_numpy(), wide[k][step["run"]].to_numpy())
                share = e.mean / total.mean if total.mean not in (0.0,) and math.isfinite(total.mean) else math.nan
                row.update(mean=float(wide[k][step["run"]].mean()), delta=e.mean, ci95_lo=e.ci95_lo,
                           ci95_hi=e.ci95_hi, half_width=e.half_width, share=share, n=e.n)
                previous = step["run"]
            delta_rows.append(row)
    deltas = pd.DataFrame(delta_rows, columns=["order", "factor", "kpi", "n", "mean", "delta", "ci95_lo",
                                               "ci95_hi", "half_width", "share"])

    for step in steps:
        if step["run"] is not None:
            counts = status.loc[step["run"]]
            step["status"] = (
                "error" if counts["error"] else "infeasible" if counts["infeasible"] else "ok"
            )
            step["reasons"] = "\n".join(r for r in (counts["reasons"], counts["errors"]) if r)
    main = deltas[deltas["kpi"] == kpi].set_index("order")
    step_rows = []
    for step in steps:
        row = {c: step[c] for c in ("order", "factor", "fields", "status", "reasons")}
        row.update({c: main.loc[step["order"], c] for c in ("n", "mean", "delta", "ci95_lo", "ci95_hi",
                                                             "half_width", "share")})
        step_rows.append(row)
    steps_frame = pd.DataFrame(step_rows, columns=list(STEP_COLUMNS))
    if len(steps_frame):
        steps_frame["n"] = steps_frame["n"].astype("int64")

    total = paired_difference(wide[kpi][a_name].to_numpy(), wide[kpi][final].to_numpy())
    start = estimate(wide[kpi][a_name].to_numpy())
    return DecompositionResult(
        a=sa.name,
        b=sb.name,
        kpi=kpi,
        order=list(names),
        steps=steps_frame,
        deltas=deltas,
        total={
            "kpi": kpi,
            "a_mean": float(wide[kpi][a_name].mean()),
            "b_mean": float(wide[kpi][final].mean()),
            "delta": total.mean,
            "ci95_lo": total.ci95_lo,
            "ci95_hi": total.ci95_hi,
            "half_width": total.half_width,
            "n": total.n,
        },
        start={"n": start.n, "mean": start.mean, "ci95_lo": start.ci95_lo, "ci95_hi": start.ci95_hi},
        assignment={name: assignment[name] for name in names},
        experiment=experiment,
    )


def _step_order(present: list[str], table: list[str], order: Sequence[str] | None) -> list[str]:
    if order is None:
        return present
    unknown = [name for name in order if name not in table and name != "other"]
    if unknown:
        raise ValueError(f"unknown factors {unknown}; the factors are: {', '.join(table)}")
    first = [name for name in order if name in present]
    return first + [name for name in present if name not in first]
