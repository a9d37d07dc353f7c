"""The CLI through ``main([...])``: validate, schema, inspect, exit codes, no tracebacks."""

from __future__ import annotations

import json
import math
import sys
import textwrap
import types
from pathlib import Path

import pytest
from cli_calls import run

from seamsim import cli
from seamsim.cli import PICTURE_KEYS

GOOD = """
name: good_face
title: A good face
seam:
  height_m: 0.8
machine:
  machine_height_mm: 588
"""

BAD = """
name: bad_face
seam:
  height_m: 800
machine:
  machine_hieght_mm: 588
"""


def write(directory: Path, name: str, text: str) -> Path:
    path = directory / name
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


# --------------------------------------------------------------------------------------
# validate
# --------------------------------------------------------------------------------------
def test_validate_good_file(tmp_path, capsys):
    path = write(tmp_path, "good.yaml", GOOD)
    code, out, _ = run(capsys, "validate", str(path))
    assert code == 0
    assert out.strip() == f"ok  {path}  (A good face)"


def test_validate_reports_each_problem_with_file_line_and_path(tmp_path, capsys):
    good = write(tmp_path, "good.yaml", GOOD)
    bad = write(tmp_path, "bad.yaml", BAD)
    code, out, _ = run(capsys, "validate", str(good), str(bad))
    assert code == 2
    lines = out.strip().splitlines()
    assert lines[0] == f"ok  {good}  (A good face)"
    assert lines[1].startswith(f"{bad}:3:3: seam.height_m: 800 is above the maximum 3.0 [m]")
    assert "did you mean 0.8?" in lines[1]
    assert lines[2].startswith(f"{bad}:5:3: machine.machine_hieght_mm: unknown key")
    assert "did you mean `machine_height_mm`?" in lines[2]


def test_validate_missing_file(tmp_path, capsys):
    code, out, _ = run(capsys, "validate", str(tmp_path / "missing.yaml"))
    assert code == 2
    assert "missing.yaml: file not found" in out


def test_validate_without_files_is_a_usage_error(capsys):
    code, _, err = run(capsys, "validate")
    assert code == 2
    assert "usage" in err


# --------------------------------------------------------------------------------------
# schema, help, placeholders
# --------------------------------------------------------------------------------------
def test_schema_prints_the_json_schema(capsys):
    code, out, _ = run(capsys, "schema")
    assert code == 0
    schema = json.loads(out)
    assert "seam" in schema["properties"]
    assert "extends" in schema["properties"]


def test_help_lists_every_subcommand(capsys):
    code, out, _ = run(capsys, "--help")
    assert code == 0
    for name in (
        "validate",
        "inspect",
        "schema",
        "run",
        "compare",
        "sweep",
        "decompose",
        "dashboard",
    ):
        assert name in out


def test_no_command_prints_help_and_fails(capsys):
    code, _, err = run(capsys)
    assert code == 2
    assert "usage" in err


def test_unknown_command_is_a_usage_error(capsys):
    assert run(capsys, "frobnicate")[0] == 2


def test_every_command_is_registered_in_one_table():
    import pkgutil

    import seamsim.cli as package

    cli.build_parser()
    assert {"validate", "schema", "inspect"} <= set(cli.COMMANDS)
    for command in cli.COMMANDS.values():
        assert callable(command.handler) and callable(command.configure)
    # one module per subcommand: every module of the package defining COMMAND is in the table
    import importlib

    modules = [importlib.import_module(f"seamsim.cli.{m.name}") for m in pkgutil.iter_modules(package.__path__)
               if m.name != "__main__"]
    defined = {m.COMMAND.name for m in modules if hasattr(m, "COMMAND")}
    assert defined == set(cli.COMMANDS)


# --------------------------------------------------------------------------------------
# inspect: rendering against the contract of engineering_picture (a stand-in picture)
# --------------------------------------------------------------------------------------
def fake_picture(status: str = "ok") -> dict:
    infeasible = status == "infeasible"
    return {
        "chain": [{"step": "supply voltage", "value": "3,300 V", "why": "the substation's secondary"}],
        "machine_height_mm": 588.0,
        "spare_clearance_mm": -20.0 if infeasible else 22.0,
        "rock_cut_mm": 40.0 if infeasible else 0.0,
        "required_height_mm": 798.0,
        "line_current_a": 153.1,
        "voltage_drop_v": 51.5,
        "voltage_drop_pct": 1.56,
        "allowed_voltage_drop_pct": 9.55,
        "terminal_voltage_v": 3248.5,
        "start_dip_pct": 2.87,
        "start_dip_limit_pct": 25.0,
        "cable_loading_pct": 88.5,
        "cable_ampacity_a": 173.0,
        "cable_loss_kw": 14.4,
        "usable_power_pct": 100.0,
        "electrical_trip_mtbf_h": math.inf,
        "speed_limits_m_per_min": {
            "set": math.inf,
            "power": 11.2,
            "pick": 4.8,
            "conveyor": 8.6,
            "shields": 9.0,
            "machine": None,
        },
        "binding_limit": "pick",
        "cutting_speed_m_per_min": 4.8,
        "tonnes_per_web": 101.2,
        "coal_tonnes_per_web": 101.2,
        "rock_tonnes_per_web": 0.0,
        "shield_parallel_advances": 1,
        "crew_per_shift": 6,
        "status": status,
        "reasons": ["the machine cannot pass"] if infeasible else [],
        "warnings": ["the cable runs warm"],
    }


