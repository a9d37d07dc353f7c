"""The article's causal chain, link by link: direction tests of each mechanism.

voltage → current → machine height → clearance → rock → speed, picks, dilution, jams → tonnes.
Each test sweeps the inputs one mechanism uses and checks the direction mining practice says.
"""

from __future__ import annotations

import numpy as np
import pytest

from seamsim import load_scenario, simulate
from seamsim.model.parameters import face_parameters
from seamsim.scenario.loader import load_scenario_text, parse_overrides
from seamsim.scenario.schema import FAILURE_DEFAULTS

BEFORE = "scenarios/article_before_1140v.yaml"
AFTER = "scenarios/article_after_3300v.yaml"
SEEDS = range(4)


def mean_kpis(path: str, overrides: dict, seeds=SEEDS, days: float = 30.0) -> dict[str, float]:
    """Return the KPIs averaged over common seeds."""
    sc = load_scenario(path, overrides=overrides)
    runs = [simulate(sc, seed=s, days=days) for s in seeds]
    assert all(r.ok for r in runs), runs[0].reasons
    return {k: float(np.mean([r.summary[k] for r in runs])) for k in runs[0].summary}


# ----------------------------------------------------------------------------------------
# rock is not free
# ----------------------------------------------------------------------------------------
def test_a_thinner_seam_makes_less_coal_no_more_rom_and_costs_more_rock_picks_and_energy():
    heights = (0.80, 0.76, 0.72, 0.69, 0.66)
    runs = [mean_kpis(AFTER, {"seam.height_m": h, "run.seam_variability": False}, seeds=range(3)) for h in heights]
    coal = [r["coal_t"] for r in runs]
    rom = [r["rom_t"] for r in runs]
    assert all(a > b for a, b in zip(coal, coal[1:], strict=False)), coal
    # ROM falls overall; where the picks (not the power) bind, a step of denser rock may add ~1 %
    assert rom[-1] < rom[0], rom
    assert all(b <= a * 1.02 for a, b in zip(rom, rom[1:], strict=False)), rom
    assert runs[-1]["rock_share"] > runs[0]["rock_share"] + 0.1
    assert runs[-1]["pick_changes"] > runs[0]["pick_changes"]
    assert runs[-1]["picks_per_kt_coal"] > runs[0]["picks_per_kt_coal"]
    assert runs[-1]["kwh_per_t_coal"] > runs[0]["kwh_per_t_coal"]
    assert runs[-1]["ash_pct"] > runs[0]["ash_pct"] + 5


def test_harder_to_cut_rock_costs_output_on_a_face_that_cuts_rock():
    tight = {"seam.height_m": 0.72}
    soft = mean_kpis(AFTER, {**tight, "seam.rock_specific_energy_kwh_per_m3": 3.0})
    hard = mean_kpis(AFTER, {**tight, "seam.rock_specific_energy_kwh_per_m3": 15.0})
    assert soft["rock_t"] > 1000
    assert hard["coal_t"] < 0.95 * soft["coal_t"], (soft["coal_t"], hard["coal_t"])
    assert hard["pick_changes"] > soft["pick_changes"]


def test_stronger_rock_slows_the_picks_where_rock_is_cut():
    weak = face_parameters(load_scenario(AFTER, overrides={"seam.rock_compressive_strength_mpa": 25.0}))
    strong = face_parameters(load_scenario(AFTER, overrides={"seam.rock_compressive_strength_mpa": 80.0}))
    assert strong.rock_pick_speed_m_per_s < weak.rock_pick_speed_m_per_s
    assert strong.coal_pick_speed_m_per_s == weak.coal_pick_speed_m_per_s


def test_a_longer_rigid_body_never_jams_less():
    jams = [mean_kpis(BEFORE, {"machine.body_length_m": length})["jams"] for length in (3.0, 7.0, 11.0, 15.0)]
    assert all(b >= a for a, b in zip(jams, jams[1:], strict=False)), jams
    assert jams[-1] > jams[0]


def test_a_larger_drum_reaches_more_rock_so_a_tight_face_jams_less():
    small = face_parameters(load_scenario(BEFORE, overrides={"machine.drum_diameter_m": 0.6}))
    large = face_parameters(load_scenario(BEFORE, overrides={"machine.drum_diameter_m": 0.9}))
    assert large.rock_reach_m > small.rock_reach_m
    assert large.rock_pick_speed_m_per_s < small.rock_pick_speed_m_per_s  # the larger drum turns slower in rock
    jams = [mean_kpis(BEFORE, {"machine.drum_diameter_m": d})["jams"] for d in (0.6, 0.75, 0.9)]
    assert jams[0] > jams[1] > jams[2], jams


