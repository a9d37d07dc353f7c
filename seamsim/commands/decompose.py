"""``seamsim decompose A.yaml B.yaml``: the gain from A to B, one factor at a time.

The fields in which B differs from A are grouped into factors (voltage and machine, shield
control, face-end automation, remote control, crew, seam and face, calendar, failures,
other) and applied to A one factor at a time, in that order (``--order`` changes it). Each
step's change is a paired difference with a 95 % CI (common random numbers); the steps add
up to B − A. ``--json`` prints ``{"a", "b", "kpi", "start", "steps": [...], "total",
"order"}``.

Exit status: 0 ok, 1 a run failed or A or B is infeasible, 2 bad input.
"""

from __future__ import annotations

import argparse
import math
from typing import Any

from seamsim.cli import Command, add_json_argument, load_for_command, print_json
from seamsim.commands import (
    add_executor_arguments,
    add_replication_arguments,
    fmt,
    fmt_ci,
    guarded,
    render_table,
    runner_options,
)

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
    add_replication_arguments(parser)
    add_executor_arguments(parser)
    add_json_argument(parser)


@guarded
def handle(args: argparse.Namespace) -> int:
    """Run A and every step with the same seeds and print the steps in order."""
    a = load_for_command(args.a)
    b = load_for_command(args.b)
    from seamsim.experiment.decompose import decompose, differing_fields

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


COMMAND = Command("decompose", "split the gain between two scenarios by factor", configure, handle)