@pytest.fixture
def stand_in_picture(monkeypatch):
    """Replace seamsim.model.engineering with a module returning a fixed picture."""
    state = {"status": "ok"}
    module = types.ModuleType("seamsim.model.engineering")
    module.engineering_picture = lambda scenario: fake_picture(state["status"])
    monkeypatch.setitem(sys.modules, "seamsim.model.engineering", module)
    return state


def test_inspect_human_table_is_grouped_with_units(tmp_path, capsys, stand_in_picture):
    code, out, _ = run(capsys, "inspect", str(write(tmp_path, "good.yaml", GOOD)))
    assert code == 0
    assert out.startswith("good_face — A good face")
    for heading in (
        "Clearance",
        "Electrical",
        "Cutting speed limits",
        "Output per web",
        "Crew",
        "Warnings",
    ):
        assert f"\n{heading}\n" in out
    assert "+22 mm" in out
    assert "153 A" in out
    assert "1.6 %" in out
    binding = [line for line in out.splitlines() if "binding" in line]
    assert len(binding) == 1 and binding[0].split()[0] == "pick" and "4.80 m/min" in binding[0]
    set_line = next(line for line in out.splitlines() if line.strip().startswith("set "))
    assert "none" in set_line
    assert "none expected" in out  # no electrical trips when the MTBF is infinite
    assert "the cable runs warm" in out


def test_inspect_json_has_the_contract_keys(tmp_path, capsys, stand_in_picture):
    code, out, _ = run(capsys, "inspect", str(write(tmp_path, "good.yaml", GOOD)), "--json")
    assert code == 0
    data = json.loads(out)
    assert data["scenario"] == "good_face"
    assert set(PICTURE_KEYS) <= set(data)
    assert data["speed_limits_m_per_min"]["set"] is None  # inf → null
    assert data["electrical_trip_mtbf_h"] is None


def test_inspect_infeasible_exits_1_and_gives_reasons(tmp_path, capsys, stand_in_picture):
    stand_in_picture["status"] = "infeasible"
    code, out, _ = run(capsys, "inspect", str(write(tmp_path, "good.yaml", GOOD)))
    assert code == 1
    assert "the machine cannot pass" in out


def test_inspect_set_overrides_are_applied(tmp_path, capsys, monkeypatch):
    seen = {}
    module = types.ModuleType("seamsim.model.engineering")

    def picture(scenario):
        seen["scenario"] = scenario
        return fake_picture()

    module.engineering_picture = picture
    monkeypatch.setitem(sys.modules, "seamsim.model.engineering", module)
    path = write(tmp_path, "good.yaml", GOOD)
    code, _, _ = run(
        capsys,
        "inspect",
        str(path),
        "--set",
        "seam.height_m=0.75",
        "--set",
        "operation.shield_control=manual",
    )
    assert code == 0
    assert seen["scenario"].seam.height_m == 0.75
    assert seen["scenario"].operation.shield_control == "manual"


def test_inspect_bad_override_exits_2_with_a_message(tmp_path, capsys, stand_in_picture):
    path = write(tmp_path, "good.yaml", GOOD)
    code, _, err = run(capsys, "inspect", str(path), "--set", "seam.heigth_m=0.75")
    assert code == 2
    assert err.startswith("--set: seam.heigth_m: unknown key — did you mean `height_m`?")
    code, _, err = run(capsys, "inspect", str(path), "--set", "seam.height_m")
    assert code == 2
    assert "expected key=value" in err


def test_inspect_bad_file_exits_2(tmp_path, capsys, stand_in_picture):
    code, _, err = run(capsys, "inspect", str(write(tmp_path, "bad.yaml", BAD)))
    assert code == 2
    assert "bad.yaml:3:3: seam.height_m:" in err
    code, _, err = run(capsys, "inspect", str(tmp_path / "missing.yaml"))
    assert code == 2
    assert "file not found" in err


# --------------------------------------------------------------------------------------
# inspect with the real engineering picture
# --------------------------------------------------------------------------------------
def test_inspect_real_picture_json(tmp_path, capsys):
    code, out, _ = run(capsys, "inspect", str(write(tmp_path, "good.yaml", GOOD)), "--json")
    data = json.loads(out)
    assert set(PICTURE_KEYS) <= set(data)
    assert data["scenario"] == "good_face"
    assert code == (1 if data["status"] == "infeasible" else 0)
    assert data["status"] in ("ok", "infeasible")
    assert data["binding_limit"] in data["speed_limits_m_per_min"]
    # 588 mm in an 0.8 m seam with the default 150 mm canopy and 40 mm convergence: +22 mm,
    # less 2 mm of sag for the 7 m rigid body over a floor of 3 km radius.
    assert data["spare_clearance_mm"] == pytest.approx(20.0, abs=0.5)


def test_inspect_real_picture_human(tmp_path, capsys):
    code, out, _ = run(capsys, "inspect", str(write(tmp_path, "good.yaml", GOOD)))
    assert code in (0, 1)
    assert "Cutting speed limits" in out
    assert sum("← binding" in line for line in out.splitlines()) == 1


def test_inspect_real_picture_too_thin_seam_is_infeasible(tmp_path, capsys):
    path = write(tmp_path, "good.yaml", GOOD)
    code, out, _ = run(capsys, "inspect", str(path), "--set", "seam.height_m=0.6", "--json")
    data = json.loads(out)
    assert data["status"] == "infeasible" and data["reasons"]
    assert code == 1


@pytest.mark.parametrize("name", sorted(cli.COMMANDS))
def test_every_subcommand_is_implemented_and_has_help(capsys, name):
    try:
        code = cli.main([name, "--help"])
    except SystemExit as exit_info:
        code = exit_info.code
    assert code == 0
    out = capsys.readouterr().out
    assert "usage: seamsim " + name in out
    assert "not available" not in out
