"""Heat at depth: rock temperature, face air temperature and what it does to work.

References
----------
.. [T33]–[T36] Geothermal gradients of Chinese coalfields: 2–4 °C/100 m, mean ≈ 3.
.. [T37] Coal Mine Safety Regulations (2016), art. 655: above 26 °C at a face, working
   hours are shortened; above 30 °C work stops.
.. [T38] Local or central cooling lowers face dry-bulb temperature by 5–9 K.
.. [E] Constant-temperature zone 6 °C at 30 m (Shuangyashan), face air rise 4 K along
   the face (half of it on average), handwork 5 % slower per K above 26 °C, 10 m³/s of
   face air carrying 30 % of the cable loss as sensible heat.
"""

from __future__ import annotations

CONSTANT_TEMPERATURE_ZONE_C = 6.0
"""Temperature of the constant-temperature zone [°C] (4–10 [E])."""

CONSTANT_TEMPERATURE_ZONE_DEPTH_M = 30.0
"""Depth of the constant-temperature zone [m] (20–40 [T34])."""

MEAN_FACE_AIR_RISE_K = 2.0
"""Mean rise of the air temperature along the face, half the 2–6 K from end to end [E]."""

FACE_AIR_FLOW_M3_PER_S = 10.0
"""Face air quantity [m³/s] (8–12 [E])."""

AIR_HEAT_CAPACITY_J_PER_M3_K = 1.2 * 1005.0
"""Volumetric heat capacity of mine air ρ·c_p [J/(m³·K)]."""

SENSIBLE_SHARE_OF_CABLE_LOSS = 0.3
"""Share of the cable's I²R loss that reaches the face air as sensible heat [-] (0.2–0.4 [E])."""

SHORTENED_HOURS_ABOVE_C = 26.0
"""Face air temperature above which working hours are shortened [°C] [T37]."""

WORK_STOPS_ABOVE_C = 30.0
"""Face air temperature above which work must stop [°C] [T37]."""

HANDWORK_SLOWDOWN_PER_K = 0.05
"""Loss of handwork rate per K above 26 °C [-/K] (0.04–0.06 [E])."""


def rock_temperature_c(depth_m: float, gradient_c_per_100m: float) -> float:
    """Return the virgin rock temperature at a depth [°C].

    ``T = T_cz + g·(z − z_cz)/100``.

    Examples
    --------
    >>> round(rock_temperature_c(1000.0, 2.5), 2)
    30.25
    """
    return CONSTANT_TEMPERATURE_ZONE_C + gradient_c_per_100m * max(0.0, depth_m - CONSTANT_TEMPERATURE_ZONE_DEPTH_M) / 100.0


def face_air_temperature_c(rock_temperature: float, cooling_k: float, cable_loss_w: float = 0.0) -> float:
    """Return the mean air temperature along the face [°C].

    The intake air comes to about the rock temperature on its way in; the face adds its
    mean rise, the cable's loss adds ``0.3·P_loss/(ρ c_p Q)``, and cooling takes off its
    share.

    Examples
    --------
    1 km at 2.5 °C/100 m, 7 K of cooling, 50 kW of cable loss: 26.5 °C.

    >>> round(face_air_temperature_c(30.25, 7.0, 50e3), 1)
    26.5
    """
    cable_k = SENSIBLE_SHARE_OF_CABLE_LOSS * cable_loss_w / (AIR_HEAT_CAPACITY_J_PER_M3_K * FACE_AIR_FLOW_M3_PER_S)
    return rock_temperature + MEAN_FACE_AIR_RISE_K + cable_k - cooling_k


def handwork_time_factor(face_air_c: float) -> float:
    """Return how much longer handwork takes in hot face air [-] (1 up to 26 °C).

    ``1 / (1 − 0.05·(T − 26))`` above 26 °C (shortened hours and a slower pace).

    Examples
    --------
    >>> round(handwork_time_factor(28.0), 3)
    1.111
    """
    excess = max(0.0, face_air_c - SHORTENED_HOURS_ABOVE_C)
    return 1.0 / max(0.05, 1.0 - HANDWORK_SLOWDOWN_PER_K * excess)
