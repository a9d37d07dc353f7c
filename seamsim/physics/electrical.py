"""Electrical supply of the shearer: current, voltage drop, start dip, losses, ampacity.

Equations E1–E3 of docs/model.md §3 (defaults and a worked example in §3b). SI units: volts, amperes, watts,
ohms per metre, metres. Three-phase quantities are line-to-line.

References
----------
.. [E] Engineering estimates, docs/model.md §3b: cable data (IEC 60228 class 5
   resistances, Chinese design ampacities), allowed network voltage loss, start rule.
.. [S37] Shearer trailing cables MCP/MCPT (MT 818), 90 °C conductor limit.
.. [S7] Shearer selection rules: ≤730 kW on 1,140 V, ≥930 kW on 3,300 V.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike

from seamsim.units import (
    COPPER_TEMPERATURE_COEFFICIENT_PER_K,
    KM_PER_M,
    REFERENCE_TEMPERATURE_C,
    SQRT3,
)

CABLE_R20_OHM_PER_KM: dict[int, float] = {
    35: 0.554, 50: 0.386, 70: 0.272, 95: 0.206, 120: 0.161, 150: 0.129, 185: 0.106,
}
"""Conductor resistance at 20 °C of class-5 flexible copper, by cross-section [mm² → Ω/km]
(IEC 60228; docs/model.md §3b [E]; 185 mm² from the same standard)."""

CABLE_AMPACITY_A: dict[int, float] = {
    35: 138.0, 50: 173.0, 70: 215.0, 95: 260.0, 120: 300.0, 150: 340.0, 185: 390.0,
}
"""Continuous current of a rubber mining cable in 25 °C air, by cross-section [mm² → A]
(Chinese design tables, docs/model.md §3b [E]; 150 and 185 mm² extrapolated at the same
slope, an estimate)."""

TRANSFORMER_NO_LOAD_VOLTAGE_V: dict[int, float] = {660: 690.0, 1140: 1200.0, 3300: 3450.0}
"""No-load secondary voltage of the face transformer by nominal voltage [V] (docs/model.md §3b [E])."""


def cable_resistance_ohm_per_m(csa_mm2: int, temperature_c: ArrayLike, cable_count: int = 1) -> np.ndarray:
    """Return the conductor resistance per metre of route at temperature.

    ``R'(θ) = R'_20 · (1 + 0.00393 · (θ − 20)) / n_cables``.

    Parameters
    ----------
    csa_mm2 : int
        Conductor cross-section, a key of :data:`CABLE_R20_OHM_PER_KM` [mm²].
    temperature_c : array_like
        Conductor temperature θ [°C].
    cable_count : int, optional
        Cables in parallel [-].

    Returns
    -------
    numpy.ndarray
        Resistance per phase per metre of route [Ω/m].

    Examples
    --------
    95 mm² at 65 °C is 1.177 × its 20 °C value:

    >>> round(float(cable_resistance_ohm_per_m(95, 65.0)) * 1000, 4)
    0.2424

    References
    ----------
    docs/model.md §3b (conductor resistance R'(θ) and R'_20) [E].
    """
    r20_ohm_per_m = CABLE_R20_OHM_PER_KM[int(csa_mm2)] * KM_PER_M
    theta = np.asarray(temperature_c, dtype=float)
    return r20_ohm_per_m * (1.0 + COPPER_TEMPERATURE_COEFFICIENT_PER_K * (theta - REFERENCE_TEMPERATURE_C)) / cable_count


def cable_ampacity_a(csa_mm2: int, cable_count: int = 1) -> float:
    """Return the continuous current rating of the trailing cable(s) [A].

    Parameters
    ----------
    csa_mm2 : int
        Conductor cross-section [mm²].
    cable_count : int, optional
        Cables in parallel [-].

    Returns
    -------
    float
        Ampacity I_z [A].

    References
    ----------
    docs/model.md §3b (ampacity, rubber cable, 25 °C air) [E].
    """
    return CABLE_AMPACITY_A[int(csa_mm2)] * cable_count


def line_current_a(power_w: ArrayLike, voltage_v: float, power_factor: float, efficiency: float) -> np.ndarray:
    """Return the line current drawn by motors delivering ``power_w`` of shaft power (E1).

    ``I = P / (√3 · U · cos φ · η)``.

    Parameters
    ----------
    power_w : array_like
        Mechanical output power P [W].
    voltage_v : float
        Line-to-line voltage U [V].
    power_factor : float
        cos φ [-].
    efficiency : float
        Motor efficiency η [-].

    Returns
    -------
    numpy.ndarray
        Line current [A].

    Examples
    --------
    700 kW at 1,140 V, cos φ 0.86, η 0.93 (docs/model.md §3b, worked example):

    >>> round(float(line_current_a(700e3, 1140, 0.86, 0.93)))
    443

    References
    ----------
    docs/model.md §3: E1 (rated current).
    """
    return np.asarray(power_w, dtype=float) / (SQRT3 * voltage_v * power_factor * efficiency)


def voltage_drop_v(
    current_a: ArrayLike,
    length_m: float,
    resistance_ohm_per_m: float,
    reactance_ohm_per_m: float,
    power_factor: float,
) -> np.ndarray:
    """Return the line-to-line voltage drop along a cable (E2).

    ``ΔU = √3 · I · L · (R' cos φ + X' sin φ)``.

    Parameters
    ----------
    current_a : array_like
        Line current I [A].
    length_m : float
        Cable route length L [m].
    resistance_ohm_per_m : float
        Resistance per phase per metre R' [Ω/m].
    reactance_ohm_per_m : float
        Reactance per phase per metre X' [Ω/m].
    power_factor : float
        cos φ of the load [-].

    Returns
    -------
    numpy.ndarray
        Voltage drop [V].

    References
    ----------
    docs/model.md §3: E2 (running drop); worked values in §3b.
    """
    sin_phi = np.sqrt(max(0.0, 1.0 - power_factor**2))
    return SQRT3 * np.asarray(current_a, dtype=float) * length_m * (
        resistance_ohm_per_m * power_factor + reactance_ohm_per_m * sin_phi
    )


def terminal_voltage_v(supply_voltage_v: float, drop_v: ArrayLike) -> np.ndarray:
    """Return the voltage at the machine terminals, ``U_t = U_N − ΔU`` [V].

    Parameters
    ----------
    supply_voltage_v : float
        Nominal supply voltage U_N at the gate-end substation [V].
    drop_v : array_like
        Voltage drop along the cable [V].

    Returns
    -------
    numpy.ndarray
        Terminal voltage [V].

    References
    ----------
    docs/model.md §3 (running drop, E2).
    """
    return supply_voltage_v - np.asarray(drop_v, dtype=float)


def start_dip_v(
    motor_power_w: float,
    running_power_w: float,
    voltage_v: float,
    length_m: float,
    resistance_ohm_per_m: float,
    reactance_ohm_per_m: float,
    power_factor: float,
    efficiency: float,
    locked_rotor_current_ratio: float,
    start_power_factor: float,
) -> float:
    """Return the voltage dip at the terminals while one motor starts and others run.

    The starting motor draws ``k_LR · I_n`` at ``cos φ_start``; the running load draws its
    own current at ``cos φ``; both drops add along the cable:
    ``ΔU = √3·L·[I_st (R' cos φ_st + X' sin φ_st) + I_run (R' cos φ + X' sin φ)]``.

    Parameters
    ----------
    motor_power_w : float
        Rated output of the motor that starts [W].
    running_power_w : float
        Output of the motors already running [W].
    voltage_v : float
        Nominal voltage U_N [V].
    length_m : float
        Cable route length [m].
    resistance_ohm_per_m, reactance_ohm_per_m : float
        Cable R' and X' per phase per metre [Ω/m].
    power_factor : float
        Running cos φ [-].
    efficiency : float
        Motor efficiency [-].
    locked_rotor_current_ratio : float
        Starting current as a multiple of rated current k_LR [-].
    start_power_factor : float
        cos φ while starting [-].

    Returns
    -------
    float
        Voltage dip [V].

    Examples
    --------
    One 300 kW motor starting with 400 kW running over 450 m (docs/model.md §3b): ≈16 % at
    1,140 V on 3×95, ≈3 % at 3,300 V on 3×50.

    >>> r95 = float(cable_resistance_ohm_per_m(95, 65.0))
    >>> round(start_dip_v(300e3, 400e3, 1140, 450, r95, 8e-5, 0.86, 0.93, 6, 0.3) / 1140 * 100)
    16

    References
    ----------
    docs/model.md §3 (start dip), §3b (start rule, worked example).
    """
    starting_current_a = locked_rotor_current_ratio * float(line_current_a(motor_power_w, voltage_v, power_factor, efficiency))
    running_current_a = float(line_current_a(running_power_w, voltage_v, power_factor, efficiency))
    return float(
        voltage_drop_v(starting_current_a, length_m, resistance_ohm_per_m, reactance_ohm_per_m, start_power_factor)
        + voltage_drop_v(running_current_a, length_m, resistance_ohm_per_m, reactance_ohm_per_m, power_factor)
    )


def cable_copper_loss_w(current_a: ArrayLike, resistance_ohm_per_m: float, length_m: float) -> np.ndarray:
    """Return the copper loss in a three-phase cable, ``P = 3 · I² · R' · L`` [W].

    Parameters
    ----------
    current_a : array_like
        Line current [A].
    resistance_ohm_per_m : float
        Resistance per phase per metre [Ω/m].
    length_m : float
        Route length [m].

    Returns
    -------
    numpy.ndarray
        Loss [W].

    References
    ----------
    docs/model.md §3b (copper loss; ≈66 kW vs ≈15 kW at 700 kW) [I].
    """
    return 3.0 * np.asarray(current_a, dtype=float) ** 2 * resistance_ohm_per_m * length_m


def cable_loading(current_a: ArrayLike, ampacity_a: float) -> np.ndarray:
    """Return the cable loading ``I / I_z`` (1.0 is fully loaded) [-].

    Parameters
    ----------
    current_a : array_like
        Line current [A].
    ampacity_a : float
        Continuous rating [A].

    Returns
    -------
    numpy.ndarray
        Loading [-].

    References
    ----------
    docs/model.md §3 (ampacity), §3b (the table) [E].
    """
    return np.asarray(current_a, dtype=float) / ampacity_a


def allowed_voltage_drop_v(nominal_voltage_v: int) -> float:
    """Return the allowed network voltage loss, ``U_2N0 − 0.95 · U_N`` [V].

    117 V on a 1,140 V system, 315 V on 3,300 V, 63 V on 660 V.

    Parameters
    ----------
    nominal_voltage_v : int
        660, 1,140 or 3,300 [V].

    Returns
    -------
    float
        Allowed voltage loss [V].

    References
    ----------
    docs/model.md §3b (ΔU_allow, Chinese design practice [E]).
    """
    return TRANSFORMER_NO_LOAD_VOLTAGE_V[int(nominal_voltage_v)] - 0.95 * nominal_voltage_v


def usable_power_fraction(terminal_voltage_v: ArrayLike, nominal_voltage_v: float, full_power_voltage_fraction: float = 0.95) -> np.ndarray:
    """Return the share of rated power a motor can deliver at a reduced terminal voltage.

    A motor held at rated current delivers power in proportion to its voltage; it gives
    full power down to ``full_power_voltage_fraction · U_N`` (the usual ±5 % band) and
    proportionally less below: ``min(1, U_t / (0.95 · U_N))``.

    Parameters
    ----------
    terminal_voltage_v : array_like
        Terminal voltage while running [V].
    nominal_voltage_v : float
        Nominal voltage U_N [V].
    full_power_voltage_fraction : float, optional
        Lowest voltage, as a share of U_N, at which rated power is still available [-].

    Returns
    -------
    numpy.ndarray
        Usable share of rated power, in [0, 1].

    References
    ----------
    docs/model.md §3 (the load as drawn: motors run near rated torque when the dip is
    small; constant-power haulage control at rated current) [E].
    """
    ratio = np.asarray(terminal_voltage_v, dtype=float) / (full_power_voltage_fraction * nominal_voltage_v)
    return np.clip(ratio, 0.0, 1.0)


def electrical_trip_rate_per_h(
    base_rate_per_h: float,
    sag_rate_per_h: float,
    drop_rate_per_h: float,
    overload_rate_per_h: float,
    start_dip_fraction: float,
    start_dip_limit_fraction: float,
    running_drop_fraction: float,
    allowed_drop_fraction: float,
    loading: float,
) -> float:
    """Return the rate of electrical trips per operating hour from the electrical state.

    ``λ = λ_0 + λ_sag (dip/dip_lim)² + λ_drop (ΔU/ΔU_allow)² + λ_over · max(0, I/I_z − 1)``.

    Undervoltage relays trip on deep start dips, sustained drops bring motors near their
    undervoltage and thermal limits, and a cable loaded past its ampacity trips on
    overload (docs/model.md §3, the load as drawn: trips derived from the voltage and current
    state rather than given as a rate). With
    the default coefficients the article's 1,140 V face trips about every 4 h and the
    3,300 V face about every 15 h, inside the estimated ranges of docs/model.md §3b
    (2–10 h and 6–30 h) [E].

    Parameters
    ----------
    base_rate_per_h : float
        Trips of a healthy supply λ_0 [1/h].
    sag_rate_per_h : float
        Extra trips when the start dip reaches its limit λ_sag [1/h].
    drop_rate_per_h : float
        Extra trips when the running drop reaches the allowance λ_drop [1/h].
    overload_rate_per_h : float
        Extra trips per unit of loading above 1 λ_over [1/h].
    start_dip_fraction : float
        Start dip as a share of U_N [-].
    start_dip_limit_fraction : float
        Dip at which a start fails, ``1 − U_start,min/U_N`` [-].
    running_drop_fraction : float
        Running voltage drop as a share of U_N [-].
    allowed_drop_fraction : float
        Allowed network loss as a share of U_N [-].
    loading : float
        Cable loading I/I_z [-].

    Returns
    -------
    float
        Trip rate [1/h].

    References
    ----------
    docs/model.md §3: E3 (trips from the load), §3b (relay settings, trip TBF 4 h / 12 h) [E].
    """
    sag = (start_dip_fraction / start_dip_limit_fraction) ** 2 if start_dip_limit_fraction > 0 else 0.0
    drop = (running_drop_fraction / allowed_drop_fraction) ** 2 if allowed_drop_fraction > 0 else 0.0
    return float(
        base_rate_per_h + sag_rate_per_h * sag + drop_rate_per_h * drop
        + overload_rate_per_h * max(0.0, loading - 1.0)
    )


TRANSFORMER_IMPEDANCE_PCT: tuple[tuple[float, float, float], ...] = (
    (630.0, 4.0, 0.9),
    (1000.0, 5.0, 0.8),
    (1250.0, 5.5, 0.7),
    (1600.0, 6.0, 0.7),
    (2500.0, 6.5, 0.6),
    (3150.0, 7.0, 0.5),
)
"""Mobile substation rating [kVA] → short-circuit voltage u_k and resistive share u_r [%]
(dry-type practice, GB/T 10228; no KBSGZY datasheet was reached [E])."""

RELAY_NO_TRIP_MULTIPLE = 1.05
"""Current multiple of the relay setting below which the thermal relay never trips [-]
(1.05 I_set: no trip within 2 h, GB 14048.4 / IEC 60947-4-1 [T42])."""


STANDARD_TRANSFORMER_KVA: tuple[float, ...] = (315.0, 400.0, 500.0, 630.0, 800.0, 1000.0, 1250.0, 1600.0, 2000.0, 2500.0, 3150.0)
"""Standard mobile-substation ratings [kVA]."""


def transformer_rating_kva(connected_kva: float) -> float:
    """Return the smallest standard substation rating that carries the connected load [kVA].

    Examples
    --------
    >>> transformer_rating_kva(1075.0)
    1250.0
    """
    for rating in STANDARD_TRANSFORMER_KVA:
        if rating >= connected_kva - 1e-9:
            return rating
    return STANDARD_TRANSFORMER_KVA[-1]


def transformer_impedance_pct(rating_kva: float) -> tuple[float, float]:
    """Return u_k and u_r [%] of a mobile substation of ``rating_kva`` (interpolated).

    Examples
    --------
    >>> transformer_impedance_pct(1250.0)
    (5.5, 0.7)
    """
    ratings, uk, ur = zip(*TRANSFORMER_IMPEDANCE_PCT, strict=True)
    return float(np.interp(rating_kva, ratings, uk)), float(np.interp(rating_kva, ratings, ur))


def transformer_drop_fraction(
    load_kva: ArrayLike, rating_kva: float, power_factor: float, uk_pct: float, ur_pct: float
) -> np.ndarray:
    """Return the voltage drop in the transformer as a share of nominal voltage [-].

    ``ΔU_T ≈ (S/S_T) · (u_r cos φ + u_x sin φ)``, ``u_x = √(u_k² − u_r²)``; the same per
    unit at 1,140 V and 3,300 V for equal kVA and u_k.

    Parameters
    ----------
    load_kva : array_like
        Apparent power drawn through the transformer S [kVA].
    rating_kva : float
        Transformer rating S_T [kVA].
    power_factor : float
        cos φ of the load [-].
    uk_pct, ur_pct : float
        Short-circuit voltage and its resistive part [%].

    Returns
    -------
    numpy.ndarray
        Drop as a share of U_N [-].

    Examples
    --------
    One 300 kW motor starting (≈2,250 kVA at cos φ 0.3) on 1,250 kVA, u_k 5.5 %: 9.7 %.

    >>> round(float(transformer_drop_fraction(2250, 1250, 0.3, 5.5, 0.7)) * 100, 1)
    9.7

    References
    ----------
    docs/model.md §3 (start dip: cable plus transformer drop) [E][I].
    """
    ur = ur_pct / 100.0
    ux = math.sqrt(max(0.0, (uk_pct / 100.0) ** 2 - ur**2))
    sin_phi = math.sqrt(max(0.0, 1.0 - power_factor**2))
    return np.asarray(load_kva, dtype=float) / rating_kva * (ur * power_factor + ux * sin_phi)


def demand_factor(largest_motor_w: float, installed_w: float) -> float:
    """Return the demand factor of a face load, ``K_x = 0.4 + 0.6 · P_max / ΣP_N`` [-].

    Chinese mine power-design formula for fully mechanised faces [E-mem]: a shearer's
    motors rarely all run at rating at once.

    Examples
    --------
    >>> round(demand_factor(300e3, 680e3), 3)
    0.665
    """
    return 0.4 + 0.6 * largest_motor_w / installed_w if installed_w > 0 else 1.0


def ambient_derating(air_temperature_c: ArrayLike) -> np.ndarray:
    """Return the ampacity factor of a rubber cable in air warmer or cooler than 25 °C [-].

    ``k_θ = √((90 − θ_air) / (90 − 25))`` for a 90 °C conductor limit; the ampacity
    table is for 25 °C air.

    Examples
    --------
    >>> round(float(ambient_derating(35.0)), 3)
    0.92
    """
    theta = np.minimum(np.asarray(air_temperature_c, dtype=float), 89.0)
    return np.sqrt((90.0 - theta) / 65.0)


def thermal_trip_time_s(current_multiple: ArrayLike, time_constant_s: float) -> np.ndarray:
    """Return the time a first-order I²t relay takes to trip at a steady current [s].

    ``t = τ · ln(r² / (r² − k²))`` for ``r = I/I_set > k`` (k = 1.05), ``inf`` below.
    With τ = 10 min: 1.2 I_set trips in 14 min, 1.5 I_set in 7 min, 6 I_set in 19 s,
    close to the relay table (≤ 20 min, ≤ 3 min, 8–16 s).

    Parameters
    ----------
    current_multiple : array_like
        r = I / I_set [-].
    time_constant_s : float
        Thermal time constant τ [s] (10–40 min [E]).

    Returns
    -------
    numpy.ndarray
        Trip time [s] (``inf`` where the relay does not trip).

    Examples
    --------
    >>> round(float(thermal_trip_time_s(1.2, 600.0)) / 60, 1)
    14.5

    References
    ----------
    docs/model.md §3 (thermal I²t relay), §3b (relay settings) [E][T41][T42].
    """
    r2 = np.asarray(current_multiple, dtype=float) ** 2
    k2 = RELAY_NO_TRIP_MULTIPLE**2
    with np.errstate(divide="ignore", invalid="ignore"):
        t = time_constant_s * np.log(r2 / (r2 - k2))
    return np.where(r2 > k2, t, np.inf)
