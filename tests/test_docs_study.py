"""The worked study of docs/researchers.md: its commands are real and say what was computed.

``make docs`` computes the study (``tools/study_figures.py``) into docs/generated/figures.json
and renders its blocks; tests/test_docs_drift.py checks that the blocks equal their rendering.
These tests, cheap as well (no simulation), check what the drift test cannot: that every
``$ seamsim …`` command of the guide is accepted by the command line as it is now, that the
study's commands carry the settings the figures were computed with, and that the figures hang
together (the Sobol fields are the screening's largest μ*).
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import io
import json
import re
import shlex
import shutil
import sys
from pathlib import Path

import pytest

from seamsim.cli import build_parser

ROOT = Path(__file__).resolve().parents[1]


def _load_tool():
    if "make_docs" in sys.modules:
        return sys.modules["make_docs"]
    spec = importlib.util.spec_from_file_location("make_docs", ROOT / "tools" / "make_docs.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_docs"] = module
    spec.loader.exec_module(module)
    return module


make_docs = _load_tool()
study = make_docs.study_figures
GUIDE = ROOT / "docs" / "researchers.md"


def _commands(text: str) -> list[str]:
    """Return every ``$ seamsim …`` command of ``text``'s console blocks, continuations joined."""
    commands, current = [], None
    for line in text.splitlines():
        if current is not None:
            current += " " + line.strip()
        elif line.startswith("$ seamsim "):
            current = line[2:]
        else:
            continue
        if current.endswith("\\"):
            current = current[:-1].rstrip()
        else:
            commands.append(current)
            current = None
    return commands


def _parse(command: str) -> argparse.Namespace:
    """Return the command parsed by ``seamsim``'s parser, or fail with what argparse said."""
    err = io.StringIO()
    try:
        with contextlib.redirect_stderr(err):
            return build_parser().parse_args(shlex.split(re.sub(r"\s+#\s.*$", "", command))[1:])
    except SystemExit:
        pytest.fail(f"docs/researchers.md: `{command}` is refused by the command line: {err.getvalue().strip()}")


def _block_command(name: str, starts: str) -> argparse.Namespace:
    body = make_docs.blocks_in(GUIDE.read_text(encoding="utf-8"))[name]
    found = [c for c in _commands(body) if c.startswith(starts)]
    assert found, f"no `{starts}` command in block {name}"
    return _parse(found[-1])


def test_the_commands_of_the_guide_are_found():
    commands = _commands(GUIDE.read_text(encoding="utf-8"))
    assert len(commands) >= 15
    assert any(c.startswith("seamsim sweep scenarios/article_after_3300v.yaml --design sobol") for c in commands)


def test_every_seamsim_command_of_the_guide_is_accepted_by_the_command_line():
    for command in _commands(GUIDE.read_text(encoding="utf-8")):
        if "…" in command:  # an elided command (`seamsim sweep … --dry-run`)
            continue
        _parse(command)


def test_a_command_with_a_wrong_option_is_caught():
    with pytest.raises(pytest.fail.Exception, match="is refused"):
        _parse("seamsim sweep scenarios/a.yaml --vary seam.height_m=0.7:1.0 --design sobl")


def test_the_study_commands_carry_the_settings_the_figures_were_computed_with():
    figures = make_docs.read_figures()["study"]
    morris = _block_command("study-morris", "seamsim sweep")
    assert (morris.design, morris.samples, morris.levels) == ("morris", study.MORRIS_TRAJECTORIES, study.MORRIS_LEVELS)
    assert morris.vary == list(study.MORRIS_VARY) == figures["morris"]["vary"]
    assert (morris.replications, morris.days, morris.seed) == (study.MORRIS_REPLICATIONS, study.SCREEN_DAYS, study.SEED)

    sobol = _block_command("study-sobol", "seamsim sweep")
    assert (sobol.design, sobol.samples, sobol.replications, sobol.days) == (
        "sobol", figures["sobol"]["n"], figures["sobol"]["replications"], figures["sobol"]["days"])
    assert sobol.vary == figures["sobol"]["vary"]

    gain = _block_command("study-gain", "seamsim sweep")
    assert gain.vary == ["seam.height_m=" + ",".join(f"{h:g}" for h in figures["gain"]["heights"])]
    assert (gain.compare, gain.replications, gain.seed) == (study.AFTER_FILE, figures["gain"]["replications"], study.SEED)

    split = _block_command("study-split", "seamsim decompose")
    assert split.order_free and split.together == ["+".join(figures["split"]["together"])]

    for face in figures["sizing"]["faces"]:
        run = _parse(f"seamsim run {face['file']} --target-rel {figures['sizing']['target_rel']:g} "
                     f"--seed {study.SEED} --max-replications {figures['sizing']['max_replications']}")
        assert run.target_rel == study.TARGET_REL
    sizing = make_docs.blocks_in(GUIDE.read_text(encoding="utf-8"))["study-sizing"]
    assert {_parse(c).file for c in _commands(sizing)} == {f["file"] for f in figures["sizing"]["faces"]}


