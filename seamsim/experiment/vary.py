"""What a design can vary, and how ``--vary`` is read.

Holds the schema side of a design (which scenario fields exist, their types and bounds) and
the parsing of ``--vary`` arguments into a spec for :func:`~seamsim.experiment.designs.grid`
and the samplers:

:class:`FieldInfo`, :func:`field_info`
    A dotted scenario field's kind (``float``, ``int``, ``bool``, ``choice``, ``text``),
    choices and schema bounds; unknown fields get the "did you mean" of
    ``seamsim validate``.
:class:`Range`
    A numeric range ``lo:hi`` (with ``n`` values for a grid).
:func:`parse_values`, :func:`parse_vary`
    ``key=a,b,c`` (listed values) and ``key=lo:hi[:n]`` (a range) into a spec.

Every name is also importable from :mod:`seamsim.experiment.designs`, as before.

Examples
--------
>>> parse_vary(["seam.height_m=0.7,0.8", "machine.cutting_power_kw=400:800:5"])
{'seam.height_m': [0.7, 0.8], 'machine.cutting_power_kw': Range(lo=400.0, hi=800.0, n=5)}
"""

from __future__ import annotations

import dataclasses
import re
import typing
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from seamsim.scenario import Issue, Scenario, ScenarioError, apply_overrides, parse_overrides
from seamsim.scenario.fields import scenario_field

__all__ = [
    "VARY_SOURCE",
    "FieldInfo",
    "Range",
    "VarySpec",
    "field_info",
    "parse_values",
    "parse_vary",
]

VARY_SOURCE = "--vary"
"""The ``file`` of an :class:`~seamsim.scenario.Issue` about a varied field."""


# --------------------------------------------------------------------------------------
# Fields of the schema
# --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class FieldInfo:
    """What a design needs to know about one scenario field: how it is sampled.

    A view of the field registry's :class:`~seamsim.scenario.fields.ScenarioField`.

    Attributes
    ----------
    path : str
        Dotted path, e.g. ``"seam.height_m"``.
    kind : {"float", "int", "bool", "choice", "text"}
        How values are sampled: floats and ints from a range, the others only listed.
    choices : tuple
        Allowed values of a ``choice`` field.
    lo, hi : float or None
        Schema bounds, where the field has them.
    """

    path: str
    kind: str
    choices: tuple[Any, ...] = ()
    lo: float | None = None
    hi: float | None = None

    @property
    def numeric(self) -> bool:
        """Whether a range can be sampled for this field."""
        return self.kind in ("float", "int")


def _vary_error(path: str, message: str) -> ScenarioError:
    return ScenarioError([Issue(VARY_SOURCE, None, None, path, message)])


def _as_vary_error(error: ScenarioError) -> ScenarioError:
    return ScenarioError([dataclasses.replace(i, file=VARY_SOURCE) for i in error.issues])


def field_info(path: str) -> FieldInfo:
    """Return the :class:`FieldInfo` of a dotted scenario field (from the field registry).

    An optional number (``electrical.transformer_kva``) is sampled as a float.

    Raises
    ------
    ScenarioError
        For an unknown field (with the same "did you mean" as ``seamsim validate``) or a
        path that names a section rather than a field.
    """
    if str(path) in ("name", "title", "description"):
        raise _vary_error(path, "names or describes the scenario; it cannot be varied")
    entry = scenario_field(str(path))
    if entry is None:
        _raise_unknown(path)
    if entry.kind == "section":
        raise _vary_error(path, "is a section, not a field: name one of its fields")
    kind = {"optional_float": "float", "other": "text"}.get(entry.kind, entry.kind)
    if kind in ("float", "int"):
        return FieldInfo(entry.path, kind, (), entry.lo, entry.hi)
    return FieldInfo(entry.path, kind, entry.choices)


def _raise_unknown(path: str) -> typing.NoReturn:
    try:
        apply_overrides(Scenario(), {path: 0})
    except ScenarioError as error:
        raise _as_vary_error(error) from None
    raise _vary_error(path, "unknown field")  # pragma: no cover


# --------------------------------------------------------------------------------------
# Ranges
# --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Range:
    """A numeric range ``lo:hi`` (with ``n`` values for a grid)."""

    lo: float
    hi: float
    n: int | None = None

    def __str__(self) -> str:
        return f"{self.lo:g}:{self.hi:g}" + (f":{self.n}" if self.n is not None else "")


# --------------------------------------------------------------------------------------
# Parsing --vary
# --------------------------------------------------------------------------------------
_NUMBER = r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?"
_RANGE = re.compile(rf"^\s*({_NUMBER})\s*:\s*({_NUMBER})\s*(?::\s*(\d+)\s*)?$")

VarySpec = Range | list[Any]


def parse_values(path: str, text: str) -> VarySpec:
    """Parse the value part of ``--vary``: ``a,b,c`` (a list) or ``lo:hi[:n]`` (a range)."""
    match = _RANGE.match(text)
    if match:
        lo, hi, n = float(match.group(1)), float(match.group(2)), match.group(3)
        return Range(lo, hi, int(n) if n is not None else None)
    items = [t.strip() for t in str(text).split(",")]
    if not any(items):
        raise _vary_error(path, "no values given: write key=a,b,c or key=lo:hi:n")
    return [parse_overrides([f"{path}={item}"])[path] for item in items]


def parse_vary(items: Iterable[str]) -> dict[str, VarySpec]:
    """Parse ``--vary`` arguments into a spec for :func:`grid` and the samplers.

    Parameters
    ----------
    items : iterable of str
        ``key=a,b,c`` (listed values, read as YAML scalars) or ``key=lo:hi:n`` (``n``
        evenly spaced values from ``lo`` to ``hi``; ``key=lo:hi`` for a sampled design).

    Returns
    -------
    dict of str to Range or list
        Field path → values, in the order given.

    Raises
    ------
    ScenarioError
        For malformed items, unknown fields, or a field given twice.

    Examples
    --------
    >>> parse_vary(["seam.height_m=0.7,0.8", "machine.cutting_power_kw=400:800:5"])
    {'seam.height_m': [0.7, 0.8], 'machine.cutting_power_kw': Range(lo=400.0, hi=800.0, n=5)}
    """
    spec: dict[str, VarySpec] = {}
    issues: list[Issue] = []
    for item in items:
        key, sep, text = str(item).partition("=")
        key = key.strip()
        if not sep or not key:
            issues.append(Issue(VARY_SOURCE, None, None, "", f"expected key=a,b,c or key=lo:hi:n, got {item!r}"))
            continue
        if key in spec:
            issues.append(Issue(VARY_SOURCE, None, None, key, "given twice"))
            continue
        try:
            field_info(key)
            spec[key] = parse_values(key, text)
        except ScenarioError as error:
            issues += _as_vary_error(error).issues
    if issues:
        raise ScenarioError(issues)
    return spec
