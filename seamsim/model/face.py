"""The face: shearer cycle, shield advance, conveyor and the shearer's position.

One simpy process, :meth:`Face.run`, works the cutting cycle as a sequence of
*activities*: a pass along the face (one web), then the face-end work (end-of-face
operations, the oblique sumping run and, uni-directionally, the return run). A pass is
one activity whose time profile along the face comes from :mod:`seamsim.model.profile`
(numpy, segment by segment); simpy only sees its start, its end and the interruptions in
between. Other processes (calendar, repairs, outbye, comms) stop the face through
:meth:`Face.stop_for` and :meth:`Face.release`; the face finds the shearer's position at
an interruption from the cumulative time profile.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Generator

import numpy as np
import simpy

from seamsim.model.crew import CrewPool
from seamsim.model.failures import (
    REPAIR_STATE,
    SUBSYSTEMS,
    FailureClocks,
    OutsideStops,
    lognormal_from_median,
)
from seamsim.model.parameters import FaceParameters, idle_closure_m
from seamsim.model.profile import LIMIT_NAMES, PassBlock
from seamsim.model.recorder import STOP_PRIORITY, Recorder
from seamsim.model.seam import SeamField

MOVING_TAIL_STATES = ("sumping", "triangle_coal", "flitting")
"""Face-end phases in which the shearer travels (haulage energy)."""

EPS_S = 1e-6
"""Times closer than this are treated as equal [s]."""


class CutCycle:
    """Cutting one web along the whole face, then the face-end work that prepares the next.

    The pass's profile is a row of a :class:`PassBlock`; the face-end work is a list of
    phases of known length (end-of-face operations, sumping, and in uni-directional mode
    the return run). The recorder books the whole cycle as ``cutting`` and
    :meth:`account` moves the shield waits and the face-end phases to their own states,
    so one simpy timeout covers a whole uninterrupted cycle.
    """

    state = "cutting"

    def __init__(self, web: int, block: PassBlock, row: int, tail: list[tuple[str, float, float, float]]) -> None:
        """``tail``: face-end phases as (state, duration [s], position at start [m], at end [m])."""
        self.web = web
        self.block = block
        self.row = row
        self.pass_s = block.duration_s[row]
        self.checkpoints_s = block.checkpoints_s[row]
        self.jam_weights = block.jam_weights[row]
        self.jam_counts = block.jam_counts[row]
        self.jam_recut_s = block.jam_recut_s[row]
        self.trip_rate_per_s = float(block.trip_rate_per_s[row])
        self.worn_picks = float(block.worn_picks[row])
        self.x_start_m = float(block.position_m[row, 0])
        self.x_end_m = float(block.position_m[row, -1])
        self.tail = [phase for phase in tail if phase[1] > 0]
        self.tail_bounds_s = [self.pass_s]
        for _, duration, _, _ in self.tail:
            self.tail_bounds_s.append(self.tail_bounds_s[-1] + duration)
        self.duration_s = self.tail_bounds_s[-1]
        self.moving_s = sum(duration for state, duration, _, _ in self.tail if state in MOVING_TAIL_STATES)
        """Time the shearer travels without cutting in the face-end work [s]."""
        self.started_s = math.nan
        self.pass_end_s = math.nan
        self._lists: tuple[list[float], list[float], list[float], list[float]] | None = None

    def _profile(self) -> tuple[list[float], list[float], list[float], list[float]]:
        """Cumulative times, waits, cutting times and positions of the pass as lists (built on first use)."""
        if self._lists is None:
            b, r = self.block, self.row
            self._lists = (b.cum_time_s[r].tolist(), b.wait_s[r].tolist(), b.cut_s[r].tolist(), b.position_m[r].tolist())
        return self._lists

    def _locate(self, elapsed_s: float) -> tuple[int, float]:
        """Return the segment at ``elapsed_s`` of the pass and the share of it already cut."""
        cum, wait, cut, _ = self._profile()
        j = min(max(bisect_right(cum, elapsed_s) - 1, 0), len(cut) - 1)
        inside = elapsed_s - cum[j] - wait[j]
        share = min(max(inside / cut[j], 0.0), 1.0) if cut[j] > 0 else 1.0
        return j, share

    def position_m(self, elapsed_s: float) -> float:
        """Return the shearer's position along the face after ``elapsed_s`` of the cycle [m]."""
        if elapsed_s < self.pass_s - EPS_S:
            j, share = self._locate(elapsed_s)
            position = self._profile()[3]
            return position[j] + (position[j + 1] - position[j]) * share
        for k, (_, duration, x0, x1) in enumerate(self.tail):
            if elapsed_s <= self.tail_bounds_s[k + 1]:
                share = min(max((elapsed_s - self.tail_bounds_s[k]) / duration, 0.0), 1.0)
                return x0 + (x1 - x0) * share
        return self.tail[-1][3] if self.tail else self.x_end_m

    def waiting_s(self, elapsed_s: float) -> float:
        """Return the time spent waiting for shields in the first ``elapsed_s`` of the cycle [s]."""
        if elapsed_s >= self.pass_s - EPS_S:
            return self.block.total_wait_s[self.row]
        if elapsed_s <= 0.0:
            return 0.0
        cum, wait, _, _ = self._profile()
        j = min(max(bisect_right(cum, elapsed_s) - 1, 0), len(wait) - 1)
        return float(self.block.cum_wait_s[self.row, j]) + min(max(elapsed_s - cum[j], 0.0), wait[j])

    def account(self, rec: Recorder, start_s: float, end_s: float) -> None:
        """Move shield waits and face-end phases within ``[start_s, end_s]`` out of ``cutting``."""
        if start_s <= 0.0 and end_s >= self.duration_s - EPS_S:
            # the whole cycle in one run: book the totals
            time_s = rec.time_s
            wait = self.block.total_wait_s[self.row]
            time_s["cutting"] -= wait + self.duration_s - self.pass_s
            time_s["waiting_for_shields"] += wait
            for state, duration, _, _ in self.tail:
                time_s[state] += duration
            return
        if start_s < self.pass_s:
            moved = self.waiting_s(end_s) - self.waiting_s(start_s)
            if moved:
                rec.transfer("cutting", "waiting_for_shields", moved)
        if end_s > self.pass_s:
            bounds = self.tail_bounds_s
            for k, phase in enumerate(self.tail):
                overlap = min(end_s, bounds[k + 1]) - max(start_s, bounds[k])
                if overlap > 0:
                    rec.transfer("cutting", phase[0], overlap)

    def phase_at(self, elapsed_s: float) -> str:
        """Return what the shearer is doing after ``elapsed_s`` of the cycle (for the trace)."""
        if elapsed_s < self.pass_s - EPS_S:
            return "cutting"
        for k, phase in enumerate(self.tail):
            if elapsed_s < self.tail_bounds_s[k + 1] - EPS_S:
                return phase[0]
        return self.tail[-1][0] if self.tail else "cutting"

    def done(self, elapsed_s: float) -> tuple[int, float]:
        """Return the segments fully cut after ``elapsed_s`` and the share of the next one."""
        if elapsed_s >= self.pass_s - EPS_S:
            return len(self._profile()[2]), 0.0
        return self._locate(elapsed_s)


