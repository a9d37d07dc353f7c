"""What a comparison report holds, and how it is computed from scenarios or from results.

:func:`comparison_report` runs everything a report needs — the scenarios side by side with
common random numbers (:func:`seamsim.experiment.compare`), the gain from the first scenario
to each other one factor at a time (:func:`seamsim.experiment.decompose`) and, when asked,
order-free (:func:`seamsim.experiment.shapley.shapley_decomposition`) — and the engineering
picture of each face (its binding speed limit). :func:`report_from_results` builds the same
from results already computed (the dashboard's Compare page).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "MODEL_ASSUMPTIONS",
    "ComparisonReport",
    "comparison_report",
    "default_question",
    "estimated_fields",
    "report_from_results",
]

MODEL_ASSUMPTIONS: tuple[str, ...] = (
    "Replication i of every scenario uses the same seed (common random numbers): differences are "
    "taken per replication, with t-based 95 % intervals.",
    "Monthly figures are the run's tonnes scaled to a 30-day month.",
    "Failure clocks run in operating time; roof events come at the onset of each weighting and after a "
    "long stand.",
    "Motors deliver full power down to 95 % of their voltage; haulage power is in proportion to speed.",
    "Seam heights vary along the face and the panel (correlated), floored at 20 % of the mean.",
    "One electrical trip rate per cut cycle (its mean over the pass).",
    "Not modelled: gas, the stage loader and crusher as separate machines, worn picks raising the cutting "
    "energy before a change, fatigue over a shift.",
)
"""The model's assumptions a reader should know (docs/model.md §12), in plain words."""


@dataclass
class ComparisonReport:
    """Everything a comparison report shows.

    Attributes
    ----------
    question : str
        The question the report answers.
    scenarios : list of Scenario
        The scenarios as run (unique names), the baseline first.
    replications : int
        Replications per scenario.
    seed : int
        Experiment seed.
    days : float or None
        Simulated days per replication (``None``: each scenario's ``run.days``).
    comparison : ComparisonResult
        KPIs with CIs and paired differences against the baseline.
    decompositions : list of DecompositionResult
        The gain from the baseline to each other scenario, one factor at a time.
    order_free : list of ShapleyResult
        The same split whatever the order (empty unless asked for).
    pictures : dict of str to dict
        The engineering picture of each scenario (binding limit, speed limits…).
    version : str
        The seamsim version that computed it.
    """

    question: str
    scenarios: list[Any]
    replications: int
    seed: int
    days: float | None
    comparison: Any
    decompositions: list[Any] = field(default_factory=list)
    order_free: list[Any] = field(default_factory=list)
    pictures: dict[str, dict[str, Any]] = field(default_factory=dict)
    version: str = ""

    @property
    def names(self) -> list[str]:
        """Scenario names, the baseline first."""
        return [sc.name for sc in self.scenarios]

    def days_of(self, name: str) -> float:
        """Simulated days per replication of scenario ``name``."""
        scenario = next(sc for sc in self.scenarios if sc.name == name)
        return float(self.days) if self.days is not None else float(scenario.run.days)


def _title(scenario: Any) -> str:
    return scenario.title or scenario.name


def default_question(scenarios: Sequence[Any]) -> str:
    """Return the question a report of ``scenarios`` answers unless told otherwise."""
    titles = [_title(sc) for sc in scenarios]
    if len(titles) == 2:
        return (f"What does “{titles[1]}” change against “{titles[0]}”: how many tonnes, where does the time "
                "go, and what holds each face back?")
    others = ", ".join(f"“{t}”" for t in titles[1:-1]) + f" and “{titles[-1]}”"
    return (f"How do {others} compare with “{titles[0]}”: how many tonnes, where does the time go, and what "
            "holds each face back?")


