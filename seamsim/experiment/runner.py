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

import functools
import math
import os
import sys
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from seamsim.experiment.design_points import Design, as_design
from seamsim.experiment.design_validation import validate_design
from seamsim.experiment.executors import (
    EXECUTORS,
    _backend,
    _cpu_count,
    _SerialBackend,
)
from seamsim.experiment.interrupts import Interrupted, stop_on_signals
from seamsim.experiment.kpis import MAIN_KPIS
from seamsim.experiment.manifest import FORMAT_VERSION, utc_now
from seamsim.experiment.provenance import provenance
from seamsim.experiment.result import (
    ExperimentResult,
    _rows_frame,
    _tidy,
    check_kpi,
    known_kpis,
)
from seamsim.experiment.seeds import check_replications, check_seed
from seamsim.experiment.store import RunStore
from seamsim.experiment.store_errors import StoreError
from seamsim.experiment.task_driver import DriveOutcome, drive
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

MAX_RUNS = 1_000_000
"""Most runs (scenarios × points × replications) an experiment accepts unless told otherwise."""

MAX_CHUNK = 64
"""Most runs in one task (bounds a lost task, a Parquet part and the cancel delay)."""

ProgressArg = bool | Callable[[int, int], Any] | None

_simulate: Callable[..., RunResult] = simulate
"""The function each run calls (looked up by :func:`.chunk_worker.chunk_rows` at each chunk); a
test may replace it here (serial executor) to inject failures."""


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
    scenario_dicts: Mapping[str, dict | Scenario],
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
    with stop_on_signals() as check_signals:
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
                # a worker gets JSON-ready dicts; this process keeps the validated scenarios
                scenarios = scenario_dicts if in_worker else {sc.name: sc for sc in resolved}
                return _tasks(keys, chunk, base, scenarios, the_design)

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
        finished=utc_now(),
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
        "created": utc_now(),
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
            outcome = drive(backend, make_tasks(not isinstance(backend, _SerialBackend)), on_rows)
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

