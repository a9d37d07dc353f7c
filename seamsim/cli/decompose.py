"""``seamsim decompose A.yaml B.yaml``: the gain from A to B, one factor at a time.

The fields in which B differs from A are grouped into factors (voltage and machine, shield
control, face-end automation, remote control, crew, seam and face, calendar, failures,
other) and applied to A one factor at a time, in that order (``--order`` changes it). Each
step's change is a paired difference with a 95 % CI (common random numbers); the steps add
up to B − A. ``--json`` prints ``{"a", "b", "kpi", "start", "steps": [...], "total",
"order"}``.

``--order-free`` gives each factor its Shapley value instead: its step averaged over every
order of the factors (every coalition of factors runs with the same seeds; exact up to six
factors, ``--permutations`` sampled orders beyond). The values add up to B − A per
replication; each has a 95 % CI over the paired replications. ``--json`` then prints
``{"a", "b", "kpi", "method", "factors": [{"factor", "fields", "shapley", "ci95", "share",
"sampling_se"}], "coalitions", "infeasible_coalitions", "start", "total"}``.

Exit status: 0 ok, 1 a run failed or A or B is infeasible, 2 bad input.
"""

from __future__ import annotations

import argparse
import math
from typing import Any

from seamsim.cli.arguments import (
    _positive_int,
    add_executor_arguments,
    add_replication_arguments,
    runner_options,
)
from seamsim.cli.base import Command, add_json_argument, load_for_command, print_json
from seamsim.cli.guard import UsageError, guarded
from seamsim.cli.run_entries import provenance_json
from seamsim.cli.tables import fmt, fmt_ci, render_table

FIELDS_SHOWN = 70
"""Characters of the changed-fields list shown per step in the text table."""


def configure(parser: argparse.ArgumentParser) -> None:
    """Add the arguments of ``seamsim decompose``."""
    parser.add_argument("a", metavar="A", help="the starting scenario (YAML)")
    parser.add_argument("b", metavar="B", help="the scenario to reach (YAML)")
    parser.add_argument("--kpi", default="rom_t_per_month", help="KPI to decompose (default rom_t_per_month)")
    parser.add_argument(
        "--order", default=None, metavar="F1,F2,…",
        help="factor order, e.g. 'remote control,voltage and machine' (others follow in the default order)",
    )
    parser.add_argument(
        "--order-free", action="store_true",
        help="Shapley values: each factor's step averaged over every order (runs every coalition of factors)",
    )
    parser.add_argument(
        "--permutations", type=_positive_int, default=None, metavar="N",
        help="--order-free beyond 6 factors: orders sampled (default 32, antithetic pairs)",
    )
    parser.add_argument(
        "--together", action="append", default=[], metavar="F1+F2",
        help="--order-free: count these factors as one, e.g. 'remote control+crew' (repeatable)",
    )
    add_replication_arguments(parser)
    add_executor_arguments(parser)
    add_json_argument(parser)


@guarded
def handle(args: argparse.Namespace) -> int:
    """Run A and every step with the same seeds and print the steps in order."""
    a = load_for_command(args.a)
    b = load_for_command(args.b)
    from seamsim.experiment.decompose import decompose, differing_fields

    if args.order_free:
        return handle_order_free(args, a, b)
    if args.permutations is not None or args.together:
        raise UsageError("--permutations and --together go with --order-free")
    order = [x.strip() for x in args.order.split(",") if x.strip()] if args.order else None
    steps = 1 + len(differing_fields(a, b))  # an upper bound for the progress decision
    options = runner_options(args, args.replications * min(steps, 10))
    result = decompose(a, b, args.replications, args.seed, kpi=args.kpi, order=order, **options)
    payload = decomposition_json(result, args)
    if args.json:
        print_json(payload)
    else:
        print(render_decomposition(result, args))
    failed = any(s["status"] == "error" for s in payload["steps"])
    statuses = result.experiment.status_table().set_index("scenario") if result.experiment else None
    a_bad = statuses is not None and bool(statuses.iloc[0]["infeasible"] or statuses.iloc[0]["error"])
    last = result.steps.iloc[-1]["status"] if len(result.steps) else "ok"
    return 1 if failed or a_bad or last != "ok" else 0


