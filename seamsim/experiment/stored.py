"""A stored experiment read back: :func:`load_experiment`, and one tidy table out of it.

An output directory written by :func:`~seamsim.experiment.runner.run_experiment` (``out=``,
``seamsim run/compare/sweep --out``) holds ``manifest.json`` and the runs (see
:mod:`seamsim.experiment.store`). :func:`load_experiment` rebuilds from them the
:class:`~seamsim.experiment.runner.ExperimentResult` that ``run_experiment`` returned — the
same scenarios, design, seed, replications and the same ``runs`` table, read through the
store's one reader (:func:`~seamsim.experiment.store.read_runs`), so a run stored twice is
counted once. Nothing is run again.

:func:`export_runs` writes that ``runs`` table to one CSV or Parquet file (``seamsim export``);
:func:`read_export` reads such a file back into the same table.

Examples
--------
>>> from seamsim.experiment import load_experiment, sensitivity   # doctest: +SKIP
>>> ex = load_experiment("out/sobol")                              # doctest: +SKIP
>>> ex.kpi_table("rom_t_per_month"); sensitivity(ex)               # doctest: +SKIP
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pandas as pd

from seamsim.experiment.design_points import Design
from seamsim.experiment.manifest import MANIFEST_NAME, read_manifest
from seamsim.experiment.runner import ExperimentResult
from seamsim.experiment.seeds import check_replications
from seamsim.experiment.store_errors import StoreError
from seamsim.scenario import Scenario

__all__ = ["EXPORT_FORMATS", "export_runs", "load_experiment", "read_export"]

EXPORT_FORMATS = ("csv", "parquet")
"""File formats :func:`export_runs` writes."""


def load_experiment(out: str | os.PathLike[str]) -> ExperimentResult:
    """Return the experiment stored in the directory ``out``.

    Parameters
    ----------
    out : path-like
        An output directory of :func:`~seamsim.experiment.runner.run_experiment`.

    Returns
    -------
    ExperimentResult
        As ``run_experiment`` returned it: ``runs``, ``summary``, ``kpi_table``,
        ``scenarios``, ``design`` and ``manifest`` (``status`` says whether it is complete;
        an incomplete one has fewer runs, and ``resume`` completes it).

    Raises
    ------
    StoreError
        ``out`` is not an experiment's directory, or its manifest or a part is damaged
        (the message names the file).
    """
    root = Path(out)
    if not root.is_dir():
        raise StoreError(f"{root} is not a directory (give the --out directory of an experiment)")
    if not (root / MANIFEST_NAME).is_file():
        raise StoreError(f"{root} holds no {MANIFEST_NAME}: not the output directory of a seamsim experiment")
    manifest = read_manifest(root)
    try:
        scenarios = {
            str(entry["name"]): Scenario.model_validate(entry["scenario"]) for entry in manifest["scenarios"]
        }
        design = Design.from_dict(manifest["design"])
        replications = check_replications(manifest["replications"])
        seed = int(manifest["seed"])
    except (KeyError, TypeError, ValueError) as error:  # pydantic's ValidationError is a ValueError
        text = " ".join(str(error).split())[:300]
        raise StoreError(
            f"{root / MANIFEST_NAME} does not describe an experiment this version can read "
            f"({type(error).__name__}: {text})"
        ) from None
    days = manifest.get("days")
    return ExperimentResult(
        scenarios, design, seed, replications, None if days is None else float(days), manifest, out=root
    )


def _format_of(path: Path, fmt: str | None) -> str:
    """Return the export format: ``fmt``, else the file's suffix."""
    chosen = (fmt or path.suffix.lstrip(".")).lower()
    if chosen not in EXPORT_FORMATS:
        raise ValueError(
            f"cannot tell the format of {path}: give a .csv or .parquet file (or fmt='csv'/'parquet')"
        )
    return chosen


def export_runs(experiment: Any, path: str | os.PathLike[str], fmt: str | None = None) -> Path:
    """Write the runs of an experiment to one tidy file; return its path.

    One row per run: ``scenario``, ``point``, the design's varied fields (the point's
    values), ``replication``, ``seed`` (the entropy of the experiment's ``SeedSequence``;
    the run's spawn key is ``(replication,)``), ``status``, ``error``, ``reasons``,
    ``warnings``, every KPI, and ``traceback`` — :attr:`ExperimentResult.runs` as it is.

    Parameters
    ----------
    experiment : ExperimentResult or path-like
        An experiment, or its output directory (read with :func:`load_experiment`).
    path : path-like
        The file to write (written beside itself under a temporary name, then moved into
        place).
    fmt : {"csv", "parquet"}, optional
        The format; by default the file's suffix.
    """
    target = Path(path)
    chosen = _format_of(target, fmt)
    if not isinstance(experiment, ExperimentResult):
        experiment = load_experiment(experiment)
    runs = experiment.runs
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        if chosen == "csv":
            runs.to_csv(tmp, index=False)
        else:
            runs.to_parquet(tmp, index=False)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    return target


_TEXT_COLUMNS = ("scenario", "spawn_key", "scenario_sha256", "status", "error", "reasons", "warnings", "traceback")


def read_export(path: str | os.PathLike[str], fmt: str | None = None) -> pd.DataFrame:
    """Read a file written by :func:`export_runs` back into the ``runs`` table.

    A CSV is typed back as the table was: text columns as text (an empty cell is ``""``),
    whole numbers (``point``, ``replication``, ``seed``, an integer field) as integers,
    other numbers (KPIs) as floats (an empty cell is ``NaN``), true/false as booleans.
    """
    source = Path(path)
    chosen = _format_of(source, fmt)
    if chosen == "parquet":
        return pd.read_parquet(source)
    table = pd.read_csv(source, dtype=str, keep_default_na=False)
    for column in table.columns:
        values = table[column]
        if column in _TEXT_COLUMNS:
            continue
        if len(values) and values.str.fullmatch(r"-?\d+").all():
            table[column] = values.astype("int64")
        elif values.isin(["True", "False"]).all() and len(values):
            table[column] = values == "True"
        else:
            numbers = pd.to_numeric(values.replace("", float("nan")), errors="coerce")
            if numbers.isna().equals(values.eq("")):
                table[column] = numbers.astype("float64")
    return table
