"""Electrical physics against the worked example of docs/model.md §3b and limiting cases."""

from __future__ import annotations

import doctest

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from seamsim.physics import electrical as el

# docs/model.md §3b worked example inputs: cos φ 0.86, η 0.93, L = 0.45 km, 65 °C, X' = 0.08 Ω/km.
COS_PHI = 0.86
ETA = 0.93
LENGTH_M = 450.0
TEMPERATURE_C = 65.0
X_OHM_PER_M = 0.08e-3
K_LR = 6.0
COS_PHI_START = 0.3


def _current_a(power_w: float, voltage_v: float) -> float:
    return float(el.line_current_a(power_w, voltage_v, COS_PHI, ETA))


def _drop_v(power_w: float, voltage_v: float, csa_mm2: int) -> float:
    r = float(el.cable_resistance_ohm_per_m(csa_mm2, TEMPERATURE_C))
    return float(
        el.voltage_drop_v(_current_a(power_w, voltage_v), LENGTH_M, r, X_OHM_PER_M, COS_PHI)
    )


@pytest.mark.parametrize(
    ("power_kw", "voltage_v", "csa_mm2", "current_a", "drop_v", "drop_pct"),
    [
        (500, 1140, 95, 317, 62, 5.5),
        (700, 1140, 95, 443, 88, 7.7),
        (500, 3300, 35, 109, 52, 1.6),
        (700, 3300, 50, 153, 52, 1.6),
    ],
)
def test_worked_table_current_and_running_drop(
    power_kw, voltage_v, csa_mm2, current_a, drop_v, drop_pct
):
    """§5.3 table rows: current within 1 A, drop within 3 V and 0.2 percentage points."""
    assert _current_a(power_kw * 1e3, voltage_v) == pytest.approx(current_a, abs=1.0)
    drop = _drop_v(power_kw * 1e3, voltage_v, csa_mm2)
    assert drop == pytest.approx(drop_v, abs=3.0)
    assert drop / voltage_v * 100 == pytest.approx(drop_pct, abs=0.2)


@pytest.mark.parametrize(
    ("voltage_v", "csa_mm2", "loss_kw"),
    [(1140, 95, 66.0), (3300, 50, 15.0)],
)
def test_worked_cable_copper_loss_at_700_kw(voltage_v, csa_mm2, loss_kw):
    """§5.3: ≈66 kW at 1,140 V on 3×95 against ≈15 kW at 3,300 V on 3×50 (within 5 %)."""
    r = float(el.cable_resistance_ohm_per_m(csa_mm2, TEMPERATURE_C))
    loss_w = float(el.cable_copper_loss_w(_current_a(700e3, voltage_v), r, LENGTH_M))
    assert loss_w / 1e3 == pytest.approx(loss_kw, rel=0.05)


@pytest.mark.parametrize(
    ("voltage_v", "csa_mm2", "dip_pct"),
    [(1140, 95, 16.0), (3300, 50, 3.0)],
)
def test_worked_start_dip(voltage_v, csa_mm2, dip_pct):
    """§5.3: one 300 kW motor starting with 400 kW running: ≈16 % against ≈3 %."""
    r = float(el.cable_resistance_ohm_per_m(csa_mm2, TEMPERATURE_C))
    dip_v = el.start_dip_v(
        300e3, 400e3, voltage_v, LENGTH_M, r, X_OHM_PER_M, COS_PHI, ETA, K_LR, COS_PHI_START
    )
    assert dip_v / voltage_v * 100 == pytest.approx(dip_pct, abs=0.6)


def test_700_kw_at_1140_v_overloads_a_single_3x95():
    """§5.3: 443 A is above a single 3×95's ≈260 A; two cables carry it."""
    current = _current_a(700e3, 1140)
    assert float(el.cable_loading(current, el.cable_ampacity_a(95))) > 1.0
    assert float(el.cable_loading(current, el.cable_ampacity_a(95, cable_count=2))) < 1.0


def test_resistance_temperature_factors():
    """§5.1: ×1.177 at 65 °C and ×1.275 at 90 °C; parallel cables divide it."""
    r20 = float(el.cable_resistance_ohm_per_m(95, 20.0))
    assert r20 == pytest.approx(0.206e-3)
    assert float(el.cable_resistance_ohm_per_m(95, 65.0)) / r20 == pytest.approx(1.177, abs=1e-3)
    assert float(el.cable_resistance_ohm_per_m(95, 90.0)) / r20 == pytest.approx(1.275, abs=1e-3)
    assert float(el.cable_resistance_ohm_per_m(95, 65.0, cable_count=2)) == pytest.approx(
        float(el.cable_resistance_ohm_per_m(95, 65.0)) / 2
    )


def test_allowed_voltage_drop():
    """§5.1: 117 V on 1,140 V, 315 V on 3,300 V, 63 V on 660 V."""
    assert el.allowed_voltage_drop_v(1140) == pytest.approx(117.0)
    assert el.allowed_voltage_drop_v(3300) == pytest.approx(315.0)
    assert el.allowed_voltage_drop_v(660) == pytest.approx(63.0)


def test_zero_cable_length_gives_no_drop_no_loss_no_dip():
    r = float(el.cable_resistance_ohm_per_m(95, TEMPERATURE_C))
    current = _current_a(700e3, 1140)
    assert float(el.voltage_drop_v(current, 0.0, r, X_OHM_PER_M, COS_PHI)) == 0.0
    assert float(el.cable_copper_loss_w(current, r, 0.0)) == 0.0
    assert (
        el.start_dip_v(300e3, 400e3, 1140, 0.0, r, X_OHM_PER_M, COS_PHI, ETA, K_LR, COS_PHI_START)
        == 0.0
    )
    assert float(el.terminal_voltage_v(1140, 0.0)) == 1140.0


