"""YAML scenario files → validated :class:`~seamsim.scenario.schema.Scenario`.

What this module adds to the schema:

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
- **Errors for people.** Every problem becomes an :class:`Issue` with the file, line and
  column of the offending key, the field path, the bounds and unit, what was given and a hint
  (did you mean another key; a likely mm/m slip). All are raised together as one
  :class:`ScenarioError`; bad input never raises anything else.

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

import difflib
import os
import re
import typing
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo

from seamsim.scenario.schema import Scenario

__all__ = [
    "MAX_ALIASES",
    "MAX_EXTENDS_DEPTH",
    "MAX_FILE_BYTES",
    "MAX_NESTING_DEPTH",
    "MAX_NODES",
    "OVERRIDE_SOURCE",
    "Issue",
    "ScenarioError",
    "apply_overrides",
    "load_scenario",
    "load_scenario_text",
    "parse_overrides",
]

MAX_FILE_BYTES = 1_000_000
"""Largest scenario file or upload read [bytes]; larger ones are refused before parsing."""
MAX_ALIASES = 100
"""Most alias uses (``*name``) in one document."""
MAX_NODES = 100_000
"""Most YAML nodes in one document, counting each alias expansion in full."""
MAX_NESTING_DEPTH = 64
"""Deepest nesting of mappings and lists in one document."""
MAX_EXTENDS_DEPTH = 16
"""Longest ``extends:`` chain."""
OVERRIDE_SOURCE = "--set"
"""The ``file`` of an :class:`Issue` raised by an override."""

_PER_FILE_KEYS = ("name", "title", "description")
_YAML = "tag:yaml.org,2002:"
_ALLOWED_SCALAR_TAGS = frozenset(
    _YAML + t for t in ("str", "int", "float", "bool", "null", "timestamp")
)
_MAP_TAG = _YAML + "map"
_SEQ_TAG = _YAML + "seq"
_MERGE_TAG = _YAML + "merge"

_Path = tuple[str, ...]
_Mark = tuple[str | None, int | None, int | None]
"""Where a key was given: (file, line, column), 1-based; ``None`` where unknown."""


# --------------------------------------------------------------------------------------
# Issues and the error
# --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Issue:
    """One problem with a scenario, located for people.

    Attributes
    ----------
    file : str or None
        The file as the user named it, ``"--set"`` for an override, ``None`` if unknown.
    line, column : int or None
        1-based position of the offending key in ``file``.
    path : str
        Dotted field path, e.g. ``"machine.machine_height_mm"``; ``""`` for the whole file.
    message : str
        What is wrong and, where possible, how to fix it.
    """

    file: str | None
    line: int | None
    column: int | None
    path: str
    message: str

    def __str__(self) -> str:
        where = self.file or ""
        if where and self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        parts = [p for p in (where, self.path) if p]
        return ": ".join([*parts, self.message])


class ScenarioError(Exception):
    """A scenario (file, text or overrides) is not valid; carries every :class:`Issue` found.

    ``str(error)`` gives one line per issue, ``file:line:column: field.path: message``.
    """

    def __init__(self, issues: Sequence[Issue]):
        self.issues: list[Issue] = list(issues)
        super().__init__(str(self))

    def __str__(self) -> str:
        return "\n".join(str(issue) for issue in self.issues)


def _fail(
    file: str | None, message: str, *, mark: _Mark | None = None, path: str = ""
) -> ScenarioError:
    """Return a one-issue :class:`ScenarioError` (to ``raise``)."""
    line = column = None
    if mark is not None:
        file, line, column = mark
    return ScenarioError([Issue(file, line, column, path, message)])


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
        The YAML file. Errors name it as given.
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
        text = _read_text(file_path, display)
        chain = [(_resolve(file_path), display)]
        data, marks = _load_document(text, display, file_path.parent, chain, confine_to=None)
        return _finish(data, marks, overrides, display, default_name=file_path.stem)
    except ScenarioError:
        raise
    except Exception as exc:  # noqa: BLE001 - the promise: bad input raises ScenarioError only
        raise _fail(display, f"cannot read this scenario ({type(exc).__name__}: {exc})") from exc


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
        raise _fail(source, f"cannot read this scenario ({type(exc).__name__}: {exc})") from exc


def parse_overrides(items: Iterable[str]) -> dict[str, object]:
    """Parse ``key=value`` strings (``--set`` arguments) into an overrides mapping.

    Values are read as YAML scalars: ``0.75`` is a float, ``3300`` an int, ``true`` a bool,
    an empty value is ``None`` and anything that is not valid YAML stays a string.

    Parameters
    ----------
    items : iterable of str
        E.g. ``["seam.height_m=0.75", "operation.shield_control=manual"]``.

    Returns
    -------
    dict of str to object
        Dotted path → value, in the order given (a later repeat wins).

    Raises
    ------
    ScenarioError
        For an item without ``=`` or with a key that is not a dotted name.

    Examples
    --------
    >>> parse_overrides(["seam.height_m=0.75", "operation.remote_control=false", "title=A: B"])
    {'seam.height_m': 0.75, 'operation.remote_control': False, 'title': 'A: B'}
    """
    result: dict[str, object] = {}
    issues: list[Issue] = []
    for item in items:
        key, sep, value_text = str(item).partition("=")
        key = key.strip()
        if not sep or not key:
            issues.append(
                Issue(OVERRIDE_SOURCE, None, None, "", f"expected key=value, got {item!r}")
            )
            continue
        if not _DOTTED_KEY.match(key):
            issues.append(
                Issue(
                    OVERRIDE_SOURCE,
                    None,
                    None,
                    key,
                    f"not a dotted field path (like seam.height_m): {key!r}",
                )
            )
            continue
        result[key] = _parse_override_value(value_text)
    if issues:
        raise ScenarioError(issues)
    return result


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
        elif isinstance(scenario_or_dict, Mapping):
            data = _deep_copy(scenario_or_dict)
        else:
            raise _fail(
                None, f"expected a Scenario or a mapping, got {type(scenario_or_dict).__name__}"
            )
        return _finish(data, {}, overrides, None, default_name=None)
    except ScenarioError:
        raise
    except Exception as exc:  # noqa: BLE001
        raise _fail(
            OVERRIDE_SOURCE, f"cannot apply overrides ({type(exc).__name__}: {exc})"
        ) from exc


# --------------------------------------------------------------------------------------
# Reading files
# --------------------------------------------------------------------------------------
def _too_large_message() -> str:
    return f"larger than {MAX_FILE_BYTES:,} bytes; a scenario file is a few kB — refused"


def _resolve(path: Path) -> Path:
    """Return an absolute, symlink-free path (for cycle detection and confinement)."""
    return Path(os.path.realpath(path))


def _read_text(path: Path, display: str, *, at: _Mark | None = None) -> str:
    """Read a scenario file as UTF-8 text, refusing large and non-text files.

    Reads at most ``MAX_FILE_BYTES + 1`` bytes, so special files cannot stall it.
    """
    try:
        if path.is_dir():
            raise _fail(display, "is a directory, not a scenario file", mark=at)
        with open(path, "rb") as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        raise _fail(display, "file not found", mark=at) from None
    except PermissionError:
        raise _fail(display, "permission denied", mark=at) from None
    except OSError as exc:
        raise _fail(display, f"cannot read: {exc.strerror or exc}", mark=at) from None
    if len(raw) > MAX_FILE_BYTES:
        raise _fail(display, _too_large_message(), mark=at)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _fail(display, f"not UTF-8 text (bad byte at offset {exc.start})", mark=at) from None


def _stem_of(source: str) -> str | None:
    """Return the file stem of ``source`` if it names a file (``<string>`` does not)."""
    if not source or source.startswith("<"):
        return None
    return Path(source).stem or None


# --------------------------------------------------------------------------------------
# Safe YAML: composer with limits, constructor that keeps marks
# --------------------------------------------------------------------------------------
class _LimitExceeded(Exception):
    """Raised inside the composer when a document breaks a safety limit."""

    def __init__(self, message: str, mark: yaml.Mark | None):
        super().__init__(message)
        self.message = message
        self.mark = mark


class _LimitedLoader(yaml.SafeLoader):
    """A :class:`yaml.SafeLoader` whose composer counts aliases, nodes and nesting depth."""

    def __init__(self, stream: str):
        super().__init__(stream)
        self.alias_count = 0
        self.node_count = 0
        self.depth = 0

    def compose_node(self, parent, index):  # noqa: D401 - PyYAML hook
        if self.check_event(yaml.AliasEvent):
            self.alias_count += 1
            if self.alias_count > MAX_ALIASES:
                raise _LimitExceeded(
                    f"more than {MAX_ALIASES} aliases (*name); refused (possible alias bomb)",
                    self.peek_event().start_mark,
                )
            return super().compose_node(parent, index)
        self.node_count += 1
        if self.node_count > MAX_NODES:
            raise _LimitExceeded(
                f"more than {MAX_NODES:,} YAML nodes; refused", self.peek_event().start_mark
            )
        self.depth += 1
        try:
            if self.depth > MAX_NESTING_DEPTH:
                raise _LimitExceeded(
                    f"nested more than {MAX_NESTING_DEPTH} levels deep; refused",
                    self.peek_event().start_mark,
                )
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


def _mark_of(node: yaml.Node, file: str | None) -> _Mark:
    return (file, node.start_mark.line + 1, node.start_mark.column + 1)


def _yaml_error_issue(exc: yaml.YAMLError, file: str | None) -> Issue:
    """Turn a PyYAML error into an :class:`Issue` with its line and column."""
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        text = " ".join(str(p) for p in (exc.context, exc.problem) if p) or "invalid YAML"
        if mark is not None:
            return Issue(file, mark.line + 1, mark.column + 1, "", f"invalid YAML: {text}")
        return Issue(file, None, None, "", f"invalid YAML: {text}")
    if isinstance(exc, yaml.reader.ReaderError):
        return Issue(
            file,
            None,
            None,
            "",
            f"invalid YAML: character {exc.character!r} at offset {exc.position} is not allowed",
        )
    return Issue(file, None, None, "", f"invalid YAML: {exc}")


def _compose(text: str, file: str | None) -> tuple[yaml.Node | None, _LimitedLoader]:
    """Compose one YAML document into a node graph, enforcing the safety limits."""
    loader = _LimitedLoader(text)
    try:
        node = loader.get_single_node()
    except _LimitExceeded as exc:
        mark = (file, exc.mark.line + 1, exc.mark.column + 1) if exc.mark else None
        raise _fail(file, exc.message, mark=mark) from None
    except yaml.YAMLError as exc:
        raise ScenarioError([_yaml_error_issue(exc, file)]) from None
    except RecursionError:
        raise _fail(file, "nested too deeply; refused") from None
    finally:
        loader.dispose()
    if node is not None:
        _check_expanded_size(node, file)
    return node, loader


def _check_expanded_size(root: yaml.Node, file: str | None) -> None:
    """Refuse a document whose size with aliases expanded exceeds :data:`MAX_NODES`.

    Sizes are memoised per node, so this is linear in the composed graph; a node that
    contains itself (``&a [*a]``) is refused.
    """
    sizes: dict[int, int] = {}
    in_progress: set[int] = set()

    def size(node: yaml.Node) -> int:
        key = id(node)
        if key in sizes:
            return sizes[key]
        if key in in_progress:
            raise _fail(
                file,
                "an alias refers to a node that contains it (recursive); refused",
                mark=_mark_of(node, file),
            )
        in_progress.add(key)
        total = 1
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                total += size(key_node) + size(value_node)
                if total > MAX_NODES:
                    break
        elif isinstance(node, yaml.SequenceNode):
            for item in node.value:
                total += size(item)
                if total > MAX_NODES:
                    break
        in_progress.discard(key)
        sizes[key] = total
        if total > MAX_NODES:
            raise _fail(
                file,
                f"expands to more than {MAX_NODES:,} nodes through aliases; "
                "refused (possible alias bomb)",
                mark=_mark_of(node, file),
            )
        return total

    try:
        size(root)
    except RecursionError:
        raise _fail(file, "aliases nest too deeply; refused (possible alias bomb)") from None


class _Builder:
    """Build plain Python data from a composed node graph, recording where each key is.

    Only the standard scalar tags, sequences, mappings and merge keys (``<<``) are accepted;
    every other tag is reported, Python object tags with an explicit refusal.
    """

    def __init__(self, loader: _LimitedLoader, file: str | None):
        self.loader = loader
        self.file = file
        self.marks: dict[_Path, _Mark] = {}
        self.issues: list[Issue] = []

    def build(self, node: yaml.Node, path: _Path) -> object:
        if not self._tag_ok(node, path):
            return None
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*path, str(i))) for i, item in enumerate(node.value)]
        return self._scalar(node, path)

    def _issue(self, node: yaml.Node, path: _Path, message: str) -> None:
        _, line, column = _mark_of(node, self.file)
        self.issues.append(Issue(self.file, line, column, ".".join(path), message))

    def _tag_ok(self, node: yaml.Node, path: _Path) -> bool:
        tag = node.tag or ""
        if isinstance(node, yaml.MappingNode):
            ok = tag == _MAP_TAG
        elif isinstance(node, yaml.SequenceNode):
            ok = tag == _SEQ_TAG
        else:
            ok = tag in _ALLOWED_SCALAR_TAGS
        if ok:
            return True
        shown = "!!" + tag[len(_YAML) :] if tag.startswith(_YAML) else tag
        if tag.startswith(_YAML + "python/"):
            self._issue(
                node,
                path,
                f"the tag {shown} is not allowed: Python object tags are refused "
                "(scenario files hold plain values only)",
            )
        else:
            self._issue(
                node,
                path,
                f"the tag {shown} is not allowed (scenario files hold plain values only)",
            )
        return False

    def _scalar(self, node: yaml.ScalarNode, path: _Path) -> object:
        try:
            return self.loader.construct_object(node, deep=True)
        except Exception as exc:  # noqa: BLE001 - e.g. 2024-13-45 resolves as a bad timestamp
            problem = getattr(exc, "problem", None) or str(exc)
            self._issue(node, path, f"cannot read the value {node.value!r}: {problem}")
            return node.value

    def _key_text(self, key_node: yaml.Node, path: _Path) -> str | None:
        if isinstance(key_node, yaml.ScalarNode) and self._tag_ok(key_node, path):
            return str(key_node.value)
        if not isinstance(key_node, yaml.ScalarNode):
            self._issue(key_node, path, "a key must be a plain name, not a list or mapping")
        return None

    def _mapping(self, node: yaml.MappingNode, path: _Path) -> dict[str, object]:
        merged: dict[str, object] = {}
        explicit: dict[str, object] = {}
        first_line: dict[str, int] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE_TAG:
                self._merge_into(merged, value_node, path)
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE_TAG:
                continue
            key = self._key_text(key_node, path)
            if key is None:
                continue
            key_path = (*path, key)
            line = key_node.start_mark.line + 1
            if key in first_line:
                self._issue(
                    key_node,
                    key_path,
                    f"duplicate key `{key}` (first given on line {first_line[key]})",
                )
                continue
            first_line[key] = line
            self.marks[key_path] = _mark_of(key_node, self.file)
            explicit[key] = self.build(value_node, key_path)
        merged.update(explicit)
        return merged

    def _merge_into(self, target: dict[str, object], value_node: yaml.Node, path: _Path) -> None:
        """Apply a YAML merge key (``<<: *base`` or ``<<: [*a, *b]``); earlier sources win."""
        sources = value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
        for source in sources:
            if not isinstance(source, yaml.MappingNode):
                self._issue(source, path, "a merge key (<<) needs a mapping or a list of mappings")
                continue
            for key, value in self._mapping(source, path).items():
                target.setdefault(key, value)


def _parse_yaml(text: str, file: str | None) -> tuple[dict[str, object], dict[_Path, _Mark]]:
    """Parse one scenario document: a mapping at the top level, plain values only."""
    node, loader = _compose(text, file)
    if node is None:
        raise _fail(
            file,
            "the file is empty; a scenario is a mapping of sections (seam:, machine:, …)",
            mark=(file, 1, 1),
        )
    if not isinstance(node, yaml.MappingNode):
        kind = "a list" if isinstance(node, yaml.SequenceNode) else f"the value {node.value!r}"
        raise _fail(
            file,
            f"the top level must be a mapping of sections (seam:, machine:, …), got {kind}",
            mark=_mark_of(node, file),
        )
    builder = _Builder(loader, file)
    try:
        data = builder.build(node, ())
    except RecursionError:
        raise _fail(file, "nested too deeply; refused") from None
    if builder.issues:
        raise ScenarioError(builder.issues)
    if not isinstance(data, dict):  # a top-level tag that was refused
        raise _fail(file, "the top level must be a mapping of sections", mark=_mark_of(node, file))
    return data, builder.marks


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
        names = [d for _, d in chain[seen.index(resolved) :]] + [parent_display]
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
                f"extends must name a file inside {confine_to.name}/, got {ref!r}",
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
# Overrides
# --------------------------------------------------------------------------------------
_DOTTED_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$")


def _parse_override_value(text: str) -> object:
    """Read an override value as a YAML scalar, falling back to the plain string."""
    stripped = text.strip()
    if stripped == "":
        return None
    try:
        node, loader = _compose(stripped, OVERRIDE_SOURCE)
        builder = _Builder(loader, OVERRIDE_SOURCE)
        value = builder.build(node, ()) if node is not None else None
    except ScenarioError:
        return stripped
    if builder.issues:
        return stripped
    if isinstance(value, dict | list) and stripped[0] not in "{[":
        return stripped  # "A: B" is a title, not a mapping
    return value


def _flatten_overrides(overrides: Mapping[str, object]) -> list[tuple[_Path, object]]:
    """Split dotted keys; a mapping value sets each of its leaves (``x={a: 1}`` → ``x.a=1``)."""
    flat: list[tuple[_Path, object]] = []

    def walk(path: _Path, value: object) -> None:
        if isinstance(value, Mapping) and value:
            for key, sub in value.items():
                walk((*path, str(key)), sub)
        else:
            flat.append((path, value))

    for key, value in overrides.items():
        walk(tuple(str(key).split(".")), value)
    return flat


def _apply_to_data(
    data: dict[str, object], marks: dict[_Path, _Mark], overrides: Mapping[str, object]
) -> list[Issue]:
    """Set each override in ``data`` (creating sections as needed); return problems found."""
    issues: list[Issue] = []
    for path, value in _flatten_overrides(overrides):
        dotted = ".".join(path)
        if path == ("extends",):
            issues.append(
                Issue(OVERRIDE_SOURCE, None, None, dotted, "extends cannot be overridden")
            )
            continue
        target: dict[str, object] = data
        for depth, part in enumerate(path[:-1]):
            current = target.get(part)
            if current is None:
                current = target[part] = {}
            if not isinstance(current, dict):
                here = ".".join(path[: depth + 1])
                issues.append(
                    Issue(
                        OVERRIDE_SOURCE,
                        None,
                        None,
                        dotted,
                        f"`{here}` holds a value, not a section; cannot set `{dotted}`",
                    )
                )
                break
            target = current
        else:
            target[path[-1]] = value
            for other in [p for p in marks if p[: len(path)] == path]:
                del marks[other]
            marks[path] = (OVERRIDE_SOURCE, None, None)
    return issues


# --------------------------------------------------------------------------------------
# Validation → issues
# --------------------------------------------------------------------------------------
def _finish(
    data: dict[str, object],
    marks: dict[_Path, _Mark],
    overrides: Mapping[str, object] | None,
    file: str | None,
    *,
    default_name: str | None,
) -> Scenario:
    """Apply overrides, fill a default name and validate, raising every issue at once."""
    issues: list[Issue] = []
    if overrides:
        if not isinstance(overrides, Mapping):
            raise _fail(
                OVERRIDE_SOURCE, f"overrides must be a mapping, got {type(overrides).__name__}"
            )
        issues += _apply_to_data(data, marks, overrides)
    if "name" not in data and default_name:
        name = _name_from_stem(default_name)
        if name:
            data["name"] = name
    try:
        scenario = Scenario.model_validate(data)
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


def _sorted_issues(issues: list[Issue]) -> list[Issue]:
    """Order issues by file (in order of appearance, overrides last), then line."""
    files: dict[str | None, int] = {}
    for issue in issues:
        files.setdefault(issue.file, len(files))
    return sorted(
        issues,
        key=lambda i: (
            i.file == OVERRIDE_SOURCE,
            files[i.file],
            i.line is None,
            i.line or 0,
            i.column or 0,
        ),
    )


def _issues_from_validation(
    exc: ValidationError, marks: dict[_Path, _Mark], file: str | None
) -> list[Issue]:
    issues = []
    for error in exc.errors(include_url=False):
        path = tuple(str(p) for p in error["loc"])
        where = _nearest_mark(marks, path, file)
        issues.append(Issue(where[0], where[1], where[2], ".".join(path), _describe(error, path)))
    return issues


def _nearest_mark(marks: Mapping[_Path, _Mark], path: _Path, file: str | None) -> _Mark:
    """Return the mark of ``path``'s key, or of its nearest ancestor given in the file."""
    for end in range(len(path), 0, -1):
        if path[:end] in marks:
            return marks[path[:end]]
    return (file, None, None)


