"""Compare: two or more scenarios with common random numbers, and where the gain comes from.

Replication *i* of every scenario uses the same seed, so differences are paired: the
confidence interval of a difference is much narrower than the two intervals side by side.
The waterfall applies the differences from one scenario to another one factor at a time.
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
from dashboard import charts, decomposition, report_job, result_panel
from dashboard.cached_api import picture
from dashboard.chart_display import chart
from dashboard.comparison_tables import headline, paired_table, summary_table
from dashboard.history import HistoryStore
from dashboard.history_recording import history_store, record_run
from dashboard.job_panel import job_panel, start_job
from dashboard.presets import (
    EXPLORE_CURRENT,
    scenario_for_option,
    scenario_option_label,
    scenario_options,
)
from dashboard.scenario_labels import short_labels
from dashboard.session import page_setup, restore, save

page_setup()

PICK = "compare_pick"
REPS = "compare_reps"
SEED = "compare_seed"
JOB = "compare_job"
DJOB = "compare_decompose_job"
RJOB = "compare_report_job"
ORDER = "compare_order"
GROUPED = "compare_grouped"
options = scenario_options()
_label = scenario_option_label


def _scenario(key: str) -> seamsim.Scenario:
    sc = scenario_for_option(key)
    if key == EXPLORE_CURRENT:  # keep it apart from the preset it started from
        return seamsim.apply_overrides(sc, {"name": f"{sc.name[:60]}-explore", "title": f"{sc.title or sc.name} (Explore)"})
    return sc


def _chunk(total: int) -> int:
    return max(1, math.ceil(total / 25))


def _compare_work(scenarios: list[seamsim.Scenario], reps: int, seed: int, history_path: str):
    def work(progress):
        result = seamsim.compare(scenarios, reps, seed, executor="serial", progress=progress,
                                 chunk_size=_chunk(len(scenarios) * reps), kpis=list(dashboard.COMPARE_KPIS))
        runs = dashboard.normalise_runs(result.experiment.runs)
        kpis = dashboard.summarize(runs, list(dashboard.KPIS))  # the experiment layer's statistics
        paired = dashboard.paired_differences(runs, list(dashboard.COMPARE_KPIS))
        status = "ok" if (runs["status"] == "ok").all() else "some infeasible"
        labels = " vs ".join(short_labels(scenarios).values())
        record_run("compare", f"Compare: {labels}", scenarios, seed, reps, None, runs, status=status,
                   store=HistoryStore(history_path))
        return {"runs": runs, "kpis": kpis, "paired": paired, "scenarios": scenarios, "complete": True,
                "seed": seed, "replications": reps, "created_at": datetime.now(timezone.utc),
                "comparison": result}

    return work


def _start_compare() -> None:
    """The *Run* button's callback: start the comparison as a background job."""
    st.session_state.pop("compare_error", None)
    try:
        chosen = dashboard.unique_names([_scenario(k) for k in st.session_state.get(PICK, [])])
    except seamsim.ScenarioError as error:
        st.session_state["compare_error"] = f"A scenario does not load:\n\n```\n{error}\n```"
        return
    if len(chosen) < 2:
        return
    seed = int(st.session_state[SEED])
    start_job(JOB, _compare_work(chosen, int(st.session_state[REPS]), seed, str(history_store().path)),
              f"Comparing {len(chosen)} scenarios", seed=seed)
    st.session_state.pop(DJOB, None)
    st.session_state.pop(RJOB, None)


def _start_decompose(scenarios: list[seamsim.Scenario], labels: dict[str, str], reps: int, seed: int) -> None:
    """The *Decompose* button's callback."""
    a_name, b_name = st.session_state["compare_from"], st.session_state["compare_to"]
    a = next(sc for sc in scenarios if sc.name == a_name)
    b = next(sc for sc in scenarios if sc.name == b_name)
    order = [f for f in st.session_state.get(ORDER, []) if f in decomposition.factors_between(a, b)]
    grouped = bool(st.session_state.get(GROUPED, True))
    start_job(DJOB, decomposition.decomposition_work(a, b, reps, seed, order, grouped),
              f"Decomposing {labels[a_name]} → {labels[b_name]}", a=a_name, b=b_name)


