"""Explore: move the levers of one face, press Run, and see what changes within about a second.

Widgets come from the scenario schema; a preset from the library fills them. They sit in a
form: moving a slider or typing a value runs nothing until **Run** is pressed (or Enter in
a number box), so a slider dragged over 40 steps costs one run, not 40. A run simulates a
few replications (each cached by scenario, seed and index) and redraws the KPI cards, the
cross-section, the shearer's position over time, the tonnage, the time breakdown and what
holds the face back. An infeasible face shows why, in plain words, never an exception.
"""

from __future__ import annotations

import sys
from pathlib import Path

if str(Path(__file__).resolve().parents[2]) not in sys.path:  # opened by a deep link before app.py ran
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import math

import pandas as pd
import streamlit as st

import dashboard
import seamsim
from dashboard import cached_api, charts, face_titles, motion, result_panel
from dashboard.chart_display import chart_once, two_line_title
from dashboard.field_values import (
    changed_settings,
    describe_changes,
    field_specs,
    flatten,
    overrides_from,
)
from dashboard.field_widgets import load_values, render_fields, take_boxes
from dashboard.history_recording import record_run
from dashboard.kpi_cards import kpi_cards, show_notes
from dashboard.presets import library_by_key, load_entry
from dashboard.scenario_labels import scenario_digest, short_label
from dashboard.session import page_setup, restore, save

page_setup()

PREFIX = "explore:"
PRESET = "explore_preset"
SEED = "explore_seed"
REPS = "explore_reps"
SHOWN = "explore_shown"
FORM = "explore_form"
NUMBERS_FIRST = "explore_numbers_first"  # set by Run: the next pass stops after the KPI cards and reruns
RUN = "explore_run"
PROGRESS_ABOVE_RUN_DAYS = 1500.0  # show a progress bar when replications × days exceed this

specs = field_specs()
entries = library_by_key()
extra: dict[str, dict] = st.session_state.setdefault("explore_extra_presets", {})


def _default_preset() -> str:
    key = f"bundled:{dashboard.ARTICLE_AFTER}"
    return key if key in entries else next(iter(entries), "")


def _base(key: str) -> seamsim.Scenario:
    if key in extra:
        return dashboard.scenario_from_json(extra[key]["json"])
    return load_entry(entries[key])


def _label(key: str) -> str:
    if key in extra:
        return extra[key]["label"]
    entry = entries.get(key)
    return entry.label if entry else key


def _handle_request() -> None:
    """A page asked to open a scenario here (Scenarios, History)."""
    request = st.session_state.pop("explore_request", None)
    if not request:
        return
    key = request.get("preset")
    if request.get("scenario_json"):
        sc = dashboard.scenario_from_json(request["scenario_json"])
        key = f"opened:{len(extra)}:{sc.name}"
        extra[key] = {"label": request.get("label") or f"{sc.title or sc.name} (opened)", "json": request["scenario_json"]}
    if key:
        st.session_state[PRESET] = key
        st.session_state["explore_loaded"] = None
    if request.get("seed") is not None:
        st.session_state[SEED] = int(request["seed"])
    if request.get("replications") is not None:
        st.session_state[REPS] = int(min(30, max(1, request["replications"])))


def _reset() -> None:
    st.session_state["explore_loaded"] = None


_handle_request()
options = list(entries) + list(extra)
if not options:
    st.error(f"No scenarios found in {dashboard.scenario_dir()}.")
    st.stop()
restore(PRESET, _default_preset())
if st.session_state[PRESET] not in options:
    st.session_state[PRESET] = _default_preset()
restore(SEED, 0)
restore(REPS, 5)

