"""Replications added in batches until a KPI's confidence interval is as narrow as asked.

One pilot run sizes replications badly when the output is skewed: monthly output has a long
low tail of jam-heavy months, a small pilot rarely sees one, and its standard deviation is
too small. The rule here (:func:`precision_check`) stops only when *all* of these hold, for
every measure (one KPI of one scenario, or one paired difference):

1. at least ``min_replications`` values (:data:`MIN_REPLICATIONS`, 10);
2. the t-based 95 % half-width is at most ``target_rel · |scale|`` (``scale``: the mean
   itself, or the baseline's mean for a paired difference);
3. the percentile bootstrap of the mean (:func:`~seamsim.experiment.bootstrap.bootstrap_mean_interval`,
   a fixed seed, so the same values always give the same answer) is within the target on
   *both* sides: its wider side ``max(mean − lo, hi − mean)`` is at most the same bound —
   with a skewed sample the interval is lopsided and its long side is the one that counts;
4. ``n ≥ 25 · g1²``, with ``g1`` the sample skewness (adjusted Fisher–Pearson): Cochran's
   rule for the normal approximation of a mean to be adequate [Cochran 1977, §2.15]; a
   skewness of −2.2 asks for 121 replications whatever the pilot's spread.

A measure whose skewness is beyond ±:data:`SKEW_WARNING` (1) gets a warning: its mean is
pulled by a tail, and a few replications more or less can move it.

Batches: the first has ``min_replications``; each next size is projected from the measure
furthest from its target (the half-width shrinks as ``1/√n``, and rule 4), at least
``min_batch`` more and at most double, never beyond ``max_replications``. Replication ``i``
always uses ``replication_seed(seed, i)``, so a sequential run that stops at ``n`` gives
exactly the numbers of a fixed run of ``n`` replications.

The controller (:func:`replicate_until_precise`) takes any source of values, so it can be
checked on a synthetic stream; :func:`run_until_precise` drives it with simulation runs.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from seamsim.experiment.bootstrap import bootstrap_mean_interval
from seamsim.experiment.runner import (
    ExperimentResult,
    _tidy,
    check_kpi,
    resolve_scenarios,
    run_experiment,
)
from seamsim.experiment.t_estimates import CONFIDENCE, estimate

__all__ = [
    "COCHRAN_FACTOR",
    "MIN_REPLICATIONS",
    "SKEW_WARNING",
    "PrecisionCheck",
    "PreciseResult",
    "SequentialOutcome",
    "check_target_rel",
    "next_replication_count",
    "precision_check",
    "replicate_until_precise",
    "run_until_precise",
]

MIN_REPLICATIONS = 10
"""Fewest replications before the rule may stop."""

MAX_REPLICATIONS = 1000
"""Default ceiling on replications."""

MIN_BATCH = 5
"""Fewest replications added per batch."""

SKEW_WARNING = 1.0
"""Above this absolute sample skewness a measure is said to be strongly skewed."""

COCHRAN_FACTOR = 25.0
"""Cochran's rule: the normal approximation of a mean wants ``n ≥ 25 · g1²`` [Cochran 1977]."""

HISTORY_COLUMNS = (
    "n", "measure", "mean", "scale", "t_half_width", "bootstrap_half_width", "relative_half_width", "skewness",
    "n_for_skewness", "met", "missing",
)
"""Columns of :attr:`SequentialOutcome.history`."""


def check_target_rel(target_rel: Any) -> float:
    """Return ``target_rel`` as a float in (0, 1), or raise ``ValueError`` saying what is wrong."""
    if isinstance(target_rel, bool):
        raise ValueError(f"target_rel must be a number between 0 and 1, not {target_rel!r}")
    try:
        value = float(target_rel)
    except (TypeError, ValueError):
        raise ValueError(f"target_rel must be a number between 0 and 1, not {target_rel!r}") from None
    if not (math.isfinite(value) and 0.0 < value < 1.0):
        raise ValueError(f"target_rel must be between 0 and 1 (0.02 is ±2 %), not {target_rel!r}")
    return value


@dataclass(frozen=True)
class PrecisionCheck:
    """Whether one measure is as precise as asked (see the module notes for the rule).

    Attributes
    ----------
    measure : str
        What is measured (``"rom_t_per_month of face"``, ``"b − a: rom_t_per_month"``).
    n : int
        Values used.
    mean : float
        Their mean.
    scale : float
        What the half-width is relative to (the mean, or the baseline's mean).
    t_half_width, bootstrap_half_width : float
        The t-based half-width, and the wider side of the percentile-bootstrap interval.
    relative_half_width : float
        The larger of the two over ``|scale|``.
    skewness : float
        Sample skewness ``g1`` (adjusted Fisher–Pearson; 0 for constant values, NaN below 3).
    n_for_skewness : int
        ``ceil(25 · g1²)`` (Cochran's rule).
    met : bool
        Every condition holds.
    missing : str
        What does not hold (empty when met).
    """

    measure: str
    n: int
    mean: float
    scale: float
    t_half_width: float
    bootstrap_half_width: float
    relative_half_width: float
    skewness: float
    n_for_skewness: int
    met: bool
    missing: str

    @property
    def strongly_skewed(self) -> bool:
        """Whether ``|g1| > SKEW_WARNING``."""
        return math.isfinite(self.skewness) and abs(self.skewness) > SKEW_WARNING


