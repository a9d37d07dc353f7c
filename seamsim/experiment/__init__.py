"""Experiments: replications, designs, comparisons and decompositions of scenarios.

Modules
-------
seeds                 root ``SeedSequence`` per experiment, one child per replication (CRN)
kpis                  the KPI table: every summary column's label, unit, kind, direction and help
runner                :func:`run_experiment`: chunks, progress, storage and the result tables
executors             the serial, process-pool and Dask executors
chunk_worker          the worker side: one chunk of runs in, one row per run out
task_driver           a window of tasks in flight; lost tasks sent again
stats                 the statistics' public home (names defined in the three modules below)
t_estimates           means, t-based confidence intervals, paired differences, replications needed
bootstrap             the percentile bootstrap of a mean
quantity_intervals    intervals and paired differences fit for the kind of quantity a KPI is
designs               a design from its spec (grid, Latin hypercube, Sobol, Morris); its size
design_points         :class:`Design`: the points of an experiment (a grid's computed when asked for)
grid_design           :func:`grid`: full factorial designs
sampled_designs       :func:`latin_hypercube`, :func:`sobol`, :func:`morris` (SALib)
design_validation     every point of a design checked on every scenario before anything runs
vary                  the fields a design can vary; parsing ``--vary``
sensitivity_analysis  :func:`sensitivity`: Sobol and Morris indices with bootstrap intervals; convergence
sensitivity_report    :func:`analyse`: the indices of a stored sweep written beside it (CSV, JSON, figure)
store                 :func:`read_runs` and the :class:`RunStore` writer: Parquet parts on disk; resume
manifest              ``manifest.json``: :func:`read_manifest`; how two experiments' manifests differ
directory_lock        one writer per output directory (``flock``)
run_keys              a run's key; which stored row stands for it (lost worker vs finished run)
compaction            the parts merged into one file of row groups
atomic_files          files written whole or not at all
store_errors          :class:`StoreError`, :class:`StoreBusy`
stored                :func:`load_experiment`, :func:`export_runs`: a stored experiment read back
provenance            ``provenance()``: version, commit, command line, model and scenario hashes
pilot                 :func:`pilot_estimate`: run count and time of an experiment from a short pilot
compare               :func:`compare`: scenarios side by side with paired differences
decompose             :func:`decompose`: the gain from A to B split one factor at a time
shapley               :func:`shapley_decomposition`: the same gain split order-free (Shapley values)
shapley_arithmetic    Shapley values from coalition values: exact, one order, sampled orders (pure)
sequential            :func:`run_until_precise`: replications in batches until a CI target is met

Names are imported on first use (SALib, scipy and dask are heavy).
"""

from __future__ import annotations

import importlib

_EXPORTS: dict[str, str] = {
    "run_experiment": "seamsim.experiment.runner",
    "ExperimentResult": "seamsim.experiment.runner",
    "MAIN_KPIS": "seamsim.experiment.kpis",
    "KPIS": "seamsim.experiment.kpis",
    "kpi_of": "seamsim.experiment.kpis",
    "EXECUTORS": "seamsim.experiment.executors",
    "StoreError": "seamsim.experiment.store_errors",
    "read_runs": "seamsim.experiment.store",
    "read_manifest": "seamsim.experiment.manifest",
    "replication_seed": "seamsim.experiment.seeds",
    "experiment_seed": "seamsim.experiment.seeds",
    "estimate": "seamsim.experiment.t_estimates",
    "paired_difference": "seamsim.experiment.t_estimates",
    "replications_needed": "seamsim.experiment.t_estimates",
    "Design": "seamsim.experiment.design_points",
    "grid": "seamsim.experiment.grid_design",
    "latin_hypercube": "seamsim.experiment.sampled_designs",
    "sobol": "seamsim.experiment.sampled_designs",
    "morris": "seamsim.experiment.sampled_designs",
    "parse_vary": "seamsim.experiment.vary",
    "sensitivity": "seamsim.experiment.sensitivity_analysis",
    "sensitivity_convergence": "seamsim.experiment.sensitivity_analysis",
    "analyse": "seamsim.experiment.sensitivity_report",
    "SensitivityReport": "seamsim.experiment.sensitivity_report",
    "load_experiment": "seamsim.experiment.stored",
    "export_runs": "seamsim.experiment.stored",
    "read_export": "seamsim.experiment.stored",
    "model_hash": "seamsim.experiment.provenance",
    "pilot_estimate": "seamsim.experiment.pilot",
    "compare": "seamsim.experiment.compare",
    "ComparisonResult": "seamsim.experiment.compare",
    "paired_differences_over_design": "seamsim.experiment.compare",
    "decompose": "seamsim.experiment.decompose",
    "DecompositionResult": "seamsim.experiment.decompose",
    "DEFAULT_FACTORS": "seamsim.experiment.decompose",
    "shapley_decomposition": "seamsim.experiment.shapley",
    "ShapleyResult": "seamsim.experiment.shapley",
    "shapley_values": "seamsim.experiment.shapley_arithmetic",
    "run_until_precise": "seamsim.experiment.sequential",
    "PreciseResult": "seamsim.experiment.sequential",
    "precision_check": "seamsim.experiment.sequential",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'seamsim.experiment' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
