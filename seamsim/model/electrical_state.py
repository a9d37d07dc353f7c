"""The shearer supply in SI: currents, drops, the start dip, cable loading and trip rates.

Worked out once per scenario from its electrical and machine sections
(:func:`electrical_state`); :func:`drawn_trip_rate_per_h` then prices the load the machine
actually draws, pass by pass. :func:`electrical_reasons` says in plain words why a supply
cannot work a face.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from seamsim import units as u
from seamsim.physics import electrical, heat, packaging
from seamsim.scenario.schema import Scenario


@dataclass(frozen=True)
class ElectricalState:
    """The shearer supply at its design load, and what the load drawn along a pass costs.

    Design quantities (rated current, start dip, usable power, design loading) decide
    feasibility and the derived machine height; trips are judged on the load the machine
    actually draws, pass by pass (:func:`drawn_trip_rate_per_h`).
    """

    nominal_voltage_v: float
    rated_current_a: float
    design_current_a: float
    demand_factor: float
    resistance_ohm_per_m: float
    reactance_ohm_per_m: float
    cable_length_m: float
    power_factor: float
    motor_efficiency: float
    voltage_drop_v: float
    allowed_voltage_drop_v: float
    terminal_voltage_v: float
    start_dip_v: float
    start_dip_limit_fraction: float
    transformer_kva: float
    transformer_uk_pct: float
    transformer_ur_pct: float
    ampacity_a: float
    loading: float
    cable_loss_w: float
    usable_power_fraction: float
    relay_setting_a: float
    relay_time_constant_s: float
    base_trip_rate_per_h: float
    sag_trip_rate_per_h: float
    drop_trip_rate_per_h: float
    restart_cable_dip_v: float
    """Cable drop of the starting current alone, added to the running drop at a restart [V]."""
    restart_dip_fraction: float
    """The starting motor's own drop at a restart, cable and transformer, as a share of U_N [-]."""
    nominal_trip_rate_per_h: float
    """Trip rate with the machine drawing its design current all the time (inspect's picture) [1/h]."""

    @property
    def voltage_drop_fraction(self) -> float:
        """Running voltage drop at rated current as a share of nominal voltage [-]."""
        return self.voltage_drop_v / self.nominal_voltage_v

    @property
    def start_dip_fraction(self) -> float:
        """Start dip (cable and transformer) as a share of nominal voltage [-]."""
        return self.start_dip_v / self.nominal_voltage_v

    @property
    def line_current_a(self) -> float:
        """Design current of the trailing cable [A] (rated, or rated × demand factor)."""
        return self.design_current_a


def drawn_trip_rate_per_h(el: ElectricalState, drawn_current_a, thermal_hazard_per_h=0.0):
    """Return the electrical trip rate at the current the machine draws [1/h].

    ``λ = λ_0 + λ_uv (dip/dip_lim)² + λ_drop (ΔU/ΔU_allow)² + λ_I²t``: the restart dip is
    the starting motor's cable and transformer drop on top of the running drop at the
    drawn current; the thermal term is the I²t relay's hazard averaged over the pass.

    Parameters
    ----------
    el : ElectricalState
        The supply.
    drawn_current_a : float or numpy.ndarray
        Mean line current while cutting [A].
    thermal_hazard_per_h : float or numpy.ndarray, optional
        Mean I²t trip hazard over the pass [1/h].

    Returns
    -------
    float or numpy.ndarray
        Trip rate [1/h].
    """
    current = np.asarray(drawn_current_a, dtype=float)
    drop_v = electrical.voltage_drop_v(current, el.cable_length_m, el.resistance_ohm_per_m, el.reactance_ohm_per_m,
                                       el.power_factor)
    running_kva = u.SQRT3 * el.nominal_voltage_v * current * u.KW_PER_W
    running_transformer = electrical.transformer_drop_fraction(
        running_kva, el.transformer_kva, el.power_factor, el.transformer_uk_pct, el.transformer_ur_pct)
    dip = el.restart_dip_fraction + drop_v / el.nominal_voltage_v + running_transformer
    allowed = el.allowed_voltage_drop_v / el.nominal_voltage_v
    sag = (dip / el.start_dip_limit_fraction) ** 2 if el.start_dip_limit_fraction > 0 else 0.0 * dip
    drop = (drop_v / el.nominal_voltage_v / allowed) ** 2
    return el.base_trip_rate_per_h + el.sag_trip_rate_per_h * sag + el.drop_trip_rate_per_h * drop + thermal_hazard_per_h


