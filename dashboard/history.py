"""Run history and uploaded scenarios, kept in SQLite across restarts of the dashboard.

The database lives at ``$SEAMSIM_HISTORY_DB`` when that is set, otherwise at
``platformdirs.user_data_dir("seamsim")/history.sqlite``. Each call opens its own short
connection, so the store can be used from the Streamlit script thread and from the
background threads that run long jobs; WAL journaling lets readers and a writer work at
the same time.

Three tables:

- ``runs`` — one row per run of the dashboard (a page, a label, the scenarios as JSON, the
  seed, replications and days, a status, and one row per replication with every KPI, as
  JSON). Runs are listed, re-opened, compared and deleted from the History page. A run with
  a ``fingerprint`` (the same page, scenarios, seed, replications, days and design) is kept once:
  the database refuses a second one (a UNIQUE index and ``ON CONFLICT``), so writers racing
  from several processes cannot store it twice.
- ``scenarios`` — scenario files uploaded on the Scenarios page (the YAML as written),
  listed in the library next to the bundled ones.
- ``exercise_answers`` — answers submitted on the Exercise page: one per exercise and
  student (a UNIQUE constraint; a new answer replaces the student's earlier one), with the
  choice, the reason, the runs used and whether the model's key agreed.

A history file that cannot be used (not a database, damaged, read-only, in a folder that
cannot be written) never raises on opening: :attr:`HistoryStore.problem` says what is wrong
and whether :meth:`HistoryStore.start_fresh` can help (it moves the file aside, never deletes
it, and copies every row that can still be read). Reads and writes that fail raise
:class:`HistoryError`, naming the file; a listed row that cannot be read is skipped and
reported (``list_runs().attrs["skipped"]``).

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
BEGIN IMMEDIATE;
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
UPDATE runs SET fingerprint = NULL
    WHERE fingerprint IS NOT NULL AND id NOT IN (SELECT MIN(id) FROM runs GROUP BY fingerprint);
CREATE UNIQUE INDEX IF NOT EXISTS runs_fingerprint_unique ON runs (fingerprint);
CREATE TABLE IF NOT EXISTS scenarios (
    name TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    yaml TEXT NOT NULL,
    filename TEXT NOT NULL,
    added_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS exercise_answers (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    exercise_id TEXT NOT NULL,
    exercise_digest TEXT NOT NULL,
    student TEXT NOT NULL,
    choice TEXT NOT NULL,
    reason TEXT NOT NULL,
    runs_used INTEGER NOT NULL,
    correct INTEGER NOT NULL,
    verdict TEXT NOT NULL,
    submitted_at TEXT NOT NULL,
    UNIQUE (exercise_id, student)
);
INSERT OR IGNORE INTO meta (key, value) VALUES ('schema_version', 'SCHEMA_VERSION');
COMMIT;
""".replace("SCHEMA_VERSION", str(SCHEMA_VERSION))
"""Creates the tables, or brings an older file up to date (duplicates made before the UNIQUE
index keep their rows, without a fingerprint), in one write transaction."""

_OBJECTS = {"meta", "runs", "scenarios", "runs_created", "runs_fingerprint", "runs_fingerprint_unique",
            "exercise_answers"}
"""What a complete history database holds (tables and indexes)."""

_RUN_COLUMNS = ("created_at, page, label, scenario_names, scenarios_json, seed, replications, days, status, "
                "fingerprint, headline, runs_json, extra_json")
_ANSWER_COLUMNS = ("exercise_id", "exercise_digest", "student", "choice", "reason", "runs_used", "correct",
                   "verdict", "submitted_at")
_LISTED = ["id", "created_at", "page", "label", "scenario_names", "seed", "replications", "days", "status",
           "headline", "extra_json"]


class HistoryError(Exception):
    """The history file cannot be read or written as asked; the message names it and says why."""


@dataclass(frozen=True)
class HistoryProblem:
    """What is wrong with a history file.

    Attributes
    ----------
    path : Path
        The file.
    message : str
        What is wrong, in words, naming the file.
    can_start_fresh : bool
        Whether :meth:`HistoryStore.start_fresh` can help (the folder can be written).
    read_only : bool
        The runs can be listed, but new ones cannot be kept.
    """

    path: Path
    message: str
    can_start_fresh: bool = False
    read_only: bool = False


