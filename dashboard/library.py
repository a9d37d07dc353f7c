"""The scenario library: bundled scenario files, uploads and their validation.

:func:`bundled_library` lists ``scenarios/*.yaml`` (the article's before/after pair first)
as :class:`LibraryEntry` objects; :func:`read_upload` checks an uploaded file (size, UTF-8,
the safe loader, ``extends:`` confined to the bundled folder) and raises
:class:`UploadRejected` with a message for people. Also here: where the package and the
bundled scenarios live, the article's scenario names and reported output bands, and the
YAML/JSON round trips of a scenario.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import seamsim
from seamsim.scenario import bundled_scenario_dir

__all__ = [
    "ARTICLE_AFTER",
    "ARTICLE_BANDS_T_PER_MONTH",
    "ARTICLE_BEFORE",
    "LibraryEntry",
    "MAX_UPLOAD_BYTES",
    "PACKAGE_DIR",
    "UploadRejected",
    "bundled_library",
    "read_upload",
    "scenario_dir",
    "scenario_from_json",
    "scenario_yaml",
]

PACKAGE_DIR = Path(__file__).resolve().parent
"""The ``dashboard`` package folder."""

MAX_UPLOAD_BYTES = 1_000_000
"""Largest scenario upload accepted [bytes] (the loader refuses larger files too)."""

ARTICLE_BEFORE = "article_before_1140v"
ARTICLE_AFTER = "article_after_3300v"
ARTICLE_BANDS_T_PER_MONTH: dict[str, tuple[float, float]] = {
    "reported before (1,140 V)": (15_000.0, 20_000.0),
    "reported after (3,300 V)": (40_000.0, 50_000.0),
}
"""Monthly output the article reports before and after the change [t/month]."""


def scenario_dir() -> Path:
    """Return the folder of bundled scenarios (``SEAMSIM_SCENARIO_DIR`` overrides it; a
    checkout's ``scenarios/``, or the copy an installed wheel carries)."""
    return bundled_scenario_dir()


# --------------------------------------------------------------------------------------
# The scenario library: bundled files and uploads
# --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class LibraryEntry:
    """A scenario people can pick: a bundled file or an upload kept in the history store."""

    key: str
    """``bundled:<file stem>`` or ``upload:<name>``."""
    name: str
    title: str
    description: str
    source: str
    """``bundled`` or ``uploaded``."""
    text: str
    """The YAML as written (what *Download* gives)."""
    path: Path | None = None
    error: str | None = None
    """Why the file does not validate (bundled files only; uploads are validated first)."""

    @property
    def label(self) -> str:
        """Name and title, for a select box."""
        tag = " (uploaded)" if self.source == "uploaded" else ""
        return f"{self.title or self.name}{tag}"

    def load(self) -> seamsim.Scenario:
        """Return the validated scenario (raises ``seamsim.ScenarioError``)."""
        if self.path is not None:
            return seamsim.load_scenario(self.path)
        return seamsim.load_scenario_text(
            self.text, source=f"{self.name}.yaml", base_dir=scenario_dir()
        )


_ORDER_FIRST = (ARTICLE_BEFORE, ARTICLE_AFTER)


def bundled_library(folder: Path | None = None) -> list[LibraryEntry]:
    """Return the bundled scenarios (``scenarios/*.yaml``), the article pair first.

    A file that does not validate is listed with its error rather than hidden.
    """
    folder = scenario_dir() if folder is None else folder
    entries = []
    for path in sorted(folder.glob("*.y*ml")):
        text = path.read_text(encoding="utf-8", errors="replace")
        try:
            sc = seamsim.load_scenario(path)
        except seamsim.ScenarioError as error:
            entries.append(
                LibraryEntry(f"bundled:{path.stem}", path.stem, path.stem, "", "bundled", text, path, str(error))
            )
            continue
        entries.append(
            LibraryEntry(f"bundled:{path.stem}", sc.name, sc.title, sc.description, "bundled", text, path)
        )
    rank = {name: i for i, name in enumerate(_ORDER_FIRST)}
    return sorted(entries, key=lambda e: (rank.get(e.name, len(rank)), e.name))


class UploadRejected(ValueError):
    """An uploaded scenario was refused; ``str()`` says why, for people."""


def read_upload(data: bytes, filename: str = "upload.yaml") -> tuple[seamsim.Scenario, str]:
    """Validate an uploaded scenario file exactly as the CLI would.

    The size is checked before anything is parsed; the text must be UTF-8; the YAML is
    read by the safe loader (no object tags, alias bombs refused); ``extends:`` may only
    name a bundled scenario.

    Parameters
    ----------
    data : bytes
        The uploaded file.
    filename : str
        Its name, used in messages and as the default scenario name.

    Returns
    -------
    tuple
        ``(scenario, text)``.

    Raises
    ------
    UploadRejected
        With a message for people (the loader's messages, one per line).
    """
    if len(data) > MAX_UPLOAD_BYTES:
        raise UploadRejected(
            f"{filename}: {len(data):,} bytes is larger than the {MAX_UPLOAD_BYTES:,}-byte limit "
            "for uploads; a scenario file is a few kB — refused"
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UploadRejected(
            f"{filename}: not UTF-8 text (byte {exc.start}); save the scenario as UTF-8 YAML"
        ) from None
    try:
        scenario = seamsim.load_scenario_text(text, source=filename, base_dir=scenario_dir())
    except seamsim.ScenarioError as error:
        raise UploadRejected(str(error)) from None
    return scenario, text


def scenario_yaml(scenario: seamsim.Scenario) -> str:
    """Return a complete YAML file of ``scenario`` (loads back to an equal scenario)."""
    import yaml

    return yaml.safe_dump(
        scenario.model_dump(mode="json"), sort_keys=False, allow_unicode=True, width=100
    )


def scenario_from_json(text: str) -> seamsim.Scenario:
    """Return the scenario of a ``Scenario.model_dump_json()`` string."""
    return seamsim.Scenario.model_validate_json(text)
