"""Failures and stoppages: operating-time failure clocks, repairs, outbye and comms.

Time between failures of the shearer, conveyor, shields and electrical supply is counted
in *operating* time (the clocks run only while the face works), with the distribution of
the scenario; repair times are log-normal (docs/model.md §7; [S27]). Electrical trips have the rate
that the electrical state gives (:func:`seamsim.physics.electrical.electrical_trip_rate_per_h`).
Outbye stoppages and radio-link outages run in calendar time.

Every draw scales a standard variate from the subsystem's own stream, so a change of
mean or rate between two scenarios changes the values but not the sequence (common
random numbers).
"""

from __future__ import annotations

import math
from collections.abc import Generator
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from seamsim.units import S_PER_H

if TYPE_CHECKING:
    from seamsim.model.parameters import FaceParameters
    from seamsim.model.stoppage_parameters import FailureModeParameters, StoppageParameters

SUBSYSTEMS: tuple[str, ...] = ("shearer", "conveyor", "shields", "electrical")
"""Subsystems with operating-time failure clocks, in clock order."""

ELECTRICAL_INDEX = SUBSYSTEMS.index("electrical")

REPAIR_STATE: dict[str, str] = {
    "shearer": "shearer_repair",
    "conveyor": "conveyor_repair",
    "shields": "shield_repair",
    "electrical": "electrical_trip",
}


def lognormal_from_median(rng: np.random.Generator, median: float, sigma_ln: float) -> float:
    """Return one log-normal draw with the given median and log-σ (same units as median)."""
    return median * math.exp(sigma_ln * rng.standard_normal())


def time_between_failures_s(rng: np.random.Generator, mode: FailureModeParameters) -> float:
    """Return one operating time to the next failure of a subsystem [s].

    Parameters
    ----------
    rng : numpy.random.Generator
        The subsystem's TBF stream.
    mode : FailureModeParameters
        Distribution, mean [s] and shape.

    Returns
    -------
    float
        Operating seconds until the failure.

    Notes
    -----
    Weibull: scale = mean / Γ(1 + 1/β). Log-normal: σ = ``shape``, median chosen so the
    mean is ``mean_time_between_failures_s``.
    """
    mean_s = mode.mean_time_between_failures_s
    if mode.distribution == "exponential":
        return mean_s * rng.standard_exponential()
    if mode.distribution == "weibull":
        scale_s = mean_s / math.gamma(1.0 + 1.0 / mode.shape)
        return scale_s * rng.weibull(mode.shape)
    median_s = mean_s * math.exp(-0.5 * mode.shape**2)
    return lognormal_from_median(rng, median_s, mode.shape)


@dataclass
class FailureClocks:
    """Remaining operating time to the next failure of each subsystem [s]."""

    p: FaceParameters
    streams: dict[str, np.random.Generator]

    def __post_init__(self) -> None:
        self.stops = self.p.stoppages
        self.modes = self.stops.modes
        self.trip_rate_per_s = self.p.electrical.nominal_trip_rate_per_h / S_PER_H
        self.remaining_s = [self.draw(name) for name in SUBSYSTEMS]
        self.ages_s = [0.0] * len(SUBSYSTEMS)
        """Operating time since each subsystem was last renewed by a repair (its virtual age) [s]."""

    def age(self, operating_s: float) -> None:
        """Add operating time to every subsystem's age."""
        ages = self.ages_s
        for i in range(len(ages)):
            ages[i] += operating_s

    def renewed(self, index: int) -> None:
        """A repair renews the subsystem: age 0."""
        self.ages_s[index] = 0.0

    def preventive_maintenance(self, effectiveness: float, running_s: float = 0.0) -> None:
        """Make every wear-out subsystem younger: virtual age ``v ← q·v`` (Kijima type I).

        The hazard still to run before the next failure, ``H(v + r) − H(v)`` with
        ``H(t) = (t/η)^β``, is kept (the same random draw), and the remaining time is solved
        from the new age: ``r' = η((v'/η)^β + ΔH)^(1/β) − v'``. With β = 1 nothing changes:
        maintenance only helps what wears out (docs/model.md §6, the maintenance shift).

        ``running_s`` is operating time the face has run since the clocks were last counted
        down and that it will take off them when its step ends [s]: the work acts on the
        clocks as they stand now, and the stored values leave room for that step.
        """
        if not self.stops.enabled:
            return
        for i, name in enumerate(SUBSYSTEMS):
            mode = self.modes.get(name)
            remaining = self.remaining_s[i]
            if mode is None or mode.distribution != "weibull" or mode.shape == 1.0 or not math.isfinite(remaining):
                continue
            beta = mode.shape
            eta = mode.mean_time_between_failures_s / math.gamma(1.0 + 1.0 / beta)
            age = self.ages_s[i] + running_s
            remaining -= running_s
            hazard_left = ((age + remaining) / eta) ** beta - (age / eta) ** beta
            new_age = effectiveness * age
            self.remaining_s[i] = eta * ((new_age / eta) ** beta + hazard_left) ** (1.0 / beta) - new_age + running_s
            self.ages_s[i] = new_age - running_s

    def set_electrical_rate(self, rate_per_s: float) -> None:
        """Change the electrical trip rate to the load of the cycle starting now.

        The clock holds an exponential amount of hazard; rescaling the remaining time by
        ``old/new`` rate keeps the hazard and so the same random draw (common random numbers).
        """
        old = self.trip_rate_per_s
        if rate_per_s == old:
            return
        i = ELECTRICAL_INDEX
        if old > 0 and rate_per_s > 0 and math.isfinite(self.remaining_s[i]):
            self.remaining_s[i] *= old / rate_per_s
        self.trip_rate_per_s = rate_per_s
        if not math.isfinite(self.remaining_s[i]) or old <= 0:
            self.remaining_s[i] = self.draw("electrical")

    def enabled(self, name: str) -> bool:
        """Whether ``name``'s failure process runs."""
        if not self.stops.enabled:
            return False
        if name == "electrical":
            return self.trip_rate_per_s > 0
        return self.modes[name].enabled

    def draw(self, name: str) -> float:
        """Return a fresh operating time to failure of ``name`` [s] (``inf`` when off)."""
        if not self.enabled(name):
            return math.inf
        rng = self.streams[f"{name}.tbf"]
        if name == "electrical":
            return rng.standard_exponential() / self.trip_rate_per_s
        return time_between_failures_s(rng, self.modes[name])

    def repair(self, name: str) -> tuple[float, str]:
        """Return the repair time [s] and the role the repair needs for a failure of ``name``."""
        rng = self.streams[f"{name}.ttr"]
        if name == "electrical":
            stops = self.stops
            return lognormal_from_median(rng, stops.trip_reset_median_s, stops.trip_reset_sigma_ln), "operator"
        mode = self.modes[name]
        return lognormal_from_median(rng, mode.repair_median_s, mode.repair_sigma_ln), mode.repaired_by


