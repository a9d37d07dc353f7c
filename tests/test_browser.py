"""One real-browser test: start the dashboard with ``streamlit run``, drive Debian's Chromium
with playwright, run the bundled scenarios and find the charts.

The screenshots go to the test's ``tmp_path`` and are copied to ``test-output/browser/``
(git-ignored) for people to look at. With ``SEAMSIM_DOC_SCREENSHOTS=1`` the same test also
writes the tour of ``docs/dashboard.md`` to ``docs/images/``.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from seamsim.cli.dashboard import QUIET_OPTIONS

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
OUTPUT = ROOT / "test-output" / "browser"
DOC_IMAGES = ROOT / "docs" / "images"
WIDTH = 1360

pytestmark = [
    pytest.mark.browser,
    pytest.mark.timeout(300),
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"{CHROMIUM} is missing (apt-get install chromium)"),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_healthy(url: str, proc: subprocess.Popen, timeout_s: float = 90.0) -> None:
    deadline = time.time() + timeout_s
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with {proc.returncode}")
        with contextlib.suppress(OSError):
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        time.sleep(0.3)
    raise TimeoutError(f"streamlit did not answer on {url} within {timeout_s} s")


@pytest.fixture
def dashboard_url(tmp_path):
    port = _free_port()
    env = dict(os.environ, SEAMSIM_HISTORY_DB=str(tmp_path / "history.sqlite"))
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), *filter(None, [env.get("PYTHONPATH")])])
    log = (tmp_path / "streamlit.log").open("w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "dashboard" / "app.py"),
         "--server.headless", "true", "--server.port", str(port), "--server.address", "127.0.0.1",
         *QUIET_OPTIONS],  # as `seamsim dashboard` runs it: no usage statistics, no developer menu
        cwd=tmp_path, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, proc)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)
        log.close()


def _settle(page, ms: int = 1500) -> None:
    """Wait until Streamlit has stopped running the script, then a little for plotly."""
    with contextlib.suppress(Exception):
        page.wait_for_selector("[data-testid='stStatusWidget']", state="detached", timeout=60_000)
    page.wait_for_timeout(ms)


def _shot(page, path: Path, height: int = 2000, *, copies: tuple[Path, ...] = ()) -> Path:
    """Screenshot the page at ``height`` px, trim blank space at the bottom, save as a small PNG."""
    page.set_viewport_size({"width": WIDTH, "height": height})
    _settle(page, 1200)
    page.screenshot(path=str(path))
    _compact(path)
    for target in copies:
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
    return path


def _compact(path: Path) -> None:
    """Trim trailing white rows and reduce to a 256-colour palette (a few hundred kB at most)."""
    try:
        from PIL import Image, ImageChops
    except ImportError:  # pragma: no cover - Pillow comes with Streamlit
        return
    image = Image.open(path).convert("RGB")
    background = Image.new("RGB", image.size, (255, 255, 255))
    box = ImageChops.difference(image, background).getbbox()
    if box:
        image = image.crop((0, 0, image.width, min(image.height, box[3] + 24)))
    image.quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(path, optimize=True)


def test_the_dashboard_runs_scenarios_in_a_real_browser(dashboard_url, tmp_path):
    from playwright.sync_api import sync_playwright

    docs = os.environ.get("SEAMSIM_DOC_SCREENSHOTS") == "1"
    OUTPUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": WIDTH, "height": 1000})
            errors: list[str] = []
            page.on("pageerror", lambda exc: errors.append(str(exc)))

            # Explore runs the bundled after-face by itself.
            page.goto(dashboard_url, wait_until="domcontentloaded")
            page.wait_for_selector(".js-plotly-plot", timeout=90_000)
            page.get_by_text("Monthly output (run-of-mine)").first.wait_for(timeout=60_000)
            _settle(page)
            assert page.locator(".js-plotly-plot").count() >= 5
            assert page.locator("[data-testid='stException']").count() == 0
            shot = _shot(page, tmp_path / "explore.png", 2350, copies=(OUTPUT / "explore.png",))
            assert shot.stat().st_size > 10_000
            if docs:
                _shot(page, DOC_IMAGES / "explore.png", 1350)

            # Compare the bundled before- and after-faces: a background job with progress.
            page.goto(f"{dashboard_url}/compare", wait_until="domcontentloaded")
            page.get_by_role("button", name="Run the comparison").click()
            page.get_by_text("Side by side", exact=True).wait_for(timeout=120_000)
            page.wait_for_selector("text=Monthly output, every replication", timeout=60_000)
            assert page.locator("[data-testid='stException']").count() == 0
            _shot(page, tmp_path / "compare.png", 3000, copies=(OUTPUT / "compare.png",))
            if docs:
                _shot(page, DOC_IMAGES / "compare.png", 1800)
                page.get_by_role("button", name="Decompose").click()
                page.wait_for_selector("text=one factor at a time", timeout=120_000)
                page.get_by_text("From Before to After").first.scroll_into_view_if_needed()
                _settle(page, 2000)
                _waterfall_shot(page, DOC_IMAGES / "waterfall.png")
                _doc_tour(page, dashboard_url)
            assert not errors, errors
        finally:
            browser.close()


def _waterfall_shot(page, path: Path) -> None:
    page.set_viewport_size({"width": WIDTH, "height": 1000})
    chart = page.locator(".js-plotly-plot").filter(has_text="one factor at a time").first
    chart.scroll_into_view_if_needed()
    page.wait_for_timeout(800)
    chart.screenshot(path=str(path))
    _compact(path)


def _doc_tour(page, url: str) -> None:
    """The remaining screenshots of docs/dashboard.md."""
    page.goto(f"{url}/scenarios", wait_until="domcontentloaded")
    page.get_by_text("Scenario library").first.wait_for(timeout=60_000)
    _shot(page, DOC_IMAGES / "scenarios.png", 1100)

    page.goto(f"{url}/sweep", wait_until="domcontentloaded")
    page.get_by_role("tab", name="Feasible region: 1,140 V against 3,300 V").click()
    page.wait_for_selector("text=Where a face can work", timeout=90_000)
    _settle(page, 2000)
    chart = page.locator(".js-plotly-plot").filter(has_text="Where a face can work").first
    chart.screenshot(path=str(DOC_IMAGES / "feasible_region.png"))
    _compact(DOC_IMAGES / "feasible_region.png")

    page.goto(f"{url}/history", wait_until="domcontentloaded")
    page.get_by_text("Run history").first.wait_for(timeout=60_000)
    _shot(page, DOC_IMAGES / "history.png", 900)


def test_the_exercise_page_never_shows_a_hidden_value(dashboard_url, tmp_path):
    """The cable exercise hides the supply voltage and the cable length: run the face once and
    look for their values in the rendered text and in the HTML of the page."""
    import re

    from playwright.sync_api import sync_playwright

    from seamsim.exercise import load_exercise

    ex = load_exercise(ROOT / "exercises" / "cable_bottleneck.yaml")
    forms = [f for s in ex.secrets for f in s.forms]
    assert {"760", "1140", "1,140"} <= set(forms)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": WIDTH, "height": 1000})
            errors: list[str] = []
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.goto(f"{dashboard_url}/exercise", wait_until="domcontentloaded")
            page.get_by_text(ex.exercise.title).first.wait_for(timeout=120_000)
            page.get_by_role("button", name=re.compile("Run the face")).click()
            page.get_by_text("Run 1:").first.wait_for(timeout=120_000)
            page.wait_for_selector(".js-plotly-plot", timeout=60_000)
            _settle(page)
            assert page.locator("[data-testid='stException']").count() == 0
            text, html = page.inner_text("body"), page.content()
            for form in forms:
                pattern = re.compile(rf"(?<![\d.,]){re.escape(form)}(?![\d]|[.,]\d)")
                assert not pattern.search(text), f"{form} is in the page's text"
                assert not pattern.search(html), f"{form} is in the page's HTML"
            for told in (ex.scenario.name, ex.scenario.title, "1,140 V", "long cable"):
                assert told not in text and told not in html
            _shot(page, tmp_path / "exercise.png", 2400, copies=(OUTPUT / "exercise.png",))
            assert not errors, errors
        finally:
            browser.close()


PROJECTOR = {"width": 1024, "height": 768}
PAGES = ("", "why_3300v", "scenarios", "compare", "sweep", "history", "exercise", "glossary", "references")
"""Every page's URL path ("" is Explore)."""

