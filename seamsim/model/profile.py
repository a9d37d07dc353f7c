"""Time profiles of shearer passes along the face, computed with numpy.

The face is divided into segments one shield wide. For a block of webs at once, this
module computes at every segment the rock to cut, the specific energy, every speed limit
(P6), the speed, the time spent cutting and waiting for shields, and the tonnes and
energy. The simpy model then treats a whole pass as one activity and finds the shearer's
position from the cumulative time profile when a pass is interrupted (DESIGN.md, "Do not
step shield by shield in simpy").
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.signal import lfilter

from seamsim.model.electrical_state import drawn_trip_rate_per_h
from seamsim.model.parameters import FaceParameters
from seamsim.physics import cutting, electrical, geometry, picks
from seamsim.units import S_PER_H

LIMIT_NAMES = cutting.SPEED_LIMIT_NAMES
_LIMIT_INDEX_WITHOUT_SHIELDS = np.array([i for i, name in enumerate(LIMIT_NAMES) if name != "shields"])
_NO_JAMS = np.zeros(0, dtype=int)
SHIELDS_INDEX = LIMIT_NAMES.index("shields")


def segment_speed_limits_m_per_s(
    p: FaceParameters,
    seam_height_m: np.ndarray,
    convergence_m: np.ndarray,
    with_chain: np.ndarray,
    constants_as_scalars: bool = False,
) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """Return every speed limit at each segment, and the geometry behind them.

    Parameters
    ----------
    p : FaceParameters
        Face parameters in SI.
    seam_height_m : numpy.ndarray
        Seam height at each segment [m].
    convergence_m : numpy.ndarray
        Convergence at the canopy tip at each segment [m].
    with_chain : numpy.ndarray of bool
        Whether the shearer moves with the conveyor chain (broadcasts against the rest).
    constants_as_scalars : bool, optional
        Return the limits that are the same everywhere (set, shields, machine) as floats
        instead of full arrays.

    Returns
    -------
    limits : dict of str to numpy.ndarray
        Speed limits [m/s] keyed by :data:`LIMIT_NAMES`.
    geometry_arrays : dict of str to numpy.ndarray
        ``required_height_m``, ``rock_height_m``, ``cutting_height_m``,
        ``spare_clearance_m``, ``specific_energy_j_per_m3``, ``mass_per_metre_kg_per_m``.
    """
    floor_m = p.floor_float_m + p.body_sag_m
    required = geometry.required_cutting_height_m(
        p.machine_height_m, p.design_spare_clearance_m, p.canopy_tip_thickness_m, convergence_m, floor_m)
    rock = geometry.rock_cut_height_m(seam_height_m, required)
    cut_height = seam_height_m + rock
    direction_factor = np.where(with_chain, 1.0, p.direction_penalty)
    energy = cutting.mix_specific_energy_j_per_m3(
        seam_height_m, rock, p.coal_specific_energy_j_per_m3, p.rock_specific_energy_j_per_m3, direction_factor)
    mass_per_metre = p.web_m * (seam_height_m * p.coal_density_kg_per_m3 * p.face_recovery + rock * p.rock_density_kg_per_m3)
    shape = np.broadcast(seam_height_m, convergence_m, with_chain).shape

    def constant(value: float):
        return value if constants_as_scalars else np.full(shape, value)

    limits = {
        "set": constant(p.set_speed_m_per_s),
        "power": np.broadcast_to(cutting.power_limited_speed_m_per_s(
            p.usable_cutting_power_w, p.drum_power_share, p.load_factor, p.web_m, cut_height, energy), shape),
        # the leading drum's chip depth is the rock's wherever any pick is in rock
        "pick": np.broadcast_to(np.where(rock > 0.0, p.rock_pick_speed_m_per_s, p.coal_pick_speed_m_per_s), shape),
        "conveyor": np.broadcast_to(cutting.conveyor_limited_speed_m_per_s(
            p.conveyor_capacity_kg_per_s, p.chain_speed_m_per_s, mass_per_metre, with_chain), shape),
        "shields": constant(p.shield_speed_m_per_s),
        "machine": constant(p.machine_speed_m_per_s),
    }
    spare = geometry.spare_clearance_m(seam_height_m, p.machine_height_m, p.canopy_tip_thickness_m, convergence_m, floor_m)
    return limits, {
        "required_height_m": np.broadcast_to(required, shape),
        "rock_height_m": np.broadcast_to(rock, shape),
        "cutting_height_m": np.broadcast_to(cut_height, shape),
        "spare_clearance_m": np.broadcast_to(spare, shape),
        "specific_energy_j_per_m3": np.broadcast_to(energy, shape),
        "mass_per_metre_kg_per_m": np.broadcast_to(mass_per_metre, shape),
    }


@dataclass
class PassBlock:
    """Profiles of a block of consecutive webs, each row in the order the shearer travels.

    All arrays have shape ``(webs, segments)`` unless noted.
    """

    first_web: int
    cut_s: np.ndarray
    """Time cutting each segment at the least non-shield limit [s]."""
    wait_s: np.ndarray
    """Time waiting for shield advance before each segment [s]."""
    coal_kg: np.ndarray
    rock_kg: np.ndarray
    energy_j: np.ndarray
    """Electrical energy into the machine while cutting each segment, incl. cable loss [J]."""
    cable_loss_j: np.ndarray
    binding: np.ndarray
    """Index into :data:`LIMIT_NAMES` of the limit that binds on each segment."""
    jam_segments: list[np.ndarray]
    """Per web: travel-order index of the first segment of each tight stretch, where the body stalls."""
    jam_counts: list[tuple[int, ...]]
    """Per web: tight shields in each stretch (each one is a jam: its roof must be re-cut)."""
    jam_weights: list[tuple[float, ...]]
    """Per web: the stop to free the body and reverse, in units of the median jam,
    ``exp(σ z)`` with a standard-normal z tied to the stretch's place in the seam, so two
    scenarios jamming at the same place lose the same time (common random numbers)."""
    jam_recut_s: list[tuple[float, ...]]
    """Per web: time to run back over the stretch and cut its roof again, at the rock-limited
    pick speed, both ways [s]."""
    position_m: np.ndarray
    """Shape (webs, segments + 1): position along the face at segment boundaries, travel order [m]."""
    min_spare_clearance_m: np.ndarray
    """Shape (webs,): least spare clearance under the canopy on the web [m]."""
    with_chain: np.ndarray
    """Shape (webs,): whether the web is cut moving with the conveyor chain."""
    worn_picks: np.ndarray
    """Shape (webs,): picks worn out cutting the web [-]."""
    mean_current_a: np.ndarray
    """Shape (webs,): mean line current while cutting the web [A]."""
    peak_current_a: np.ndarray
    """Shape (webs,): highest segment current on the web [A]."""
    trip_rate_per_s: np.ndarray
    """Shape (webs,): electrical trip rate at the load drawn on the web [1/s]."""

    def __post_init__(self) -> None:
        webs = self.cut_s.shape[0]
        zeros = np.zeros((webs, 1))
        self.cum_time_s = np.concatenate((zeros, np.cumsum(self.cut_s + self.wait_s, axis=1)), axis=1)
        """Shape (webs, segments + 1): time from the start of the pass to each segment boundary [s]."""
        self.cum_wait_s = np.concatenate((zeros, np.cumsum(self.wait_s, axis=1)), axis=1)
        """Shape (webs, segments + 1): time waiting for shields before each segment boundary [s]."""
        self.duration_s = self.cum_time_s[:, -1].tolist()
        self.total_wait_s = self.wait_s.sum(axis=1).tolist()
        self.coal_total_kg = self.coal_kg.sum(axis=1).tolist()
        self.rock_total_kg = self.rock_kg.sum(axis=1).tolist()
        self.energy_total_j = self.energy_j.sum(axis=1).tolist()
        self.cable_loss_total_j = self.cable_loss_j.sum(axis=1).tolist()
        limits = len(LIMIT_NAMES)
        flat = (self.binding + limits * np.arange(webs)[:, None]).ravel()
        self.limit_segments = np.bincount(flat, minlength=webs * limits).reshape(webs, limits)
        """Shape (webs, limits): segments on which each limit binds."""
        self.cut_total_s = self.cut_s.sum(axis=1)
        self.checkpoints_s = [
            tuple((self.cum_time_s[r, jams] + self.wait_s[r, jams]).tolist()) if jams.size else ()
            for r, jams in enumerate(self.jam_segments)
        ]
        """Per web: elapsed pass time at which each jam stops the machine [s]."""


def pass_block(
    p: FaceParameters,
    first_web: int,
    seam_height_m: np.ndarray,
    convergence_m: np.ndarray,
    with_chain: np.ndarray,
    jam_variates: np.ndarray | None = None,
) -> PassBlock:
    """Return the time, tonnes and energy profiles of a block of webs.

    Parameters
    ----------
    p : FaceParameters
        Face parameters in SI.
    first_web : int
        Index of the first web of the block.
    seam_height_m : numpy.ndarray
        Shape (webs, segments), face order (tailgate → main gate) [m].
    convergence_m : numpy.ndarray
        Shape (webs, 1) or (webs, segments) [m].
    with_chain : numpy.ndarray of bool
        Shape (webs,): True when the web is cut towards the main gate, with the chain.
    jam_variates : numpy.ndarray, optional
        Shape (webs, segments), face order: a standard-normal variate per place, used for
        the length of a jam there (zeros when not given: every jam takes its median).

    Returns
    -------
    PassBlock
        Profiles in travel order.

    Notes
    -----
    Shield advance may lag the shearer by at most ``n_lag`` shields (docs/model.md §4). With
    ``t_free`` the cumulative time at the least non-shield limit and ``x`` the position,
    the arrival time at each segment end is
    ``t = t_free + cummax(max(0, (x − lag)/v_sup − t_free))``: the shearer cuts as fast as
    it can and stops whenever it would outrun the shields.
    """
    webs, n = seam_height_m.shape
    # travel order: with the chain runs tailgate → main gate (face order); against runs back.
    # Everything below is computed in travel order, so nothing needs flipping afterwards.
    reverse = ~with_chain
    seam = _to_travel(seam_height_m, reverse)
    chain = with_chain[:, None]
    limits, geo = segment_speed_limits_m_per_s(p, seam, convergence_m, chain, constants_as_scalars=True)
    non_shield = {k: v for k, v in limits.items() if k != "shields"}
    speed, index = cutting.least_speed_limit(non_shield)
    speed = np.broadcast_to(speed, seam.shape)
    binding = np.broadcast_to(_LIMIT_INDEX_WITHOUT_SHIELDS[index], seam.shape)
    seg = p.segment_length_m
    cut_s = seg / speed
    x_face = np.linspace(0.0, p.face_length_m, n + 1)
    position = np.where(reverse[:, None], x_face[::-1], x_face)
    distance = np.arange(1, n + 1) * seg
    if p.shield_speed_m_per_s > 0 and np.isfinite(p.shield_speed_m_per_s):
        free_cum = np.cumsum(cut_s, axis=1)
        shield_time = np.maximum(0.0, distance - p.shield_lag_m) / p.shield_speed_m_per_s
        wait_cum = np.maximum.accumulate(np.maximum(0.0, shield_time[None, :] - free_cum), axis=1)
        wait_s = np.diff(wait_cum, axis=1, prepend=0.0)
        binding = np.where(wait_s > 1e-9, SHIELDS_INDEX, binding)
    else:
        wait_s = np.zeros_like(cut_s)
    coal_kg = geometry.coal_mass_per_web_kg(seg, p.web_m, seam, p.coal_density_kg_per_m3, p.face_recovery)
    rock_kg = geometry.rock_mass_per_web_kg(seg, p.web_m, geo["rock_height_m"], p.rock_density_kg_per_m3)
    # drum energy in coal and in rock (the loading penalty against the chain applies to both)
    direction = np.where(chain, 1.0, p.direction_penalty)
    coal_drum_j = p.coal_specific_energy_j_per_m3 * direction * (p.web_m * seg) * seam
    rock_drum_j = p.rock_specific_energy_j_per_m3 * direction * (p.web_m * seg) * geo["rock_height_m"]
    # electrical load as drawn: drum power / η_d plus haulage in proportion to speed
    haul_w = p.haulage_power_w * np.minimum(1.0, speed * (1.0 / p.machine_speed_m_per_s))
    output_w = (coal_drum_j + rock_drum_j) / (p.drum_power_share * cut_s) + haul_w
    el = p.electrical
    current_a = electrical.line_current_a(output_w, el.nominal_voltage_v, el.power_factor, el.motor_efficiency)
    loss_w = electrical.cable_copper_loss_w(current_a, el.resistance_ohm_per_m, el.cable_length_m)
    cable_loss_j = loss_w * cut_s
    energy_j = output_w * (1.0 / el.motor_efficiency) * cut_s + cable_loss_j
    cut_total_s = cut_s.sum(axis=1)
    mean_current = (current_a * cut_s).sum(axis=1) / cut_total_s
    thermal_per_h = thermal_hazard_per_h(current_a / el.relay_setting_a, cut_s, el.relay_time_constant_s)
    trip_rate_per_s = drawn_trip_rate_per_h(el, mean_current, thermal_per_h) / S_PER_H
    worn = picks.worn_picks(coal_drum_j.sum(axis=1), rock_drum_j.sum(axis=1), p.coal_wear_picks_per_j, p.rock_wear_picks_per_j)
    # the body stalls where, even with all the rock the drums can take, it cannot pass
    jam_mask = -geo["spare_clearance_m"] - p.rock_reach_m > 1e-9
    jam_segments, jam_counts = tight_stretches(jam_mask)
    stops = p.stoppages
    sigma = stops.jam_clear_sigma_ln if stops.enabled else 0.0
    jam_weights: list[tuple[float, ...]] = [()] * webs
    jam_recut_s: list[tuple[float, ...]] = [()] * webs
    recut_s_per_shield = 2.0 * seg / min(p.rock_pick_speed_m_per_s, p.machine_speed_m_per_s)
    for r, counts in enumerate(jam_counts):
        if counts:
            if jam_variates is None:
                jam_weights[r] = (1.0,) * len(counts)
            else:
                z = jam_variates[r, ::-1] if reverse[r] else jam_variates[r]
                jam_weights[r] = tuple(np.exp(sigma * z[jam_segments[r]]).tolist())
            jam_recut_s[r] = tuple(c * recut_s_per_shield for c in counts)
    return PassBlock(
        first_web=first_web,
        cut_s=cut_s,
        wait_s=wait_s,
        coal_kg=coal_kg,
        rock_kg=rock_kg,
        energy_j=energy_j,
        cable_loss_j=cable_loss_j,
        binding=binding,
        jam_segments=jam_segments,
        jam_counts=jam_counts,
        jam_weights=jam_weights,
        jam_recut_s=jam_recut_s,
        position_m=position,
        min_spare_clearance_m=geo["spare_clearance_m"].min(axis=1),
        with_chain=with_chain,
        worn_picks=worn,
        mean_current_a=mean_current,
        peak_current_a=current_a.max(axis=1),
        trip_rate_per_s=trip_rate_per_s,
    )


def thermal_hazard_per_h(current_multiple: np.ndarray, cut_s: np.ndarray, time_constant_s: float) -> np.ndarray:
    """Return the mean I²t-relay trip hazard of each pass [1/h].

    The relay's thermal image follows ``(I/I_set)²`` with its time constant τ (a
    first-order filter along the pass, one coefficient per pass from its mean segment
    time); the hazard at each segment is one over the time the relay would take to trip
    at the current its image stands for (:func:`~seamsim.physics.electrical.thermal_trip_time_s`).
    A short peak barely warms the relay; a long stretch near rating trips it.

    Parameters
    ----------
    current_multiple : numpy.ndarray
        Shape (webs, segments): I / I_set at each segment [-].
    cut_s : numpy.ndarray
        Shape (webs, segments): time spent on each segment [s].
    time_constant_s : float
        Relay time constant τ [s].

    Returns
    -------
    numpy.ndarray
        Shape (webs,): time-weighted mean hazard [1/h].
    """
    webs = current_multiple.shape[0]
    hazard = np.zeros(webs)
    hot = np.flatnonzero(current_multiple.max(axis=1) > electrical.RELAY_NO_TRIP_MULTIPLE)
    for r in hot.tolist():
        square = current_multiple[r] ** 2
        alpha = math.exp(-float(cut_s[r].mean()) / time_constant_s)
        image, _ = lfilter([1.0 - alpha], [1.0, -alpha], square, zi=[alpha * float(square.mean())])
        per_s = 1.0 / electrical.thermal_trip_time_s(np.sqrt(image), time_constant_s)
        hazard[r] = float((per_s * cut_s[r]).sum() / cut_s[r].sum()) * S_PER_H
    return hazard


def tight_stretches(jam_mask: np.ndarray) -> tuple[list[np.ndarray], list[tuple[int, ...]]]:
    """Return where each tight stretch of each pass begins, and how many shields it spans.

    The body stalls at the first tight shield of a stretch, where the rock it needs is more
    than the leading drum can take in one pass; the crew frees it, and the shearer runs
    back over the stretch to cut its roof a second time. Every tight shield is one jam (a
    shield whose roof is re-cut) and the face stops once per stretch. A longer body (more
    sag) or a thinner seam makes more shields tight and so never fewer jams.

    Parameters
    ----------
    jam_mask : numpy.ndarray of bool
        Shape (webs, segments): where the body cannot pass, in travel order.

    Returns
    -------
    starts : list of numpy.ndarray of int
        Per web, the first segment of each stretch.
    counts : list of tuple of int
        Per web, the tight shields in each stretch.
    """
    starts = [_NO_JAMS] * jam_mask.shape[0]
    counts: list[tuple[int, ...]] = [()] * jam_mask.shape[0]
    for r in np.flatnonzero(jam_mask.any(axis=1)):
        padded = np.concatenate(([False], jam_mask[r], [False])).astype(np.int8)
        edges = np.diff(padded)
        begin = np.flatnonzero(edges == 1)
        end = np.flatnonzero(edges == -1)
        starts[r] = begin
        counts[r] = tuple((end - begin).tolist())
    return starts, counts


def _to_travel(a: np.ndarray, reverse: np.ndarray) -> np.ndarray:
    """Return rows of ``a`` reversed where ``reverse`` is True (face order → travel order)."""
    return np.where(reverse[:, None], a[:, ::-1], a)
