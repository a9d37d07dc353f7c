"""The crew of the reference face: the free people of the shift on duty, with their skills."""

from __future__ import annotations

import bisect
from typing import NamedTuple

import simpy

__all__ = ["Crew", "Person"]


class Person(NamedTuple):
    index: int
    """Place on the shift's roster (the least skilled first)."""
    skills: tuple[str, ...]
    shift: int


class Crew(simpy.FilterStore):
    """The free people of the shift on duty, kept in roster order so the least skilled is called first."""

    def _do_put(self, event) -> None:
        bisect.insort(self.items, event.item)
        event.succeed()
