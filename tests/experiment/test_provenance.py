"""Provenance: the model hash follows the model code, scenario hashes the scenarios, and the
manifest and every ``--json`` output carry the record."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

import seamsim
from seamsim import run_experiment
from seamsim.experiment.provenance import (
    git_state,
    model_files,
    model_hash,
    provenance,
    scenario_hash,
)
from seamsim.experiment.store import read_manifest
from seamsim.scenario import apply_overrides

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "seamsim"
AFTER = str(ROOT / "scenarios" / "article_after_3300v.yaml")
BEFORE = str(ROOT / "scenarios" / "article_before_1140v.yaml")
KEYS = {"seamsim_version", "git", "command_line", "model_sha256", "scenario_sha256", "environment"}


@pytest.fixture()
def tree(tmp_path):
    """A copy of the package's model sources (nothing else is hashed)."""
    copy = tmp_path / "seamsim"
    for path in model_files(PACKAGE):
        target = copy / path.relative_to(PACKAGE)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target)
    return copy


def test_the_model_hash_changes_when_model_code_changes(tree):
    original = model_hash(tree)
    assert original == model_hash(PACKAGE)  # the same bytes hash alike wherever they are
    face = tree / "model" / "face.py"
    face.write_text(face.read_text() + "\n# a change\n")
    changed = model_hash(tree)
    assert changed != original
    (tree / "physics" / "new_law.py").write_text("X = 1\n")
    assert model_hash(tree) not in (original, changed)
    (tree / "physics" / "new_law.py").unlink()
    face.write_text(face.read_text().removesuffix("\n# a change\n"))
    assert model_hash(tree) == original
    schema = tree / "scenario" / "schema.py"
    schema.write_text(schema.read_text().replace("seam", "coal", 1))
    assert model_hash(tree) != original


def test_files_outside_the_model_do_not_change_the_hash(tree):
    original = model_hash(tree)
    (tree / "experiment").mkdir()
    (tree / "experiment" / "runner.py").write_text("# not the model\n")
    (tree / "model" / "__pycache__").mkdir()
    (tree / "model" / "__pycache__" / "face.cpython-311.pyc").write_bytes(b"\0")
    assert model_hash(tree) == original


def test_scenario_hash_is_canonical(after):
    assert scenario_hash(after) == scenario_hash(json.loads(json.dumps(after.model_dump(mode="json"))))
    assert scenario_hash(after) != scenario_hash(apply_overrides(after, {"seam.height_m": 0.81}))


def test_git_state_is_absent_outside_a_git_tree(tree):
    assert git_state(tree) is None


def test_git_state_in_the_source_tree():
    state = git_state(PACKAGE)
    if shutil.which("git") is None or state is None:
        pytest.skip("no git, or the package is not a git checkout")
    head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "HEAD"], capture_output=True, text=True).stdout
    assert state["commit"] == head.strip() and isinstance(state["dirty"], bool)


def test_the_manifest_carries_the_provenance(after, tmp_path):
    out = tmp_path / "exp"
    run_experiment(after, 1, days=0.2, executor="serial", out=out)
    manifest = read_manifest(out)
    record = manifest["provenance"]
    assert KEYS - {"environment"} <= set(record)
    assert record["model_sha256"] == model_hash(PACKAGE)
    assert record["scenario_sha256"] == {after.name: scenario_hash(after)}
    assert record["seamsim_version"] == seamsim.__version__
    assert manifest["environment"]["packages"]["numpy"]
    assert manifest["sessions"][0]["model_sha256"] == model_hash(PACKAGE)


def test_provenance_names_the_command_line(monkeypatch):
    monkeypatch.setattr("sys.argv", ["seamsim", "run", "x.yaml"])
    assert provenance()["command_line"] == ["seamsim", "run", "x.yaml"]


@pytest.mark.parametrize(
    "argv",
    [
        ["run", AFTER],
        ["compare", BEFORE, AFTER],
        ["sweep", AFTER, "--vary", "seam.height_m=0.8,0.9"],
        ["decompose", BEFORE, AFTER],
        ["inspect", AFTER],
    ],
    ids=lambda argv: argv[0],
)
def test_every_json_output_carries_the_provenance(argv, capsys):
    from seamsim.cli import main

    extra = [] if argv[0] == "inspect" else ["-n", "2", "--days", "0.2", "--executor", "serial", "--no-progress"]
    assert main([*argv, *extra, "--json"]) in (0, 1)
    record = json.loads(capsys.readouterr().out)["provenance"]
    assert KEYS <= set(record)
    assert record["model_sha256"] == model_hash(PACKAGE)
    assert record["seamsim_version"] == seamsim.__version__
    assert record["scenario_sha256"] and all(len(h) == 64 for h in record["scenario_sha256"].values())


def test_citation_file_is_cff_1_2_0_with_the_package_version():
    import yaml

    tomllib = pytest.importorskip("tomllib")  # Python 3.11+
    citation = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert citation["cff-version"] == "1.2.0"
    assert {"cff-version", "message", "title", "authors"} <= set(citation)  # required by CFF 1.2.0
    assert citation["version"] == project["version"] == seamsim.__version__
    assert citation["authors"] == [{"name": "seamsim developers"}]
    assert citation["license"] == project["license"]["text"]
    assert "repository-code" not in citation  # not known: left out rather than guessed
