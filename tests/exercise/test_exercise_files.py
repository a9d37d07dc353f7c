"""Exercise files: located messages for bad input, refusal of anything that would reveal a
hidden setting, and the cause table covering every state and limit of the model."""

from __future__ import annotations

from pathlib import Path

import pytest

import seamsim
from seamsim.exercise import CAUSES, ExerciseError, load_exercise, load_exercise_text, value_forms
from seamsim.exercise.causes import SCHEDULED_STATES

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = ROOT / "scenarios"

GOOD = """\
title: "Why so slow?"
scenario: article_after_3300v
changes:
  crew.fitters: 0
visible:
  - seam.height_m
  - crew.patrol_qualified_fitters
hidden:
  - crew.fitters
question:
  kind: best_change
  text: "Which change is worth most?"
  budget: 100
  candidates:
    - label: "Train a patrolman"
      cost: 40
      changes: {crew.patrol_qualified_fitters: 1}
    - label: "A thicker seam"
      cost: 60
      changes: {seam.height_m: 0.9}
"""


def _load(text: str):
    return load_exercise_text(text, source="x.yaml", base_dir=ROOT / "exercises", scenario_dir=SCENARIOS)


def _problems(text: str) -> list[str]:
    with pytest.raises(ExerciseError) as info:
        _load(text)
    return [str(issue) for issue in info.value.issues]


def test_a_good_exercise_loads_with_its_faces():
    ex = _load(GOOD)
    assert ex.id == "x" and ex.kind == "best_change"
    assert ex.scenario.crew.fitters == 0  # the trainer's change is applied
    assert ex.visible_values() == {"seam.height_m": 0.8, "crew.patrol_qualified_fitters": 0}
    assert [sc.crew.patrol_qualified_fitters for _, sc in ex.candidates] == [1, 0]
    assert ex.hides_kpi("crew_per_shift") and not ex.hides_kpi("rom_t_per_month")
    assert ex.student_scenario({"seam.height_m": 0.85}).seam.height_m == 0.85
    with pytest.raises(ExerciseError, match="not a visible setting"):
        ex.student_scenario({"crew.fitters": 2})


@pytest.mark.parametrize("name", ["shields_bottleneck", "cable_bottleneck", "crew_best_change"])
def test_the_bundled_exercises_load(name):
    ex = load_exercise(ROOT / "exercises" / f"{name}.yaml")
    assert ex.id == name and ex.exercise.hidden
    assert not any(ex.reveals(text) for text in (ex.exercise.title, ex.exercise.intro, ex.exercise.question.text))


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (("title:", "titel:"), "x.yaml:1:1: titel: unknown key — did you mean `title`?"),
        (("  - seam.height_m\n", "  - seam.hieght_m\n"), "x.yaml:6:5: visible.0: "),
        (("  - seam.height_m\n", "  - seam\n"), "x.yaml:6:5: visible.0: 'seam' is not a dotted field path"),
        (("kind: best_change", "kind: best"), "x.yaml:11:3: question.kind: 'best' is not a kind of question; choose one of bottleneck, best_change"),
        (("cost: 40", "cost: lots"), "x.yaml:16:7: question.candidates.0.cost: Input should be a valid number"),
        (("{crew.patrol_qualified_fitters: 1}", "{crew.patrol_qualified_fitters: 9}"),
         "x.yaml:17:17: question.candidates.0.changes.crew.patrol_qualified_fitters: 9 is above the maximum 8"),
        (("scenario: article_after_3300v", "scenario: no_such_face"),
         "x.yaml:2:1: scenario: no scenario file 'no_such_face' beside this exercise"),
        (("  crew.fitters: 0", "  crew.fitterz: 0"), "x.yaml:4:3: changes.crew.fitterz: unknown key — did you mean `fitters`?"),
        (("budget: 100", "budget: 50"), "x.yaml:13:3: question.budget: only 1 candidate cost at most the budget 50"),
        (("title:", "kpi: tonnes\ntitle:"), "x.yaml:1:1: kpi: unknown KPI 'tonnes'"),
        (('title: "Why so slow?"', "title: !!python/object/apply:os.system ['x']"), "x.yaml:1:8: title: the tag"),
    ],
    ids=["unknown-key", "unknown-field", "section", "kind", "cost-type", "candidate-bounds", "scenario",
         "bad-change", "budget", "kpi", "python-tag"],
)
def test_bad_input_gets_a_located_message(change, expected):
    problems = _problems(GOOD.replace(*change, 1))
    assert any(expected in p for p in problems), problems


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (("  - crew.patrol_qualified_fitters\n", "  - crew.patrol_qualified_fitters\n  - crew.fitters\n"),
         "hidden.0: `crew.fitters` is both hidden and visible"),
        (('text: "Which change is worth most?"', 'text: "Are the fitters the problem?"'),
         "question.text: names the hidden setting `crew.fitters` ('fitters')"),
        (("{seam.height_m: 0.9}", "{crew.fitters: 1}"),
         "changes the hidden setting `crew.fitters`"),
    ],
    ids=["hidden-and-visible", "named-in-question", "candidate-changes-hidden"],
)
def test_an_exercise_that_would_reveal_a_hidden_setting_is_refused(change, expected):
    problems = _problems(GOOD.replace(*change, 1))
    assert any(expected in p for p in problems), problems


