"""The face-end cycle of a bi-directional cut as a sequence of steps (端部斜切进刀).

At each end the shearer reverses, runs back along the snake cutting obliquely into the
new web (sumping), reverses again, cuts the triangle coal back to the gate and reverses
for the next pass. Meanwhile the end crew (or the automation) pushes and straightens the
end conveyor section, advances the end shields and the stage loader; that work overlaps
the shearer's runs when there are enough people, and what does not fit in them is a wait.

``T_end = 3·t_rev + L_s/v_s1 + L_s/v_cut + max(0, t_push + t_ends + t_stage − overlap·(L_s/v_s1 + L_s/v_cut))``

References
----------
.. [S18] Snake length about 30 m.
.. [S35][S36][T26] Face-end sequence (snake, sump-in, cut the wedge; push behind the shearer).
.. [E] Step times: reversals 1.5–3 min by hand, 0.3–0.8 min automated; push 5–10 min by
   hand, 1–3 automated; stage loader 5–15 min by hand, 1–3 automated; the overlap needs
   at least two end men (none with one, nearly full with three or four). Ranges of the
   result: manual 25–45 min per end, automated 8–15 min [I] (docs/model.md §5).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

REFERENCE_END_CREW = 2
"""End men the manual step times are quoted for [persons] [E]."""

MAX_USEFUL_END_CREW = 4
"""Beyond four men there is no room at a thin-seam face end: more do not speed the work [E]."""


@dataclass(frozen=True)
class FaceEndSteps:
    """Durations of the face-end steps of one end [s]."""

    reversals_s: float
    sumping_s: float
    triangle_s: float
    end_work_s: float
    """Push and snake the end conveyor, end shields, stage loader, before any overlap [s]."""
    waiting_s: float
    """The part of the end work that does not fit in the shearer's runs [s]."""

    @property
    def total_s(self) -> float:
        """Time the face-end work stops the next pass [s]."""
        return self.reversals_s + self.sumping_s + self.triangle_s + self.waiting_s


def overlap_share(end_crew: float, automated: bool) -> float:
    """Return the share of the shearer's end runs the end work can overlap [-].

    Automated ends push and advance behind the shearer (full overlap); by hand the work
    overlaps only with a second man: ``min(1, (n − 1)/2)``.

    Examples
    --------
    >>> overlap_share(1, False), overlap_share(2, False), overlap_share(4, False)
    (0.0, 0.5, 1.0)
    """
    if automated:
        return 1.0
    return max(0.0, min(1.0, (end_crew - 1.0) / 2.0))


def crew_time_factor(end_crew: float) -> float:
    """Return how the manual end work scales with the end crew [-]: ``2 / min(n, 4)``.

    Examples
    --------
    >>> crew_time_factor(1), crew_time_factor(2), crew_time_factor(6)
    (2.0, 1.0, 0.5)
    """
    return REFERENCE_END_CREW / max(1e-9, min(float(end_crew), MAX_USEFUL_END_CREW))


def _travel_s(length_m: float, speed_m_per_s: float) -> float:
    """Time to travel ``length_m`` at ``speed_m_per_s`` [s]: ``inf`` when the machine cannot move."""
    if length_m <= 0:
        return 0.0
    return length_m / speed_m_per_s if speed_m_per_s > 0 else math.inf


def face_end_steps(
    snake_length_m: float,
    sump_speed_m_per_s: float,
    cutting_speed_m_per_s: float,
    reversal_s: float,
    push_s: float,
    end_shields_s: float,
    stage_loader_s: float,
    overlap: float,
) -> FaceEndSteps:
    """Return the face-end steps of one end.

    Parameters
    ----------
    snake_length_m : float
        Length of the oblique sump run L_s [m].
    sump_speed_m_per_s : float
        Shearer speed while sumping obliquely v_s1 [m/s].
    cutting_speed_m_per_s : float
        Shearer speed cutting the triangle coal v_cut [m/s].
    reversal_s : float
        One reversal (swap drum heights, change direction) [s]; three per end.
    push_s, end_shields_s, stage_loader_s : float
        End-conveyor push, end-shield advance and stage-loader advance [s].
    overlap : float
        Share of the shearer's runs the end work can overlap [-].

    Returns
    -------
    FaceEndSteps
        Step durations [s].

    Examples
    --------
    The manual before face (2.6 m/min, 30 m snake, 2 min reversals, 12 + 2 + 15 min of end
    work with full overlap): about 35 min.

    >>> steps = face_end_steps(30, 0.7 * 2.6 / 60, 2.6 / 60, 120, 720, 140, 900, 1.0)
    >>> round(steps.total_s / 60, 1)
    35.3
    """
    sump_s = _travel_s(snake_length_m, sump_speed_m_per_s)
    triangle_s = _travel_s(snake_length_m, cutting_speed_m_per_s)
    work_s = push_s + end_shields_s + stage_loader_s
    waiting_s = max(0.0, work_s - overlap * (sump_s + triangle_s))
    return FaceEndSteps(3.0 * reversal_s, sump_s, triangle_s, work_s, waiting_s)
