"""``seamsim run FILE``: replications of one scenario, KPIs with 95 % confidence intervals.

Prints the KPI table (mean and 95 % CI), the time breakdown (mean hours per state), what
holds the face back (mean share of cutting distance bound by each speed limit), and the
status with reasons and warnings. ``--json`` prints one JSON object instead. ``--out DIR``
also writes the runs (Parquet), ``manifest.json``, the event log of replication 0
(``events.csv``) and the resolved scenario (``scenario.yaml``).

Exit status: 0 ok, 1 infeasible or a run failed, 2 bad input.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from seamsim.cli import Command, add_json_argument, add_set_argument, load_for_command, print_json
from seamsim.commands import (
    add_executor_arguments,
    add_out_arguments,
    add_replication_arguments,
    exit_status,
    fmt,
    fmt_ci,
    guarded,
    kpi_label,
    notes_lines,
    render_table,
    run_entry,
    runner_options,
)


def configure(parser: argparse.ArgumentParser) -> None:
    """Add the arguments of ``seamsim run``."""
    parser.add_argument("file", metavar="FILE", help="scenario YAML file")
    add_set_argument(parser)
    add_replication_arguments(parser)
    add_executor_arguments(parser)
    add_out_arguments(parser)
    add_json_argument(parser)


@guarded
def handle(args: argparse.Namespace) -> int:
    """Run the replications and print the results."""
    scenario = load_for_command(args.file, args.overrides)
    from seamsim.experiment.runner import run_experiment

    options = runner_options(args, args.replications)
    experiment = run_experiment(scenario, args.replications, args.seed, **options)
    entry = run_entry(experiment, scenario.name)
    if args.out:
        write_extras(experiment, Path(args.out))
    if args.json:
        print_json(entry)
    else:
        print(render_run(entry, experiment))
    return exit_status([entry["status"]])


def write_extras(experiment: Any, out: Path) -> None:
    """Write ``events.csv`` (replication 0 re-run alone) and ``scenario.yaml`` to ``out``."""
    import yaml

    scenario = experiment.scenario()
    replication = experiment.replications[0]
    events = experiment.rerun(replication=replication).events
    events.insert(0, "replication", replication)
    events.to_csv(out / "events.csv", index=False)
    text = yaml.safe_dump(scenario.model_dump(mode="json"), sort_keys=False, allow_unicode=True)
    header = (
        f"# Resolved scenario of this experiment (seamsim {experiment.manifest.get('seamsim_version')}),"
        " every field given.\n"
    )
    (out / "scenario.yaml").write_text(header + text, encoding="utf-8")


def render_run(entry: dict[str, Any], experiment: Any) -> str:
    """Return the text report of one scenario's replications."""
    scenario = experiment.scenarios[entry["scenario"]]
    title = f" — {scenario.title}" if scenario.title else ""
    lines = [
        f"{entry['scenario']}{title}",
        f"{entry['replications']} replication(s) of {fmt(entry['days'])} d, seed {entry['seed']}"
        f" · status {entry['status']}",
    ]
    if entry["status"] == "infeasible":
        return "\n".join(lines + notes_lines(entry))
    rows = [
        [kpi_label(k), fmt(v["mean"]), fmt_ci(*v["ci95"])] for k, v in entry["kpis"].items()
    ]
    lines += ["", render_table(["KPI", "mean", "95 % CI"], rows)]
    lines += ["", *time_breakdown(entry)]
    lines += ["", *limits(entry)]
    lines += notes_lines(entry)
    return "\n".join(lines)


def time_breakdown(entry: dict[str, Any]) -> list[str]:
    """Return the mean hours per state, largest first, non-zero only."""
    times = {k: v for k, v in entry["time_in_state_h"].items() if v and v > 0}
    total = sum(times.values())
    rows = [
        [state.replace("_", " "), f"{hours:,.1f} h", f"{100 * hours / total:.1f} %"]
        for state, hours in sorted(times.items(), key=lambda kv: -kv[1])
    ]
    return ["Time breakdown (mean per replication)", render_table(["state", "time", "share"], rows)]


def limits(entry: dict[str, Any]) -> list[str]:
    """Return the mean share of cutting distance bound by each speed limit."""
    shares = {k: v for k, v in entry["limit_share"].items() if v and v > 0}
    if not shares:
        return ["What holds this face back: no cutting"]
    rows = [
        [name, f"{100 * share:.1f} %"] for name, share in sorted(shares.items(), key=lambda kv: -kv[1])
    ]
    return [
        "What holds this face back (share of cutting distance bound by each speed limit)",
        render_table(["limit", "share"], rows),
    ]


COMMAND = Command("run", "simulate a scenario (replications, KPIs with CIs)", configure, handle)