# --- the schema, walked by path ---------------------------------------------------------
def _model_of(annotation: object) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    return None


def _model_at(path: _Path) -> type[BaseModel] | None:
    """Return the schema model (section) at ``path``, ``()`` being the Scenario itself."""
    model: type[BaseModel] | None = Scenario
    for part in path:
        if model is None or part not in model.model_fields:
            return None
        model = _model_of(model.model_fields[part].annotation)
    return model


def _field_at(path: _Path) -> FieldInfo | None:
    if not path:
        return None
    model = _model_at(path[:-1])
    if model is None:
        return None
    return model.model_fields.get(path[-1])


def _all_field_paths(model: type[BaseModel] = Scenario, prefix: _Path = ()) -> list[_Path]:
    paths = []
    for name, info in model.model_fields.items():
        sub = _model_of(info.annotation)
        paths.append((*prefix, name))
        if sub is not None:
            paths += _all_field_paths(sub, (*prefix, name))
    return paths


def _bounds(info: FieldInfo) -> dict[str, float]:
    """Return the field's bounds as ``{"ge"|"gt"|"le"|"lt": value}``."""
    found: dict[str, float] = {}
    for meta in info.metadata:
        for kind in ("ge", "gt", "le", "lt"):
            value = getattr(meta, kind, None)
            if value is not None:
                found[kind] = value
    return found


