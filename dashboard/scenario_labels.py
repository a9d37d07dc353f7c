"""Short names and digests of scenarios for charts, tables and chart memos."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from seamsim.scenario.schema import Scenario


def scenario_digest(scenario: Scenario) -> str:
    """SHA-256 of a scenario's JSON: what a chart of it depends on, short to compare."""
    import hashlib

    return hashlib.sha256(scenario.model_dump_json().encode("utf-8")).hexdigest()


def short_label(scenario: Scenario) -> str:
    """A short name for charts: the title up to its colon (``Before``, ``After``) or the name."""
    title = scenario.title or ""
    head = title.split(":", 1)[0].strip()
    if ":" in title and 0 < len(head) <= 32:
        return head
    if 0 < len(title) <= 32:
        return title
    return scenario.name


def short_labels(scenarios: Sequence[Scenario]) -> dict[str, str]:
    """Name → :func:`short_label`, falling back to the name where two would read the same."""
    labels = {sc.name: short_label(sc) for sc in scenarios}
    counts: dict[str, int] = {}
    for text in labels.values():
        counts[text] = counts.get(text, 0) + 1
    return {name: (text if counts[text] == 1 else name) for name, text in labels.items()}


def scenario_labels(scenarios: Iterable[Scenario]) -> dict[str, str]:
    """Name → short display label (the title when there is one)."""
    return {sc.name: (sc.title or sc.name) for sc in scenarios}


__all__ = [
    "scenario_digest",
    "scenario_labels",
    "short_label",
    "short_labels",
]
