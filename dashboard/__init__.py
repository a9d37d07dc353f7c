"""The seamsim dashboard: Streamlit pages over the public ``seamsim`` API.

Layout (see DESIGN.md, "Dashboard"):

- ``app.py`` — the ``st.navigation`` entry point, nothing else;
- ``pages/`` — Explore, Scenarios, Compare, Sweep, History; thin scripts;
- the Streamlit pieces the pages share, one module per job: ``field_values.py`` (the
  scenario's inputs as metadata, flattened values, overrides, steps; no Streamlit),
  ``field_widgets.py`` (those inputs drawn as widgets), ``presets.py`` (the cached library
  and the scenario pickers), ``cached_api.py`` (cached calls of the public API),
  ``kpi_cards.py`` (KPI cards, notes), ``comparison_tables.py`` (tables and sentences of a
  comparison), ``job_panel.py`` (background jobs with a *Stop* button), ``session.py``
  (widget values across pages, page switches), ``history_recording.py`` (runs kept in the
  history, their fingerprints), ``chart_display.py`` (figures drawn on a page) and
  ``scenario_labels.py`` (short names, digests);
- ``charts/`` — pure DataFrame/dict → plotly figure builders (no Streamlit), one module per
  subject;
- ``history.py`` — runs and uploaded scenarios kept in SQLite across restarts (the queries;
  ``history_schema.py``, ``history_records.py`` and ``history_file.py`` hold the tables, the
  kept records and the file's health);
- the Streamlit-free logic the pages share, one module per topic:
  ``library.py`` (bundled and uploaded scenarios, upload checks), ``kpis.py`` (KPI labels,
  units and formats), ``stats.py`` (the experiment layer's means, intervals and paired
  differences in the pages' columns),
  ``runs.py`` (the Explore replications, experiment runs), ``sweeps.py`` (sweep points, the
  feasible-region grid) and ``jobs.py`` (background jobs with progress and cooperative
  cancel). Their public names are re-exported here, so ``dashboard.X`` works for each.

The dashboard never imports ``seamsim.model`` or simpy: it calls ``seamsim.simulate``,
``seamsim.engineering_picture``, ``seamsim.run_experiment``, ``seamsim.compare`` and
``seamsim.decompose``.
"""

from __future__ import annotations

from dashboard.jobs import Cancelled, Job
from dashboard.kpis import COMPARE_KPIS, HEADLINE_KPIS, KPIS, Kpi, kpi
from dashboard.library import (
    ARTICLE_AFTER,
    ARTICLE_BANDS_T_PER_MONTH,
    ARTICLE_BEFORE,
    MAX_UPLOAD_BYTES,
    PACKAGE_DIR,
    LibraryEntry,
    UploadRejected,
    bundled_library,
    read_upload,
    scenario_dir,
    scenario_from_json,
    scenario_yaml,
)
from dashboard.runs import (
    ExploreResult,
    experiment_runs,
    explore,
    normalise_runs,
    replication_of,
    simulate_replication,
    unique_names,
)
from dashboard.stats import (
    limit_shares,
    paired_differences,
    summarize,
    time_breakdown_hours,
)
from dashboard.sweeps import (
    FEASIBILITY_LABELS,
    SweepAxis,
    design_summary,
    feasibility_grid,
    point_labels,
    sweep_points,
    sweep_values,
)

APP_PATH = PACKAGE_DIR / "app.py"
"""The Streamlit entry point (``streamlit run`` this file)."""

__all__ = [
    "APP_PATH",
    "ARTICLE_AFTER",
    "ARTICLE_BANDS_T_PER_MONTH",
    "ARTICLE_BEFORE",
    "COMPARE_KPIS",
    "Cancelled",
    "ExploreResult",
    "FEASIBILITY_LABELS",
    "HEADLINE_KPIS",
    "Job",
    "KPIS",
    "Kpi",
    "LibraryEntry",
    "MAX_UPLOAD_BYTES",
    "PACKAGE_DIR",
    "replication_of",
    "SweepAxis",
    "UploadRejected",
    "bundled_library",
    "experiment_runs",
    "explore",
    "design_summary",
    "feasibility_grid",
    "kpi",
    "limit_shares",
    "normalise_runs",
    "paired_differences",
    "point_labels",
    "read_upload",
    "scenario_dir",
    "scenario_from_json",
    "scenario_yaml",
    "simulate_replication",
    "summarize",
    "sweep_points",
    "sweep_values",
    "time_breakdown_hours",
    "unique_names",
]
