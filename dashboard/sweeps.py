"""Parameter sweeps and the feasible-region grid.

:class:`SweepAxis` and :func:`sweep_values` describe the varied fields, :func:`sweep_points`
turns them into the grid of scenarios; :func:`feasibility_grid` classifies every (supply
voltage, seam height, installed cutting power) with ``seamsim.engineering_picture``, without
simulating (:data:`FEASIBILITY_LABELS`).
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

import seamsim

__all__ = [
    "FEASIBILITY_LABELS",
    "SweepAxis",
    "feasibility_grid",
    "design_summary",
    "point_labels",
    "sweep_points",
    "sweep_values",
]


# --------------------------------------------------------------------------------------
# Sweeps
# --------------------------------------------------------------------------------------
def _value_text(value: Any) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def point_labels(design: Sequence[Mapping[str, Any]], titles: Mapping[str, str] | None = None) -> dict[int, str]:
    """Point index → the values it sets, for people: ``{0: "seam.height_m = 0.6", …}``.

    ``titles`` gives a shorter name per dotted path; with one varied field only its value
    is named when ``titles`` maps the path to ``""``.
    """
    out = {}
    for i, point in enumerate(design):
        parts = []
        for path, value in point.items():
            name = (titles or {}).get(path, path)
            parts.append(f"{name} = {_value_text(value)}" if name else _value_text(value))
        out[i] = ", ".join(parts)
    return out


def design_summary(design: Sequence[Mapping[str, Any]]) -> str:
    """The values each field of a design takes: ``seam.height_m: 0.6, 0.8, 1.0``."""
    values: dict[str, list[Any]] = {}
    for point in design:
        for path, value in point.items():
            seen = values.setdefault(path, [])
            if value not in seen:
                seen.append(value)
    return "; ".join(f"{path}: {', '.join(_value_text(v) for v in vals)}" for path, vals in values.items())


@dataclass(frozen=True)
class SweepAxis:
    """One varied field: its dotted path and the values it takes."""

    path: str
    values: tuple[Any, ...]


def sweep_values(lo: float, hi: float, n: int, *, integer: bool = False) -> tuple[Any, ...]:
    """``n`` evenly spaced values from ``lo`` to ``hi`` (rounded and de-duplicated for ints)."""
    n = max(1, int(n))
    values = np.linspace(float(lo), float(hi), n) if n > 1 else np.array([float(lo)])
    if integer:
        return tuple(dict.fromkeys(int(round(v)) for v in values))
    return tuple(float(f"{v:.6g}") for v in values)


def sweep_points(
    base: seamsim.Scenario, axes: Sequence[SweepAxis]
) -> tuple[list[seamsim.Scenario], pd.DataFrame]:
    """The full grid of ``axes`` applied to ``base``.

    Returns
    -------
    tuple
        The scenarios (named ``<base>-p<i>``) and a table with one row per point:
        ``scenario`` and one column per axis path.

    Raises
    ------
    seamsim.ScenarioError
        When a point is not a valid scenario (e.g. more production shifts than shifts).
    """
    scenarios, rows = [], []
    for i, combo in enumerate(itertools.product(*(a.values for a in axes))):
        name = f"{base.name[:70]}-p{i:03d}"
        overrides = {a.path: v for a, v in zip(axes, combo, strict=True)}
        scenarios.append(seamsim.apply_overrides(base, {**overrides, "name": name}))
        rows.append({"scenario": name, **overrides})
    return scenarios, pd.DataFrame(rows)


# --------------------------------------------------------------------------------------
# The feasible region
# --------------------------------------------------------------------------------------
FEASIBILITY_LABELS = ("cannot work", "cuts rock or overloads the cable", "works cleanly")
"""Categories of the feasible-region chart, worst first (codes 0, 1, 2): the face cannot be
worked; it works but the machine must cut rock (no spare clearance at the mean seam height)
or the cable carries more than its rating; it cuts coal only within the cable's rating."""


def feasibility_grid(
    bases: Mapping[int, seamsim.Scenario],
    seam_heights_m: Sequence[float],
    cutting_powers_kw: Sequence[float],
) -> pd.DataFrame:
    """Classify every (voltage, seam height, installed cutting power) without simulating.

    Each voltage keeps the machine, cable and everything else of its base scenario; only
    the seam height and the installed cutting power change.

    Returns
    -------
    pandas.DataFrame
        ``supply_voltage_v``, ``seam_height_m``, ``cutting_power_kw``, ``code`` (0 cannot
        work, 1 cuts rock or overloads the cable, 2 works cleanly — see
        :data:`FEASIBILITY_LABELS`), ``category``, ``note`` (the reasons or warnings),
        ``cutting_speed_m_per_min``, ``binding_limit``, ``spare_clearance_mm``,
        ``cable_loading_pct``.
    """
    rows = []
    for voltage, base in bases.items():
        base = seamsim.apply_overrides(base, {"electrical.supply_voltage_v": int(voltage)})
        for h in seam_heights_m:
            for kw in cutting_powers_kw:
                sc = seamsim.apply_overrides(
                    base, {"seam.height_m": float(h), "machine.cutting_power_kw": float(kw)}
                )
                p = seamsim.engineering_picture(sc)
                rock = float(p.get("rock_cut_mm") or 0.0)
                loading = float(p.get("cable_loading_pct") or 0.0)
                if p["status"] != "ok":
                    code, notes = 0, list(p["reasons"])
                elif rock > 0.5 or loading > 100.0:
                    code, notes = 1, list(p["warnings"])
                else:
                    code, notes = 2, list(p["warnings"]) or [
                        f"coal only; the cable carries {loading:.0f} % of its rating"]
                rows.append(
                    {
                        "supply_voltage_v": int(voltage),
                        "seam_height_m": float(h),
                        "cutting_power_kw": float(kw),
                        "code": code,
                        "category": FEASIBILITY_LABELS[code],
                        "note": "; ".join(notes[:2]),
                        "cutting_speed_m_per_min": float(p["cutting_speed_m_per_min"]),
                        "binding_limit": p["binding_limit"],
                        "spare_clearance_mm": float(p["spare_clearance_mm"]),
                        "cable_loading_pct": loading,
                    }
                )
    return pd.DataFrame(rows)
