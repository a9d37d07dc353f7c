"""Every point of a design checked on every scenario before anything runs."""

from __future__ import annotations

import dataclasses
import itertools
import math
from collections.abc import Iterator, Sequence
from typing import Any

from seamsim.experiment.design_points import Design, GridPoints, coerced_value
from seamsim.experiment.vary import VARY_SOURCE, _as_vary_error, field_info
from seamsim.scenario import Scenario, ScenarioError, apply_overrides

__all__ = ["validate_design"]


def validate_design(design: Design, scenarios: Sequence[Scenario]) -> None:
    """Check every point of ``design`` on every scenario before anything runs.

    Range ends are checked first, so the message shows the value the user typed.

    Raises
    ------
    ScenarioError
        With the messages of ``seamsim validate`` (the point is named when it matters).
    """
    for scenario in scenarios:
        for path, (lo, hi) in design.ranges.items():
            info = field_info(path)
            for end in (lo, hi):
                try:
                    apply_overrides(scenario, {path: coerced_value(info, end)})
                except ScenarioError as error:
                    raise _as_vary_error(error) from None
        for i, point in _points_to_check(design):
            try:
                apply_overrides(scenario, point)
            except ScenarioError as error:
                issues = [dataclasses.replace(e, file=VARY_SOURCE) for e in error.issues]
                if len(design.points) > 1:
                    note = f" (design point {i} on scenario {scenario.name})"
                    issues = [dataclasses.replace(e, message=e.message + note) for e in issues]
                raise ScenarioError(issues) from None


def _points_to_check(design: Design) -> Iterator[tuple[int, dict[str, Any]]]:
    """Yield (index, overrides) that together check every point of ``design``.

    A grid is checked section by section: the schema's rules join fields of one section
    only (``crew.patrol_qualified_fitters`` ≤ ``crew.patrol``, shifts within a day), so
    every combination of each section's values, with the other fields at their first
    value, covers every point. A grid of 1,000 × 1,000 values over two sections is checked
    in 2,000 scenarios, not a million. Other designs are checked point by point (repeated
    points once).
    """
    points = design.points
    if isinstance(points, GridPoints):
        sections: dict[str, list[int]] = {}
        for k, name in enumerate(points.fields):
            sections.setdefault(name.split(".")[0], []).append(k)
        radix = [math.prod(len(v) for v in points.values[k + 1:]) for k in range(len(points.fields))]
        for members in sections.values():
            for digits in itertools.product(*(range(len(points.values[k])) for k in members)):
                index = sum(d * radix[k] for d, k in zip(digits, members, strict=True))
                yield index, points[index]
        return
    checked: set[tuple] = set()
    for i, point in enumerate(points):
        key = tuple(sorted((k, repr(v)) for k, v in point.items()))
        if key not in checked:
            checked.add(key)
            yield i, point
