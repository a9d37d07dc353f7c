"""Exercises: a trainer's diagnosis question on a face, its answer key and feedback.

- ``schema.py`` — the exercise file (pydantic): scenario, visible and hidden settings,
  the question (``bottleneck`` or ``best_change``), run limits;
- ``loader.py`` — safe reading with located messages (:func:`load_exercise`), and the
  checks of the scenario, fields, KPI and candidates;
- ``loaded.py`` — :class:`LoadedExercise` (the validated exercise with its faces) and
  :class:`ExerciseError`;
- ``hidden_values.py`` — a hidden setting's value and the ways it could be written;
- ``reveal_checks.py`` — the checks that nothing on the student page reveals a hidden setting;
- ``located_issues.py`` — problems collected, each at its line and column;
- ``schema_messages.py`` — the words for the schema's errors;
- ``exercise_files.py`` — where exercise files and the scenarios they name are found;
- ``causes.py`` — the causes a bottleneck answer chooses from;
- ``answer_key.py`` — the key, computed by the model, and the feedback on an answer.

This package sits above :mod:`seamsim.experiment` (it runs experiments) and below the CLI
and the dashboard. See ``docs/exercises.md``.
"""

from seamsim.exercise.answer_key import AnswerKey, Feedback, answer_key, feedback
from seamsim.exercise.causes import CAUSES, Cause, cause_by_key
from seamsim.exercise.exercise_files import exercise_dir, exercise_paths
from seamsim.exercise.hidden_values import value_forms
from seamsim.exercise.loaded import ExerciseError, LoadedExercise
from seamsim.exercise.loader import load_exercise, load_exercise_text
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
