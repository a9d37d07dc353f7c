"""The SQLite history store: runs and uploaded scenarios survive a restart."""

from __future__ import annotations

import math
import sqlite3

import pandas as pd

from dashboard.history import HistoryStore
from dashboard.history_schema import ENV_VAR, default_path


def _runs() -> pd.DataFrame:
    return pd.DataFrame({"scenario": ["a", "a"], "replication": [0, 1], "status": ["ok", "ok"],
                         "rom_t_per_month": [40_000.0, 42_000.0], "kwh_per_t": [2.1, float("nan")]})


def _add(store: HistoryStore, label: str = "first", fingerprint: str | None = None) -> int:
    return store.add_run(page="explore", label=label, scenarios=[{"name": "a", "seam": {"height_m": 0.8}}], seed=3,
                         replications=2, days=30.0, status="ok", runs=_runs(), headline=41_000.0,
                         fingerprint=fingerprint, extra={"note": "x"})


def test_runs_survive_a_restart(tmp_path):
    path = tmp_path / "sub" / "history.sqlite"
    run_id = _add(HistoryStore(path))
    _add(HistoryStore(path), label="second")

    reopened = HistoryStore(path)  # a new object and connection: as after a restart
    listing = reopened.list_runs()
    assert list(listing["label"]) == ["second", "first"]  # newest first
    assert listing.iloc[1]["scenarios"] == "a"
    run = reopened.get_run(run_id)
    assert run.label == "first" and run.seed == 3 and run.replications == 2 and run.days == 30.0
    assert run.scenarios[0]["seam"]["height_m"] == 0.8
    assert list(run.runs["rom_t_per_month"]) == [40_000.0, 42_000.0]
    assert math.isnan(run.runs["kwh_per_t"].iloc[1])
    assert run.extra == {"note": "x"}


def test_the_same_run_is_kept_once(tmp_path):
    store = HistoryStore(tmp_path / "h.sqlite")
    first = _add(store, fingerprint="abc")
    second = _add(store, label="again", fingerprint="abc")
    assert first == second and store.count_runs() == 1


def test_delete_runs(tmp_path):
    store = HistoryStore(tmp_path / "h.sqlite")
    ids = [_add(store, label=str(i)) for i in range(3)]
    assert store.delete_run(ids[0]) is True
    assert store.delete_run(ids[0]) is False
    assert store.delete_runs(ids[1:]) == 2
    assert HistoryStore(store.path).count_runs() == 0
    assert store.get_run(ids[0]) is None


def test_uploaded_scenarios_survive_a_restart_and_can_be_replaced_and_removed(tmp_path):
    path = tmp_path / "h.sqlite"
    assert HistoryStore(path).add_scenario(name="mine", title="T", description="D", yaml="name: mine\n",
                                           filename="mine.yaml") is False
    store = HistoryStore(path)
    assert [s.name for s in store.list_scenarios()] == ["mine"]
    assert store.add_scenario(name="mine", title="T2", description="D", yaml="name: mine\n", filename="m.yaml")
    assert store.get_scenario("mine").title == "T2"
    assert store.delete_scenario("mine") and store.get_scenario("mine") is None


def test_the_path_comes_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "x.sqlite"))
    assert default_path() == tmp_path / "x.sqlite"
    monkeypatch.delenv(ENV_VAR)
    assert default_path().name == "history.sqlite" and "seamsim" in str(default_path())


def test_the_database_is_plain_sqlite(tmp_path):
    store = HistoryStore(tmp_path / "h.sqlite")
    _add(store)
    with sqlite3.connect(store.path) as con:
        assert con.execute("SELECT COUNT(*) FROM runs").fetchone()[0] == 1
        assert con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0] == "1"
