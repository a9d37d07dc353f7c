"""``seamsim report A.yaml B.yaml … -o report.html``: a comparison a trainer can hand out.

Runs the scenarios with common random numbers, splits the gain from the first to each other
one factor at a time (``--order-free`` adds the Shapley split), and writes one
self-contained HTML file (:mod:`seamsim.report.document`): the question, the answer in
brief, the KPI table with paired CIs, the waterfall, the time breakdown, what holds each
face back, the model's assumptions and the scenarios (YAML embedded and downloadable).

Exit status: 0 written (even when a scenario is infeasible: the report says so), 2 bad
input (a scenario, an option, an output that cannot be written).
"""

from __future__ import annotations

import argparse
import os
import sys

from seamsim.cli.arguments import add_executor_arguments, add_replication_arguments, runner_options
from seamsim.cli.base import Command, add_set_argument, load_for_command
from seamsim.cli.guard import UsageError, guarded


def add_output_argument(parser: argparse.ArgumentParser, default: str) -> None:
    """Add ``-o/--output FILE`` (an HTML file)."""
    parser.add_argument("-o", "--output", default=default, metavar="FILE",
                        help=f"the HTML file to write (default {default})")


def check_output(path: str) -> None:
    """Refuse an output file that cannot be written, before anything runs.

    Raises
    ------
    UsageError
        ``path`` is a directory, or its folder does not exist or cannot be written to.
    """
    folder = os.path.dirname(os.path.abspath(path)) or "."
    if os.path.isdir(path):
        raise UsageError(f"--output {path}: is a directory; give a file name such as report.html")
    if not os.path.isdir(folder):
        raise UsageError(f"--output {path}: the folder {folder} does not exist")
    if not os.access(folder, os.W_OK) or (os.path.exists(path) and not os.access(path, os.W_OK)):
        raise UsageError(f"--output {path}: cannot be written (permission denied)")


def write_output(path: str, text: str) -> None:
    """Write ``text`` to ``path`` (UTF-8); a failure is a :class:`UsageError` naming the file."""
    try:
        with open(path, "w", encoding="utf-8") as stream:
            stream.write(text)
    except OSError as error:
        raise UsageError(f"--output {path}: cannot be written ({error.strerror or error})") from None


def need_plotly(command: str) -> None:
    """Raise :class:`UsageError` when plotly, which draws the charts, is not installed."""
    try:
        import plotly  # noqa: F401
    except ModuleNotFoundError:
        raise UsageError(f"{command} draws its charts with plotly, which is not installed "
                         "(pip install 'seamsim[report]')") from None


def configure(parser: argparse.ArgumentParser) -> None:
    """Add the arguments of ``seamsim report``."""
    parser.add_argument("files", nargs="+", metavar="FILE", help="scenario YAML files; the first is the baseline")
    add_set_argument(parser)
    add_replication_arguments(parser)
    parser.add_argument("--question", default=None, metavar="TEXT",
                        help="the question the report answers (default: built from the scenario titles)")
    parser.add_argument("--no-decompose", action="store_true",
                        help="leave out the waterfall (no factor-by-factor runs)")
    parser.add_argument("--order-free", action="store_true",
                        help="add the order-free split (Shapley values; up to 2^k times the runs)")
    add_executor_arguments(parser)
    add_output_argument(parser, "report.html")


@guarded
def handle(args: argparse.Namespace) -> int:
    """Run the comparison and write the report."""
    if len(args.files) < 2:
        raise UsageError("a report compares two or more scenario files")
    check_output(args.output)
    need_plotly("seamsim report")
    scenarios = [load_for_command(path, args.overrides) for path in args.files]
    from seamsim.report.comparison import comparison_report
    from seamsim.report.document import report_html

    options = runner_options(args, args.replications * len(scenarios) * 4)
    for key in ("out", "resume", "days"):
        options.pop(key, None)
    report = comparison_report(
        scenarios, args.replications, args.seed, days=args.days, question=args.question,
        decompose=not args.no_decompose, order_free=args.order_free,
        announce=None if args.no_progress else lambda line: print(line, file=sys.stderr), **options,
    )
    html = report_html(report)
    write_output(args.output, html)
    print(f"wrote {args.output} ({len(html.encode('utf-8')) / 1e6:.1f} MB): {len(report.scenarios)} scenarios, "
          f"{report.replications} replications each, seed {report.seed}")
    return 0


COMMAND = Command("report", "write a self-contained HTML report comparing scenarios", configure, handle)
