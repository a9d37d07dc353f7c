"""Seeds of an experiment: one root per experiment, one child per replication.

An experiment with integer ``seed`` has the root ``SeedSequence(seed)``; replication ``i``
uses the root's ``i``-th child, ``SeedSequence(seed).spawn(n)[i]``. That child is built
directly by :func:`replication_seed` (``SeedSequence(seed, spawn_key=(i,))``), so any one
replication can be re-run alone, in any order, on any machine, and gives the same numbers
as in the batch. Inside :func:`seamsim.simulate` each stochastic process (failures of each
subsystem, outages, the seam profile, …) spawns its own named stream from that child.

The same child is used for every scenario and every design point of an experiment: this
gives *common random numbers*, so differences between scenarios are paired.

Examples
--------
>>> import numpy as np
>>> child = replication_seed(7, 2)
>>> spawned = np.random.SeedSequence(7).spawn(3)[2]
>>> bool((child.generate_state(4) == spawned.generate_state(4)).all())
True
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np

__all__ = [
    "MAX_SEED",
    "check_replications",
    "check_seed",
    "experiment_seed",
    "replication_seed",
    "replication_seeds",
]

MAX_SEED = 2**63 - 1
"""Largest experiment seed (it is stored in an int64 column of every run row)."""


def check_seed(seed: object) -> int:
    """Return ``seed`` as an int, or raise ``ValueError`` if it is not a valid seed.

    Parameters
    ----------
    seed : int
        A non-negative integer no larger than :data:`MAX_SEED`.

    Returns
    -------
    int
        The seed.
    """
    if isinstance(seed, bool | np.bool_) or not isinstance(seed, int | np.integer):
        raise ValueError(f"seed must be a non-negative integer, not {seed!r}")
    if not 0 <= int(seed) <= MAX_SEED:
        raise ValueError(f"seed must be between 0 and {MAX_SEED}, not {seed}")
    return int(seed)


def check_replications(replications: int | Iterable[int]) -> list[int]:
    """Return the replication indices to run.

    Parameters
    ----------
    replications : int or iterable of int
        A count ``n`` (indices ``0 … n-1``) or explicit indices (e.g. ``[7]`` to re-run
        replication 7 alone, or ``range(30, 60)`` to add 30 replications to a first 30).

    Returns
    -------
    list of int
        Unique, non-negative indices in the order given.
    """
    if isinstance(replications, bool | np.bool_):
        raise ValueError(f"replications must be a count or a list of indices, not {replications!r}")
    if isinstance(replications, int | np.integer):
        if replications < 1:
            raise ValueError(f"replications must be at least 1, not {replications}")
        return list(range(int(replications)))
    indices: list[int] = []
    for index in replications:
        if isinstance(index, bool | np.bool_) or not isinstance(index, int | np.integer) or index < 0:
            raise ValueError(f"replication indices must be non-negative integers, not {index!r}")
        indices.append(int(index))
    if not indices:
        raise ValueError("no replications to run")
    if len(set(indices)) != len(indices):
        raise ValueError("replication indices must be unique")
    return indices


def experiment_seed(seed: int) -> np.random.SeedSequence:
    """Return the root :class:`numpy.random.SeedSequence` of an experiment."""
    return np.random.SeedSequence(check_seed(seed))


def replication_seed(seed: int, replication: int) -> np.random.SeedSequence:
    """Return the seed sequence of one replication, the same as the batch uses.

    Parameters
    ----------
    seed : int
        The experiment's seed.
    replication : int
        The replication index (0-based).

    Returns
    -------
    numpy.random.SeedSequence
        ``SeedSequence(seed, spawn_key=(replication,))``, equal in state to
        ``SeedSequence(seed).spawn(replication + 1)[replication]``. Pass it to
        :func:`seamsim.simulate` to re-run that replication alone.
    """
    if isinstance(replication, bool | np.bool_) or not isinstance(replication, int | np.integer):
        raise ValueError(f"replication must be a non-negative integer, not {replication!r}")
    if replication < 0:
        raise ValueError(f"replication must be a non-negative integer, not {replication}")
    return np.random.SeedSequence(check_seed(seed), spawn_key=(int(replication),))


def replication_seeds(seed: int, replications: int | Sequence[int]) -> list[np.random.SeedSequence]:
    """Return the seed sequences of several replications (see :func:`replication_seed`)."""
    return [replication_seed(seed, i) for i in check_replications(replications)]