def _literal_values(info: FieldInfo) -> tuple[object, ...]:
    annotation = info.annotation
    if typing.get_origin(annotation) is typing.Literal:
        return typing.get_args(annotation)
    return ()


# --- units from field names -------------------------------------------------------------
_UNIT_SUFFIXES: tuple[tuple[str, str], ...] = (
    ("_kwh_per_m3", "kWh/m³"),
    ("_t_per_m3", "t/m³"),
    ("_m_per_min", "m/min"),
    ("_m_per_s", "m/s"),
    ("_t_per_h", "t/h"),
    ("_ohm_per_km", "Ω/km"),
    ("_per_h", "1/h"),
    ("_mm2", "mm²"),
    ("_mm", "mm"),
    ("_kw", "kW"),
    ("_kwh", "kWh"),
    ("_pct", "%"),
    ("_rpm", "rpm"),
    ("_min", "min"),
    ("_m", "m"),
    ("_h", "h"),
    ("_s", "s"),
    ("_v", "V"),
    ("_a", "A"),
    ("_c", "°C"),
    ("_t", "t"),
    ("_d", "d"),
)
_SOURCE_TAG = re.compile(r"^(S-?\w+|E|A|I)$")
_BRACKET = re.compile(r"\[([^\[\]]+)\]")


