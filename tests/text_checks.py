"""Checks shared by the bad-input tests: what a terminal prints as one clean line."""

from __future__ import annotations

import textwrap
import unicodedata
from pathlib import Path


def one_clean_line(text: str) -> bool:
    """Whether ``text`` is one line a terminal prints as it is: no control characters,
    line or paragraph separators, lone surrogates or bidi overrides (unassigned or
    non-ASCII letters are fine)."""
    return not any(
        unicodedata.category(c) in ("Cc", "Cs", "Zl", "Zp") or "\u202a" <= c <= "\u202e"
        or "\u2066" <= c <= "\u2069"
        for c in text
    )


def write(directory: Path, name: str, text: str) -> Path:
    """Write ``text`` (dedented) to ``directory/name`` and return the path."""
    path = directory / name
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path
