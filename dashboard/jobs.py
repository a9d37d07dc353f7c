"""Background jobs for the pages: work in a thread with progress and a cooperative cancel.

A :class:`Job` runs ``fn(progress)`` in a daemon thread (or in the caller's, for tests);
``progress(done, total)`` returns ``False`` once the user pressed *Stop*, and
:meth:`Job.check` raises :class:`Cancelled` for loops inside the work.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "Cancelled",
    "Job",
]


class Cancelled(Exception):
    """Raised inside a job's work when the user pressed *Stop*."""


@dataclass
class Job:
    """Work that runs in a background thread, reporting progress, stoppable by the user.

    The work is ``fn(progress)``; ``progress(done, total)`` records the progress and
    returns ``False`` once :meth:`cancel` was called — the cooperative cancel of
    ``seamsim.run_experiment``. The page that started the job stays usable: it polls
    :attr:`done` / :attr:`total` and shows :attr:`result` or :attr:`error` when it ends.
    """

    fn: Callable[[Callable[[int, int], bool]], Any]
    label: str = "run"
    meta: dict[str, Any] = field(default_factory=dict)
    done: int = 0
    total: int = 0
    result: Any = None
    error: str | None = None
    started_s: float = 0.0
    finished_s: float | None = None
    _cancel: threading.Event = field(default_factory=threading.Event, repr=False)
    _thread: threading.Thread | None = field(default=None, repr=False)

    def start(self) -> Job:
        """Start the work in a daemon thread and return the job."""
        self.started_s = time.perf_counter()
        self._thread = threading.Thread(target=self._run, name=f"seamsim-{self.label}", daemon=True)
        self._thread.start()
        return self

    def run_here(self) -> Job:
        """Run the work in the calling thread (tests, tiny jobs)."""
        self.started_s = time.perf_counter()
        self._run()
        return self

    def _run(self) -> None:
        try:
            self.result = self.fn(self.progress)
        except Cancelled:
            self.error = None
        except Exception as exc:  # noqa: BLE001 - shown to the user, never raised into the page
            self.error = f"{type(exc).__name__}: {exc}"
        finally:
            self.finished_s = time.perf_counter()

    def progress(self, done: int, total: int) -> bool:
        """Record progress; return ``False`` when the job should stop."""
        self.done, self.total = int(done), int(total)
        return not self._cancel.is_set()

    def check(self) -> None:
        """Raise :class:`Cancelled` if the user asked to stop (for loops inside ``fn``)."""
        if self._cancel.is_set():
            raise Cancelled

    def cancel(self) -> None:
        """Ask the work to stop at its next progress report."""
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    @property
    def running(self) -> bool:
        return self.finished_s is None and self.started_s > 0.0

    @property
    def finished(self) -> bool:
        return self.finished_s is not None

    @property
    def fraction(self) -> float:
        return min(1.0, self.done / self.total) if self.total else 0.0

    @property
    def elapsed_s(self) -> float:
        end = self.finished_s if self.finished_s is not None else time.perf_counter()
        return end - self.started_s if self.started_s else 0.0

    def wait(self, timeout_s: float = 60.0) -> bool:
        """Wait for the thread to end; return whether it ended."""
        if self._thread is not None:
            self._thread.join(timeout_s)
        return self.finished