def _skewness(x: np.ndarray) -> float:
    n = x.size
    if n < 3:
        return math.nan
    d = x - x.mean()
    m2 = float(np.mean(d**2))
    if m2 == 0.0:
        return 0.0
    g1 = float(np.mean(d**3)) / m2**1.5
    return g1 * math.sqrt(n * (n - 1)) / (n - 2)


def precision_check(
    values: Sequence[float] | np.ndarray,
    target_rel: float,
    *,
    scale: float | None = None,
    measure: str = "",
    min_replications: int = MIN_REPLICATIONS,
    confidence: float = CONFIDENCE,
) -> PrecisionCheck:
    """Return whether the mean of ``values`` is known to ``± target_rel · |scale|``.

    Parameters
    ----------
    values : sequence of float
        One value per replication (``NaN`` left out).
    target_rel : float
        Target half-width as a share of ``|scale|`` (``0.02`` is ±2 %).
    scale : float, optional
        What the half-width is relative to; the mean of ``values`` by default (give the
        baseline's mean for a paired difference).
    measure : str, optional
        A label for messages.
    min_replications : int, optional
        Fewest values before the check can hold.
    confidence : float, optional
        Two-sided level of both intervals (0.95).

    Returns
    -------
    PrecisionCheck
    """
    target_rel = check_target_rel(target_rel)
    x = np.asarray(values, dtype=float)
    x = x[~np.isnan(x)]
    e = estimate(x, confidence)
    scale_value = e.mean if scale is None else float(scale)
    g1 = _skewness(x)
    n_skew = math.ceil(COCHRAN_FACTOR * g1**2) if math.isfinite(g1) else 0
    if e.n >= 2:
        lo, hi = bootstrap_mean_interval(x, confidence) if e.sd > 0 else (e.mean, e.mean)
        boot = max(e.mean - lo, hi - e.mean)
    else:
        boot = math.nan
    bound = target_rel * abs(scale_value) if math.isfinite(scale_value) else math.nan
    relative = max(e.half_width, boot) / abs(scale_value) if scale_value and math.isfinite(scale_value) else math.nan
    missing = []
    if e.n < min_replications:
        missing.append(f"fewer than {min_replications} values")
    if not (math.isfinite(scale_value) and scale_value != 0.0):
        missing.append("the mean it is relative to is 0, so a relative target cannot be met")
    else:
        if not e.half_width <= bound:
            missing.append("the t interval is too wide")
        if not boot <= bound:
            missing.append("the bootstrap interval is too wide")
    if e.n < n_skew:
        missing.append(f"skewness {g1:+.2f} asks for at least {n_skew} values (n ≥ 25·g1²)")
    return PrecisionCheck(
        measure=measure, n=e.n, mean=e.mean, scale=scale_value, t_half_width=e.half_width,
        bootstrap_half_width=boot, relative_half_width=relative, skewness=g1, n_for_skewness=n_skew,
        met=not missing, missing="; ".join(missing),
    )


def next_replication_count(
    checks: Sequence[PrecisionCheck],
    n: int,
    target_rel: float,
    *,
    min_replications: int = MIN_REPLICATIONS,
    max_replications: int = MAX_REPLICATIONS,
    min_batch: int = MIN_BATCH,
) -> int:
    """Return how many replications to have after the next batch.

    The size each unmet check asks for — ``n · (relative half-width / target)²`` (a
    half-width shrinks as ``1/√n``), Cochran's ``25 · g1²`` and ``min_replications`` — the
    largest of them, at least ``n + min_batch`` and at most ``2 n``, never beyond
    ``max_replications``.
    """
    wanted = n + min_batch
    for c in checks:
        if c.met:
            continue
        projected = n * (c.relative_half_width / target_rel) ** 2 if math.isfinite(c.relative_half_width) else 2 * n
        wanted = max(wanted, math.ceil(projected), c.n_for_skewness, min_replications)
    return int(min(max_replications, max(n + min_batch, min(wanted, 2 * n))))


