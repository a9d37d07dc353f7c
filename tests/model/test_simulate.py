"""The face model: closed-form check, invariants, reproducibility, infeasibility."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from seamsim import apply_overrides, load_scenario, simulate
from seamsim.model.parameters import face_parameters
from seamsim.model.recorder import OPERATING_STATES, STATES
from seamsim.scenario.schema import Scenario

REPO = Path(__file__).resolve().parents[2]
SCENARIOS = REPO / "scenarios"
BEFORE = SCENARIOS / "article_before_1140v.yaml"
AFTER = SCENARIOS / "article_after_3300v.yaml"

DETERMINISTIC = {
    "failures.enabled": False,
    "run.seam_variability": False,
    "roof.weighting_convergence_mm": 0.0,
    "seam.floor_curvature_radius_m": 10000.0,  # 0.6 mm of body sag: coal only
    "machine.picks_on_drums": 300,  # the picks last the day; the maintenance shift renews them
    "machine.pick_change_worn_share": 0.6,
}


def _evans_chip_depth_mm(force_kn: float, strength_mpa: float) -> float:
    """Evans' chip depth for an 80° pick with σ_t = σ_c/10 [mm]."""
    sigma_c = strength_mpa * 1e6
    return math.cos(math.radians(40.0)) * math.sqrt(force_kn * 1e3 * sigma_c / (16 * math.pi)) / (sigma_c / 10) * 1e3


def _closed_form_speed_m_per_min(s: Scenario) -> tuple[float, str]:
    chip_mm = min(s.machine.max_chip_depth_mm, _evans_chip_depth_mm(s.machine.allowed_pick_force_kn, s.seam.coal_compressive_strength_mpa))
    pick = chip_mm / 1000 * s.machine.picks_per_line * s.machine.drum_speed_rpm
    machine = s.machine.max_cutting_speed_m_per_min
    return (pick, "pick") if pick < machine else (machine, "machine")


def _closed_form_cuts(sc: Scenario, days: float) -> float:
    """Cuts in ``days`` from a closed-form cycle time (pass plus face ends) with U = 1: operating time / cycle time."""
    s = sc
    v_m_per_min, _ = _closed_form_speed_m_per_min(s)
    op = s.operation
    # the automated face end, step by step: three reversals, the oblique sump run at 70 % of the
    # cutting speed, the triangle coal back; the push, end shields and stage loader run behind
    # the shearer and only what does not fit in those runs is a wait
    runs_min = op.sump_travel_m / (op.sump_speed_share * v_m_per_min) + op.sump_travel_m / v_m_per_min
    end_work_min = (op.automated_face_end_push_min + op.automated_face_end_stage_loader_min
                    + 0.5 * s.face.end_shields * op.eh_shield_cycle_s / 60)
    face_end_min = 3 * op.automated_face_end_reversal_min + runs_min + max(0.0, end_work_min - runs_min)
    cycle_min = s.face.length_m / v_m_per_min + face_end_min
    available_min_per_shift = s.calendar.shift_length_h * 60 - s.calendar.handover_min
    return days * s.calendar.production_shifts_per_day * available_min_per_shift / cycle_min


@pytest.mark.parametrize("days", [1.0, 7.0, 30.0])
def test_deterministic_run_equals_closed_form_cycle_arithmetic(days):
    sc = apply_overrides(load_scenario(AFTER), DETERMINISTIC)
    r = simulate(sc, seed=3, days=days)
    expected = _closed_form_cuts(sc, days)
    # one pass of slack for the web under way at the horizon
    assert abs(r.summary["cuts"] - expected) <= 1.0
    tonnes_per_web = 150 * 0.63 * 0.8 * 1.38 * 0.97
    assert r.summary["rock_t"] == pytest.approx(0.0, abs=1e-9)
    assert abs(r.summary["rom_t"] - expected * tonnes_per_web) <= tonnes_per_web
    assert r.summary[f"limit_share_{_closed_form_speed_m_per_min(sc)[1]}"] == pytest.approx(1.0)
    assert r.summary["pick_changes"] == 0


