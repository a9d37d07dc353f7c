"""Sweep: vary one or two settings over a range and see a KPI with its confidence band; and
the feasible region of seam height against installed power at 1,140 V and at 3,300 V.
"""

from __future__ import annotations

import sys
from pathlib import Path

if str(Path(__file__).resolve().parents[2]) not in sys.path:  # opened by a deep link before app.py ran
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import math
from datetime import datetime, timezone

import pandas as pd
import streamlit as st

import dashboard
import seamsim
from dashboard import charts, result_panel
from dashboard.cached_api import feasibility, picture
from dashboard.chart_display import chart
from dashboard.field_values import SECTION_TITLES, field_specs, flatten, format_of, step_of
from dashboard.history import HistoryStore
from dashboard.history_recording import history_store, record_run
from dashboard.job_panel import job_panel, start_job
from dashboard.presets import scenario_for_option, scenario_option_label, scenario_options
from dashboard.scenario_labels import short_label
from dashboard.session import page_setup, restore, save

page_setup()

BASE = "sweep_base"
JOB = "sweep_job"
options = scenario_options()
specs = [s for s in field_specs() if s.kind in ("float", "int")]
by_path = {s.path: s for s in specs}
KPI_CHOICES = list(dict.fromkeys([*dashboard.COMPARE_KPIS, "rom_t", "rock_t", "energy_kwh", "cable_loss_kwh",
                                  "min_clearance_mm", "start_dip_pct", "cable_loading_pct"]))
_label = scenario_option_label
_scenario = scenario_for_option


def _spec_label(path: str) -> str:
    spec = by_path[path]
    return f"{spec.title} — {SECTION_TITLES.get(spec.section, spec.section).lower()}" + (
        f" ({spec.group})" if spec.group else "")


def _range_inputs(path: str, base_value: float, slot: str, n_default: int) -> tuple:
    spec = by_path[path]
    lo_b = spec.lo if spec.lo is not None else 0.0
    hi_b = spec.hi if spec.hi is not None else max(1.0, 2 * base_value)
    if spec.kind == "int":
        lo0, hi0 = int(max(lo_b, base_value - 2)), int(min(hi_b, base_value + 2))
    elif base_value:
        lo0, hi0 = max(lo_b, base_value * 0.75), min(hi_b, base_value * 1.25)
    else:
        lo0, hi0 = lo_b, lo_b + (hi_b - lo_b) / 4
    step = step_of(spec)
    cols = st.columns(3)
    kw = {} if spec.kind == "int" else {"format": format_of(step, lo0), "step": float(step)}
    cast = int if spec.kind == "int" else float
    lo = cols[0].number_input("from", min_value=cast(lo_b), max_value=cast(hi_b), value=cast(lo0),
                              key=f"sweep_lo:{slot}:{path}", **kw)
    hi = cols[1].number_input("to", min_value=cast(lo_b), max_value=cast(hi_b), value=cast(hi0),
                              key=f"sweep_hi:{slot}:{path}", **kw)
    n = cols[2].number_input("points", min_value=2, max_value=25, value=n_default, step=1, key=f"sweep_n:{slot}")
    return lo, hi, int(n)


def _sweep_work(base: seamsim.Scenario, design: list[dict], reps: int, seed: int, history_path: str, label: str):
    def work(progress):
        result = seamsim.run_experiment(base, reps, seed, design=design, executor="serial", progress=progress,
                                        chunk_size=max(1, math.ceil(len(design) * reps / 40)))
        runs = dashboard.normalise_runs(result.runs)
        if len(runs):
            record_run("sweep", label, [base], seed, reps, None, runs, store=HistoryStore(history_path),
                       design=design)
        return {"runs": runs, "fields": list(result.fields), "base": base, "seed": seed, "replications": reps,
                "design": design, "created_at": datetime.now(timezone.utc)}

    return work


def _start_sweep(base: seamsim.Scenario, axes: list[dashboard.SweepAxis]) -> None:
    """The *Run* button's callback: check every point, then start the sweep as a background job."""
    st.session_state.pop("sweep_error", None)
    try:
        dashboard.sweep_points(base, axes)  # every point must be a valid scenario
    except seamsim.ScenarioError as error:
        st.session_state["sweep_error"] = f"Some points are not valid scenarios:\n\n```\n{error}\n```"
        return
    design = [dict(zip([a.path for a in axes], combo, strict=True)) for combo in
              pd.MultiIndex.from_product([list(a.values) for a in axes]).tolist()]
    reps, seed = int(st.session_state["sweep_reps"]), int(st.session_state["sweep_seed"])
    label = "Sweep: " + " × ".join(a.path for a in axes) + f" on {short_label(base)}"
    start_job(JOB, _sweep_work(base, design, reps, seed, str(history_store().path), label),
              f"Sweeping {len(design)} points", axes=[a.path for a in axes])


