"""The chart builders of dashboard/charts.py, as pure functions: traces, names and axes."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from dashboard import charts

AFTER_PICTURE = {
    "seam_height_mm": 800.0, "machine_height_mm": 588.0, "canopy_tip_thickness_mm": 150.0,
    "convergence_mm": 40.0, "spare_clearance_mm": 22.0, "rock_cut_mm": 0.0, "design_spare_clearance_mm": 20.0,
}
BEFORE_PICTURE = {
    "seam_height_mm": 800.0, "machine_height_mm": 630.0, "canopy_tip_thickness_mm": 150.0,
    "convergence_mm": 40.0, "spare_clearance_mm": -20.0, "rock_cut_mm": 40.0, "design_spare_clearance_mm": 20.0,
}


def _names(fig: go.Figure) -> set[str]:
    return {t.name for t in fig.data}


def _trace(fig: go.Figure, name: str):
    return next(t for t in fig.data if t.name == name)


def test_cross_section_of_a_machine_that_fits_shows_spare_clearance_to_scale():
    fig = charts.cross_section(AFTER_PICTURE)
    assert {"floor", "coal seam", "roof", "canopy", "conveyor pan", "machine body", "spare clearance"} <= _names(fig)
    assert "rock to cut" not in _names(fig)
    body = _trace(fig, "machine body")
    assert max(body.y) == pytest.approx(588.0)  # to scale: the body top is the machine height
    gap = _trace(fig, "spare clearance")
    assert max(gap.y) - min(gap.y) == pytest.approx(22.0)
    seam = _trace(fig, "coal seam")
    assert max(seam.y) == pytest.approx(800.0)
    assert "+22 mm" in fig.layout.title.text
    assert fig.layout.yaxis.range[0] < 0 < 800 < fig.layout.yaxis.range[1]
    assert fig.layout.yaxis2.range[1] - fig.layout.yaxis2.range[0] < 500  # the magnified panel


def test_cross_section_of_a_machine_too_tall_shows_the_overlap_and_the_rock_to_cut():
    fig = charts.cross_section(BEFORE_PICTURE)
    assert {"overlap", "rock to cut"} <= _names(fig)
    assert "spare clearance" not in _names(fig)
    rock = _trace(fig, "rock to cut")
    assert max(rock.y) - min(rock.y) == pytest.approx(40.0)
    assert "20 mm taller" in fig.layout.title.text and "40 mm" in fig.layout.title.text


def test_cross_section_detail_only_has_one_panel_with_the_given_range():
    fig = charts.cross_section(AFTER_PICTURE, detail_only=True, detail_range_mm=(450.0, 900.0))
    assert tuple(fig.layout.yaxis.range) == (450.0, 900.0)
    assert "yaxis2" not in fig.layout.to_plotly_json()
    lo, hi = charts.common_detail_range([AFTER_PICTURE, BEFORE_PICTURE])
    assert lo < 588.0 and hi > 840.0


def test_cross_section_survives_missing_values():
    fig = charts.cross_section({"seam_height_mm": float("nan")})
    assert "machine body" in _names(fig)


TRACE = pd.DataFrame(
    {
        "time_s": [0.0, 600.0, 2400.0, 3000.0, 4800.0, 6000.0],
        "position_m": [0.0, 0.0, 150.0, 150.0, 60.0, 60.0],
        "state": ["shift_change", "cutting", "end_operations", "cutting", "jam", "cutting"],
    }
)


def test_position_over_time_draws_the_zigzag_and_colours_stoppages_by_cause():
    fig = charts.position_over_time(TRACE, horizon_s=7200.0, face_length_m=150.0, window_h=None)
    line = _trace(fig, "shearer position")
    assert list(line.y) == list(TRACE["position_m"])
    assert list(np.round(line.x, 3)) == list(np.round(TRACE["time_s"] / 3600.0, 3))
    names = _names(fig)
    assert {"jammed under the canopies", "face-end operations", "shift change"} <= names
    assert "cutting" not in names  # running states are the line, not stoppage segments
    jam = _trace(fig, "jammed under the canopies")
    assert jam.line.color == charts.STATE_COLORS["jam"]
    assert list(jam.x[:2]) == pytest.approx([4800.0 / 3600.0, 6000.0 / 3600.0])
    assert list(jam.y[:2]) == [60.0, 60.0]
    assert fig.layout.yaxis.title.text.startswith("position along the face")
    assert fig.layout.xaxis.title.text.startswith("time [h]")


def test_position_over_time_starts_zoomed_on_a_window():
    fig = charts.position_over_time(TRACE, horizon_s=30 * 86400.0, window_h=48.0)
    assert tuple(fig.layout.xaxis.range) == (0.0, 48.0)


def test_cumulative_tonnage_has_one_line_per_replication_and_highlights_one():
    data = pd.DataFrame({"replication": [0, 0, 1, 1], "time_d": [0, 30, 0, 30], "rom_t": [0, 100, 0, 120]})
    fig = charts.cumulative_tonnage(data, highlight=1)
    assert len(fig.data) == 2
    assert fig.data[1].line.width > fig.data[0].line.width
    assert fig.layout.xaxis.title.text == "day"


def test_tonnage_distribution_has_a_box_per_scenario_and_reference_bands():
    runs = pd.DataFrame({"scenario": ["a"] * 3 + ["b"] * 3, "rom_t_per_month": [1, 2, 3, 4, 5, 6]})
    fig = charts.tonnage_distribution(runs, labels={"a": "A"}, bands={"reported": (2.0, 4.0)})
    assert [t.type for t in fig.data] == ["box", "box"]
    assert [t.name for t in fig.data] == ["A", "b"]
    assert len(fig.layout.shapes) == 1 and fig.layout.shapes[0].y0 == 2.0


def test_time_breakdown_leaves_out_empty_states_and_sorts():
    fig = charts.time_breakdown({"cutting": 200.0, "jam": 50.0, "idle": 0.0})
    bar = _trace(fig, "hours")
    assert list(bar.y) == ["jammed under the canopies", "cutting"]
    assert list(bar.x) == [50.0, 200.0]


def test_time_breakdown_compare_stacks_one_bar_per_scenario():
    table = pd.DataFrame({"cutting": [100.0, 200.0], "jam": [90.0, 50.0], "idle": [0.0, 0.0]}, index=["a", "b"])
    fig = charts.time_breakdown_compare(table, labels={"a": "Before"})
    assert fig.layout.barmode == "stack"
    assert _names(fig) == {"cutting", "jammed under the canopies"}
    assert list(fig.data[0].y) == ["Before", "b"]


def test_what_holds_back_shows_shares_and_the_binding_speed():
    shares = {"set": 0.0, "power": 0.0, "pick": 1.0, "conveyor": 0.0, "shields": 0.0, "machine": 0.0}
    speeds = {"set": None, "power": 9.0, "pick": 4.8, "conveyor": 8.6, "shields": 9.0, "machine": 6.0}
    fig = charts.what_holds_back(shares, speeds, binding="pick")
    share = _trace(fig, "share of cutting")
    assert share.x[2] == pytest.approx(100.0)
    speed = _trace(fig, "speed allowed")
    assert "binds" in speed.text[2] and "no limit" in speed.text[0]
    assert fig.layout.xaxis.range[1] == 100


def test_limit_shares_compare_stacks_limits():
    table = pd.DataFrame({"pick": [0.0, 1.0], "shields": [0.86, 0.0], "machine": [0.14, 0.0]}, index=["a", "b"])
    fig = charts.limit_shares_compare(table)
    assert _names(fig) == {"pick depth (drum kinematics)", "shield advance", "machine top speed"}


def test_kpi_bars_and_paired_differences():
    summary = pd.DataFrame({
        "scenario": ["a", "b", "a", "b"], "kpi": ["x", "x", "y", "y"],
        "mean": [1.0, 2.0, 3.0, 4.0], "lo": [0.9, 1.8, 2.5, 3.5], "hi": [1.1, 2.2, 3.5, 4.5],
    })
    fig = charts.kpi_bars(summary, ["x", "y"], kpi_titles={"x": "Crew per production shift [people]"})
    assert len(fig.data) == 2 and list(fig.data[0].y) == [1.0, 2.0]
    titles = [a.text for a in fig.layout.annotations]  # a long panel title wraps (a panel is ~180 px at 1024)
    lines = titles[0].split("<br>")
    assert len(lines) == 2 and max(map(len, lines)) <= charts.PANEL_TITLE_CHARS and titles[1] == "y"
    assert " ".join(lines) == "Crew per production shift [people]"
    assert fig.data[0].error_y.array[1] == pytest.approx(0.2)
    paired = pd.DataFrame({"scenario": ["b"], "kpi": ["x"], "mean": [1.0], "lo": [0.5], "hi": [1.5]})
    fig = charts.paired_differences_chart(paired, kpi="x", labels={"b": "B"})
    assert list(fig.data[0].y) == ["B − the first"] and fig.data[0].x[0] == 1.0
    assert fig.data[0].text[0].startswith("+1 t/month") and "95% CI +0 to +2" in fig.data[0].text[0]  # labelled


def test_band_labels_sit_beside_the_boxes_not_under_them():
    runs = pd.DataFrame({"scenario": ["a"] * 3, "rom_t_per_month": [16_000.0, 18_000.0, 19_000.0]})
    fig = charts.tonnage_distribution(runs, bands={"reported before": (15_000.0, 20_000.0)})
    label = next(a for a in fig.layout.annotations if a.text == "reported before")
    assert label.xref == "paper" and label.x >= 1.0 and label.xanchor == "left"


def test_waterfall_starts_at_a_adds_the_steps_and_ends_at_b():
    steps = pd.DataFrame({"factor": ["voltage and machine", "shield control"], "delta": [3000.0, 7000.0],
                          "lo": [2500.0, 6500.0], "hi": [3500.0, 7500.0]})
    fig = charts.waterfall(steps, start_label="Before", end_label="After", start_value=18000.0, end_value=28000.0)
    wf = _trace(fig, "decomposition")
    assert list(wf.x) == ["Before", "voltage and machine", "shield control", "After"]
    assert list(wf.measure) == ["absolute", "relative", "relative", "total"]
    assert list(wf.y) == [18000.0, 3000.0, 7000.0, 28000.0]
    assert "95% CI" in _names(fig)


def test_sweep_line_has_a_band_and_a_mean_line():
    data = pd.DataFrame({"h": [0.7, 0.8, 0.9], "mean": [1.0, 2.0, 3.0], "lo": [0.5, 1.5, 2.5], "hi": [1.5, 2.5, 3.5]})
    fig = charts.sweep_line(data, x="h", x_title="seam height [m]", y_title="t/month")
    assert [t.name for t in fig.data] == ["95% CI", "95% CI", "mean"]
    assert fig.data[1].fill == "tonexty"
    assert fig.layout.xaxis.title.text == "seam height [m]"


def test_heatmap_pivots_two_fields():
    data = pd.DataFrame({"a": [1, 1, 2, 2], "b": [10, 20, 10, 20], "mean": [1.0, 2.0, 3.0, 4.0],
                         "lo": [0.0] * 4, "hi": [5.0] * 4})
    fig = charts.heatmap(data, x="a", y="b", x_title="A", y_title="B", z_title="t")
    hm = _trace(fig, "mean")
    assert np.asarray(hm.z).shape == (2, 2)
    assert np.asarray(hm.z)[1, 0] == 2.0  # y=20, x=1


def test_feasible_region_has_one_panel_per_voltage_and_markers():
    grid = pd.DataFrame([
        {"supply_voltage_v": v, "seam_height_m": h, "cutting_power_kw": p, "code": c,
         "category": "x", "note": ""}
        for v, c in ((1140, 0), (3300, 2)) for h in (0.7, 0.8) for p in (400.0, 600.0)
    ])
    fig = charts.feasible_region(grid, markers=[{"supply_voltage_v": 3300, "seam_height_m": 0.8,
                                                 "cutting_power_kw": 600.0, "label": "After"}])
    heatmaps = [t for t in fig.data if t.type == "heatmap"]
    assert [t.name for t in heatmaps] == ["1,140 V", "3,300 V"]
    assert "After" in _names(fig)
    assert fig.layout.xaxis.title.text == "seam height [m]"
    assert fig.layout.yaxis.title.text == "installed cutting power [kW]"


def test_every_state_and_limit_has_a_colour_and_label():
    import seamsim

    assert set(seamsim.STATES) <= set(charts.STATE_COLORS)
    assert set(seamsim.LIMIT_NAMES) <= set(charts.LIMIT_COLORS)
    assert all(charts.state_label(s) for s in seamsim.STATES)
