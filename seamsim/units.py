"""Physical constants and unit conversions.

This is the only module that converts units. Scenario files use the units engineers
quote (mm, kW, m/min, t/m³, min, h); physics and model code work in SI (m, W, s, kg)
with one simpy time unit equal to one second.

Each conversion is a plain multiplication by a named factor, so that code reads
``seam_height_m = height_mm * M_PER_MM`` and a reviewer can check the unit by eye.
"""

from __future__ import annotations

import math

# --- length -----------------------------------------------------------------------------
M_PER_MM = 1.0e-3
MM_PER_M = 1.0e3
M_PER_KM = 1.0e3
KM_PER_M = 1.0e-3

# --- time -------------------------------------------------------------------------------
S_PER_MIN = 60.0
S_PER_H = 3600.0
S_PER_DAY = 86400.0
MIN_PER_S = 1.0 / 60.0
H_PER_S = 1.0 / 3600.0

# --- speed ------------------------------------------------------------------------------
M_PER_S_PER_M_PER_MIN = 1.0 / 60.0
"""Multiply a speed in m/min by this to get m/s."""
M_PER_MIN_PER_M_PER_S = 60.0
"""Multiply a speed in m/s by this to get m/min."""

# --- power and energy -------------------------------------------------------------------
W_PER_KW = 1.0e3
KW_PER_W = 1.0e-3
J_PER_KWH = 3.6e6
KWH_PER_J = 1.0 / 3.6e6
J_PER_MWH = 3.6e9

# --- force and stress -------------------------------------------------------------------
N_PER_KN = 1.0e3
PA_PER_MPA = 1.0e6

# --- rotation ---------------------------------------------------------------------------
REV_PER_S_PER_RPM = 1.0 / 60.0
"""Multiply a speed in revolutions per minute by this to get revolutions per second."""

# --- mass and density -------------------------------------------------------------------
KG_PER_T = 1.0e3
T_PER_KG = 1.0e-3
KG_PER_M3_PER_T_PER_M3 = 1.0e3
"""Multiply a density in t/m³ by this to get kg/m³."""

# --- flow -------------------------------------------------------------------------------
KG_PER_S_PER_T_PER_H = 1.0e3 / 3600.0
"""Multiply a mass flow in t/h by this to get kg/s."""

# --- specific energy --------------------------------------------------------------------
J_PER_M3_PER_KWH_PER_M3 = 3.6e6
"""Multiply a specific energy in kWh/m³ by this to get J/m³."""

# --- ratios -----------------------------------------------------------------------------
PCT_PER_FRACTION = 100.0
FRACTION_PER_PCT = 0.01

# --- constants --------------------------------------------------------------------------
SQRT3 = math.sqrt(3.0)
COPPER_TEMPERATURE_COEFFICIENT_PER_K = 0.00393
"""Temperature coefficient of resistance of annealed copper at 20 °C [1/K] (IEC 60228; docs/model.md §3b)."""
REFERENCE_TEMPERATURE_C = 20.0
"""Temperature at which conductor resistances are tabulated [°C] (IEC 60228)."""
STANDARD_GRAVITY_M_PER_S2 = 9.80665

# --- display-unit table -----------------------------------------------------------------
# How a quantity held in SI is shown to people: (display unit, factor from SI to display).
DISPLAY_UNITS: dict[str, tuple[str, float]] = {
    "length_mm": ("mm", MM_PER_M),
    "length_m": ("m", 1.0),
    "speed_m_per_min": ("m/min", M_PER_MIN_PER_M_PER_S),
    "power_kw": ("kW", KW_PER_W),
    "time_min": ("min", MIN_PER_S),
    "time_h": ("h", H_PER_S),
    "mass_t": ("t", T_PER_KG),
    "energy_kwh": ("kWh", KWH_PER_J),
}


def display_value(value_si: float, quantity: str) -> float:
    """Return ``value_si`` converted to the display unit of ``quantity``.

    Parameters
    ----------
    value_si : float
        The value in SI units.
    quantity : str
        A key of :data:`DISPLAY_UNITS`, e.g. ``"speed_m_per_min"``.

    Returns
    -------
    float
        The value in the display unit.
    """
    return value_si * DISPLAY_UNITS[quantity][1]
