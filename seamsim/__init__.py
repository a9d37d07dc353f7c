"""seamsim — discrete-event simulation of a shearer in an extremely thin coal seam.

The public API::

    from seamsim import load_scenario, simulate, run_experiment
    sc = load_scenario("scenarios/article_after_3300v.yaml", overrides={"seam.height_m": 0.75})
    r = simulate(sc, seed=1)            # r.summary, r.status, r.events
    ex = run_experiment([sc], replications=30, seed=1)   # ex.runs, ex.summary

Names are imported on first use, so ``import seamsim`` stays light and the CLI starts fast.
"""

from __future__ import annotations

import importlib

__version__ = "0.1.0"

_EXPORTS: dict[str, str] = {
    # scenarios
    "Scenario": "seamsim.scenario.schema",
    "scenario_json_schema": "seamsim.scenario.fields",
    "scenario_fields": "seamsim.scenario.fields",
    "scenario_field": "seamsim.scenario.fields",
    "load_scenario": "seamsim.scenario.loader",
    "load_scenario_text": "seamsim.scenario.loader",
    "apply_overrides": "seamsim.scenario.loader",
    "ScenarioError": "seamsim.scenario.loader",
    # the face model
    "simulate": "seamsim.model.simulate",
    "RunResult": "seamsim.model.simulate",
    "engineering_picture": "seamsim.model.engineering",
    "STATES": "seamsim.model.recorder",
    "RUNNING_STATES": "seamsim.model.recorder",
    "LIMIT_NAMES": "seamsim.model.profile",
    # experiments
    "run_experiment": "seamsim.experiment.runner",
    "ExperimentResult": "seamsim.experiment.runner",
    "compare": "seamsim.experiment.compare",
    "decompose": "seamsim.experiment.decompose",
    "shapley_decomposition": "seamsim.experiment.shapley",
    "run_until_precise": "seamsim.experiment.sequential",
    "load_experiment": "seamsim.experiment.stored",
}

__all__ = ["__version__", *_EXPORTS]


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'seamsim' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
