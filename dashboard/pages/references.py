"""References: the sources behind the numbers, as the repository lists them in ``docs/references.md``.

Tags in the help texts ([S17], [E], [A]…) point here; a search box finds one.
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

st.title("References")
try:
    text = glossary.REFERENCES_PATH.read_text(encoding="utf-8")
except OSError as error:
    st.error(f"The list of references ({glossary.REFERENCES_PATH.name}) cannot be read: {error.strerror}. "
             "It ships with the repository in docs/references.md.", icon=":material/error:")
    st.stop()

entries = glossary.reference_entries()
tag = st.text_input("Look up a source tag", key="references_tag", placeholder="e.g. S17, T5, E, A",
                    help="The tags in brackets after a number — [S17], [T5], [E], [A] — name where it comes from.")
wanted = tag.strip().strip("[]").upper().replace("E-MEM", "E-mem")
if wanted:
    if wanted in entries:
        st.success(f"**[{wanted}]** {entries[wanted]}", icon=":material/format_quote:")
    else:
        st.warning(f"[{wanted}] is not in the list of references.", icon=":material/search_off:")

# the file's own title is the page title; the rest is shown as written
body = text.split("\n", 1)[1] if text.startswith("# ") else text
st.markdown(body)
