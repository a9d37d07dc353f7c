"""Plotly figures on a page: drawn across the container's width and fitted to the screen,
rebuilt only when their inputs change, their long titles broken in two.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from dashboard import display


def chart(fig, key: str | None = None) -> None:
    """Draw a plotly figure across the container's width (fitted to the screen: ``display.style_figure``)."""
    fig = display.style_figure(fig, bool(st.session_state.get(display.PROJECTOR_KEY)))
    st.plotly_chart(fig, width="stretch", key=key, config={"displaylogo": False})


def chart_once(build: Callable[[], Any], key: str, inputs: Any) -> None:
    """Draw the figure ``build()`` returns, built again only when ``inputs`` differ from the
    last time chart ``key`` was drawn in this session (or the projector mode changed).

    A page reruns its whole script for any widget; a chart whose inputs did not change (the
    scenario, seed and replications behind it) is then sent as it was, not rebuilt — plotly
    takes 50–250 ms a figure. One figure is kept per chart key and session.
    """
    memo: dict[str, tuple[Any, Any]] = st.session_state.setdefault("_chart_memo", {})
    projector = bool(st.session_state.get(display.PROJECTOR_KEY))
    stamp = (inputs, projector)
    kept = memo.get(key)
    if kept is not None and kept[0] == stamp:
        fig = kept[1]
    else:
        fig = display.style_figure(build(), projector)
        memo[key] = (stamp, fig)
    st.plotly_chart(fig, width="stretch", key=key, config={"displaylogo": False})


def two_line_title(fig, after: int = 30):
    """Break a long chart title in two at its first clause after ``after`` characters (`` (``,
    `` — ``, ``, ``, ``: ``) and make room for the second line: plotly does not wrap titles,
    and a one-line sentence is cut off in a 1,024 px window. Returns ``fig``."""
    title = fig.layout.title
    text = title.text if title is not None else None
    if not text or "<br>" in text or len(text) <= 60:
        return fig
    found = [(text.find(sep, after), sep) for sep in (" (", " — ", ", ", ": ")]
    found = [(i, sep) for i, sep in found if i >= 0]
    if not found:
        return fig
    i, sep = min(found)
    keep = sep.strip() if sep in (", ", ": ") else ""  # punctuation ends the first line
    rest = text[i + len(sep):] if keep else text[i + 1:]
    fig.update_layout(title_text=f"{text[:i]}{keep}<br>{rest}", margin_t=max(fig.layout.margin.t or 0, 84))
    return fig


__all__ = [
    "chart",
    "chart_once",
    "two_line_title",
]
