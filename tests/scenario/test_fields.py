"""The field registry: every scenario input once, with its kind, unit, bounds and sources."""

from __future__ import annotations

import pytest

from seamsim.experiment.vary import field_info
from seamsim.scenario import Scenario, scenario_field, scenario_fields, scenario_json_schema
from seamsim.scenario.fields import field_paths, unit_of


def _walk(model, prefix=()):
    for name, info in model.model_fields.items():
        yield (*prefix, name)
        sub = info.annotation
        if isinstance(sub, type) and hasattr(sub, "model_fields"):
            yield from _walk(sub, (*prefix, name))


def test_the_registry_holds_every_field_and_section_of_the_schema_once():
    assert set(field_paths()) == set(_walk(Scenario))
    assert len(field_paths()) == len(set(field_paths()))


def test_every_number_says_its_unit_or_that_it_has_none():
    missing = [f.path for f in scenario_fields()
               if f.kind in ("float", "int", "optional_float") and not f.unit and "[-]" not in f.description]
    assert missing == []


@pytest.mark.parametrize(("path", "kind", "unit"), [
    ("seam.height_m", "float", "m"),
    ("machine.machine_height_mm", "float", "mm"),
    ("seam.geothermal_gradient_c_per_100m", "float", "°C/100 m"),
    ("roof.idle_closure_rate_mm_per_h", "float", "mm/h"),
    ("machine.coal_pick_wear_picks_per_mwh", "float", "picks/MWh"),
    ("crew.shield_men", "int", "persons"),
    ("electrical.transformer_kva", "optional_float", "kVA"),
    ("electrical.supply_voltage_v", "choice", "V"),
    ("operation.remote_control", "bool", ""),
    ("failures.shearer", "section", ""),
])
def test_kinds_and_units(path, kind, unit):
    entry = scenario_field(path)
    assert (entry.kind, entry.unit) == (kind, unit)


def test_bounds_choices_and_sources_come_from_the_schema():
    height = scenario_field("seam.height_m")
    assert (height.lo, height.hi, height.default) == (0.3, 3.0, 0.8)
    assert "S1" in height.sources
    assert scenario_field("electrical.supply_voltage_v").choices == (1140, 3300)
    assert scenario_field("machine.direction_penalty").sources == ("S-dk",)
    assert scenario_field("nosuch.field") is None


def test_unit_of_skips_source_tags_and_ranges():
    assert unit_of("pick_change_worn_share", "Share of worn picks [-] (0.10–0.20 [E][T23]).") == ("pick_change_worn_share", "")
    assert unit_of("air_cooling_k", "Cooling [T38]") == ("air_cooling", "K")


def test_the_json_schema_carries_units_and_sources():
    schema = scenario_json_schema()
    seam = schema["$defs"]["Seam"]["properties"]["height_m"]
    assert seam["unit"] == "m" and seam["sources"] == ["S1"]
    assert schema["$defs"]["FailureMode"]["properties"]["repair_median_h"]["unit"] == "h"
    assert "extends" in schema["properties"]


def test_designs_read_the_registry():
    assert field_info("electrical.transformer_kva").kind == "float"  # an optional number is sampled as one
    assert field_info("electrical.supply_voltage_v").choices == (1140, 3300)
    info = field_info("crew.patrol")
    entry = scenario_field("crew.patrol")
    assert (info.kind, info.lo, info.hi) == (entry.kind, entry.lo, entry.hi)
