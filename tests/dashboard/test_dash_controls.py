"""Controls a student can use: sliders over the thin-seam domain, a number box beside each
for exact values (and the schema's full bounds)."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

import dashboard
from dashboard.field_values import LEVER_RANGES, field_specs, slider_range

APP = str(Path(dashboard.__file__).resolve().parent / "app.py")


def test_slider_ranges_are_the_thin_seam_domain_within_the_schema():
    specs = {s.path: s for s in field_specs()}
    assert slider_range(specs["seam.height_m"], 0.8) == (0.5, 1.5)
    assert slider_range(specs["machine.machine_height_mm"], 588.0) == (450.0, 900.0)
    assert slider_range(specs["machine.cutting_power_kw"], 680.0) == (200.0, 1200.0)
    assert slider_range(specs["seam.height_m"], 2.2) == (0.5, 2.2)  # a thick-seam preset widens its slider
    for path, (lo, hi) in LEVER_RANGES.items():
        assert specs[path].lo <= lo < hi <= specs[path].hi


def test_the_number_box_sets_the_slider_exactly(tmp_path, monkeypatch):
    monkeypatch.setenv("SEAMSIM_HISTORY_DB", str(tmp_path / "h.sqlite"))
    at = AppTest.from_file(APP, default_timeout=120).run()
    assert not at.exception
    slider = at.slider(key="explore:seam.height_m")
    assert (slider.min, slider.max) == (0.5, 1.5)
    before = next(m.value for m in at.metric if m.label.startswith("Spare clearance"))
    at.number_input(key="explore:seam.height_m:box").set_value(0.83)
    at.button(key="explore_run").click().run()  # the settings sit in a form: Run takes the box
    assert not at.exception
    assert at.slider(key="explore:seam.height_m").value == 0.83
    assert at.number_input(key="explore:seam.height_m:box").value == 0.83
    after = next(m.value for m in at.metric if m.label.startswith("Spare clearance"))
    assert after != before
    at.slider(key="explore:seam.height_m").set_value(0.9)
    at.button(key="explore_run:bottom").click().run()  # and the box follows the slider (either Run button)
    assert at.number_input(key="explore:seam.height_m:box").value == 0.9
