"""Executors: where the runs of an experiment execute, and what a worker does with a chunk.

:func:`~seamsim.experiment.runner.run_experiment` cuts an experiment into *tasks* (chunks
of runs) and hands them to a *backend* that submits a task, waits for the first done,
cancels what has not started and closes. This module holds that machinery; the runner
holds the orchestration (inputs, chunking, progress, storage, tables).

Contents
--------
_run_chunk
    The worker side: run the runs of one task and return one small row per run. Submitted
    to process pools and Dask by reference, so it stays a top-level function here.
_settle_worker, _release_memory, _malloc_trim
    Keep a worker's memory flat: freeze its start-up objects before the first chunk
    (:func:`gc.freeze`), collect after each chunk and hand freed heap back to the OS.
_SerialBackend, _ProcessBackend, _DaskBackend, _backend
    The three executors (:data:`EXECUTORS`) and the choice between them.
_mp_context
    How pool processes start: ``fork`` from a single-threaded parent, else a fork server.
_drive, _failed_rows
    Keep a backend's window of tasks in flight; turn a lost task into error rows.

Every name is also importable from :mod:`seamsim.experiment.runner`, as before.

Notes
-----
The function a run calls is ``seamsim.experiment.runner._simulate`` (a test may replace it
there to inject failures on the serial executor); :func:`_run_chunk` looks it up at each
chunk.
"""

from __future__ import annotations

import concurrent.futures as cf
import functools
import gc
import logging
import os
import sys
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from seamsim.experiment.seeds import replication_seed
from seamsim.model.simulate import RunResult
from seamsim.scenario import Scenario, apply_overrides

__all__ = ["EXECUTORS", "SEPARATOR"]

EXECUTORS = ("serial", "processes", "dask")
"""Where runs execute: this process, a local process pool, or a Dask cluster."""

SEPARATOR = "\n"
"""Joins the reasons (and warnings) of a run in its ``reasons`` (``warnings``) column."""


