"""Face support: how fast shield advance lets the shearer go.

Equation P4 of ``reference/domain.md`` §4 and §10.

References
----------
.. [S30] Electro-hydraulic shield control: 8–10 s per shield; manual control in thin
   seams "especially slowed" by the workers' movement (domain.md §11).
.. [S31] Coal Age: about 8 s a shield, two shields cycling at once (domain.md §11).
"""

from __future__ import annotations


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
    domain.md §4 (support-limited speed table), §10 (P4).
    """
    return parallel_advances * shield_width_m / shield_cycle_s


def manual_parallel_advances(shield_men: int, men_per_advance: int, max_parallel: int) -> int:
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
    int
        n_par for manual control [-]; 0 when there are too few shield men.

    References
    ----------
    domain.md §4 (manual: 2 in parallel with 4–6 shield men), §6 (crew table).
    """
    return min(max_parallel, shield_men // men_per_advance)
