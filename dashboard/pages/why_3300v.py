"""Why 3,300 V? The article's causal chain, step by step, at two supply voltages side by side.

supply voltage → current → cable and electrical boxes → the machine height they allow →
the clearance under the canopy → rock per pass → speed, picks, jams → tonnes. Every number
comes from ``seamsim.engineering_picture`` (its ``chain``) and a short simulation of each
state (cached); the logic is in ``dashboard/voltage_story.py``.
"""

from __future__ import annotations

import html
import sys
from pathlib import Path

if str(Path(__file__).resolve().parents[2]) not in sys.path:  # opened by a deep link before app.py ran
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import pandas as pd
import streamlit as st

import seamsim
from dashboard import charts, glossary
from dashboard import voltage_story as story
from dashboard.cached_api import explore_result
from dashboard.chart_display import chart
from dashboard.session import open_in_explore, page_setup, restore, save

page_setup()

START = "why_start"
LEFT_V = "why_left_v"
RIGHT_V = "why_right_v"
SEAM = "why_seam_m"
POWER = "why_power_kw"
REPLICATIONS = 3
SEED = 0
STEP_COLUMNS = (1.25, 2.0, 1.25, 2.0)  # widths of a row: the step, the left state, the change, the right state


@st.cache_data(show_spinner=False, max_entries=64)
def _start_defaults(name: str) -> tuple[str, float, float]:
    sc = story.start_scenario(name)
    return sc.title or sc.name, float(sc.seam.height_m), float(sc.machine.cutting_power_kw)


@st.cache_data(show_spinner=False, max_entries=128)
def _state(name: str, seam_m: float, power_kw: float, voltage_v: int) -> story.VoltageState:
    face = story.start_scenario(name, seam_height_m=seam_m, cutting_power_kw=power_kw)
    return story.state_at(face, voltage_v)


def _new_start() -> None:
    """A new starting face: its own seam height and power in the boxes."""
    _, seam_m, power_kw = _start_defaults(st.session_state[START])
    st.session_state[SEAM] = seam_m
    st.session_state[POWER] = power_kw


for key, default in ((START, story.START_FILES[0]), (LEFT_V, story.VOLTAGES_V[0]), (RIGHT_V, story.VOLTAGES_V[-1])):
    restore(key, default)
if SEAM not in st.session_state or POWER not in st.session_state:
    _, st.session_state[SEAM], st.session_state[POWER] = _start_defaults(st.session_state[START])
    st.session_state[SEAM] = float(st.session_state.get(f"_saved:{SEAM}", st.session_state[SEAM]))
    st.session_state[POWER] = float(st.session_state.get(f"_saved:{POWER}", st.session_state[POWER]))

st.title("Why 3,300 V?")
st.markdown(
    "The article's claim is a chain: **a higher supply voltage** needs less **current** for the same power, so "
    "a thinner **cable** and smaller **electrical boxes** — and a **lower machine**. A lower machine passes "
    "under the shields with **clearance** to spare, cuts **no roof rock**, runs **faster**, wears fewer "
    "**picks** and **jams** less: more **tonnes**. Below, the same face at two voltages, step by step, "
    "with the model's own numbers (the machine height is derived from power and voltage)."
)

top = st.columns((2.4, 1, 1))
with top[0]:
    st.selectbox("Start from", story.START_FILES, key=START, on_change=_new_start,
                 format_func=lambda name: _start_defaults(name)[0],
                 help="One of the article's scenarios; both columns are this face, only the supply voltage "
                      "(and a trailing cable that carries its current) differ.")
with top[1]:
    st.number_input("Seam height [m]", min_value=0.5, max_value=1.5, step=0.01, format="%.2f", key=SEAM,
                    help=glossary.help_for("clearance"))
with top[2]:
    st.number_input("Cutting power [kW]", min_value=100.0, max_value=1500.0, step=10.0, format="%.0f", key=POWER,
                    help="Installed cutting power of the shearer, all cutting motors.")
save(START, LEFT_V, RIGHT_V, SEAM, POWER)

name = st.session_state[START]
seam_m, power_kw = float(st.session_state[SEAM]), float(st.session_state[POWER])


def _voltage_radio(key: str, label: str) -> int:
    return int(st.radio(label, story.VOLTAGES_V, key=key, horizontal=True, format_func=lambda v: f"{v:,} V",
                        help=glossary.help_for("supply voltage")))


head = st.columns(STEP_COLUMNS, vertical_alignment="bottom")
head[0].markdown("**Step**")
with head[1]:
    left_v = _voltage_radio(LEFT_V, "Left: supply voltage")
head[2].markdown("**Change →**")
with head[3]:
    right_v = _voltage_radio(RIGHT_V, "Right: supply voltage")

try:
    with st.spinner("Working out both faces…"):
        left = _state(name, seam_m, power_kw, left_v)
        right = _state(name, seam_m, power_kw, right_v)
except seamsim.ScenarioError as error:
    st.error("**These settings are not a valid face:**\n\n" + "\n".join(f"- {line}" for line in str(error).splitlines()),
             icon=":material/error:")
    st.stop()

if left_v == right_v:
    st.info("Both columns are at the same voltage: pick the other voltage on one side to see what it changes.",
            icon=":material/info:")


