"""Experiment results on disk: Parquet parts as runs finish, and ``manifest.json``.

Layout of an output directory::

    DIR/manifest.json             what was run (written first) and how it went (updated last)
    DIR/runs/part-00000.parquet   one part per finished chunk of runs, rows as in ExperimentResult.runs
    DIR/runs/part-00001.parquet
    ...

Each part is written to a temporary file and moved into place with :func:`os.replace`, so a
part is either complete or absent, even if the process is killed mid-write. Resuming reads
the keys ``(scenario, point, replication)`` of the parts already there, runs only the others
and numbers new parts after the last one: nothing is lost and nothing is run twice. A
resume is refused when the manifest's scenarios, seed, replications, horizon or design
differ from the experiment asked for.

Read the runs back with :func:`read_runs` (or ``pandas.read_parquet(DIR / "runs")``).
"""

from __future__ import annotations

import json
import os
import platform
import re
import sys
import time
from collections.abc import Iterable, Mapping
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pandas as pd

__all__ = [
    "IDENTITY_KEYS",
    "KEY_COLUMNS",
    "MANIFEST_NAME",
    "RUNS_DIR",
    "RunStore",
    "StoreError",
    "read_manifest",
    "read_runs",
]

MANIFEST_NAME = "manifest.json"
RUNS_DIR = "runs"
KEY_COLUMNS = ("scenario", "point", "replication")
"""The columns that identify a run; each key is stored once."""
IDENTITY_KEYS = ("scenarios", "seed", "replications", "days", "design")
"""Manifest entries that must match for a resume."""
FORMAT_VERSION = 1

_PART = re.compile(r"^part-(\d{5,})\.parquet$")
_TMP_SUFFIX = ".tmp"


class StoreError(Exception):
    """An output directory cannot be used as asked (occupied, or a mismatched resume)."""


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _normal(value: Any) -> Any:
    """Return ``value`` as it reads back from JSON (tuples → lists, keys → str)."""
    return json.loads(json.dumps(value, allow_nan=True, default=str))


def _write_json_atomic(path: Path, data: Mapping[str, Any]) -> None:
    tmp = path.with_name(path.name + _TMP_SUFFIX)
    with open(tmp, "w", encoding="utf-8") as handle:
        json.dump(data, handle, indent=2, ensure_ascii=False, allow_nan=True, default=str)
        handle.write("\n")
    os.replace(tmp, path)


def read_manifest(out: str | os.PathLike[str]) -> dict[str, Any]:
    """Return the ``manifest.json`` of an output directory."""
    with open(Path(out) / MANIFEST_NAME, encoding="utf-8") as handle:
        return json.load(handle)


def _parts(runs_dir: Path) -> list[Path]:
    if not runs_dir.is_dir():
        return []
    return sorted(p for p in runs_dir.iterdir() if _PART.match(p.name))


def read_runs(out: str | os.PathLike[str], columns: Iterable[str] | None = None) -> pd.DataFrame:
    """Return the runs stored under ``out`` (unsorted, as stored), or an empty table.

    Parameters
    ----------
    out : path-like
        The output directory.
    columns : iterable of str, optional
        Read only these columns.
    """
    import pyarrow.parquet as pq

    frames = []
    for part in _parts(Path(out) / RUNS_DIR):
        names = pq.read_schema(part).names
        wanted = None if columns is None else [c for c in columns if c in names]
        frames.append(pq.read_table(part, columns=wanted).to_pandas())
    if not frames:
        return pd.DataFrame(columns=list(columns) if columns is not None else list(KEY_COLUMNS))
    frames = [f for f in frames if len(f)] or frames[:1]
    return pd.concat(frames, ignore_index=True, sort=False) if len(frames) > 1 else frames[0]


