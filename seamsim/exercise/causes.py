"""The causes a bottleneck answer chooses from, and where each one shows in a run.

Every state of the face in which it neither runs nor stands by schedule belongs to exactly
one cause, and so does every speed limit: the hours a cause *stops* the face are the hours
in its states; the hours it *slows* the face are estimated from the binding limit (see
:mod:`seamsim.exercise.answer_key`). ``tests/exercise`` checks that every state and every
limit of the model is assigned.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["CAUSES", "SCHEDULED_STATES", "Cause", "cause_by_key", "cause_of_limit"]


@dataclass(frozen=True)
class Cause:
    """One cause of lost production.

    Attributes
    ----------
    key : str
        Short identifier (stored with an answer).
    label : str
        What students read.
    states : tuple of str
        Face states in which this cause stops the face.
    limits : tuple of str
        Speed limits through which this cause slows the cutting.
    """

    key: str
    label: str
    states: tuple[str, ...]
    limits: tuple[str, ...] = ()


CAUSES: tuple[Cause, ...] = (
    Cause("shields", "Shield advance and shield repairs", ("waiting_for_shields", "shield_repair"), ("shields",)),
    Cause("supply", "Electrical supply and cable (trips, power)", ("electrical_trip",), ("power",)),
    Cause("crew", "People on the shift (skills, waiting for someone, handovers)", ("waiting_for_crew", "shift_change")),
    Cause("machine", "The shearer itself (its top speed, picks, repairs)", ("shearer_repair", "pick_change"),
          ("machine", "pick", "set")),
    Cause("roof", "Roof and seam (jams under the canopies, roof events)", ("jam", "roof_event")),
    Cause("conveyor", "Conveyor and outbye transport", ("conveyor_repair", "outbye_blocked"), ("conveyor",)),
    Cause("face_ends", "Work at the face ends (reversals, end operations)", ("reversals", "end_operations")),
    Cause("radio", "The radio link of remote control", ("comms_outage",)),
)
"""The causes, in the order students see them."""

SCHEDULED_STATES: tuple[str, ...] = ("maintenance", "off_shift", "idle", "infeasible")
"""States that are no cause: the maintenance shift and time off shift are scheduled; ``idle``
should be zero; an infeasible face has no bottleneck to find."""


def cause_by_key(key: str) -> Cause:
    """Return the cause ``key`` (raises ``KeyError`` naming the causes)."""
    for cause in CAUSES:
        if cause.key == key:
            return cause
    raise KeyError(f"unknown cause {key!r}; the causes are: {', '.join(c.key for c in CAUSES)}")


def cause_of_limit(limit: str) -> Cause | None:
    """Return the cause a speed limit belongs to (``None`` for an unknown limit)."""
    return next((cause for cause in CAUSES if limit in cause.limits), None)
