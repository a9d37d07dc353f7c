"""Named random streams for one replication (common random numbers).

Each stochastic process of the model draws from its own :class:`numpy.random.Generator`,
spawned from the replication's :class:`numpy.random.SeedSequence` under a key derived
from the stream's *name* (not its position in a list). Two scenarios run with the same
seed therefore see the same seam, the same failure clock draws and the same outages
wherever their physics does not differ, and adding a stream later changes no other
stream. The model never touches global random state.
"""

from __future__ import annotations

import zlib

import numpy as np

STREAM_NAMES: tuple[str, ...] = (
    "seam",
    "shearer.tbf", "shearer.ttr",
    "conveyor.tbf", "conveyor.ttr",
    "shields.tbf", "shields.ttr",
    "electrical.tbf", "electrical.ttr",
    "jam", "roof",
    "outbye.up", "outbye.down",
    "comms.arrival", "comms.duration",
)
"""Every stochastic process of the face model, one stream each."""


def stream_key(name: str) -> int:
    """Return the stable spawn-key integer of a stream name (CRC-32 of its UTF-8 bytes)."""
    return zlib.crc32(name.encode("utf-8"))


def as_seed_sequence(seed: int | np.random.SeedSequence) -> np.random.SeedSequence:
    """Return ``seed`` as a :class:`numpy.random.SeedSequence`."""
    if isinstance(seed, np.random.SeedSequence):
        return seed
    if isinstance(seed, (bool, np.bool_)) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer or a SeedSequence, not {seed!r}")
    return np.random.SeedSequence(int(seed))


def named_generators(seed: int | np.random.SeedSequence) -> dict[str, np.random.Generator]:
    """Return one independent generator per stream of :data:`STREAM_NAMES`.

    Parameters
    ----------
    seed : int or numpy.random.SeedSequence
        The replication's seed (experiments pass a child of the experiment's root).

    Returns
    -------
    dict of str to numpy.random.Generator
        Generators keyed by stream name.
    """
    root = as_seed_sequence(seed)
    return {
        name: np.random.Generator(np.random.PCG64(
            np.random.SeedSequence(root.entropy, spawn_key=(*root.spawn_key, stream_key(name)))
        ))
        for name in STREAM_NAMES
    }
