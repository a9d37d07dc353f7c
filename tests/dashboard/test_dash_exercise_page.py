"""The Exercise page through Streamlit's AppTest: only the visible settings have widgets,
the run budget holds, an answer is kept with the model's feedback, the trainer sees the
class summary, and no text of the student page shows a hidden value."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.errors import AppTestError

import dashboard
from dashboard.history import HistoryStore
from seamsim.exercise import load_exercise

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "dashboard" / "app.py")
SOURCE = ROOT / "exercises" / "cable_bottleneck.yaml"


@pytest.fixture
def exercise_dir(tmp_path, monkeypatch):
    """The cable exercise, shortened (2 runs, 3 replications of 5 days), alone in a folder."""
    folder = tmp_path / "exercises"
    folder.mkdir()
    text = SOURCE.read_text().replace("budget: 6", "budget: 2").replace("replications: 6", "replications: 3")
    (folder / "cable_bottleneck.yaml").write_text(text.replace("days: 15", "days: 5"))
    monkeypatch.setenv("SEAMSIM_EXERCISE_DIR", str(folder))
    monkeypatch.setenv("SEAMSIM_SCENARIO_DIR", str(dashboard.scenario_dir()))
    monkeypatch.setenv("SEAMSIM_HISTORY_DB", str(tmp_path / "history.sqlite"))
    monkeypatch.delenv("SEAMSIM_TRAINER_CODE", raising=False)
    return folder


def _page() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=180).run()
    at.switch_page("pages/exercise.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _texts(at: AppTest) -> list[str]:
    """Every text the page shows: markdown, captions, alerts, metrics, tables, labels, options."""
    out = []
    for kind in ("markdown", "caption", "info", "success", "warning", "error", "title", "header", "subheader"):
        out += [str(e.value) for e in at.get(kind)]
    out += [f"{m.label} {m.value}" for m in at.metric]
    out += [d.value.to_csv() for d in at.dataframe]
    for kind in ("number_input", "selectbox", "radio", "toggle", "text_input", "text_area", "button", "slider"):
        for e in at.get(kind):
            out.append(f"{e.label} {getattr(e, 'help', '') or ''}")
            out += [str(o) for o in getattr(e, "options", [])]
    out += [json.dumps(c.proto.spec) for c in at.get("plotly_chart")]
    return out


def test_the_student_sees_only_the_visible_settings_and_the_budget_holds(exercise_dir):
    ex = load_exercise(exercise_dir / "cable_bottleneck.yaml")
    at = _page()
    prefix = f"exercise:{ex.id}:"
    keys = {e.key.removeprefix(prefix) for kind in ("number_input", "selectbox", "toggle", "slider", "radio")
            for e in at.get(kind) if e.key and e.key.startswith(prefix)}
    assert keys == set(ex.exercise.visible)
    assert not any(p in str(e.key) for p in ex.exercise.hidden for kind in ("number_input", "selectbox")
                   for e in at.get(kind))
    run = at.button(key="exercise_run")
    assert run.label.startswith("Run the face (2 of 2")
    at.number_input(key=f"{prefix}machine.cutting_power_kw").set_value(500.0).run()
    for _ in range(2):
        at.button(key="exercise_run").click().run()
        assert not at.exception, [e.value for e in at.exception]
    with pytest.raises(AppTestError, match="disabled"):  # the budget is spent
        at.button(key="exercise_run").click()
    made = at.session_state[f"exercise_runs:{ex.id}:{ex.digest[:12]}"]
    assert len(made) == 2 and made[0]["changes"] == {"machine.cutting_power_kw": 500.0}
    assert at.button(key="exercise_run").disabled
    assert any("used every run" in c.value for c in at.caption)
    assert any(m.label.startswith("Monthly output") for m in at.metric)
    assert not any(m.label.startswith("Supply voltage") for m in at.metric)
    text = "\n".join(_texts(at))
    assert [s.forms for s in ex.secrets if s.forms] == [("1140", "1,140", "1140.0"), ("760", "760.0")]
    assert ex.reveals(text) == []
    assert ex.scenario.title not in text and "whatif_high_power" not in text


def test_an_answer_is_kept_with_feedback_and_the_trainer_sees_the_class(exercise_dir):
    at = _page()
    at.button(key="exercise_run").click().run()
    at.text_input(key="exercise_student").input("Li Wei")
    at.radio(key="exercise_choice:cable_bottleneck").set_value("roof")
    at.text_area(key="exercise_reason:cable_bottleneck").input("jams under the canopies")
    at.button(key="exercise_submit").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("The model's answer" in w.value and "Electrical supply" in w.value for w in at.warning)
    kept = HistoryStore(Path(str(exercise_dir.parent / "history.sqlite"))).list_exercise_answers("cable_bottleneck")
    assert list(kept["student"]) == ["Li Wei"] and list(kept["choice"]) == ["roof"]
    assert list(kept["runs_used"]) == [1] and not kept["correct"].iloc[0] and kept["verdict"].iloc[0] == "wrong"

    at.toggle(key="exercise_trainer").set_value(True).run()
    assert not at.exception
    assert any("Answer key" in s.value for s in at.subheader)
    assert any(m.label == "Answers" and m.value == "1" for m in at.metric)
    tables = [d.value for d in at.dataframe]
    assert any("student" in t.columns and "Li Wei" in set(t["student"]) for t in tables)
    key = next(t for t in tables if "more than the reference [h]" in t.columns)  # the key, in people's words
    assert key["cause"].iloc[0] == "Electrical supply and cable (trips, power)"
    assert key["more than the reference [h]"].iloc[0].startswith("+") and " to " in key["95% CI"].iloc[0]
    assert any(c.value.startswith("Hidden settings:") and "760" in c.value for c in at.caption)


def test_a_broken_history_file_never_breaks_the_page(exercise_dir):
    (exercise_dir.parent / "history.sqlite").write_bytes(b"not a database" * 50)
    at = _page()
    at.text_input(key="exercise_student").input("Li")
    at.radio(key="exercise_choice:cable_bottleneck").set_value("supply")
    at.button(key="exercise_submit").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("could not be kept" in e.value for e in at.error)
    assert any("The model's answer" in s.value for s in at.success)  # feedback all the same