@dataclass(frozen=True)
class FreshStart:
    """What :meth:`HistoryStore.start_fresh` did.

    Attributes
    ----------
    moved_to : Path or None
        Where the old file now is (``None``: there was none).
    runs_copied, scenarios_copied, answers_copied : int
        Rows of the old file that could be read and were copied into the new one.
    rows_lost : int
        Rows found but unreadable (they stay in the old file).
    """

    moved_to: Path | None
    runs_copied: int = 0
    scenarios_copied: int = 0
    rows_lost: int = 0
    answers_copied: int = 0


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


def _database_error(path: Path, error: Exception) -> str:
    """Say in words why ``path`` cannot be used, from the error that said so."""
    text = str(error)
    if isinstance(error, sqlite3.DatabaseError) and ("not a database" in text or "malformed" in text):
        return f"{path} is damaged or not a history database ({text})"
    if "readonly" in text or "read-only" in text:
        return f"{path} is read-only ({text}): runs are listed, but new runs cannot be kept"
    if isinstance(error, OSError) or "unable to open" in text:
        return f"{path} cannot be opened or created ({error})"
    return f"{path} cannot be used ({type(error).__name__}: {text})"


def _folder_writable(path: Path) -> bool:
    return path.parent.is_dir() and os.access(path.parent, os.W_OK)


def _aside_name(path: Path) -> Path:
    """Return a free name beside ``path`` for a file moved aside (``history.sqlite.broken-<time>``)."""
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    candidate = path.with_name(f"{path.name}.broken-{stamp}")
    n = 1
    while candidate.exists():
        n += 1
        candidate = path.with_name(f"{path.name}.broken-{stamp}-{n}")
    return candidate


