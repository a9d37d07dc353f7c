"""An experiment's results: the runs table, its summaries and the way back to each run.

:class:`ExperimentResult` is what :func:`~seamsim.experiment.runner.run_experiment` (and
:func:`~seamsim.experiment.stored.load_experiment`) return: one row per run, sorted by
(scenario as given, point, replication), with the columns of :data:`RUN_COLUMNS`, the KPIs
(main ones first) and :data:`TRAILING_COLUMNS`. :func:`known_kpis` lists the KPI columns
from the KPI table, without running anything.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping, Sequence
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from seamsim.experiment.chunk_worker import SEPARATOR
from seamsim.experiment.design_points import Design
from seamsim.experiment.kpis import MAIN_KPIS, kpi_keys
from seamsim.experiment.run_keys import KEY_COLUMNS
from seamsim.experiment.seeds import replication_seed
from seamsim.experiment.store import read_runs
from seamsim.experiment.t_estimates import summarize
from seamsim.model.profile import LIMIT_NAMES
from seamsim.model.recorder import STATES
from seamsim.model.simulate import RunResult, simulate
from seamsim.scenario import Scenario, apply_overrides

__all__ = ["RUN_COLUMNS", "TRAILING_COLUMNS", "ExperimentResult", "check_kpi", "known_kpis"]

RUN_COLUMNS = ("replication", "seed", "spawn_key", "scenario_sha256", "status", "error", "reasons", "warnings")
"""Columns of a run row after ``scenario``, ``point`` and the varied fields."""

TRAILING_COLUMNS = ("traceback",)
"""Columns of a run row after the KPIs: the traceback of a run that raised (else empty)."""


def _kpi_order(columns: Iterable[str], fixed: set[str]) -> list[str]:
    kpis = [c for c in columns if c not in fixed]
    main = [k for k in MAIN_KPIS if k in kpis]
    return main + sorted(k for k in kpis if k not in MAIN_KPIS)


def _tidy(runs: pd.DataFrame, scenario_order: Sequence[str], fields: Sequence[str]) -> pd.DataFrame:
    """Sort runs by (scenario as given, point, replication), fix column order and types."""
    fixed = ["scenario", "point", *fields, *RUN_COLUMNS]
    for column in [*fixed, *TRAILING_COLUMNS]:
        if column not in runs.columns:
            runs[column] = pd.Series(dtype=object if column in fields else "float64")
    columns = fixed + _kpi_order(runs.columns, {*fixed, *TRAILING_COLUMNS}) + list(TRAILING_COLUMNS)
    runs = runs[columns]
    runs = runs.drop_duplicates(subset=list(KEY_COLUMNS), keep="first")
    rank = {name: i for i, name in enumerate(scenario_order)}
    order = np.lexsort(
        (
            runs["replication"].to_numpy(dtype="int64"),
            runs["point"].to_numpy(dtype="int64"),
            runs["scenario"].map(rank).fillna(len(rank)).to_numpy(dtype="int64"),
        )
    )
    runs = runs.iloc[order].reset_index(drop=True)
    runs = runs.astype({"point": "int64", "replication": "int64", "seed": "int64"})
    for column in ("scenario", "spawn_key", "scenario_sha256", "status", "error", "reasons", "warnings",
                   *TRAILING_COLUMNS):
        runs[column] = runs[column].fillna("").astype(str)
    kpis = columns[len(fixed):len(columns) - len(TRAILING_COLUMNS)]
    if kpis:
        runs[kpis] = runs[kpis].astype("float64")
    return runs


def _rows_frame(rows: list[dict[str, Any]], fields: Sequence[str]) -> pd.DataFrame:
    frame = pd.DataFrame.from_records(rows)
    fixed = ["scenario", "point", *fields, *RUN_COLUMNS]
    trailing = [c for c in TRAILING_COLUMNS if c in frame.columns]
    return frame[fixed + _kpi_order(frame.columns, {*fixed, *TRAILING_COLUMNS}) + trailing]


class ExperimentResult:
    """The outcome of :func:`run_experiment`.

    Attributes
    ----------
    scenarios : dict of str to Scenario
        The resolved scenarios by (unique) name, in the order given.
    design : Design
        The design points (one empty point when there was no design).
    seed : int
        The experiment seed; replication ``i`` used ``replication_seed(seed, i)``.
    replications : list of int
        Replication indices run.
    days : float or None
        Horizon [d] (``None``: each scenario's ``run.days``).
    manifest : dict
        What was run and how (the content of ``manifest.json``), with timings.
    out : Path or None
        The output directory, when results were streamed to disk.
    """

    def __init__(
        self,
        scenarios: Mapping[str, Scenario],
        design: Design,
        seed: int,
        replications: Sequence[int],
        days: float | None,
        manifest: dict[str, Any],
        runs: pd.DataFrame | None = None,
        out: Path | None = None,
    ):
        self.scenarios = dict(scenarios)
        self.design = design
        self.seed = seed
        self.replications = list(replications)
        self.days = days
        self.manifest = manifest
        self.out = out
        if runs is not None:
            self.__dict__["runs"] = runs

    def __repr__(self) -> str:
        return (
            f"ExperimentResult({len(self.scenarios)} scenario(s) × {len(self.design)} point(s) × "
            f"{len(self.replications)} replication(s), seed={self.seed}, "
            f"status={self.manifest.get('status')!r})"
        )

    @property
    def fields(self) -> tuple[str, ...]:
        """The varied fields (columns of :attr:`runs` after ``point``)."""
        return self.design.fields

    @property
    def complete(self) -> bool:
        """Whether every run was done (``False`` after a cancel, or with runs lost to dead workers)."""
        return self.manifest.get("status") == "complete"

    @cached_property
    def runs(self) -> pd.DataFrame:
        """One row per run: ``scenario, point, <varied fields>, replication, seed, status,
        error, reasons, warnings``, every KPI (main KPIs first, the rest by name), and
        ``traceback``.

        ``reasons`` and ``warnings`` hold the run's messages joined by newlines
        (:data:`SEPARATOR`); ``error`` is ``"ExceptionType: message"`` for a run that
        raised (its KPIs are NaN; ``traceback`` holds where) and empty otherwise. Sorted by scenario (in the order
        given), point and replication. With ``out`` the rows are read from the Parquet
        parts on first access.
        """
        assert self.out is not None
        return _tidy(read_runs(self.out), list(self.scenarios), self.fields)

    @property
    def kpis(self) -> list[str]:
        """The KPI columns of :attr:`runs`."""
        fixed = {"scenario", "point", *self.fields, *RUN_COLUMNS, *TRAILING_COLUMNS}
        return [c for c in self.runs.columns if c not in fixed]

    @cached_property
    def summary(self) -> pd.DataFrame:
        """Mean and 95 % CI of every KPI per scenario × point, in long (tidy) format.

        Columns ``scenario, point, <varied fields>, kpi, n, mean, sd, ci95_lo, ci95_hi,
        half_width``; one row per scenario, point and KPI. ``n`` counts the runs with a
        value (failed runs and undefined values are left out). See :mod:`.stats`.
        """
        table = summarize(self.runs, ["scenario", "point"], self.kpis)
        if self.fields:
            values = self.design.frame().set_index("point")
            for i, f in enumerate(self.fields):
                table.insert(2 + i, f, table["point"].map(values[f]).to_numpy())
        return table

    def kpi_table(self, kpi: str = "rom_t_per_month") -> pd.DataFrame:
        """Return one row per scenario × point for one KPI (a wide slice of :attr:`summary`)."""
        if kpi not in self.kpis:
            raise KeyError(f"unknown KPI {kpi!r}; the KPIs are: {', '.join(self.kpis)}")
        table = self.summary[self.summary["kpi"] == kpi].drop(columns="kpi")
        return table.reset_index(drop=True)

    def status_table(self) -> pd.DataFrame:
        """Return per scenario × point: runs, ``ok``, ``infeasible``, ``error`` counts and the
        distinct reasons and errors."""
        runs = self.runs
        groups = runs.groupby(["scenario", "point"], sort=False)
        table = groups["status"].value_counts().unstack(fill_value=0)
        for status in ("ok", "infeasible", "error"):
            if status not in table.columns:
                table[status] = 0
        table = table[["ok", "infeasible", "error"]].astype("int64")
        table.insert(0, "runs", table.sum(axis=1))
        table["reasons"] = groups["reasons"].agg(_distinct)
        table["warnings"] = groups["warnings"].agg(_distinct)
        table["errors"] = groups["error"].agg(_distinct)
        return table.reset_index()

    def scenario(self, name: str | None = None, point: int = 0) -> Scenario:
        """Return the scenario ``name`` (the first by default) with design point ``point`` applied."""
        name = name if name is not None else next(iter(self.scenarios))
        overrides = self.design.points[point]
        base = self.scenarios[name]
        return apply_overrides(base, overrides) if overrides else base

    def rerun(self, name: str | None = None, replication: int = 0, point: int = 0) -> RunResult:
        """Re-run one replication alone, with its event log and trace.

        Gives the same KPIs as its row in :attr:`runs` (the seed is
        ``replication_seed(self.seed, replication)``).
        """
        return simulate(self.scenario(name, point), replication_seed(self.seed, replication), self.days)


@functools.lru_cache(maxsize=1)
def known_kpis() -> tuple[str, ...]:
    """Return the KPI names a run reports (the keys of ``RunResult.summary``), main KPIs first.

    From the KPI table (:mod:`seamsim.experiment.kpis`) and the model's states and speed
    limits; no simulation is run.
    """
    return tuple(_kpi_order(kpi_keys(STATES, LIMIT_NAMES), set()))


def check_kpi(kpi: str) -> str:
    """Return ``kpi`` if runs report it, else raise ``ValueError`` naming the close ones."""
    if kpi in known_kpis():
        return kpi
    import difflib

    close = difflib.get_close_matches(kpi, known_kpis(), n=3, cutoff=0.5)
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    raise ValueError(f"unknown KPI {kpi!r}{hint}")


def _distinct(values: Iterable[str]) -> str:
    seen: dict[str, None] = {}
    for value in values:
        for item in str(value).split(SEPARATOR):
            if item:
                seen[item] = None
    return SEPARATOR.join(seen)


