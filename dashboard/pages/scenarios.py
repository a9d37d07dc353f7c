"""Scenarios: the library for trainers — read, open, run, download and upload scenario files.

The bundled ``scenarios/*.yaml`` come first; uploads (validated with the CLI's messages,
read safely, at most 1 MB) are kept in the history database and listed with them.
"""

from __future__ import annotations

import sys
from pathlib import Path

if str(Path(__file__).resolve().parents[2]) not in sys.path:  # opened by a deep link before app.py ran
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from datetime import datetime, timezone

import streamlit as st

import dashboard
from dashboard import charts, result_panel
from dashboard.chart_display import chart
from dashboard.history import HistoryStore
from dashboard.history_recording import history_store, record_run
from dashboard.history_records import HistoryError
from dashboard.job_panel import job_panel, start_job
from dashboard.kpi_cards import kpi_cards, show_notes
from dashboard.presets import library, load_entry
from dashboard.session import open_in_explore, page_setup, restore, save

page_setup()

JOB = "scenarios_job"
RUN_SCENARIO = "scenarios_run_key"
REPS = "scenarios_reps"
SEED = "scenarios_seed"

HOW_TO_WRITE = """
**How to write a scenario for a class.** A file only needs what differs from the one it
`extends:`. Give it a `name`, a `title` and a `description` that says what to look for:

```yaml
extends: article_after_3300v.yaml
name: class_thin_seam_070
title: "What if the seam thins to 0.70 m?"
description: >
  The after-face with a 0.70 m seam. Watch the cross-section: how much rock
  must the 588 mm machine cut now, and what does that do to the tonnage?
seam:
  height_m: 0.70
```
Units are in every key's name (`height_m` is metres, `machine_height_mm` millimetres).
"""

store = history_store()
entries = library()
by_key = {e.key: e for e in entries}

st.title("Scenario library")
st.caption(
    "Named scenarios with what each one teaches. Open one in **Explore** to move its levers, run it here, "
    "download its file, or upload your own (a trainer's file can `extends:` a bundled one)."
)


# ---------------------------------------------------------------- a history file that cannot be used
def _start_fresh() -> None:
    try:
        fresh = store.start_fresh()
    except HistoryError as error:
        st.toast(f"Could not start a fresh history: {error}", icon=":material/error:")
        return
    st.toast(f"Started a fresh history; the old file is at {fresh.moved_to} (not deleted), "
             f"{fresh.scenarios_copied} uploaded scenario(s) copied.", icon=":material/check_circle:")


def _remove(name: str) -> None:
    try:
        store.delete_scenario(name)
    except HistoryError as error:
        st.toast(f"Could not remove {name}: {error}", icon=":material/error:")


if store.problem is not None:
    st.warning(f"**Uploaded scenarios cannot be kept or listed:** {store.problem.message}. The bundled scenarios "
               "below work as usual.", icon=":material/warning:")
    if store.problem.can_start_fresh:
        st.button("Start a fresh history", key="scenarios_start_fresh", icon=":material/restart_alt:",
                  on_click=_start_fresh,
                  help="The file is renamed beside itself (never deleted); what can still be read is copied.")


# ---------------------------------------------------------------- run a scenario (background job)
def _run(entry_key: str, replications: int, seed: int) -> None:
    entry = by_key[entry_key]
    scenario = load_entry(entry)
    path = str(store.path)

    def work(progress):
        runs = dashboard.experiment_runs([scenario], replications, seed, progress=progress)
        status = "ok" if (runs["status"] == "ok").all() else "infeasible"
        if len(runs):
            record_run("scenarios", f"Scenarios: {scenario.title or scenario.name}", [scenario], seed, replications,
                       None, runs, status=status, store=HistoryStore(path))
        return {"runs": runs, "scenario": scenario, "seed": seed, "replications": replications,
                "created_at": datetime.now(timezone.utc)}

    start_job(JOB, work, f"Running {scenario.name}", entry=entry_key)


def _start(entry_key: str) -> None:
    st.session_state[RUN_SCENARIO] = entry_key
    _run(entry_key, int(st.session_state.get(REPS, 10)), int(st.session_state.get(SEED, 0)))


with st.sidebar:
    st.markdown("**Runs started here**")
    restore(REPS, 10)
    restore(SEED, 0)
    st.slider("Replications", 2, 100, key=REPS, help="Months simulated, each with its own random failures.")
    st.number_input("Seed", min_value=0, max_value=2**31 - 1, step=1, key=SEED)
    save(REPS, SEED)

