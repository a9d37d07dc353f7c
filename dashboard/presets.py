"""The presets a page offers: the bundled scenarios (read again only when their folder
changes) and the uploads kept in the history store, each loaded and validated once (cached),
and the keys, labels and scenarios of a scenario picker (the library, then the Explore
page's settings).
"""

from __future__ import annotations

import functools
from pathlib import Path

import streamlit as st

import dashboard
from dashboard.history_recording import history_store
from seamsim.scenario.schema import Scenario


@functools.lru_cache(maxsize=4)
def _bundled(folder: str, stamp: tuple) -> tuple[dashboard.LibraryEntry, ...]:
    return tuple(dashboard.bundled_library(Path(folder)))


def bundled_library() -> list[dashboard.LibraryEntry]:
    """The bundled scenarios, read again only when a file in their folder changes (name,
    size or time): parsing them all took ~0.1 s of every run of every page."""
    folder = dashboard.scenario_dir()
    try:
        stamp = tuple((p.name, p.stat().st_size, p.stat().st_mtime_ns) for p in sorted(folder.glob("*.y*ml")))
    except OSError:
        stamp = ()
    return list(_bundled(str(folder), stamp))


def library() -> list[dashboard.LibraryEntry]:
    """Bundled scenarios first (the article pair leading), then the uploads."""
    entries = bundled_library()
    try:
        uploads = history_store().list_scenarios()
    except Exception:  # noqa: BLE001 - a broken history file must not take the library down
        uploads = []
    for u in uploads:
        entries.append(
            dashboard.LibraryEntry(f"upload:{u.name}", u.name, u.title, u.description, "uploaded", u.yaml)
        )
    return entries


def library_by_key() -> dict[str, dashboard.LibraryEntry]:
    """The library as a dict by entry key."""
    return {e.key: e for e in library()}


@st.cache_data(show_spinner=False, max_entries=64)
def _load_entry(key: str, text: str) -> str:
    entry = library_by_key().get(key)
    if entry is None:
        raise KeyError(key)
    return entry.load().model_dump_json()


def load_entry(entry: dashboard.LibraryEntry) -> Scenario:
    """The validated scenario of a library entry (cached; raises ``seamsim.ScenarioError``)."""
    return dashboard.scenario_from_json(_load_entry(entry.key, entry.text))


EXPLORE_CURRENT = "explore:current"
"""Picker key of the scenario as set on the Explore page (when the student has been there)."""


def scenario_options() -> list[str]:
    """Picker keys: the library, then the Explore page's settings if there are any."""
    options = list(library_by_key())
    if st.session_state.get("explore_current_json"):
        options.append(EXPLORE_CURRENT)
    return options


def scenario_option_label(key: str) -> str:
    """What a picker shows for ``key``."""
    if key == EXPLORE_CURRENT:
        return "Your settings on the Explore page"
    entries = library_by_key()
    return entries[key].label if key in entries else key


def scenario_for_option(key: str) -> Scenario:
    """The scenario behind a picker key (raises ``seamsim.ScenarioError`` for a bad upload)."""
    if key == EXPLORE_CURRENT:
        return dashboard.scenario_from_json(st.session_state["explore_current_json"])
    return load_entry(library_by_key()[key])


__all__ = [
    "EXPLORE_CURRENT",
    "bundled_library",
    "library",
    "library_by_key",
    "load_entry",
    "scenario_for_option",
    "scenario_option_label",
    "scenario_options",
]
