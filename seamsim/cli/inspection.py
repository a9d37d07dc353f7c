"""``seamsim inspect FILE``: the engineering picture of a scenario, the causal chain step by step, without simulating."""

from __future__ import annotations

import argparse
import math
from collections.abc import Mapping
from typing import Any

from seamsim.cli.base import (
    EXIT_FAILED,
    EXIT_OK,
    Command,
    add_json_argument,
    add_set_argument,
    load_for_command,
    print_json,
    report_scenario_error,
)
from seamsim.scenario import (
    Scenario,
    ScenarioError,
)

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


COMMAND = Command("inspect", "show clearance, electrical state and speed limits (no simulation)", _configure_inspect, _cmd_inspect)
