"""Run replications × design points of one or more scenarios on an executor.

Every run is identified by ``(scenario, point, replication)`` and seeded with
:func:`~seamsim.experiment.seeds.replication_seed` ``(seed, replication)`` — the same child
for every scenario and design point (common random numbers). A run's numbers therefore
depend only on its scenario, its design point, the experiment seed and its replication
index: never on the executor, the number of workers, the chunking or the order in which
runs finish. Serial, process-pool and Dask executors give identical tables (they live in
:mod:`seamsim.experiment.executors`; this module cuts the work into chunks, drives an
executor, reports progress, stores the rows and builds the tables).

Work is sent in *chunks* of runs (scenarios travel as JSON-ready dicts, a few kB); each
worker returns small rows of KPIs — no event logs or traces are kept. With ``out`` finished
runs are written as Parquet parts as they come and compacted into one file at the end
(see :mod:`seamsim.experiment.store`), so memory stays flat however many runs there are.

A run that raises is a row with ``status == "error"``, its message and its traceback. A task
lost to the machinery (a worker killed, a Dask worker lost) is sent again, up to
:data:`~seamsim.experiment.executors.MAX_ATTEMPTS` times; runs still lost after that are not
stored, the experiment ends ``incomplete`` and a resume runs them. SIGINT, SIGTERM and
SIGHUP stop an experiment cleanly (:class:`Interrupted`): the workers are terminated, what
finished is stored and the manifest says ``interrupted``.

Examples
--------
>>> from seamsim import load_scenario, run_experiment        # doctest: +SKIP
>>> sc = load_scenario("scenarios/article_after_3300v.yaml")  # doctest: +SKIP
>>> ex = run_experiment(sc, replications=30, seed=1)          # doctest: +SKIP
>>> ex.kpi_table("rom_t_per_month")                           # doctest: +SKIP
"""

from __future__ import annotations

import contextlib
import functools
import math
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from seamsim.experiment.designs import Design, as_design, validate_design
from seamsim.experiment.executors import (
    EXECUTORS,
    SEPARATOR,
    DriveOutcome,
    _backend,
    _cpu_count,
    _drive,
    _SerialBackend,
)
from seamsim.experiment.kpis import MAIN_KPIS, kpi_keys
from seamsim.experiment.provenance import provenance
from seamsim.experiment.seeds import check_replications, check_seed, replication_seed
from seamsim.experiment.stats import summarize
from seamsim.experiment.store import (
    FORMAT_VERSION,
    KEY_COLUMNS,
    RunStore,
    StoreError,
    read_runs,
)
from seamsim.model.profile import LIMIT_NAMES
from seamsim.model.recorder import STATES
from seamsim.model.simulate import RunResult, simulate
from seamsim.scenario import Issue, Scenario, ScenarioError, apply_overrides, load_scenario

__all__ = [
    "EXECUTORS",
    "MAIN_KPIS",
    "MAX_RUNS",
    "ExperimentResult",
    "Interrupted",
    "StoreError",
    "check_kpi",
    "known_kpis",
    "resolve_scenarios",
    "run_experiment",
]

RUN_COLUMNS = ("replication", "seed", "spawn_key", "scenario_sha256", "status", "error", "reasons", "warnings")
"""Columns of a run row after ``scenario``, ``point`` and the varied fields."""

TRAILING_COLUMNS = ("traceback",)
"""Columns of a run row after the KPIs: the traceback of a run that raised (else empty)."""

MAX_RUNS = 1_000_000
"""Most runs (scenarios × points × replications) an experiment accepts unless told otherwise."""

STOP_SIGNALS = ("SIGINT", "SIGTERM", "SIGHUP")
"""Signals that stop a running experiment cleanly (see :class:`Interrupted`)."""

MAX_CHUNK = 64
"""Most runs in one task (bounds a lost task, a Parquet part and the cancel delay)."""

ProgressArg = bool | Callable[[int, int], Any] | None

_simulate: Callable[..., RunResult] = simulate
"""The function each run calls (looked up by :func:`.executors._run_chunk` at each chunk); a
test may replace it here (serial executor) to inject failures."""


