"""Every bundled scenario file validates."""

from __future__ import annotations

from pathlib import Path

import pytest

from seamsim.scenario import Scenario, load_scenario

SCENARIO_DIR = Path(__file__).resolve().parents[1] / "scenarios"
BUNDLED = sorted(SCENARIO_DIR.glob("*.yaml"))


def test_there_are_bundled_scenarios():
    assert len(BUNDLED) >= 2, f"expected at least two scenarios in {SCENARIO_DIR}"


@pytest.mark.parametrize("path", BUNDLED, ids=[p.name for p in BUNDLED])
def test_bundled_scenario_validates_and_is_documented(path):
    scenario = load_scenario(path)
    assert isinstance(scenario, Scenario)
    assert scenario.name, "every bundled scenario has a name"
    assert scenario.title, "every bundled scenario has a title"
    assert scenario.description, "every bundled scenario has a description"


def test_bundled_names_are_unique():
    names = [load_scenario(path).name for path in BUNDLED]
    assert len(names) == len(set(names))
