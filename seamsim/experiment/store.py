"""Experiment results on disk: Parquet parts as runs finish, and ``manifest.json``.

Layout of an output directory::

    DIR/manifest.json             what was run (written first) and how it went (updated last)
    DIR/.seamsim.lock             held (``flock``) by the one process writing to DIR
    DIR/runs/part-00007.parquet   the runs, rows as in ExperimentResult.runs (one file at rest)

While an experiment runs, finished runs are buffered and written as *parts*
(``part-00000.parquet``, ``part-00001.parquet``, …): the first chunk at once (so a full or
read-only disk shows at once), then a part whenever :attr:`RunStore.flush_rows` runs are
buffered (about :data:`PARTS_PER_SESSION` parts per session) or :data:`FLUSH_S` seconds have
passed since the last one, and the rest when the session ends. At the end of every session
(complete, cancelled, interrupted or incomplete) the parts are *compacted* into one file of
row groups of :data:`ROW_GROUP_ROWS` rows (the last one smaller), written beside them and moved into place
before the parts are deleted. A kill -9 loses at most the runs buffered since the last part
(a resume runs them again); a kill during the compaction leaves the same rows twice, which
the reader counts once. A reader beside a running writer that finds a part it listed gone
(compacted meanwhile) reads the directory again.

One writer at a time: :meth:`RunStore.start` takes an exclusive :func:`fcntl.flock` on
``DIR/.seamsim.lock`` and holds it until :meth:`RunStore.finish`; a second writer (a second
sweep, a ``--resume`` of a running one) is refused with
:class:`~seamsim.experiment.store_errors.StoreBusy`. The kernel drops the lock when the writer
dies, even of ``kill -9``.

Each part is written to a temporary file unique to its writer (``.NAME.<pid>-<uuid>.tmp``:
hidden, so ``pyarrow`` skips it) and moved into place with :func:`os.replace`, so a part is
either complete or absent, even if the process is killed mid-write. Resuming reads the keys
``(scenario, point, replication)`` of the parts already there, runs only the others and
numbers new parts after the last one: nothing is lost and nothing is run twice. A run lost
to the infrastructure (a worker that died: ``BrokenProcessPool``, ``KilledWorker``) is never
stored as final: a resume runs it again. A resume is refused when the manifest's scenarios,
seed, replications, horizon or design differ from the experiment asked for.

Read the runs back with :func:`read_runs`: it reads every part and keeps one row per run key
(should a key be stored twice, the row of a finished run wins over an infrastructure error,
then the later part), so a directory never double-counts.

This module reads and writes the parts; its helpers live beside it: ``manifest`` (reading a
manifest, how two differ), ``directory_lock`` (the one writer), ``run_keys`` (which row
stands for a run key), ``compaction`` (the merged file's content), ``atomic_files`` (whole
or absent) and ``store_errors``.
"""

from __future__ import annotations

import math
import os
import re
import time
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from seamsim.experiment.atomic_files import TMP_SUFFIX, temp_path, write_json_atomic
from seamsim.experiment.compaction import write_merged_parts
from seamsim.experiment.directory_lock import DirectoryLock
from seamsim.experiment.manifest import (
    MANIFEST_NAME,
    as_json,
    manifest_differences,
    read_manifest,
    utc_now,
)
from seamsim.experiment.run_keys import KEY_COLUMNS, infrastructure_rows, one_row_per_key
from seamsim.experiment.store_errors import StoreError

__all__ = [
    "RUNS_DIR",
    "RunStore",
    "read_runs",
]

RUNS_DIR = "runs"
PARTS_PER_SESSION = 16
"""About how many parts a session writes before they are compacted (see :attr:`RunStore.flush_rows`)."""
FLUSH_S = 30.0
"""Longest time [s] finished runs wait in memory before they are written as a part."""
FLUSH_ROWS_MAX = 20_000
"""Most runs buffered in memory (about a kilobyte each)."""
ROW_GROUP_ROWS = 8_192
"""Rows per row group of a compacted file (smaller groups only at its end)."""

_PART = re.compile(r"^part-(\d{5,})\.parquet$")


def _part_number(path: Path) -> int:
    match = _PART.match(path.name)
    return int(match.group(1)) if match else -1


