"""Text for one line of a terminal: control characters escaped, long input clipped."""

from __future__ import annotations

import re

__all__ = ["MAX_ECHO"]

MAX_ECHO = 100
"""Longest piece of input (a value, a key, a file name) echoed in a message [characters]."""
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\u2028\u2029\u202a-\u202e\u2066-\u2069]")
"""Characters escaped in messages: controls (line breaks too), lone surrogates, bidi overrides."""


def _printable(text: str) -> str:
    """Return ``text`` with control characters, surrogates and bidi overrides escaped (``\\x07``).

    A message is one line that any terminal can print (a file name from the command line may
    hold lone surrogates, a YAML value may hold escaped control characters).
    """
    return _UNPRINTABLE.sub(lambda m: ascii(m.group())[1:-1], text)


def _clip(text: str, limit: int = MAX_ECHO) -> str:
    """Return ``text`` cut to at most ``limit`` characters (``…`` marks the cut)."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _clip_middle(text: str, limit: int = MAX_ECHO) -> str:
    """Return ``text`` (a file name) shortened in the middle, keeping its end."""
    if len(text) <= limit:
        return text
    head = limit // 3
    return text[:head] + "…" + text[-(limit - head - 1) :]
