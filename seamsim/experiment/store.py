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
sweep, a ``--resume`` of a running one) is refused with :class:`StoreBusy`. The kernel
drops the lock when the writer dies, even of ``kill -9``.

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
"""

from __future__ import annotations

import json
import math
import os
import re
import socket
import time
import uuid
from collections.abc import Iterable, Mapping
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pandas as pd

from seamsim.experiment.provenance import environment as environment  # its old home

try:  # pragma: no cover - always there on Linux and macOS
    import fcntl
except ImportError:  # pragma: no cover - Windows: no lock (one writer is then up to the user)
    fcntl = None  # type: ignore[assignment]

__all__ = [
    "IDENTITY_KEYS",
    "INFRASTRUCTURE_ERRORS",
    "KEY_COLUMNS",
    "LOCK_NAME",
    "MANIFEST_NAME",
    "RUNS_DIR",
    "DirectoryLock",
    "RunStore",
    "StoreBusy",
    "StoreError",
    "is_infrastructure_error",
    "read_manifest",
    "read_runs",
]

MANIFEST_NAME = "manifest.json"
RUNS_DIR = "runs"
LOCK_NAME = ".seamsim.lock"
"""The lock file of an output directory (its content names the writer, for messages)."""
KEY_COLUMNS = ("scenario", "point", "replication")
"""The columns that identify a run; each key is stored once."""
IDENTITY_KEYS = ("scenarios", "seed", "replications", "days", "design")
"""Manifest entries that must match for a resume."""
INFRASTRUCTURE_ERRORS = (
    "BrokenProcessPool",
    "BrokenExecutor",
    "KilledWorker",
    "CancelledError",
    "FutureCancelledError",
    "CommClosedError",
)
"""Exception names of a run lost to the machinery (a dead worker), not to the model: such a
run is retried, by the running experiment and by a resume, and never stored as final."""
FORMAT_VERSION = 1

PARTS_PER_SESSION = 16
"""About how many parts a session writes before they are compacted (see :attr:`RunStore.flush_rows`)."""
FLUSH_S = 30.0
"""Longest time [s] finished runs wait in memory before they are written as a part."""
FLUSH_ROWS_MAX = 20_000
"""Most runs buffered in memory (about a kilobyte each)."""
ROW_GROUP_ROWS = 8_192
"""Rows per row group of a compacted file (smaller groups only at its end)."""

_PART = re.compile(r"^part-(\d{5,})\.parquet$")
_TMP_SUFFIX = ".tmp"
_HELD_LOCKS: set[int] = set()
"""File descriptors of the directory locks this process holds (see :func:`held_lock_fds`)."""


class StoreError(Exception):
    """An output directory cannot be used as asked (occupied, damaged, or a mismatched resume)."""


class StoreBusy(StoreError):
    """Another process is writing to the output directory."""


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _normal(value: Any) -> Any:
    """Return ``value`` as it reads back from JSON (tuples → lists, keys → str)."""
    return json.loads(json.dumps(value, allow_nan=True, default=str))


def is_infrastructure_error(error: Any) -> bool:
    """Return whether an ``error`` text (``"Type: message"``) names a lost worker, not the model."""
    return str(error).split(":", 1)[0].strip() in INFRASTRUCTURE_ERRORS


def _temp_path(path: Path) -> Path:
    """Return a temporary name beside ``path``, unique to this writer and hidden from readers."""
    return path.with_name(f".{path.name}.{os.getpid()}-{uuid.uuid4().hex[:12]}{_TMP_SUFFIX}")


def _write_json_atomic(path: Path, data: Mapping[str, Any]) -> None:
    tmp = _temp_path(path)
    try:
        with open(tmp, "w", encoding="utf-8") as handle:
            json.dump(data, handle, indent=2, ensure_ascii=False, allow_nan=True, default=str)
            handle.write("\n")
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def read_manifest(out: str | os.PathLike[str]) -> dict[str, Any]:
    """Return the ``manifest.json`` of an output directory.

    Raises
    ------
    FileNotFoundError
        There is no manifest.
    StoreError
        The manifest is not valid JSON (the message names the file).
    """
    path = Path(out) / MANIFEST_NAME
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise StoreError(f"{path} is damaged and cannot be read ({error}); move the directory away") from None
    if not isinstance(data, dict):
        raise StoreError(f"{path} is damaged: it holds a {type(data).__name__}, not a manifest")
    return data


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


def _infrastructure_rows(frame: pd.DataFrame) -> pd.Series:
    """Return a mask of the rows that are runs lost to a dead worker (see :data:`INFRASTRUCTURE_ERRORS`)."""
    if "status" not in frame or "error" not in frame:
        return pd.Series(False, index=frame.index)
    failed = frame["status"].astype(str) == "error"
    return failed & frame["error"].map(is_infrastructure_error).astype(bool)


def _one_row_per_key(frame: pd.DataFrame, part_of_row: list[int]) -> pd.DataFrame:
    """Return ``frame`` with one row per run key: a finished run over a lost one, then the later part."""
    if not all(k in frame for k in KEY_COLUMNS) or not len(frame):
        return frame
    rank = pd.DataFrame({"lost": _infrastructure_rows(frame).to_numpy(), "part": part_of_row}, index=frame.index)
    best = rank.sort_values(["lost", "part"], ascending=[True, False], kind="stable").index
    keep = frame.loc[best, list(KEY_COLUMNS)].drop_duplicates(keep="first").index
    return frame.loc[frame.index.isin(keep)].reset_index(drop=True)


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
    frame = _one_row_per_key(frame, part_of_row)
    return frame if wanted is None else frame[[c for c in wanted if c in frame]]


def _effective_days(manifest: Mapping[str, Any]) -> Any:
    """Return the horizon the runs of a manifest use: ``days``, else the scenarios' common ``run.days``."""
    days = manifest.get("days")
    if days is not None:
        return float(days)
    horizons = {
        json.dumps((s.get("scenario") or {}).get("run", {}).get("days")) for s in manifest.get("scenarios") or []
    }
    return float(json.loads(horizons.pop())) if len(horizons) == 1 and "null" not in horizons else None


