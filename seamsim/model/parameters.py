"""Scenario → model parameters in SI, and the nominal engineering state of a face.

This is the one place where a :class:`~seamsim.scenario.schema.Scenario` (engineers' units)
becomes SI numbers, and where the electrical state, the crew the mode needs and the
feasibility of the face are worked out. Both :func:`seamsim.model.simulate.simulate` and
``seamsim inspect`` read the same :class:`FaceParameters`, so the picture a student sees
is the one the simulation runs.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

from seamsim import units as u
from seamsim.model.crew_plan import CrewPlan, crew_plan
from seamsim.model.electrical_state import (
    ElectricalState,
    electrical_reasons,
    electrical_state,
    face_air_temperature_c,
)
from seamsim.model.stoppage_parameters import StoppageParameters, stoppage_parameters
from seamsim.physics import cutting, electrical, face_end, geometry, heat, packaging, picks, support
from seamsim.scenario.schema import Scenario


@dataclass(frozen=True)
class FaceParameters:
    """Every number the face model uses, in SI (m, s, W, J, kg), derived once per scenario.

    The model reads these and never the scenario: every unit is converted here, once.
    """

    # geometry
    face_length_m: float
    segment_count: int
    segment_length_m: float
    web_m: float
    seam_height_m: float
    seam_height_sd_m: float
    correlation_length_m: float
    machine_height_m: float
    height_terms: dict
    """The derived height's parts (``packaging.height_terms_m``); empty for an explicit height."""
    design_spare_clearance_m: float
    canopy_tip_thickness_m: float
    convergence_m: float
    floor_float_m: float
    body_sag_m: float
    weighting_interval_m: float
    weighting_length_m: float
    weighting_convergence_m: float
    idle_closure_rate_m_per_s: float
    creep_time_constant_s: float
    routine_stop_s: float
    """Longest stop of the shift pattern itself; the nominal convergence already allows for it [s]."""
    idle_closure_event_m: float
    rock_reach_m: float
    drum_diameter_m: float
    coal_density_kg_per_m3: float
    rock_density_kg_per_m3: float
    face_recovery: float
    coal_ash_share: float
    rock_ash_share: float
    # cutting
    coal_specific_energy_j_per_m3: float
    rock_specific_energy_j_per_m3: float
    direction_penalty: float
    usable_cutting_power_w: float
    drum_power_share: float
    load_factor: float
    haulage_power_w: float
    coal_pick_speed_m_per_s: float
    rock_pick_speed_m_per_s: float
    machine_speed_m_per_s: float
    set_speed_m_per_s: float
    flitting_speed_m_per_s: float
    conveyor_capacity_kg_per_s: float
    chain_speed_m_per_s: float
    shield_speed_m_per_s: float
    shield_lag_m: float
    # picks
    coal_wear_picks_per_j: float
    rock_wear_picks_per_j: float
    pick_change_threshold: float
    pick_change_setup_s: float
    pick_change_per_pick_s: float
    """Time per worn pick, crawl height and the men who can reach the drum included [s]."""
    # heat
    rock_temperature_c: float
    face_air_c: float
    handwork_factor: float
    # cycle
    bidirectional: bool
    sump_travel_m: float
    face_end: face_end.FaceEndSteps
    # calendar
    horizon_s: float
    shift_length_s: float
    shifts_per_day: int
    production_shifts_per_day: int
    shift_change_start_s: float
    shift_change_end_s: float
    travel_to_face_s: float
    maintenance_effectiveness: float
    # electrical and crew
    electrical: ElectricalState
    crew: CrewPlan
    stoppages: StoppageParameters
    reasons: tuple[str, ...] = field(default=())
    warnings: tuple[str, ...] = field(default=())

    @property
    def nominal_required_height_m(self) -> float:
        """Open height the machine needs at nominal convergence, body sag included [m]."""
        return float(geometry.required_cutting_height_m(
            self.machine_height_m, self.design_spare_clearance_m, self.canopy_tip_thickness_m,
            self.convergence_m, self.floor_float_m + self.body_sag_m,
        ))

    @property
    def nominal_spare_clearance_m(self) -> float:
        """Space between body and canopy at the mean seam and nominal convergence, sag included [m]."""
        return float(geometry.spare_clearance_m(
            self.seam_height_m, self.machine_height_m, self.canopy_tip_thickness_m, self.convergence_m,
            self.floor_float_m + self.body_sag_m))


