"""Run history and uploaded scenarios, kept in SQLite across restarts of the dashboard.

The database lives at ``$SEAMSIM_HISTORY_DB`` when that is set, otherwise at
``platformdirs.user_data_dir("seamsim")/history.sqlite``. Each call opens its own short
connection, so the store can be used from the Streamlit script thread and from the
background threads that run long jobs; WAL journaling lets readers and a writer work at
the same time.

Two tables:

- ``runs`` — one row per run of the dashboard (a page, a label, the scenarios as JSON, the
  seed, replications and days, a status, and one row per replication with every KPI, as
  JSON). Runs are listed, re-opened, compared and deleted from the History page.
- ``scenarios`` — scenario files uploaded on the Scenarios page (the YAML as written),
  listed in the library next to the bundled ones.

No Streamlit here: the module is used by the pages and tested on its own.
"""

from __future__ import annotations

import json
import math
import os
import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pandas as pd

ENV_VAR = "SEAMSIM_HISTORY_DB"
"""Environment variable naming the SQLite file."""

SCHEMA_VERSION = 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at TEXT NOT NULL,
    page TEXT NOT NULL,
    label TEXT NOT NULL,
    scenario_names TEXT NOT NULL,
    scenarios_json TEXT NOT NULL,
    seed INTEGER NOT NULL,
    replications INTEGER NOT NULL,
    days REAL,
    status TEXT NOT NULL,
    fingerprint TEXT,
    headline REAL,
    runs_json TEXT NOT NULL,
    extra_json TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX IF NOT EXISTS runs_created ON runs (created_at);