# ---------------------------------------------------------------- sidebar: the inputs
with st.sidebar:
    preset = st.selectbox("Start from", options, key=PRESET, format_func=_label,
                          help="A scenario from the library; change any value below.")
    try:
        base = _base(preset)
    except seamsim.ScenarioError as error:
        st.error(f"This scenario does not load:\n\n```\n{error}\n```")
        st.stop()
    base_values = flatten(base)
    force = st.session_state.get("explore_loaded") != preset
    load_values(PREFIX, base_values if force else st.session_state.get("explore_values", base_values), specs,
                force=force)
    st.session_state["explore_loaded"] = preset
    st.button("Reset to the preset", on_click=_reset, icon=":material/restart_alt:", width="stretch")
    st.caption("Change any setting, then press **Run** (or Enter in a number box): nothing runs while you move "
               "a slider.")

    def _on_run() -> None:
        take_boxes(PREFIX, specs)
        st.session_state[NUMBERS_FIRST] = True  # this run paints its numbers, then a second pass its pictures

    def _run_button(key: str = RUN) -> None:
        st.form_submit_button("Run", type="primary", icon=":material/play_arrow:", width="stretch", key=key,
                              on_click=_on_run)

    with st.form(FORM, border=False):
        values = render_fields(PREFIX, specs, in_form=True, after_levers=_run_button)
        st.markdown("**Replications**")
        reps = st.slider("Replications (months simulated with different random failures)", 1, 30, key=REPS,
                         help="More replications give a narrower confidence interval; each month takes ~20 ms.")
        seed = st.number_input("Seed", min_value=0, max_value=2**31 - 1, step=1, key=SEED,
                               help="The same seed gives the same random failures: runs are repeatable.")
        _run_button(f"{RUN}:bottom")
    st.session_state["explore_values"] = dict(values)
    save(PRESET, SEED, REPS)

# ---------------------------------------------------------------- the scenario
overrides = overrides_from(values, base_values)
try:
    scenario = seamsim.apply_overrides(base, overrides) if overrides else base
except seamsim.ScenarioError as error:
    st.title(base.title or base.name)
    st.error("**These settings are not a valid scenario:**\n\n" + "\n".join(f"- {line}" for line in str(error).splitlines()),
             icon=":material/error:")
    st.stop()

picture = cached_api.picture(scenario)
st.header(face_titles.face_title(scenario, picture))  # what the face is now, not the preset's name
changed = f" · **{len(overrides)} setting{'s' if len(overrides) != 1 else ''} changed** from the preset" if overrides else ""
st.caption(f"{face_titles.face_subtitle(scenario)} · started from `{base.name}`{changed} · {int(reps)} replications "
           f"of {scenario.run.days:g} days · seed {int(seed)}")
if base.description:
    about = "<b>The preset as written</b>, before your changes: " if overrides else ""
    st.markdown(f"<div style='font-size:0.92rem;color:#555'>{about}{base.description}</div>", unsafe_allow_html=True)
if overrides:
    with st.expander("What you changed", expanded=False):
        st.dataframe(
            pd.DataFrame([{"setting": p, "preset": base_values.get(p), "now": v} for p, v in overrides.items()]).astype(str),
            hide_index=True, width="stretch",
        )

st.session_state["explore_current_json"] = scenario.model_dump_json()
placeholder = st.empty()
progress = None
if reps * scenario.run.days > PROGRESS_ABOVE_RUN_DAYS:
    bar = placeholder.progress(0.0, text="simulating… (press Run again to start over)")

    def progress(done: int, total: int) -> None:
        bar.progress(done / total, text=f"simulating… {done} of {total} replications (press Run again to start over)")

result = cached_api.explore_result(scenario, int(seed), int(reps), progress=progress)
placeholder.empty()
runs = result.runs
show_notes(result.status, result.reasons, result.warnings)

baseline = None
if overrides:
    baseline = cached_api.explore_result(base, int(seed), int(reps)).runs
kpi_cards(runs, baseline=baseline)
result_panel.provenance_caption([scenario.name], int(seed), int(reps), more=f"{scenario.run.days:g} days each")
record_run("explore", f"Explore: {base.title or base.name}", [scenario], int(seed), int(reps), scenario.run.days,
           runs, status=result.status, preset=base.name, changes=changed_settings(values, base_values))

# ---------------------------------------------------------------- pictures
if st.session_state.pop(NUMBERS_FIRST, False):
    # After Run the numbers above reach the browser first: drawing the charts in the same pass
    # kept them from showing until every chart was drawn (1.9 s instead of 0.6 s to the new KPI,
    # see benchmarks/bench_explore_browser.py). The second pass finds every run cached.
    st.caption("Drawing the pictures…")
    st.rerun()
