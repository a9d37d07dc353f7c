"""The answer key of an exercise, computed by the model, and the feedback on an answer.

Nothing here is typed by a trainer: the key comes from runs of the exercise's face with
common random numbers (the exercise's seed, replications and days).

**Bottleneck.** For each cause of :data:`~seamsim.exercise.causes.CAUSES` and each
replication, the hours it costs the face:

- *stopped* — the hours in the cause's states (the time breakdown of the run);
- *slowed* — for the cause of the speed limit that binds at the mean seam height (the
  engineering picture), the cutting hours that limit costs against the next-lowest limit:
  ``cutting hours × (1 − v_binding / v_next)``.

Their sum is the cause's *lost* hours. Without a reference face the key is the cause with
the most lost hours; with one, the cause whose lost hours exceed the reference face's by
the most (a paired difference per replication, with its 95 % interval).

**Best change.** Every candidate runs against the face as given (:func:`seamsim.compare`);
the gain is the paired difference of the question's KPI per replication. The key is the
affordable candidate (cost ≤ budget) with the largest mean gain.

Examples
--------
>>> from seamsim.exercise import load_exercise, answer_key, feedback   # doctest: +SKIP
>>> key = answer_key(load_exercise("exercises/crew_best_change.yaml"))  # doctest: +SKIP
>>> key.answer, feedback(key, key.answer).verdict                       # doctest: +SKIP
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from seamsim.exercise.causes import CAUSES, cause_by_key, cause_of_limit
from seamsim.exercise.loaded import ExerciseError, LoadedExercise
from seamsim.scenario import Issue, Scenario

__all__ = ["AnswerKey", "Feedback", "answer_key", "feedback", "slowed_share"]

FACE = "exercise-face"
REFERENCE = "exercise-reference"

BOTTLENECK_COLUMNS = ("rank", "cause", "label", "stopped_h", "slowed_h", "lost_h", "share",
                      "reference_lost_h", "gap_h", "gap_lo", "gap_hi")
BEST_CHANGE_COLUMNS = ("rank", "candidate", "cost", "affordable", "status", "mean", "gain", "gain_lo", "gain_hi")


@dataclass
class AnswerKey:
    """The model's answer to an exercise.

    Attributes
    ----------
    exercise_id, kind, kpi : str
        What it answers.
    answer : str
        The key: a cause's key (bottleneck) or a candidate's label (best change).
    ranking : DataFrame
        Bottleneck: one row per cause, ``rank, cause, label, stopped_h, slowed_h, lost_h,
        share`` (of all lost hours) and, with a reference face, ``reference_lost_h, gap_h,
        gap_lo, gap_hi``. Best change: one row per candidate, ``rank, candidate, cost,
        affordable, status, mean, gain, gain_lo, gain_hi``. Best first.
    face_mean, face_lo, face_hi : float
        The KPI of the face as given (mean and 95 % interval).
    reference_mean : float or None
        The KPI of the reference face.
    replications, seed : int
    days : float
    runs : DataFrame
        Every run behind the key (``scenario``: ``exercise-face``, ``exercise-reference``
        or ``candidate-<n>``).
    per_replication : DataFrame
        Bottleneck only: lost hours per ``scenario, replication`` and cause.
    """

    exercise_id: str
    kind: str
    kpi: str
    answer: str
    ranking: pd.DataFrame
    face_mean: float
    face_lo: float
    face_hi: float
    reference_mean: float | None
    replications: int
    seed: int
    days: float
    runs: pd.DataFrame = field(repr=False)
    per_replication: pd.DataFrame = field(default_factory=pd.DataFrame, repr=False)

    @property
    def choices(self) -> list[str]:
        """What a student may answer: cause keys or candidate labels, in the exercise's order."""
        if self.kind == "bottleneck":
            return [c.key for c in CAUSES]
        return list(self.ranking.sort_values("order")["candidate"]) if "order" in self.ranking else list(self.ranking["candidate"])


@dataclass
class Feedback:
    """The model's verdict on one answer.

    Attributes
    ----------
    choice : str
        What the student chose.
    correct : bool
        Whether it is the key.
    verdict : str
        ``right``, ``as good as the best`` (best change: the paired difference from the best
        is within noise), ``over budget`` or ``wrong``.
    lines : list of str
        The feedback in words (Markdown), the key's figures first.
    """

    choice: str
    correct: bool
    verdict: str
    lines: list[str]


