"""``--target-rel``: replications added in batches until a KPI is as precise as asked.

Shared by ``seamsim run`` and ``seamsim compare`` (not a subcommand). The rule is that of
:mod:`seamsim.experiment.sequential`: the t-based and the percentile-bootstrap 95 %
half-widths within ``target · |mean|`` (for ``compare``: the paired difference, relative
to the baseline's mean), at least ``--min-replications``, and ``n ≥ 25·g1²`` for a skewed
KPI; a strongly skewed KPI (``|g1| > 1``) is said so.
"""

from __future__ import annotations

import argparse
import math
from typing import Any

from seamsim.cli.arguments import _positive_int
from seamsim.cli.guard import UsageError
from seamsim.cli.tables import fmt

DEFAULT_MAX_REPLICATIONS = 1000
"""Default of ``--max-replications``."""


def _target_rel(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number between 0 and 1 (0.02 is ±2 %), got {text!r}") from None
    if not (math.isfinite(value) and 0.0 < value < 1.0):
        raise argparse.ArgumentTypeError(f"must be between 0 and 1, exclusive (0.02 is ±2 %), got {text}")
    return value


def add_target_arguments(parser: argparse.ArgumentParser, *, kpi: bool = True) -> None:
    """Add ``--target-rel``, ``--kpi`` (when asked), ``--min-replications`` and ``--max-replications``."""
    parser.add_argument(
        "--target-rel", type=_target_rel, default=None, metavar="R",
        help="add replications in batches until the 95 %% CI half-width of --kpi is within R of its mean "
        "(0.02: ±2 %%; compare: of the paired difference, relative to the baseline's mean); -n is then ignored",
    )
    if kpi:
        parser.add_argument(
            "--kpi", default="rom_t_per_month", help="KPI of --target-rel (default rom_t_per_month)"
        )
    parser.add_argument(
        "--min-replications", type=_positive_int, default=None, metavar="N",
        help="--target-rel: the first batch, and the fewest replications it stops at (default 10)",
    )
    parser.add_argument(
        "--max-replications", type=_positive_int, default=None, metavar="N",
        help=f"--target-rel: stop here even if the target is not met (default {DEFAULT_MAX_REPLICATIONS})",
    )


def target_options(args: argparse.Namespace) -> dict[str, Any] | None:
    """Return the keyword arguments of ``run_until_precise`` from the options, or ``None`` without
    ``--target-rel``; raise :class:`UsageError` for options that do not fit together."""
    from seamsim.experiment.sequential import MIN_REPLICATIONS

    if args.target_rel is None:
        given = [o for o, v in (("--min-replications", args.min_replications),
                                ("--max-replications", args.max_replications)) if v is not None]
        if given:
            raise UsageError(f"{' and '.join(given)} {'go' if len(given) > 1 else 'goes'} with --target-rel")
        return None
    if getattr(args, "out", None) or getattr(args, "resume", False):
        raise UsageError(
            "--target-rel finds the replications needed and keeps the runs in memory; store them with "
            "the same command, -n N (the N it found) and --out DIR: the numbers are the same"
        )
    low = args.min_replications or MIN_REPLICATIONS
    high = args.max_replications or DEFAULT_MAX_REPLICATIONS
    if high < max(low, 2):
        raise UsageError(f"--max-replications {high} is below --min-replications {low} (or 2)")
    return {"target_rel": args.target_rel, "kpi": args.kpi, "min_replications": low, "max_replications": high}


def sequential_lines(result: Any) -> list[str]:
    """Return the text block that says how many replications ``--target-rel`` used and why."""
    lines = [
        f"Replications by rule: {result.n} for ±{100 * result.target_rel:g} % on {result.kpi} "
        f"({result.stop_reason}; batches {', '.join(str(n) for n in sorted(set(result.history['n'])))})",
        "  rule: t and percentile-bootstrap 95 % half-widths within the target, n ≥ 10, n ≥ 25·g1² (Cochran)",
    ]
    for c in result.checks:
        rel = f"±{100 * c.relative_half_width:.2f} %" if math.isfinite(c.relative_half_width) else "—"
        skew = f"{c.skewness:+.2f}" if math.isfinite(c.skewness) else "—"
        lines.append(
            f"  {c.measure}: mean {fmt(c.mean)}, half-width t {fmt(c.t_half_width)} / bootstrap "
            f"{fmt(c.bootstrap_half_width)} ({rel}), skewness {skew}"
        )
    lines += [f"  warning: {w}" for w in result.warnings]
    return lines
