"""Glossary: the words of the face and of the statistics, in plain words.

The same definitions are the "?" tooltips of the other pages (``dashboard/glossary.py``).
"""

from __future__ import annotations

import sys
from pathlib import Path

if str(Path(__file__).resolve().parents[2]) not in sys.path:  # opened by a deep link before app.py ran
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import streamlit as st

from dashboard import glossary
from dashboard.session import page_setup

page_setup()

st.title("Glossary")
st.caption("The words of the face, the machine and the statistics. The same explanations appear when you "
           "hover over a **?** on the other pages. Source tags such as [S17], [E] or [A] are explained on "
           "the **References** page.")
query = st.text_input("Find a word", key="glossary_query", placeholder="e.g. web, clearance, seed",
                      help="Shows the terms whose name or explanation contains these letters.")
needle = query.strip().lower()
terms = sorted(glossary.TERMS.items(), key=lambda item: item[0].lower())
shown = [(term, text) for term, text in terms if not needle or needle in term.lower() or needle in text.lower()]
if not shown:
    st.info(f"No term contains “{query.strip()}”.", icon=":material/search_off:")
for term, text in shown:
    st.markdown(f"**{term}** — {text}")
