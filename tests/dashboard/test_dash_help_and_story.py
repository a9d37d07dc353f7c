"""The Streamlit-free parts of the classroom pages: the glossary and its sources, the
"Why 3,300 V?" story, titles built from the settings and projector mode's switches."""

from __future__ import annotations

import json
import math

import pandas as pd
import pytest

import seamsim
from dashboard import display, face_titles, glossary
from dashboard import voltage_story as story


# ----------------------------------------------------------------------------- glossary
@pytest.mark.parametrize("term", ["sumping", "outbye", "web", "flitting", "triangle coal", "face end", "shield",
                                  "running ratio", "ROM (run-of-mine)", "coal vs ROM", "ash", "clearance",
                                  "start dip", "pick", "jam", "percentage points", "replication",
                                  "confidence interval (CI)", "seed"])
def test_the_glossary_explains_the_words_the_class_asks_about(term):
    assert len(glossary.TERMS[term]) > 40
    assert glossary.help_for(term).startswith(f"**{term}**")


def test_every_headline_kpi_and_every_chain_step_has_help():
    import dashboard

    for key in dashboard.HEADLINE_KPIS:
        assert glossary.kpi_help(key), key
    for term in glossary.KPI_TERMS.values():
        assert term in glossary.TERMS, term
    ratio = glossary.kpi_help("running_ratio")
    assert ratio.startswith(dashboard.kpi("running_ratio").help)  # what the KPI table says of it first
    assert "**running ratio**" in ratio and "percentage points" in ratio
    assert "[S17] running ratio definition" in ratio  # its source tag resolved
    for term in glossary.CHAIN_TERMS.values():
        assert term in glossary.TERMS, term
    keys = {link["key"] for link in seamsim.engineering_picture(story.start_scenario(story.BUILT_FOR_1140V))["chain"]}
    assert keys <= set(glossary.CHAIN_TERMS), keys - set(glossary.CHAIN_TERMS)


def test_source_tags_are_found_and_units_are_not():
    assert glossary.source_tags("8–10 [S30][S31]; [E §3.3] [E-mem] 630 [A] [T19] [mm] [V] [persons]") == [
        "S30", "S31", "E", "E-mem", "A", "T19"]


def test_every_source_tag_the_schema_cites_is_listed_in_the_repositorys_references():
    entries = glossary.reference_entries()
    cited = glossary.source_tags(json.dumps(seamsim.scenario_json_schema(), ensure_ascii=False))
    assert cited, "the schema cites no sources?"
    assert [t for t in cited if t not in entries] == []
    assert "running ratio" in entries["S17"]
    assert entries["T20"] == entries["T19"]  # "T19–T21" covers T20


def test_a_help_text_gets_its_sources_and_an_unknown_tag_says_so():
    text = glossary.with_sources("Electro-hydraulic shield cycle [s] (8–10 [S30][X1]) [S99]",
                                 {"S30": "shield cycle 8–10 s"})
    assert "- [S30] shield cycle 8–10 s" in text
    assert "- [S99] (not listed in docs/references.md)" in text
    assert glossary.with_sources("no tags here") == "no tags here"
    assert glossary.with_sources(None) is None


def test_references_of_a_missing_file_are_empty(tmp_path):
    assert glossary.reference_entries(tmp_path / "nothing.md") == {}


# ----------------------------------------------------------------------------- the story
@pytest.fixture(scope="module")
def after_states():
    face = story.start_scenario(story.START_FILES[0])
    return story.state_at(face, 1140), story.state_at(face, 3300)


def test_each_state_is_the_face_at_its_voltage_with_a_derived_height(after_states):
    low, high = after_states
    assert (low.scenario.electrical.supply_voltage_v, high.scenario.electrical.supply_voltage_v) == (1140, 3300)
    assert low.scenario.machine.height_mode == high.scenario.machine.height_mode == "derived"
    assert low.picture["machine_height_mm"] > high.picture["machine_height_mm"] + 40
    assert low.scenario.machine == high.scenario.machine  # the same machine settings: only the voltage moved


def test_the_files_cable_is_kept_at_its_voltage_and_replaced_where_it_cannot_carry_the_current(after_states):
    low, high = after_states
    assert "as in the file" in high.cable_note
    assert (high.scenario.electrical.cable_csa_mm2, high.scenario.electrical.cable_count) == (50, 1)
    assert "cannot carry the current" in low.cable_note
    assert low.feasible and low.picture["cable_loading_pct"] <= story.FULL_LOAD_PCT
    copper = low.scenario.electrical.cable_csa_mm2 * low.scenario.electrical.cable_count
    # nothing with less copper carries it
    for csa in story.CABLE_CSAS_MM2:
        for n in range(1, story.MOST_CABLES + 1):
            if csa * n < copper:
                sc = seamsim.apply_overrides(low.scenario, {"electrical.cable_csa_mm2": csa, "electrical.cable_count": n})
                p = seamsim.engineering_picture(sc)
                assert p["status"] != "ok" or p["cable_loading_pct"] > story.FULL_LOAD_PCT, (csa, n)


def test_a_voltage_the_schema_refuses_is_refused():
    with pytest.raises(ValueError, match="1,140, 3,300"):
        story.state_at(story.start_scenario(story.START_FILES[0]), 660)


