"""The sensitivity analysis of a stored sweep, kept beside its runs (``seamsim analyse DIR``).

:func:`analyse` reads a Sobol or Morris experiment from its output directory, computes the
indices with their bootstrap intervals (:func:`~.sensitivity_analysis.sensitivity`) and the
convergence table over growing prefixes of the design
(:func:`~.sensitivity_analysis.sensitivity_convergence`), and writes into the directory::

    DIR/indices.csv        one row per scenario, KPI and field (and field pair, second order)
    DIR/indices.json       the same, with the convergence table, how they were computed and
                           the experiment's provenance
    DIR/convergence.csv    the indices on the first N/8, N/4, N/2 and N base samples
    DIR/indices.png        the indices with their 95 % intervals, and their convergence
    DIR/indices.svg        the same figure as a vector drawing (for a paper)

Each file is written under a temporary name and moved into place. The figure is drawn with
matplotlib (installed with SALib) on its file-only backend: no display, no network.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from seamsim.experiment.sensitivity_analysis import sensitivity, sensitivity_convergence
from seamsim.experiment.stored import load_experiment

__all__ = ["ANALYSIS_FILES", "SensitivityReport", "analyse", "plot_indices"]

ANALYSIS_FILES = ("indices.csv", "indices.json", "convergence.csv", "indices.png", "indices.svg")
"""The files :func:`analyse` writes into an experiment's directory."""


@dataclass
class SensitivityReport:
    """What :func:`analyse` computed and wrote.

    Attributes
    ----------
    indices : DataFrame
        :func:`~.sensitivity_analysis.sensitivity` of every KPI asked for.
    convergence : DataFrame
        :func:`~.sensitivity_analysis.sensitivity_convergence` of every KPI asked for.
    files : dict of str to Path
        The files written, by name.
    design : str
        ``sobol`` or ``morris``.
    """

    indices: pd.DataFrame
    convergence: pd.DataFrame
    design: str
    files: dict[str, Path] = field(default_factory=dict)


def analyse(
    out: str | os.PathLike[str],
    kpi: str | Sequence[str] = "rom_t_per_month",
    *,
    scenario: str | None = None,
    num_resamples: int = 1000,
    seed: int | None = None,
    write: bool = True,
) -> SensitivityReport:
    """Compute the sensitivity indices of a stored Sobol or Morris sweep and write them beside it.

    Parameters
    ----------
    out : path-like
        The sweep's output directory.
    kpi : str or sequence of str, optional
        The KPI(s) analysed (``rom_t_per_month``).
    scenario : str, optional
        Analyse this scenario only (default: every one).
    num_resamples : int, optional
        Bootstrap resamples of the intervals.
    seed : int, optional
        Seed of the bootstrap; default the experiment's seed, so that the numbers equal those
        ``seamsim sweep`` printed when the sweep finished.
    write : bool, optional
        Write the files (see the module notes); ``False`` only computes.

    Returns
    -------
    SensitivityReport

    Raises
    ------
    StoreError
        ``out`` is not an experiment's directory or is damaged.
    ValueError
        The design is not Sobol or Morris, a KPI is unknown, or a point has no value (an
        interrupted sweep: ``--resume`` completes it).
    """
    experiment = load_experiment(out)
    kind = experiment.design.kind
    if kind not in ("sobol", "morris"):
        raise ValueError(
            f"{out} holds a {kind} design: analyse computes Sobol and Morris indices "
            "(run the sweep with --design sobol or --design morris)"
        )
    kpis = [kpi] if isinstance(kpi, str) else list(dict.fromkeys(kpi))
    boot_seed = experiment.seed if seed is None else int(seed)
    options = {"scenario": scenario, "num_resamples": num_resamples, "seed": boot_seed}
    indices = pd.concat([sensitivity(experiment, k, **options) for k in kpis], ignore_index=True)
    convergence = pd.concat([sensitivity_convergence(experiment, k, **options) for k in kpis], ignore_index=True)
    report = SensitivityReport(indices, convergence, kind)
    if write:
        report.files = _write(Path(out), experiment, report, num_resamples, boot_seed)
    return report


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Return the rows of ``frame`` as dicts, NaN (an index a row does not have) as ``None``."""
    return [
        {k: (None if isinstance(v, float) and not math.isfinite(v) else v) for k, v in row.items()}
        for row in frame.to_dict(orient="records")
    ]


def _atomic(path: Path, write: Any) -> Path:
    """Write ``path`` through ``write(tmp)`` and a move into place; return ``path``."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        write(tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


