"""Bad input to the loader: special files, control characters, booleans and text where a
number is expected, YAML 1.1 number surprises, extends naming, wrong-section hints, override
blame, and output that stays short and printable."""

from __future__ import annotations

import os
import stat
import typing

import pytest
from text_checks import one_clean_line, write

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
from seamsim.scenario.fields import field_paths
from seamsim.scenario.issues import MAX_SHOWN_ISSUES
from seamsim.scenario.schema_walk import _field_at, _model_at
from seamsim.scenario.type_messages import _field_kind


def errors_of(call, *args, **kwargs) -> list[Issue]:
    with pytest.raises(ScenarioError) as info:
        call(*args, **kwargs)
    assert info.value.issues
    for line in str(info.value).splitlines():
        assert one_clean_line(line), line
    return info.value.issues


def only_issue(call, *args, **kwargs) -> Issue:
    issues = errors_of(call, *args, **kwargs)
    assert len(issues) == 1, [str(i) for i in issues]
    return issues[0]


def fields_of_kind(*kinds: str) -> list[tuple[str, ...]]:
    return [p for p in field_paths() if _field_kind(_field_at(p)) in kinds]


NUMERIC = fields_of_kind("number", "whole", "choice-number")
BOOLEAN = fields_of_kind("bool")


def nested(path: tuple[str, ...], value: object) -> dict:
    data: object = value
    for part in reversed(path):
        data = {part: data}
    return data  # type: ignore[return-value]


def flow_yaml(path: tuple[str, ...], value_text: str) -> str:
    text = value_text
    for part in reversed(path[1:]):
        text = f"{{{part}: {text}}}"
    return f"{path[0]}: {text}\n"


# --------------------------------------------------------------------------------------
# 1. Special files are refused before they are opened
# --------------------------------------------------------------------------------------
@pytest.mark.timeout(20)
@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_fifo_is_refused_as_the_file_and_as_extends(tmp_path):
    os.mkfifo(tmp_path / "p.yaml")
    issue = only_issue(load_scenario, tmp_path / "p.yaml")
    assert "named pipe" in issue.message and "refused" in issue.message
    child = write(tmp_path, "x.yaml", "extends: p.yaml\n")
    issue = only_issue(load_scenario, child)
    assert (issue.file, issue.line, issue.column, issue.path) == (str(child), 1, 1, "extends")
    assert issue.message.startswith(f"{tmp_path / 'p.yaml'}: is a named pipe (FIFO)")
    issue = only_issue(load_scenario_text, "extends: p.yaml\n", base_dir=tmp_path)
    assert "named pipe" in issue.message


@pytest.mark.timeout(20)
def test_device_and_directory_are_refused(tmp_path):
    if os.path.exists("/dev/null") and stat.S_ISCHR(os.stat("/dev/null").st_mode):
        assert "character device" in only_issue(load_scenario, "/dev/null").message
        issue = only_issue(load_scenario, write(tmp_path, "x.yaml", "extends: /dev/null\n"))
        assert issue.line == 1 and "/dev/null: is a character device" in issue.message
    (tmp_path / "sub").mkdir()
    issue = only_issue(load_scenario, write(tmp_path, "y.yaml", "extends: sub\n"))
    assert issue.line == 1 and "sub: is a directory" in issue.message


# --------------------------------------------------------------------------------------
# 2, 4. Control characters: file:line:col, one line, no reader errors
# --------------------------------------------------------------------------------------
@pytest.mark.parametrize("char", ["\x07", "\x00", "\x1b", "\x7f", "\ufffe"])
def test_control_character_in_a_file_is_located(tmp_path, char):
    path = tmp_path / "c.yaml"
    path.write_text(f"name: c\ntitle: ab{char}c\n", encoding="utf-8")
    issue = only_issue(load_scenario, path)
    assert (issue.file, issue.line, issue.column) == (str(path), 2, 10)
    assert f"U+{ord(char):04X}" in issue.message
    assert "ReaderError" not in issue.message and "\n" not in str(issue)


def test_lone_surrogate_in_text_is_located():
    issue = only_issue(load_scenario_text, "seam:\n  height_m: 0.8\ntitle: a\udcff\n")
    assert (issue.line, issue.column) == (3, 9)
    assert "surrogate" in issue.message
    assert one_clean_line(str(issue))


def test_escaped_control_character_in_a_value_is_refused_at_its_key(tmp_path):
    issue = only_issue(load_scenario, write(tmp_path, "t.yaml", 'title: "a\\x07b"\n'))
    assert (issue.line, issue.path) == (1, "title")
    assert "U+0007" in issue.message and "\\x07" in str(issue)


