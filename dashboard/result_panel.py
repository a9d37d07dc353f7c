"""What every result carries on screen: a line with its seed, scenarios, replications, the
seamsim version and the time, and a *Download results (zip)* button (``dashboard.export``).

The zip is built only when the button is pressed (a callable handed to
``st.download_button``), so a page that shows a result pays nothing for it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timezone
from typing import Any

import pandas as pd
import streamlit as st

import seamsim
from dashboard import export

__all__ = ["caption_text", "download_results", "provenance_caption", "settings_download"]


def caption_text(scenarios: Sequence[str], seed: int, replications: int, created_at: datetime | None = None,
                 *, more: str = "") -> str:
    """``seed 0 · scenario a, b · 5 replications · seamsim 0.1.0 · 2026-01-01 10:00 UTC``."""
    when = (created_at or datetime.now(timezone.utc)).astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    names = ", ".join(f"`{n}`" for n in scenarios)
    label = "scenario" if len(scenarios) == 1 else "scenarios"
    parts = [f"seed {int(seed)}", f"{label} {names}", f"{int(replications)} replication{'s' if replications != 1 else ''}"]
    if more:
        parts.append(more)
    parts += [f"seamsim {seamsim.__version__}", when]
    return " · ".join(parts)


def provenance_caption(scenarios: Sequence[str], seed: int, replications: int, created_at: datetime | None = None,
                       *, more: str = "") -> None:
    """Draw the line that says what a result is (see :func:`caption_text`)."""
    st.caption(":material/fingerprint: " + caption_text(scenarios, seed, replications, created_at, more=more))


def download_results(runs: pd.DataFrame, scenarios: Sequence[seamsim.Scenario], *, seed: int, replications: int,
                     page: str, key: str, created_at: datetime | None = None,
                     figures: Callable[[], Mapping[str, Any]] | None = None,
                     extra: Mapping[str, Any] | None = None) -> None:
    """A button that downloads the zip of this result (runs, scenarios, seeds, manifest, charts)."""
    created = created_at or datetime.now(timezone.utc)
    frozen = runs.copy()

    def build() -> bytes:
        return export.results_zip(frozen, list(scenarios), seed=seed, replications=replications, page=page,
                                  created_at=created, figures=figures() if figures else None, extra=extra)

    stamp = created.astimezone(timezone.utc).strftime("%Y%m%d-%H%M%S")
    st.download_button("Download results (zip: runs as Parquet and CSV, scenarios, seeds, manifest, charts)", build,
                       file_name=f"seamsim-{page}-{stamp}.zip", mime="application/zip", key=key,
                       icon=":material/folder_zip:", on_click="ignore")


def settings_download(scenario: seamsim.Scenario, base: seamsim.Scenario, *, extends: str | None, key: str,
                      changes: str = "") -> None:
    """*Download these settings*: only what differs from the preset, under a new name and description.

    ``extends`` is the preset's bundled file name (the file then ``extends:`` it), or ``None``
    for a preset that is not a bundled file (the file is then complete).
    """
    import re

    with st.expander("Download these settings as a scenario file (only what you changed)",
                     icon=":material/download:"):
        c1, c2 = st.columns([1, 2])
        name = c1.text_input("Name of the new scenario", value=f"{base.name[:70]}_mine", key=f"{key}:name",
                             help="Letters, digits, _ . - (other characters become _).")
        title = c2.text_input("Title", value=f"{base.title or base.name} — my settings"[:120], key=f"{key}:title")
        description = st.text_area(
            "Description (what the class should look for)", key=f"{key}:description",
            value=f"Changed from {base.name}: {changes}." if changes else f"The settings of {base.name}.")
        clean = re.sub(r"[^A-Za-z0-9_.-]", "_", name.strip()) or f"{base.name[:70]}_mine"
        text = export.settings_yaml(scenario, base, name=clean, title=title, description=description,
                                    extends=extends)
        st.download_button("Download the scenario file (YAML)", text, file_name=f"{clean}.yaml",
                           mime="application/x-yaml", icon=":material/download:", key=f"{key}:button",
                           on_click="ignore")
        st.caption(f"{'`extends: ' + extends + '`' if extends else 'A complete file (the preset is not a bundled file)'}"
                   " and the changed fields only; upload it on the Scenarios page or put it next to the bundled files.")
