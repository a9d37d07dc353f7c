"""Build hook: a wheel carries the bundled scenarios (``scenarios/*.yaml``) and the list of
references the dashboard's References page shows (``docs/references.md``).

Everything else is in ``pyproject.toml``. The repository keeps one copy of the scenarios,
at its root where people look for them; a non-editable build copies them into
``seamsim/scenario/bundled/`` so that ``seamsim run article_after_3300v`` finds them by name
in an installed wheel (:mod:`seamsim.scenario.bundled`), and ``docs/references.md`` into
``dashboard/references.md`` (:data:`dashboard.glossary.REFERENCES_PATH`). An editable install
reads the repository's files directly.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent


class BuildWithScenarios(build_py):
    """``build_py`` that also copies ``scenarios/*.yaml`` and ``exercises/*.yaml`` into the built package."""

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        for folder, target in (("scenarios", ("scenario", "bundled")), ("exercises", ("exercise", "bundled"))):
            into = Path(self.build_lib, "seamsim", *target)
            into.mkdir(parents=True, exist_ok=True)
            for source in sorted((ROOT / folder).glob("*.yaml")):
                shutil.copyfile(source, into / source.name)
        shutil.copyfile(ROOT / "docs" / "references.md", Path(self.build_lib) / "dashboard" / "references.md")


setup(cmdclass={"build_py": BuildWithScenarios})