st.title("Sweep")
tab_sweep, tab_region = st.tabs(["Vary one or two settings", "Feasible region: 1,140 V against 3,300 V"])

# ---------------------------------------------------------------- sweep
with tab_sweep:
    restore(BASE, f"bundled:{dashboard.ARTICLE_AFTER}" if f"bundled:{dashboard.ARTICLE_AFTER}" in options else options[0])
    if st.session_state[BASE] not in options:
        st.session_state[BASE] = options[0]
    base_key = st.selectbox("Scenario", options, key=BASE, format_func=_label)
    save(BASE)
    try:
        base = _scenario(base_key)
    except seamsim.ScenarioError as error:
        st.error(f"This scenario does not load:\n\n```\n{error}\n```")
        st.stop()
    flat = flatten(base)
    paths = list(by_path)
    p1 = st.selectbox("Setting to vary", paths, index=paths.index("seam.height_m"), format_func=_spec_label,
                      key="sweep_p1")
    lo1, hi1, n1 = _range_inputs(p1, float(flat[p1]), "1", 7)
    two = st.toggle("Vary a second setting too (heat map)", key="sweep_two")
    axes = [dashboard.SweepAxis(p1, dashboard.sweep_values(lo1, hi1, n1, integer=by_path[p1].kind == "int"))]
    if two:
        p2 = st.selectbox("Second setting", paths, index=paths.index("machine.cutting_power_kw"),
                          format_func=_spec_label, key="sweep_p2")
        lo2, hi2, n2 = _range_inputs(p2, float(flat[p2]), "2", 5)
        if p2 == p1:
            st.warning("Pick two different settings.")
        else:
            axes.append(dashboard.SweepAxis(p2, dashboard.sweep_values(lo2, hi2, n2, integer=by_path[p2].kind == "int")))
    c1, c2, c3 = st.columns(3)
    kpi_key = c1.selectbox("Result", KPI_CHOICES, format_func=lambda k: dashboard.kpi(k).title, key="sweep_kpi")
    reps = c2.slider("Replications per point", 2, 100, 10, key="sweep_reps")
    seed = c3.number_input("Seed", min_value=0, max_value=2**31 - 1, value=0, step=1, key="sweep_seed")
    n_points = math.prod(len(a.values) for a in axes)
    job = st.session_state.get(JOB)
    running = isinstance(job, dashboard.Job) and job.running
    st.button(f"Run {n_points} points × {int(reps)} replications = {n_points * int(reps):,} runs",
              type="primary", icon=":material/play_arrow:", disabled=running, on_click=_start_sweep,
              args=(base, axes))
    if st.session_state.get("sweep_error"):
        st.error(st.session_state["sweep_error"])
    job = st.session_state.get(JOB)
    if isinstance(job, dashboard.Job):
        if job.running:
            job_panel(job, JOB)
        elif job.error and not job.cancelled:
            st.error(f"The sweep failed: {job.error}")
        elif job.result is not None:
            runs, fields = job.result["runs"], job.result["fields"]
            if job.cancelled:
                st.info(f"Stopped after {len(runs):,} runs; the points below use what finished.")
            if not len(runs):
                st.info("No run finished.")
            else:
                table = dashboard.summarize(runs, [kpi_key], by="point")
                values = runs.groupby("point")[fields].first()
                table = table.join(values, on="point")
                infeasible = runs.groupby("point")["status"].apply(lambda s: int((s != "ok").sum()))
                table["infeasible runs"] = table["point"].map(infeasible)
                k = dashboard.kpi(kpi_key)
                scaled = table.copy()
                for col in ("mean", "lo", "hi"):
                    scaled[col] = scaled[col] * k.scale
                titles = {f: by_path[f].title if f in by_path else f for f in fields}
                if len(fields) == 1:
                    chart(charts.sweep_line(scaled, x=fields[0], x_title=titles[fields[0]], y_title=k.title,
                                            title=f"{k.label} against {titles[fields[0]].lower()} (mean, 95% CI)"),
                          key="sweep_line")
                else:
                    chart(charts.heatmap(scaled, x=fields[0], y=fields[1], x_title=titles[fields[0]],
                                         y_title=titles[fields[1]], z_title=k.unit or k.label,
                                         title=f"{k.label} (mean over replications)"), key="sweep_heatmap")
                if (table["infeasible runs"] > 0).any():
                    st.warning("Some points cannot be worked (their runs are infeasible and count as zero output): "
                               + ", ".join(f"{' / '.join(str(r[f]) for f in fields)}"
                                           for _, r in table[table["infeasible runs"] > 0].iterrows()))
                shown = table[[*fields, "mean", "lo", "hi", "n", "infeasible runs"]].copy()
                for col in ("mean", "lo", "hi"):
                    shown[col] = [k.format(v) for v in shown[col]]
                shown = shown.rename(columns={**titles, "mean": k.label, "lo": "95% CI low", "hi": "95% CI high",
                                              "n": "replications"})
                st.dataframe(shown, hide_index=True, width="stretch")
                res = job.result
                result_panel.provenance_caption([res["base"].name], res["seed"], res["replications"],
                                                res["created_at"], more=f"{len(table)} points: "
                                                + dashboard.design_summary(res["design"]))
                result_panel.download_results(runs, [res["base"]], seed=res["seed"], replications=res["replications"],
                                              page="sweep", key="sweep_zip", created_at=res["created_at"],
                                              extra={"design": res["design"]})