def _same_horizon(old: Mapping[str, Any], new: Mapping[str, Any]) -> bool:
    """Return whether two manifests run the same horizon (``days=30`` is ``run.days: 30``)."""
    days = _effective_days(old)
    return days is not None and days == _effective_days(new)


def _differences(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[str]:
    """Say, in words, how the identity entries of two manifests differ."""
    found: list[str] = []
    for key in IDENTITY_KEYS:
        a, b = _normal(old.get(key)), _normal(new.get(key))
        if a == b or key == "days" and _same_horizon(old, new):
            continue
        if key == "scenarios":
            found += _scenario_differences(a or [], b or [])
        elif key == "design":
            a, b = a or {}, b or {}
            if a.get("kind") != b.get("kind") or a.get("fields") != b.get("fields"):
                found.append(
                    f"the design was {a.get('kind')} over {a.get('fields')}, "
                    f"now {b.get('kind')} over {b.get('fields')}"
                )
            else:
                found.append(
                    f"the design points differ ({_design_size(a)} stored, {_design_size(b)} now)"
                )
        else:
            found.append(f"{key} was {a!r}, now {b!r}")
    return found


def _design_size(design: Mapping[str, Any]) -> int:
    """Return the points of a stored design (a large grid stores its size, not its points)."""
    return int(design["size"]) if "size" in design else len(design.get("points", []))


def _flat(data: Any, prefix: str = "") -> dict[str, Any]:
    if isinstance(data, dict):
        out: dict[str, Any] = {}
        for k, v in data.items():
            out.update(_flat(v, f"{prefix}{k}."))
        return out
    return {prefix.rstrip("."): data}


def _scenario_differences(old: list, new: list) -> list[str]:
    old_names = [s.get("name") for s in old]
    new_names = [s.get("name") for s in new]
    if old_names != new_names:
        return [f"the scenarios were {old_names}, now {new_names}"]
    found = []
    for a, b in zip(old, new, strict=True):
        fa, fb = _flat(a.get("scenario", {})), _flat(b.get("scenario", {}))
        changed = [k for k in sorted(set(fa) | set(fb)) if fa.get(k) != fb.get(k)]
        for key in changed[:5]:
            found.append(f"scenario {a.get('name')}: {key} was {fa.get(key)!r}, now {fb.get(key)!r}")
        if len(changed) > 5:
            found.append(f"scenario {a.get('name')}: and {len(changed) - 5} more fields differ")
    return found


def _kept_rows(parts: list[Path]) -> list[list[int]]:
    """Return, per part, the rows :func:`read_runs` keeps (one per run key), in order."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    tables = []
    for number, part in enumerate(parts):
        names = set(pq.read_schema(part).names)
        table = pq.read_table(part, columns=[c for c in (*KEY_COLUMNS, "status", "error") if c in names])
        tables.append(table.append_column("_part", pa.array([number] * table.num_rows, pa.int64()))
                      .append_column("_row", pa.array(range(table.num_rows), pa.int64())))
    try:
        merged = pa.concat_tables(tables, promote_options="permissive")
    except (pa.ArrowInvalid, pa.ArrowTypeError):  # parts that disagree on a key's type: slower, per part
        merged = None
    every = (merged.to_pandas() if merged is not None
             else pd.concat([t.to_pandas() for t in tables], ignore_index=True, sort=False))
    kept = _one_row_per_key(every, every["_part"].tolist())
    out: list[list[int]] = [[] for _ in parts]
    for number, row in zip(kept["_part"], kept["_row"], strict=True):
        out[int(number)].append(int(row))
    return [sorted(rows) for rows in out]


def _conformed(table: Any, schema: Any) -> Any:
    """Return ``table`` with the columns and types of ``schema`` (missing columns null)."""
    import pyarrow as pa

    if table.schema.equals(schema, check_metadata=False):
        return table.replace_schema_metadata(schema.metadata)
    columns = []
    for field_ in schema:
        if field_.name in table.column_names:
            columns.append(table.column(field_.name).cast(field_.type))
        else:
            columns.append(pa.nulls(table.num_rows, field_.type))
    return pa.Table.from_arrays(columns, schema=schema)


# --------------------------------------------------------------------------------------
# One writer per directory
# --------------------------------------------------------------------------------------
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
        note = json.dumps({"pid": os.getpid(), "host": socket.gethostname(), "since": _now()})
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
        self.manifest = _normal(dict(manifest))
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
        session = {"started": _now(), "executor": self.manifest.get("executor"), "pid": os.getpid(),
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
        differences = _differences(old, self.manifest)
        if differences:
            raise StoreError(
                f"cannot resume {self.root}: it holds a different experiment — " + "; ".join(differences)
            )
        self.manifest["created"] = old.get("created", self.manifest.get("created"))
        self.manifest["sessions"] = list(old.get("sessions", []))
        for folder in (self.runs_dir, self.root):  # a writer killed mid-write: its runs are redone
            for stale in folder.glob("*" + _TMP_SUFFIX):
                stale.unlink(missing_ok=True)
        stored = read_runs(self.root, columns=[*KEY_COLUMNS, "status", "error"])
        final = stored[~_infrastructure_rows(stored).to_numpy()] if len(stored) else stored
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
        tmp = _temp_path(path)
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
        import pyarrow as pa
        import pyarrow.parquet as pq

        keep = _kept_rows(parts)
        schema = pa.unify_schemas([pq.read_schema(p) for p in parts], promote_options="permissive")
        path = self.runs_dir / f"part-{self._next_part:05d}.parquet"
        while path.exists():
            self._next_part += 1
            path = self.runs_dir / f"part-{self._next_part:05d}.parquet"
        tmp = _temp_path(path)
        try:
            with pq.ParquetWriter(tmp, schema) as writer:
                pending: list[pa.Table] = []
                rows = 0
                for number, part in enumerate(parts):
                    table = _conformed(pq.read_table(part), schema).take(pa.array(keep[number], type=pa.int64()))
                    if table.num_rows:
                        pending.append(table)
                        rows += table.num_rows
                    if rows >= ROW_GROUP_ROWS:  # whole row groups now, the rest with what follows
                        merged = pa.concat_tables(pending)
                        whole = rows - rows % ROW_GROUP_ROWS
                        writer.write_table(merged.slice(0, whole), row_group_size=ROW_GROUP_ROWS)
                        pending, rows = [merged.slice(whole)], rows - whole
                if rows:
                    writer.write_table(pa.concat_tables(pending), row_group_size=ROW_GROUP_ROWS)
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
            self.manifest["finished"] = _now()
            self.manifest["timings"] = timings
            self.manifest["runs_stored"] = self.manifest.get("runs_stored", 0) + self._written
            self.manifest["runs_total"] = runs_total
            if lost:
                self.manifest["lost"] = _normal(dict(lost))
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
        _write_json_atomic(self.manifest_path, self.manifest)

    def read_runs(self) -> pd.DataFrame:
        """Return every stored run (one row per run key, unsorted)."""
        return read_runs(self.root)
