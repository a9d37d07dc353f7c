"""The options several subcommands share (replications, executors, ``--out``), their
value types and the runner options they make."""

from __future__ import annotations

import argparse
import math
import sys
from typing import Any

from seamsim.cli.guard import UsageError, check_out_dir
from seamsim.experiment.kinds import EXECUTORS

PROGRESS_MIN_RUNS = 10
"""Show a progress bar (stderr) when more runs than this are to be done."""


def add_replication_arguments(parser: argparse.ArgumentParser, replications: int = 30) -> None:
    """Add ``--replications``, ``--seed`` and ``--days``."""
    parser.add_argument(
        "--replications", "-n", type=_positive_int, default=replications, metavar="N",
        help=f"replications per scenario (default {replications})",
    )
    parser.add_argument(
        "--seed", type=_seed, default=0, metavar="S",
        help="experiment seed; replication i uses SeedSequence(S, spawn_key=(i,)) (default 0)",
    )
    parser.add_argument(
        "--days", type=_positive_float, default=None, metavar="D",
        help="simulated days per replication (default: the scenario's run.days)",
    )


def add_executor_arguments(parser: argparse.ArgumentParser, *, scheduler: bool = True) -> None:
    """Add ``--executor``, ``--workers``, ``--scheduler`` and ``--no-progress``."""
    parser.add_argument(
        "--executor", choices=EXECUTORS, default="processes",
        help="where runs execute (default processes); all give identical numbers",
    )
    parser.add_argument(
        "--workers", type=_positive_int, default=None, metavar="N",
        help="worker processes (default: the CPUs available)",
    )
    if scheduler:
        parser.add_argument(
            "--scheduler", default=None, metavar="ADDR",
            help="Dask scheduler address, e.g. tcp://host:8786 (default: a local cluster)",
        )
    parser.add_argument("--no-progress", action="store_true", help="no progress bar on stderr")


def add_out_arguments(parser: argparse.ArgumentParser) -> None:
    """Add ``--out`` and ``--resume``."""
    parser.add_argument(
        "--out", default=None, metavar="DIR",
        help="write runs (Parquet parts) and manifest.json to DIR as they finish",
    )
    parser.add_argument(
        "--resume", action="store_true",
        help="complete an interrupted experiment in --out DIR (nothing lost or run twice)",
    )


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def _seed(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a non-negative whole number, got {text!r}") from None
    if not 0 <= value < 2**63:
        raise argparse.ArgumentTypeError(f"must be between 0 and 2**63 - 1, got {value}")
    return value


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
    if not (math.isfinite(value) and value > 0):
        raise argparse.ArgumentTypeError(f"must be a positive number, got {text}")
    return value


def want_progress(args: argparse.Namespace, runs: int) -> bool:
    """Whether to show a progress bar: more than a handful of runs, never with
    ``--no-progress``, and with ``--json`` only when stderr is a terminal."""
    if getattr(args, "no_progress", False) or runs <= PROGRESS_MIN_RUNS:
        return False
    if getattr(args, "json", False):
        return sys.stderr.isatty()
    return True


def runner_options(args: argparse.Namespace, runs: int) -> dict[str, Any]:
    """Return the keyword arguments of ``run_experiment`` given by the common options."""
    if getattr(args, "resume", False) and not getattr(args, "out", None):
        raise UsageError("--resume needs --out DIR (the directory of the interrupted experiment)")
    if getattr(args, "out", None):
        check_out_dir(args.out, resume=getattr(args, "resume", False))
    return {
        "days": args.days,
        "executor": args.executor,
        "workers": args.workers,
        "scheduler": getattr(args, "scheduler", None),
        "out": getattr(args, "out", None),
        "resume": getattr(args, "resume", False),
        "progress": want_progress(args, runs),
    }

