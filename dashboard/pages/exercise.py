"""Exercise: a trainer's diagnosis question on a face, answered by students, checked by the model.

A student chooses an exercise, sees only the settings it makes visible (the hidden ones are
never rendered: not as widgets, not in captions, tooltips, warnings or downloads; the
scenario's own name, title and description are never shown either), runs the face within
the exercise's run budget, submits an answer with a reason and gets the model's feedback.
The *Trainer view* shows the answer key and the class summary of the answers kept in the
SQLite history (``exercise_answers``).
"""

from __future__ import annotations

import sys
from pathlib import Path

if str(Path(__file__).resolve().parents[2]) not in sys.path:  # opened by a deep link before app.py ran
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import math
import os
import re

import pandas as pd
import streamlit as st
import yaml

import dashboard
import seamsim
from dashboard import charts
from dashboard.chart_display import chart
from dashboard.field_values import (
    FieldSpec,
    coerce,
    field_specs,
    format_of,
    overrides_from,
    step_of,
)
from dashboard.history_recording import history_store
from dashboard.history_records import HistoryError
from dashboard.session import page_setup, restore, save
from seamsim.exercise import (
    CAUSES,
    AnswerKey,
    ExerciseError,
    LoadedExercise,
    answer_key,
    exercise_dir,
    exercise_paths,
    feedback,
    load_exercise_text,
)
from seamsim.experiment.stats import estimate

page_setup()

PICK = "exercise_pick"
TRAINER = "exercise_trainer"
TRAINER_CODE_ENV = "SEAMSIM_TRAINER_CODE"
# KPI cards of a student's run (a KPI that repeats a hidden input is left out)
CARD_KPIS = ("rom_t_per_month", "running_ratio", "t_per_worker_shift", "cuts_per_day", "voltage_drop_pct",
             "crew_per_shift")


@st.cache_data(show_spinner=False, max_entries=32)
def _read(path: str) -> str:
    return Path(path).read_text(encoding="utf-8", errors="replace")


@st.cache_data(show_spinner=False, max_entries=32)
def _exercise(path: str, text: str) -> LoadedExercise:
    return load_exercise_text(text, source=Path(path).name, base_dir=Path(path).parent,
                              scenario_dir=dashboard.scenario_dir())


@st.cache_data(show_spinner="The model works out the answer key…", max_entries=16)
def _key(path: str, text: str) -> AnswerKey:
    return answer_key(_exercise(path, text))


@st.cache_data(show_spinner=False, max_entries=256)
def _student_runs(scenario_json: str, replications: int, seed: int, days: float) -> pd.DataFrame:
    scenario = dashboard.scenario_from_json(scenario_json)
    return dashboard.experiment_runs([scenario], replications, seed, days=days)


def _title_of(path: str) -> str:
    try:
        return _exercise(path, _read(path)).exercise.title
    except ExerciseError:
        return f"{Path(path).stem} (does not validate)"


def _mean_ci(values: pd.Series) -> tuple[float, float, float]:
    e = estimate(pd.to_numeric(values, errors="coerce").to_numpy(dtype=float))
    return e.mean, e.ci95_lo, e.ci95_hi


def _cause_label(key: str) -> str:
    return next((c.label for c in CAUSES if c.key == key), key)


# ---------------------------------------------------------------- settings (visible only)
def _spec(path: str) -> FieldSpec:
    return next(s for s in field_specs() if s.path == path)


def _field(ex: LoadedExercise, spec: FieldSpec, key: str):
    """One visible setting's widget; its label and help pass through the exercise's redaction."""
    label, help_text = ex.redact(spec.title), ex.redact(spec.description) or None
    if spec.kind == "bool":
        return st.toggle(label, key=key, help=help_text)
    if spec.kind == "choice":
        return st.selectbox(label, list(spec.choices), key=key, help=help_text, format_func=lambda v: ex.redact(str(v)))
    if spec.kind == "int":
        return st.number_input(label, min_value=int(spec.lo) if spec.lo is not None else None,
                               max_value=int(spec.hi) if spec.hi is not None else None, step=1, key=key, help=help_text)
    step = step_of(spec)
    current = st.session_state.get(key)
    return st.number_input(label, min_value=float(spec.lo) if spec.lo is not None else None,
                           max_value=float(spec.hi) if spec.hi is not None else None, step=float(step), key=key,
                           help=help_text, format=format_of(step, current if isinstance(current, int | float) else None))