class Face:
    """The working face: its cutting cycle and everything that stops it."""

    def __init__(self, env: simpy.Environment, p: FaceParameters, streams: dict[str, np.random.Generator], recorder: Recorder) -> None:
        self.env = env
        self.p = p
        self.streams = streams
        self.rec = recorder
        self.calendar = None
        self.stops: dict[str, int] = {}
        self.calendar_stop: str | None = None
        self.running = False
        self.position = 0.0
        self._clear: simpy.Event | None = None
        self._current: CutCycle | None = None
        self._run_start_s = 0.0
        self._run_elapsed_s = 0.0
        self.clocks = FailureClocks(p, streams)
        self.crew = CrewPool(env, p.crew.rosters)
        self.outside = OutsideStops(p, streams)
        self.seam = SeamField(p, streams["seam"], streams["jam"])
        stops = p.stoppages
        self.random_delays = stops.enabled
        self.roof_events = stops.enabled and stops.roof_events_enabled
        # results
        self.coal_kg = 0.0
        self.rock_kg = 0.0
        self.energy_j = 0.0
        self.cable_loss_j = 0.0
        self.limit_distance_m = np.zeros(len(LIMIT_NAMES))
        self.webs = 0
        self.jams = 0
        self.jam_stops = 0
        self.failures = dict.fromkeys(SUBSYSTEMS, 0)
        self.min_spare_clearance_m = math.inf
        self.picks_worn = 0.0
        """Worn picks on the drums now [-]."""
        self.longest_stop_s = 0.0
        """Longest stop since the last cycle began [s] (the roof closes while the face stands)."""
        self.picks_used = 0.0
        self.pick_changes = 0
        self.current_time_a_s = 0.0
        """∫ I dt over the time cut, for the mean drawn current [A·s]."""
        self.cut_time_s = 0.0
        self.peak_current_a = 0.0
        self.trip_hazard = 0.0
        """∫ λ_trip dt over the cycles performed [-]."""
        self.cycle_time_s = 0.0
        self.passes: list[tuple] = []
        self.process = env.process(self.run())

    # ----------------------------------------------------------------------------------
    # stopping and releasing the face
    # ----------------------------------------------------------------------------------
    def _state(self) -> str:
        if self.calendar_stop is not None:
            return self.calendar_stop
        if self.stops:
            for cause in STOP_PRIORITY:
                if cause in self.stops:
                    return cause
        if self.running:
            return self._current.state
        return "idle"

    def _position_now(self) -> float:
        if self.running:
            return self._current.position_m(self._run_elapsed_s + self.env.now - self._run_start_s)
        return self.position

    def _refresh(self) -> None:
        state = self._state()
        if state != self.rec.state:
            label = state
            if self.running and state == "cutting":
                label = self._current.phase_at(self._run_elapsed_s)
            self.rec.change(self.env.now, state, self._position_now(), label)

    def _halt(self) -> None:
        """Interrupt a running face (at most once per run)."""
        if self.running:
            self.position = self._position_now()
            self.running = False
            self.process.interrupt()

    def _maybe_clear(self) -> None:
        if not self.stops and self.calendar_stop is None and self._clear is not None and not self._clear.triggered:
            self._clear.succeed()

    def set_calendar_stop(self, cause: str | None) -> None:
        """Set (or with ``None`` lift) the calendar's stop: shift change, maintenance, off shift."""
        self.calendar_stop = cause
        if cause is not None:
            self._halt()
        self._refresh()
        self._maybe_clear()

    def stop_for(self, cause: str, source: str, duration_s: float) -> None:
        """Stop the face for ``cause`` (a state of :data:`STOP_PRIORITY`) until released."""
        self.rec.event(self.env.now, cause, source, duration_s, self._position_now())
        self.stops[cause] = self.stops.get(cause, 0) + 1
        self._halt()
        self._refresh()

    def release(self, cause: str) -> None:
        """Lift one stop for ``cause``."""
        count = self.stops[cause] - 1
        if count:
            self.stops[cause] = count
        else:
            del self.stops[cause]
        self._refresh()
        self._maybe_clear()

    def _swap(self, old: str, new: str) -> None:
        self.stops[new] = self.stops.get(new, 0) + 1
        self.release(old)

    def _hold(self, cause: str, source: str, duration_s: float) -> Generator:
        """Stop the face for ``cause`` for ``duration_s`` of calendar time, from the face process.

        Stops that begin while the face itself is between steps (a jam, a roof event, an
        outside stoppage it has looked ahead to) are timed by the face process directly,
        which saves simpy the event of a separate release.
        """
        self.stop_for(cause, source, duration_s)
        self.longest_stop_s = max(self.longest_stop_s, duration_s)
        yield self.env.timeout(duration_s)
        self.release(cause)

    def _repair(self, subsystem: str, duration_s: float, role: str) -> Generator:
        state = REPAIR_STATE[subsystem]
        token = None
        if role != "operator":  # a trip is reset by the operator on duty; repairs need a tradesman
            token = yield from self._person(role, state)
        yield self.env.timeout(duration_s)
        if token is not None:
            self.crew.release(token)
        self.release(state)

    def _person(self, skill: str, state: str) -> Generator:
        """Get a person with ``skill``; while nobody is free the stop ``state`` shows as waiting for crew."""
        request = self.crew.request(skill)
        if request.triggered:
            return request.value
        self._swap(state, "waiting_for_crew")
        token = yield request
        self._swap("waiting_for_crew", state)
        return token

    # ----------------------------------------------------------------------------------
    # the cutting cycle
    # ----------------------------------------------------------------------------------
    def _with_chain(self, web: int) -> bool:
        return (not self.p.bidirectional) or web % 2 == 0

    def _cycle(self, web: int, extra_closure_m: float = 0.0) -> CutCycle:
        """Return the cycle that cuts web ``web`` (after ``extra_closure_m`` of closure) and prepares the next one."""
        p = self.p
        if extra_closure_m > 0.0:
            block, row = self.seam.block_after_stand(web, self._with_chain, extra_closure_m)
        else:
            block, row = self.seam.block_for(web, self._with_chain)
        end_x = float(block.position_m[row, -1])
        start_x = float(block.position_m[row, 0])
        steps = p.face_end
        if p.bidirectional:
            # run back along the snake cutting obliquely, then cut the triangle coal back to the end
            back_x = end_x - math.copysign(min(p.sump_travel_m, p.face_length_m), end_x - start_x)
            tail = [
                ("reversals", steps.reversals_s, end_x, end_x),
                ("sumping", steps.sumping_s, end_x, back_x),
                ("triangle_coal", steps.triangle_s, back_x, end_x),
                ("end_operations", steps.waiting_s, end_x, end_x),
            ]
        else:
            tail = [
                ("reversals", steps.reversals_s, end_x, end_x),
                ("flitting", p.face_length_m / p.flitting_speed_m_per_s, end_x, start_x),
                ("sumping", steps.sumping_s, start_x, start_x),
                ("end_operations", steps.waiting_s, start_x, start_x),
            ]
        return CutCycle(web, block, row, tail)

    def run(self) -> Generator:
        """Cut web after web until the horizon ends the simulation."""
        web = 0
        stops = self.p.stoppages
        while True:
            if self.roof_events and self.seam.weighting_starts_at(web):
                duration_s = lognormal_from_median(
                    self.streams["roof"], stops.roof_event_median_s, stops.roof_event_sigma_ln)
                yield from self._hold("roof_event", "roof", duration_s)
            closure_m = idle_closure_m(self.p, self.longest_stop_s)
            self.longest_stop_s = 0.0
            if closure_m >= self.p.idle_closure_event_m and self.roof_events:
                # a long stand closes the roof on the face: it spalls or the floor heaves at the restart
                duration_s = lognormal_from_median(
                    self.streams["roof"], stops.roof_event_median_s, stops.roof_event_sigma_ln)
                yield from self._hold("roof_event", "standing", duration_s)
            act = self._cycle(web, closure_m)
            yield from self._perform(act)
            self.picks_worn += act.worn_picks
            if self.picks_worn >= self.p.pick_change_threshold:
                yield from self._change_picks()
            web += 1

    def _change_picks(self) -> Generator:
        """Stop to change the worn picks (set-up, then pick by pick in crawl height)."""
        p = self.p
        worn = math.ceil(self.picks_worn - 1e-9)
        duration_s = p.pick_change_setup_s + worn * p.pick_change_per_pick_s
        self.pick_changes += 1
        self.picks_used += worn
        self.picks_worn = 0.0
        started_s = self.env.now
        self.stop_for("pick_change", "picks", duration_s)
        token = yield from self._person("picks", "pick_change")
        yield self.env.timeout(duration_s)
        self.crew.release(token)
        self.release("pick_change")
        self.longest_stop_s = max(self.longest_stop_s, self.env.now - started_s)

    def begin_shift(self, kind: str) -> None:
        """A new shift: its people come on; a maintenance shift renews picks and does preventive work."""
        self.crew.set_shift(kind)
        if kind == "maintenance":
            self.renew_picks()
            # a face still running (no shift change before the maintenance shift) has run since
            # its clocks were last counted down: the work acts on the clocks as they stand now
            running_s = self.env.now - self._run_start_s if self.running else 0.0
            self.clocks.preventive_maintenance(self.p.maintenance_effectiveness, running_s)

    def renew_picks(self) -> None:
        """The maintenance shift changes every worn pick (counted as used)."""
        if self.picks_worn > 0:
            self.picks_used += math.ceil(self.picks_worn - 1e-9)
            self.picks_worn = 0.0

    def _perform(self, act: CutCycle) -> Generator:
        env = self.env
        clocks = self.clocks.remaining_s
        checkpoints = act.checkpoints_s
        duration = act.duration_s
        outside = self.outside
        elapsed = 0.0
        next_check = 0
        was_running = False
        self._current = act
        self._run_elapsed_s = 0.0
        self.clocks.set_electrical_rate(act.trip_rate_per_s)
        while True:
            while next_check < len(checkpoints) and checkpoints[next_check] <= elapsed + EPS_S:
                yield from self._jam(act.jam_weights[next_check], act.jam_counts[next_check], act.jam_recut_s[next_check])
                next_check += 1
                was_running = False
            if elapsed >= duration - EPS_S:
                break
            if self.stops or self.calendar_stop is not None:
                stopped_at = env.now
                self._clear = env.event()
                yield self._clear
                self.longest_stop_s = max(self.longest_stop_s, env.now - stopped_at)
                was_running = False
                continue
            if outside.next_start_s <= env.now:
                hit = outside.active(env.now)
                if hit is not None:
                    cause, _, end_s = hit
                    # a restart only after an outage that stopped the running shearer, not one
                    # that began while it stood (for a jam or another outside stop)
                    restart_s = outside.restart_s[cause] if was_running else 0.0
                    yield from self._hold(cause, cause, end_s - env.now + restart_s)
                    was_running = False
                    continue
            target = checkpoints[next_check] if next_check < len(checkpoints) else duration
            step_s = min(target - elapsed, min(clocks), outside.next_start_s - env.now)
            first_run = act.started_s != act.started_s  # NaN until the cycle first runs
            if first_run:
                act.started_s = env.now
            self._run_start_s = env.now
            self.running = True
            self._refresh()
            if first_run:
                self._trace_cycle_start(act)
            try:
                yield env.timeout(step_s)
                self.running = False
                was_running = True
            except simpy.Interrupt:
                was_running = False
            ran_s = env.now - self._run_start_s
            if ran_s > 0:
                act.account(self.rec, elapsed, elapsed + ran_s)
                if elapsed < act.pass_s <= elapsed + ran_s + EPS_S:
                    act.pass_end_s = self._run_start_s + act.pass_s - elapsed
                    self.rec.trace.append((act.pass_end_s, act.x_end_m, "end_operations"))
                elapsed += ran_s
                self._run_elapsed_s = elapsed
                self.position = act.position_m(elapsed)
                for i in range(len(clocks)):
                    clocks[i] -= ran_s
                self.clocks.age(ran_s)
                if min(clocks) <= EPS_S:
                    self._fire_failures()
        self._complete(act)

    def _trace_cycle_start(self, act: CutCycle) -> None:
        """Mark the start of a pass in the position trace.

        The recorder only notes changes of state, and back-to-back cycles stay in
        ``cutting`` for the books; the trace still needs a point where each pass begins.
        """
        trace = self.rec.trace
        now = self.env.now
        if not trace or trace[-1][0] != now or trace[-1][2] != "cutting":
            trace.append((now, act.x_start_m, "cutting"))

    def _jam(self, weight: float, count: int, recut_s: float) -> Generator:
        """Stop for a tight stretch of ``count`` shields: free the body (``weight`` median jams), re-cut its roof."""
        duration_s = self.p.stoppages.jam_clear_median_s * weight + recut_s
        self.jams += count
        self.jam_stops += 1
        yield from self._hold("jam", "clearance", duration_s)

    def _fire_failures(self) -> None:
        clocks = self.clocks
        for i, remaining in enumerate(clocks.remaining_s):
            if remaining > EPS_S:
                continue
            name = SUBSYSTEMS[i]
            duration_s, role = clocks.repair(name)
            clocks.remaining_s[i] = clocks.draw(name)
            clocks.renewed(i)
            self.failures[name] += 1
            self.stop_for(REPAIR_STATE[name], name, duration_s)
            self.env.process(self._repair(name, duration_s, role))

    def _complete(self, act: CutCycle) -> None:
        self._current = None
        b, r = act.block, act.row
        self._credit(act, b.coal_total_kg[r], b.rock_total_kg[r], b.energy_total_j[r], b.cable_loss_total_j[r],
                     b.limit_segments[r] * self.p.segment_length_m, complete=True)
        self.current_time_a_s += float(b.mean_current_a[r]) * float(b.cut_total_s[r])
        self.cut_time_s += float(b.cut_total_s[r])
        self.peak_current_a = max(self.peak_current_a, float(b.peak_current_a[r]))
        self.trip_hazard += act.trip_rate_per_s * act.duration_s
        self.cycle_time_s += act.duration_s
        self.energy_j += self.p.haulage_power_w * act.moving_s / self.p.electrical.motor_efficiency

    def _credit(self, act: CutCycle, coal_kg, rock_kg, energy_j, cable_loss_j, limit_m, complete: bool) -> None:
        self.coal_kg += coal_kg
        self.rock_kg += rock_kg
        self.energy_j += energy_j
        self.cable_loss_j += cable_loss_j
        self.limit_distance_m += limit_m
        if coal_kg + rock_kg > 0:
            self.min_spare_clearance_m = min(self.min_spare_clearance_m, float(act.block.min_spare_clearance_m[act.row]))
        if complete:
            self.webs += 1
        self.passes.append((
            act.web, "with_chain" if act.block.with_chain[act.row] else "against_chain",
            act.started_s, act.pass_end_s if complete else self.env.now, coal_kg * 1e-3, rock_kg * 1e-3, complete,
        ))

    def _credit_part(self, act: CutCycle, elapsed_s: float) -> None:
        """Credit the segments of an unfinished pass cut in its first ``elapsed_s``."""
        segments, share = act.done(elapsed_s)
        b, r = act.block, act.row
        complete = segments == b.coal_kg.shape[1]

        def part(a: np.ndarray) -> float:
            value = float(a[r, :segments].sum())
            if share > 0 and segments < a.shape[1]:
                value += share * float(a[r, segments])
            return value

        limit_m = np.bincount(b.binding[r, :segments], minlength=len(LIMIT_NAMES)) * self.p.segment_length_m
        if share > 0 and segments < b.binding.shape[1]:
            limit_m[b.binding[r, segments]] += share * self.p.segment_length_m
        self._credit(act, part(b.coal_kg), part(b.rock_kg), part(b.energy_j), part(b.cable_loss_j), limit_m, complete=complete)

    def finish(self) -> None:
        """Credit the part of the activity under way when the horizon ends, and close the books."""
        now = self.env.now
        act = self._current
        if act is not None:
            elapsed_end = self._run_elapsed_s
            if self.running:
                elapsed_end += now - self._run_start_s
                act.account(self.rec, self._run_elapsed_s, elapsed_end)
            if not math.isnan(act.started_s):
                self._credit_part(act, elapsed_end)
            self.position = act.position_m(elapsed_end)
        self.rec.close(now, self.position)
