"""A slow reference face written the plain simpy way, to check the fast face's scheduling.

:class:`seamsim.model.face.Face` is built for speed: one process, failure clocks counted
down by the face itself, outside stoppages looked ahead to rather than interrupting, stops
reference-counted. This module runs the *same* face the way a simpy textbook would, so that
the two can be compared run for run (``tests/model/test_reference_face.py``):

- the **shearer** is a process that cuts pass after pass, shield by shield (a timeout for
  each wait for the shields and for each segment cut, then one per face-end phase); what
  stops it interrupts it (:meth:`simpy.Process.interrupt`);
- each subsystem's **failure** is its own process that waits out an operating time to
  failure: it reads the face's operating-time odometer, is interrupted when the face stops
  and waits for it to run again; an electrical trip clock holds an amount of hazard that
  the load of each pass uses up at its own rate;
- **outbye stoppages** and **radio-link outages** are calendar-time processes that stop the
  face when they begin, whatever it is doing, and lift their stop when they end;
- the **crew** is a :class:`simpy.FilterStore` of people with skills; a repair or a pick
  change ``get``\\ s a person with the skill it needs and puts them back when done;
- the **calendar** is a process that walks the shifts at their absolute times.

The pass physics is not re-derived: the passes come from the same
:class:`~seamsim.model.seam.SeamField` and :func:`~seamsim.model.profile.pass_block`, and
the failure, repair and stoppage draws from the same named streams in the same order, so
with common random numbers the two models see the same webs and the same random numbers
and must agree to rounding. What is checked is the scheduling.

Stop priorities (the rules both models follow)
----------------------------------------------
1. **One state at a time.** A calendar stop (``maintenance``, ``off_shift``,
   ``shift_change``) wins; otherwise the first active stop in
   :data:`~seamsim.model.recorder.STOP_PRIORITY` (``waiting_for_crew``, repairs, trip,
   pick change, jam, roof event); otherwise an outside stoppage (``outbye_blocked``,
   ``comms_outage``); otherwise what the running shearer does; ``idle`` only when nothing
   stops a shearer that is not running. Between the two outside stoppages the list's order
   does not decide: the one the shearer is waiting out keeps the time until it ends (an
   outbye stoppage that begins during a radio outage shows from the outage's end, its
   restart included), and when both are in force as it begins to wait, outbye goes first.
2. **Stops overlap in calendar time.** A stop lasts its own length from when it begins,
   whatever else stops the face meanwhile: a jam, a roof event, a repair or an outside
   stoppage that runs into a shift change goes on under it (its time is booked to the
   shift change) and the shearer restarts when the last stop is lifted.
3. **Failures come only while the face operates.** The clocks count operating time (the
   cutting cycle: cutting, shield waits and the face-end phases), so no failure begins
   during a stop; a failure stops the face at once and its repair starts at once.
4. **Repairs and pick changes wait for people.** A repair needs a free person with its
   skill (a trip is reset by the operator, who is always there); while nobody is free the
   stop shows as ``waiting_for_crew`` and its repair time has not begun. People are served
   first come, first served among requests they can serve; a new shift's people are all
   free the moment the shift begins, so a repair waiting for a fitter starts at the start
   of the next shift that has one — under that shift's shift-change (travel-in) stop, or
   under the maintenance shift. People still busy when their shift ends finish the job.
5. **Outside stoppages run in calendar time.** An outbye stoppage or a radio-link outage
   that begins and ends while the face is stopped for something else leaves no trace; one
   that outlasts the other stop keeps the face stopped until it ends. A radio-link outage
   that stops the *running* shearer adds the restart time after it; one that begins while
   the face already stands (for a jam, an outbye stoppage, a repair, a shift) adds none.
6. **The shearer's own stops come at fixed points.** A jam stops it where the tight stretch
   begins (after the shield wait of that segment, before cutting it); a roof event at the
   onset of a periodic weighting or after a long stand comes before the web is cut; a pick
   change after the web whose wear crosses the threshold. A jam at the first segment of a
   pass is taken even under a calendar stop.
7. **Preventive maintenance acts on the clocks as they stand when the maintenance shift
   begins** (virtual age ``v ← q·v``), and the shift renews the worn picks.
8. **How long the face stood**, for the roof's closure (``idle_closure_m``), is the longest
   *piece* of a stand since the web before began: each stop the shearer takes itself (jam,
   roof event, the remaining part of an outside stoppage it meets, a pick change with its
   wait for crew) is one piece, and each wait for the face to clear of everything else is
   another. The closure from a stand reaches the web after the one it interrupted.

Rule 5's restart and rule 7's timing are what the reference found the fast face doing
differently before they were fixed there (see ``docs/model.md``, "The reference face").

The failure clocks live in :mod:`seamsim.model.reference_clocks`, the crew in
:mod:`seamsim.model.reference_crew` and the result (with :func:`~seamsim.model.reference_result.state_sequence`) in
:mod:`seamsim.model.reference_result`.
"""