def _settings(ex: LoadedExercise, prefix: str) -> dict:
    start = ex.visible_values()
    if st.session_state.get(f"{prefix}loaded") != ex.digest:
        for path, value in start.items():
            st.session_state[f"{prefix}{path}"] = coerce(_spec(path), value)
        st.session_state[f"{prefix}loaded"] = ex.digest
    values = {}
    cols = st.columns(2)  # three a row cut a toggle's label at 1,024 px
    for i, path in enumerate(ex.exercise.visible):
        with cols[i % 2]:
            values[path] = _field(ex, _spec(path), f"{prefix}{path}")
    return overrides_from(values, start)


def _run(ex: LoadedExercise, changes: dict, state: str) -> None:
    """The *Run* button's callback: one run within the budget."""
    runs_made: list = st.session_state.setdefault(state, [])
    if len(runs_made) >= ex.exercise.runs.budget:
        return
    try:
        scenario = ex.student_scenario(changes)
    except seamsim.ScenarioError as error:
        st.session_state[f"{state}:error"] = ex.redact(str(error))
        return
    st.session_state.pop(f"{state}:error", None)
    limits = ex.exercise.runs
    runs = _student_runs(scenario.model_dump_json(), limits.replications, limits.seed, limits.days)
    runs_made.append({"changes": dict(changes), "runs": runs})


def _kpi_cards(ex: LoadedExercise, runs: pd.DataFrame) -> None:
    keys = [k for k in CARD_KPIS if k in runs and not ex.hides_kpi(k)]
    cols = [c for start in range(0, len(keys), 3) for c in st.columns(3)][: len(keys)]
    for col, key in zip(cols, keys, strict=True):
        k = dashboard.kpi(key)
        mean, lo, hi = _mean_ci(runs[key])
        with col:
            st.metric(ex.redact(k.label), ex.redact(k.format(mean)), border=True)
            if math.isfinite(lo) and not math.isclose(lo, hi, rel_tol=1e-9, abs_tol=1e-9):
                st.caption(ex.redact(f"95% CI {k.format(lo).rsplit(' ', 1)[0]} – {k.format(hi)}"))


def _describe(ex: LoadedExercise, changes: dict) -> str:
    if not changes:
        return "the face as given"
    by_path = {s.path: s for s in field_specs()}
    return ex.redact("; ".join(f"{by_path[p].label} → {v:g}" if isinstance(v, float) else f"{by_path[p].label} → {v}"
                               for p, v in changes.items()))


def _show_run(ex: LoadedExercise, record: dict, number: int) -> None:
    runs = record["runs"]
    st.subheader(f"Run {number}: {_describe(ex, record['changes'])}")
    if (runs["status"] != "ok").all():
        reasons = [ex.redact(r) for r in re.split(r"\n|; ", str(runs["reasons"].iloc[0])) if r]
        st.error("**This face cannot be worked:**\n" + "\n".join(f"- {r}" for r in reasons))
        return
    warnings = sorted({ex.redact(x) for text in runs.get("warnings", pd.Series(dtype=str)).astype(str)
                       for x in re.split(r"\n|; ", text) if x and x != "nan"})
    if warnings:
        st.warning("**Watch out:**\n" + "\n".join(f"- {x}" for x in warnings))
    _kpi_cards(ex, runs)
    hours = dashboard.time_breakdown_hours(runs)  # one under the other: side by side they are too narrow to read
    if not hours.empty:
        chart(charts.time_breakdown(hours.iloc[0], title="Where the time goes"), key=f"exercise_time:{number}")
    shares = dashboard.limit_shares(runs)
    if not shares.empty:
        chart(charts.what_holds_back(shares.iloc[0], title="What binds the cutting speed"),
              key=f"exercise_limits:{number}")


def _submit(ex: LoadedExercise, key: AnswerKey, state: str, runs_used: int) -> None:
    """The *Submit* button's callback: the model's feedback, and the answer kept for the trainer."""
    st.session_state.pop(f"{state}:problem", None)
    student = str(st.session_state.get("exercise_student") or "")
    choice = st.session_state.get(f"exercise_choice:{ex.id}")
    reason = str(st.session_state.get(f"exercise_reason:{ex.id}") or "")
    if not student.strip() or choice is None:
        st.session_state[f"{state}:problem"] = "Give your name and choose an answer."
        return
    fb = feedback(key, choice)
    st.session_state[f"{state}:feedback"] = fb
    try:
        history_store().add_exercise_answer(
            exercise_id=ex.id, exercise_digest=ex.digest, student=student.strip(), choice=choice,
            reason=reason.strip(), runs_used=runs_used, correct=fb.correct, verdict=fb.verdict)
        st.session_state[f"{state}:stored"] = True
    except HistoryError as error:
        st.session_state[f"{state}:stored"] = False
        st.session_state[f"{state}:problem"] = f"Your answer could not be kept: {error}"


