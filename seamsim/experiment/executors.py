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
_init_worker
    A pool worker ignores SIGINT (its sweep stops it), dies of SIGTERM and with its parent,
    and lets go of the directory lock it inherited.
_SerialBackend, _ProcessBackend, _DaskBackend, _backend
    The three executors (:data:`EXECUTORS`) and the choice between them. Each closes on
    every exit path; ``close(abort=True)`` terminates the workers at once.
_mp_context
    How pool processes start: ``fork`` from a single-threaded parent, else a fork server.
_drive, DriveOutcome
    Keep a backend's window of tasks in flight; a task lost to a dead worker is resubmitted
    (on a new pool after a ``BrokenProcessPool``) up to :data:`MAX_ATTEMPTS` times, and only
    then counted as lost: never stored as an error row.

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
import json
import logging
import os
import signal
import sys
import traceback
from collections import deque
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from seamsim.experiment.kinds import EXECUTORS
from seamsim.experiment.seeds import replication_seed
from seamsim.model.simulate import RunResult
from seamsim.scenario import Scenario, apply_overrides
from seamsim.scenario.digest import scenario_sha256

__all__ = ["EXECUTORS", "MAX_ATTEMPTS", "SEPARATOR", "DriveOutcome"]


SEPARATOR = "\n"
"""Joins the reasons (and warnings) of a run in its ``reasons`` (``warnings``) column."""

MAX_ATTEMPTS = 3
"""Times a task is sent before its runs count as lost (a worker died under it each time)."""

MAX_TRACEBACK = 8000
"""Characters of a failed run's traceback kept in its ``traceback`` column (the last ones)."""


