"""Run every benchmark and print its figures (``make bench``). Nothing here is asserted."""

from __future__ import annotations

import importlib
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

BENCHMARKS = ("bench_model", "bench_experiment", "bench_dashboard", "bench_explore_browser")


def main(argv: list[str]) -> int:
    """Run the benchmarks named in ``argv`` (all when none are)."""
    names = argv or list(BENCHMARKS)
    for name in names:
        print(f"== {name} ==", flush=True)
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as error:
            print(f"   not available: {error}")
            continue
        start = time.perf_counter()
        module.main()
        print(f"   ({time.perf_counter() - start:.1f} s)\n", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
