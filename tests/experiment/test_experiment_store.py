"""Results on disk: Parquet parts and manifest.json; an interrupted experiment resumed
equals an uninterrupted one, with no run lost or duplicated."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from seamsim import run_experiment
from seamsim.experiment.designs import grid
from seamsim.experiment.store import StoreError, read_manifest, read_runs
from seamsim.scenario import apply_overrides, load_scenario

ROOT = Path(__file__).resolve().parents[2]
AFTER = ROOT / "scenarios" / "article_after_3300v.yaml"
KEY = ["scenario", "point", "replication"]


@pytest.fixture(scope="module")
def design():
    return grid({"seam.height_m": [0.78, 0.85, 0.9], "roof.convergence_mm": [30, 50]})


@pytest.fixture(scope="module")
def reference(after, design):
    """The uninterrupted experiment, in memory."""
    return run_experiment(after, 4, seed=3, days=1, design=design, executor="serial")


def test_runs_stream_to_parts_compacted_into_one_file_with_a_manifest(after, design, reference, tmp_path):
    out = tmp_path / "exp"
    seen = []
    ex = run_experiment(after, 4, seed=3, days=1, design=design, executor="serial", chunk_size=5, out=out,
                        progress=lambda d, t: seen.append(len(list((out / "runs").glob("part-*.parquet")))))
    assert seen[1] == 1 and max(seen) >= 2  # the first chunk at once, then more parts as runs finish
    parts = sorted((out / "runs").glob("part-*.parquet"))
    assert len(parts) == 1  # compacted at the end: one file of row groups
    assert pq.ParquetFile(parts[0]).metadata.num_rows == 24
    assert not list((out / "runs").glob("*.tmp")) and not list((out / "runs").glob(".*"))
    manifest = read_manifest(out)
    assert manifest["status"] == "complete" and manifest["seed"] == 3 and manifest["replications"] == 4
    assert manifest["scenarios"][0]["scenario"] == after.model_dump(mode="json")
    assert len(manifest["design"]["points"]) == 6
    assert manifest["seamsim_version"] and manifest["created"] and manifest["finished"]
    assert manifest["timings"]["runs"] == 24 and manifest["timings"]["runs_per_s"] > 0
    assert manifest["runs_stored"] == 24
    pd.testing.assert_frame_equal(ex.runs, reference.runs, check_exact=True)
    pd.testing.assert_frame_equal(ex.summary, reference.summary, check_exact=True)
    assert len(pd.read_parquet(out / "runs")) == 24  # readable by pandas directly


def test_cancelled_then_resumed_equals_uninterrupted(after, design, reference, tmp_path):
    out = tmp_path / "exp"
    first = run_experiment(after, 4, seed=3, days=1, design=design, executor="serial", chunk_size=3,
                           out=out, progress=lambda done, total: done < 9)
    assert not first.complete and read_manifest(out)["status"] == "cancelled"
    assert len(read_runs(out)) == 9
    seen = []
    resumed = run_experiment(after, 4, seed=3, days=1, design=design, executor="processes", workers=2,
                             chunk_size=3, out=out, resume=True, progress=lambda d, t: seen.append((d, t)))
    assert seen[0] == (9, 24) and seen[-1] == (24, 24)
    assert resumed.complete
    stored = read_runs(out)
    assert len(stored) == 24 and not stored[KEY].duplicated().any()
    pd.testing.assert_frame_equal(resumed.runs, reference.runs, check_exact=True)
    manifest = read_manifest(out)
    assert manifest["status"] == "complete" and len(manifest["sessions"]) == 2
    assert manifest["runs_stored"] == 24


def test_resume_of_a_complete_experiment_runs_nothing(after, design, reference, tmp_path):
    out = tmp_path / "exp"
    run_experiment(after, 4, seed=3, days=1, design=design, executor="serial", out=out)
    parts = sorted(p.name for p in (out / "runs").iterdir())
    again = run_experiment(after, 4, seed=3, days=1, design=design, executor="serial", out=out, resume=True)
    assert sorted(p.name for p in (out / "runs").iterdir()) == parts
    pd.testing.assert_frame_equal(again.runs, reference.runs, check_exact=True)


def test_a_part_killed_mid_write_is_ignored_and_redone(after, design, reference, tmp_path):
    out = tmp_path / "exp"
    run_experiment(after, 4, seed=3, days=1, design=design, executor="serial", chunk_size=4,
                   out=out, progress=lambda d, t: d < 8)
    (out / "runs" / "part-00002.parquet.tmp").write_bytes(b"PAR1 half a file")
    resumed = run_experiment(after, 4, seed=3, days=1, design=design, executor="serial", out=out, resume=True)
    assert not list((out / "runs").glob("*.tmp"))
    pd.testing.assert_frame_equal(resumed.runs, reference.runs, check_exact=True)


def test_an_occupied_directory_is_refused(after, tmp_path):
    out = tmp_path / "exp"
    run_experiment(after, 1, days=1, executor="serial", out=out)
    with pytest.raises(StoreError, match="already holds an experiment"):
        run_experiment(after, 1, days=1, executor="serial", out=out)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"seed": 4}, "seed was 3, now 4"),
        ({"replications": 5}, "replications was 4, now 5"),
        ({"days": 2}, "days was 1.0, now 2.0"),
        ({"design": grid({"seam.height_m": [0.8]})}, "the design was grid over"),
        ({"scenarios": "changed"}, "seam.height_m was 0.8, now 0.85"),
    ],
)
def test_resume_refuses_a_different_experiment(after, design, tmp_path, change, message):
    out = tmp_path / "exp"
    kwargs = {"replications": 4, "seed": 3, "days": 1, "design": design, "executor": "serial"}
    run_experiment(after, **kwargs, out=out, progress=lambda d, t: d < 4)
    scenario = after
    if change.get("scenarios") == "changed":
        scenario = apply_overrides(after, {"seam.height_m": 0.85})
    else:
        kwargs.update(change)
    with pytest.raises(StoreError, match="cannot resume") as err:
        run_experiment(scenario, **kwargs, out=out, resume=True)
    assert message in str(err.value)
    assert len(read_runs(out)) == 4  # nothing was added


def test_parts_are_buffered_and_compacted_into_row_groups(after, tmp_path, monkeypatch):
    from seamsim.experiment import store

    monkeypatch.setattr(store, "ROW_GROUP_ROWS", 4)
    out = tmp_path / "exp"
    design = grid({"seam.height_m": [0.78, 0.8, 0.82, 0.85, 0.88, 0.9, 0.92, 0.95]})
    parts_seen = []
    ex = run_experiment(after, 3, seed=1, days=0.5, design=design, executor="serial", chunk_size=1, out=out,
                        progress=lambda d, t: parts_seen.append(len(list((out / "runs").glob("part-*")))))
    # 24 runs one at a time, a part every ceil(24 / 16) = 2: the first at once, then every second run
    assert parts_seen[1] == 1 and parts_seen[-1] == 12
    (part,) = (out / "runs").glob("part-*.parquet")
    meta = pq.ParquetFile(part).metadata
    assert meta.num_rows == 24 and meta.num_row_groups == 6
    memory = run_experiment(after, 3, seed=1, days=0.5, design=design, executor="serial")
    pd.testing.assert_frame_equal(ex.runs, memory.runs, check_exact=True)


def test_a_kill_during_compaction_never_loses_or_double_counts(after, design, reference, tmp_path, monkeypatch):
    """Killed after the merged file is in place but before the old parts are gone."""
    out = tmp_path / "exp"

    def die_after_the_merged_file(self, missing_ok=False):
        if self.name.startswith("part-"):  # the first old part to go: the merged file is in place
            raise SystemExit("killed")  # stands for kill -9: nothing after this point runs
        return real_unlink(self, missing_ok=missing_ok)

    real_unlink = Path.unlink
    monkeypatch.setattr(Path, "unlink", die_after_the_merged_file)
    with pytest.raises(SystemExit):
        run_experiment(after, 4, seed=3, days=1, design=design, executor="serial", chunk_size=2, out=out)
    monkeypatch.undo()
    parts = sorted((out / "runs").glob("part-*.parquet"))
    assert len(parts) > 2 and sum(len(pd.read_parquet(p)) for p in parts) == 48  # every run twice on disk
    stored = read_runs(out)
    assert len(stored) == 24 and not stored[KEY].duplicated().any()
    assert read_manifest(out)["status"] == "running"  # it never got to write its end
    resumed = run_experiment(after, 4, seed=3, days=1, design=design, executor="serial", out=out, resume=True)
    assert resumed.manifest["sessions"][-1]["runs"] == 0
    assert len(list((out / "runs").glob("part-*.parquet"))) == 1
    pd.testing.assert_frame_equal(resumed.runs, reference.runs, check_exact=True)


def _parts(out: Path) -> int:
    runs = out / "runs"
    return len(list(runs.glob("part-*.parquet"))) if runs.is_dir() else 0


@pytest.mark.slow
def test_a_sweep_killed_with_sigkill_resumes_to_the_uninterrupted_result(tmp_path):
    """The CLI in a subprocess, killed -9 once some parts exist, then resumed."""
    out = tmp_path / "sweep"
    argv = [
        "sweep", str(AFTER), "--vary", "seam.height_m=0.76:0.95:20", "--vary", "roof.convergence_mm=30,50",
        "-n", "12", "--days", "4", "--seed", "7", "--executor", "serial", "--out", str(out), "--json",
    ]
    code = "import sys; from seamsim.cli import main; sys.exit(main(sys.argv[1:]))"
    proc = subprocess.Popen([sys.executable, "-c", code, *argv], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, cwd=ROOT)
    deadline = time.monotonic() + 60
    while _parts(out) < 3 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    killed_with = _parts(out)
    manifest = json.loads((out / "manifest.json").read_text())
    interrupted = manifest["status"] == "running"  # it never got to write its end
    assert killed_with >= 3

    from seamsim.cli import main

    assert main([*argv, "--resume"]) == 0
    stored = read_runs(out)
    assert len(stored) == 40 * 12 and not stored[KEY].duplicated().any()
    assert read_manifest(out)["status"] == "complete"

    sc = load_scenario(AFTER)
    design = grid({"seam.height_m": "0.76:0.95:20", "roof.convergence_mm": [30, 50]})
    reference = run_experiment(sc, 12, seed=7, days=4, design=design, executor="serial")
    resumed = run_experiment(sc, 12, seed=7, days=4, design=design, executor="serial", out=out, resume=True)
    pd.testing.assert_frame_equal(resumed.runs, reference.runs, check_exact=True)
    if not interrupted:  # pragma: no cover - the machine was faster than the poll
        pytest.skip("the sweep finished before it could be killed")


def test_a_reader_meeting_a_compaction_reads_again(after, design, reference, tmp_path, monkeypatch):
    """A part listed by the reader is deleted by the writer's compaction before it is read."""
    from seamsim.experiment import store

    out = tmp_path / "exp"
    run_experiment(after, 4, seed=3, days=1, design=design, executor="serial", chunk_size=2, out=out,
                   progress=lambda d, t: d < 12)  # cancelled: compacted into one part
    (merged,) = (out / "runs").glob("part-*.parquet")
    stale = out / "runs" / "part-00000.parquet"  # a part the reader will list and find gone
    real_parts = store._parts
    listed = []

    def parts_with_a_stale_one(runs_dir):
        listed.append(1)
        return ([stale] if len(listed) == 1 else []) + real_parts(runs_dir)

    monkeypatch.setattr(store, "_parts", parts_with_a_stale_one)
    stored = read_runs(out)
    assert len(listed) == 2 and len(stored) == 12 and not stored[KEY].duplicated().any()
    assert merged.exists() and not stale.exists()
