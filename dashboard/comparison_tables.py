"""Comparisons of scenarios for people: a KPI table with intervals, one sentence per
scenario against the baseline, and the paired differences with their verdicts.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import pandas as pd

import dashboard


def summary_table(summary: pd.DataFrame, kpis: Sequence[str], labels: Mapping[str, str] | None = None,
                  by: str = "scenario") -> pd.DataFrame:
    """Wide table for people: one row per KPI, one column per scenario, ``mean (lo – hi)``
    (the mean alone where the values do not vary, ``mean (n < 5)`` where there are too few)."""
    rows = []
    groups = list(dict.fromkeys(summary[by]))
    for key in kpis:
        part = summary[summary["kpi"] == key].set_index(by)
        if part.empty:
            continue
        k = dashboard.kpi(key)
        row = {"KPI": k.title}
        for g in groups:
            if g not in part.index:
                continue
            m, lo, hi = part.loc[g, ["mean", "lo", "hi"]]
            text = k.format(m)
            method = part.loc[g, "method"] if "method" in part else ""
            if method == "too few":
                text += "  (n < 5: no interval)"
            elif math.isfinite(lo) and not math.isclose(lo, hi, rel_tol=1e-9, abs_tol=1e-9):
                text += f"  ({k.format(lo).split(' ')[0]} – {k.format(hi).split(' ')[0]})"
            row[(labels or {}).get(g, g)] = text
        rows.append(row)
    return pd.DataFrame(rows)


def headline(paired: pd.DataFrame, labels: Mapping[str, str], baseline_label: str,
             kpi: str = "rom_t_per_month", by: str = "scenario") -> list[str]:
    """One sentence per scenario: how much more (or less) it produces than the baseline."""
    k = dashboard.kpi(kpi)
    lines = []
    for _, r in paired[paired["kpi"] == kpi].iterrows():
        name = labels.get(r[by], r[by])
        more = "more" if r["mean"] >= 0 else "less"
        text = (f"**{name}** produces **{k.format(abs(r['mean']))} {more}** than {baseline_label}"
                + (f" ({r['relative']:+.0%})" if math.isfinite(r.get("relative", math.nan)) else ""))
        if r.get("verdict") == "too few":
            text += " (too few replications for an interval: run 5 or more)."
        elif math.isfinite(r["lo"]) and r.get("verdict") not in ("fixed", "same"):
            text += (f"; 95% CI of the paired difference {k.format(r['lo'], signed=True)} to "
                     f"{k.format(r['hi'], signed=True)}.")
        lines.append(text)
    return lines


VERDICTS: dict[str, str] = {
    "fixed": "fixed by the scenarios (does not vary)",
    "same": "no difference",
    "too few": "too few replications (5 or more for an interval)",
    "differs": "a real difference",
    "noise": "not distinguishable from noise",
}
"""What each verdict of the experiment layer's paired summary says to people."""


def paired_table(paired: pd.DataFrame, labels: Mapping[str, str] | None = None, by: str = "scenario") -> pd.DataFrame:
    """Paired differences for people: KPI, scenario, difference (in percentage points for
    shares and percentages) with its 95% CI, the relative change where it means something,
    and a verdict — none for a difference the scenarios fix (a crew of 20 against 6)."""
    rows = []
    for _, r in paired.iterrows():
        k = dashboard.kpi(r["kpi"])
        verdict = r.get("verdict", "")
        ci = (f"{k.format_difference(r['lo'])} to {k.format_difference(r['hi'])}"
              if math.isfinite(r["lo"]) and verdict not in ("fixed", "same") else "—")
        rel = f"{r['relative']:+.0%}" if math.isfinite(r.get("relative", math.nan)) else ""
        rows.append({"KPI": k.title, "scenario": (labels or {}).get(r[by], r[by]),
                     "difference": k.format_difference(r["mean"]), "relative": rel, "95% CI": ci,
                     "verdict": VERDICTS.get(verdict, verdict)})
    return pd.DataFrame(rows)


__all__ = [
    "VERDICTS",
    "headline",
    "paired_table",
    "summary_table",
]
