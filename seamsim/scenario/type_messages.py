"""Strict types: no booleans or text where a number is expected, no number where true/false
is, and no character in text that a YAML file may not hold; the messages that say so."""

from __future__ import annotations

import re
import types
import typing

from pydantic.fields import FieldInfo

from seamsim.scenario.messages import (
    _in_unit,
    _is_boolean,
    _number_with_unit_hint,
    _shown,
    _unit_of,
)
from seamsim.scenario.schema_walk import _literal_values, _model_of
from seamsim.scenario.terminal_text import _clip

__all__: list[str] = []

_BOOL_WORDS = frozenset(("yes", "no", "on", "off", "true", "false", "y", "n"))
_NUMBER_TEXT = re.compile(r"^\s*[-+]?([0-9][0-9_]*\.?[0-9_]*|\.[0-9]+)([eE][-+]?[0-9]+)?\s*$")


def _field_kind(info: FieldInfo) -> str:
    """Return what a field holds: ``number``, ``whole``, ``choice-number``, ``bool``,
    ``text``, ``choice``, ``section`` or ``other``."""
    annotation = info.annotation
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    if typing.get_origin(annotation) is typing.Literal:
        numbers = all(isinstance(a, int | float) and not isinstance(a, bool) for a in args)
        return "choice-number" if numbers else "choice"
    if typing.get_origin(annotation) in (typing.Union, types.UnionType) and len(args) == 1:
        annotation = args[0]
    if _model_of(annotation) is not None:
        return "section"
    return {float: "number", int: "whole", bool: "bool", str: "text"}.get(annotation, "other")


def _wrong_type_message(name: str, info: FieldInfo, value: object) -> str | None:
    """Return why ``value`` is refused for the field, or ``None`` if its type is right.

    Where a number is expected a boolean (``on``, ``no``…) or text (``'0.8'``) is refused;
    where true/false is expected, a number or text is refused; text may not hold characters
    a YAML file may not hold (control characters, lone surrogates).
    """
    kind = _field_kind(info)
    if kind in ("number", "whole", "choice-number"):
        return _not_a_number_message(name, info, kind, value)
    if kind == "bool" and not _is_boolean(value) and isinstance(value, int | float | str):
        unquote = " — write it without quotes" if _is_bool_text(value) else ""
        return f"expected true or false, got {_shown(value)}{unquote}"
    if kind in ("text", "choice") and isinstance(value, str):
        return _bad_text_message(value)
    return None


def _is_bool_text(value: object) -> bool:
    """Whether ``value`` is text that YAML would read as a boolean (``yes``, ``off``…)."""
    return isinstance(value, str) and value.strip().lower() in _BOOL_WORDS


def _expected_number(name: str, info: FieldInfo, kind: str) -> str:
    """Return ``expected a number [unit]`` (or the listed choices) for a field."""
    unit = _unit_of(name, info)
    if kind == "choice-number":
        listed = ", ".join(str(a) for a in _literal_values(info))
        return f"expected one of {listed}" + (f" [{unit}]" if unit else "")
    return f"expected a {'whole number' if kind == 'whole' else 'number'}{_in_unit(unit)}"


def _not_a_number_message(name: str, info: FieldInfo, kind: str, value: object) -> str | None:
    """Message for a boolean or text given where a number is expected (else ``None``)."""
    if _is_boolean(value):
        return (
            f"{_expected_number(name, info, kind)}, got the boolean {_shown(value)} "
            "— yes/no/on/off/true/false are booleans in YAML, not numbers"
        )
    if not isinstance(value, str):
        return None
    expected = _expected_number(name, info, kind)
    if _NUMBER_TEXT.match(value):
        unquoted = _clip(value.strip(), 40)
        return f"{expected}, got the text {_shown(value)} — write {unquoted} without quotes"
    hint = _number_with_unit_hint(value, _unit_of(name, info))
    return f"{expected}, got the text {_shown(value)}{hint}"


_NOT_ALLOWED = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
"""A character a YAML file may not hold (PyYAML's ``Reader.NON_PRINTABLE``): a control
character other than tab and line breaks, a lone surrogate, U+FFFE or U+FFFF. Text values
are held to the same rule, wherever they come from."""


def _bad_text_message(value: str) -> str | None:
    """Message for text holding a character a scenario may not hold (else ``None``)."""
    found = _NOT_ALLOWED.search(value)
    if found is None:
        return None
    return (
        f"the character {_character_name(found.group())} is not allowed in text "
        f"(character {found.start() + 1} of {_shown(value)})"
    )


def _character_name(char: str) -> str:
    """Return ``U+0007 (a control character)`` and the like."""
    code = ord(char)
    if 0xD800 <= code <= 0xDFFF:
        what = "a lone surrogate, not a character"
    elif code in (0xFFFE, 0xFFFF):
        what = "a non-character"
    else:
        what = "a control character"
    return f"U+{code:04X} ({what})"
