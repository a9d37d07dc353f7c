"""Order-free decomposition: Shapley values over factor groups, paired over replications."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from seamsim import decompose, shapley_decomposition
from seamsim.experiment.shapley import merge_factors
from seamsim.experiment.shapley_arithmetic import (
    one_order_contributions,
    permutation_shapley_values,
    sampled_orders,
    shapley_values,
)
from seamsim.scenario import apply_overrides

PLAYERS = ["voltage", "shields", "face ends", "remote"]


def _coalitions(players):
    return [frozenset(c) for k in range(len(players) + 1) for c in itertools.combinations(players, k)]


def _additive(players, reps=7, seed=1):
    """v(S) = base + Σ_{i∈S} c_i (each with its own noise per replication)."""
    rng = np.random.default_rng(seed)
    base = rng.normal(1000.0, 50.0, reps)
    effect = {p: rng.normal(100.0 * (k + 1), 10.0, reps) for k, p in enumerate(players)}
    return {s: base + sum((effect[p] for p in s), np.zeros(reps)) for s in _coalitions(players)}, effect


def _interacting(players, reps=7, seed=2):
    """The additive model plus pairwise and three-way interactions (a fast machine is worth more with shields)."""
    values, _ = _additive(players, reps, seed)
    rng = np.random.default_rng(seed + 10)
    pair = {frozenset(p): rng.normal(80.0, 30.0, reps) for p in itertools.combinations(players, 2)}
    triple = rng.normal(-60.0, 5.0, reps)
    out = {}
    for s, v in values.items():
        extra = sum((w for p, w in pair.items() if p <= s), np.zeros(reps))
        if len(s) >= 3:
            extra = extra + triple
        out[s] = v + extra
    return out


def test_shapley_values_add_up_to_the_total_per_replication():
    values = _interacting(PLAYERS)
    phi = shapley_values(values, PLAYERS)
    total = values[frozenset(PLAYERS)] - values[frozenset()]
    np.testing.assert_allclose(sum(phi.values()), total, rtol=1e-12)


def test_on_an_additive_model_shapley_equals_every_one_order_decomposition():
    values, effect = _additive(PLAYERS)
    phi = shapley_values(values, PLAYERS)
    for order in itertools.permutations(PLAYERS):
        steps = one_order_contributions(values, order)
        for p in PLAYERS:
            np.testing.assert_allclose(phi[p], steps[p], rtol=1e-12)
            np.testing.assert_allclose(phi[p], effect[p], rtol=1e-12)


def test_with_interactions_shapley_is_the_mean_over_every_order_and_does_not_depend_on_it():
    values = _interacting(PLAYERS)
    phi = shapley_values(values, PLAYERS)
    orders = list(itertools.permutations(PLAYERS))
    mean, steps = permutation_shapley_values(values, orders)
    assert steps["voltage"].shape == (24, 7)
    waterfalls = [one_order_contributions(values, o)["voltage"].mean() for o in orders]
    assert max(waterfalls) - min(waterfalls) > 50.0  # the one-order answer depends on the order
    for p in PLAYERS:
        np.testing.assert_allclose(mean[p], phi[p], rtol=1e-12)
    for order in orders:
        again = shapley_values(values, list(order))
        for p in PLAYERS:
            np.testing.assert_allclose(again[p], phi[p], rtol=1e-12)


def test_sampled_orders_are_seeded_antithetic_and_still_add_up():
    players = [f"f{i}" for i in range(8)]
    orders = sampled_orders(players, 9, seed=3)
    assert len(orders) == 10 and orders == sampled_orders(players, 9, seed=3)
    assert orders != sampled_orders(players, 9, seed=4)
    assert all(orders[i + 1] == orders[i][::-1] for i in range(0, 10, 2))
    rng = np.random.default_rng(0)
    values = {}
    for order in orders:
        for j in range(len(order) + 1):
            values.setdefault(frozenset(order[:j]), rng.normal(0, 100.0, 5))
    mean, _ = permutation_shapley_values(values, orders)
    np.testing.assert_allclose(sum(mean.values()), values[frozenset(players)] - values[frozenset()], rtol=1e-9,
                               atol=1e-9)
    with pytest.raises(KeyError, match="coalition"):
        shapley_values(values, players)


def test_merge_factors_counts_a_group_as_one():
    merged = merge_factors({"a": ["x.1"], "b": ["y.1"], "c": ["z.1"]}, [("c", "a")], ["a", "b", "c"])
    assert merged == {"c + a": ["z.1", "x.1"], "b": ["y.1"]}
    with pytest.raises(ValueError, match="unknown factors"):
        merge_factors({"a": ["x"]}, [("a", "magic")], ["a"])


# --------------------------------------------------------------------------------------
# With simulation
# --------------------------------------------------------------------------------------
FACTORS = {"machine": ["electrical.*", "machine.*"], "shields": ["operation.*shield*"], "seam": ["seam.*"]}


@pytest.fixture(scope="module")
def three(before, after):
    b = apply_overrides(before, {
        "electrical.supply_voltage_v": after.electrical.supply_voltage_v,
        "electrical.cable_csa_mm2": after.electrical.cable_csa_mm2,
        "operation.shield_control": after.operation.shield_control,
        "seam.height_m": 0.9,
    })
    return before, b.model_copy(update={"name": "b"})


def test_simulated_values_add_up_exactly_to_the_paired_total(three):
    a, b = three
    r = shapley_decomposition(a, b, replications=3, seed=0, factors=FACTORS, days=5, executor="serial")
    assert r.method == "exact" and len(r.coalitions) == 8 and r.factors == ["machine", "shields", "seam"]
    per = r.per_replication
    np.testing.assert_allclose(per[r.factors].sum(axis=1), per["total"], rtol=1e-10)
    assert r.values["shapley"].sum() == pytest.approx(r.total["delta"], rel=1e-10)
    assert r.values["share"].sum() == pytest.approx(1.0, rel=1e-10)
    assert (r.values["ci95_lo"] <= r.values["shapley"]).all() and (r.values["n"] == 3).all()
    assert set(r.table["kpi"]) >= {"rom_t_per_month", "running_ratio"}


def test_simulated_values_do_not_depend_on_the_factor_order(three):
    a, b = three
    r1 = shapley_decomposition(a, b, replications=3, seed=0, factors=FACTORS, days=5, executor="serial")
    reversed_factors = dict(reversed(list(FACTORS.items())))
    r2 = shapley_decomposition(a, b, replications=3, seed=0, factors=reversed_factors, days=5, executor="serial")
    v1 = r1.values.set_index("factor")["shapley"]
    v2 = r2.values.set_index("factor")["shapley"]
    assert r2.factors == ["seam", "shields", "machine"]
    for f in FACTORS:
        assert v2[f] == pytest.approx(v1[f], rel=1e-10, abs=1e-9)


def test_two_factors_give_the_mean_of_the_two_waterfalls(three):
    a, b = three
    factors = {"machine": ["electrical.*"], "rest": ["*"]}
    r = shapley_decomposition(a, b, replications=3, seed=2, factors=factors, days=5, executor="serial")
    d1 = decompose(a, b, replications=3, seed=2, factors=factors, days=5, executor="serial")
    d2 = decompose(a, b, replications=3, seed=2, factors=factors, days=5, executor="serial",
                   order=["rest", "machine"])
    one = d1.steps.set_index("factor")["delta"]
    two = d2.steps.set_index("factor")["delta"]
    assert one["machine"] != pytest.approx(two["machine"], rel=1e-3)  # the order matters here
    values = r.values.set_index("factor")["shapley"]
    for f in ("machine", "rest"):
        assert values[f] == pytest.approx((one[f] + two[f]) / 2, rel=1e-10)


def test_sampled_beyond_the_exact_limit_still_adds_up(three):
    a, b = three
    r = shapley_decomposition(a, b, replications=2, seed=0, factors=FACTORS, days=3, executor="serial",
                              max_exact_groups=2, permutations=2)
    assert r.method == "sampled" and len(r.orders) == 2 and len(r.coalitions) < 8
    assert r.values["shapley"].sum() == pytest.approx(r.total["delta"], rel=1e-10)
    # with as many orders as needed to pass through every coalition it is exact again
    full = shapley_decomposition(a, b, replications=2, seed=0, factors=FACTORS, days=3, executor="serial",
                                 max_exact_groups=2, permutations=40)
    assert full.method == "exact" and not full.orders


def test_an_infeasible_coalition_is_reported(before, after):
    r = shapley_decomposition(before, after, replications=2, seed=0, days=2, executor="serial",
                              together=[("shield control", "face-end automation", "remote control", "crew")])
    assert "shield control + face-end automation + remote control + crew" in r.factors
    assert (r.coalitions["status"] == "ok").all()
    r2 = shapley_decomposition(before, after, replications=2, seed=0, days=2, executor="serial",
                               factors={"crew": ["crew.*"], "rest": ["*"]})
    bad = r2.coalitions.set_index("coalition")
    assert bad.loc["crew", "status"] == "infeasible" and "driver" in bad.loc["crew", "reasons"]
    assert bad.loc["crew", "mean"] == 0.0
