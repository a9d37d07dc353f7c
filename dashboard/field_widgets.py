"""The scenario's inputs drawn as Streamlit widgets: the key levers first (sliders with an
exact number box beside them, toggles, radios), then one expander per section — number
inputs with min/max from the schema bounds, select boxes for choices, checkboxes for
switches, the description (its source tags resolved) as help.

The widget of field ``path`` has the session-state key ``<prefix><path>`` (:func:`widget_key`);
the number box beside a slider ``<key>:box`` (:func:`box_key`).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import streamlit as st

from dashboard import glossary
from dashboard.field_values import (
    KEY_LEVERS,
    SECTION_TITLES,
    FieldSpec,
    coerce,
    format_of,
    slider_range,
    step_of,
)
from seamsim.scenario.fields import label_of
from seamsim.scenario.schema import SECTIONS

_CHOICE_FORMATS: dict[str, Callable[[Any], str]] = {
    "electrical.supply_voltage_v": lambda v: f"{v:,} V",
    "electrical.cable_csa_mm2": lambda v: f"{v} mm²",
    "operation.shield_control": lambda v: {"manual": "manual (shield men)", "electrohydraulic": "electro-hydraulic (automatic)"}.get(v, v),
    "operation.face_end_mode": lambda v: {"manual": "by hand", "automated": "automated"}.get(v, v),
    "machine.height_mode": lambda v: {"explicit": "as given below", "derived": "from power and voltage"}.get(v, v),
}


def widget_key(prefix: str, path: str) -> str:
    """The session-state key of the widget of ``path``."""
    return f"{prefix}{path}"


def load_values(prefix: str, values: Mapping[str, Any], specs: Iterable[FieldSpec], *, force: bool = False) -> None:
    """Put ``values`` into the widgets' session state (before the widgets are drawn).

    With ``force`` every widget takes its value (a new preset); otherwise only widgets
    that have no state yet (coming back from another page, where Streamlit dropped it).
    """
    for spec in specs:
        key = widget_key(prefix, spec.path)
        if force or key not in st.session_state:
            st.session_state[key] = coerce(spec, values.get(spec.path, spec.default))


@functools.lru_cache(maxsize=512)
def field_help(description: str) -> str | None:
    """A field's help: its description with its source tags resolved from docs/references.md
    (cached: the page draws ~160 fields on every run, and the file does not change meanwhile)."""
    return glossary.with_sources(description) or None


def render_field(spec: FieldSpec, prefix: str, *, slider: bool = False, container=None, in_form: bool = False) -> Any:
    """Draw the widget of one field and return its value.

    ``in_form``: the widget sits in an ``st.form`` (no callbacks there; a number box beside
    a slider is then taken by :func:`take_boxes`, the submit button's callback)."""
    c = container if container is not None else st
    key = widget_key(prefix, spec.path)
    help_text = field_help(spec.description)
    if spec.kind == "bool":
        return c.toggle(spec.title, key=key, help=help_text)
    if spec.kind == "choice":
        fmt = _CHOICE_FORMATS.get(spec.path, str)
        if len(spec.choices) <= 3 and spec.path in KEY_LEVERS:
            return c.radio(spec.title, list(spec.choices), key=key, help=help_text, format_func=fmt,
                           horizontal=True)
        return c.selectbox(spec.title, list(spec.choices), key=key, help=help_text, format_func=fmt)
    if spec.kind == "text":
        return c.text_input(spec.title, key=key, help=help_text, max_chars=spec.max_chars)
    step = step_of(spec)
    current = st.session_state.get(key)
    fmt = format_of(step, current if isinstance(current, int | float) else None)
    # a derived machine height comes from power and voltage: the explicit value then does nothing
    unused = (spec.path == "machine.machine_height_mm"
              and st.session_state.get(widget_key(prefix, "machine.height_mode")) == "derived")
    if unused:
        help_text = "Not used: the height mode derives the machine height from power and voltage " \
                    "(see the cross-section). Choose 'as given below' to set it by hand."
    # in a form the height mode's new value is known only after Run: the field stays usable
    disabled = unused and not in_form
    if spec.kind == "int":
        return c.number_input(spec.title, min_value=int(spec.lo) if spec.lo is not None else None,
                              max_value=int(spec.hi) if spec.hi is not None else None, step=1, key=key,
                              help=help_text)
    lo = float(spec.lo) if spec.lo is not None else None
    hi = float(spec.hi) if spec.hi is not None else None
    if slider and lo is not None and hi is not None and spec.kind == "float":
        return _slider_with_box(spec, key, c, lo, hi, float(step), fmt, help_text, disabled, in_form)
    return c.number_input(spec.title, min_value=lo, max_value=hi, step=float(step), key=key, help=help_text,
                          format=fmt, disabled=disabled, value=None if spec.kind == "optional_float" else "min",
                          placeholder="none" if spec.kind == "optional_float" else None)


def box_key(key: str) -> str:
    """The session-state key of the number box beside the slider ``key``."""
    return f"{key}:box"


def _shown_key(key: str) -> str:
    return f"{key}:shown"


def _from_box(key: str) -> None:
    st.session_state[key] = st.session_state[box_key(key)]


def take_boxes(prefix: str, specs: Iterable[FieldSpec]) -> None:
    """A form's submit callback: every number box typed into since the form was drawn sets
    its slider (in a form the box has no callback of its own; a box and its slider both
    changed: the box wins, being the exact value)."""
    for spec in specs:
        key = widget_key(prefix, spec.path)
        box, shown = box_key(key), _shown_key(key)
        if box in st.session_state and shown in st.session_state:
            typed = st.session_state[box]
            if typed is not None and typed != st.session_state[shown]:
                st.session_state[key] = typed


def _slider_with_box(spec: FieldSpec, key: str, c, lo: float, hi: float, step: float, fmt: str,
                     help_text: str | None, disabled: bool, in_form: bool = False) -> float:
    """A slider over the thin-seam domain with a number box beside it (exact values, full bounds).

    The slider's value is the field's; typing in the box sets it (a callback, before the
    rerun; in a form, :func:`take_boxes` when it is submitted), and the box shows the
    slider's value on every run.
    """
    value = st.session_state.get(key)
    s_lo, s_hi = slider_range(spec, value if isinstance(value, int | float) else None)
    st.session_state[box_key(key)] = value
    st.session_state[_shown_key(key)] = value
    left, right = c.columns([3, 2], vertical_alignment="bottom")
    with left:
        out = st.slider(spec.title, min_value=s_lo, max_value=s_hi, step=step, key=key, help=help_text, format=fmt,
                        disabled=disabled)
    with right:
        st.number_input(f"{spec.title} (exact)", min_value=lo, max_value=hi, step=step, key=box_key(key), format=fmt,
                        disabled=disabled, label_visibility="collapsed",
                        on_change=None if in_form else _from_box, args=None if in_form else (key,))
    return out


def render_fields(prefix: str, specs: Sequence[FieldSpec], *, levers: Sequence[str] = KEY_LEVERS,
                  container=None, expanded: Sequence[str] = (), in_form: bool = False,
                  after_levers: Callable[[], Any] | None = None) -> dict[str, Any]:
    """Draw every field: the key levers first, then one expander per section.

    ``in_form``: the fields sit in an ``st.form`` (see :func:`render_field`);
    ``after_levers`` draws something between the key levers and the sections (a Run button).

    Returns
    -------
    dict
        Dotted path → the value each widget shows now.
    """
    c = container if container is not None else st
    by_path = {s.path: s for s in specs}
    values: dict[str, Any] = {}
    c.markdown("**Key levers**")
    for path in levers:
        if path in by_path:
            values[path] = render_field(by_path[path], prefix, slider=True, container=c, in_form=in_form)
    if after_levers is not None:
        after_levers()
    for section in SECTIONS:
        fields = [s for s in specs if s.section == section and s.path not in levers]
        if not fields:
            continue
        with c.expander(SECTION_TITLES.get(section, section), expanded=section in expanded):
            group = None
            for spec in fields:
                if spec.group and spec.group != group:
                    st.markdown(f"*{label_of(spec.group)}*")
                group = spec.group
                values[spec.path] = render_field(spec, prefix, in_form=in_form)
    return values


__all__ = [
    "box_key",
    "field_help",
    "load_values",
    "render_field",
    "render_fields",
    "take_boxes",
    "widget_key",
]
