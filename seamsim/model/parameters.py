"""Scenario → model parameters in SI, and the nominal engineering state of a face.

This is the one place where a :class:`~seamsim.scenario.schema.Scenario` (engineers' units)
becomes SI numbers, and where the electrical state, the crew the mode needs and the
feasibility of the face are worked out. Both :func:`seamsim.model.simulate.simulate` and
``seamsim inspect`` read the same :class:`FaceParameters`, so the picture a student sees
is the one the simulation runs.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from seamsim import units as u
from seamsim.physics import cutting, electrical, geometry, support
from seamsim.scenario.schema import Scenario


@dataclass(frozen=True)
class ElectricalState:
    """The shearer supply at installed load (domain.md §5)."""

    nominal_voltage_v: float
    line_current_a: float
    resistance_ohm_per_m: float
    reactance_ohm_per_m: float
    voltage_drop_v: float
    allowed_voltage_drop_v: float
    terminal_voltage_v: float
    start_dip_v: float
    start_dip_limit_fraction: float
    ampacity_a: float
    loading: float
    cable_loss_w: float
    usable_power_fraction: float
    trip_rate_per_h: float

    @property
    def voltage_drop_fraction(self) -> float:
        """Running voltage drop as a share of nominal voltage [-]."""
        return self.voltage_drop_v / self.nominal_voltage_v

    @property
    def start_dip_fraction(self) -> float:
        """Start dip as a share of nominal voltage [-]."""
        return self.start_dip_v / self.nominal_voltage_v


def electrical_state(scenario: Scenario) -> ElectricalState:
    """Return the electrical state of the shearer supply at installed load.

    The machine draws its installed cutting plus haulage power; one cutting motor starts
    while the rest of the installed load runs (domain.md §5.3 worked example).

    Parameters
    ----------
    scenario : Scenario
        A validated scenario.

    Returns
    -------
    ElectricalState
        Currents [A], voltages [V], losses [W], loading and trip rate [1/h].
    """
    el = scenario.electrical
    m = scenario.machine
    voltage_v = float(el.supply_voltage_v)
    installed_w = (m.cutting_power_kw + m.haulage_power_kw) * u.W_PER_KW
    motor_w = m.cutting_power_kw * u.W_PER_KW / m.cutting_motor_count
    length_m = el.cable_length_m
    r_ohm_per_m = float(electrical.cable_resistance_ohm_per_m(el.cable_csa_mm2, el.cable_temperature_c, el.cable_count))
    x_ohm_per_m = el.cable_reactance_ohm_per_km * u.KM_PER_M / el.cable_count
    current_a = float(electrical.line_current_a(installed_w, voltage_v, el.power_factor, el.motor_efficiency))
    drop_v = float(electrical.voltage_drop_v(current_a, length_m, r_ohm_per_m, x_ohm_per_m, el.power_factor))
    terminal_v = float(electrical.terminal_voltage_v(voltage_v, drop_v))
    dip_v = electrical.start_dip_v(
        motor_w, installed_w - motor_w, voltage_v, length_m, r_ohm_per_m, x_ohm_per_m,
        el.power_factor, el.motor_efficiency, el.locked_rotor_current_ratio, el.start_power_factor,
    )
    allowed_v = electrical.allowed_voltage_drop_v(el.supply_voltage_v)
    ampacity_a = electrical.cable_ampacity_a(el.cable_csa_mm2, el.cable_count)
    loading = float(electrical.cable_loading(current_a, ampacity_a))
    dip_limit = 1.0 - el.min_start_voltage_fraction
    trip_rate = electrical.electrical_trip_rate_per_h(
        el.base_trip_rate_per_h, el.sag_trip_rate_per_h, el.drop_trip_rate_per_h, el.overload_trip_rate_per_h,
        dip_v / voltage_v, dip_limit, drop_v / voltage_v, allowed_v / voltage_v, loading,
    )
    return ElectricalState(
        nominal_voltage_v=voltage_v,
        line_current_a=current_a,
        resistance_ohm_per_m=r_ohm_per_m,
        reactance_ohm_per_m=x_ohm_per_m,
        voltage_drop_v=drop_v,
        allowed_voltage_drop_v=allowed_v,
        terminal_voltage_v=terminal_v,
        start_dip_v=dip_v,
        start_dip_limit_fraction=dip_limit,
        ampacity_a=ampacity_a,
        loading=loading,
        cable_loss_w=float(electrical.cable_copper_loss_w(current_a, r_ohm_per_m, length_m)),
        usable_power_fraction=float(electrical.usable_power_fraction(terminal_v, voltage_v)),
        trip_rate_per_h=trip_rate,
    )


@dataclass(frozen=True)
class CrewPlan:
    """Who is on each shift and what the chosen modes need."""

    per_production_shift: int
    shield_parallel_advances: int
    fitters_on_production_shift: int
    electricians_on_production_shift: int
    maintenance_crew: int
    reasons: tuple[str, ...]
    warnings: tuple[str, ...]


def crew_plan(scenario: Scenario) -> CrewPlan:
    """Return the crew plan, with plain-language reasons where it is short of the modes.

    Parameters
    ----------
    scenario : Scenario
        A validated scenario.

    Returns
    -------
    CrewPlan
        The crew per production shift, the shield advances it allows, and reasons why a
        mode cannot be run with it (empty when it can).

    Notes
    -----
    What each mode needs (domain.md §6): local control needs a shearer driver at the
    machine (two to work both drums); remote control needs a remote operator; manual
    shields need ``shield_men_per_advance`` men per shield advanced at once; manual face
    ends need two face-end men; automated face ends need someone on patrol or at the
    ends; local control needs a conveyor driver (automation interlocks the conveyor);
    repairs need a fitter or electrician on some shift.
    """
    op = scenario.operation
    c = scenario.crew
    reasons: list[str] = []
    warnings: list[str] = []
    if op.remote_control:
        if c.remote_operators < 1:
            reasons.append("remote control needs at least one remote operator per production shift; the crew has none")
    else:
        if c.shearer_drivers < 1:
            reasons.append("the shearer is run at the machine but no shearer driver is on shift")
        elif c.shearer_drivers < 2:
            warnings.append("one shearer driver works both drums: usual practice is two at a manned machine")
        if c.conveyor_drivers < 1:
            reasons.append("without automation the conveyor needs a driver, and none is on shift")
    if op.shield_control == "manual":
        n_par = support.manual_parallel_advances(c.shield_men, op.shield_men_per_advance, op.max_manual_parallel_advances)
        if n_par < 1:
            reasons.append(
                f"manual shield advance needs {op.shield_men_per_advance} shield men per shield, "
                f"but only {c.shield_men} are on shift: no shield can be advanced"
            )
    else:
        n_par = op.eh_parallel_advances
    if op.face_end_mode == "manual" and c.face_end_men < 2:
        reasons.append(f"manual face-end work needs two face-end men; the crew has {c.face_end_men}")
    if op.face_end_mode == "automated" and c.face_end_men + c.patrol < 1:
        reasons.append("automated face ends still need someone on patrol at the ends; the crew has nobody")
    maintenance_people = c.maintenance_crew if scenario.calendar.production_shifts_per_day < scenario.calendar.shifts_per_day else 0
    if c.fitters < 1 and maintenance_people < 1:
        reasons.append("no fitter on any shift: mechanical breakdowns could never be repaired")
    if c.electricians < 1 and maintenance_people < 1:
        reasons.append("no electrician on any shift: electrical faults could never be repaired")
    if c.fitters < 1 and maintenance_people >= 1:
        warnings.append("no fitter on the production shifts: mechanical repairs wait for the maintenance shift")
    return CrewPlan(
        per_production_shift=c.per_production_shift,
        shield_parallel_advances=n_par,
        fitters_on_production_shift=c.fitters,
        electricians_on_production_shift=c.electricians,
        maintenance_crew=maintenance_people,
        reasons=tuple(reasons),
        warnings=tuple(warnings),
    )


@dataclass(frozen=True)
class FaceParameters:
    """Every number the face model uses, in SI (m, s, W, J, kg), derived once per scenario."""

    scenario: Scenario
    # geometry
    face_length_m: float
    segment_count: int
    segment_length_m: float
    web_m: float
    seam_height_m: float
    seam_height_sd_m: float
    correlation_length_m: float
    machine_height_m: float
    design_spare_clearance_m: float
    canopy_tip_thickness_m: float
    convergence_m: float
    floor_float_m: float
    weighting_interval_m: float
    weighting_length_m: float
    weighting_convergence_m: float
    max_rock_cut_m: float
    jam_merge_segments: int
    coal_density_kg_per_m3: float
    rock_density_kg_per_m3: float
    face_recovery: float
    # cutting
    coal_specific_energy_j_per_m3: float
    rock_specific_energy_j_per_m3: float
    direction_penalty: float
    usable_cutting_power_w: float
    drum_power_share: float
    load_factor: float
    haulage_power_w: float
    pick_speed_m_per_s: float
    machine_speed_m_per_s: float
    set_speed_m_per_s: float
    flitting_speed_m_per_s: float
    conveyor_capacity_kg_per_s: float
    chain_speed_m_per_s: float
    shield_speed_m_per_s: float
    shield_lag_m: float
    # cycle
    bidirectional: bool
    sump_travel_m: float
    end_operations_s: float
    # calendar
    horizon_s: float
    shift_length_s: float
    shifts_per_day: int
    production_shifts_per_day: int
    shift_change_start_s: float
    shift_change_end_s: float
    # electrical and crew
    electrical: ElectricalState
    crew: CrewPlan
    reasons: tuple[str, ...] = field(default=())
    warnings: tuple[str, ...] = field(default=())

    @property
    def nominal_required_height_m(self) -> float:
        """Open height the machine needs at nominal convergence [m]."""
        return float(geometry.required_cutting_height_m(
            self.machine_height_m, self.design_spare_clearance_m, self.canopy_tip_thickness_m,
            self.convergence_m, self.floor_float_m,
        ))


def face_parameters(scenario: Scenario, days: float | None = None) -> FaceParameters:
    """Return the SI parameters of a scenario, with reasons if the face is infeasible.

    Parameters
    ----------
    scenario : Scenario
        A validated scenario.
    days : float, optional
        Horizon in days; ``scenario.run.days`` when not given.

    Returns
    -------
    FaceParameters
        Parameters in SI; ``reasons`` lists in plain words why the face cannot be worked
        (empty when it can).
    """
    s = scenario
    el = electrical_state(s)
    crew = crew_plan(s)
    op = s.operation
    segment_count = max(1, math.ceil(s.face.length_m / s.face.shield_width_m - 1e-9))
    if op.shield_control == "manual":
        shield_cycle_s = op.manual_shield_cycle_s
    else:
        shield_cycle_s = op.eh_shield_cycle_s
    shield_speed = support.shield_limited_speed_m_per_s(crew.shield_parallel_advances, s.face.shield_width_m, shield_cycle_s)
    set_speed = math.inf if s.machine.set_cutting_speed_m_per_min is None else s.machine.set_cutting_speed_m_per_min * u.M_PER_S_PER_M_PER_MIN
    end_min = op.manual_face_end_min if op.face_end_mode == "manual" else op.automated_face_end_min
    travel_s = s.calendar.travel_to_face_min * u.S_PER_MIN
    if op.remote_control:
        change_start_s, change_end_s = s.calendar.remote_handover_min * u.S_PER_MIN, 0.0
    else:
        change_start_s, change_end_s = travel_s, travel_s
    shift_length_s = s.calendar.shift_length_h * u.S_PER_H
    reasons = list(crew.reasons)
    warnings = list(crew.warnings)
    if change_start_s + change_end_s >= shift_length_s:
        reasons.append(
            f"travel to and from the face ({2 * s.calendar.travel_to_face_min:.0f} min) takes the whole "
            f"{s.calendar.shift_length_h:g} h shift: no time is left to cut"
        )
    params = FaceParameters(
        scenario=s,
        face_length_m=s.face.length_m,
        segment_count=segment_count,
        segment_length_m=s.face.length_m / segment_count,
        web_m=s.machine.web_m,
        seam_height_m=s.seam.height_m,
        seam_height_sd_m=s.seam.height_sd_m if s.run.seam_variability else 0.0,
        correlation_length_m=s.seam.correlation_length_m,
        machine_height_m=s.machine.machine_height_mm * u.M_PER_MM,
        design_spare_clearance_m=s.machine.design_spare_clearance_mm * u.M_PER_MM,
        canopy_tip_thickness_m=s.roof.canopy_tip_thickness_mm * u.M_PER_MM,
        convergence_m=s.roof.convergence_mm * u.M_PER_MM,
        floor_float_m=s.roof.floor_float_mm * u.M_PER_MM,
        weighting_interval_m=s.roof.weighting_interval_m,
        weighting_length_m=s.roof.weighting_length_m,
        weighting_convergence_m=s.roof.weighting_convergence_mm * u.M_PER_MM,
        max_rock_cut_m=s.machine.max_rock_cut_mm * u.M_PER_MM,
        jam_merge_segments=math.ceil(s.machine.body_length_m / (s.face.length_m / segment_count) - 1e-9),
        coal_density_kg_per_m3=s.seam.coal_density_t_per_m3 * u.KG_PER_M3_PER_T_PER_M3,
        rock_density_kg_per_m3=s.seam.rock_density_t_per_m3 * u.KG_PER_M3_PER_T_PER_M3,
        face_recovery=s.seam.face_recovery,
        coal_specific_energy_j_per_m3=s.seam.coal_specific_energy_kwh_per_m3 * u.J_PER_M3_PER_KWH_PER_M3,
        rock_specific_energy_j_per_m3=s.seam.rock_specific_energy_kwh_per_m3 * u.J_PER_M3_PER_KWH_PER_M3,
        direction_penalty=s.machine.direction_penalty,
        usable_cutting_power_w=s.machine.cutting_power_kw * u.W_PER_KW * el.usable_power_fraction,
        drum_power_share=s.machine.drum_power_share,
        load_factor=s.machine.load_factor,
        haulage_power_w=s.machine.haulage_power_kw * u.W_PER_KW,
        pick_speed_m_per_s=cutting.pick_limited_speed_m_per_s(
            s.machine.max_chip_depth_mm * u.M_PER_MM, s.machine.picks_per_line, s.machine.drum_speed_rpm),
        machine_speed_m_per_s=s.machine.max_cutting_speed_m_per_min * u.M_PER_S_PER_M_PER_MIN,
        set_speed_m_per_s=set_speed,
        flitting_speed_m_per_s=s.machine.flitting_speed_m_per_min * u.M_PER_S_PER_M_PER_MIN,
        conveyor_capacity_kg_per_s=s.face.conveyor_capacity_t_per_h * u.KG_PER_S_PER_T_PER_H,
        chain_speed_m_per_s=s.face.conveyor_chain_speed_m_per_s,
        shield_speed_m_per_s=shield_speed,
        shield_lag_m=s.face.max_shield_lag * s.face.shield_width_m,
        bidirectional=op.cutting_mode == "bidirectional",
        sump_travel_m=op.sump_travel_m,
        end_operations_s=end_min * u.S_PER_MIN,
        horizon_s=(s.run.days if days is None else days) * u.S_PER_DAY,
        shift_length_s=shift_length_s,
        shifts_per_day=s.calendar.shifts_per_day,
        production_shifts_per_day=s.calendar.production_shifts_per_day,
        shift_change_start_s=change_start_s,
        shift_change_end_s=change_end_s,
        electrical=el,
        crew=crew,
    )
    reasons.extend(_machine_reasons(params))
    reasons.extend(_electrical_reasons(s, el))
    warnings.extend(_near_limit_warnings(s, params, el))
    return _with_messages(params, reasons, warnings)


def _with_messages(params: FaceParameters, reasons: list[str], warnings: list[str]) -> FaceParameters:
    from dataclasses import replace

    return replace(params, reasons=tuple(reasons), warnings=tuple(warnings))


def _machine_reasons(p: FaceParameters) -> list[str]:
    """Reasons the machine cannot pass, at the mean seam height and nominal convergence."""
    required_m = p.nominal_required_height_m
    body_deficit_m = required_m - p.design_spare_clearance_m - p.seam_height_m
    if body_deficit_m > p.max_rock_cut_m + 1e-12:
        return [
            f"the machine cannot pass: it needs {required_m * u.MM_PER_M:.0f} mm of open height "
            f"(machine {p.machine_height_m * u.MM_PER_M:.0f} + margin {p.design_spare_clearance_m * u.MM_PER_M:.0f} "
            f"+ canopy tip {p.canopy_tip_thickness_m * u.MM_PER_M:.0f} + convergence {p.convergence_m * u.MM_PER_M:.0f} mm) "
            f"but the seam is {p.seam_height_m * u.MM_PER_M:.0f} mm and the drums can take at most "
            f"{p.max_rock_cut_m * u.MM_PER_M:.0f} mm of rock: it would jam all along the face"
        ]
    return []


def _electrical_reasons(s: Scenario, el: ElectricalState) -> list[str]:
    reasons = []
    if el.loading > s.electrical.max_cable_loading:
        reasons.append(
            f"the trailing cable is overloaded beyond any protection setting: {el.line_current_a:.0f} A "
            f"against a rating of {el.ampacity_a:.0f} A ({el.loading * 100:.0f} %, limit "
            f"{s.electrical.max_cable_loading * 100:.0f} %); use a larger or a second cable, or a higher voltage"
        )
    start_fraction = 1.0 - el.start_dip_fraction
    if start_fraction < s.electrical.min_start_voltage_fraction:
        reasons.append(
            f"a cutting motor cannot start: the terminal voltage dips to {start_fraction * 100:.0f} % of nominal "
            f"while it starts, below the {s.electrical.min_start_voltage_fraction * 100:.0f} % a start needs"
        )
    if el.usable_power_fraction <= 0.0:
        reasons.append("the voltage drop leaves no usable power at the machine")
    return reasons


def jam_share(p: FaceParameters, extra_convergence_m: float = 0.0) -> float:
    """Return the expected share of the face where the body jams (Gaussian seam heights).

    Parameters
    ----------
    p : FaceParameters
        Face parameters.
    extra_convergence_m : float, optional
        Convergence on top of the nominal one, e.g. during periodic weighting [m].

    Returns
    -------
    float
        ``P(H_s < A + t_c + s_c + δ_f − h_r,max)`` for a normal seam height [-].
    """
    jam_height_m = (p.machine_height_m + p.canopy_tip_thickness_m + p.convergence_m + extra_convergence_m
                    + p.floor_float_m - p.max_rock_cut_m)
    if p.seam_height_sd_m <= 0:
        return 1.0 if p.seam_height_m < jam_height_m else 0.0
    return 0.5 * (1.0 + math.erf((jam_height_m - p.seam_height_m) / (p.seam_height_sd_m * math.sqrt(2.0))))


def _near_limit_warnings(s: Scenario, p: FaceParameters, el: ElectricalState) -> list[str]:
    warnings = []
    spare_m = float(geometry.spare_clearance_m(
        p.seam_height_m, p.machine_height_m, p.canopy_tip_thickness_m, p.convergence_m, p.floor_float_m))
    if spare_m < 0:
        warnings.append(
            f"the machine is {-spare_m * u.MM_PER_M:.0f} mm taller than the space under the canopy: it must cut rock"
        )
    elif spare_m < p.design_spare_clearance_m:
        warnings.append(
            f"only {spare_m * u.MM_PER_M:.0f} mm of spare clearance under the canopy "
            f"(design {p.design_spare_clearance_m * u.MM_PER_M:.0f} mm): it must cut some rock"
        )
    for label, extra_m in (("", 0.0), ("during periodic weighting ", p.weighting_convergence_m)):
        share = jam_share(p, extra_m)
        if share >= 0.01:
            jam_height_mm = (p.machine_height_m + p.canopy_tip_thickness_m + p.convergence_m + extra_m
                             + p.floor_float_m - p.max_rock_cut_m) * u.MM_PER_M
            warnings.append(
                f"{label}the machine jams where the seam is thinner than {jam_height_mm:.0f} mm "
                f"(about {share * 100:.0f} % of the face): the drums cannot take enough rock there"
            )
    if el.loading > 1.0:
        warnings.append(
            f"the cable carries {el.loading * 100:.0f} % of its rating ({el.line_current_a:.0f} A on "
            f"{el.ampacity_a:.0f} A): it runs hot and trips on overload"
        )
    if el.voltage_drop_v > el.allowed_voltage_drop_v:
        warnings.append(
            f"the running voltage drop ({el.voltage_drop_v:.0f} V) exceeds the allowed {el.allowed_voltage_drop_v:.0f} V"
        )
    start_fraction = 1.0 - el.start_dip_fraction
    if s.electrical.min_start_voltage_fraction <= start_fraction < s.electrical.min_start_voltage_fraction + 0.05:
        warnings.append(
            f"a motor start dips the terminals to {start_fraction * 100:.0f} % of nominal, close to the "
            f"{s.electrical.min_start_voltage_fraction * 100:.0f} % undervoltage limit"
        )
    if p.electrical.nominal_voltage_v == 1140 and (s.machine.cutting_power_kw + s.machine.haulage_power_kw) > 730:
        warnings.append("more than 730 kW on 1,140 V: Chinese practice puts such shearers on 3,300 V [S7]")
    return warnings
