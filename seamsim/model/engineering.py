"""The engineering picture of a face, without simulating: what ``seamsim inspect`` shows.

Clearance budget, electrical state, every speed limit and the one that binds, and the
tonnes per web, all at the mean seam height and nominal convergence. It uses the same
:class:`~seamsim.model.parameters.FaceParameters` and profile code as the simulation.
"""

from __future__ import annotations

import math

import numpy as np

from seamsim import units as u
from seamsim.model.parameters import face_parameters
from seamsim.model.profile import LIMIT_NAMES, pass_block, segment_speed_limits_m_per_s
from seamsim.physics import geometry
from seamsim.scenario.schema import Scenario


def _finite_or_none(value: float) -> float | None:
    return float(value) if math.isfinite(value) else None


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
    spare_m = float(geometry.spare_clearance_m(
        p.seam_height_m, p.machine_height_m, p.canopy_tip_thickness_m, p.convergence_m, p.floor_float_m))
    coal_t = float(block.coal_kg[0].sum()) * u.T_PER_KG
    rock_t = float(block.rock_kg[0].sum()) * u.T_PER_KG
    return {
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
        "line_current_a": el.line_current_a,
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
        "electrical_trip_mtbf_h": (1.0 / el.trip_rate_per_h) if el.trip_rate_per_h > 0 else None,
        "speed_limits_m_per_min": {name: _finite_or_none(v) for name, v in least.items()},
        "speed_limits_with_chain_m_per_min": {name: _finite_or_none(v[0]) for name, v in by_direction.items()},
        "speed_limits_against_chain_m_per_min": {name: _finite_or_none(v[1]) for name, v in by_direction.items()},
        "binding_limit": binding,
        "cutting_speed_m_per_min": least[binding],
        "pass_time_min": pass_time_s * u.MIN_PER_S,
        "end_operations_min": p.end_operations_s * u.MIN_PER_S,
        "tonnes_per_web": coal_t + rock_t,
        "coal_tonnes_per_web": coal_t,
        "rock_tonnes_per_web": rock_t,
        "crew_per_shift": p.crew.per_production_shift,
        "shield_parallel_advances": p.crew.shield_parallel_advances,
        "status": "infeasible" if p.reasons else "ok",
        "reasons": list(p.reasons),
        "warnings": list(p.warnings),
    }