# ---------------------------------------------------------------- inputs
st.title("Compare scenarios")
st.caption("Each scenario runs the same replications with the same seeds (common random numbers), so the "
           "differences are paired: the first scenario is the baseline.")
default = [k for k in (f"bundled:{dashboard.ARTICLE_BEFORE}", f"bundled:{dashboard.ARTICLE_AFTER}") if k in options]
restore(PICK, default or options[:2])
st.session_state[PICK] = [k for k in st.session_state[PICK] if k in options]
restore(REPS, 30)
restore(SEED, 0)
pick = st.multiselect("Scenarios (the first is the baseline)", options, key=PICK, format_func=_label)
c1, c2, c3 = st.columns([2, 1, 1])
with c1:
    reps = st.slider("Replications per scenario", 2, 200, key=REPS)
with c2:
    seed = st.number_input("Seed", min_value=0, max_value=2**31 - 1, step=1, key=SEED)
save(PICK, REPS, SEED)
job = st.session_state.get(JOB)
running = isinstance(job, dashboard.Job) and job.running
with c3:
    st.write("")
    st.button("Run the comparison", type="primary", icon=":material/play_arrow:", disabled=len(pick) < 2 or running,
              width="stretch", on_click=_start_compare)
if len(pick) < 2:
    st.info("Pick two or more scenarios.")
else:
    has_results = isinstance(job, dashboard.Job) and job.result is not None and not job.running
    # folded once results exist, so they appear right under the Run button
    with st.expander("The faces side by side: clearance under the canopy (no simulation needed)",
                     expanded=not has_results):
        faces = []
        for key in pick[:6]:
            try:
                sc = _scenario(key)
            except seamsim.ScenarioError:
                continue
            faces.append((key, sc, picture(sc)))
        window = charts.common_detail_range([pic for _, _, pic in faces])
        cols = st.columns(min(len(faces), 3) or 1)
        for i, (key, sc, pic) in enumerate(faces):
            with cols[i % len(cols)]:
                st.markdown(f"**{sc.title or sc.name}**")
                fig = charts.cross_section(pic, title="", detail_only=True, detail_range_mm=window)
                fig.update_layout(height=300, margin={"t": 30})
                chart(fig, key=f"compare_cross:{key}")
                speed = pic.get("cutting_speed_m_per_min")
                st.caption(
                    f"clearance **{pic['spare_clearance_mm']:+,.0f} mm** · line current {pic['line_current_a']:,.0f} A · "
                    f"cable {pic['cable_loading_pct']:,.0f} % of rating · cuts at "
                    f"{speed:.1f} m/min, bound by {charts.limit_label(pic.get('binding_limit', ''))}"
                )
if st.session_state.get("compare_error"):
    st.error(st.session_state["compare_error"])
    st.stop()

if not isinstance(job, dashboard.Job):
    st.stop()
if job.running:
    job_panel(job, JOB)
    st.stop()
if job.error:
    if job.cancelled:
        st.info("Stopped. Run the comparison again to see results.")
    else:
        st.error(f"The comparison failed: {job.error}")
    st.stop()
if job.result is None:
    st.info("Stopped before any run finished.")
    st.stop()

# ---------------------------------------------------------------- results
res = job.result
scenarios: list[seamsim.Scenario] = res["scenarios"]
labels = short_labels(scenarios)
runs, kpis, paired = res["runs"], res["kpis"], res["paired"]
base_label = labels[scenarios[0].name]
result_panel.provenance_caption([sc.name for sc in scenarios], res.get("seed", job.meta.get("seed", 0)),
                                int(runs["replication"].nunique()), res.get("created_at"),
                                more=f"{len(runs):,} runs in {job.elapsed_s:,.1f} s")
for sc in scenarios:
    rows = runs[runs["scenario"] == sc.name]
    if len(rows) and (rows["status"] != "ok").any():
        reasons = [r for r in str(rows["reasons"].iloc[0]).split("; ") if r]
        st.error(f"**{labels[sc.name]} cannot be worked:**\n" + "\n".join(f"- {r}" for r in reasons))

for line in headline(paired, labels, base_label):
    st.success(line, icon=":material/trending_up:" if "more" in line else ":material/trending_down:")
