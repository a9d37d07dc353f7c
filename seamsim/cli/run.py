"""``seamsim run FILE``: replications of one scenario, KPIs with 95 % confidence intervals.

Prints the KPI table (mean and 95 % CI), the time breakdown (mean hours per state), what
holds the face back (mean share of cutting distance bound by each speed limit), and the
status with reasons and warnings. ``--json`` prints one JSON object instead. ``--out DIR``
also writes the runs (Parquet), ``manifest.json``, the event log of replication 0
(``events.csv``) and the resolved scenario (``scenario.yaml``).

``--out DIR`` is written by one process at a time: a second ``seamsim run``/``sweep`` on the
same DIR (a ``--resume`` of a running one too) is refused (exit 2). SIGINT, SIGTERM and
SIGHUP stop the runs cleanly: the workers are stopped, the finished runs are kept in DIR
and ``--resume`` completes them (exit 128 + the signal's number).

Exit status: 0 ok, 1 infeasible, a run failed or runs were lost to dead workers, 2 bad input
(also more runs than ``--max-runs``, or a DIR in use), 130/143/129 stopped by SIGINT/SIGTERM/SIGHUP.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
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
from seamsim.cli.run_entries import exit_status, notes_lines, provenance_json, run_entry
from seamsim.cli.tables import fmt, fmt_ci, kpi_footnotes, kpi_label, render_table

MAX_RUNS = 1_000_000
"""Default of ``--max-runs`` (the runner's own limit)."""


def configure(parser: argparse.ArgumentParser) -> None:
    """Add the arguments of ``seamsim run``."""
    parser.add_argument("file", metavar="FILE", nargs="?", default=None,
                        help="scenario YAML file (or a bundled scenario's name)")
    parser.add_argument(
        "--replay", metavar="ROW", default=None,
        help="simulate a stored run again and check it gives the same bits: DIR#K (row K of the "
             "experiment in DIR, the order of `seamsim export`) or DIR#SCENARIO/POINT/REPLICATION",
    )
    add_set_argument(parser)
    add_replication_arguments(parser)
    add_executor_arguments(parser)
    add_out_arguments(parser)
    add_max_runs_argument(parser)
    add_target_arguments(parser)
    add_json_argument(parser)


def add_max_runs_argument(parser: argparse.ArgumentParser) -> None:
    """Add ``--max-runs`` (refuse larger experiments before anything is built)."""
    parser.add_argument(
        "--max-runs", type=int, default=MAX_RUNS, metavar="N",
        help=f"refuse more runs than N (points × replications; default {MAX_RUNS:,})",
    )


def check_run_count(runs: int, max_runs: int, what: str) -> None:
    """Raise :class:`UsageError` (exit 2) when ``runs`` is more than ``--max-runs``.

    Parameters
    ----------
    runs : int
        Runs asked for, counted from the arguments (nothing built yet).
    max_runs : int
        The ``--max-runs`` limit.
    what : str
        How the count came about, e.g. ``"100,000,000 point(s) × 1 replication(s)"``.
    """
    if runs > max_runs:
        raise UsageError(
            f"{what} = {runs:,} runs, more than --max-runs {max_runs:,}; ask for fewer "
            "(or raise --max-runs if you mean it: each run takes about a kilobyte with --out)"
        )


def stopped(args: argparse.Namespace, stop: BaseException) -> int:
    """Say what a stop by a signal kept (one line on stderr); return 128 + the signal's number."""
    kept = (f"the finished runs are in {args.out}; complete them with the same command and --resume"
            if getattr(args, "out", None) else "nothing was kept (give --out DIR to keep runs as they finish)")
    print(f"seamsim {args.command}: stopped by {stop}; {kept}", file=sys.stderr)
    return 128 + int(getattr(stop, "signum", 2))


def lost_runs_note(experiment: Any, args: argparse.Namespace) -> str | None:
    """Return one line about runs lost to dead workers after every retry, or ``None``."""
    from seamsim.experiment.task_driver import MAX_ATTEMPTS

    lost = experiment.manifest.get("lost")
    if not lost:
        return None
    again = "--resume runs them" if getattr(args, "out", None) else "run again"
    return (f"seamsim {args.command}: {lost['runs']} run(s) lost to workers that died "
            f"({'; '.join(lost['errors'])}) after {MAX_ATTEMPTS} attempts; they are not stored — {again}")


@guarded
def handle(args: argparse.Namespace) -> int:
    """Run the replications and print the results (or replay a stored run)."""
    if args.replay is not None:
        return replay(args)
    if args.file is None:
        raise UsageError("give a scenario FILE (or --replay DIR#ROW to re-run a stored run)")
    target = target_options(args)
    reps = target["max_replications"] if target else args.replications
    check_run_count(reps, args.max_runs, f"{reps:,} replication(s)")
    scenario = load_for_command(args.file, args.overrides)
    from seamsim.experiment.runner import Interrupted, check_kpi, run_experiment

    precise = None
    try:
        if target:
            from seamsim.experiment.sequential import run_until_precise

            check_kpi(args.kpi)
            options = runner_options(args, target["max_replications"])
            precise = run_until_precise(scenario, seed=args.seed, **target, **options)
            experiment = precise.experiment
        else:
            options = runner_options(args, args.replications)
            experiment = run_experiment(scenario, args.replications, args.seed, max_runs=args.max_runs, **options)
    except Interrupted as stop:
        return stopped(args, stop)
    entry = run_entry(experiment, scenario.name)
    if precise is not None:
        entry["sequential"] = precise.as_dict()
    if args.out:
        write_extras(experiment, Path(args.out))
    if args.json:
        print_json({**entry, "provenance": provenance_json(experiment)})
    else:
        print(render_run(entry, experiment))
    if precise is not None and not args.json:
        print("\n".join(["", *sequential_lines(precise)]))
    elif precise is not None:
        for warning in precise.warnings:
            print(f"warning: {warning}", file=sys.stderr)
    note = lost_runs_note(experiment, args)
    if note:
        print(note, file=sys.stderr)
        return 1
    return exit_status([entry["status"]])


def replay(args: argparse.Namespace) -> int:
    """``--replay ROW``: simulate a stored run again; exit 0 when it reproduces the row exactly, 1 if not."""
    if args.file is not None or args.overrides:
        raise UsageError("--replay re-runs a stored run as it was: give no FILE and no --set")
    from seamsim.experiment.replay import replay_run, replay_table
    from seamsim.experiment.runner import MAIN_KPIS

    again = replay_run(args.replay)
    stored = again.stored
    result = again.result
    where = f"{stored['scenario']}/{stored['point']}/{stored['replication']}"
    if args.json:
        print_json({
            "replay": args.replay, "run": where, "identical": again.identical,
            "seed_entropy": result.seed_entropy, "spawn_key": list(result.spawn_key),
            "scenario_sha256": result.scenario_sha256, "seamsim_version": result.seamsim_version,
            "differences": {k: list(v) for k, v in again.differences.items()},
            "kpis": dict(result.summary),
        })
    else:
        table = replay_table(again, [k for k in MAIN_KPIS if k in result.summary])
        rows = [[kpi_label(r.kpi), fmt(r.stored), fmt(r.now), "yes" if r.same else "NO"] for r in table.itertuples()]
        verdict = "identical to the stored run, bit for bit" if again.identical else \
            f"DIFFERS from the stored run in {len(again.differences)} value(s): {', '.join(again.differences)}"
        print("\n".join([
            f"replay of {where} (SeedSequence entropy {result.seed_entropy}, spawn key {list(result.spawn_key)}, "
            f"scenario {result.scenario_sha256[:12]}…, seamsim {result.seamsim_version})",
            "", render_table(["KPI", "stored", "now", "same"], rows), "", verdict,
        ]))
    return 0 if again.identical else 1


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
    lines += [f"note: {n}" for n in kpi_footnotes(list(entry["kpis"]))]
    if any(v.get("interval") == "too few" for v in entry["kpis"].values()):
        lines.append("note: no interval below 5 replications (—); tonnes, counts and shares get a bootstrap "
                     "interval that cannot go below zero")
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
