"""Scenarios: the schema (the single definition of every input) and the YAML loader.

- ``schema.py`` — the pydantic models, their bounds, units and descriptions;
- ``fields.py`` — the field registry: every input once (path, kind, unit, bounds, help, sources);
- ``loader.py`` — files and text → validated scenarios: ``extends:``, dotted overrides;
- ``safe_yaml.py`` — safe YAML reading with size and alias limits and line/column marks;
- ``bundled.py`` — the scenarios shipped with seamsim, found by name;
- ``issues.py`` — :class:`Issue` and :class:`ScenarioError`; ``messages.py`` — the messages
  for people (with ``schema_walk.py``, ``type_messages.py`` and ``terminal_text.py``).

>>> from seamsim.scenario import load_scenario, ScenarioError  # doctest: +SKIP
"""

from seamsim.scenario.bundled import (
    bundled_scenario_dir,
    bundled_scenario_names,
    bundled_scenario_path,
)
from seamsim.scenario.fields import (
    ScenarioField,
    scenario_field,
    scenario_fields,
    scenario_json_schema,
)
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
from seamsim.scenario.schema import SECTIONS, Scenario

__all__ = [
    "MAX_ALIASES",
    "MAX_FILE_BYTES",
    "MAX_NODES",
    "SECTIONS",
    "Issue",
    "Scenario",
    "ScenarioField",
    "ScenarioError",
    "apply_overrides",
    "bundled_scenario_dir",
    "bundled_scenario_names",
    "bundled_scenario_path",
    "load_scenario",
    "load_scenario_text",
    "parse_overrides",
    "scenario_field",
    "scenario_fields",
    "scenario_json_schema",
]
