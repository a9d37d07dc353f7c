"""The built wheel carries the bundled scenarios and the dashboard.

In a fresh virtual environment, ``pip install seamsim-*.whl`` then ``seamsim run
article_after_3300v`` (by name, from a folder that is not the checkout) and ``seamsim
dashboard`` work. The fresh environment borrows the test environment's third-party
packages through a ``.pth`` line (nothing is downloaded); the checkout's own editable
install is not visible to it, which the test checks.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import sysconfig
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SKIP = shutil.ignore_patterns(".venv", ".git", "build", "dist", "*.egg-info", ".hypothesis", "test-output",
                              "__pycache__", ".pytest_cache", ".ruff_cache", "tests")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """Build the wheel from a copy of the checkout and install it in a fresh venv; return its bin/."""
    tmp = tmp_path_factory.mktemp("wheel")
    source = tmp / "src"
    shutil.copytree(ROOT, source, ignore=SKIP)
    dist = tmp / "dist"
    build = subprocess.run([sys.executable, "-m", "pip", "wheel", str(source), "--no-deps", "-q", "-w", str(dist)],
                           capture_output=True, text=True, timeout=600)
    assert build.returncode == 0, build.stdout + build.stderr
    wheels = list(dist.glob("seamsim-*.whl"))
    assert len(wheels) == 1
    venv = tmp / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    python = venv / "bin" / "python"
    site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          capture_output=True, text=True, check=True).stdout.strip()
    (Path(site) / "borrowed_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    install = subprocess.run([str(python), "-m", "pip", "install", "--no-deps", "--no-index", "-q", str(wheels[0])],
                             capture_output=True, text=True, timeout=300)
    assert install.returncode == 0, install.stdout + install.stderr
    return venv / "bin"


def _clean_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "SEAMSIM_SCENARIO_DIR", "VIRTUAL_ENV")}
    env["PYTHONNOUSERSITE"] = "1"
    return env


def test_the_wheel_runs_a_bundled_scenario_by_name(installed, tmp_path):
    where = subprocess.run([str(installed / "python"), "-c", "import seamsim, dashboard; print(seamsim.__file__); "
                            "print(dashboard.__file__)"], capture_output=True, text=True, cwd=tmp_path,
                           env=_clean_env(), check=True).stdout.split()
    assert all(str(installed.parent) in path for path in where), where  # the wheel, not the checkout
    run = subprocess.run([str(installed / "seamsim"), "run", "article_after_3300v", "--days", "2", "-n", "1", "--json"],
                         capture_output=True, text=True, cwd=tmp_path, env=_clean_env(), timeout=300)
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["scenario"] == "article_after_3300v"
    exercises = subprocess.run([str(installed / "seamsim"), "exercise", "check", "--no-key",
                                *[str(p) for p in sorted((ROOT / "exercises").glob("*.yaml"))]],
                               capture_output=True, text=True, cwd=tmp_path, env=_clean_env(), timeout=300)
    assert exercises.returncode == 0, exercises.stderr
    listed = subprocess.run([str(installed / "python"), "-c",
                             "from seamsim.exercise import exercise_paths; print(len(exercise_paths()))"],
                            capture_output=True, text=True, cwd=tmp_path, env=_clean_env(), timeout=120)
    assert int(listed.stdout.strip()) == len(list((ROOT / "exercises").glob("*.yaml"))) >= 3, listed.stderr


def test_the_wheel_serves_the_dashboard_with_its_scenarios(installed, tmp_path):
    listed = subprocess.run([str(installed / "python"), "-c",
                             "from dashboard.library import bundled_library; print(len(bundled_library()))"],
                            capture_output=True, text=True, cwd=tmp_path, env=_clean_env(), timeout=120)
    assert listed.returncode == 0, listed.stderr
    assert int(listed.stdout.strip()) >= 2
    port = _free_port()
    server = subprocess.Popen([str(installed / "seamsim"), "dashboard", "--headless", "--port", str(port)],
                              cwd=tmp_path, env=_clean_env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              start_new_session=True)
    try:
        deadline = time.monotonic() + 90
        body = ""
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as reply:
                    body = reply.read().decode()
                    break
            except OSError:
                if server.poll() is not None:
                    break
                time.sleep(0.5)
        assert body == "ok", (server.poll(), server.stdout.read().decode() if server.poll() is not None else "")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        finally:  # nothing of the group may outlive the test (streamlit included)
            with contextlib.suppress(ProcessLookupError):
                os.killpg(server.pid, signal.SIGKILL)


def test_the_wheel_carries_the_references_page_and_the_tab_icon(installed, tmp_path):
    code = ("from dashboard import display, glossary; print(glossary.REFERENCES_PATH); "
            "print(display.ICON_PATH.is_file()); print(len(glossary.reference_entries()))")
    out = subprocess.run([str(installed / "python"), "-c", code], capture_output=True, text=True, cwd=tmp_path,
                         env=_clean_env(), check=True).stdout.split()
    assert str(installed.parent) in out[0] and out[0].endswith("dashboard/references.md"), out
    assert out[1] == "True" and int(out[2]) > 20, out
