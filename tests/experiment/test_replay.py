"""A stored run replays to the same bits (``seamsim run --replay DIR#ROW``)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from seamsim.experiment.designs import grid
from seamsim.experiment.replay import parse_row_reference, replay_run
from seamsim.experiment.runner import run_experiment
from seamsim.experiment.store import StoreError
from seamsim.scenario import load_scenario


@pytest.fixture(scope="module")
def stored(tmp_path_factory):
    out = tmp_path_factory.mktemp("replay") / "exp"
    scenario = load_scenario("article_before_1140v")
    run_experiment(scenario, 2, seed=7, days=2, design=grid({"seam.height_m": [0.8, 0.9]}), executor="serial", out=out)
    return out


def test_every_stored_row_replays_bit_for_bit(stored):
    for k in range(4):
        again = replay_run(f"{stored}#{k}")
        assert again.identical, again.differences
        assert again.result.seed_entropy == 7
        assert again.result.spawn_key == (int(again.stored["replication"]),)
        assert again.result.scenario_sha256 == again.stored["scenario_sha256"]


def test_a_row_by_its_key(stored):
    again = replay_run(f"{stored}#article_before_1140v/1/1")
    assert (again.stored["point"], again.stored["replication"]) == (1, 1)
    assert again.identical


def test_a_changed_seed_is_caught(stored, tmp_path):
    import shutil

    copy = tmp_path / "copy"
    shutil.copytree(stored, copy)
    manifest = json.loads((copy / "manifest.json").read_text())
    manifest["seed"] = 8
    (copy / "manifest.json").write_text(json.dumps(manifest))
    again = replay_run(f"{copy}#0")
    assert not again.identical and "rom_t_per_month" in again.differences


def test_bad_references(stored):
    with pytest.raises(StoreError, match="no row 9"):
        replay_run(f"{stored}#9")
    with pytest.raises(StoreError, match="no run"):
        replay_run(f"{stored}#nosuch/0/0")
    with pytest.raises(ValueError, match="DIR#K"):
        parse_row_reference(f"{stored}#a/b")


def test_the_cli_exit_status(stored):
    def run(*args):
        code = "import sys; from seamsim.cli import main; sys.exit(main(sys.argv[1:]))"
        return subprocess.run([sys.executable, "-c", code, "run", *args], capture_output=True, text=True)

    ok = run("--replay", f"{stored}#3", "--json")
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)["identical"] is True
    assert run("--replay", f"{stored}#99").returncode == 2
    assert run("--replay", f"{stored}#0", "scenarios/article_after_3300v.yaml").returncode == 2
    assert run().returncode == 2
