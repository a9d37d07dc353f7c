"""The errors of an output directory (see :mod:`seamsim.experiment.store`)."""

from __future__ import annotations

__all__ = ["StoreBusy", "StoreError"]


class StoreError(Exception):
    """An output directory cannot be used as asked (occupied, damaged, or a mismatched resume)."""


class StoreBusy(StoreError):
    """Another process is writing to the output directory."""
