"""Experiment benchmarks: throughput of the executors and memory of a streamed sweep.

Prints, never asserts (DESIGN.md "Benchmarks"):

1. 1,000 replication-months of ``article_after_3300v`` on a 2-process pool: wall time and
   runs per second (target: ≤ 15 s).
2. The same on a local 2-worker Dask cluster, with and without the cluster's start-up, and
   the ratio to the process pool (target: within 1.3×).
3. Peak memory (RSS) of a streamed sweep of 20,000 one-day runs written to a temporary
   ``out`` directory, next to one of 2,000 runs (target: flat in the number of runs).

Each measurement runs in a fresh Python process (``python -c``), so one does not warm or
burden the next, and Dask's spawned workers never re-import the caller's ``__main__``.

Run: ``python benchmarks/bench_experiment.py`` (or through ``benchmarks/run_all.py``).
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCENARIO = ROOT / "scenarios" / "article_after_3300v.yaml"
REPLICATIONS = 1000
WORKERS = 2
SWEEP_RUNS = (2_000, 20_000)

_PREAMBLE = f"""
import json, resource, sys, time
from seamsim import load_scenario, run_experiment
sc = load_scenario({str(SCENARIO)!r})
"""

_POOL = """
t = time.perf_counter()
ex = run_experiment(sc, {n}, seed=0, executor="processes", workers={w})
wall = time.perf_counter() - t
print(json.dumps({{"wall_s": wall, "runs": len(ex.runs)}}))
"""

_DASK = """
import logging
from distributed import Client, LocalCluster
t = time.perf_counter()
ex = run_experiment(sc, {n}, seed=0, executor="dask", workers={w})
with_start = time.perf_counter() - t
with LocalCluster(n_workers={w}, threads_per_worker=1, processes=True, dashboard_address=None,
                  silence_logs=logging.ERROR) as cluster, Client(cluster) as client:
    client.submit(sum, [1], pure=False).result()  # workers up
    t = time.perf_counter()
    warm = run_experiment(sc, {n}, seed=0, executor="dask", scheduler=client)
    running = time.perf_counter() - t
print(json.dumps({{"wall_s": with_start, "running_s": running, "runs": len(ex.runs)}}))
"""

_SWEEP = """
from seamsim.experiment.designs import grid
reps = 20
points = {runs} // reps
design = grid({{"seam.height_m": (0.7, 1.0, points // 10), "roof.convergence_mm": (20.0, 60.0, 10)}})
t = time.perf_counter()
ex = run_experiment(sc, reps, seed=0, days=1, design=design, executor="processes", workers={w},
                    out={out!r})
wall = time.perf_counter() - t
during = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
rows = len(ex.runs)
summary = len(ex.summary)
after_read = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({{"wall_s": wall, "runs": rows, "points": len(design), "peak_rss_kb": during,
                  "worker_peak_rss_kb": children, "peak_rss_after_reading_kb": after_read}}))
"""


def _measure(body: str) -> dict:
    """Run ``body`` (after the preamble) in a fresh interpreter; return its JSON line."""
    code = textwrap.dedent(_PREAMBLE) + textwrap.dedent(body)
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"benchmark failed:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _mb(kb: float) -> str:
    return f"{kb / 1024:,.0f} MB"


def main() -> None:
    """Run the experiment benchmarks and print their figures."""
    print(f"experiment benchmarks ({SCENARIO.name}, {WORKERS} workers)")
    pool = _measure(_POOL.format(n=REPLICATIONS, w=WORKERS))
    print(
        f"  process pool: {pool['runs']:,} replication-months in {pool['wall_s']:.2f} s wall "
        f"({pool['runs'] / pool['wall_s']:,.1f} runs/s; target ≤ 15 s)"
    )
    try:
        dask = _measure(_DASK.format(n=REPLICATIONS, w=WORKERS))
    except RuntimeError as exc:  # pragma: no cover - the cluster extra is missing
        print(f"  dask: not measured ({str(exc).splitlines()[-1]})")
    else:
        print(
            f"  dask local cluster: {dask['wall_s']:.2f} s wall with cluster start-up "
            f"({dask['wall_s'] / pool['wall_s']:.2f}× the process pool), {dask['running_s']:.2f} s "
            f"on a running cluster ({dask['running_s'] / pool['wall_s']:.2f}×; target ≤ 1.3×)"
        )
    for runs in SWEEP_RUNS:
        with tempfile.TemporaryDirectory(prefix="seamsim-bench-") as tmp:
            sweep = _measure(_SWEEP.format(runs=runs, w=WORKERS, out=str(Path(tmp) / "out")))
        print(
            f"  streamed sweep of {sweep['runs']:,} one-day runs ({sweep['points']:,} points × 20): "
            f"{sweep['wall_s']:.1f} s, peak RSS {_mb(sweep['peak_rss_kb'])} in the parent "
            f"(largest worker {_mb(sweep['worker_peak_rss_kb'])}); "
            f"{_mb(sweep['peak_rss_after_reading_kb'])} after reading every run back"
        )


if __name__ == "__main__":
    main()
