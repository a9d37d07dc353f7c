"""Streamlit building blocks shared by the pages.

- :func:`field_specs` reads the scenario schema (``seamsim.scenario.schema``): for every
  input its dotted path, label, unit (from the name's suffix), bounds, default, choices and
  description. :func:`render_fields` turns them into widgets grouped by section in
  expanders — number inputs (or sliders for the key levers) with min/max from the schema
  bounds, select boxes for choices, checkboxes for switches, the description as help.
- Presets come from the library: the bundled ``scenarios/*.yaml`` and the uploads kept in
  the history store (:func:`library`).
- :func:`kpi_cards`, :func:`show_notes`, :func:`job_panel`: KPI cards, plain-language
  warnings and reasons, and the progress bar with a *Stop* button of a background job.
- Cached calls of the public API (:func:`picture`, :func:`explore_result`), keyed by the
  scenario JSON and the seed.

The pure helpers (:func:`field_specs`, :func:`flatten`, :func:`overrides_from`,
:func:`unit_of`, :func:`label_of`) do not need a running Streamlit app.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

import dashboard
import seamsim
from dashboard import display, glossary
from dashboard.history import HistoryStore
from dashboard.history_schema import default_path
from seamsim.scenario.fields import ScenarioField, label_of, scenario_fields, unit_of
from seamsim.scenario.schema import SECTIONS, Scenario

# --------------------------------------------------------------------------------------
# Field metadata from the schema (pure)
# --------------------------------------------------------------------------------------
FieldSpec = ScenarioField
"""One input of the scenario, as the field registry (:mod:`seamsim.scenario.fields`) has it:
path, section, group, kind, label, unit, default, description, bounds, choices."""

SECTION_TITLES: dict[str, str] = {
    "seam": "Seam and strata",
    "roof": "Roof and canopy",
    "face": "Face, shields and conveyor",
    "machine": "Shearer",
    "electrical": "Electrical supply and cable",
    "operation": "Operation and automation",
    "crew": "Crew per shift",
    "calendar": "Shifts and calendar",
    "failures": "Failures and stoppages",
    "run": "Run",
}


def field_specs(sections: Sequence[str] = SECTIONS) -> list[FieldSpec]:
    """Every input of the scenario, section by section, in the schema's order (from the
    field registry; nested models such as ``failures.shearer`` flattened, their name as ``group``)."""
    return scenario_fields(sections)


def flatten(scenario: Scenario, sections: Sequence[str] = SECTIONS) -> dict[str, Any]:
    """Dotted path → value of every input of ``scenario`` (sections only, not name/title)."""
    data = scenario.model_dump(mode="python")
    out: dict[str, Any] = {}

    def walk(prefix: str, value: Any) -> None:
        if isinstance(value, Mapping):
            for k, v in value.items():
                walk(f"{prefix}.{k}", v)
        else:
            out[prefix] = value

    for section in sections:
        walk(section, data[section])
    return out


def coerce(spec: FieldSpec, value: Any) -> Any:
    """``value`` as the widget of ``spec`` needs it (floats as float, ints as int)."""
    if value is None:
        return None
    if spec.kind in ("float", "optional_float"):
        return float(value)
    if spec.kind == "int":
        return int(value)
    return value


def overrides_from(values: Mapping[str, Any], base: Mapping[str, Any]) -> dict[str, Any]:
    """The dotted-path overrides that turn ``base`` (flattened) into ``values``."""
    out = {}
    for path, value in values.items():
        old = base.get(path)
        if isinstance(value, float) and isinstance(old, int | float) and old is not None:
            if math.isclose(value, float(old), rel_tol=1e-12, abs_tol=1e-12):
                continue
        elif value == old:
            continue
        out[path] = value
    return out


def step_of(spec: FieldSpec) -> float:
    """A sensible step for a number field: two significant digits of its default or range."""
    if spec.path in LEVER_STEPS:
        return LEVER_STEPS[spec.path]
    if spec.kind == "int":
        return 1
    span = (spec.hi - spec.lo) if spec.lo is not None and spec.hi is not None else 1.0
    ref = max(abs(float(spec.default or 0.0)), span / 100.0, 1e-3)
    return max(10.0 ** (math.floor(math.log10(ref)) - 1), 1e-3)


def _decimals(value: float, most: int = 4) -> int:
    for d in range(most + 1):
        if math.isclose(round(value, d), value, rel_tol=0.0, abs_tol=10.0 ** -(most + 2)):
            return d
    return most


def format_of(step: float, value: float | None = None) -> str:
    """printf format showing a value at the precision of ``step`` and of ``value`` itself."""
    decimals = max(0, -math.floor(math.log10(step) + 1e-9)) if step < 1 else 0
    if value is not None and math.isfinite(value):
        decimals = max(decimals, _decimals(float(value)))
    return f"%.{decimals}f"


# --------------------------------------------------------------------------------------
# The key levers: shown first, as sliders and toggles
# --------------------------------------------------------------------------------------
KEY_LEVERS: tuple[str, ...] = (
    "electrical.supply_voltage_v",
    "seam.height_m",
    "machine.height_mode",
    "machine.machine_height_mm",
    "machine.cutting_power_kw",
    "electrical.cable_csa_mm2",
    "operation.shield_control",
    "operation.face_end_mode",
    "operation.remote_control",
)
"""The inputs a student moves first; they sit above the section expanders."""

LEVER_RANGES: dict[str, tuple[float, float]] = {
    "seam.height_m": (0.5, 1.5),
    "machine.machine_height_mm": (450.0, 900.0),
    "machine.cutting_power_kw": (200.0, 1200.0),
}
"""The thin-seam domain of each slider: the schema's bounds narrowed to thin seams and
thin-seam machines (the number box beside the slider keeps the schema's full bounds, and a
preset outside the domain widens its slider to include its value)."""

LEVER_STEPS: dict[str, float] = {
    "seam.height_m": 0.01,
    "machine.machine_height_mm": 1.0,
    "machine.cutting_power_kw": 10.0,
}

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


def slider_range(spec: FieldSpec, value: float | None) -> tuple[float, float]:
    """The slider's range: the thin-seam domain (:data:`LEVER_RANGES`) within the schema's
    bounds, widened to include ``value``."""
    lo, hi = float(spec.lo), float(spec.hi)
    d_lo, d_hi = LEVER_RANGES.get(spec.path, (lo, hi))
    d_lo, d_hi = max(lo, d_lo), min(hi, d_hi)
    if value is not None and math.isfinite(value):
        d_lo, d_hi = min(d_lo, float(value)), max(d_hi, float(value))
    return d_lo, d_hi


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


# --------------------------------------------------------------------------------------
# The library and the history store
# --------------------------------------------------------------------------------------
@st.cache_resource(show_spinner=False)
def _store(path: str) -> HistoryStore:
    return HistoryStore(path)


def history_store() -> HistoryStore:
    """The history store of this server (``SEAMSIM_HISTORY_DB`` or the user data folder)."""
    return _store(str(default_path()))


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


# --------------------------------------------------------------------------------------
# Cached calls of the public API
# --------------------------------------------------------------------------------------
@st.cache_data(show_spinner=False, max_entries=256)
def _picture(scenario_json: str) -> dict:
    return seamsim.engineering_picture(dashboard.scenario_from_json(scenario_json))


def picture(scenario: Scenario) -> dict:
    """``seamsim.engineering_picture`` of ``scenario`` (cached by its JSON)."""
    return _picture(scenario.model_dump_json())


@st.cache_data(show_spinner=False, max_entries=512)
def _replication(scenario_json: str, seed: int, replication: int, days: float | None) -> dashboard.Replication:
    return dashboard.simulate_replication(dashboard.scenario_from_json(scenario_json), seed, replication, days)


def explore_result(scenario: Scenario, seed: int, replications: int, days: float | None = None,
                   progress: Callable[[int, int], Any] | None = None) -> dashboard.ExploreResult:
    """Replications of ``scenario`` for the Explore page, each cached by (scenario JSON, seed, index)."""
    js = scenario.model_dump_json()
    return dashboard.explore(
        scenario, seed, replications, days,
        runner=lambda _sc, s, i, d: _replication(js, s, i, d), progress=progress,
    )


@st.cache_data(show_spinner="Checking every point…", max_entries=16)
def _feasibility(low_json: str, high_json: str, heights: tuple[float, float], powers: tuple[float, float],
                 n: int) -> pd.DataFrame:
    import numpy as np

    bases = {1140: dashboard.scenario_from_json(low_json), 3300: dashboard.scenario_from_json(high_json)}
    return dashboard.feasibility_grid(bases, np.round(np.linspace(*heights, n), 4), np.round(np.linspace(*powers, n), 1))


def feasibility(low: Scenario, high: Scenario, heights: tuple[float, float], powers: tuple[float, float],
                n: int = 24) -> pd.DataFrame:
    """The feasible-region grid (cached): ``low`` run at 1,140 V, ``high`` at 3,300 V."""
    return _feasibility(low.model_dump_json(), high.model_dump_json(), tuple(map(float, heights)),
                        tuple(map(float, powers)), int(n))


# --------------------------------------------------------------------------------------
# Showing results
# --------------------------------------------------------------------------------------
def show_notes(status: str, reasons: Sequence[str], warnings: Sequence[str]) -> None:
    """Reasons a face cannot work (error) and warnings (close to a limit), in plain words."""
    if status != "ok" and reasons:
        st.error("**This face cannot be worked:**\n" + "\n".join(f"- {r}" for r in reasons), icon=":material/block:")
    elif status != "ok":
        st.error("**This face cannot be worked.**", icon=":material/block:")
    if warnings:
        st.warning("**Watch out:**\n" + "\n".join(f"- {w}" for w in warnings), icon=":material/warning:")


def kpi_cards(runs: pd.DataFrame, keys: Sequence[str] = dashboard.HEADLINE_KPIS,
              baseline: pd.DataFrame | None = None, baseline_label: str = "the preset") -> None:
    """One metric card per KPI: the mean over replications, its 95% interval below (the
    experiment layer's, fit for the quantity; none below five replications), and the change
    from ``baseline`` (the preset as loaded) when the settings differ from it — in
    percentage points for shares and percentages."""
    per_row = 3 if len(keys) > 4 else len(keys)
    cols = [c for start in range(0, len(keys), per_row) for c in st.columns(per_row)][: len(keys)]
    summary = dashboard.summarize(runs.assign(_all=0), list(keys), by="_all").set_index("kpi")
    base = (dashboard.summarize(baseline.assign(_all=0), list(keys), by="_all").set_index("kpi")
            if baseline is not None else None)
    for col, key in zip(cols, keys, strict=True):
        k = dashboard.kpi(key)
        row = summary.loc[key] if key in summary.index else None
        mean = float(row["mean"]) if row is not None else math.nan
        delta, color = None, "normal" if k.higher_is_better is not False else "inverse"
        if base is not None and key in base.index:
            base_mean = float(base.loc[key, "mean"])
            if all(map(math.isfinite, (mean, base_mean))) and not math.isclose(mean, base_mean, rel_tol=1e-9, abs_tol=1e-9):
                text = k.format_difference(mean - base_mean)
                if not any(ch in "123456789" for ch in text.split(" ")[0]):  # rounds to zero: no arrow, no colour
                    color = "off"
                delta = f"{text} vs {baseline_label}"
        with col:
            st.metric(k.label, k.format(mean), delta=delta, delta_color=color if k.higher_is_better is not None else "off",
                      border=True, help=glossary.kpi_help(key))
            if row is not None:
                st.caption(interval_caption(k, row))


def interval_caption(k: dashboard.Kpi, row: Mapping[str, Any]) -> str:
    """The line under a KPI: its 95% interval, or why there is none."""
    n = int(row["n"])
    if row["method"] == "fixed":
        return f"the same in all {n} replications"
    if row["method"] == "too few":
        return f"{n} replication{'s' if n != 1 else ''}: too few for an interval (5 or more)" if n else "no result"
    how = " (bootstrap)" if row["method"] == "bootstrap" else ""
    return f"95% CI{how} {k.format(row['lo']).rsplit(' ', 1)[0]} – {k.format(row['hi'])} · {n} replications"


def job_panel(job: dashboard.Job, key: str) -> None:
    """Progress of a background job with a *Stop* button; reruns the page when it ends.

    The panel refreshes itself twice a second (a fragment), so the rest of the page stays
    usable while the job runs.
    """

    @st.fragment(run_every=0.5)
    def _poll() -> None:
        if job.running:
            text = f"{job.label}: {job.done:,} of {job.total:,} runs · {job.elapsed_s:,.1f} s"
            if job.cancelled:
                text += " · stopping…"
            st.progress(job.fraction, text=text)
            st.button("Stop", key=f"{key}:stop", icon=":material/stop_circle:", disabled=job.cancelled,
                      on_click=job.cancel)
        else:
            st.rerun()

    _poll()


def start_job(state_key: str, fn: Callable[[Callable[[int, int], bool]], Any], label: str, **meta: Any) -> dashboard.Job:
    """Start ``fn(progress)`` as a background job kept in ``st.session_state[state_key]``."""
    old = st.session_state.get(state_key)
    if isinstance(old, dashboard.Job) and old.running:
        old.cancel()
    job = dashboard.Job(fn, label=label, meta=dict(meta)).start()
    st.session_state[state_key] = job
    return job


def restore(key: str, default: Any) -> None:
    """Give widget ``key`` its last value (Streamlit drops widget state on another page)."""
    if key not in st.session_state:
        st.session_state[key] = st.session_state.get(f"_saved:{key}", default)


def save(*keys: str) -> None:
    """Remember the values of widgets ``keys`` for :func:`restore`."""
    for key in keys:
        if key in st.session_state:
            st.session_state[f"_saved:{key}"] = st.session_state[key]


def fingerprint(page: str, scenarios: Sequence[Scenario], seed: int, replications: int, days: float | None,
                extra: Mapping[str, Any] | None = None) -> str:
    """A digest of what a run was, so the history keeps each distinct run once.

    It covers the page, seed, replications, days, every setting of every scenario, and
    ``extra`` — a sweep's design (two sweeps of the same base that differ only in their
    points are two runs) and the settings changed from the preset.
    """
    import hashlib
    import json

    text = "|".join([page, str(seed), str(replications), str(days), *(sc.model_dump_json() for sc in scenarios),
                     json.dumps(dict(extra or {}), sort_keys=True, default=str)])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def changed_settings(values: Mapping[str, Any], base: Mapping[str, Any]) -> dict[str, list[Any]]:
    """Dotted path → ``[preset value, value now]`` for every setting that differs from ``base``."""
    return {path: [base.get(path), value] for path, value in overrides_from(values, base).items()}


def describe_changes(changes: Mapping[str, Sequence[Any]], most: int = 4) -> str:
    """``Seam height 0.8 → 0.7 m; …`` for people (at most ``most``, then ``+ n more``)."""
    by_path = {s.path: s for s in field_specs()}
    parts = []
    for path, (old, new) in changes.items():
        spec = by_path.get(path)
        label = spec.label if spec else path
        unit = f" {spec.unit}" if spec and spec.unit else ""
        parts.append(f"{label} {_short(old)} → {_short(new)}{unit}")
    text = "; ".join(parts[:most])
    return text + (f"; + {len(parts) - most} more" if len(parts) > most else "")


def _short(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


HISTORY_COLUMNS = ("scenario", "point", "replication", "status", "reasons")


def runs_for_history(runs: pd.DataFrame) -> pd.DataFrame:
    """The columns of a runs table worth keeping: identity, status and every numeric KPI."""
    keep = [c for c in runs.columns if c in HISTORY_COLUMNS or pd.api.types.is_numeric_dtype(runs[c])]
    return runs[keep].drop(columns=[c for c in ("seed",) if c in keep])


def record_run(page: str, label: str, scenarios: Sequence[Scenario], seed: int, replications: int,
               days: float | None, runs: pd.DataFrame, status: str = "ok", store: HistoryStore | None = None,
               **extra: Any) -> int | None:
    """Keep a run in the history store; a failure to write is shown, never raised."""
    try:
        store = store or history_store()
        headline = float(runs["rom_t_per_month"].mean()) if "rom_t_per_month" in runs and len(runs) else None
        key = fingerprint(page, scenarios, seed, replications, days, extra)
        if "scenario" in runs and "rom_t_per_month" in runs and len(runs):  # one output per scenario, for the list
            extra = {**extra, "outputs": {str(k): float(v) for k, v in
                                          runs.groupby("scenario", sort=False)["rom_t_per_month"].mean().items()}}
        return store.add_run(
            page=page, label=label, scenarios=[sc.model_dump(mode="json") for sc in scenarios], seed=seed,
            replications=replications, days=days, status=status, runs=runs_for_history(runs), headline=headline,
            fingerprint=key, extra=extra,
        )
    except Exception as exc:  # noqa: BLE001
        st.toast(f"Could not keep this run in the history: {exc}", icon=":material/error:")
        return None


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


def summary_table(summary: pd.DataFrame, kpis: Sequence[str], labels: Mapping[str, str] | None = None,
                  by: str = "scenario") -> pd.DataFrame:
    """Wide table for people: one row per KPI, one column per scenario, ``mean (lo – hi)``
    (the mean alone where the values do not vary, ``mean (n < 5)`` where there are too few)."""
    rows = []
    groups = list(dict.fromkeys(summary[by]))
    for key in kpis:
        part = summary[summary["kpi"] == key].set_index(by)
        if part.empty:
            continue
        k = dashboard.kpi(key)
        row = {"KPI": k.title}
        for g in groups:
            if g not in part.index:
                continue
            m, lo, hi = part.loc[g, ["mean", "lo", "hi"]]
            text = k.format(m)
            method = part.loc[g, "method"] if "method" in part else ""
            if method == "too few":
                text += "  (n < 5: no interval)"
            elif math.isfinite(lo) and not math.isclose(lo, hi, rel_tol=1e-9, abs_tol=1e-9):
                text += f"  ({k.format(lo).split(' ')[0]} – {k.format(hi).split(' ')[0]})"
            row[(labels or {}).get(g, g)] = text
        rows.append(row)
    return pd.DataFrame(rows)


def headline(paired: pd.DataFrame, labels: Mapping[str, str], baseline_label: str,
             kpi: str = "rom_t_per_month", by: str = "scenario") -> list[str]:
    """One sentence per scenario: how much more (or less) it produces than the baseline."""
    k = dashboard.kpi(kpi)
    lines = []
    for _, r in paired[paired["kpi"] == kpi].iterrows():
        name = labels.get(r[by], r[by])
        more = "more" if r["mean"] >= 0 else "less"
        text = (f"**{name}** produces **{k.format(abs(r['mean']))} {more}** than {baseline_label}"
                + (f" ({r['relative']:+.0%})" if math.isfinite(r.get("relative", math.nan)) else ""))
        if r.get("verdict") == "too few":
            text += " (too few replications for an interval: run 5 or more)."
        elif math.isfinite(r["lo"]) and r.get("verdict") not in ("fixed", "same"):
            text += (f"; 95% CI of the paired difference {k.format(r['lo'], signed=True)} to "
                     f"{k.format(r['hi'], signed=True)}.")
        lines.append(text)
    return lines


VERDICTS: dict[str, str] = {
    "fixed": "fixed by the scenarios (does not vary)",
    "same": "no difference",
    "too few": "too few replications (5 or more for an interval)",
    "differs": "a real difference",
    "noise": "not distinguishable from noise",
}
"""What each verdict of the experiment layer's paired summary says to people."""


