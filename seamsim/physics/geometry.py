"""Height stack, clearance under the canopies, rock to cut and tonnes per web.

Equations G1, G2 and Q1 of docs/model.md §2 (the height budget).
All lengths in metres, masses in kilograms, densities in kg/m³.

References
----------
.. [S4] Thin-seam drum shearer characteristics: riding vs floor-crawling, height stack
   (docs/references.md).
.. [A] Science and Technology Daily, 2025-12 (English edition 2026-01): 630 → 588 mm,
   20 mm spare clearance (docs/references.md).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike


def spare_clearance_m(
    seam_height_m: ArrayLike,
    machine_height_m: float,
    canopy_tip_thickness_m: float,
    convergence_m: ArrayLike,
    floor_float_m: float = 0.0,
) -> np.ndarray:
    """Return the space left between the machine body and the canopy underside (G1).

    ``Y = H_s − (A + t_c + s_c + δ_f)``; negative means the machine does not fit and
    rock must be cut (or it jams).

    Parameters
    ----------
    seam_height_m : array_like
        Seam (coal) height at the shield [m].
    machine_height_m : float
        Machine-face height A, floor to top of body [m].
    canopy_tip_thickness_m : float
        Canopy-tip thickness t_c [m].
    convergence_m : array_like
        Roof-to-floor convergence at the canopy tip s_c [m].
    floor_float_m : float, optional
        Float coal / floor unevenness δ_f [m].

    Returns
    -------
    numpy.ndarray
        Spare clearance Y [m].

    Examples
    --------
    The article's machines in a 0.8 m seam with a 150 mm canopy tip and 40 mm
    convergence: 588 mm leaves about +22 mm, 630 mm about −20 mm.

    >>> round(float(spare_clearance_m(0.8, 0.588, 0.150, 0.040)) * 1000)
    22
    >>> round(float(spare_clearance_m(0.8, 0.630, 0.150, 0.040)) * 1000)
    -20

    References
    ----------
    docs/model.md §2: G1 (spare clearance) [I].
    """
    return np.asarray(seam_height_m, dtype=float) - (
        machine_height_m + canopy_tip_thickness_m + np.asarray(convergence_m, dtype=float) + floor_float_m
    )


def required_cutting_height_m(
    machine_height_m: float,
    design_spare_clearance_m: float,
    canopy_tip_thickness_m: float,
    convergence_m: ArrayLike,
    floor_float_m: float = 0.0,
) -> np.ndarray:
    """Return the height that must be open for the machine to pass with its design margin.

    ``A + Y_min + t_c + s_c + δ_f`` (left side of G1).

    Parameters
    ----------
    machine_height_m : float
        Machine-face height A [m].
    design_spare_clearance_m : float
        Spare clearance the design keeps, Y_min [m].
    canopy_tip_thickness_m : float
        Canopy-tip thickness t_c [m].
    convergence_m : array_like
        Convergence at the canopy tip s_c [m].
    floor_float_m : float, optional
        Float coal / floor unevenness δ_f [m].

    Returns
    -------
    numpy.ndarray
        Required open height [m].

    References
    ----------
    docs/model.md §2: G1 (required open height).
    """
    return (
        machine_height_m + design_spare_clearance_m + canopy_tip_thickness_m
        + np.asarray(convergence_m, dtype=float) + floor_float_m
    )


def rock_cut_height_m(seam_height_m: ArrayLike, required_height_m: ArrayLike) -> np.ndarray:
    """Return the roof/floor rock that must be cut to open the required height (G2).

    ``h_r = max(0, H_req − H_s)``.

    Parameters
    ----------
    seam_height_m : array_like
        Seam height H_s [m].
    required_height_m : array_like
        Required open height, from :func:`required_cutting_height_m` [m].

    Returns
    -------
    numpy.ndarray
        Rock height h_r ≥ 0 [m].

    References
    ----------
    docs/model.md §2: G2 (rock to cut).
    """
    return np.maximum(0.0, np.asarray(required_height_m, dtype=float) - np.asarray(seam_height_m, dtype=float))


def cutting_height_m(seam_height_m: ArrayLike, required_height_m: ArrayLike) -> np.ndarray:
    """Return the height actually cut, ``H_cut = max(H_s, H_req)`` (G2).

    Parameters
    ----------
    seam_height_m : array_like
        Seam height H_s [m].
    required_height_m : array_like
        Required open height [m].

    Returns
    -------
    numpy.ndarray
        Cutting height [m].

    References
    ----------
    docs/model.md §2: G2 (cut height).
    """
    return np.maximum(np.asarray(seam_height_m, dtype=float), np.asarray(required_height_m, dtype=float))


def coal_mass_per_web_kg(
    length_m: ArrayLike,
    web_m: float,
    coal_height_m: ArrayLike,
    coal_density_kg_per_m3: float,
    face_recovery: float,
) -> np.ndarray:
    """Return the coal loaded from one web over ``length_m`` of face (Q1, coal part).

    ``m_coal = L · B · H_s · ρ_c · k_r``.

    Parameters
    ----------
    length_m : array_like
        Length of face cut [m].
    web_m : float
        Web (depth of cut) B [m].
    coal_height_m : array_like
        Coal height cut H_s [m].
    coal_density_kg_per_m3 : float
        In-situ coal density ρ_c [kg/m³].
    face_recovery : float
        Face recovery k_r [-].

    Returns
    -------
    numpy.ndarray
        Coal mass [kg].

    Examples
    --------
    A full 150 m web, 0.63 m deep, in 0.8 m of coal at 1.38 t/m³ and 97 % recovery:

    >>> round(float(coal_mass_per_web_kg(150, 0.63, 0.8, 1380, 0.97)) / 1000, 1)
    101.2

    References
    ----------
    docs/model.md §2: Q1 (tonnes per web) [S8].
    """
    return np.asarray(length_m, dtype=float) * web_m * np.asarray(coal_height_m, dtype=float) * coal_density_kg_per_m3 * face_recovery


def rock_mass_per_web_kg(
    length_m: ArrayLike,
    web_m: float,
    rock_height_m: ArrayLike,
    rock_density_kg_per_m3: float,
) -> np.ndarray:
    """Return the roof/floor rock loaded from one web over ``length_m`` (Q1, rock part).

    ``m_rock = L · B · h_r · ρ_r``; rock is counted in run-of-mine (ROM) tonnes.

    Parameters
    ----------
    length_m : array_like
        Length of face cut [m].
    web_m : float
        Web B [m].
    rock_height_m : array_like
        Rock height cut h_r [m].
    rock_density_kg_per_m3 : float
        Rock density ρ_r [kg/m³].

    Returns
    -------
    numpy.ndarray
        Rock mass [kg].

    References
    ----------
    docs/model.md §2: Q1 (tonnes per web).
    """
    return np.asarray(length_m, dtype=float) * web_m * np.asarray(rock_height_m, dtype=float) * rock_density_kg_per_m3


def rigid_body_sag_m(body_length_m: float, floor_curvature_radius_m: float) -> float:
    """Return the extra height a rigid body needs over a curved floor, ``δ = L²/(8R)`` [m].

    The body rests on its two ends (the conveyor pans under its skids); over a floor
    hollow or hump of radius R its middle is ``L²/8R`` off the floor line, which the
    clearance must allow for.

    Parameters
    ----------
    body_length_m : float
        Length of the rigid body L [m].
    floor_curvature_radius_m : float
        Radius of curvature of the floor's undulation R [m].

    Returns
    -------
    float
        Sag [m].

    Examples
    --------
    A 6 m body over a floor of 300 m radius: 15 mm; 7 m: 20 mm.

    >>> round(rigid_body_sag_m(6.0, 300.0) * 1000)
    15
    >>> round(rigid_body_sag_m(7.0, 300.0) * 1000)
    20

    References
    ----------
    docs/model.md §2 (body sag) [I].
    """
    return body_length_m**2 / (8.0 * floor_curvature_radius_m)
