"""Geometry against docs/model.md §2 (the article's 588 vs 630 mm machines) and limiting cases."""

from __future__ import annotations

import doctest

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from seamsim.physics import geometry as g

SEAM_M = 0.80
CANOPY_M = 0.150
CONVERGENCE_M = 0.040


@pytest.mark.parametrize(("machine_m", "spare_mm"), [(0.588, 22.0), (0.630, -20.0)])
def test_article_machines_in_an_0_8_m_seam(machine_m, spare_mm):
    """§2.1: 588 mm leaves about +22 mm under a 150 mm canopy tip with 40 mm convergence;
    630 mm is about 20 mm too tall."""
    spare_m = float(g.spare_clearance_m(SEAM_M, machine_m, CANOPY_M, CONVERGENCE_M))
    assert spare_m * 1000 == pytest.approx(spare_mm, abs=1e-6)


def test_too_tall_machine_cuts_the_deficit_as_rock():
    """630 mm with the 20 mm design margin needs 840 mm open: 40 mm of rock in 0.8 m of coal."""
    required = float(g.required_cutting_height_m(0.630, 0.020, CANOPY_M, CONVERGENCE_M))
    assert required == pytest.approx(0.840)
    assert float(g.rock_cut_height_m(SEAM_M, required)) == pytest.approx(0.040)
    assert float(g.cutting_height_m(SEAM_M, required)) == pytest.approx(0.840)


def test_machine_that_fits_cuts_no_rock():
    required = float(g.required_cutting_height_m(0.588, 0.020, CANOPY_M, CONVERGENCE_M))
    assert required == pytest.approx(0.798)
    assert float(g.rock_cut_height_m(SEAM_M, required)) == 0.0
    assert float(g.cutting_height_m(SEAM_M, required)) == SEAM_M


def test_floor_float_eats_clearance():
    with_float = float(
        g.spare_clearance_m(SEAM_M, 0.588, CANOPY_M, CONVERGENCE_M, floor_float_m=0.010)
    )
    assert with_float * 1000 == pytest.approx(12.0)


def test_tonnes_per_web():
    """A 150 m web 0.63 m deep in 0.8 m coal at 1.38 t/m³ and 97 % recovery: ≈101.2 t."""
    coal_kg = float(g.coal_mass_per_web_kg(150.0, 0.63, SEAM_M, 1380.0, 0.97))
    assert coal_kg / 1000 == pytest.approx(150 * 0.63 * 0.8 * 1.38 * 0.97)
    rock_kg = float(g.rock_mass_per_web_kg(150.0, 0.63, 0.040, 2500.0))
    assert rock_kg / 1000 == pytest.approx(150 * 0.63 * 0.04 * 2.5)


def test_limiting_cases():
    assert float(g.coal_mass_per_web_kg(0.0, 0.63, SEAM_M, 1380.0, 0.97)) == 0.0
    assert float(g.rock_mass_per_web_kg(150.0, 0.63, 0.0, 2500.0)) == 0.0
    assert float(g.rock_cut_height_m(1.0, 1.0)) == 0.0


def test_vector_equals_scalar():
    seams = np.array([0.6, 0.7, 0.8, 0.9, 1.3])
    convergences = np.array([0.0, 0.02, 0.04, 0.08, 0.12])
    spare = g.spare_clearance_m(seams, 0.588, CANOPY_M, convergences)
    required = g.required_cutting_height_m(0.588, 0.02, CANOPY_M, convergences)
    rock = g.rock_cut_height_m(seams, required)
    for i in range(seams.size):
        assert spare[i] == pytest.approx(
            float(g.spare_clearance_m(seams[i], 0.588, CANOPY_M, convergences[i]))
        )
        req_i = float(g.required_cutting_height_m(0.588, 0.02, CANOPY_M, convergences[i]))
        assert required[i] == pytest.approx(req_i)
        assert rock[i] == pytest.approx(float(g.rock_cut_height_m(seams[i], req_i)))


_m = st.floats(min_value=0.0, max_value=3.0)


@given(
    seam_m=_m,
    machine_m=st.floats(min_value=0.3, max_value=2.0),
    canopy_m=st.floats(0.05, 0.3),
    convergence_m=st.floats(0.0, 0.3),
    margin_m=st.floats(0.0, 0.3),
)
def test_rock_plus_seam_is_the_cutting_height(seam_m, machine_m, canopy_m, convergence_m, margin_m):
    required = g.required_cutting_height_m(machine_m, margin_m, canopy_m, convergence_m)
    rock = float(g.rock_cut_height_m(seam_m, required))
    assert rock >= 0.0
    assert float(g.cutting_height_m(seam_m, required)) == pytest.approx(seam_m + rock)
    # No rock exactly when the spare clearance covers the design margin.
    spare = float(g.spare_clearance_m(seam_m, machine_m, canopy_m, convergence_m))
    assert rock == pytest.approx(max(0.0, margin_m - spare), abs=1e-12)


def test_doctests():
    result = doctest.testmod(g)
    assert result.attempted > 0
    assert result.failed == 0
