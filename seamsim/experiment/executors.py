"""Executors: where the runs of an experiment execute.

:func:`~seamsim.experiment.runner.run_experiment` cuts an experiment into *tasks* (chunks
of runs) and hands them to a *backend* that submits a task, waits for the first done,
cancels what has not started and closes. This module holds the backends; what a worker
does with a task is :func:`seamsim.experiment.chunk_worker.chunk_rows`, and
:func:`seamsim.experiment.task_driver.drive` keeps a backend's window of tasks in flight.

Contents
--------
_SerialBackend, _ProcessBackend, _DaskBackend, _backend
    The three executors (:data:`EXECUTORS`) and the choice between them. Each closes on
    every exit path; ``close(abort=True)`` terminates the workers at once.
_init_worker
    A pool worker ignores SIGINT (its sweep stops it), dies of SIGTERM and with its parent,
    and lets go of the directory lock it inherited.
_mp_context
    How pool processes start: ``fork`` from a single-threaded parent, else a fork server.
_cpu_count
    The CPUs this process may use.
"""

from __future__ import annotations

import concurrent.futures as cf
import logging
import os
import signal
import sys
from typing import Any

# The backends submit ``_run_chunk`` by this module's name, looked up at each submit.
from seamsim.experiment.chunk_worker import chunk_rows as _run_chunk
from seamsim.experiment.kinds import EXECUTORS

__all__ = ["EXECUTORS"]


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