def face_air_temperature_c(scenario: Scenario, cable_loss_w: float) -> float:
    """Return the mean face-air temperature of a scenario [°C] (depth, gradient, cooling, cable heat)."""
    rock_c = heat.rock_temperature_c(scenario.seam.depth_m, scenario.seam.geothermal_gradient_c_per_100m)
    return heat.face_air_temperature_c(rock_c, scenario.face.air_cooling_k, cable_loss_w)


def electrical_state(scenario: Scenario) -> ElectricalState:
    """Return the electrical state of the shearer supply at its design load.

    The rated current is that of the installed cutting plus haulage power; the design
    current is the rated current times the demand factor (``cable_sizing_rule: demand``)
    or the rated current itself. One cutting motor starts while the rest of the installed
    load runs; the start dip is the cable's plus the mobile substation's. The cable's
    ampacity is derated for the face-air temperature, which itself rises with the cable
    loss (one fixed-point step).

    Parameters
    ----------
    scenario : Scenario
        A validated scenario.

    Returns
    -------
    ElectricalState
        Currents [A], voltages [V], losses [W], loading and the nominal trip rate [1/h].
    """
    el = scenario.electrical
    m = scenario.machine
    voltage_v = float(el.supply_voltage_v)
    installed_w = (m.cutting_power_kw + m.haulage_power_kw) * u.W_PER_KW
    motor_w = m.cutting_power_kw * u.W_PER_KW / m.cutting_motor_count
    length_m = el.cable_length_m
    r_ohm_per_m = float(electrical.cable_resistance_ohm_per_m(el.cable_csa_mm2, el.cable_temperature_c, el.cable_count))
    x_ohm_per_m = el.cable_reactance_ohm_per_km * u.KM_PER_M / el.cable_count
    rated_a = float(electrical.line_current_a(installed_w, voltage_v, el.power_factor, el.motor_efficiency))
    k_x = electrical.demand_factor(max(motor_w, m.haulage_power_kw * u.W_PER_KW), installed_w)
    design_a = rated_a * (k_x if el.cable_sizing_rule == "demand" else 1.0)
    drop_v = float(electrical.voltage_drop_v(rated_a, length_m, r_ohm_per_m, x_ohm_per_m, el.power_factor))
    terminal_v = float(electrical.terminal_voltage_v(voltage_v, drop_v))
    transformer_kva = el.transformer_kva
    if transformer_kva is None:
        connected_w = installed_w + scenario.face.conveyor_power_kw * u.W_PER_KW
        transformer_kva = electrical.transformer_rating_kva(connected_w / (el.power_factor * el.motor_efficiency) * u.KW_PER_W)
    u_min = packaging.lowest_voltage_fraction(
        motor_w * m.cutting_motor_count, m.haulage_power_kw * u.W_PER_KW, m.cutting_motor_count, voltage_v, length_m,
        r_ohm_per_m, x_ohm_per_m, el.power_factor, el.motor_efficiency, el.locked_rotor_current_ratio,
        el.start_power_factor, transformer_kva)
    uk, ur = electrical.transformer_impedance_pct(transformer_kva)
    start_current_a = el.locked_rotor_current_ratio * float(
        electrical.line_current_a(motor_w, voltage_v, el.power_factor, el.motor_efficiency))
    restart_cable_dip_v = float(electrical.voltage_drop_v(start_current_a, length_m, r_ohm_per_m, x_ohm_per_m,
                                                          el.start_power_factor))
    design_loss_w = float(electrical.cable_copper_loss_w(design_a, r_ohm_per_m, length_m))
    air_c = face_air_temperature_c(scenario, design_loss_w)
    ampacity_a = electrical.cable_ampacity_a(el.cable_csa_mm2, el.cable_count) * float(electrical.ambient_derating(air_c))
    state = ElectricalState(
        nominal_voltage_v=voltage_v,
        rated_current_a=rated_a,
        design_current_a=design_a,
        demand_factor=k_x,
        resistance_ohm_per_m=r_ohm_per_m,
        reactance_ohm_per_m=x_ohm_per_m,
        cable_length_m=length_m,
        power_factor=el.power_factor,
        motor_efficiency=el.motor_efficiency,
        voltage_drop_v=drop_v,
        allowed_voltage_drop_v=electrical.allowed_voltage_drop_v(el.supply_voltage_v),
        terminal_voltage_v=terminal_v,
        start_dip_v=(1.0 - u_min) * voltage_v,
        start_dip_limit_fraction=1.0 - el.min_start_voltage_fraction,
        transformer_kva=transformer_kva,
        transformer_uk_pct=uk,
        transformer_ur_pct=ur,
        ampacity_a=ampacity_a,
        loading=design_a / ampacity_a,
        cable_loss_w=design_loss_w,
        usable_power_fraction=float(electrical.usable_power_fraction(terminal_v, voltage_v)),
        relay_setting_a=ampacity_a,
        relay_time_constant_s=el.relay_time_constant_min * u.S_PER_MIN,
        base_trip_rate_per_h=el.base_trip_rate_per_h,
        sag_trip_rate_per_h=el.sag_trip_rate_per_h,
        drop_trip_rate_per_h=el.drop_trip_rate_per_h,
        restart_cable_dip_v=restart_cable_dip_v,
        restart_dip_fraction=restart_cable_dip_v / voltage_v + float(electrical.transformer_drop_fraction(
            start_current_a * u.SQRT3 * voltage_v * u.KW_PER_W, transformer_kva, el.start_power_factor, uk, ur)),
        nominal_trip_rate_per_h=0.0,
    )
    thermal = float(1.0 / electrical.thermal_trip_time_s(design_a / ampacity_a, state.relay_time_constant_s)) * u.S_PER_H
    return replace(state, nominal_trip_rate_per_h=float(drawn_trip_rate_per_h(state, design_a, thermal)))




