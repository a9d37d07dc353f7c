"""Face support: how fast shield advance lets the shearer go.

Equation P4 of docs/model.md §4 (shield limit); manual advance in §6.

References
----------
.. [S30] Electro-hydraulic shield control: 8–10 s per shield; manual control in thin
   seams "especially slowed" by the workers' movement (docs/references.md).
.. [S31] Coal Age: about 8 s a shield, two shields cycling at once (docs/references.md).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

CRAWL_HEIGHTS_M: tuple[float, ...] = (0.6, 0.8, 1.05, 1.5, 1.8)
"""Working heights at the middle of the posture classes: prone below 0.7 m, crawling
0.7–0.9 m, kneeling 0.9–1.2 m, stooped 1.2–1.8 m, standing above [m]."""

CRAWL_TIME_FACTORS: tuple[float, ...] = (2.0, 1.5, 1.25, 1.1, 1.0)
"""Slowdown of handwork at those heights against standing [-] [E; NIOSH low-seam
ergonomics T32, qualitative; docs/model.md §6]."""

CRAWL_SPEEDS_M_PER_S: tuple[float, ...] = (0.08, 0.15, 0.3, 0.6, 1.0)
"""How fast a man moves along the face at those heights [m/s] [E, docs/model.md §6]."""


def crawl_height_factor(working_height_m: ArrayLike) -> np.ndarray:
    """Return how much slower handwork is at a working height than standing [-].

    Interpolated between the posture classes: 2.0 prone (0.6 m), 1.5 crawling (0.8 m),
    1.25 kneeling, 1.1 stooped, 1.0 standing (1.8 m and above).

    Examples
    --------
    >>> float(crawl_height_factor(0.8))
    1.5
    """
    return np.interp(np.asarray(working_height_m, dtype=float), CRAWL_HEIGHTS_M, CRAWL_TIME_FACTORS)


def crawl_speed_m_per_s(working_height_m: ArrayLike) -> np.ndarray:
    """Return how fast a man moves along the face at a working height [m/s].

    Examples
    --------
    >>> float(crawl_speed_m_per_s(0.8))
    0.15
    """
    return np.interp(np.asarray(working_height_m, dtype=float), CRAWL_HEIGHTS_M, CRAWL_SPEEDS_M_PER_S)


def manual_shield_cycle_s(valve_s: float, shield_width_m: float, working_height_m: float) -> float:
    """Return the time of one shield advanced by hand, crawl included [s].

    ``t = t_valve · f_h(H) + w_s / v_move(H)``: the lower–advance–set and checking at the
    adjacent valve bank slowed by the posture, plus moving on to the next shield.

    Parameters
    ----------
    valve_s : float
        Lower–advance–set and checking with room to stand [s] (30–55 [E]).
    shield_width_m : float
        Shield width w_s [m].
    working_height_m : float
        Height the men work in (the seam) [m].

    Returns
    -------
    float
        Shield cycle [s].

    Examples
    --------
    45 s at the valves in a 0.8 m seam, 1.5 m shields: 77.5 s (the reference gives 55–100 s).

    >>> manual_shield_cycle_s(45.0, 1.5, 0.8)
    77.5

    References
    ----------
    docs/model.md §6 (manual shields and crawl height) [E][T32]; manual slowed in thin seams [S30].
    """
    return valve_s * float(crawl_height_factor(working_height_m)) + shield_width_m / float(crawl_speed_m_per_s(working_height_m))


def shield_limited_speed_m_per_s(parallel_advances: float, shield_width_m: float, shield_cycle_s: float) -> float:
    """Return the shearer speed that shield advance can follow (P4).

    ``v_sup = n_par · w_s / t_sh``.

    Parameters
    ----------
    parallel_advances : float
        Shields advanced at the same time n_par [-]; 0 means no shield advances.
    shield_width_m : float
        Shield width w_s [m].
    shield_cycle_s : float
        Lower–advance–set time of one shield t_sh [s].

    Returns
    -------
    float
        Speed [m/s]; 0 when nobody advances shields.

    Examples
    --------
    Two shield men pairs at 60 s per 1.5 m shield: 3 m/min; EH at 10 s: 9 m/min.

    >>> round(shield_limited_speed_m_per_s(2, 1.5, 60) * 60, 2)
    3.0
    >>> round(shield_limited_speed_m_per_s(1, 1.5, 10) * 60, 2)
    9.0

    References
    ----------
    docs/model.md §4: P4 (shield limit) [S30][S31].
    """
    return parallel_advances * shield_width_m / shield_cycle_s


def manual_parallel_advances(shield_men: int, men_per_advance: int, max_parallel: int) -> float:
    """Return how many shields the shield men on shift can advance at once by hand.

    Parameters
    ----------
    shield_men : int
        Shield men on the shift [persons].
    men_per_advance : int
        Shield men needed to advance one shield [persons].
    max_parallel : int
        Most shields advanced at once (hydraulic supply, safety) [-].

    Returns
    -------
    float
        n_par for manual control [-]: ``min(n_max, men / men per advance)``. Fewer men
        than an advance needs still advance shields, slower (one man doing two men's work
        takes twice as long); 0 only with nobody. ``n_max`` is the limit of the pump flow
        and of the spacing men keep apart for safety (2–4 [E]).

    Examples
    --------
    >>> manual_parallel_advances(5, 2, 3), manual_parallel_advances(1, 2, 3), manual_parallel_advances(9, 2, 3)
    (2.5, 0.5, 3)

    References
    ----------
    docs/model.md §6 (manual shields: ``n_eff = min(n_shieldmen, n_hyd, n_space)``, at most
    three at once) [E][S31].
    """
    return min(max_parallel, shield_men / men_per_advance)
