"""The "Why 3,300 V?" story without Streamlit: one face at two supply voltages, step by step.

A face (one of the article's scenarios) is put at 1,140 V and at 3,300 V with the machine
height derived from power and voltage (``machine.height_mode: derived``). Each state is
judged by the public ``seamsim.engineering_picture``, whose ``chain`` walks the article's
causal chain in the model's own numbers: supply voltage → current → the cable the machine
is built for → start dip → machine height → spare clearance → rock per pass → speed →
picks → jams → tonnes a web. :func:`chain_rows` sets the two chains side by side with the
change from one to the other; :func:`month_rows` adds what a short simulation of each
state gives over a month.

The trailing cable laid to the face must carry the current: at the file's own voltage the
file's cable is kept (the article's 1,140 V face ran its cable hot, and that is part of
the story); at the other voltage the file's cable is kept when it carries the design
current, otherwise the smallest standard cable (cross-section × number) that does is laid
(:func:`trailing_cable_for`), and the page says so.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import get_args

import pandas as pd

import seamsim
from dashboard.kpis import kpi
from dashboard.library import ARTICLE_AFTER, ARTICLE_BEFORE, scenario_dir

__all__ = [
    "BUILT_FOR_1140V",
    "START_FILES",
    "VOLTAGES_V",
    "ChainRow",
    "VoltageState",
    "chain_rows",
    "delta_text",
    "month_rows",
    "start_scenario",
    "state_at",
    "trailing_cable_for",
]

VOLTAGES_V: tuple[int, ...] = (1140, 3300)
"""The supply voltages the scenario schema allows [V]."""

BUILT_FOR_1140V = "whatif_after_machine_built_for_1140v"
START_FILES: tuple[str, ...] = (ARTICLE_AFTER, BUILT_FOR_1140V, ARTICLE_BEFORE)
"""The article's scenarios the page starts from (bundled file names, without ``.yaml``)."""

CABLE_CSAS_MM2: tuple[int, ...] = tuple(sorted(get_args(seamsim.Scenario.model_fields["electrical"].annotation
                                                        .model_fields["cable_csa_mm2"].annotation)))
"""The standard trailing-cable cross-sections of the schema [mm²], smallest first."""

MOST_CABLES = int(next(m.le for m in seamsim.Scenario.model_fields["electrical"].annotation
                       .model_fields["cable_count"].metadata if getattr(m, "le", None) is not None))
"""The most trailing cables in parallel the schema allows."""

FULL_LOAD_PCT = 100.0
"""A cable carries its current when its loading (design current / derated rating) is at most this [%]."""

LOWER_IS_BETTER: frozenset[str] = frozenset({
    "rated_current_a", "cable_csa_mm2", "start_dip_pct", "machine_height_mm", "rock_cut_mm",
    "worn_picks_per_web", "jam_seam_height_mm", "trailing_cable_loading_pct",
})
"""Chain keys where less is better for the face (more is better for the others but the voltage)."""

NEUTRAL: frozenset[str] = frozenset({"supply_voltage_v"})

MONTH_KPIS: tuple[str, ...] = ("jams", "picks_per_kt_coal", "running_ratio", "coal_t_per_month", "rom_t_per_month")
"""What the short simulation adds below the chain, in order."""


def start_scenario(name: str, *, seam_height_m: float | None = None,
                   cutting_power_kw: float | None = None) -> seamsim.Scenario:
    """The bundled scenario ``name`` with a derived machine height and the page's face levers.

    Raises
    ------
    seamsim.ScenarioError
        When the file does not load or a lever is out of its bounds.
    """
    overrides: dict[str, object] = {"machine.height_mode": "derived"}
    if seam_height_m is not None:
        overrides["seam.height_m"] = float(seam_height_m)
    if cutting_power_kw is not None:
        overrides["machine.cutting_power_kw"] = float(cutting_power_kw)
    return seamsim.load_scenario(scenario_dir() / f"{name}.yaml", overrides=overrides)


@dataclass(frozen=True)
class VoltageState:
    """One face at one supply voltage, judged by ``seamsim.engineering_picture``."""

    voltage_v: int
    scenario: seamsim.Scenario
    picture: dict
    cable_note: str
    """The trailing cable laid, in words (and why when it is not the file's)."""

    @property
    def feasible(self) -> bool:
        """Whether the face can be worked at all."""
        return self.picture.get("status") == "ok"


def _cable_text(csa_mm2: int, count: int) -> str:
    return f"{count} × 3×{csa_mm2} mm²" if count > 1 else f"3×{csa_mm2} mm²"


def _carries(picture: Mapping) -> bool:
    loading = picture.get("cable_loading_pct")
    return picture.get("status") == "ok" and loading is not None and loading <= FULL_LOAD_PCT


