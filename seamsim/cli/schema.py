"""``seamsim schema``: print the JSON Schema of scenario files (for editor completion)."""

from __future__ import annotations

import argparse
import json

from seamsim.cli.base import (
    EXIT_OK,
    Command,
)
from seamsim.scenario import (
    scenario_json_schema,
)


def _configure_schema(parser: argparse.ArgumentParser) -> None:
    del parser  # no arguments


def _cmd_schema(args: argparse.Namespace) -> int:
    """Print the JSON Schema of a scenario file (for editor completion)."""
    del args
    print(json.dumps(scenario_json_schema(), indent=2, ensure_ascii=False))
    return EXIT_OK


COMMAND = Command("schema", "print the JSON Schema of scenario files", _configure_schema, _cmd_schema)