CREATE INDEX IF NOT EXISTS runs_fingerprint ON runs (fingerprint);
CREATE TABLE IF NOT EXISTS scenarios (
    name TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    yaml TEXT NOT NULL,
    filename TEXT NOT NULL,
    added_at TEXT NOT NULL
);
"""


def default_path() -> Path:
    """Return the history database path: ``$SEAMSIM_HISTORY_DB`` or the user data folder."""
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("seamsim")) / "history.sqlite"


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _json_safe(value: Any) -> Any:
    """NaN/inf → None, numpy scalars → Python, recursively (strict JSON)."""
    if isinstance(value, Mapping):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_safe(v) for v in value]
    if hasattr(value, "item") and callable(value.item) and not isinstance(value, str | bytes):
        try:
            value = value.item()
        except (TypeError, ValueError):
            return str(value)
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def _dumps(value: Any) -> str:
    return json.dumps(_json_safe(value), ensure_ascii=False, allow_nan=False)


@dataclass
class StoredRun:
    """One run kept in the history."""

    id: int
    created_at: str
    page: str
    label: str
    scenario_names: list[str]
    seed: int
    replications: int
    days: float | None
    status: str
    headline: float | None
    scenarios: list[dict[str, Any]] = field(default_factory=list, repr=False)
    runs: pd.DataFrame = field(default_factory=pd.DataFrame, repr=False)
    extra: dict[str, Any] = field(default_factory=dict, repr=False)


@dataclass(frozen=True)
class StoredScenario:
    """A scenario file uploaded by a user."""

    name: str
    title: str
    description: str
    yaml: str
    filename: str
    added_at: str


class HistoryStore:
    """The SQLite store of runs and uploaded scenarios.

    Parameters
    ----------
    path : path-like, optional
        The database file; :func:`default_path` when not given. Its folder is created.

    Examples
    --------
    >>> import tempfile, pandas as pd
    >>> store = HistoryStore(Path(tempfile.mkdtemp()) / "h.sqlite")
    >>> run_id = store.add_run(page="explore", label="demo", scenarios=[{"name": "a"}],
    ...                        seed=0, replications=1, days=30.0, status="ok",
    ...                        runs=pd.DataFrame({"scenario": ["a"], "rom_t_per_month": [1.0]}))
    >>> [r.label for r in HistoryStore(store.path).list_runs()]
    ['demo']
    """

    def __init__(self, path: str | os.PathLike[str] | None = None):
        self.path = Path(path) if path is not None else default_path()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as con:
            con.executescript(_SCHEMA)
            con.execute(
                "INSERT OR IGNORE INTO meta (key, value) VALUES ('schema_version', ?)",
                (str(SCHEMA_VERSION),),
            )

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        con = sqlite3.connect(self.path, timeout=10.0)
        try:
            con.row_factory = sqlite3.Row
            con.execute("PRAGMA journal_mode=WAL")
            con.execute("PRAGMA foreign_keys=ON")
            with con:  # one transaction: committed, or rolled back on error
                yield con
        finally:
            con.close()

    # ---------------------------------------------------------------------- runs
    def add_run(
        self,
        *,
        page: str,
        label: str,
        scenarios: Sequence[Mapping[str, Any]],
        seed: int,
        replications: int,
        days: float | None,
        status: str,
        runs: pd.DataFrame,
        headline: float | None = None,
        fingerprint: str | None = None,
        extra: Mapping[str, Any] | None = None,
    ) -> int:
        """Keep a run; return its id.

        With a ``fingerprint`` already stored (the same page, scenarios, seed, replications
        and days), the existing run is brought to the top of the list instead of being
        stored twice, and its id is returned.
        """
        names = [str(s.get("name", "")) for s in scenarios]
        runs_json = runs.to_json(orient="records", double_precision=15) if len(runs) else "[]"
        with self._connect() as con:
            if fingerprint:
                row = con.execute("SELECT id FROM runs WHERE fingerprint = ?", (fingerprint,)).fetchone()
                if row is not None:
                    con.execute("UPDATE runs SET created_at = ? WHERE id = ?", (_now(), row["id"]))
                    return int(row["id"])
            cur = con.execute(
                "INSERT INTO runs (created_at, page, label, scenario_names, scenarios_json, seed, "
                "replications, days, status, fingerprint, headline, runs_json, extra_json) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    _now(), page, label, _dumps(names), _dumps(list(scenarios)), int(seed),
                    int(replications), None if days is None else float(days), status, fingerprint,
                    _json_safe(headline), runs_json, _dumps(dict(extra or {})),
                ),
            )
            return int(cur.lastrowid)

    def list_runs(self, page: str | None = None, limit: int = 500) -> pd.DataFrame:
        """The kept runs, newest first: ``id, created_at, page, label, scenarios, seed,
        replications, days, status, headline`` (no per-replication rows)."""
        query = (
            "SELECT id, created_at, page, label, scenario_names, seed, replications, days, status, "
            "headline FROM runs"
        )
        args: tuple[Any, ...] = ()
        if page:
            query += " WHERE page = ?"
            args = (page,)
        query += " ORDER BY created_at DESC, id DESC LIMIT ?"
        with self._connect() as con:
            rows = con.execute(query, (*args, int(limit))).fetchall()
        table = pd.DataFrame(
            [dict(r) for r in rows],
            columns=["id", "created_at", "page", "label", "scenario_names", "seed", "replications",
                     "days", "status", "headline"],
        )
        table["scenarios"] = [", ".join(json.loads(s)) for s in table.pop("scenario_names")]
        return table

    def get_run(self, run_id: int) -> StoredRun | None:
        """Return the run ``run_id`` with its scenarios and per-replication rows, or ``None``."""
        with self._connect() as con:
            row = con.execute("SELECT * FROM runs WHERE id = ?", (int(run_id),)).fetchone()
        if row is None:
            return None
        records = json.loads(row["runs_json"])
        return StoredRun(
            id=int(row["id"]),
            created_at=row["created_at"],
            page=row["page"],
            label=row["label"],
            scenario_names=json.loads(row["scenario_names"]),
            seed=int(row["seed"]),
            replications=int(row["replications"]),
            days=row["days"],
            status=row["status"],
            headline=row["headline"],
            scenarios=json.loads(row["scenarios_json"]),
            runs=pd.DataFrame.from_records(records) if records else pd.DataFrame(),
            extra=json.loads(row["extra_json"] or "{}"),
        )

    def delete_runs(self, run_ids: Sequence[int]) -> int:
        """Delete runs; return how many were deleted."""
        ids = [int(i) for i in run_ids]
        if not ids:
            return 0
        with self._connect() as con:
            cur = con.execute(f"DELETE FROM runs WHERE id IN ({','.join('?' * len(ids))})", ids)
            return int(cur.rowcount)

    def delete_run(self, run_id: int) -> bool:
        """Delete one run; return whether it existed."""
        return self.delete_runs([run_id]) == 1

    def count_runs(self) -> int:
        """How many runs are kept."""
        with self._connect() as con:
            return int(con.execute("SELECT COUNT(*) FROM runs").fetchone()[0])

    # ---------------------------------------------------------------- scenarios
    def add_scenario(self, *, name: str, title: str, description: str, yaml: str, filename: str) -> bool:
        """Keep an uploaded scenario (replacing one of the same name); return whether it replaced one."""
        with self._connect() as con:
            existed = con.execute("SELECT 1 FROM scenarios WHERE name = ?", (name,)).fetchone() is not None
            con.execute(
                "INSERT OR REPLACE INTO scenarios (name, title, description, yaml, filename, added_at) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (name, title, description, yaml, filename, _now()),
            )
        return existed

    def list_scenarios(self) -> list[StoredScenario]:
        """Uploaded scenarios, by name."""
        with self._connect() as con:
            rows = con.execute(
                "SELECT name, title, description, yaml, filename, added_at FROM scenarios ORDER BY name"
            ).fetchall()
        return [StoredScenario(**dict(r)) for r in rows]

    def get_scenario(self, name: str) -> StoredScenario | None:
        """The uploaded scenario ``name``, or ``None``."""
        with self._connect() as con:
            row = con.execute(
                "SELECT name, title, description, yaml, filename, added_at FROM scenarios WHERE name = ?",
                (name,),
            ).fetchone()
        return StoredScenario(**dict(row)) if row is not None else None

    def delete_scenario(self, name: str) -> bool:
        """Delete an uploaded scenario; return whether it existed."""
        with self._connect() as con:
            return con.execute("DELETE FROM scenarios WHERE name = ?", (name,)).rowcount == 1


__all__ = ["ENV_VAR", "HistoryStore", "StoredRun", "StoredScenario", "default_path"]
