"""``seamsim report``: one self-contained HTML file that opens offline with every chart drawn
and the scenarios embedded so that they load back."""

from __future__ import annotations

import base64
import re
from pathlib import Path

import pytest

import seamsim
from seamsim.cli import main
from seamsim.report.comparison import default_question, estimated_fields
from seamsim.report.document import kpi_unit

ROOT = Path(__file__).resolve().parents[2]
BEFORE = ROOT / "scenarios" / "article_before_1140v.yaml"
AFTER = ROOT / "scenarios" / "article_after_3300v.yaml"


@pytest.fixture(scope="module")
def report_file(tmp_path_factory):
    out = tmp_path_factory.mktemp("report") / "report.html"
    status = main(["report", str(BEFORE), str(AFTER), "-n", "2", "--days", "0.5", "--seed", "4", "--executor",
                   "serial", "--no-progress", "--question", "Which face makes more coal?", "-o", str(out)])
    assert status == 0
    return out


def test_report_writes_one_file_with_every_section(report_file):
    html = report_file.read_text(encoding="utf-8")
    for section in ("question", "kpis", "gain", "time", "limits", "assumptions", "scenarios"):
        assert f'id="{section}"' in html
    assert "Which face makes more coal?" in html
    assert "seed 4" in html and f"seamsim {seamsim.__version__}" in html
    assert "2 replication(s)" in html
    assert "@media print" in html and "break-before:page" in html


def test_the_report_makes_no_network_reference(report_file):
    from plotly.offline import get_plotlyjs

    html = report_file.read_text(encoding="utf-8")
    bundle = get_plotlyjs()
    assert html.count(bundle) == 1  # plotly's JavaScript inlined once, every chart reuses it
    rest = html.replace(bundle, "")
    assert not re.search(r"https?:|//cdn|<link|@import|@font-face|src=", rest, flags=re.IGNORECASE)


@pytest.mark.browser
def test_the_report_opens_offline_with_every_chart_drawn_and_the_yaml_loads_back(report_file):
    from playwright.sync_api import sync_playwright

    attempted: list[str] = []

    def refuse_network(route):
        if route.request.url.startswith("file:"):
            route.continue_()
        else:
            attempted.append(route.request.url)
            route.abort()

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium")
        try:
            page = browser.new_page(viewport={"width": 1440, "height": 900})
            page.route("**/*", refuse_network)
            page.goto(report_file.as_uri(), wait_until="load")
            page.wait_for_function("document.querySelectorAll('.js-plotly-plot').length >= 4")
            plots = page.locator(".js-plotly-plot")
            # the tonnes, the waterfall, the time breakdown and what holds each face back
            assert plots.count() == 4
            for k in range(plots.count()):
                assert plots.nth(k).locator(".main-svg").count() >= 1, f"chart {k + 1} was not drawn"
            texts = page.locator("pre.scenario-yaml").all_text_contents()
            links = page.locator("a.download").evaluate_all("els => els.map(e => e.getAttribute('href'))")
        finally:
            browser.close()
    assert attempted == []
    assert len(texts) == 2 and len(links) == 2
    for path, text, link in zip((BEFORE, AFTER), texts, links, strict=True):
        expected = seamsim.load_scenario(str(path)).model_dump()
        assert seamsim.load_scenario_text(text).model_dump() == expected
        encoded = link.split("base64,", 1)[1]
        assert base64.b64decode(encoded).decode("utf-8") == text


def test_report_refuses_bad_input_before_running(tmp_path, capsys):
    assert main(["report", str(BEFORE), "-o", str(tmp_path / "r.html")]) == 2
    assert "two or more" in capsys.readouterr().err
    assert main(["report", str(BEFORE), str(AFTER), "-o", str(tmp_path / "missing" / "r.html")]) == 2
    assert "does not exist" in capsys.readouterr().err
    assert main(["report", str(BEFORE), str(AFTER), "-o", str(tmp_path)]) == 2
    assert "is a directory" in capsys.readouterr().err
    assert not list(tmp_path.iterdir())


def test_the_default_question_names_the_scenarios():
    a, b = seamsim.load_scenario(str(BEFORE)), seamsim.load_scenario(str(AFTER))
    question = default_question([a, b])
    assert a.title in question and b.title in question


def test_estimates_are_read_from_the_schema_and_units_from_kpi_names():
    estimates = estimated_fields()
    assert "machine.web_m" in estimates and all("[E" in d for d in estimates.values())
    assert kpi_unit("rom_t_per_month") == "t/month" and kpi_unit("kwh_per_t") == "kWh/t"
    assert kpi_unit("running_ratio") == ""


def test_animate_writes_an_offline_animation(tmp_path, capsys):
    out = tmp_path / "face.html"
    assert main(["animate", str(AFTER), "--days", "0.5", "--interval-min", "10", "-o", str(out)]) == 0
    html = out.read_text(encoding="utf-8")
    assert "73 frames" in html  # 12 h every 10 min, both ends
    assert '"updatemenus"' in html and '"sliders"' in html and "Plotly.addFrames" in html
    assert main(["animate", str(AFTER), "-o", str(tmp_path / "no" / "face.html")]) == 2
