"""Fuzzing of bad input: scenario files through ``seamsim validate``, ``--set`` through
``seamsim inspect``, and overrides through the Python API.

Whatever the input, the answer is a scenario (exit 0) or exit 2 with one printable line per
problem, each starting with the place it came from (``file:line:col`` or ``--set``), at
most 20 of them and a count — never a traceback, never an internal error. These tests are
marked ``fuzz``: the normal run tries a few hundred cases; ``make fuzz`` tries thousands
(``SEAMSIM_FUZZ_PROFILE=seamsim-fuzz``, see ``conftest.py``).
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import sys
import types

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from text_checks import one_clean_line

from seamsim.cli import main
from seamsim.scenario import Scenario, ScenarioError, apply_overrides, load_scenario_text
from seamsim.scenario.fields import field_paths
from seamsim.scenario.issues import MAX_SHOWN_ISSUES

pytestmark = pytest.mark.fuzz

FUZZ = settings(settings.get_profile(os.environ.get("SEAMSIM_FUZZ_PROFILE", "seamsim-quick")))
LONGEST_LINE = 1500
"""A message may list a section's keys; echoed input is clipped far below this."""

FIELDS = [".".join(p) for p in field_paths()]
NAMES = sorted({p.rsplit(".", 1)[-1] for p in FIELDS})
SECTIONS = sorted({p.split(".")[0] for p in FIELDS})

# --- strategies -----------------------------------------------------------------------
_nasty_chars = st.sampled_from(
    ["\x00", "\x07", "\x1b", "\x7f", "\x85", "\t", "\r", "\u2028", "\ufeff", "\ufffe", "\udcff", "\ud800", "é", "—"]
)
_text = st.lists(st.one_of(st.characters(), _nasty_chars), max_size=30).map("".join)
_long_text = st.one_of(
    st.integers(100, 3000).map(lambda n: "v" * n),
    st.integers(100, 5000).map(lambda n: "9" * n),
    st.integers(100, 3000).map(lambda n: "'" + "1" * n + "'"),
)
_number_text = st.one_of(
    st.integers(-10**6, 10**6).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.sampled_from(["050", "0588", "1e9", "1.5e3", "1:30", ".inf", ".nan", "0x1F", "0o17", "-0", "1_000"]),
)
_scalar_text = st.one_of(
    _number_text,
    st.sampled_from(["on", "off", "yes", "no", "true", "false", "~", "null", "", "'0.8'", "'3300'", '"x"']),
    st.sampled_from(["manual", "derived", "weibull", "150 m", "0.8 m", "2024-01-01", "[1, 2]", "{a: 1}"]),
    _text,
    _long_text,
)
_key = st.one_of(st.sampled_from(NAMES + SECTIONS + ["extends", "<<"]), _text.filter(bool))


def _yaml_line(key: str, value: str, indent: bool) -> str:
    return ("  " if indent else "") + f"{key}: {value}"


_yaml_lines = st.lists(
    st.one_of(
        st.builds(_yaml_line, _key, _scalar_text, st.booleans()),
        st.sampled_from(SECTIONS).map(lambda s: f"{s}:"),
        st.sampled_from(
            ["extends: nope.yaml", "extends: sub", 'extends: "a\\0b"', "extends: parent.yaml",
             "a: &a [1]", "b: *a", "<<: *a", "{", "]", "- x", "? [a]\n: b", "---", "%YAML 1.1",
             '  title: "\\x07\\x00"', "!!python/object:os.system {}", "\t- tab"]
        ),
        _text,
    ),
    max_size=15,
).map("\n".join)
_document = st.one_of(
    _yaml_lines.map(lambda t: t.encode("utf-8", "surrogatepass")),
    st.binary(max_size=200),
)


def _set_item(key: str, value: str, sep: str) -> str:
    return f"{key}{sep}{value}"


_set_key = st.one_of(
    st.sampled_from(FIELDS),
    st.sampled_from(FIELDS).map(lambda f: f.replace(".", ".x", 1)),
    st.sampled_from(["nosuch.key", "extends", "seam", "calendar", "failures.shearer", "a..b", ""]),
    _text,
)
_set_items = st.lists(
    st.builds(_set_item, _set_key, _scalar_text, st.sampled_from(["=", "=", "=", " = ", ":", ""])),
    min_size=1,
    max_size=3,
)

