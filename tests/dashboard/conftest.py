"""Every dashboard test writes its history to a file of its own (never the user's)."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def history_db(tmp_path, monkeypatch):
    """Point ``SEAMSIM_HISTORY_DB`` at a fresh file in the test's folder; return its path."""
    path = tmp_path / "history.sqlite"
    monkeypatch.setenv("SEAMSIM_HISTORY_DB", str(path))
    return path