def _flatten(data: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in data.items():
        if isinstance(value, Mapping):
            flat.update(_flatten(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = value
    return flat


def estimated_fields(scenario_class: Any | None = None) -> dict[str, str]:
    """Return the scenario fields whose default is an estimate (``[E`` in the description).

    Returns
    -------
    dict of str to str
        Dotted field path → its description.
    """
    if scenario_class is None:
        from seamsim import Scenario as scenario_class

    found: dict[str, str] = {}

    def walk(model: Any, prefix: str) -> None:
        for name, info in model.model_fields.items():
            annotation = info.annotation
            if isinstance(annotation, type) and hasattr(annotation, "model_fields"):
                walk(annotation, f"{prefix}{name}.")
            elif info.description and "[E" in info.description:
                found[f"{prefix}{name}"] = info.description

    walk(scenario_class, "")
    return found


def differing_estimates(scenarios: Sequence[Any]) -> dict[str, list[Any]]:
    """Return the [E]-labelled fields on which the scenarios differ, with each one's value."""
    estimates = estimated_fields(type(scenarios[0]))
    flats = [_flatten(sc.model_dump(mode="json")) for sc in scenarios]
    return {
        path: [flat.get(path) for flat in flats]
        for path in estimates
        if len({repr(flat.get(path)) for flat in flats}) > 1
    }


def _pictures(scenarios: Sequence[Any]) -> dict[str, dict[str, Any]]:
    import seamsim

    return {sc.name: dict(seamsim.engineering_picture(sc)) for sc in scenarios}


def report_from_results(
    comparison: Any,
    *,
    decompositions: Sequence[Any] = (),
    order_free: Sequence[Any] = (),
    question: str | None = None,
) -> ComparisonReport:
    """Return the report of results already computed.

    Parameters
    ----------
    comparison : ComparisonResult
        From :func:`seamsim.experiment.compare`.
    decompositions, order_free : sequence, optional
        :class:`~seamsim.experiment.decompose.DecompositionResult` and
        :class:`~seamsim.experiment.shapley.ShapleyResult` of pairs of these scenarios.
    question : str, optional
        The question answered (:func:`default_question` when not given).
    """
    import seamsim

    experiment = comparison.experiment
    scenarios = list(experiment.scenarios.values())
    return ComparisonReport(
        question=(question or "").strip() or default_question(scenarios),
        scenarios=scenarios,
        replications=len(experiment.replications),
        seed=int(experiment.seed),
        days=experiment.days,
        comparison=comparison,
        decompositions=list(decompositions),
        order_free=list(order_free),
        pictures=_pictures(scenarios),
        version=seamsim.__version__,
    )


def comparison_report(
    scenarios: Sequence[Any],
    replications: int = 30,
    seed: int = 0,
    *,
    days: float | None = None,
    question: str | None = None,
    decompose: bool = True,
    order_free: bool = False,
    announce: Callable[[str], Any] | None = None,
    **runner_kwargs: Any,
) -> ComparisonReport:
    """Run what a report of ``scenarios`` needs and return it.

    Parameters
    ----------
    scenarios : sequence of Scenario or path
        Two or more; the first is the baseline.
    replications : int, optional
        Replications per scenario and per decomposition step (30).
    seed : int, optional
        Experiment seed (the same for the comparison and the decompositions).
    days : float, optional
        Simulated days per replication (each scenario's ``run.days`` when not given).
    question : str, optional
        The question answered (:func:`default_question` when not given).
    decompose : bool, optional
        Split the gain from the baseline to each other scenario one factor at a time.
    order_free : bool, optional
        Split it order-free too (Shapley values; every coalition of factors runs, so up to
        ``2^k`` times the runs of a comparison).
    announce : callable, optional
        Called with a line saying what runs next.
    **runner_kwargs
        Passed to :func:`~seamsim.experiment.runner.run_experiment` (``executor``,
        ``workers``, ``progress``…).
    """
    from seamsim.experiment.compare import compare
    from seamsim.experiment.decompose import decompose as decompose_pair

    say = announce or (lambda line: None)
    if len(scenarios) < 2:
        raise ValueError(f"a report compares two or more scenarios, got {len(scenarios)}")
    say(f"comparing {len(scenarios)} scenarios, {replications} replications each")
    comparison = compare(list(scenarios), replications, seed, days=days, **runner_kwargs)
    ran = list(comparison.experiment.scenarios.values())
    decompositions, shapley = [], []
    for other in ran[1:] if decompose else []:
        say(f"decomposing {ran[0].name} → {other.name}")
        decompositions.append(decompose_pair(ran[0], other, replications, seed, days=days, **runner_kwargs))
        if order_free:
            from seamsim.experiment.shapley import shapley_decomposition

            say(f"order-free split {ran[0].name} → {other.name}")
            shapley.append(shapley_decomposition(ran[0], other, replications, seed, days=days, **runner_kwargs))
    return report_from_results(comparison, decompositions=decompositions, order_free=shapley, question=question)


def headline(report: ComparisonReport, kpi: str = "rom_t_per_month") -> list[str]:
    """Return one sentence per other scenario: its paired difference in ``kpi`` from the baseline."""
    paired = report.comparison.paired
    lines = []
    base = _title(report.scenarios[0])
    for sc in report.scenarios[1:]:
        row = paired[(paired["scenario"] == sc.name) & (paired["kpi"] == kpi)]
        if row.empty or not math.isfinite(float(row["mean_diff"].iloc[0])):
            continue
        d = row.iloc[0]
        more = "more" if d["mean_diff"] >= 0 else "less"
        rel = f" ({100 * d['relative_diff']:+.0f} %)" if math.isfinite(float(d["relative_diff"])) else ""
        interval = (f"95 % CI {d['ci95_lo']:+,.0f} to {d['ci95_hi']:+,.0f}"
                    if math.isfinite(float(d["ci95_lo"])) else "one replication: no interval")
        lines.append(f"“{_title(sc)}” makes {abs(d['mean_diff']):,.0f} t a month {more} than “{base}”{rel}; "
                     f"{interval}.")
    return lines
