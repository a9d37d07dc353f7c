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

The store is split by job: :mod:`dashboard.history_schema` (the file's place, the tables and
the script that creates or updates them), :mod:`dashboard.history_records` (errors, the kept
runs and scenarios, rows to and from Python), :mod:`dashboard.history_file` (opening, health,
connections, the fresh start) and this module, the queries.

No Streamlit here: the module is used by the pages and tested on its own.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from dashboard.history_file import HistoryFile
from dashboard.history_records import (
    HistoryError,
    StoredRun,
    StoredScenario,
    json_safe,
    json_text,
    listing_row,
    now_utc,
    stored_run,
)
from dashboard.history_schema import ANSWER_COLUMNS, LISTED_COLUMNS, RUN_COLUMNS, SCENARIO_COLUMNS


class HistoryStore(HistoryFile):
    """The SQLite store of runs, uploaded scenarios and exercise answers: the queries over
    a :class:`~dashboard.history_file.HistoryFile`.

    Opening never raises: a file that cannot be used is described by :attr:`problem`.

    Parameters
    ----------
    path : path-like, optional
        The database file; :func:`dashboard.history_schema.default_path` when not
        given. Its folder is created.

    Attributes
    ----------
    path : Path
        The database file.
    problem : HistoryProblem or None
        What is wrong with the file (``None``: nothing).

    Examples
    --------
    >>> import tempfile, pandas as pd
    >>> from pathlib import Path
    >>> store = HistoryStore(Path(tempfile.mkdtemp()) / "h.sqlite")
    >>> run_id = store.add_run(page="explore", label="demo", scenarios=[{"name": "a"}],
    ...                        seed=0, replications=1, days=30.0, status="ok",
    ...                        runs=pd.DataFrame({"scenario": ["a"], "rom_t_per_month": [1.0]}))
    >>> HistoryStore(store.path).list_runs()["label"].tolist()
    ['demo']
    """

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
            now_utc(), page, label, json_text(names), json_text(list(scenarios)), int(seed), int(replications),
            None if days is None else float(days), status, fingerprint, json_safe(headline), runs_json,
            json_text(dict(extra or {})),
        )
        insert = f"INSERT INTO runs ({RUN_COLUMNS}) VALUES ({', '.join('?' * len(values))})"
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
        query = f"SELECT {', '.join(LISTED_COLUMNS)} FROM runs"
        args: tuple[Any, ...] = ()
        if page:
            query += " WHERE page = ?"
            args = (page,)
        query += " ORDER BY created_at DESC, id DESC LIMIT ?"
        with self._reader("list the runs") as con:
            rows = con.execute(query, (*args, int(limit))).fetchall()
        listed, skipped = [], []
        for row in rows:
            entry = listing_row(row)
            if entry is None:
                skipped.append(row["id"])
            else:
                listed.append(entry)
        table = pd.DataFrame(listed, columns=[c for c in LISTED_COLUMNS if c not in ("scenario_names", "extra_json")]
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
            return stored_run(row)
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
                f"INSERT OR REPLACE INTO scenarios ({SCENARIO_COLUMNS}) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (name, title, description, yaml, filename, now_utc()),
            )
        return existed

    def list_scenarios(self) -> list[StoredScenario]:
        """Uploaded scenarios, by name (rows that cannot be read are left out)."""
        with self._reader("list the uploaded scenarios") as con:
            rows = con.execute(
                f"SELECT {SCENARIO_COLUMNS} FROM scenarios ORDER BY name"
            ).fetchall()
        return [StoredScenario(**dict(r)) for r in rows if all(isinstance(v, str) for v in dict(r).values())]

    def get_scenario(self, name: str) -> StoredScenario | None:
        """The uploaded scenario ``name``, or ``None``."""
        with self._reader("open an uploaded scenario") as con:
            row = con.execute(
                f"SELECT {SCENARIO_COLUMNS} FROM scenarios WHERE name = ?",
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
                  now_utc())
        with self._session("keep this answer") as con:
            con.execute(
                f"INSERT INTO exercise_answers ({', '.join(ANSWER_COLUMNS)}) VALUES ({', '.join('?' * len(values))}) "
                "ON CONFLICT (exercise_id, student) DO UPDATE SET "
                + ", ".join(f"{c} = excluded.{c}" for c in ANSWER_COLUMNS[1:]),
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
        query = f"SELECT id, {', '.join(ANSWER_COLUMNS)} FROM exercise_answers"
        args: tuple[Any, ...] = ()
        if exercise_id is not None:
            query += " WHERE exercise_id = ?"
            args = (exercise_id,)
        with self._reader("list the exercise answers") as con:
            rows = con.execute(query + " ORDER BY submitted_at DESC, id DESC", args).fetchall()
        listed, skipped = [], []
        for row in rows:
            try:
                listed.append({"id": int(row["id"]), **{c: row[c] for c in ANSWER_COLUMNS},
                               "runs_used": int(row["runs_used"]), "correct": bool(int(row["correct"]))})
            except (TypeError, ValueError):
                skipped.append(row["id"])
        table = pd.DataFrame(listed, columns=["id", *ANSWER_COLUMNS])
        table.attrs["skipped"] = skipped
        return table

    def delete_exercise_answers(self, exercise_id: str) -> int:
        """Delete every answer to an exercise; return how many."""
        with self._session("delete the answers") as con:
            return int(con.execute("DELETE FROM exercise_answers WHERE exercise_id = ?", (exercise_id,)).rowcount)


__all__ = ["HistoryStore"]