def test_deterministic_run_does_not_depend_on_seed():
    sc = apply_overrides(load_scenario(AFTER), DETERMINISTIC)
    assert simulate(sc, seed=1, days=3).summary == simulate(sc, seed=99, days=3).summary


def test_shield_limited_face_cuts_at_the_shield_speed():
    # manual shields, 2 pairs at 60 s per 1.5 m shield: 3 m/min, with a 5-shield head start
    # 33.3 s at the valves × 1.5 in a 0.8 m seam + 1.5 m crawled at 0.15 m/s = 60 s a shield
    sc = apply_overrides(load_scenario(BEFORE), {**DETERMINISTIC, "operation.manual_shield_valve_s": 100 / 3,
                                                 "crew.shield_men": 4})
    r = simulate(sc, seed=0, days=2)
    expected_pass_s = (150 - 5 * 1.5) / (3.0 / 60)
    passes = r.passes[r.passes.complete]
    durations = passes.end_s - passes.start_s
    # uninterrupted passes take exactly the shield-limited time
    assert durations.min() == pytest.approx(expected_pass_s, rel=1e-9)
    # the 630 mm machine cuts rock all along: the picks allow the mudstone's Evans chip depth
    # at the drum speed kept in rock (2.5 m/s tips on a 0.7 m drum), under the machine's 4 m/min
    s = sc
    rock_rpm = 60 * s.machine.max_tip_speed_in_rock_m_per_s / (math.pi * s.machine.drum_diameter_m)
    chip_mm = min(s.machine.max_chip_depth_mm,
                  _evans_chip_depth_mm(s.machine.allowed_pick_force_kn, s.seam.rock_compressive_strength_mpa))
    v_free = min(4.0, chip_mm / 1000 * s.machine.picks_per_line * rock_rpm)
    # the first x metres run at v_free until the shields, 7.5 m behind at 3 m/min, use up the
    # lag: (x - 7.5)/3 = x/v_free; the rest of the 150 m are shield-bound
    x = 2.5 / (1 / 3.0 - 1 / v_free)
    assert r.limit_share["shields"] == pytest.approx((150 - x) / 150, abs=0.015)
    assert r.time_in_state_s["waiting_for_shields"] > 0


@pytest.mark.parametrize("path", [BEFORE, AFTER])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_time_in_states_sums_to_the_horizon(path, seed):
    r = simulate(load_scenario(path), seed=seed, days=10)
    total = math.fsum(r.time_in_state_s.values())
    assert total == pytest.approx(10 * 86400, abs=1e-6)
    assert set(r.time_in_state_s) == set(STATES)
    assert r.time_in_state_s["idle"] == pytest.approx(0.0, abs=1e-6)
    assert all(v >= -1e-6 for v in r.time_in_state_s.values())


@pytest.mark.parametrize("path", [BEFORE, AFTER])
def test_tonnes_equal_the_sum_over_passes(path):
    r = simulate(load_scenario(path), seed=5, days=10)
    assert r.passes.coal_t.sum() == pytest.approx(r.summary["coal_t"], rel=1e-12)
    assert r.passes.rock_t.sum() == pytest.approx(r.summary["rock_t"], rel=1e-12, abs=1e-9)
    assert r.summary["cuts"] == r.passes.complete.sum()
    assert r.summary["rom_t"] == pytest.approx(r.summary["coal_t"] + r.summary["rock_t"])


def test_same_seed_same_numbers_and_different_seeds_differ():
    sc = load_scenario(BEFORE)
    a, b, c = simulate(sc, seed=7, days=5), simulate(sc, seed=7, days=5), simulate(sc, seed=8, days=5)
    assert a.summary == b.summary
    assert a.events.equals(b.events)
    assert a.summary["rom_t"] != c.summary["rom_t"]


