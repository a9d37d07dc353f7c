"""YAML scenario files → validated :class:`~seamsim.scenario.schema.Scenario`.

What this module adds to the schema (safe reading is in :mod:`seamsim.scenario.safe_yaml`,
the issues and messages in :mod:`seamsim.scenario.issues` and :mod:`seamsim.scenario.messages`;
their public names are re-exported here):

- **Safe reading.** Only :class:`yaml.SafeLoader` machinery is used; Python object tags
  (``!!python/object``…) and unknown tags are refused, files over :data:`MAX_FILE_BYTES`
  are refused before parsing, and alias bombs are refused by counting alias uses
  (:data:`MAX_ALIASES`) and the size of the document once aliases are expanded
  (:data:`MAX_NODES`). The top level must be a mapping.
- **``extends: other.yaml``.** A file may change another one (path relative to the file);
  chains are allowed, cycles refused. Mappings are merged key by key, anything else is
  replaced. ``name``, ``title`` and ``description`` belong to each file and are never
  inherited: a file without a ``name`` is named after its file stem.
- **Dotted overrides** (``seam.height_m=0.75``), as given on the command line with ``--set``.
- **Strict types.** Before the schema validates, every value is checked against its field's
  type: a boolean (``on``, ``no``…) or text (``'0.8'``) where a number is expected, a number
  or text where true/false is expected, and text holding control characters are refused —
  the same for files, ``--set`` and Python overrides. (``Scenario(...)`` built directly in
  Python keeps pydantic's own rules.)
- **Only regular files** are read, as the scenario and as ``extends:`` targets; a FIFO or a
  device is refused before it is opened.
- **Errors for people.** Every problem becomes an :class:`Issue` with the file, line and
  column of the offending key, the field path, the bounds and unit, what was given and a hint
  (did you mean another key; a likely mm/m slip). All are raised together as one
  :class:`ScenarioError`; bad input never raises anything else. Each issue prints as one
  line, echoed input cut to :data:`MAX_ECHO` characters; ``str(error)`` prints the first
  :data:`MAX_SHOWN_ISSUES` and counts the rest.

Examples
--------
>>> sc = load_scenario_text("seam:\\n  height_m: 0.75\\n", overrides={"machine.web_m": 0.7})
>>> sc.seam.height_m, sc.machine.web_m
(0.75, 0.7)
>>> try:
...     load_scenario_text("seam:\\n  height_m: 800\\n", source="x.yaml")
... except ScenarioError as err:
...     print(err)  # doctest: +NORMALIZE_WHITESPACE
x.yaml:2:3: seam.height_m: 800 is above the maximum 3.0 [m] — did you mean 0.8?
(a height in mm given in m)
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from seamsim.scenario.bundled import bundled_scenario_names, bundled_scenario_path
from seamsim.scenario.issues import (
    MAX_SHOWN_ISSUES,
    OVERRIDE_SOURCE,
    Issue,
    ScenarioError,
    _fail,
    _Mark,
    _Path,
    _sorted_issues,
)
from seamsim.scenario.messages import _issues_from_validation, _shown
from seamsim.scenario.overrides import apply_to_data, flatten_overrides, parse_overrides
from seamsim.scenario.safe_yaml import (
    MAX_ALIASES,
    MAX_FILE_BYTES,
    MAX_NESTING_DEPTH,
    MAX_NODES,
    _parse_yaml,
    _read_text,
    _too_large_message,
)
from seamsim.scenario.schema import Scenario
from seamsim.scenario.strict_types import only, type_issues, without
from seamsim.scenario.terminal_text import MAX_ECHO, _clip, _clip_middle
from seamsim.scenario.type_messages import _bad_text_message

__all__ = [
    "MAX_ALIASES",
    "MAX_ECHO",
    "MAX_EXTENDS_DEPTH",
    "MAX_FILE_BYTES",
    "MAX_NESTING_DEPTH",
    "MAX_NODES",
    "MAX_SHOWN_ISSUES",
    "OVERRIDE_SOURCE",
    "Issue",
    "ScenarioError",
    "apply_overrides",
    "load_scenario",
    "load_scenario_text",
    "parse_overrides",
]

MAX_EXTENDS_DEPTH = 16
"""Longest ``extends:`` chain."""

_PER_FILE_KEYS = ("name", "title", "description")


# --------------------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------------------
def load_scenario(
    path: str | os.PathLike[str], overrides: Mapping[str, object] | None = None
) -> Scenario:
    """Read, merge (``extends:``), override and validate a scenario file.

    Parameters
    ----------
    path : str or path-like
        The YAML file, or the name of a bundled scenario (``article_after_3300v``) when
        no such file exists (:mod:`seamsim.scenario.bundled`). Errors name it as given.
    overrides : mapping of str to object, optional
        Dotted field paths to values, applied after ``extends:`` and before validation,
        e.g. ``{"seam.height_m": 0.75}``.

    Returns
    -------
    Scenario
        The validated scenario.

    Raises
    ------
    ScenarioError
        For any problem with the file, its parents or the overrides (never anything else).
    """
    display = os.fspath(path)
    try:
        file_path = Path(display)
        if not file_path.exists():
            bundled = bundled_scenario_path(display)
            if bundled is not None:  # a bundled scenario's name: `seamsim run article_after_3300v`
                file_path = bundled
            elif display and os.sep not in display and "/" not in display and "\x00" not in display:
                names = bundled_scenario_names()
                raise _fail(display, "file not found, and no bundled scenario has that name"
                            + (f" (bundled: {', '.join(names)})" if names else ""))
        text = _read_text(file_path, display)
        chain = [(_resolve(file_path), display)]
        data, marks = _load_document(text, display, file_path.parent, chain, confine_to=None)
        return _finish(data, marks, overrides, display, default_name=file_path.stem)
    except ScenarioError:
        raise
    except Exception as exc:  # noqa: BLE001 - the promise: bad input raises ScenarioError only
        raise _fail(display, _unexpected_message("cannot read this scenario", exc)) from exc


def load_scenario_text(
    text: str,
    *,
    source: str = "<string>",
    base_dir: str | os.PathLike[str] | None = None,
    overrides: Mapping[str, object] | None = None,
) -> Scenario:
    """Validate a scenario given as YAML text (an upload, a text box).

    Parameters
    ----------
    text : str
        The YAML document.
    source : str, optional
        Name used in error messages and, if it has a valid stem, as the default ``name``.
    base_dir : str or path-like, optional
        Directory that ``extends:`` paths are relative to. ``extends:`` is refused without
        one, and may not leave it (an upload cannot read other files on the server).
    overrides : mapping of str to object, optional
        As for :func:`load_scenario`.

    Returns
    -------
    Scenario
        The validated scenario.

    Raises
    ------
    ScenarioError
        For any problem (never anything else).
    """
    try:
        if not isinstance(text, str):
            raise _fail(source, f"expected YAML text, got {type(text).__name__}")
        if (
            len(text) > MAX_FILE_BYTES
            or len(text.encode("utf-8", "surrogatepass")) > MAX_FILE_BYTES
        ):
            raise _fail(source, _too_large_message())
        base = Path(base_dir) if base_dir is not None else None
        confine = _resolve(base) if base is not None else None
        data, marks = _load_document(text, source, base, [], confine_to=confine)
        return _finish(data, marks, overrides, source, default_name=_stem_of(source))
    except ScenarioError:
        raise
    except Exception as exc:  # noqa: BLE001
        raise _fail(source, _unexpected_message("cannot read this scenario", exc)) from exc


def apply_overrides(
    scenario_or_dict: Scenario | Mapping[str, Any], overrides: Mapping[str, object]
) -> Scenario:
    """Return a scenario with dotted-path overrides applied and everything re-validated.

    Parameters
    ----------
    scenario_or_dict : Scenario or mapping
        A validated scenario, or raw scenario data (as read from YAML, without ``extends``).
    overrides : mapping of str to object
        Dotted path → value, e.g. ``{"failures.shearer.mean_time_between_failures_h": 40}``.

    Returns
    -------
    Scenario
        A new validated scenario.

    Raises
    ------
    ScenarioError
        Unknown keys, values out of bounds and so on, with ``file == "--set"``.

    Examples
    --------
    >>> apply_overrides(Scenario(), {"operation.shield_control": "manual"}).operation.shield_control
    'manual'
    """
    try:
        if isinstance(scenario_or_dict, BaseModel):
            data = scenario_or_dict.model_dump(mode="python")
            # a validated scenario's own values have their types: only the overrides are checked
            only_overridden = True
        elif isinstance(scenario_or_dict, Mapping):
            data = _deep_copy(scenario_or_dict)
            only_overridden = False
        else:
            raise _fail(
                None, f"expected a Scenario or a mapping, got {type(scenario_or_dict).__name__}"
            )
        return _finish(data, {}, overrides, None, default_name=None, only_overridden=only_overridden)
    except ScenarioError:
        raise
    except Exception as exc:  # noqa: BLE001
        raise _fail(OVERRIDE_SOURCE, _unexpected_message("cannot apply overrides", exc)) from exc


# --------------------------------------------------------------------------------------
# Paths
# --------------------------------------------------------------------------------------
def _resolve(path: Path) -> Path:
    """Return an absolute, symlink-free path (for cycle detection and confinement)."""
    return Path(os.path.realpath(path))


def _stem_of(source: str) -> str | None:
    """Return the file stem of ``source`` if it names a file (``<string>`` does not)."""
    if not source or source.startswith("<"):
        return None
    return Path(source).stem or None


# --------------------------------------------------------------------------------------
# extends:
# --------------------------------------------------------------------------------------
def _load_document(
    text: str,
    display: str,
    base_dir: Path | None,
    chain: list[tuple[Path, str]],
    *,
    confine_to: Path | None,
) -> tuple[dict[str, object], dict[_Path, _Mark]]:
    """Parse ``text`` and resolve its ``extends:`` chain into one merged mapping with marks."""
    data, marks = _parse_yaml(text, display)
    if "extends" not in data:
        return data, marks
    parent_ref = data.pop("extends")
    at = marks.get(("extends",), (display, None, None))
    parent_path, parent_display = _parent_location(parent_ref, display, base_dir, confine_to, at)
    resolved = _resolve(parent_path)
    seen = [p for p, _ in chain]
    if resolved in seen:
        names = [_clip_middle(d) for _, d in chain[seen.index(resolved) :]] + [
            _clip_middle(parent_display)
        ]
        raise _fail(display, "extends cycle: " + " → ".join(names), mark=at, path="extends")
    if len(chain) >= MAX_EXTENDS_DEPTH:
        raise _fail(
            display,
            f"extends chain longer than {MAX_EXTENDS_DEPTH} files; refused",
            mark=at,
            path="extends",
        )
    parent_text = _read_text(parent_path, parent_display, at=at)
    parent_data, parent_marks = _load_document(
        parent_text,
        parent_display,
        resolved.parent,
        [*chain, (resolved, parent_display)],
        confine_to=confine_to,
    )
    for key in _PER_FILE_KEYS:
        parent_data.pop(key, None)
    merged_marks = {**parent_marks, **marks}
    return _deep_merge(parent_data, data), merged_marks


def _parent_location(
    ref: object, display: str, base_dir: Path | None, confine_to: Path | None, at: _Mark
) -> tuple[Path, str]:
    """Return the path of an ``extends:`` target and the name to show for it."""
    if not isinstance(ref, str) or not ref.strip():
        raise _fail(
            display,
            f"extends needs a file name (a string), got {_shown(ref)}",
            mark=at,
            path="extends",
        )
    bad = _bad_text_message(ref)
    if bad is not None:
        raise _fail(display, f"not a usable file name: {bad}", mark=at, path="extends")
    if base_dir is None:
        raise _fail(
            display,
            "extends is not available here (no base directory to find the file in)",
            mark=at,
            path="extends",
        )
    parent_path = base_dir / ref
    if confine_to is not None:
        resolved = _resolve(parent_path)
        if resolved != confine_to and confine_to not in resolved.parents:
            raise _fail(
                display,
                f"extends must name a file inside {confine_to.name}/, got {_shown(ref)}",
                mark=at,
                path="extends",
            )
    if display.startswith("<"):
        return parent_path, os.path.normpath(ref)
    return parent_path, os.path.normpath(os.path.join(os.path.dirname(display), ref))


def _deep_merge(parent: Mapping[str, object], child: Mapping[str, object]) -> dict[str, object]:
    """Merge ``child`` over ``parent``: mappings key by key, anything else replaced."""
    result = dict(parent)
    for key, value in child.items():
        if isinstance(value, Mapping) and isinstance(result.get(key), Mapping):
            result[key] = _deep_merge(result[key], value)  # type: ignore[arg-type]
        else:
            result[key] = value
    return result


def _deep_copy(value: object) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _deep_copy(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_deep_copy(v) for v in value]
    return value


# --------------------------------------------------------------------------------------
# Overrides, default name and validation
# --------------------------------------------------------------------------------------
def _finish(
    data: dict[str, object],
    marks: dict[_Path, _Mark],
    overrides: Mapping[str, object] | None,
    file: str | None,
    *,
    default_name: str | None,
    only_overridden: bool = False,
) -> Scenario:
    """Apply overrides, fill a default name and validate, raising every issue at once.

    ``only_overridden`` limits the strict type check to the overridden paths (and what
    lies under them): for an already validated scenario, whose own values have their types.
    """
    issues: list[Issue] = []
    flat: list[tuple[_Path, object]] = []
    if overrides:
        if not isinstance(overrides, Mapping):
            raise _fail(
                OVERRIDE_SOURCE, f"overrides must be a mapping, got {type(overrides).__name__}"
            )
        flat = flatten_overrides(overrides)
        issues += apply_to_data(data, marks, flat)
    type_checked = {path for path, _ in flat} if only_overridden else None
    if "name" not in data and default_name:
        name = _name_from_stem(default_name)
        if name:
            data["name"] = name
    typed = type_issues(data if type_checked is None else only(data, type_checked), marks, file)
    issues += typed
    try:  # refused values are left out, so that pydantic does not read `on` as 1 for a rule
        scenario = Scenario.model_validate(without(data, {i.path for i in typed}))
    except ValidationError as exc:
        issues += _issues_from_validation(exc, marks, file)
        scenario = None
    if issues:
        raise ScenarioError(_sorted_issues(issues))
    assert scenario is not None
    return scenario


def _name_from_stem(stem: str) -> str | None:
    """Return a valid scenario name made from a file stem, or ``None``."""
    name = re.sub(r"[^A-Za-z0-9_.\-]+", "_", stem).strip("_")[:80]
    return name or None


def _unexpected_message(what: str, exc: BaseException) -> str:
    """Return ``what (Kind: text)`` on one line, the text cut to :data:`MAX_ECHO`."""
    text = " ".join(str(exc).split())
    return f"{what} ({type(exc).__name__}: {_clip(text, MAX_ECHO)})"