from __future__ import annotations

import math
from collections.abc import Generator
from dataclasses import dataclass, field, replace

import numpy as np
import simpy

from seamsim.model.calendar import MAINTENANCE, OFF_SHIFT, PRODUCTION
from seamsim.model.failures import (
    REPAIR_STATE,
    SUBSYSTEMS,
    lognormal_from_median,
)
from seamsim.model.parameters import FaceParameters, idle_closure_m
from seamsim.model.recorder import STATES, STOP_PRIORITY
from seamsim.model.reference_clocks import TripClock, WearClock
from seamsim.model.reference_crew import Crew, Person
from seamsim.model.reference_result import EPS_S, ReferenceResult
from seamsim.model.seam import SeamField
from seamsim.model.streams import named_generators
from seamsim.units import S_PER_DAY, S_PER_H, T_PER_KG

CALENDAR_STOPS = ("maintenance", "off_shift", "shift_change")
OUTSIDE_STOPS = ("outbye_blocked", "comms_outage")
"""Outside stoppages, in the order the shearer waits them out when several are in force."""


@dataclass
class _Stop:
    cause: str
    source: str
    lifted: simpy.Event = field(repr=False)


# --------------------------------------------------------------------------------------
# the face
# --------------------------------------------------------------------------------------
class ReferenceFace:
    """The face as plain simpy processes; see the module docstring for the rules."""

    def __init__(self, env: simpy.Environment, p: FaceParameters, streams: dict[str, np.random.Generator]) -> None:
        self.env = env
        self.p = p
        self.streams = streams
        stops = p.stoppages
        self.seam = SeamField(p, streams["seam"], streams["jam"])
        self.roof_events = stops.enabled and stops.roof_events_enabled
        # state
        self.calendar_stop: str | None = None
        self.stops: list[_Stop] = []
        self.running = False
        self.activity = "cutting"
        self.state = "idle"
        self.since_s = 0.0
        self.time_in_state_s = dict.fromkeys(STATES, 0.0)
        self.states: list[tuple[float, str]] = [(0.0, "idle")]
        self.events: list[tuple[float, str, str, float]] = []
        self._clear: simpy.Event | None = None
        self._waiting_out: _Stop | None = None
        """The outside stoppage the shearer is waiting out (it keeps the time until it ends)."""
        self._started = env.event()
        self.operating_s = 0.0
        self._running_since_s = 0.0
        # results
        self.webs = 0
        self.coal_kg = 0.0
        self.rock_kg = 0.0
        self.failures = dict.fromkeys(SUBSYSTEMS, 0)
        self.jam_stops = 0
        self.pick_changes = 0
        self.picks_worn = 0.0
        self.longest_piece_s = 0.0
        self._segment: tuple[float, float, float, float, float] | None = None
        """The segment being cut: (coal [kg], rock [kg], its cutting time [s], time left [s], run since [s])."""
        # crew, clocks and processes
        self.shift = 0
        self.crew = Crew(env)
        self.shearer = env.process(self._shearer())
        self.clocks: list = []
        self._timing: dict[object, simpy.Process] = {}
        if stops.enabled:
            for name in SUBSYSTEMS[:-1]:
                if stops.modes[name].enabled:
                    self.clocks.append(WearClock(name, stops.modes[name], streams[f"{name}.tbf"]))
            self.trip_clock = TripClock(p.electrical.nominal_trip_rate_per_h / S_PER_H, streams["electrical.tbf"])
            self.clocks.append(self.trip_clock)
        for clock in self.clocks:
            env.process(self._failure(clock))
        if stops.enabled and stops.outbye_blocked_fraction > 0:
            env.process(self._outbye())
        if stops.enabled and stops.comms_outage_rate_per_s > 0:
            env.process(self._comms())
        env.process(self._calendar())

    # ---- state ---------------------------------------------------------------------
    def _state_now(self) -> str:
        if self.calendar_stop is not None:
            return self.calendar_stop
        inside = {stop.cause for stop in self.stops if stop.cause not in OUTSIDE_STOPS}
        if inside:
            return next(cause for cause in STOP_PRIORITY if cause in inside)
        if self._waiting_out is not None:
            return self._waiting_out.cause
        if self.stops:
            return min((stop.cause for stop in self.stops), key=OUTSIDE_STOPS.index)
        return self.activity if self.running else "idle"

    def _refresh(self) -> None:
        state = self._state_now()
        if state != self.state:
            now = self.env.now
            self.time_in_state_s[self.state] += now - self.since_s
            self.state, self.since_s = state, now
            self.states.append((now, state))

    def _blocked(self) -> bool:
        """Whether a calendar stop or a stop other than an outside stoppage is in force."""
        return self.calendar_stop is not None or any(stop.cause not in OUTSIDE_STOPS for stop in self.stops)

    def operating_now_s(self) -> float:
        """The face's operating-time odometer [s]."""
        return self.operating_s + (self.env.now - self._running_since_s if self.running else 0.0)

    def _set_running(self, running: bool) -> None:
        if running == self.running:
            return
        now = self.env.now
        if running:
            self._running_since_s = now
            self.running = True
            started, self._started = self._started, self.env.event()
            started.succeed()
        else:
            self.operating_s += now - self._running_since_s
            self.running = False
            for process in list(self._timing.values()):
                process.interrupt("stopped")
        self._refresh()

    def stop(self, cause: str, source: str, duration_s: float) -> _Stop:
        """Stop the face for ``cause``; a running shearer is interrupted."""
        self.events.append((self.env.now, cause, source, duration_s))
        stop = _Stop(cause, source, self.env.event())
        self.stops.append(stop)
        self._halt()
        self._refresh()
        return stop

    def lift(self, stop: _Stop) -> None:
        """Lift one stop."""
        self.stops.remove(stop)
        stop.lifted.succeed()
        if stop is self._waiting_out:
            self._waiting_out = None
        self._refresh()
        self._maybe_clear()

    def _halt(self) -> None:
        if self.running:
            self._set_running(False)
            self.shearer.interrupt("stopped")

    def _maybe_clear(self) -> None:
        if self._clear is not None and not self._blocked():
            self._clear.succeed()
            self._clear = None

    def _set_calendar_stop(self, cause: str | None) -> None:
        self.calendar_stop = cause
        if cause is not None:
            self._halt()
        self._refresh()
        self._maybe_clear()

    # ---- the shearer ---------------------------------------------------------------
    def _shearer(self) -> Generator:
        """Cut web after web: roof events before a web, the web's cycle, a pick change after it."""
        p = self.p
        stops = p.stoppages
        web = 0
        while True:
            if self.roof_events and self.seam.weighting_starts_at(web):
                duration_s = lognormal_from_median(self.streams["roof"], stops.roof_event_median_s, stops.roof_event_sigma_ln)
                yield from self._hold("roof_event", "roof", duration_s)
            closure_m = idle_closure_m(p, self.longest_piece_s)
            self.longest_piece_s = 0.0
            if closure_m >= p.idle_closure_event_m and self.roof_events:
                duration_s = lognormal_from_median(self.streams["roof"], stops.roof_event_median_s, stops.roof_event_sigma_ln)
                yield from self._hold("roof_event", "standing", duration_s)
            if closure_m > 0.0:
                block, row = self.seam.block_after_stand(web, self._with_chain, closure_m)
            else:
                block, row = self.seam.block_for(web, self._with_chain)
            if self.clocks:
                self.trip_clock.set_rate(self.operating_now_s(), float(block.trip_rate_per_s[row]))
                self._rearm(self.trip_clock)
            yield from self._cut_pass(block, row)
            self.webs += 1
            for state, duration_s in self._face_end_phases():
                yield from self._operate(state, duration_s)
            self.picks_worn += float(block.worn_picks[row])
            if self.picks_worn >= p.pick_change_threshold:
                yield from self._change_picks()
            web += 1

    def _with_chain(self, web: int) -> bool:
        """Whether web ``web`` is cut moving with the conveyor chain."""
        return (not self.p.bidirectional) or web % 2 == 0

    def _cut_pass(self, block, row: int) -> Generator:
        """Cut the web shield by shield: wait for the shields, stop at a jam, cut the segment."""
        jams = dict(zip(block.jam_segments[row].tolist(), range(len(block.jam_counts[row])), strict=True))
        median_s = self.p.stoppages.jam_clear_median_s
        for j in range(block.cut_s.shape[1]):
            yield from self._operate("waiting_for_shields", float(block.wait_s[row, j]))
            if j in jams:
                k = jams[j]
                self.jam_stops += 1
                yield from self._hold("jam", "clearance", median_s * block.jam_weights[row][k] + block.jam_recut_s[row][k])
            cut_s = float(block.cut_s[row, j])
            self._segment = (float(block.coal_kg[row, j]), float(block.rock_kg[row, j]), cut_s, cut_s, self.env.now)
            yield from self._operate("cutting", cut_s)
            self.coal_kg += self._segment[0]
            self.rock_kg += self._segment[1]
            self._segment = None

    def _face_end_phases(self) -> list[tuple[str, float]]:
        """The face-end work after a pass, phase by phase: (state, duration [s])."""
        p = self.p
        steps = p.face_end
        if p.bidirectional:
            return [("reversals", steps.reversals_s), ("sumping", steps.sumping_s),
                    ("triangle_coal", steps.triangle_s), ("end_operations", steps.waiting_s)]
        return [("reversals", steps.reversals_s), ("flitting", p.face_length_m / p.flitting_speed_m_per_s),
                ("sumping", steps.sumping_s), ("end_operations", steps.waiting_s)]

    def _operate(self, state: str, duration_s: float) -> Generator:
        """Run ``state`` for ``duration_s`` of operating time, waiting out every stop that interrupts it."""
        left_s = duration_s
        while left_s > EPS_S:
            yield from self._wait_until_clear()
            self.activity = state
            self._set_running(True)
            self._refresh()
            started_s = self.env.now
            self._note_cut(state, left_s)
            try:
                yield self.env.timeout(left_s)
                left_s = 0.0
            except simpy.Interrupt:
                left_s -= self.env.now - started_s
                self._note_cut(state, left_s)

    def _note_cut(self, state: str, left_s: float) -> None:
        """Note how much of the segment under the drums is left to cut, and since when (for the horizon)."""
        if self._segment is not None and state == "cutting":
            self._segment = (*self._segment[:3], left_s, self.env.now)

    def _wait_until_clear(self) -> Generator:
        """Wait, piece by piece, until nothing stops the face (rule 8 measures the pieces)."""
        while True:
            started_s = self.env.now
            if self._blocked():
                self._clear = self.env.event()
                yield self._clear
            elif self.stops:
                self._waiting_out = min(self.stops, key=lambda stop: OUTSIDE_STOPS.index(stop.cause))
                yield self._waiting_out.lifted
                self._waiting_out = None
            else:
                return
            self.longest_piece_s = max(self.longest_piece_s, self.env.now - started_s)

    def _hold(self, cause: str, source: str, duration_s: float) -> Generator:
        """A stop the shearer takes itself, for ``duration_s`` of calendar time."""
        self._set_running(False)
        stop = self.stop(cause, source, duration_s)
        yield self.env.timeout(duration_s)
        self.lift(stop)
        self.longest_piece_s = max(self.longest_piece_s, duration_s)

    def _change_picks(self) -> Generator:
        p = self.p
        worn = math.ceil(self.picks_worn - 1e-9)
        duration_s = p.pick_change_setup_s + worn * p.pick_change_per_pick_s
        self.pick_changes += 1
        self.picks_worn = 0.0
        started_s = self.env.now
        self._set_running(False)
        stop = self.stop("pick_change", "picks", duration_s)
        person = yield from self._call("picks", stop)
        yield self.env.timeout(duration_s)
        self._send_back(person)
        self.lift(stop)
        self.longest_piece_s = max(self.longest_piece_s, self.env.now - started_s)

    # ---- people ----------------------------------------------------------------------
    def _call(self, skill: str, stop: _Stop) -> Generator:
        """Get a free person with ``skill``; meanwhile ``stop`` shows as waiting for crew."""
        request = self.crew.get(lambda person: skill in person.skills)
        if request.triggered:
            return request.value
        cause = stop.cause
        stop.cause = "waiting_for_crew"
        self._refresh()
        person = yield request
        stop.cause = cause
        self._refresh()
        return person

    def _send_back(self, person: Person) -> None:
        """A person done with a job is free again, unless their shift has ended (they go home)."""
        if person.shift == self.shift:
            self.crew.put(person)

    def _begin_shift(self, kind: str) -> None:
        self.shift += 1
        self.crew.items.clear()  # the free people of the last shift go home
        for index, skills in enumerate(self.p.crew.rosters.get(kind, ())):
            self.crew.put(Person(index, skills, self.shift))

    # ---- failures and repairs --------------------------------------------------------
    def _failure(self, clock) -> Generator:
        """One subsystem: wait out its operating time to failure, then stop the face for the repair."""
        env = self.env
        while True:
            try:
                if not self.running:
                    yield self._started
                    continue
                left_s = max(0.0, clock.to_failure_s(self.operating_now_s()))
                self._timing[clock] = env.active_process
                try:
                    yield env.timeout(left_s) if math.isfinite(left_s) else env.event()
                finally:
                    del self._timing[clock]
            except simpy.Interrupt:
                continue  # the face stopped, or the clock changed: read it again
            self._fail(clock)

    def _rearm(self, clock) -> None:
        """Make a timing failure process read its clock again (it changed)."""
        process = self._timing.get(clock)
        if process is not None:
            process.interrupt("clock changed")

    def _fail(self, clock) -> None:
        name = clock.name
        stops = self.p.stoppages
        rng = self.streams[f"{name}.ttr"]
        if name == "electrical":
            duration_s, role = lognormal_from_median(rng, stops.trip_reset_median_s, stops.trip_reset_sigma_ln), "operator"
        else:
            mode = stops.modes[name]
            duration_s, role = lognormal_from_median(rng, mode.repair_median_s, mode.repair_sigma_ln), mode.repaired_by
        clock.renew(self.operating_now_s())
        self.failures[name] += 1
        stop = self.stop(REPAIR_STATE[name], name, duration_s)
        self.env.process(self._repair(stop, duration_s, role))

    def _repair(self, stop: _Stop, duration_s: float, role: str) -> Generator:
        person = None
        if role != "operator":
            person = yield from self._call(role, stop)
        yield self.env.timeout(duration_s)
        if person is not None:
            self._send_back(person)
        self.lift(stop)

    # ---- outside stoppages -----------------------------------------------------------
    def _outbye(self) -> Generator:
        """Outbye transport: exponential running spells, log-normal stoppages."""
        f = self.p.stoppages
        mean_stop_s = f.outbye_stop_median_s * math.exp(0.5 * f.outbye_stop_sigma_ln**2)
        mean_up_s = mean_stop_s * (1.0 - f.outbye_blocked_fraction) / f.outbye_blocked_fraction
        up, down = self.streams["outbye.up"], self.streams["outbye.down"]
        while True:
            yield self.env.timeout(mean_up_s * up.standard_exponential())
            duration_s = lognormal_from_median(down, f.outbye_stop_median_s, f.outbye_stop_sigma_ln)
            stop = self.stop("outbye_blocked", "outbye_blocked", duration_s)
            yield self.env.timeout(duration_s)
            self.lift(stop)

    def _comms(self) -> Generator:
        """Radio-link outages: Poisson arrivals, log-normal lengths, a restart when one stops the running shearer."""
        f = self.p.stoppages
        arrival, length = self.streams["comms.arrival"], self.streams["comms.duration"]
        while True:
            yield self.env.timeout(arrival.standard_exponential() / f.comms_outage_rate_per_s)
            duration_s = lognormal_from_median(length, f.comms_outage_median_s, f.comms_outage_sigma_ln)
            stopped_s = duration_s + (f.comms_restart_s if self.running else 0.0)
            stop = self.stop("comms_outage", "comms_outage", stopped_s)
            self.env.process(self._lift_after(stop, stopped_s))
            yield self.env.timeout(duration_s)

    def _lift_after(self, stop: _Stop, duration_s: float) -> Generator:
        yield self.env.timeout(duration_s)
        self.lift(stop)

    # ---- the calendar ----------------------------------------------------------------
    def _calendar(self) -> Generator:
        """Walk the shifts of each day at their absolute times."""
        p = self.p
        env = self.env
        day = 0
        while True:
            day_start_s = day * S_PER_DAY
            for k in range(p.shifts_per_day):
                start_s = day_start_s + k * p.shift_length_s
                yield env.timeout(start_s - env.now)
                if k < p.production_shifts_per_day:
                    self._begin_shift(PRODUCTION)
                    if p.shift_change_start_s > 0:
                        self._set_calendar_stop("shift_change")
                        yield env.timeout(start_s + p.shift_change_start_s - env.now)
                    self._set_calendar_stop(None)
                    if p.shift_change_end_s > 0:
                        yield env.timeout(start_s + p.shift_length_s - p.shift_change_end_s - env.now)
                        self._set_calendar_stop("shift_change")
                else:
                    self._set_calendar_stop("maintenance")
                    self._begin_shift(MAINTENANCE)
                    self._maintain()
            off_s = day_start_s + p.shifts_per_day * p.shift_length_s
            if S_PER_DAY - p.shifts_per_day * p.shift_length_s > 1e-9:
                yield env.timeout(off_s - env.now)
                self._set_calendar_stop("off_shift")
                self._begin_shift(OFF_SHIFT)
            day += 1

    def _maintain(self) -> None:
        """The maintenance shift renews the worn picks and makes wear-out subsystems younger (rule 7)."""
        self.picks_worn = 0.0
        operating_s = self.operating_now_s()
        for clock in self.clocks:
            clock.maintain(operating_s, self.p.maintenance_effectiveness)
            self._rearm(clock)

    # ---- the end -----------------------------------------------------------------------
    def result(self) -> ReferenceResult:
        """Close the books at the horizon and return the run's result."""
        now = self.env.now
        coal_kg, rock_kg = self.coal_kg, self.rock_kg
        if self._segment is not None:
            coal, rock, cut_s, left_s, since_s = self._segment
            done_s = cut_s - left_s + (now - since_s if self.running and self.activity == "cutting" else 0.0)
            share = min(max(done_s / cut_s, 0.0), 1.0) if cut_s > 0 else 0.0
            coal_kg += share * coal
            rock_kg += share * rock
        time_in_state_s = dict(self.time_in_state_s)
        time_in_state_s[self.state] += now - self.since_s
        return ReferenceResult(
            horizon_s=now, webs=self.webs, coal_t=coal_kg * T_PER_KG, rock_t=rock_kg * T_PER_KG,
            time_in_state_s=time_in_state_s, states=[*self.states, (now, self.state)], events=list(self.events),
            failures=dict(self.failures), jam_stops=self.jam_stops, pick_changes=self.pick_changes,
        )