def test_nul_in_an_extends_name_is_located(tmp_path):
    issue = only_issue(load_scenario, write(tmp_path, "n.yaml", 'extends: "a\\0b.yaml"\n'))
    assert (issue.line, issue.path) == (1, "extends")
    assert "U+0000" in issue.message and "ValueError" not in issue.message


def test_nul_in_the_file_name():
    assert "NUL" in only_issue(load_scenario, "a\0b.yaml").message


@pytest.mark.parametrize("value", ["a\x07", "a\x00b", "\x1b[31m", "a\udcff", "\ud800"])
def test_control_characters_in_overrides_are_refused(value):
    for call in (
        lambda: load_scenario_text("name: x\n", overrides={"title": value}),
        lambda: apply_overrides(Scenario(), {"title": value}),
        lambda: apply_overrides(Scenario(), parse_overrides([f"title={value}"])),
    ):
        issue = only_issue(call)
        assert (issue.file, issue.path) == ("--set", "title")
        assert "not allowed" in issue.message


def test_tabs_and_line_breaks_stay_allowed_in_text():
    sc = load_scenario_text('description: "one\\ttwo\\nthree"\n')
    assert sc.description == "one\ttwo\nthree"


# --------------------------------------------------------------------------------------
# 3. No booleans or text where a number is expected, anywhere
# --------------------------------------------------------------------------------------
def test_the_schema_has_the_fields_the_tests_walk():
    assert len(NUMERIC) > 90 and len(BOOLEAN) >= 5


@pytest.mark.parametrize("word", ["on", "yes", "true", "off", "no", "false"])
def test_boolean_words_are_refused_for_every_numeric_field_in_yaml(word):
    for path in NUMERIC:
        issue = only_issue(load_scenario_text, flow_yaml(path, word), source="b.yaml")
        assert issue.path == ".".join(path)
        assert (issue.file, issue.line) == ("b.yaml", 1)
        assert "got the boolean" in issue.message, issue


def test_booleans_are_refused_for_every_numeric_field_in_overrides(tmp_path):
    base = write(tmp_path, "base.yaml", "name: base\n")
    for path in NUMERIC:
        dotted = ".".join(path)
        for value in (True, False):
            for call, args, kwargs in (
                (load_scenario, (base,), {"overrides": {dotted: value}}),
                (load_scenario_text, ("name: t\n",), {"overrides": {dotted: value}}),
                (apply_overrides, (Scenario(), {dotted: value}), {}),
                (apply_overrides, ({}, nested(path, value)), {}),
            ):
                issue = only_issue(call, *args, **kwargs)
                assert issue.path == dotted and "got the boolean" in issue.message


def test_quoted_numbers_are_refused_for_every_numeric_field():
    for path in NUMERIC:
        default = _field_at(path).get_default(call_default_factory=True)
        if default is None:
            default = 1
        issue = only_issue(load_scenario_text, flow_yaml(path, f"'{default}'"))
        assert issue.path == ".".join(path)
        assert f"got the text '{default}' — write {default} without quotes" in issue.message


def test_float_and_literal_fields_give_the_same_rule_for_quoted_numbers():
    text = "seam: {height_m: '0.8'}\nelectrical: {supply_voltage_v: '3300'}\n"
    first, second = errors_of(load_scenario_text, text, source="s.yaml")
    assert str(first) == (
        "s.yaml:1:8: seam.height_m: expected a number in m, got the text '0.8' — write 0.8 "
        "without quotes"
    )
    assert str(second) == (
        "s.yaml:2:14: electrical.supply_voltage_v: expected one of 1140, 3300 [V], got the "
        "text '3300' — write 3300 without quotes"
    )


def test_the_examples_of_the_report():
    issue = only_issue(load_scenario_text, "seam: {height_m: on}\n", source="x.yaml")
    assert str(issue).startswith(
        "x.yaml:1:8: seam.height_m: expected a number in m, got the boolean true"
    )
    issue = only_issue(load_scenario_text, "crew:\n  patrol: no\n", source="x.yaml")
    assert str(issue).startswith(
        "x.yaml:2:3: crew.patrol: expected a whole number in persons, got the boolean false"
    )


def test_numbers_and_text_are_refused_for_true_false_fields():
    for path in BOOLEAN:
        for value_text in ("1", "0", "'yes'", "'true'"):
            issue = only_issue(load_scenario_text, flow_yaml(path, value_text))
            assert issue.path == ".".join(path)
            assert "expected true or false" in issue.message
    sc = load_scenario_text("operation: {remote_control: no}\nrun: {seam_variability: off}\n")
    assert sc.operation.remote_control is False and sc.run.seam_variability is False


