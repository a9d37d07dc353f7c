"""Driving a backend: a window of tasks in flight, lost tasks sent again, how it ended.

:func:`drive` keeps ``backend.window`` tasks in flight on one of the backends of
:mod:`seamsim.experiment.executors`. A task lost to a dead worker is resubmitted (on a new
pool after a ``BrokenProcessPool``) up to :data:`MAX_ATTEMPTS` times, and only then counted
as lost (:class:`DriveOutcome`): never stored as an error row.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from seamsim.experiment.chunk_worker import error_text

__all__ = ["MAX_ATTEMPTS", "DriveOutcome", "drive"]

MAX_ATTEMPTS = 3
"""Times a task is sent before its runs count as lost (a worker died under it each time)."""


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


def drive(
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
        text = error_text(error)
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