def test_seed_sequence_and_int_seed_agree():
    sc = load_scenario(AFTER)
    assert simulate(sc, seed=11, days=2).summary == simulate(sc, seed=np.random.SeedSequence(11), days=2).summary


def test_bad_seed_is_refused_with_a_message():
    with pytest.raises(ValueError, match="seed"):
        simulate(load_scenario(AFTER), seed=-1, days=1)


def test_running_ratio_and_kpis_are_consistent():
    r = simulate(load_scenario(AFTER), seed=2, days=7)
    s = r.summary
    assert 0.0 <= s["running_ratio"] <= 1.0
    assert s["cuts_per_day"] == pytest.approx(s["cuts"] / 7)
    assert s["face_advance_m"] == pytest.approx(s["cuts"] * 0.63)
    assert s["rom_t_per_month"] == pytest.approx(s["rom_t"] * 30 / 7)
    assert s["t_per_worker_shift"] == pytest.approx(s["rom_t"] / (6 * 14))
    assert s["kwh_per_t"] == pytest.approx(s["energy_kwh"] / s["rom_t"])
    assert 0 < s["cable_loss_kwh"] < s["energy_kwh"]
    assert sum(r.limit_share.values()) == pytest.approx(1.0)


def test_remote_face_has_comms_outages_and_manual_face_has_none():
    after = simulate(load_scenario(AFTER), seed=1, days=10)
    before = simulate(load_scenario(BEFORE), seed=1, days=10)
    assert (after.events.event == "comms_outage").any()
    assert not (before.events.event == "comms_outage").any()
    assert before.time_in_state_s["shift_change"] > after.time_in_state_s["shift_change"]


def test_the_630_mm_machine_cuts_rock_and_jams_more_than_the_588_mm_one():
    before = [simulate(load_scenario(BEFORE), seed=s, days=15).summary for s in range(3)]
    after = [simulate(load_scenario(AFTER), seed=s, days=15).summary for s in range(3)]
    assert np.mean([b["rock_share"] for b in before]) > 1.5 * np.mean([a["rock_share"] for a in after])
    assert np.mean([b["time_jam_h"] for b in before]) > np.mean([a["time_jam_h"] for a in after])


def test_repairs_wait_for_a_fitter_when_none_is_on_the_production_shift():
    sc = apply_overrides(load_scenario(AFTER), {"crew.fitters": 0})
    r = simulate(sc, seed=4, days=20)
    assert r.status == "ok"
    assert r.time_in_state_s["waiting_for_crew"] > 0
    assert any("maintenance shift" in w for w in r.warnings)


def test_unidirectional_cutting_cuts_fewer_webs_than_bidirectional():
    sc = apply_overrides(load_scenario(AFTER), DETERMINISTIC)
    bi = simulate(sc, seed=0, days=5)
    uni = simulate(apply_overrides(sc, {"operation.cutting_mode": "unidirectional"}), seed=0, days=5)
    assert uni.summary["cuts"] < bi.summary["cuts"]
    assert uni.time_in_state_s["flitting"] > 0
    assert bi.time_in_state_s["flitting"] == 0


def test_trace_moves_along_the_face_and_stays_on_it():
    r = simulate(load_scenario(AFTER), seed=0, days=2)
    t = r.trace
    assert t.time_s.is_monotonic_increasing
    assert t.position_m.between(0, 150).all()
    assert t.position_m.max() == pytest.approx(150.0)
    assert {"cutting", "end_operations"} <= set(t.state)


def test_failures_are_counted_in_operating_time():
    # with the face stopped all month by a crew that cannot work it, nothing fails
    sc = apply_overrides(load_scenario(AFTER), {"calendar.handover_min": 0})
    r = simulate(sc, seed=1, days=30)
    operating_h = sum(r.time_in_state_s[s] for s in OPERATING_STATES) / 3600
    failures = sum(r.summary[f"failures_{k}"] for k in ("shearer", "conveyor", "shields", "electrical"))
    expected = operating_h * (1 / 60 + 1 / 80 + 1 / 15 + 1 / r.summary["electrical_trip_mtbf_h"])
    assert 0.5 * expected < failures < 1.5 * expected