def _arrow(row: story.ChainRow) -> str:
    if not row.delta or row.delta == "no change":
        return f"→ {row.delta or ''}".rstrip()
    color = {True: "green", False: "red", None: "gray"}[row.better]
    return f":{color}[→ **{row.delta}**]"


def _step_row(row: story.ChainRow, number: int | None = None) -> None:
    cols = st.columns(STEP_COLUMNS)
    term = glossary.CHAIN_TERMS.get(row.key)
    label = f"{number}. {row.step}" if number is not None else row.step
    cols[0].markdown(f"**{label}**", help=glossary.help_for(term) if term else None)
    cols[1].markdown(_cell(row.left, row.left_why), unsafe_allow_html=True)
    cols[2].markdown(_arrow(row))
    cols[3].markdown(_cell(row.right, row.right_why), unsafe_allow_html=True)


def _cell(value: str, why: str) -> str:
    """A state's value with the model's reason below it, in small grey type."""
    text = html.escape(value)
    if why:
        text += f"<br><span style='font-size:0.8em;color:#6b6b6b;line-height:1.25'>{html.escape(why)}</span>"
    return text


def _reasons(state: story.VoltageState, col) -> None:
    if not state.feasible:
        col.error(f"**At {state.voltage_v:,} V this face cannot be worked:**\n"
                  + "\n".join(f"- {r}" for r in state.picture.get("reasons", [])), icon=":material/block:")


notes = st.columns(STEP_COLUMNS)
_reasons(left, notes[1])
_reasons(right, notes[3])

st.subheader("From the voltage to the machine")
rows = story.chain_rows(left, right)
split = next((i for i, r in enumerate(rows) if r.key == "spare_clearance_mm"), len(rows))
for i, row in enumerate(rows[:split], start=1):
    _step_row(row, i)

st.subheader("The clearance picture")
st.caption("The gap between the body top and the canopy, magnified and on the same scale for both: green "
           "is spare clearance, red the body taller than the space and the roof rock it must cut.")
detail = charts.common_detail_range([left.picture, right.picture])
pictures = st.columns(2)
for col, state, side in ((pictures[0], left, "left"), (pictures[1], right, "right")):
    with col:
        spare = state.picture.get("spare_clearance_mm") or 0.0
        title = f"{state.voltage_v:,} V: {state.picture.get('machine_height_mm', 0):,.0f} mm machine, " + (
            f"{spare:+,.0f} mm spare" if spare >= 0 else f"{-spare:,.0f} mm too tall")
        chart(charts.cross_section(state.picture, title=title, detail_only=True, detail_range_mm=detail),
              key=f"why_section_{side}")

st.subheader("From the clearance to the coal")
for i, row in enumerate(rows[split:], start=split + 1):
    _step_row(row, i)

st.subheader("A month of each")
days = float(left.scenario.run.days)
st.caption(f"Simulated: {REPLICATIONS} replications of {days:g} days each, seed {SEED}, the same random "
           "failures for both (common random numbers). For narrower intervals run the pair in Compare.")
with st.spinner("Simulating both faces…"):
    runs = [explore_result(s.scenario, SEED, REPLICATIONS).runs if s.feasible else pd.DataFrame()
            for s in (left, right)]
month = story.month_rows(runs[0], runs[1], days=days, left_ok=left.feasible, right_ok=right.feasible)
for row in month:
    _step_row(row)

tonnes = next(r for r in month if r.key == "rom_t_per_month")
if left.feasible and right.feasible and left_v != right_v:
    lo, hi = sorted((left, right), key=lambda s: s.voltage_v)
    st.success(
        f"**In short:** at {hi.voltage_v:,} V this face draws {hi.picture['rated_current_a']:,.0f} A instead of "
        f"{lo.picture['rated_current_a']:,.0f} A; the machine built for it is "
        f"{hi.picture['machine_height_mm']:,.0f} mm tall instead of {lo.picture['machine_height_mm']:,.0f} mm, "
        f"leaves {hi.picture['spare_clearance_mm']:+,.0f} mm instead of {lo.picture['spare_clearance_mm']:+,.0f} mm "
        f"under the canopy and cuts {hi.picture['rock_cut_mm']:,.0f} mm of rock instead of "
        f"{lo.picture['rock_cut_mm']:,.0f} mm. Run-of-mine a month: "
        + (f"{tonnes.left} → {tonnes.right}." if left is lo else f"{tonnes.right} → {tonnes.left}."),
        icon=":material/bolt:")

st.caption("Try: a thinner seam (0.70 m) makes the 1,140 V machine cut much more rock; the 400 kW before-face "
           "shows that even a small machine is lower at 3,300 V.")
buttons = st.columns(2)
for col, state, side in ((buttons[0], left, "left"), (buttons[1], right, "right")):
    col.button(f"Open the {state.voltage_v:,} V face in Explore", key=f"why_open_{side}",
               icon=":material/open_in_new:", on_click=open_in_explore, width="stretch",
               kwargs={"scenario": state.scenario, "label": f"{state.scenario.title or state.scenario.name} "
                                                            f"at {state.voltage_v:,} V (Why 3,300 V?)",
                       "seed": SEED, "replications": REPLICATIONS})
