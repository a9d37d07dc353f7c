"""One scenario's results, as text and JSON: outcome, KPI estimates, notes, provenance,
exit status."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any


def _split(values: Sequence[str]) -> list[str]:
    seen: dict[str, None] = {}
    for value in values:
        for item in str(value).split("\n"):
            if item:
                seen[item] = None
    return list(seen)


def scenario_outcome(runs: Any) -> dict[str, Any]:
    """Return ``status``, ``reasons``, ``warnings``, ``errors`` of one scenario's runs.

    ``status`` is ``error`` if any run failed, else ``infeasible`` if any run was, else ``ok``.
    """
    statuses = set(runs["status"])
    status = "error" if "error" in statuses else "infeasible" if "infeasible" in statuses else "ok"
    if not len(runs):
        status = "cancelled"
    return {
        "status": status,
        "reasons": _split(runs["reasons"]),
        "warnings": _split(runs["warnings"]),
        "errors": _split(runs["error"]),
        "runs": int(len(runs)),
        "failed_runs": int((runs["status"] == "error").sum()),
    }


def kpi_estimates(summary: Any, scenario: str, point: int = 0, kpis: Sequence[str] | None = None) -> dict[str, dict]:
    """Return ``{kpi: {"mean", "ci95": [lo, hi], "sd", "half_width", "n"}}`` from a summary."""
    sub = summary[(summary["scenario"] == scenario) & (summary["point"] == point)].set_index("kpi")
    names = list(kpis) if kpis is not None else list(sub.index)
    out = {}
    for kpi in names:
        if kpi not in sub.index:
            continue
        row = sub.loc[kpi]
        out[kpi] = {
            "mean": float(row["mean"]),
            "ci95": [float(row["ci95_lo"]), float(row["ci95_hi"])],
            "sd": float(row["sd"]),
            "half_width": float(row["half_width"]),
            "n": int(row["n"]),
        }
    return out


def _respecting_quantity(entries: dict[str, dict[str, Any]], runs: Any) -> dict[str, dict[str, Any]]:
    """Return the KPIs' entries with the intervals their quantities allow, from the experiment
    layer's :func:`~seamsim.experiment.quantity_intervals.kpi_summary` (the dashboard's too).

    Tonnes, counts and shares cannot be negative: their interval is a percentile bootstrap
    that stays within the values' range; below five replications there is none (``NaN``,
    ``interval`` ``"too few"``); a spare clearance keeps Student's t.
    """
    from seamsim.experiment.quantity_intervals import kpi_summary

    table = kpi_summary(runs, list(entries)).set_index("kpi")
    out = {}
    for kpi, entry in entries.items():
        lo, hi = float(table.at[kpi, "lo"]), float(table.at[kpi, "hi"])
        half = (hi - lo) / 2.0 if math.isfinite(lo) and math.isfinite(hi) else math.nan
        out[kpi] = {**entry, "ci95": [lo, hi], "half_width": half, "interval": table.at[kpi, "method"]}
    return out


def run_entry(experiment: Any, name: str, kpis: Sequence[str] | None = None) -> dict[str, Any]:
    """Return the JSON entry of one scenario of an experiment (``seamsim run --json``)."""
    from seamsim.experiment.runner import MAIN_KPIS

    runs = experiment.runs[experiment.runs["scenario"] == name]
    outcome = scenario_outcome(runs)
    summary = experiment.summary
    means = kpi_estimates(summary, name)
    scenario = experiment.scenarios[name]
    return {
        "scenario": name,
        "title": scenario.title,
        "replications": len(experiment.replications),
        "seed": experiment.seed,
        "days": experiment.days if experiment.days is not None else scenario.run.days,
        "status": outcome["status"],
        "reasons": outcome["reasons"],
        "warnings": outcome["warnings"],
        "errors": outcome["errors"],
        "failed_runs": outcome["failed_runs"],
        "kpis": _respecting_quantity({k: means[k] for k in (kpis or MAIN_KPIS) if k in means}, runs),
        "time_in_state_h": {
            k.removeprefix("time_").removesuffix("_h"): v["mean"]
            for k, v in means.items()
            if k.startswith("time_") and k.endswith("_h")
        },
        "limit_share": {
            k.removeprefix("limit_share_"): v["mean"] for k, v in means.items() if k.startswith("limit_share_")
        },
    }


def notes_lines(entry: Mapping[str, Any]) -> list[str]:
    """Return the reasons, errors and warnings of a run entry as text lines."""
    lines: list[str] = []
    for heading, key in (("Why it cannot work", "reasons"), ("Failed runs", "errors"), ("Warnings", "warnings")):
        items = list(entry.get(key) or [])
        if items:
            if key == "errors":
                heading += f" ({entry.get('failed_runs', len(items))} of them)"
            lines += ["", heading, *[f"  - {item}" for item in items]]
    return lines


def provenance_json(experiment: Any) -> dict[str, Any] | None:
    """Return the provenance record of an experiment for ``--json``: the manifest's
    ``provenance`` with its ``environment`` (see :mod:`seamsim.experiment.provenance`)."""
    if experiment is None:
        return None
    manifest = experiment.manifest
    record = manifest.get("provenance")
    return None if record is None else {**record, "environment": manifest.get("environment")}


def exit_status(statuses: Sequence[str]) -> int:
    """0 when every status is ``ok``, else 1 (infeasible or failed)."""
    return 0 if all(s == "ok" for s in statuses) else 1
