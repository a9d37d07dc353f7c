"""The reference face (plain simpy) against the fast face: the same runs, the same stops.

The two share the pass physics and the random streams, so what is compared is the
scheduling: failures in operating time, outside stoppages, the crew and the calendar.
Part 1 runs bundled scenarios with every failure on and asks for the same passes, tonnes
and stops; part 2 builds small cases with one forced event each (scripted random streams)
and checks the exact sequence of states in both models against times worked out by hand.
"""

from __future__ import annotations

import math
from functools import cache
from pathlib import Path

import numpy as np
import pytest
import simpy

from seamsim import apply_overrides, load_scenario, simulate
from seamsim.model.calendar import Calendar
from seamsim.model.face import Face
from seamsim.model.parameters import FaceParameters, face_parameters
from seamsim.model.recorder import STATES, Recorder
from seamsim.model.reference_face import run_reference, simulate_reference
from seamsim.model.reference_result import state_sequence
from seamsim.model.streams import named_generators
from seamsim.units import S_PER_DAY, S_PER_H

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"
COMPARED = ("article_before_1140v", "article_after_3300v", "whatif_before_unidirectional", "whatif_after_manual_shields")
SEEDS = (1, 2, 3)
DAYS = 12.0


# --------------------------------------------------------------------------------------
# 1. bundled scenarios, every failure on, several seeds
# --------------------------------------------------------------------------------------
@cache
def _both(name: str, seed: int):
    scenario = load_scenario(SCENARIOS / f"{name}.yaml")
    assert scenario.failures.enabled
    fast = simulate(scenario, seed=seed, days=DAYS)
    reference = simulate_reference(face_parameters(scenario, DAYS), seed=seed)
    return fast, reference


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("name", COMPARED)
def test_the_fast_face_cuts_what_the_reference_cuts(name, seed):
    fast, reference = _both(name, seed)
    assert fast.summary["failures_shields"] + fast.summary["failures_electrical"] > 0, "the comparison needs failures"
    assert abs(fast.summary["cuts"] - reference.webs) <= 1
    one_pass_t = float((fast.passes.coal_t + fast.passes.rock_t).max())
    assert abs(fast.summary["rom_t"] - reference.rom_t) <= one_pass_t
    for books in (fast.time_in_state_s, reference.time_in_state_s):
        assert set(books) == set(STATES)
        assert sum(books.values()) == pytest.approx(DAYS * S_PER_DAY, abs=1e-6)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("name", COMPARED)
def test_the_fast_face_stops_when_the_reference_stops(name, seed):
    """With common random numbers the two agree stop for stop, to rounding."""
    fast, reference = _both(name, seed)
    fast_states = state_sequence(zip(fast.trace.time_s, fast.trace.state, strict=True))
    reference_states = state_sequence(reference.states)
    assert [state for _, state in fast_states] == [state for _, state in reference_states]
    np.testing.assert_allclose([t for t, _ in fast_states], [t for t, _ in reference_states], rtol=0, atol=1e-3)
    for state in STATES:
        assert fast.time_in_state_s[state] == pytest.approx(reference.time_in_state_s[state], abs=1e-3), state
    assert {k: fast.summary[f"failures_{k}"] for k in reference.failures} == reference.failures
    assert fast.summary["jam_stops"] == reference.jam_stops
    assert fast.summary["pick_changes"] == reference.pick_changes


def test_a_reference_run_is_reproducible_and_seeds_differ():
    scenario = load_scenario(SCENARIOS / "article_after_3300v.yaml")
    p = face_parameters(scenario, 4.0)
    a, b, c = simulate_reference(p, 7), simulate_reference(p, 7), simulate_reference(p, 8)
    assert a.states == b.states and a.rom_t == b.rom_t
    assert a.states != c.states


def test_the_reference_refuses_a_face_that_cannot_be_worked():
    scenario = apply_overrides(load_scenario(SCENARIOS / "article_before_1140v.yaml"), {"crew.shearer_drivers": 0})
    with pytest.raises(ValueError, match="cannot"):
        simulate_reference(face_parameters(scenario, 1.0), 0)


