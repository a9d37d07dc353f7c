"""``seamsim validate FILE...``: check scenario files and report every problem (exit 2 if any)."""

from __future__ import annotations

import argparse

from seamsim.cli.base import (
    EXIT_BAD_INPUT,
    EXIT_OK,
    Command,
)
from seamsim.scenario import (
    ScenarioError,
    load_scenario,
)
from seamsim.scenario.terminal_text import _printable


def _configure_validate(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("files", nargs="+", metavar="FILE", help="scenario YAML files")


def _cmd_validate(args: argparse.Namespace) -> int:
    """Check each scenario file; print ``ok  FILE  (title)`` or its errors."""
    status = EXIT_OK
    for path in args.files:
        try:
            scenario = load_scenario(path)
        except ScenarioError as error:
            print(str(error))
            status = EXIT_BAD_INPUT
            continue
        title = f"  ({scenario.title})" if scenario.title else ""
        print(_printable(f"ok  {path}{title}"))
    return status


COMMAND = Command("validate", "check scenario files and report every problem", _configure_validate, _cmd_validate)
