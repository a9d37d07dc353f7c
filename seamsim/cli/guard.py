"""Bad input → a message and exit status 2: the ``--out`` checks, the handler guard
(:func:`guarded`), :class:`UsageError` and warnings sent to stderr."""

from __future__ import annotations

import argparse
import contextlib
import errno
import functools
import json
import os
import stat
import sys
import warnings
from collections.abc import Callable, Iterator


class UsageError(Exception):
    """Bad command-line input found by a handler (exit status 2)."""


_MANIFEST = "manifest.json"
_RUNS = "runs"
_DISK_ERRORS = frozenset(
    e for e in (errno.ENOSPC, getattr(errno, "EDQUOT", None), errno.EROFS, errno.EFBIG) if e
)


def check_out_dir(out: str, *, resume: bool = False) -> None:
    """Refuse an ``--out`` that cannot hold an experiment, before anything runs.

    Parameters
    ----------
    out : str
        The ``--out`` directory (created later if missing).
    resume : bool, optional
        Whether ``--resume`` was given (then its ``manifest.json`` must be a JSON object).

    Raises
    ------
    UsageError
        ``out`` (or a folder above it) is a file, cannot be written to, or holds a
        ``runs`` or ``manifest.json`` that is not what an experiment writes.
    """
    problem = _out_dir_problem(out) or _out_contents_problem(out, resume=resume)
    if problem:
        raise UsageError(f"--out {_shown_path(out)}: {problem}")


def _shown_path(path: str) -> str:
    """Return a path for a message: clipped to 100 characters, one printable line."""
    from seamsim.scenario.terminal_text import _clip_middle, _printable

    return _printable(_clip_middle(str(path), 100))


def _out_dir_problem(out: str) -> str | None:
    """Return why ``out`` cannot be (or become) a writable directory, or ``None``."""
    if "\0" in out:
        return "not a usable directory name (it contains a NUL character)"
    try:
        if os.path.lexists(out):
            if not os.path.isdir(out):
                return "is a file, not a directory"
            if not os.access(out, os.W_OK | os.X_OK):
                return "the directory is not writable"
            return None
        parent = os.path.dirname(os.path.abspath(out))
        while not os.path.lexists(parent):
            parent = os.path.dirname(parent)
        if not os.path.isdir(parent):
            return f"cannot be created: {_shown_path(parent)} is a file, not a directory"
        if not os.access(parent, os.W_OK | os.X_OK):
            return f"cannot be created: {_shown_path(parent)} is not writable"
    except (OSError, ValueError) as exc:
        return f"not a usable directory name ({_reason(exc)})"
    return None


def _out_contents_problem(out: str, *, resume: bool) -> str | None:
    """Return why what ``out`` already holds is not an experiment's, or ``None``."""
    runs = os.path.join(out, _RUNS)
    if os.path.lexists(runs) and not os.path.isdir(runs):
        return f"{_RUNS} is a file, not the directory of runs"
    manifest = os.path.join(out, _MANIFEST)
    if not resume or not os.path.lexists(manifest):
        return None
    try:
        info = os.stat(manifest)
        if not stat.S_ISREG(info.st_mode):
            return f"{_MANIFEST} is not a regular file"
        if info.st_size > 50_000_000:
            return f"{_MANIFEST} is too large to be a manifest"
        with open(manifest, encoding="utf-8") as handle:
            data = json.load(handle)
    except OSError as exc:
        return f"cannot read {_MANIFEST}: {_reason(exc)}"
    except ValueError as exc:  # JSONDecodeError, UnicodeDecodeError
        return f"{_MANIFEST} is not valid JSON ({_reason(exc)}); not a seamsim experiment"
    if not isinstance(data, dict):
        kind = {list: "a JSON list", str: "a JSON string"}.get(type(data), "not a JSON object")
        return f"{_MANIFEST} holds {kind}, not a seamsim manifest (a JSON object)"
    return None


def _reason(exc: BaseException) -> str:
    """Return the short reason of an error (``strerror`` for an :class:`OSError`)."""
    from seamsim.scenario.terminal_text import _clip, _printable

    text = getattr(exc, "strerror", None) or " ".join(str(exc).split()) or type(exc).__name__
    return _printable(_clip(text, 100))


def out_error_message(error: OSError, out: str | None) -> str | None:
    """Return the message for an :class:`OSError` met while writing ``--out``, or ``None``
    when the error is not about ``--out`` (a file in it, or a full or read-only disk)."""
    if not out:
        return None
    names = [n for n in (error.filename, getattr(error, "filename2", None)) if n is not None]
    root = os.path.abspath(out)
    inside = any(_is_inside(os.fsdecode(n) if isinstance(n, bytes) else str(n), root) for n in names)
    disk = error.errno in _DISK_ERRORS or "No space left" in str(error)
    if not inside and not (disk and not names):
        return None
    where = f" {_shown_path(names[0])}" if names else ""
    return f"--out {_shown_path(out)}: cannot write{where}: {_reason(error)}"


def _is_inside(name: str, root: str) -> bool:
    try:
        path = os.path.abspath(name)
    except ValueError:
        return False
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def guarded(handler: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """Wrap a handler so that input errors of the experiment layer exit 2 with one line.

    :class:`UsageError`, :class:`~seamsim.experiment.store.StoreError` (an occupied or
    mismatched ``--out``), ``ValueError`` (bad design sizes, seeds…) and an
    :class:`OSError` while writing ``--out`` (a full or read-only disk, see
    :func:`out_error_message`) print ``seamsim: message`` on stderr.
    :class:`~seamsim.scenario.ScenarioError` passes through to :func:`seamsim.cli.main`,
    which prints it and exits 2. ``SEAMSIM_DEBUG=1`` re-raises instead.
    """

    @functools.wraps(handler)
    def wrapper(args: argparse.Namespace) -> int:
        from seamsim.experiment.store_errors import StoreError

        try:
            return handler(args)
        except (UsageError, StoreError, ValueError) as error:
            if os.environ.get("SEAMSIM_DEBUG"):
                raise
            return _bad_input(args, str(error))
        except OSError as error:
            message = out_error_message(error, getattr(args, "out", None))
            if message is None or os.environ.get("SEAMSIM_DEBUG"):
                raise
            return _bad_input(args, message)

    return wrapper


def _bad_input(args: argparse.Namespace, message: str) -> int:
    """Print ``seamsim COMMAND: message`` (one printable line) on stderr and return 2."""
    from seamsim.scenario.terminal_text import _printable

    line = f"seamsim {getattr(args, 'command', '')}: {message}".replace(" :", ":")
    print("\n".join(_printable(part) for part in line.split("\n")), file=sys.stderr)
    return 2


@contextlib.contextmanager
def warnings_to_stderr() -> Iterator[None]:
    """Print warnings (e.g. a Sobol N that is not a power of two) as ``warning: …`` lines."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield
    seen = set()
    for item in caught:
        text = str(item.message)
        if text not in seen and not issubclass(item.category, DeprecationWarning | FutureWarning):
            seen.add(text)
            print(f"warning: {text}", file=sys.stderr)
