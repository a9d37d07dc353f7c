"""The figures the docs quote are generated from the code and have not drifted.

``make docs`` (``tools/make_docs.py``) simulates the bundled scenarios, stores the figures in
``docs/generated/figures.json`` with the model code hash, and writes them between
``<!-- BEGIN generated:NAME -->`` and ``<!-- END generated:NAME -->`` markers. These tests are
cheap (no simulation): they render the blocks from figures.json and compare, and compare the
stored model hash with the code's.
"""

from __future__ import annotations

import importlib.util
import json
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _load_tool():
    spec = importlib.util.spec_from_file_location("make_docs", ROOT / "tools" / "make_docs.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("make_docs", module)
    spec.loader.exec_module(module)
    return module


make_docs = _load_tool()


def test_figures_were_computed_by_the_current_model_code():
    figures = make_docs.read_figures()
    current = make_docs.model_code_hash()
    assert figures["model_sha256"] == current, (
        "The model code (seamsim/physics, seamsim/model, seamsim/scenario/schema.py) changed "
        "since docs/generated/figures.json was computed, so the figures the docs quote may be "
        f"stale: {make_docs.FIX_HINT}."
    )


def test_every_generated_block_equals_its_rendering_from_figures_json():
    problems = [p for p in make_docs.drift_problems() if "model code changed" not in p]
    assert not problems, "The docs' generated blocks have drifted:\n" + "\n".join(problems)


def test_figures_cover_every_bundled_scenario_with_all_runs_ok():
    figures = make_docs.read_figures()
    files = {sc["file"] for sc in figures["scenarios"].values() if sc["file"]}
    assert files == {p.name for p in (ROOT / "scenarios").glob("*.yaml")}, make_docs.FIX_HINT
    for name, sc in figures["scenarios"].items():
        assert sc["runs_ok"] == figures["settings"]["replications"], f"{name}: not every run was ok"


def _copy_docs(tmp_path: Path) -> Path:
    for name in make_docs.DOCS:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / name, tmp_path / name)
    (tmp_path / "docs" / "generated").mkdir(parents=True, exist_ok=True)
    shutil.copy(make_docs.FIGURES_PATH, tmp_path / "docs" / "generated" / "figures.json")
    return tmp_path


def test_a_hand_edit_inside_a_block_is_caught_and_render_repairs_it(tmp_path):
    root = _copy_docs(tmp_path)
    figures_path = root / "docs" / "generated" / "figures.json"
    model = root / "docs" / "model.md"
    text = model.read_text(encoding="utf-8")
    body = make_docs.blocks_in(text)["calibration"]
    edited = text.replace(body, body.replace("| cuts per day |", "| cuts per day (edited) |"))
    assert edited != text
    model.write_text(edited, encoding="utf-8")
    problems = make_docs.drift_problems(root, figures_path)
    assert any("'calibration' differs" in p and "--render" in p for p in problems), problems

    make_docs.render_docs(make_docs.read_figures(figures_path), root)
    assert model.read_text(encoding="utf-8") == text
    assert not [p for p in make_docs.drift_problems(root, figures_path) if "model code" not in p]


def test_a_figure_changed_in_figures_json_changes_the_rendered_docs(tmp_path):
    root = _copy_docs(tmp_path)
    figures_path = root / "docs" / "generated" / "figures.json"
    figures = make_docs.read_figures(figures_path)
    figures["scenarios"]["article_after_3300v"]["mean"]["rom_t_per_month"] = 12_345.0
    figures["model_sha256"] = "0" * 64
    figures_path.write_text(json.dumps(figures), encoding="utf-8")
    problems = make_docs.drift_problems(root, figures_path)
    assert any("run `make docs`" in p for p in problems), problems
    assert any("'calibration' differs" in p for p in problems), problems
    assert any("'scenario-table' differs" in p for p in problems), problems
    make_docs.render_docs(figures, root)
    assert "12,300 ±" in (root / "docs" / "model.md").read_text(encoding="utf-8")


def test_a_removed_block_is_reported(tmp_path):
    root = _copy_docs(tmp_path)
    scen = root / "docs" / "scenarios.md"
    text = scen.read_text(encoding="utf-8")
    scen.write_text(make_docs.BLOCK_RE.sub("", text), encoding="utf-8")
    problems = make_docs.drift_problems(root, root / "docs" / "generated" / "figures.json")
    assert any("'scenario-table' appears 0 times" in p for p in problems), problems


@pytest.mark.parametrize("value, step, text", [(47_712.4, 100, "47,700"), (1_149.0, 100, "1,100")])
def test_thousands_rounds_to_the_step(value, step, text):
    assert make_docs.thousands(value, step) == text
