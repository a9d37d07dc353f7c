"""Every source the project cites is shipped with it.

Source tags ([S#], [T#]) used in the code, the scenarios and the docs must be listed in
``docs/references.md``; citations point to the project's own documents (``docs/model.md``
sections, ``docs/references.md``), never to engineering notes that are not in the repository.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
REFERENCES = ROOT / "docs" / "references.md"
CITING = ("seamsim", "dashboard", "scenarios", "docs")
"""Folders whose files cite sources."""
TEXT_SUFFIXES = {".py", ".md", ".yaml", ".yml", ".toml", ".txt", ".cfg", ".in", ".json", ".html", ".css", ".js"}
SKIPPED_DIRS = {".git", ".venv", "build", "dist", "__pycache__", ".pytest_cache", ".ruff_cache",
                ".hypothesis", "test-output", "out", "results"}
"""Folders outside the repository's content (VCS, environment, build and test output; .gitignore)."""

# Written in pieces so that this file does not match its own check.
FORBIDDEN = ("domain" + ".md", "domain" + "-mechanisms", "shared" + "/")
"""Names of engineering notes (and their folder) that are not part of the repository."""

TAG = re.compile(r"(?<![\w-])(S\d+[a-z]?|S-[a-z]+|T\d+)(?:[–-](T?\d+))?(?!\w)")
"""One source tag, or a range such as ``T33–T36``."""
TAG_GROUP = re.compile(
    r"\[((?:A|E|E-mem|I|S\d+[a-z]?|S-[a-z]+|T\d+)(?:[–-]T?\d+)?(?:[,;: ][^\[\]\n]{0,160})?)\]"
)
"""A bracketed citation that starts with a tag: ``[S10]``, ``[T33–T36]``, ``[E; … T32 …]``."""


def tags_in(text: str) -> set[str]:
    """Return the S/T source tags of ``text``'s citations, ranges expanded."""
    tags: set[str] = set()
    for group in TAG_GROUP.finditer(text):
        for match in TAG.finditer(group[1]):
            tags |= _expanded(match[1], match[2])
    return tags


def _expanded(first: str, last: str | None) -> set[str]:
    if not last:
        return {first}
    prefix = first[0]
    end = int(last.lstrip(prefix))
    return {f"{prefix}{i}" for i in range(int(first[1:]), end + 1)}


def defined_tags(text: str) -> set[str]:
    """Return the tags listed in the first column of references.md's tables."""
    tags: set[str] = set()
    for line in text.splitlines():
        if line.startswith("|") and line.count("|") >= 3:
            for match in TAG.finditer(line.split("|")[1]):
                tags |= _expanded(match[1], match[2])
    return tags


def _files(folders: tuple[str, ...] | None = None) -> list[Path]:
    roots = [ROOT / f for f in folders] if folders else [ROOT]
    found = []
    for root in roots:
        for path in root.rglob("*"):
            rel = path.relative_to(ROOT).parts
            if any(p in SKIPPED_DIRS or p.endswith(".egg-info") for p in rel[:-1]):
                continue
            if path.is_file() and not path.is_symlink():
                found.append(path)
    return found


def test_the_tag_parser_reads_citations_and_ranges():
    text = "x [S10] y [E][T32] [T33–T36] [E; NIOSH T32, qualitative] r['S2'] [S1…, ST…] [S-dk]"
    assert tags_in(text) == {"S10", "T32", "T33", "T34", "T35", "T36", "S-dk"}
    assert defined_tags("| T19–T21 | wear |\n| S30, S31 | cycle |\n| tag | x |") == {
        "T19", "T20", "T21", "S30", "S31"}


def test_every_source_tag_used_is_listed_in_references_md():
    defined = defined_tags(REFERENCES.read_text(encoding="utf-8"))
    missing: dict[str, list[str]] = {}
    for path in _files(CITING):
        if path == REFERENCES or path.suffix not in TEXT_SUFFIXES:
            continue
        for tag in tags_in(path.read_text(encoding="utf-8")) - defined:
            missing.setdefault(tag, []).append(str(path.relative_to(ROOT)))
    assert not missing, (
        "source tags cited but not listed in docs/references.md (add a row `| TAG | what it "
        "supports | source |`): " + "; ".join(f"{t} in {', '.join(sorted(f))}" for t, f in sorted(missing.items()))
    )


@pytest.mark.parametrize("name", FORBIDDEN)
def test_no_file_cites_notes_that_are_not_in_the_repository(name):
    needle = name.encode()
    offenders = [str(p.relative_to(ROOT)) for p in _files() if needle in p.read_bytes()]
    assert not offenders, (
        f"{', '.join(sorted(offenders))} mention {name!r}, which is not part of the repository: cite "
        "the section of docs/model.md that holds the equation or default, or a source tag of "
        "docs/references.md, instead"
    )