# --------------------------------------------------------------------------------------
# infeasible faces: reported with reasons, never an exception or a silent zero
# --------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("overrides", "phrase"),
    [
        ({"seam.height_m": 0.55}, "cannot pass"),
        ({"crew.remote_operators": 0}, "remote operator"),
        ({"operation.shield_control": "manual"}, "shield men"),
        ({"electrical.supply_voltage_v": 1140, "machine.cutting_power_kw": 900}, "cable"),
        ({"crew.fitters": 0, "calendar.production_shifts_per_day": 3}, "no fitter"),
        ({"calendar.roadway_length_m": 8000, "calendar.roadway_speed_m_per_s": 1.0, "calendar.handover": "bank_to_bank",
          "operation.remote_control": False, "crew.shearer_drivers": 2,
          "crew.conveyor_drivers": 1, "calendar.shift_length_h": 4}, "travel"),
    ],
)
def test_infeasible_faces_are_reported_with_reasons(overrides, phrase):
    r = simulate(apply_overrides(load_scenario(AFTER), overrides), seed=0, days=3)
    assert r.status == "infeasible"
    assert any(phrase in reason for reason in r.reasons), r.reasons
    assert r.summary["rom_t"] == 0.0
    assert r.time_in_state_s["infeasible"] == pytest.approx(3 * 86400)


def test_a_motor_that_cannot_start_is_infeasible():
    sc = apply_overrides(load_scenario(AFTER), {
        "electrical.supply_voltage_v": 1140, "electrical.cable_csa_mm2": 185, "electrical.cable_count": 3,
        "electrical.cable_length_m": 2500, "machine.cutting_power_kw": 1000, "machine.cutting_motor_count": 1,
    })
    r = simulate(sc, seed=0, days=1)
    assert r.status == "infeasible"
    assert any("cannot start" in reason for reason in r.reasons)


def test_parameters_of_the_article_faces_show_the_story():
    before, after = face_parameters(load_scenario(BEFORE)), face_parameters(load_scenario(AFTER))
    assert before.electrical.rated_current_a > 2 * after.electrical.rated_current_a
    # the cable's share of the start dip is the voltage's doing; the substation's is the same per unit
    assert before.electrical.restart_cable_dip_v / 1140 > 3 * after.electrical.restart_cable_dip_v / 3300
    assert before.electrical.start_dip_fraction > after.electrical.start_dip_fraction + 0.03
    assert before.electrical.nominal_trip_rate_per_h > 1.3 * after.electrical.nominal_trip_rate_per_h
    assert before.crew.per_production_shift == 20
    assert after.crew.per_production_shift == 6


def test_trace_points_stop_where_the_shearer_is():
    """A stop is traced at the shearer's position, and every pass starts with a cutting point."""
    r = simulate(load_scenario(BEFORE), seed=0, days=10)
    trace = r.trace
    passes = r.passes[r.passes.complete]
    cutting_starts = trace[trace.state == "cutting"].time_s.to_numpy()
    assert np.isin(passes.start_s.to_numpy(), cutting_starts).all()
    # between two consecutive trace points the shearer moves no faster than it can travel
    dt = np.diff(trace.time_s.to_numpy())
    dx = np.abs(np.diff(trace.position_m.to_numpy()))
    moving = dt > 0
    assert (dx[moving] / dt[moving] <= 10 / 60 + 1e-9).all()
    assert (dx[~moving] < 1e-6).all()
    # repairs are logged where the machine stopped, matching the trace at that time
    for _, event in r.events[r.events.event == "shearer_repair"].iterrows():
        at = trace[trace.time_s == event.time_s]
        assert np.isclose(at.position_m, event.position_m).any()
