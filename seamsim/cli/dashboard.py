"""``seamsim dashboard [--port N]``: open the Streamlit dashboard in the browser.

Runs ``python -m streamlit run <dashboard/app.py>`` in a subprocess, with the app found next
to the installed ``seamsim`` package (the repository checkout, or the ``dashboard``
package installed with it). Streamlit is imported by that subprocess only, so
``seamsim --help`` stays fast; without it the command says which extra to install.

Exit status: Streamlit's own (0 after Ctrl-C), 2 when the app or Streamlit is missing.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import shlex
import subprocess
import sys
from pathlib import Path

from seamsim.cli.base import EXIT_BAD_INPUT, Command

DEFAULT_PORT = 8501
DEFAULT_HOST = "localhost"
"""Listen on this machine only, as `make run` promises."""

QUIET_OPTIONS: tuple[str, ...] = ("--browser.gatherUsageStats", "false", "--client.toolbarMode", "minimal")
"""No usage statistics sent, no developer menu or Deploy button: the options of the repository's
``.streamlit/config.toml``, passed as flags so they hold whatever folder streamlit starts in."""


def app_path() -> Path | None:
    """Return the dashboard's entry point (``dashboard/app.py``), or ``None`` if not found.

    Looks next to the ``seamsim`` package first (a checkout: ``<repo>/dashboard/app.py``),
    then wherever the ``dashboard`` package is installed.
    """
    import seamsim

    candidates = [Path(seamsim.__file__).resolve().parents[1] / "dashboard" / "app.py"]
    try:
        spec = importlib.util.find_spec("dashboard")
    except (ImportError, ValueError):
        spec = None
    if spec is not None:
        for location in spec.submodule_search_locations or []:
            candidates.append(Path(location) / "app.py")
    return next((path for path in candidates if path.is_file()), None)


def streamlit_command(app: Path, port: int, *, host: str | None = None, headless: bool = False,
                      extra: list[str] | None = None) -> list[str]:
    """Return the ``python -m streamlit run`` command line for ``app``."""
    command = [
        sys.executable, "-m", "streamlit", "run", str(app),
        "--server.port", str(port),
        *QUIET_OPTIONS,
    ]
    if host:
        command += ["--server.address", host]
    if headless:
        command += ["--server.headless", "true"]
    return command + list(extra or [])


def configure(parser: argparse.ArgumentParser) -> None:
    """Add the arguments of ``seamsim dashboard``."""
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, metavar="N",
                        help=f"port to serve on (default {DEFAULT_PORT})")
    parser.add_argument("--host", default=DEFAULT_HOST, metavar="ADDR",
                        help=f"address to listen on (default {DEFAULT_HOST}: this machine only; "
                             "also keeps Streamlit from looking up an external address)")
    parser.add_argument("--headless", action="store_true", help="do not open a browser window")
    parser.add_argument("--dry-run", action="store_true", help="print the command instead of running it")


def handle(args: argparse.Namespace) -> int:
    """Start Streamlit on the dashboard and wait for it to end."""
    if not 0 < args.port < 65536:
        print(f"seamsim dashboard: --port must be between 1 and 65535, got {args.port}", file=sys.stderr)
        return EXIT_BAD_INPUT
    app = app_path()
    if app is None:
        print("seamsim dashboard: cannot find dashboard/app.py next to the seamsim package", file=sys.stderr)
        return EXIT_BAD_INPUT
    command = streamlit_command(app, args.port, host=args.host, headless=args.headless)
    if args.dry_run:
        print(shlex.join(command))
        return 0
    if importlib.util.find_spec("streamlit") is None:
        print("seamsim dashboard: needs Streamlit; install it with: pip install 'seamsim[dashboard]'",
              file=sys.stderr)
        return EXIT_BAD_INPUT
    print(f"seamsim dashboard: serving {app} on http://localhost:{args.port} (Ctrl-C to stop)", file=sys.stderr)
    env = dict(os.environ)
    root = str(app.parents[1])
    env["PYTHONPATH"] = os.pathsep.join([root, *filter(None, [env.get("PYTHONPATH")])])
    try:
        return subprocess.call(command, env=env)
    except KeyboardInterrupt:
        return 0


COMMAND = Command("dashboard", "open the Streamlit dashboard", configure, handle)