def routine_stop_s(s: Scenario, change_start_s: float, change_end_s: float) -> float:
    """Return the longest stop the shift pattern makes every day [s]: a maintenance shift or
    the gap between days, with the crew changes around it."""
    cal = s.calendar
    day_s = 24.0 * u.S_PER_H
    gap_s = day_s - cal.production_shifts_per_day * cal.shift_length_h * u.S_PER_H
    return gap_s + change_start_s + change_end_s if cal.production_shifts_per_day < cal.shifts_per_day or gap_s > 0 \
        else change_start_s + change_end_s


def idle_closure_m(p, stop_s: float) -> float:
    """Return the closure a stop of ``stop_s`` adds beyond what the nominal convergence allows [m].

    Logarithmic creep of a standing face, ``s(t) = b_0 τ ln(1 + t/τ)``, counted beyond the
    longest routine stop of the shift pattern (docs/model.md §7, convergence while the face stands) [E].
    """
    if stop_s <= p.routine_stop_s or p.idle_closure_rate_m_per_s <= 0:
        return 0.0
    tau = p.creep_time_constant_s
    return p.idle_closure_rate_m_per_s * tau * (math.log1p(stop_s / tau) - math.log1p(p.routine_stop_s / tau))


def travel_to_face_s(s: Scenario) -> float:
    """Return the one-way travel from the surface to the working place at the face [s].

    Waiting for the cage, winding down the shaft, walking or riding along the roadways,
    then crawling along half the face in the seam's height:
    ``t = t_wait + z/v_cage + L_road/v_road + (L_face/2)/v_crawl(H)`` [E].
    """
    c = s.calendar
    return (c.shaft_wait_min * u.S_PER_MIN + s.seam.depth_m / c.cage_speed_m_per_s
            + c.roadway_length_m / c.roadway_speed_m_per_s
            + 0.5 * s.face.length_m / float(support.crawl_speed_m_per_s(s.seam.height_m)))


def _face_end_steps(s: Scenario, cutting_speed_m_per_s: float, shield_cycle_s: float, handwork: float) -> face_end.FaceEndSteps:
    """Return the face-end steps of one end from the machine, the shields and the people.

    By hand, the push and the stage loader are quoted for two men with room to stand: the
    crawl height and the heat slow them, more end men (up to four) speed them up, and from
    a second man on they overlap the shearer's runs. Automated ends push and advance behind
    the shearer. The end shields of the end being worked advance one after another at the
    shield mode's cycle.
    """
    op = s.operation
    automated = op.face_end_mode == "automated"
    men = s.crew.face_end_men if not automated else max(1, s.crew.face_end_men + s.crew.patrol)
    if automated:
        reversal_s = op.automated_face_end_reversal_min * u.S_PER_MIN
        push_s = op.automated_face_end_push_min * u.S_PER_MIN
        stage_s = op.automated_face_end_stage_loader_min * u.S_PER_MIN
    else:
        by_hand = float(support.crawl_height_factor(s.seam.height_m)) * handwork * face_end.crew_time_factor(men)
        reversal_s = op.manual_face_end_reversal_min * u.S_PER_MIN
        push_s = op.manual_face_end_push_min * u.S_PER_MIN * by_hand
        stage_s = op.manual_face_end_stage_loader_min * u.S_PER_MIN * by_hand
    return face_end.face_end_steps(
        op.sump_travel_m, op.sump_speed_share * cutting_speed_m_per_s, cutting_speed_m_per_s, reversal_s, push_s,
        0.5 * s.face.end_shields * shield_cycle_s, stage_s, face_end.overlap_share(men, automated))