def test_sobol_analyses_the_screened_fields_with_the_largest_mu_star():
    figures = make_docs.read_figures()["study"]
    ranked = [row["field"] for row in figures["morris"]["rows"]]
    stars = [row["mu_star"] for row in figures["morris"]["rows"]]
    assert stars == sorted(stars, reverse=True)
    assert [text.split("=", 1)[0] for text in figures["sobol"]["vary"]] == ranked[: study.SOBOL_FIELDS]
    assert {row["field"] for row in figures["sobol"]["rows"]} == set(ranked[: study.SOBOL_FIELDS])
    assert figures["sobol"]["points"] == figures["sobol"]["n"] * (study.SOBOL_FIELDS + 2)
    assert figures["sobol"]["runs"] == figures["sobol"]["points"] * figures["sobol"]["replications"]


def test_the_study_figure_is_in_the_repository_and_the_guide():
    assert (ROOT / study.SOBOL_FIGURE).stat().st_size > 10_000
    assert f"]({study.SOBOL_FIGURE.relative_to('docs')})" in GUIDE.read_text(encoding="utf-8")


def test_no_console_example_quotes_tonnes_by_hand():
    """Outside the generated blocks, the guide quotes no simulated tonnes (they would go stale)."""
    text = make_docs.BLOCK_RE.sub("", GUIDE.read_text(encoding="utf-8"))
    quoted = re.findall(r"[+−-]?\d{1,3},\d{3}(?: \[|  \[| t\b)", text)
    assert not quoted, f"simulated figures quoted by hand outside the generated blocks: {quoted}"


def test_a_study_figure_changed_in_figures_json_changes_the_guide(tmp_path):
    for name in make_docs.DOCS:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / name, tmp_path / name)
    figures_path = tmp_path / "docs" / "generated" / "figures.json"
    figures_path.parent.mkdir(parents=True)
    figures = make_docs.read_figures()
    figures["study"]["gain"]["rows"][0]["mean_diff"] = 12_345.0
    figures["study"]["sobol"]["replay"]["identical"] = False
    figures_path.write_text(json.dumps(figures), encoding="utf-8")
    problems = make_docs.drift_problems(tmp_path, figures_path)
    assert any("'study-gain' differs" in p for p in problems), problems
    assert any("'study-stored' differs" in p for p in problems), problems
    make_docs.render_docs(figures, tmp_path)
    guide = (tmp_path / "docs" / "researchers.md").read_text(encoding="utf-8")
    assert "**+12,345**" in guide and "did NOT reproduce it" in guide


def test_figures_without_the_study_say_run_make_docs(tmp_path):
    figures_path = tmp_path / "figures.json"
    figures = make_docs.read_figures()
    del figures["study"]
    figures_path.write_text(json.dumps(figures), encoding="utf-8")
    problems = make_docs.drift_problems(tmp_path, figures_path)
    assert any("'study'" in p and "run `make docs`" in p for p in problems), problems


def test_projected_half_width_shrinks_as_one_over_root_n():
    assert study._projected(0.26, 64) == pytest.approx(0.26 / (512 / 64) ** 0.5)
    assert study._projected(0.1, study.REAL_SOBOL_N) == pytest.approx(0.1)


def test_a_long_command_is_split_with_continuations():
    text = study._command(["seamsim sweep a.yaml", "--vary x=1:2", "-n 3"])
    assert text == "$ seamsim sweep a.yaml \\\n      --vary x=1:2 \\\n      -n 3"
    assert _commands(text) == ["seamsim sweep a.yaml --vary x=1:2 -n 3"]


def test_the_guide_has_no_figure_path_outside_the_repository():
    for match in re.finditer(r"!\[[^\]]*\]\(([^)]+)\)", GUIDE.read_text(encoding="utf-8")):
        assert (GUIDE.parent / match[1]).is_file(), match[1]

