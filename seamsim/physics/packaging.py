"""The derived machine height: what the supply voltage does to the height of a shearer.

A thin-seam shearer's body is only 200–250 mm deep above the coal passage, and the
parts that set its height are the electrical ones: the trailing cable's entry and
terminal chamber (its size follows the cable, which follows the current), the cutting
motors (sized with a margin for the lowest terminal voltage they must still deliver
torque at), and the switchgear (contactors and busbars grow with current, creepage
distances with voltage). The model estimates the height as

``A(U, P) = A_0 + c_1·OD(I) + c_2·D_ref/u_min + k_sw·√I + k_U·U``

and calibrates ``A_0`` once so that the article's 1,140 V machine (2×200 kW cutting plus
80 kW haulage on 450 m of 3×95) stands 630 mm. Everything here is an engineering estimate
[E]: the split between the mechanisms is a hypothesis, not a published breakdown.

References
----------
.. [T1] MCPTJ-0.66/1.14 trailing-cable diameters (fit OD = 19.6 + 4.94·√A mm).
.. [T5] Insulation thickness by voltage class (3.3 kV cable 2.6–4.3 mm thicker).
.. [E] Ampacity of 90 °C flexible trailing cable (DIN VDE 0298-4 column, from memory),
   stacking derating 0.85, c_1 = 1, c_2·D_ref = 0.85 × 330 mm, switchgear terms.
.. [A] The article: 630 mm at 1,140 V, 588 mm at 3,300 V.
"""

from __future__ import annotations

import math
from functools import cache

import numpy as np

from seamsim.physics import electrical

FLEXIBLE_CABLE_AMPACITY_A: tuple[tuple[float, ...], tuple[float, ...]] = (
    (35.0, 50.0, 70.0, 95.0, 120.0, 150.0, 185.0),
    (158.0, 197.0, 245.0, 299.0, 345.0, 397.0, 455.0),
)
"""Cross-section [mm²] → ampacity of a 90 °C EPR trailing cable in 30 °C air [A] [E-mem]."""

STACKING_DERATING = 0.85
"""Ampacity factor of a cable looped in the cable handler [-] (0.80–0.90 [E])."""

CABLE_ENTRY_PER_OD = 1.0
"""Height of the cable entry and terminal chamber per mm of cable diameter, c_1 [-] [E]."""

MOTOR_HEIGHT_AT_NOMINAL_VOLTAGE_M = 0.85 * 0.330
"""Share of the cutting-motor diameter in the height stack, c_2·D_ref [m] [E]."""

SWITCHGEAR_PER_SQRT_A_M = 0.0015
"""Contactor frame, busbars and CTs: height per √A of rated current, k_sw [m/√A] [E]."""

CREEPAGE_PER_V_M = 3.5e-6
"""Creepage and clearance distances: height per volt of supply, k_U [m/V] [E]."""

HIGH_VOLTAGE_INSULATION_EXTRA_M = 0.0035
"""Extra outer diameter of a 1.9/3.3 kV cable over a 0.66/1.14 kV one of the same size [m] [E]."""

REFERENCE_HEIGHT_M = 0.630
"""The article's 1,140 V machine height [m] [A]."""

REFERENCE_DESIGN = {
    "supply_voltage_v": 1140.0, "cutting_power_w": 400e3, "haulage_power_w": 80e3, "cutting_motor_count": 2,
    "cable_csa_mm2": 95, "cable_length_m": 450.0, "cable_temperature_c": 65.0, "reactance_ohm_per_m": 0.08e-3,
    "power_factor": 0.86, "motor_efficiency": 0.93, "locked_rotor_current_ratio": 6.0, "start_power_factor": 0.3,
    "transformer_kva": 1000.0, "air_temperature_c": 25.0,
}
"""The article's before machine and supply, on which ``A_0`` is calibrated [A][E]; the
substation is the standard 1,000 kVA that its 480 kW and a 180 kW conveyor need."""


def cable_csa_for_current_mm2(current_a: float, ampacity_factor: float = 1.0) -> float:
    """Return the (continuous) conductor cross-section whose ampacity carries ``current_a`` [mm²].

    Interpolated on :data:`FLEXIBLE_CABLE_AMPACITY_A` after stacking and ambient derating;
    never below 35 mm², extrapolated linearly above 185 mm².

    Examples
    --------
    304 A on a looped cable needs about 3×127 mm².

    >>> round(cable_csa_for_current_mm2(304.0))
    127
    """
    csa, amps = FLEXIBLE_CABLE_AMPACITY_A
    needed_a = current_a / (STACKING_DERATING * ampacity_factor)
    if needed_a <= amps[-1]:
        return float(np.interp(needed_a, amps, csa))
    slope = (csa[-1] - csa[-2]) / (amps[-1] - amps[-2])
    return csa[-1] + (needed_a - amps[-1]) * slope


