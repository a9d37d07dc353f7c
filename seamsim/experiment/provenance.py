"""Where a result came from: package, code, command line, scenarios and machine.

:func:`provenance` is the one record every output carries: ``manifest.json`` of an
experiment and the ``--json`` of ``seamsim run``, ``compare``, ``decompose``, ``sweep`` and
``inspect``. It holds

``seamsim_version``
    The package version.
``git``
    ``{"commit": …, "dirty": …}`` of the source tree the package runs from, or ``None``
    (an installed wheel, no ``git``, or a package that git does not track there). ``dirty``
    is whether tracked files differ from the commit.
``command_line``
    ``sys.argv`` of the process.
``model_sha256``
    :func:`model_hash`: SHA-256 over the source of ``seamsim/physics``, ``seamsim/model`` and
    ``seamsim/scenario/schema.py``. Two results with the same hash came from the same model
    code, whatever the version or commit says.
``scenario_sha256``
    :func:`scenario_hash` of each resolved scenario, by name (SHA-256 of its canonical JSON:
    every field, keys sorted, no spaces).
``environment``
    :func:`environment`: Python, platform, CPUs and the versions of the main packages.

Examples
--------
>>> from seamsim.experiment.provenance import provenance  # doctest: +SKIP
>>> provenance({"face": scenario.model_dump(mode="json")})["model_sha256"]  # doctest: +SKIP
'3f0c…'
"""

from __future__ import annotations

import hashlib
import os
import platform
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from seamsim.scenario.digest import scenario_sha256

__all__ = [
    "GIT_TIMEOUT_S",
    "MODEL_SOURCES",
    "environment",
    "git_state",
    "model_hash",
    "provenance",
    "scenario_hash",
]

MODEL_SOURCES: tuple[str, ...] = ("physics", "model", "scenario/schema.py")
"""The model's source, relative to the package directory: folders (every ``.py`` file below
them) and single files. The hash in :func:`model_hash` covers these."""

GIT_TIMEOUT_S = 3.0
"""Longest wait for one ``git`` call [s]; past it the commit is left out."""

PACKAGES = ("numpy", "pandas", "simpy", "pydantic", "scipy", "SALib", "pyarrow")
"""Packages whose versions :func:`environment` records."""


def _package_dir() -> Path:
    """Return the directory of the ``seamsim`` package being run."""
    return Path(__file__).resolve().parents[1]


def model_files(root: str | os.PathLike[str] | None = None) -> list[Path]:
    """Return the model's source files under ``root`` (the package directory), sorted.

    Parameters
    ----------
    root : path-like, optional
        A ``seamsim`` package directory (default: the one running). Folders of
        :data:`MODEL_SOURCES` contribute every ``.py`` file below them; missing ones none.
    """
    base = Path(root) if root is not None else _package_dir()
    files: list[Path] = []
    for source in MODEL_SOURCES:
        path = base / source
        if path.is_dir():
            files += [p for p in path.rglob("*.py") if "__pycache__" not in p.parts]
        elif path.is_file():
            files.append(path)
    return sorted(files, key=lambda p: p.relative_to(base).as_posix())


def model_hash(root: str | os.PathLike[str] | None = None) -> str:
    """Return the SHA-256 (hex) of the model's source under ``root``.

    Each file of :func:`model_files` adds its path relative to ``root`` and its bytes, in
    sorted order, so an edit, a new file or a renamed one changes the hash; byte-identical
    trees give the same hash wherever they are.

    Parameters
    ----------
    root : path-like, optional
        A ``seamsim`` package directory (default: the one running).
    """
    base = Path(root) if root is not None else _package_dir()
    digest = hashlib.sha256()
    for path in model_files(base):
        name = path.relative_to(base).as_posix().encode("utf-8")
        data = path.read_bytes()
        digest.update(len(name).to_bytes(8, "big") + name + len(data).to_bytes(8, "big") + data)
    return digest.hexdigest()


def scenario_hash(scenario: Any) -> str:
    """Return the SHA-256 (hex) of a scenario's canonical JSON.

    Parameters
    ----------
    scenario : Scenario or mapping
        A scenario, or its ``model_dump(mode="json")``. The JSON has every field, keys
        sorted and no spaces, so the same scenario always hashes alike.
    """
    return scenario_sha256(scenario)


def _git(directory: Path, *args: str) -> str | None:
    """Return the stripped output of ``git -C directory args…``, or ``None`` on any failure."""
    try:
        done = subprocess.run(
            ["git", "-C", str(directory), *args], capture_output=True, text=True,
            timeout=GIT_TIMEOUT_S, check=False, stdin=subprocess.DEVNULL,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def git_state(directory: str | os.PathLike[str] | None = None) -> dict[str, Any] | None:
    """Return ``{"commit", "dirty"}`` of the git tree holding the package, or ``None``.

    ``None`` when ``git`` is missing or slow (more than :data:`GIT_TIMEOUT_S`), or when the
    package's files are not tracked where they are (an installed wheel, even one inside
    another repository's virtual environment).

    Parameters
    ----------
    directory : path-like, optional
        The package directory (default: the one running).
    """
    base = Path(directory) if directory is not None else _package_dir()
    if _git(base, "ls-files", "--error-unmatch", "__init__.py") is None:
        return None
    commit = _git(base, "rev-parse", "HEAD")
    if not commit:
        return None
    status = _git(base, "status", "--porcelain", "--untracked-files=no")
    return {"commit": commit, "dirty": None if status is None else bool(status)}


def environment() -> dict[str, Any]:
    """Return the package versions and machine facts recorded in a manifest."""
    from importlib import metadata

    import seamsim

    versions = {}
    for package in PACKAGES:
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:  # pragma: no cover
            versions[package] = None
    return {
        "seamsim_version": seamsim.__version__,
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "cpu_count": os.cpu_count(),
        "packages": versions,
    }


def provenance(scenarios: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Return the provenance record of a result (see the module notes).

    Parameters
    ----------
    scenarios : mapping of str to Scenario or dict, optional
        The resolved scenarios by name (their hashes go in ``scenario_sha256``).

    Returns
    -------
    dict
        ``seamsim_version``, ``git``, ``command_line``, ``model_sha256``,
        ``scenario_sha256`` and ``environment``; JSON-ready.
    """
    import seamsim

    return {
        "seamsim_version": seamsim.__version__,
        "git": git_state(),
        "command_line": [str(a) for a in sys.argv],
        "model_sha256": model_hash(),
        "scenario_sha256": {str(name): scenario_hash(s) for name, s in (scenarios or {}).items()},
        "environment": environment(),
    }
