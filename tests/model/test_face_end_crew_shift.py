"""The face ends, the crew and the shift as mechanisms (direction tests and exact logs)."""

from __future__ import annotations

import numpy as np
import pytest
import simpy

from seamsim import load_scenario, simulate
from seamsim.model.crew import CrewPool
from seamsim.model.parameters import face_parameters, idle_closure_m
from seamsim.model.recorder import OPERATING_STATES, RUNNING_STATES

BEFORE = "scenarios/article_before_1140v.yaml"
AFTER = "scenarios/article_after_3300v.yaml"


def mean_kpis(path: str, overrides: dict, seeds=range(4)) -> dict[str, float]:
    sc = load_scenario(path, overrides=overrides)
    runs = [simulate(sc, seed=s) for s in seeds]
    assert all(r.ok for r in runs), runs[0].reasons
    return {k: float(np.mean([r.summary[k] for r in runs])) for k in runs[0].summary}


# ----------------------------------------------------------------------------------------
# the face end as steps
# ----------------------------------------------------------------------------------------
def test_face_end_time_is_a_result_of_the_steps_in_the_reference_ranges():
    manual = face_parameters(load_scenario(BEFORE, overrides={"crew.face_end_men": 2})).face_end
    automated = face_parameters(load_scenario(AFTER)).face_end
    assert 25 * 60 <= manual.total_s <= 45 * 60, manual  # 2 end men in 0.8 m
    assert 8 * 60 <= automated.total_s <= 15 * 60, automated
    assert manual.reversals_s > automated.reversals_s
    # the same machine and shields, only the face-end mode changed: the steps make the difference
    by_hand = face_parameters(load_scenario(AFTER, overrides={"operation.face_end_mode": "manual", "crew.face_end_men": 2}))
    assert by_hand.face_end.total_s > automated.total_s + 5 * 60


def test_more_end_men_speed_the_manual_end_up_to_the_limit():
    totals = [face_parameters(load_scenario(BEFORE, overrides={"crew.face_end_men": n})).face_end.total_s
              for n in (1, 2, 3, 4, 6)]
    assert totals[0] > totals[1] > totals[2] >= totals[3] == totals[4], totals
    cuts = [mean_kpis(BEFORE, {"crew.face_end_men": n})["cuts"] for n in (1, 2, 4)]
    assert cuts[0] < cuts[1] <= cuts[2], cuts


def test_a_thicker_seam_shortens_manual_shield_and_face_end_work():
    thin = face_parameters(load_scenario(BEFORE, overrides={"seam.height_m": 0.8, "crew.face_end_men": 2}))
    thick = face_parameters(load_scenario(BEFORE, overrides={"seam.height_m": 1.2, "crew.face_end_men": 2}))
    assert thick.shield_speed_m_per_s > thin.shield_speed_m_per_s
    assert thick.face_end.end_work_s < thin.face_end.end_work_s
    assert thick.travel_to_face_s < thin.travel_to_face_s  # the crawl along the face


def test_more_shield_men_raise_output_up_to_the_hydraulic_limit():
    speeds = [face_parameters(load_scenario(BEFORE, overrides={"crew.shield_men": n})).shield_speed_m_per_s
              for n in (1, 2, 4, 6, 8)]
    assert speeds[0] < speeds[1] < speeds[2] < speeds[3] == speeds[4], speeds  # 3 advances at most
    coal = [mean_kpis(BEFORE, {"crew.shield_men": n})["coal_t"] for n in (2, 4, 6)]
    assert coal[0] < coal[1] < coal[2], coal


def test_a_crew_too_small_works_slower_before_it_is_infeasible():
    one = face_parameters(load_scenario(BEFORE, overrides={"crew.shield_men": 1}))
    assert one.reasons == () and any("slower" in w for w in one.warnings)
    none = face_parameters(load_scenario(BEFORE, overrides={"crew.shield_men": 0}))
    assert any("shield men" in r for r in none.reasons)


def test_the_running_ratio_counts_cutting_the_ends_and_sumping():
    assert set(RUNNING_STATES) == {"cutting", "sumping", "triangle_coal", "flitting"}
    assert set(RUNNING_STATES) <= OPERATING_STATES
    r = simulate(load_scenario(AFTER), seed=1, days=5)
    running = sum(r.time_in_state_s[s] for s in RUNNING_STATES)
    assert r.time_in_state_s["triangle_coal"] > 0 and r.time_in_state_s["reversals"] > 0
    scheduled = 5 * 2 * 8 * 3600
    assert r.summary["running_ratio"] == pytest.approx(running / scheduled)


# ----------------------------------------------------------------------------------------
# crew as capacity
# ----------------------------------------------------------------------------------------
def test_two_failures_with_one_fitter_wait_for_each_other_exact_log():
    env = simpy.Environment()
    pool = CrewPool(env, {"production": (("fitter", "picks"),)})
    log: list[tuple[float, str]] = []

    def repair(name: str, duration: float):
        request = pool.request("fitter")
        log.append((env.now, f"{name} asks"))
        token = yield request
        log.append((env.now, f"{name} starts"))
        yield env.timeout(duration)
        pool.release(token)
        log.append((env.now, f"{name} done"))

    env.process(repair("shearer", 2.0))
    env.process(repair("conveyor", 3.0))
    env.run()
    assert log == [
        (0.0, "shearer asks"), (0.0, "conveyor asks"), (0.0, "shearer starts"),
        (2.0, "shearer done"), (2.0, "conveyor starts"), (5.0, "conveyor done"),
    ]