digest = scenario_digest(scenario)  # charts are rebuilt only when what they show changed
run_id = (digest, int(seed), int(reps))
chart_once(lambda: two_line_title(charts.cross_section(picture, title=face_titles.clearance_title(picture))),
           key="explore_cross_section", inputs=digest)
feasible = result.status == "ok"
if feasible:
    if reps > 1:
        if int(st.session_state.get(SHOWN, 1)) > int(reps):
            st.session_state[SHOWN] = 1
        shown = st.select_slider("Replication shown below", options=list(range(1, int(reps) + 1)), key=SHOWN)
    else:
        shown = 1
    rep = result.replications[int(shown) - 1]
    chart_once(lambda: charts.position_over_time(rep.trace, horizon_s=rep.horizon_s,
                                                 face_length_m=scenario.face.length_m),
               key="explore_position", inputs=(digest, int(seed), int(shown)))
    motion.face_in_motion(scenario, "explore_motion", horizon_days=rep.horizon_s / 86_400.0, run=rep,
                          label=f"{scenario.name}, seed {int(seed)}, replication {int(shown)}")
else:
    st.info("Nothing to simulate: the face cannot be worked (see above).", icon=":material/info:")

left, right = st.columns(2)
if feasible:  # an unworkable face has no speed to show: no "can cut at … ◀ binds"
    with left:
        chart_once(lambda: charts.what_holds_back(result.limit_share(), picture.get("speed_limits_m_per_min"),
                                                  binding=picture.get("binding_limit")),
                   key="explore_limits", inputs=run_id)
        speed = picture.get("cutting_speed_m_per_min")
        if speed is not None and math.isfinite(speed):
            st.caption(f"At the mean seam height the shearer can cut at **{speed:.1f} m/min**, bound by "
                       f"**{charts.limit_label(picture.get('binding_limit', ''))}**; a web yields "
                       f"{picture.get('tonnes_per_web', 0):,.0f} t.")
if feasible:
    with right:
        chart_once(lambda: charts.time_breakdown(result.time_hours()), key="explore_time", inputs=run_id)
    left, right = st.columns(2)
    with left:
        chart_once(lambda: charts.cumulative_tonnage(result.cumulative(), highlight=int(shown) - 1),
                   key="explore_cumulative", inputs=(*run_id, int(shown)))
    with right:
        chart_once(lambda: charts.tonnage_distribution(runs, bands=dashboard.ARTICLE_BANDS_T_PER_MONTH,
                                                       labels={scenario.name: short_label(scenario)}),
                   key="explore_distribution", inputs=run_id)
    st.markdown("**Stoppages in the replication shown**")
    events = rep.events
    if len(events):
        table = (events.groupby("event")["duration_s"].agg(["count", "sum", "mean"])
                 .sort_values("sum", ascending=False).reset_index())
        table = pd.DataFrame({
            "stoppage": [charts.state_label(e) for e in table["event"]],
            "times": table["count"].astype(int),
            "hours in all": (table["sum"] / 3600.0).round(1),
            "minutes each (mean)": (table["mean"] / 60.0).round(0),
        })
        st.dataframe(table, hide_index=True, width="stretch")
    else:
        st.caption("No stoppages.")



def _figures():
    out = {"cross_section": charts.cross_section(picture)}
    if feasible:
        out["time_breakdown"] = charts.time_breakdown(result.time_hours())
        out["monthly_output"] = charts.tonnage_distribution(runs, bands=dashboard.ARTICLE_BANDS_T_PER_MONTH)
    return out


result_panel.download_results(runs.assign(seed=int(seed)), [scenario], seed=int(seed), replications=int(reps),
                              page="explore", key="explore_zip", figures=_figures,
                              extra={"preset": base.name, "changes": changed_settings(values, base_values)})
preset_entry = entries.get(preset)
result_panel.settings_download(
    scenario, base, key="explore_settings",
    extends=preset_entry.path.name if preset_entry is not None and preset_entry.path is not None else None,
    changes=describe_changes(changed_settings(values, base_values), most=20))
