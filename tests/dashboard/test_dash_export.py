"""Downloads: the results zip reads back with the same numbers, and a settings file holds
only what differs from the preset, under a new name."""

from __future__ import annotations

import io
import json
import zipfile

import pandas as pd
import pytest
import yaml

import dashboard
import seamsim
from dashboard import charts, export


@pytest.fixture(scope="module")
def after() -> seamsim.Scenario:
    return seamsim.load_scenario(dashboard.scenario_dir() / f"{dashboard.ARTICLE_AFTER}.yaml")


@pytest.fixture(scope="module")
def runs(after) -> pd.DataFrame:
    before = seamsim.load_scenario(dashboard.scenario_dir() / f"{dashboard.ARTICLE_BEFORE}.yaml")
    return dashboard.experiment_runs([before, after], 3, 7, days=2)


def test_the_zip_reads_back_with_the_same_numbers(runs, after):
    fig = charts.tonnage_distribution(runs)
    data = export.results_zip(runs, [after], seed=7, replications=3, page="compare", figures={"output": fig})
    zf = zipfile.ZipFile(io.BytesIO(data))
    names = set(zf.namelist())
    assert {"runs.parquet", "runs.csv", "seeds.csv", "manifest.json", f"scenarios/{after.name}.yaml"} <= names
    assert any(n.startswith("charts/") for n in names)
    back = pd.read_parquet(io.BytesIO(zf.read("runs.parquet")))
    numeric = [c for c in runs.columns if pd.api.types.is_numeric_dtype(runs[c])]
    assert "rom_t_per_month" in numeric
    pd.testing.assert_frame_equal(back[numeric], runs[numeric].reset_index(drop=True))  # raw, bit for bit
    csv = pd.read_csv(io.BytesIO(zf.read("runs.csv")))
    assert csv["rom_t_per_month"].tolist() == pytest.approx(runs["rom_t_per_month"].tolist(), rel=1e-15)
    manifest = json.loads(zf.read("manifest.json"))
    assert manifest["seed"] == 7 and manifest["replications"] == 3 and manifest["seamsim_version"]
    assert manifest["created_at"] and "runs.parquet" in manifest["files"]
    seeds = pd.read_csv(io.BytesIO(zf.read("seeds.csv")))
    assert len(seeds) == 6 and set(seeds["experiment_seed"]) == {7}
    scenario = seamsim.Scenario.model_validate(yaml.safe_load(zf.read(f"scenarios/{after.name}.yaml")))
    assert scenario == after


def test_settings_hold_only_what_differs_under_a_new_name(after):
    mine = seamsim.apply_overrides(after, {"seam.height_m": 0.7, "machine.cutting_power_kw": 500.0})
    text = export.settings_yaml(mine, after, name="class_thin_seam", title="Thin seam", description="0.7 m",
                                extends=f"{dashboard.ARTICLE_AFTER}.yaml")
    data = yaml.safe_load(text)
    assert data["name"] == "class_thin_seam" and data["name"] != after.name
    assert data["extends"] == f"{dashboard.ARTICLE_AFTER}.yaml"
    assert {k: v for k, v in data.items() if k not in ("extends", "name", "title", "description")} == {
        "seam": {"height_m": 0.7}, "machine": {"cutting_power_kw": 500.0}}
    loaded, _ = dashboard.read_upload(text.encode("utf-8"), "mine.yaml")  # extends resolves to the bundled file
    assert loaded.seam.height_m == 0.7 and loaded.machine.cutting_power_kw == 500.0
    assert loaded.model_dump(exclude={"name", "title", "description"}) == mine.model_dump(
        exclude={"name", "title", "description"})


def test_settings_without_a_bundled_preset_are_complete(after):
    mine = seamsim.apply_overrides(after, {"seam.height_m": 0.7})
    data = yaml.safe_load(export.settings_yaml(mine, after, name="x2", title="t", description="d"))
    assert "extends" not in data and data["seam"]["height_m"] == 0.7
    assert seamsim.Scenario.model_validate(data).model_dump(exclude={"name", "title", "description"}) == \
        mine.model_dump(exclude={"name", "title", "description"})