# --------------------------------------------------------------------------------------
# The worker side: one chunk of runs → rows
# --------------------------------------------------------------------------------------
def _run_chunk(task: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Run the runs of one task and return one small row per run (importable by workers).

    ``task`` holds ``seed``, ``days``, ``fields``, ``scenarios`` (name → scenario dict),
    ``points`` (index → overrides), ``runs`` (a list of ``(scenario, point, replication)``)
    and ``in_worker`` (a pool or Dask worker: keep its memory flat, see
    :func:`_settle_worker`). A run that raises becomes a row with ``status == "error"``.
    """
    seed, days, fields = task["seed"], task["days"], task["fields"]
    in_worker = bool(task.get("in_worker", False))
    simulate_run = _simulate_hook()
    if in_worker:
        _settle_worker()
    built: dict[tuple[str, int], Scenario] = {}
    rows = []
    for name, point, replication in task["runs"]:
        overrides = task["points"][point]
        row: dict[str, Any] = {"scenario": name, "point": point}
        row.update({f: overrides.get(f) for f in fields})
        row.update(replication=replication, seed=seed)
        try:
            scenario = built.get((name, point))
            if scenario is None:
                scenario = Scenario.model_validate(task["scenarios"][name])
                if overrides:
                    scenario = apply_overrides(scenario, overrides)
                built[(name, point)] = scenario
            result = simulate_run(scenario, replication_seed(seed, replication), days)
            row.update(
                status=result.status,
                error="",
                reasons=SEPARATOR.join(result.reasons),
                warnings=SEPARATOR.join(result.warnings),
            )
            row.update({k: float(v) for k, v in result.summary.items()})
        except Exception as exc:  # noqa: BLE001 - recorded in the row; the others go on
            row.update(status="error", error=_error_text(exc), reasons="", warnings="")
        rows.append(row)
    _release_memory(in_worker)
    return rows


def _simulate_hook() -> Callable[..., RunResult]:
    """Return the function each run calls: ``seamsim.experiment.runner._simulate``.

    Looked up when a chunk starts (not bound at import), so a test that replaces it in
    :mod:`seamsim.experiment.runner` reaches every run of the serial executor.
    """
    from seamsim.experiment import runner

    return runner._simulate


@functools.lru_cache(maxsize=1)
def _malloc_trim() -> Callable[[int], int] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        import ctypes

        return ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):  # pragma: no cover - not glibc
        return None


_frozen = False
"""Whether this worker process has frozen its start-up objects (see :func:`_settle_worker`)."""


def _settle_worker() -> None:
    """Before a worker's first chunk: move what it has imported out of the collector's way.

    A simulation leaves reference cycles (simpy processes and events) that only a full
    garbage collection frees. A full collection over the ~100,000 objects of the imported
    modules costs ~50 ms; frozen (:func:`gc.freeze`), it costs ~1 ms, so every chunk can end
    with one and a long sweep's workers stay flat.
    """
    global _frozen
    if not _frozen:
        gc.collect()
        gc.freeze()
        _frozen = True


def _release_memory(in_worker: bool) -> None:
    """After a chunk: collect its garbage (in a worker) and hand freed heap back to the OS.

    glibc keeps freed memory in its arenas; trimming it costs about a millisecond.
    """
    if in_worker:
        gc.collect()
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


def _error_text(exc: BaseException) -> str:
    text = f"{type(exc).__name__}: {exc}"
    return text if len(text) <= 2000 else text[:1997] + "..."


def _cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0)) or 1
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        return os.cpu_count() or 1


# --------------------------------------------------------------------------------------
# Executors: submit a task, wait for the first done, cancel, close
# --------------------------------------------------------------------------------------
class _SerialBackend:
    """Runs each task when it is submitted, in this process."""

    window = 1

    def submit(self, task):
        future: cf.Future = cf.Future()
        try:
            future.set_result(_run_chunk(task))
        except Exception as exc:  # noqa: BLE001 - recorded like a worker's failure
            future.set_exception(exc)
        return future

    def wait_first(self, pending):
        return list(pending)

    def cancel(self, futures):
        return []

    def close(self):
        pass


def _mp_context():
    """How worker processes start.

    ``fork`` on Linux when this process runs a single thread (instant, nothing to import);
    otherwise ``forkserver`` (safe in a threaded parent such as a Dask client or a web
    app; the server imports seamsim once), or ``spawn`` where neither exists.
    """
    import multiprocessing as mp
    import threading

    methods = mp.get_all_start_methods()
    if "fork" in methods and sys.platform.startswith("linux") and threading.active_count() == 1:
        return mp.get_context("fork")
    if "forkserver" in methods:
        ctx = mp.get_context("forkserver")
        ctx.set_forkserver_preload(["seamsim.experiment.runner"])  # workers start warm
        return ctx
    return mp.get_context("spawn")  # pragma: no cover - Windows


class _ProcessBackend:
    """A :class:`concurrent.futures.ProcessPoolExecutor` of ``workers`` processes."""

    def __init__(self, workers: int):
        self.pool = cf.ProcessPoolExecutor(max_workers=workers, mp_context=_mp_context())
        self.window = 2 * workers

    def submit(self, task):
        return self.pool.submit(_run_chunk, task)

    def wait_first(self, pending):
        done, _ = cf.wait(list(pending), return_when=cf.FIRST_COMPLETED)
        return list(done)

    def cancel(self, futures):
        return [f for f in futures if not f.cancel()]  # running ones finish and are kept

    def close(self):
        self.pool.shutdown(wait=True, cancel_futures=True)


class _DaskBackend:
    """A ``dask.distributed`` client: to ``scheduler``, or to a local cluster it starts."""

    def __init__(self, workers: int | None, scheduler: Any):
        try:
            from distributed import Client, LocalCluster
        except ImportError as exc:  # pragma: no cover - the cluster extra is missing
            raise RuntimeError(
                "the dask executor needs dask.distributed: pip install 'seamsim[cluster]'"
            ) from exc
        self.cluster = None
        self.own_client = True
        if scheduler is None:
            self.cluster = LocalCluster(
                n_workers=workers or _cpu_count(),
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
                silence_logs=logging.ERROR,
            )
            self.client = Client(self.cluster, set_as_default=False)
        elif isinstance(scheduler, str):
            try:
                self.client = Client(scheduler, timeout="20s", set_as_default=False)
            except (OSError, TimeoutError) as exc:
                raise ValueError(
                    f"cannot reach the Dask scheduler at {scheduler} ({type(exc).__name__}: {exc}); "
                    "start it with `dask scheduler` and workers with `dask worker ADDRESS`"
                ) from exc
        else:  # an existing distributed.Client: used, not closed
            self.client = scheduler
            self.own_client = False
        threads = sum(self.client.nthreads().values()) or 1
        self.window = 2 * threads

    def submit(self, task):
        return self.client.submit(_run_chunk, task, pure=False)

    def wait_first(self, pending):
        from distributed import wait

        with self.client.as_current():  # the client is not made the global default
            return list(wait(list(pending), return_when="FIRST_COMPLETED").done)

    def cancel(self, futures):
        if futures:
            self.client.cancel(list(futures))
        return []

    def close(self):
        if self.own_client:
            self.client.close()
        if self.cluster is not None:
            self.cluster.close()


def _backend(executor: str, workers: int, scheduler: Any, n_tasks: int, workers_given: bool):
    if executor == "serial" or n_tasks == 0:
        return _SerialBackend()
    if executor == "processes":
        if n_tasks <= 1 or workers <= 1:
            return _SerialBackend()  # a pool would only add its start-up time
        return _ProcessBackend(min(workers, n_tasks))
    return _DaskBackend(workers if workers_given else None, scheduler)


# --------------------------------------------------------------------------------------
# Driving a backend
# --------------------------------------------------------------------------------------
def _drive(backend, tasks: Iterator[dict], on_rows: Callable[[list[dict]], bool]) -> bool:
    """Keep ``backend.window`` tasks in flight until done; return ``True`` if cancelled."""
    pending: dict[Any, dict] = {}
    stop = False

    def fill() -> None:
        while not stop and len(pending) < backend.window:
            task = next(tasks, None)
            if task is None:
                return
            pending[backend.submit(task)] = task

    fill()
    while pending:
        for future in backend.wait_first(pending):
            task = pending.pop(future)
            try:
                rows = future.result()
            except Exception as exc:  # noqa: BLE001 - a lost task: its runs are errors
                rows = _failed_rows(task, exc)
            if not on_rows(rows) and not stop:
                stop = True
                keep = set(backend.cancel(list(pending)))
                pending = {f: t for f, t in pending.items() if f in keep}
        fill()
    return stop


def _failed_rows(task: Mapping[str, Any], exc: BaseException) -> list[dict[str, Any]]:
    rows = []
    for name, point, replication in task["runs"]:
        overrides = task["points"][point]
        row = {"scenario": name, "point": point, **{f: overrides.get(f) for f in task["fields"]}}
        row.update(replication=replication, seed=task["seed"], status="error",
                   error=_error_text(exc), reasons="", warnings="")
        rows.append(row)
    return rows