# --------------------------------------------------------------------------------------
# Computing the key
# --------------------------------------------------------------------------------------
def answer_key(exercise: LoadedExercise, *, progress: Callable[[int, int], Any] | None = None) -> AnswerKey:
    """Compute the answer key of ``exercise`` with the model.

    Parameters
    ----------
    exercise : LoadedExercise
        A validated exercise (:func:`~seamsim.exercise.load_exercise`).
    progress : callable, optional
        ``progress(done, total)`` after each chunk of runs.

    Returns
    -------
    AnswerKey

    Raises
    ------
    ExerciseError
        The exercise's face cannot be worked (an exercise needs a face that runs).
    """
    if exercise.kind == "bottleneck":
        return _bottleneck_key(exercise, progress)
    return _best_change_key(exercise, progress)


def _run(scenarios: list[Scenario], exercise: LoadedExercise, progress) -> pd.DataFrame:
    from seamsim.experiment.runner import run_experiment

    limits = exercise.exercise.runs
    result = run_experiment(scenarios, limits.replications, limits.seed, days=limits.days, executor="serial",
                            progress=progress)
    return result.runs


def _named(scenario: Scenario, name: str) -> Scenario:
    return scenario.model_copy(update={"name": name})


def _refuse_infeasible(runs: pd.DataFrame, exercise: LoadedExercise, name: str, what: str) -> None:
    rows = runs[runs["scenario"] == name]
    if len(rows) and (rows["status"] != "ok").all():
        reasons = "; ".join(r for r in rows["reasons"].astype(str).unique() if r)
        raise ExerciseError([Issue(exercise.source, None, None, "scenario",
                                   f"{what} cannot be worked, so it has no answer ({exercise.redact(reasons)})")])


def slowed_share(scenario: Scenario) -> tuple[str | None, float]:
    """Return the cause whose speed limit binds at the mean seam height and the share of
    the cutting time it costs against the next-lowest limit (``1 − v_binding / v_next``).

    Returns
    -------
    tuple
        ``(cause key, share)``; ``(None, 0.0)`` when no limit binds or the face cannot work.
    """
    import seamsim

    picture = seamsim.engineering_picture(scenario)
    limits = {k: v for k, v in (picture.get("speed_limits_m_per_min") or {}).items()
              if v is not None and math.isfinite(v) and v > 0}
    binding = picture.get("binding_limit")
    if picture.get("status", "ok") != "ok" or binding not in limits:
        return None, 0.0
    others = [v for k, v in limits.items() if k != binding]
    cause = cause_of_limit(binding)
    if not others or cause is None:
        return None, 0.0
    return cause.key, max(0.0, 1.0 - limits[binding] / min(others))


def _lost_hours(runs: pd.DataFrame, name: str, scenario: Scenario) -> pd.DataFrame:
    """Stopped, slowed and lost hours per replication and cause of one scenario's runs."""
    rows = runs[runs["scenario"] == name].sort_values("replication")
    slow_cause, share = slowed_share(scenario)
    cutting = rows.get("time_cutting_h", pd.Series(0.0, index=rows.index)).astype(float).to_numpy()
    frames = []
    for cause in CAUSES:
        stopped = np.zeros(len(rows))
        for state in cause.states:
            column = f"time_{state}_h"
            if column in rows:
                stopped += rows[column].astype(float).fillna(0.0).to_numpy()
        slowed = cutting * share if cause.key == slow_cause else np.zeros(len(rows))
        frames.append(pd.DataFrame({"scenario": name, "replication": rows["replication"].to_numpy(),
                                    "cause": cause.key, "stopped_h": stopped, "slowed_h": slowed,
                                    "lost_h": stopped + slowed}))
    return pd.concat(frames, ignore_index=True)


