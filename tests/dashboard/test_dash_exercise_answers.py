"""Exercise answers in the SQLite history: one per exercise and student, kept across
sessions, and the same robustness as the runs (a bad file never raises on opening, a fresh
start moves it aside and copies what can be read)."""

from __future__ import annotations

import sqlite3

import pytest

from dashboard.history import HistoryStore
from dashboard.history_records import HistoryError

ANSWER = {"exercise_id": "shields", "exercise_digest": "abc", "choice": "shields", "reason": "waiting for shields",
          "runs_used": 3, "correct": True, "verdict": "right"}


def test_one_answer_per_exercise_and_student_the_latest_kept(tmp_path):
    store = HistoryStore(tmp_path / "h.sqlite")
    first = store.add_exercise_answer(student="Li", **ANSWER)
    store.add_exercise_answer(student="Wang", **{**ANSWER, "choice": "roof", "correct": False, "verdict": "wrong"})
    again = store.add_exercise_answer(student="Li", **{**ANSWER, "choice": "crew", "correct": False, "verdict": "wrong"})
    assert again == first
    table = HistoryStore(store.path).list_exercise_answers("shields")
    assert sorted(table["student"]) == ["Li", "Wang"]
    assert table.set_index("student").loc["Li", "choice"] == "crew"
    assert not table["correct"].any()
    assert HistoryStore(store.path).list_exercise_answers("other").empty
    with sqlite3.connect(store.path) as con:  # the database itself refuses a second row
        with pytest.raises(sqlite3.IntegrityError):
            con.execute("INSERT INTO exercise_answers (exercise_id, exercise_digest, student, choice, reason, "
                        "runs_used, correct, verdict, submitted_at) VALUES ('shields', 'x', 'Li', 'a', '', 0, 0, "
                        "'wrong', '2024-01-01')")
    assert store.delete_exercise_answers("shields") == 2


def test_an_old_history_file_gets_the_table(tmp_path):
    path = tmp_path / "old.sqlite"
    with sqlite3.connect(path) as con:
        con.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    store = HistoryStore(path)
    assert store.problem is None
    store.add_exercise_answer(student="Li", **ANSWER)
    assert len(store.list_exercise_answers()) == 1


def test_a_bad_file_never_raises_on_opening_and_a_fresh_start_keeps_the_answers(tmp_path):
    path = tmp_path / "h.sqlite"
    store = HistoryStore(path)
    store.add_exercise_answer(student="Li", **ANSWER)
    with sqlite3.connect(path) as con:  # a damaged row: the student is not text
        con.execute("INSERT INTO exercise_answers (exercise_id, exercise_digest, student, choice, reason, runs_used, "
                    "correct, verdict, submitted_at) VALUES ('shields', 'x', 'Wang', 'a', '', 'many', 0, 'wrong', "
                    "'2024-01-01')")
    table = store.list_exercise_answers()
    assert list(table["student"]) == ["Li"] and len(table.attrs["skipped"]) == 1
    fresh = store.start_fresh()
    assert fresh.moved_to is not None and fresh.moved_to.exists() and fresh.answers_copied == 2
    copied = HistoryStore(path).list_exercise_answers()
    assert list(copied["student"]) == ["Li"] and len(copied.attrs["skipped"]) == 1

    garbage = tmp_path / "garbage.sqlite"
    garbage.write_bytes(b"this is not a database" * 100)
    broken = HistoryStore(garbage)
    assert broken.problem is not None and "not a history database" in broken.problem.message
    with pytest.raises(HistoryError, match="garbage.sqlite"):
        broken.add_exercise_answer(student="Li", **ANSWER)
    with pytest.raises(HistoryError):
        broken.list_exercise_answers()
