"""The one KPI table: it covers a run's summary exactly, and everyone reads it."""

from __future__ import annotations

import pytest

from dashboard import kpis as shown
from seamsim import simulate
from seamsim.cli.tables import kpi_label
from seamsim.experiment.kpis import (
    KIND_AMOUNT,
    KIND_PERCENT,
    KIND_SHARE,
    KIND_SIGNED,
    KPIS,
    MAIN_KPIS,
    kpi_of,
)
from seamsim.experiment.runner import known_kpis
from seamsim.experiment.stats import quantity_kind
from seamsim.scenario import load_scenario


@pytest.mark.parametrize("name", ["article_after_3300v", "whatif_thin_seam_0_7m"])
def test_the_table_covers_the_summary_exactly(name):
    summary = simulate(load_scenario(name), 3, days=1).summary
    assert set(known_kpis()) == set(summary)
    assert known_kpis()[: len(MAIN_KPIS)] == MAIN_KPIS


def test_every_kpi_is_described():
    for key, entry in KPIS.items():
        assert entry.key == key
        assert entry.label and entry.help, key
        assert entry.kind in (KIND_SHARE, KIND_PERCENT, KIND_AMOUNT, KIND_SIGNED), key
        assert (entry.scale == 100.0) == (entry.kind == KIND_SHARE), key  # shares are shown ×100 as %
    assert set(MAIN_KPIS) <= set(KPIS)


def test_time_and_limit_columns_and_unknown_ones():
    assert kpi_of("time_jam_h").unit == "h" and kpi_of("time_jam_h").kind == KIND_AMOUNT
    assert kpi_of("limit_share_power").kind == KIND_SHARE
    assert kpi_of("nosuch").kind == KIND_SIGNED


def test_statistics_cli_and_dashboard_read_the_same_table():
    for key, entry in KPIS.items():
        assert quantity_kind(key) == entry.kind
        assert shown.kpi(key).label == entry.label and shown.kpi(key).unit == entry.unit
        assert shown.kpi(key).help == entry.help
    assert kpi_label("running_ratio") == "running_ratio"  # a share is a fraction in the raw column
    assert kpi_label("min_clearance_mm") == "min_clearance_mm [mm, worst spot]"
    assert kpi_label("rom_t_per_month") == "rom_t_per_month [t/month]"