def _bottleneck_key(exercise: LoadedExercise, progress) -> AnswerKey:
    from seamsim.experiment.t_estimates import estimate, paired_difference

    face = _named(exercise.scenario, FACE)
    scenarios = [face]
    if exercise.reference is not None:
        scenarios.append(_named(exercise.reference, REFERENCE))
    runs = _run(scenarios, exercise, progress)
    _refuse_infeasible(runs, exercise, FACE, "the exercise's face")
    lost = _lost_hours(runs, FACE, face)
    if exercise.reference is not None:
        _refuse_infeasible(runs, exercise, REFERENCE, "the reference face")
        lost = pd.concat([lost, _lost_hours(runs, REFERENCE, scenarios[1])], ignore_index=True)
    mine = lost[lost["scenario"] == FACE]
    total = float(mine.groupby("replication")["lost_h"].sum().mean()) or math.nan
    rows = []
    for cause in CAUSES:
        part = mine[mine["cause"] == cause.key].sort_values("replication")
        row = {"cause": cause.key, "label": cause.label, "stopped_h": float(part["stopped_h"].mean()),
               "slowed_h": float(part["slowed_h"].mean()), "lost_h": float(part["lost_h"].mean())}
        row["share"] = row["lost_h"] / total if math.isfinite(total) else math.nan
        if exercise.reference is not None:
            ref = lost[(lost["scenario"] == REFERENCE) & (lost["cause"] == cause.key)].sort_values("replication")
            gap = paired_difference(ref["lost_h"].to_numpy(), part["lost_h"].to_numpy())
            row.update(reference_lost_h=float(ref["lost_h"].mean()), gap_h=gap.mean, gap_lo=gap.ci95_lo,
                       gap_hi=gap.ci95_hi)
        else:
            row.update(reference_lost_h=math.nan, gap_h=math.nan, gap_lo=math.nan, gap_hi=math.nan)
        rows.append(row)
    ranking = pd.DataFrame(rows)
    by = "gap_h" if exercise.reference is not None else "lost_h"
    ranking = ranking.sort_values(by, ascending=False, kind="stable").reset_index(drop=True)
    ranking.insert(0, "rank", np.arange(1, len(ranking) + 1))
    ranking = ranking[list(BOTTLENECK_COLUMNS)]
    kpi = exercise.exercise.kpi
    face_kpi = estimate(runs.loc[runs["scenario"] == FACE, kpi].astype(float).to_numpy())
    reference_mean = (float(runs.loc[runs["scenario"] == REFERENCE, kpi].astype(float).mean())
                      if exercise.reference is not None else None)
    limits = exercise.exercise.runs
    return AnswerKey(exercise.id, "bottleneck", kpi, str(ranking["cause"].iloc[0]), ranking, face_kpi.mean,
                     face_kpi.ci95_lo, face_kpi.ci95_hi, reference_mean, limits.replications, limits.seed,
                     limits.days, runs, lost)


def _best_change_key(exercise: LoadedExercise, progress) -> AnswerKey:
    from seamsim.experiment.compare import paired_table
    from seamsim.experiment.t_estimates import estimate

    question = exercise.exercise.question
    kpi = exercise.exercise.kpi
    face = _named(exercise.scenario, FACE)
    names = [f"candidate-{i + 1}" for i in range(len(exercise.candidates))]
    scenarios = [face] + [_named(sc, name) for (_, sc), name in zip(exercise.candidates, names, strict=True)]
    runs = _run(scenarios, exercise, progress)
    _refuse_infeasible(runs, exercise, FACE, "the exercise's face")
    paired = paired_table(runs, FACE, names, [kpi]).set_index("scenario")
    status = runs.groupby("scenario")["status"].agg(lambda s: "ok" if (s == "ok").all() else "infeasible")
    rows = []
    for order, ((candidate, _), name) in enumerate(zip(exercise.candidates, names, strict=True)):
        p = paired.loc[name]
        rows.append({"order": order, "candidate": candidate.label, "cost": candidate.cost,
                     "affordable": bool(candidate.cost <= question.budget), "status": status.get(name, "error"),
                     "mean": float(p["mean"]), "gain": float(p["mean_diff"]), "gain_lo": float(p["ci95_lo"]),
                     "gain_hi": float(p["ci95_hi"]), "scenario": name})
    ranking = pd.DataFrame(rows)
    ranking["_sort"] = ranking["gain"].fillna(-math.inf)
    ranking = ranking.sort_values(["affordable", "_sort", "cost", "order"], ascending=[False, False, True, True],
                                  kind="stable").drop(columns="_sort").reset_index(drop=True)
    ranking.insert(0, "rank", np.arange(1, len(ranking) + 1))
    face_kpi = estimate(runs.loc[runs["scenario"] == FACE, kpi].astype(float).to_numpy())
    limits = exercise.exercise.runs
    ranking = ranking[[*BEST_CHANGE_COLUMNS, "order", "scenario"]]
    return AnswerKey(exercise.id, "best_change", kpi, str(ranking["candidate"].iloc[0]), ranking, face_kpi.mean,
                     face_kpi.ci95_lo, face_kpi.ci95_hi, None, limits.replications, limits.seed, limits.days, runs)


