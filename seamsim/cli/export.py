"""``seamsim export DIR --csv FILE | --parquet FILE``: a stored experiment as one tidy table.

One row per run: ``scenario``, ``point``, the point's values (one column per varied field),
``replication``, ``seed`` (the experiment's ``SeedSequence`` entropy; the run's spawn key is
``(replication,)``), ``status``, ``error``, ``reasons``, ``warnings``, every KPI and
``traceback`` — the ``runs`` table of :func:`seamsim.experiment.load_experiment`, read through
the store's reader (a run stored twice is exported once). ``read_export`` in
:mod:`seamsim.experiment.stored` reads the file back into that table.

Exit status: 0 written, 2 bad input (not an experiment's directory, a damaged one, or a file
that cannot be written).
"""

from __future__ import annotations

import argparse

from seamsim.cli.base import Command
from seamsim.cli.guard import UsageError, guarded


def configure(parser: argparse.ArgumentParser) -> None:
    """Add the arguments of ``seamsim export``."""
    parser.add_argument("directory", metavar="DIR", help="the --out directory of an experiment")
    target = parser.add_mutually_exclusive_group(required=True)
    target.add_argument("--csv", metavar="FILE", help="write a CSV file")
    target.add_argument("--parquet", metavar="FILE", help="write a Parquet file")


@guarded
def handle(args: argparse.Namespace) -> int:
    """Write the runs of the stored experiment to one file."""
    import os

    from seamsim.experiment.stored import export_runs, load_experiment

    path, fmt = (args.csv, "csv") if args.csv else (args.parquet, "parquet")
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise UsageError(f"--{fmt} {path}: the folder {folder} does not exist")
    if os.path.isdir(path):
        raise UsageError(f"--{fmt} {path}: is a directory, not a file")
    experiment = load_experiment(args.directory)
    try:
        written = export_runs(experiment, path, fmt)
    except OSError as error:
        raise UsageError(f"--{fmt} {path}: cannot write: {error.strerror or error}") from None
    runs = len(experiment.runs)
    status = experiment.manifest.get("status")
    note = "" if status == "complete" else f" (the experiment is {status}: --resume completes it)"
    print(f"{runs:,} run(s) × {experiment.runs.shape[1]} column(s) written to {written}{note}")
    return 0


COMMAND = Command("export", "write a stored experiment's runs to one CSV or Parquet file", configure, handle)