# --------------------------------------------------------------------------------------
# 2. small cases with one forced event each
# --------------------------------------------------------------------------------------
class Scripted:
    """Stands in for a numpy Generator: returns the given standard variates, then a default.

    ``standard_exponential`` and ``weibull`` return the next of ``values`` (a time to
    failure or a gap, in units of its scale), ``standard_normal`` the next of ``normals``
    (a log-normal's z: 0 gives the median).
    """

    def __init__(self, values=(), normals=(), default=1e9) -> None:
        self.values = list(values)
        self.normals = list(normals)
        self.default = default

    def standard_exponential(self):
        return self.values.pop(0) if self.values else self.default

    def weibull(self, shape):
        return self.standard_exponential()

    def standard_normal(self):
        return self.normals.pop(0) if self.normals else 0.0


QUIET = {
    "run.seam_variability": False,
    "roof.weighting_convergence_mm": 0.0,
    "seam.floor_curvature_radius_m": 10000.0,  # no body sag: no jams
    "machine.picks_on_drums": 300,  # no pick change within the cases
    "machine.pick_change_worn_share": 0.6,
    "failures.roof_events_enabled": False,
    "failures.conveyor.enabled": False,
    "failures.shields.enabled": False,
    "failures.shearer.distribution": "exponential",
    "failures.shearer.mean_time_between_failures_h": 1.0,
    "failures.shearer.repair_median_h": 1.0,
    "failures.outbye_blocked_fraction": 0.0,
    "failures.comms_outage_rate_per_h": 0.0,
}
"""Every random stop off but the shearer's failures (whose draws the cases script)."""


def _parameters(name: str, days: float, overrides: dict) -> FaceParameters:
    scenario = apply_overrides(load_scenario(SCENARIOS / f"{name}.yaml"), {**QUIET, **overrides})
    p = face_parameters(scenario, days)
    assert not p.reasons, p.reasons
    return p


def _streams(scripts: dict) -> dict:
    """Real streams for the seam, scripted ones for the rest (no trip, no shearer failure unless told)."""
    streams = named_generators(0)
    streams.update({name: Scripted() for name in streams if name not in ("seam", "jam")})
    streams.update({name: Scripted(**script) for name, script in scripts.items()})
    return streams


def _fast_states(p: FaceParameters, scripts: dict):
    env = simpy.Environment()
    recorder = Recorder()
    face = Face(env, p, _streams(scripts), recorder)
    face.calendar = Calendar(env, p, face)
    env.run(until=p.horizon_s)
    face.finish()
    trace = sorted(recorder.trace, key=lambda point: point[0])
    return state_sequence((t, state) for t, _, state in trace), recorder.events


def _reference_states(p: FaceParameters, scripts: dict):
    result = run_reference(p, _streams(scripts))
    return state_sequence(result.states), result.events


def _assert_both(p: FaceParameters, scripts: dict, expected: list[tuple[float, str]]) -> tuple[list, list]:
    """Both models go through ``expected`` (time, state) first; return their event logs."""
    logs = []
    for run in (_fast_states, _reference_states):
        states, events = run(p, scripts)
        got = states[:len(expected)]
        assert [s for _, s in got] == [s for _, s in expected], run.__name__
        np.testing.assert_allclose([t for t, _ in got], [t for t, _ in expected], rtol=0, atol=1e-3, err_msg=run.__name__)
        logs.append(events)
    return logs


def _first_shift(p: FaceParameters, failure_after_s: float):
    """The shearer fails after ``failure_after_s`` of cutting in the first shift: (travel in, failure time, script)."""
    change_s = p.shift_change_start_s
    return change_s, change_s + failure_after_s, {"shearer.tbf": {"values": [failure_after_s / S_PER_H]}}