# --------------------------------------------------------------------------------------
# Tables
# --------------------------------------------------------------------------------------
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


# --------------------------------------------------------------------------------------
# Inputs
# --------------------------------------------------------------------------------------
def resolve_scenarios(scenarios: Any) -> list[Scenario]:
    """Return the scenarios of an experiment as a list with unique names.

    Parameters
    ----------
    scenarios : Scenario, path, or sequence of these
        Paths are loaded with :func:`seamsim.load_scenario`. A repeated name gets a
        suffix (``face``, ``face-2``, …); the numbers do not depend on the name.
    """
    if isinstance(scenarios, Scenario | str | os.PathLike):
        scenarios = [scenarios]
    resolved: list[Scenario] = []
    for item in scenarios:
        if isinstance(item, Scenario):
            resolved.append(item)
        elif isinstance(item, str | os.PathLike):
            resolved.append(load_scenario(item))
        else:
            raise TypeError(f"expected a Scenario or a scenario file, got {type(item).__name__}")
    if not resolved:
        raise ValueError("no scenarios to run")
    taken: set[str] = set()
    unique = []
    for scenario in resolved:
        name = scenario.name
        k = 1
        while name in taken:
            k += 1
            suffix = f"-{k}"
            name = scenario.name[: 80 - len(suffix)] + suffix
        taken.add(name)
        unique.append(scenario if name == scenario.name else scenario.model_copy(update={"name": name}))
    return unique


def _check_days(days: float | None, scenario: Scenario) -> float | None:
    if days is None:
        return None
    try:
        apply_overrides(scenario, {"run.days": days})
    except ScenarioError as error:
        raise ScenarioError([Issue("days", None, None, "run.days", i.message) for i in error.issues]) from None
    return float(days)


def _check_workers(workers: int | None) -> int:
    if workers is None:
        return _cpu_count()
    if isinstance(workers, bool) or not isinstance(workers, int | np.integer) or workers < 1:
        raise ValueError(f"workers must be a positive integer, not {workers!r}")
    return int(workers)


def _check_size(n_scenarios: int, points: int, replications: Any, max_runs: int | None) -> int:
    """Return the runs of an experiment, or raise ``ValueError`` above ``max_runs``.

    Counted before the replication indices are built, so a huge count costs nothing.
    """
    if isinstance(replications, int | np.integer) and not isinstance(replications, bool):
        reps = int(replications)
    elif hasattr(replications, "__len__"):
        reps = len(replications)
    else:  # an iterator: counted once its indices are read
        return 0
    total = n_scenarios * points * reps
    if max_runs is not None and total > max_runs:
        raise ValueError(
            f"{total:,} runs ({n_scenarios} scenario(s) × {points:,} point(s) × {reps:,} replication(s)) "
            f"is more than the {max_runs:,} allowed; give max_runs (--max-runs) to run more"
        )
    return total


def _default_chunk(runs: int, slots: int) -> int:
    """About four tasks per worker, at most :data:`MAX_CHUNK` runs each."""
    return max(1, min(MAX_CHUNK, math.ceil(runs / (4 * max(1, slots)))))


# --------------------------------------------------------------------------------------
# Progress and tasks
# --------------------------------------------------------------------------------------
class _Progress:
    """A tqdm bar on stderr (``progress=True``) or a callback ``(done, total)``."""

    def __init__(self, progress: ProgressArg, total: int, done: int):
        self.total = total
        self.done = done
        self.callback = progress if callable(progress) else None
        self.bar = None
        if progress is True:
            from tqdm.auto import tqdm

            self.bar = tqdm(
                total=total, initial=done, unit="run", file=sys.stderr, desc="seamsim",
                dynamic_ncols=True, mininterval=0.5,
            )

    def report(self, n: int = 0) -> bool:
        """Count ``n`` finished runs; return ``False`` if the callback asked to stop."""
        self.done += n
        if self.bar is not None and n:
            self.bar.update(n)
        if self.callback is not None:
            return self.callback(self.done, self.total) is not False
        return True

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()

    @classmethod
    def maker(cls, progress: ProgressArg, total: int, done: int) -> Callable[[], _Progress]:
        """Return a function that starts the progress report (after the pool has started)."""
        return functools.partial(cls, progress, total, done)


