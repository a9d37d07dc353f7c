"""The key of a stored run, and which stored row stands for it when a key is stored twice.

A run is identified by ``(scenario, point, replication)`` (:data:`KEY_COLUMNS`). Should a
key be stored more than once (a kill during a compaction, a resume after a lost worker),
the row of a finished run wins over one lost to the machinery (:data:`INFRASTRUCTURE_ERRORS`),
then the row of the later part.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

__all__ = [
    "INFRASTRUCTURE_ERRORS",
    "KEY_COLUMNS",
    "infrastructure_rows",
    "is_infrastructure_error",
    "one_row_per_key",
]

KEY_COLUMNS = ("scenario", "point", "replication")
"""The columns that identify a run; each key is stored once."""
INFRASTRUCTURE_ERRORS = (
    "BrokenProcessPool",
    "BrokenExecutor",
    "KilledWorker",
    "CancelledError",
    "FutureCancelledError",
    "CommClosedError",
)
"""Exception names of a run lost to the machinery (a dead worker), not to the model: such a
run is retried, by the running experiment and by a resume, and never stored as final."""


def is_infrastructure_error(error: Any) -> bool:
    """Return whether an ``error`` text (``"Type: message"``) names a lost worker, not the model."""
    return str(error).split(":", 1)[0].strip() in INFRASTRUCTURE_ERRORS


def infrastructure_rows(frame: pd.DataFrame) -> pd.Series:
    """Return a mask of the rows that are runs lost to a dead worker (see :data:`INFRASTRUCTURE_ERRORS`)."""
    if "status" not in frame or "error" not in frame:
        return pd.Series(False, index=frame.index)
    failed = frame["status"].astype(str) == "error"
    return failed & frame["error"].map(is_infrastructure_error).astype(bool)


def one_row_per_key(frame: pd.DataFrame, part_of_row: list[int]) -> pd.DataFrame:
    """Return ``frame`` with one row per run key: a finished run over a lost one, then the later part."""
    if not all(k in frame for k in KEY_COLUMNS) or not len(frame):
        return frame
    rank = pd.DataFrame({"lost": infrastructure_rows(frame).to_numpy(), "part": part_of_row}, index=frame.index)
    best = rank.sort_values(["lost", "part"], ascending=[True, False], kind="stable").index
    keep = frame.loc[best, list(KEY_COLUMNS)].drop_duplicates(keep="first").index
    return frame.loc[frame.index.isin(keep)].reset_index(drop=True)
