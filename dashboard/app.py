"""The seamsim dashboard: ``streamlit run dashboard/app.py`` (or ``seamsim dashboard``).

The entry point sets up the page (title, local tab icon, style, projector mode: see
``display.py``) and the navigation; each page lives in ``pages/``.
"""

from __future__ import annotations

import sys
from pathlib import Path

_ROOT = str(Path(__file__).resolve().parents[1])
if _ROOT not in sys.path:  # run as a script: make the ``dashboard`` package importable
    sys.path.insert(0, _ROOT)

import streamlit as st  # noqa: E402

from dashboard import display  # noqa: E402

display.setup()

PAGES = {
    "Work the face": [
        st.Page("pages/explore.py", title="Explore", icon=":material/tune:", default=True),
        st.Page("pages/why_3300v.py", title="Why 3,300 V?", icon=":material/bolt:", url_path="why_3300v"),
        st.Page("pages/scenarios.py", title="Scenarios", icon=":material/library_books:"),
        st.Page("pages/compare.py", title="Compare", icon=":material/compare_arrows:"),
        st.Page("pages/sweep.py", title="Sweep", icon=":material/ssid_chart:"),
        st.Page("pages/history.py", title="History", icon=":material/history:"),
        st.Page("pages/exercise.py", title="Exercise", icon=":material/school:"),
    ],
    "Help": [
        st.Page("pages/glossary.py", title="Glossary", icon=":material/menu_book:"),
        st.Page("pages/references.py", title="References", icon=":material/format_quote:"),
    ],
}

page = st.navigation(PAGES)
display.toggle()
page.run()