FIT_JS = """() => {
  const vw = window.innerWidth, out = {docWidth: document.documentElement.scrollWidth, wide: [], clipped: [],
    chartText: [], sidebarRight: null, devMenu: 0};
  const main = document.querySelector('[data-testid="stMain"]') || document.body;
  const side = document.querySelector('[data-testid="stSidebar"]');
  if (side) out.sidebarRight = side.getBoundingClientRect().right;
  for (const sel of ['[data-testid="stAppDeployButton"]', '[data-testid="stMainMenu"]']) {
    for (const el of document.querySelectorAll(sel)) if (el.getBoundingClientRect().width > 0) out.devMenu += 1;
  }
  const name = el => (el.getAttribute('data-testid') || el.tagName) + ' "' + (el.textContent || '').trim().slice(0, 40) + '"';
  for (const el of main.querySelectorAll('*')) {
    // plotly's SVG and a data table's virtual scroll area (it scrolls inside its frame) are not page elements
    if (el.closest('svg') || el.closest('.dvn-scroller')) continue;
    const r = el.getBoundingClientRect();
    if (r.width > vw + 1) out.wide.push(name(el) + ' ' + Math.round(r.width) + ' px');
  }
  const texts = main.querySelectorAll('[data-testid="stMetricValue"] *, [data-testid="stMetricLabel"] *, h1, h2, h3, ' +
    'button, button *, [data-testid="stCaptionContainer"]');
  for (const el of texts) {
    if (!(el.textContent || '').trim() || el.clientWidth === 0) continue;
    if (el.scrollWidth > el.clientWidth + 1) out.clipped.push(name(el) + ` ${el.scrollWidth} > ${el.clientWidth}`);
  }
  for (const plot of main.querySelectorAll('.js-plotly-plot')) {
    const box = plot.getBoundingClientRect();
    for (const t of plot.querySelectorAll('.gtitle, .g-xtitle text, .g-ytitle text, .xtick text, .ytick text, .legendtext')) {
      const r = t.getBoundingClientRect();
      if (r.width === 0) continue;
      if (r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 1 || r.bottom > box.bottom + 1)
        out.chartText.push('"' + t.textContent.slice(0, 40) + '" outside its chart');
    }
  }
  return out;
}"""