def _tasks(
    keys: Iterator[tuple[str, int, int]],
    chunk: int,
    base: Mapping[str, Any],
    scenario_dicts: Mapping[str, dict],
    design: Design,
) -> Iterator[dict[str, Any]]:
    batch: list[tuple[str, int, int]] = []

    def task() -> dict[str, Any]:
        names = dict.fromkeys(k[0] for k in batch)  # ordered: nothing here depends on hashing
        points = dict.fromkeys(k[1] for k in batch)
        return {
            **base,
            "scenarios": {n: scenario_dicts[n] for n in names},
            "points": {p: design.points[p] for p in points},
            "runs": list(batch),
        }

    for key in keys:
        batch.append(key)
        if len(batch) >= chunk:
            yield task()
            batch = []
    if batch:
        yield task()


# --------------------------------------------------------------------------------------
# Stopping on signals
# --------------------------------------------------------------------------------------
class Interrupted(KeyboardInterrupt):
    """An experiment stopped by SIGINT, SIGTERM or SIGHUP (a :class:`KeyboardInterrupt`).

    Attributes
    ----------
    signum : int
        The signal.
    """

    def __init__(self, signum: int):
        super().__init__(int(signum))  # args stay (signum,): simpy re-raises with type(e)(*e.args)
        self.signum = int(signum)

    def __str__(self) -> str:
        return signal.Signals(self.signum).name


@contextlib.contextmanager
def _stop_on_signals() -> Iterator[Callable[[], None]]:
    """Turn the first of :data:`STOP_SIGNALS` into :class:`Interrupted`; ignore the rest until done.

    Only in the main thread (elsewhere signals cannot be handled), and never for a signal
    ignored when the experiment starts (``nohup``, a background job's SIGINT). The handlers
    in place before are restored on the way out.

    Yields
    ------
    callable
        Raises :class:`Interrupted` again if a signal came (should a run have swallowed it).
    """
    stopping: list[int] = []

    def check() -> None:
        if stopping:
            raise Interrupted(stopping[0])

    if threading.current_thread() is not threading.main_thread():
        yield check
        return

    def stop(signum: int, frame: Any) -> None:
        if not stopping:  # once: the clean-up that follows must not be interrupted
            stopping.append(signum)
            raise Interrupted(signum)

    previous = {}
    for name in STOP_SIGNALS:
        signum = getattr(signal, name, None)
        if signum is not None and signal.getsignal(signum) is not signal.SIG_IGN:
            previous[signum] = signal.signal(signum, stop)
    try:
        yield check
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


