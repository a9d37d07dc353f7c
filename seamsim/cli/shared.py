"""``seamsim`` subcommands that live in their own modules, and what they share.

Each module (``run``, ``compare``, ``sweep``, ``decompose``, …) defines ``COMMAND``, a
:class:`seamsim.cli.Command`, and is registered by :mod:`seamsim.cli`. This package keeps
its imports light: the experiment machinery (pandas, simpy, SALib, dask) is imported inside
the handlers, so ``seamsim --help`` stays fast.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import functools
import json
import math
import os
import stat
import sys
import warnings
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

from seamsim.experiment.kinds import EXECUTORS
from seamsim.experiment.kpis import kpi_of

PROGRESS_MIN_RUNS = 10
"""Show a progress bar (stderr) when more runs than this are to be done."""

KPI_FOOTNOTES: dict[str, str] = {
    "min_clearance_mm": (
        "min_clearance_mm is the least spare clearance met anywhere in the run (the worst spot: a "
        "thin patch, roof convergence); `seamsim inspect` shows the nominal spare clearance"
    ),
}
"""Lines printed under a KPI table that shows these KPIs."""


# --------------------------------------------------------------------------------------
# Arguments
# --------------------------------------------------------------------------------------
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


class UsageError(Exception):
    """Bad command-line input found by a handler (exit status 2)."""


# --------------------------------------------------------------------------------------
# --out
# --------------------------------------------------------------------------------------
_MANIFEST = "manifest.json"
_RUNS = "runs"
_DISK_ERRORS = frozenset(
    e for e in (errno.ENOSPC, getattr(errno, "EDQUOT", None), errno.EROFS, errno.EFBIG) if e
)


def check_out_dir(out: str, *, resume: bool = False) -> None:
    """Refuse an ``--out`` that cannot hold an experiment, before anything runs.

    Parameters
    ----------
    out : str
        The ``--out`` directory (created later if missing).
    resume : bool, optional
        Whether ``--resume`` was given (then its ``manifest.json`` must be a JSON object).

    Raises
    ------
    UsageError
        ``out`` (or a folder above it) is a file, cannot be written to, or holds a
        ``runs`` or ``manifest.json`` that is not what an experiment writes.
    """
    problem = _out_dir_problem(out) or _out_contents_problem(out, resume=resume)
    if problem:
        raise UsageError(f"--out {_shown_path(out)}: {problem}")


def _shown_path(path: str) -> str:
    """Return a path for a message: clipped to 100 characters, one printable line."""
    from seamsim.scenario.terminal_text import _clip_middle, _printable

    return _printable(_clip_middle(str(path), 100))


def _out_dir_problem(out: str) -> str | None:
    """Return why ``out`` cannot be (or become) a writable directory, or ``None``."""
    if "\0" in out:
        return "not a usable directory name (it contains a NUL character)"
    try:
        if os.path.lexists(out):
            if not os.path.isdir(out):
                return "is a file, not a directory"
            if not os.access(out, os.W_OK | os.X_OK):
                return "the directory is not writable"
            return None
        parent = os.path.dirname(os.path.abspath(out))
        while not os.path.lexists(parent):
            parent = os.path.dirname(parent)
        if not os.path.isdir(parent):
            return f"cannot be created: {_shown_path(parent)} is a file, not a directory"
        if not os.access(parent, os.W_OK | os.X_OK):
            return f"cannot be created: {_shown_path(parent)} is not writable"
    except (OSError, ValueError) as exc:
        return f"not a usable directory name ({_reason(exc)})"
    return None


def _out_contents_problem(out: str, *, resume: bool) -> str | None:
    """Return why what ``out`` already holds is not an experiment's, or ``None``."""
    runs = os.path.join(out, _RUNS)
    if os.path.lexists(runs) and not os.path.isdir(runs):
        return f"{_RUNS} is a file, not the directory of runs"
    manifest = os.path.join(out, _MANIFEST)
    if not resume or not os.path.lexists(manifest):
        return None
    try:
        info = os.stat(manifest)
        if not stat.S_ISREG(info.st_mode):
            return f"{_MANIFEST} is not a regular file"
        if info.st_size > 50_000_000:
            return f"{_MANIFEST} is too large to be a manifest"
        with open(manifest, encoding="utf-8") as handle:
            data = json.load(handle)
    except OSError as exc:
        return f"cannot read {_MANIFEST}: {_reason(exc)}"
    except ValueError as exc:  # JSONDecodeError, UnicodeDecodeError
        return f"{_MANIFEST} is not valid JSON ({_reason(exc)}); not a seamsim experiment"
    if not isinstance(data, dict):
        kind = {list: "a JSON list", str: "a JSON string"}.get(type(data), "not a JSON object")
        return f"{_MANIFEST} holds {kind}, not a seamsim manifest (a JSON object)"
    return None