def test_zero_current_gives_no_drop():
    r = float(el.cable_resistance_ohm_per_m(50, TEMPERATURE_C))
    assert float(el.line_current_a(0.0, 3300, COS_PHI, ETA)) == 0.0
    assert float(el.voltage_drop_v(0.0, LENGTH_M, r, X_OHM_PER_M, COS_PHI)) == 0.0
    assert float(el.cable_copper_loss_w(0.0, r, LENGTH_M)) == 0.0


def test_usable_power_fraction():
    assert float(el.usable_power_fraction(1140, 1140)) == 1.0
    assert float(el.usable_power_fraction(0.95 * 1140, 1140)) == pytest.approx(1.0)
    assert float(el.usable_power_fraction(0.90 * 1140, 1140)) == pytest.approx(0.90 / 0.95)
    assert float(el.usable_power_fraction(-10.0, 1140)) == 0.0


def test_trip_rate_is_base_rate_for_a_healthy_supply():
    assert el.electrical_trip_rate_per_h(
        0.06, 0.25, 0.05, 0.5, 0.0, 0.25, 0.0, 0.1, 0.5
    ) == pytest.approx(0.06)
    # Each term adds as documented: dip at its limit, drop at its allowance, 20 % overload.
    rate = el.electrical_trip_rate_per_h(0.06, 0.25, 0.05, 0.5, 0.25, 0.25, 0.1, 0.1, 1.2)
    assert rate == pytest.approx(0.06 + 0.25 + 0.05 + 0.5 * 0.2)


def test_vector_equals_scalar():
    powers_w = np.array([0.0, 300e3, 500e3, 700e3, 900e3])
    r = float(el.cable_resistance_ohm_per_m(70, TEMPERATURE_C))
    currents = el.line_current_a(powers_w, 3300, COS_PHI, ETA)
    drops = el.voltage_drop_v(currents, LENGTH_M, r, X_OHM_PER_M, COS_PHI)
    losses = el.cable_copper_loss_w(currents, r, LENGTH_M)
    for i, power_w in enumerate(powers_w):
        current = float(el.line_current_a(float(power_w), 3300, COS_PHI, ETA))
        assert currents[i] == pytest.approx(current)
        assert drops[i] == pytest.approx(
            float(el.voltage_drop_v(current, LENGTH_M, r, X_OHM_PER_M, COS_PHI))
        )
        assert losses[i] == pytest.approx(float(el.cable_copper_loss_w(current, r, LENGTH_M)))
    temperatures = np.array([20.0, 65.0, 90.0])
    resistances = el.cable_resistance_ohm_per_m(95, temperatures)
    for i, theta in enumerate(temperatures):
        assert resistances[i] == pytest.approx(
            float(el.cable_resistance_ohm_per_m(95, float(theta)))
        )


_power_w = st.floats(min_value=1e3, max_value=3e6)
_length_m = st.floats(min_value=1.0, max_value=3000.0)
_csa = st.sampled_from(sorted(el.CABLE_R20_OHM_PER_KM))
_cos = st.floats(min_value=0.5, max_value=1.0)


@given(
    power_w=_power_w,
    length_m=_length_m,
    extra_m=st.floats(min_value=1.0, max_value=1000.0),
    csa_mm2=_csa,
    cos_phi=_cos,
)
def test_drop_rises_with_length(power_w, length_m, extra_m, csa_mm2, cos_phi):
    r = float(el.cable_resistance_ohm_per_m(csa_mm2, TEMPERATURE_C))
    current = float(el.line_current_a(power_w, 1140, cos_phi, ETA))
    shorter = float(el.voltage_drop_v(current, length_m, r, X_OHM_PER_M, cos_phi))
    longer = float(el.voltage_drop_v(current, length_m + extra_m, r, X_OHM_PER_M, cos_phi))
    assert longer > shorter > 0.0


@given(
    current_a=st.floats(min_value=0.1, max_value=2000.0),
    factor=st.floats(min_value=1.01, max_value=10.0),
    length_m=_length_m,
    csa_mm2=_csa,
    cos_phi=_cos,
)
def test_drop_rises_with_current(current_a, factor, length_m, csa_mm2, cos_phi):
    r = float(el.cable_resistance_ohm_per_m(csa_mm2, TEMPERATURE_C))
    low = float(el.voltage_drop_v(current_a, length_m, r, X_OHM_PER_M, cos_phi))
    high = float(el.voltage_drop_v(current_a * factor, length_m, r, X_OHM_PER_M, cos_phi))
    assert high > low > 0.0


@given(power_w=_power_w, cos_phi=_cos, eta=st.floats(min_value=0.7, max_value=1.0))
def test_current_at_3300_v_is_1140_over_3300_of_the_1140_v_current(power_w, cos_phi, eta):
    i_1140 = float(el.line_current_a(power_w, 1140, cos_phi, eta))
    i_3300 = float(el.line_current_a(power_w, 3300, cos_phi, eta))
    assert i_3300 == pytest.approx(i_1140 * 1140 / 3300, rel=1e-12)


def test_doctests():
    result = doctest.testmod(el)
    assert result.attempted > 0
    assert result.failed == 0