@dataclass
class SequentialOutcome:
    """What :func:`replicate_until_precise` found.

    Attributes
    ----------
    n : int
        Replications used.
    met : bool
        Whether every measure met the target.
    stop_reason : str
        ``"target met"``, ``"max replications reached"`` or ``"cannot be met: …"``.
    checks : list of PrecisionCheck
        The final check of every measure.
    history : DataFrame
        Every check after every batch (:data:`HISTORY_COLUMNS`).
    warnings : list of str
        Strong skewness and a target not met, in words.
    """

    n: int
    met: bool
    stop_reason: str
    checks: list[PrecisionCheck]
    history: pd.DataFrame
    warnings: list[str] = field(default_factory=list)


Measures = Mapping[str, tuple[np.ndarray, float | None]]


def replicate_until_precise(
    measures_for: Callable[[int], Measures],
    target_rel: float,
    *,
    min_replications: int = MIN_REPLICATIONS,
    max_replications: int = MAX_REPLICATIONS,
    min_batch: int = MIN_BATCH,
) -> SequentialOutcome:
    """Ask for more replications in batches until every measure meets the target.

    Parameters
    ----------
    measures_for : callable
        ``measures_for(n)`` returns ``{measure: (values of replications 0…n−1, scale)}``
        (``scale`` ``None``: the values' own mean); it runs what is missing.
    target_rel : float
        Target half-width as a share of ``|scale|``, in (0, 1).
    min_replications, max_replications, min_batch : int, optional
        The first batch, the ceiling and the smallest step (see the module notes).

    Returns
    -------
    SequentialOutcome
    """
    target_rel = check_target_rel(target_rel)
    for name, value in (("min_replications", min_replications), ("max_replications", max_replications),
                        ("min_batch", min_batch)):
        if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 1:
            raise ValueError(f"{name} must be a positive whole number, not {value!r}")
    if max_replications < max(2, min_replications):
        raise ValueError(
            f"max_replications ({max_replications}) must be at least min_replications ({min_replications}) and 2"
        )
    n = min_replications
    rows: list[dict[str, Any]] = []
    while True:
        checks = [
            precision_check(values, target_rel, scale=scale, measure=name, min_replications=min_replications)
            for name, (values, scale) in measures_for(n).items()
        ]
        rows += [{**{c: getattr(check, c) for c in HISTORY_COLUMNS if c != "n"}, "n": n} for check in checks]
        if all(c.met for c in checks):
            reason = "target met"
            break
        hopeless = [c for c in checks if c.scale == 0.0 or not math.isfinite(c.scale)]
        if hopeless:
            reason = f"cannot be met: {hopeless[0].measure}: {hopeless[0].missing.split('; ')[-1]}"
            break
        if n >= max_replications:
            reason = "max replications reached"
            break
        n = next_replication_count(checks, n, target_rel, min_replications=min_replications,
                                   max_replications=max_replications, min_batch=min_batch)
    met = all(c.met for c in checks)
    warnings = [
        f"{c.measure}: strongly skewed (g1 = {c.skewness:+.2f}); its mean is pulled by a tail — "
        f"Cochran's rule asks for n ≥ {c.n_for_skewness}"
        for c in checks if c.strongly_skewed
    ]
    if not met:
        warnings += [f"{c.measure}: target ±{100 * target_rel:g} % not met after {n} replications ({c.missing})"
                     for c in checks if not c.met]
    history = pd.DataFrame(rows, columns=list(HISTORY_COLUMNS))
    return SequentialOutcome(n=n, met=met, stop_reason=reason, checks=checks, history=history, warnings=warnings)


# --------------------------------------------------------------------------------------
# With simulation runs
# --------------------------------------------------------------------------------------
@dataclass
class PreciseResult:
    """The outcome of :func:`run_until_precise`.

    Attributes
    ----------
    experiment : ExperimentResult
        Every run, replications ``0 … n−1`` (the same numbers as a fixed run of ``n``).
    kpi : str
        The KPI the target was on.
    target_rel : float
        The target half-width as a share.
    n : int
        Replications used.
    met : bool
        Whether the target was met for every measure.
    stop_reason : str
        ``"target met"``, ``"max replications reached"`` or ``"cannot be met: …"``.
    checks : list of PrecisionCheck
        The final check per measure: the KPI of the one scenario, or the paired difference
        of each other scenario against the first (relative to the first's mean).
    history : DataFrame
        Every check after every batch.
    warnings : list of str
        Strong skewness, a target not met.
    """

    experiment: ExperimentResult
    kpi: str
    target_rel: float
    n: int
    met: bool
    stop_reason: str
    checks: list[PrecisionCheck]
    history: pd.DataFrame
    warnings: list[str]

    @property
    def half_width(self) -> float:
        """The largest achieved half-width (t or bootstrap side), in the KPI's unit."""
        return max((max(c.t_half_width, c.bootstrap_half_width) for c in self.checks), default=math.nan)

    @property
    def relative_half_width(self) -> float:
        """The largest achieved half-width as a share of its scale."""
        return max((c.relative_half_width for c in self.checks), default=math.nan)

    def as_dict(self) -> dict[str, Any]:
        """Return the sequential part as a JSON-ready dict (``--json``'s ``"sequential"``)."""
        return {
            "kpi": self.kpi,
            "target_rel": self.target_rel,
            "replications": self.n,
            "met": self.met,
            "stop_reason": self.stop_reason,
            "rule": "t and percentile-bootstrap half-widths ≤ target·|scale|, n ≥ min, n ≥ 25·g1²",
            "measures": [
                {"measure": c.measure, "n": c.n, "mean": c.mean, "scale": c.scale, "t_half_width": c.t_half_width,
                 "bootstrap_half_width": c.bootstrap_half_width, "relative_half_width": c.relative_half_width,
                 "skewness": c.skewness, "n_for_skewness": c.n_for_skewness, "met": c.met}
                for c in self.checks
            ],
            "batches": sorted(set(int(x) for x in self.history["n"])),
            "warnings": list(self.warnings),
        }


