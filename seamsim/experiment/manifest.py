"""The ``manifest.json`` of an output directory: reading it, and how two manifests differ.

A resume is refused when the stored manifest's identity entries (:data:`IDENTITY_KEYS`:
scenarios, seed, replications, horizon, design) differ from the experiment asked for;
:func:`manifest_differences` says how, in words.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from seamsim.experiment.store_errors import StoreError

__all__ = [
    "FORMAT_VERSION",
    "IDENTITY_KEYS",
    "MANIFEST_NAME",
    "as_json",
    "manifest_differences",
    "read_manifest",
    "utc_now",
]

MANIFEST_NAME = "manifest.json"
IDENTITY_KEYS = ("scenarios", "seed", "replications", "days", "design")
"""Manifest entries that must match for a resume."""
FORMAT_VERSION = 1


def utc_now() -> str:
    """Return the time now, UTC, to the second, as ISO 8601 text."""
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def as_json(value: Any) -> Any:
    """Return ``value`` as it reads back from JSON (tuples → lists, keys → str)."""
    return json.loads(json.dumps(value, allow_nan=True, default=str))


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


def manifest_differences(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[str]:
    """Say, in words, how the identity entries of two manifests differ (none: an empty list)."""
    found: list[str] = []
    for key in IDENTITY_KEYS:
        a, b = as_json(old.get(key)), as_json(new.get(key))
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