st.subheader("Side by side")
st.dataframe(summary_table(kpis, dashboard.COMPARE_KPIS, labels), hide_index=True, width="stretch")
st.subheader(f"Differences from {base_label} (paired)")
st.dataframe(paired_table(paired[paired["kpi"].isin(dashboard.COMPARE_KPIS)], labels), hide_index=True,
             width="stretch")
left, right = st.columns(2)
with left:
    chart(charts.tonnage_distribution(runs, labels=labels, bands=dashboard.ARTICLE_BANDS_T_PER_MONTH,
                                      title="Monthly output, every replication"), key="compare_dist")
with right:
    chart(charts.paired_differences_chart(paired, labels=labels, baseline_label=base_label), key="compare_paired")
chart(charts.time_breakdown_compare(dashboard.time_breakdown_hours(runs), labels=labels), key="compare_time")
shares = dashboard.limit_shares(runs)
if not shares.empty:
    chart(charts.limit_shares_compare(shares, labels=labels), key="compare_limits")
chart(charts.kpi_bars(kpis, ["rom_t_per_month", "running_ratio", "t_per_worker_shift", "kwh_per_t",
                             "cuts_per_day", "crew_per_shift"],
                      kpi_titles={k: dashboard.kpi(k).title for k in dashboard.KPIS}, labels=labels,
                      scale={k: dashboard.kpi(k).scale for k in dashboard.KPIS}), key="compare_bars")


def _figures(runs=runs, paired=paired, labels=labels, base_label=base_label):
    return {
        "monthly_output": charts.tonnage_distribution(runs, labels=labels, bands=dashboard.ARTICLE_BANDS_T_PER_MONTH),
        "paired_difference": charts.paired_differences_chart(paired, labels=labels, baseline_label=base_label),
        "time_breakdown": charts.time_breakdown_compare(dashboard.time_breakdown_hours(runs), labels=labels),
    }


result_panel.download_results(runs, scenarios, seed=int(res.get("seed", job.meta.get("seed", 0))),
                              replications=int(runs["replication"].nunique()), page="compare", key="compare_zip",
                              created_at=res.get("created_at"), figures=_figures)


# ---------------------------------------------------------------- the report to hand out
if res.get("comparison") is not None:
    report_job.report_section(res["comparison"], RJOB, seed=int(job.meta.get("seed", 0)))

# ---------------------------------------------------------------- decomposition
st.subheader("Where the gain comes from")
st.caption("Start from one scenario and apply the other's settings one group at a time (voltage and machine, "
           "shield control, face-end automation, remote control, crew…): each bar is the paired change of that "
           "step, and the order matters (an automatic shield advance is worth more on a fast machine). Beside it, "
           "the same gain split **whatever the order** (Shapley values): each factor's step averaged over every "
           "order, paired replication by replication, with its 95% CI.")
names = [sc.name for sc in scenarios]
d1, d2 = st.columns(2)
with d1:
    a_name = st.selectbox("From", names, index=0, format_func=labels.get, key="compare_from")
with d2:
    b_name = st.selectbox("To", names, index=len(names) - 1, format_func=labels.get, key="compare_to")
by_name = {sc.name: sc for sc in scenarios}
between = decomposition.factors_between(by_name[a_name], by_name[b_name]) if a_name != b_name else []
st.session_state[ORDER] = [f for f in st.session_state.get(ORDER, between) if f in between] or between
st.multiselect("Order of the steps (the waterfall on the left)", between, key=ORDER,
               help="The factors in which the two scenarios differ, in the order they are applied. Remove one "
                    "and add it again to move it to the end; factors left out follow in the table's order. "
                    "The order-free split does not depend on it.")
st.toggle("Order-free: count shield control, face-end automation, remote control and crew as one factor",
          value=True, key=GROUPED,
          help="The after-face's crew of six has no shearer driver or shield men without its automation and "
               "remote control: a coalition with the small crew and without them cannot work (0 t), and the "
               "crew would get a large negative share. Counted as one, every coalition can be worked. Off: "
               "every factor apart (up to 64 coalitions; the page says how many cannot be worked).")
