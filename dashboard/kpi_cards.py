"""A result shown in Streamlit: KPI cards with their 95% intervals and the change from a
baseline, and the reasons a face cannot work and the warnings, in plain words.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd
import streamlit as st

import dashboard
from dashboard import glossary


def show_notes(status: str, reasons: Sequence[str], warnings: Sequence[str]) -> None:
    """Reasons a face cannot work (error) and warnings (close to a limit), in plain words."""
    if status != "ok" and reasons:
        st.error("**This face cannot be worked:**\n" + "\n".join(f"- {r}" for r in reasons), icon=":material/block:")
    elif status != "ok":
        st.error("**This face cannot be worked.**", icon=":material/block:")
    if warnings:
        st.warning("**Watch out:**\n" + "\n".join(f"- {w}" for w in warnings), icon=":material/warning:")


def kpi_cards(runs: pd.DataFrame, keys: Sequence[str] = dashboard.HEADLINE_KPIS,
              baseline: pd.DataFrame | None = None, baseline_label: str = "the preset") -> None:
    """One metric card per KPI: the mean over replications, its 95% interval below (the
    experiment layer's, fit for the quantity; none below five replications), and the change
    from ``baseline`` (the preset as loaded) when the settings differ from it — in
    percentage points for shares and percentages."""
    per_row = 3 if len(keys) > 4 else len(keys)
    cols = [c for start in range(0, len(keys), per_row) for c in st.columns(per_row)][: len(keys)]
    summary = dashboard.summarize(runs.assign(_all=0), list(keys), by="_all").set_index("kpi")
    base = (dashboard.summarize(baseline.assign(_all=0), list(keys), by="_all").set_index("kpi")
            if baseline is not None else None)
    for col, key in zip(cols, keys, strict=True):
        k = dashboard.kpi(key)
        row = summary.loc[key] if key in summary.index else None
        mean = float(row["mean"]) if row is not None else math.nan
        delta, color = None, "normal" if k.higher_is_better is not False else "inverse"
        if base is not None and key in base.index:
            base_mean = float(base.loc[key, "mean"])
            if all(map(math.isfinite, (mean, base_mean))) and not math.isclose(mean, base_mean, rel_tol=1e-9, abs_tol=1e-9):
                text = k.format_difference(mean - base_mean)
                if not any(ch in "123456789" for ch in text.split(" ")[0]):  # rounds to zero: no arrow, no colour
                    color = "off"
                delta = f"{text} vs {baseline_label}"
        with col:
            st.metric(k.label, k.format(mean), delta=delta, delta_color=color if k.higher_is_better is not None else "off",
                      border=True, help=glossary.kpi_help(key))
            if row is not None:
                st.caption(interval_caption(k, row))


def interval_caption(k: dashboard.Kpi, row: Mapping[str, Any]) -> str:
    """The line under a KPI: its 95% interval, or why there is none."""
    n = int(row["n"])
    if row["method"] == "fixed":
        return f"the same in all {n} replications"
    if row["method"] == "too few":
        return f"{n} replication{'s' if n != 1 else ''}: too few for an interval (5 or more)" if n else "no result"
    how = " (bootstrap)" if row["method"] == "bootstrap" else ""
    return f"95% CI{how} {k.format(row['lo']).rsplit(' ', 1)[0]} – {k.format(row['hi'])} · {n} replications"


__all__ = [
    "interval_caption",
    "kpi_cards",
    "show_notes",
]