def decomposition_json(result: Any, args: argparse.Namespace) -> dict[str, Any]:
    """Return the ``--json`` object of a decomposition."""
    steps = []
    for row in result.steps.to_dict(orient="records"):
        steps.append({
            "order": int(row["order"]),
            "factor": row["factor"],
            "fields": [f for f in row["fields"].split(", ") if f],
            "status": row["status"],
            "reasons": [r for r in str(row["reasons"]).split("\n") if r],
            "mean": row["mean"],
            "delta": row["delta"],
            "ci95": [row["ci95_lo"], row["ci95_hi"]],
            "share": row["share"],
        })
    t = result.total
    return {
        "a": result.a,
        "b": result.b,
        "kpi": result.kpi,
        "replications": args.replications,
        "seed": args.seed,
        "order": result.order,
        "start": {"mean": result.start["mean"], "ci95": [result.start["ci95_lo"], result.start["ci95_hi"]]},
        "steps": steps,
        "total": {"a_mean": t["a_mean"], "b_mean": t["b_mean"], "delta": t["delta"],
                  "ci95": [t["ci95_lo"], t["ci95_hi"]]},
        "provenance": provenance_json(getattr(result, "experiment", None)),
    }


def render_decomposition(result: Any, args: argparse.Namespace) -> str:
    """Return the steps as a text table, in their order, with paired CIs."""
    t = result.total
    lines = [
        f"Decomposition of {result.kpi} from {result.a} to {result.b}",
        f"{args.replications} replication(s) per step, seed {args.seed}, common random numbers;"
        " each step applies one factor of B to the previous step",
        "",
    ]
    header = ["#", "factor", "mean after", "Δ vs previous", "95 % CI", "share", "fields changed"]
    rows = [["", f"start: {result.a}", fmt(result.start["mean"]), "", "", "", ""]]
    for r in result.steps.to_dict(orient="records"):
        fields = r["fields"] if len(r["fields"]) <= FIELDS_SHOWN else r["fields"][: FIELDS_SHOWN - 1] + "…"
        share = f"{100 * r['share']:.1f} %" if isinstance(r["share"], float) and math.isfinite(r["share"]) else "—"
        note = "" if r["status"] == "ok" else f" ({r['status']})"
        rows.append([
            str(r["order"]), r["factor"] + note, fmt(r["mean"]), fmt(r["delta"], signed=True),
            fmt_ci(r["ci95_lo"], r["ci95_hi"], signed=True), share, fields,
        ])
    rows.append(["", f"total: {result.b} − {result.a}", fmt(t["b_mean"]), fmt(t["delta"], signed=True),
                 fmt_ci(t["ci95_lo"], t["ci95_hi"], signed=True), "100 %" if t["delta"] else "—", ""])
    lines.append(render_table(header, rows, [True, False, True, True, True, True, False]))
    if not len(result.steps):
        lines += ["", "A and B do not differ in any field: nothing to decompose."]
    problems = [r for r in result.steps.to_dict(orient="records") if r["status"] != "ok"]
    for r in problems:
        lines += ["", f"step {r['order']} ({r['factor']}): {r['status']}",
                  *[f"  - {x}" for x in str(r["reasons"]).split("\n") if x]]
    return "\n".join(lines)


def handle_order_free(args: argparse.Namespace, a: Any, b: Any) -> int:
    """Run every coalition of factors with the same seeds and print the Shapley values."""
    from seamsim.experiment.decompose import DEFAULT_FACTORS, assign_factors, differing_fields
    from seamsim.experiment.shapley import (
        DEFAULT_PERMUTATIONS,
        MAX_EXACT_GROUPS,
        merge_factors,
        shapley_decomposition,
    )

    if args.order:
        raise UsageError("--order has no meaning with --order-free (the values average over every order)")
    together = [[x.strip() for x in spec.split("+") if x.strip()] for spec in args.together]
    groups = len(merge_factors(assign_factors(list(differing_fields(a, b))), together,
                               [name for name, _ in DEFAULT_FACTORS]))
    coalitions = 2**groups if groups <= MAX_EXACT_GROUPS else 2 + (groups - 1) * (args.permutations or DEFAULT_PERMUTATIONS)
    options = runner_options(args, args.replications * min(coalitions, 2**groups))
    result = shapley_decomposition(
        a, b, args.replications, args.seed, kpi=args.kpi,
        permutations=args.permutations or DEFAULT_PERMUTATIONS, together=together, **options,
    )
    if args.json:
        print_json(shapley_json(result, args))
    else:
        print(render_shapley(result, args))
    statuses = result.coalitions.set_index("size")["status"]
    ends_ok = all(result.coalitions.loc[result.coalitions["size"].isin([0, len(result.factors)]), "status"] == "ok")
    return 1 if (statuses == "error").any() or not ends_ok else 0


