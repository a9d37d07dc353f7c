"""The ``seamsim`` command line.

Each subcommand is a small function ``_cmd_<name>(args) -> int`` with a function that adds
its arguments, registered as a :class:`Command` in :data:`COMMANDS`. Subcommands that live in
other modules are listed in :data:`_COMMAND_MODULES`: such a module defines ``COMMAND``
(a :class:`Command`) and keeps heavy imports (simpy, streamlit, dask) inside its handler, so
that ``seamsim --help`` stays fast. Until its module exists, a listed subcommand says that it
is not available yet.

Exit status: 0 ok, 1 infeasible or failed run, 2 bad input (invalid scenario, missing file,
bad arguments). Bad input never prints a traceback.
"""

from __future__ import annotations

import argparse
import dataclasses
import importlib
import json
import math
import os
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
    scenario_json_schema,
)
from seamsim.scenario.messages import OVERRIDE_SOURCE, _clip, _printable

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


COMMANDS: dict[str, Command] = {}
"""Registered subcommands by name, in the order ``--help`` lists them."""


def register(command: Command) -> Command:
    """Add ``command`` to :data:`COMMANDS` (replacing one of the same name) and return it."""
    COMMANDS[command.name] = command
    return command


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


# --------------------------------------------------------------------------------------
# validate
# --------------------------------------------------------------------------------------
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


register(
    Command(
        "validate",
        "check scenario files and report every problem",
        _configure_validate,
        _cmd_validate,
    )
)


# --------------------------------------------------------------------------------------
# schema
# --------------------------------------------------------------------------------------
def _configure_schema(parser: argparse.ArgumentParser) -> None:
    del parser  # no arguments


def _cmd_schema(args: argparse.Namespace) -> int:
    """Print the JSON Schema of a scenario file (for editor completion)."""
    del args
    print(json.dumps(scenario_json_schema(), indent=2, ensure_ascii=False))
    return EXIT_OK


register(
    Command("schema", "print the JSON Schema of scenario files", _configure_schema, _cmd_schema)
)


# --------------------------------------------------------------------------------------
# inspect
# --------------------------------------------------------------------------------------
PICTURE_KEYS: tuple[str, ...] = (
    "chain",
    "machine_height_mm",
    "spare_clearance_mm",
    "rock_cut_mm",
    "required_height_mm",
    "line_current_a",
    "voltage_drop_v",
    "voltage_drop_pct",
    "allowed_voltage_drop_pct",
    "terminal_voltage_v",
    "start_dip_pct",
    "start_dip_limit_pct",
    "cable_loading_pct",
    "cable_ampacity_a",
    "cable_loss_kw",
    "usable_power_pct",
    "electrical_trip_mtbf_h",
    "speed_limits_m_per_min",
    "binding_limit",
    "cutting_speed_m_per_min",
    "tonnes_per_web",
    "coal_tonnes_per_web",
    "rock_tonnes_per_web",
    "shield_parallel_advances",
    "crew_per_shift",
    "status",
    "reasons",
    "warnings",
)
"""Keys of :func:`seamsim.model.engineering.engineering_picture` that ``inspect`` shows."""


