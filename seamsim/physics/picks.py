"""Rock and coal at the picks: chip-depth limits, drum speed in rock, rock reach and wear.

SI units: metres, pascals, newtons, joules. The reasoning and every estimate are in
``docs/references.md`` under "Rock cutting, picks and dilution".

References
----------
.. [T16] Protodyakonov strength classes (f ≈ σ_c/10), 《采矿工程设计手册》 2003.
.. [T17] Specific energy of full-scale linear rock cutting against UCS.
.. [T18] Goktan & Gunes: Evans' point-attack pick model and its limits.
.. [T23] Thin-seam pick sizes; scrap at 5 mm tip wear.
.. [E] Allowed mean pick force 15–25 kN, tip angle 75–85°, σ_t ≈ σ_c/10, tip speed in
   rock 2–2.5 m/s, pick consumption 2–20 picks/kt in coal and 0.05–2 picks/m³ in rock,
   pick-change times (engineering estimates, labelled as such).
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike

from seamsim.physics import support

PICK_TIP_ANGLE_DEG = 80.0
"""Tip angle θ of a conical pick [°] (75–85 [E])."""

COMPRESSIVE_TO_TENSILE_RATIO = 10.0
"""σ_c/σ_t of coal and the mudstones and sandstones around it [-] (10–15 [E])."""

def evans_chip_depth_m(allowed_pick_force_n: float, compressive_strength_pa: ArrayLike) -> np.ndarray:
    """Return the deepest chip a conical pick can take at its allowed mean force (Evans).

    ``F_c = 16 π σ_t² d² / (σ_c cos²(θ/2))`` solved for d, with ``σ_t = σ_c / 10``:
    ``d_max = cos(θ/2) · √(F · σ_c / (16 π)) / σ_t``. Harder material, shallower chip.

    Parameters
    ----------
    allowed_pick_force_n : float
        Allowed mean cutting force per pick F [N] (15–25 kN [E]).
    compressive_strength_pa : array_like
        Uniaxial compressive strength σ_c of the material [Pa].

    Returns
    -------
    numpy.ndarray
        Chip depth [m].

    Examples
    --------
    Mudstone 30 MPa at 20 kN: 28 mm; sandstone 80 MPa: 17 mm.

    >>> round(float(evans_chip_depth_m(20e3, 30e6)) * 1000, 1)
    27.9
    >>> round(float(evans_chip_depth_m(20e3, 80e6)) * 1000, 1)
    17.1

    References
    ----------
    [T18] (Evans' model); σ_t ≈ σ_c/10 [E].
    """
    sigma_c = np.asarray(compressive_strength_pa, dtype=float)
    sigma_t = sigma_c / COMPRESSIVE_TO_TENSILE_RATIO
    half_angle = math.radians(PICK_TIP_ANGLE_DEG / 2.0)
    return math.cos(half_angle) * np.sqrt(allowed_pick_force_n * sigma_c / (16.0 * math.pi)) / sigma_t


def chip_depth_m(allowed_pick_force_n: float, compressive_strength_pa: ArrayLike, geometric_cap_m: float) -> np.ndarray:
    """Return the chip depth a pick can take: the Evans depth, capped by the pick's projection [m].

    Parameters
    ----------
    allowed_pick_force_n : float
        Allowed mean force per pick [N].
    compressive_strength_pa : array_like
        σ_c of the material [Pa].
    geometric_cap_m : float
        Largest chip the pick's projection allows (0.6–0.7 of the projection) [m].

    Returns
    -------
    numpy.ndarray
        Chip depth [m].

    Examples
    --------
    Coal of 20 MPa is capped by a 30 mm projection limit; mudstone of 35 MPa is not.

    >>> round(float(chip_depth_m(20e3, 20e6, 0.030)) * 1000, 1)
    30.0
    >>> round(float(chip_depth_m(20e3, 35e6, 0.030)) * 1000, 1)
    25.8
    """
    return np.minimum(evans_chip_depth_m(allowed_pick_force_n, compressive_strength_pa), geometric_cap_m)


def drum_speed_in_rock_rpm(drum_speed_rpm: float, drum_diameter_m: float, max_tip_speed_in_rock_m_per_s: float) -> float:
    """Return the drum speed used while the picks cut rock [rpm].

    Operators slow the drum in rock so that the pick tips stay below a tip speed that
    limits tip temperature, wear and frictional ignition (2–2.5 m/s instead of 3–3.5 m/s).
    ``n_rock = min(n, 60 · v_tip / (π D))``: a larger drum must turn slower.

    Parameters
    ----------
    drum_speed_rpm : float
        Drum speed in coal n [rpm].
    drum_diameter_m : float
        Drum diameter D [m].
    max_tip_speed_in_rock_m_per_s : float
        Highest tip speed kept in rock [m/s].

    Returns
    -------
    float
        Drum speed in rock [rpm].

    Examples
    --------
    A 0.7 m drum at 80 rpm has a 2.9 m/s tip speed; at 2.5 m/s in rock it turns 68 rpm.

    >>> round(drum_speed_in_rock_rpm(80.0, 0.7, 2.5), 1)
    68.2
    """
    return min(drum_speed_rpm, 60.0 * max_tip_speed_in_rock_m_per_s / (math.pi * drum_diameter_m))


def rock_reach_m(drum_diameter_m: float, max_rock_arc_share: float) -> float:
    """Return the thickest roof or floor rock band the leading drum can take in one pass [m].

    A band of thickness h at the top of a drum of diameter D lies on the arc
    ``acos(1 − 2h/D)`` of its cutting half-turn; beyond a share ``s`` of that half-turn in
    rock the drum rides up on the rock instead of cutting it and the body stalls under
    the canopies: ``h_max = D/2 · (1 − cos(π s))``. A larger drum reaches further.

    Parameters
    ----------
    drum_diameter_m : float
        Drum diameter D [m].
    max_rock_arc_share : float
        Largest share of the drum's cutting half-turn that may be in rock s [-] [E].

    Returns
    -------
    float
        Rock reach [m].

    Examples
    --------
    >>> round(rock_reach_m(0.7, 0.3) * 1000)
    144
    """
    return 0.5 * drum_diameter_m * (1.0 - math.cos(math.pi * max_rock_arc_share))


def worn_picks(
    coal_cutting_energy_j: ArrayLike,
    rock_cutting_energy_j: ArrayLike,
    coal_wear_picks_per_j: float,
    rock_wear_picks_per_j: float,
) -> np.ndarray:
    """Return the picks worn out (to scrap wear) by the cutting energy spent in coal and rock.

    Abrasive wear grows with the work the tips do (Archard: force × sliding distance), so
    it is counted per joule of cutting energy, with a per-joule rate for each material:
    rock is both costlier per m³ and more abrasive per joule.

    Parameters
    ----------
    coal_cutting_energy_j, rock_cutting_energy_j : array_like
        Drum energy spent in coal and in rock [J].
    coal_wear_picks_per_j, rock_wear_picks_per_j : float
        Picks worn per joule in coal and in rock [1/J].

    Returns
    -------
    numpy.ndarray
        Worn picks [-] (fractional).

    Examples
    --------
    1 MWh in coal at 7.5 picks/MWh plus 1 MWh in mudstone at 19 picks/MWh:

    >>> round(float(worn_picks(3.6e9, 3.6e9, 7.5 / 3.6e9, 19 / 3.6e9)), 1)
    26.5
    """
    return (np.asarray(coal_cutting_energy_j, dtype=float) * coal_wear_picks_per_j
            + np.asarray(rock_cutting_energy_j, dtype=float) * rock_wear_picks_per_j)


def pick_change_duration_s(
    setup_s: float, picks_changed: float, time_per_pick_standing_s: float, working_height_m: float
) -> float:
    """Return the length of a pick-change stop [s].

    ``T_pc = T_setup + n · t_pick · f_h(H) / n_men``: isolate and lock out, turn the water
    off and place the drum, then change the worn picks; in a seam under 1 m only one man
    can reach the drum at a time, above it two work together [E].

    Parameters
    ----------
    setup_s : float
        Stop, isolate, lock out, water off, drum clear of the face [s] (8–15 min [E]).
    picks_changed : float
        Worn picks replaced [-].
    time_per_pick_standing_s : float
        Time to change one pick with room to stand [s] (1–2 min [E]).
    working_height_m : float
        Height the men work in (the seam) [m].

    Returns
    -------
    float
        Stop length [s].

    Examples
    --------
    11 picks at 2 min each in a 0.8 m seam after 10 min of set-up: 43 min.

    >>> round(pick_change_duration_s(600.0, 11, 120.0, 0.8) / 60)
    43
    """
    men = 1 if working_height_m < 1.0 else 2
    return setup_s + picks_changed * time_per_pick_standing_s * float(support.crawl_height_factor(working_height_m)) / men


def ash_share(coal_t: float, rock_t: float, coal_ash_share: float, rock_ash_share: float) -> float:
    """Return the ash share of run-of-mine coal and rock [-] (dilution arithmetic).

    ``A_ROM = (1 − f_rock)·A_coal + f_rock·A_rock`` with f_rock the rock's mass share.

    Examples
    --------
    0.8 m of coal with 40 mm of mudstone: rock 8.3 % of ROM, ash 25.4 %.

    >>> coal, rock = 0.8 * 1.38, 0.04 * 2.5
    >>> round(ash_share(coal, rock, 0.20, 0.85) * 100, 1)
    25.4
    """
    total = coal_t + rock_t
    if total <= 0:
        return math.nan
    return (coal_t * coal_ash_share + rock_t * rock_ash_share) / total
