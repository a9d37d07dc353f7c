"""The YAML loader: good files, extends chains, overrides, and errors written for people."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from seamsim.scenario import (
    MAX_FILE_BYTES,
    Issue,
    Scenario,
    ScenarioError,
    apply_overrides,
    load_scenario,
    load_scenario_text,
    parse_overrides,
)


def write(directory: Path, name: str, text: str) -> Path:
    path = directory / name
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def errors_of(call, *args, **kwargs) -> list[Issue]:
    with pytest.raises(ScenarioError) as info:
        call(*args, **kwargs)
    assert info.value.issues, "a ScenarioError must carry at least one issue"
    return info.value.issues


def only_issue(call, *args, **kwargs) -> Issue:
    issues = errors_of(call, *args, **kwargs)
    assert len(issues) == 1, [str(i) for i in issues]
    return issues[0]


BASE = """
name: base
title: Base face
description: The parent of the tests.
seam:
  height_m: 0.8
machine:
  machine_height_mm: 588
  cutting_power_kw: 600
electrical:
  supply_voltage_v: 3300
  cable_csa_mm2: 50
"""


# --------------------------------------------------------------------------------------
# Good files
# --------------------------------------------------------------------------------------
def test_good_file_loads_with_defaults_for_the_rest(tmp_path):
    sc = load_scenario(write(tmp_path, "base.yaml", BASE))
    assert isinstance(sc, Scenario)
    assert sc.name == "base"
    assert sc.title == "Base face"
    assert sc.seam.height_m == 0.8
    assert sc.machine.machine_height_mm == 588
    assert sc.electrical.supply_voltage_v == 3300
    assert sc.face.length_m == Scenario().face.length_m  # a default


def test_path_may_be_a_string(tmp_path):
    path = write(tmp_path, "base.yaml", BASE)
    assert load_scenario(str(path)) == load_scenario(path)


def test_file_without_a_name_is_named_after_its_stem(tmp_path):
    sc = load_scenario(write(tmp_path, "thin seam v2.yaml", "seam:\n  height_m: 0.7\n"))
    assert sc.name == "thin_seam_v2"


def test_comments_anchors_and_merge_keys_are_fine(tmp_path):
    path = write(
        tmp_path,
        "anchors.yaml",
        """
        # a comment
        failures:
          shearer: &common
            mean_time_between_failures_h: 50
            repair_median_h: 2
          conveyor:
            <<: *common
            repair_median_h: 3   # the explicit key wins over the merged one
    """,
    )
    sc = load_scenario(path)
    assert sc.failures.shearer.mean_time_between_failures_h == 50
    assert sc.failures.conveyor.mean_time_between_failures_h == 50
    assert sc.failures.conveyor.repair_median_h == 3


def test_load_scenario_text():
    sc = load_scenario_text("name: upload\nseam: {height_m: 0.9}\n", source="upload.yaml")
    assert sc.name == "upload"
    assert sc.seam.height_m == 0.9
    assert load_scenario_text("seam: {height_m: 0.9}\n", source="my-face.yaml").name == "my-face"
    assert load_scenario_text("seam: {height_m: 0.9}\n").name == Scenario().name


# --------------------------------------------------------------------------------------
# extends
# --------------------------------------------------------------------------------------
def test_extends_deep_merges_and_replaces_name_title_description(tmp_path):
    write(tmp_path, "base.yaml", BASE)
    child = write(
        tmp_path,
        "child.yaml",
        """
        extends: base.yaml
        name: child
        title: Child face
        electrical:
          supply_voltage_v: 1140
          cable_csa_mm2: 95
    """,
    )
    sc = load_scenario(child)
    assert (sc.name, sc.title) == ("child", "Child face")
    assert sc.description == ""  # not inherited
    assert sc.electrical.supply_voltage_v == 1140
    assert sc.electrical.cable_csa_mm2 == 95
    assert sc.machine.machine_height_mm == 588  # from the parent
    assert sc.seam.height_m == 0.8  # from the parent


def test_extends_child_without_name_gets_its_own_stem(tmp_path):
    write(tmp_path, "base.yaml", BASE)
    sc = load_scenario(
        write(tmp_path, "what_if.yaml", "extends: base.yaml\nseam:\n  height_m: 0.7\n")
    )
    assert sc.name == "what_if"
    assert sc.title == ""


def test_extends_chain_with_relative_paths(tmp_path):
    (tmp_path / "lib").mkdir()
    (tmp_path / "runs").mkdir()
    write(tmp_path / "lib", "base.yaml", BASE)
    write(
        tmp_path / "lib", "middle.yaml", "extends: base.yaml\nmachine:\n  cutting_power_kw: 800\n"
    )
    top = write(
        tmp_path / "runs", "top.yaml", "extends: ../lib/middle.yaml\nseam:\n  height_m: 0.9\n"
    )
    sc = load_scenario(top)
    assert sc.machine.cutting_power_kw == 800
    assert sc.machine.machine_height_mm == 588
    assert sc.seam.height_m == 0.9


def test_extends_cycle_is_refused_with_the_chain(tmp_path):
    write(tmp_path, "a.yaml", "extends: b.yaml\n")
    write(tmp_path, "b.yaml", "seam:\n  height_m: 0.8\nextends: a.yaml\n")
    issue = only_issue(load_scenario, tmp_path / "a.yaml")
    assert "cycle" in issue.message
    assert "a.yaml" in issue.message and "b.yaml" in issue.message
    assert issue.path == "extends"
    assert issue.file.endswith("b.yaml")
    assert issue.line == 3


def test_extends_itself_is_a_cycle(tmp_path):
    issue = only_issue(load_scenario, write(tmp_path, "self.yaml", "extends: self.yaml\n"))
    assert "cycle" in issue.message


def test_extends_missing_parent_points_at_the_extends_line(tmp_path):
    path = write(tmp_path, "child.yaml", "name: child\nextends: nowhere.yaml\n")
    issue = only_issue(load_scenario, path)
    assert "not found" in issue.message
    assert issue.line == 2
    assert issue.file == str(path)


def test_extends_must_be_a_string(tmp_path):
    issue = only_issue(load_scenario, write(tmp_path, "child.yaml", "extends: [a.yaml]\n"))
    assert issue.path == "extends"
    assert issue.line == 1


def test_error_in_the_parent_names_the_parent_file_and_line(tmp_path):
    write(tmp_path, "base.yaml", BASE.replace("height_m: 0.8", "height_m: 80"))
    child = write(tmp_path, "child.yaml", "extends: base.yaml\nname: child\n")
    issue = only_issue(load_scenario, child)
    assert issue.file.endswith("base.yaml")
    assert issue.path == "seam.height_m"
    assert issue.line == 5


def test_child_value_fixes_the_parent(tmp_path):
    write(tmp_path, "base.yaml", BASE.replace("height_m: 0.8", "height_m: 80"))
    child = write(tmp_path, "child.yaml", "extends: base.yaml\nseam:\n  height_m: 0.85\n")
    assert load_scenario(child).seam.height_m == 0.85


def test_text_extends_needs_and_stays_in_a_base_dir(tmp_path):
    write(tmp_path, "base.yaml", BASE)
    issue = only_issue(load_scenario_text, "extends: base.yaml\n")
    assert issue.path == "extends"
    sc = load_scenario_text("extends: base.yaml\nname: up\n", base_dir=tmp_path)
    assert sc.machine.machine_height_mm == 588
    (tmp_path / "inner").mkdir()
    issue = only_issue(load_scenario_text, "extends: ../base.yaml\n", base_dir=tmp_path / "inner")
    assert issue.path == "extends"
    assert "inside" in issue.message


# --------------------------------------------------------------------------------------
# Overrides
# --------------------------------------------------------------------------------------
def test_parse_overrides_reads_yaml_scalars():
    assert parse_overrides(
        [
            "seam.height_m=0.75",
            "electrical.supply_voltage_v=1140",
            "operation.remote_control=false",
            "operation.shield_control=manual",
            "machine.set_cutting_speed_m_per_min=",
            "title=Before: the old face",
        ]
    ) == {
        "seam.height_m": 0.75,
        "electrical.supply_voltage_v": 1140,
        "operation.remote_control": False,
        "operation.shield_control": "manual",
        "machine.set_cutting_speed_m_per_min": None,
        "title": "Before: the old face",
    }


@pytest.mark.parametrize("item", ["seam.height_m", "=0.8", "seam..height_m=1", "seam.height m=1"])
def test_parse_overrides_refuses_malformed_items(item):
    issue = only_issue(parse_overrides, [item])
    assert issue.file == "--set"


def test_load_with_overrides(tmp_path):
    path = write(tmp_path, "base.yaml", BASE)
    sc = load_scenario(
        path,
        overrides={
            "seam.height_m": 0.75,
            "failures.shearer.mean_time_between_failures_h": 40,
            "operation.shield_control": "manual",
        },
    )
    assert sc.seam.height_m == 0.75
    assert sc.failures.shearer.mean_time_between_failures_h == 40
    assert sc.operation.shield_control == "manual"
    assert sc.machine.machine_height_mm == 588


def test_apply_overrides_to_a_scenario_and_to_a_dict():
    base = Scenario()
    changed = apply_overrides(base, {"seam.height_m": 0.7, "crew.shield_men": 6})
    assert changed.seam.height_m == 0.7
    assert changed.crew.shield_men == 6
    assert base.seam.height_m == Scenario().seam.height_m  # unchanged: scenarios are frozen
    from_dict = apply_overrides({"seam": {"height_m": 0.9}}, {"machine.web_m": 0.7})
    assert (from_dict.seam.height_m, from_dict.machine.web_m) == (0.9, 0.7)


def test_mapping_override_sets_its_leaves_only():
    sc = apply_overrides(Scenario(), {"failures.shearer": {"enabled": False}})
    assert sc.failures.shearer.enabled is False
    assert sc.failures.shearer.distribution == Scenario().failures.shearer.distribution


def test_override_unknown_key_has_did_you_mean(tmp_path):
    path = write(tmp_path, "base.yaml", BASE)
    issue = only_issue(load_scenario, path, overrides={"seam.heigth_m": 0.7})
    assert issue.file == "--set"
    assert issue.line is None
    assert issue.path == "seam.heigth_m"
    assert "did you mean `height_m`" in issue.message
    assert str(issue).startswith("--set: seam.heigth_m: ")


def test_override_out_of_bounds_has_bounds_and_slip_hint():
    issue = only_issue(apply_overrides, Scenario(), {"seam.height_m": 750})
    assert issue.file == "--set"
    assert issue.path == "seam.height_m"
    assert "above the maximum 3.0 [m]" in issue.message
    assert "did you mean 0.75?" in issue.message


def test_override_into_a_value_is_refused():
    issue = only_issue(apply_overrides, Scenario(), {"seam.height_m.mean": 0.7})
    assert issue.file == "--set"
    assert "not a section" in issue.message


def test_override_replaces_the_file_position_in_errors(tmp_path):
    path = write(tmp_path, "base.yaml", BASE)
    issue = only_issue(load_scenario, path, overrides={"electrical.supply_voltage_v": 1000})
    assert issue.file == "--set"
    assert "1140, 3300" in issue.message


# --------------------------------------------------------------------------------------
# Bad files: field path AND line number
# --------------------------------------------------------------------------------------
def test_out_of_bounds_value_gives_file_line_path_bounds_and_unit_slip(tmp_path):
    path = write(
        tmp_path,
        "x.yaml",
        """
        name: x
        seam:
          depth_m: 1000
          height_m: 800
    """,
    )
    issue = only_issue(load_scenario, path)
    assert (issue.file, issue.line, issue.column) == (str(path), 4, 3)
    assert issue.path == "seam.height_m"
    assert (
        issue.message
        == "800 is above the maximum 3.0 [m] — did you mean 0.8? (a height in mm given in m)"
    )
    assert str(issue) == f"{path}:4:3: seam.height_m: {issue.message}"


def test_mm_field_given_in_m_suggests_mm(tmp_path):
    path = write(tmp_path, "x.yaml", "machine:\n  machine_height_mm: 0.588\n")
    issue = only_issue(load_scenario, path)
    assert (issue.path, issue.line) == ("machine.machine_height_mm", 2)
    assert "below the minimum 300.0 [mm]" in issue.message
    assert "did you mean 588?" in issue.message


def test_no_slip_hint_when_no_unit_slip_fits(tmp_path):
    issue = only_issue(load_scenario, write(tmp_path, "x.yaml", "seam:\n  height_m: 5\n"))
    assert "above the maximum 3.0 [m]" in issue.message
    assert "did you mean" not in issue.message


def test_unknown_key_has_did_you_mean_and_line(tmp_path):
    path = write(
        tmp_path,
        "x.yaml",
        """
        seam:
          height_m: 0.8
        machine:
          machine_hieght_mm: 588
    """,
    )
    issue = only_issue(load_scenario, path)
    assert (issue.path, issue.line, issue.column) == ("machine.machine_hieght_mm", 4, 3)
    assert "unknown key" in issue.message
    assert "did you mean `machine_height_mm`?" in issue.message


def test_unknown_section_has_did_you_mean(tmp_path):
    issue = only_issue(
        load_scenario, write(tmp_path, "x.yaml", "name: x\nelectric:\n  supply_voltage_v: 3300\n")
    )
    assert (issue.path, issue.line) == ("electric", 2)
    assert "did you mean `electrical`?" in issue.message


def test_key_in_the_wrong_section_says_where_it_belongs(tmp_path):
    issue = only_issue(load_scenario, write(tmp_path, "x.yaml", "seam:\n  web_m: 0.7\n"))
    assert (issue.path, issue.line) == ("seam.web_m", 2)
    assert "belongs in `machine`" in issue.message


def test_literal_field_lists_its_allowed_values(tmp_path):
    path = write(tmp_path, "x.yaml", "operation:\n  shield_control: automatic\n")
    issue = only_issue(load_scenario, path)
    assert (issue.path, issue.line) == ("operation.shield_control", 2)
    assert "manual" in issue.message and "electrohydraulic" in issue.message


def test_voltage_in_kv_gets_a_hint(tmp_path):
    issue = only_issue(
        load_scenario, write(tmp_path, "x.yaml", "electrical:\n  supply_voltage_v: 3.3\n")
    )
    assert issue.path == "electrical.supply_voltage_v"
    assert "1140, 3300" in issue.message
    assert "did you mean 3300?" in issue.message


def test_wrong_type_names_the_unit(tmp_path):
    issue = only_issue(load_scenario, write(tmp_path, "x.yaml", "face:\n  length_m: 150 m\n"))
    assert (issue.path, issue.line) == ("face.length_m", 2)
    assert "expected a number in m" in issue.message


def test_section_given_as_a_value(tmp_path):
    issue = only_issue(load_scenario, write(tmp_path, "x.yaml", "name: x\nseam: 0.8\n"))
    assert (issue.path, issue.line) == ("seam", 2)
    assert "mapping" in issue.message


def test_cross_field_rule_points_at_its_section(tmp_path):
    path = write(
        tmp_path,
        "x.yaml",
        "name: x\ncalendar:\n  shifts_per_day: 2\n  production_shifts_per_day: 3\n",
    )
    issue = only_issue(load_scenario, path)
    assert (issue.path, issue.line) == ("calendar", 2)
    assert "cannot exceed" in issue.message


def test_every_problem_is_reported_in_line_order(tmp_path):
    path = write(
        tmp_path,
        "x.yaml",
        """
        seam:
          height_m: 800
          heigth_sd_m: 0.1
        machine:
          cutting_power_kw: -5
    """,
    )
    issues = errors_of(load_scenario, path)
    assert [(i.path, i.line) for i in issues] == [
        ("seam.height_m", 2),
        ("seam.heigth_sd_m", 3),
        ("machine.cutting_power_kw", 5),
    ]
    assert len(str(ScenarioError(issues)).splitlines()) == 3


def test_duplicate_key_is_an_error(tmp_path):
    issue = only_issue(
        load_scenario, write(tmp_path, "x.yaml", "seam:\n  height_m: 0.8\n  height_m: 0.9\n")
    )
    assert (issue.path, issue.line) == ("seam.height_m", 3)
    assert "duplicate" in issue.message and "line 2" in issue.message


def test_yaml_syntax_error_has_a_line(tmp_path):
    issue = only_issue(
        load_scenario, write(tmp_path, "x.yaml", "seam:\n  height_m: 0.8\n machine: [\n")
    )
    assert issue.file.endswith("x.yaml")
    assert issue.line is not None
    assert "invalid YAML" in issue.message


def test_missing_file_and_directory(tmp_path):
    issue = only_issue(load_scenario, tmp_path / "nope.yaml")
    assert "not found" in issue.message
    issue = only_issue(load_scenario, tmp_path)
    assert "directory" in issue.message


def test_not_utf8(tmp_path):
    path = tmp_path / "x.yaml"
    path.write_bytes(b"title: \xff\xfe\n")
    assert "UTF-8" in only_issue(load_scenario, path).message


# --------------------------------------------------------------------------------------
# Safety
# --------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "tag",
    [
        "!!python/object/apply:os.system ['echo pwned']",
        "!!python/object:builtins.dict {}",
        "!!python/name:os.system",
    ],
)
def test_python_object_tags_are_refused(tmp_path, tag):
    path = write(tmp_path, "x.yaml", f"name: x\ntitle: {tag}\n")
    issue = only_issue(load_scenario, path)
    assert (issue.path, issue.line) == ("title", 2)
    assert "python/" in issue.message and "refused" in issue.message


def test_unknown_tags_are_refused(tmp_path):
    issue = only_issue(load_scenario, write(tmp_path, "x.yaml", "seam:\n  height_m: !metres 0.8\n"))
    assert (issue.path, issue.line) == ("seam.height_m", 2)
    assert "not allowed" in issue.message


def test_alias_bomb_is_refused(tmp_path):
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 10):
        refs = ", ".join([f"*a{i - 1}"] * 9)
        lines.append(f"a{i}: &a{i} [{refs}]")
    path = write(tmp_path, "bomb.yaml", "\n".join(lines) + "\n")
    issue = only_issue(load_scenario, path)
    assert "alias" in issue.message and "refused" in issue.message


def test_many_aliases_are_refused(tmp_path):
    text = "base: &b 1\nlist: [" + ", ".join(["*b"] * 150) + "]\n"
    issue = only_issue(load_scenario, write(tmp_path, "x.yaml", text))
    assert "aliases" in issue.message


def test_recursive_alias_is_refused():
    issue = only_issue(load_scenario_text, "a: &a [*a]\n")
    assert "refused" in issue.message


def test_file_over_1_mb_is_refused_before_parsing(tmp_path):
    path = tmp_path / "big.yaml"
    path.write_text("name: big\n" + "# padding\n" * (MAX_FILE_BYTES // 10 + 10), encoding="utf-8")
    assert path.stat().st_size > MAX_FILE_BYTES
    issue = only_issue(load_scenario, path)
    assert "1,000,000 bytes" in issue.message
    issue = only_issue(load_scenario_text, path.read_text(encoding="utf-8"))
    assert "refused" in issue.message


def test_file_just_under_the_limit_is_read(tmp_path):
    path = tmp_path / "padded.yaml"
    body = "name: padded\n"
    path.write_text(body + "#" * (MAX_FILE_BYTES - len(body) - 1) + "\n", encoding="utf-8")
    assert path.stat().st_size == MAX_FILE_BYTES
    assert load_scenario(path).name == "padded"


def test_deep_nesting_is_refused():
    issue = only_issue(load_scenario_text, "a: " + "[" * 5000 + "]" * 5000 + "\n")
    assert "refused" in issue.message


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("- seam\n- machine\n", "list"),
        ("just a string\n", "mapping"),
        ("42\n", "mapping"),
        ("", "empty"),
        ("# only a comment\n", "empty"),
    ],
)
def test_top_level_must_be_a_mapping(tmp_path, text, word):
    issue = only_issue(load_scenario, write(tmp_path, "x.yaml", text) if text else _empty(tmp_path))
    assert word in issue.message
    assert issue.line == 1


def _empty(tmp_path: Path) -> Path:
    path = tmp_path / "empty.yaml"
    path.write_text("", encoding="utf-8")
    return path


def test_two_documents_are_refused():
    issue = only_issue(load_scenario_text, "name: a\n---\nname: b\n")
    assert issue.line == 2


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=300))
def test_any_text_gives_a_scenario_or_a_scenario_error(text):
    try:
        assert isinstance(load_scenario_text(text), Scenario)
    except ScenarioError as error:
        assert error.issues


_yamlish = st.lists(
    st.sampled_from(
        [
            "seam:",
            "  height_m: 0.8",
            "  height_m: 800",
            "machine:",
            "  web_m: x",
            "- a",
            "  - b",
            "&a [1]",
            "*a",
            "<<: *a",
            "{",
            "}",
            "!!python/object:x {}",
            "name: ok",
            "extends: x.yaml",
            "  heigth: 1",
            "calendar: {shifts_per_day: 1, production_shifts_per_day: 2}",
            "? [a]\n: b",
        ]
    ),
    max_size=12,
).map("\n".join)


@settings(max_examples=200, deadline=None)
@given(_yamlish)
def test_yaml_like_text_gives_a_scenario_or_a_scenario_error(text):
    try:
        load_scenario_text(text)
    except ScenarioError as error:
        assert error.issues
        assert all(str(issue) for issue in error.issues)