def cable_outer_diameter_m(csa_mm2: float, supply_voltage_v: float) -> float:
    """Return the outer diameter of a three-core shearer trailing cable [m].

    ``OD = 19.6 + 4.94·√A`` mm for the 0.66/1.14 kV class [T1], 3.5 mm more for 1.9/3.3 kV.

    Examples
    --------
    >>> round(cable_outer_diameter_m(95, 1140) * 1000, 1)
    67.7
    >>> round(cable_outer_diameter_m(50, 3300) * 1000, 1)
    58.0
    """
    od_m = (19.6 + 4.94 * math.sqrt(csa_mm2)) * 1e-3
    return od_m + (HIGH_VOLTAGE_INSULATION_EXTRA_M if supply_voltage_v > 1140.0 + 1e-9 else 0.0)


def height_terms_m(rated_current_a: float, supply_voltage_v: float, lowest_voltage_fraction: float,
                   ampacity_factor: float = 1.0) -> dict[str, float]:
    """Return the voltage- and current-dependent parts of the machine height [m].

    Parameters
    ----------
    rated_current_a : float
        Line current at installed power [A].
    supply_voltage_v : float
        Nominal supply voltage [V].
    lowest_voltage_fraction : float
        Lowest terminal voltage a cutting motor must still deliver rated torque at,
        u_min = 1 − (start dip of its twin), as a share of U_N [-].
    ampacity_factor : float, optional
        Ambient derating of the cable ampacity [-].

    Returns
    -------
    dict of str to float
        ``cable_csa_mm2`` [mm²], ``cable_od_m``, ``cable_entry_m``, ``motor_m``,
        ``switchgear_m``, ``creepage_m`` [m].
    """
    csa = cable_csa_for_current_mm2(rated_current_a, ampacity_factor)
    od = cable_outer_diameter_m(csa, supply_voltage_v)
    return {
        "cable_csa_mm2": csa,
        "cable_od_m": od,
        "cable_entry_m": CABLE_ENTRY_PER_OD * od,
        "motor_m": MOTOR_HEIGHT_AT_NOMINAL_VOLTAGE_M / max(lowest_voltage_fraction, 0.05),
        "switchgear_m": SWITCHGEAR_PER_SQRT_A_M * math.sqrt(max(rated_current_a, 0.0)),
        "creepage_m": CREEPAGE_PER_V_M * supply_voltage_v,
    }


def _height_sum_m(terms: dict[str, float]) -> float:
    return terms["cable_entry_m"] + terms["motor_m"] + terms["switchgear_m"] + terms["creepage_m"]


def lowest_voltage_fraction(
    cutting_power_w: float, haulage_power_w: float, cutting_motor_count: int, supply_voltage_v: float,
    cable_length_m: float, resistance_ohm_per_m: float, reactance_ohm_per_m: float, power_factor: float,
    motor_efficiency: float, locked_rotor_current_ratio: float, start_power_factor: float,
    transformer_kva: float,
) -> float:
    """Return u_min: the terminal voltage, as a share of U_N, while one cutting motor starts at full load [-].

    The other motors run at rating; the dip is the cable's and the transformer's.
    """
    motor_w = cutting_power_w / cutting_motor_count
    running_w = cutting_power_w + haulage_power_w - motor_w
    dip = float(electrical.start_dip_v(
        motor_w, running_w, supply_voltage_v, cable_length_m, resistance_ohm_per_m, reactance_ohm_per_m,
        power_factor, motor_efficiency, locked_rotor_current_ratio, start_power_factor)) / supply_voltage_v
    uk, ur = electrical.transformer_impedance_pct(transformer_kva)
    start_kva = locked_rotor_current_ratio * motor_w / (motor_efficiency * power_factor) * 1e-3
    running_kva = running_w / (motor_efficiency * power_factor) * 1e-3
    dip += float(electrical.transformer_drop_fraction(start_kva, transformer_kva, start_power_factor, uk, ur))
    dip += float(electrical.transformer_drop_fraction(running_kva, transformer_kva, power_factor, uk, ur))
    return 1.0 - dip


@cache
def base_height_m() -> float:
    """Return A_0: the height of everything that does not depend on voltage or current [m].

    Calibrated so that :data:`REFERENCE_DESIGN` (the article's 1,140 V machine) is 630 mm.
    """
    d = REFERENCE_DESIGN
    resistance = float(electrical.cable_resistance_ohm_per_m(d["cable_csa_mm2"], d["cable_temperature_c"]))
    current = float(electrical.line_current_a(d["cutting_power_w"] + d["haulage_power_w"], d["supply_voltage_v"],
                                              d["power_factor"], d["motor_efficiency"]))
    u_min = lowest_voltage_fraction(
        d["cutting_power_w"], d["haulage_power_w"], d["cutting_motor_count"], d["supply_voltage_v"],
        d["cable_length_m"], resistance, d["reactance_ohm_per_m"], d["power_factor"], d["motor_efficiency"],
        d["locked_rotor_current_ratio"], d["start_power_factor"], d["transformer_kva"])
    terms = height_terms_m(current, d["supply_voltage_v"], u_min,
                           float(electrical.ambient_derating(d["air_temperature_c"])))
    return REFERENCE_HEIGHT_M - _height_sum_m(terms)


def derived_machine_height_m(terms: dict[str, float]) -> float:
    """Return the derived machine-face height ``A_0 + Σ terms`` [m].

    Parameters
    ----------
    terms : dict of str to float
        From :func:`height_terms_m`.

    Returns
    -------
    float
        Machine height [m].
    """
    return base_height_m() + _height_sum_m(terms)