class HistoryStore:
    """The SQLite store of runs and uploaded scenarios.

    Opening never raises: a file that cannot be used is described by :attr:`problem`.

    Parameters
    ----------
    path : path-like, optional
        The database file; :func:`default_path` when not given. Its folder is created.

    Attributes
    ----------
    path : Path
        The database file.
    problem : HistoryProblem or None
        What is wrong with the file (``None``: nothing).

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
        self.problem: HistoryProblem | None = self.check()

    # ------------------------------------------------------------------ health
    def check(self) -> HistoryProblem | None:
        """Open the file (creating it and its tables when missing) and return what is wrong, if anything."""
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            return HistoryProblem(self.path, f"the folder of {self.path} cannot be created ({error}); set "
                                             f"{ENV_VAR} to a file in a folder you can write")
        try:
            with self._connect(prepare=True) as con:
                verdict = con.execute("PRAGMA quick_check").fetchone()[0]
        except (sqlite3.Error, OSError) as error:
            return self._problem_of(error)
        if verdict != "ok":
            return HistoryProblem(self.path, f"{self.path} is damaged ({verdict})", _folder_writable(self.path))
        if self.path.exists() and not os.access(self.path, os.W_OK):
            return self._problem_of(sqlite3.OperationalError("attempt to write a readonly database"))
        return None

    def _problem_of(self, error: Exception) -> HistoryProblem:
        message = _database_error(self.path, error)
        exists = self.path.is_file()
        read_only = "read-only" in message and self._readable()
        if not exists and not _folder_writable(self.path):
            message += f"; set {ENV_VAR} to a file in a folder you can write"
        return HistoryProblem(self.path, message, exists and _folder_writable(self.path), read_only)

    def _readable(self) -> bool:
        try:
            with self._connect(read_only=True) as con:
                con.execute("SELECT COUNT(*) FROM runs").fetchone()
            return True
        except sqlite3.Error:
            return False

    def start_fresh(self) -> FreshStart:
        """Move the file aside (never deleting it), start a new one and copy every readable row.

        Returns
        -------
        FreshStart
            Where the old file went and how many rows came across.

        Raises
        ------
        HistoryError
            The file cannot be moved (its folder cannot be written).
        """
        moved = None
        if self.path.exists():
            moved = _aside_name(self.path)
            try:
                self.path.rename(moved)
                for suffix in ("-wal", "-shm", "-journal"):
                    side = self.path.with_name(self.path.name + suffix)
                    if side.exists():
                        side.rename(moved.with_name(moved.name + suffix))
            except OSError as error:
                raise HistoryError(f"{self.path} cannot be moved aside ({error})") from None
        self.problem = self.check()
        if moved is None or self.problem is not None:
            return FreshStart(moved)
        return self._copy_from(moved)

    def _copy_from(self, old: Path) -> FreshStart:
        """Copy the readable rows of ``old`` into this (new) file, one by one."""
        counts = {"runs": 0, "scenarios": 0, "exercise_answers": 0}
        lost = 0
        try:
            source = sqlite3.connect(f"file:{old}?mode=ro", uri=True, timeout=10.0)
        except sqlite3.Error:
            return FreshStart(old)
        try:
            for table, columns in (("runs", f"id, {_RUN_COLUMNS}"),
                                   ("scenarios", "name, title, description, yaml, filename, added_at"),
                                   ("exercise_answers", ", ".join(_ANSWER_COLUMNS))):
                copied, failed = self._copy_table(source, table, columns)
                counts[table], lost = copied, lost + failed
        finally:
            source.close()
        return FreshStart(old, counts["runs"], counts["scenarios"], lost, counts["exercise_answers"])

    def _copy_table(self, source: sqlite3.Connection, table: str, columns: str) -> tuple[int, int]:
        """Copy the rows of ``table`` that can be read; return (copied, unreadable)."""
        try:
            rowids = [r[0] for r in source.execute(f"SELECT rowid FROM {table}").fetchall()]
        except sqlite3.Error:
            return 0, 0
        copied = failed = 0
        marks = ", ".join("?" * len(columns.split(",")))
        with self._connect() as con:
            for rowid in rowids:
                try:
                    row = source.execute(f"SELECT {columns} FROM {table} WHERE rowid = ?", (rowid,)).fetchone()
                    con.execute(f"INSERT OR IGNORE INTO {table} ({columns}) VALUES ({marks})", tuple(row))
                    copied += 1
                except (sqlite3.Error, TypeError):
                    failed += 1
        return copied, failed

    @contextmanager
    def _connect(self, *, prepare: bool = False, read_only: bool = False) -> Iterator[sqlite3.Connection]:
        if read_only:
            con = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, timeout=10.0)
        else:
            con = sqlite3.connect(self.path, timeout=10.0)
        try:
            con.row_factory = sqlite3.Row
            if not read_only:
                con.execute("PRAGMA journal_mode=WAL")
            con.execute("PRAGMA foreign_keys=ON")
            if prepare and not _OBJECTS <= {r[0] for r in con.execute("SELECT name FROM sqlite_master")}:
                con.executescript(_SCHEMA)
            with con:  # one transaction: committed, or rolled back on error
                yield con
        finally:
            con.close()

    @contextmanager
    def _session(self, doing: str, *, read_only: bool = False) -> Iterator[sqlite3.Connection]:
        """A connection whose failures become :class:`HistoryError` (``doing``: what was being done)."""
        try:
            with self._connect(read_only=read_only) as con:
                yield con
        except (sqlite3.Error, OSError) as error:
            self.problem = self._problem_of(error)
            raise HistoryError(f"cannot {doing}: {self.problem.message}") from None

    def _reader(self, doing: str):
        """A session for reading: read-only when the file cannot be written."""
        return self._session(doing, read_only=self.problem is not None and self.problem.read_only)

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
        stored twice, and its id is returned. The database decides (a UNIQUE index), so
        writers racing from several processes keep one row.

        Raises
        ------
        HistoryError
            The file cannot be written.
        """
        names = [str(s.get("name", "")) for s in scenarios]
        runs_json = runs.to_json(orient="records", double_precision=15) if len(runs) else "[]"
        values = (
            _now(), page, label, _dumps(names), _dumps(list(scenarios)), int(seed), int(replications),
            None if days is None else float(days), status, fingerprint, _json_safe(headline), runs_json,
            _dumps(dict(extra or {})),
        )
        insert = f"INSERT INTO runs ({_RUN_COLUMNS}) VALUES ({', '.join('?' * len(values))})"
        with self._session("keep this run") as con:
            if not fingerprint:
                return int(con.execute(insert, values).lastrowid)
            con.execute(insert + " ON CONFLICT (fingerprint) DO UPDATE SET created_at = excluded.created_at", values)
            return int(con.execute("SELECT id FROM runs WHERE fingerprint = ?", (fingerprint,)).fetchone()[0])

    def list_runs(self, page: str | None = None, limit: int = 500) -> pd.DataFrame:
        """The kept runs, newest first: ``id, created_at, page, label, seed, replications,
        days, status, headline, scenarios`` and ``extra`` (a dict: what changed, a sweep's
        design, each scenario's output; no per-replication rows).

        A row that cannot be read (bad JSON, a wrong type) is left out; its id is in
        ``attrs["skipped"]`` of the table.

        Raises
        ------
        HistoryError
            The file cannot be read.
        """
        query = f"SELECT {', '.join(_LISTED)} FROM runs"
        args: tuple[Any, ...] = ()
        if page:
            query += " WHERE page = ?"
            args = (page,)
        query += " ORDER BY created_at DESC, id DESC LIMIT ?"
        with self._reader("list the runs") as con:
            rows = con.execute(query, (*args, int(limit))).fetchall()
        listed, skipped = [], []
        for row in rows:
            entry = _listing_row(row)
            if entry is None:
                skipped.append(row["id"])
            else:
                listed.append(entry)
        table = pd.DataFrame(listed, columns=[c for c in _LISTED if c not in ("scenario_names", "extra_json")]
                             + ["scenarios", "extra"])
        table.attrs["skipped"] = skipped
        return table

    def get_run(self, run_id: int) -> StoredRun | None:
        """Return the run ``run_id`` with its scenarios and per-replication rows, or ``None``.

        Raises
        ------
        HistoryError
            The file cannot be read, or this run's row is damaged (the message says which).
        """
        with self._reader(f"open run #{run_id}") as con:
            row = con.execute("SELECT * FROM runs WHERE id = ?", (int(run_id),)).fetchone()
        if row is None:
            return None
        try:
            return _stored_run(row)
        except (ValueError, TypeError, KeyError) as error:
            raise HistoryError(f"run #{run_id} in {self.path} cannot be read ({type(error).__name__}: {error})") from None

    def delete_runs(self, run_ids: Sequence[int]) -> int:
        """Delete runs; return how many were deleted."""
        ids = [int(i) for i in run_ids]
        if not ids:
            return 0
        with self._session("delete runs") as con:
            cur = con.execute(f"DELETE FROM runs WHERE id IN ({','.join('?' * len(ids))})", ids)
            return int(cur.rowcount)

    def delete_run(self, run_id: int) -> bool:
        """Delete one run; return whether it existed."""
        return self.delete_runs([run_id]) == 1

    def count_runs(self) -> int:
        """How many runs are kept."""
        with self._reader("count the runs") as con:
            return int(con.execute("SELECT COUNT(*) FROM runs").fetchone()[0])

    # ---------------------------------------------------------------- scenarios
    def add_scenario(self, *, name: str, title: str, description: str, yaml: str, filename: str) -> bool:
        """Keep an uploaded scenario (replacing one of the same name); return whether it replaced one."""
        with self._session("keep this scenario") as con:
            existed = con.execute("SELECT 1 FROM scenarios WHERE name = ?", (name,)).fetchone() is not None
            con.execute(
                "INSERT OR REPLACE INTO scenarios (name, title, description, yaml, filename, added_at) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (name, title, description, yaml, filename, _now()),
            )
        return existed

    def list_scenarios(self) -> list[StoredScenario]:
        """Uploaded scenarios, by name (rows that cannot be read are left out)."""
        with self._reader("list the uploaded scenarios") as con:
            rows = con.execute(
                "SELECT name, title, description, yaml, filename, added_at FROM scenarios ORDER BY name"
            ).fetchall()
        return [StoredScenario(**dict(r)) for r in rows if all(isinstance(v, str) for v in dict(r).values())]

    def get_scenario(self, name: str) -> StoredScenario | None:
        """The uploaded scenario ``name``, or ``None``."""
        with self._reader("open an uploaded scenario") as con:
            row = con.execute(
                "SELECT name, title, description, yaml, filename, added_at FROM scenarios WHERE name = ?",
                (name,),
            ).fetchone()
        return StoredScenario(**dict(row)) if row is not None else None

    def delete_scenario(self, name: str) -> bool:
        """Delete an uploaded scenario; return whether it existed."""
        with self._session("remove the scenario") as con:
            return con.execute("DELETE FROM scenarios WHERE name = ?", (name,)).rowcount == 1

    # ---------------------------------------------------------- exercise answers
    def add_exercise_answer(self, *, exercise_id: str, exercise_digest: str, student: str, choice: str,
                            reason: str, runs_used: int, correct: bool, verdict: str) -> int:
        """Keep a student's answer to an exercise; return its id.

        One answer per exercise and student: the database keeps the latest (a UNIQUE
        constraint and ``ON CONFLICT``), so a student may change their mind.

        Raises
        ------
        HistoryError
            The file cannot be written.
        """
        values = (exercise_id, exercise_digest, student, choice, reason, int(runs_used), int(bool(correct)), verdict,
                  _now())
        with self._session("keep this answer") as con:
            con.execute(
                f"INSERT INTO exercise_answers ({', '.join(_ANSWER_COLUMNS)}) VALUES ({', '.join('?' * len(values))}) "
                "ON CONFLICT (exercise_id, student) DO UPDATE SET "
                + ", ".join(f"{c} = excluded.{c}" for c in _ANSWER_COLUMNS[1:]),
                values,
            )
            return int(con.execute("SELECT id FROM exercise_answers WHERE exercise_id = ? AND student = ?",
                                   (exercise_id, student)).fetchone()[0])

    def list_exercise_answers(self, exercise_id: str | None = None) -> pd.DataFrame:
        """The answers kept, newest first: ``id`` and the columns of :meth:`add_exercise_answer`.

        A row that cannot be read is left out; its id is in ``attrs["skipped"]``.

        Raises
        ------
        HistoryError
            The file cannot be read.
        """
        query = f"SELECT id, {', '.join(_ANSWER_COLUMNS)} FROM exercise_answers"
        args: tuple[Any, ...] = ()
        if exercise_id is not None:
            query += " WHERE exercise_id = ?"
            args = (exercise_id,)
        with self._reader("list the exercise answers") as con:
            rows = con.execute(query + " ORDER BY submitted_at DESC, id DESC", args).fetchall()
        listed, skipped = [], []
        for row in rows:
            try:
                listed.append({"id": int(row["id"]), **{c: row[c] for c in _ANSWER_COLUMNS},
                               "runs_used": int(row["runs_used"]), "correct": bool(int(row["correct"]))})
            except (TypeError, ValueError):
                skipped.append(row["id"])
        table = pd.DataFrame(listed, columns=["id", *_ANSWER_COLUMNS])
        table.attrs["skipped"] = skipped
        return table

    def delete_exercise_answers(self, exercise_id: str) -> int:
        """Delete every answer to an exercise; return how many."""
        with self._session("delete the answers") as con:
            return int(con.execute("DELETE FROM exercise_answers WHERE exercise_id = ?", (exercise_id,)).rowcount)