def _differences(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[str]:
    """Say, in words, how the identity entries of two manifests differ."""
    found: list[str] = []
    for key in IDENTITY_KEYS:
        a, b = _normal(old.get(key)), _normal(new.get(key))
        if a == b:
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
                    f"the design points differ ({len(a.get('points', []))} stored, "
                    f"{len(b.get('points', []))} now)"
                )
        else:
            found.append(f"{key} was {a!r}, now {b!r}")
    return found


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
        self._next_part = 0
        self._started = 0.0
        self._written = 0

    # -- starting --------------------------------------------------------------------------
    def start(self, manifest: Mapping[str, Any], *, resume: bool = False) -> set[tuple[str, int, int]]:
        """Write the manifest and return the keys of runs already stored (on resume).

        Parameters
        ----------
        manifest : mapping
            The experiment's manifest (see :func:`seamsim.experiment.runner.run_experiment`).
        resume : bool, optional
            Complete an experiment stored here; otherwise the directory must not hold one.

        Raises
        ------
        StoreError
            The directory holds another experiment, or (on resume) a different one.
        """
        self.manifest = _normal(dict(manifest))
        self._started = time.perf_counter()
        exists = self.manifest_path.exists() or bool(_parts(self.runs_dir))
        done: set[tuple[str, int, int]] = set()
        if exists and not resume:
            raise StoreError(
                f"{self.root} already holds an experiment ({MANIFEST_NAME}); "
                "resume it (--resume / resume=True) or choose an empty directory"
            )
        self.runs_dir.mkdir(parents=True, exist_ok=True)
        session = {"started": _now(), "executor": self.manifest.get("executor")}
        if exists:
            if not self.manifest_path.exists():
                raise StoreError(
                    f"cannot resume {self.root}: it holds runs but no {MANIFEST_NAME}, so what "
                    "they are cannot be checked; move them away or choose an empty directory"
                )
            old = read_manifest(self.root)
            differences = _differences(old, self.manifest)
            if differences:
                raise StoreError(
                    f"cannot resume {self.root}: it holds a different experiment — "
                    + "; ".join(differences)
                )
            self.manifest["created"] = old.get("created", self.manifest.get("created"))
            self.manifest["sessions"] = [*old.get("sessions", []), session]
            for stale in self.runs_dir.glob("*" + _TMP_SUFFIX):
                stale.unlink(missing_ok=True)  # a part killed mid-write: its runs are redone
            keys = read_runs(self.root, columns=KEY_COLUMNS)
            done = {
                (str(s), int(p), int(r))
                for s, p, r in zip(keys["scenario"], keys["point"], keys["replication"], strict=True)
            }
            parts = _parts(self.runs_dir)
            self._next_part = int(_PART.match(parts[-1].name).group(1)) + 1 if parts else 0
        else:
            self.manifest["sessions"] = [session]
        self.manifest["status"] = "running"
        self.manifest["runs_stored"] = len(done)
        self._write_manifest()
        return done

    # -- writing ---------------------------------------------------------------------------
    def write_part(self, frame: pd.DataFrame) -> Path:
        """Write one chunk of run rows as the next part, atomically; return its path."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        path = self.runs_dir / f"part-{self._next_part:05d}.parquet"
        tmp = path.with_name(path.name + _TMP_SUFFIX)
        table = pa.Table.from_pandas(frame, preserve_index=False)
        pq.write_table(table, tmp)
        os.replace(tmp, path)
        self._next_part += 1
        self._written += len(frame)
        return path

    def finish(self, status: str, *, runs_total: int) -> dict[str, Any]:
        """Record how the session ended (``complete``, ``cancelled``, ``interrupted``)."""
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
        if self.manifest.get("sessions"):
            self.manifest["sessions"][-1].update({"finished": self.manifest["finished"], "status": status, **timings})
        self._write_manifest()
        return self.manifest

    def _write_manifest(self) -> None:
        _write_json_atomic(self.manifest_path, self.manifest)

    def read_runs(self) -> pd.DataFrame:
        """Return every stored run (unsorted)."""
        return read_runs(self.root)


def environment() -> dict[str, Any]:
    """Return the package versions and machine facts recorded in a manifest."""
    from importlib import metadata

    import seamsim

    versions = {}
    for package in ("numpy", "pandas", "simpy", "pydantic", "scipy", "SALib", "pyarrow"):
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:  # pragma: no cover
            versions[package] = None
    return {
        "seamsim_version": seamsim.__version__,
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "cpu_count": os.cpu_count(),
        "packages": versions,
    }
