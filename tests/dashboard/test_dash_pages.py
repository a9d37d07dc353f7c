"""Every page of the dashboard through Streamlit's AppTest: no exception, widgets change the
results, the expected charts are drawn, long runs can be stopped, runs are remembered."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import dashboard
from dashboard.history import HistoryStore

APP = str(Path(dashboard.__file__).resolve().parent / "app.py")
TIMEOUT = 120


def _app(page: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    _ok(at)
    if page:
        at.switch_page(f"pages/{page}.py").run()
        _ok(at)
    return at


def _ok(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


def _charts(at: AppTest) -> list[dict]:
    return [json.loads(c.proto.spec) for c in at.get("plotly_chart")]


def _values(data) -> list:
    """An array of a figure's JSON (plotly 6+ sends numbers as base64 typed arrays)."""
    if isinstance(data, dict) and "bdata" in data:
        import base64

        import numpy as np

        return np.frombuffer(base64.b64decode(data["bdata"]), dtype=np.dtype(data["dtype"])).tolist()
    return list(data)


def _titles(at: AppTest) -> list[str]:
    out = []
    for spec in _charts(at):
        title = spec.get("layout", {}).get("title") or {}
        out.append(title.get("text", "") if isinstance(title, dict) else str(title))
    return out


def _metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def _wait(at: AppTest, key: str, timeout: float = TIMEOUT) -> dashboard.Job:
    deadline = time.time() + timeout
    job = at.session_state[key]
    while job.running and time.time() < deadline:
        time.sleep(0.05)
    assert not job.running, f"{key} still running after {timeout} s"
    at.run()
    _ok(at)
    return job


def _follow_switch(at: AppTest, page: str) -> None:
    """Go where ``st.switch_page`` sent the app (AppTest stays on the page it was switched to)."""
    if not at.header or page == "explore" and "explore_request" in at.session_state:
        at.switch_page(f"pages/{page}.py").run()
        _ok(at)


def _button(at: AppTest, starts: str):
    return next(b for b in at.button if b.label.startswith(starts))


def _explore_run(at: AppTest) -> AppTest:
    """Press Explore's Run: the settings sit in a form and run only then."""
    return at.button(key="explore_run").click().run()


# --------------------------------------------------------------------------------------
# Explore
# --------------------------------------------------------------------------------------
def test_explore_runs_the_article_face_and_draws_every_chart():
    at = _app()
    assert "shearer on 3,300 V in a 0.80 m seam" in at.header[0].value  # the title says what the face is
    titles = _titles(at)
    assert len(titles) >= 6
    assert any(t.startswith("Clearance under the canopy: +21 mm") for t in titles)  # derived 587 mm, 2 mm of body sag
    assert any(t.startswith("Where the shearer is") for t in titles)
    assert "What holds this face back" in titles and "Where the time goes" in titles
    assert "Run-of-mine tonnes so far" in titles and "Monthly output over replications" in titles
    assert {m.label for m in at.metric} >= {"Monthly output (run-of-mine)", "Running ratio", "Tonnes per worker-shift",
                                             "Energy per tonne", "Spare clearance", "Voltage drop"}
    monthly = float(_metric(at, "Monthly output (run-of-mine)").split()[0].replace(",", ""))
    assert 30_000 < monthly < 60_000
    assert any("95% CI" in c.value for c in at.caption)
    assert not at.error


def test_explore_follows_a_widget_change():
    at = _app()
    before = _metric(at, "Monthly output (run-of-mine)")
    at.slider(key="explore:seam.height_m").set_value(0.70).run()
    _ok(at)
    assert _metric(at, "Monthly output (run-of-mine)") == before  # moving a slider runs nothing
    at.slider(key="explore:seam.height_m").set_value(0.70)
    _explore_run(at)
    _ok(at)
    assert _metric(at, "Monthly output (run-of-mine)") != before
    assert any(m.delta and "vs the preset" in m.delta for m in at.metric)
    assert any("taller than the space under the canopy" in t for t in _titles(at))  # redrawn cross-section
    assert any("cut rock" in w.value for w in at.warning)


def test_explore_switches_presets_and_resets():
    at = _app()
    at.selectbox(key="explore_preset").set_value(f"bundled:{dashboard.ARTICLE_BEFORE}").run()
    _ok(at)
    assert at.slider(key="explore:machine.machine_height_mm").value == 630.0
    assert at.radio(key="explore:electrical.supply_voltage_v").value == 1140
    assert _metric(at, "Spare clearance") == "-22 mm"  # −20 mm less 2 mm of body sag
    at.radio(key="explore:machine.height_mode").set_value("explicit")
    at.slider(key="explore:machine.machine_height_mm").set_value(588.0)
    _explore_run(at)
    assert _metric(at, "Spare clearance") == "+20 mm"  # +22 mm less 2 mm of body sag
    _button(at, "Reset to the preset").click().run()
    _ok(at)
    assert at.slider(key="explore:machine.machine_height_mm").value == 630.0