def machine_height(scenario: Scenario, el: ElectricalState) -> tuple[float, dict]:
    """Return the machine-face height [m] and, in derived mode, the parts it is made of.

    Parameters
    ----------
    scenario : Scenario
        A validated scenario.
    el : ElectricalState
        Its supply (rated current and the lowest terminal voltage a motor must run at).

    Returns
    -------
    height_m : float
        The explicit height, or ``A_0 + cable entry + motors + switchgear + creepage``.
    terms : dict
        The derived height's parts [m] and the cable it was sized for; empty when explicit.
    """
    m = scenario.machine
    if m.height_mode == "explicit":
        return m.machine_height_mm * u.M_PER_MM, {}
    # the motors are sized for the lowest voltage they must work at; below the start limit they
    # cannot start at all (a reason of its own), so that limit bounds the sizing
    u_min = max(1.0 - el.start_dip_fraction, scenario.electrical.min_start_voltage_fraction)
    terms = packaging.height_terms_m(el.rated_current_a, el.nominal_voltage_v, u_min,
                                     el.ampacity_a / electrical.cable_ampacity_a(scenario.electrical.cable_csa_mm2,
                                                                                 scenario.electrical.cable_count))
    return packaging.derived_machine_height_m(terms), {**terms, "base_m": packaging.base_height_m()}


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
    m = s.machine
    el = electrical_state(s)
    crew = crew_plan(s)
    op = s.operation
    segment_count = max(1, math.ceil(s.face.length_m / s.face.shield_width_m - 1e-9))
    air_c = face_air_temperature_c(s, el.cable_loss_w)
    handwork = heat.handwork_time_factor(air_c)
    if op.shield_control == "manual":
        shield_cycle_s = support.manual_shield_cycle_s(op.manual_shield_valve_s, s.face.shield_width_m, s.seam.height_m) * handwork
    else:
        shield_cycle_s = op.eh_shield_cycle_s
    shield_speed = support.shield_limited_speed_m_per_s(crew.shield_parallel_advances, s.face.shield_width_m, shield_cycle_s)
    set_speed = math.inf if m.set_cutting_speed_m_per_min is None else m.set_cutting_speed_m_per_min * u.M_PER_S_PER_M_PER_MIN
    travel_s = travel_to_face_s(s)
    cal = s.calendar
    if cal.handover == "bank_to_bank":
        change_start_s, change_end_s = travel_s, travel_s
    else:
        change_start_s, change_end_s = cal.handover_min * u.S_PER_MIN, 0.0
    shift_length_s = cal.shift_length_h * u.S_PER_H
    reasons = list(crew.reasons)
    warnings = list(crew.warnings)
    if cal.handover == "hot_seat" and not op.remote_control:
        reasons.append("a hot-seat handover needs a remote control room, but the shearer is run at the face: "
                       "choose bank_to_bank or at_face")
    if change_start_s + change_end_s >= shift_length_s:
        reasons.append(
            f"travel to and from the face ({2 * travel_s * u.MIN_PER_S:.0f} min) takes the whole "
            f"{cal.shift_length_h:g} h shift: no time is left to cut"
        )
    height_m, height_terms = machine_height(s, el)
    allowed_force_n = m.allowed_pick_force_kn * u.N_PER_KN
    chip_cap_m = m.max_chip_depth_mm * u.M_PER_MM
    coal_chip_m = float(picks.chip_depth_m(allowed_force_n, s.seam.coal_compressive_strength_mpa * u.PA_PER_MPA, chip_cap_m))
    rock_chip_m = float(picks.chip_depth_m(allowed_force_n, s.seam.rock_compressive_strength_mpa * u.PA_PER_MPA, chip_cap_m))
    rock_rpm = picks.drum_speed_in_rock_rpm(m.drum_speed_rpm, m.drum_diameter_m, m.max_tip_speed_in_rock_m_per_s)
    conveyor_kg_per_s = min(
        s.face.conveyor_capacity_t_per_h * u.KG_PER_S_PER_T_PER_H,
        cutting.conveyor_power_capacity_kg_per_s(s.face.conveyor_power_kw * u.W_PER_KW, s.face.length_m),
    )
    per_pick_s = picks.pick_change_duration_s(0.0, 1.0, m.pick_change_min_per_pick * u.S_PER_MIN, s.seam.height_m) * handwork
    coal_pick_speed = cutting.pick_limited_speed_m_per_s(coal_chip_m, m.picks_per_line, m.drum_speed_rpm)
    end_speed = min(coal_pick_speed, m.max_cutting_speed_m_per_min * u.M_PER_S_PER_M_PER_MIN, set_speed,
                    shield_speed if shield_speed > 0 else math.inf, float(cutting.power_limited_speed_m_per_s(
                        m.cutting_power_kw * u.W_PER_KW * el.usable_power_fraction, m.drum_power_share, m.load_factor,
                        m.web_m, s.seam.height_m, s.seam.coal_specific_energy_kwh_per_m3 * u.J_PER_M3_PER_KWH_PER_M3)))
    steps = _face_end_steps(s, end_speed, shield_cycle_s, handwork)
    params = FaceParameters(
        face_length_m=s.face.length_m,
        segment_count=segment_count,
        segment_length_m=s.face.length_m / segment_count,
        web_m=m.web_m,
        seam_height_m=s.seam.height_m,
        seam_height_sd_m=s.seam.height_sd_m if s.run.seam_variability else 0.0,
        correlation_length_m=s.seam.correlation_length_m,
        machine_height_m=height_m,
        height_terms=height_terms,
        design_spare_clearance_m=m.design_spare_clearance_mm * u.M_PER_MM,
        canopy_tip_thickness_m=s.roof.canopy_tip_thickness_mm * u.M_PER_MM,
        convergence_m=s.roof.convergence_mm * u.M_PER_MM,
        floor_float_m=s.roof.floor_float_mm * u.M_PER_MM,
        body_sag_m=geometry.rigid_body_sag_m(m.body_length_m, s.seam.floor_curvature_radius_m),
        weighting_interval_m=s.roof.weighting_interval_m,
        weighting_length_m=s.roof.weighting_length_m,
        weighting_convergence_m=s.roof.weighting_convergence_mm * u.M_PER_MM,
        idle_closure_rate_m_per_s=s.roof.idle_closure_rate_mm_per_h * u.M_PER_MM / u.S_PER_H,
        creep_time_constant_s=s.roof.creep_time_constant_h * u.S_PER_H,
        routine_stop_s=routine_stop_s(s, change_start_s, change_end_s),
        idle_closure_event_m=s.roof.idle_closure_event_mm * u.M_PER_MM,
        rock_reach_m=picks.rock_reach_m(m.drum_diameter_m, m.max_rock_arc_share),
        drum_diameter_m=m.drum_diameter_m,
        coal_density_kg_per_m3=s.seam.coal_density_t_per_m3 * u.KG_PER_M3_PER_T_PER_M3,
        rock_density_kg_per_m3=s.seam.rock_density_t_per_m3 * u.KG_PER_M3_PER_T_PER_M3,
        face_recovery=s.seam.face_recovery,
        coal_ash_share=s.seam.coal_ash_pct * u.FRACTION_PER_PCT,
        rock_ash_share=s.seam.rock_ash_pct * u.FRACTION_PER_PCT,
        coal_specific_energy_j_per_m3=s.seam.coal_specific_energy_kwh_per_m3 * u.J_PER_M3_PER_KWH_PER_M3,
        rock_specific_energy_j_per_m3=s.seam.rock_specific_energy_kwh_per_m3 * u.J_PER_M3_PER_KWH_PER_M3,
        direction_penalty=m.direction_penalty,
        usable_cutting_power_w=m.cutting_power_kw * u.W_PER_KW * el.usable_power_fraction,
        drum_power_share=m.drum_power_share,
        load_factor=m.load_factor,
        haulage_power_w=m.haulage_power_kw * u.W_PER_KW,
        coal_pick_speed_m_per_s=coal_pick_speed,
        rock_pick_speed_m_per_s=cutting.pick_limited_speed_m_per_s(rock_chip_m, m.picks_per_line, rock_rpm),
        machine_speed_m_per_s=m.max_cutting_speed_m_per_min * u.M_PER_S_PER_M_PER_MIN,
        set_speed_m_per_s=set_speed,
        flitting_speed_m_per_s=m.flitting_speed_m_per_min * u.M_PER_S_PER_M_PER_MIN,
        conveyor_capacity_kg_per_s=conveyor_kg_per_s,
        chain_speed_m_per_s=s.face.conveyor_chain_speed_m_per_s,
        shield_speed_m_per_s=shield_speed,
        shield_lag_m=s.face.max_shield_lag * s.face.shield_width_m,
        coal_wear_picks_per_j=m.coal_pick_wear_picks_per_mwh / u.J_PER_MWH,
        rock_wear_picks_per_j=m.rock_pick_wear_picks_per_mwh / u.J_PER_MWH,
        pick_change_threshold=m.pick_change_worn_share * m.picks_on_drums,
        pick_change_setup_s=m.pick_change_setup_min * u.S_PER_MIN,
        pick_change_per_pick_s=per_pick_s,
        rock_temperature_c=heat.rock_temperature_c(s.seam.depth_m, s.seam.geothermal_gradient_c_per_100m),
        face_air_c=air_c,
        handwork_factor=handwork,
        bidirectional=op.cutting_mode == "bidirectional",
        sump_travel_m=op.sump_travel_m,
        face_end=steps,
        horizon_s=(s.run.days if days is None else days) * u.S_PER_DAY,
        shift_length_s=shift_length_s,
        shifts_per_day=s.calendar.shifts_per_day,
        production_shifts_per_day=s.calendar.production_shifts_per_day,
        shift_change_start_s=change_start_s,
        shift_change_end_s=change_end_s,
        travel_to_face_s=travel_s,
        maintenance_effectiveness=cal.maintenance_effectiveness,
        electrical=el,
        crew=crew,
        stoppages=stoppage_parameters(s),
    )
    reasons.extend(_machine_reasons(params))
    reasons.extend(electrical_reasons(s, el))
    if air_c > heat.WORK_STOPS_ABOVE_C:
        reasons.append(
            f"the face air is {air_c:.1f} °C (rock {params.rock_temperature_c:.0f} °C at {s.seam.depth_m:.0f} m, "
            f"{s.face.air_cooling_k:g} K of cooling): above {heat.WORK_STOPS_ABOVE_C:.0f} °C work must stop "
            "(Coal Mine Safety Regulations, art. 655); more cooling is needed"
        )
    warnings.extend(_near_limit_warnings(s, params, el))
    return _with_messages(params, reasons, warnings)