def _reason(exc: BaseException) -> str:
    """Return the short reason of an error (``strerror`` for an :class:`OSError`)."""
    from seamsim.scenario.terminal_text import _clip, _printable

    text = getattr(exc, "strerror", None) or " ".join(str(exc).split()) or type(exc).__name__
    return _printable(_clip(text, 100))


def out_error_message(error: OSError, out: str | None) -> str | None:
    """Return the message for an :class:`OSError` met while writing ``--out``, or ``None``
    when the error is not about ``--out`` (a file in it, or a full or read-only disk)."""
    if not out:
        return None
    names = [n for n in (error.filename, getattr(error, "filename2", None)) if n is not None]
    root = os.path.abspath(out)
    inside = any(_is_inside(os.fsdecode(n) if isinstance(n, bytes) else str(n), root) for n in names)
    disk = error.errno in _DISK_ERRORS or "No space left" in str(error)
    if not inside and not (disk and not names):
        return None
    where = f" {_shown_path(names[0])}" if names else ""
    return f"--out {_shown_path(out)}: cannot write{where}: {_reason(error)}"


def _is_inside(name: str, root: str) -> bool:
    try:
        path = os.path.abspath(name)
    except ValueError:
        return False
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def guarded(handler: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """Wrap a handler so that input errors of the experiment layer exit 2 with one line.

    :class:`UsageError`, :class:`~seamsim.experiment.store.StoreError` (an occupied or
    mismatched ``--out``), ``ValueError`` (bad design sizes, seeds…) and an
    :class:`OSError` while writing ``--out`` (a full or read-only disk, see
    :func:`out_error_message`) print ``seamsim: message`` on stderr.
    :class:`~seamsim.scenario.ScenarioError` passes through to :func:`seamsim.cli.main`,
    which prints it and exits 2. ``SEAMSIM_DEBUG=1`` re-raises instead.
    """

    @functools.wraps(handler)
    def wrapper(args: argparse.Namespace) -> int:
        from seamsim.experiment.store_errors import StoreError

        try:
            return handler(args)
        except (UsageError, StoreError, ValueError) as error:
            if os.environ.get("SEAMSIM_DEBUG"):
                raise
            return _bad_input(args, str(error))
        except OSError as error:
            message = out_error_message(error, getattr(args, "out", None))
            if message is None or os.environ.get("SEAMSIM_DEBUG"):
                raise
            return _bad_input(args, message)

    return wrapper


def _bad_input(args: argparse.Namespace, message: str) -> int:
    """Print ``seamsim COMMAND: message`` (one printable line) on stderr and return 2."""
    from seamsim.scenario.terminal_text import _printable

    line = f"seamsim {getattr(args, 'command', '')}: {message}".replace(" :", ":")
    print("\n".join(_printable(part) for part in line.split("\n")), file=sys.stderr)
    return 2


@contextlib.contextmanager
def warnings_to_stderr() -> Iterator[None]:
    """Print warnings (e.g. a Sobol N that is not a power of two) as ``warning: …`` lines."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield
    seen = set()
    for item in caught:
        text = str(item.message)
        if text not in seen and not issubclass(item.category, DeprecationWarning | FutureWarning):
            seen.add(text)
            print(f"warning: {text}", file=sys.stderr)


# --------------------------------------------------------------------------------------
# Numbers and tables
# --------------------------------------------------------------------------------------
def fmt(value: Any, *, signed: bool = False) -> str:
    """Format a KPI value with precision that suits its size; ``—`` for missing."""
    try:
        x = float(value)
    except (TypeError, ValueError):
        return "—"
    if math.isnan(x):
        return "—"
    if math.isinf(x):
        return "∞" if x > 0 else "-∞"
    sign = "+" if signed else ""
    magnitude = abs(x)
    if magnitude >= 1000:
        spec = ",.0f"
    elif magnitude >= 100:
        spec = ".1f"
    elif magnitude >= 1 or x == 0:
        spec = ".2f"
    else:
        spec = ".3f"
    return format(x, sign + spec)


def fmt_ci(lo: Any, hi: Any, *, signed: bool = False) -> str:
    """Format an interval as ``[lo … hi]`` (``—`` when undefined, e.g. one replication)."""
    if fmt(lo) == "—" or fmt(hi) == "—":
        return "—"
    return f"[{fmt(lo, signed=signed)} … {fmt(hi, signed=signed)}]"


def render_table(header: Sequence[str], rows: Sequence[Sequence[str]], right: Sequence[bool] | None = None) -> str:
    """Return a plain-text table with aligned columns (two spaces between)."""
    cells = [list(map(str, header)), *[list(map(str, r)) for r in rows]]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    right = list(right) if right is not None else [False] + [True] * (len(header) - 1)
    lines = []
    for row in cells:
        parts = [c.rjust(w) if r else c.ljust(w) for c, w, r in zip(row, widths, right, strict=True)]
        lines.append("  ".join(parts).rstrip())
    return "\n".join(lines)


def kpi_label(kpi: str) -> str:
    """Return ``kpi [unit, note]`` for a table, from the KPI table (raw column units)."""
    entry = kpi_of(kpi)
    parts = [u for u in (entry.column_unit, entry.note) if u]
    return f"{kpi} [{', '.join(parts)}]" if parts else kpi


def kpi_footnotes(kpis: Sequence[str]) -> list[str]:
    """Return the notes (:data:`KPI_FOOTNOTES`) of the KPIs shown in a table."""
    return [KPI_FOOTNOTES[k] for k in kpis if k in KPI_FOOTNOTES]


# --------------------------------------------------------------------------------------
# One scenario's results (text and JSON)
# --------------------------------------------------------------------------------------
def _split(values: Sequence[str]) -> list[str]:
    seen: dict[str, None] = {}
    for value in values:
        for item in str(value).split("\n"):
            if item:
                seen[item] = None
    return list(seen)


def scenario_outcome(runs: Any) -> dict[str, Any]:
    """Return ``status``, ``reasons``, ``warnings``, ``errors`` of one scenario's runs.

    ``status`` is ``error`` if any run failed, else ``infeasible`` if any run was, else ``ok``.
    """
    statuses = set(runs["status"])
    status = "error" if "error" in statuses else "infeasible" if "infeasible" in statuses else "ok"
    if not len(runs):
        status = "cancelled"
    return {
        "status": status,
        "reasons": _split(runs["reasons"]),
        "warnings": _split(runs["warnings"]),
        "errors": _split(runs["error"]),
        "runs": int(len(runs)),
        "failed_runs": int((runs["status"] == "error").sum()),
    }


def kpi_estimates(summary: Any, scenario: str, point: int = 0, kpis: Sequence[str] | None = None) -> dict[str, dict]:
    """Return ``{kpi: {"mean", "ci95": [lo, hi], "sd", "half_width", "n"}}`` from a summary."""
    sub = summary[(summary["scenario"] == scenario) & (summary["point"] == point)].set_index("kpi")
    names = list(kpis) if kpis is not None else list(sub.index)
    out = {}
    for kpi in names:
        if kpi not in sub.index:
            continue
        row = sub.loc[kpi]
        out[kpi] = {
            "mean": float(row["mean"]),
            "ci95": [float(row["ci95_lo"]), float(row["ci95_hi"])],
            "sd": float(row["sd"]),
            "half_width": float(row["half_width"]),
            "n": int(row["n"]),
        }
    return out


def _respecting_quantity(entry: dict[str, Any], values: Any) -> dict[str, Any]:
    """Return a KPI's entry with the interval its quantity allows (:func:`seamsim.experiment.quantity_intervals.interval`).

    Tonnes, counts and shares cannot be negative: their interval is a percentile bootstrap
    that stays within the values' range; below five replications there is none (``NaN``,
    ``interval`` ``"too few"``); a spare clearance keeps Student's t.
    """
    from seamsim.experiment.quantity_intervals import interval, quantity_kind

    found = interval(values.to_numpy(dtype=float), quantity_kind(str(values.name)))
    half = (found.hi - found.lo) / 2.0 if math.isfinite(found.lo) and math.isfinite(found.hi) else math.nan
    return {**entry, "ci95": [found.lo, found.hi], "half_width": half, "interval": found.method}


def run_entry(experiment: Any, name: str, kpis: Sequence[str] | None = None) -> dict[str, Any]:
    """Return the JSON entry of one scenario of an experiment (``seamsim run --json``)."""
    from seamsim.experiment.runner import MAIN_KPIS

    runs = experiment.runs[experiment.runs["scenario"] == name]
    outcome = scenario_outcome(runs)
    summary = experiment.summary
    means = kpi_estimates(summary, name)
    scenario = experiment.scenarios[name]
    return {
        "scenario": name,
        "title": scenario.title,
        "replications": len(experiment.replications),
        "seed": experiment.seed,
        "days": experiment.days if experiment.days is not None else scenario.run.days,
        "status": outcome["status"],
        "reasons": outcome["reasons"],
        "warnings": outcome["warnings"],
        "errors": outcome["errors"],
        "failed_runs": outcome["failed_runs"],
        "kpis": {k: _respecting_quantity(means[k], runs[k]) for k in (kpis or MAIN_KPIS) if k in means},
        "time_in_state_h": {
            k.removeprefix("time_").removesuffix("_h"): v["mean"]
            for k, v in means.items()
            if k.startswith("time_") and k.endswith("_h")
        },
        "limit_share": {
            k.removeprefix("limit_share_"): v["mean"] for k, v in means.items() if k.startswith("limit_share_")
        },
    }


def notes_lines(entry: Mapping[str, Any]) -> list[str]:
    """Return the reasons, errors and warnings of a run entry as text lines."""
    lines: list[str] = []
    for heading, key in (("Why it cannot work", "reasons"), ("Failed runs", "errors"), ("Warnings", "warnings")):
        items = list(entry.get(key) or [])
        if items:
            if key == "errors":
                heading += f" ({entry.get('failed_runs', len(items))} of them)"
            lines += ["", heading, *[f"  - {item}" for item in items]]
    return lines


def provenance_json(experiment: Any) -> dict[str, Any] | None:
    """Return the provenance record of an experiment for ``--json``: the manifest's
    ``provenance`` with its ``environment`` (see :mod:`seamsim.experiment.provenance`)."""
    if experiment is None:
        return None
    manifest = experiment.manifest
    record = manifest.get("provenance")
    return None if record is None else {**record, "environment": manifest.get("environment")}


def exit_status(statuses: Sequence[str]) -> int:
    """0 when every status is ``ok``, else 1 (infeasible or failed)."""
    return 0 if all(s == "ok" for s in statuses) else 1
