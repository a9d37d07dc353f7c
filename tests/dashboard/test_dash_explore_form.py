"""Explore runs on Run, not at every step of a control; charts whose inputs did not change are
not rebuilt."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

import dashboard

APP = str(Path(dashboard.__file__).resolve().parent / "app.py")
MONTHLY = "Monthly output (run-of-mine)"


def _metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def _ok(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


def test_controls_run_only_when_run_is_pressed_and_a_typed_box_wins():
    at = AppTest.from_file(APP, default_timeout=120).run()
    _ok(at)
    first = _metric(at, MONTHLY)
    at.slider(key="explore:seam.height_m").set_value(0.72).run()  # moved, not run
    at.number_input(key="explore:calendar.production_shifts_per_day").set_value(2).run()
    _ok(at)
    assert _metric(at, MONTHLY) == first
    assert "changed from the preset" not in " ".join(c.value for c in at.caption)

    at.slider(key="explore:seam.height_m").set_value(0.72)
    at.number_input(key="explore:seam.height_m:box").set_value(0.86)  # both moved: the exact value wins
    at.button(key="explore_run").click().run()
    _ok(at)
    assert at.slider(key="explore:seam.height_m").value == 0.86
    assert at.number_input(key="explore:seam.height_m:box").value == 0.86
    assert _metric(at, MONTHLY) != first
    assert any("1 setting changed" in c.value for c in at.caption)


def test_a_chart_whose_inputs_did_not_change_is_not_rebuilt():
    at = AppTest.from_file(APP, default_timeout=120).run()
    _ok(at)
    memo = at.session_state["_chart_memo"]
    cross, time_chart, position = (memo[k][1] for k in ("explore_cross_section", "explore_time", "explore_position"))
    at.select_slider(key="explore_shown").set_value(2).run()  # another replication shown: same scenario
    _ok(at)
    memo = at.session_state["_chart_memo"]
    assert memo["explore_cross_section"][1] is cross and memo["explore_time"][1] is time_chart
    assert memo["explore_position"][1] is not position  # the replication shown is redrawn

    at.number_input(key="explore:seam.height_m:box").set_value(0.84)
    at.button(key="explore_run").click().run()
    _ok(at)
    memo = at.session_state["_chart_memo"]
    assert memo["explore_cross_section"][1] is not cross and memo["explore_time"][1] is not time_chart


def test_a_long_chart_title_breaks_at_a_clause_and_a_short_one_stays():
    import plotly.graph_objects as go

    from dashboard.chart_display import two_line_title

    def title(text: str) -> str:
        return two_line_title(go.Figure().update_layout(title_text=text)).layout.title.text

    assert title("Clearance under the canopy: +21 mm (the design keeps 20 mm): the machine cuts coal only") == \
        "Clearance under the canopy: +21 mm<br>(the design keeps 20 mm): the machine cuts coal only"
    assert title("The machine is 30 mm taller than the space under the canopy: it must cut 60 mm of roof rock") == \
        "The machine is 30 mm taller than the space under the canopy:<br>it must cut 60 mm of roof rock"
    assert title("Where the time goes") == "Where the time goes"
    fig = two_line_title(go.Figure().update_layout(title_text="x" * 40 + ", " + "y" * 40, margin_t=20))
    assert fig.layout.margin.t >= 84  # room for the second line