def run_reference(p: FaceParameters, streams: dict[str, np.random.Generator]) -> ReferenceResult:
    """Run the reference face over ``p.horizon_s`` with the given named streams.

    Parameters
    ----------
    p : FaceParameters
        A feasible face in SI.
    streams : dict of str to numpy.random.Generator
        One generator per name of :data:`~seamsim.model.streams.STREAM_NAMES` (anything with
        the same methods will do, e.g. a scripted stream in a test).

    Returns
    -------
    ReferenceResult
        Webs, tonnes, time in each state, the state log and the stops.
    """
    if p.reasons:
        raise ValueError("the reference face runs only a face that can be worked; this one cannot: " + "; ".join(p.reasons))
    env = simpy.Environment()
    face = ReferenceFace(env, p, streams)
    env.run(until=p.horizon_s)
    return face.result()


def simulate_reference(p: FaceParameters, seed: int | np.random.SeedSequence = 0, days: float | None = None) -> ReferenceResult:
    """Simulate one replication with the reference face (slow; for checking the fast face).

    Parameters
    ----------
    p : FaceParameters
        The face in SI (:func:`seamsim.model.parameters.face_parameters`).
    seed : int or numpy.random.SeedSequence, optional
        The same seed as :func:`seamsim.model.simulate.simulate` gets, for common random numbers.
    days : float, optional
        Horizon [d]; ``p.horizon_s`` when not given.

    Returns
    -------
    ReferenceResult
        See :class:`ReferenceResult`.
    """
    if days is not None:
        p = replace(p, horizon_s=days * S_PER_DAY)
    return run_reference(p, named_generators(seed))
