"""What the history store hands back and how its rows are read: the errors and problems
it reports, the runs and scenarios it keeps, and the conversions between database rows and
Python (strict JSON in, checked rows out).

No Streamlit here, no connection (see :mod:`dashboard.history`).
"""

from __future__ import annotations

import json
import math
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pandas as pd


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


# --------------------------------------------------------------------------------------
# Python → row
# --------------------------------------------------------------------------------------
def now_utc() -> str:
    """The time now, UTC, to the second, as ISO 8601 text (the stamps of the rows)."""
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def json_safe(value: Any) -> Any:
    """NaN/inf → None, numpy scalars → Python, recursively (strict JSON)."""
    if isinstance(value, Mapping):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(v) for v in value]
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


def json_text(value: Any) -> str:
    """``value`` as strict JSON text (:func:`json_safe` first)."""
    return json.dumps(json_safe(value), ensure_ascii=False, allow_nan=False)


# --------------------------------------------------------------------------------------
# Row → Python
# --------------------------------------------------------------------------------------
def listing_row(row: sqlite3.Row) -> dict[str, Any] | None:
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
            "extra": extra_of(row["extra_json"]),
        }
    except (ValueError, TypeError):
        return None


def extra_of(text: Any) -> dict[str, Any]:
    """The ``extra`` of a listed run (what changed, a sweep's design…); ``{}`` when it cannot be read."""
    try:
        extra = json.loads(text or "{}")
    except (ValueError, TypeError):
        return {}
    return extra if isinstance(extra, dict) else {}


def stored_run(row: sqlite3.Row) -> StoredRun:
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
    "FreshStart",
    "HistoryError",
    "HistoryProblem",
    "StoredRun",
    "StoredScenario",
    "extra_of",
    "json_safe",
    "json_text",
    "listing_row",
    "now_utc",
    "stored_run",
]