def _until_still(page, timeout_s: float = 60.0) -> None:
    """Wait until the page's main area stops changing (its element count is the same for 2 s)."""
    count_js = "() => document.querySelectorAll('[data-testid=\"stMain\"] *').length"
    last, still_since, deadline = -1, time.time(), time.time() + timeout_s
    while time.time() < deadline:
        count = page.evaluate(count_js)
        if count != last:
            last, still_since = count, time.time()
        elif time.time() - still_since >= 2.0 and page.locator("[data-testid='stSkeleton']").count() == 0:
            return
        page.wait_for_timeout(250)


def _local(url: str) -> bool:
    from urllib.parse import urlparse

    parsed = urlparse(url)
    return parsed.scheme in ("data", "blob", "about") or parsed.hostname in ("127.0.0.1", "localhost")


def _main_text(page) -> str:
    return page.locator("[data-testid='stMain']").inner_text()


def test_every_page_fits_a_projector_and_nothing_leaves_the_machine(dashboard_url, tmp_path):
    """Projector mode (?projector=1) at 1024×768: the sidebar collapsed, no developer menu, no
    element wider than the screen, no clipped KPI, title, button or chart label, no request
    to any host but this one; and "Why 3,300 V?" moves the machine height with the voltage."""
    from playwright.sync_api import sync_playwright

    from dashboard import voltage_story as story

    OUTPUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport=PROJECTOR)
            errors: list[str] = []
            away: list[str] = []
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.on("request", lambda request: None if _local(request.url) else away.append(request.url))
            problems: dict[str, dict] = {}
            for path in PAGES:
                page.goto(f"{dashboard_url}/{path}?projector=1", wait_until="domcontentloaded")
                page.wait_for_selector("[data-testid='stMain'] h1, [data-testid='stMain'] h2", timeout=120_000)
                if path in ("", "compare"):  # Explore's results, Compare's faces side by side
                    page.wait_for_selector(".js-plotly-plot", timeout=120_000)
                _settle(page, 1000)
                _until_still(page)
                assert page.locator("[data-testid='stException']").count() == 0, path
                fit = page.evaluate(FIT_JS)
                page.screenshot(path=str(tmp_path / f"projector_{path or 'explore'}.png"))
                shutil.copyfile(tmp_path / f"projector_{path or 'explore'}.png",
                                OUTPUT / f"projector_{path or 'explore'}.png")
                bad = {k: fit[k] for k in ("wide", "clipped", "chartText") if fit[k]}
                if fit["docWidth"] > PROJECTOR["width"]:
                    bad["docWidth"] = fit["docWidth"]
                if fit["sidebarRight"] is not None and fit["sidebarRight"] > 1:
                    bad["sidebar not collapsed"] = fit["sidebarRight"]
                if fit["devMenu"]:
                    bad["developer menu"] = fit["devMenu"]
                if bad:
                    problems[path or "explore"] = bad
            assert not problems, problems

            # Why 3,300 V?: switch the right-hand column to 1,140 V and watch the machine height change.
            face = story.start_scenario(story.START_FILES[0])
            low_mm = round(story.state_at(face, 1140).picture["machine_height_mm"])
            high_mm = round(story.state_at(face, 3300).picture["machine_height_mm"])
            assert low_mm != high_mm
            page.goto(f"{dashboard_url}/why_3300v?projector=1", wait_until="domcontentloaded")
            page.get_by_text("machine height (derived)").first.wait_for(timeout=120_000)
            _settle(page, 1500)
            text = _main_text(page)
            assert f"{low_mm} mm" in text and f"{high_mm} mm" in text
            right = page.locator("[data-testid='stRadio']").filter(has_text="Right: supply voltage")
            right.get_by_text("1,140 V").click()
            page.wait_for_function(f"() => !document.querySelector('[data-testid=\"stMain\"]').innerText.includes('{high_mm} mm')",
                                   timeout=60_000)
            _settle(page, 1500)
            text = _main_text(page)
            assert f"{high_mm} mm" not in text and f"{low_mm} mm" in text
            assert "no change" in text
            page.screenshot(path=str(OUTPUT / "projector_why_3300v_switched.png"))
            assert page.locator("[data-testid='stException']").count() == 0
            assert not away, f"requests left the machine: {sorted(set(away))[:5]}"
            assert not errors, errors
        finally:
            browser.close()