def _with_messages(params: FaceParameters, reasons: list[str], warnings: list[str]) -> FaceParameters:
    return replace(params, reasons=tuple(reasons), warnings=tuple(warnings))


def body_deficit_m(p: FaceParameters, seam_height_m, extra_convergence_m=0.0):
    """Return how much taller the body (with canopy, convergence and sag) is than the seam [m].

    Positive means rock must be cut for the body to pass; beyond :attr:`FaceParameters.rock_reach_m`
    the body stalls (a jam).
    """
    return -geometry.spare_clearance_m(
        seam_height_m, p.machine_height_m, p.canopy_tip_thickness_m, p.convergence_m + extra_convergence_m,
        p.floor_float_m + p.body_sag_m)


def _machine_reasons(p: FaceParameters) -> list[str]:
    """Reasons the machine cannot pass, at the mean seam height and nominal convergence."""
    if float(body_deficit_m(p, p.seam_height_m)) > p.rock_reach_m + 1e-12:
        required_m = p.nominal_required_height_m
        return [
            f"the machine cannot pass: it needs {required_m * u.MM_PER_M:.0f} mm of open height "
            f"(machine {p.machine_height_m * u.MM_PER_M:.0f} + margin {p.design_spare_clearance_m * u.MM_PER_M:.0f} "
            f"+ canopy tip {p.canopy_tip_thickness_m * u.MM_PER_M:.0f} + convergence {p.convergence_m * u.MM_PER_M:.0f} "
            f"+ body sag {p.body_sag_m * u.MM_PER_M:.0f} mm) but the seam is {p.seam_height_m * u.MM_PER_M:.0f} mm and "
            f"the {p.drum_diameter_m:g} m drums can take at most "
            f"{p.rock_reach_m * u.MM_PER_M:.0f} mm of rock: it would jam all along the face"
        ]
    return []


