"""The history database as a file: opening it (creating its tables when missing), saying
what is wrong with it, short connections whose failures name the file, and a fresh start
that moves a broken file aside and copies every row that can still be read.

:class:`HistoryFile` is the base of :class:`dashboard.history.HistoryStore`, which adds the
queries. No Streamlit here.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

from dashboard.history_records import FreshStart, HistoryError, HistoryProblem
from dashboard.history_schema import (
    ANSWER_COLUMNS,
    ENV_VAR,
    RUN_COLUMNS,
    SCENARIO_COLUMNS,
    SCHEMA_OBJECTS,
    SCHEMA_SQL,
    default_path,
)


def database_error(path: Path, error: Exception) -> str:
    """Say in words why ``path`` cannot be used, from the error that said so."""
    text = str(error)
    if isinstance(error, sqlite3.DatabaseError) and ("not a database" in text or "malformed" in text):
        return f"{path} is damaged or not a history database ({text})"
    if "readonly" in text or "read-only" in text:
        return f"{path} is read-only ({text}): runs are listed, but new runs cannot be kept"
    if isinstance(error, OSError) or "unable to open" in text:
        return f"{path} cannot be opened or created ({error})"
    return f"{path} cannot be used ({type(error).__name__}: {text})"


def folder_writable(path: Path) -> bool:
    """Whether the folder of ``path`` exists and can be written."""
    return path.parent.is_dir() and os.access(path.parent, os.W_OK)


def aside_name(path: Path) -> Path:
    """Return a free name beside ``path`` for a file moved aside (``history.sqlite.broken-<time>``)."""
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    candidate = path.with_name(f"{path.name}.broken-{stamp}")
    n = 1
    while candidate.exists():
        n += 1
        candidate = path.with_name(f"{path.name}.broken-{stamp}-{n}")
    return candidate


class HistoryFile:
    """A history database file, its health and its connections.

    Opening never raises: a file that cannot be used is described by :attr:`problem`.

    Parameters
    ----------
    path : path-like, optional
        The database file; :func:`~dashboard.history_schema.default_path` when not given.
        Its folder is created.

    Attributes
    ----------
    path : Path
        The database file.
    problem : HistoryProblem or None
        What is wrong with the file (``None``: nothing).
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
            return HistoryProblem(self.path, f"{self.path} is damaged ({verdict})", folder_writable(self.path))
        if self.path.exists() and not os.access(self.path, os.W_OK):
            return self._problem_of(sqlite3.OperationalError("attempt to write a readonly database"))
        return None

    def _problem_of(self, error: Exception) -> HistoryProblem:
        message = database_error(self.path, error)
        exists = self.path.is_file()
        read_only = "read-only" in message and self._readable()
        if not exists and not folder_writable(self.path):
            message += f"; set {ENV_VAR} to a file in a folder you can write"
        return HistoryProblem(self.path, message, exists and folder_writable(self.path), read_only)

    def _readable(self) -> bool:
        try:
            with self._connect(read_only=True) as con:
                con.execute("SELECT COUNT(*) FROM runs").fetchone()
            return True
        except sqlite3.Error:
            return False

    # ------------------------------------------------------------- fresh start
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
            moved = aside_name(self.path)
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
            for table, columns in (("runs", f"id, {RUN_COLUMNS}"),
                                   ("scenarios", SCENARIO_COLUMNS),
                                   ("exercise_answers", ", ".join(ANSWER_COLUMNS))):
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

    # ------------------------------------------------------------- connections
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
            if prepare and not SCHEMA_OBJECTS <= {r[0] for r in con.execute("SELECT name FROM sqlite_master")}:
                con.executescript(SCHEMA_SQL)
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


__all__ = ["HistoryFile", "aside_name", "database_error", "folder_writable"]