def _parts(runs_dir: Path) -> list[Path]:
    """Return the complete parts of ``runs_dir``, in the order they were written."""
    if not runs_dir.is_dir():
        return []
    return sorted((p for p in runs_dir.iterdir() if _PART.match(p.name)), key=_part_number)


def _read_part(part: Path, columns: Iterable[str] | None) -> pd.DataFrame:
    """Return one part (only ``columns`` that it has), or raise a :class:`StoreError` naming it."""
    import pyarrow.parquet as pq

    try:
        names = pq.read_schema(part).names
        wanted = None if columns is None else [c for c in columns if c in names]
        return pq.read_table(part, columns=wanted).to_pandas()
    except (OSError, ValueError) as error:  # pyarrow's ArrowInvalid is a ValueError
        if not part.exists():  # compacted away by the writer while being read: its rows are in the merged file
            raise _PartGone(part) from None
        raise StoreError(
            f"{part} is damaged and cannot be read ({type(error).__name__}: {error}); "
            "move it out of the directory and --resume to run its runs again"
        ) from None


class _PartGone(Exception):
    """A part listed a moment ago is gone (the writer compacted it): the read starts again."""


READ_ATTEMPTS = 5
"""Times :func:`read_runs` lists and reads the parts when a writer compacts them meanwhile."""


def _read_parts(runs_dir: Path, columns: list[str] | None) -> tuple[list[pd.DataFrame], list[int]]:
    """Return every part of ``runs_dir`` (in order) and, per row, the number of its part."""
    frames: list[pd.DataFrame] = []
    part_of_row: list[int] = []
    for number, part in enumerate(_parts(runs_dir)):
        frame = _read_part(part, columns)
        frames.append(frame)
        part_of_row += [number] * len(frame)
    return frames, part_of_row


def read_runs(out: str | os.PathLike[str], columns: Iterable[str] | None = None) -> pd.DataFrame:
    """Return the runs stored under ``out``, one row per run key (as stored), or an empty table.

    This is the reader of an output directory: use it rather than ``pandas.read_parquet``,
    which reads every part as it is and would count a run stored twice twice.

    Parameters
    ----------
    out : path-like
        The output directory.
    columns : iterable of str, optional
        Read only these columns.

    Returns
    -------
    pandas.DataFrame
        One row per ``(scenario, point, replication)``: where a key is stored more than
        once, a finished run wins over one lost to a dead worker, then the later part.

    Raises
    ------
    StoreError
        A part cannot be read (the message names it).
    """
    wanted = None if columns is None else list(dict.fromkeys(columns))
    needed = None if wanted is None else list(dict.fromkeys([*wanted, *KEY_COLUMNS, "status", "error"]))
    for attempt in range(READ_ATTEMPTS):
        try:
            frames, part_of_row = _read_parts(Path(out) / RUNS_DIR, needed)
            break
        except _PartGone:  # a writer compacted the parts meanwhile: read the directory again
            if attempt == READ_ATTEMPTS - 1:
                raise StoreError(f"{out} kept changing while it was read; read it again when its writer is done") from None
    if not frames:
        return pd.DataFrame(columns=wanted if wanted is not None else list(KEY_COLUMNS))
    if len(frames) > 1:
        filled = [f for f in frames if len(f)] or frames[:1]
        frame = pd.concat(filled, ignore_index=True, sort=False)
    else:
        frame = frames[0]
    frame = one_row_per_key(frame, part_of_row)
    return frame if wanted is None else frame[[c for c in wanted if c in frame]]


