"""A scenario's fingerprint: the SHA-256 of its canonical JSON.

Every field is in the JSON (defaults included), keys sorted, no spaces, so the same
scenario always hashes alike, whatever file or overrides it came from. Runs, stored rows
and manifests carry it, so a result says exactly which scenario made it.

Examples
--------
>>> from seamsim.scenario.schema import Scenario
>>> scenario_sha256(Scenario()) == scenario_sha256(Scenario().model_dump(mode="json"))
True
>>> len(scenario_sha256(Scenario()))
64
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

__all__ = ["canonical_json", "scenario_sha256"]


def canonical_json(scenario: Any) -> str:
    """Return the canonical JSON text of a scenario (or of its ``model_dump(mode="json")``)."""
    data = scenario.model_dump(mode="json") if hasattr(scenario, "model_dump") else scenario
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=True)


def scenario_sha256(scenario: Any) -> str:
    """Return the SHA-256 (hex) of a scenario's canonical JSON."""
    return hashlib.sha256(canonical_json(scenario).encode("utf-8")).hexdigest()