def paired_table(paired: pd.DataFrame, labels: Mapping[str, str] | None = None, by: str = "scenario") -> pd.DataFrame:
    """Paired differences for people: KPI, scenario, difference (in percentage points for
    shares and percentages) with its 95% CI, the relative change where it means something,
    and a verdict — none for a difference the scenarios fix (a crew of 20 against 6)."""
    rows = []
    for _, r in paired.iterrows():
        k = dashboard.kpi(r["kpi"])
        verdict = r.get("verdict", "")
        ci = (f"{k.format_difference(r['lo'])} to {k.format_difference(r['hi'])}"
              if math.isfinite(r["lo"]) and verdict not in ("fixed", "same") else "—")
        rel = f"{r['relative']:+.0%}" if math.isfinite(r.get("relative", math.nan)) else ""
        rows.append({"KPI": k.title, "scenario": (labels or {}).get(r[by], r[by]),
                     "difference": k.format_difference(r["mean"]), "relative": rel, "95% CI": ci,
                     "verdict": VERDICTS.get(verdict, verdict)})
    return pd.DataFrame(rows)


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


def scenario_digest(scenario: Scenario) -> str:
    """SHA-256 of a scenario's JSON: what a chart of it depends on, short to compare."""
    import hashlib

    return hashlib.sha256(scenario.model_dump_json().encode("utf-8")).hexdigest()