def _listing_row(row: sqlite3.Row) -> dict[str, Any] | None:
    """Return one row of :meth:`HistoryStore.list_runs`, or ``None`` if it cannot be read."""
    try:
        names = json.loads(row["scenario_names"])
        created = str(row["created_at"])
        datetime.fromisoformat(created)
        headline = row["headline"]
        return {
            "id": int(row["id"]), "created_at": created, "page": str(row["page"]), "label": str(row["label"]),
            "seed": int(row["seed"]), "replications": int(row["replications"]),
            "days": None if row["days"] is None else float(row["days"]), "status": str(row["status"]),
            "headline": None if headline is None else float(headline),
            "scenarios": ", ".join(str(n) for n in names),
            "extra": _extra_of(row["extra_json"]),
        }
    except (ValueError, TypeError):
        return None


def _extra_of(text: Any) -> dict[str, Any]:
    """The ``extra`` of a listed run (what changed, a sweep's design…); ``{}`` when it cannot be read."""
    try:
        extra = json.loads(text or "{}")
    except (ValueError, TypeError):
        return {}
    return extra if isinstance(extra, dict) else {}


def _stored_run(row: sqlite3.Row) -> StoredRun:
    """Return a :class:`StoredRun` from its database row (raises ``ValueError`` on a damaged row)."""
    records = json.loads(row["runs_json"])
    scenarios = json.loads(row["scenarios_json"])
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        raise ValueError("its results are not a list of rows")
    if records and not all("scenario" in r for r in records):
        raise ValueError("its results have no scenario column")
    if not isinstance(scenarios, list) or not all(isinstance(sc, dict) for sc in scenarios):
        raise ValueError("its scenarios are not a list of scenarios")
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
        scenarios=scenarios,
        runs=pd.DataFrame.from_records(records) if records else pd.DataFrame(),
        extra=json.loads(row["extra_json"] or "{}"),
    )


__all__ = [
    "ENV_VAR",
    "FreshStart",
    "HistoryError",
    "HistoryProblem",
    "HistoryStore",
    "StoredRun",
    "StoredScenario",
    "default_path",
]