def test_a_new_shift_brings_new_people_and_off_shift_nobody():
    env = simpy.Environment()
    pool = CrewPool(env, {"production": (("electrician",),), "maintenance": (("fitter", "electrician", "picks"),) * 2})
    request = pool.request("fitter")
    assert not request.triggered  # no fitter on a production shift
    pool.set_shift("off_shift")
    assert not request.triggered
    pool.set_shift("maintenance")
    assert request.triggered
    assert pool.request("fitter").triggered and not pool.request("fitter").triggered


def test_a_patrolman_qualified_as_fitter_shortens_the_wait_for_crew():
    no_fitter = {"crew.fitters": 0, "failures.shearer.mean_time_between_failures_h": 20.0}
    waiting = mean_kpis(AFTER, no_fitter)["time_waiting_for_crew_h"]
    qualified = mean_kpis(AFTER, {**no_fitter, "crew.patrol_qualified_fitters": 1})["time_waiting_for_crew_h"]
    assert waiting > 5 and qualified < 0.5 * waiting, (waiting, qualified)


# ----------------------------------------------------------------------------------------
# the shift
# ----------------------------------------------------------------------------------------
def test_travel_comes_from_depth_and_roadways_and_the_handover_policy_decides_the_stop():
    base = face_parameters(load_scenario(BEFORE))
    deeper = face_parameters(load_scenario(BEFORE, overrides={"seam.depth_m": 1100.0}))
    longer = face_parameters(load_scenario(BEFORE, overrides={"calendar.roadway_length_m": 4000.0}))
    assert deeper.travel_to_face_s > base.travel_to_face_s < longer.travel_to_face_s
    assert 35 * 60 < base.travel_to_face_s < 55 * 60
    assert base.shift_change_start_s == base.shift_change_end_s == base.travel_to_face_s
    at_face = face_parameters(load_scenario(BEFORE, overrides={"calendar.handover": "at_face"}))
    assert at_face.shift_change_start_s == 600.0 and at_face.shift_change_end_s == 0.0
    assert mean_kpis(BEFORE, {"calendar.handover": "at_face"})["coal_t"] > mean_kpis(BEFORE, {})["coal_t"]
    hot_seat = face_parameters(load_scenario(BEFORE, overrides={"calendar.handover": "hot_seat"}))
    assert any("hot-seat" in r for r in hot_seat.reasons)


def _failures_per_operating_hour(overrides: dict) -> float:
    sc = load_scenario(AFTER, overrides=overrides)
    failures = hours = 0.0
    for seed in range(6):
        r = simulate(sc, seed=seed, days=60)
        failures += sum(r.summary[f"failures_{s}"] for s in ("shearer", "conveyor", "shields"))
        hours += sum(r.time_in_state_s[s] for s in OPERATING_STATES) / 3600
    return failures / hours


def test_without_a_maintenance_shift_the_face_pays_in_failures():
    two_plus_one = _failures_per_operating_hour({})
    three = _failures_per_operating_hour({"calendar.production_shifts_per_day": 3})
    assert three > 1.1 * two_plus_one, (two_plus_one, three)
    # exponential failures do not wear out: maintenance cannot help them
    flat = {f"failures.{s}.distribution": "exponential" for s in ("shearer", "conveyor", "shields")}
    assert _failures_per_operating_hour({**flat, "calendar.production_shifts_per_day": 3}) == pytest.approx(
        _failures_per_operating_hour(flat), rel=0.15)


# ----------------------------------------------------------------------------------------
# time at depth
# ----------------------------------------------------------------------------------------
def test_a_long_stand_closes_the_roof_and_the_next_pass_cuts_more_rock():
    p = face_parameters(load_scenario(AFTER))
    assert idle_closure_m(p, p.routine_stop_s) == 0.0
    assert idle_closure_m(p, 24 * 3600) > idle_closure_m(p, 12 * 3600) > 0.0
    short = {"failures.roof_event_median_h": 0.1, "failures.roof_event_sigma_ln": 0.0}
    long = {"failures.roof_event_median_h": 20.0, "failures.roof_event_sigma_ln": 0.0}
    for seed in range(2):
        stood = simulate(load_scenario(AFTER, overrides=long), seed=seed)
        normal = simulate(load_scenario(AFTER, overrides=short), seed=seed)
        events = stood.events[stood.events.event == "roof_event"]
        assert len(events) >= 2
        # the web cut right after each 20 h stand, against the same web (same seam) without it
        ends = events.time_s + events.duration_s
        after_stand = [int(stood.passes[stood.passes.start_s >= t].web.min()) for t in ends
                       if (stood.passes.start_s >= t).any()]
        rock_stood = stood.passes.set_index("web").rock_t.reindex(after_stand)
        rock_normal = normal.passes.set_index("web").rock_t.reindex(after_stand)
        both = rock_stood.notna() & rock_normal.notna()
        assert both.sum() >= 2
        assert (rock_stood[both] > rock_normal[both] + 0.5).all(), (rock_stood[both], rock_normal[both])
