"""An output directory under stress: one writer at a time, a reader that never double-counts,
workers killed under a sweep, a sweep stopped by a signal, damaged files named, size caps."""

from __future__ import annotations

import concurrent.futures as cf
import json
import multiprocessing
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from seamsim import run_experiment
from seamsim.cli import main
from seamsim.experiment import executors, runner
from seamsim.experiment.designs import design_size, grid
from seamsim.experiment.directory_lock import DirectoryLock
from seamsim.experiment.manifest import read_manifest
from seamsim.experiment.run_keys import is_infrastructure_error
from seamsim.experiment.store import read_runs
from seamsim.experiment.store_errors import StoreBusy, StoreError
from seamsim.experiment.task_driver import MAX_ATTEMPTS

ROOT = Path(__file__).resolve().parents[2]
AFTER = str(ROOT / "scenarios" / "article_after_3300v.yaml")
KEY = ["scenario", "point", "replication"]
CLI = "import sys; from seamsim.cli import main; sys.exit(main(sys.argv[1:]))"
BROKEN = "BrokenProcessPool: A process in the process pool was terminated abruptly while the future was running"


@pytest.fixture(scope="module")
def design():
    return grid({"seam.height_m": [0.78, 0.9], "roof.convergence_mm": [30, 50]})


@pytest.fixture(scope="module")
def reference(after, design):
    """The experiment run once, serially and in memory."""
    return run_experiment(after, 3, seed=2, days=1, design=design, executor="serial")


def _sweep(out: Path, *extra: str, days: int = 20, reps: int = 4, executor: str = "serial") -> list[str]:
    return ["sweep", AFTER, "--vary", "seam.height_m=0.76:0.95:5", "--vary", "roof.convergence_mm=30,50",
            "-n", str(reps), "--days", str(days), "--seed", "7", "--executor", executor, "--workers", "2",
            "--out", str(out), "--no-progress", "--json", *extra]


def _start(argv: list[str]) -> subprocess.Popen:
    """The CLI in a subprocess, in a process group of its own (as a terminal's foreground job)."""
    return subprocess.Popen([sys.executable, "-c", CLI, *argv], cwd=ROOT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)


def _wait_for_parts(out: Path, proc: subprocess.Popen, n: int = 1, timeout: float = 60) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        found = len(list((out / "runs").glob("part-*.parquet"))) if (out / "runs").is_dir() else 0
        if found >= n:
            return found
        time.sleep(0.01)
    pytest.fail(f"no part appeared in {out} (exit {proc.poll()})")


# --------------------------------------------------------------------------------------
# One writer per directory
# --------------------------------------------------------------------------------------
def test_a_second_writer_is_refused_and_the_first_stores_each_run_once(tmp_path, capsys):
    out = tmp_path / "sweep"
    first = _start(_sweep(out))
    _wait_for_parts(out, first)
    assert main(_sweep(out, "--resume")) == 2  # what the QA ran: a resume of a running sweep
    assert main(_sweep(out)) == 2
    err = capsys.readouterr().err
    assert f"{out} is in use by another seamsim process (pid {first.pid}" in err
    assert first.wait(120) == 0, first.stderr.read()
    stored = read_runs(out)
    assert len(stored) == 40 and not stored[KEY].duplicated().any()
    assert len(pd.read_parquet(out / "runs")) == 40  # nothing written twice, even file by file
    manifest = read_manifest(out)
    assert manifest["status"] == "complete" and len(manifest["sessions"]) == 1


