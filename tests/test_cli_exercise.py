"""``seamsim exercise check``: a bundled exercise prints the key the model computes; a bad
file exits 2 with every problem at its file, line and column; ``--json`` is one object."""

from __future__ import annotations

import json
import re
import textwrap
from pathlib import Path

import pytest
from cli_calls import run

from seamsim.exercise import answer_key, cause_by_key, load_exercise

ROOT = Path(__file__).resolve().parents[1]
CABLE = ROOT / "exercises" / "cable_bottleneck.yaml"
CREW = ROOT / "exercises" / "crew_best_change.yaml"

REVEALING = """
title: "Why 760 m?"
scenario: article_after_3300v
changes:
  electrical.cable_length_m: 760
visible: [seam.height_m]
hidden: [electrical.cable_length_m]
question:
  kind: bottleneck
  text: What holds it back?
"""

BAD = """
title: "Why so slow?"
scenario: article_after_3300v
changes:
  electrical.cable_length_m: 760
visible: [seam.height_m]
hidden: [electrical.cable_length_m]
question:
  kind: bottleneck
  text: What holds it back?
  colour: red
runs:
  replications: 1
"""


def test_a_bundled_exercise_prints_the_key_the_model_computes(capsys):
    key = answer_key(load_exercise(CABLE))
    code, out, err = run(capsys, "exercise", "check", str(CABLE))
    assert code == 0 and err == ""
    assert out.startswith(f"ok  {CABLE}  (Trips on a powerful face)")
    assert f"answer key (computed by the model): {cause_by_key(key.answer).label}" in out
    assert "electrical.cable_length_m = 760" in out  # the trainer sees what is hidden
    # the ranking, best first, as the model ranks it
    table = [line.split() for line in out.splitlines() if re.match(r"\s+\d+\s+[a-z_]+\s+[\d.]+\s", line)]
    assert [row[1] for row in table] == list(key.ranking["cause"])
    assert float(table[0][2]) == pytest.approx(key.ranking["lost_h"].iloc[0], abs=0.006)


def test_a_bad_file_exits_2_with_each_problem_located_and_the_others_are_still_checked(tmp_path, capsys):
    bad, revealing = tmp_path / "bad.yaml", tmp_path / "revealing.yaml"
    bad.write_text(textwrap.dedent(BAD).lstrip("\n"), encoding="utf-8")
    revealing.write_text(textwrap.dedent(REVEALING).lstrip("\n"), encoding="utf-8")
    code, out, err = run(capsys, "exercise", "check", "--no-key", str(bad), str(revealing), str(CREW))
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 3 and all(re.match(r".+\.yaml:\d+:\d+: ", line) for line in lines), err
    assert lines[0].startswith(f"{bad}:10:3: question.colour: unknown key")
    assert lines[1].startswith(f"{bad}:12:3: runs.replications: 1 is below the minimum 2")
    # a file outside the repository names a bundled scenario; its title gives the hidden value away
    assert re.match(rf"{re.escape(str(revealing))}:1:1: title: shows '760'.*electrical.cable_length_m", lines[2])
    assert out.startswith(f"ok  {CREW}")  # the next file is still checked


def test_a_missing_file_and_no_action_exit_2(tmp_path, capsys):
    code, _, err = run(capsys, "exercise", "check", str(tmp_path / "nowhere.yaml"))
    assert code == 2 and "nowhere.yaml" in err
    code, _, _ = run(capsys, "exercise")
    assert code == 2


def test_json_is_one_object_with_the_key_of_the_model(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text(textwrap.dedent(BAD).lstrip("\n"), encoding="utf-8")
    code, out, _ = run(capsys, "exercise", "check", "--json", str(CREW), str(bad))
    assert code == 2
    data = json.loads(out)
    assert data["ok"] is False
    good, wrong = data["exercises"]
    key = answer_key(load_exercise(CREW))
    assert good["ok"] and good["kind"] == "best_change" and good["hidden"] == {"crew.fitters": 0}
    assert good["key"]["answer"] == key.answer == "Train one patrolman as a fitter"
    gains = {row["candidate"]: row["gain"] for row in good["key"]["ranking"]}
    assert gains == pytest.approx(dict(zip(key.ranking["candidate"], key.ranking["gain"], strict=True)))
    assert good["key"]["face"]["mean"] == pytest.approx(key.face_mean)
    assert not wrong["ok"] and all(issue["file"] == str(bad) and issue["line"] for issue in wrong["issues"])