# ---------------------------------------------------------------- feasible region
with tab_region:
    st.markdown(
        "Where can a face work at all? Each panel keeps one face's machine, cable and everything else, and "
        "changes only the **seam height** and the **installed cutting power**. Red: the face cannot be worked "
        "(the machine cannot pass under the canopies, the cable cannot carry the current, a motor cannot "
        "start). Yellow: it works, but the machine must cut roof rock or the cable carries more than its "
        "rating (hot, trips). Green: coal only, within the cable's rating. No simulation: this is the "
        "engineering check of every point (hover for the reasons)."
    )
    low_default = f"bundled:{dashboard.ARTICLE_BEFORE}" if f"bundled:{dashboard.ARTICLE_BEFORE}" in options else options[0]
    high_default = f"bundled:{dashboard.ARTICLE_AFTER}" if f"bundled:{dashboard.ARTICLE_AFTER}" in options else options[0]
    c1, c2 = st.columns(2)
    low_key = c1.selectbox("The face at 1,140 V", options, index=options.index(low_default), format_func=_label,
                           key="region_low")
    high_key = c2.selectbox("The face at 3,300 V", options, index=options.index(high_default), format_func=_label,
                            key="region_high")
    c1, c2, c3 = st.columns(3)
    h_lo, h_hi = c1.slider("Seam heights [m]", 0.4, 2.0, (0.55, 1.3), 0.05, key="region_h")
    p_lo, p_hi = c2.slider("Installed cutting power [kW]", 100, 2000, (200, 1500), 50, key="region_p")
    res = c3.slider("Resolution (points per axis)", 8, 40, 24, key="region_n")
    try:
        low, high = _scenario(low_key), _scenario(high_key)
    except seamsim.ScenarioError as error:
        st.error(f"A scenario does not load:\n\n```\n{error}\n```")
        st.stop()
    grid = feasibility(low, high, (h_lo, h_hi), (p_lo, p_hi), int(res))
    low_pic, high_pic = picture(seamsim.apply_overrides(low, {"electrical.supply_voltage_v": 1140})), picture(
        seamsim.apply_overrides(high, {"electrical.supply_voltage_v": 3300}))
    titles = {
        1140: f"<b>1,140 V</b> · {low_pic['machine_height_mm']:,.0f} mm machine · {low.electrical.cable_csa_mm2} mm²",
        3300: f"<b>3,300 V</b> · {high_pic['machine_height_mm']:,.0f} mm machine · {high.electrical.cable_csa_mm2} mm²",
    }
    markers = [
        {"supply_voltage_v": 1140, "seam_height_m": low.seam.height_m, "cutting_power_kw": low.machine.cutting_power_kw,
         "label": short_label(low)},
        {"supply_voltage_v": 3300, "seam_height_m": high.seam.height_m, "cutting_power_kw": high.machine.cutting_power_kw,
         "label": short_label(high)},
    ]
    chart(charts.feasible_region(grid, panel_titles=titles, markers=markers), key="region_chart")
    counts = grid.groupby(["supply_voltage_v", "category"]).size().unstack(fill_value=0)
    st.caption("Points per category: " + "; ".join(
        f"{v:,} V — " + ", ".join(f"{c}: {int(counts.loc[v].get(c, 0))}" for c in dashboard.FEASIBILITY_LABELS)
        for v in counts.index))
