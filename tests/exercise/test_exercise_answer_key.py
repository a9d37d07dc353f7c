"""The answer key of each bundled exercise, recomputed here from the model's own runs, and
the feedback on answers."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import seamsim
from seamsim.exercise import (
    CAUSES,
    ExerciseError,
    answer_key,
    feedback,
    load_exercise,
    load_exercise_text,
)
from seamsim.exercise.answer_key import slowed_share

ROOT = Path(__file__).resolve().parents[2]


def _exercise(name: str):
    return load_exercise(ROOT / "exercises" / f"{name}.yaml")


def _face_runs(ex, scenarios):
    limits = ex.exercise.runs
    return seamsim.run_experiment(scenarios, limits.replications, limits.seed, days=limits.days,
                                  executor="serial").runs


@pytest.mark.parametrize(("name", "intended"), [("shields_bottleneck", "shields"), ("cable_bottleneck", "supply")])
def test_a_bottleneck_key_is_the_intended_cause_and_matches_the_runs(name, intended):
    ex = _exercise(name)
    key = answer_key(ex)
    assert key.answer == intended
    top = key.ranking.iloc[0]
    assert top["gap_lo"] > 0.0, "the cause costs clearly more hours than on the reference face"
    assert (key.ranking["gap_h"].iloc[1:] < top["gap_lo"]).all(), "and clearly more than any other cause"
    # recompute the stopped hours of every cause from a run of our own
    runs = _face_runs(ex, [ex.scenario.model_copy(update={"name": "face"}),
                           ex.reference.model_copy(update={"name": "ref"})])
    face = runs[runs["scenario"] == "face"]
    table = key.ranking.set_index("cause")
    for cause in CAUSES:
        hours = sum(face[f"time_{s}_h"].astype(float) for s in cause.states).mean()
        assert table.loc[cause.key, "stopped_h"] == pytest.approx(hours, rel=1e-9, abs=1e-9), cause.key
    assert key.face_mean == pytest.approx(face["rom_t_per_month"].mean(), rel=1e-12)
    assert key.reference_mean == pytest.approx(runs.loc[runs["scenario"] == "ref", "rom_t_per_month"].mean())
    assert key.reference_mean > key.face_mean


def test_the_shields_face_is_slowed_by_its_shields():
    ex = _exercise("shields_bottleneck")
    cause, share = slowed_share(ex.scenario)
    picture = seamsim.engineering_picture(ex.scenario)
    limits = {k: v for k, v in picture["speed_limits_m_per_min"].items() if v}
    assert cause == "shields" and picture["binding_limit"] == "shields"
    assert share == pytest.approx(1 - limits["shields"] / min(v for k, v in limits.items() if k != "shields"))


def test_the_best_change_key_is_the_paired_comparison_of_the_model():
    ex = _exercise("crew_best_change")
    key = answer_key(ex)
    assert key.answer == "Train one patrolman as a fitter"
    best = key.ranking.iloc[0]
    assert best["affordable"] and best["gain_lo"] > 0.0
    # the same comparison through the public API
    result = seamsim.compare([ex.scenario.model_copy(update={"name": "face"})]
                             + [sc.model_copy(update={"name": f"c{i}"}) for i, (_, sc) in enumerate(ex.candidates)],
                             ex.exercise.runs.replications, ex.exercise.runs.seed, days=ex.exercise.runs.days,
                             executor="serial")
    gains = result.paired[result.paired["kpi"] == "rom_t_per_month"].set_index("scenario")["mean_diff"]
    ranked = key.ranking.sort_values("order")["gain"].to_numpy()
    assert ranked.tolist() == pytest.approx([gains[f"c{i}"] for i in range(len(ex.candidates))], rel=1e-12)
    assert ex.candidates[int(gains.idxmax()[1:])][0].label == key.answer
    # the crew is what holds the face back: the people it waits for
    assert key.runs.loc[key.runs["scenario"] == "exercise-face", "time_waiting_for_crew_h"].mean() > 20.0


def test_the_key_is_the_same_bits_for_the_same_seed():
    ex = _exercise("shields_bottleneck")
    pd.testing.assert_frame_equal(answer_key(ex).ranking, answer_key(ex).ranking)


def test_feedback_says_right_wrong_over_budget_and_within_noise():
    text = (ROOT / "exercises" / "crew_best_change.yaml").read_text()
    text = text.replace("cost: 280", "cost: 900")  # the conveyor now costs more than the budget
    ex = load_exercise_text(text, source="crew.yaml", base_dir=ROOT / "exercises")
    key = answer_key(ex)
    assert feedback(key, key.answer).verdict == "right" and feedback(key, key.answer).correct
    assert feedback(key, "A bigger conveyor (600 t/h)").verdict == "over budget"
    wrong = feedback(key, "More cutting power (800 kW)")
    assert wrong.verdict == "wrong" and not wrong.correct
    assert any("The best gives +" in line for line in wrong.lines)
    # two candidates that change nothing that matters: within noise of each other, not of the best
    assert feedback(key, "A third remote operator").verdict == "wrong"
    with pytest.raises(KeyError):
        feedback(key, "a candidate that is not there")
    bottleneck = answer_key(_exercise("cable_bottleneck"))
    assert feedback(bottleneck, "supply").verdict == "right"
    lines = feedback(bottleneck, "roof").lines
    assert "rank" in lines[1] and "against the reference face" in lines[0]


def test_a_face_that_cannot_be_worked_has_no_key():
    text = (ROOT / "exercises" / "crew_best_change.yaml").read_text().replace("crew.fitters: 0", "crew.fitters: 0\n  seam.height_m: 0.5")
    ex = load_exercise_text(text, source="thin.yaml", base_dir=ROOT / "exercises")
    with pytest.raises(ExerciseError, match="cannot be worked"):
        answer_key(ex)
