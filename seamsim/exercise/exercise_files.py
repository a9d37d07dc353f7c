"""Where exercise files are found, and where the scenarios they name are looked up."""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["default_scenario_dir", "exercise_dir", "exercise_paths"]

_PACKAGE_COPY = Path(__file__).resolve().parent / "bundled"
"""Where an installed wheel keeps the bundled exercises (copied there by ``setup.py``)."""

_CHECKOUT_EXERCISES = Path(__file__).resolve().parents[2] / "exercises"


def exercise_dir() -> Path:
    """Return the folder of bundled exercises: ``SEAMSIM_EXERCISE_DIR`` if set, else the copy
    inside an installed package, else the repository's ``exercises/``."""
    env = os.environ.get("SEAMSIM_EXERCISE_DIR")
    if env:
        return Path(env)
    return _PACKAGE_COPY if _PACKAGE_COPY.is_dir() else _CHECKOUT_EXERCISES


def exercise_paths(folder: str | os.PathLike[str] | None = None) -> list[Path]:
    """Return the exercise files (``*.yaml``) of ``folder`` (:func:`exercise_dir`), sorted."""
    base = Path(folder) if folder is not None else exercise_dir()
    return sorted(p for p in base.glob("*.yaml") if p.is_file()) if base.is_dir() else []


def default_scenario_dir(base: Path | None) -> Path | None:
    """Return where bundled scenario names are looked up: ``SEAMSIM_SCENARIO_DIR``, else ``scenarios`` beside the exercises' folder."""
    env = os.environ.get("SEAMSIM_SCENARIO_DIR")
    if env:
        return Path(env)
    return base.parent / "scenarios" if base is not None else None
