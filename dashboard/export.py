"""Downloads a researcher can use: one zip of a result, and a settings file of only what changed.

:func:`results_zip` packs a result as it was computed — per-replication rows (Parquet and
CSV, raw numbers, nothing formatted), the resolved scenario file of every scenario, the
seed of every replication, a ``manifest.json`` (seamsim version, seed, replications, time,
files) and the charts (PNG when ``kaleido`` is installed, else one standalone HTML file with
plotly.js inside, so it opens with no network).

:func:`settings_yaml` writes the settings changed from a preset as a scenario file: a new
``name``, ``title`` and ``description``, ``extends:`` the preset's file when it is a bundled
one (the loader resolves it next to the bundled files and for uploads), and only the fields
that differ.

No Streamlit here: tested on its own.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Mapping, Sequence
from datetime import datetime, timezone
from typing import Any

import pandas as pd

import seamsim

__all__ = [
    "ZIP_README",
    "changed_fields",
    "chart_files",
    "raw_runs",
    "results_zip",
    "seeds_table",
    "settings_yaml",
]

ZIP_README = """\
A result of the seamsim dashboard.

runs.parquet, runs.csv   one row per run (scenario, design point, replication), every KPI
                         as computed: raw numbers in the units of the column name
scenarios/*.yaml         every scenario as resolved (all fields), loadable by seamsim
seeds.csv                the seed of every replication: numpy SeedSequence(seed,
                         spawn_key=(replication,)); the same seed gives the same run
manifest.json            seamsim version, page, seed, replications, time, files
charts/                  the charts (PNG, or charts.html that opens without a network)

Re-run a scenario with:  seamsim run scenarios/<name>.yaml --seed <seed> --replications <n>
"""


def raw_runs(runs: pd.DataFrame) -> pd.DataFrame:
    """The runs table as stored: numbers untouched, list cells (reasons, warnings) joined as text."""
    out = runs.reset_index(drop=True).copy()
    for col in out.columns:
        if out[col].dtype == object:
            out[col] = [("; ".join(map(str, v)) if isinstance(v, list | tuple) else v) for v in out[col]]
            if not all(v is None or isinstance(v, str) for v in out[col]):
                out[col] = out[col].astype(str)
    return out


def seeds_table(runs: pd.DataFrame, seed: int) -> pd.DataFrame:
    """One row per (scenario, replication): the experiment seed and the replication's spawn key."""
    cols = [c for c in ("scenario", "replication") if c in runs]
    table = runs[cols].drop_duplicates().reset_index(drop=True) if cols else pd.DataFrame()
    table["experiment_seed"] = int(seed)
    if "replication" in table:
        table["spawn_key"] = [f"({int(r)},)" for r in table["replication"]]
    return table


def chart_files(figures: Mapping[str, Any]) -> dict[str, bytes]:
    """The charts as files: ``charts/<name>.png`` with kaleido, else one standalone ``charts/charts.html``."""
    if not figures:
        return {}
    try:
        import kaleido  # noqa: F401 - only whether it is there

        return {f"charts/{name}.png": fig.to_image(format="png", width=1200, height=700, scale=1)
                for name, fig in figures.items()}
    except Exception:  # noqa: BLE001 - no kaleido (or no browser for it): HTML, which needs neither
        parts = []
        for i, (name, fig) in enumerate(figures.items()):
            parts.append(f"<h2>{name}</h2>")
            parts.append(fig.to_html(full_html=False, include_plotlyjs=i == 0))
        page = ("<!doctype html><html><head><meta charset='utf-8'><title>seamsim charts</title></head><body>"
                + "\n".join(parts) + "</body></html>")
        return {"charts/charts.html": page.encode("utf-8")}


def results_zip(runs: pd.DataFrame, scenarios: Sequence[seamsim.Scenario], *, seed: int, replications: int,
                page: str, created_at: datetime | None = None, figures: Mapping[str, Any] | None = None,
                extra: Mapping[str, Any] | None = None) -> bytes:
    """Return a zip of one result: runs (Parquet, CSV), scenarios, seeds, manifest and charts.

    Parameters
    ----------
    runs : DataFrame
        One row per run, as computed.
    scenarios : sequence of Scenario
        The scenarios run (each written in full to ``scenarios/<name>.yaml``).
    seed, replications : int
        The experiment seed and the replications per scenario (or point).
    page : str
        The dashboard page that computed it.
    created_at : datetime, optional
        When it was computed (now).
    figures : mapping, optional
        Chart name → plotly figure.
    extra : mapping, optional
        More for the manifest (a sweep's design, the preset…).

    Returns
    -------
    bytes
        The zip file.
    """
    from dashboard.library import scenario_yaml

    created = (created_at or datetime.now(timezone.utc)).isoformat(timespec="seconds")
    table = raw_runs(runs)
    files: dict[str, bytes] = {}
    buffer = io.BytesIO()
    table.to_parquet(buffer, index=False)
    files["runs.parquet"] = buffer.getvalue()
    files["runs.csv"] = table.to_csv(index=False).encode("utf-8")
    for sc in scenarios:
        files[f"scenarios/{sc.name}.yaml"] = scenario_yaml(sc).encode("utf-8")
    files["seeds.csv"] = seeds_table(table, seed).to_csv(index=False).encode("utf-8")
    files.update(chart_files(figures or {}))
    files["README.txt"] = ZIP_README.encode("utf-8")
    manifest = {
        "seamsim_version": seamsim.__version__, "page": page, "seed": int(seed), "replications": int(replications),
        "created_at": created, "scenarios": [sc.name for sc in scenarios], "rows": int(len(table)),
        "columns": list(map(str, table.columns)), "files": sorted([*files, "manifest.json"]),
        "seeding": "replication i of every scenario: numpy SeedSequence(seed, spawn_key=(i,))",
        **dict(extra or {}),
    }
    files["manifest.json"] = json.dumps(manifest, indent=2, default=str).encode("utf-8")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name in sorted(files):
            zf.writestr(name, files[name])
    return out.getvalue()


def changed_fields(scenario: seamsim.Scenario, base: seamsim.Scenario) -> dict[str, Any]:
    """Nested ``section → field → value`` of every setting of ``scenario`` that differs from ``base``."""
    new, old = scenario.model_dump(mode="json"), base.model_dump(mode="json")

    def diff(a: Mapping[str, Any], b: Mapping[str, Any]) -> dict[str, Any]:
        out = {}
        for key, value in a.items():
            other = b.get(key)
            if isinstance(value, Mapping) and isinstance(other, Mapping):
                sub = diff(value, other)
                if sub:
                    out[key] = sub
            elif value != other:
                out[key] = value
        return out

    sections = {k: v for k, v in new.items() if isinstance(v, Mapping)}
    return diff(sections, old)


def settings_yaml(scenario: seamsim.Scenario, base: seamsim.Scenario, *, name: str, title: str, description: str,
                  extends: str | None = None) -> str:
    """A scenario file of only what ``scenario`` changes from ``base``, under a new name.

    With ``extends`` (the preset's bundled file name) the file ``extends:`` it and lists only
    the changed fields; without, it lists the preset's full settings once more would be
    needed, so the changed fields are written on top of a complete copy of ``base``.
    """
    import yaml

    changes = changed_fields(scenario, base)
    head: dict[str, Any] = {}
    if extends:
        head["extends"] = extends
        body = changes
    else:
        body = {k: v for k, v in scenario.model_dump(mode="json").items() if isinstance(v, Mapping)}
    head.update({"name": name, "title": title, "description": description})
    text = yaml.safe_dump({**head, **body}, sort_keys=False, allow_unicode=True, width=100)
    note = (f"# Written by the seamsim dashboard: {len(_leaves(changes))} setting(s) changed from "
            f"{base.name}" + (f" ({extends})" if extends else "") + ".\n")
    return note + text


def _leaves(tree: Mapping[str, Any]) -> list[Any]:
    out = []
    for value in tree.values():
        out.extend(_leaves(value) if isinstance(value, Mapping) else [value])
    return out