def test_run_experiment_is_refused_while_another_process_holds_the_directory(after, tmp_path):
    out = tmp_path / "exp"
    out.mkdir()
    holder = subprocess.Popen(
        [sys.executable, "-c", "import fcntl, sys, time; f = open(sys.argv[1], 'a'); "
         "fcntl.flock(f, fcntl.LOCK_EX); print('locked', flush=True); time.sleep(60)", str(out / ".seamsim.lock")],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(StoreBusy, match="in use by another seamsim process"):
            run_experiment(after, 1, days=1, executor="serial", out=out)
        assert not (out / "manifest.json").exists()
    finally:
        holder.kill()
        holder.wait()
    ex = run_experiment(after, 1, days=1, executor="serial", out=out)  # the kernel let the lock go
    assert ex.complete


def test_the_lock_is_held_for_the_whole_run_and_let_go_after(after, tmp_path):
    out = tmp_path / "exp"
    seen = []

    def probe(done, total):
        lock = DirectoryLock(out)
        try:
            lock.acquire()
            seen.append("free")
            lock.release()
        except StoreBusy:
            seen.append("held")

    run_experiment(after, 3, days=1, executor="serial", chunk_size=1, out=out, progress=probe)
    assert seen == ["held"] * 4
    lock = DirectoryLock(out)
    lock.acquire()  # free again
    lock.release()


# --------------------------------------------------------------------------------------
# Reading never double-counts
# --------------------------------------------------------------------------------------
def test_read_runs_keeps_one_row_per_key(after, design, reference, tmp_path):
    out = tmp_path / "exp"
    run_experiment(after, 3, seed=2, days=1, design=design, executor="serial", chunk_size=5, out=out)
    parts = sorted((out / "runs").glob("part-*.parquet"))
    (out / "runs" / "part-00099.parquet").write_bytes(parts[0].read_bytes())  # a key stored twice
    (out / "runs" / ".part-00100.parquet.123-abc.tmp").write_bytes(b"half")  # a writer mid-write
    stored = read_runs(out)
    assert len(stored) == 12 and not stored[KEY].duplicated().any()
    assert list(read_runs(out, columns=["point"]).columns) == ["point"]
    again = run_experiment(after, 3, seed=2, days=1, design=design, executor="serial", out=out, resume=True)
    pd.testing.assert_frame_equal(again.runs, reference.runs, check_exact=True)


def test_a_finished_run_wins_over_a_lost_one(tmp_path):
    runs = tmp_path / "exp" / "runs"
    runs.mkdir(parents=True)
    good = pd.DataFrame({"scenario": ["a", "a"], "point": [0, 0], "replication": [0, 1], "status": ["ok", "ok"],
                         "error": ["", ""], "rom_t_per_month": [1.0, 2.0]})
    lost = good.assign(status="error", error=BROKEN, rom_t_per_month=float("nan"))
    good.iloc[:1].to_parquet(runs / "part-00000.parquet")
    lost.to_parquet(runs / "part-00001.parquet")  # later, but lost: the finished row stays
    stored = read_runs(tmp_path / "exp").sort_values("replication")
    assert stored["status"].tolist() == ["ok", "error"] and stored["rom_t_per_month"].iloc[0] == 1.0
    assert is_infrastructure_error(BROKEN) and not is_infrastructure_error("RuntimeError: boom")


# --------------------------------------------------------------------------------------
# Workers that die
# --------------------------------------------------------------------------------------
def test_a_worker_killed_mid_sweep_is_replaced_and_no_run_is_an_error(after, tmp_path):
    design = grid({"seam.height_m": [0.78, 0.85, 0.9], "roof.convergence_mm": [30, 50]})
    killed = []

    def kill_a_worker(done, total):
        workers = _pool_workers()
        if done and not killed and workers:
            killed.append(workers[0])
            os.kill(workers[0], signal.SIGKILL)

    ex = run_experiment(after, 4, seed=1, days=2, design=design, executor="processes", workers=2,
                        chunk_size=2, out=tmp_path / "exp", progress=kill_a_worker)
    assert killed, "no worker was killed"
    assert ex.complete and read_manifest(tmp_path / "exp")["status"] == "complete"
    runs = ex.runs
    assert len(runs) == 24 and (runs["status"] != "error").all() and not runs[KEY].duplicated().any()
    reference = run_experiment(after, 4, seed=1, days=2, design=design, executor="serial")
    pd.testing.assert_frame_equal(runs, reference.runs, check_exact=True)
    assert not multiprocessing.active_children()  # the pools are gone


def _pool_workers() -> list[int]:
    """The pids of this process's pool workers: forked children, or a fork server's children."""
    psutil = pytest.importorskip("psutil")
    forked = {p.pid for p in multiprocessing.active_children()}
    me = os.getpid()
    return [c.pid for c in psutil.Process(me).children(recursive=True) if c.pid in forked or c.ppid() != me]


def _breaking(times: int):
    """A ``_run_chunk`` whose first ``times`` calls die as if their worker was killed."""
    real = executors._run_chunk
    calls = []

    def chunk(task):
        calls.append(task["runs"])
        if len(calls) <= times:
            raise cf.process.BrokenProcessPool("A process in the process pool was terminated abruptly")
        return real(task)

    return chunk, calls


def test_a_lost_task_is_sent_again(after, reference, design, monkeypatch, tmp_path):
    chunk, calls = _breaking(MAX_ATTEMPTS - 1)
    monkeypatch.setattr(executors, "_run_chunk", chunk)
    ex = run_experiment(after, 3, seed=2, days=1, design=design, executor="serial", chunk_size=4, out=tmp_path / "o")
    assert ex.complete and calls[0] == calls[1] == calls[2]
    pd.testing.assert_frame_equal(ex.runs, reference.runs, check_exact=True)


def test_runs_lost_after_every_attempt_are_not_stored_and_a_resume_runs_them(after, reference, design,
                                                                                monkeypatch, tmp_path, capsys):
    out = tmp_path / "o"
    chunk, _ = _breaking(MAX_ATTEMPTS)
    monkeypatch.setattr(executors, "_run_chunk", chunk)
    ex = run_experiment(after, 3, seed=2, days=1, design=design, executor="serial", chunk_size=4, out=out)
    manifest = read_manifest(out)
    assert not ex.complete and manifest["status"] == "incomplete"
    assert manifest["lost"]["runs"] == 4 and manifest["lost"]["errors"][0].startswith("BrokenProcessPool")
    assert len(read_runs(out)) == 8 and (read_runs(out)["status"] != "error").all()
    monkeypatch.undo()
    resumed = run_experiment(after, 3, seed=2, days=1, design=design, executor="serial", out=out, resume=True)
    assert resumed.complete and "lost" not in read_manifest(out)
    pd.testing.assert_frame_equal(resumed.runs, reference.runs, check_exact=True)


def test_resume_runs_again_the_error_rows_of_dead_workers(after, reference, design, tmp_path):
    """A directory written before this fix holds BrokenProcessPool rows: a resume redoes them."""
    out = tmp_path / "o"
    run_experiment(after, 3, seed=2, days=1, design=design, executor="serial", chunk_size=4, out=out)
    (part,) = (out / "runs").glob("part-*.parquet")
    rows = pd.read_parquet(part)
    kpis = rows.columns[rows.columns.get_loc("warnings") + 1:].drop("traceback")
    lost = rows["point"] == 1
    rows.loc[lost, ["status", "error"]] = ["error", BROKEN]
    rows.loc[lost, kpis] = float("nan")
    rows.to_parquet(part)
    manifest = read_manifest(out)
    (out / "manifest.json").write_text(json.dumps({**manifest, "status": "complete"}))
    resumed = run_experiment(after, 3, seed=2, days=1, design=design, executor="serial", out=out, resume=True)
    assert resumed.manifest["sessions"][-1]["runs"] == 3  # point 1's three replications
    pd.testing.assert_frame_equal(resumed.runs, reference.runs, check_exact=True)


def test_a_model_error_is_final_with_its_traceback(after, monkeypatch, tmp_path):
    real = runner._simulate

    def flaky(scenario, seed, days=None):
        if seed.spawn_key == (1,):
            raise RuntimeError("boom in the shearer model")
        return real(scenario, seed, days)

    monkeypatch.setattr(runner, "_simulate", flaky)
    out = tmp_path / "o"
    ex = run_experiment(after, 3, days=1, executor="serial", chunk_size=1, out=out)
    failed = ex.runs[ex.runs["status"] == "error"].iloc[0]
    assert failed["error"] == "RuntimeError: boom in the shearer model"
    assert failed["traceback"].startswith("Traceback") and "in flaky" in failed["traceback"]
    assert ex.runs.columns[-1] == "traceback" and "traceback" not in ex.kpis
    monkeypatch.undo()
    again = run_experiment(after, 3, days=1, executor="serial", out=out, resume=True)
    assert again.manifest["sessions"][-1]["runs"] == 0  # a model error is an answer: not retried
    assert (again.runs["status"] == "error").sum() == 1


# --------------------------------------------------------------------------------------
# Signals
# --------------------------------------------------------------------------------------
def _alive(pids: list[int], within: float = 5.0) -> list[int]:
    """Return those of ``pids`` still running after ``within`` seconds (zombies count as gone)."""
    psutil = pytest.importorskip("psutil")
    deadline = time.monotonic() + within
    while True:
        alive = []
        for pid in pids:
            try:
                if psutil.Process(pid).status() != psutil.STATUS_ZOMBIE:
                    alive.append(pid)
            except psutil.NoSuchProcess:
                pass
        if not alive or time.monotonic() > deadline:
            return alive
        time.sleep(0.05)


@pytest.mark.parametrize(("signum", "to_group"), [(signal.SIGTERM, False), (signal.SIGHUP, False),
                                                (signal.SIGINT, True)])
def test_a_sweep_stopped_by_a_signal_ends_cleanly_with_no_worker_left(tmp_path, signum, to_group):
    """``kill PID`` (SIGTERM), a closed terminal (SIGHUP), Ctrl-C (SIGINT to the whole group)."""
    psutil = pytest.importorskip("psutil")
    out = tmp_path / "sweep"
    proc = _start(_sweep(out, days=30, reps=8, executor="processes"))
    _wait_for_parts(out, proc)
    workers = [p.pid for p in psutil.Process(proc.pid).children(recursive=True)
               if "resource_tracker" not in " ".join(p.cmdline())]
    assert len(workers) >= 2
    if to_group:
        os.killpg(proc.pid, signum)
    else:
        os.kill(proc.pid, signum)
    assert proc.wait(60) == 128 + signum
    err = proc.stderr.read()
    assert f"stopped by {signal.Signals(signum).name}" in err and "Traceback" not in err
    manifest = read_manifest(out)
    assert manifest["status"] == "interrupted" and manifest["sessions"][-1]["status"] == "interrupted"
    assert not _alive(workers, within=0.5)  # joined by the sweep before it exits
    assert not list(out.rglob("*.tmp"))
    if signum == signal.SIGTERM:  # and it resumes
        assert main(_sweep(out, "--resume", days=30, reps=8)) == 0
        stored = read_runs(out)
        assert len(stored) == 80 and not stored[KEY].duplicated().any()


def test_a_worker_ignores_sigint_and_ends_on_sigterm():
    """Ctrl-C reaches the whole process group: it is for the sweep, which stops its workers."""
    code = (
        "import os, signal, sys; from seamsim.experiment.executors import _init_worker; "
        "_init_worker(os.getppid(), ()); os.kill(os.getpid(), signal.SIGINT); "
        "print('alive', flush=True); os.kill(os.getpid(), signal.SIGTERM); print('not reached')"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.stdout == "alive\n" and done.returncode == -signal.SIGTERM


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="prctl(PR_SET_PDEATHSIG) is Linux")
def test_a_worker_dies_with_its_parent():
    """Its sweep killed with -9: the worker gets SIGTERM from the kernel and does not linger."""
    code = """
import os, sys, time
from seamsim.experiment.executors import _init_worker
if os.fork() == 0:
    _init_worker(os.getppid(), ())
    print(os.getpid(), flush=True)
    time.sleep(60)
    os._exit(0)
time.sleep(1.0)
os._exit(0)
"""
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=30)
    worker = int(done.stdout.split()[0])  # the pipe closed: the worker is gone
    assert time.monotonic() - started < 25 and not _alive([worker])


