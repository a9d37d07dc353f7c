"""The scenario's inputs as the pages need them, without Streamlit: each field's metadata
(from the field registry :mod:`seamsim.scenario.fields`), a scenario flattened to dotted
paths and back to overrides, the key levers with their thin-seam slider ranges, steps and
number formats, and the settings changed from a preset, in words.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from seamsim.scenario.fields import ScenarioField, scenario_fields
from seamsim.scenario.schema import SECTIONS, Scenario

FieldSpec = ScenarioField
"""One input of the scenario, as the field registry (:mod:`seamsim.scenario.fields`) has it:
path, section, group, kind, label, unit, default, description, bounds, choices."""

SECTION_TITLES: dict[str, str] = {
    "seam": "Seam and strata",
    "roof": "Roof and canopy",
    "face": "Face, shields and conveyor",
    "machine": "Shearer",
    "electrical": "Electrical supply and cable",
    "operation": "Operation and automation",
    "crew": "Crew per shift",
    "calendar": "Shifts and calendar",
    "failures": "Failures and stoppages",
    "run": "Run",
}


def field_specs(sections: Sequence[str] = SECTIONS) -> list[FieldSpec]:
    """Every input of the scenario, section by section, in the schema's order (from the
    field registry; nested models such as ``failures.shearer`` flattened, their name as ``group``)."""
    return scenario_fields(sections)


def flatten(scenario: Scenario, sections: Sequence[str] = SECTIONS) -> dict[str, Any]:
    """Dotted path → value of every input of ``scenario`` (sections only, not name/title)."""
    data = scenario.model_dump(mode="python")
    out: dict[str, Any] = {}

    def walk(prefix: str, value: Any) -> None:
        if isinstance(value, Mapping):
            for k, v in value.items():
                walk(f"{prefix}.{k}", v)
        else:
            out[prefix] = value

    for section in sections:
        walk(section, data[section])
    return out


def coerce(spec: FieldSpec, value: Any) -> Any:
    """``value`` as the widget of ``spec`` needs it (floats as float, ints as int)."""
    if value is None:
        return None
    if spec.kind in ("float", "optional_float"):
        return float(value)
    if spec.kind == "int":
        return int(value)
    return value


def overrides_from(values: Mapping[str, Any], base: Mapping[str, Any]) -> dict[str, Any]:
    """The dotted-path overrides that turn ``base`` (flattened) into ``values``."""
    out = {}
    for path, value in values.items():
        old = base.get(path)
        if isinstance(value, float) and isinstance(old, int | float) and old is not None:
            if math.isclose(value, float(old), rel_tol=1e-12, abs_tol=1e-12):
                continue
        elif value == old:
            continue
        out[path] = value
    return out


def step_of(spec: FieldSpec) -> float:
    """A sensible step for a number field: two significant digits of its default or range."""
    if spec.path in LEVER_STEPS:
        return LEVER_STEPS[spec.path]
    if spec.kind == "int":
        return 1
    span = (spec.hi - spec.lo) if spec.lo is not None and spec.hi is not None else 1.0
    ref = max(abs(float(spec.default or 0.0)), span / 100.0, 1e-3)
    return max(10.0 ** (math.floor(math.log10(ref)) - 1), 1e-3)


def _decimals(value: float, most: int = 4) -> int:
    for d in range(most + 1):
        if math.isclose(round(value, d), value, rel_tol=0.0, abs_tol=10.0 ** -(most + 2)):
            return d
    return most


def format_of(step: float, value: float | None = None) -> str:
    """printf format showing a value at the precision of ``step`` and of ``value`` itself."""
    decimals = max(0, -math.floor(math.log10(step) + 1e-9)) if step < 1 else 0
    if value is not None and math.isfinite(value):
        decimals = max(decimals, _decimals(float(value)))
    return f"%.{decimals}f"


KEY_LEVERS: tuple[str, ...] = (
    "electrical.supply_voltage_v",
    "seam.height_m",
    "machine.height_mode",
    "machine.machine_height_mm",
    "machine.cutting_power_kw",
    "electrical.cable_csa_mm2",
    "operation.shield_control",
    "operation.face_end_mode",
    "operation.remote_control",
)
"""The inputs a student moves first; they sit above the section expanders."""

LEVER_RANGES: dict[str, tuple[float, float]] = {
    "seam.height_m": (0.5, 1.5),
    "machine.machine_height_mm": (450.0, 900.0),
    "machine.cutting_power_kw": (200.0, 1200.0),
}
"""The thin-seam domain of each slider: the schema's bounds narrowed to thin seams and
thin-seam machines (the number box beside the slider keeps the schema's full bounds, and a
preset outside the domain widens its slider to include its value)."""

LEVER_STEPS: dict[str, float] = {
    "seam.height_m": 0.01,
    "machine.machine_height_mm": 1.0,
    "machine.cutting_power_kw": 10.0,
}


def slider_range(spec: FieldSpec, value: float | None) -> tuple[float, float]:
    """The slider's range: the thin-seam domain (:data:`LEVER_RANGES`) within the schema's
    bounds, widened to include ``value``."""
    lo, hi = float(spec.lo), float(spec.hi)
    d_lo, d_hi = LEVER_RANGES.get(spec.path, (lo, hi))
    d_lo, d_hi = max(lo, d_lo), min(hi, d_hi)
    if value is not None and math.isfinite(value):
        d_lo, d_hi = min(d_lo, float(value)), max(d_hi, float(value))
    return d_lo, d_hi


def changed_settings(values: Mapping[str, Any], base: Mapping[str, Any]) -> dict[str, list[Any]]:
    """Dotted path → ``[preset value, value now]`` for every setting that differs from ``base``."""
    return {path: [base.get(path), value] for path, value in overrides_from(values, base).items()}


def describe_changes(changes: Mapping[str, Sequence[Any]], most: int = 4) -> str:
    """``Seam height 0.8 → 0.7 m; …`` for people (at most ``most``, then ``+ n more``)."""
    by_path = {s.path: s for s in field_specs()}
    parts = []
    for path, (old, new) in changes.items():
        spec = by_path.get(path)
        label = spec.label if spec else path
        unit = f" {spec.unit}" if spec and spec.unit else ""
        parts.append(f"{label} {_short(old)} → {_short(new)}{unit}")
    text = "; ".join(parts[:most])
    return text + (f"; + {len(parts) - most} more" if len(parts) > most else "")


def _short(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


__all__ = [
    "FieldSpec",
    "KEY_LEVERS",
    "LEVER_RANGES",
    "LEVER_STEPS",
    "SECTION_TITLES",
    "changed_settings",
    "coerce",
    "describe_changes",
    "field_specs",
    "flatten",
    "format_of",
    "overrides_from",
    "slider_range",
    "step_of",
]
