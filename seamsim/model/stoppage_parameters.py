"""Failures, repairs and stoppages of a scenario in SI (seconds, rates per second).

The face and its failure clocks read these, never the scenario: every time is converted
from the schema's hours and minutes once, here (:func:`stoppage_parameters`).
"""

from __future__ import annotations

from dataclasses import dataclass

from seamsim import units as u
from seamsim.scenario.schema import FailureMode, Scenario


@dataclass(frozen=True)
class FailureModeParameters:
    """Time between failures (operating time) and time to repair of one subsystem, in SI.

    Attributes
    ----------
    enabled : bool
        Whether the failure process runs.
    distribution : str
        ``exponential``, ``weibull`` or ``lognormal``.
    mean_time_between_failures_s : float
        Mean operating time between failures [s].
    shape : float
        Weibull shape β, or log-normal σ of the time between failures [-].
    repair_median_s : float
        Median time to repair, log-normal [s].
    repair_sigma_ln : float
        Log-normal σ of the time to repair [-].
    repaired_by : str
        Skill a repair needs (``fitter``, ``electrician``, ``operator``).
    """

    enabled: bool
    distribution: str
    mean_time_between_failures_s: float
    shape: float
    repair_median_s: float
    repair_sigma_ln: float
    repaired_by: str


def failure_mode_parameters(mode: FailureMode) -> FailureModeParameters:
    """Return a scenario failure block in SI."""
    return FailureModeParameters(
        enabled=mode.enabled,
        distribution=mode.distribution,
        mean_time_between_failures_s=mode.mean_time_between_failures_h * u.S_PER_H,
        shape=mode.shape,
        repair_median_s=mode.repair_median_h * u.S_PER_H,
        repair_sigma_ln=mode.repair_sigma_ln,
        repaired_by=mode.repaired_by,
    )


@dataclass(frozen=True)
class StoppageParameters:
    """Everything that stops a face from outside the cutting cycle, in SI.

    ``enabled`` is the scenario's master switch (``failures.enabled``); with it off the
    face is deterministic. ``comms_outage_rate_per_s`` is zero unless the shearer is run
    remotely (a local face has no radio link to lose).
    """

    enabled: bool
    modes: dict[str, FailureModeParameters]
    """``shearer``, ``conveyor``, ``shields`` → their failure processes."""
    trip_reset_median_s: float
    trip_reset_sigma_ln: float
    jam_clear_median_s: float
    jam_clear_sigma_ln: float
    roof_events_enabled: bool
    roof_event_median_s: float
    roof_event_sigma_ln: float
    outbye_blocked_fraction: float
    outbye_stop_median_s: float
    outbye_stop_sigma_ln: float
    comms_outage_rate_per_s: float
    comms_outage_median_s: float
    comms_outage_sigma_ln: float
    comms_restart_s: float


def stoppage_parameters(scenario: Scenario) -> StoppageParameters:
    """Return the failures and stoppages of ``scenario`` in SI.

    Parameters
    ----------
    scenario : Scenario
        A validated scenario.

    Returns
    -------
    StoppageParameters
        Times [s], rates [1/s] and log-normal σ [-].
    """
    f = scenario.failures
    el = scenario.electrical
    remote = scenario.operation.remote_control
    return StoppageParameters(
        enabled=f.enabled,
        modes={name: failure_mode_parameters(getattr(f, name)) for name in ("shearer", "conveyor", "shields")},
        trip_reset_median_s=el.trip_reset_median_min * u.S_PER_MIN,
        trip_reset_sigma_ln=el.trip_reset_sigma_ln,
        jam_clear_median_s=f.jam_clear_median_h * u.S_PER_H,
        jam_clear_sigma_ln=f.jam_clear_sigma_ln,
        roof_events_enabled=f.roof_events_enabled,
        roof_event_median_s=f.roof_event_median_h * u.S_PER_H,
        roof_event_sigma_ln=f.roof_event_sigma_ln,
        outbye_blocked_fraction=f.outbye_blocked_fraction,
        outbye_stop_median_s=f.outbye_stop_median_min * u.S_PER_MIN,
        outbye_stop_sigma_ln=f.outbye_stop_sigma_ln,
        comms_outage_rate_per_s=f.comms_outage_rate_per_h / u.S_PER_H if remote else 0.0,
        comms_outage_median_s=f.comms_outage_median_s,
        comms_outage_sigma_ln=f.comms_outage_sigma_ln,
        comms_restart_s=f.comms_restart_min * u.S_PER_MIN,
    )