def test_the_results_zip_reads_back_with_the_numbers_on_the_screen(dashboard_url, tmp_path):
    """Explore's *Download results (zip)* in the browser: the zip's ``runs.parquet`` read with
    pandas gives the mean and 95% interval the KPI card shows, formatted the same way, one row
    per replication, with the seed of the result line."""
    import io
    import json
    import re
    import zipfile

    import pandas as pd
    from playwright.sync_api import sync_playwright

    import dashboard
    from dashboard.kpi_cards import interval_caption

    label = dashboard.kpi("rom_t_per_month").label
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": WIDTH, "height": 1000}, accept_downloads=True)
            page.goto(dashboard_url, wait_until="domcontentloaded")
            card = page.locator("[data-testid='stMetric']").filter(has_text=label).first
            card.wait_for(timeout=120_000)
            _settle(page)
            shown = card.locator("[data-testid='stMetricValue']").inner_text().strip()
            interval = page.get_by_text(re.compile(r"^95% CI")).first.inner_text().strip()
            result_line = page.get_by_text(re.compile(r"seed \d+ · scenario")).first.inner_text()
            seed = int(re.search(r"seed (\d+)", result_line).group(1))
            replications = int(re.search(r"(\d+) replications", result_line).group(1))
            button = page.get_by_role("button", name=re.compile(r"Download results \(zip"))
            with page.expect_download(timeout=120_000) as info:
                button.click()
            path = tmp_path / info.value.suggested_filename
            info.value.save_as(path)
            assert page.locator("[data-testid='stException']").count() == 0
        finally:
            browser.close()

    with zipfile.ZipFile(path) as archive:
        runs = pd.read_parquet(io.BytesIO(archive.read("runs.parquet")))
        manifest = json.loads(archive.read("manifest.json"))
    assert len(runs) == replications == manifest["replications"]
    assert set(runs["seed"]) == {seed} and manifest["seed"] == seed
    k = dashboard.kpi("rom_t_per_month")
    assert k.format(runs["rom_t_per_month"].mean()) == shown  # the card's number, from the raw data
    row = dashboard.summarize(runs.assign(_all=0), ["rom_t_per_month"], by="_all").iloc[0]
    assert interval_caption(k, row) == interval  # and its interval, recomputed from the file