def _unit_of(name: str, info: FieldInfo | None = None) -> str:
    """Return the unit of a field from its name's suffix (``_mm`` → mm), else its description.

    ``""`` for dimensionless fields.
    """
    for suffix, unit in _UNIT_SUFFIXES:
        if name.endswith(suffix):
            return unit
    description = (info.description if info is not None else None) or ""
    for content in _BRACKET.findall(description):
        content = content.strip()
        if content == "-" or _SOURCE_TAG.match(content) or " " in content:
            continue
        return content
    return ""


def _quantity_word(name: str) -> str:
    """Return what a length field measures, for hints (``seam.height_m`` → ``height``)."""
    for suffix, _ in _UNIT_SUFFIXES:
        if name.endswith(suffix):
            name = name[: -len(suffix)]
            break
    word = name.rsplit("_", 1)[-1]
    return (
        word
        if word
        in {
            "height",
            "length",
            "thickness",
            "diameter",
            "width",
            "web",
            "convergence",
            "float",
            "depth",
            "travel",
            "interval",
        }
        else "length"
    )


def _slip_candidates(name: str, unit: str) -> list[tuple[float, str]]:
    """Return (factor, explanation) pairs for likely unit slips on a field."""
    q = _quantity_word(name)
    table: dict[str, list[tuple[float, str]]] = {
        "m": [(1e-3, f"a {q} in mm given in m"), (1e-2, f"a {q} in cm given in m")],
        "mm": [(1e3, f"a {q} in m given in mm"), (10.0, f"a {q} in cm given in mm")],
        "kW": [(1e-3, "a power in W given in kW"), (1e3, "a power in MW given in kW")],
        "V": [(1e3, "a voltage in kV given in V")],
        "h": [(1.0 / 60.0, "a time in min given in h")],
        "min": [(1.0 / 60.0, "a time in s given in min"), (60.0, "a time in h given in min")],
        "s": [(60.0, "a time in min given in s")],
        "m/min": [(60.0, "a speed in m/s given in m/min")],
        "m/s": [(1.0 / 60.0, "a speed in m/min given in m/s")],
        "%": [(100.0, "a fraction given where a percentage is expected")],
        "": [(0.01, "a percentage given where a fraction is expected")],
    }
    return table.get(unit, [])


