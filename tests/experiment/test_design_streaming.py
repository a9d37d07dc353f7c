"""A large grid is streamed: its points are computed when asked for, and it is checked
section by section, never materialised (issue: a sweep never loses a run, item 4)."""

from __future__ import annotations

import itertools
import tracemalloc

import pytest

from seamsim.experiment.design_points import Design, GridPoints
from seamsim.experiment.design_validation import validate_design
from seamsim.experiment.designs import grid
from seamsim.scenario import Scenario, ScenarioError, apply_overrides


def test_grid_points_match_the_full_product_in_order_and_by_index():
    values = {"seam.height_m": [0.7, 0.8, 0.9], "crew.patrol": [0, 1], "roof.convergence_mm": [20.0, 40.0, 60.0, 80.0]}
    design = grid(values)
    expected = [dict(zip(values, combo, strict=True)) for combo in itertools.product(*values.values())]
    assert isinstance(design.points, GridPoints)
    assert len(design) == 24
    assert list(design.points) == expected
    assert [design.points[i] for i in range(24)] == expected
    assert design.points[-1] == expected[-1]
    assert design.points[2:5] == expected[2:5]
    with pytest.raises(IndexError):
        design.points[24]


def test_a_million_point_grid_is_built_checked_and_stored_without_holding_its_points():
    scenario = Scenario()
    tracemalloc.start()
    try:
        design = grid({"seam.height_m": "0.7:1.0:1000", "roof.convergence_mm": "20:60:1000"})
        validate_design(design, [scenario])
        stored = design.to_dict()
        peak_bytes = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert len(design) == 1_000_000
    assert peak_bytes < 20e6  # a materialised million dicts is about 460 MB
    assert "points" not in stored and stored["size"] == 1_000_000
    again = Design.from_dict(stored)
    assert again == design
    assert again.points[123_456] == design.points[123_456]


def test_a_small_grid_keeps_its_points_in_the_manifest():
    design = grid({"seam.height_m": [0.7, 0.8]})
    stored = design.to_dict()
    assert stored["points"] == [{"seam.height_m": 0.7}, {"seam.height_m": 0.8}]
    assert Design.from_dict(stored) == design


def test_a_rule_joining_two_fields_of_one_section_is_found_at_its_point():
    # patrol_qualified_fitters may not exceed patrol: only the combination (patrol 1, fitters 2) breaks it
    design = grid({"seam.height_m": [0.8, 0.9], "crew.patrol": [1, 2], "crew.patrol_qualified_fitters": [0, 2]})
    with pytest.raises(ScenarioError) as caught:
        validate_design(design, [Scenario()])
    text = str(caught.value)
    assert "cannot exceed patrol" in text
    point = int(text.split("design point ")[1].split()[0])
    assert design.points[point]["crew.patrol"] == 1 and design.points[point]["crew.patrol_qualified_fitters"] == 2


def test_the_schema_has_no_rule_across_sections():
    """The section-by-section check of a grid is complete only while every rule lives in one section."""
    assert not Scenario.__pydantic_decorators__.model_validators
    assert not Scenario.__pydantic_decorators__.field_validators


def test_overrides_on_a_validated_scenario_are_still_type_checked():
    with pytest.raises(ScenarioError, match="seam.height_m"):
        apply_overrides(Scenario(), {"seam.height_m": True})
    with pytest.raises(ScenarioError, match="crew.patrol"):
        apply_overrides(Scenario(), {"crew": {"patrol": "yes"}})
    assert apply_overrides(Scenario(), {"seam.height_m": 0.9}).seam.height_m == 0.9