def run_until_precise(
    scenarios: Any,
    target_rel: float = 0.02,
    seed: int = 0,
    *,
    kpi: str = "rom_t_per_month",
    min_replications: int = MIN_REPLICATIONS,
    max_replications: int = MAX_REPLICATIONS,
    min_batch: int = MIN_BATCH,
    **runner_kwargs: Any,
) -> PreciseResult:
    """Run replications in batches until ``kpi`` is known to ``± target_rel`` (95 %).

    With one scenario the target is on its mean; with several, on the paired difference of
    each other scenario against the first, relative to the first's mean (common random
    numbers: replication ``i`` has the same seed in every scenario). The rule (t and
    bootstrap intervals, Cochran's skewness rule, a minimum) is in the module notes.

    Parameters
    ----------
    scenarios : Scenario, path or sequence of these
        What to run; the first is the baseline of paired differences.
    target_rel : float, optional
        Target 95 % half-width as a share of the mean (0.02: ±2 %).
    seed : int, optional
        Experiment seed; replication ``i`` uses ``replication_seed(seed, i)``.
    kpi : str, optional
        The KPI (``rom_t_per_month``).
    min_replications, max_replications, min_batch : int, optional
        First batch (10), ceiling (1000) and smallest step (5).
    **runner_kwargs
        Passed to :func:`~seamsim.experiment.runner.run_experiment` (``days``,
        ``executor``, ``workers``, ``progress``…); no ``design``, ``out`` or ``resume``
        (run the ``n`` found with ``out`` to store it: the numbers are the same).

    Returns
    -------
    PreciseResult
        The runs, the ``n`` used, the achieved half-widths and why it stopped.
    """
    for name in ("design", "out", "resume", "replications"):
        if runner_kwargs.get(name):
            raise TypeError(f"run_until_precise takes no {name}")
        runner_kwargs.pop(name, None)
    check_kpi(kpi)
    target_rel = check_target_rel(target_rel)
    resolved = resolve_scenarios(scenarios)
    names = [s.name for s in resolved]
    batches: list[ExperimentResult] = []
    done = [0]

    def measures_for(n: int) -> Measures:
        if n > done[0]:
            batches.append(run_experiment(resolved, list(range(done[0], n)), seed, **runner_kwargs))
            done[0] = n
        runs = pd.concat([b.runs for b in batches], ignore_index=True)
        wide = runs.pivot(index="replication", columns="scenario", values=kpi).reindex(columns=names)
        base = wide[names[0]].to_numpy()
        if len(names) == 1:
            return {f"{kpi} of {names[0]}": (base, None)}
        scale = float(np.nanmean(base)) if np.isfinite(base).any() else math.nan
        return {f"{name} − {names[0]}: {kpi}": (wide[name].to_numpy() - base, scale) for name in names[1:]}

    outcome = replicate_until_precise(measures_for, target_rel, min_replications=min_replications,
                                      max_replications=max_replications, min_batch=min_batch)
    first, last = batches[0], batches[-1]
    runs = _tidy(pd.concat([b.runs for b in batches], ignore_index=True), names, first.fields)
    manifest = dict(last.manifest)
    manifest.update(replications=outcome.n, runs_total=len(runs),
                    sequential={"target_rel": target_rel, "kpi": kpi, "stop_reason": outcome.stop_reason,
                                "batches": [len(b.replications) for b in batches]})
    experiment = ExperimentResult(first.scenarios, first.design, first.seed, list(range(outcome.n)), first.days,
                                  manifest, runs=runs)
    return PreciseResult(experiment, kpi, target_rel, outcome.n, outcome.met, outcome.stop_reason, outcome.checks,
                         outcome.history, outcome.warnings)
