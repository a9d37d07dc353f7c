"""The session across pages: widget values kept when Streamlit drops them on another page,
the switch to the Explore page with a scenario loaded, and the start of every page
(a pending page switch, deep links).
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from seamsim.scenario.schema import Scenario


def restore(key: str, default: Any) -> None:
    """Give widget ``key`` its last value (Streamlit drops widget state on another page)."""
    if key not in st.session_state:
        st.session_state[key] = st.session_state.get(f"_saved:{key}", default)


def save(*keys: str) -> None:
    """Remember the values of widgets ``keys`` for :func:`restore`."""
    for key in keys:
        if key in st.session_state:
            st.session_state[f"_saved:{key}"] = st.session_state[key]


def open_in_explore(scenario: Scenario | None = None, *, preset: str | None = None, label: str = "",
                    seed: int | None = None, replications: int | None = None) -> None:
    """Ask for the Explore page with a library entry or a given scenario loaded.

    Meant as a button's ``on_click`` callback: the switch itself happens in
    :func:`page_setup` at the start of the next run.
    """
    st.session_state["explore_request"] = {
        "preset": preset,
        "scenario_json": scenario.model_dump_json() if scenario is not None else None,
        "label": label,
        "seed": seed,
        "replications": replications,
    }
    st.session_state["_switch_to"] = "pages/explore.py"


def page_setup() -> None:
    """Start of every page: follow a pending switch of page, and make a deep link work.

    A button's callback (:func:`open_in_explore`) asks for another page; the switch happens
    here. When a deep link (``/compare``) is the first request a fresh server gets,
    Streamlit runs the page file on its own, the way apps with a ``pages/`` folder worked
    before ``st.navigation``; this hands the request back to ``app.py``, which routes it.
    """
    try:
        from streamlit.runtime.pages_manager import PagesManager
    except ImportError:  # pragma: no cover - a Streamlit without it
        PagesManager = None  # noqa: N806
    if PagesManager is not None and PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()
    target = st.session_state.pop("_switch_to", None)
    if target:
        st.switch_page(target)


__all__ = [
    "open_in_explore",
    "page_setup",
    "restore",
    "save",
]
