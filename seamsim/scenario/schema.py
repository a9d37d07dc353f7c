"""The scenario schema: the single definition of every input of seamsim.

Every field carries its unit in its name (in the units engineers quote: mm, kW, m/min,
t/m³, min, h), its bounds and a one-line description. The YAML loader, the CLI ``--set``
overrides, the dashboard widgets and the JSON Schema export (``seamsim schema``) all read
this module; nothing else declares an input.

Defaults and ranges are the project's engineering estimates and published values; the
source tag of each default is given in the description and listed in docs/references.md,
and the equations that use them are in docs/model.md.
Conversion to SI happens once, in :mod:`seamsim.model.parameters`.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator


class _Section(BaseModel):
    """Base of every scenario section: unknown keys are errors, values are frozen."""

    model_config = ConfigDict(extra="forbid", frozen=True, validate_default=True)


def _f(default, lo, hi, description, *, strict_lo=False, strict_hi=False, **kw):
    """A float field with bounds and a description (keeps the schema compact)."""
    bounds = {"gt" if strict_lo else "ge": lo, "lt" if strict_hi else "le": hi}
    return Field(default, description=description, **bounds, **kw)


# --------------------------------------------------------------------------------------
# Seam and strata
# --------------------------------------------------------------------------------------
class Seam(_Section):
    """The coal seam and the strata around it."""

    height_m: float = _f(0.80, 0.3, 3.0, "Mean seam (coal) height [m]; extremely thin 0.7–1.0 [S1].")
    height_sd_m: float = _f(0.05, 0.0, 0.3, "Standard deviation of seam height along face and panel [m] (0.02–0.10 [E]).")
    correlation_length_m: float = _f(30.0, 1.0, 500.0, "Correlation length of seam height variation [m] (10–100 [E]).")
    depth_m: float = _f(1000.0, 0.0, 2000.0, "Depth of the face below surface [m] (800–1,300 [S1]); sets the rock and face-air temperature.")
    geothermal_gradient_c_per_100m: float = _f(2.5, 1.0, 5.0, "Geothermal gradient [°C/100 m] (2–4, mean ≈ 3 [T33]–[T36]).")
    coal_density_t_per_m3: float = _f(1.38, 1.1, 1.8, "In-situ coal density [t/m³] (1.30–1.45 [S8][S9]).")
    rock_density_t_per_m3: float = _f(2.5, 1.8, 3.0, "Roof/floor rock density [t/m³] (2.3–2.7 [E]).")
    coal_specific_energy_kwh_per_m3: float = _f(1.5, 0.2, 5.0, "Specific cutting+loading energy of the coal [kWh/m³] (hard thin seam 1.3–2.4 [E]).")
    rock_specific_energy_kwh_per_m3: float = _f(8.0, 1.0, 30.0, "Specific cutting energy of roof/floor rock at the drums [kWh/m³] (mudstone 6–10, sandstone 12–20 [E from T17]).")
    coal_compressive_strength_mpa: float = _f(20.0, 5.0, 60.0, "Uniaxial compressive strength of the coal [MPa] (coking coal 20–30 [E][T16]).")
    rock_compressive_strength_mpa: float = _f(35.0, 10.0, 150.0, "Uniaxial compressive strength of the roof/floor rock [MPa] (mudstone 25–40, sandstone 60–100 [E][T16]).")
    coal_ash_pct: float = _f(20.0, 2.0, 50.0, "Ash of the coal itself [%] (coking coal 10–25 [E]).")
    rock_ash_pct: float = _f(85.0, 50.0, 95.0, "Ash of the roof/floor rock [%] (75–90 [E]).")
    floor_curvature_radius_m: float = _f(3000.0, 50.0, 10000.0, "Radius of curvature of the floor's undulation [m]; a rigid body of length L needs L²/8R more height (a regular floor 2,000–5,000, an undulating one 100–1,000 [E]).")
    face_recovery: float = _f(0.97, 0.5, 1.0, "Share of the cut coal that reaches the conveyor [-] (0.93–0.99 [S9]).")


class Roof(_Section):
    """The roof over the face: canopy, convergence and periodic weighting."""

    canopy_tip_thickness_mm: float = _f(150.0, 50.0, 300.0, "Shield canopy-tip thickness over the machine [mm] (100–200 [E]).")
    convergence_mm: float = _f(40.0, 0.0, 200.0, "Roof-to-floor convergence at the canopy tip while the shearer passes [mm] (20–80 [E]).")
    floor_float_mm: float = _f(0.0, 0.0, 50.0, "Float coal / floor unevenness under the conveyor [mm] (0–30 [E]).")
    weighting_interval_m: float = _f(15.0, 3.0, 100.0, "Face advance between periodic roof weightings [m] (10–25 [E]).")
    weighting_length_m: float = _f(3.0, 0.0, 20.0, "Face advance over which a weighting lasts [m] [E].")
    weighting_convergence_mm: float = _f(80.0, 0.0, 300.0, "Extra convergence during a weighting [mm] (+50–150 [E]).")
    idle_closure_rate_mm_per_h: float = _f(1.0, 0.0, 20.0, "Initial roof-to-floor closure at the canopy tip while the face stands [mm/h] (0.5–2; 3–10 in weighting [E][T27][T28]).")
    creep_time_constant_h: float = _f(8.0, 1.0, 48.0, "Decay time of the logarithmic creep of a standing face [h] (4–12 [E]).")
    idle_closure_event_mm: float = _f(10.0, 1.0, 100.0, "Extra closure of a long stand at which the roof spalls or the floor heaves: a roof event at the restart [mm] [E].")


# --------------------------------------------------------------------------------------
# Face equipment
# --------------------------------------------------------------------------------------
class Face(_Section):
    """Face layout, supports and the armoured face conveyor (AFC)."""

    length_m: float = _f(150.0, 30.0, 400.0, "Face length [m] (100–260; default 150 [E]).")
    shield_width_m: float = _f(1.5, 1.0, 2.5, "Shield width (centre-to-centre) [m] (1.25–2.0 [E]).")
    end_shields: int = Field(4, ge=0, le=12, description="Extra shields at the two face ends, advanced in the face-end work at the shield mode's cycle [-] (2–6 [I]).")
    max_shield_lag: int = Field(5, ge=1, le=30, description="Most shields the shearer may run ahead of shield advance [shields] (3–10 [E]).")
    conveyor_capacity_t_per_h: float = _f(400.0, 50.0, 3000.0, "AFC rated capacity [t/h] (250–600 [E]).")
    conveyor_chain_speed_m_per_s: float = _f(1.1, 0.3, 2.5, "AFC chain speed [m/s] (0.9–1.3 [E]).")
    conveyor_power_kw: float = _f(180.0, 20.0, 2000.0, "AFC installed power [kW] (90–320 [S6]); with the face length it caps what the conveyor carries (3 kWh per t·km [S55][E]).")
    air_cooling_k: float = _f(7.0, 0.0, 15.0, "How much the face air is cooled (local or central cooling) [K] (5–9 [T38]).")


class Machine(_Section):
    """The shearer."""

    name: str = Field("thin-seam shearer", max_length=80, description="Model or type of the shearer.")
    height_mode: Literal["explicit", "derived"] = Field("explicit", description="explicit: the machine height below; derived: estimated from power and supply voltage (cable entry, motors, switchgear) [E].")
    machine_height_mm: float = _f(588.0, 300.0, 2000.0, "Machine-face height, floor to top of body [mm] (630 before / 588 after [A]); used when height_mode is explicit.")
    design_spare_clearance_mm: float = _f(20.0, 0.0, 300.0, "Spare clearance kept between body top and canopy underside [mm] (20 [A]; textbook 90–200 [S4]).")
    max_rock_arc_share: float = _f(0.3, 0.05, 0.6, "Largest share of the leading drum's cutting half-turn that may be in rock; with the drum diameter it sets the rock reach, beyond which the body stalls [-] [E].")
    body_length_m: float = _f(7.0, 2.0, 15.0, "Length of the rigid machine body along the face [m]; over an undulating floor it needs L²/8R more height [E].")
    cutting_power_kw: float = _f(600.0, 50.0, 3000.0, "Installed cutting power, all cutting motors [kW] (2×200 before / 2×300 after [E]).")
    cutting_motor_count: int = Field(2, ge=1, le=4, description="Number of cutting motors (started one at a time) [-].")
    haulage_power_kw: float = _f(80.0, 10.0, 500.0, "Installed haulage power [kW] (2×30–2×75 [E]).")
    drum_power_share: float = _f(0.85, 0.5, 1.0, "Share of cutting power consumed at the drums [-] (0.80–0.90 [S10]).")
    load_factor: float = _f(1.0, 0.5, 1.2, "Allowed continuous load as a share of rated power [-] (0.9–1.05 [E]).")
    drum_diameter_m: float = _f(0.70, 0.3, 2.5, "Cutting drum diameter [m] (0.6–0.9 in thin seams [E]); sets the rock reach and the tip speed.")
    max_tip_speed_in_rock_m_per_s: float = _f(2.5, 1.0, 5.0, "Highest pick tip speed kept while cutting rock (drum slowed) [m/s] (2–2.5 [E]).")
    allowed_pick_force_kn: float = _f(20.0, 5.0, 60.0, "Allowed mean cutting force per pick; with the material's strength it sets the chip depth (Evans) [kN] (15–25 [E]).")
    picks_on_drums: int = Field(72, ge=10, le=300, description="Picks on both drums [-] (60–90 on a thin-seam pair [E]).")
    coal_pick_wear_picks_per_mwh: float = _f(7.5, 0.5, 50.0, "Picks worn out per MWh of cutting energy in coal [1/MWh] (≈8 picks/kt [E]).")
    rock_pick_wear_picks_per_mwh: float = _f(19.0, 1.0, 200.0, "Picks worn out per MWh of cutting energy in rock [1/MWh] (mudstone ≈19, quartz sandstone ≈40 [E]).")
    pick_change_worn_share: float = _f(0.15, 0.02, 0.6, "Share of worn picks at which the picks are changed [-] (0.10–0.20 [E][T23]).")
    pick_change_setup_min: float = _f(10.0, 1.0, 60.0, "Stop, isolate, water off and place the drum for a pick change [min] (8–15 [E]).")
    pick_change_min_per_pick: float = _f(1.5, 0.2, 10.0, "Time to change one pick with room to stand; crawl height multiplies it [min] (1–2 [E]).")
    drum_speed_rpm: float = _f(80.0, 20.0, 150.0, "Drum speed [rpm] (60–100 [E]).")
    web_m: float = _f(0.63, 0.3, 1.2, "Web (depth of cut) [m] (0.6–0.8; default 0.63 [E]).")
    max_chip_depth_mm: float = _f(30.0, 5.0, 80.0, "Largest chip depth the pick's projection allows (geometric cap; the material's strength may allow less) [mm] (20–45 [E]).")
    picks_per_line: int = Field(2, ge=1, le=6, description="Picks per cutting line [-] (2–3 [E]).")
    direction_penalty: float = _f(1.25, 1.0, 1.6, "Specific-energy factor when cutting against the AFC chain [-] (1.25 [S-dk]).")
    max_cutting_speed_m_per_min: float = _f(6.0, 0.5, 30.0, "Machine's highest haulage speed while cutting [m/min] (3–8 [E]).")
    set_cutting_speed_m_per_min: float | None = Field(None, ge=0.1, le=30.0, description="Speed set by the operator [m/min]; empty means as fast as the limits allow.")
    flitting_speed_m_per_min: float = _f(10.0, 1.0, 30.0, "Haulage speed when not cutting (sumping run, return) [m/min] (8–15 [E]).")


class Electrical(_Section):
    """Supply and trailing cable of the shearer (docs/model.md §3)."""

    supply_voltage_v: Literal[1140, 3300] = Field(3300, description="Nominal supply voltage of the shearer [V]: 1,140 or 3,300 [A].")
    cable_csa_mm2: Literal[35, 50, 70, 95, 120, 150, 185] = Field(50, description="Conductor cross-section of the trailing cable [mm²] (95 at 1,140 V, 50 at 3,300 V [E]).")
    cable_count: int = Field(1, ge=1, le=3, description="Number of trailing cables in parallel [-].")
    cable_length_m: float = _f(450.0, 0.0, 3000.0, "Length of cable from the gate-end substation to the machine [m] (200–800 [E]).")
    cable_temperature_c: float = _f(65.0, 0.0, 90.0, "Conductor operating temperature [°C] (40–90; 90 max [S37]).")
    cable_reactance_ohm_per_km: float = _f(0.08, 0.0, 0.3, "Cable reactance per conductor [Ω/km] (0.06–0.09 [E]).")
    power_factor: float = _f(0.86, 0.5, 1.0, "Motor power factor cos φ while running [-] (0.82–0.89 [E]).")
    motor_efficiency: float = _f(0.93, 0.7, 1.0, "Motor efficiency [-] (0.90–0.95 [E]).")
    locked_rotor_current_ratio: float = _f(6.0, 2.0, 9.0, "Starting (locked-rotor) current as a multiple of rated current [-] (5–7 [E]).")
    start_power_factor: float = _f(0.3, 0.1, 0.6, "Power factor while a motor starts [-] (0.2–0.4 [E]).")
    min_start_voltage_fraction: float = _f(0.75, 0.5, 0.95, "Lowest terminal voltage at which a cutting motor still starts, as a share of nominal [-] (0.75–0.8 [E]).")
    transformer_kva: float | None = Field(None, ge=315.0, le=5000.0, description="Rating of the mobile substation feeding the face; its impedance adds to the start dip [kVA] (630–2,000 [E]); empty means the smallest standard rating for the installed shearer and conveyor load.")
    relay_time_constant_min: float = _f(20.0, 2.0, 60.0, "Thermal time constant of the overload relay (I²t) [min] (10–40 [E]).")
    cable_sizing_rule: Literal["demand", "rated"] = Field("demand", description="Judge the cable on the demand load (K_x = 0.4 + 0.6·P_max/ΣP) or on the full rated current [E].")
    base_trip_rate_per_h: float = _f(0.06, 0.0, 2.0, "Electrical trips per operating hour of a healthy supply (earth leakage, nuisance) [1/h] [E].")
    sag_trip_rate_per_h: float = _f(0.25, 0.0, 5.0, "Undervoltage trips per operating hour when the restart dip reaches its limit; scales with (dip/limit)² [1/h] [E].")
    drop_trip_rate_per_h: float = _f(0.05, 0.0, 5.0, "Undervoltage trips per operating hour when the running drop, at the load drawn, reaches its allowance; scales with (drop/allowed)² [1/h] [E].")
    trip_reset_median_min: float = _f(8.0, 0.5, 120.0, "Median time to reset an electrical trip [min] (3–20 [E]).")
    trip_reset_sigma_ln: float = _f(0.6, 0.0, 2.0, "Log-normal σ of the trip reset time [-] [E].")
    max_cable_loading: float = _f(1.5, 1.0, 3.0, "Cable loading (design current/derated ampacity) beyond which no protection setting lets the machine run [-] [E].")


# --------------------------------------------------------------------------------------
# Operation, automation and crew
# --------------------------------------------------------------------------------------
class Operation(_Section):
    """How the face is worked: cutting method and automation."""

    cutting_mode: Literal["bidirectional", "unidirectional"] = Field("bidirectional", description="Bi-directional (a web each way) or uni-directional (cut one way, clean up on the return).")
    sump_travel_m: float = _f(30.0, 0.0, 80.0, "Length of the oblique sump run (the snake) at each end of a cut [m] (25–35; 30 [S18][E]).")
    sump_speed_share: float = _f(0.7, 0.3, 1.0, "Speed of the oblique sump run as a share of the cutting speed [-] (0.6–0.8 [E]).")
    shield_control: Literal["manual", "electrohydraulic"] = Field("electrohydraulic", description="Shield advance by shield men at the valve banks or by electro-hydraulic automation.")
    manual_shield_valve_s: float = _f(45.0, 10.0, 300.0, "Lower–advance–set and checking of one shield by hand with room to stand [s] (30–55 [E]); crawl height multiplies it and adds the crawl to the next shield.")
    shield_men_per_advance: int = Field(2, ge=1, le=4, description="Shield men needed to advance one shield by hand [persons] [E].")
    max_manual_parallel_advances: int = Field(3, ge=1, le=6, description="Most shields advanced by hand at once [-] [E].")
    eh_shield_cycle_s: float = _f(10.0, 3.0, 60.0, "Electro-hydraulic shield cycle [s] (8–10 [S30][S31]).")
    eh_parallel_advances: int = Field(1, ge=1, le=4, description="Shields advanced at once under electro-hydraulic control [-] [S31].")
    face_end_mode: Literal["manual", "automated"] = Field("automated", description="Face-end operations (triangle coal, end shields, conveyor push) by hand or automated.")
    manual_face_end_reversal_min: float = _f(2.0, 0.2, 10.0, "One reversal of the shearer at a face end by hand (swap drums, turn) [min] (1.5–3 [E]); three per end.")
    automated_face_end_reversal_min: float = _f(0.5, 0.1, 5.0, "One automated reversal (memory cutting) [min] (0.3–0.8 [E]).")
    manual_face_end_push_min: float = _f(5.0, 0.5, 60.0, "Push and straighten the end conveyor section and advance the head drive, two men with room to stand [min] (5–10 in 0.8 m [E]).")
    automated_face_end_push_min: float = _f(2.0, 0.2, 30.0, "Automatic push sequence of the end conveyor section [min] (1–3 [E]).")
    manual_face_end_stage_loader_min: float = _f(8.0, 0.5, 60.0, "Advance the stage loader and the gate-end supports by hand, two men with room to stand [min] (5–15 [E]).")
    automated_face_end_stage_loader_min: float = _f(2.0, 0.2, 30.0, "Self-advancing stage loader and advance supports [min] (1–3 [E]).")
    remote_control: bool = Field(True, description="Shearer run from the gate road or the surface over a radio link (5G).")


class Crew(_Section):
    """People on each production shift, by role, and on the maintenance shift."""

    shift_leaders: int = Field(1, ge=0, le=5, description="Team or shift leaders per production shift [persons].")
    shearer_drivers: int = Field(0, ge=0, le=6, description="Shearer drivers at the machine per production shift [persons].")
    remote_operators: int = Field(2, ge=0, le=6, description="Remote operators in the gate road or on the surface per production shift [persons].")
    shield_men: int = Field(0, ge=0, le=12, description="Shield men per production shift [persons].")
    conveyor_drivers: int = Field(0, ge=0, le=6, description="AFC / stage-loader / crusher drivers per production shift [persons].")
    face_end_men: int = Field(0, ge=0, le=8, description="Face-end support men per production shift [persons].")
    patrol: int = Field(2, ge=0, le=8, description="Face patrol / inspection per production shift [persons].")
    pump_operators: int = Field(0, ge=0, le=3, description="Pump-station operators per production shift [persons].")
    electricians: int = Field(1, ge=0, le=4, description="Electricians per production shift [persons].")
    fitters: int = Field(1, ge=0, le=4, description="Fitters per production shift [persons].")
    inspectors: int = Field(0, ge=0, le=3, description="Safety or gas inspectors per production shift [persons].")
    maintenance_crew: int = Field(8, ge=0, le=40, description="People on the maintenance shift (fitters and electricians) [persons].")
    patrol_qualified_fitters: int = Field(0, ge=0, le=8, description="Patrolmen also qualified as fitters: they can repair mechanical failures and change picks [persons].")
    patrol_qualified_electricians: int = Field(0, ge=0, le=8, description="Patrolmen also qualified as electricians [persons].")

    @model_validator(mode="after")
    def _qualified_patrol_within_patrol(self) -> Crew:
        for name in ("patrol_qualified_fitters", "patrol_qualified_electricians"):
            if getattr(self, name) > self.patrol:
                raise ValueError(f"{name} ({getattr(self, name)}) cannot exceed patrol ({self.patrol})")
        return self

    @property
    def per_production_shift(self) -> int:
        """People on one production shift [persons]."""
        return (
            self.shift_leaders + self.shearer_drivers + self.remote_operators + self.shield_men
            + self.conveyor_drivers + self.face_end_men + self.patrol + self.pump_operators
            + self.electricians + self.fitters + self.inspectors
        )


class Calendar(_Section):
    """Shifts, travel and handover."""

    shifts_per_day: int = Field(3, ge=1, le=4, description="Shifts per day [-] (3×8 h or 4×6 h [S47]).")
    production_shifts_per_day: int = Field(2, ge=1, le=4, description="Production shifts per day; the rest are maintenance [-] (two production + one maintenance [E]).")
    shift_length_h: float = _f(8.0, 4.0, 12.0, "Length of a shift, bank to bank [h] (6–8 [S47]).")
    handover: Literal["bank_to_bank", "at_face", "hot_seat"] = Field("hot_seat", description="How crews change: bank to bank (the face stands while they travel in and out), at the face (the new crew travels in its own time and takes over there), or hot seat in a remote control room.")
    handover_min: float = _f(10.0, 0.0, 60.0, "Machine stop while crews hand over at the face or in the control room [min] (5–20 [E]).")
    shaft_wait_min: float = _f(5.0, 0.0, 60.0, "Waiting for the cage at the shaft, one way [min] (3–15 [E]).")
    cage_speed_m_per_s: float = _f(6.0, 1.0, 20.0, "Man-winding speed in the shaft [m/s] (4–12 [E]).")
    roadway_length_m: float = _f(2500.0, 0.0, 10000.0, "Length of the roadways from shaft bottom to the face end, one way [m] (1–5 km [E]).")
    roadway_speed_m_per_s: float = _f(1.5, 0.3, 8.0, "Speed along the roadways: walking 1–1.2, man-riding car or monorail 2–5 [m/s] [E].")
    maintenance_effectiveness: float = _f(0.3, 0.0, 1.0, "Share of the wear-out age a maintenance shift leaves (0 as new, 1 no effect) [-] (0.2–0.5 [E], Kijima type I).")

    @model_validator(mode="after")
    def _production_within_shifts(self) -> Calendar:
        if self.production_shifts_per_day > self.shifts_per_day:
            raise ValueError(
                f"production_shifts_per_day ({self.production_shifts_per_day}) cannot exceed "
                f"shifts_per_day ({self.shifts_per_day})"
            )
        if self.shifts_per_day * self.shift_length_h > 24.0 + 1e-9:
            raise ValueError(
                f"{self.shifts_per_day} shifts of {self.shift_length_h} h do not fit in a 24 h day"
            )
        return self


# --------------------------------------------------------------------------------------
# Failures and delays
# --------------------------------------------------------------------------------------
class FailureMode(_Section):
    """Time between failures (in operating hours) and time to repair of one subsystem."""

    enabled: bool = Field(True, description="Whether this failure process runs.")
    distribution: Literal["exponential", "weibull", "lognormal"] = Field("exponential", description="Distribution of time between failures.")
    mean_time_between_failures_h: float = _f(60.0, 0.1, 100000.0, "Mean operating time between failures [h].")
    shape: float = _f(1.0, 0.3, 5.0, "Weibull shape β, or log-normal σ of the time between failures [-] (Weibull 0.7–1.5 [S27]).")
    repair_median_h: float = _f(1.0, 0.01, 48.0, "Median time to repair, log-normal [h].")
    repair_sigma_ln: float = _f(0.9, 0.0, 2.5, "Log-normal σ of the time to repair [-].")
    repaired_by: Literal["fitter", "electrician", "operator"] = Field("fitter", description="Who must be on shift to repair it.")


FAILURE_DEFAULTS: dict[str, dict[str, object]] = {
    "shearer": {"distribution": "weibull", "mean_time_between_failures_h": 60.0, "shape": 1.1,
                "repair_median_h": 1.0, "repair_sigma_ln": 0.9, "repaired_by": "fitter"},
    "conveyor": {"distribution": "weibull", "mean_time_between_failures_h": 80.0, "shape": 1.5,
                 "repair_median_h": 1.0, "repair_sigma_ln": 0.9, "repaired_by": "fitter"},
    "shields": {"distribution": "weibull", "mean_time_between_failures_h": 15.0, "shape": 1.3,
                "repair_median_h": 0.3, "repair_sigma_ln": 0.7, "repaired_by": "fitter"},
}
"""Each subsystem's own defaults (docs/model.md §7, the failure table [E][S27]; wear-out shapes
β: chain and flights 1.5–2, hoses and valves 1.2–1.5 [E]). A failure block given in a
file, a ``--set`` or the API changes only the fields it names; the rest keep these."""


def _failure(name: str):
    return Field(default_factory=lambda: FailureMode(**FAILURE_DEFAULTS[name]))


class Failures(_Section):
    """Failures per subsystem, stoppages and outages (docs/model.md §7)."""

    enabled: bool = Field(True, description="Master switch: off gives a deterministic face with no failures, outages or stoppages.")
    shearer: FailureMode = _failure("shearer")
    conveyor: FailureMode = _failure("conveyor")
    shields: FailureMode = _failure("shields")
    jam_clear_median_h: float = _f(0.5, 0.02, 8.0, "Median time to free a body stalled under the canopies and reverse it, log-normal [h] (10–120 min [E]); re-cutting the stretch's roof comes on top.")
    jam_clear_sigma_ln: float = _f(0.7, 0.0, 2.5, "Log-normal σ of the jam-clearing time [-].")
    roof_events_enabled: bool = Field(True, description="Roof/floor events at the onset of each periodic weighting.")
    roof_event_median_h: float = _f(2.0, 0.05, 24.0, "Median delay of a roof/floor event, log-normal [h] (0.5–8 [E]).")
    roof_event_sigma_ln: float = _f(0.6, 0.0, 2.5, "Log-normal σ of the roof-event delay [-].")
    outbye_blocked_fraction: float = _f(0.10, 0.0, 0.6, "Share of time outbye transport (belt, bunker) is stopped [-] (0.05–0.15 [S17]).")
    outbye_stop_median_min: float = _f(20.0, 1.0, 600.0, "Median length of an outbye stoppage, log-normal [min] [E].")
    outbye_stop_sigma_ln: float = _f(0.8, 0.0, 2.5, "Log-normal σ of an outbye stoppage [-].")
    comms_outage_rate_per_h: float = _f(0.25, 0.0, 10.0, "Radio-link outages per hour in remote mode [1/h] (0.05–1 [E]).")
    comms_outage_median_s: float = _f(60.0, 1.0, 3600.0, "Median outage length, log-normal [s] (15–1,800 [E]).")
    comms_outage_sigma_ln: float = _f(1.0, 0.0, 3.0, "Log-normal σ of outage length [-].")
    comms_restart_min: float = _f(2.0, 0.0, 30.0, "Restart after the link returns [min] (1–3 [E]).")

    @field_validator("shearer", "conveyor", "shields", mode="before")
    @classmethod
    def _merge_with_subsystem_defaults(cls, value: object, info: ValidationInfo) -> object:
        """Fill the fields a failure block leaves out from its own subsystem's defaults."""
        if isinstance(value, dict):
            return {**FAILURE_DEFAULTS[info.field_name], **value}
        return value