def test_an_infeasible_face_shows_why_and_never_an_exception():
    at = _app()
    at.slider(key="explore:seam.height_m").set_value(0.50)
    _explore_run(at)
    _ok(at)
    assert any("cannot be worked" in e.value and "cannot pass" in e.value for e in at.error)
    assert any("taller than the space" in t for t in _titles(at))  # the picture still explains it
    at.slider(key="explore:seam.height_m").set_value(0.80)
    at.number_input(key="explore:machine.cutting_power_kw:box").set_value(2500.0)  # beyond the slider's range
    _explore_run(at)
    _ok(at)
    assert any("cable" in e.value for e in at.error)


def test_an_invalid_combination_of_settings_is_explained():
    at = _app()
    at.number_input(key="explore:calendar.production_shifts_per_day").set_value(4)
    _explore_run(at)
    _ok(at)
    assert any("not a valid scenario" in e.value and "production_shifts_per_day" in e.value for e in at.error)


def test_explore_settings_survive_a_visit_to_another_page():
    at = _app()
    at.slider(key="explore:seam.height_m").set_value(0.75)
    _explore_run(at)
    at.switch_page("pages/history.py").run()
    at.switch_page("pages/explore.py").run()
    _ok(at)
    assert at.slider(key="explore:seam.height_m").value == 0.75


# --------------------------------------------------------------------------------------
# Scenarios
# --------------------------------------------------------------------------------------
def test_scenarios_lists_the_library_and_runs_a_scenario():
    at = _app("scenarios")
    assert any("588 mm" in m.value for m in at.markdown)
    assert len(at.get("download_button")) >= 2
    at.slider(key="scenarios_reps").set_value(3).run()
    at.button(key=f"run:bundled:{dashboard.ARTICLE_BEFORE}").click().run()
    _ok(at)
    _wait(at, "scenarios_job")
    assert "Monthly output over replications" in _titles(at)
    assert _metric(at, "Spare clearance") == "-22 mm"  # −20 mm less 2 mm of body sag


def test_scenarios_opens_one_in_explore():
    at = _app("scenarios")
    at.button(key=f"open:bundled:{dashboard.ARTICLE_BEFORE}").click().run()
    _ok(at)
    _follow_switch(at, "explore")
    assert "630 mm" in at.header[0].value


GOOD = b"""extends: article_after_3300v.yaml
name: class_thin_070
title: "What if the seam thins to 0.70 m?"
description: The after-face in a 0.70 m seam.
seam:
  height_m: 0.70
"""


def test_an_uploaded_scenario_joins_the_library_and_is_remembered(history_db):
    at = _app("scenarios")
    at.file_uploader(key="scenario_upload").set_value(("class.yaml", GOOD, "application/x-yaml")).run()
    _ok(at)
    assert any("class_thin_070" in s.value for s in at.success)
    assert any("What if the seam thins" in m.value for m in at.markdown)
    restarted = _app("scenarios")  # a new session on the same history database
    assert any("What if the seam thins" in m.value for m in restarted.markdown)
    restarted.switch_page("pages/explore.py").run()
    restarted.selectbox(key="explore_preset").set_value("upload:class_thin_070").run()
    _ok(restarted)
    assert restarted.slider(key="explore:seam.height_m").value == 0.70


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"seam:\n  height_m: 800\n", "did you mean 0.8"),
        (b"seam: !!python/object/apply:os.system ['echo hacked']\n", "evil.yaml"),
        (b"a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
         b"c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
         b"e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n", "refused"),
        (b"#" * (dashboard.MAX_UPLOAD_BYTES + 10), "limit"),
    ],
    ids=["out-of-bounds", "python-tag", "alias-bomb", "oversized"],
)
def test_a_bad_upload_is_refused_with_a_message(content, expected, history_db):
    at = _app("scenarios")
    at.file_uploader(key="scenario_upload").set_value(("evil.yaml", content, "application/x-yaml")).run()
    _ok(at)
    assert any("not added" in e.value and expected in e.value for e in at.error), [e.value for e in at.error]
    assert HistoryStore(history_db).list_scenarios() == []


