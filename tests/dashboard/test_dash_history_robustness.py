"""The history file in bad shape: random bytes, truncated, read-only, an unwritable folder, a row
with bad JSON, five writers at once. The store says what is wrong, never loses a good row and
never deletes the file; the History and Scenarios pages survive and offer a fresh start."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboard.history import HistoryStore
from dashboard.history_records import HistoryError

ROOT = Path(__file__).resolve().parents[2]
PAGES = ROOT / "dashboard" / "pages"
AS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def _add(store: HistoryStore, label: str = "run", fingerprint: str | None = None) -> int:
    return store.add_run(page="explore", label=label, scenarios=[{"name": "a"}], seed=1, replications=2, days=3.0,
                         status="ok", runs=pd.DataFrame({"scenario": ["a", "a"], "rom_t_per_month": [1.0, 2.0]}),
                         headline=1.5, fingerprint=fingerprint)


def _random_file(path: Path) -> bytes:
    data = os.urandom(5000)
    path.write_bytes(data)
    return data


def _truncated_file(path: Path) -> None:
    good = path.with_name("good.sqlite")
    store = HistoryStore(good)
    for i in range(100):
        _add(store, str(i))
    with sqlite3.connect(good) as con:
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = good.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _bad_json_row(path: Path) -> tuple[int, int]:
    store = HistoryStore(path)
    bad, good = _add(store, "bad"), _add(store, "good")
    with sqlite3.connect(path) as con:
        con.execute("UPDATE runs SET scenario_names = '{not json', runs_json = '[1, 2' WHERE id = ?", (bad,))
    return bad, good


# --------------------------------------------------------------------------------------
# The store
# --------------------------------------------------------------------------------------
def test_random_bytes_are_reported_and_moved_aside_not_deleted(tmp_path):
    path = tmp_path / "history.sqlite"
    data = _random_file(path)
    store = HistoryStore(path)  # does not raise
    assert store.problem is not None and store.problem.can_start_fresh
    assert "history.sqlite is damaged or not a history database" in store.problem.message
    with pytest.raises(HistoryError, match="cannot list the runs: .*history.sqlite"):
        store.list_runs()
    with pytest.raises(HistoryError, match="cannot keep this run"):
        _add(store)
    fresh = store.start_fresh()
    assert fresh.moved_to.read_bytes() == data and fresh.moved_to.name.startswith("history.sqlite.broken-")
    assert store.problem is None and _add(store) == 1 and store.count_runs() == 1


def test_a_truncated_file_is_reported(tmp_path):
    path = tmp_path / "history.sqlite"
    _truncated_file(path)
    store = HistoryStore(path)
    assert store.problem is not None and "damaged" in store.problem.message
    assert store.start_fresh().moved_to.exists() and store.list_runs().empty


def test_a_row_with_bad_json_is_skipped_and_the_others_kept(tmp_path):
    bad, good = _bad_json_row(tmp_path / "h.sqlite")
    store = HistoryStore(tmp_path / "h.sqlite")
    assert store.problem is None
    listing = store.list_runs()
    assert listing["id"].tolist() == [good] and listing.attrs["skipped"] == [bad]
    with pytest.raises(HistoryError, match=f"run #{bad} in .* cannot be read"):
        store.get_run(bad)
    assert store.get_run(good).label == "good"


def test_an_unwritable_folder_is_reported_with_what_to_do(tmp_path):
    (tmp_path / "a_file").write_text("x")
    store = HistoryStore(tmp_path / "a_file" / "history.sqlite")
    assert store.problem is not None and not store.problem.can_start_fresh
    assert "SEAMSIM_HISTORY_DB" in store.problem.message
    with pytest.raises(HistoryError):
        store.list_runs()


def _read_only(path: Path, monkeypatch) -> None:
    """Make ``path`` (this very file, not a new one at its name) read-only, even for root."""
    inode = path.stat().st_ino
    connect, access = sqlite3.connect, os.access

    def same(target) -> bool:
        return str(target) == str(path) and path.exists() and path.stat().st_ino == inode

    monkeypatch.setattr(sqlite3, "connect", lambda target, *a, **k: connect(f"file:{path}?mode=ro", uri=True)
                        if same(target) else connect(target, *a, **k))
    monkeypatch.setattr(os, "access", lambda target, mode: (mode != os.W_OK and access(target, mode))
                        if same(target) else access(target, mode))


@pytest.mark.parametrize("how", ["chmod", "simulated"])
def test_a_read_only_file_is_listed_and_copied_into_a_fresh_one(tmp_path, monkeypatch, how):
    if how == "chmod" and AS_ROOT:
        pytest.skip("root writes read-only files")
    path = tmp_path / "h.sqlite"
    _add(HistoryStore(path), "kept")
    with sqlite3.connect(path) as con:
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        con.execute("PRAGMA journal_mode=DELETE")
    if how == "chmod":
        path.chmod(0o444)
    else:
        _read_only(path, monkeypatch)
    store = HistoryStore(path)
    assert store.problem is not None and store.problem.read_only
    assert store.list_runs()["label"].tolist() == ["kept"]
    with pytest.raises(HistoryError):
        _add(store)
    fresh = store.start_fresh()
    assert fresh.runs_copied == 1 and store.list_runs()["label"].tolist() == ["kept"] and fresh.moved_to.exists()


def test_an_old_file_with_duplicates_keeps_every_row_and_gains_the_unique_index(tmp_path):
    path = tmp_path / "old.sqlite"
    with sqlite3.connect(path) as con:  # version 1: a plain index, duplicates possible
        con.executescript(
            "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
            "CREATE TABLE runs (id INTEGER PRIMARY KEY AUTOINCREMENT, created_at TEXT NOT NULL, page TEXT NOT NULL,"
            " label TEXT NOT NULL, scenario_names TEXT NOT NULL, scenarios_json TEXT NOT NULL, seed INTEGER NOT NULL,"
            " replications INTEGER NOT NULL, days REAL, status TEXT NOT NULL, fingerprint TEXT, headline REAL,"
            " runs_json TEXT NOT NULL, extra_json TEXT NOT NULL DEFAULT '{}');"
            "CREATE INDEX runs_fingerprint ON runs (fingerprint);"
        )
        for label in ("first", "twin"):
            con.execute("INSERT INTO runs (created_at, page, label, scenario_names, scenarios_json, seed, replications,"
                        " status, fingerprint, runs_json) VALUES ('2024-01-01T00:00:00+00:00', 'explore', ?, '[\"a\"]',"
                        " '[]', 0, 1, 'ok', 'same', '[]')", (label,))
    store = HistoryStore(path)
    assert store.problem is None and store.count_runs() == 2
    assert _add(store, fingerprint="same") == 1  # the first one now owns the fingerprint


WRITER = """
import sys, time
sys.path.insert(0, sys.argv[1])
import pandas as pd
from dashboard.history import HistoryStore
store = HistoryStore(sys.argv[2])
while time.time() < float(sys.argv[3]):
    pass
