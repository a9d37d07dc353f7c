"""Where the history database lives and what it holds: its file, its tables and indexes,
and the script that creates them or brings an older file up to date.

No Streamlit here, no connection: :mod:`dashboard.history_file` opens the file with this
schema, :mod:`dashboard.history` queries it.
"""

from __future__ import annotations

import os
from pathlib import Path

ENV_VAR = "SEAMSIM_HISTORY_DB"
"""Environment variable naming the SQLite file."""

SCHEMA_VERSION = 1

SCHEMA_SQL = """
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

SCHEMA_OBJECTS = {"meta", "runs", "scenarios", "runs_created", "runs_fingerprint", "runs_fingerprint_unique",
                  "exercise_answers"}
"""What a complete history database holds (tables and indexes)."""

RUN_COLUMNS = ("created_at, page, label, scenario_names, scenarios_json, seed, replications, days, status, "
               "fingerprint, headline, runs_json, extra_json")
"""The columns of ``runs`` a new run fills (all but ``id``), as SQL."""

SCENARIO_COLUMNS = "name, title, description, yaml, filename, added_at"
"""The columns of ``scenarios``, as SQL."""

ANSWER_COLUMNS = ("exercise_id", "exercise_digest", "student", "choice", "reason", "runs_used", "correct",
                  "verdict", "submitted_at")
"""The columns of ``exercise_answers`` a new answer fills (all but ``id``)."""

LISTED_COLUMNS = ["id", "created_at", "page", "label", "scenario_names", "seed", "replications", "days", "status",
                  "headline", "extra_json"]
"""The columns of ``runs`` that the list of runs reads (no per-replication rows)."""


def default_path() -> Path:
    """Return the history database path: ``$SEAMSIM_HISTORY_DB`` or the user data folder."""
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("seamsim")) / "history.sqlite"


__all__ = [
    "ANSWER_COLUMNS",
    "ENV_VAR",
    "LISTED_COLUMNS",
    "RUN_COLUMNS",
    "SCENARIO_COLUMNS",
    "SCHEMA_OBJECTS",
    "SCHEMA_SQL",
    "SCHEMA_VERSION",
    "default_path",
]
