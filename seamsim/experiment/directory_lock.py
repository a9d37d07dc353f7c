"""One writer per output directory: an exclusive :func:`fcntl.flock` on ``DIR/.seamsim.lock``.

:meth:`seamsim.experiment.store.RunStore.start` takes the lock and holds it until
:meth:`~seamsim.experiment.store.RunStore.finish`; a second writer (a second sweep, a
``--resume`` of a running one) is refused with :class:`StoreBusy`. The kernel drops the
lock when the writer dies, even of ``kill -9``.
"""

from __future__ import annotations

import json
import os
import socket
from pathlib import Path

from seamsim.experiment.manifest import utc_now
from seamsim.experiment.store_errors import StoreBusy

try:  # pragma: no cover - always there on Linux and macOS
    import fcntl
except ImportError:  # pragma: no cover - Windows: no lock (one writer is then up to the user)
    fcntl = None  # type: ignore[assignment]

__all__ = ["LOCK_NAME", "DirectoryLock", "held_lock_fds"]

LOCK_NAME = ".seamsim.lock"
"""The lock file of an output directory (its content names the writer, for messages)."""
_HELD_LOCKS: set[int] = set()
"""File descriptors of the directory locks this process holds (see :func:`held_lock_fds`)."""


def held_lock_fds() -> tuple[int, ...]:
    """Return the descriptors of the directory locks this process holds.

    A worker forked while a lock is held closes its copies (see
    :func:`seamsim.experiment.executors._init_worker`), so that the lock goes with its writer.
    """
    return tuple(sorted(_HELD_LOCKS))


def _holder(fd: int) -> str:
    """Return who holds a lock, as its file says (``pid 123 on host since …``), or ``""``."""
    try:
        data = json.loads(os.pread(fd, 4096, 0).decode("utf-8") or "{}")
        return f" (pid {data['pid']} on {data['host']}, since {data['since']})"
    except (OSError, ValueError, KeyError, TypeError):
        return ""


class DirectoryLock:
    """An exclusive, non-blocking :func:`fcntl.flock` on ``DIR/.seamsim.lock``.

    Parameters
    ----------
    root : Path
        The output directory (it must exist).
    """

    def __init__(self, root: Path):
        self.path = root / LOCK_NAME
        self.fd: int | None = None

    def acquire(self) -> None:
        """Take the lock, or raise :class:`StoreBusy` naming the process that holds it."""
        if fcntl is None or self.fd is not None:  # pragma: no cover - Windows / held already
            return
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            holder = _holder(fd)
            os.close(fd)
            raise StoreBusy(
                f"{self.path.parent} is in use by another seamsim process{holder}: one writer at a "
                "time; wait for it to finish (or stop it), then --resume"
            ) from None
        note = json.dumps({"pid": os.getpid(), "host": socket.gethostname(), "since": utc_now()})
        os.ftruncate(fd, 0)
        os.pwrite(fd, note.encode("utf-8"), 0)
        self.fd = fd
        _HELD_LOCKS.add(fd)

    def release(self) -> None:
        """Let the lock go (closing its descriptor); nothing when it is not held."""
        if self.fd is not None:
            _HELD_LOCKS.discard(self.fd)
            os.close(self.fd)
            self.fd = None
