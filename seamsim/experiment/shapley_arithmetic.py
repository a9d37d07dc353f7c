"""Shapley values from a mapping *coalition → values per replication*: exact, along one
order, or averaged over sampled orders (pure functions, usable without simulation).

Examples
--------
>>> v = {frozenset(): 0.0, frozenset("a"): 1.0, frozenset("b"): 2.0, frozenset("ab"): 5.0}
>>> {k: float(x) for k, x in shapley_values(v, ["a", "b"]).items()}
{'a': 2.0, 'b': 3.0}
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

__all__ = [
    "Values",
    "one_order_contributions",
    "permutation_shapley_values",
    "prefixes",
    "sampled_orders",
    "shapley_values",
]

Values = Mapping[frozenset, Any]


def _value(values: Values, coalition: frozenset) -> np.ndarray:
    try:
        return np.asarray(values[coalition], dtype=float)
    except KeyError:
        shown = ", ".join(sorted(map(str, coalition))) or "none"
        raise KeyError(f"no value for the coalition of {{{shown}}}") from None


def shapley_values(values: Values, players: Sequence[str]) -> dict[str, np.ndarray]:
    """Return the exact Shapley value of each player from the values of every coalition.

    Parameters
    ----------
    values : mapping of frozenset to float or ndarray
        ``v(S)`` for every subset ``S`` of ``players`` (``frozenset()`` included); arrays
        (one value per replication) are combined element-wise, so replications stay paired.
    players : sequence of str
        The players (factor groups); their order does not matter.

    Returns
    -------
    dict of str to ndarray
        ``φ_i`` per player, in the order of ``players``; ``Σ φ_i = v(N) − v(∅)``.
    """
    players = list(players)
    if len(set(players)) != len(players):
        raise ValueError("players must be unique")
    k = len(players)
    weight = [math.factorial(s) * math.factorial(k - s - 1) / math.factorial(k) for s in range(k)]
    result = {}
    for i in players:
        others = [p for p in players if p != i]
        total = np.zeros_like(_value(values, frozenset()))
        for size in range(k):
            for subset in itertools.combinations(others, size):
                s = frozenset(subset)
                total = total + weight[size] * (_value(values, s | {i}) - _value(values, s))
        result[i] = total
    return result


def one_order_contributions(values: Values, order: Sequence[str]) -> dict[str, np.ndarray]:
    """Return each player's step when the players join one after another in ``order``.

    The one-order (waterfall) decomposition of :func:`~seamsim.experiment.decompose.decompose`:
    ``v(P ∪ {i}) − v(P)`` with ``P`` the players before ``i``; the steps add up to
    ``v(N) − v(∅)``.
    """
    result = {}
    before: frozenset = frozenset()
    for i in order:
        after = before | {i}
        result[i] = _value(values, after) - _value(values, before)
        before = after
    return result


def permutation_shapley_values(
    values: Values, orders: Sequence[Sequence[str]]
) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """Return the Shapley values estimated over ``orders``, and the steps of each order.

    Parameters
    ----------
    values : mapping of frozenset to float or ndarray
        ``v(S)`` for every prefix of every order.
    orders : sequence of sequence of str
        Orders of the same players (over every one of the ``k!`` orders the result is the
        exact Shapley value).

    Returns
    -------
    (dict of str to ndarray, dict of str to ndarray)
        The mean step of each player over the orders (adding up to ``v(N) − v(∅)``), and
        the steps per order stacked along a first axis (``len(orders)`` rows).
    """
    if not orders:
        raise ValueError("need at least one order")
    players = list(orders[0])
    steps: dict[str, list[np.ndarray]] = {p: [] for p in players}
    for order in orders:
        if sorted(order) != sorted(players):
            raise ValueError(f"every order must hold the same players ({', '.join(players)})")
        for p, step in one_order_contributions(values, order).items():
            steps[p].append(step)
    stacked = {p: np.stack(s) for p, s in steps.items()}
    return {p: s.mean(axis=0) for p, s in stacked.items()}, stacked


def sampled_orders(players: Sequence[str], count: int, seed: int = 0) -> list[tuple[str, ...]]:
    """Return ``count`` orders of ``players``: random ones (seeded) each followed by its reverse.

    ``count`` is rounded up to an even number (antithetic pairs). The same arguments give
    the same orders.
    """
    if isinstance(count, bool) or int(count) < 1:
        raise ValueError(f"permutations must be a positive whole number, not {count!r}")
    rng = np.random.default_rng(np.random.SeedSequence(int(seed), spawn_key=(0x5A,)))
    players = list(players)
    orders: list[tuple[str, ...]] = []
    for _ in range(math.ceil(int(count) / 2)):
        order = tuple(players[j] for j in rng.permutation(len(players)))
        orders += [order, order[::-1]]
    return orders


def prefixes(orders: Sequence[Sequence[str]]) -> list[frozenset]:
    seen: dict[frozenset, None] = {}
    for order in orders:
        for j in range(len(order) + 1):
            seen.setdefault(frozenset(order[:j]), None)
    return list(seen)
