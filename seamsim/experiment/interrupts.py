"""Stopping an experiment cleanly on SIGINT, SIGTERM or SIGHUP.

Inside :func:`stop_on_signals` the three signals raise :class:`Interrupted` at the next
safe point (when rows are stored), so the workers are stopped, what finished is kept and
the manifest says ``interrupted``.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Callable, Iterator
from typing import Any

__all__ = ["STOP_SIGNALS", "Interrupted", "stop_on_signals"]

STOP_SIGNALS = ("SIGINT", "SIGTERM", "SIGHUP")
"""Signals that stop a running experiment cleanly (see :class:`Interrupted`)."""


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
def stop_on_signals() -> Iterator[Callable[[], None]]:
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