def _in_bounds(value: float, bounds: Mapping[str, float]) -> bool:
    return (
        ("ge" not in bounds or value >= bounds["ge"])
        and ("gt" not in bounds or value > bounds["gt"])
        and ("le" not in bounds or value <= bounds["le"])
        and ("lt" not in bounds or value < bounds["lt"])
    )


def _slip_hint(
    name: str,
    unit: str,
    value: object,
    allowed: Sequence[object] | None = None,
    bounds: Mapping[str, float] | None = None,
) -> str:
    """Return `` — did you mean X? (why)`` when a unit slip would put ``value`` in range."""
    if isinstance(value, bool) or not isinstance(value, int | float) or value != value:
        return ""
    if unit == "" and (bounds is None or bounds.get("le", bounds.get("lt", 2.0)) > 1.0):
        return ""  # the percentage slip only makes sense for shares in [0, 1]
    for factor, why in _slip_candidates(name, unit):
        candidate = value * factor
        if allowed is not None:
            match = [
                a
                for a in allowed
                if isinstance(a, int | float) and abs(a - candidate) < 1e-9 * max(1.0, abs(a))
            ]
            if match:
                return f" — did you mean {match[0]}? ({why})"
        elif bounds is not None and _in_bounds(candidate, bounds):
            return f" — did you mean {_number(candidate)}? ({why})"
    return ""


