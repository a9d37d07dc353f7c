"""Where a gain comes from, for the Compare page: the factors in which two scenarios differ,
the one-order waterfall's steps and the order-free (Shapley) values, as people read them.

The work is the experiment layer's (:func:`seamsim.decompose`,
:func:`seamsim.shapley_decomposition`); this module only chooses the factor groups, counts
the runs for a progress bar and turns the results into chart steps, tables and a note on the
coalitions that cannot be worked. No Streamlit here.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import pandas as pd

import seamsim
from seamsim.experiment.decompose import DEFAULT_FACTORS, assign_factors, differing_fields
from seamsim.experiment.shapley import MAX_EXACT_GROUPS, merge_factors

__all__ = [
    "AUTOMATION_AND_CREW",
    "coalition_note",
    "decomposition_work",
    "factor_label",
    "factors_between",
    "order_free_factors",
    "order_free_steps",
    "order_free_table",
    "runs_needed",
    "together_for",
]

AUTOMATION_AND_CREW: tuple[str, ...] = ("shield control", "face-end automation", "remote control", "crew")
"""Factor groups counted as one by default in the order-free split: the after-face's crew of six
has no shearer driver or shield men without its automation and remote control, so a coalition
with the crew and without them cannot work (0 t) and would hand "crew" a large negative share."""

_TABLE_NAMES = [name for name, _ in DEFAULT_FACTORS]


def factors_between(a: seamsim.Scenario, b: seamsim.Scenario) -> list[str]:
    """The factor groups of :data:`seamsim.experiment.decompose.DEFAULT_FACTORS` in which ``b``
    differs from ``a``, in the table's order (the one-order waterfall's default order)."""
    return list(assign_factors(list(differing_fields(a, b))))


def together_for(factors: Sequence[str], grouped: bool) -> list[tuple[str, ...]]:
    """The ``together`` argument of :func:`seamsim.shapley_decomposition`: automation and crew
    as one factor when ``grouped`` and two or more of them differ, else nothing."""
    present = [f for f in AUTOMATION_AND_CREW if f in factors]
    return [AUTOMATION_AND_CREW] if grouped and len(present) >= 2 else []


def order_free_factors(a: seamsim.Scenario, b: seamsim.Scenario, grouped: bool) -> list[str]:
    """The factors of the order-free split (merged as :func:`together_for` says)."""
    fields = list(differing_fields(a, b))
    assignment = assign_factors(fields)
    return list(merge_factors(assignment, together_for(list(assignment), grouped), _TABLE_NAMES))


def runs_needed(steps: int, order_free: int, replications: int) -> tuple[int, int]:
    """Runs of the one-order waterfall (A and one per step) and of the order-free split (every
    coalition up to :data:`~seamsim.experiment.shapley.MAX_EXACT_GROUPS` factors; beyond, at most
    one run per factor of each of 32 sampled orders)."""
    one = (steps + 1) * replications
    free = (2**order_free if order_free <= MAX_EXACT_GROUPS else 1 + 32 * order_free) * replications
    return one, free


def decomposition_work(a: seamsim.Scenario, b: seamsim.Scenario, replications: int, seed: int,
                       order: Sequence[str] | None, grouped: bool) -> Callable[[Callable[[int, int], Any]], dict]:
    """Work for a background job: the waterfall in ``order``, then the order-free split.

    Returns ``fn(progress)`` giving ``{"one_order": DecompositionResult, "order_free":
    ShapleyResult, "grouped": bool, "order": list}``; one progress bar covers both.
    """
    factors = factors_between(a, b)
    free_factors = order_free_factors(a, b, grouped)
    first, second = runs_needed(len(factors), len(free_factors), replications)
    total = first + second
    chunk = max(1, replications // 4)

    def work(progress: Callable[[int, int], Any]) -> dict:
        def one_progress(done: int, _total: int) -> Any:
            return progress(min(done, first), total)

        def free_progress(done: int, of: int) -> Any:
            return progress(first + round(second * done / max(of, 1)), total)

        one = seamsim.decompose(a, b, replications, seed, order=list(order) if order else None, executor="serial",
                                progress=one_progress, chunk_size=chunk)
        free = seamsim.shapley_decomposition(a, b, replications, seed, together=together_for(factors, grouped),
                                             executor="serial", progress=free_progress, chunk_size=chunk)
        return {"one_order": one, "order_free": free, "grouped": grouped, "order": list(order or factors)}

    return work


def factor_label(name: str) -> str:
    """A factor's name for a chart's axis: automation and crew counted as one is
    ``automation and crew`` (the table names its four groups); another merged group is set
    over lines (``a +<br>b``)."""
    if name == " + ".join(AUTOMATION_AND_CREW):
        return "automation and crew"
    return name.replace(" + ", " +<br>") if " + " in name else name


def order_free_steps(result: Any) -> pd.DataFrame:
    """The order-free values as waterfall steps: ``factor`` (axis label), ``delta``, ``lo``, ``hi``."""
    values = result.values
    return pd.DataFrame({
        "factor": [factor_label(f) for f in values["factor"]],
        "delta": values["shapley"].to_numpy(float),
        "lo": values["ci95_lo"].to_numpy(float),
        "hi": values["ci95_hi"].to_numpy(float),
    })


def order_free_table(result: Any, fmt: Callable[..., str]) -> pd.DataFrame:
    """The order-free values for people: factor, value with its 95 % CI, share of the gain, fields.

    ``fmt(value, signed=True)`` formats the KPI (``dashboard.kpi(k).format``).
    """
    v = result.values
    return pd.DataFrame({
        "factor": v["factor"],
        "whatever the order": [fmt(x, signed=True) for x in v["shapley"]],
        "95% CI": [f"{fmt(lo, signed=True)} to {fmt(hi, signed=True)}" if math.isfinite(lo) else "—"
                   for lo, hi in zip(v["ci95_lo"], v["ci95_hi"], strict=True)],
        "share of the gain": [f"{s:.0%}" if math.isfinite(s) else "—" for s in v["share"]],
        "fields changed": v["fields"],
    })


def coalition_note(coalitions: pd.DataFrame, grouped: bool, labels: Mapping[str, str] | None = None) -> str | None:
    """What people must know about the coalitions that could not be worked, or ``None`` if all ran.

    Each order-free value averages a factor's step over every coalition of the other factors;
    a coalition that cannot be worked counts with its output as run (0 t), so its factors
    share the others' gain. The note says how many, names one, and (when the factors were
    counted apart) points to counting automation and crew as one.
    """
    bad = coalitions[coalitions["status"] != "ok"]
    if bad.empty:
        return None
    first = bad.iloc[0]
    what = first["coalition"] or "the start scenario"
    reason = str(first["reasons"]).split("\n")[0].split("; ")[0]
    text = (f"**{len(bad)} of {len(coalitions)} coalitions cannot be worked** — e.g. the start with "
            f"*{what}* of the end scenario: {reason}. Their output counts as run (0 t), so the factors in "
            "them share the others' gain.")
    if not grouped:
        text += (" Count shield control, face-end automation, remote control and crew as one factor (the "
                 "switch above) to split only what can be run.")
    return text
