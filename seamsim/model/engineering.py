"""The engineering picture of a face, without simulating: what ``seamsim inspect`` shows.

Clearance budget, electrical state, every speed limit and the one that binds, and the
tonnes per web, all at the mean seam height and nominal convergence. It uses the same
:class:`~seamsim.model.parameters.FaceParameters` and profile code as the simulation.
"""

from __future__ import annotations

import math

import numpy as np

from seamsim import units as u
from seamsim.model.parameters import FaceParameters, face_parameters, jam_seam_height_m, jam_share
from seamsim.model.profile import LIMIT_NAMES, pass_block, segment_speed_limits_m_per_s
from seamsim.physics import picks
from seamsim.scenario.schema import Scenario


def _finite_or_none(value: float) -> float | None:
    return float(value) if math.isfinite(value) else None


def _number(key: str, value: float, unit: str) -> dict:
    """The headline number of a chain step: ``key``, ``number`` (``None`` if not finite), ``unit``."""
    return {"key": key, "number": _finite_or_none(float(value)), "unit": unit}


def engineering_picture(scenario: Scenario) -> dict:
    """Return the engineering picture of a face at its nominal state.

    Parameters
    ----------
    scenario : Scenario
        A validated scenario.

    Returns
    -------
    dict
        Clearance (``spare_clearance_mm``, ``rock_cut_mm``, ``required_height_mm``),
        electrical (``line_current_a``, ``voltage_drop_v``, ``voltage_drop_pct``,
        ``allowed_voltage_drop_pct``, ``terminal_voltage_v``, ``start_dip_pct``,
        ``start_dip_limit_pct``, ``cable_loading_pct``, ``cable_ampacity_a``,
        ``cable_loss_kw``, ``usable_power_pct``, ``electrical_trip_mtbf_h``), cutting
        (``speed_limits_m_per_min``: the least of both directions for each limit, ``None``
        where a limit does not apply; ``speed_limits_with_chain_m_per_min``,
        ``speed_limits_against_chain_m_per_min``, ``binding_limit``,
        ``cutting_speed_m_per_min``, ``pass_time_min``), output per web
        (``tonnes_per_web``, ``coal_tonnes_per_web``, ``rock_tonnes_per_web``), crew
        (``crew_per_shift``, ``shield_parallel_advances``), and ``status``, ``reasons``,
        ``warnings``.
    """
    p = face_parameters(scenario)
    el = p.electrical
    seam = np.full((2, p.segment_count), p.seam_height_m)
    convergence = np.full((2, 1), p.convergence_m)
    with_chain = np.array([True, False])
    limits, geo = segment_speed_limits_m_per_s(p, seam[:, :1], convergence, with_chain[:, None])
    by_direction = {
        name: [float(limits[name][0, 0]) * u.M_PER_MIN_PER_M_PER_S, float(limits[name][1, 0]) * u.M_PER_MIN_PER_M_PER_S]
        for name in LIMIT_NAMES
    }
    least = {name: min(values) for name, values in by_direction.items()}
    binding = min(LIMIT_NAMES, key=lambda name: (least[name], LIMIT_NAMES.index(name)))
    block = pass_block(p, 0, seam, convergence, with_chain)
    pass_time_s = float((block.cut_s + block.wait_s).sum(axis=1).mean())
    spare_m = p.nominal_spare_clearance_m
    coal_t = float(block.coal_kg[0].sum()) * u.T_PER_KG
    rock_t = float(block.rock_kg[0].sum()) * u.T_PER_KG
    worn_per_web = float(block.worn_picks.mean())
    rock_mm = float(geo["rock_height_m"][0, 0]) * u.MM_PER_M
    trip_rate_h = float(block.trip_rate_per_s.mean()) * u.S_PER_H
    return {
        "chain": causal_chain(scenario, p, rock_mm, coal_t, rock_t, least, binding, worn_per_web),
        "scenario": scenario.name,
        "title": scenario.title,
        "spare_clearance_mm": spare_m * u.MM_PER_M,
        "rock_cut_mm": float(geo["rock_height_m"][0, 0]) * u.MM_PER_M,
        "required_height_mm": float(geo["required_height_m"][0, 0]) * u.MM_PER_M,
        "seam_height_mm": p.seam_height_m * u.MM_PER_M,
        "machine_height_mm": p.machine_height_m * u.MM_PER_M,
        "canopy_tip_thickness_mm": p.canopy_tip_thickness_m * u.MM_PER_M,
        "convergence_mm": p.convergence_m * u.MM_PER_M,
        "design_spare_clearance_mm": p.design_spare_clearance_m * u.MM_PER_M,
        "supply_voltage_v": el.nominal_voltage_v,
        "line_current_a": el.design_current_a,
        "rated_current_a": el.rated_current_a,
        "drawn_current_a": float(block.mean_current_a.mean()),
        "demand_factor": el.demand_factor,
        "voltage_drop_v": el.voltage_drop_v,
        "voltage_drop_pct": el.voltage_drop_fraction * u.PCT_PER_FRACTION,
        "allowed_voltage_drop_pct": el.allowed_voltage_drop_v / el.nominal_voltage_v * u.PCT_PER_FRACTION,
        "terminal_voltage_v": el.terminal_voltage_v,
        "start_dip_pct": el.start_dip_fraction * u.PCT_PER_FRACTION,
        "start_dip_limit_pct": el.start_dip_limit_fraction * u.PCT_PER_FRACTION,
        "cable_loading_pct": el.loading * u.PCT_PER_FRACTION,
        "cable_ampacity_a": el.ampacity_a,
        "cable_loss_kw": el.cable_loss_w * u.KW_PER_W,
        "usable_power_pct": el.usable_power_fraction * u.PCT_PER_FRACTION,
        "electrical_trip_mtbf_h": (1.0 / trip_rate_h) if trip_rate_h > 0 else None,
        "face_air_c": p.face_air_c,
        "rock_reach_mm": p.rock_reach_m * u.MM_PER_M,
        "body_sag_mm": p.body_sag_m * u.MM_PER_M,
        "worn_picks_per_web": worn_per_web,
        "ash_pct": picks.ash_share(coal_t, rock_t, p.coal_ash_share, p.rock_ash_share) * u.PCT_PER_FRACTION,
        "speed_limits_m_per_min": {name: _finite_or_none(v) for name, v in least.items()},
        "speed_limits_with_chain_m_per_min": {name: _finite_or_none(v[0]) for name, v in by_direction.items()},
        "speed_limits_against_chain_m_per_min": {name: _finite_or_none(v[1]) for name, v in by_direction.items()},
        "binding_limit": binding,
        "cutting_speed_m_per_min": least[binding],
        "pass_time_min": pass_time_s * u.MIN_PER_S,
        "end_operations_min": p.face_end.total_s * u.MIN_PER_S,
        "face_end_steps_min": {
            "reversals": p.face_end.reversals_s * u.MIN_PER_S,
            "sumping": p.face_end.sumping_s * u.MIN_PER_S,
            "triangle_coal": p.face_end.triangle_s * u.MIN_PER_S,
            "end_work": p.face_end.end_work_s * u.MIN_PER_S,
            "waiting_for_end_work": p.face_end.waiting_s * u.MIN_PER_S,
        },
        "tonnes_per_web": coal_t + rock_t,
        "coal_tonnes_per_web": coal_t,
        "rock_tonnes_per_web": rock_t,
        "crew_per_shift": p.crew.per_production_shift,
        "shield_parallel_advances": p.crew.shield_parallel_advances,
        "status": "infeasible" if p.reasons else "ok",
        "reasons": list(p.reasons),
        "warnings": list(p.warnings),
    }


