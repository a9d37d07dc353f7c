"""Safe reading of scenario YAML: size limits, no object tags, alias bombs refused.

Only :class:`yaml.SafeLoader` machinery is used. Only regular files are read (a FIFO,
device or directory is refused before it is opened), and files over :data:`MAX_FILE_BYTES`
are refused before parsing; a character YAML does not allow (a control character, a lone
surrogate) is refused with its line and column. Numbers are read as YAML 1.2 writes them
(``050`` is 50, ``1e9`` a number, ``1:30`` text); booleans stay YAML 1.1's. The composer
counts alias uses (:data:`MAX_ALIASES`), nodes
(:data:`MAX_NODES`, with each alias expansion counted in full) and nesting depth
(:data:`MAX_NESTING_DEPTH`); Python object tags and unknown tags are refused. The builder
turns the node graph into plain Python data and records the file, line and column of every
key, so that later errors can point at the key that caused them. The top level of a
scenario document must be a mapping.

Problems are raised as :class:`~seamsim.scenario.issues.ScenarioError`, never anything
else.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from pathlib import Path

import yaml

from seamsim.scenario.issues import Issue, ScenarioError, _fail, _Mark, _Path
from seamsim.scenario.terminal_text import _clip, _clip_middle
from seamsim.scenario.type_messages import _NOT_ALLOWED, _character_name

__all__ = ["MAX_ALIASES", "MAX_FILE_BYTES", "MAX_NESTING_DEPTH", "MAX_NODES"]

MAX_FILE_BYTES = 1_000_000
"""Largest scenario file or upload read [bytes]; larger ones are refused before parsing."""
MAX_ALIASES = 100
"""Most alias uses (``*name``) in one document."""
MAX_NODES = 100_000
"""Most YAML nodes in one document, counting each alias expansion in full."""
MAX_NESTING_DEPTH = 64
"""Deepest nesting of mappings and lists in one document."""

_YAML = "tag:yaml.org,2002:"
_ALLOWED_SCALAR_TAGS = frozenset(
    _YAML + t for t in ("str", "int", "float", "bool", "null", "timestamp")
)
_MAP_TAG = _YAML + "map"
_SEQ_TAG = _YAML + "seq"
_MERGE_TAG = _YAML + "merge"


# --------------------------------------------------------------------------------------
# Reading files
# --------------------------------------------------------------------------------------
def _too_large_message() -> str:
    return f"larger than {MAX_FILE_BYTES:,} bytes; a scenario file is a few kB — refused"


def _file_kind(mode: int) -> str:
    """Return what a file that is not a regular file is, in words (from ``st_mode``)."""
    for test, kind in (
        (stat.S_ISDIR, "a directory"),
        (stat.S_ISFIFO, "a named pipe (FIFO)"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
    ):
        if test(mode):
            return kind
    return "a special file"


def _not_regular_message(mode: int) -> str:
    return f"is {_file_kind(mode)}, not a regular file; refused"


def _os_error_message(exc: OSError) -> str:
    """Return a short reason for an :class:`OSError` raised while opening a file."""
    if isinstance(exc, FileNotFoundError):
        return "file not found"
    if isinstance(exc, NotADirectoryError):
        return "file not found (a part of its path is not a directory)"
    if isinstance(exc, PermissionError):
        return "permission denied"
    if exc.errno == errno.ENAMETOOLONG:
        return "file name too long"
    if exc.errno == errno.ELOOP:
        return "too many levels of symbolic links"
    return f"cannot read: {exc.strerror or exc}"


def _problem(display: str, message: str, at: _Mark | None) -> ScenarioError:
    """Return the error for a file problem; for an ``extends:`` target, name the target."""
    if at is None:
        return _fail(display, message)
    return _fail(display, f"{_clip_middle(display)}: {message}", mark=at, path="extends")


def _read_regular_file(path: Path) -> bytes:
    """Return at most ``MAX_FILE_BYTES + 1`` bytes of ``path``, a regular file.

    Raises
    ------
    OSError, ValueError
        As :func:`os.stat` and :func:`os.open` do.
    _NotRegular
        ``path`` is a directory, FIFO, device or socket (checked before opening and, against
        a swap, on the open descriptor, which is opened non-blocking).
    _TooLarge
        The file is larger than :data:`MAX_FILE_BYTES`.
    """
    info = os.stat(path)
    if not stat.S_ISREG(info.st_mode):
        raise _NotRegular(info.st_mode)
    if info.st_size > MAX_FILE_BYTES:
        raise _TooLarge
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    fd = os.open(path, flags | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0))
    with open(fd, "rb", closefd=True) as handle:
        mode = os.fstat(handle.fileno()).st_mode
        if not stat.S_ISREG(mode):
            raise _NotRegular(mode)
        return handle.read(MAX_FILE_BYTES + 1)


class _NotRegular(Exception):
    def __init__(self, mode: int):
        super().__init__(mode)
        self.mode = mode


class _TooLarge(Exception):
    pass


def _read_text(path: Path, display: str, *, at: _Mark | None = None) -> str:
    """Read a scenario file as UTF-8 text, refusing special, large and non-text files.

    Parameters
    ----------
    path : Path
        The file.
    display : str
        Its name as the user gave it (for messages).
    at : mark, optional
        Where an ``extends:`` names this file; errors are then put there and name the file.

    Returns
    -------
    str
        The text, without a byte-order mark.

    Raises
    ------
    ScenarioError
        Missing, unreadable, not a regular file (a FIFO is refused before it is opened),
        larger than :data:`MAX_FILE_BYTES`, not UTF-8, or with characters YAML refuses.
    """
    try:
        raw = _read_regular_file(path)
    except _NotRegular as exc:
        raise _problem(display, _not_regular_message(exc.mode), at) from None
    except _TooLarge:
        raise _problem(display, _too_large_message(), at) from None
    except OSError as exc:
        raise _problem(display, _os_error_message(exc), at) from None
    except ValueError:  # a NUL in the name
        raise _problem(display, "not a usable file name (it contains a NUL character)", at) from None
    if len(raw) > MAX_FILE_BYTES:
        raise _problem(display, _too_large_message(), at)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line, column = _line_and_column(raw[: exc.start].decode("utf-8", "replace"), None)
        message = f"not UTF-8 text (bad byte 0x{raw[exc.start]:02x} at offset {exc.start})"
        if at is not None:
            raise _problem(display, f"{message}, line {line}, column {column}", at) from None
        raise _fail(display, message, mark=(display, line, column)) from None


# --------------------------------------------------------------------------------------
# Characters YAML refuses
# --------------------------------------------------------------------------------------
def _first_bad_character(text: str) -> re.Match[str] | None:
    """Return the match of the first character YAML refuses in ``text``, if any."""
    return _NOT_ALLOWED.search(text)


def _line_and_column(text: str, end: int | None) -> tuple[int, int]:
    """Return the 1-based line and column of position ``end`` in ``text`` (the end if None)."""
    before = text if end is None else text[:end]
    line = before.count("\n") + 1
    return line, len(before) - (before.rfind("\n") + 1) + 1


def _check_characters(text: str, file: str | None) -> None:
    """Refuse text with a character a YAML file may not hold, at its line and column."""
    found = _first_bad_character(text)
    if found is None:
        return
    line, column = _line_and_column(text, found.start())
    raise _fail(
        file,
        f"the character {_character_name(found.group())} is not allowed in a scenario",
        mark=(file, line, column),
    )


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


# Numbers are read as YAML 1.2 writes them: ``050`` is fifty (not octal forty), ``1e9`` and
# ``1.5e3`` are numbers (not text), and ``1:30`` is text (not ninety in base 60). Booleans
# stay as YAML 1.1 has them (yes/no/on/off/true/false), and are refused where a number is
# expected (see the loader).
_INT = re.compile(
    r"""^(?:[-+]?0b[01_]+
        |[-+]?0o[0-7_]+
        |[-+]?0x[0-9a-fA-F_]+
        |[-+]?[0-9][0-9_]*)$""",
    re.X,
)
_FLOAT = re.compile(
    r"""^(?:[-+]?[0-9][0-9_]*\.[0-9_]*(?:[eE][-+]?[0-9]+)?
        |[-+]?\.[0-9][0-9_]*(?:[eE][-+]?[0-9]+)?
        |[-+]?[0-9][0-9_]*[eE][-+]?[0-9]+
        |[-+]?\.(?:inf|Inf|INF)
        |\.(?:nan|NaN|NAN))$""",
    re.X,
)


def _construct_int(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> int:
    """Read an int as YAML 1.2 does: decimal even with leading zeros; 0b, 0o, 0x prefixes."""
    text = str(loader.construct_scalar(node)).replace("_", "")
    sign = -1 if text.startswith("-") else 1
    digits = text.lstrip("+-")
    bases = {"0b": 2, "0o": 8, "0x": 16}
    if digits[:2].lower() in bases:
        return sign * int(digits[2:], bases[digits[:2].lower()])
    return sign * int(digits)


_LimitedLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag not in (_YAML + "int", _YAML + "float")]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_LimitedLoader.add_implicit_resolver(_YAML + "int", _INT, list("-+0123456789"))
_LimitedLoader.add_implicit_resolver(_YAML + "float", _FLOAT, list("-+0123456789."))
_LimitedLoader.add_constructor(_YAML + "int", _construct_int)


def _mark_of(node: yaml.Node, file: str | None) -> _Mark:
    return (file, node.start_mark.line + 1, node.start_mark.column + 1)


def _yaml_error_issue(exc: yaml.YAMLError, file: str | None, text: str = "") -> Issue:
    """Turn a PyYAML error into a one-line :class:`Issue` with its line and column."""
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        text = _clip(" ".join(str(p) for p in (exc.context, exc.problem) if p) or "invalid YAML", 200)
        if mark is not None:
            return Issue(file, mark.line + 1, mark.column + 1, "", f"invalid YAML: {text}")
        return Issue(file, None, None, "", f"invalid YAML: {text}")
    if isinstance(exc, yaml.reader.ReaderError):
        line, column = _line_and_column(text, exc.position) if text else (None, None)
        char = chr(exc.character) if isinstance(exc.character, int) else str(exc.character)
        return Issue(
            file, line, column, "", f"the character {_character_name(char[:1] or '?')} is not allowed"
        )
    return Issue(file, None, None, "", f"invalid YAML: {exc}")


def _compose(text: str, file: str | None) -> tuple[yaml.Node | None, _LimitedLoader]:
    """Compose one YAML document into a node graph, enforcing the safety limits."""
    _check_characters(text, file)
    loader = None
    try:
        loader = _LimitedLoader(text)
        node = loader.get_single_node()
    except _LimitExceeded as exc:
        mark = (file, exc.mark.line + 1, exc.mark.column + 1) if exc.mark else None
        raise _fail(file, exc.message, mark=mark) from None
    except yaml.YAMLError as exc:
        raise ScenarioError([_yaml_error_issue(exc, file, text)]) from None
    except RecursionError:
        raise _fail(file, "nested too deeply; refused") from None
    finally:
        if loader is not None:
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
        shown = _clip("!!" + tag[len(_YAML) :] if tag.startswith(_YAML) else tag)
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
            self._issue(node, path, f"cannot read the value {_clip(repr(node.value))}: {problem}")
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
                    f"duplicate key `{_clip(key)}` (first given on line {first_line[key]})",
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
        kind = "a list" if isinstance(node, yaml.SequenceNode) else f"the value {_clip(repr(node.value))}"
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