# --------------------------------------------------------------------------------------
# The entry point
# --------------------------------------------------------------------------------------
def run_experiment(
    scenarios: Scenario | str | os.PathLike | Sequence[Scenario | str | os.PathLike],
    replications: int | Sequence[int] = 30,
    seed: int = 0,
    *,
    days: float | None = None,
    design: Design | Sequence[Mapping[str, Any]] | None = None,
    executor: str = "processes",
    workers: int | None = None,
    scheduler: Any = None,
    out: str | os.PathLike | None = None,
    resume: bool = False,
    progress: ProgressArg = False,
    chunk_size: int | None = None,
    max_runs: int | None = MAX_RUNS,
) -> ExperimentResult:
    """Run every scenario × design point × replication and return tidy tables.

    Parameters
    ----------
    scenarios : Scenario, path or sequence of these
        What to run; repeated names get a suffix (``face-2``).
    replications : int or sequence of int, optional
        Replications per scenario and point (30), or explicit indices (``[7]``).
    seed : int, optional
        Experiment seed; replication ``i`` uses ``replication_seed(seed, i)`` for every
        scenario and point (common random numbers).
    days : float, optional
        Horizon [d]; each scenario's ``run.days`` when not given.
    design : Design or sequence of dict, optional
        Override dicts applied to every scenario (see :mod:`.designs`). Every point is
        validated on every scenario before anything runs.
    executor : {"serial", "processes", "dask"}, optional
        Where to run (``processes`` by default). All give identical numbers.
    workers : int, optional
        Processes (default: the CPUs available), or workers of a local Dask cluster.
    scheduler : str or distributed.Client, optional
        Dask scheduler address (``tcp://host:8786``) or a client; without one, ``dask``
        starts a local cluster of ``workers`` processes and closes it at the end.
    out : path-like, optional
        Stream runs to Parquet parts in this directory, with ``manifest.json``. One
        process at a time writes to a directory (it is locked while the experiment runs).
    resume : bool, optional
        Complete the experiment stored in ``out``: runs already there are kept, the
        others run (and runs lost to dead workers run again). Refused if ``out`` holds a
        different experiment.
    progress : bool or callable, optional
        ``True``: a tqdm bar on stderr. A callable ``(done, total)`` is called at the
        start and after each chunk; if it returns ``False`` no further work is started
        and what is done is returned (a cooperative cancel; ``result.complete`` is
        ``False``, and ``resume`` completes it later).
    chunk_size : int, optional
        Runs per task (default: about four tasks per worker, at most 64 runs).
    max_runs : int or None, optional
        Most runs accepted (:data:`MAX_RUNS`, a million); ``None``: no limit.

    Returns
    -------
    ExperimentResult
        ``.runs`` (one row per run), ``.summary`` (mean and CI per scenario × point × KPI),
        ``.scenarios``, ``.design`` and ``.manifest`` (``status`` is ``complete``,
        ``incomplete`` when runs were lost to dead workers after every retry — see
        ``manifest["lost"]`` — or ``cancelled``).

    Raises
    ------
    ScenarioError
        A scenario file, a design point or ``days`` is invalid (nothing has run).
    StoreBusy
        Another process is writing to ``out``.
    StoreError
        ``out`` holds another experiment (or a different or damaged one, on resume).
    ValueError
        A bad argument, or more runs than ``max_runs``.
    Interrupted
        SIGINT, SIGTERM or SIGHUP: the workers are stopped, what finished is stored and
        the manifest says ``interrupted`` (``resume`` completes it).
    """
    resolved = resolve_scenarios(scenarios)
    seed = check_seed(seed)
    the_design = as_design(design)
    _check_size(len(resolved), len(the_design), replications, max_runs)
    reps = check_replications(replications)
    validate_design(the_design, resolved)
    days = _check_days(days, resolved[0])
    if executor not in EXECUTORS:
        raise ValueError(f"unknown executor {executor!r}; choose one of {', '.join(EXECUTORS)}")
    n_workers = _check_workers(workers)
    if chunk_size is not None and (isinstance(chunk_size, bool) or int(chunk_size) < 1):
        raise ValueError(f"chunk_size must be a positive integer, not {chunk_size!r}")
    if resume and out is None:
        raise ValueError("resume needs the output directory (out) of the experiment")

    names = [sc.name for sc in resolved]
    scenario_dicts = {sc.name: sc.model_dump(mode="json") for sc in resolved}
    total = len(resolved) * len(the_design) * len(reps)
    manifest = _manifest(seed, reps, days, names, scenario_dicts, the_design, executor, n_workers, scheduler, total)
    frames: list[pd.DataFrame] = []
    started = time.perf_counter()
    with _stop_on_signals() as check_signals:
        store = RunStore(out) if out is not None else None
        done = store.start(manifest, resume=resume) if store is not None else set()
        status, outcome = "interrupted", DriveOutcome()
        try:
            todo = total - _stored_of_this_experiment(done, scenario_dicts, len(the_design), reps)
            slots = 4 if executor == "serial" else n_workers
            chunk = int(chunk_size) if chunk_size is not None else _default_chunk(todo, slots)
            if store is not None:
                store.plan(todo, chunk)

            def store_rows(rows: list[dict]) -> None:
                check_signals()
                frame = _rows_frame(rows, the_design.fields)
                if store is not None:
                    store.add_rows(frame)
                else:
                    frames.append(frame)

            def make_tasks(in_worker: bool) -> Iterator[dict[str, Any]]:
                keys = ((n, p, r) for n in names for p in range(len(the_design)) for r in reps
                        if (n, p, r) not in done)
                base = {"seed": seed, "days": days, "fields": list(the_design.fields), "in_worker": in_worker}
                return _tasks(keys, chunk, base, scenario_dicts, the_design)

            backend_spec = (executor, n_workers, scheduler, math.ceil(todo / chunk), workers is not None)
            outcome = _run_all(backend_spec, make_tasks, store_rows, _Progress.maker(progress, total, total - todo))
            status = "cancelled" if outcome.cancelled else "incomplete" if outcome.lost_runs else "complete"
        finally:
            if store is not None:
                manifest = store.finish(status, runs_total=total, lost=outcome.lost())
    result_args = ({sc.name: sc for sc in resolved}, the_design, seed, reps, days)
    if store is not None:
        return ExperimentResult(*result_args, manifest, out=Path(out))
    runs_done = sum(len(f) for f in frames)
    wall_s = time.perf_counter() - started
    manifest.update(
        status=status,
        finished=_now(),
        timings={"wall_s": round(wall_s, 3), "runs": runs_done,
                 "runs_per_s": round(runs_done / wall_s, 3) if wall_s > 0 else None},
    )
    if outcome.lost():
        manifest["lost"] = outcome.lost()
    runs = pd.concat(frames, ignore_index=True, sort=False) if frames else pd.DataFrame()
    return ExperimentResult(*result_args, manifest, runs=_tidy(runs, names, the_design.fields))