def test_a_number_with_its_unit_still_gets_the_unit_hint():
    issue = only_issue(load_scenario_text, "face:\n  length_m: 150 m\n")
    assert "write the number alone; this field is in m" in issue.message


def test_numbers_and_null_are_still_fine():
    sc = load_scenario_text(
        "seam: {height_m: 1}\nmachine: {set_cutting_speed_m_per_min: ~}\n"
        "electrical: {supply_voltage_v: 1140}\n",
        overrides={"face.length_m": 200, "crew.patrol": 3},
    )
    assert (sc.seam.height_m, sc.face.length_m, sc.crew.patrol) == (1.0, 200.0, 3)
    assert sc.machine.set_cutting_speed_m_per_min is None


# --------------------------------------------------------------------------------------
# 9. YAML numbers read as YAML 1.2 writes them
# --------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("field", "text", "value"),
    [
        ("electrical.cable_length_m", "050", 50.0),
        ("crew.patrol", "05", 5),
        ("face.length_m", "0150", 150.0),
        ("seam.depth_m", "1e3", 1000.0),
        ("machine.cutting_power_kw", "6E2", 600.0),
        ("face.length_m", "1.5e2", 150.0),
    ],
)
def test_leading_zeros_are_decimal_and_exponents_are_numbers(field, text, value):
    section, name = field.split(".")
    sc = load_scenario_text(f"{section}: {{{name}: {text}}}\n")
    assert getattr(getattr(sc, section), name) == value
    assert parse_overrides([f"{field}={text}"]) == {field: value}


def test_a_large_exponent_is_shown_as_a_number_not_quoted():
    issue = only_issue(load_scenario_text, "seam: {depth_m: 1e9}\n")
    assert "'1e9'" not in issue.message and "is above the maximum 2000.0 [m]" in issue.message


def test_parse_overrides_reads_yaml_1_2_numbers_and_keeps_text_fields_as_text():
    assert parse_overrides(["crew.patrol=05", "seam.depth_m=1e3", "title=2024", "name=050"]) == {
        "crew.patrol": 5,
        "seam.depth_m": 1000.0,
        "title": "2024",
        "name": "050",
    }
    assert parse_overrides(["title='quoted'", "title=a # b"]) == {"title": "a # b"}
    assert parse_overrides(["title='quoted'"]) == {"title": "quoted"}


def test_sexagesimal_is_text_not_a_number():
    issue = only_issue(load_scenario_text, "face: {length_m: 1:30}\n")
    assert "got the text '1:30'" in issue.message


# --------------------------------------------------------------------------------------
# 5. extends names the file that is missing or bad
# --------------------------------------------------------------------------------------
def test_missing_extends_target_is_named(tmp_path):
    path = write(tmp_path, "e.yaml", "extends: nope.yaml\n")
    issue = only_issue(load_scenario, path)
    assert str(issue) == f"{path}:1:1: extends: {tmp_path / 'nope.yaml'}: file not found"


def test_oversized_and_too_long_extends_targets_are_named(tmp_path):
    big = tmp_path / "big.yaml"
    big.write_bytes(b"#" * (MAX_FILE_BYTES + 1))
    issue = only_issue(load_scenario, write(tmp_path, "a.yaml", "extends: big.yaml\n"))
    assert "big.yaml: larger than 1,000,000 bytes" in issue.message
    long_name = "x" * 5000 + ".yaml"
    issue = only_issue(load_scenario, write(tmp_path, "b.yaml", f"extends: {long_name}\n"))
    assert "file name too long" in issue.message
    assert issue.message.endswith("xxx.yaml: file name too long")
    assert len(str(issue)) < 400


def test_not_utf8_extends_target_is_named(tmp_path):
    (tmp_path / "bin.yaml").write_bytes(b"name: a\ntitle: \xff\n")
    issue = only_issue(load_scenario, write(tmp_path, "a.yaml", "extends: bin.yaml\n"))
    assert "bin.yaml: not UTF-8 text" in issue.message and issue.line == 1
    issue = only_issue(load_scenario, tmp_path / "bin.yaml")
    assert (issue.line, issue.column) == (2, 8)


# --------------------------------------------------------------------------------------
# 6. A key of another section says where it belongs
# --------------------------------------------------------------------------------------
def _sections() -> list[tuple[str, ...]]:
    return [()] + [p for p in field_paths() if _field_kind(_field_at(p)) == "section"]