def _write(root: Path, experiment: Any, report: SensitivityReport, num_resamples: int, seed: int) -> dict[str, Path]:
    from seamsim.experiment.sensitivity_analysis import CONVERGENCE_FRACTIONS

    manifest = experiment.manifest
    design = experiment.design
    payload = {
        "design": {"kind": design.kind, "fields": list(design.fields), "points": len(design),
                   "ranges": {k: list(v) for k, v in design.ranges.items()},
                   "options": dict(design.options)},
        "replications": len(experiment.replications),
        "seed": experiment.seed,
        "status": manifest.get("status"),
        "analysis": {
            "on": "replication means of each design point",
            "interval": "95 %: estimate ± 1.96 sd of a bootstrap over base samples and replications",
            "num_resamples": int(num_resamples),
            "bootstrap_seed": int(seed),
            "convergence_fractions": list(CONVERGENCE_FRACTIONS),
        },
        "provenance": manifest.get("provenance"),
        "indices": _records(report.indices),
        "convergence": _records(report.convergence),
    }
    files = {
        "indices.csv": _atomic(root / "indices.csv", lambda p: report.indices.to_csv(p, index=False)),
        "convergence.csv": _atomic(root / "convergence.csv", lambda p: report.convergence.to_csv(p, index=False)),
        "indices.json": _atomic(
            root / "indices.json",
            lambda p: p.write_text(json.dumps(payload, indent=2, ensure_ascii=False, default=str) + "\n",
                                   encoding="utf-8"),
        ),
    }
    figure = plot_indices(report.indices, report.convergence, report.design)
    try:
        for suffix in ("png", "svg"):
            name = f"indices.{suffix}"
            files[name] = _atomic(root / name, lambda p, s=suffix: figure.savefig(p, format=s, dpi=150))
    finally:
        import matplotlib.pyplot as plt

        plt.close(figure)
    return files


# --------------------------------------------------------------------------------------
# The figure
# --------------------------------------------------------------------------------------
def plot_indices(indices: pd.DataFrame, convergence: pd.DataFrame, kind: str) -> Any:
    """Return a matplotlib figure: the indices with 95 % intervals, and their convergence.

    One row per scenario and KPI. Left: S1 and ST per field (Sobol) or μ* and σ per field
    (Morris), each with its interval. Right: ST (Sobol) or μ* (Morris) against the base
    samples used, with its interval as a band.
    """
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    main = indices[indices["field"].str.contains(" × ", regex=False) == False]  # noqa: E712 - a Series
    blocks = list(main.groupby(["scenario", "kpi"], sort=False))
    height_in = 0.5 * max(5, main["field"].nunique()) + 0.6
    fig, axes = plt.subplots(len(blocks), 2, figsize=(12, height_in * len(blocks)), squeeze=False,
                             gridspec_kw={"width_ratios": [1.3, 1]})
    fig.subplots_adjust(left=0.2, right=0.98, bottom=0.6 / fig.get_figheight(),
                        top=1 - 0.35 / fig.get_figheight(), wspace=0.18, hspace=1.3 / height_in)
    first, second = ("S1", "ST") if kind == "sobol" else ("mu_star", "sigma")
    labels = {"S1": "first order S1", "ST": "total order ST", "mu_star": "μ*", "sigma": "σ"}
    for row, ((scenario, kpi), table) in enumerate(blocks):
        left, right = axes[row]
        fields = list(table["field"])
        y = np.arange(len(fields))
        for offset, index, color in ((-0.17, first, "#1f77b4"), (0.17, second, "#d62728")):
            value = table[index].to_numpy(dtype=float)
            lo = table.get(f"{index}_ci95_lo", pd.Series(value)).to_numpy(dtype=float)
            hi = table.get(f"{index}_ci95_hi", pd.Series(value)).to_numpy(dtype=float)
            left.errorbar(value, y + offset, xerr=[value - lo, hi - value], fmt="o", color=color,
                          capsize=3, label=labels[index])
        left.axvline(0, color="0.6", lw=0.8)
        left.set_yticks(y, [_short(f) for f in fields])
        left.invert_yaxis()
        left.set_title(f"{scenario} · {kpi}: {'Sobol indices' if kind == 'sobol' else 'Morris screening'} (95 % CI)",
                       fontsize=9)
        left.legend(fontsize=8, loc="lower right")
        tracked = second if kind == "sobol" else first
        conv = convergence[(convergence["scenario"] == scenario) & (convergence["kpi"] == kpi)
                           & convergence["field"].isin(fields)]
        for name, series in conv.groupby("field", sort=False):
            n = series["base_samples"].to_numpy()
            value = series[tracked].to_numpy(dtype=float)
            line = right.plot(n, value, marker="o", label=_short(name))[0]
            right.fill_between(n, series[f"{tracked}_ci95_lo"], series[f"{tracked}_ci95_hi"],
                               color=line.get_color(), alpha=0.15)
        if kind == "sobol":  # the smallest prefixes can swing far: keep the scale of an index
            last = conv[conv["base_samples"] == conv["base_samples"].max()]
            low = min(0.0, float(np.nanmin(last[f"{tracked}_ci95_lo"], initial=0.0))) - 0.1
            high = max(1.0, float(np.nanmax(last[f"{tracked}_ci95_hi"], initial=1.0))) + 0.1
            right.set_ylim(max(low, -1.0), min(high, 2.0))
        right.set_xscale("log", base=2)
        sizes = sorted(conv["base_samples"].unique())
        right.set_xticks(sizes, [str(int(n)) for n in sizes])
        right.minorticks_off()
        right.set_xlabel("base samples N" if kind == "sobol" else "trajectories r")
        right.set_title(f"convergence of {labels[tracked]}", fontsize=9)
        right.axhline(0, color="0.6", lw=0.8)
        right.legend(fontsize=7)
    return fig


def _short(name: str, width: int = 32) -> str:
    """Return a field name short enough for an axis label."""
    return name if len(name) <= width else "…" + name[-(width - 1):]
