"""The field registry: every scenario input once, as the schema defines it.

The pydantic schema (:mod:`seamsim.scenario.schema`) is walked here, once, into one
:class:`ScenarioField` per field and section: its dotted path, kind, unit, bounds, choices,
default, label, help text and source tags. Everything else reads this registry instead of
walking the schema itself: the loader's error messages, ``--set`` and ``--vary`` parsing,
the CLI, the dashboard's widgets and the JSON Schema (:func:`scenario_json_schema`, which
adds each field's ``unit`` and ``sources``).

The unit of a field is in its name (``height_m`` → m, ``cutting_power_kw`` → kW); names
without a unit suffix carry it in the description (``[persons]``), ``[-]`` meaning none.

Examples
--------
>>> f = scenario_field("seam.height_m")
>>> f.kind, f.unit, f.lo, f.hi
('float', 'm', 0.3, 3.0)
>>> scenario_field("electrical.supply_voltage_v").choices
(1140, 3300)
>>> scenario_field("failures.shearer.repair_median_h").group
'shearer'
"""

from __future__ import annotations

import functools
import re
import types
import typing
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from seamsim.scenario.schema import SECTIONS, Scenario

__all__ = [
    "FIELD_KINDS",
    "LABELS",
    "UNIT_SUFFIXES",
    "ScenarioField",
    "field_paths",
    "label_of",
    "scenario_field",
    "scenario_fields",
    "scenario_json_schema",
    "sources_of",
    "unit_of",
]

FIELD_KINDS = ("float", "int", "bool", "choice", "text", "optional_float", "section", "other")
"""What a field holds; ``section`` is a sub-model (``seam``, ``failures.shearer``)."""

UNIT_SUFFIXES: tuple[tuple[str, str], ...] = (
    ("_kwh_per_m3", "kWh/m³"),
    ("_t_per_m3", "t/m³"),
    ("_t_per_h", "t/h"),
    ("_m_per_min", "m/min"),
    ("_m_per_s", "m/s"),
    ("_ohm_per_km", "Ω/km"),
    ("_c_per_100m", "°C/100 m"),
    ("_mm_per_h", "mm/h"),
    ("_picks_per_mwh", "picks/MWh"),
    ("_per_h", "1/h"),
    ("_mm2", "mm²"),
    ("_mm", "mm"),
    ("_kwh", "kWh"),
    ("_kw", "kW"),
    ("_kva", "kVA"),
    ("_kn", "kN"),
    ("_mpa", "MPa"),
    ("_rpm", "rpm"),
    ("_pct", "%"),
    ("_min", "min"),
    ("_h", "h"),
    ("_d", "d"),
    ("_s", "s"),
    ("_m", "m"),
    ("_v", "V"),
    ("_c", "°C"),
    ("_k", "K"),
    ("_a", "A"),
    ("_t", "t"),
)
"""Name suffix → unit, longest first (the convention: every unit is in the name)."""

_SOURCE_TAG = re.compile(r"^(?:S-\w+|[STA]\d*[a-z]?|E-mem|E|I)(?:[,;–-]\s*(?:[ST]?\d+[a-z]?|E))*$")
_BRACKET = re.compile(r"\[([^\[\]]+)\]")
_TAG = re.compile(r"\b(S-\w+|[ST]\d+[a-z]?|E-mem|E|A|I)\b")

LABELS: dict[str, str] = {
    "seam.height_m": "Seam height",
    "seam.height_sd_m": "Seam height, standard deviation",
    "face.length_m": "Face length",
    "machine.machine_height_mm": "Machine height",
    "machine.cutting_power_kw": "Installed cutting power",
    "machine.web_m": "Web (depth of cut)",
    "electrical.supply_voltage_v": "Supply voltage",
    "electrical.cable_csa_mm2": "Trailing cable cross-section",
    "operation.shield_control": "Shield advance",
    "operation.face_end_mode": "Face-end operations",
    "operation.remote_control": "Remote control (5G link)",
    "failures.enabled": "Failures and stoppages happen",
    "run.days": "Days simulated",
}
"""Labels that read better than the words of the field name."""

_WORDS = {"eh": "electro-hydraulic", "ln": "(log)", "afc": "AFC"}


