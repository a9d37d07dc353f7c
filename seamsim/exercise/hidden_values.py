"""A hidden setting's value, and the ways it could be written on a page (to find and redact it)."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

__all__ = ["Secret", "value_forms", "value_pattern"]


@dataclass(frozen=True)
class Secret:
    """A hidden setting and the ways its value could be written on a page.

    Attributes
    ----------
    path : str
        The dotted field.
    value : object
        Its value in the exercise's face.
    forms : tuple of str
        The value as people would write it (``1140``, ``1,140``, ``1140.0``); empty when the
        value is not distinctive (0, 2, true), which is then guarded field by field only.
    """

    path: str
    value: Any
    forms: tuple[str, ...]

    @property
    def distinctive(self) -> bool:
        """Whether the value can be looked for in text."""
        return bool(self.forms)


def value_forms(value: Any) -> tuple[str, ...]:
    """Return the ways a value could be written on a page, or ``()`` if it is not distinctive.

    A number is distinctive when written with three or more digits (700, 0.85, 1140 — not
    0, 2, 50 or 0.5, which any page shows somewhere); text with four or more characters
    (``manual``).
    Booleans and empty values never are.

    Examples
    --------
    >>> value_forms(1140)
    ('1140', '1,140', '1140.0')
    >>> value_forms(0.85), value_forms(50), value_forms(True)
    (('0.85',), (), ())
    """
    if value is None or isinstance(value, bool):
        return ()
    if isinstance(value, int | float):
        if not math.isfinite(float(value)):
            return ()
        short = f"{float(value):g}" if "e" not in f"{float(value):g}" else repr(float(value))
        digits = short.lstrip("-").replace(".", "")
        if len(digits) < 3:
            return ()
        forms = [short]
        if float(value).is_integer():
            whole = int(value)
            forms += [f"{whole:,}", f"{whole}.0"]
        return tuple(dict.fromkeys(forms))
    text = str(value).strip()
    return (text,) if len(text) >= 4 else ()


def value_pattern(form: str) -> re.Pattern[str]:
    """Return the pattern that finds ``form`` as a whole number or word in a text."""
    if re.fullmatch(r"[-\d.,]+", form):
        return re.compile(rf"(?<![\d.,]){re.escape(form)}(?![\d]|[.,]\d)")
    return re.compile(rf"(?<![A-Za-z0-9_]){re.escape(form)}(?![A-Za-z0-9_])", re.IGNORECASE)
