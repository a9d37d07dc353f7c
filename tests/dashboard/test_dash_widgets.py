"""Schema → widget metadata (dashboard/field_values.py, no Streamlit) and the dashboard command."""

from __future__ import annotations

import pytest

import dashboard
import seamsim
from dashboard.field_values import field_specs, flatten, format_of, overrides_from, step_of
from dashboard.scenario_labels import short_labels
from seamsim.cli import main
from seamsim.scenario.fields import unit_of
from seamsim.scenario.schema import SECTIONS, Scenario


def test_every_input_of_the_schema_gets_a_widget():
    specs = field_specs()
    paths = {s.path for s in specs}
    flat = flatten(Scenario())
    assert paths == set(flat)  # every leaf field of every section, nothing else
    assert {s.section for s in specs} == set(SECTIONS)
    assert all(s.description for s in specs)


@pytest.mark.parametrize(
    ("path", "kind", "title", "lo", "hi"),
    [
        ("seam.height_m", "float", "Seam height [m]", 0.3, 3.0),
        ("machine.machine_height_mm", "float", "Machine height [mm]", 300.0, 2000.0),
        ("machine.cutting_power_kw", "float", "Installed cutting power [kW]", 50.0, 3000.0),
        ("face.conveyor_capacity_t_per_h", "float", "Conveyor capacity [t/h]", 50.0, 3000.0),
        ("seam.coal_density_t_per_m3", "float", "Coal density [t/m³]", 1.1, 1.8),
        ("crew.shield_men", "int", "Shield men [persons]", 0, 12),
        ("failures.shearer.repair_median_h", "float", "Repair median [h]", 0.01, 48.0),
        ("run.days", "float", "Days simulated [d]", 0.1, 3660.0),
    ],
)
def test_labels_units_and_bounds_come_from_the_schema(path, kind, title, lo, hi):
    spec = {s.path: s for s in field_specs()}[path]
    assert (spec.kind, spec.title, spec.lo, spec.hi) == (kind, title, lo, hi)


def test_choices_switches_text_and_optional_numbers():
    specs = {s.path: s for s in field_specs()}
    assert specs["electrical.supply_voltage_v"].kind == "choice"
    assert specs["electrical.supply_voltage_v"].choices == (1140, 3300)
    assert specs["operation.shield_control"].choices == ("manual", "electrohydraulic")
    assert specs["operation.remote_control"].kind == "bool"
    assert specs["machine.name"].kind == "text" and specs["machine.name"].max_chars == 80
    assert specs["machine.set_cutting_speed_m_per_min"].kind == "optional_float"
    assert specs["failures.shearer.enabled"].group == "shearer"


@pytest.mark.parametrize(
    ("name", "stem", "unit"),
    [("height_m", "height", "m"), ("max_cutting_speed_m_per_min", "max_cutting_speed", "m/min"),
     ("cable_csa_mm2", "cable_csa", "mm²"), ("comms_outage_rate_per_h", "comms_outage_rate", "1/h"),
     ("cable_temperature_c", "cable_temperature", "°C"), ("power_factor", "power_factor", "")],
)
def test_units_from_the_name_suffix(name, stem, unit):
    assert unit_of(name) == (stem, unit)


def test_overrides_are_the_changed_values_only():
    sc = seamsim.load_scenario(dashboard.scenario_dir() / f"{dashboard.ARTICLE_AFTER}.yaml")
    base = flatten(sc)
    values = dict(base, **{"seam.height_m": 0.75, "electrical.supply_voltage_v": 3300})
    assert overrides_from(values, base) == {"seam.height_m": 0.75}
    changed = seamsim.apply_overrides(sc, overrides_from(values, base))
    assert changed.seam.height_m == 0.75


def test_steps_and_formats_show_the_values_they_hold():
    specs = {s.path: s for s in field_specs()}
    assert step_of(specs["machine.machine_height_mm"]) == 1.0
    assert step_of(specs["seam.height_m"]) == 0.01
    assert format_of(0.1, 1.38) == "%.2f"
    assert format_of(1.0) == "%.0f"


def test_short_labels_are_unique():
    a = Scenario(name="a", title="After: long")
    b = Scenario(name="b", title="After: other")
    c = Scenario(name="c", title="Before: x")
    assert short_labels([a, b, c]) == {"a": "a", "b": "b", "c": "Before"}


def test_seamsim_dashboard_runs_streamlit_on_the_app(capsys):
    assert main(["dashboard", "--dry-run", "--port", "8599", "--headless"]) == 0
    out = capsys.readouterr().out
    assert "-m streamlit run" in out and "dashboard/app.py" in out
    assert "--server.port 8599" in out and "--server.headless true" in out


def test_seamsim_dashboard_refuses_a_bad_port(capsys):
    assert main(["dashboard", "--port", "70000"]) == 2
    assert "--port" in capsys.readouterr().err
