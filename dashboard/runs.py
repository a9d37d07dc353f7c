"""Running scenarios for the pages: the Explore replications and the experiment runs table.

:func:`explore` runs seeded replications of one scenario (each kept as a small, cacheable
:class:`seamsim.RunResult`) and returns an :class:`ExploreResult`; :func:`experiment_runs` runs
several scenarios with common random numbers through ``seamsim.run_experiment`` and returns
one row per run. Replication *i* gets the same seed in every scenario.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

import seamsim
from seamsim.experiment.seeds import replication_seed

__all__ = [
    "ExploreResult",
    "replication_of",
    "experiment_runs",
    "explore",
    "normalise_runs",
    "simulate_replication",
    "unique_names",
]


# --------------------------------------------------------------------------------------
# Replications of one scenario (the Explore page)
# --------------------------------------------------------------------------------------
def simulate_replication(
    scenario: seamsim.Scenario, seed: int, replication: int, days: float | None = None
) -> seamsim.RunResult:
    """Simulate replication ``replication`` of ``scenario``, seeded as ``seamsim run`` seeds it.

    The :class:`seamsim.RunResult` itself is kept (and cached): its ``spawn_key`` is
    ``(replication,)``, see :func:`replication_of`.
    """
    return seamsim.simulate(scenario, seed=replication_seed(int(seed), int(replication)), days=days)


def replication_of(result: seamsim.RunResult) -> int:
    """Return the replication index of a run simulated by :func:`simulate_replication`."""
    return int(result.spawn_key[-1]) if result.spawn_key else 0


@dataclass
class ExploreResult:
    """Replications of one scenario, shaped for the Explore page."""

    scenario: str
    replications: list[seamsim.RunResult]

    @property
    def first(self) -> seamsim.RunResult:
        return self.replications[0]

    @property
    def status(self) -> str:
        return self.first.status

    @property
    def reasons(self) -> list[str]:
        return self.first.reasons

    @property
    def warnings(self) -> list[str]:
        return self.first.warnings

    @property
    def runs(self) -> pd.DataFrame:
        """One row per replication: ``scenario``, ``replication``, ``status`` and every KPI."""
        return pd.DataFrame(
            [
                {"scenario": self.scenario, "replication": replication_of(r), "status": r.status, **r.summary}
                for r in self.replications
            ]
        )

    def cumulative(self) -> pd.DataFrame:
        """Cumulative run-of-mine tonnes over time: ``replication``, ``time_d``, ``rom_t``."""
        frames = []
        for r in self.replications:
            p = r.passes
            t = np.concatenate([[0.0], p["end_s"].to_numpy(float) / 86_400.0, [r.horizon_s / 86_400.0]])
            tonnes = (p["coal_t"] + p["rock_t"]).to_numpy(float).cumsum() if len(p) else np.zeros(0)
            y = np.concatenate([[0.0], tonnes, [tonnes[-1] if tonnes.size else 0.0]])
            frames.append(pd.DataFrame({"replication": replication_of(r), "time_d": t, "rom_t": y}))
        return pd.concat(frames, ignore_index=True)

    def time_hours(self) -> pd.Series:
        """Mean hours in each state over the replications (every state, in STATES order)."""
        table = pd.DataFrame([r.time_in_state_s for r in self.replications]).mean() / 3600.0
        return table.reindex(list(seamsim.STATES)).fillna(0.0)

    def limit_share(self) -> pd.Series:
        """Mean share of cutting distance bound by each limit."""
        table = pd.DataFrame([r.limit_share for r in self.replications]).mean()
        return table.reindex(list(seamsim.LIMIT_NAMES)).fillna(0.0)


def explore(
    scenario: seamsim.Scenario,
    seed: int = 0,
    replications: int = 5,
    days: float | None = None,
    *,
    runner: Callable[[seamsim.Scenario, int, int, float | None], seamsim.RunResult] = simulate_replication,
    progress: Callable[[int, int], Any] | None = None,
) -> ExploreResult:
    """Run ``replications`` replications of ``scenario`` for the Explore page.

    ``runner`` lets the page put a cache in front of :func:`simulate_replication`.
    """
    reps = []
    n = max(1, int(replications))
    for i in range(n):
        reps.append(runner(scenario, int(seed), i, days))
        if progress is not None:
            progress(i + 1, n)
    return ExploreResult(scenario.name, reps)


# --------------------------------------------------------------------------------------
# Experiments (Scenarios, Compare, Sweep pages)
# --------------------------------------------------------------------------------------
def experiment_runs(
    scenarios: Sequence[seamsim.Scenario],
    replications: int,
    seed: int,
    *,
    days: float | None = None,
    progress: Callable[[int, int], bool | None] | None = None,
    executor: str = "serial",
) -> pd.DataFrame:
    """Run replications of each scenario with common random numbers; one row per run.

    Uses ``seamsim.run_experiment`` with the serial executor (no process-pool start-up per
    click). The scenario names must be distinct; the rows carry ``scenario`` (the name),
    ``replication``, ``status`` and every KPI column.
    """
    result = seamsim.run_experiment(
        list(scenarios), replications=int(replications), seed=int(seed), days=days,
        executor=executor, progress=progress,
    )
    return normalise_runs(result.runs)


def normalise_runs(runs: pd.DataFrame) -> pd.DataFrame:
    """Return ``runs`` with plain columns: ``scenario`` (str), ``replication`` (int), numbers as float."""
    runs = runs.copy()
    if "replication" not in runs:
        runs["replication"] = runs.groupby("scenario").cumcount()
    runs["scenario"] = runs["scenario"].astype(str)
    runs["replication"] = runs["replication"].astype(int)
    return runs.reset_index(drop=True)


def unique_names(scenarios: Sequence[seamsim.Scenario]) -> list[seamsim.Scenario]:
    """Rename repeated scenario names (``x``, ``x-2``…) so runs can be told apart."""
    seen: dict[str, int] = {}
    out = []
    for sc in scenarios:
        count = seen.get(sc.name, 0) + 1
        seen[sc.name] = count
        if count > 1:
            sc = seamsim.apply_overrides(sc, {"name": f"{sc.name[:75]}-{count}"})
        out.append(sc)
    return out