# --------------------------------------------------------------------------------------
# Compare
# --------------------------------------------------------------------------------------
def test_compare_runs_two_scenarios_with_paired_differences_and_a_waterfall():
    at = _app("compare")
    assert len(_charts(at)) == 2  # the two cross-sections, before anything runs
    at.slider(key="compare_reps").set_value(5).run()
    _button(at, "Run the comparison").click().run()
    _ok(at)
    _wait(at, "compare_job")
    titles = _titles(at)
    assert "Monthly output, every replication" in titles
    assert any(t.startswith("Difference from Before") for t in titles)
    assert "Where the time goes, side by side" in titles and "What holds each face back" in titles
    tables = [d.value for d in at.dataframe]
    paired = next(t for t in tables if "verdict" in t.columns)
    monthly = paired[paired["KPI"].str.startswith("Monthly output")].iloc[0]
    assert monthly["difference"].startswith("+")
    by_kpi = paired.set_index("KPI")
    crew = by_kpi.loc[dashboard.kpi("crew_per_shift").title]  # 20 people against 6: set by the scenarios
    assert crew["verdict"] == "fixed by the scenarios (does not vary)" and crew["95% CI"] == "—"
    ratio = by_kpi.loc[dashboard.kpi("running_ratio").title]
    assert ratio["difference"].endswith(" pp") and ratio["relative"] == ""
    assert by_kpi.loc[dashboard.kpi("spare_clearance_mm").title, "relative"] == ""  # no "−210 %"
    side = next(t for t in tables if "KPI" in t.columns and "verdict" not in t.columns)
    amounts = side[side["KPI"].str.startswith(("Monthly output", "Tonnes per worker-shift", "Running ratio"))]
    assert len(amounts) == 3
    assert not amounts.apply(lambda col: col.astype(str).str.contains(r"\(-", regex=True)).any().any(), \
        "an interval of a quantity that cannot be negative went below zero"
    _button(at, "Decompose").click().run()
    _ok(at)
    _wait(at, "compare_decompose_job")
    waterfall = next(s for s in _charts(at) if any(t.get("type") == "waterfall" for t in s["data"]))
    x = next(t for t in waterfall["data"] if t.get("type") == "waterfall")["x"]
    assert x[0] == "Before" and x[-1] == "After" and "voltage and machine" in x


def test_a_long_comparison_can_be_stopped_and_the_page_stays_usable():
    at = _app("compare")
    at.slider(key="compare_reps").set_value(200).run()
    _button(at, "Run the comparison").click().run()
    _ok(at)
    job = at.session_state["compare_job"]
    assert job.running
    assert at.get("progress"), "a progress bar while it runs"
    at.button(key="compare_job:stop").click().run()
    _ok(at)
    job = _wait(at, "compare_job")
    assert job.cancelled and job.done < job.total
    assert any("Stopped" in i.value for i in at.info) or at.dataframe
    at.slider(key="compare_reps").set_value(3).run()  # still usable
    _ok(at)


# --------------------------------------------------------------------------------------
# Sweep
# --------------------------------------------------------------------------------------
def test_sweep_draws_the_feasible_region_and_a_line_with_its_band():
    at = _app("sweep")
    region = next(s for s in _charts(at) if "Where a face can work" in s["layout"]["title"]["text"])
    assert [t["name"] for t in region["data"] if t["type"] == "heatmap"] == ["1,140 V", "3,300 V"]
    at.slider(key="sweep_reps").set_value(2).run()
    at.number_input(key="sweep_n:1").set_value(3).run()
    _button(at, "Run 3 points").click().run()
    _ok(at)
    _wait(at, "sweep_job")
    line = next(s for s in _charts(at) if "against" in s["layout"]["title"]["text"])
    assert [t["name"] for t in line["data"]] == ["95% CI", "95% CI", "mean"]
    assert _values(line["data"][2]["x"]) == pytest.approx([0.6, 0.8, 1.0])


def test_sweep_of_two_settings_draws_a_heat_map():
    at = _app("sweep")
    at.slider(key="sweep_reps").set_value(2).run()
    at.number_input(key="sweep_n:1").set_value(2).run()
    at.toggle(key="sweep_two").set_value(True).run()
    at.number_input(key="sweep_n:2").set_value(2).run()
    _button(at, "Run 4 points").click().run()
    _ok(at)
    _wait(at, "sweep_job")
    assert any(t["type"] == "heatmap" and t["name"] == "mean" for s in _charts(at) for t in s["data"])


# --------------------------------------------------------------------------------------
# History
# --------------------------------------------------------------------------------------
def test_history_lists_reopens_compares_and_deletes_runs_across_restarts(history_db):
    at = _app()
    at.slider(key="explore:seam.height_m").set_value(0.75)
    _explore_run(at)
    _ok(at)

    restarted = _app("history")  # a new session: the runs come from SQLite
    table = restarted.dataframe[0].value
    assert len(table) == 2 and set(table["page"]) == {"Explore"}
    ids = sorted(int(i) for i in table["id"])
    restarted.multiselect(key="history_pick").set_value([ids[0]]).run()
    _ok(restarted)
    assert "Monthly output over replications" in _titles(restarted)
    restarted.multiselect(key="history_pick").set_value(ids).run()
    _ok(restarted)
    assert any("side by side" in s.value for s in restarted.subheader)
    assert any("verdict" in d.value.columns for d in restarted.dataframe)
    restarted.multiselect(key="history_pick").set_value([ids[1]]).run()
    _button(restarted, "Open").click().run()
    _ok(restarted)
    _follow_switch(restarted, "explore")
    assert restarted.slider(key="explore:seam.height_m").value == 0.75
    restarted.switch_page("pages/history.py").run()
    # reopening a run in Explore runs it again in that session: every listed run is deleted
    listed = sorted(int(i) for i in restarted.dataframe[0].value["id"])
    assert set(ids) <= set(listed)
    restarted.multiselect(key="history_pick").set_value(listed).run()
    restarted.button(key="history_delete").click().run()
    _ok(restarted)
    assert any("No runs yet" in i.value for i in restarted.info)
    assert HistoryStore(history_db).count_runs() == 0