# --- formatting -------------------------------------------------------------------------
def _number(value: float) -> str:
    """Format a suggested number without float noise (0.8, not 0.8000000000000002)."""
    text = f"{value:.6g}"
    return text if "e" not in text else repr(value)


def _shown(value: object) -> str:
    """Format a given value as people wrote it."""
    if value is None:
        return "an empty value"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return repr(value) if len(value) <= 60 else repr(value[:57] + "...")
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return f"{value!s} ({type(value).__name__})"


def _with_unit(value: object, unit: str) -> str:
    return f"{value} [{unit}]" if unit and unit != "-" else f"{value}"


def _describe(error: Mapping[str, Any], path: _Path) -> str:
    """Return the people-facing message for one pydantic error at ``path``."""
    kind = error["type"]
    given = error.get("input")
    name = path[-1] if path else ""
    info = _field_at(path)
    unit = _unit_of(name, info) if info is not None else ""
    if kind == "extra_forbidden":
        return _unknown_key_message(path)
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        return _bounds_message(kind, error.get("ctx", {}), given, name, unit, info)
    if kind in ("literal_error", "enum"):
        return _literal_message(given, name, unit, info)
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        model = _model_at(path)
        keys = ", ".join(list(model.model_fields)[:4]) + ", …" if model is not None else ""
        return f"expected a mapping of `{name}` keys ({keys}), got {_shown(given)}"
    if kind in ("float_parsing", "float_type", "finite_number"):
        hint = _number_with_unit_hint(given, unit)
        return f"expected a number{_in_unit(unit)}, got {_shown(given)}{hint}"
    if kind in ("int_parsing", "int_type", "int_from_float"):
        hint = _number_with_unit_hint(given, unit)
        return f"expected a whole number{_in_unit(unit)}, got {_shown(given)}{hint}"
    if kind in ("bool_parsing", "bool_type"):
        return f"expected true or false, got {_shown(given)}"
    if kind in ("string_type",):
        quote = " — put it in quotes" if isinstance(given, bool | int | float) else ""
        return f"expected text, got {_shown(given)}{quote}"
    if kind == "string_pattern_mismatch":
        return f"{_shown(given)} may use only letters, digits, _ . and - (no spaces)"
    if kind == "string_too_long":
        return f"longer than the maximum {error.get('ctx', {}).get('max_length')} characters"
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "value_error":
        return str(error.get("msg", "")).removeprefix("Value error, ")
    return f"{error.get('msg', 'invalid')}, got {_shown(given)}"