@dataclass(frozen=True)
class ScenarioField:
    """One scenario input (or section), as the schema defines it.

    Attributes
    ----------
    path : str
        Dotted path, e.g. ``seam.height_m`` or ``failures.shearer.repair_median_h``.
    section : str
        Top-level section (``seam``); ``""`` for top-level fields (``name``).
    group : str
        Sub-model within the section (``shearer`` for ``failures.shearer.*``), else ``""``.
    name : str
        The key itself (``height_m``).
    kind : str
        One of :data:`FIELD_KINDS`.
    unit : str
        Unit for people (``m``, ``kW``, ``persons``), ``""`` when dimensionless.
    label : str
        People's name of the field (``Seam height``).
    default : object
        The schema's default.
    description : str
        The schema's description (the help text), with its units and source tags.
    lo, hi : float or None
        Bounds (inclusive or exclusive as the schema says; see ``lo_exclusive``).
    lo_exclusive, hi_exclusive : bool
        Whether a bound is strict (``gt``/``lt``).
    choices : tuple
        Allowed values of a ``choice`` field (``(False, True)`` for a ``bool``).
    max_chars : int or None
        Longest text of a ``text`` field.
    sources : tuple of str
        Source tags of the description (``S17``, ``E``…), see ``docs/references.md``.
    """

    path: str
    section: str
    group: str
    name: str
    kind: str
    unit: str
    label: str
    default: Any
    description: str
    lo: float | None = None
    hi: float | None = None
    lo_exclusive: bool = False
    hi_exclusive: bool = False
    choices: tuple[Any, ...] = ()
    max_chars: int | None = None
    sources: tuple[str, ...] = ()
    schema_info: FieldInfo | None = field(default=None, compare=False, repr=False)
    """The pydantic field (for the loader's type checks)."""
    model: type[BaseModel] | None = field(default=None, compare=False, repr=False)
    """The section's model, for a ``section``."""

    @property
    def numeric(self) -> bool:
        """Whether a range of values can be sampled for this field."""
        return self.kind in ("float", "int")

    @property
    def title(self) -> str:
        """Label with the unit, e.g. ``Seam height [m]``."""
        return f"{self.label} [{self.unit}]" if self.unit else self.label

    @property
    def parts(self) -> tuple[str, ...]:
        """The path split at dots."""
        return tuple(self.path.split("."))


# --------------------------------------------------------------------------------------
# Units, labels and sources from names and descriptions
# --------------------------------------------------------------------------------------
def unit_of(name: str, description: str = "") -> tuple[str, str]:
    """Split a field name into its words and its unit.

    Returns
    -------
    tuple of str
        ``(stem, unit)``: ``("height", "m")`` for ``height_m``; a name without a unit
        suffix takes the first ``[unit]`` of its description that is not a source tag
        (``[persons]``), ``[-]`` meaning none.

    Examples
    --------
    >>> unit_of("cutting_power_kw")
    ('cutting_power', 'kW')
    >>> unit_of("shield_men", "Shield men per shift [persons].")
    ('shield_men', 'persons')
    """
    for suffix, unit in UNIT_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)], unit
    for content in _BRACKET.findall(description):
        content = content.strip()
        if content == "-" or _SOURCE_TAG.match(content) or " " in content or content[:1].isdigit():
            continue
        return name, content
    return name, ""


def label_of(stem: str) -> str:
    """People's label of a field-name stem: ``max_chip_depth`` → ``Max chip depth``."""
    words = [_WORDS.get(w, w) for w in stem.split("_") if w]
    text = " ".join(words)
    return text[:1].upper() + text[1:]


def sources_of(description: str) -> tuple[str, ...]:
    """Return the source tags a description cites, in order (``[S17]``, ``[E]``, ``[T16]``)."""
    tags: list[str] = []
    for content in _BRACKET.findall(description):
        if _SOURCE_TAG.match(content.strip()) or content.strip().startswith(("S", "T", "E", "A")):
            tags += [t for t in _TAG.findall(content) if t not in tags]
    return tuple(tags)


# --------------------------------------------------------------------------------------
# The walk (once)
# --------------------------------------------------------------------------------------
def _model_of(annotation: object) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    return None


def _bounds(info: FieldInfo) -> tuple[float | None, float | None, bool, bool]:
    lo = hi = None
    lo_open = hi_open = False
    for meta in info.metadata:
        for attr, strict in (("ge", False), ("gt", True)):
            if getattr(meta, attr, None) is not None:
                lo, lo_open = getattr(meta, attr), strict
        for attr, strict in (("le", False), ("lt", True)):
            if getattr(meta, attr, None) is not None:
                hi, hi_open = getattr(meta, attr), strict
    return lo, hi, lo_open, hi_open