LOW_VOLTAGE_CURRENT_CAP_A = 630.0
"""Largest current of 1,140 V face starters and feeders [A] (QJZ-4400/1140 is 4 × 400 A;
a 1,250 kVA substation at 1,200 V gives 601 A) [T41][E]."""


def electrical_reasons(s: Scenario, el: ElectricalState) -> list[str]:
    reasons = []
    if el.loading > s.electrical.max_cable_loading:
        basis = "demand" if s.electrical.cable_sizing_rule == "demand" else "rated"
        reasons.append(
            f"the trailing cable is overloaded beyond any protection setting: {el.design_current_a:.0f} A "
            f"({basis} load) against a rating of {el.ampacity_a:.0f} A ({el.loading * 100:.0f} %, limit "
            f"{s.electrical.max_cable_loading * 100:.0f} %); use a larger or a second cable, or a higher voltage"
        )
    if el.nominal_voltage_v <= 1140 and el.rated_current_a > LOW_VOLTAGE_CURRENT_CAP_A:
        reasons.append(
            f"{el.rated_current_a:.0f} A at rated power is more than 1,140 V starters and feeders carry "
            f"(about {LOW_VOLTAGE_CURRENT_CAP_A:.0f} A): a machine this strong needs 3,300 V"
        )
    start_fraction = 1.0 - el.start_dip_fraction
    if start_fraction <= 0.0:
        reasons.append(
            "a cutting motor cannot start: while it starts, the cable and the transformer drop more than the whole "
            "supply voltage (the voltage collapses)")
    elif start_fraction < s.electrical.min_start_voltage_fraction:
        reasons.append(
            f"a cutting motor cannot start: the terminal voltage dips to {start_fraction * 100:.0f} % of nominal "
            f"while it starts (cable and transformer), below the {s.electrical.min_start_voltage_fraction * 100:.0f} % "
            "a start needs"
        )
    if el.usable_power_fraction <= 0.0:
        reasons.append("the voltage drop leaves no usable power at the machine")
    return reasons


