"""Physics of the causal chain: picks in rock, the derived machine height, heat, relays."""

from __future__ import annotations

import doctest

import numpy as np
import pytest

from seamsim.physics import cutting, electrical, geometry, heat, packaging, picks


@pytest.mark.parametrize("module", [picks, packaging, heat, electrical, geometry, cutting])
def test_doctests(module):
    result = doctest.testmod(module)
    assert result.attempted > 0 and result.failed == 0


def test_evans_chip_depth_matches_the_reference_table():
    # Evans (docs/model.md §4, P3) at 20 kN, θ 80°: coal 15/1.5 → 39 mm, mudstone 30/3 → 28, sandstone 60 → 20 (σ_t 6)
    assert float(picks.evans_chip_depth_m(20e3, 15e6)) * 1000 == pytest.approx(39.4, abs=0.5)
    assert float(picks.evans_chip_depth_m(20e3, 30e6)) * 1000 == pytest.approx(27.9, abs=0.5)
    strengths = np.array([15e6, 30e6, 60e6, 100e6])
    depth = picks.evans_chip_depth_m(20e3, strengths)
    assert np.all(np.diff(depth) < 0)  # harder, shallower
    assert np.all(np.diff(picks.evans_chip_depth_m(np.array([10e3, 20e3, 30e3]), 30e6)) > 0)


def test_larger_drums_turn_slower_in_rock_and_reach_further():
    assert picks.drum_speed_in_rock_rpm(80, 0.9, 2.5) < picks.drum_speed_in_rock_rpm(80, 0.7, 2.5)
    assert picks.drum_speed_in_rock_rpm(60, 0.6, 2.5) == 60  # tips already slow enough
    reach = [picks.rock_reach_m(d, 0.3) for d in (0.6, 0.7, 0.9)]
    assert reach[0] < reach[1] < reach[2]
    assert picks.rock_reach_m(0.7, 0.5) == pytest.approx(0.35)  # half the turn: the radius


def test_pick_wear_and_change_time():
    assert float(picks.worn_picks(0.0, 3.6e9, 0.0, 19 / 3.6e9)) == pytest.approx(19.0)
    thin = picks.pick_change_duration_s(600, 10, 90, 0.7)
    thick = picks.pick_change_duration_s(600, 10, 90, 1.3)
    assert thin > thick  # crawl height and one man at the drum
    assert picks.pick_change_duration_s(600, 0, 90, 0.8) == 600


def test_ash_of_the_dilution_table():
    # ash arithmetic (docs/model.md §2) [I]: 0.8 m coal, ρ 1.38 / 2.5, ash 20 % / 85 %
    for rock_mm, ash in ((20, 22.8), (70, 28.9), (150, 36.5)):
        coal_t, rock_t = 0.8 * 1.38, rock_mm / 1000 * 2.5
        assert picks.ash_share(coal_t, rock_t, 0.20, 0.85) * 100 == pytest.approx(ash, abs=0.15)


def test_derived_height_anchors_and_monotone_in_current():
    assert packaging.base_height_m() > 0.1
    # the article's before machine is the calibration point
    d = packaging.REFERENCE_DESIGN
    r = float(electrical.cable_resistance_ohm_per_m(d["cable_csa_mm2"], d["cable_temperature_c"]))
    heights = []
    for current in (100.0, 200.0, 300.0, 400.0, 500.0):
        terms = packaging.height_terms_m(current, 1140.0, 0.85)
        heights.append(packaging.derived_machine_height_m(terms))
    assert all(b > a for a, b in zip(heights, heights[1:], strict=False))
    deeper_dip = packaging.derived_machine_height_m(packaging.height_terms_m(300.0, 1140.0, 0.80))
    assert deeper_dip > packaging.derived_machine_height_m(packaging.height_terms_m(300.0, 1140.0, 0.85))
    u_min = packaging.lowest_voltage_fraction(400e3, 80e3, 2, 1140, 450, r, 0.08e-3, 0.86, 0.93, 6, 0.3, 1000)
    assert 0.75 < u_min < 0.9


def test_cable_sizing_and_diameter():
    assert packaging.cable_csa_for_current_mm2(100.0) == 35.0  # never below the smallest size
    assert packaging.cable_csa_for_current_mm2(600.0) > 185.0  # beyond the table: extrapolated
    assert packaging.cable_outer_diameter_m(50, 3300) - packaging.cable_outer_diameter_m(50, 1140) == pytest.approx(0.0035)


def test_thermal_relay_curve():
    tau = 20 * 60.0
    assert np.isinf(electrical.thermal_trip_time_s(1.0, tau))
    assert np.isinf(electrical.thermal_trip_time_s(1.05, tau))
    times = electrical.thermal_trip_time_s(np.array([1.2, 1.5, 6.0]), tau)
    assert np.all(np.diff(times) < 0)
    assert times[-1] < 60.0


def test_transformer_and_demand_factor():
    assert electrical.transformer_rating_kva(900) == 1000.0
    assert electrical.transformer_rating_kva(10_000) == 3150.0
    small = float(electrical.transformer_drop_fraction(2000, 630, 0.3, *electrical.transformer_impedance_pct(630)))
    large = float(electrical.transformer_drop_fraction(2000, 2000, 0.3, *electrical.transformer_impedance_pct(2000)))
    assert small > large
    assert electrical.demand_factor(200e3, 480e3) == pytest.approx(0.65)


def test_heat_at_depth():
    assert heat.rock_temperature_c(1300, 2.5) > heat.rock_temperature_c(1000, 2.5)
    assert heat.face_air_temperature_c(30.0, 7.0, 60e3) > heat.face_air_temperature_c(30.0, 7.0, 15e3)
    assert heat.handwork_time_factor(25.0) == 1.0
    assert heat.handwork_time_factor(29.0) > heat.handwork_time_factor(27.0) > 1.0
    assert float(electrical.ambient_derating(35.0)) < 1.0 < float(electrical.ambient_derating(15.0))


def test_rigid_body_sag_and_conveyor_power():
    assert geometry.rigid_body_sag_m(15.0, 300.0) > geometry.rigid_body_sag_m(7.0, 300.0)
    assert cutting.conveyor_power_capacity_kg_per_s(180e3, 300.0) == pytest.approx(
        cutting.conveyor_power_capacity_kg_per_s(90e3, 150.0))
