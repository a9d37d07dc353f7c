"""Cutting: specific energy of a coal/rock mix and the limits on cutting speed.

Equations P1, P2, P3, P5 and P6 of docs/model.md §4 (the cutting-speed table). SI units:
speeds in m/s, power in W, specific energy in J/m³, mass flow in kg/s.

References
----------
.. [S10] The drums consume 80–90 % of shearer power (docs/references.md).
.. [S-dk] Moving against the AFC chain costs about 25 % more power (docs/references.md).
.. [E] Pick kinematics, AFC loading and specific energies, docs/model.md §4.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from numpy.typing import ArrayLike

from seamsim import units as u

SPEED_LIMIT_NAMES: tuple[str, ...] = ("set", "power", "pick", "conveyor", "shields", "machine")
"""Names of the speed limits of P6, in the order ties are resolved."""


def mix_specific_energy_j_per_m3(
    coal_height_m: ArrayLike,
    rock_height_m: ArrayLike,
    coal_specific_energy_j_per_m3: float,
    rock_specific_energy_j_per_m3: float,
    direction_factor: ArrayLike = 1.0,
) -> np.ndarray:
    """Return the specific cutting energy of a coal/rock mix (P1).

    ``E_v = (H_s·E_c + h_r·E_r) / (H_s + h_r) · k_dir``.

    Parameters
    ----------
    coal_height_m : array_like
        Coal height cut H_s [m].
    rock_height_m : array_like
        Rock height cut h_r [m].
    coal_specific_energy_j_per_m3 : float
        Specific energy of coal E_c [J/m³].
    rock_specific_energy_j_per_m3 : float
        Specific energy of rock E_r [J/m³].
    direction_factor : array_like, optional
        k_dir: 1.25 when the shearer moves against the chain, else 1 [-].

    Returns
    -------
    numpy.ndarray
        Specific energy [J/m³].

    References
    ----------
    docs/model.md §4: P1 (specific energy of the mix, loading penalty k_dir [S-dk]).
    """
    coal = np.asarray(coal_height_m, dtype=float)
    rock = np.asarray(rock_height_m, dtype=float)
    total = coal + rock
    safe_total = np.where(total > 0.0, total, 1.0)
    mix = (coal * coal_specific_energy_j_per_m3 + rock * rock_specific_energy_j_per_m3) / safe_total
    mix = np.where(total > 0.0, mix, coal_specific_energy_j_per_m3)
    return mix * np.asarray(direction_factor, dtype=float)


def power_limited_speed_m_per_s(
    cutting_power_w: ArrayLike,
    drum_power_share: float,
    load_factor: float,
    web_m: float,
    cutting_height_m: ArrayLike,
    specific_energy_j_per_m3: ArrayLike,
) -> np.ndarray:
    """Return the haulage speed at which the drums use all the allowed power (P2).

    ``v_P = η_d · ΣP_cut · k_load / (B · H_cut · E_v)``.

    Parameters
    ----------
    cutting_power_w : array_like
        Usable cutting power ΣP_cut [W].
    drum_power_share : float
        Share of power consumed at the drums η_d [-].
    load_factor : float
        Allowed continuous load k_load [-].
    web_m : float
        Web B [m].
    cutting_height_m : array_like
        Height cut H_cut [m].
    specific_energy_j_per_m3 : array_like
        Specific energy E_v [J/m³].

    Returns
    -------
    numpy.ndarray
        Speed [m/s].

    Examples
    --------
    600 kW, η_d 0.85, 0.63 m web, 0.8 m cut at 1.5 kWh/m³: about 11.2 m/min.

    >>> v = power_limited_speed_m_per_s(600e3, 0.85, 1.0, 0.63, 0.8, 1.5 * 3.6e6)
    >>> round(float(v) * 60, 1)
    11.2

    References
    ----------
    docs/model.md §4: P2 (power limit), [S10].
    """
    return (
        drum_power_share * np.asarray(cutting_power_w, dtype=float) * load_factor
        / (web_m * np.asarray(cutting_height_m, dtype=float) * np.asarray(specific_energy_j_per_m3, dtype=float))
    )


def pick_limited_speed_m_per_s(max_chip_depth_m: float, picks_per_line: int, drum_speed_rpm: float) -> float:
    """Return the haulage speed at which picks reach their largest chip depth (P3).

    ``v_k = h_max · m · n``, with n in revolutions per second.

    Parameters
    ----------
    max_chip_depth_m : float
        Largest chip depth per pick h_max [m].
    picks_per_line : int
        Picks per cutting line m [-].
    drum_speed_rpm : float
        Drum speed n [rpm].

    Returns
    -------
    float
        Speed [m/s].

    Examples
    --------
    0.03 m × 2 × 80 rpm = 4.8 m/min (docs/model.md §4):

    >>> round(pick_limited_speed_m_per_s(0.03, 2, 80) * 60, 2)
    4.8

    References
    ----------
    docs/model.md §4: P3 (pick limit) [E].
    """
    return max_chip_depth_m * picks_per_line * drum_speed_rpm * u.REV_PER_S_PER_RPM


def conveyor_limited_speed_m_per_s(
    conveyor_capacity_kg_per_s: float,
    chain_speed_m_per_s: float,
    mass_per_metre_kg_per_m: ArrayLike,
    with_chain: ArrayLike,
) -> np.ndarray:
    """Return the fastest shearer speed the armoured face conveyor can carry away (P5).

    The chain may carry at most ``Q · (v_c ∓ v)/v_c`` of the shearer's output
    ``m' · v`` (− when the shearer moves with the chain, + against), so
    ``v ≤ Q / (m' ± Q/v_c)``. Against the chain with ``m' ≤ Q/v_c`` there is no limit.

    Parameters
    ----------
    conveyor_capacity_kg_per_s : float
        Rated AFC capacity Q [kg/s].
    chain_speed_m_per_s : float
        Chain speed v_c [m/s].
    mass_per_metre_kg_per_m : array_like
        Mass loaded per metre of shearer travel, ``B · (H_s ρ_c k_r + h_r ρ_r)`` [kg/m].
    with_chain : array_like of bool
        True where the shearer moves in the direction of the chain.

    Returns
    -------
    numpy.ndarray
        Speed [m/s] (``inf`` where the conveyor does not limit).

    References
    ----------
    docs/model.md §4: P5 (conveyor limit) [S55][E].
    """
    m = np.asarray(mass_per_metre_kg_per_m, dtype=float)
    chain_term = conveyor_capacity_kg_per_s / chain_speed_m_per_s
    denominator = np.where(np.asarray(with_chain, dtype=bool), m + chain_term, m - chain_term)
    with np.errstate(divide="ignore"):
        return np.where(denominator > 0.0, conveyor_capacity_kg_per_s / np.where(denominator > 0.0, denominator, 1.0), np.inf)


def least_speed_limit(limits_m_per_s: Mapping[str, ArrayLike]) -> tuple[np.ndarray, np.ndarray]:
    """Return the cutting speed, the least of the limits, and which limit binds (P6).

    ``v = min(v_set, v_P, v_k, v_AFC, v_sup, v_max)``. Ties go to the limit named first.

    Parameters
    ----------
    limits_m_per_s : mapping of str to array_like
        Each limit's speed [m/s]; arrays broadcast together. ``inf`` means no limit.

    Returns
    -------
    speed_m_per_s : numpy.ndarray
        The least limit [m/s].
    binding_index : numpy.ndarray of int
        Index, in the mapping's order, of the limit that binds.

    References
    ----------
    docs/model.md §4: P6 (the least of the limits).
    """
    speed = None
    index = None
    for k, value in enumerate(limits_m_per_s.values()):
        value = np.asarray(value, dtype=float)
        if speed is None:
            speed, index = value, np.zeros(value.shape, dtype=np.intp)
            continue
        lower = value < speed
        speed = np.where(lower, value, speed)
        index = np.where(lower, k, index)
    shape = np.broadcast_shapes(speed.shape, index.shape)
    return np.broadcast_to(speed, shape).copy(), np.broadcast_to(index, shape).copy()


CONVEYOR_SPECIFIC_ENERGY_J_PER_KG_M = 3.0 * 3.6e6 / 1.0e6
"""Energy an armoured face conveyor spends per kg carried per metre of face [J/(kg·m)]:
3 kWh per tonne and km, from 0.5–1.4 kWh/t on 150–300 m faces [S55][E]."""

CONVEYOR_DRIVE_EFFICIENCY = 0.9
"""Gearbox and coupling efficiency of the AFC drives [-] [E]."""


def conveyor_power_capacity_kg_per_s(conveyor_power_w: float, face_length_m: float) -> float:
    """Return the mass flow the AFC's installed power can carry along the face [kg/s].

    ``Q_P = η · P_AFC / (e_AFC · L)``: a longer face or a weaker drive carries less.

    Parameters
    ----------
    conveyor_power_w : float
        Installed AFC power [W].
    face_length_m : float
        Face length the coal is carried along [m].

    Returns
    -------
    float
        Mass flow [kg/s].

    Examples
    --------
    2×90 kW on a 150 m face: 360 t/h.

    >>> round(conveyor_power_capacity_kg_per_s(180e3, 150.0) * 3.6)
    360

    References
    ----------
    [S55] AFC specific energy against face length (0.53–1.4 kWh/t) [E].
    """
    return CONVEYOR_DRIVE_EFFICIENCY * conveyor_power_w / (CONVEYOR_SPECIFIC_ENERGY_J_PER_KG_M * face_length_m)
