"""Exercises: a trainer's diagnosis question on a face, its answer key and feedback.

- ``schema.py`` — the exercise file (pydantic): scenario, visible and hidden settings,
  the question (``bottleneck`` or ``best_change``), run limits;
- ``loader.py`` — safe reading with located messages, and the checks that nothing on the
  student page reveals a hidden setting;
- ``causes.py`` — the causes a bottleneck answer chooses from;
- ``answer_key.py`` — the key, computed by the model, and the feedback on an answer.

This package sits above :mod:`seamsim.experiment` (it runs experiments) and below the CLI
and the dashboard. See ``docs/exercises.md``.
"""

from seamsim.exercise.answer_key import AnswerKey, Feedback, answer_key, feedback
from seamsim.exercise.causes import CAUSES, Cause, cause_by_key
from seamsim.exercise.loader import (
    ExerciseError,
    LoadedExercise,
    exercise_dir,
    exercise_paths,
    load_exercise,
    load_exercise_text,
    value_forms,
)
from seamsim.exercise.schema import QUESTION_KINDS, Exercise

__all__ = [
    "CAUSES",
    "QUESTION_KINDS",
    "AnswerKey",
    "Cause",
    "Exercise",
    "ExerciseError",
    "Feedback",
    "LoadedExercise",
    "answer_key",
    "cause_by_key",
    "exercise_dir",
    "exercise_paths",
    "feedback",
    "load_exercise",
    "load_exercise_text",
    "value_forms",
]
