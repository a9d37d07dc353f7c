"""Designs: the documented number of points, field types, parsing, validation, sensitivity."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import numpy as np
import pytest

from seamsim.experiment.design_points import points
from seamsim.experiment.design_validation import validate_design
from seamsim.experiment.designs import (
    Design,
    Range,
    design_from_spec,
    field_info,
    grid,
    latin_hypercube,
    morris,
    parse_vary,
    sensitivity,
    sobol,
)
from seamsim.experiment.runner import run_experiment
from seamsim.scenario import Scenario, ScenarioError

ROOT = Path(__file__).resolve().parents[2]
AFTER = ROOT / "scenarios" / "article_after_3300v.yaml"
RANGES = {"seam.height_m": (0.72, 0.95), "operation.eh_shield_cycle_s": (6.0, 20.0), "face.end_shields": (2, 8)}


# --------------------------------------------------------------------------------------
# Sizes
# --------------------------------------------------------------------------------------
def test_grid_has_the_product_of_the_value_counts():
    d = grid({"seam.height_m": [0.7, 0.8], "machine.cutting_power_kw": "400:800:5",
              "operation.shield_control": ["manual", "electrohydraulic"]})
    assert len(d) == 2 * 5 * 2
    assert d.fields == ("seam.height_m", "machine.cutting_power_kw", "operation.shield_control")
    assert d.points[0] == {"seam.height_m": 0.7, "machine.cutting_power_kw": 400.0, "operation.shield_control": "manual"}
    assert d.points[1]["operation.shield_control"] == "electrohydraulic"  # the last field varies fastest
    assert [p["machine.cutting_power_kw"] for p in d.points[::2][:5]] == [400.0, 500.0, 600.0, 700.0, 800.0]


@pytest.mark.parametrize("n", [1, 7, 20])
def test_latin_hypercube_has_n_points(n):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        d = latin_hypercube(RANGES, n, seed=3)
    assert len(d) == n
    x = np.array(d.samples)
    for j, (lo, hi) in enumerate(RANGES.values()):
        assert x[:, j].min() >= lo and x[:, j].max() <= hi
        # one sample in each of the n strata
        strata = np.floor((x[:, j] - lo) / (hi - lo) * n).clip(0, n - 1)
        assert sorted(strata) == list(range(n))


@pytest.mark.parametrize(("n", "second", "expected"), [(8, False, 8 * (3 + 2)), (16, True, 16 * (2 * 3 + 2))])
def test_sobol_has_n_times_d_plus_2_or_2d_plus_2_points(n, second, expected):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        d = sobol(RANGES, n, seed=1, second_order=second)
    assert len(d) == expected
    assert d.options["second_order"] is second


@pytest.mark.parametrize(("r", "levels"), [(10, 4), (12, 6)])
def test_morris_has_r_times_d_plus_1_points(r, levels):
    d = morris(RANGES, r, levels, seed=2)
    assert len(d) == r * (len(RANGES) + 1)


def test_sobol_warns_when_n_is_not_a_power_of_two_or_small():
    with pytest.warns(UserWarning, match="power of two"):
        sobol(RANGES, 100)
    with pytest.warns(UserWarning, match="wide confidence intervals"):
        sobol(RANGES, 128)  # below the 256 the warning names
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        sobol(RANGES, 256)  # no warning (256 is the least recommended N, 512 the default)


def test_small_morris_and_lhs_warn():
    with pytest.warns(UserWarning, match="trajectories"):
        morris(RANGES, 4)
    with pytest.warns(UserWarning, match="sparse"):
        latin_hypercube(RANGES, 2)


def test_samplers_are_reproducible_from_their_seed():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert sobol(RANGES, 8, seed=4).points == sobol(RANGES, 8, seed=4).points
        assert sobol(RANGES, 8, seed=4).points != sobol(RANGES, 8, seed=5).points
    assert latin_hypercube(RANGES, 9, 1).points == latin_hypercube(RANGES, 9, 1).points


# --------------------------------------------------------------------------------------
# Field types
# --------------------------------------------------------------------------------------
def test_integer_fields_are_rounded_half_up():
    d = grid({"face.end_shields": "2:6:9"})  # 2, 2.5, 3, … → 2, 3, 3, … (repeats dropped)
    assert [p["face.end_shields"] for p in d.points] == [2, 3, 4, 5, 6]
    assert all(isinstance(p["face.end_shields"], int) for p in d.points)
    lhs = latin_hypercube({"face.end_shields": (2, 8)}, 10, seed=0)
    assert all(isinstance(p["face.end_shields"], int) and 2 <= p["face.end_shields"] <= 8 for p in lhs.points)


def test_float_fields_become_floats():
    d = grid({"seam.height_m": [1, 0.8]})
    assert d.points[0]["seam.height_m"] == 1.0 and isinstance(d.points[0]["seam.height_m"], float)


def test_field_kinds_come_from_the_schema():
    assert field_info("seam.height_m").kind == "float"
    assert field_info("face.end_shields").kind == "int"
    assert field_info("operation.remote_control").kind == "bool"
    voltage = field_info("electrical.supply_voltage_v")
    assert voltage.kind == "choice" and voltage.choices == (1140, 3300)
    assert field_info("failures.shearer.mean_time_between_failures_h").kind == "float"
    assert field_info("machine.set_cutting_speed_m_per_min").kind == "float"  # optional float


def test_categorical_fields_only_in_grids():
    d = grid({"electrical.supply_voltage_v": [1140, 3300], "operation.remote_control": [True, False]})
    assert len(d) == 4
    for sampler in (lambda r: latin_hypercube(r, 5), lambda r: sobol(r, 8), lambda r: morris(r, 10)):
        with pytest.raises(ScenarioError, match="only be varied in a grid"):
            sampler({"electrical.supply_voltage_v": (1140, 3300)})
    with pytest.raises(ScenarioError, match="list its values"):
        grid({"operation.shield_control": Range(0, 1, 2)})


def test_unknown_fields_and_sections_are_refused_with_validate_messages():
    with pytest.raises(ScenarioError) as err:
        grid({"seam.hieght_m": [0.7]})
    assert str(err.value) == "--vary: seam.hieght_m: unknown key — did you mean `height_m`?"
    with pytest.raises(ScenarioError, match="is a section"):
        grid({"seam": [1]})
    with pytest.raises(ScenarioError, match="cannot be varied"):
        grid({"name": ["a", "b"]})


# --------------------------------------------------------------------------------------
# --vary
# --------------------------------------------------------------------------------------
def test_parse_vary_lists_and_ranges():
    spec = parse_vary([
        "seam.height_m=0.7,0.8", "machine.cutting_power_kw=400:800:5",
        "operation.shield_control=manual,electrohydraulic", "operation.remote_control=true,false",
        "roof.convergence_mm=20:60",
    ])
    assert spec == {
        "seam.height_m": [0.7, 0.8],
        "machine.cutting_power_kw": Range(400.0, 800.0, 5),
        "operation.shield_control": ["manual", "electrohydraulic"],
        "operation.remote_control": [True, False],
        "roof.convergence_mm": Range(20.0, 60.0, None),
    }


@pytest.mark.parametrize(
    ("item", "message"),
    [
        ("seam.height_m", "expected key=a,b,c"),
        ("seam.hieght_m=1,2", "did you mean `height_m`"),
        ("seam.height_m=", "no values given"),
    ],
)
def test_parse_vary_refuses_bad_items(item, message):
    with pytest.raises(ScenarioError, match=message):
        parse_vary([item])


def test_a_grid_range_needs_a_count():
    with pytest.raises(ScenarioError, match="needs a count"):
        grid(parse_vary(["seam.height_m=0.7:0.9"]))


def test_design_from_spec_builds_each_kind():
    spec = parse_vary(["seam.height_m=0.7:0.9:3", "roof.convergence_mm=20:60:2"])
    assert len(design_from_spec("grid", spec)) == 6
    assert len(design_from_spec("lhs", spec, 5)) == 5
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert len(design_from_spec("sobol", spec, 8)) == 8 * 4
        assert len(design_from_spec("sobol", spec, 8, second_order=True)) == 8 * 6
    assert len(design_from_spec("morris", spec, 10)) == 10 * 3
    with pytest.raises(ValueError, match="unknown design"):
        design_from_spec("taguchi", spec)


def test_design_round_trips_through_json():
    d = morris(RANGES, 10, seed=1)
    again = Design.from_dict(json.loads(json.dumps(d.to_dict())))
    assert again == d
    assert list(d.frame().columns) == ["point", *RANGES]


def test_points_design_from_a_list_of_overrides():
    d = points([{"seam.height_m": 0.7}, {"seam.height_m": 0.9}])
    assert d.kind == "points" and len(d) == 2
    with pytest.raises(ValueError, match="varies"):
        points([{"seam.height_m": 0.7}, {"roof.convergence_mm": 10}])


# --------------------------------------------------------------------------------------
# Validation against a scenario
# --------------------------------------------------------------------------------------
def test_validation_names_the_field_and_the_bound():
    with pytest.raises(ScenarioError) as err:
        validate_design(grid({"seam.height_m": [0.7, 8]}), [Scenario()])
    assert "seam.height_m: 8.0 is above the maximum 3.0 [m]" in str(err.value)
    assert "design point 1" in str(err.value)


def test_validation_checks_the_range_ends_as_typed():
    with pytest.raises(ScenarioError, match=r"seam\.height_m: 5\.0 is above the maximum 3\.0"):
        validate_design(latin_hypercube({"seam.height_m": (0.7, 5)}, 4), [Scenario()])


def test_validation_sees_cross_field_rules_of_the_scenario():
    design = grid({"calendar.shifts_per_day": [3, 4]})  # 4 × 8 h do not fit in a day
    with pytest.raises(ScenarioError, match="do not fit in a 24 h day"):
        validate_design(design, [Scenario()])


# --------------------------------------------------------------------------------------
# Sensitivity
# --------------------------------------------------------------------------------------
def test_sobol_sensitivity_on_replication_means(after):
    ranges = {"seam.height_m": (0.72, 0.95), "operation.eh_shield_cycle_s": (6.0, 20.0)}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        design = sobol(ranges, 16, seed=0)
    ex = run_experiment(after, 2, seed=0, days=1, design=design, executor="serial")
    table = sensitivity(ex, "rom_t_per_month", num_resamples=200)
    assert list(table["field"]) == list(ranges)
    assert {"S1", "S1_ci95_lo", "S1_ci95_hi", "ST", "ST_ci95_lo", "ST_ci95_hi"} <= set(table.columns)
    assert (table["S1_ci95_lo"] <= table["S1"]).all() and (table["S1"] <= table["S1_ci95_hi"]).all()
    # The seam height drives output; the shield cycle barely matters on this face.
    height, cycle = table.set_index("field").loc[list(ranges), "ST"]
    assert height > cycle


def test_morris_sensitivity_and_wrong_designs(after):
    design = morris({"seam.height_m": (0.72, 0.95), "roof.convergence_mm": (20, 60)}, 10, seed=0)
    ex = run_experiment(after, 2, seed=0, days=1, design=design, executor="serial")
    table = sensitivity(ex, "rom_t_per_month", num_resamples=200)
    assert {"mu", "mu_star", "mu_star_ci95_lo", "mu_star_ci95_hi", "sigma"} <= set(table.columns)
    assert (table["mu_star"] >= 0).all()
    plain = run_experiment(after, 2, seed=0, days=1, design=grid({"seam.height_m": [0.8, 0.9]}), executor="serial")
    with pytest.raises(ValueError, match="sobol or morris"):
        sensitivity(plain)
    with pytest.raises(ValueError, match="unknown KPI"):
        sensitivity(ex, "tonnes")
