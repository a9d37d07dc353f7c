"""Bad input through ``main([...])``: every case exits 2 with one located line per problem,
no traceback and no "internal error" — scenario files, ``extends``, ``--set`` and ``--out``."""

from __future__ import annotations

import errno
import json
import os
import sys
import types
from pathlib import Path

import pytest
from cli_calls import run as cli_run
from text_checks import one_clean_line, write

from seamsim.cli import main

ROOT = Path(__file__).resolve().parents[1]
AFTER = str(ROOT / "scenarios" / "article_after_3300v.yaml")
FAST = ["-n", "1", "--days", "0.2", "--executor", "serial", "--no-progress"]


def run(capsys, *argv: str) -> tuple[int, str, str]:
    """:func:`cli_calls.run`, and every line printed is one clean line with no internal error."""
    code, out, err = cli_run(capsys, *argv)
    assert "internal error" not in out + err
    for line in (out + err).splitlines():
        assert one_clean_line(line), line
    return code, out, err


@pytest.fixture
def stand_in_picture(monkeypatch):
    """``inspect`` without the model: a fixed, feasible picture."""
    module = types.ModuleType("seamsim.model.engineering")
    module.engineering_picture = lambda scenario: {"status": "ok"}
    monkeypatch.setitem(sys.modules, "seamsim.model.engineering", module)


# --------------------------------------------------------------------------------------
# 1. FIFOs and other special files
# --------------------------------------------------------------------------------------
@pytest.mark.timeout(20)
@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_validate_refuses_a_fifo_as_the_file_and_as_extends(tmp_path, capsys):
    os.mkfifo(tmp_path / "p.yaml")
    child = write(tmp_path, "x.yaml", "extends: p.yaml\n")
    code, out, _ = run(capsys, "validate", str(child), str(tmp_path / "p.yaml"))
    assert code == 2
    first, second = out.splitlines()
    assert first == (
        f"{child}:1:1: extends: {tmp_path / 'p.yaml'}: is a named pipe (FIFO), "
        "not a regular file; refused"
    )
    assert second.startswith(f"{tmp_path / 'p.yaml'}: is a named pipe (FIFO)")


# --------------------------------------------------------------------------------------
# 2. Control characters in --set
# --------------------------------------------------------------------------------------
@pytest.mark.parametrize("value", ["a\x07", "a\x00b", "\x1b[2J", "a\udcff", "\ud800x"])
def test_control_characters_in_set_name_the_argument(tmp_path, capsys, value, stand_in_picture):
    path = write(tmp_path, "good.yaml", "name: good\n")
    code, _, err = run(capsys, "inspect", str(path), "--set", f"title={value}")
    assert code == 2
    (line,) = err.splitlines()
    assert line.startswith("--set: title: the character U+")
    assert "not allowed" in line and line.endswith(")") and "(--set title=" in line
    assert "ReaderError" not in line


# --------------------------------------------------------------------------------------
# 3. Booleans and quoted numbers
# --------------------------------------------------------------------------------------
def test_booleans_and_quoted_numbers_in_a_file(tmp_path, capsys):
    path = write(
        tmp_path,
        "b.yaml",
        """
        seam: {height_m: on}
        crew:
          patrol: no
        electrical: {supply_voltage_v: '3300'}
        """,
    )
    code, out, _ = run(capsys, "validate", str(path))
    assert code == 2
    assert out.splitlines() == [
        f"{path}:1:8: seam.height_m: expected a number in m, got the boolean true — "
        "yes/no/on/off/true/false are booleans in YAML, not numbers",
        f"{path}:3:3: crew.patrol: expected a whole number in persons, got the boolean false — "
        "yes/no/on/off/true/false are booleans in YAML, not numbers",
        f"{path}:4:14: electrical.supply_voltage_v: expected one of 1140, 3300 [V], got the "
        "text '3300' — write 3300 without quotes",
    ]


def test_booleans_in_set(tmp_path, capsys, stand_in_picture):
    path = write(tmp_path, "good.yaml", "name: good\n")
    code, _, err = run(capsys, "inspect", str(path), "--set", "crew.patrol=no", "--set", "seam.height_m=yes")
    assert code == 2
    assert err.splitlines() == [
        "--set: crew.patrol: expected a whole number in persons, got the boolean false — "
        "yes/no/on/off/true/false are booleans in YAML, not numbers (--set crew.patrol=no)",
        "--set: seam.height_m: expected a number in m, got the boolean true — "
        "yes/no/on/off/true/false are booleans in YAML, not numbers (--set seam.height_m=yes)",
    ]


