"""Seeds: one root per experiment, one child per replication, rebuilt alone."""

from __future__ import annotations

import numpy as np
import pytest

from seamsim.experiment.seeds import (
    check_replications,
    check_seed,
    experiment_seed,
    replication_seed,
    replication_seeds,
)
from seamsim.model.streams import named_generators


@pytest.mark.parametrize(("seed", "n"), [(0, 1), (7, 5), (2**40 + 3, 12)])
def test_replication_seed_equals_the_spawned_child(seed, n):
    children = np.random.SeedSequence(seed).spawn(n)
    for i, child in enumerate(children):
        alone = replication_seed(seed, i)
        assert alone.entropy == child.entropy
        assert alone.spawn_key == child.spawn_key
        assert np.array_equal(alone.generate_state(8), child.generate_state(8))


def test_replication_seed_gives_the_same_model_streams_as_the_spawned_child():
    alone = named_generators(replication_seed(11, 3))
    spawned = named_generators(np.random.SeedSequence(11).spawn(4)[3])
    assert alone.keys() == spawned.keys()
    for name in alone:
        assert np.array_equal(alone[name].random(16), spawned[name].random(16)), name


def test_replications_get_different_streams():
    a = named_generators(replication_seed(5, 0))["shearer.tbf"].random(4)
    b = named_generators(replication_seed(5, 1))["shearer.tbf"].random(4)
    assert not np.array_equal(a, b)


def test_experiment_seed_is_the_root():
    root = experiment_seed(9)
    assert root.entropy == 9 and root.spawn_key == ()
    assert [s.spawn_key for s in replication_seeds(9, 3)] == [(0,), (1,), (2,)]


@pytest.mark.parametrize("bad", [-1, 1.5, "3", True, None, 2**63])
def test_bad_seeds_are_refused(bad):
    with pytest.raises(ValueError, match="seed"):
        check_seed(bad)


def test_replications_as_count_or_indices():
    assert check_replications(3) == [0, 1, 2]
    assert check_replications([7]) == [7]
    assert check_replications(range(30, 32)) == [30, 31]
    for bad in (0, -2, [], [1, 1], [-1], True, [0.5]):
        with pytest.raises(ValueError):
            check_replications(bad)
