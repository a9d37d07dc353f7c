"""Shared settings of the scenario tests: the ``fuzz`` marker and its Hypothesis profiles.

The fuzz tests run a few hundred cases in the normal test run (profile ``seamsim-quick``).
``make fuzz`` runs only them (``-m fuzz``) with ``SEAMSIM_FUZZ_PROFILE=seamsim-fuzz``, which
tries many more cases. A fuzz test takes its settings from the profile named by that variable.
"""

from __future__ import annotations

from hypothesis import HealthCheck, settings

_COMMON = {
    "deadline": None,
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
}
settings.register_profile("seamsim-quick", max_examples=150, **_COMMON)
settings.register_profile("seamsim-fuzz", max_examples=5000, **_COMMON)


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "fuzz: Hypothesis fuzzing of bad input (longer with `make fuzz`)"
    )

