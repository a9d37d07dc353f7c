"""Replay a stored run: rebuild it from its directory and check it gives the same bits.

A stored row names its run by ``(scenario, point, replication)``; the manifest holds the
resolved scenario, the design point and the experiment seed, and the row its spawn key and
scenario hash. :func:`replay_run` simulates that run again and compares every KPI with the
stored row, bit for bit (``seamsim run --replay DIR#ROW``).

A row is given as ``DIR#K`` (the ``K``-th row of :func:`load_experiment`'s ``runs``, the
order of ``seamsim export``) or ``DIR#SCENARIO/POINT/REPLICATION``; ``DIR`` alone is its
first row.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from seamsim.experiment.store_errors import StoreError
from seamsim.experiment.stored import load_experiment
from seamsim.model.simulate import RunResult

__all__ = ["Replay", "parse_row_reference", "replay_run"]


@dataclass(frozen=True)
class Replay:
    """A stored run simulated again.

    Attributes
    ----------
    result : RunResult
        The run, simulated now.
    stored : dict
        The stored row (KPIs, seed, spawn key, scenario hash, status).
    identical : bool
        Every KPI, the status and the scenario hash equal the stored ones exactly (NaN
        equals NaN).
    differences : dict
        KPI → ``(stored, now)`` for each that differs.
    """

    result: RunResult
    stored: dict[str, Any]
    identical: bool
    differences: dict[str, tuple[Any, Any]] = field(default_factory=dict)


def parse_row_reference(text: str) -> tuple[Path, int | None, tuple[str, int, int] | None]:
    """Split ``DIR#K`` or ``DIR#SCENARIO/POINT/REPLICATION`` into its parts.

    Returns
    -------
    tuple
        ``(directory, row index or None, (scenario, point, replication) or None)``.

    Raises
    ------
    ValueError
        A reference that is neither form.

    Examples
    --------
    >>> parse_row_reference("out#3")
    (PosixPath('out'), 3, None)
    >>> parse_row_reference("out#article_after_3300v/0/2")
    (PosixPath('out'), None, ('article_after_3300v', 0, 2))
    """
    directory, sep, row = str(text).rpartition("#")
    if not sep:
        return Path(text), 0, None
    if row.isdigit():
        return Path(directory), int(row), None
    parts = row.split("/")
    if len(parts) == 3 and parts[1].isdigit() and parts[2].isdigit():
        return Path(directory), None, (parts[0], int(parts[1]), int(parts[2]))
    raise ValueError(f"row {row!r}: give DIR#K (a row number) or DIR#SCENARIO/POINT/REPLICATION")


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return a == b


def replay_run(reference: str | os.PathLike[str]) -> Replay:
    """Simulate a stored run again and compare it with its row.

    Parameters
    ----------
    reference : str or path-like
        ``DIR``, ``DIR#K`` or ``DIR#SCENARIO/POINT/REPLICATION`` (see the module).

    Returns
    -------
    Replay
        The run and whether it reproduces the stored row exactly.

    Raises
    ------
    StoreError
        Not an experiment's directory, or no such row.
    ValueError
        A malformed reference.
    """
    directory, index, key = parse_row_reference(os.fspath(reference))
    experiment = load_experiment(directory)
    runs = experiment.runs
    if index is not None:
        if not 0 <= index < len(runs):
            raise StoreError(f"{directory} holds {len(runs)} run(s): there is no row {index}")
        row = runs.iloc[index]
    else:
        name, point, replication = key
        match = runs[(runs["scenario"] == name) & (runs["point"] == point) & (runs["replication"] == replication)]
        if match.empty:
            raise StoreError(f"{directory} holds no run {name}/{point}/{replication} (scenario/point/replication)")
        row = match.iloc[0]
    stored = {k: (v.item() if hasattr(v, "item") else v) for k, v in row.items()}
    result = experiment.rerun(str(stored["scenario"]), replication=int(stored["replication"]), point=int(stored["point"]))
    differences: dict[str, tuple[Any, Any]] = {}
    for kpi, value in result.summary.items():
        if kpi in stored and not _same(float(stored[kpi]), float(value)):
            differences[kpi] = (stored[kpi], value)
    if stored.get("status") != result.status:
        differences["status"] = (stored.get("status"), result.status)
    stored_hash = stored.get("scenario_sha256")
    if isinstance(stored_hash, str) and stored_hash and stored_hash != result.scenario_sha256:
        differences["scenario_sha256"] = (stored_hash, result.scenario_sha256)
    return Replay(result, stored, not differences, differences)


def replay_table(replay: Replay, kpis: list[str]) -> pd.DataFrame:
    """Return stored and replayed values of ``kpis`` side by side (for people)."""
    rows = [{"kpi": k, "stored": replay.stored.get(k), "now": replay.result.summary.get(k),
             "same": _same(float(replay.stored.get(k, math.nan)), float(replay.result.summary.get(k, math.nan)))}
            for k in kpis]
    return pd.DataFrame(rows)