def test_every_field_name_in_every_other_section_says_where_it_belongs():
    names = {p[-1] for p in field_paths()}
    checked = 0
    for section in _sections():
        model = _model_at(section)
        for name in sorted(names - set(model.model_fields)):
            if not section:
                text = f"{name}: 1\n"
            else:
                text = flow_yaml(section, f"{{{name}: 1}}")
            issues = [i for i in errors_of(load_scenario_text, text) if i.path.endswith(name)]
            homes = {".".join(p[:-1]) or "the top level" for p in field_paths() if p[-1] == name}
            assert len(issues) == 1, text
            assert "belongs in" in issues[0].message, issues[0]
            assert any(f"`{home}`" in issues[0].message for home in homes), issues[0]
            checked += 1
    assert checked > 1000


def test_the_wrong_section_example_of_the_report():
    issue = only_issue(load_scenario_text, "electrical: {length_m: 150}\n", source="w.yaml")
    assert str(issue) == "w.yaml:1:14: electrical.length_m: unknown key here — `length_m` belongs in `face`"


def test_a_near_key_is_still_suggested():
    issue = only_issue(load_scenario_text, "machine: {machine_hieght_mm: 600}\n")
    assert "did you mean `machine_height_mm`?" in issue.message


# --------------------------------------------------------------------------------------
# 7. Override problems are blamed on the override, not the file
# --------------------------------------------------------------------------------------
def test_unknown_override_section_is_blamed_on_the_override(tmp_path):
    path = write(tmp_path, "w.yaml", "name: w\n")
    issue = only_issue(load_scenario, path, overrides={"nosuch.key": 1})
    assert (issue.file, issue.line, issue.path) == ("--set", None, "nosuch")


def test_a_section_rule_broken_by_an_override_is_blamed_on_it(tmp_path):
    path = write(tmp_path, "c.yaml", "calendar:\n  production_shifts_per_day: 2\n")
    issue = only_issue(load_scenario, path, overrides={"calendar.shifts_per_day": 1})
    assert (issue.file, issue.path) == ("--set", "calendar")
    issue = only_issue(load_scenario, write(tmp_path, "d.yaml", "calendar: {shifts_per_day: 1}\n"))
    assert (issue.file, issue.line) == (str(tmp_path / "d.yaml"), 1)


# --------------------------------------------------------------------------------------
# 9, 10. Short, printable output
# --------------------------------------------------------------------------------------
def test_long_values_and_keys_are_clipped():
    long = "v" * 10_000
    issues = errors_of(
        load_scenario_text, f"name: {long}\nseam: {{{long}: 1}}\nface: {{length_m: {long}}}\n"
    )
    for issue in issues:
        assert len(str(issue)) < 800, str(issue)[:200]


def test_many_problems_print_the_first_twenty_and_a_count():
    text = "seam:\n" + "".join(f"  k{i}: {i}\n" for i in range(3000))
    with pytest.raises(ScenarioError) as info:
        load_scenario_text(text)
    assert len(info.value.issues) == 3000
    lines = str(info.value).splitlines()
    assert len(lines) == MAX_SHOWN_ISSUES + 1
    assert lines[-1] == f"… and {3000 - MAX_SHOWN_ISSUES:,} more problems"
    assert len(str(info.value)) < 10_000


def test_issue_text_escapes_line_breaks_and_controls():
    issue = Issue("a\nb\udcff.yaml", 1, 2, "x", "bad\x1b[31m value\r\n")
    assert str(issue) == "a\\nb\\udcff.yaml:1:2: x: bad\\x1b[31m value\\r\\n"


def test_literal_annotations_are_numbers_or_choices():
    kinds = {_field_kind(_field_at(p)) for p in field_paths()}
    assert kinds <= {"number", "whole", "choice-number", "bool", "text", "choice", "section"}
    assert typing.get_args(_field_at(("electrical", "supply_voltage_v")).annotation) == (1140, 3300)


@pytest.mark.parametrize("value", [int("9" * 1330), -(10**400), 10**20, 1e301])
@pytest.mark.parametrize("field", ["seam.height_m", "crew.patrol", "electrical.supply_voltage_v"])
def test_huge_numbers_get_a_short_message_with_the_range(field, value):
    issue = only_issue(apply_overrides, Scenario(), {field: value})
    assert issue.path == field and len(str(issue)) < 200
    assert "maximum" in issue.message or "minimum" in issue.message or "1140, 3300" in issue.message


def test_numpy_booleans_are_booleans_too():
    np = pytest.importorskip("numpy")
    issue = only_issue(apply_overrides, Scenario(), {"seam.height_m": np.True_})
    assert "got the boolean true" in issue.message
    assert apply_overrides(Scenario(), {"operation.remote_control": np.False_}).operation.remote_control is False
    assert apply_overrides(Scenario(), {"seam.height_m": np.float64(0.7)}).seam.height_m == 0.7
