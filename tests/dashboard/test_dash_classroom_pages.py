"""The classroom pages through Streamlit's AppTest: "Why 3,300 V?", Glossary, References,
help on the KPI cards, Explore's title from the settings, and projector mode."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

import dashboard
from dashboard import display, glossary
from dashboard import voltage_story as story

APP = str(Path(dashboard.__file__).resolve().parent / "app.py")
TIMEOUT = 120


def _ok(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


def _page(page: str, at: AppTest | None = None) -> AppTest:
    at = at or AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.switch_page(f"pages/{page}.py").run()
    _ok(at)
    return at


def _texts(at: AppTest) -> list[str]:
    return [m.value for m in at.markdown]


def _row(at: AppTest, step: str) -> list[str]:
    """The markdown cells after the step's label: left value, change, right value."""
    texts = _texts(at)
    i = next(k for k, t in enumerate(texts) if t.endswith(f"{step}**") and t.startswith("**"))
    return texts[i + 1: i + 4]


def test_why_3300v_walks_the_chain_with_both_voltages_side_by_side():
    at = _page("why_3300v")
    assert at.title[0].value == "Why 3,300 V?"
    face = story.start_scenario(story.START_FILES[0])
    low, high = story.state_at(face, 1140), story.state_at(face, 3300)
    left, change, right = _row(at, "machine height (derived)")
    assert left.startswith(f"{low.picture['machine_height_mm']:.0f} mm")
    assert right.startswith(f"{high.picture['machine_height_mm']:.0f} mm")
    assert "−" in change
    texts = "\n".join(_texts(at))
    for step in ("supply voltage", "current", "trailing cable to the face", "start dip", "spare clearance",
                 "rock per pass", "speed", "picks", "jams", "tonnes a web", "run-of-mine a month"):
        assert f"{step}**" in texts, step
    assert len(at.get("plotly_chart")) == 2  # the clearance picture of each state
    assert any("In short" in s.value for s in at.success)
    # every step's label has its "?" from the glossary
    labelled = [m for m in at.markdown if m.value.startswith("**") and ". " in m.value[:6]]
    assert labelled and all(m.help for m in labelled)


def test_switching_a_columns_voltage_moves_every_step_of_that_column():
    at = _page("why_3300v")
    before = _row(at, "machine height (derived)")
    at.radio(key="why_right_v").set_value(1140).run()
    _ok(at)
    after = _row(at, "machine height (derived)")
    assert after[0] == before[0] and after[2] != before[2]
    assert after[2].split("<br>")[0] == after[0].split("<br>")[0]  # both sides now the 1,140 V face
    assert after[1] == "→ no change"
    assert any("same voltage" in i.value for i in at.info)


def test_why_3300v_follows_the_seam_and_the_starting_face():
    at = _page("why_3300v")
    at.selectbox(key="why_start").set_value(dashboard.ARTICLE_BEFORE).run()
    _ok(at)
    assert at.number_input(key="why_power_kw").value == 400.0
    at.number_input(key="why_seam_m").set_value(0.70).run()
    _ok(at)
    left, _, right = _row(at, "spare clearance")
    face = story.start_scenario(dashboard.ARTICLE_BEFORE, seam_height_m=0.70)
    for text, volts in ((left, 1140), (right, 3300)):
        chain = story.state_at(face, volts).picture["chain"]
        assert text.startswith(next(link["value"] for link in chain if link["key"] == "spare_clearance_mm"))
    assert "seam 700" in left


def test_the_glossary_page_lists_every_term_and_finds_one():
    at = _page("glossary")
    text = "\n".join(_texts(at))
    for term in glossary.TERMS:
        assert f"**{term}**" in text, term
    at.text_input(key="glossary_query").set_value("outbye").run()
    _ok(at)
    assert any(m.value.startswith("**outbye**") for m in at.markdown)
    assert not any(m.value.startswith("**seed**") for m in at.markdown)


def test_the_references_page_shows_the_repositorys_list_and_resolves_a_tag():
    at = _page("references")
    body = "\n".join(_texts(at))
    assert "| S17 | running ratio definition and benchmarks |" in body
    assert "| T1 |" in body
    at.text_input(key="references_tag").set_value("[s17]").run()
    _ok(at)
    assert "running ratio definition" in at.success[0].value
    at.text_input(key="references_tag").set_value("Q9").run()
    assert "not in the list" in at.warning[0].value


def test_every_kpi_card_has_help_and_explore_titles_the_face_from_its_settings():
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    _ok(at)
    assert len(at.metric) >= len(dashboard.HEADLINE_KPIS)
    assert all(m.proto.help for m in at.metric)
    assert "3,300 V" in at.header[0].value
    at.radio(key="explore:electrical.supply_voltage_v").set_value(1140)
    at.button(key="explore_run").click().run()
    _ok(at)
    assert "1,140 V" in at.header[0].value and "3,300" not in at.header[0].value


def test_a_field_help_lists_the_sources_of_its_tags():
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    _ok(at)
    radio = at.radio(key="explore:electrical.supply_voltage_v")
    assert "[A]" in radio.help and "the source article" in radio.help


def test_projector_mode_from_the_url_and_from_the_toggle():
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params[display.PROJECTOR_PARAM] = "1"
    at.run()
    _ok(at)
    assert at.session_state[display.PROJECTOR_KEY] is True
    assert at.toggle(key=display.PROJECTOR_KEY).value is True
    at.toggle(key=display.PROJECTOR_KEY).set_value(False).run()
    _ok(at)
    assert display.PROJECTOR_PARAM not in at.query_params
    plain = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    assert plain.session_state[display.PROJECTOR_KEY] is False
    plain.toggle(key=display.PROJECTOR_KEY).set_value(True).run()
    _ok(plain)
    assert display.is_projector(plain.query_params)