# --------------------------------------------------------------------------------------
# Feedback
# --------------------------------------------------------------------------------------
def _unit(kpi: str) -> str:
    from seamsim.scenario.messages import _unit_of

    if kpi.endswith("_t_per_month"):
        return "t/month"
    return _unit_of(kpi)


def _amount(value: float, unit: str = "", *, signed: bool = False) -> str:
    if value is None or not math.isfinite(value):
        return "—"
    text = f"{value:+,.0f}" if signed else f"{value:,.0f}"
    if abs(value) < 10:
        text = f"{value:+,.2f}" if signed else f"{value:,.2f}"
    return f"{text} {unit}".strip()


def _interval(lo: float, hi: float, unit: str) -> str:
    if not (math.isfinite(lo) and math.isfinite(hi)):
        return "too few replications for an interval"
    return f"95 % CI {_amount(lo, signed=True)} to {_amount(hi, unit, signed=True)}"


def feedback(key: AnswerKey, choice: str) -> Feedback:
    """Return the model's feedback on the answer ``choice``.

    Parameters
    ----------
    key : AnswerKey
        The exercise's key.
    choice : str
        A cause key (bottleneck) or a candidate label (best change).

    Raises
    ------
    KeyError
        ``choice`` is none of :attr:`AnswerKey.choices`.
    """
    if key.kind == "bottleneck":
        return _bottleneck_feedback(key, choice)
    return _best_change_feedback(key, choice)


def _bottleneck_feedback(key: AnswerKey, choice: str) -> Feedback:
    cause = cause_by_key(choice)
    table = key.ranking.set_index("cause")
    best = table.loc[key.answer]
    mine = table.loc[cause.key]
    with_reference = key.reference_mean is not None

    def said(row) -> str:
        text = (f"**{row['label']}** costs the face **{_amount(row['lost_h'], 'h')}** "
                f"({row['share']:.0%} of the hours lost: {_amount(row['stopped_h'], 'h')} stopped, "
                f"{_amount(row['slowed_h'], 'h')} cutting slower)")
        if with_reference:
            text += (f", {_amount(row['gap_h'], 'h', signed=True)} against the reference face "
                     f"({_interval(row['gap_lo'], row['gap_hi'], 'h')})")
        return text

    lines = [f"The model's answer: {said(best)}."]
    correct = cause.key == key.answer
    if correct:
        lines.append("Your answer is the model's.")
    else:
        lines.append(f"Your answer: {said(mine)} — rank {int(mine['rank'])} of {len(table)}.")
    lines.append(f"Measured over {key.replications} replications of {key.days:g} days (seed {key.seed}).")
    return Feedback(cause.key, correct, "right" if correct else "wrong", lines)


def _best_change_feedback(key: AnswerKey, choice: str) -> Feedback:
    from seamsim.experiment.compare import paired_table

    table = key.ranking.set_index("candidate")
    if choice not in table.index:
        raise KeyError(f"unknown candidate {choice!r}; the candidates are: {', '.join(table.index)}")
    unit = _unit(key.kpi)
    best, mine = table.loc[key.answer], table.loc[choice]

    def said(label: str, row) -> str:
        return (f"**{label}** (cost {row['cost']:,g}) gains **{_amount(row['gain'], unit, signed=True)}** per "
                f"replication over the face as it is ({_interval(row['gain_lo'], row['gain_hi'], unit)})")

    lines = [f"The model's answer: {said(key.answer, best)}."]
    correct = choice == key.answer
    if correct:
        verdict = "right"
        lines.append("Your choice is the model's.")
    elif not mine["affordable"]:
        verdict = "over budget"
        lines.append(f"Your choice: {said(choice, mine)} — but it costs more than the budget.")
    else:
        diff = paired_table(key.runs, mine["scenario"], [best["scenario"]], [key.kpi]).iloc[0]
        noise = math.isfinite(diff["ci95_lo"]) and diff["ci95_lo"] <= 0.0 <= diff["ci95_hi"]
        verdict = "as good as the best" if noise else "wrong"
        lines.append(f"Your choice: {said(choice, mine)}.")
        lines.append(f"The best gives {_amount(diff['mean_diff'], unit, signed=True)} per replication more than "
                     f"yours, paired replication by replication ({_interval(diff['ci95_lo'], diff['ci95_hi'], unit)})"
                     + (": the difference is within noise." if noise else "."))
    lines.append(f"Measured over {key.replications} replications of {key.days:g} days (seed {key.seed}), "
                 "common random numbers.")
    return Feedback(choice, correct, verdict, lines)