def _in_unit(unit: str) -> str:
    return f" in {unit}" if unit and unit != "-" else ""


def _number_with_unit_hint(given: object, unit: str) -> str:
    """Hint for ``"0.8 m"``-style values: the unit is in the field name, not the value."""
    if isinstance(given, str) and re.match(
        r"^\s*[-+]?[\d.]+(e[-+]?\d+)?\s*[^\d\s.]+\s*$", given, re.I
    ):
        if unit:
            return f" — write the number alone; this field is in {unit}"
        return " — write the number alone"
    return ""


def _bounds_message(
    kind: str, ctx: Mapping[str, Any], given: object, name: str, unit: str, info: FieldInfo | None
) -> str:
    bounds = _bounds(info) if info is not None else {}
    if isinstance(given, float) and given != given:
        return "nan is not a number"
    if kind == "less_than_equal":
        text = f"{_shown(given)} is above the maximum {_with_unit(ctx.get('le'), unit)}"
    elif kind == "less_than":
        text = f"{_shown(given)} must be below {_with_unit(ctx.get('lt'), unit)}"
    elif kind == "greater_than_equal":
        text = f"{_shown(given)} is below the minimum {_with_unit(ctx.get('ge'), unit)}"
    else:
        text = f"{_shown(given)} must be above {_with_unit(ctx.get('gt'), unit)}"
    return text + _slip_hint(name, unit, given, bounds=bounds or dict(ctx))