# --------------------------------------------------------------------------------------
# The store
# --------------------------------------------------------------------------------------
class RunStore:
    """An output directory that runs are streamed into (see the module notes).

    Parameters
    ----------
    out : path-like
        The directory (created if missing).
    """

    def __init__(self, out: str | os.PathLike[str]):
        self.root = Path(out)
        self.runs_dir = self.root / RUNS_DIR
        self.manifest_path = self.root / MANIFEST_NAME
        self.manifest: dict[str, Any] = {}
        self.lock = DirectoryLock(self.root)
        self._next_part = 0
        self._started = 0.0
        self._written = 0
        self._buffer: list[pd.DataFrame] = []
        self._buffered = 0
        self._last_write = 0.0
        self._parts_written = 0
        self.flush_rows = 1
        """Runs buffered before a part is written (set by :meth:`plan`)."""

    # -- starting --------------------------------------------------------------------------
    def start(self, manifest: Mapping[str, Any], *, resume: bool = False) -> set[tuple[str, int, int]]:
        """Take the directory, write the manifest and return the keys of runs already stored.

        The directory stays locked until :meth:`finish` (or :meth:`close`).

        Parameters
        ----------
        manifest : mapping
            The experiment's manifest (see :func:`seamsim.experiment.runner.run_experiment`).
        resume : bool, optional
            Complete an experiment stored here; otherwise the directory must not hold one.

        Returns
        -------
        set of (str, int, int)
            The keys of the runs stored (on resume); runs lost to a dead worker are not
            among them, so they run again.

        Raises
        ------
        StoreBusy
            Another process is writing to the directory.
        StoreError
            The directory holds another experiment, or (on resume) a different or damaged one.
        """
        self.manifest = as_json(dict(manifest))
        self._started = time.perf_counter()
        self.root.mkdir(parents=True, exist_ok=True)
        self.lock.acquire()
        try:
            done = self._begin(resume)
        except BaseException:
            self.lock.release()
            raise
        return done

    def _begin(self, resume: bool) -> set[tuple[str, int, int]]:
        """Check the directory under the lock, write the manifest; return the stored keys."""
        exists = self.manifest_path.exists() or bool(_parts(self.runs_dir))
        if exists and not resume:
            raise StoreError(
                f"{self.root} already holds an experiment ({MANIFEST_NAME}); "
                "resume it (--resume / resume=True) or choose an empty directory"
            )
        origin = self.manifest.get("provenance") or {}
        session = {"started": utc_now(), "executor": self.manifest.get("executor"), "pid": os.getpid(),
                   "model_sha256": origin.get("model_sha256"), "git": origin.get("git")}
        done: set[tuple[str, int, int]] = set()
        if exists:
            done = self._resume_from(read_manifest(self.root) if self.manifest_path.exists() else None)
            self.manifest["sessions"] = [*self.manifest.get("sessions", []), session]
        else:
            self.manifest["sessions"] = [session]
        self.runs_dir.mkdir(parents=True, exist_ok=True)
        self.manifest["status"] = "running"
        self.manifest["runs_stored"] = len(done)
        self._write_manifest()
        return done

    def _resume_from(self, old: Mapping[str, Any] | None) -> set[tuple[str, int, int]]:
        """Check the stored manifest against this one, tidy the directory; return the stored keys."""
        if old is None:
            raise StoreError(
                f"cannot resume {self.root}: it holds runs but no {MANIFEST_NAME}, so what "
                "they are cannot be checked; move them away or choose an empty directory"
            )
        differences = manifest_differences(old, self.manifest)
        if differences:
            raise StoreError(
                f"cannot resume {self.root}: it holds a different experiment — " + "; ".join(differences)
            )
        self.manifest["created"] = old.get("created", self.manifest.get("created"))
        self.manifest["sessions"] = list(old.get("sessions", []))
        for folder in (self.runs_dir, self.root):  # a writer killed mid-write: its runs are redone
            for stale in folder.glob("*" + TMP_SUFFIX):
                stale.unlink(missing_ok=True)
        stored = read_runs(self.root, columns=[*KEY_COLUMNS, "status", "error"])
        final = stored[~infrastructure_rows(stored).to_numpy()] if len(stored) else stored
        parts = _parts(self.runs_dir)
        self._next_part = _part_number(parts[-1]) + 1 if parts else 0
        return {
            (str(s), int(p), int(r))
            for s, p, r in zip(final["scenario"], final["point"], final["replication"], strict=True)
        }

    # -- writing ---------------------------------------------------------------------------
    def plan(self, runs: int, chunk: int = 1) -> None:
        """Size the buffer for a session of ``runs`` runs arriving ``chunk`` at a time.

        A part is written every ``max(chunk, runs / PARTS_PER_SESSION)`` runs (at most
        :data:`FLUSH_ROWS_MAX`), so a session writes about :data:`PARTS_PER_SESSION` parts.
        """
        per_part = max(int(chunk), math.ceil(max(0, int(runs)) / PARTS_PER_SESSION))
        self.flush_rows = max(1, min(FLUSH_ROWS_MAX, per_part))

    def add_rows(self, frame: pd.DataFrame) -> None:
        """Buffer finished runs; write them as a part when the buffer is due (see the module notes)."""
        self._buffer.append(frame)
        self._buffered += len(frame)
        due = (
            self._parts_written == 0
            or self._buffered >= self.flush_rows
            or time.perf_counter() - self._last_write >= FLUSH_S
        )
        if due:
            self.flush()

    def flush(self) -> Path | None:
        """Write the buffered runs as one part (none when the buffer is empty); return its path."""
        if not self._buffer:
            return None
        frames, self._buffer, self._buffered = self._buffer, [], 0  # a failed write is not retried
        filled = [f for f in frames if len(f)] or frames[:1]
        frame = filled[0] if len(filled) == 1 else pd.concat(filled, ignore_index=True, sort=False)
        return self.write_part(frame)

    def write_part(self, frame: pd.DataFrame) -> Path:
        """Write one chunk of run rows as the next part, atomically; return its path."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        path = self.runs_dir / f"part-{self._next_part:05d}.parquet"
        while path.exists():  # never over a part (the lock keeps other writers out)
            self._next_part += 1
            path = self.runs_dir / f"part-{self._next_part:05d}.parquet"
        tmp = temp_path(path)
        try:
            pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), tmp)
            os.replace(tmp, path)
        finally:
            tmp.unlink(missing_ok=True)
        self._next_part += 1
        self._written += len(frame)
        self._parts_written += 1
        self._last_write = time.perf_counter()
        return path

    def compact(self) -> Path | None:
        """Merge the parts into one file of row groups (one row per run key); return its path.

        The merged file is written beside the parts under a temporary name, moved into place
        as the next part, and only then are the old parts deleted: a kill at any moment
        leaves every run readable (at worst twice, which :func:`read_runs` counts once).
        Nothing is done with one part or none. Should the merged file not fit on the disk
        (an :class:`OSError`), the parts stay as they are, as readable as before.
        """
        parts = _parts(self.runs_dir)
        if len(parts) < 2:
            return parts[0] if parts else None
        try:
            return self._merge(parts)
        except OSError:
            return None

    def _merge(self, parts: list[Path]) -> Path:
        path = self.runs_dir / f"part-{self._next_part:05d}.parquet"
        while path.exists():
            self._next_part += 1
            path = self.runs_dir / f"part-{self._next_part:05d}.parquet"
        tmp = temp_path(path)
        try:
            write_merged_parts(parts, tmp, ROW_GROUP_ROWS)
            os.replace(tmp, path)
        finally:
            tmp.unlink(missing_ok=True)
        self._next_part += 1
        for part in parts:
            part.unlink(missing_ok=True)
        return path

    def finish(self, status: str, *, runs_total: int, lost: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """Record how the session ended and let the directory go.

        Parameters
        ----------
        status : {"complete", "incomplete", "cancelled", "interrupted"}
            ``incomplete``: some runs were lost to dead workers after every retry.
        runs_total : int
            Runs in the whole experiment.
        lost : mapping, optional
            ``{"runs": n, "errors": [...]}`` of the runs lost (``incomplete``).
        """
        try:
            self.flush()
            self.compact()
            wall_s = time.perf_counter() - self._started
            timings = {
                "wall_s": round(wall_s, 3),
                "runs": self._written,
                "runs_per_s": round(self._written / wall_s, 3) if wall_s > 0 else None,
            }
            self.manifest["status"] = status
            self.manifest["finished"] = utc_now()
            self.manifest["timings"] = timings
            self.manifest["runs_stored"] = self.manifest.get("runs_stored", 0) + self._written
            self.manifest["runs_total"] = runs_total
            if lost:
                self.manifest["lost"] = as_json(dict(lost))
            else:
                self.manifest.pop("lost", None)
            if self.manifest.get("sessions"):
                self.manifest["sessions"][-1].update(
                    {"finished": self.manifest["finished"], "status": status, **timings}
                )
            self._write_manifest()
        finally:
            self.close()
        return self.manifest

    def close(self) -> None:
        """Let the directory go (without recording anything, buffered runs dropped); safe to call twice."""
        self._buffer, self._buffered = [], 0
        self.lock.release()

    def _write_manifest(self) -> None:
        write_json_atomic(self.manifest_path, self.manifest)

    def read_runs(self) -> pd.DataFrame:
        """Return every stored run (one row per run key, unsorted)."""
        return read_runs(self.root)