class OutsideStops:
    """Stoppages that come from outside the face, in calendar time: outbye and radio link.

    Their timing does not depend on what the face does, so each source is a lazily drawn
    sequence of ``(start, end)`` intervals. The face looks ahead to the next start and
    stops there itself, and ignores intervals that fall wholly inside another stop; this
    gives the same stoppages as an interrupting process with fewer simpy events.
    """

    def __init__(self, p: FaceParameters, streams: dict[str, np.random.Generator]) -> None:
        f = p.stoppages
        self.sources: list[tuple[str, Generator]] = []
        if f.enabled and f.outbye_blocked_fraction > 0:
            self.sources.append(("outbye_blocked", _outbye_intervals(f, streams)))
        if f.enabled and f.comms_outage_rate_per_s > 0:
            self.sources.append(("comms_outage", _comms_intervals(f, streams)))
        self.restart_s = {"outbye_blocked": 0.0, "comms_outage": f.comms_restart_s}
        self.pending = [next(gen) for _, gen in self.sources]
        self.next_start_s = math.inf
        """Start of the next pending interval [s] (``inf`` when there is none)."""
        self._update()

    def _update(self) -> None:
        self.next_start_s = min((start for start, _ in self.pending), default=math.inf)

    def active(self, now_s: float) -> tuple[str, float, float] | None:
        """Return ``(cause, start, end)`` of an interval covering ``now_s``, dropping expired ones."""
        for k, (cause, gen) in enumerate(self.sources):
            start, end = self.pending[k]
            while end <= now_s:
                start, end = self.pending[k] = next(gen)
            if start <= now_s:
                self.pending[k] = next(gen)
                self._update()
                return cause, start, end
        self._update()
        return None


def _outbye_intervals(f: StoppageParameters, streams: dict) -> Generator[tuple[float, float], None, None]:
    """Outbye transport alternates running and stopped (docs/model.md §7, [S17]).

    Stoppages are log-normal; running spells are exponential with the mean that makes
    the long-run stopped share equal ``outbye_blocked_fraction``.
    """
    sigma = f.outbye_stop_sigma_ln
    median_s = f.outbye_stop_median_s
    mean_stop_s = median_s * math.exp(0.5 * sigma**2)
    fraction = f.outbye_blocked_fraction
    mean_up_s = mean_stop_s * (1.0 - fraction) / fraction
    up, down = streams["outbye.up"], streams["outbye.down"]
    t = 0.0
    while True:
        t += mean_up_s * up.standard_exponential()
        duration_s = lognormal_from_median(down, median_s, sigma)
        yield t, t + duration_s
        t += duration_s


def _comms_intervals(f: StoppageParameters, streams: dict) -> Generator[tuple[float, float], None, None]:
    """Radio-link outages of a remotely run face: Poisson arrivals, log-normal lengths (docs/model.md §7) [E]."""
    mean_gap_s = 1.0 / f.comms_outage_rate_per_s
    arrival, length = streams["comms.arrival"], streams["comms.duration"]
    t = 0.0
    while True:
        t += mean_gap_s * arrival.standard_exponential()
        duration_s = lognormal_from_median(length, f.comms_outage_median_s, f.comms_outage_sigma_ln)
        yield t, t + duration_s
        t += duration_s
