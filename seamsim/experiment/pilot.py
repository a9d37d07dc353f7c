"""How long an experiment will take, from a short pilot (``seamsim sweep --dry-run``).

:func:`pilot_estimate` counts the runs of an experiment and times a few of them — design
points spread evenly over the design, one replication each, run one after another in this
process — and scales the median time per run to the whole experiment: ``runs × median
/ workers``. The estimate assumes every worker is as fast as this process and the runs
divide evenly among them; a run's time depends on its design point (an infeasible point
takes no time, a long horizon more), so the pilot spreads over the design.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Sequence
from typing import Any

from seamsim.experiment.design_points import Design, as_design
from seamsim.experiment.executors import _cpu_count
from seamsim.experiment.seeds import check_replications, replication_seed
from seamsim.model.simulate import simulate
from seamsim.scenario import Scenario, apply_overrides

__all__ = ["PILOT_RUNS", "pilot_estimate"]

PILOT_RUNS = 5
"""Runs timed by default."""


def _spread(count: int, total: int) -> list[int]:
    """Return up to ``count`` indices spread evenly over ``range(total)``, first and last included."""
    if total <= count:
        return list(range(total))
    step = (total - 1) / (count - 1) if count > 1 else 0
    return sorted({round(k * step) for k in range(count)})


def pilot_estimate(
    scenarios: Sequence[Scenario],
    design: Design | Sequence[dict] | None,
    replications: int | Sequence[int],
    seed: int = 0,
    *,
    days: float | None = None,
    executor: str = "processes",
    workers: int | None = None,
    runs: int = PILOT_RUNS,
) -> dict[str, Any]:
    """Return the size of an experiment and its duration estimated from a pilot.

    Parameters
    ----------
    scenarios : sequence of Scenario
        The experiment's scenarios (resolved).
    design : Design or sequence of dict, optional
        Its design points.
    replications : int or sequence of int
        Its replications.
    seed : int, optional
        The experiment seed (the pilot runs real runs of the experiment).
    days : float, optional
        The horizon [d] (each scenario's ``run.days`` by default).
    executor, workers : optional
        Where the experiment will run: ``serial`` is one worker; otherwise ``workers``
        (default: the CPUs available).
    runs : int, optional
        Runs to time (:data:`PILOT_RUNS`).

    Returns
    -------
    dict
        ``runs`` (in the experiment), ``points``, ``replications``, ``scenarios``,
        ``pilot_runs``, ``s_per_run`` (median of the pilot), ``workers``,
        ``estimated_s`` (``runs × s_per_run / workers``) and ``estimated_serial_s``.
    """
    the_design = as_design(design)
    reps = check_replications(replications)
    keys = [(s, p) for s in range(len(scenarios)) for p in range(len(the_design))]
    chosen = [keys[i] for i in _spread(max(1, int(runs)), len(keys))]
    timings = []
    for k, (s, p) in enumerate(chosen):
        overrides = the_design.points[p]
        scenario = apply_overrides(scenarios[s], overrides) if overrides else scenarios[s]
        started = time.perf_counter()
        simulate(scenario, replication_seed(seed, reps[k % len(reps)]), days)
        timings.append(time.perf_counter() - started)
    total = len(scenarios) * len(the_design) * len(reps)
    n_workers = 1 if executor == "serial" else int(workers or _cpu_count())
    per_run = statistics.median(timings)
    return {
        "runs": total,
        "points": len(the_design),
        "replications": len(reps),
        "scenarios": len(scenarios),
        "pilot_runs": len(timings),
        "s_per_run": per_run,
        "workers": n_workers,
        "estimated_s": total * per_run / n_workers,
        "estimated_serial_s": total * per_run,
    }
