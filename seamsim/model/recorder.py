"""Time-in-state accounting, the event log and the shearer position trace.

The face is in exactly one state at every instant; :class:`Recorder` adds the time
since the last change to the state being left, so the times always sum to the elapsed
horizon.
"""

from __future__ import annotations

STATES: tuple[str, ...] = (
    "cutting",
    "waiting_for_shields",
    "reversals",
    "sumping",
    "triangle_coal",
    "flitting",
    "end_operations",
    "shearer_repair",
    "conveyor_repair",
    "shield_repair",
    "electrical_trip",
    "pick_change",
    "jam",
    "roof_event",
    "waiting_for_crew",
    "outbye_blocked",
    "comms_outage",
    "shift_change",
    "maintenance",
    "off_shift",
    "idle",
    "infeasible",
)
"""Every state the face can be in. ``idle`` should stay at zero; it exists so that a gap
in the model's logic shows up in the breakdown instead of being hidden."""

RUNNING_STATES: tuple[str, ...] = ("cutting", "sumping", "triangle_coal", "flitting")
"""States in which the shearer runs: cutting, cutting the ends (the oblique sump and the
triangle coal) and the uni-directional return — the numerator of the running ratio (开机率)
as the field defines it, over scheduled production time. A tuple, so the sum over it has one
order whatever the hash seed."""

OPERATING_STATES: frozenset[str] = frozenset(
    {"cutting", "waiting_for_shields", "reversals", "sumping", "triangle_coal", "flitting", "end_operations"})
"""States in which the face operates and the operating-time failure clocks run."""

STOP_PRIORITY: tuple[str, ...] = (
    "maintenance",
    "off_shift",
    "shift_change",
    "waiting_for_crew",
    "shearer_repair",
    "conveyor_repair",
    "shield_repair",
    "electrical_trip",
    "pick_change",
    "jam",
    "roof_event",
    "outbye_blocked",
    "comms_outage",
)
"""When several causes stop the face at once, the time goes to the first in this list:
the calendar first, then the face's own repairs, then outside stoppages."""


class Recorder:
    """Accumulates time in each state, events and the position trace of one run."""

    __slots__ = ("time_s", "state", "since_s", "events", "trace")

    def __init__(self, initial_state: str = "idle") -> None:
        self.time_s: dict[str, float] = dict.fromkeys(STATES, 0.0)
        self.state = initial_state
        self.since_s = 0.0
        self.events: list[tuple[float, str, str, float, float]] = []
        """(time [s], event, cause, duration [s], position [m])."""
        self.trace: list[tuple[float, float, str]] = []
        """(time [s], position along the face [m], state entered)."""

    def change(self, now_s: float, state: str, position_m: float, label: str | None = None) -> None:
        """Enter ``state`` at ``now_s``, closing the time of the previous state.

        ``label`` is what the trace shows, when it is more precise than the state the time
        is booked under at this instant (a cut cycle resumed in its face-end phase).
        """
        if state == self.state:
            return
        self.time_s[self.state] += now_s - self.since_s
        self.state = state
        self.since_s = now_s
        self.trace.append((now_s, position_m, label or state))

    def transfer(self, source: str, target: str, seconds: float) -> None:
        """Move ``seconds`` already recorded (or being recorded) under ``source`` to ``target``."""
        self.time_s[source] -= seconds
        self.time_s[target] += seconds

    def close(self, now_s: float, position_m: float) -> None:
        """Close the current state at the end of the horizon."""
        self.time_s[self.state] += now_s - self.since_s
        self.since_s = now_s
        self.trace.append((now_s, position_m, self.state))

    def event(self, now_s: float, event: str, cause: str, duration_s: float, position_m: float) -> None:
        """Log one event."""
        self.events.append((now_s, event, cause, duration_s, position_m))
