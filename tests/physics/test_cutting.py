"""Cutting physics: specific energy of a mix, the speed limits and the least of them."""

from __future__ import annotations

import doctest
import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from seamsim.physics import cutting as c

KWH = 3.6e6


def test_power_limited_speed_matches_hand_arithmetic():
    """600 kW, η_d 0.85, web 0.63 m, 0.8 m at 1.5 kWh/m³: 0.85·600/(0.63·0.8·1.5) m/h."""
    v = float(c.power_limited_speed_m_per_s(600e3, 0.85, 1.0, 0.63, 0.8, 1.5 * KWH))
    assert v * 3600 == pytest.approx(0.85 * 600 / (0.63 * 0.8 * 1.5))
    assert v * 60 == pytest.approx(11.24, abs=0.01)


def test_pick_limited_speed():
    """docs/model.md §4 (P3): 30 mm chips, 2 picks per line, 80 rpm → 4.8 m/min."""
    assert c.pick_limited_speed_m_per_s(0.030, 2, 80.0) * 60 == pytest.approx(4.8)


def test_mix_specific_energy():
    e_c, e_r = 1.5 * KWH, 6.0 * KWH
    assert float(c.mix_specific_energy_j_per_m3(0.8, 0.0, e_c, e_r)) == pytest.approx(e_c)
    assert float(c.mix_specific_energy_j_per_m3(0.0, 0.1, e_c, e_r)) == pytest.approx(e_r)
    mix = float(c.mix_specific_energy_j_per_m3(0.8, 0.04, e_c, e_r))
    assert mix == pytest.approx((0.8 * e_c + 0.04 * e_r) / 0.84)
    assert float(c.mix_specific_energy_j_per_m3(0.8, 0.04, e_c, e_r, 1.25)) == pytest.approx(
        1.25 * mix
    )
    # Nothing cut: the coal value, not a division by zero.
    assert float(c.mix_specific_energy_j_per_m3(0.0, 0.0, e_c, e_r)) == pytest.approx(e_c)


def test_rock_slows_the_power_limited_speed():
    e_c, e_r = 1.5 * KWH, 6.0 * KWH
    coal_only = float(c.power_limited_speed_m_per_s(600e3, 0.85, 1.0, 0.63, 0.8, e_c))
    mix = c.mix_specific_energy_j_per_m3(0.8, 0.04, e_c, e_r)
    with_rock = float(c.power_limited_speed_m_per_s(600e3, 0.85, 1.0, 0.63, 0.84, mix))
    assert with_rock < coal_only


def test_conveyor_limit_with_and_against_chain():
    q_kg_per_s = 400e3 / 3600  # 400 t/h
    chain = 1.1
    m = 0.63 * 0.8 * 1380 * 0.97  # kg per metre of travel
    with_chain = float(c.conveyor_limited_speed_m_per_s(q_kg_per_s, chain, m, True))
    assert with_chain == pytest.approx(q_kg_per_s / (m + q_kg_per_s / chain))
    against = float(c.conveyor_limited_speed_m_per_s(q_kg_per_s, chain, m, False))
    assert against == pytest.approx(q_kg_per_s / (m - q_kg_per_s / chain))
    assert against > with_chain
    # A light load against the chain is not limited by the conveyor.
    assert math.isinf(float(c.conveyor_limited_speed_m_per_s(q_kg_per_s, chain, 10.0, False)))


def test_least_speed_limit_picks_the_minimum_and_names_it():
    limits = {
        "set": np.inf,
        "power": 0.19,
        "pick": 0.08,
        "conveyor": 0.14,
        "shields": 0.15,
        "machine": 0.1,
    }
    speed, index = c.least_speed_limit(limits)
    assert float(speed) == pytest.approx(0.08)
    assert list(limits)[int(index)] == "pick"


def test_least_speed_limit_ties_go_to_the_first_named():
    speed, index = c.least_speed_limit({"set": 0.05, "power": 0.05, "pick": 0.07})
    assert float(speed) == 0.05
    assert int(index) == 0


def test_least_speed_limit_broadcasts_arrays_and_scalars():
    power = np.array([0.2, 0.05, 0.1])
    speed, index = c.least_speed_limit({"set": np.inf, "power": power, "pick": 0.08})
    assert speed.tolist() == pytest.approx([0.08, 0.05, 0.08])
    assert index.tolist() == [2, 1, 2]


def test_vector_equals_scalar():
    heights = np.array([0.6, 0.8, 1.0, 1.3])
    energies = np.array([1.2, 1.5, 2.0, 2.4]) * KWH
    v = c.power_limited_speed_m_per_s(600e3, 0.85, 1.0, 0.63, heights, energies)
    for i in range(heights.size):
        assert v[i] == pytest.approx(
            float(c.power_limited_speed_m_per_s(600e3, 0.85, 1.0, 0.63, heights[i], energies[i]))
        )
    masses = np.array([50.0, 300.0, 700.0])
    directions = np.array([True, False, True])
    vc = c.conveyor_limited_speed_m_per_s(111.0, 1.1, masses, directions)
    for i in range(masses.size):
        assert vc[i] == pytest.approx(
            float(c.conveyor_limited_speed_m_per_s(111.0, 1.1, masses[i], directions[i]))
        )


_speed = st.one_of(st.floats(min_value=0.0, max_value=1.0), st.just(math.inf))


@given(
    st.lists(
        st.tuples(st.sampled_from(c.SPEED_LIMIT_NAMES), _speed),
        min_size=1,
        max_size=6,
        unique_by=lambda t: t[0],
    )
)
def test_least_speed_limit_returns_the_min_and_a_valid_index(pairs):
    limits = dict(pairs)
    speed, index = c.least_speed_limit(limits)
    values = list(limits.values())
    assert float(speed) == min(values)
    assert 0 <= int(index) < len(values)
    assert values[int(index)] == min(values)
    assert int(index) == values.index(min(values))  # ties go to the first named


@given(
    st.lists(st.floats(min_value=0.001, max_value=1.0), min_size=1, max_size=20),
    st.lists(st.floats(min_value=0.001, max_value=1.0), min_size=1, max_size=20),
)
def test_least_speed_limit_vectorised(power, pick):
    n = min(len(power), len(pick))
    p, k = np.array(power[:n]), np.array(pick[:n])
    speed, index = c.least_speed_limit({"power": p, "pick": k})
    assert np.array_equal(speed, np.minimum(p, k))
    assert set(np.unique(index)).issubset({0, 1})


@given(power_w=st.floats(1e4, 3e6), extra=st.floats(1.01, 3.0))
def test_more_power_never_slows_the_power_limit(power_w, extra):
    slow = float(c.power_limited_speed_m_per_s(power_w, 0.85, 1.0, 0.63, 0.8, 1.5 * KWH))
    fast = float(c.power_limited_speed_m_per_s(power_w * extra, 0.85, 1.0, 0.63, 0.8, 1.5 * KWH))
    assert fast > slow


def test_doctests():
    result = doctest.testmod(c)
    assert result.attempted > 0
    assert result.failed == 0
