"""Calls of the public API cached across reruns and sessions, keyed by the scenario JSON
(and the seed): the engineering picture, the Explore page's replications, the
feasible-region grid.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd
import streamlit as st

import dashboard
import seamsim
from seamsim.scenario.schema import Scenario


@st.cache_data(show_spinner=False, max_entries=256)
def _picture(scenario_json: str) -> dict:
    return seamsim.engineering_picture(dashboard.scenario_from_json(scenario_json))


def picture(scenario: Scenario) -> dict:
    """``seamsim.engineering_picture`` of ``scenario`` (cached by its JSON)."""
    return _picture(scenario.model_dump_json())


@st.cache_data(show_spinner=False, max_entries=512)
def _replication(scenario_json: str, seed: int, replication: int, days: float | None) -> seamsim.RunResult:
    return dashboard.simulate_replication(dashboard.scenario_from_json(scenario_json), seed, replication, days)


def explore_result(scenario: Scenario, seed: int, replications: int, days: float | None = None,
                   progress: Callable[[int, int], Any] | None = None) -> dashboard.ExploreResult:
    """Replications of ``scenario`` for the Explore page, each cached by (scenario JSON, seed, index)."""
    js = scenario.model_dump_json()
    return dashboard.explore(
        scenario, seed, replications, days,
        runner=lambda _sc, s, i, d: _replication(js, s, i, d), progress=progress,
    )


@st.cache_data(show_spinner="Checking every point…", max_entries=16)
def _feasibility(low_json: str, high_json: str, heights: tuple[float, float], powers: tuple[float, float],
                 n: int) -> pd.DataFrame:
    import numpy as np

    bases = {1140: dashboard.scenario_from_json(low_json), 3300: dashboard.scenario_from_json(high_json)}
    return dashboard.feasibility_grid(bases, np.round(np.linspace(*heights, n), 4), np.round(np.linspace(*powers, n), 1))


def feasibility(low: Scenario, high: Scenario, heights: tuple[float, float], powers: tuple[float, float],
                n: int = 24) -> pd.DataFrame:
    """The feasible-region grid (cached): ``low`` run at 1,140 V, ``high`` at 3,300 V."""
    return _feasibility(low.model_dump_json(), high.model_dump_json(), tuple(map(float, heights)),
                        tuple(map(float, powers)), int(n))


__all__ = [
    "explore_result",
    "feasibility",
    "picture",
]
