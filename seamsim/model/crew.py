"""People as capacity: who is on shift, and who is free to repair or change picks.

Each shift has a roster of people with skills (``fitter``, ``electrician``, ``picks``;
:func:`seamsim.model.parameters.production_roster`). A repair or a pick change asks for one
person with the skill it needs; the first free one with the fewest skills takes it, and
when nobody is free the request waits in line (first come, first served) until someone is
released or a new shift brings new people. Two failures with one fitter on shift therefore
wait for each other. People still at work when their shift ends finish the job (overtime)
and go home; the new shift's people are all free.
"""

from __future__ import annotations

from collections import deque

import simpy

from seamsim.model.calendar import PRODUCTION


class CrewPool:
    """The people of the shift on duty, as a pool of skills."""

    def __init__(self, env: simpy.Environment, rosters: dict[str, tuple[tuple[str, ...], ...]]) -> None:
        self.env = env
        self.rosters = rosters
        self.generation = 0
        self.people: tuple[tuple[str, ...], ...] = ()
        self.free: list[bool] = []
        self.waiting: deque[tuple[str, simpy.Event]] = deque()
        self.set_shift(PRODUCTION)

    def set_shift(self, kind: str) -> None:
        """Bring on the people of a shift of ``kind`` (none off shift) and serve whoever waits."""
        self.generation += 1
        self.people = self.rosters.get(kind, ())
        self.free = [True] * len(self.people)
        self.by_skill: dict[str, list[int]] = {}
        for i, skills in enumerate(self.people):
            for skill in skills:
                self.by_skill.setdefault(skill, []).append(i)
        if self.waiting:
            self._serve()

    def request(self, skill: str) -> simpy.Event:
        """Return an event that succeeds with a token once a person with ``skill`` is assigned."""
        event = self.env.event()
        index = self._first_free(skill)
        if index is not None and not self.waiting:
            self.free[index] = False
            event.succeed((self.generation, index))
        else:
            self.waiting.append((skill, event))
            self._serve()
        return event

    def release(self, token: tuple[int, int]) -> None:
        """Free the person of ``token`` (ignored when their shift has ended)."""
        generation, index = token
        if generation == self.generation:
            self.free[index] = True
            if self.waiting:
                self._serve()

    def _first_free(self, skill: str) -> int | None:
        """Index of the first free person with ``skill`` (the roster lists the least skilled first)."""
        free = self.free
        for i in self.by_skill.get(skill, ()):
            if free[i]:
                return i
        return None

    def _serve(self) -> None:
        """Assign free people to the waiting requests, in order."""
        still: deque[tuple[str, simpy.Event]] = deque()
        while self.waiting:
            skill, event = self.waiting.popleft()
            index = self._first_free(skill)
            if index is None:
                still.append((skill, event))
                continue
            self.free[index] = False
            event.succeed((self.generation, index))
        self.waiting = still
