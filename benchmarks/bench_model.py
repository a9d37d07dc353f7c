"""Speed of the face model: one simulated month and one simulated year.

Targets (DESIGN.md, "Quality"): a 30-day month of ``article_after_3300v`` in a median of
≤ 20 ms, excluding imports; 365 days in ≤ 12.5 × the month. Printed, never asserted.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

from seamsim import load_scenario, simulate

SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"


def median_s(scenario, days: float, runs: int) -> float:
    """Median wall time of ``runs`` simulations of ``days`` [s], after one warm-up run."""
    simulate(scenario, seed=10_000, days=days)
    times = []
    for seed in range(runs):
        start = time.perf_counter()
        simulate(scenario, seed=seed, days=days)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> dict[str, float]:
    """Print and return the model benchmark figures."""
    figures = {}
    for name in ("article_after_3300v", "article_before_1140v"):
        sc = load_scenario(SCENARIOS / f"{name}.yaml")
        month = median_s(sc, 30, 60)
        year = median_s(sc, 365, 7)
        figures[f"{name}.month_ms"] = month * 1e3
        figures[f"{name}.year_ms"] = year * 1e3
        figures[f"{name}.year_over_month"] = year / month
        print(f"{name:24s} month (30 d): median {month * 1e3:6.1f} ms   (target ≤ 20 ms)")
        print(f"{name:24s} year (365 d): median {year * 1e3:6.1f} ms = {year / month:4.1f} × month (target ≤ 12.5 ×)")
    return figures


if __name__ == "__main__":
    main()