def shapley_json(result: Any, args: argparse.Namespace) -> dict[str, Any]:
    """Return the ``--json`` object of an order-free decomposition."""
    t = result.total
    infeasible = result.coalitions[result.coalitions["status"] != "ok"]
    return {
        "a": result.a,
        "b": result.b,
        "kpi": result.kpi,
        "method": result.method,
        "replications": args.replications,
        "seed": args.seed,
        "coalitions": len(result.coalitions),
        "orders": len(result.orders),
        "infeasible_coalitions": [
            {"factors": [f for f in r["coalition"].split(" + ") if f], "status": r["status"],
             "reasons": [x for x in str(r["reasons"]).split("\n") if x]}
            for r in infeasible.to_dict(orient="records")
        ],
        "start": {"mean": result.start["mean"], "ci95": [result.start["ci95_lo"], result.start["ci95_hi"]]},
        "factors": [
            {"factor": r["factor"], "fields": [f for f in r["fields"].split(", ") if f], "shapley": r["shapley"],
             "ci95": [r["ci95_lo"], r["ci95_hi"]], "share": r["share"], "sampling_se": r["sampling_se"],
             "n": int(r["n"])}
            for r in result.values.to_dict(orient="records")
        ],
        "total": {"a_mean": t["a_mean"], "b_mean": t["b_mean"], "delta": t["delta"],
                  "ci95": [t["ci95_lo"], t["ci95_hi"]]},
        "provenance": provenance_json(getattr(result, "experiment", None)),
    }


def render_shapley(result: Any, args: argparse.Namespace) -> str:
    """Return the Shapley values as a text table with paired CIs."""
    t = result.total
    how = (f"all {len(result.coalitions)} coalitions of {len(result.factors)} factors" if result.method == "exact"
           else f"{len(result.orders)} sampled orders ({len(result.coalitions)} coalitions)")
    lines = [
        f"Order-free decomposition (Shapley values) of {result.kpi} from {result.a} to {result.b}",
        f"{args.replications} replication(s) per coalition, seed {args.seed}, common random numbers; {how};"
        " each value is the factor's step averaged over every order",
        "",
    ]
    sampled = result.method == "sampled"
    header = ["factor", "Shapley Δ", "95 % CI", "share", *(["± sampling"] if sampled else []), "fields changed"]
    rows = [["start: " + result.a, fmt(result.start["mean"]), "", "", *([""] if sampled else []), ""]]
    for r in result.values.to_dict(orient="records"):
        fields = r["fields"] if len(r["fields"]) <= FIELDS_SHOWN else r["fields"][: FIELDS_SHOWN - 1] + "…"
        share = f"{100 * r['share']:.1f} %" if math.isfinite(r["share"]) else "—"
        rows.append([r["factor"], fmt(r["shapley"], signed=True), fmt_ci(r["ci95_lo"], r["ci95_hi"], signed=True),
                     share, *([fmt(r["sampling_se"])] if sampled else []), fields])
    rows.append([f"total: {result.b} − {result.a}", fmt(t["delta"], signed=True),
                 fmt_ci(t["ci95_lo"], t["ci95_hi"], signed=True), "100 %" if t["delta"] else "—",
                 *([""] if sampled else []), ""])
    right = [False, True, True, True, *([True] if sampled else []), False]
    lines.append(render_table(header, rows, right))
    if not result.factors:
        lines += ["", "A and B do not differ in any field: nothing to decompose."]
    bad = result.coalitions[result.coalitions["status"] != "ok"]
    if len(bad):
        lines += [
            "",
            f"{len(bad)} of {len(result.coalitions)} coalitions are not ok (infeasible: their {result.kpi} is "
            "counted as run, 0 for no output); a factor that only works together with another then takes part "
            "of that one's gain — count them as one (--together 'F1+F2') to split only what can run:",
        ]
        for r in bad.head(8).to_dict(orient="records"):
            first = str(r["reasons"]).split("\n")[0]
            lines.append(f"  - {r['coalition'] or 'A'} ({r['status']}): {first}")
        if len(bad) > 8:
            lines.append(f"  … and {len(bad) - 8} more (see --json)")
    return "\n".join(lines)


COMMAND = Command("decompose", "split the gain between two scenarios by factor", configure, handle)