def _literal_message(given: object, name: str, unit: str, info: FieldInfo | None) -> str:
    allowed = _literal_values(info) if info is not None else ()
    listed = ", ".join(str(a) for a in allowed)
    text = f"{_shown(given)} is not allowed; choose one of {listed}" + (
        f" [{unit}]" if unit else ""
    )
    hint = _slip_hint(name, unit, given, allowed=allowed)
    if not hint and isinstance(given, str):
        unquoted = [a for a in allowed if not isinstance(a, str) and str(a) == given.strip()]
        if unquoted:
            hint = f" — write {unquoted[0]} without quotes"
        else:
            close = difflib.get_close_matches(given, [str(a) for a in allowed], n=1, cutoff=0.6)
            if close:
                hint = f" — did you mean `{close[0]}`?"
    return text + hint


def _unknown_key_message(path: _Path) -> str:
    """Message for an unknown key: did you mean a near key here, or the same key elsewhere?"""
    key = path[-1]
    parent = path[:-1]
    model = _model_at(parent)
    here = list(model.model_fields) if model is not None else []
    if not parent:
        here.append("extends")
    close = difflib.get_close_matches(key, here, n=1, cutoff=0.6)
    what = "unknown section" if not parent else "unknown key"
    if close:
        return f"{what} — did you mean `{close[0]}`?"
    elsewhere = [p for p in _all_field_paths() if p[-1] == key and p[:-1] != parent]
    if elsewhere:
        return (
            f"{what} here — `{key}` belongs in `{'.'.join(elsewhere[0][:-1]) or 'the top level'}`"
        )
    shown = ", ".join(here)
    return f"{what}; the keys here are: {shown}"
