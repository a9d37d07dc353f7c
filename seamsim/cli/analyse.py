"""``seamsim analyse DIR``: the sensitivity indices of a stored Sobol or Morris sweep.

Reads the sweep stored by ``seamsim sweep … --design sobol|morris --out DIR`` (nothing runs
again), computes the indices of ``--kpi`` (repeatable) with 95 % intervals from a bootstrap
over the base samples and the replications, and a convergence table over the first
``N/8, N/4, N/2, N`` base samples, and writes into DIR ``indices.csv``, ``indices.json``,
``convergence.csv``, ``indices.png`` and ``indices.svg`` (see
:mod:`seamsim.experiment.sensitivity_report`). The bootstrap seed defaults to the sweep's
``--seed``, so the numbers equal those ``sweep`` printed. ``--json`` prints
``{"directory", "design", "indices", "convergence", "files", "provenance"}``.

Exit status: 0 done, 2 bad input (not an experiment's directory, not a Sobol or Morris
design, an unknown KPI, or a point with no value — an interrupted sweep: ``--resume`` it).
"""

from __future__ import annotations

import argparse
from typing import Any

from seamsim.cli.base import Command, add_json_argument, print_json
from seamsim.cli.guard import guarded, warnings_to_stderr
from seamsim.cli.sweep import render_sensitivity
from seamsim.cli.tables import fmt, fmt_ci, render_table


def configure(parser: argparse.ArgumentParser) -> None:
    """Add the arguments of ``seamsim analyse``."""
    parser.add_argument("directory", metavar="DIR", help="the --out directory of a sobol or morris sweep")
    parser.add_argument(
        "--kpi", action="append", default=None, metavar="KPI",
        help="KPI to analyse (repeatable; default rom_t_per_month)",
    )
    parser.add_argument("--resamples", type=int, default=1000, metavar="B",
                        help="bootstrap resamples of the intervals (default 1000)")
    parser.add_argument("--seed", type=int, default=None, metavar="S",
                        help="bootstrap seed (default: the sweep's seed)")
    parser.add_argument("--no-files", action="store_true", help="print only; write nothing into DIR")
    add_json_argument(parser)


@guarded
def handle(args: argparse.Namespace) -> int:
    """Analyse the stored sweep, write the files, print the indices."""
    from seamsim.experiment.provenance import provenance
    from seamsim.experiment.runner import check_kpi
    from seamsim.experiment.sensitivity_report import analyse

    kpis = [check_kpi(k) for k in (args.kpi or ["rom_t_per_month"])]
    if args.resamples < 2:
        raise ValueError(f"--resamples must be at least 2, not {args.resamples}")
    with warnings_to_stderr():
        report = analyse(args.directory, kpis, num_resamples=args.resamples, seed=args.seed,
                         write=not args.no_files)
    if args.json:
        print_json({
            "directory": str(args.directory),
            "design": report.design,
            "indices": report.indices.to_dict(orient="records"),
            "convergence": report.convergence.to_dict(orient="records"),
            "files": {name: str(path) for name, path in report.files.items()},
            "provenance": provenance(),
        })
    else:
        print(render_analysis(report, args))
    return 0


def render_analysis(report: Any, args: argparse.Namespace) -> str:
    """Return the indices, the convergence of the main index and the files written, as text."""
    lines: list[str] = []
    tracked = "ST" if report.design == "sobol" else "mu_star"
    label = "ST" if report.design == "sobol" else "mu*"
    for (scenario, kpi), table in report.indices.groupby(["scenario", "kpi"], sort=False):
        lines += [f"{scenario}", *render_sensitivity(table, report.design, kpi), ""]
        conv = report.convergence[(report.convergence["scenario"] == scenario) & (report.convergence["kpi"] == kpi)]
        conv = conv[conv[tracked].notna()]
        sizes = sorted(conv["base_samples"].unique())
        rows = []
        for name, series in conv.groupby("field", sort=False):
            by_n = series.set_index("base_samples")
            rows.append([name, *[f"{fmt(by_n.loc[n, tracked])} {fmt_ci(by_n.loc[n, f'{tracked}_ci95_lo'], by_n.loc[n, f'{tracked}_ci95_hi'])}"
                                 for n in sizes]])
        what = "base samples N" if report.design == "sobol" else "trajectories r"
        lines += [f"Convergence of {label} over the first {', '.join(str(n) for n in sizes)} {what}",
                  render_table(["field", *[f"{what.split()[-1]} = {n}" for n in sizes]], rows), ""]
    if report.files:
        lines.append(f"Written to {args.directory}: {', '.join(report.files)}")
    return "\n".join(lines).rstrip()


COMMAND = Command("analyse", "sensitivity indices of a stored Sobol or Morris sweep", configure, handle)
