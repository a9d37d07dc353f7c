"""The same numbers from every executor, in separate interpreters with different hash seeds.

Each executor runs the same small sweep through the CLI in its own interpreter with its own
``PYTHONHASHSEED`` (so set and dict orders of strings differ between them); every column of
the stored runs must be equal, bit for bit.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from seamsim.experiment.store import read_runs

ROOT = Path(__file__).resolve().parents[2]
AFTER = str(ROOT / "scenarios" / "article_after_3300v.yaml")
CLI = "import sys; from seamsim.cli import main; sys.exit(main(sys.argv[1:]))"
KEY = ["scenario", "point", "replication"]
SWEEP = ["sweep", AFTER, "--vary", "seam.height_m=0.78,0.9", "--vary", "operation.shield_control=manual,electrohydraulic",
         "-n", "2", "--days", "2", "--seed", "11", "--workers", "2", "--no-progress", "--json"]


def _sweep(out: Path, executor: str, hash_seed: str) -> pd.DataFrame:
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    done = subprocess.run([sys.executable, "-c", CLI, *SWEEP, "--executor", executor, "--out", str(out)],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return read_runs(out).sort_values(KEY, ignore_index=True)


def test_every_executor_and_hash_seed_gives_identical_runs(tmp_path):
    pytest.importorskip("distributed")
    serial = _sweep(tmp_path / "serial", "serial", "1")
    assert len(serial) == 8 and (serial["status"] != "error").all()
    for executor, hash_seed in (("processes", "2"), ("dask", "3")):
        other = _sweep(tmp_path / executor, executor, hash_seed)
        assert list(other.columns) == list(serial.columns)
        pd.testing.assert_frame_equal(other, serial, check_exact=True)