class Run(_Section):
    """Run settings."""

    days: float = _f(30.0, 0.1, 3660.0, "Simulated calendar days [d] (a month is 30 [E]).")
    seam_variability: bool = Field(True, description="Seam height varies along face and panel; off gives a uniform seam.")


# --------------------------------------------------------------------------------------
# The scenario
# --------------------------------------------------------------------------------------
Name = Annotated[str, Field(min_length=1, max_length=80, pattern=r"^[A-Za-z0-9_.\-]+$")]


class Scenario(_Section):
    """A complete, validated thin-seam face scenario."""

    name: Name = Field("scenario", description="Short identifier (letters, digits, _ . -).")
    title: str = Field("", max_length=200, description="Title shown to people.")
    description: str = Field("", max_length=5000, description="What this scenario teaches or tests.")
    seam: Seam = Field(default_factory=Seam)
    roof: Roof = Field(default_factory=Roof)
    face: Face = Field(default_factory=Face)
    machine: Machine = Field(default_factory=Machine)
    electrical: Electrical = Field(default_factory=Electrical)
    operation: Operation = Field(default_factory=Operation)
    crew: Crew = Field(default_factory=Crew)
    calendar: Calendar = Field(default_factory=Calendar)
    failures: Failures = Field(default_factory=Failures)
    run: Run = Field(default_factory=Run)


SECTIONS: tuple[str, ...] = (
    "seam", "roof", "face", "machine", "electrical", "operation", "crew", "calendar", "failures", "run",
)
"""Scenario sections in the order people read them."""