# --------------------------------------------------------------------------------------
# 4. Control characters in a file, NUL in extends
# --------------------------------------------------------------------------------------
def test_control_character_in_a_file_is_one_located_line(tmp_path, capsys):
    path = tmp_path / "c.yaml"
    path.write_text("name: c\ntitle: a\x07\n", encoding="utf-8")
    code, out, _ = run(capsys, "validate", str(path))
    assert code == 2
    assert out.splitlines() == [
        f"{path}:2:9: the character U+0007 (a control character) is not allowed in a scenario"
    ]


def test_nul_in_extends_is_one_located_line(tmp_path, capsys):
    path = write(tmp_path, "n.yaml", 'extends: "a\\0b.yaml"\n')
    code, out, _ = run(capsys, "validate", str(path))
    assert code == 2
    (line,) = out.splitlines()
    assert line.startswith(f"{path}:1:1: extends: not a usable file name: the character U+0000")


# --------------------------------------------------------------------------------------
# 5. extends names the missing file
# --------------------------------------------------------------------------------------
def test_missing_extends_names_the_file(tmp_path, capsys):
    path = write(tmp_path, "e.yaml", "extends: nope.yaml\n")
    code, out, _ = run(capsys, "validate", str(path))
    assert code == 2
    assert out.strip() == f"{path}:1:1: extends: {tmp_path / 'nope.yaml'}: file not found"


def test_extends_a_directory_or_a_too_long_name(tmp_path, capsys):
    (tmp_path / "sub").mkdir()
    a = write(tmp_path, "a.yaml", "extends: sub\n")
    b = write(tmp_path, "b.yaml", f"extends: {'y' * 3000}.yaml\n")
    code, out, _ = run(capsys, "validate", str(a), str(b))
    assert code == 2
    first, second = out.splitlines()
    assert first == f"{a}:1:1: extends: {tmp_path / 'sub'}: is a directory, not a regular file; refused"
    assert second.startswith(f"{b}:1:1: extends: ") and second.endswith("yyy.yaml: file name too long")
    assert len(second) < 300


# --------------------------------------------------------------------------------------
# 6. A key in the wrong section
# --------------------------------------------------------------------------------------
def test_key_in_the_wrong_section_says_where_it_belongs(tmp_path, capsys):
    path = write(tmp_path, "w.yaml", "electrical: {length_m: 150}\n")
    code, out, _ = run(capsys, "validate", str(path))
    assert code == 2
    assert out.strip() == f"{path}:1:14: electrical.length_m: unknown key here — `length_m` belongs in `face`"


# --------------------------------------------------------------------------------------
# 7. --set problems name the argument, not the file
# --------------------------------------------------------------------------------------
def test_unknown_set_section_names_the_argument(tmp_path, capsys, stand_in_picture):
    path = write(tmp_path, "w.yaml", "name: w\n")
    code, _, err = run(capsys, "inspect", str(path), "--set", "nosuch.key=1")
    assert code == 2
    (line,) = err.splitlines()
    assert line.startswith("--set: nosuch: unknown section")
    assert line.endswith("(--set nosuch.key=1)")
    assert str(path) not in line


def test_a_rule_broken_by_set_names_the_argument(tmp_path, capsys, stand_in_picture):
    path = write(tmp_path, "c.yaml", "calendar:\n  production_shifts_per_day: 2\n")
    code, _, err = run(capsys, "inspect", str(path), "--set", "calendar.shifts_per_day=1")
    assert code == 2
    (line,) = err.splitlines()
    assert line.startswith("--set: calendar: ") and line.endswith("(--set calendar.shifts_per_day=1)")


def test_set_values_are_clipped(tmp_path, capsys, stand_in_picture):
    path = write(tmp_path, "good.yaml", "name: good\n")
    code, _, err = run(capsys, "inspect", str(path), "--set", "seam.height_m=" + "9" * 5000 + "x")
    assert code == 2
    (line,) = err.splitlines()
    assert line.startswith("--set: seam.height_m: expected a number in m") and len(line) < 400


def test_file_problems_and_set_problems_together(tmp_path, capsys, stand_in_picture):
    path = write(tmp_path, "b.yaml", "seam:\n  height_m: 80\n")
    code, _, err = run(capsys, "inspect", str(path), "--set", "face.lenght_m=100")
    assert code == 2
    first, second = err.splitlines()
    assert first.startswith(f"{path}:2:3: seam.height_m: 80 is above the maximum 3.0 [m]")
    assert second.startswith("--set: face.lenght_m: unknown key — did you mean `length_m`?")


