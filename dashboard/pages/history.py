"""History: every run of the dashboard, kept in SQLite across restarts — list, re-open,
compare and delete.
"""

from __future__ import annotations

import sys
from pathlib import Path

if str(Path(__file__).resolve().parents[2]) not in sys.path:  # opened by a deep link before app.py ran
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import pandas as pd
import streamlit as st

import dashboard
import seamsim
from dashboard import charts, motion
from dashboard.chart_display import chart
from dashboard.comparison_tables import paired_table, summary_table
from dashboard.field_values import describe_changes
from dashboard.history_recording import history_store
from dashboard.history_records import HistoryError, HistoryProblem
from dashboard.scenario_labels import short_labels
from dashboard.session import open_in_explore, page_setup

page_setup()

PICK = "history_pick"
FRESH = "history_fresh_result"
PAGES = {"explore": "Explore", "scenarios": "Scenarios", "compare": "Compare", "sweep": "Sweep"}

store = history_store()


def _start_fresh() -> None:
    """Move the bad file aside and start a new one; the outcome is shown on the next run."""
    try:
        fresh = store.start_fresh()
    except HistoryError as error:
        st.session_state[FRESH] = ("error", str(error))
        return
    st.session_state[PICK] = []
    moved = f"The old file was moved to `{fresh.moved_to}` (not deleted)" if fresh.moved_to else "There was no old file"
    st.session_state[FRESH] = ("ok", f"Started a fresh history. {moved}; {fresh.runs_copied} run(s) and "
                                     f"{fresh.scenarios_copied} uploaded scenario(s) could still be read and were copied.")


def _show_problem(problem: HistoryProblem) -> None:
    """Say what is wrong with the history file and offer a fresh one where that can help."""
    say = st.warning if problem.read_only else st.error
    say(f"**The run history cannot be used as it is.** {problem.message}.", icon=":material/error:")
    if problem.can_start_fresh:
        st.button("Start a fresh history", key="history_start_fresh", icon=":material/restart_alt:",
                  on_click=_start_fresh,
                  help="The file is renamed beside itself (never deleted) and every run that can still be read "
                       "is copied into a new one.")


def _fresh_result() -> None:
    result = st.session_state.pop(FRESH, None)
    if result is not None:
        kind, message = result
        (st.success if kind == "ok" else st.error)(message)


st.title("Run history")
st.caption(f"Every run is kept in `{store.path}` and survives restarts. Pick runs to re-open them, compare them or "
           "delete them.")
_fresh_result()
if store.problem is not None:
    _show_problem(store.problem)
    if not store.problem.read_only:
        st.stop()

page_filter = st.segmented_control("Show runs from", list(PAGES), format_func=PAGES.get, selection_mode="multi",
                                   default=list(PAGES), key="history_pages")
try:
    table = store.list_runs()
except HistoryError as error:
    _show_problem(store.problem or HistoryProblem(store.path, str(error)))
    st.stop()
skipped = list(table.attrs.get("skipped", []))
if skipped:
    st.warning(f"{len(skipped)} run(s) in the history could not be read and are left out "
               f"({', '.join(f'#{i}' for i in skipped[:10])}{' …' if len(skipped) > 10 else ''}); the others are "
               "listed below.", icon=":material/warning:")
if page_filter is not None:
    table = table[table["page"].isin(page_filter)]
if table.empty:
    st.info("No runs yet. Runs from Explore, Scenarios, Compare and Sweep appear here.")
    st.stop()

def _what_changed(page: str, extra: dict) -> str:
    """What this run changed: the settings moved in Explore, a sweep's values."""
    if extra.get("changes"):
        return describe_changes(extra["changes"])
    if extra.get("design"):
        return dashboard.design_summary(extra["design"])
    return "—" if page == "explore" else ""


