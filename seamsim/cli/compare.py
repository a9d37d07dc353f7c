"""``seamsim compare A.yaml B.yaml ...``: scenarios side by side with common random numbers.

Prints each scenario's KPIs (mean and 95 % CI) and the paired differences of every other
scenario against the first (mean difference per replication and its 95 % CI). ``--json``
prints ``{"baseline": …, "scenarios": [one run entry each], "paired_differences": {name:
{kpi: {"mean": …, "ci95": [lo, hi], "relative": …}}}}``.

Exit status: 0 when every scenario is ok, 1 when one is infeasible or a run failed, 2 bad
input.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from seamsim.cli.arguments import (
    add_executor_arguments,
    add_out_arguments,
    add_replication_arguments,
    runner_options,
)
from seamsim.cli.base import (
    Command,
    add_json_argument,
    add_set_argument,
    load_for_command,
    print_json,
)
from seamsim.cli.guard import UsageError, guarded
from seamsim.cli.precision import add_target_arguments, sequential_lines, target_options
from seamsim.cli.run import stopped
from seamsim.cli.run_entries import exit_status, provenance_json, run_entry
from seamsim.cli.tables import fmt, fmt_ci, kpi_label, render_table


def configure(parser: argparse.ArgumentParser) -> None:
    """Add the arguments of ``seamsim compare``."""
    parser.add_argument("files", nargs="+", metavar="FILE", help="scenario YAML files; the first is the baseline")
    add_set_argument(parser)
    add_replication_arguments(parser)
    add_executor_arguments(parser)
    add_out_arguments(parser)
    add_target_arguments(parser)
    add_json_argument(parser)


@guarded
def handle(args: argparse.Namespace) -> int:
    """Run the scenarios with the same seeds and print the comparison."""
    target = target_options(args)
    scenarios = [load_for_command(path, args.overrides) for path in args.files]
    from seamsim.experiment.compare import compare, comparison_of
    from seamsim.experiment.runner import Interrupted, check_kpi

    precise = None
    try:
        if target:
            from seamsim.experiment.sequential import run_until_precise

            check_kpi(args.kpi)
            if len(scenarios) < 2:
                raise UsageError("--target-rel with compare needs two or more scenarios (the first is the baseline)")
            options = runner_options(args, target["max_replications"] * len(scenarios))
            precise = run_until_precise(scenarios, seed=args.seed, **target, **options)
            result = comparison_of(precise.experiment)
        else:
            options = runner_options(args, args.replications * len(scenarios))
            result = compare(scenarios, args.replications, args.seed, **options)
    except Interrupted as stop:
        return stopped(args, stop)
    entries = [run_entry(result.experiment, name) for name in result.names]
    paired = paired_json(result)
    if args.json:
        payload = {
            "baseline": result.baseline,
            "replications": len(result.experiment.replications),
            "seed": args.seed,
            "scenarios": entries,
            "paired_differences": paired,
            "provenance": provenance_json(result.experiment),
        }
        if precise is not None:
            payload["sequential"] = precise.as_dict()
            for warning in precise.warnings:
                print(f"warning: {warning}", file=sys.stderr)
        print_json(payload)
    else:
        print(render_compare(result, entries))
        if precise is not None:
            print("\n".join(["", *sequential_lines(precise)]))
    return exit_status([e["status"] for e in entries])


def paired_json(result: Any) -> dict[str, dict[str, dict[str, Any]]]:
    """Return ``{scenario: {kpi: {"mean", "ci95", "relative", "n"}}}`` of the paired differences."""
    out: dict[str, dict[str, dict[str, Any]]] = {}
    for row in result.paired.itertuples(index=False):
        out.setdefault(row.scenario, {})[row.kpi] = {
            "mean": float(row.mean_diff),
            "ci95": [float(row.ci95_lo), float(row.ci95_hi)],
            "relative": float(row.relative_diff),
            "n": int(row.n),
        }
    return out


def render_compare(result: Any, entries: list[dict[str, Any]]) -> str:
    """Return the text report: KPIs per scenario, then paired differences."""
    names = result.names
    reps = entries[0]["replications"] if entries else 0
    lines = [
        f"Comparison of {len(names)} scenarios · {reps} replication(s) each, seed {entries[0]['seed']},"
        " common random numbers",
        "",
        "Mean and 95 % CI",
    ]
    kpis = list(entries[0]["kpis"]) if entries else []
    rows = []
    for kpi in kpis:
        row = [kpi_label(kpi)]
        for entry in entries:
            v = entry["kpis"].get(kpi)
            row.append(f"{fmt(v['mean'])} {fmt_ci(*v['ci95'])}" if v else "—")
        rows.append(row)
    lines.append(render_table(["KPI", *names], rows))
    status_row = [["status", *[e["status"] for e in entries]]]
    lines += ["", render_table(["", *names], status_row)]
    if len(names) > 1:
        lines += ["", f"Paired differences against {result.baseline} (mean per replication and 95 % CI)"]
        rows = []
        for kpi in kpis:
            row = [kpi_label(kpi)]
            for name in names[1:]:
                sub = result.paired[(result.paired["scenario"] == name) & (result.paired["kpi"] == kpi)]
                if sub.empty:
                    row.append("—")
                    continue
                d = sub.iloc[0]
                rel = f" ({100 * d['relative_diff']:+.1f} %)" if d["relative_diff"] == d["relative_diff"] else ""
                row.append(f"{fmt(d['mean_diff'], signed=True)} {fmt_ci(d['ci95_lo'], d['ci95_hi'], signed=True)}{rel}")
            rows.append(row)
        lines.append(render_table(["KPI", *[f"{n} − base" for n in names[1:]]], rows))
    for entry in entries:
        notes = [*entry["reasons"], *entry["errors"]]
        if notes:
            lines += ["", f"{entry['scenario']}: {entry['status']}", *[f"  - {n}" for n in notes]]
    return "\n".join(lines)


COMMAND = Command("compare", "compare scenarios with common random numbers", configure, handle)
