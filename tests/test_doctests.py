"""The examples in the seamsim package's docstrings run as tests (numpy-style "Examples").

Run module by module with :mod:`doctest` rather than pytest's ``--doctest-modules``, which
would also collect the test folders' ``conftest.py`` files and, in prepend import mode, clash
on their shared name when a subset of folders is run.
"""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import seamsim

MODULES = sorted(m.name for m in pkgutil.walk_packages(seamsim.__path__, "seamsim.") if not m.name.endswith("__main__"))


def test_the_package_has_examples():
    assert sum(len(doctest.DocTestFinder().find(importlib.import_module(n))) for n in MODULES) > 50


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, verbose=False, report=True)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples in {name} failed (see above)"