def jam_share(p: FaceParameters, extra_convergence_m: float = 0.0) -> float:
    """Return the expected share of the face where the body stalls (Gaussian seam heights).

    Parameters
    ----------
    p : FaceParameters
        Face parameters.
    extra_convergence_m : float, optional
        Convergence on top of the nominal one, e.g. during periodic weighting [m].

    Returns
    -------
    float
        ``P(H_s < A + t_c + s_c + δ_f + sag − h_r,max)`` for a normal seam height [-].
    """
    jam_height_m = jam_seam_height_m(p, extra_convergence_m)
    if p.seam_height_sd_m <= 0:
        return 1.0 if p.seam_height_m < jam_height_m else 0.0
    return 0.5 * (1.0 + math.erf((jam_height_m - p.seam_height_m) / (p.seam_height_sd_m * math.sqrt(2.0))))


def jam_seam_height_m(p: FaceParameters, extra_convergence_m: float = 0.0) -> float:
    """Return the seam height below which the body stalls [m]."""
    return float(body_deficit_m(p, 0.0, extra_convergence_m)) - p.rock_reach_m


def _near_limit_warnings(s: Scenario, p: FaceParameters, el: ElectricalState) -> list[str]:
    warnings = []
    spare_m = p.nominal_spare_clearance_m
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
            warnings.append(
                f"{label}the machine stalls where the seam is thinner than {jam_seam_height_m(p, extra_m) * u.MM_PER_M:.0f} mm "
                f"(about {share * 100:.0f} % of the face): the drums cannot take enough rock there"
            )
    if el.loading > 1.0:
        warnings.append(
            f"the cable carries {el.loading * 100:.0f} % of its rating at the design load ({el.design_current_a:.0f} A on "
            f"{el.ampacity_a:.0f} A): it runs hot and the overload relay trips when the machine draws that much"
        )
    if el.voltage_drop_v > el.allowed_voltage_drop_v:
        warnings.append(
            f"the running voltage drop at rated current ({el.voltage_drop_v:.0f} V) exceeds the allowed "
            f"{el.allowed_voltage_drop_v:.0f} V"
        )
    start_fraction = 1.0 - el.start_dip_fraction
    if s.electrical.min_start_voltage_fraction <= start_fraction < s.electrical.min_start_voltage_fraction + 0.05:
        warnings.append(
            f"a motor start dips the terminals to {start_fraction * 100:.0f} % of nominal, close to the "
            f"{s.electrical.min_start_voltage_fraction * 100:.0f} % undervoltage limit"
        )
    if p.electrical.nominal_voltage_v == 1140 and (s.machine.cutting_power_kw + s.machine.haulage_power_kw) > 730:
        warnings.append("more than 730 kW on 1,140 V: Chinese practice puts such shearers on 3,300 V [S7]")
    if p.face_air_c > heat.SHORTENED_HOURS_ABOVE_C:
        warnings.append(
            f"the face air is {p.face_air_c:.1f} °C, above {heat.SHORTENED_HOURS_ABOVE_C:.0f} °C: handwork takes "
            f"{(p.handwork_factor - 1) * 100:.0f} % longer (shortened hours)"
        )
    return warnings