_override_value = st.one_of(
    st.booleans(),
    st.none(),
    st.integers(-10**9, 10**9),
    st.floats(allow_nan=True, allow_infinity=True),
    _scalar_text,
    st.dictionaries(st.sampled_from(NAMES), st.one_of(st.booleans(), _scalar_text), max_size=3),
    st.lists(st.integers(), max_size=3),
)
_overrides = st.dictionaries(
    st.one_of(st.sampled_from(FIELDS), _set_key), _override_value, max_size=4
)


# --- helpers --------------------------------------------------------------------------
def _cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue(), err.getvalue()


def _check_lines(text: str, place: re.Pattern[str]) -> None:
    """Every line is printable, short, and starts with its place; at most 20 and a count."""
    assert "Traceback" not in text and "internal error" not in text, text[:2000]
    lines = text.splitlines()
    assert lines, "exit 2 without a message"
    assert len(lines) <= MAX_SHOWN_ISSUES + 1
    for line in lines:
        assert one_clean_line(line), ascii(line[:300])
        assert len(line) <= LONGEST_LINE, line[:300]
        if re.fullmatch(r"… and [\d,]+ more problems?", line):
            continue
        assert place.match(line), ascii(line[:300])


@pytest.fixture
def stand_in_picture(monkeypatch):
    """``inspect`` without the model: a fixed, feasible picture."""
    module = types.ModuleType("seamsim.model.engineering")
    module.engineering_picture = lambda scenario: {"status": "ok"}
    monkeypatch.setitem(sys.modules, "seamsim.model.engineering", module)


# --- the fuzz tests -------------------------------------------------------------------
@FUZZ
@given(document=_document)
def test_any_file_validates_or_exits_2_with_located_lines(tmp_path, document):
    (tmp_path / "sub").mkdir(exist_ok=True)
    (tmp_path / "parent.yaml").write_text("seam: {height_m: on}\n", encoding="utf-8")
    path = tmp_path / "fuzz.yaml"
    path.write_bytes(document)
    code, out, err = _cli("validate", str(path))
    assert err == ""
    if code == 0:
        assert out.startswith(f"ok  {path}")
        return
    assert code == 2, out
    # file:line:col, the file being this one or the parent it extends
    _check_lines(out, re.compile(rf"{re.escape(str(tmp_path))}/[^:]+:\d+:\d+: "))


@FUZZ
@given(items=_set_items)
def test_any_set_argument_loads_or_exits_2_naming_it(tmp_path, stand_in_picture, items):
    path = tmp_path / "good.yaml"
    path.write_text("name: good\n", encoding="utf-8")
    argv = ["inspect", str(path), "--json"]
    argv += [f"--set={item}" for item in items]  # (an item like -1 would read as an option)
    code, out, err = _cli(*argv)
    if code == 0:
        assert json.loads(out)["status"] == "ok"
        return
    assert code == 2, (out, err)
    assert out == ""
    _check_lines(err, re.compile(r"--set: "))
    problems = [line for line in err.splitlines() if not line.startswith("… and")]
    for line in problems:  # each names its argument, or shows the malformed item
        assert "(--set " in line or "expected key=value" in line or "dotted field path" in line, line


@FUZZ
@given(text=_yaml_lines, overrides=_overrides)
def test_api_overrides_give_a_scenario_or_a_scenario_error(text, overrides):
    for call, args in (
        (load_scenario_text, (text,)),
        (apply_overrides, (Scenario(),)),
    ):
        try:
            result = call(*args, overrides=overrides) if call is load_scenario_text else call(*args, overrides)
        except ScenarioError as error:
            assert error.issues
            for issue in error.issues:
                line = str(issue)
                assert one_clean_line(line) and len(line) <= LONGEST_LINE, ascii(line[:300])
            continue
        assert isinstance(result, Scenario)
        _assert_no_boolean_numbers(overrides, result)


def _assert_no_boolean_numbers(overrides: dict, scenario: Scenario) -> None:
    """A scenario that loaded took no boolean for a number from the overrides."""
    data = scenario.model_dump()
    for key, value in overrides.items():
        if not isinstance(value, bool):
            continue
        node: object = data
        for part in str(key).split("."):
            node = node.get(part) if isinstance(node, dict) else None
        assert node is None or isinstance(node, bool), (key, node)