def trailing_cable_for(scenario: seamsim.Scenario, voltage_v: int) -> tuple[seamsim.Scenario, str]:
    """``scenario`` at ``voltage_v`` with a trailing cable that carries its current.

    The file's own cable is kept at the file's own voltage, and at the other voltage when
    it carries the design current (loading at most 100 %); otherwise the smallest standard
    cable (least copper, then fewest cables) that does. When none does, the one with the
    least loading, and the face's own reasons say why it cannot be worked.

    Returns
    -------
    (Scenario, str)
        The scenario and the cable in words, e.g. ``"3×50 mm² (as in the file)"``.
    """
    own_v = int(scenario.electrical.supply_voltage_v)
    own = (int(scenario.electrical.cable_csa_mm2), int(scenario.electrical.cable_count))
    at_v = seamsim.apply_overrides(scenario, {"electrical.supply_voltage_v": int(voltage_v)})
    if int(voltage_v) == own_v:
        return at_v, f"{_cable_text(*own)} (as in the file)"
    if _carries(seamsim.engineering_picture(at_v)):
        return at_v, f"{_cable_text(*own)} (as in the file; it carries the current at {int(voltage_v):,} V)"
    candidates = sorted(((csa, n) for csa in CABLE_CSAS_MM2 for n in range(1, MOST_CABLES + 1)),
                        key=lambda c: (c[0] * c[1], c[1]))
    best: tuple[float, seamsim.Scenario, tuple[int, int]] | None = None
    for csa, n in candidates:
        sc = seamsim.apply_overrides(at_v, {"electrical.cable_csa_mm2": csa, "electrical.cable_count": n})
        picture = seamsim.engineering_picture(sc)
        if _carries(picture):
            return sc, (f"{_cable_text(csa, n)} (the file's {_cable_text(*own)} cannot carry the current at "
                        f"{int(voltage_v):,} V: the smallest standard cable that does)")
        loading = picture.get("cable_loading_pct") or math.inf
        if best is None or loading < best[0]:
            best = (loading, sc, (csa, n))
    assert best is not None
    return best[1], (f"{_cable_text(*best[2])} (no standard cable carries the current at {int(voltage_v):,} V; "
                     "this one comes closest)")


def state_at(scenario: seamsim.Scenario, voltage_v: int) -> VoltageState:
    """The face of ``scenario`` at ``voltage_v`` with a cable for it (:func:`trailing_cable_for`)."""
    if int(voltage_v) not in VOLTAGES_V:
        raise ValueError(f"supply voltage must be one of {', '.join(f'{v:,}' for v in VOLTAGES_V)} V, got {voltage_v}")
    sc, note = trailing_cable_for(scenario, int(voltage_v))
    return VoltageState(int(voltage_v), sc, dict(seamsim.engineering_picture(sc)), note)


@dataclass(frozen=True)
class ChainRow:
    """One step of the story with both states and the change between them."""

    key: str
    step: str
    left: str
    right: str
    left_why: str = ""
    right_why: str = ""
    delta: str = ""
    """The change from left to right in words (``−282 A (−65 %)``), empty when none."""
    better: bool | None = None
    """``True`` when the right-hand state is better on this step, ``False`` worse, ``None`` neither."""


_DECIMALS = {"V": 0, "A": 0, "mm²": 0, "%": 1, "mm": 0, "m/min": 2, "picks": 2, "t": 1, "t/month": 0}


def delta_text(left: float | None, right: float | None, unit: str) -> str:
    """The change from ``left`` to ``right`` in ``unit``, with the relative change.

    A change of a percentage is in percentage points (``+5.4 points``), never in %.
    Returns ``"no change"`` when the two are equal at the shown precision and ``""``
    when either is missing.
    """
    if left is None or right is None or not (math.isfinite(left) and math.isfinite(right)):
        return ""
    decimals = _DECIMALS.get(unit, 2)
    change = round(right - left, decimals)
    if change == 0:
        return "no change"
    number = f"{change:+,.{decimals}f}".replace("-", "−")
    if unit == "%":
        return f"{number} percentage points"
    text = f"{number} {unit}"
    if left != 0 and unit not in ("mm",) and abs(left) > 1e-9:
        text += f" ({(right - left) / abs(left):+.0%})".replace("-", "−")
    return text


def _better(key: str, left: float | None, right: float | None) -> bool | None:
    if key in NEUTRAL or left is None or right is None or math.isclose(left, right, rel_tol=1e-6, abs_tol=1e-6):
        return None
    return (right < left) if key in LOWER_IS_BETTER else (right > left)