def short_label(scenario: Scenario) -> str:
    """A short name for charts: the title up to its colon (``Before``, ``After``) or the name."""
    title = scenario.title or ""
    head = title.split(":", 1)[0].strip()
    if ":" in title and 0 < len(head) <= 32:
        return head
    if 0 < len(title) <= 32:
        return title
    return scenario.name


def short_labels(scenarios: Sequence[Scenario]) -> dict[str, str]:
    """Name → :func:`short_label`, falling back to the name where two would read the same."""
    labels = {sc.name: short_label(sc) for sc in scenarios}
    counts: dict[str, int] = {}
    for text in labels.values():
        counts[text] = counts.get(text, 0) + 1
    return {name: (text if counts[text] == 1 else name) for name, text in labels.items()}


def scenario_labels(scenarios: Iterable[Scenario]) -> dict[str, str]:
    """Name → short display label (the title when there is one)."""
    return {sc.name: (sc.title or sc.name) for sc in scenarios}


__all__ = [
    "FieldSpec",
    "KEY_LEVERS",
    "LEVER_RANGES",
    "SECTION_TITLES",
    "changed_settings",
    "chart",
    "chart_once",
    "two_line_title",
    "coerce",
    "explore_result",
    "feasibility",
    "field_specs",
    "flatten",
    "slider_range",
    "describe_changes",
    "fingerprint",
    "format_of",
    "headline",
    "history_store",
    "job_panel",
    "interval_caption",
    "kpi_cards",
    "label_of",
    "library",
    "library_by_key",
    "load_entry",
    "load_values",
    "overrides_from",
    "page_setup",
    "picture",
    "render_field",
    "render_fields",
    "scenario_digest",
    "scenario_labels",
    "short_label",
    "short_labels",
    "show_notes",
    "start_job",
    "step_of",
    "take_boxes",
    "unit_of",
]
