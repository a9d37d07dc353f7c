"""The face in motion: frames sampled from a run's trace, the animation and its HTML."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

import seamsim
from seamsim.report.face_motion import (
    MAX_FRAMES,
    FaceGeometry,
    face_frames,
    face_motion_figure,
    face_motion_html,
    frame_times_s,
)
from seamsim.report.palette import state_label

GEOMETRY = FaceGeometry(length_m=150.0, shield_width_m=1.5, web_m=0.63, shield_lag_m=7.5, snake_m=30.0)


@pytest.fixture(scope="module")
def run():
    scenario = seamsim.load_scenario("scenarios/article_after_3300v.yaml")
    return scenario, seamsim.simulate(scenario, seed=3, days=1.5)


def _position_at(trace: pd.DataFrame, time_s: float) -> tuple[float, str]:
    """The trace read by hand: the last row at or before ``time_s``, straight to the next row."""
    rows = list(trace.itertuples(index=False))
    last = 0
    for k, row in enumerate(rows):
        if row.time_s <= time_s:
            last = k
    here = rows[last]
    if last + 1 < len(rows) and rows[last + 1].time_s > here.time_s:
        after = rows[last + 1]
        share = (time_s - here.time_s) / (after.time_s - here.time_s)
        return here.position_m + share * (after.position_m - here.position_m), here.state
    return here.position_m, here.state


def test_frames_reproduce_the_trace_positions_and_states_at_their_times(run):
    scenario, result = run
    frames = face_frames(result.trace, result.passes, FaceGeometry.from_scenario(scenario),
                         duration_s=None, horizon_s=result.horizon_s, interval_s=600.0)
    assert len(frames) == int(result.horizon_s // 600) + 1
    assert {f.state for f in frames} - {"cutting"}, "a day and a half has stoppages and face ends"
    for frame in frames:
        position_m, state = _position_at(result.trace, frame.time_s)
        assert frame.shearer_m == pytest.approx(position_m, abs=1e-9)
        assert frame.state == state
        assert 0.0 <= frame.shearer_m <= scenario.face.length_m + 1e-9
    moved = max(f.shearer_m for f in frames) - min(f.shearer_m for f in frames)
    assert moved > 0.5 * scenario.face.length_m


def test_tonnes_so_far_rise_to_the_run_total(run):
    scenario, result = run
    frames = face_frames(result.trace, result.passes, FaceGeometry.from_scenario(scenario),
                         duration_s=None, horizon_s=result.horizon_s, max_frames=100)
    tonnes = np.array([f.rom_t for f in frames])
    assert np.all(np.diff(tonnes) >= -1e-9)
    assert tonnes[0] == 0.0
    assert tonnes[-1] == pytest.approx(result.summary["rom_t"], rel=1e-9)
    assert frames[-1].webs == len(result.passes)


def test_the_frame_count_is_capped_and_the_interval_kept_below_the_cap():
    assert len(frame_times_s(0.0, 30 * 86_400.0, 300.0)) == MAX_FRAMES
    assert len(frame_times_s(0.0, 30 * 86_400.0, 300.0, max_frames=50)) == 50
    times = frame_times_s(0.0, 86_400.0, 600.0)
    assert len(times) == 145 and np.allclose(np.diff(times), 600.0)
    with pytest.raises(ValueError, match="interval_s"):
        frame_times_s(0.0, 10.0, 0.0)


def test_a_month_stays_light(run):
    scenario, _ = run
    result = seamsim.simulate(scenario, seed=3, days=30)
    frames = face_frames(result.trace, result.passes, FaceGeometry.from_scenario(scenario), duration_s=None,
                         horizon_s=result.horizon_s)
    assert len(frames) == MAX_FRAMES < len(result.trace)
    assert frames[-1].time_s == pytest.approx(result.horizon_s)


def _one_pass(direction: int = 1) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A pass across 150 m in 1,500 s at constant speed, then face-end work."""
    start, end = (0.0, 150.0) if direction > 0 else (150.0, 0.0)
    trace = pd.DataFrame({"time_s": [0.0, 1500.0, 2000.0], "position_m": [start, end, end],
                          "state": ["cutting", "end_operations", "cutting"]})
    passes = pd.DataFrame({"start_s": [0.0], "end_s": [1500.0], "coal_t": [90.0], "rock_t": [10.0]})
    return trace, passes


@pytest.mark.parametrize("direction", [1, -1])
def test_shields_advance_behind_the_shearer_and_the_conveyor_snakes_after_them(direction):
    trace, passes = _one_pass(direction)
    frames = face_frames(trace, passes, GEOMETRY, duration_s=1800.0, interval_s=100.0)
    frame = next(f for f in frames if f.time_s == 1000.0)
    x = 100.0 if direction > 0 else 50.0
    assert frame.shearer_m == pytest.approx(x)
    assert frame.rom_t == pytest.approx(100.0 * 100.0 / 150.0)
    centres = GEOMETRY.shield_centres_m
    behind = (x - centres) * direction
    assert frame.shields_advanced == tuple(bool(b) for b in behind >= 7.5)
    assert np.allclose(frame.conveyor_pushed, np.clip((behind - 7.5) / 30.0, 0.0, 1.0), atol=1e-3)
    assert (frame.cut_from_m, frame.cut_to_m) == ((0.0, 100.0) if direction > 0 else (50.0, 150.0))
    after = next(f for f in frames if f.time_s == 1600.0)  # face-end work: the web is complete
    assert after.webs == 1 and all(after.shields_advanced) and after.rom_t == pytest.approx(100.0)
    assert frames[0].rom_t == 0.0 and frames[0].webs == 0


