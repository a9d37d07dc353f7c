"""The scenario schema walked by path: the section or field at a dotted path, its bounds and
allowed values (from the field registry, :mod:`seamsim.scenario.fields`)."""

from __future__ import annotations

import typing

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from seamsim.scenario.fields import scenario_field
from seamsim.scenario.issues import _Path
from seamsim.scenario.schema import Scenario

__all__: list[str] = []


def _model_of(annotation: object) -> type[BaseModel] | None:
    """Return ``annotation`` if it is a schema model (a section), else ``None``."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    return None


def _model_at(path: _Path) -> type[BaseModel] | None:
    """Return the schema model (section) at ``path``, ``()`` being the Scenario itself."""
    if not path:
        return Scenario
    entry = scenario_field(path)
    return entry.model if entry is not None else None


def _field_at(path: _Path) -> FieldInfo | None:
    """Return the pydantic field at ``path`` (from the field registry), or ``None``."""
    entry = scenario_field(path) if path else None
    return entry.schema_info if entry is not None else None


def _bounds(info: FieldInfo) -> dict[str, float]:
    """Return the field's bounds as ``{"ge"|"gt"|"le"|"lt": value}``."""
    found: dict[str, float] = {}
    for meta in info.metadata:
        for kind in ("ge", "gt", "le", "lt"):
            value = getattr(meta, kind, None)
            if value is not None:
                found[kind] = value
    return found


def _literal_values(info: FieldInfo) -> tuple[object, ...]:
    """Return the allowed values of a ``Literal`` field (``()`` for any other)."""
    annotation = info.annotation
    if typing.get_origin(annotation) is typing.Literal:
        return typing.get_args(annotation)
    return ()