def _outbye(p: FaceParameters, start_s: float, length_s: float) -> dict:
    """Script one outbye stoppage from ``start_s`` lasting ``length_s``."""
    f = p.stoppages
    mean_stop_s = f.outbye_stop_median_s * math.exp(0.5 * f.outbye_stop_sigma_ln**2)
    mean_up_s = mean_stop_s * (1.0 - f.outbye_blocked_fraction) / f.outbye_blocked_fraction
    z = math.log(length_s / f.outbye_stop_median_s) / f.outbye_stop_sigma_ln
    return {"outbye.up": {"values": [start_s / mean_up_s]}, "outbye.down": {"normals": [z]}}


def test_an_outbye_stoppage_that_outlasts_a_repair_keeps_the_face_stopped():
    p = _parameters("article_before_1140v", 1.0, {"failures.outbye_blocked_fraction": 0.1})
    change_s, fail_s, scripts = _first_shift(p, 3600.0)
    repair_s = p.stoppages.modes["shearer"].repair_median_s
    scripts.update(_outbye(p, fail_s + 1800.0, 3600.0))
    _assert_both(p, scripts, [
        (0.0, "shift_change"), (change_s, "running"), (fail_s, "shearer_repair"),
        (fail_s + repair_s, "outbye_blocked"), (fail_s + 1800.0 + 3600.0, "running"),
        (8 * S_PER_H - p.shift_change_end_s, "shift_change"),
    ])


def test_an_outbye_stoppage_inside_a_repair_leaves_no_trace():
    p = _parameters("article_before_1140v", 1.0, {"failures.outbye_blocked_fraction": 0.1})
    change_s, fail_s, scripts = _first_shift(p, 3600.0)
    repair_s = p.stoppages.modes["shearer"].repair_median_s
    scripts.update(_outbye(p, fail_s + 600.0, 600.0))
    _assert_both(p, scripts, [
        (0.0, "shift_change"), (change_s, "running"), (fail_s, "shearer_repair"),
        (fail_s + repair_s, "running"), (8 * S_PER_H - p.shift_change_end_s, "shift_change"),
    ])


def test_a_repair_with_no_fitter_on_shift_waits_for_the_maintenance_shift_and_runs_under_it():
    p = _parameters("article_before_1140v", 2.0, {"crew.fitters": 0, "crew.patrol_qualified_fitters": 0})
    assert p.crew.fitters_on_production_shift == 0 and p.crew.maintenance_crew > 0
    change_s, fail_s, scripts = _first_shift(p, 3600.0)
    repair_s = 10 * S_PER_H  # outlasts the maintenance shift
    scripts["shearer.ttr"] = {"normals": [math.log(repair_s / p.stoppages.modes["shearer"].repair_median_s)
                                          / p.stoppages.modes["shearer"].repair_sigma_ln]}
    shift_s = p.shift_length_s
    end_s = p.shift_change_end_s
    _assert_both(p, scripts, [
        (0.0, "shift_change"), (change_s, "running"), (fail_s, "waiting_for_crew"),
        (shift_s - end_s, "shift_change"), (shift_s + change_s, "waiting_for_crew"),
        (2 * shift_s - end_s, "shift_change"), (2 * shift_s, "maintenance"),
        # the maintenance fitter starts at 16:00; the repair goes on under the next travel-in
        (S_PER_DAY, "shift_change"), (S_PER_DAY + change_s, "shearer_repair"), (2 * shift_s + repair_s, "running"),
    ])


