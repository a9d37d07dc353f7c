"""Shifts: production and maintenance shifts, shift-change travel, month boundaries.

Default 三八制 with 两采一检: three 8-hour shifts a day, the first two producing and the
third for maintenance (docs/model.md §6; [S47]). A manned face stops while its crew travels to and
from the face at depth; a remotely run face stops only for the handover in the control
room, and crews that hand over at the face stop it only for the handover
(``calendar.handover``, ``calendar.handover_min``); travel comes from the depth and the
roadway length (:func:`seamsim.model.parameters.travel_to_face_s`).
"""

from __future__ import annotations

import math
from collections.abc import Generator
from typing import TYPE_CHECKING

import simpy

from seamsim.units import S_PER_DAY

if TYPE_CHECKING:
    from seamsim.model.face import Face
    from seamsim.model.parameters import FaceParameters

PRODUCTION = "production"
MAINTENANCE = "maintenance"
OFF_SHIFT = "off_shift"


def production_shifts_started(p: FaceParameters) -> int:
    """Return how many production shifts start within the horizon [-]."""
    full_days = math.floor(p.horizon_s / S_PER_DAY)
    count = full_days * p.production_shifts_per_day
    rest_s = p.horizon_s - full_days * S_PER_DAY
    for k in range(p.production_shifts_per_day):
        if k * p.shift_length_s < rest_s - 1e-9:
            count += 1
    return count


def scheduled_production_s(p: FaceParameters) -> float:
    """Return the scheduled production time within the horizon [s] (denominator of the running ratio)."""
    total = 0.0
    day = 0
    while day * S_PER_DAY < p.horizon_s:
        for k in range(p.production_shifts_per_day):
            start = day * S_PER_DAY + k * p.shift_length_s
            total += max(0.0, min(p.horizon_s, start + p.shift_length_s) - start) if start < p.horizon_s else 0.0
        day += 1
    return total


class Calendar:
    """The shift pattern as a simpy process that stops and releases the face."""

    def __init__(self, env: simpy.Environment, p: FaceParameters, face: Face) -> None:
        self.env = env
        self.p = p
        self.face = face
        self.kind = PRODUCTION
        self.shift_started = env.event()
        """Triggered at the start of every shift, then replaced."""
        env.process(self.run())

    def _begin(self, kind: str) -> None:
        self.kind = kind
        self.face.begin_shift(kind)
        started, self.shift_started = self.shift_started, self.env.event()
        started.succeed()

    def run(self) -> Generator[simpy.Event, None, None]:
        """Walk through the shifts of each day, setting the face's calendar stop."""
        p = self.p
        env = self.env
        face = self.face
        productive_s = p.shift_length_s - p.shift_change_start_s - p.shift_change_end_s
        idle_s = S_PER_DAY - p.shifts_per_day * p.shift_length_s
        while True:
            for k in range(p.shifts_per_day):
                if k < p.production_shifts_per_day:
                    self._begin(PRODUCTION)
                    if p.shift_change_start_s > 0:
                        face.set_calendar_stop("shift_change")
                        yield env.timeout(p.shift_change_start_s)
                    face.set_calendar_stop(None)
                    yield env.timeout(max(0.0, productive_s))
                    if p.shift_change_end_s > 0:
                        face.set_calendar_stop("shift_change")
                        yield env.timeout(p.shift_change_end_s)
                else:
                    self._begin(MAINTENANCE)
                    face.set_calendar_stop("maintenance")
                    yield env.timeout(p.shift_length_s)
            if idle_s > 1e-9:
                self._begin(OFF_SHIFT)
                face.set_calendar_stop("off_shift")
                yield env.timeout(idle_s)
