"""Runs of the pages kept in the history store: the store of this server (cached), the
fingerprint that keeps each distinct run once, and the columns of a runs table worth keeping.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd
import streamlit as st

from dashboard.history import HistoryStore
from dashboard.history_schema import default_path
from seamsim.scenario.schema import Scenario


@st.cache_resource(show_spinner=False)
def _store(path: str) -> HistoryStore:
    return HistoryStore(path)


def history_store() -> HistoryStore:
    """The history store of this server (``SEAMSIM_HISTORY_DB`` or the user data folder)."""
    return _store(str(default_path()))


def fingerprint(page: str, scenarios: Sequence[Scenario], seed: int, replications: int, days: float | None,
                extra: Mapping[str, Any] | None = None) -> str:
    """A digest of what a run was, so the history keeps each distinct run once.

    It covers the page, seed, replications, days, every setting of every scenario, and
    ``extra`` — a sweep's design (two sweeps of the same base that differ only in their
    points are two runs) and the settings changed from the preset.
    """
    import hashlib
    import json

    text = "|".join([page, str(seed), str(replications), str(days), *(sc.model_dump_json() for sc in scenarios),
                     json.dumps(dict(extra or {}), sort_keys=True, default=str)])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


HISTORY_COLUMNS = ("scenario", "point", "replication", "status", "reasons")


def runs_for_history(runs: pd.DataFrame) -> pd.DataFrame:
    """The columns of a runs table worth keeping: identity, status and every numeric KPI."""
    keep = [c for c in runs.columns if c in HISTORY_COLUMNS or pd.api.types.is_numeric_dtype(runs[c])]
    return runs[keep].drop(columns=[c for c in ("seed",) if c in keep])


def record_run(page: str, label: str, scenarios: Sequence[Scenario], seed: int, replications: int,
               days: float | None, runs: pd.DataFrame, status: str = "ok", store: HistoryStore | None = None,
               **extra: Any) -> int | None:
    """Keep a run in the history store; a failure to write is shown, never raised."""
    try:
        store = store or history_store()
        headline = float(runs["rom_t_per_month"].mean()) if "rom_t_per_month" in runs and len(runs) else None
        key = fingerprint(page, scenarios, seed, replications, days, extra)
        if "scenario" in runs and "rom_t_per_month" in runs and len(runs):  # one output per scenario, for the list
            extra = {**extra, "outputs": {str(k): float(v) for k, v in
                                          runs.groupby("scenario", sort=False)["rom_t_per_month"].mean().items()}}
        return store.add_run(
            page=page, label=label, scenarios=[sc.model_dump(mode="json") for sc in scenarios], seed=seed,
            replications=replications, days=days, status=status, runs=runs_for_history(runs), headline=headline,
            fingerprint=key, extra=extra,
        )
    except Exception as exc:  # noqa: BLE001
        st.toast(f"Could not keep this run in the history: {exc}", icon=":material/error:")
        return None


__all__ = [
    "HISTORY_COLUMNS",
    "fingerprint",
    "history_store",
    "record_run",
    "runs_for_history",
]