# --------------------------------------------------------------------------------------
# The worker side: one chunk of runs → rows
# --------------------------------------------------------------------------------------
def _run_chunk(task: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Run the runs of one task and return one small row per run (importable by workers).

    ``task`` holds ``seed``, ``days``, ``fields``, ``scenarios`` (name → scenario dict, or
    the validated :class:`Scenario` itself when the chunk runs in this process),
    ``points`` (index → overrides), ``runs`` (a list of ``(scenario, point, replication)``)
    and ``in_worker`` (a pool or Dask worker: keep its memory flat, see
    :func:`_settle_worker`). A run that raises becomes a row with ``status == "error"``, its
    ``error`` (``"Type: message"``) and its ``traceback``.
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
        row.update(replication=replication, seed=seed, spawn_key=json.dumps([replication]), scenario_sha256="")
        try:
            scenario = built.get((name, point))
            if scenario is None:
                source = task["scenarios"][name]  # a Scenario in this process, its JSON dict in a worker
                scenario = source if isinstance(source, Scenario) else Scenario.model_validate(source)
                if overrides:
                    scenario = apply_overrides(scenario, overrides)
                built[(name, point)] = scenario
            result = simulate_run(scenario, replication_seed(seed, replication), days)
            row.update(
                spawn_key=json.dumps(list(result.spawn_key) or [replication]),
                scenario_sha256=result.scenario_sha256 or scenario_sha256(scenario),
                status=result.status,
                error="",
                reasons=SEPARATOR.join(result.reasons),
                warnings=SEPARATOR.join(result.warnings),
                traceback="",
            )
            row.update({k: float(v) for k, v in result.summary.items()})
        except Exception as exc:  # noqa: BLE001 - recorded in the row; the others go on
            row.update(status="error", error=_error_text(exc), reasons="", warnings="",
                       traceback=_traceback_text(exc))
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


def _traceback_text(exc: BaseException) -> str:
    """Return the traceback of ``exc`` (its last :data:`MAX_TRACEBACK` characters)."""
    text = "".join(traceback.format_exception(exc))
    return text if len(text) <= MAX_TRACEBACK else "…" + text[-(MAX_TRACEBACK - 1):]


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

    def is_broken(self, error):
        return False

    def restart(self):
        pass

    def close(self, abort=False):
        pass


# --------------------------------------------------------------------------------------
# Pool workers
# --------------------------------------------------------------------------------------
_PR_SET_PDEATHSIG = 1


def _init_worker(parent: int | None, inherited_locks: tuple[int, ...]) -> None:
    """Prepare a pool worker: signals, death with its parent, no inherited directory lock.

    Parameters
    ----------
    parent : int or None
        The pid of the process that forked this worker (``None`` when a fork server did):
        the worker asks the kernel for SIGTERM when its parent goes (Linux), and exits at
        once if the parent is gone already.
    inherited_locks : tuple of int
        Descriptors of the output directory's lock, copied by ``fork``: closed here, so the
        lock belongs to the writer alone.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole group: the parent stops us
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, signal.SIG_DFL)
    for fd in inherited_locks:
        try:
            os.close(fd)
        except OSError:
            pass
    _die_with_parent(parent)


def _die_with_parent(parent: int | None) -> None:
    """Have the kernel send this process SIGTERM when its parent dies (Linux ``prctl``)."""
    if not sys.platform.startswith("linux"):  # pragma: no cover
        return
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, int(signal.SIGTERM), 0, 0, 0)
    except (OSError, AttributeError):  # pragma: no cover - not glibc
        return
    if parent is not None and os.getppid() != parent:  # the parent died before prctl
        os._exit(1)


def _terminate(processes: list[Any], grace_s: float = 5.0) -> None:
    """Terminate ``processes`` (SIGTERM, then SIGKILL after ``grace_s``) and reap them."""
    for process in processes:
        if process.is_alive():
            process.terminate()
    for process in processes:
        process.join(grace_s)
        if process.is_alive():  # pragma: no cover - a worker stuck in C code
            process.kill()
            process.join(1.0)


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
    """A :class:`concurrent.futures.ProcessPoolExecutor` of ``workers`` processes.

    Its workers run :func:`_init_worker` first. After a worker dies (``BrokenProcessPool``)
    :meth:`restart` replaces the pool; :meth:`close` joins the workers, or with
    ``abort=True`` terminates them at once.
    """

    def __init__(self, workers: int):
        self.workers = workers
        self.window = 2 * workers
        self.pool: cf.ProcessPoolExecutor | None = self._new_pool()

    def _new_pool(self) -> cf.ProcessPoolExecutor:
        from seamsim.experiment.directory_lock import held_lock_fds

        context = _mp_context()
        forked = context.get_start_method() == "fork"
        init_args = (os.getpid(), held_lock_fds()) if forked else (None, ())
        return cf.ProcessPoolExecutor(
            max_workers=self.workers, mp_context=context, initializer=_init_worker, initargs=init_args
        )

    def submit(self, task):
        assert self.pool is not None
        return self.pool.submit(_run_chunk, task)

    def wait_first(self, pending):
        done, _ = cf.wait(list(pending), return_when=cf.FIRST_COMPLETED)
        return list(done)

    def cancel(self, futures):
        return [f for f in futures if not f.cancel()]  # running ones finish and are kept

    def is_broken(self, error):
        return isinstance(error, cf.process.BrokenProcessPool)

    def restart(self):
        self.close(abort=True)
        self.pool = self._new_pool()

    def close(self, abort=False):
        pool, self.pool = self.pool, None
        if pool is None:
            return
        processes = list((getattr(pool, "_processes", None) or {}).values())
        if abort:
            pool.shutdown(wait=False, cancel_futures=True)
            _terminate(processes)
            return
        try:
            pool.shutdown(wait=True, cancel_futures=True)
        except BaseException:  # interrupted while waiting: do not leave workers behind
            _terminate(processes)
            raise


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

    def is_broken(self, error):
        return False  # the scheduler replaces a lost worker (a LocalCluster's nanny restarts it)

    def restart(self):
        pass

    def close(self, abort=False):
        try:
            if self.own_client:
                self.client.close(timeout=10 if abort else None)
        finally:
            if self.cluster is not None:
                self.cluster.close(timeout=10 if abort else None)


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
@dataclass
class DriveOutcome:
    """How driving a backend ended.

    Attributes
    ----------
    cancelled : bool
        The progress callback asked to stop.
    retried : int
        Runs sent again after a worker died under them.
    lost_runs : int
        Runs given up after :data:`MAX_ATTEMPTS` (not stored: a resume runs them).
    lost_errors : list of str
        The distinct errors that lost them (``"BrokenProcessPool: …"``).
    """

    cancelled: bool = False
    retried: int = 0
    lost_runs: int = 0
    lost_errors: list[str] = field(default_factory=list)

    def lost(self) -> dict[str, Any] | None:
        """Return ``{"runs", "errors"}`` of the lost runs (for the manifest), or ``None``."""
        return {"runs": self.lost_runs, "errors": list(self.lost_errors)} if self.lost_runs else None


def _drive(
    backend, tasks: Iterator[dict], on_rows: Callable[[list[dict]], bool], attempts: int = MAX_ATTEMPTS
) -> DriveOutcome:
    """Keep ``backend.window`` tasks in flight until done; return how it ended.

    A task whose future fails (its worker died, the pool broke, the cluster lost it) is sent
    again, on a new pool when the pool broke, up to ``attempts`` times in all; then its runs
    count as lost. Its runs are never turned into error rows. On any exception (an interrupt)
    the tasks in flight are cancelled before it propagates.
    """
    pending: dict[Any, tuple[dict, int]] = {}
    again: deque[tuple[dict, int]] = deque()
    outcome = DriveOutcome()

    def fill() -> None:
        while not outcome.cancelled and len(pending) < backend.window:
            task, attempt = again.popleft() if again else (next(tasks, None), 1)
            if task is None:
                return
            submit(task, attempt)

    def submit(task: dict, attempt: int) -> None:
        try:
            future = backend.submit(task)
        except Exception as error:  # the pool broke since the last look: a new one, and again
            if not backend.is_broken(error):
                raise
            lose(task, attempt, error)
            _after_a_break(backend, pending, take, lose, error)
            return
        pending[future] = (task, attempt)

    def lose(task: dict, attempt: int, error: BaseException) -> None:
        if outcome.cancelled:
            return
        if attempt < attempts:
            again.append((task, attempt + 1))
            outcome.retried += len(task["runs"])
            return
        outcome.lost_runs += len(task["runs"])
        text = _error_text(error)
        if text not in outcome.lost_errors:
            outcome.lost_errors.append(text)

    def take(rows: list[dict]) -> None:
        if not on_rows(rows) and not outcome.cancelled:
            outcome.cancelled = True
            keep = set(backend.cancel(list(pending)))
            for future in [f for f in pending if f not in keep]:
                del pending[future]

    def settle(future: Any, task: dict, attempt: int) -> None:
        try:
            rows = future.result()
        except Exception as error:  # noqa: BLE001 - a lost task: sent again, or counted lost
            lose(task, attempt, error)
            if backend.is_broken(error):
                _after_a_break(backend, pending, take, lose, error)
            return
        take(rows)

    try:
        fill()
        while pending:
            for future in backend.wait_first(pending):
                if future in pending:
                    settle(future, *pending.pop(future))
            fill()
    except BaseException:
        backend.cancel(list(pending))
        raise
    return outcome


def _after_a_break(backend, pending: dict, take: Callable, lose: Callable, error: BaseException) -> None:
    """After the pool broke: keep what finished before, send the rest again on a new pool."""
    in_flight = list(pending.items())
    pending.clear()
    for future, (task, attempt) in in_flight:
        if future.done() and not future.cancelled() and future.exception() is None:
            take(future.result())
        else:
            lose(task, attempt, error)
    backend.restart()