ids = [store.add_run(page="explore", label="w", scenarios=[{"name": "a"}], seed=1, replications=1, days=1.0,
                     status="ok", runs=pd.DataFrame({"scenario": ["a"]}), fingerprint=f"fp{i}") for i in range(10)]
print(ids)
"""


def test_five_processes_writing_at_once_store_each_run_once(tmp_path):
    path = tmp_path / "race.sqlite"
    start = time.time() + 3.0
    writers = [subprocess.Popen([sys.executable, "-c", WRITER, str(ROOT), str(path), str(start)], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True) for _ in range(5)]
    results = [w.communicate(timeout=120) for w in writers]
    assert all(w.returncode == 0 for w in writers), [err for _, err in results]
    assert len({out for out, _ in results}) == 1  # every writer got the same ten ids
    assert HistoryStore(path).count_runs() == 10


# --------------------------------------------------------------------------------------
# The pages
# --------------------------------------------------------------------------------------
@pytest.fixture(autouse=True)
def _keep_main():
    """Streamlit runs a page as ``sys.modules["__main__"]`` and leaves it there: put the real one back,
    or later process pools (spawn, fork server, Dask) would re-run the page in each worker."""
    main = sys.modules["__main__"]
    yield
    sys.modules["__main__"] = main


def _page(name: str, db: Path, monkeypatch) -> AppTest:
    monkeypatch.setenv("SEAMSIM_HISTORY_DB", str(db))
    at = AppTest.from_file(str(PAGES / f"{name}.py"), default_timeout=60).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_the_history_page_on_a_corrupt_file_offers_a_fresh_one(tmp_path, monkeypatch):
    db = tmp_path / "history.sqlite"
    data = _random_file(db)
    at = _page("history", db, monkeypatch)
    assert "is damaged or not a history database" in at.error[0].value
    at.button(key="history_start_fresh").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert "moved to" in at.success[0].value and "not deleted" in at.success[0].value
    assert "No runs yet" in at.info[0].value
    assert [p.read_bytes() for p in tmp_path.glob("history.sqlite.broken-*") if p.is_file()] == [data]


def test_the_history_page_lists_the_good_rows_beside_a_bad_one(tmp_path, monkeypatch):
    db = tmp_path / "history.sqlite"
    bad, good = _bad_json_row(db)
    at = _page("history", db, monkeypatch)
    assert f"#{bad}" in at.warning[0].value and "could not be read" in at.warning[0].value
    assert at.dataframe[0].value["id"].tolist() == [good]
    at.multiselect(key="history_pick").set_value([good]).run()
    assert not at.exception, [e.value for e in at.exception]


@pytest.mark.parametrize("damage", ["random", "truncated", "folder"])
def test_the_history_and_scenarios_pages_survive_a_bad_history_file(tmp_path, monkeypatch, damage):
    db = tmp_path / "history.sqlite"
    if damage == "random":
        _random_file(db)
    elif damage == "truncated":
        _truncated_file(db)
    else:
        (tmp_path / "a_file").write_text("x")
        db = tmp_path / "a_file" / "history.sqlite"
    history = _page("history", db, monkeypatch)
    assert history.error and str(db) in history.error[0].value
    assert bool([b for b in history.button if b.key == "history_start_fresh"]) == (damage != "folder")
    scenarios = _page("scenarios", db, monkeypatch)
    assert "Uploaded scenarios cannot be kept or listed" in scenarios.warning[0].value
    assert any("article" in m.value.lower() or "after" in m.value.lower() for m in scenarios.markdown)


def test_the_history_page_on_a_read_only_file_lists_its_runs(tmp_path, monkeypatch):
    db = tmp_path / "history.sqlite"
    _add(HistoryStore(db), "kept")
    with sqlite3.connect(db) as con:
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        con.execute("PRAGMA journal_mode=DELETE")
    _read_only(db, monkeypatch)
    at = _page("history", db, monkeypatch)
    assert "is read-only" in at.warning[0].value and not at.error
    assert at.dataframe[0].value["run"].tolist() == ["kept"]