# --------------------------------------------------------------------------------------
# 8. --out
# --------------------------------------------------------------------------------------
def test_out_naming_a_file(tmp_path, capsys):
    target = tmp_path / "afile"
    target.write_text("x")
    code, _, err = run(capsys, "run", AFTER, *FAST, "--out", str(target))
    assert code == 2
    assert err.strip() == f"seamsim run: --out {target}: is a file, not a directory"
    code, _, err = run(capsys, "run", AFTER, *FAST, "--out", str(target / "sub"))
    assert code == 2
    assert f"--out {target / 'sub'}: cannot be created: {target} is a file" in err


@pytest.mark.parametrize(
    ("content", "word"),
    [("[]\n", "holds a JSON list"), ("{not json", "is not valid JSON"), ('"x"\n', "JSON string")],
)
def test_out_resume_with_a_manifest_that_is_not_an_object(tmp_path, capsys, content, word):
    out = tmp_path / "res"
    out.mkdir()
    (out / "manifest.json").write_text(content)
    code, _, err = run(capsys, "run", AFTER, *FAST, "--out", str(out), "--resume")
    assert code == 2
    assert err.startswith(f"seamsim run: --out {out}: manifest.json ") and word in err


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root may write anywhere")
def test_out_read_only_directory(tmp_path, capsys):
    out = tmp_path / "ro"
    out.mkdir()
    out.chmod(0o500)
    try:
        code, _, err = run(capsys, "run", AFTER, *FAST, "--out", str(out))
    finally:
        out.chmod(0o700)
    assert code == 2 and f"--out {out}: the directory is not writable" in err


def _failing_write(error: OSError):
    def write_part(self, frame):
        raise error

    return write_part


@pytest.mark.parametrize(
    ("make_error", "expected"),
    [
        (lambda out: OSError(errno.ENOSPC, "No space left on device"), "No space left on device"),
        (
            lambda out: OSError(errno.ENOSPC, "No space left on device", str(out / "runs" / "p.tmp")),
            "cannot write {out}/runs/p.tmp: No space left on device",
        ),
        (
            lambda out: PermissionError(errno.EACCES, "Permission denied", str(out / "runs")),
            "cannot write {out}/runs: Permission denied",
        ),
        (lambda out: OSError(errno.EROFS, "Read-only file system"), "Read-only file system"),
    ],
)
def test_out_full_or_read_only_disk_exits_2_naming_the_path(tmp_path, capsys, monkeypatch, make_error, expected):
    from seamsim.experiment import store

    out = tmp_path / "res"
    monkeypatch.setattr(store.RunStore, "write_part", _failing_write(make_error(out)))
    code, _, err = run(capsys, "run", AFTER, *FAST, "--out", str(out))
    assert code == 2
    assert err.startswith(f"seamsim run: --out {out}: cannot write")
    assert expected.format(out=out) in err


def test_an_os_error_elsewhere_is_still_an_internal_error(tmp_path, capsys, monkeypatch):
    from seamsim.experiment import store

    error = OSError(errno.EIO, "Input/output error", "/somewhere/else")
    monkeypatch.setattr(store.RunStore, "write_part", _failing_write(error))
    code = main(["run", AFTER, *FAST, "--out", str(tmp_path / "res")])
    _, err = capsys.readouterr()
    assert code == 1 and "internal error" in err and "Traceback" not in err


def test_out_in_a_good_place_still_works(tmp_path, capsys):
    out = tmp_path / "new" / "res"
    code, _, _ = run(capsys, "run", AFTER, *FAST, "--out", str(out))
    assert code in (0, 1)
    assert json.loads((out / "manifest.json").read_text())["status"] == "complete"


# --------------------------------------------------------------------------------------
# 9. Output stays short
# --------------------------------------------------------------------------------------
def test_thousands_of_unknown_keys_print_twenty_lines_and_a_count(tmp_path, capsys):
    path = write(tmp_path, "many.yaml", "seam:\n" + "".join(f"  k{i}: {i}\n" for i in range(5000)))
    code, out, _ = run(capsys, "validate", str(path))
    assert code == 2
    lines = out.splitlines()
    assert len(lines) == 21 and lines[-1] == "… and 4,980 more problems"
    assert len(out) < 10_000


def test_a_long_value_is_echoed_clipped(tmp_path, capsys):
    path = write(tmp_path, "long.yaml", f"name: {'n' * 20_000}\n")
    code, out, _ = run(capsys, "validate", str(path))
    assert code == 2
    (line,) = out.splitlines()
    assert line.startswith(f"{path}:1:1: name: ") and len(line) < 300


def test_an_undecodable_file_name_prints(tmp_path, capsys):
    name = str(tmp_path / "a\udcff.yaml")
    code, out, _ = run(capsys, "validate", name)
    assert code == 2 and "a\\udcff.yaml: file not found" in out
