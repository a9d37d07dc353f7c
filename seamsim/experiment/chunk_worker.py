"""The worker side of an experiment: one chunk of runs in, one small row per run out.

:func:`chunk_rows` is what a backend of :mod:`seamsim.experiment.executors` runs for each
task, in this process or in a pool or Dask worker (submitted by reference, so it stays a
top-level function). In a worker it keeps the process's memory flat: the start-up objects
are frozen before the first chunk (:func:`gc.freeze`), garbage is collected after each
chunk and freed heap handed back to the OS.

Notes
-----
The function a run calls is ``seamsim.experiment.runner._simulate`` (a test may replace it
there to inject failures on the serial executor); :func:`chunk_rows` looks it up at each
chunk.
"""

from __future__ import annotations

import functools
import gc
import json
import sys
import traceback
from collections.abc import Callable, Mapping
from typing import Any

from seamsim.experiment.seeds import replication_seed
from seamsim.model.simulate import RunResult
from seamsim.scenario import Scenario, apply_overrides
from seamsim.scenario.digest import scenario_sha256

__all__ = ["MAX_TRACEBACK", "SEPARATOR", "chunk_rows", "error_text"]

SEPARATOR = "\n"
"""Joins the reasons (and warnings) of a run in its ``reasons`` (``warnings``) column."""

MAX_TRACEBACK = 8000
"""Characters of a failed run's traceback kept in its ``traceback`` column (the last ones)."""


def chunk_rows(task: Mapping[str, Any]) -> list[dict[str, Any]]:
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
            row.update(status="error", error=error_text(exc), reasons="", warnings="",
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


def error_text(exc: BaseException) -> str:
    text = f"{type(exc).__name__}: {exc}"
    return text if len(text) <= 2000 else text[:1997] + "..."


def _traceback_text(exc: BaseException) -> str:
    """Return the traceback of ``exc`` (its last :data:`MAX_TRACEBACK` characters)."""
    text = "".join(traceback.format_exception(exc))
    return text if len(text) <= MAX_TRACEBACK else "…" + text[-(MAX_TRACEBACK - 1):]

