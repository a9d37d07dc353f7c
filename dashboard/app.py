"""The seamsim dashboard: ``streamlit run dashboard/app.py`` (or ``seamsim dashboard``).

The entry point only sets up navigation; each page lives in ``pages/``.
"""

from __future__ import annotations

import sys
from pathlib import Path

_ROOT = str(Path(__file__).resolve().parents[1])
if _ROOT not in sys.path:  # run as a script: make the ``dashboard`` package importable
    sys.path.insert(0, _ROOT)

import streamlit as st  # noqa: E402

st.set_page_config(page_title="seamsim — thin-seam shearer face", page_icon=":material/construction:",
                   layout="wide")

PAGES = [
    st.Page("pages/explore.py", title="Explore", icon=":material/tune:", default=True),
    st.Page("pages/scenarios.py", title="Scenarios", icon=":material/library_books:"),
    st.Page("pages/compare.py", title="Compare", icon=":material/compare_arrows:"),
    st.Page("pages/sweep.py", title="Sweep", icon=":material/ssid_chart:"),
    st.Page("pages/history.py", title="History", icon=":material/history:"),
    st.Page("pages/exercise.py", title="Exercise", icon=":material/school:"),
]

st.navigation(PAGES).run()