def chain_rows(left: VoltageState, right: VoltageState) -> list[ChainRow]:
    """The article's chain of both states, step by step, with the trailing cable after the current.

    Steps are matched by their ``key`` (a step one state lacks shows ``—``).
    """
    lchain = {link["key"]: link for link in left.picture.get("chain", [])}
    rchain = {link["key"]: link for link in right.picture.get("chain", [])}
    order = list(dict.fromkeys([*lchain, *rchain]))
    rows: list[ChainRow] = []
    for key in order:
        a, b = lchain.get(key), rchain.get(key)
        link = a or b
        unit = link["unit"]
        na, nb = (a or {}).get("number"), (b or {}).get("number")
        delta, better = delta_text(na, nb, unit), _better(key, na, nb)
        if key == "coal_t_per_web":  # the coal of a web is the seam's; what changes is the rock cut with it
            ra, rb = left.picture.get("rock_tonnes_per_web"), right.picture.get("rock_tonnes_per_web")
            rock = delta_text(ra, rb, "t").split(" (")[0]
            if delta == "no change" and rock not in ("", "no change"):
                delta, better = f"the same coal, {rock} of rock", _better("rock_cut_mm", ra, rb)
        rows.append(ChainRow(key=key, step=link["step"], left=(a or {}).get("value", "—"),
                             right=(b or {}).get("value", "—"), left_why=(a or {}).get("why", ""),
                             right_why=(b or {}).get("why", ""), delta=delta, better=better))
        if key == "rated_current_a":
            la, lb = left.picture.get("cable_loading_pct"), right.picture.get("cable_loading_pct")
            rows.append(ChainRow(
                key="trailing_cable_loading_pct", step="trailing cable to the face",
                left=f"{left.cable_note.split(' (')[0]}, loaded {la:,.0f} %" if la is not None else left.cable_note,
                right=f"{right.cable_note.split(' (')[0]}, loaded {lb:,.0f} %" if lb is not None else right.cable_note,
                left_why=_cable_why(left.cable_note), right_why=_cable_why(right.cable_note),
                delta=delta_text(la, lb, "%"), better=_better("trailing_cable_loading_pct", la, lb)))
    return rows


def _cable_why(note: str) -> str:
    head, _, rest = note.partition(" (")
    return rest.rstrip(")") if rest else ""


def month_rows(left_runs: pd.DataFrame, right_runs: pd.DataFrame, *, days: float, left_ok: bool = True,
               right_ok: bool = True, keys: Sequence[str] = MONTH_KPIS) -> list[ChainRow]:
    """What the simulation of each state gives: the mean over the replications of ``days`` days.

    A state that cannot be worked shows ``cannot be worked`` instead of numbers.
    """
    steps = {"jams": f"jams in {days:g} days", "picks_per_kt_coal": "picks worn per 1,000 t of coal",
             "running_ratio": "running ratio (share of the time cutting)",
             "coal_t_per_month": "coal a month", "rom_t_per_month": "run-of-mine a month"}
    rows = []
    for key in keys:
        k = kpi(key)
        means = []
        for runs, ok in ((left_runs, left_ok), (right_runs, right_ok)):
            mean = float(pd.to_numeric(runs[key], errors="coerce").mean()) if ok and key in runs and len(runs) else math.nan
            means.append(mean if math.isfinite(mean) else None)
        texts = [k.format(m) if m is not None else ("cannot be worked" if not ok else "—")
                 for m, ok in zip(means, (left_ok, right_ok), strict=True)]
        unit = "%" if k.unit == "%" else (k.unit or "")
        scaled = [m * k.scale if m is not None else None for m in means]
        delta = delta_text(*scaled, unit) if unit else _count_delta(*scaled, decimals=_fmt_decimals(k.fmt))
        better = None
        if k.higher_is_better is not None and None not in scaled and not math.isclose(scaled[0], scaled[1]):
            better = (scaled[1] > scaled[0]) == bool(k.higher_is_better)
        rows.append(ChainRow(key=key, step=steps.get(key, k.label.lower()),
                             left=texts[0], right=texts[1], delta=delta, better=better))
    return rows


def _fmt_decimals(fmt: str) -> int:
    """Decimals of a format spec: ``".1f"`` → 1, ``",.0f"`` → 0."""
    digits = fmt.rsplit(".", 1)[-1].rstrip("f") if "." in fmt else "0"
    return int(digits) if digits.isdigit() else 1


def _count_delta(left: float | None, right: float | None, *, decimals: int = 1) -> str:
    if left is None or right is None:
        return ""
    change = round(right - left, decimals)
    if change == 0:
        return "no change"
    return f"{change:+,.{decimals}f}".replace("-", "−")
