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
         "--browser.gatherUsageStats", "false"],
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