def test_the_chain_rows_walk_voltage_to_tonnes_with_the_change(after_states):
    low, high = after_states
    rows = story.chain_rows(low, high)
    keys = [r.key for r in rows]
    assert keys[:3] == ["supply_voltage_v", "rated_current_a", "trailing_cable_loading_pct"]
    assert keys.index("machine_height_mm") < keys.index("spare_clearance_mm") < keys.index("rock_cut_mm")
    assert keys[-1] == "coal_t_per_web"
    by = {r.key: r for r in rows}
    height = by["machine_height_mm"]
    assert height.left == f"{low.picture['machine_height_mm']:.0f} mm"
    assert height.right == f"{high.picture['machine_height_mm']:.0f} mm"
    assert height.delta.startswith("−") and height.better is True
    assert by["start_dip_pct"].delta.endswith("percentage points")
    assert by["supply_voltage_v"].better is None
    assert by["coal_t_per_web"].delta.startswith("the same coal, −")  # the rock goes, the coal stays


def test_the_same_voltage_on_both_sides_changes_nothing(after_states):
    _, high = after_states
    rows = story.chain_rows(high, high)
    assert all(r.delta in ("no change", "") and r.better is None for r in rows)


@pytest.mark.parametrize(("left", "right", "unit", "expected"), [
    (304.0, 149.0, "A", "−155 A (−51%)"),
    (19.3, 13.9, "%", "−5.4 percentage points"),
    (630.0, 587.4, "mm", "−43 mm"),
    (2.0, 2.0, "m/min", "no change"),
    (None, 2.0, "m/min", ""),
    (1.0, math.nan, "t", ""),
])
def test_delta_text(left, right, unit, expected):
    assert story.delta_text(left, right, unit) == expected


def test_month_rows_use_the_simulation_and_say_when_a_face_cannot_be_worked():
    left = pd.DataFrame({"jams": [10.0, 14.0], "picks_per_kt_coal": [3.0, 3.0], "running_ratio": [0.40, 0.50],
                         "coal_t_per_month": [20_000.0, 22_000.0], "rom_t_per_month": [24_000.0, 26_000.0]})
    right = left.assign(jams=[2.0, 2.0], running_ratio=[0.6, 0.6], rom_t_per_month=[45_000.0, 47_000.0])
    rows = {r.key: r for r in story.month_rows(left, right, days=30)}
    assert rows["jams"].left == "12" and rows["jams"].right == "2" and rows["jams"].delta == "−10"
    assert rows["jams"].better is True
    assert rows["running_ratio"].delta == "+15.0 percentage points"
    assert rows["rom_t_per_month"].right == "46,000 t/month"
    assert rows["picks_per_kt_coal"].delta == "no change"
    gone = {r.key: r for r in story.month_rows(left, pd.DataFrame(), days=30, right_ok=False)}
    assert gone["rom_t_per_month"].right == "cannot be worked" and gone["rom_t_per_month"].delta == ""


# ----------------------------------------------------------------------------- titles
def test_the_title_follows_the_settings_not_the_presets_name():
    after = story.start_scenario(story.START_FILES[0])
    at_1140 = seamsim.apply_overrides(after, {"electrical.supply_voltage_v": 1140})
    title = face_titles.face_title(at_1140, seamsim.engineering_picture(at_1140))
    assert "1,140 V" in title and "3,300" not in title
    assert "680 kW" in title and "0.80 m seam" in title
    explicit = seamsim.apply_overrides(after, {"machine.height_mode": "explicit", "machine.machine_height_mm": 612})
    assert face_titles.face_title(explicit).startswith("612 mm, 680 kW shearer")
    assert "automated face ends" in face_titles.face_subtitle(after)


def test_an_infeasible_face_is_never_said_to_cut_coal_only():
    picture = {"spare_clearance_mm": 22.0, "design_spare_clearance_mm": 20.0, "rock_cut_mm": 0.0}
    assert "coal only" in face_titles.clearance_title({**picture, "status": "ok"})
    infeasible = face_titles.clearance_title({**picture, "status": "infeasible"})
    assert "coal only" not in infeasible and "cannot be worked" in infeasible
    tall = face_titles.clearance_title({**picture, "spare_clearance_mm": -40.0, "rock_cut_mm": 60.0, "status": "ok"})
    assert "40 mm taller" in tall and "60 mm of roof rock" in tall


# ----------------------------------------------------------------------------- projector mode
@pytest.mark.parametrize(("params", "expected"), [
    ({"projector": "1"}, True), ({"projector": "true"}, True), ({"projector": ["0", "on"]}, True),
    ({"projector": "0"}, False), ({}, False), ({"projector": ""}, False),
])
def test_the_url_switches_projector_mode(params, expected):
    assert display.is_projector(params) is expected


def test_projector_css_enlarges_type_and_the_plain_css_does_not():
    assert f"font-size: {display.PROJECTOR_FONT_PX}px" in display.page_css(True)
    assert "html {" not in display.page_css(False)
    assert "stMetricValue" in display.page_css(False)  # KPI values shrink rather than clip in every mode


def test_style_figure_grows_margins_and_type_in_projector_mode():
    import plotly.graph_objects as go

    fig = display.style_figure(go.Figure(go.Bar(x=[1], y=[2]), layout={"title": {"text": "a title"}}), True)
    assert fig.layout.font.size == display.CHART_FONT_PX[True]
    assert fig.layout.xaxis.automargin is True and fig.layout.margin.t >= 3 * fig.layout.title.font.size


def test_the_tab_icon_is_a_local_file():
    assert display.ICON_PATH.is_file() and display.ICON_PATH.read_bytes()[:4] == b"\x89PNG"
