"""What every ``seamsim`` subcommand shares: the :class:`Command` record, exit codes, ``--set``
and ``--json``, loading a scenario for a command and printing JSON or scenario errors.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import math
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TextIO

from seamsim.scenario import (
    Issue,
    Scenario,
    ScenarioError,
    load_scenario,
    parse_overrides,
)
from seamsim.scenario.issues import OVERRIDE_SOURCE
from seamsim.scenario.terminal_text import _clip

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_BAD_INPUT = 2


@dataclass(frozen=True)
class Command:
    """A ``seamsim`` subcommand.

    Attributes
    ----------
    name : str
        The subcommand, e.g. ``"run"``.
    help : str
        One line for ``seamsim --help``.
    configure : callable
        Adds the subcommand's arguments to its :class:`argparse.ArgumentParser`.
    handler : callable
        ``_cmd_<name>(args) -> int``: runs it and returns the exit status.
    """

    name: str
    help: str
    configure: Callable[[argparse.ArgumentParser], None]
    handler: Callable[[argparse.Namespace], int]


# --------------------------------------------------------------------------------------
# Shared argument helpers (for this module and the modules of later subcommands)
# --------------------------------------------------------------------------------------
def add_set_argument(parser: argparse.ArgumentParser) -> None:
    """Add the repeatable ``--set key=value`` override option."""
    parser.add_argument(
        "--set",
        dest="overrides",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="override a field, e.g. --set seam.height_m=0.75 (repeatable)",
    )


def add_json_argument(parser: argparse.ArgumentParser) -> None:
    """Add the ``--json`` option (one JSON object on stdout)."""
    parser.add_argument("--json", action="store_true", help="print one JSON object on stdout")


def load_for_command(path: str, override_items: Sequence[str] = ()) -> Scenario:
    """Load ``path`` with ``--set`` items applied.

    Raises
    ------
    ScenarioError
        Problems of the file name the file (``x.yaml:3:5: …``); problems of an override
        start ``--set: field.path:`` and end with the ``--set`` argument that caused them
        (``(--set seam.height_m=on)``).
    """
    items = [str(item) for item in override_items]
    overrides = parse_overrides(items)
    try:
        return load_scenario(path, overrides=overrides or None)
    except ScenarioError as error:
        raise ScenarioError([_with_set_argument(i, items) for i in error.issues]) from None


def _with_set_argument(issue: Issue, items: Sequence[str]) -> Issue:
    """Return an override's issue (``file == "--set"``) ending with the ``--set``
    argument(s) that set its field or a field below it; other issues as they are."""
    if issue.file != OVERRIDE_SOURCE:
        return issue
    keys = [item.partition("=")[0].strip() for item in items]
    matching = [
        item
        for item, key in zip(items, keys, strict=True)
        if key == issue.path
        or key.startswith(issue.path + ".")
        or issue.path.startswith(key + ".")
    ]
    if not matching:
        return issue
    named = ", ".join(f"{OVERRIDE_SOURCE} {_clip(item, 100)}" for item in matching[-3:])
    return dataclasses.replace(issue, message=f"{issue.message} ({named})")


def report_scenario_error(error: ScenarioError, stream: TextIO | None = None) -> int:
    """Print a scenario error, one line per issue, and return :data:`EXIT_BAD_INPUT`."""
    print(str(error), file=stream or sys.stderr)
    return EXIT_BAD_INPUT


def json_ready(value: Any) -> Any:
    """Return ``value`` made JSON-safe: ``inf``/``nan`` → ``None``, numpy scalars → Python."""
    if isinstance(value, Mapping):
        return {str(k): json_ready(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_ready(v) for v in value]
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int):
        return value
    if hasattr(value, "item") and callable(value.item):  # numpy scalar or 0-d array
        try:
            return json_ready(value.item())
        except (TypeError, ValueError):
            pass
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if hasattr(value, "tolist"):
        return json_ready(value.tolist())
    return str(value)


def print_json(obj: Any) -> None:
    """Print ``obj`` as one JSON object on stdout."""
    print(json.dumps(json_ready(obj), indent=2, ensure_ascii=False, allow_nan=False))
