"""Calling ``seamsim`` in-process from tests: exit status and output, never a traceback."""

from __future__ import annotations

import json

from seamsim.cli import main


def run(capsys, *argv: str) -> tuple[int, str, str]:
    """Run ``seamsim ARGV``; return (exit status, stdout, stderr), checking no traceback was printed."""
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def run_json(capsys, *argv: str) -> tuple[int, dict]:
    """Run ``seamsim ARGV --json``; return the exit status and the one JSON object on stdout."""
    code, out, _ = run(capsys, *argv, "--json")
    return code, json.loads(out)
