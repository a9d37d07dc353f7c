"""What a run of the reference face produced, and its state log as stops and runs."""

from __future__ import annotations

from dataclasses import dataclass

from seamsim.model.recorder import OPERATING_STATES

__all__ = ["EPS_S", "ReferenceResult", "state_sequence"]

EPS_S = 1e-6
"""Steps shorter than this are not run, and states held for less are not shown [s]."""


@dataclass
class ReferenceResult:
    """What a reference run produced.

    Attributes
    ----------
    webs : int
        Passes whose cutting was finished (the face-end work may still be under way).
    coal_t, rock_t : float
        Tonnes cut, the segment under way at the horizon pro rata [t].
    time_in_state_s : dict of str to float
        Seconds in each state of :data:`~seamsim.model.recorder.STATES`; they sum to the horizon.
    states : list of (float, str)
        Every change of state: (time [s], state entered), closed by (horizon, last state).
    events : list of (float, str, str, float)
        Every stop as it began: (time [s], state, source, duration [s]).
    """

    horizon_s: float
    webs: int
    coal_t: float
    rock_t: float
    time_in_state_s: dict[str, float]
    states: list[tuple[float, str]]
    events: list[tuple[float, str, str, float]]
    failures: dict[str, int]
    jam_stops: int
    pick_changes: int

    @property
    def rom_t(self) -> float:
        """Run-of-mine tonnes, coal and rock [t]."""
        return self.coal_t + self.rock_t


def state_sequence(entries, eps_s: float = EPS_S) -> list[tuple[float, str]]:
    """Return the stops and runs of a state log: (start [s], state) with every operating state as ``running``.

    Parameters
    ----------
    entries : iterable of (float, str)
        (time, state entered) in time order: :attr:`ReferenceResult.states`, or the fast
        model's trace as ``zip(trace.time_s, trace.state)``.
    eps_s : float, optional
        States held for less than this are dropped [s].

    Returns
    -------
    list of (float, str)
        Consecutive distinct states with the time each began.
    """
    out: list[tuple[float, str]] = []
    for time_s, state in entries:
        name = "running" if state in OPERATING_STATES else state
        if out and time_s - out[-1][0] <= eps_s:
            out.pop()  # the state before lasted no time
        if out and out[-1][1] == name:
            continue
        out.append((float(time_s), name))
    return out