def _results(job: dashboard.Job) -> None:
    """The run started from one entry, drawn right under that entry's buttons (where it was clicked)."""
    with st.container(border=True):
        if job.running:
            job_panel(job, JOB)
        elif job.error:
            st.error(f"The run failed: {job.error}")
        elif job.result is not None:
            runs = job.result["runs"]
            sc = job.result["scenario"]
            st.subheader(f"Results: {sc.title or sc.name}")
            result_panel.provenance_caption([sc.name], job.result["seed"], job.result["replications"],
                                            job.result["created_at"])
            if job.cancelled:
                st.info(f"Stopped after {len(runs)} of {job.total} runs; the results below use those.")
            first = runs.iloc[0] if len(runs) else None
            if first is not None and first["status"] != "ok":
                show_notes(first["status"], [r for r in str(first.get("reasons", "")).split("; ") if r], [])
            kpi_cards(runs)
            labels = {sc.name: sc.title or sc.name}

            def figures(runs=runs, labels=labels):
                return {"monthly_output": charts.tonnage_distribution(runs, bands=dashboard.ARTICLE_BANDS_T_PER_MONTH,
                                                                      labels=labels),
                        "time_breakdown": charts.time_breakdown(dashboard.time_breakdown_hours(runs).iloc[0])}

            left, right = st.columns(2)
            with left:
                chart(charts.tonnage_distribution(runs, bands=dashboard.ARTICLE_BANDS_T_PER_MONTH,
                                                  labels=labels), key="scenarios_dist")
            with right:
                chart(charts.time_breakdown(dashboard.time_breakdown_hours(runs).iloc[0]), key="scenarios_time")
            result_panel.download_results(runs, [sc], seed=job.result["seed"], replications=job.result["replications"],
                                          page="scenarios", key="scenarios_zip", created_at=job.result["created_at"],
                                          figures=figures)
        elif job.cancelled:
            st.info("Stopped before any run finished.")


job = st.session_state.get(JOB)
run_entry = job.meta.get("entry") if isinstance(job, dashboard.Job) else None

# ---------------------------------------------------------------- upload
with st.expander("Add a scenario to the library: upload a file, or learn how to write one",
                 expanded=st.session_state.get("scenarios_upload_result") is not None):
    st.markdown(
        f"Upload a scenario file (YAML, at most {dashboard.MAX_UPLOAD_BYTES // 1_000_000} MB). It is checked exactly as "
        "`seamsim validate` checks it; `extends:` may name a bundled file, e.g. `extends: article_after_3300v.yaml`."
    )
    upload = st.file_uploader("Scenario file", type=["yaml", "yml"], key="scenario_upload")
    if upload is not None:
        marker = f"{upload.file_id}"
        if st.session_state.get("scenarios_upload_done") != marker:
            if upload.size > dashboard.MAX_UPLOAD_BYTES:
                message = (f"{upload.name}: {upload.size:,} bytes is larger than the {dashboard.MAX_UPLOAD_BYTES:,}-byte "
                           "limit for uploads; a scenario file is a few kB — refused")
                st.session_state["scenarios_upload_result"] = ("error", message)
            else:
                try:
                    scenario, text = dashboard.read_upload(upload.getvalue(), upload.name)
                except dashboard.UploadRejected as error:
                    st.session_state["scenarios_upload_result"] = ("error", str(error))
                else:
                    try:
                        replaced = store.add_scenario(name=scenario.name, title=scenario.title,
                                                      description=scenario.description, yaml=text, filename=upload.name)
                    except HistoryError as error:
                        st.session_state["scenarios_upload_result"] = ("error", f"{upload.name}: valid, but {error}")
                    else:
                        verb = "replaced" if replaced else "added"
                        st.session_state["scenarios_upload_result"] = (
                            "ok", f"{verb} **{scenario.title or scenario.name}** (`{scenario.name}`) in the library")
            st.session_state["scenarios_upload_done"] = marker
            if st.session_state["scenarios_upload_result"][0] == "ok":
                st.rerun()
    result = st.session_state.get("scenarios_upload_result")
    if result is not None:
        kind, message = result
        if kind == "ok":
            st.success(message[:1].upper() + message[1:], icon=":material/check_circle:")
        else:
            st.error("**This file was not added:**\n\n```\n" + message + "\n```", icon=":material/error:")

    st.markdown(HOW_TO_WRITE)
    st.caption(f"Schema: `seamsim schema` prints every field with its unit, bounds and default. "
               f"Bundled files are in `{dashboard.scenario_dir()}`.")

# ---------------------------------------------------------------- the library
for entry in entries:
    with st.container(border=True):
        head, buttons = st.columns([3, 2])
        with head:
            tag = "uploaded" if entry.source == "uploaded" else "bundled"
            st.markdown(f"#### {entry.title or entry.name}")
            st.caption(f"`{entry.name}` · {tag}" + (f" · {entry.path.name}" if entry.path else ""))
            if entry.error:
                st.error(f"This file does not validate:\n\n```\n{entry.error}\n```")
            elif entry.description:
                st.markdown(entry.description)
        with buttons:
            if not entry.error:
                st.button("Open in Explore", key=f"open:{entry.key}", icon=":material/tune:", width="stretch",
                          on_click=open_in_explore, kwargs={"preset": entry.key})
                st.button("Run", key=f"run:{entry.key}", icon=":material/play_arrow:", width="stretch",
                          on_click=_start, args=(entry.key,),
                          disabled=isinstance(job, dashboard.Job) and job.running)
            st.download_button("Download YAML", entry.text, file_name=f"{entry.name}.yaml", mime="application/x-yaml",
                               key=f"download:{entry.key}", icon=":material/download:", width="stretch")
            if entry.source == "uploaded":
                st.button("Remove from the library", key=f"delete:{entry.key}", icon=":material/delete:",
                          width="stretch", on_click=_remove, args=(entry.name,))
        with st.expander("Show the file"):
            st.code(entry.text, language="yaml")
        if entry.key == run_entry:
            _results(job)