# --------------------------------------------------------------------------------------
# Damaged files, sizes, horizons
# --------------------------------------------------------------------------------------
def test_a_damaged_manifest_or_part_is_named(after, tmp_path, capsys):
    out = tmp_path / "exp"
    run_experiment(after, 2, days=1, executor="serial", chunk_size=1, out=out)
    (part,) = (out / "runs").glob("part-*.parquet")
    part.write_bytes(part.read_bytes()[:200])
    with pytest.raises(StoreError, match=f"{part.name} is damaged"):
        read_runs(out)
    (out / "manifest.json").write_text('{"seed": 0, "scen')
    with pytest.raises(StoreError, match="manifest.json is damaged"):
        read_manifest(out)
    assert main(["run", AFTER, "-n", "2", "--days", "1", "--executor", "serial", "--out", str(out), "--resume"]) == 2
    assert "manifest.json is" in capsys.readouterr().err


def test_resume_accepts_days_equal_to_the_scenarios_horizon(after, tmp_path):
    out = tmp_path / "exp"
    short = after.model_copy(update={"run": after.run.model_copy(update={"days": 1.0})})
    run_experiment(short, 3, executor="serial", chunk_size=1, out=out, progress=lambda d, t: d < 1)
    resumed = run_experiment(short, 3, days=1, executor="serial", out=out, resume=True)
    assert resumed.complete and len(resumed.runs) == 3
    with pytest.raises(StoreError, match="days was 1.0, now 2.0"):
        run_experiment(short, 3, days=2, executor="serial", out=out, resume=True)


