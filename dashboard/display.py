"""How the dashboard fits the screen: projector mode, the page style and the tab icon.

Projector mode is for a trainer in front of a class: the sidebar starts collapsed, type is
larger, the main area uses the whole width, and every KPI card, title and button fits a
1024×768 projector without clipping. It is switched on by a toggle in the sidebar or by the
URL parameter ``?projector=1`` (a trainer can bookmark it); the toggle keeps the parameter
in the address bar, so the page can be bookmarked from there too.

The style that applies in every mode (KPI values that shrink instead of being cut to
"44,426 …", buttons whose words wrap) is here as well, so pages stay plain scripts.
:func:`is_projector` and the CSS builders need no Streamlit; :func:`setup` and
:func:`toggle` do.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

__all__ = [
    "ICON_PATH",
    "PROJECTOR_KEY",
    "PROJECTOR_PARAM",
    "is_projector",
    "page_css",
    "setup",
    "style_figure",
    "toggle",
]

PROJECTOR_PARAM = "projector"
"""The URL parameter: ``?projector=1`` opens the dashboard in projector mode."""

PROJECTOR_KEY = "projector_mode"
"""The session-state key of the sidebar toggle."""

ICON_PATH = Path(__file__).resolve().parent / "static" / "icon.png"
"""The browser tab's icon, served by the dashboard itself (nothing is fetched from the internet)."""

_TRUE = frozenset({"1", "true", "yes", "on"})

PROJECTOR_FONT_PX = 18
"""Root font size in projector mode [px] (Streamlit's default is 16)."""

CHART_FONT_PX = {False: 13, True: 15}
"""Chart font size [px], normal and projector mode."""


def is_projector(query_params: Mapping[str, Any]) -> bool:
    """Whether the URL asks for projector mode (``projector=1``, ``true``, ``yes`` or ``on``)."""
    value = query_params.get(PROJECTOR_PARAM)
    if isinstance(value, list | tuple):
        value = value[-1] if value else None
    return str(value).strip().lower() in _TRUE if value is not None else False


def page_css(projector: bool) -> str:
    """The dashboard's style sheet: always the fitting rules, and larger type in projector mode."""
    css = """
/* KPI values shrink with the window instead of being cut short ("44,426 …") */
[data-testid="stMetricValue"] { font-size: clamp(1.1rem, 2.0vw, 2.1rem); }
[data-testid="stMetricValue"] * { overflow: visible; text-overflow: clip; white-space: normal; }
[data-testid="stMetricLabel"] p { white-space: normal; }
/* the words of a button wrap rather than end in "…" */
.stButton button p, .stDownloadButton button p, .stFormSubmitButton button p { white-space: normal; }
.stButton button, .stDownloadButton button { height: auto; }
/* long words and addresses in tables wrap inside the page */
[data-testid="stMarkdownContainer"] td { overflow-wrap: anywhere; }
/* the developer menu and Deploy button stay hidden even without .streamlit/config.toml */
[data-testid="stAppDeployButton"], [data-testid="stMainMenu"] { display: none; }
"""
    if projector:
        css += f"""
html {{ font-size: {PROJECTOR_FONT_PX}px; }}
[data-testid="stMainBlockContainer"], .block-container {{ padding-left: 1.2rem; padding-right: 1.2rem;
  padding-top: 2.2rem; max-width: 100%; }}
h1 {{ font-size: 2.0rem; }}
h2 {{ font-size: 1.6rem; }}
h3 {{ font-size: 1.3rem; }}
[data-testid="stMetricValue"] {{ font-size: clamp(1.1rem, 2.2vw, 2.0rem); }}
[data-testid="stCaptionContainer"] {{ font-size: 0.92rem; }}
/* long lines of a scenario file wrap instead of running off the screen */
[data-testid="stCode"] pre, [data-testid="stCode"] pre * {{ white-space: pre-wrap !important; overflow-wrap: anywhere; }}
"""
    return f"<style>{css}</style>"


def style_figure(fig, projector: bool):
    """Make a plotly figure fit narrow screens: margins that grow to fit the axis labels, a
    top margin that holds the title, and larger type in projector mode. Returns ``fig``."""
    size = CHART_FONT_PX[bool(projector)]
    fig.update_layout(font_size=size)
    fig.update_xaxes(automargin=True)
    fig.update_yaxes(automargin=True)
    title = fig.layout.title
    if title is not None and title.text:  # in the middle of a top margin that holds it
        top = fig.layout.margin.t if fig.layout.margin.t is not None else 80
        fig.update_layout(title_font_size=size + 2, margin_t=max(top, 3 * (size + 2)))
    return fig


def setup() -> bool:
    """Start of every page run (from ``app.py``): page config, style and the projector toggle.

    Returns
    -------
    bool
        Whether projector mode is on.
    """
    import streamlit as st

    if PROJECTOR_KEY not in st.session_state:  # the first run of this browser tab: the URL decides
        st.session_state[PROJECTOR_KEY] = is_projector(st.query_params)
    projector = bool(st.session_state[PROJECTOR_KEY])
    st.set_page_config(page_title="seamsim — thin-seam shearer face", page_icon=str(ICON_PATH), layout="wide",
                       initial_sidebar_state="collapsed" if projector else "auto")
    if projector and not is_projector(st.query_params):
        st.query_params[PROJECTOR_PARAM] = "1"  # keep it bookmarkable after a change of page
    st.html(page_css(projector))
    return projector


def _follow_toggle() -> None:
    import streamlit as st

    if st.session_state.get(PROJECTOR_KEY):
        st.query_params[PROJECTOR_PARAM] = "1"
    elif PROJECTOR_PARAM in st.query_params:
        del st.query_params[PROJECTOR_PARAM]


def toggle() -> None:
    """The projector-mode switch at the bottom of the sidebar."""
    import streamlit as st

    st.sidebar.toggle("Projector mode", key=PROJECTOR_KEY, on_change=_follow_toggle,
                      help="Larger type, the whole width for the page, the sidebar collapsed: for a class "
                           "in front of a 1024×768 projector. Bookmark the address with ?projector=1 to "
                           "open the dashboard this way.")
