"""The failure clocks of the reference face, counted in operating time.

A subsystem's :class:`WearClock` holds the operating time of its next failure and its
virtual age (Kijima type I, for preventive maintenance); the :class:`TripClock` holds the
hazard left before the next electrical trip, used up at the rate of the pass being cut.
"""

from __future__ import annotations

import math

import numpy as np

from seamsim.model.failures import time_between_failures_s

__all__ = ["TripClock", "WearClock"]


class WearClock:
    """Operating time to the next failure of a subsystem, with its virtual age (Kijima type I)."""

    def __init__(self, name: str, mode, rng: np.random.Generator) -> None:
        self.name = name
        self.mode = mode
        self.rng = rng
        self.fail_at_operating_s = time_between_failures_s(rng, mode)
        self.renewed_at_operating_s = 0.0

    def to_failure_s(self, operating_s: float) -> float:
        """Operating time left before the failure [s]."""
        return self.fail_at_operating_s - operating_s

    def renew(self, operating_s: float) -> None:
        """A repair: age 0 and a fresh time to failure."""
        self.renewed_at_operating_s = operating_s
        self.fail_at_operating_s = operating_s + time_between_failures_s(self.rng, self.mode)

    def maintain(self, operating_s: float, effectiveness: float) -> None:
        """Preventive work: virtual age ``v ← q·v``, keeping the hazard still to run (Weibull β ≠ 1 only)."""
        mode = self.mode
        if mode.distribution != "weibull" or mode.shape == 1.0:
            return
        beta = mode.shape
        eta = mode.mean_time_between_failures_s / math.gamma(1.0 + 1.0 / beta)
        age = operating_s - self.renewed_at_operating_s
        hazard_left = ((age + self.to_failure_s(operating_s)) / eta) ** beta - (age / eta) ** beta
        new_age = effectiveness * age
        self.renewed_at_operating_s = operating_s - new_age
        self.fail_at_operating_s = operating_s + eta * ((new_age / eta) ** beta + hazard_left) ** (1.0 / beta) - new_age


class TripClock:
    """Hazard left before the next electrical trip, used up at the rate of the pass being cut."""

    name = "electrical"

    def __init__(self, rate_per_s: float, rng: np.random.Generator) -> None:
        self.rng = rng
        self.rate_per_s = rate_per_s
        self.hazard_left = rng.standard_exponential()
        self.as_of_operating_s = 0.0

    def to_failure_s(self, operating_s: float) -> float:
        left = self.hazard_left - self.rate_per_s * (operating_s - self.as_of_operating_s)
        return left / self.rate_per_s if self.rate_per_s > 0 else math.inf

    def set_rate(self, operating_s: float, rate_per_s: float) -> None:
        """Use up the hazard at the old rate until now, then run at ``rate_per_s``."""
        self.hazard_left -= self.rate_per_s * (operating_s - self.as_of_operating_s)
        self.as_of_operating_s = operating_s
        self.rate_per_s = rate_per_s

    def renew(self, operating_s: float) -> None:
        self.hazard_left = self.rng.standard_exponential()
        self.as_of_operating_s = operating_s

    def maintain(self, operating_s: float, effectiveness: float) -> None:
        """Trips do not wear out: preventive work leaves them as they are."""