CABLE = """\
title: "Trips"
scenario: whatif_high_power_1140v_long_cable
changes: {electrical.cable_length_m: 760}
visible: [seam.height_m, calendar.roadway_length_m]
hidden: [electrical.cable_length_m, electrical.supply_voltage_v]
question:
  kind: bottleneck
  text: "Why less coal?"
  reference: article_after_3300v
"""


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (('"Why less coal?"', '"Why less coal on 760 m of cable?"'),
         "x.yaml:8:3: question.text: shows '760', the value of the hidden setting `electrical.cable_length_m`"),
        (('"Trips"', '"Trips at 1,140 V"'), "title: shows '1,140', the value of the hidden setting `electrical.supply_voltage_v`"),
        (("{electrical.cable_length_m: 760}", "{electrical.cable_length_m: 760, calendar.roadway_length_m: 760}"),
         "visible.1: shows '760', the value of the hidden setting `electrical.cable_length_m`"),
    ],
    ids=["value-in-question", "value-in-title", "value-of-a-visible-setting"],
)
def test_a_distinctive_hidden_value_shown_anywhere_is_refused(change, expected):
    assert _load(CABLE).secrets[0].forms == ("760", "760.0")
    problems = _problems(CABLE.replace(*change, 1))
    assert any(expected in p for p in problems), problems


def test_redact_replaces_every_written_form_of_a_hidden_value():
    ex = _load(CABLE)
    assert ex.redact("760 m at 1,140 V (1140.0 V); 7600 and 1.760 stay") == "… m at … V (… V); 7600 and 1.760 stay"
    assert ex.reveals("a 760 m cable") == ["electrical.cable_length_m"]
    assert ex.hides_kpi("supply_voltage_v")


def test_value_forms_are_only_for_distinctive_values():
    assert value_forms(1140) == ("1140", "1,140", "1140.0")
    assert value_forms(0.85) == ("0.85",)
    assert value_forms(50) == () and value_forms(0) == () and value_forms(True) == () and value_forms("ab") == ()
    assert value_forms("manual") == ("manual",)


def test_every_state_and_limit_of_the_model_belongs_to_one_cause():
    states = [s for c in CAUSES for s in c.states]
    limits = [limit for c in CAUSES for limit in c.limits]
    assert len(states) == len(set(states)) and len(limits) == len(set(limits))
    assert set(seamsim.STATES) == set(states) | set(seamsim.RUNNING_STATES) | set(SCHEDULED_STATES)
    assert set(seamsim.LIMIT_NAMES) == set(limits)


def test_a_missing_or_special_file_is_refused_with_its_name(tmp_path):
    with pytest.raises(ExerciseError, match="nothing.yaml: file not found"):
        load_exercise(tmp_path / "nothing.yaml")
    with pytest.raises(ExerciseError, match="is a directory"):
        load_exercise(tmp_path)
