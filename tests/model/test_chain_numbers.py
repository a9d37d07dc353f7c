"""The causal chain of ``engineering_picture`` carries each step's number, the same the
picture reports elsewhere, so that two faces can be compared step by step."""

from __future__ import annotations

import math

import pytest

from seamsim import engineering_picture, load_scenario

AFTER = "scenarios/article_after_3300v.yaml"
BUILT_FOR_1140 = "scenarios/whatif_after_machine_built_for_1140v.yaml"


def _numbers(path: str, **overrides) -> tuple[dict, dict[str, float]]:
    picture = engineering_picture(load_scenario(path, overrides=overrides or None))
    return picture, {link["key"]: link["number"] for link in picture["chain"]}


def test_every_step_has_a_key_a_unit_and_a_finite_number():
    picture, _ = _numbers(AFTER)
    for link in picture["chain"]:
        assert {"step", "value", "why", "key", "number", "unit"} <= set(link), link
        assert link["unit"] and math.isfinite(link["number"]), link
    assert len({link["key"] for link in picture["chain"]}) == len(picture["chain"])


def test_the_chain_numbers_are_the_pictures_numbers():
    picture, numbers = _numbers(AFTER)
    assert numbers["supply_voltage_v"] == picture["supply_voltage_v"]
    assert numbers["rated_current_a"] == pytest.approx(picture["rated_current_a"])
    assert numbers["machine_height_mm"] == pytest.approx(picture["machine_height_mm"])
    assert numbers["spare_clearance_mm"] == pytest.approx(picture["spare_clearance_mm"])
    assert numbers["rock_cut_mm"] == pytest.approx(picture["rock_cut_mm"])
    assert numbers["cutting_speed_m_per_min"] == pytest.approx(picture["cutting_speed_m_per_min"])
    assert numbers["worn_picks_per_web"] == pytest.approx(picture["worn_picks_per_web"])
    assert numbers["coal_t_per_web"] == pytest.approx(picture["coal_tonnes_per_web"])


def test_the_lower_voltage_moves_every_step_the_way_the_article_says():
    _, low = _numbers(BUILT_FOR_1140)
    _, high = _numbers(AFTER)
    assert low["rated_current_a"] > 2.5 * high["rated_current_a"]
    assert low["cable_csa_mm2"] > high["cable_csa_mm2"]
    assert low["machine_height_mm"] > high["machine_height_mm"] + 40
    assert low["spare_clearance_mm"] < 0 < high["spare_clearance_mm"]
    assert low["rock_cut_mm"] > high["rock_cut_mm"] == 0
    assert low["worn_picks_per_web"] > high["worn_picks_per_web"]
    assert low["jam_seam_height_mm"] > high["jam_seam_height_mm"]


def test_an_explicit_height_is_reported_as_given():
    picture, numbers = _numbers(AFTER, **{"machine.height_mode": "explicit", "machine.machine_height_mm": 612.0})
    assert numbers["machine_height_mm"] == 612.0
    assert "cable_csa_mm2" not in numbers
    assert picture["chain"][2]["step"] == "start dip"