def _configure_inspect(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE", help="scenario YAML file")
    add_set_argument(parser)
    add_json_argument(parser)


def _cmd_inspect(args: argparse.Namespace) -> int:
    """Print the engineering picture of a scenario (no simulation)."""
    try:
        scenario = load_for_command(args.file, args.overrides)
    except ScenarioError as error:
        return report_scenario_error(error)
    from seamsim.model.engineering import engineering_picture  # the model layer, loaded late

    picture = dict(engineering_picture(scenario))
    if args.json:
        from seamsim.experiment.provenance import provenance

        origin = provenance({scenario.name: scenario})
        print_json({"scenario": scenario.name, "title": scenario.title, **picture, "provenance": origin})
    else:
        print(render_picture(scenario, picture))
    return EXIT_FAILED if picture.get("status") == "infeasible" else EXIT_OK


register(
    Command(
        "inspect",
        "show clearance, electrical state and speed limits (no simulation)",
        _configure_inspect,
        _cmd_inspect,
    )
)


# --- the human-readable engineering picture ---------------------------------------------
_LABEL_WIDTH = 34


def _fmt(value: Any, spec: str = ",.1f", unit: str = "", *, signed: bool = False) -> str:
    """Format a number with its unit; ``inf`` → ``none``, missing → ``—``."""
    if value is None:
        return "—"
    if isinstance(value, bool) or not isinstance(value, int | float):
        try:
            value = float(value)
        except (TypeError, ValueError):
            return str(value)
    if math.isnan(value):
        return "—"
    if math.isinf(value):
        return "none"
    text = format(value, ("+" if signed else "") + spec)
    return f"{text} {unit}".rstrip()


def _row(label: str, text: str) -> str:
    return f"  {label:<{_LABEL_WIDTH}}{text}"


def _chain_rows(p: Mapping[str, Any]) -> list[str]:
    chain = p.get("chain") or []
    if not chain:
        return []
    rows = ["The chain: voltage → current → machine height → clearance → rock → speed, picks, jams → tonnes"]
    for k, link in enumerate(chain, start=1):
        rows.append(_row(f"{k:>2}. {link['step']}", str(link["value"])))
        rows.append(f"  {'':<{_LABEL_WIDTH}}  {link['why']}")
    return rows


def _clearance_rows(p: Mapping[str, Any]) -> list[str]:
    rows = ["Clearance"]
    for key, label in (("seam_height_mm", "seam height"), ("machine_height_mm", "machine height")):
        if key in p:  # optional extras of the picture
            rows.append(_row(label, _fmt(p[key], ",.0f", "mm")))
    spare = _fmt(p.get("spare_clearance_mm"), ".0f", "mm", signed=True)
    if "design_spare_clearance_mm" in p:
        spare += f" (design keeps {_fmt(p['design_spare_clearance_mm'], '.0f', 'mm')})"
    return [
        *rows,
        _row("spare clearance under the canopy", spare),
        _row("rock to cut", _fmt(p.get("rock_cut_mm"), ".0f", "mm")),
        _row("required open height", _fmt(p.get("required_height_mm"), ",.0f", "mm")),
    ]


def _electrical_rows(p: Mapping[str, Any]) -> list[str]:
    drop = (
        f"{_fmt(p.get('voltage_drop_v'), ',.0f', 'V')} "
        f"({_fmt(p.get('voltage_drop_pct'), '.1f', '%')}; "
        f"allowed {_fmt(p.get('allowed_voltage_drop_pct'), '.1f', '%')})"
    )
    dip = (
        f"{_fmt(p.get('start_dip_pct'), '.1f', '%')} "
        f"(limit {_fmt(p.get('start_dip_limit_pct'), '.0f', '%')})"
    )
    loading = (
        f"{_fmt(p.get('cable_loading_pct'), '.0f', '%')} "
        f"of {_fmt(p.get('cable_ampacity_a'), ',.0f', 'A')}"
    )
    mtbf = p.get("electrical_trip_mtbf_h")
    no_trips = mtbf is None or _is_inf(mtbf)
    trips = "none expected" if no_trips else f"one every {_fmt(mtbf, ',.1f', 'h')}"
    return [
        "Electrical",
        _row("line current (design)", _fmt(p.get("line_current_a"), ",.0f", "A")),
        _row("line current (drawn, cutting)", _fmt(p.get("drawn_current_a"), ",.0f", "A")),
        _row("running voltage drop", drop),
        _row("terminal voltage", _fmt(p.get("terminal_voltage_v"), ",.0f", "V")),
        _row("dip while a cutting motor starts", dip),
        _row("cable loading", loading),
        _row("cable copper loss", _fmt(p.get("cable_loss_kw"), ",.1f", "kW")),
        _row("usable cutting power", _fmt(p.get("usable_power_pct"), ".0f", "%")),
        _row("electrical trips", trips),
    ]


def _is_inf(value: Any) -> bool:
    try:
        return math.isinf(float(value))
    except (TypeError, ValueError):
        return False


def _speed_rows(p: Mapping[str, Any]) -> list[str]:
    limits = p.get("speed_limits_m_per_min") or {}
    binding = p.get("binding_limit")
    rows = ["Cutting speed limits"]
    for name, value in limits.items():
        mark = "  ← binding" if name == binding else ""
        shown = "none" if value is None else _fmt(value, ".2f", "m/min")  # None: no limit
        rows.append(_row(str(name), shown + mark))
    rows.append(
        _row(
            "cutting speed",
            _fmt(p.get("cutting_speed_m_per_min"), ".2f", "m/min")
            + (f"  (bound by {binding})" if binding else ""),
        )
    )
    return rows


def _output_rows(p: Mapping[str, Any]) -> list[str]:
    return [
        "Output per web",
        _row("run-of-mine", _fmt(p.get("tonnes_per_web"), ",.1f", "t")),
        _row("coal", _fmt(p.get("coal_tonnes_per_web"), ",.1f", "t")),
        _row("rock", _fmt(p.get("rock_tonnes_per_web"), ",.1f", "t")),
    ]


def _crew_rows(p: Mapping[str, Any]) -> list[str]:
    return [
        "Crew",
        _row("people per production shift", _fmt(p.get("crew_per_shift"), ".0f")),
        _row("shields advanced at once", _fmt(p.get("shield_parallel_advances"), ".0f")),
    ]


def _notes_rows(p: Mapping[str, Any]) -> list[str]:
    rows: list[str] = []
    for heading, key in (("Why it cannot work", "reasons"), ("Warnings", "warnings")):
        items = list(p.get(key) or [])
        if items:
            rows.append(heading)
            rows += [f"  - {item}" for item in items]
    return rows


def render_picture(scenario: Scenario, picture: Mapping[str, Any]) -> str:
    """Return the engineering picture as a grouped, readable table with units.

    Parameters
    ----------
    scenario : Scenario
        The scenario shown (for its name and title).
    picture : mapping
        The dict from :func:`seamsim.model.engineering.engineering_picture`.

    Returns
    -------
    str
        Several lines of text.
    """
    title = f" — {scenario.title}" if scenario.title else ""
    lines = [f"{scenario.name}{title}", f"status: {picture.get('status', '—')}", ""]
    groups = (_chain_rows, _clearance_rows, _electrical_rows, _speed_rows, _output_rows, _crew_rows, _notes_rows)
    for group in groups:
        rows = group(picture)
        if rows:
            lines += [*rows, ""]
    return "\n".join(lines).rstrip()


# --------------------------------------------------------------------------------------
# Subcommands that live in other modules
# --------------------------------------------------------------------------------------
_COMMAND_MODULES: dict[str, tuple[str, str]] = {
    # name: (module defining COMMAND, one line for --help until it exists)
    "run": ("seamsim.commands.run", "simulate a scenario (replications, KPIs with CIs)"),
    "compare": ("seamsim.commands.compare", "compare scenarios with common random numbers"),
    "sweep": ("seamsim.commands.sweep", "vary fields over a design (grid, LHS, Sobol, Morris)"),
    "decompose": ("seamsim.commands.decompose", "split the gain between two scenarios by factor"),
    "analyse": ("seamsim.commands.analyse", "sensitivity indices of a stored Sobol or Morris sweep"),
    "export": ("seamsim.commands.export", "write a stored experiment's runs to one CSV or Parquet file"),
    "report": ("seamsim.commands.report", "write a self-contained HTML report comparing scenarios"),
    "animate": ("seamsim.commands.animate", "write the face in motion (an animated HTML file) of one replication"),
    "exercise": ("seamsim.commands.exercise", "check a trainer's exercise files and print their answer keys"),
    "dashboard": ("seamsim.commands.dashboard", "open the Streamlit dashboard"),
}
"""Subcommands written in separate modules (later work). Each module defines ``COMMAND``."""


def _no_arguments(parser: argparse.ArgumentParser) -> None:
    """Accept and ignore any arguments (for a placeholder subcommand)."""
    parser.set_defaults(_accepts_extra_arguments=True)


def _not_available(name: str, reason: str) -> Callable[[argparse.Namespace], int]:
    def handler(args: argparse.Namespace) -> int:
        del args
        print(f"seamsim {name}: {reason}", file=sys.stderr)
        return EXIT_BAD_INPUT

    return handler


def _load_command_modules() -> None:
    """Register the subcommands of :data:`_COMMAND_MODULES`, or a placeholder for each."""
    for name, (module_name, help_text) in _COMMAND_MODULES.items():
        if name in COMMANDS:
            continue
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name is None or not module_name.startswith(exc.name):
                reason = f"needs the package {exc.name!r}, which is not installed"
            else:
                reason = "not available yet in this version"
            register(
                Command(
                    name, f"{help_text} ({reason})", _no_arguments, _not_available(name, reason)
                )
            )
            continue
        register(module.COMMAND)


# --------------------------------------------------------------------------------------
# main
# --------------------------------------------------------------------------------------
def build_parser() -> argparse.ArgumentParser:
    """Return the ``seamsim`` argument parser with every registered subcommand."""
    _load_command_modules()
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


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
