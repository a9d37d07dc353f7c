"""Scenarios: the schema (the single definition of every input) and the YAML loader.

>>> from seamsim.scenario import load_scenario, ScenarioError  # doctest: +SKIP
"""

from seamsim.scenario.loader import (
    MAX_ALIASES,
    MAX_FILE_BYTES,
    MAX_NODES,
    Issue,
    ScenarioError,
    apply_overrides,
    load_scenario,
    load_scenario_text,
    parse_overrides,
)
from seamsim.scenario.schema import SECTIONS, Scenario, scenario_json_schema

__all__ = [
    "MAX_ALIASES",
    "MAX_FILE_BYTES",
    "MAX_NODES",
    "SECTIONS",
    "Issue",
    "Scenario",
    "ScenarioError",
    "apply_overrides",
    "load_scenario",
    "load_scenario_text",
    "parse_overrides",
    "scenario_json_schema",
]