def test_the_figure_moves_the_shearer_to_each_frame_and_has_play_pause_and_a_slider(run):
    scenario, result = run
    geometry = FaceGeometry.from_scenario(scenario)
    frames = face_frames(result.trace, result.passes, geometry, horizon_s=result.horizon_s, interval_s=900.0)
    spec = face_motion_figure(frames, geometry)
    names = [t["name"] for t in spec["data"]]
    assert names[:6] == ["coal face", "conveyor", "shields, not yet advanced", "shields advanced", "shearer",
                         "clock"]
    assert len(spec["frames"]) == len(frames)
    for frame, drawn in zip(frames, spec["frames"], strict=True):
        assert drawn["data"][4]["x"][0] == pytest.approx(frame.shearer_m, abs=0.01)
        assert frame.clock in drawn["data"][5]["text"][0]
        assert f"{frame.rom_t:,.0f} t" in drawn["data"][5]["text"][0]
    labels = [b["label"] for b in spec["layout"]["updatemenus"][0]["buttons"]]
    assert labels == ["▶ 1×", "▶ 4×", "▶ 16×", "❚❚ pause"]
    assert len(spec["layout"]["sliders"][0]["steps"]) == len(frames)


def test_every_frame_draws_every_shield_in_its_group_and_the_key_names_each_state(run):
    """Shields are bars of the full canopy for their group and of height 0 for the other (a bar
    a frame added would be left unstyled by plotly); the colour key lists every state shown."""
    scenario, result = run
    geometry = FaceGeometry.from_scenario(scenario)
    frames = face_frames(result.trace, result.passes, geometry, horizon_s=result.horizon_s, interval_s=900.0)
    spec = face_motion_figure(frames, geometry)
    count = geometry.shield_centres_m.size
    assert [spec["data"][k]["type"] for k in (2, 3)] == ["bar", "bar"]
    assert spec["layout"]["barmode"] == "overlay"
    for frame, drawn in zip(frames, spec["frames"], strict=True):
        waiting, advanced = (np.asarray(drawn["data"][k]["y"]) for k in (2, 3))
        assert waiting.size == advanced.size == count
        assert ((advanced > 0) == np.asarray(frame.shields_advanced)).all()
        assert ((waiting > 0) != (advanced > 0)).all()
    key = [item["name"] for item in spec["layout"]["meta"]["key"]]
    assert {f"shearer: {state_label(f.state)}" for f in frames} <= set(key)
    html = face_motion_html(spec, title="A face")
    assert all(f">{name}</li>" in html for name in key) and "<h1>A face</h1>" in html


def test_the_html_export_makes_no_network_reference(run):
    from plotly.offline import get_plotlyjs

    scenario, result = run
    geometry = FaceGeometry.from_scenario(scenario)
    frames = face_frames(result.trace, result.passes, geometry, horizon_s=result.horizon_s, interval_s=1800.0)
    html = face_motion_html(face_motion_figure(frames, geometry), notes={"scenario": scenario.name})
    bundle = get_plotlyjs()
    assert html.count(bundle) == 1  # plotly.js inlined once
    rest = html.replace(bundle, "")
    assert not re.search(r"https?:|//cdn|<link|@import|src=", rest, flags=re.IGNORECASE)
    assert "mathjax.js" not in rest.lower()


def test_the_animation_fits_a_narrow_frame_and_plays_and_pauses_without_an_error(run, tmp_path):
    """The dashboard's expander at 1,024 px is about 520 px wide: the title wraps, the clock
    and the controls stay inside the chart, the page scrolls nowhere sideways, and play then
    pause raise no error in the page."""
    from playwright.sync_api import sync_playwright

    scenario, result = run
    geometry = FaceGeometry.from_scenario(scenario)
    frames = face_frames(result.trace, result.passes, geometry, horizon_s=result.horizon_s, interval_s=600.0)
    page_file = tmp_path / "face.html"
    page_file.write_text(face_motion_html(face_motion_figure(frames, geometry),
                                          title=f"The face in motion: {scenario.title}"), encoding="utf-8")
    errors: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium")
        try:
            page = browser.new_page(viewport={"width": 520, "height": 730})
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.goto(page_file.as_uri(), wait_until="load")
            page.wait_for_selector("#face-motion .main-svg")
            width = page.evaluate("document.getElementById('face-motion').getBoundingClientRect().right")
            overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            clock = page.locator("#face-motion .textpoint text").first.bounding_box()
            buttons = page.locator("#face-motion .updatemenu-button").evaluate_all(
                "els => els.map(e => e.getBoundingClientRect().right)")
            page.get_by_text("▶ 16×").click()
            page.wait_for_timeout(1200)
            page.get_by_text("❚❚ pause").click()
            page.wait_for_timeout(300)
            moved = page.locator("#face-motion .textpoint text").first.text_content()
        finally:
            browser.close()
    assert overflow <= 0
    assert clock["x"] + clock["width"] <= width
    assert len(buttons) == 4 and max(buttons) <= width
    assert frames[0].clock not in moved  # it played
    assert errors == []