def test_the_design_size_is_counted_without_building_it():
    spec = {"seam.height_m": "0.7:1.0:100000000", "operation.shield_control": ["manual", "automated"]}
    assert design_size("grid", spec) == 200_000_000
    assert design_size("lhs", {"seam.height_m": "0.7:1.0"}) == 10
    assert design_size("sobol", {"seam.height_m": "0.7:1.0", "roof.convergence_mm": "20:60"}, 8) == 32
    assert design_size("sobol", {"seam.height_m": "0.7:1.0"}, 8, second_order=True) == 32
    assert design_size("morris", {"seam.height_m": "0.7:1.0"}, 5) == 10


def test_a_huge_sweep_is_refused_at_once(capsys):
    started = time.perf_counter()
    assert main(["sweep", AFTER, "--vary", "seam.height_m=0.7:1.0:100000000", "-n", "1"]) == 2
    assert time.perf_counter() - started < 5
    err = capsys.readouterr().err
    assert "100,000,000 point(s) × 1 replication(s) = 100,000,000 runs, more than --max-runs 1,000,000" in err
    assert main(["sweep", AFTER, "--vary", "seam.height_m=0.7,0.8,0.9", "-n", "4", "--max-runs", "10"]) == 2
    assert "12 runs, more than --max-runs 10" in capsys.readouterr().err
    assert main(["run", AFTER, "-n", "5000000"]) == 2
    assert "5,000,000 runs" in capsys.readouterr().err


def test_run_experiment_refuses_more_runs_than_max_runs(after):
    with pytest.raises(ValueError, match="more than the 10 allowed"):
        run_experiment(after, 11, executor="serial", max_runs=10)
    assert len(run_experiment(after, 2, days=0.5, executor="serial", max_runs=None).runs) == 2
