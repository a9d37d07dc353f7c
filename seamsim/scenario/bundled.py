"""The scenarios shipped with seamsim, found by name in a checkout and in an installed wheel.

In a checkout they are the repository's ``scenarios/*.yaml``; a wheel carries copies in
``seamsim/scenario/bundled/`` (the build copies them, see ``setup.py``).
``SEAMSIM_SCENARIO_DIR`` points elsewhere. ``seamsim run article_after_3300v`` and
:func:`seamsim.load_scenario` accept a bundled scenario's name where a path is not found.

Examples
--------
>>> "article_after_3300v" in bundled_scenario_names()
True
>>> bundled_scenario_path("article_after_3300v.yaml").name
'article_after_3300v.yaml'
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["bundled_scenario_dir", "bundled_scenario_names", "bundled_scenario_path"]

_PACKAGE_COPY = Path(__file__).resolve().parent / "bundled"
"""Where a wheel keeps the bundled scenarios."""

_CHECKOUT_DIR = Path(__file__).resolve().parents[2] / "scenarios"
"""The repository's own folder, for a checkout or an editable install."""


def bundled_scenario_dir() -> Path:
    """Return the folder of bundled scenarios.

    ``SEAMSIM_SCENARIO_DIR`` if set; else the copy inside an installed package; else the
    repository's ``scenarios/`` folder.
    """
    env = os.environ.get("SEAMSIM_SCENARIO_DIR")
    if env:
        return Path(env)
    if _PACKAGE_COPY.is_dir():
        return _PACKAGE_COPY
    return _CHECKOUT_DIR


def bundled_scenario_names() -> list[str]:
    """Return the names (file stems) of the bundled scenarios, sorted."""
    folder = bundled_scenario_dir()
    if not folder.is_dir():
        return []
    return sorted(p.stem for p in folder.glob("*.yaml") if p.is_file())


def bundled_scenario_path(name: str) -> Path | None:
    """Return the file of the bundled scenario ``name`` (with or without ``.yaml``), or ``None``.

    Only a plain name is looked up: anything with a folder in it is a path, not a name.
    """
    if not name or "/" in name or os.sep in name or "\x00" in name or name.startswith("."):
        return None
    stem = name[: -len(".yaml")] if name.endswith(".yaml") else name
    candidate = bundled_scenario_dir() / f"{stem}.yaml"
    return candidate if candidate.is_file() else None