def _kind(annotation: Any) -> tuple[str, tuple[Any, ...]]:
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is typing.Literal:
        return "choice", tuple(args)
    if annotation is bool:
        return "bool", (False, True)
    if annotation is int:
        return "int", ()
    if annotation is float:
        return "float", ()
    if annotation is str:
        return "text", ()
    if origin in (typing.Union, types.UnionType) and float in args and type(None) in args:
        return "optional_float", ()
    if _model_of(annotation) is not None:
        return "section", ()
    return "other", ()


def _entry(path: tuple[str, ...], info: FieldInfo) -> ScenarioField:
    name = path[-1]
    description = info.description or ""
    kind, choices = _kind(info.annotation)
    stem, unit = unit_of(name, description)
    lo, hi, lo_open, hi_open = _bounds(info)
    max_chars = next((m.max_length for m in info.metadata if getattr(m, "max_length", None)), None)
    default = info.get_default(call_default_factory=True) if kind != "section" else None
    return ScenarioField(
        path=".".join(path),
        section=path[0] if len(path) > 1 or kind == "section" else "",
        group=path[1] if len(path) == 3 else "",
        name=name,
        kind=kind,
        unit=unit,
        label=LABELS.get(".".join(path), label_of(stem)),
        default=default,
        description=description,
        lo=lo,
        hi=hi,
        lo_exclusive=lo_open,
        hi_exclusive=hi_open,
        choices=choices,
        max_chars=max_chars,
        sources=sources_of(description),
        schema_info=info,
        model=_model_of(info.annotation),
    )


@functools.cache
def _registry() -> dict[str, ScenarioField]:
    found: dict[str, ScenarioField] = {}

    def walk(model: type[BaseModel], prefix: tuple[str, ...]) -> None:
        for name, info in model.model_fields.items():
            entry = _entry((*prefix, name), info)
            found[entry.path] = entry
            if entry.model is not None:
                walk(entry.model, (*prefix, name))

    walk(Scenario, ())
    return found


def scenario_field(path: str | Sequence[str]) -> ScenarioField | None:
    """Return the field (or section) at a dotted path, or ``None`` if there is none."""
    key = path if isinstance(path, str) else ".".join(path)
    return _registry().get(key)


def scenario_fields(sections: Sequence[str] = SECTIONS, *, include_sections: bool = False) -> list[ScenarioField]:
    """Return the inputs of ``sections`` in the schema's order (sub-model fields flattened).

    Parameters
    ----------
    sections : sequence of str, optional
        Top-level sections to list (all by default); ``name``, ``title`` and
        ``description`` are never listed.
    include_sections : bool, optional
        Also list the sections and sub-models themselves.
    """
    wanted = set(sections)
    return [f for f in _registry().values()
            if f.section in wanted and (include_sections or f.kind != "section")]


@functools.cache
def field_paths() -> tuple[tuple[str, ...], ...]:
    """Return the path of every field and section, top-level fields included, as tuples."""
    return tuple(f.parts for f in _registry().values())


# --------------------------------------------------------------------------------------
# The JSON Schema
# --------------------------------------------------------------------------------------
def scenario_json_schema() -> dict:
    """Return the JSON Schema of a scenario file (with ``extends``), for editor completion.

    Each property carries the registry's ``unit`` and ``sources`` next to pydantic's own
    keys.

    Returns
    -------
    dict
        A JSON Schema (draft 2020-12) document.
    """
    schema = Scenario.model_json_schema()
    definitions = schema.get("$defs", {})

    def annotate(node: dict, model: type[BaseModel], prefix: tuple[str, ...]) -> None:
        for name, prop in node.get("properties", {}).items():
            entry = scenario_field((*prefix, name))
            if entry is None:
                continue
            if entry.kind == "section" and entry.model is not None:
                ref = prop.get("$ref") or next((a.get("$ref") for a in prop.get("allOf", []) if "$ref" in a), None)
                if ref and prefix == ():  # every sub-model appears once in $defs
                    annotate(definitions[ref.split("/")[-1]], entry.model, (name,))
                elif ref and len(prefix) == 1:
                    target = definitions[ref.split("/")[-1]]
                    if not target.get("x-annotated"):
                        annotate(target, entry.model, (*prefix, name))
                        target["x-annotated"] = True
                continue
            if entry.unit:
                prop["unit"] = entry.unit
            if entry.sources:
                prop["sources"] = list(entry.sources)

    annotate(schema, Scenario, ())
    for target in definitions.values():
        target.pop("x-annotated", None)
    schema["properties"]["extends"] = {
        "type": "string",
        "description": "Path of a scenario file this one changes (relative to this file).",
    }
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "seamsim scenario"
    return schema