def _manifest(
    seed: int, reps: list[int], days: float | None, names: list[str], scenario_dicts: Mapping[str, dict],
    design: Design, executor: str, workers: int, scheduler: Any, total: int,
) -> dict[str, Any]:
    """Return the manifest of an experiment as it starts (see :mod:`.store` and :mod:`.provenance`)."""
    origin = provenance(scenario_dicts)
    return {
        "format_version": FORMAT_VERSION,
        "created": _now(),
        "seamsim_version": origin["seamsim_version"],
        "seed": seed,
        "replications": len(reps) if reps == list(range(len(reps))) else reps,
        "days": days,
        "scenarios": [{"name": n, "scenario": scenario_dicts[n]} for n in names],
        "design": design.to_dict(),
        "executor": executor,
        "workers": workers if executor != "serial" else 1,
        "scheduler": scheduler if isinstance(scheduler, str) or scheduler is None else repr(scheduler),
        "runs_total": total,
        "environment": origin["environment"],
        "provenance": {k: v for k, v in origin.items() if k != "environment"},
    }


def _stored_of_this_experiment(
    done: set[tuple[str, int, int]], scenario_dicts: Mapping[str, Any], points: int, reps: list[int]
) -> int:
    """Return how many of the stored keys belong to this experiment's scenarios, points and replications."""
    wanted = set(reps)
    return sum(1 for n, p, r in done if n in scenario_dicts and p < points and r in wanted)


def _run_all(
    backend_spec: tuple,
    make_tasks: Callable[[bool], Iterator[dict[str, Any]]],
    store_rows: Callable[[list[dict]], None],
    make_progress: Callable[[], _Progress],
) -> DriveOutcome:
    """Start the backend, drive every task through it and close it on every path.

    The pool starts before the progress bar's monitor thread (see ``_mp_context``). On an
    exception (an interrupt) the workers are terminated rather than waited for.
    """
    backend = _backend(*backend_spec)
    reporter: _Progress | None = None
    aborted = True
    try:
        reporter = make_progress()

        def on_rows(rows: list[dict]) -> bool:
            store_rows(rows)
            return reporter.report(len(rows))

        if reporter.report(0):
            outcome = _drive(backend, make_tasks(not isinstance(backend, _SerialBackend)), on_rows)
        else:
            outcome = DriveOutcome(cancelled=True)
        aborted = False
    finally:
        try:
            backend.close(abort=aborted)
        finally:
            if reporter is not None:
                reporter.close()
    return outcome


def _now() -> str:
    from datetime import datetime, timezone

    return datetime.now(timezone.utc).isoformat(timespec="seconds")
