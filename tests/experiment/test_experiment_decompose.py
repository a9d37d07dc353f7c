"""decompose: steps in the stated order, adding up to the total difference."""

from __future__ import annotations

import pytest

from seamsim import decompose
from seamsim.experiment.decompose import DEFAULT_FACTORS, assign_factors, differing_fields
from seamsim.scenario import apply_overrides

ORDER = [name for name, _ in DEFAULT_FACTORS]


@pytest.fixture(scope="module")
def result(before, after):
    return decompose(before, after, replications=4, seed=0, days=3, executor="serial")


def test_steps_are_in_the_stated_order(result):
    assert result.order == [f for f in ORDER if f in result.order]
    assert result.order[:4] == ["voltage and machine", "shield control", "face-end automation", "remote control"]
    assert list(result.steps["factor"]) == result.order
    assert list(result.steps["order"]) == list(range(1, len(result.order) + 1))


def test_steps_sum_to_the_total_difference(result):
    total = result.total["delta"]
    assert result.steps["delta"].sum() == pytest.approx(total, rel=1e-9)
    assert result.total["b_mean"] - result.total["a_mean"] == pytest.approx(total, rel=1e-9)
    assert result.steps["share"].sum() == pytest.approx(1.0, rel=1e-9)
    assert result.steps["mean"].iloc[-1] == pytest.approx(result.total["b_mean"], rel=1e-12)
    runs = result.experiment.runs
    start = runs[runs.scenario == result.a]
    for kpi, block in result.deltas.groupby("kpi"):
        if kpi == "kwh_per_t":
            continue  # undefined for a run that produces nothing: it does not telescope
        expected = block["mean"].iloc[-1] - start[kpi].mean()
        assert block["delta"].sum() == pytest.approx(expected, rel=1e-9, abs=1e-9), kpi


def test_each_step_has_a_paired_interval(result):
    steps = result.steps
    assert (steps["ci95_lo"] <= steps["delta"]).all() and (steps["delta"] <= steps["ci95_hi"]).all()
    assert (steps["status"] == "ok").all() and (steps["n"] == 4).all()
    crew = steps.set_index("factor").loc["crew"]  # crew size does not change tonnes here
    assert crew["delta"] == 0.0 and crew["ci95_lo"] == 0.0


def test_fields_go_to_the_first_matching_factor(before, after):
    fields = differing_fields(before, after)
    assert "electrical.supply_voltage_v" in fields and "name" not in fields
    assigned = assign_factors(list(fields))
    assert "crew.remote_operators" in assigned["remote control"]
    assert "failures.comms_outage_rate_per_h" in assigned["remote control"]
    assert "crew.shield_men" in assigned["crew"]
    assert "operation.shield_control" in assigned["shield control"]
    assert assign_factors(["operation.manual_shield_valve_s"]) == {"shield control": ["operation.manual_shield_valve_s"]}
    assert assign_factors(["run.days", "operation.cutting_mode"]) == {"other": ["run.days", "operation.cutting_mode"]}


def test_another_order_gives_the_same_total(before, after, result):
    other = decompose(before, after, replications=4, seed=0, days=3, executor="serial",
                      order=["remote control", "voltage and machine"])
    assert other.order[:2] == ["remote control", "voltage and machine"]
    assert other.total["delta"] == pytest.approx(result.total["delta"], rel=1e-12)
    assert other.steps["delta"].sum() == pytest.approx(result.total["delta"], rel=1e-9)
    with pytest.raises(ValueError, match="unknown factors"):
        decompose(before, after, replications=2, days=1, executor="serial", order=["magic"])


def test_an_infeasible_intermediate_step_is_reported_not_raised(after):
    # Remote control off needs drivers at the machine: applied before the crew it is infeasible.
    b = apply_overrides(after, {"operation.remote_control": False, "calendar.handover": "bank_to_bank",
                                "crew.shearer_drivers": 2,
                                "crew.conveyor_drivers": 1, "crew.remote_operators": 0,
                                "seam.height_m": 0.85})
    d = decompose(after, b, replications=3, seed=0, days=2, executor="serial")
    steps = d.steps.set_index("factor")
    assert steps.loc["remote control", "status"] == "infeasible"
    assert "driver" in steps.loc["remote control", "reasons"]
    assert steps.loc["remote control", "mean"] == 0.0
    assert steps["status"].iloc[-1] == "ok"
    assert d.steps["delta"].sum() == pytest.approx(d.total["delta"], rel=1e-9)


def test_identical_scenarios_have_no_steps(after):
    d = decompose(after, after, replications=2, days=1, executor="serial")
    assert d.steps.empty and d.order == [] and d.total["delta"] == 0.0


def test_unknown_kpi_is_refused_before_running(before, after):
    with pytest.raises(ValueError, match="unknown KPI"):
        decompose(before, after, replications=2, kpi="tonnes")
