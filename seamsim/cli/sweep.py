"""``seamsim sweep FILE --vary key=a,b,c --vary key=lo:hi:n ...``: a scenario over a design.

Designs: ``grid`` (every combination; ``lo:hi:n`` gives ``n`` evenly spaced values), ``lhs``
(Latin hypercube of ``--samples`` points over the ``lo:hi`` ranges), ``sobol`` (Saltelli's
design, ``N·(D+2)`` points for ``--samples N``, ``N·(2D+2)`` with ``--second-order``) and
``morris`` (``r·(D+1)`` points for ``--samples r`` trajectories). Every point is validated
before anything runs: an unknown field or an out-of-bounds value exits 2 with the message
of ``seamsim validate``.

Prints one row per design point (the varied values, status, mean ``rom_t_per_month`` with
its 95 % CI and the mean running ratio) and, for Sobol and Morris, the sensitivity indices
of ``--kpi`` computed on the replication means; with ``--out DIR`` they are also written into
DIR with their convergence table and figure (as ``seamsim analyse DIR`` does). ``--dry-run``
counts the runs and estimates the time from a short pilot, running nothing else.

The size is checked before anything is built: more runs (points × replications, counted from
the ``--vary`` specs) than ``--max-runs`` (a million by default) exit 2. ``--out DIR`` has one
writer at a time (a second sweep on it exits 2); SIGINT, SIGTERM and SIGHUP stop cleanly, the
finished runs kept for ``--resume``.

``--compare B.yaml`` runs B at every point too, with the same seeds (common random numbers),
and adds per point the paired difference B − A of ``--kpi`` with its 95 % CI (the text table,
``"compare"`` in ``--json``, ``paired.csv`` in ``--out DIR``); ``--plot FILE.html`` draws it
(a gain curve over one varied field, a heatmap over two; ``.png``/``.svg`` need kaleido).
Grid and Latin hypercube designs only.

Exit status: 0 done (infeasible points are part of the answer), 1 a run failed or runs were
lost to dead workers, 2 bad input, 128 + the signal when stopped by one.
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
from seamsim.cli.guard import UsageError, guarded, warnings_to_stderr
from seamsim.cli.run import add_max_runs_argument, check_run_count, lost_runs_note, stopped
from seamsim.cli.run_entries import provenance_json
from seamsim.cli.tables import fmt, fmt_ci, kpi_label, render_table
from seamsim.experiment.kinds import SOBOL_DEFAULT_N, SOBOL_MIN_N

MAX_ROWS_SHOWN = 200
"""Points printed in full; larger designs show the first and last 50 (all are in --json/--out)."""


def configure(parser: argparse.ArgumentParser) -> None:
    """Add the arguments of ``seamsim sweep``."""
    parser.add_argument("file", metavar="FILE", help="scenario YAML file")
    parser.add_argument(
        "--vary", action="append", default=[], metavar="KEY=VALUES", required=True,
        help="a field and its values: key=a,b,c or key=lo:hi:n (grid), key=lo:hi (lhs, sobol, morris); repeatable",
    )
    parser.add_argument(
        "--design", choices=("grid", "lhs", "sobol", "morris"), default="grid",
        help="the design (default grid)",
    )
    parser.add_argument(
        "--samples", type=int, default=None, metavar="N",
        help=f"lhs: points (default 10 per field); sobol: base sample N, a power of two (default "
        f"{SOBOL_DEFAULT_N}, a warning below {SOBOL_MIN_N}); morris: trajectories (default 10)",
    )
    parser.add_argument(
        "--dry-run", action="store_true",
        help="print the number of runs and an estimated time from a short pilot (a few runs timed); run nothing else",
    )
    parser.add_argument("--levels", type=int, default=4, help="morris: grid levels (default 4)")
    parser.add_argument(
        "--second-order", action="store_true", help="sobol: also second-order indices (N·(2D+2) points)"
    )
    parser.add_argument(
        "--design-seed", type=int, default=None, metavar="S",
        help="seed of the lhs/sobol/morris sampler (default: --seed)",
    )
    parser.add_argument(
        "--kpi", default="rom_t_per_month", help="KPI of the sensitivity analysis (default rom_t_per_month)"
    )
    parser.add_argument(
        "--compare", default=None, metavar="B.yaml",
        help="also run scenario B at every point (same seeds) and give the paired difference B − A of --kpi",
    )
    parser.add_argument(
        "--plot", default=None, metavar="FILE.html",
        help="--compare: draw the difference (gain curve for one field, heatmap for two); .html, or .png/.svg with kaleido",
    )
    add_set_argument(parser)
    add_replication_arguments(parser, replications=10)
    add_executor_arguments(parser)
    add_out_arguments(parser)
    add_max_runs_argument(parser)
    add_json_argument(parser)


@guarded
def handle(args: argparse.Namespace) -> int:
    """Build the design, validate it, run it and print a row per point."""
    from seamsim.experiment.designs import design_from_spec, design_size, parse_vary
    from seamsim.experiment.runner import Interrupted, check_kpi, run_experiment

    scenario = load_for_command(args.file, args.overrides)
    check_kpi(args.kpi)
    other = check_compare_options(args)
    spec = parse_vary(args.vary)
    if args.plot and len(spec) not in (1, 2):
        raise UsageError(f"--plot draws one or two varied fields, not {len(spec)}; the numbers are in --json/--out")
    points = design_size(args.design, spec, args.samples, second_order=args.second_order)
    check_run_count(points * args.replications, args.max_runs,
                    f"the {args.design} has {points:,} point(s) × {args.replications:,} replication(s)")
    with warnings_to_stderr():
        design = design_from_spec(
            args.design, spec, args.samples,
            args.design_seed if args.design_seed is not None else args.seed,
            levels=args.levels, second_order=args.second_order,
        )
    scenarios = [scenario] if other is None else [scenario, other]
    if args.dry_run:
        return dry_run(args, design, scenarios)
    options = runner_options(args, len(design) * args.replications * len(scenarios))
    try:
        experiment = run_experiment(
            scenarios, args.replications, args.seed, design=design, max_runs=args.max_runs, **options
        )
    except Interrupted as stop:
        return stopped(args, stop)
    table = point_table(experiment, args.kpi)
    sensitivity = None
    if design.kind in ("sobol", "morris") and experiment.complete:
        with warnings_to_stderr():
            sensitivity = sweep_sensitivity(experiment, args)
    failed = int((experiment.runs["status"] == "error").sum())
    paired = None
    if other is not None:
        from seamsim.experiment.compare import paired_differences_over_design

        paired = paired_differences_over_design(experiment, kpi=args.kpi)
        if args.out:
            paired.to_csv(f"{args.out}/paired.csv", index=False)
        if args.plot:
            write_gain_plot(paired, experiment, args)
    if args.json:
        data = sweep_json(experiment, table, sensitivity, args)
        if paired is not None:
            data["compare"] = paired_json(paired, experiment, args.kpi)
        print_json(data)
    else:
        print(render_sweep(experiment, table, sensitivity, args, failed))
        if paired is not None:
            print("\n".join(["", *render_paired(paired, experiment, args.kpi)]))
    note = lost_runs_note(experiment, args)
    if note:
        print(note, file=sys.stderr)
    return 1 if failed or note else 0


def dry_run(args: argparse.Namespace, design: Any, scenarios: list) -> int:
    """Validate every point, time a short pilot and print the run count and estimated time."""
    from seamsim.experiment.design_validation import validate_design
    from seamsim.experiment.pilot import pilot_estimate

    validate_design(design, scenarios)
    days = args.days
    estimate = pilot_estimate(scenarios, design, args.replications, args.seed, days=days,
                              executor=args.executor, workers=args.workers)
    if args.json:
        print_json({"dry_run": True, "design": design.kind, **estimate})
        return 0
    parts = [f"{estimate['points']:,} point(s)", f"{estimate['replications']:,} replication(s)"]
    if estimate["scenarios"] > 1:
        parts.append(f"{estimate['scenarios']} scenarios")
    print(f"{design.kind} over {', '.join(design.fields)}: {' × '.join(parts)} = {estimate['runs']:,} runs")
    print(f"pilot: {estimate['pilot_runs']} run(s) timed here, median {estimate['s_per_run']:.3g} s per run")
    print(f"estimated time: {_duration(estimate['estimated_s'])} on {estimate['workers']} worker(s) "
          f"({_duration(estimate['estimated_serial_s'])} serially), assuming each worker as fast as this process")
    return 0


def _duration(seconds: float) -> str:
    """Return a duration as ``12 s``, ``4.5 min`` or ``3.2 h``."""
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 5400:
        return f"{seconds / 60:.1f} min"
    return f"{seconds / 3600:.1f} h"


def point_table(experiment: Any, kpi: str) -> list[dict[str, Any]]:
    """Return one dict per design point: values, status, mean and CI of the main figures
    (of the first scenario, the sweep's own; ``--compare``'s B is in the paired table)."""
    first = next(iter(experiment.scenarios))
    summary = experiment.summary
    summary = summary[summary["scenario"] == first]
    status = experiment.status_table()
    status = status[status["scenario"] == first].set_index("point")
    rows = []
    for point, values in enumerate(experiment.design.points):
        sub = summary[summary["point"] == point].set_index("kpi")
        counts = status.loc[point] if point in status.index else None
        state = (
            "not run" if counts is None
            else "error" if counts["error"] else "infeasible" if counts["infeasible"] else "ok"
        )
        kpis = {}
        for name in dict.fromkeys(["rom_t_per_month", "running_ratio", kpi]):
            if name in sub.index:
                r = sub.loc[name]
                kpis[name] = {"mean": float(r["mean"]), "ci95": [float(r["ci95_lo"]), float(r["ci95_hi"])],
                              "n": int(r["n"])}
        rows.append({
            "point": point,
            "values": dict(values),
            "status": state,
            "reasons": [] if counts is None else [x for x in str(counts["reasons"]).split("\n") if x],
            "errors": [] if counts is None else [x for x in str(counts["errors"]).split("\n") if x],
            "kpis": kpis,
        })
    return rows


def sweep_json(experiment: Any, table: list[dict], sensitivity: Any, args: argparse.Namespace) -> dict:
    """Return the ``--json`` object of a sweep."""
    design = experiment.design
    return {
        "scenario": next(iter(experiment.scenarios)),
        "design": {"kind": design.kind, "fields": list(design.fields), "points": len(design),
                   "options": {k: v for k, v in design.options.items() if k != "values"}},
        "replications": len(experiment.replications),
        "seed": experiment.seed,
        "complete": experiment.complete,
        "points": table,
        "sensitivity": None if sensitivity is None else sensitivity.to_dict(orient="records"),
        "sensitivity_kpi": args.kpi if sensitivity is not None else None,
        "provenance": provenance_json(experiment),
    }


def render_sweep(experiment: Any, table: list[dict], sensitivity: Any, args: argparse.Namespace,
                 failed: int) -> str:
    """Return the text report of a sweep."""
    design = experiment.design
    name = next(iter(experiment.scenarios))
    lines = [
        f"Sweep of {name}: {design.kind} over {', '.join(design.fields)}",
        f"{len(design)} point(s) × {len(experiment.replications)} replication(s), seed {experiment.seed},"
        " common random numbers across points",
        "",
    ]
    header = ["point", *design.fields, "status", "rom_t_per_month [t]", "95 % CI", "running_ratio"]
    rows = []
    shown = table if len(table) <= MAX_ROWS_SHOWN else table[:50] + [None] + table[-50:]
    for row in shown:
        if row is None:
            rows.append(["…", *[""] * (len(header) - 1)])
            continue
        rom = row["kpis"].get("rom_t_per_month", {})
        ratio = row["kpis"].get("running_ratio", {})
        rows.append([
            str(row["point"]), *[_value(row["values"].get(f)) for f in design.fields], row["status"],
            fmt(rom.get("mean")), fmt_ci(*rom.get("ci95", [None, None])), fmt(ratio.get("mean")),
        ])
    right = [True, *[True] * len(design.fields), False, True, True, True]
    lines.append(render_table(header, rows, right))
    if len(table) > MAX_ROWS_SHOWN:
        lines.append(f"({len(table) - 100} points not shown: see --json or --out)")
    if sensitivity is not None:
        lines += ["", *render_sensitivity(sensitivity, design.kind, args.kpi)]
    elif design.kind in ("sobol", "morris"):
        lines += ["", "Sensitivity: not computed (the experiment was not completed)"]
    notes = sorted({r for row in table for r in row["reasons"]})
    if notes:
        lines += ["", "Infeasible points", *[f"  - {n}" for n in notes]]
    if failed:
        errors = sorted({e for row in table for e in row["errors"]})
        lines += ["", f"Failed runs ({failed})", *[f"  - {e}" for e in errors]]
    return "\n".join(lines)


def _value(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.6g}"
    return str(value)


def sweep_sensitivity(experiment: Any, args: argparse.Namespace) -> Any:
    """Return the indices of ``--kpi``; with ``--out``, also write them beside the runs
    (``seamsim analyse DIR``'s files: indices, convergence table, figure)."""
    if args.out:
        from seamsim.experiment.sensitivity_report import analyse

        report = analyse(args.out, args.kpi, seed=args.seed)
        print(f"sensitivity indices, convergence table and figure written to {args.out}: "
              f"{', '.join(report.files)}", file=sys.stderr)
        return report.indices
    from seamsim.experiment.sensitivity_analysis import sensitivity

    return sensitivity(experiment, args.kpi, seed=args.seed)


def render_sensitivity(frame: Any, kind: str, kpi: str) -> list[str]:
    """Return the sensitivity indices as text lines."""
    if kind == "sobol":
        header = ["field", "S1", "S1 95 % CI", "ST", "ST 95 % CI"]
        rows = []
        for r in frame.to_dict(orient="records"):
            if "S1" in r and r.get("S1") == r.get("S1"):
                rows.append([r["field"], fmt(r["S1"]), fmt_ci(r["S1_ci95_lo"], r["S1_ci95_hi"]),
                             fmt(r["ST"]), fmt_ci(r["ST_ci95_lo"], r["ST_ci95_hi"])])
            elif r.get("S2") == r.get("S2") and "S2" in r:
                rows.append([r["field"], f"S2 {fmt(r['S2'])}", fmt_ci(r["S2_ci95_lo"], r["S2_ci95_hi"]), "", ""])
        title = f"Sobol indices of {kpi} (on replication means; an interval that includes 0 may be 0)"
    else:
        header = ["field", "mu*", "mu* 95 % CI", "mu", "sigma", "sigma 95 % CI"]
        rows = [
            [r["field"], fmt(r["mu_star"]), fmt_ci(r["mu_star_ci95_lo"], r["mu_star_ci95_hi"]), fmt(r["mu"]),
             fmt(r["sigma"]), fmt_ci(r.get("sigma_ci95_lo"), r.get("sigma_ci95_hi"))]
            for r in frame.to_dict(orient="records")
        ]
        title = f"Morris elementary effects of {kpi} (on replication means)"
    return [title, render_table(header, rows)]


def check_compare_options(args: argparse.Namespace) -> Any:
    """Return ``--compare``'s scenario (loaded with the same ``--set``), or ``None``; raise
    :class:`UsageError` for options that do not go together."""
    if args.compare is None:
        if args.plot:
            raise UsageError("--plot draws the paired difference of --compare B.yaml; give --compare")
        return None
    if args.design not in ("grid", "lhs"):
        raise UsageError(f"--compare goes with --design grid or lhs, not {args.design}")
    if args.plot:
        suffix = args.plot.rsplit(".", 1)[-1].lower() if "." in args.plot else ""
        if suffix not in ("html", "png", "svg"):
            raise UsageError(f"--plot {args.plot}: give a file ending in .html (or .png/.svg), not {suffix or 'no suffix'}")
        if suffix != "html":
            try:
                import kaleido  # noqa: F401
            except ImportError:
                raise UsageError(f"--plot {args.plot}: .{suffix} needs the kaleido package; use .html") from None
    return load_for_command(args.compare, args.overrides)


def paired_json(paired: Any, experiment: Any, kpi: str) -> dict[str, Any]:
    """Return ``--json``'s ``"compare"``: the paired difference per point."""
    names = list(experiment.scenarios)
    fields = list(experiment.fields)
    return {
        "baseline": names[0],
        "other": names[1],
        "kpi": kpi,
        "difference": f"{names[1]} − {names[0]}",
        "points": [
            {"point": int(r["point"]), "values": {f: _plain(r[f]) for f in fields}, "n": int(r["n"]),
             "baseline_mean": r["baseline_mean"], "other_mean": r["other_mean"], "mean_diff": r["mean_diff"],
             "ci95": [r["ci95_lo"], r["ci95_hi"]], "relative_diff": r["relative_diff"]}
            for r in paired.to_dict(orient="records")
        ],
    }


def _plain(value: Any) -> Any:
    return value.item() if hasattr(value, "item") else value


def render_paired(paired: Any, experiment: Any, kpi: str) -> list[str]:
    """Return the paired difference per point as text lines."""
    names = list(experiment.scenarios)
    fields = list(experiment.fields)
    header = ["point", *fields, names[0], names[1], f"Δ {kpi_label(kpi)}", "95 % CI"]
    rows = []
    records = paired.to_dict(orient="records")
    shown = records if len(records) <= MAX_ROWS_SHOWN else records[:50] + [None] + records[-50:]
    for r in shown:
        if r is None:
            rows.append(["…", *[""] * (len(header) - 1)])
            continue
        rows.append([str(r["point"]), *[_value(r[f]) for f in fields], fmt(r["baseline_mean"]), fmt(r["other_mean"]),
                     fmt(r["mean_diff"], signed=True), fmt_ci(r["ci95_lo"], r["ci95_hi"], signed=True)])
    title = (f"Paired difference {names[1]} − {names[0]} of {kpi} per point (same seeds at every point;"
             " mean per replication and 95 % CI)")
    return [title, render_table(header, rows, [True] * len(header))]


def write_gain_plot(paired: Any, experiment: Any, args: argparse.Namespace) -> None:
    """Write ``--plot``: the paired difference with its CI over one field, or a heatmap over two."""
    try:
        import plotly.graph_objects as go
    except ImportError:
        raise UsageError("--plot needs plotly (pip install 'seamsim[dashboard]')") from None
    names = list(experiment.scenarios)
    fields = list(experiment.fields)
    title = f"{names[1]} − {names[0]}: paired difference of {args.kpi} (95 % CI)"
    label = f"Δ {kpi_label(args.kpi)}"
    if len(fields) == 1:
        data = paired.sort_values(fields[0])
        x = data[fields[0]]
        fig = go.Figure([
            go.Scatter(x=list(x) + list(x[::-1]), y=list(data["ci95_hi"]) + list(data["ci95_lo"][::-1]),
                       fill="toself", mode="lines", line={"width": 0}, name="95 % CI", hoverinfo="skip",
                       fillcolor="rgba(31,119,180,0.2)"),
            go.Scatter(x=x, y=data["mean_diff"], mode="lines+markers", name="mean difference"),
        ])
        fig.add_hline(y=0, line={"color": "grey", "dash": "dot"})
        fig.update_layout(title=title, xaxis_title=fields[0], yaxis_title=label)
    elif len(fields) == 2:
        grid = paired.pivot_table(index=fields[1], columns=fields[0], values="mean_diff", aggfunc="mean")
        half = paired.pivot_table(index=fields[1], columns=fields[0], values="half_width", aggfunc="mean")
        fig = go.Figure(go.Heatmap(
            z=grid.to_numpy(), x=[str(v) for v in grid.columns], y=[str(v) for v in grid.index],
            colorscale="RdBu", zmid=0, colorbar={"title": label}, customdata=half.to_numpy(),
            hovertemplate=f"{fields[0]}=%{{x}}<br>{fields[1]}=%{{y}}<br>Δ=%{{z:,.4g}} ± %{{customdata:,.3g}}<extra></extra>",
        ))
        fig.update_layout(title=title, xaxis_title=fields[0], yaxis_title=fields[1])
    else:
        raise UsageError(f"--plot draws one or two varied fields, not {len(fields)}; the numbers are in --json/--out")
    if args.plot.lower().endswith(".html"):
        fig.write_html(args.plot, include_plotlyjs=True)
    else:
        fig.write_image(args.plot)


COMMAND = Command("sweep", "vary fields over a design (grid, LHS, Sobol, Morris)", configure, handle)