def test_tight_spots_slow_the_machine_before_they_stall_it():
    """Rock per pass rises smoothly; speed falls; only beyond the drums' reach does the body jam."""
    p = face_parameters(load_scenario(AFTER, overrides={"run.seam_variability": False}))
    assert p.rock_pick_speed_m_per_s < p.coal_pick_speed_m_per_s
    slow = mean_kpis(AFTER, {"seam.height_m": 0.74, "run.seam_variability": False, "roof.weighting_convergence_mm": 0.0})
    assert slow["jams"] == 0 and slow["rock_t"] > 0 and slow["limit_share_pick"] > 0


# ----------------------------------------------------------------------------------------
# voltage → machine
# ----------------------------------------------------------------------------------------
def test_derived_height_lands_on_the_article_machines():
    before = face_parameters(load_scenario(BEFORE, overrides={"machine.height_mode": "derived"}))
    after = face_parameters(load_scenario(AFTER, overrides={"machine.height_mode": "derived"}))
    assert before.machine_height_m * 1000 == pytest.approx(630.0, abs=1.0)
    assert after.machine_height_m * 1000 == pytest.approx(588.0, abs=3.0)


@pytest.mark.parametrize("voltage", [1140, 3300])
def test_derived_height_grows_with_current(voltage):
    heights = []
    for power in (300.0, 400.0, 500.0, 600.0):
        sc = load_scenario(AFTER, overrides={"machine.height_mode": "derived", "machine.cutting_power_kw": power,
                                             "electrical.supply_voltage_v": voltage, "electrical.cable_csa_mm2": 150})
        heights.append(face_parameters(sc).machine_height_m)
    assert all(b > a for a, b in zip(heights, heights[1:], strict=False)), heights


def test_on_a_derived_before_face_3300_v_lowers_the_machine_and_raises_output():
    low = mean_kpis(BEFORE, {"machine.height_mode": "derived"})
    high = mean_kpis(BEFORE, {"machine.height_mode": "derived", "electrical.supply_voltage_v": 3300})
    assert low["machine_height_mm"] - high["machine_height_mm"] >= 30
    assert high["coal_t"] > 1.10 * low["coal_t"], (low["coal_t"], high["coal_t"])
    assert high["rock_t"] < low["rock_t"] and high["jams"] < low["jams"]


def test_on_a_face_that_cuts_no_rock_the_voltage_acts_only_through_the_supply():
    thick = {"seam.height_m": 1.1, "machine.height_mode": "derived", "failures.enabled": False}
    low = mean_kpis(BEFORE, thick, seeds=[0])
    high = mean_kpis(BEFORE, {**thick, "electrical.supply_voltage_v": 3300}, seeds=[0])
    assert low["rock_t"] == high["rock_t"] == 0
    assert high["machine_height_mm"] < low["machine_height_mm"]
    assert high["coal_t"] == pytest.approx(low["coal_t"], rel=0.01)
    with_trips = mean_kpis(BEFORE, {**thick, "failures.enabled": True})
    with_trips_high = mean_kpis(BEFORE, {**thick, "failures.enabled": True, "electrical.supply_voltage_v": 3300})
    assert with_trips_high["time_electrical_trip_h"] < with_trips["time_electrical_trip_h"]


# ----------------------------------------------------------------------------------------
# the load as drawn
# ----------------------------------------------------------------------------------------
def test_installed_power_the_machine_does_not_draw_barely_changes_trips():
    same_machine = {"machine.height_mode": "explicit"}  # same height, so the same drawn load
    base = mean_kpis(AFTER, {**same_machine, "machine.cutting_power_kw": 600.0})
    strong = mean_kpis(AFTER, {**same_machine, "machine.cutting_power_kw": 1000.0})
    assert strong["line_current_a"] == pytest.approx(base["line_current_a"], rel=0.1)
    ratio = strong["electrical_trip_mtbf_h"] / base["electrical_trip_mtbf_h"]
    assert 0.6 < ratio < 1.4, ratio


def test_a_demand_factor_makes_ordinary_1140_v_practice_feasible():
    sc = load_scenario(BEFORE, overrides={"machine.cutting_power_kw": 650.0, "electrical.cable_csa_mm2": 120})
    assert not any("overloaded" in reason for reason in face_parameters(sc).reasons), face_parameters(sc).reasons
    assert face_parameters(sc).electrical.loading < 1.1
    rated = load_scenario(BEFORE, overrides={"machine.cutting_power_kw": 650.0, "electrical.cable_csa_mm2": 120,
                                             "electrical.cable_sizing_rule": "rated"})
    assert face_parameters(rated).electrical.loading > face_parameters(sc).electrical.loading