djob = st.session_state.get(DJOB)
st.button("Decompose", icon=":material/waterfall_chart:", disabled=a_name == b_name or (
    isinstance(djob, dashboard.Job) and djob.running), on_click=_start_decompose,
    args=(scenarios, labels, int(runs["replication"].nunique()), int(job.meta.get("seed", 0))))
djob = st.session_state.get(DJOB)
if isinstance(djob, dashboard.Job):
    if djob.running:
        job_panel(djob, DJOB)
    elif djob.error and djob.cancelled:
        st.info("Stopped.")
    elif djob.error:
        st.error(f"The decomposition failed: {djob.error}")
    elif djob.result is not None:
        d, free = djob.result["one_order"], djob.result["order_free"]
        report_job.remember_decomposition(  # the report to hand out reuses it (decomposition_work: days=None)
            report_job.decomposition_key(by_name[djob.meta["a"]], by_name[djob.meta["b"]],
                                         int(runs["replication"].nunique()), int(job.meta.get("seed", 0))),
            d, free)
        k = dashboard.kpi(d.kpi)
        steps = d.steps.rename(columns={"ci95_lo": "lo", "ci95_hi": "hi"})
        a_label, b_label = labels.get(djob.meta["a"], d.a), labels.get(djob.meta["b"], d.b)
        left, right = st.columns(2)
        with left:
            chart(charts.waterfall(steps.assign(factor=[decomposition.factor_label(f) for f in steps["factor"]]),
                                   start_label=a_label, end_label=b_label, start_value=d.total["a_mean"],
                                   end_value=d.total["b_mean"], unit=k.unit,
                                   title="In the order chosen"),
                  key="compare_waterfall")
        with right:
            chart(charts.waterfall(decomposition.order_free_steps(free), start_label=a_label, end_label=b_label,
                                   start_value=free.total["a_mean"], end_value=free.total["b_mean"], unit=k.unit,
                                   title="Whatever the order (Shapley values)"),
                  key="compare_shapley")
        st.caption(f"From **{a_label}** to **{b_label}**, {k.label.lower()}; bars are the paired change of each factor "
                   f"with its 95% CI ({int(runs['replication'].nunique())} replications, "
                   f"common random numbers). Left, in the order {' → '.join(steps['factor'])}; right, each factor "
                   f"averaged over every order ({len(free.coalitions)} coalitions of "
                   f"{len(free.factors)} factor{'s' if len(free.factors) != 1 else ''} run"
                   f"{', sampled orders' if free.method == 'sampled' else ''}).")
        stuck = steps[steps["status"] != "ok"]
        if len(stuck):
            st.warning(f"**{len(stuck)} step{'s' if len(stuck) != 1 else ''} of the chosen order cannot be worked** "
                       f"({', '.join(stuck['factor'])}): the face stands there (0 t) until a later step makes it work "
                       "again, so that step takes the whole gain. Choose another order, or read the order-free "
                       "split.", icon=":material/warning:")
        note = decomposition.coalition_note(free.coalitions, bool(djob.result.get("grouped")))
        if note:
            st.warning(note, icon=":material/warning:")
        st.markdown("**In the order chosen**")
        table = pd.DataFrame({
            "step": steps["order"],
            "factor": steps["factor"],
            "change": [k.format(v, signed=True) for v in steps["delta"]],
            "95% CI": [f"{k.format(lo, signed=True)} to {k.format(hi, signed=True)}"
                       for lo, hi in zip(steps["lo"], steps["hi"], strict=True)],
            "share of the gain": [f"{s:.0%}" if math.isfinite(s) else "—" for s in steps["share"]],
            "fields changed": steps["fields"],
            "status": steps["status"],
        })
        st.dataframe(table, hide_index=True, width="stretch")
        st.markdown("**Whatever the order (Shapley values)**")
        st.dataframe(decomposition.order_free_table(free, k.format), hide_index=True, width="stretch")
        with st.expander(f"Every coalition run for the order-free split ({len(free.coalitions)})"):
            st.dataframe(free.coalitions.assign(mean=[k.format(v) for v in free.coalitions["mean"]])
                         [["coalition", "status", "mean", "reasons"]].rename(columns={"mean": k.label}),
                         hide_index=True, width="stretch")
