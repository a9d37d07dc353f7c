"""The ``seamsim`` command line: one module per subcommand.

Each subcommand module (``validate``, ``schema``, ``inspection``, ``run``, ``compare``,
``sweep``, ``decompose``, ``analyse``, ``export``, ``report``, ``animate``, ``exercise``,
``dashboard``) defines ``COMMAND``, a :class:`~seamsim.cli.base.Command`; :data:`COMMANDS`
lists them in the order ``seamsim --help`` shows. What they share lives in
:mod:`seamsim.cli.base` (the record, exit codes, ``--set``, ``--json``),
:mod:`seamsim.cli.arguments` (experiment arguments), :mod:`seamsim.cli.guard` (bad input and
``--out`` → exit 2), :mod:`seamsim.cli.tables` (numbers and tables) and
:mod:`seamsim.cli.run_entries` (one scenario's results). Subcommand modules import only
those (and each other), never this package's ``__init__``, so there is no import cycle; heavy imports (pandas, simpy, SALib, dask, streamlit, plotly) stay inside the
handlers, so ``seamsim --help`` stays fast.

Exit status: 0 ok, 1 infeasible or failed run, 2 bad input (invalid scenario, missing file,
bad arguments). Bad input never prints a traceback.
"""

from __future__ import annotations

import argparse
import os
import sys

from seamsim.cli import (
    analyse,
    animate,
    compare,
    dashboard,
    decompose,
    exercise,
    export,
    inspection,
    report,
    run,
    schema,
    sweep,
    validate,
)
from seamsim.cli.base import EXIT_BAD_INPUT, EXIT_FAILED, EXIT_OK, Command, report_scenario_error
from seamsim.cli.inspection import PICTURE_KEYS, render_picture
from seamsim.scenario import ScenarioError
from seamsim.scenario.terminal_text import _clip, _printable

__all__ = [
    "COMMANDS",
    "EXIT_BAD_INPUT",
    "EXIT_FAILED",
    "EXIT_OK",
    "PICTURE_KEYS",
    "Command",
    "build_parser",
    "main",
    "render_picture",
]

COMMANDS: dict[str, Command] = {
    module.COMMAND.name: module.COMMAND
    for module in (validate, schema, inspection, run, compare, sweep, decompose, analyse, export, report, animate,
                   exercise, dashboard)
}
"""Every subcommand by name, in the order ``seamsim --help`` lists them."""


def build_parser() -> argparse.ArgumentParser:
    """Return the ``seamsim`` argument parser with every subcommand of :data:`COMMANDS`."""
    parser = argparse.ArgumentParser(
        prog="seamsim",
        description="Discrete-event simulation of a shearer face in an extremely thin coal seam.",
    )
    from seamsim import __version__

    parser.add_argument("--version", action="version", version=f"seamsim {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for command in COMMANDS.values():
        sub = subparsers.add_parser(command.name, help=command.help, description=command.help)
        command.configure(sub)
        sub.set_defaults(_handler=command.handler)
    return parser


def interrupted_message(args: argparse.Namespace) -> str:
    """Return what to say when a command is interrupted: with ``--out``, that ``--resume`` completes it."""
    out = getattr(args, "out", None)
    if out:
        return (f"seamsim {args.command}: interrupted; the finished runs are in {_printable(_clip(str(out), 200))}: "
                "complete them with the same command and --resume")
    return f"seamsim {getattr(args, 'command', '')}: interrupted; nothing was kept".replace("  ", " ")


def main(argv: list[str] | None = None) -> int:
    """Run the ``seamsim`` command line and return its exit status.

    Parameters
    ----------
    argv : list of str, optional
        Arguments without the program name; ``sys.argv[1:]`` when omitted.

    Returns
    -------
    int
        0 ok, 1 infeasible or failed run, 2 bad input.
    """
    parser = build_parser()
    try:
        args, extra = parser.parse_known_args(argv)
        if extra and not getattr(args, "_accepts_extra_arguments", False):
            parser.error(f"unrecognized arguments: {' '.join(extra)}")
    except SystemExit as exc:  # argparse: --help (0) or a usage error (2)
        return exc.code if isinstance(exc.code, int) else EXIT_BAD_INPUT
    handler = getattr(args, "_handler", None)
    if handler is None:
        parser.print_help(sys.stderr)
        return EXIT_BAD_INPUT
    try:
        return int(handler(args))
    except ScenarioError as error:
        return report_scenario_error(error)
    except KeyboardInterrupt:
        print(interrupted_message(args), file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:  # noqa: BLE001 - one line, not a traceback; SEAMSIM_DEBUG=1 shows it
        if os.environ.get("SEAMSIM_DEBUG"):
            raise
        text = _clip(" ".join(str(exc).split()), 300)
        print(
            _printable(
                f"seamsim {args.command}: internal error: {type(exc).__name__}: {text} "
                "(set SEAMSIM_DEBUG=1 for the traceback)"
            ),
            file=sys.stderr,
        )
        return EXIT_FAILED