def _key_table(key: AnswerKey) -> pd.DataFrame:
    """The answer key's ranking for the trainer: people's headers, hours and gains with their 95% CI."""
    r = key.ranking

    def ci(lo: float, hi: float, fmt) -> str:
        return f"{fmt(lo)} to {fmt(hi)}" if math.isfinite(lo) and math.isfinite(hi) else "—"

    if key.kind == "bottleneck":
        table = pd.DataFrame({"rank": r["rank"], "cause": r["label"], "lost [h]": r["lost_h"].round(1),
                              "stopped [h]": r["stopped_h"].round(1), "slowed [h]": r["slowed_h"].round(1),
                              "share": [f"{s:.0%}" if math.isfinite(s) else "—" for s in r["share"]]})
        if key.reference_mean is not None:
            table["more than the reference [h]"] = [f"{g:+,.1f}" for g in r["gap_h"]]
            table["95% CI"] = [ci(lo, hi, lambda v: f"{v:+,.1f}") for lo, hi in zip(r["gap_lo"], r["gap_hi"], strict=True)]
        return table
    unit = dashboard.kpi(key.kpi)
    return pd.DataFrame({"rank": r["rank"], "change": r["candidate"], "cost": r["cost"],
                         "within budget": ["yes" if a else "no" for a in r["affordable"]],
                         "gain": [unit.format(g, signed=True) for g in r["gain"]],
                         "95% CI": [ci(lo, hi, lambda v: unit.format(v, signed=True))
                                    for lo, hi in zip(r["gain_lo"], r["gain_hi"], strict=True)],
                         "status": r["status"]})


# ---------------------------------------------------------------- the page
st.title("Exercise")
paths = [str(p) for p in exercise_paths(exercise_dir())]
if not paths:
    st.info(f"No exercises in {exercise_dir()}. A trainer writes them: see docs/exercises.md.")
    st.stop()
restore(PICK, paths[0])
if st.session_state[PICK] not in paths:
    st.session_state[PICK] = paths[0]
path = st.selectbox("Exercise", paths, key=PICK, format_func=_title_of)
save(PICK)
text = _read(path)
try:
    ex = _exercise(path, text)
except ExerciseError as error:
    st.error("This exercise file does not validate; the trainer can see why with "
             f"`seamsim exercise check {Path(path).name}` ({len(error.issues)} problem"
             f"{'s' if len(error.issues) != 1 else ''}).")
    st.stop()
try:
    key = _key(path, text)
except ExerciseError as error:
    st.error(f"This exercise has no answer key: {ex.redact(str(error))}")
    st.stop()

spec = ex.exercise
question = spec.question
st.header(spec.title)
if spec.intro:
    st.markdown(spec.intro.strip())
unit = dashboard.kpi(key.kpi)
facts = f"This face makes **{unit.format(key.face_mean)}**"
if key.reference_mean is not None:
    facts += f"; {question.reference_label} makes **{unit.format(key.reference_mean)}**"
st.info(f"**{question.text.strip()}**\n\n{facts} ({unit.label.lower()}, {key.replications} replications of "
        f"{key.days:g} days).", icon=":material/quiz:")

state = f"exercise_runs:{ex.id}:{ex.digest[:12]}"
made: list = st.session_state.setdefault(state, [])
left_runs = spec.runs.budget - len(made)
with st.expander(f"Your settings — {len(spec.visible)} you may change", expanded=True):
    changes = _settings(ex, f"exercise:{ex.id}:")
    c1, c2 = st.columns([1, 2])
    with c1:
        st.button(f"Run the face ({left_runs} of {spec.runs.budget} runs left)", type="primary",
                  icon=":material/play_arrow:", disabled=left_runs <= 0, on_click=_run, args=(ex, changes, state),
                  key="exercise_run", width="stretch")
    with c2:
        st.download_button("Download your settings (YAML)", yaml.safe_dump(dict(changes), sort_keys=False) or "{}\n",
                           file_name=f"{ex.id}-my-settings.yaml", mime="application/x-yaml",
                           icon=":material/download:", key="exercise_download")