def _listing(table: pd.DataFrame) -> pd.DataFrame:
    """One row per run — one per scenario for a comparison — seed and status first."""
    when = pd.to_datetime(table["created_at"], utc=True, format="ISO8601", errors="coerce")
    when = when.dt.tz_convert(None).dt.strftime("%Y-%m-%d %H:%M").fillna("?")
    fmt = dashboard.kpi("rom_t_per_month").format
    rows = []
    for (_, r), at in zip(table.iterrows(), when, strict=True):
        extra = r["extra"] if isinstance(r["extra"], dict) else {}
        base = {"id": r["id"], "when": at, "page": PAGES.get(r["page"], r["page"]), "status": r["status"],
                "seed": r["seed"], "replications": r["replications"], "run": r["label"],
                "what changed": _what_changed(r["page"], extra)}
        outputs = extra.get("outputs") or {}
        if r["page"] == "compare" and len(outputs) > 1:
            for name, value in outputs.items():
                rows.append({**base, "scenario": name, "monthly output (mean)": fmt(value)})
        else:
            headline = r["headline"]
            rows.append({**base, "scenario": r["scenarios"],
                         "monthly output (mean)": fmt(headline) if headline == headline and headline is not None
                         else "—"})
    return pd.DataFrame(rows)


shown = _listing(table)
st.dataframe(shown, hide_index=True, width="stretch", height=min(420, 38 + 35 * len(shown)),
             column_config={"id": st.column_config.NumberColumn("id", width="small"),
                            "seed": st.column_config.NumberColumn("seed", width="small", format="%d"),
                            "replications": st.column_config.NumberColumn("reps", width="small")})


def _describe(run_id: int) -> str:
    row = table[table["id"] == run_id]
    if row.empty:
        return f"#{run_id}"
    r = row.iloc[0]
    return f"#{r['id']} · {PAGES.get(r['page'], r['page'])} · {r['label']} · {r['replications']} reps"


def _delete(run_ids: list[int]) -> None:
    try:
        store.delete_runs(run_ids)
    except HistoryError as error:
        st.toast(f"Could not delete: {error}", icon=":material/error:")
        return
    st.session_state[PICK] = []
    st.toast(f"Deleted {len(run_ids)} run{'s' if len(run_ids) != 1 else ''}.")


def _open(run_id: int):
    """Return the run ``run_id``, or ``None`` (saying why) when its row cannot be read."""
    try:
        return store.get_run(run_id)
    except HistoryError as error:
        st.warning(f"{error}; it is left out.", icon=":material/warning:")
        return None


def _scenarios(run) -> list[seamsim.Scenario]:
    """Return the scenarios of a kept run that still validate (the others are named in a note)."""
    valid = []
    for data in run.scenarios:
        try:
            valid.append(seamsim.Scenario.model_validate(data))
        except Exception as error:  # noqa: BLE001 - kept by an older version, or damaged
            st.caption(f"Run #{run.id}: scenario {data.get('name', '?') if isinstance(data, dict) else '?'} no longer "
                       f"validates ({type(error).__name__}), so it cannot be opened in Explore.")
    return valid


ids = [int(i) for i in table["id"]]
st.session_state[PICK] = [i for i in st.session_state.get(PICK, []) if i in ids]
pick = st.multiselect("Runs to open or compare", ids, key=PICK, format_func=_describe,
                      placeholder="pick one run to open it, two or more to compare them")
if not pick:
    st.stop()

runs_by_id = {i: _open(i) for i in pick}
runs_by_id = {i: r for i, r in runs_by_id.items() if r is not None}
if not runs_by_id:
    st.stop()
c1, c2 = st.columns([1, 3])
with c1:
    st.button(f"Delete {len(runs_by_id)} run{'s' if len(runs_by_id) != 1 else ''}", icon=":material/delete:",
              key="history_delete", on_click=_delete, args=(list(runs_by_id),))


def _tag(run, name: str) -> str:
    return f"#{run.id} {name}"