def test_a_radio_outage_that_stops_the_running_shearer_adds_the_restart_one_in_a_stop_does_not():
    p = _parameters("article_after_3300v", 1.0, {"failures.outbye_blocked_fraction": 0.1,
                                                 "failures.comms_outage_rate_per_h": 0.25})
    f = p.stoppages
    restart_s = f.comms_restart_s
    assert restart_s > 0 and p.shift_change_end_s == 0
    change_s = p.shift_change_start_s
    first_s, outage_s = change_s + 3600.0, 120.0
    # the second outage begins during an outbye stoppage that stopped the running shearer
    outbye_s = first_s + outage_s + restart_s + 900.0
    second_s = outbye_s + 600.0
    second_outage_s = 1500.0
    scripts = {
        "comms.arrival": {"values": [first_s * f.comms_outage_rate_per_s,
                                     (second_s - first_s - outage_s) * f.comms_outage_rate_per_s]},
        "comms.duration": {"normals": [math.log(outage_s / f.comms_outage_median_s) / f.comms_outage_sigma_ln,
                                       math.log(second_outage_s / f.comms_outage_median_s) / f.comms_outage_sigma_ln]},
        **_outbye(p, outbye_s, 1200.0),
    }
    _assert_both(p, scripts, [
        (0.0, "shift_change"), (change_s, "running"), (first_s, "comms_outage"),
        (first_s + outage_s + restart_s, "running"), (outbye_s, "outbye_blocked"),
        (outbye_s + 1200.0, "comms_outage"), (second_s + second_outage_s, "running"),
        (8 * S_PER_H, "shift_change"),
    ])


def test_an_outbye_stoppage_during_a_radio_outage_shows_once_the_outage_and_its_restart_end():
    p = _parameters("article_after_3300v", 1.0, {"failures.outbye_blocked_fraction": 0.1,
                                                 "failures.comms_outage_rate_per_h": 0.25})
    f = p.stoppages
    change_s = p.shift_change_start_s
    outage_at_s, outage_s = change_s + 3600.0, 300.0
    scripts = {
        "comms.arrival": {"values": [outage_at_s * f.comms_outage_rate_per_s]},
        "comms.duration": {"normals": [math.log(outage_s / f.comms_outage_median_s) / f.comms_outage_sigma_ln]},
        **_outbye(p, outage_at_s + 60.0, 1800.0),
    }
    _assert_both(p, scripts, [
        (0.0, "shift_change"), (change_s, "running"), (outage_at_s, "comms_outage"),
        (outage_at_s + outage_s + f.comms_restart_s, "outbye_blocked"), (outage_at_s + 60.0 + 1800.0, "running"),
    ])


def test_preventive_maintenance_acts_on_the_clocks_as_they_stand_when_it_begins():
    """A hot-seat face runs up to the maintenance shift; its work makes a wear-out shearer younger."""
    p = _parameters("article_after_3300v", 2.0, {"failures.shearer.distribution": "weibull",
                                                 "failures.shearer.shape": 2.0,
                                                 "failures.shearer.mean_time_between_failures_h": 20.0})
    assert p.shift_change_end_s == 0 and p.maintenance_effectiveness < 1
    mode = p.stoppages.modes["shearer"]
    eta_s = mode.mean_time_between_failures_s / math.gamma(1.0 + 1.0 / mode.shape)
    age_s = 2 * (p.shift_length_s - p.shift_change_start_s)  # operating time when maintenance begins at 16:00
    to_failure_s = age_s + 1800.0  # half an hour of cutting was left before it
    hazard_left = ((to_failure_s) / eta_s) ** 2 - (age_s / eta_s) ** 2
    young_s = p.maintenance_effectiveness * age_s
    left_s = eta_s * math.sqrt((young_s / eta_s) ** 2 + hazard_left) - young_s
    assert left_s > 1800.0  # younger, it lasts longer
    fail_s = S_PER_DAY + p.shift_change_start_s + left_s
    scripts = {"shearer.tbf": {"values": [to_failure_s / eta_s]}}
    logs = _assert_both(p, scripts, [
        (0.0, "shift_change"), (p.shift_change_start_s, "running"), (p.shift_length_s, "shift_change"),
        (p.shift_length_s + p.shift_change_start_s, "running"), (2 * p.shift_length_s, "maintenance"),
        (S_PER_DAY, "shift_change"), (S_PER_DAY + p.shift_change_start_s, "running"), (fail_s, "shearer_repair"),
    ])
    for events in logs:
        assert [(round(t, 3), state) for t, state, *_ in events] == [(round(fail_s, 3), "shearer_repair")]

