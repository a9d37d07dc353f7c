"""Shield-advance-limited speed (docs/model.md §4, P4; §6): manual against electro-hydraulic."""

from __future__ import annotations

import doctest

import pytest
from hypothesis import given
from hypothesis import strategies as st

from seamsim.physics import support as s


def test_manual_and_electrohydraulic_speeds():
    """Two manual advances at 60 s per 1.5 m shield: 3 m/min; EH at 10 s, one at a time: 9 m/min."""
    assert s.shield_limited_speed_m_per_s(2, 1.5, 60.0) * 60 == pytest.approx(3.0)
    assert s.shield_limited_speed_m_per_s(1, 1.5, 10.0) * 60 == pytest.approx(9.0)
    assert s.shield_limited_speed_m_per_s(2, 1.5, 8.0) * 60 == pytest.approx(22.5)


def test_nobody_advancing_shields_stops_the_shearer():
    assert s.shield_limited_speed_m_per_s(0, 1.5, 60.0) == 0.0
    assert s.manual_parallel_advances(0, 2, 3) == 0


def test_one_man_short_of_an_advance_still_advances_shields_slower():
    # one man doing the work of two takes twice as long (issue: too small a crew works slower)
    assert s.manual_parallel_advances(1, 2, 3) == 0.5


@pytest.mark.parametrize(
    ("shield_men", "per_advance", "max_parallel", "expected"),
    [
        (0, 2, 3, 0),
        (2, 2, 3, 1),
        (4, 2, 3, 2),
        (5, 2, 3, 2.5),
        (6, 2, 3, 3),
        (12, 2, 3, 3),
        (3, 1, 6, 3),
    ],
)
def test_manual_parallel_advances(shield_men, per_advance, max_parallel, expected):
    assert s.manual_parallel_advances(shield_men, per_advance, max_parallel) == expected


@given(men=st.integers(0, 12), per=st.integers(1, 4), cap=st.integers(1, 6))
def test_parallel_advances_bounded_by_men_and_cap(men, per, cap):
    n = s.manual_parallel_advances(men, per, cap)
    assert 0 <= n <= cap
    assert n * per <= men


@given(
    n=st.integers(1, 6),
    width=st.floats(1.0, 2.5),
    cycle=st.floats(3.0, 600.0),
    extra=st.floats(1.0, 100.0),
)
def test_speed_rises_with_parallel_advances_and_falls_with_cycle_time(n, width, cycle, extra):
    base = s.shield_limited_speed_m_per_s(n, width, cycle)
    assert s.shield_limited_speed_m_per_s(n + 1, width, cycle) > base
    assert s.shield_limited_speed_m_per_s(n, width, cycle + extra) < base


def test_doctests():
    result = doctest.testmod(s)
    assert result.attempted > 0
    assert result.failed == 0
