"""The article's two faces, shared by the experiment tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from seamsim import load_scenario

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"


@pytest.fixture(scope="module")
def after():
    return load_scenario(SCENARIOS / "article_after_3300v.yaml")


@pytest.fixture(scope="module")
def before():
    return load_scenario(SCENARIOS / "article_before_1140v.yaml")
