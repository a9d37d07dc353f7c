"""The seam along the face and the panel, and periodic roof weighting.

Seam height is a stationary Gaussian random field with separable exponential
correlation: an AR(1) sequence along the face (one value per shield) and another along
the panel (one step per web), both with correlation ``exp(−Δ/ℓ)`` (docs/model.md §2:
σ = 20–100 mm, ℓ = 10–100 m [E]). Periodic weighting raises convergence for
``weighting_length_m`` of advance every ``weighting_interval_m`` (docs/model.md §2 and §7: 10–25 m at depth [E]).
The field is generated lazily, a block of webs at a time, from the ``seam`` stream; the
``jam`` stream gives one variate per place for the length of a jam there.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
from scipy.signal import lfilter

from seamsim.model.parameters import FaceParameters
from seamsim.model.profile import PassBlock, pass_block

BLOCK_WEBS = 64
"""Webs whose profiles are computed together."""

MIN_SEAM_FRACTION = 0.2
"""Seam height is floored at this share of its mean, so a deep trough stays physical."""


def ar1_filter(innovations: np.ndarray, rho: float, previous: np.ndarray, axis: int) -> np.ndarray:
    """Return a stationary unit-variance AR(1) sequence along ``axis``.

    ``z[k] = ρ z[k−1] + √(1 − ρ²) e[k]``, started from ``previous`` (the value before the
    first element, itself unit-variance).
    """
    b = [math.sqrt(max(0.0, 1.0 - rho * rho))]
    a = [1.0, -rho]
    zi = np.expand_dims(rho * previous, axis)
    out, _ = lfilter(b, a, innovations, axis=axis, zi=zi)
    return out


class SeamField:
    """Seam heights and convergence per web and shield, with cached pass profiles."""

    def __init__(self, p: FaceParameters, rng: np.random.Generator, jam_rng: np.random.Generator) -> None:
        self.p = p
        self.rng = rng
        self.jam_rng = jam_rng
        self._block: PassBlock | None = None
        self._block_inputs: tuple = ()
        self._block_index = -1
        self._last_row: np.ndarray | None = None
        n = p.segment_count
        self.rho_face = math.exp(-p.segment_length_m / p.correlation_length_m)
        self.rho_panel = math.exp(-p.web_m / p.correlation_length_m)
        self.variable = p.seam_height_sd_m > 0
        self._n = n

    def _standard_field(self, webs: int) -> np.ndarray:
        """Return the next ``webs`` rows of the unit-variance field (webs × shields)."""
        rng = self.rng
        along_face = ar1_filter(rng.standard_normal((webs, self._n)), self.rho_face, rng.standard_normal(webs), axis=1)
        if self._last_row is None:
            self._last_row = rng.standard_normal(self._n)
        field = ar1_filter(along_face, self.rho_panel, self._last_row, axis=0)
        self._last_row = field[-1]
        return field

    def weighting_starts_at(self, web: int) -> bool:
        """Return whether a periodic weighting begins as web ``web`` is cut."""
        p = self.p
        if web == 0 or p.weighting_length_m <= 0:
            return False
        return math.floor(web * p.web_m / p.weighting_interval_m) > math.floor((web - 1) * p.web_m / p.weighting_interval_m)

    def convergence_m(self, webs: np.ndarray) -> np.ndarray:
        """Return the convergence at the canopy tip for each web [m], shape (webs, 1)."""
        p = self.p
        advance = webs * p.web_m
        phase = np.mod(advance, p.weighting_interval_m)
        in_weighting = (advance >= p.weighting_interval_m) & (phase < p.weighting_length_m)
        return (p.convergence_m + np.where(in_weighting, p.weighting_convergence_m, 0.0))[:, None]

    def block_for(self, web: int, with_chain: Callable[[int], bool]) -> tuple[PassBlock, int]:
        """Return the profile block holding web ``web`` and the web's row in it."""
        index = web // BLOCK_WEBS
        if index != self._block_index:
            if index != self._block_index + 1:
                raise ValueError("webs must be requested in order")
            first = index * BLOCK_WEBS
            webs = np.arange(first, first + BLOCK_WEBS)
            if self.variable:
                seam = self.p.seam_height_m + self.p.seam_height_sd_m * self._standard_field(BLOCK_WEBS)
                seam = np.maximum(seam, MIN_SEAM_FRACTION * self.p.seam_height_m)
            else:
                seam = np.full((BLOCK_WEBS, self._n), self.p.seam_height_m)
            chain = np.array([with_chain(int(w)) for w in webs])
            jam_variates = self.jam_rng.standard_normal((BLOCK_WEBS, self._n))
            convergence = self.convergence_m(webs)
            self._block = pass_block(self.p, first, seam, convergence, chain, jam_variates)
            self._block_inputs = (seam, convergence, chain, jam_variates)
            self._block_index = index
        return self._block, web - index * BLOCK_WEBS

    def block_after_stand(self, web: int, with_chain: Callable[[int], bool], extra_closure_m: float) -> tuple[PassBlock, int]:
        """Return a one-web profile of ``web`` with ``extra_closure_m`` more convergence (after a long stand).

        The same seam and jam variates as the web's row in its block (common random numbers).
        """
        block, row = self.block_for(web, with_chain)
        seam, convergence, chain, jam_variates = self._block_inputs
        one = slice(row, row + 1)
        return pass_block(self.p, web, seam[one], convergence[one] + extra_closure_m, chain[one], jam_variates[one]), 0