def causal_chain(sc: Scenario, p: FaceParameters, rock_mm: float, coal_t: float, rock_t: float, speeds: dict,
                 binding: str, worn_per_web: float) -> list[dict[str, str]]:
    """Return the article's chain, step by step, in the model's own numbers.

    supply voltage → current → cable → start dip → machine height → spare clearance →
    rock per pass → speed limits → picks → jams → tonnes. Each step is a dict with
    ``step``, ``value`` and ``why`` (plain words), and the step's headline number for
    those who compare two faces: ``key`` (a name with its unit, e.g. ``rated_current_a``),
    ``number`` (float, ``None`` where it is not finite) and ``unit``.
    """
    el = p.electrical
    terms = p.height_terms
    chain = [
        {"step": "supply voltage", **_number("supply_voltage_v", el.nominal_voltage_v, "V"), "value": f"{el.nominal_voltage_v:,.0f} V", "why": "the gate-end substation's secondary"},
        {"step": "current", **_number("rated_current_a", el.rated_current_a, "A"), "value": f"{el.rated_current_a:,.0f} A rated, {el.design_current_a:,.0f} A design",
         "why": f"I = P/(√3·U·cosφ·η) at {sc.machine.cutting_power_kw + sc.machine.haulage_power_kw:,.0f} kW; design ×{el.demand_factor:.2f} demand factor"
         if sc.electrical.cable_sizing_rule == "demand" else "design on the full rated current"},
    ]
    if terms:
        chain.append({"step": "cable it is built for", **_number("cable_csa_mm2", terms["cable_csa_mm2"], "mm²"),
                      "value": f"3×{terms['cable_csa_mm2']:.0f} mm², {terms['cable_od_m'] * u.MM_PER_M:.0f} mm across",
                      "why": "the cross-section that carries the rated current; the entry and terminal chamber grow with it"})
    chain += [
        {"step": "start dip", **_number("start_dip_pct", el.start_dip_fraction * u.PCT_PER_FRACTION, "%"), "value": f"{el.start_dip_fraction * u.PCT_PER_FRACTION:.1f} % (limit {el.start_dip_limit_fraction * u.PCT_PER_FRACTION:.0f} %)",
         "why": f"cable and {el.transformer_kva:,.0f} kVA substation while one cutting motor starts"},
    ]
    if terms:
        chain.append({"step": "machine height (derived)", **_number("machine_height_mm", p.machine_height_m * u.MM_PER_M, "mm"), "value": f"{p.machine_height_m * u.MM_PER_M:.0f} mm",
                      "why": (f"{terms['base_m'] * u.MM_PER_M:.0f} mm frame + cable entry {terms['cable_entry_m'] * u.MM_PER_M:.0f}"
                              f" + motors {terms['motor_m'] * u.MM_PER_M:.0f} (sized for {100 - el.start_dip_fraction * 100:.0f} % voltage)"
                              f" + switchgear {terms['switchgear_m'] * u.MM_PER_M:.0f} + creepage {terms['creepage_m'] * u.MM_PER_M:.0f}")})
    else:
        chain.append({"step": "machine height (given)", **_number("machine_height_mm", p.machine_height_m * u.MM_PER_M, "mm"), "value": f"{p.machine_height_m * u.MM_PER_M:.0f} mm",
                      "why": "set in the scenario; height_mode: derived estimates it from power and voltage"})
    chain += [
        {"step": "spare clearance", **_number("spare_clearance_mm", p.nominal_spare_clearance_m * u.MM_PER_M, "mm"), "value": f"{p.nominal_spare_clearance_m * u.MM_PER_M:+.0f} mm",
         "why": (f"seam {p.seam_height_m * u.MM_PER_M:.0f} − machine − canopy tip {p.canopy_tip_thickness_m * u.MM_PER_M:.0f}"
                 f" − convergence {p.convergence_m * u.MM_PER_M:.0f} − body sag {p.body_sag_m * u.MM_PER_M:.0f} mm")},
        {"step": "rock per pass", **_number("rock_cut_mm", rock_mm, "mm"), "value": f"{rock_mm:.0f} mm ({rock_t:,.1f} t a web)",
         "why": f"cut to keep {p.design_spare_clearance_m * u.MM_PER_M:.0f} mm of design clearance; the drums reach {p.rock_reach_m * u.MM_PER_M:.0f} mm"},
        {"step": "speed", **_number("cutting_speed_m_per_min", speeds[binding], "m/min"), "value": f"{speeds[binding]:.2f} m/min, bound by {binding}",
         "why": f"picks allow {p.coal_pick_speed_m_per_s * u.M_PER_MIN_PER_M_PER_S:.1f} m/min in coal, "
                f"{p.rock_pick_speed_m_per_s * u.M_PER_MIN_PER_M_PER_S:.1f} in rock"},
        {"step": "picks", **_number("worn_picks_per_web", worn_per_web, "picks"), "value": f"{worn_per_web:.2f} worn a web",
         "why": f"a change every {p.pick_change_threshold / worn_per_web:.0f} webs" if worn_per_web > 0 else "no wear"},
        {"step": "jams", **_number("jam_seam_height_mm", jam_seam_height_m(p) * u.MM_PER_M, "mm"), "value": f"below {jam_seam_height_m(p) * u.MM_PER_M:.0f} mm of seam ({jam_share(p) * 100:.0f} % of the face)",
         "why": f"{jam_share(p, p.weighting_convergence_m) * 100:.0f} % of the face while the roof weights"},
        {"step": "tonnes a web", **_number("coal_t_per_web", coal_t, "t"), "value": f"{coal_t:,.1f} t coal + {rock_t:,.1f} t rock",
         "why": "only the coal is saleable; the rock is ash, energy and pick wear"},
    ]
    return chain