# ---------------------------------------------------------------- one run: re-open it
if len(runs_by_id) == 1:
    run = next(iter(runs_by_id.values()))
    st.subheader(run.label)
    st.caption(f"{run.created_at} · {PAGES.get(run.page, run.page)} · seed {run.seed} · {run.replications} replications"
               + (f" · {run.days:g} days" if run.days else ""))
    scenarios = _scenarios(run)
    for sc in scenarios:
        st.button(f"Open {sc.title or sc.name} in Explore", key=f"history_open:{run.id}:{sc.name}",
                  icon=":material/tune:", on_click=open_in_explore, args=(sc,),
                  kwargs={"label": f"#{run.id}: {sc.title or sc.name}", "seed": run.seed,
                          "replications": run.replications})
    for sc in scenarios[:4]:  # replication 1 again, from the run's seed (same seed, same run)
        motion.face_in_motion(sc, f"history_motion:{run.id}:{sc.name}", horizon_days=run.days or sc.run.days,
                              label=f"history #{run.id}: {sc.name}, seed {run.seed}, replication 1",
                              load=lambda sc=sc: dashboard.simulate_replication(sc, run.seed, 0, run.days))
    data = run.runs
    if data.empty:
        st.info("This run kept no results.")
        st.stop()
    group = "scenario" if data["scenario"].nunique() > 1 or "point" not in data or data["point"].nunique() <= 1 else "point"
    labels = short_labels(scenarios) if group == "scenario" else None
    if group == "point" and run.extra.get("design"):  # the sweep's real values, not p0…p3
        names = dashboard.point_labels(run.extra["design"])
        data = data.assign(point=data["point"].map(lambda p: names.get(int(p), str(p))))
    if run.extra.get("changes"):
        st.caption("Changed from the preset: " + describe_changes(run.extra["changes"], most=20))
    summary = dashboard.summarize(data, dashboard.COMPARE_KPIS, by=group)
    st.dataframe(summary_table(summary, dashboard.COMPARE_KPIS, labels, by=group), hide_index=True, width="stretch")
    left, right = st.columns(2)
    with left:
        chart(charts.tonnage_distribution(data, by=group, labels=labels, bands=dashboard.ARTICLE_BANDS_T_PER_MONTH),
              key="history_dist")
    with right:
        hours = dashboard.time_breakdown_hours(data, by=group)
        if len(hours) == 1:
            chart(charts.time_breakdown(hours.iloc[0]), key="history_time")
        elif len(hours):
            chart(charts.time_breakdown_compare(hours, labels=labels), key="history_time")
    st.stop()

# ---------------------------------------------------------------- several runs: compare them
frames, labels, seeds, reps = [], {}, set(), set()
for run in runs_by_id.values():
    data = run.runs
    if data.empty:
        continue
    data = data.copy()
    scs = {sc.name: sc for sc in _scenarios(run)}
    short = short_labels(list(scs.values()))
    if "point" in data and data["point"].nunique() > 1:
        names = dashboard.point_labels(run.extra.get("design") or [])
        data["scenario"] = data["scenario"] + " · " + data["point"].map(lambda p, names=names: names.get(int(p), f"point {p}"))
    for name in data["scenario"].unique():
        tag = _tag(run, name)
        labels[tag] = f"#{run.id} {short.get(name, name)}"
    data["scenario"] = [_tag(run, n) for n in data["scenario"]]
    frames.append(data)
    seeds.add(run.seed)
    reps.add(run.replications)
if not frames:
    st.info("The runs picked kept no results.")
    st.stop()
data = pd.concat(frames, ignore_index=True)
st.subheader(f"{len(runs_by_id)} runs side by side")
summary = dashboard.summarize(data, dashboard.COMPARE_KPIS)
st.dataframe(summary_table(summary, dashboard.COMPARE_KPIS, labels), hide_index=True, width="stretch")
if len(seeds) == 1 and len(reps) == 1:
    paired = dashboard.paired_differences(data, dashboard.COMPARE_KPIS)
    st.markdown(f"**Differences from {labels[data['scenario'].iloc[0]]}** (same seed and replications: paired)")
    st.dataframe(paired_table(paired, labels), hide_index=True, width="stretch")
else:
    st.caption("These runs used different seeds or numbers of replications, so their differences are not paired; "
               "compare the confidence intervals above.")
left, right = st.columns(2)
with left:
    chart(charts.tonnage_distribution(data, labels=labels, bands=dashboard.ARTICLE_BANDS_T_PER_MONTH),
          key="history_compare_dist")
with right:
    chart(charts.time_breakdown_compare(dashboard.time_breakdown_hours(data), labels=labels),
          key="history_compare_time")