if st.session_state.get(f"{state}:error"):
    st.error("**These settings are not a valid face:**\n\n" + st.session_state[f"{state}:error"])
if left_runs <= 0:
    st.caption("You have used every run of this exercise. Answer from what you have seen.")

if made:
    summary = pd.DataFrame([{"run": i + 1, "what you changed": _describe(ex, r["changes"]),
                             unit.label: unit.format(_mean_ci(r["runs"][key.kpi])[0])}
                            for i, r in enumerate(made)])
    st.dataframe(summary, hide_index=True, width="stretch")
    _show_run(ex, made[-1], len(made))

# ---------------------------------------------------------------- the answer
st.subheader("Your answer")
if question.kind == "bottleneck":
    choices, label_of = key.choices, _cause_label
else:
    costs = {c.label: c.cost for c in question.candidates}
    choices = [c.label for c in question.candidates]

    def label_of(choice: str) -> str:
        over = " — over budget" if costs[choice] > question.budget else ""
        return f"{choice} (cost {costs[choice]:,g} {question.cost_unit}{over})"

    st.caption(f"Budget: {question.budget:,g} {question.cost_unit}.")
st.text_input("Your name", max_chars=80, key="exercise_student")
st.radio("Your answer", choices, format_func=label_of, index=None, key=f"exercise_choice:{ex.id}")
st.text_area("Why? What in your runs tells you so?", max_chars=2000, key=f"exercise_reason:{ex.id}")
st.button("Submit the answer", type="primary", icon=":material/send:", key="exercise_submit", on_click=_submit,
          args=(ex, key, state, len(made)))
if st.session_state.get(f"{state}:problem"):
    st.error(st.session_state[f"{state}:problem"])
fb = st.session_state.get(f"{state}:feedback")
if fb is not None:
    (st.success if fb.verdict in ("right", "as good as the best") else st.warning)(
        "\n\n".join(ex.redact(line) for line in fb.lines), icon=":material/fact_check:")
    if st.session_state.get(f"{state}:stored"):
        st.caption("Your answer is kept for your trainer.")

# ---------------------------------------------------------------- trainer view
st.divider()
trainer = st.toggle("Trainer view", key=TRAINER, help="The answer key and the class's answers.")
if trainer:
    code = os.environ.get(TRAINER_CODE_ENV)
    if code and st.text_input("Trainer code", type="password", key="exercise_trainer_code") != code:
        st.info(f"Enter the trainer code (set by {TRAINER_CODE_ENV} where the dashboard runs).")
        st.stop()
    st.subheader("Answer key (computed by the model)")
    st.markdown(f"**{_cause_label(key.answer) if key.kind == 'bottleneck' else key.answer}**")
    st.dataframe(_key_table(key), hide_index=True, width="stretch")
    st.caption("Hidden settings: " + ", ".join(f"`{s.path}` = {s.value}" for s in ex.secrets))
    st.subheader("Class summary")
    try:
        answers = history_store().list_exercise_answers(ex.id)
    except HistoryError as error:
        st.error(f"The answers cannot be read: {error}")
        st.stop()
    if answers.empty:
        st.info("No answers yet.")
        st.stop()
    right = int(answers["correct"].sum())
    st.metric("Answers", f"{len(answers)}", delta=f"{right} agree with the model ({right / len(answers):.0%})",
              delta_color="off", border=True)
    counts = answers["choice"].value_counts().rename_axis("answer").reset_index(name="students")
    counts["answer"] = [(_cause_label(c) if key.kind == "bottleneck" else c) + (" ✓" if c == key.answer else "")
                        for c in counts["answer"]]
    st.dataframe(counts, hide_index=True, width="stretch")
    shown = answers.assign(answer=[_cause_label(c) if key.kind == "bottleneck" else c for c in answers["choice"]],
                           version=["this file" if d == ex.digest else "an earlier file" for d in answers["exercise_digest"]])
    st.dataframe(shown[["submitted_at", "student", "answer", "verdict", "reason", "runs_used", "version"]],
                 hide_index=True, width="stretch")
    if answers.attrs.get("skipped"):
        st.caption(f"{len(answers.attrs['skipped'])} answers could not be read and are left out.")
