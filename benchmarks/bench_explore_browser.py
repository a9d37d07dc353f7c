"""Explore in a real browser: from one change of setting and a click on *Run* to the new KPI.

Starts the dashboard (``streamlit run dashboard/app.py`` on 127.0.0.1, a free port, an empty
history file), opens it in Debian's Chromium through playwright at 1440×900, waits for the
first paint, then five times: types a new seam height in the number box beside the slider,
clicks *Run* and measures until the *Monthly output* KPI card shows a value other than the
one before (each height is new, so nothing comes from the cache but the preset's baseline).
It also reports until the page stops running (the last chart drawn). Target ≤ 1 s to the KPI.
Printed, never asserted.

Run: ``python benchmarks/bench_explore_browser.py`` (or through ``benchmarks/run_all.py``).
Needs playwright (python) and ``/usr/bin/chromium``; says so and skips when either is missing.
"""

from __future__ import annotations

import contextlib
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
TRIES = 5
HEIGHTS_M = (0.81, 0.83, 0.85, 0.82, 0.84, 0.86, 0.87)
KPI_LABEL = "Monthly output (run-of-mine)"
BOX = "Seam height [m] (exact)"

_KPI_VALUE_JS = """(label) => {
  for (const card of document.querySelectorAll('[data-testid="stMetric"]')) {
    const l = card.querySelector('[data-testid="stMetricLabel"]');
    if (l && l.innerText.trim().startsWith(label)) {
      const v = card.querySelector('[data-testid="stMetricValue"]');
      return v ? v.innerText.trim() : null;
    }
  }
  return null;
}"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start_dashboard(folder: Path) -> tuple[subprocess.Popen, str]:
    from seamsim.cli.dashboard import QUIET_OPTIONS

    port = _free_port()
    env = dict(os.environ, SEAMSIM_HISTORY_DB=str(folder / "history.sqlite"))
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), *filter(None, [env.get("PYTHONPATH")])])
    log = (folder / "streamlit.log").open("w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "dashboard" / "app.py"), "--server.headless", "true",
         "--server.port", str(port), "--server.address", "127.0.0.1", *QUIET_OPTIONS],
        cwd=folder, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 90
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with {proc.returncode}; see {folder / 'streamlit.log'}")
        with contextlib.suppress(OSError), urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
            if response.status == 200:
                return proc, url
        time.sleep(0.3)
    proc.terminate()
    raise TimeoutError(f"streamlit did not answer on {url} within 90 s")


def _stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=5)


def _idle(page, timeout_ms: int = 120_000) -> None:
    """Until Streamlit's 'running' indicator is gone and stays gone for half a second (after Run
    the page makes two passes: the numbers, then the pictures)."""
    deadline = time.perf_counter() + timeout_ms / 1000.0
    while time.perf_counter() < deadline:
        with contextlib.suppress(Exception):
            page.wait_for_selector("[data-testid='stStatusWidget']", state="detached", timeout=timeout_ms)
        page.wait_for_timeout(500)
        if page.locator("[data-testid='stStatusWidget']").count() == 0:
            return


def browser_times(tries: int = TRIES) -> dict[str, list[float]]:
    """Seconds from Run to the new KPI value and to the pictures (the second pass), ``tries`` times."""
    from playwright.sync_api import sync_playwright

    out: dict[str, list[float]] = {"to the new KPI": [], "to the pictures (+0.5 s)": []}
    with tempfile.TemporaryDirectory() as tmp:
        proc, url = _start_dashboard(Path(tmp))
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                try:
                    page = browser.new_page(viewport={"width": 1440, "height": 900})
                    t = time.perf_counter()
                    page.goto(url)
                    page.wait_for_function(f"() => ({_KPI_VALUE_JS})({KPI_LABEL!r}) !== null", timeout=120_000)
                    out["first paint (KPI shown)"] = [time.perf_counter() - t]
                    _idle(page)
                    box = page.get_by_label(BOX)
                    run = page.get_by_role("button", name="Run").first
                    for height in HEIGHTS_M[:tries]:
                        old = page.evaluate(_KPI_VALUE_JS, KPI_LABEL)
                        box.fill(f"{height:.2f}")
                        t = time.perf_counter()
                        run.click()
                        page.wait_for_function(f"(old) => {{ const v = ({_KPI_VALUE_JS})({KPI_LABEL!r}); "
                                               "return v !== null && v !== old; }", arg=old, timeout=120_000,
                                               polling="raf")
                        out["to the new KPI"].append(time.perf_counter() - t)
                        _idle(page)
                        out["to the pictures (+0.5 s)"].append(time.perf_counter() - t)
                finally:
                    browser.close()
        finally:
            _stop(proc)
    return out


def server_times(tries: int = TRIES) -> list[float]:
    """Seconds of the same change through Streamlit's AppTest (the server side alone)."""
    import logging

    from streamlit.testing.v1 import AppTest

    logging.disable(logging.WARNING)  # "bare mode" notices: the page runs without a server here
    at = AppTest.from_file(str(ROOT / "dashboard" / "app.py"), default_timeout=120).run()
    times = []
    for height in HEIGHTS_M[:tries]:
        at.number_input(key="explore:seam.height_m:box").set_value(height)
        t = time.perf_counter()
        at.button(key="explore_run").click().run()
        times.append(time.perf_counter() - t)
        assert not at.exception, at.exception
    return times


def main() -> None:
    """Print the browser and server-side times of one change on Explore."""
    sys.path.insert(0, str(ROOT))
    try:
        import playwright  # noqa: F401
    except ImportError:
        print("   playwright is not installed: skipped")
        return
    if not Path(CHROMIUM).exists():
        print(f"   {CHROMIUM} is missing: skipped (apt-get install chromium)")
        return
    print(f"Explore, one change of seam height + Run, in Chromium at 1440×900 ({TRIES} tries; target ≤ 1 s "
          "to the KPI):")
    for label, seconds in browser_times().items():
        shown = ", ".join(f"{s * 1000:.0f}" for s in seconds)
        print(f"   {label:<26} median {statistics.median(seconds) * 1000:6.0f} ms   ({shown})")
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["SEAMSIM_HISTORY_DB"] = str(Path(tmp) / "history.sqlite")
        seconds = server_times()
    shown = ", ".join(f"{s * 1000:.0f}" for s in seconds)
    print(f"   {'server side (AppTest)':<26} median {statistics.median(seconds) * 1000:6.0f} ms   ({shown})")
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"   (load average {load:.1f} on {os.cpu_count()} CPUs while measuring)")


if __name__ == "__main__":
    main()