def test_a_cable_too_small_for_the_load_drawn_trips_on_the_thermal_relay():
    ok = mean_kpis(BEFORE, {"electrical.cable_csa_mm2": 150})
    hot = mean_kpis(BEFORE, {"electrical.cable_csa_mm2": 70})
    assert hot["electrical_trip_mtbf_h"] < ok["electrical_trip_mtbf_h"]


def test_a_smaller_substation_deepens_the_start_dip():
    big = face_parameters(load_scenario(BEFORE, overrides={"electrical.transformer_kva": 2000.0})).electrical
    small = face_parameters(load_scenario(BEFORE, overrides={"electrical.transformer_kva": 630.0})).electrical
    assert small.start_dip_fraction > big.start_dip_fraction


# ----------------------------------------------------------------------------------------
# inputs that used to do nothing
# ----------------------------------------------------------------------------------------
def test_depth_heats_the_face_and_slows_handwork_and_stops_work_past_30_c():
    shallow = face_parameters(load_scenario(BEFORE, overrides={"seam.depth_m": 800.0}))
    deep = face_parameters(load_scenario(BEFORE, overrides={"seam.depth_m": 1100.0}))
    assert deep.face_air_c > shallow.face_air_c
    assert deep.shield_speed_m_per_s < shallow.shield_speed_m_per_s
    assert deep.electrical.ampacity_a < shallow.electrical.ampacity_a
    hot = face_parameters(load_scenario(BEFORE, overrides={"seam.depth_m": 1600.0}))
    assert any("work must stop" in reason for reason in hot.reasons)
    assert mean_kpis(BEFORE, {"seam.depth_m": 1100.0})["coal_t"] < mean_kpis(BEFORE, {"seam.depth_m": 800.0})["coal_t"]


def test_a_weak_conveyor_drive_binds_the_cutting_speed():
    weak = mean_kpis(AFTER, {"face.conveyor_power_kw": 60.0}, seeds=[0])
    strong = mean_kpis(AFTER, {"face.conveyor_power_kw": 250.0}, seeds=[0])
    assert weak["limit_share_conveyor"] > 0.2
    assert weak["rom_t"] < strong["rom_t"]


def test_more_end_shields_lengthen_the_face_end_work():
    two_men = {"crew.face_end_men": 2}  # with four men the end work hides behind the shearer's runs
    few = face_parameters(load_scenario(BEFORE, overrides={**two_men, "face.end_shields": 2}))
    many = face_parameters(load_scenario(BEFORE, overrides={**two_men, "face.end_shields": 8}))
    assert many.face_end.end_work_s > few.face_end.end_work_s
    assert many.face_end.total_s > few.face_end.total_s
    assert (mean_kpis(BEFORE, {**two_men, "face.end_shields": 8})["cuts"]
            < mean_kpis(BEFORE, {**two_men, "face.end_shields": 2})["cuts"])


# ----------------------------------------------------------------------------------------
# failure blocks merge field by field
# ----------------------------------------------------------------------------------------
FIELDS = {"mean_time_between_failures_h": 33.0, "repair_median_h": 2.5, "shape": 1.7}


@pytest.mark.parametrize("subsystem", sorted(FAILURE_DEFAULTS))
@pytest.mark.parametrize("field", sorted(FIELDS))
@pytest.mark.parametrize("route", ["yaml", "set", "api"])
def test_one_failure_field_overridden_leaves_the_rest_of_its_block(subsystem, field, route):
    value = FIELDS[field]
    if route == "yaml":
        sc = load_scenario_text(f"failures:\n  {subsystem}:\n    {field}: {value}\n")
    elif route == "set":
        sc = load_scenario_text("name: x\n", overrides=parse_overrides([f"failures.{subsystem}.{field}={value}"]))
    else:
        sc = load_scenario_text("name: x\n", overrides={f"failures.{subsystem}.{field}": value})
    block = getattr(sc.failures, subsystem)
    expected = {**FAILURE_DEFAULTS[subsystem], field: value}
    assert {k: getattr(block, k) for k in expected} == expected


def test_a_face_with_no_usable_power_is_infeasible_not_an_exception():
    sc = load_scenario(BEFORE, overrides={"electrical.cable_length_m": 3000.0, "machine.cutting_power_kw": 2500.0})
    r = simulate(sc, seed=0, days=1)
    assert r.status == "infeasible"
    assert any("voltage collapses" in reason for reason in r.reasons), r.reasons
    assert r.summary["rom_t"] == 0.0
