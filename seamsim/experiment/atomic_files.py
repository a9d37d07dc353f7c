"""Files written whole or not at all: a temporary name beside the target, then :func:`os.replace`.

The temporary name (``.NAME.<pid>-<uuid>.tmp``) is unique to its writer and hidden, so
``pyarrow`` skips it when it reads a directory of parts.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Mapping
from pathlib import Path
from typing import Any

__all__ = ["TMP_SUFFIX", "temp_path", "write_json_atomic"]

TMP_SUFFIX = ".tmp"
"""The suffix of a file being written (a writer killed mid-write leaves one behind)."""


def temp_path(path: Path) -> Path:
    """Return a temporary name beside ``path``, unique to this writer and hidden from readers."""
    return path.with_name(f".{path.name}.{os.getpid()}-{uuid.uuid4().hex[:12]}{TMP_SUFFIX}")


def write_json_atomic(path: Path, data: Mapping[str, Any]) -> None:
    """Write ``data`` as indented JSON to ``path``, whole or not at all."""
    tmp = temp_path(path)
    try:
        with open(tmp, "w", encoding="utf-8") as handle:
            json.dump(data, handle, indent=2, ensure_ascii=False, allow_nan=True, default=str)
            handle.write("\n")
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
