"""``simulate(scenario, seed) → RunResult``: one replication of a face over a horizon."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd
import simpy

from seamsim import __version__
from seamsim import units as u
from seamsim.model.calendar import Calendar, production_shifts_started, scheduled_production_s
from seamsim.model.face import Face
from seamsim.model.failures import SUBSYSTEMS
from seamsim.model.parameters import FaceParameters, face_parameters
from seamsim.model.profile import LIMIT_NAMES
from seamsim.model.recorder import RUNNING_STATES, STATES, Recorder
from seamsim.model.streams import as_seed_sequence, named_generators
from seamsim.physics import picks
from seamsim.scenario.digest import scenario_sha256
from seamsim.scenario.schema import Scenario

DAYS_PER_MONTH = 30.0
"""Days in the month that ``rom_t_per_month`` refers to (docs/model.md §10) [E]."""

PASS_COLUMNS = ("web", "direction", "start_s", "end_s", "coal_t", "rock_t", "complete")
EVENT_COLUMNS = ("time_s", "event", "cause", "duration_s", "position_m")
TRACE_COLUMNS = ("time_s", "position_m", "state")


@dataclass
class RunResult:
    """The outcome of one replication.

    Attributes
    ----------
    scenario : str
        Scenario name.
    seed : int or None
        The integer seed, when one was given.
    seed_entropy : int
        Entropy of the run's :class:`numpy.random.SeedSequence` (the integer seed, or the
        experiment seed of a replication).
    spawn_key : tuple of int
        Spawn key of that SeedSequence (``(i,)`` for replication ``i`` of an experiment);
        ``SeedSequence(seed_entropy, spawn_key=spawn_key)`` reproduces the run exactly.
    scenario_sha256 : str
        SHA-256 of the resolved scenario's canonical JSON (:mod:`seamsim.scenario.digest`).
    seamsim_version : str
        The package version that ran it.
    status : {"ok", "infeasible"}
        ``infeasible`` when the face cannot be worked; ``reasons`` says why.
    reasons, warnings : list of str
        Plain-language reasons (infeasible) and warnings (close to a limit).
    summary : dict of str to float
        KPIs with units in their names (see docs/model.md for the full list).
    time_in_state_s : dict of str to float
        Seconds in each state; they sum to the horizon.
    limit_share : dict of str to float
        Share of cutting distance on which each speed limit bound.
    """

    scenario: str
    seed: int | None
    status: str
    reasons: list[str]
    warnings: list[str]
    summary: dict[str, float]
    time_in_state_s: dict[str, float]
    limit_share: dict[str, float]
    horizon_s: float
    seed_entropy: int = 0
    spawn_key: tuple[int, ...] = ()
    scenario_sha256: str = ""
    seamsim_version: str = ""
    _passes: list[tuple] = field(default_factory=list, repr=False)
    _events: list[tuple] = field(default_factory=list, repr=False)
    _trace: list[tuple] = field(default_factory=list, repr=False)

    @cached_property
    def passes(self) -> pd.DataFrame:
        """One row per pass (web): direction, start and end [s], coal and rock [t], complete."""
        return pd.DataFrame(self._passes, columns=list(PASS_COLUMNS))

    @cached_property
    def events(self) -> pd.DataFrame:
        """One row per stoppage: time [s], event (state), cause, duration [s], position [m]."""
        return pd.DataFrame(self._events, columns=list(EVENT_COLUMNS))

    @cached_property
    def trace(self) -> pd.DataFrame:
        """The shearer's position over time: one row per change of state."""
        return pd.DataFrame(sorted(self._trace, key=lambda point: point[0]), columns=list(TRACE_COLUMNS))

    @property
    def ok(self) -> bool:
        """Whether the face could be worked."""
        return self.status == "ok"


def _nominal_kpis(p: FaceParameters) -> dict[str, float]:
    el = p.electrical
    return {
        "rated_current_a": el.rated_current_a,
        "voltage_drop_pct": el.voltage_drop_fraction * u.PCT_PER_FRACTION,
        "start_dip_pct": el.start_dip_fraction * u.PCT_PER_FRACTION,
        "cable_loading_pct": el.loading * u.PCT_PER_FRACTION,
        "spare_clearance_mm": p.nominal_spare_clearance_m * u.MM_PER_M,
        "machine_height_mm": p.machine_height_m * u.MM_PER_M,
        "rock_reach_mm": p.rock_reach_m * u.MM_PER_M,
        "face_air_c": p.face_air_c,
        "crew_per_shift": float(p.crew.per_production_shift),
        "supply_voltage_v": el.nominal_voltage_v,
        "days": p.horizon_s / u.S_PER_DAY,
    }


def _seed_value(seed) -> int | None:
    return int(seed) if isinstance(seed, (int, np.integer)) and not isinstance(seed, bool) else None


def simulate(scenario: Scenario, seed: int | np.random.SeedSequence = 0, days: float | None = None) -> RunResult:
    """Simulate one replication of a face.

    Parameters
    ----------
    scenario : Scenario
        A validated scenario.
    seed : int or numpy.random.SeedSequence, optional
        Seed of this replication; each stochastic process gets its own named stream.
    days : float, optional
        Horizon [d]; ``scenario.run.days`` when not given.

    Returns
    -------
    RunResult
        KPIs, time in each state, speed-limit shares, passes, events and trace. A face
        that cannot be worked returns ``status == "infeasible"`` with its reasons; no
        valid scenario makes this function raise.

    Examples
    --------
    >>> from seamsim.scenario.schema import Scenario
    >>> r = simulate(Scenario(), seed=1, days=1)
    >>> r.status
    'ok'
    """
    p = face_parameters(scenario, days)
    seed_sequence = as_seed_sequence(seed)
    if p.reasons:
        return _identified(_infeasible(scenario, p, _seed_value(seed)), scenario, seed_sequence)
    env = simpy.Environment()
    rec = Recorder()
    streams = named_generators(seed_sequence)
    face = Face(env, p, streams, rec)
    face.calendar = Calendar(env, p, face)
    env.run(until=p.horizon_s)
    face.finish()
    return _identified(_result(scenario, p, face, rec, _seed_value(seed)), scenario, seed_sequence)


def _identified(result: RunResult, scenario: Scenario, seed_sequence: np.random.SeedSequence) -> RunResult:
    """Stamp a result with what reproduces it: seed entropy and spawn key, scenario hash, version."""
    result.seed_entropy = int(seed_sequence.entropy)
    result.spawn_key = tuple(int(k) for k in seed_sequence.spawn_key)
    result.scenario_sha256 = scenario_sha256(scenario)
    result.seamsim_version = __version__
    return result


def _result(scenario: Scenario, p: FaceParameters, face: Face, rec: Recorder, seed: int | None) -> RunResult:
    horizon_s = p.horizon_s
    days = horizon_s / u.S_PER_DAY
    coal_t = face.coal_kg * u.T_PER_KG
    rock_t = face.rock_kg * u.T_PER_KG
    rom_t = coal_t + rock_t
    scheduled_s = scheduled_production_s(p)
    running_s = sum(rec.time_s[s] for s in RUNNING_STATES)
    worker_shifts = p.crew.per_production_shift * production_shifts_started(p)
    energy_kwh = face.energy_j * u.KWH_PER_J
    distance_m = float(face.limit_distance_m.sum())
    limit_share = {name: (float(d) / distance_m if distance_m > 0 else 0.0) for name, d in zip(LIMIT_NAMES, face.limit_distance_m, strict=True)}
    summary = {
        "rom_t": rom_t,
        "coal_t": coal_t,
        "rock_t": rock_t,
        "rom_t_per_month": rom_t * DAYS_PER_MONTH / days,
        "coal_t_per_month": coal_t * DAYS_PER_MONTH / days,
        "cuts": float(face.webs),
        "cuts_per_day": face.webs / days,
        "face_advance_m": face.webs * p.web_m,
        "running_ratio": running_s / scheduled_s if scheduled_s > 0 else 0.0,
        "t_per_worker_shift": rom_t / worker_shifts if worker_shifts > 0 else 0.0,
        "worker_shifts": float(worker_shifts),
        "energy_kwh": energy_kwh,
        "kwh_per_t": energy_kwh / rom_t if rom_t > 0 else math.nan,
        "cable_loss_kwh": face.cable_loss_j * u.KWH_PER_J,
        "min_clearance_mm": face.min_spare_clearance_m * u.MM_PER_M if math.isfinite(face.min_spare_clearance_m) else math.nan,
        "rock_share": rock_t / rom_t if rom_t > 0 else 0.0,
        "ash_pct": picks.ash_share(coal_t, rock_t, p.coal_ash_share, p.rock_ash_share) * u.PCT_PER_FRACTION,
        "kwh_per_t_coal": energy_kwh / coal_t if coal_t > 0 else math.nan,
        "pick_changes": float(face.pick_changes),
        "picks_used": float(face.picks_used),
        "picks_per_kt_coal": face.picks_used / (coal_t * 1e-3) if coal_t > 0 else math.nan,
        "line_current_a": face.current_time_a_s / face.cut_time_s if face.cut_time_s > 0 else 0.0,
        "peak_current_a": face.peak_current_a,
        "electrical_trip_mtbf_h": (face.cycle_time_s / face.trip_hazard * u.H_PER_S) if face.trip_hazard > 0 else math.inf,
        "jams": float(face.jams),
        "jam_stops": float(face.jam_stops),
        **{f"failures_{name}": float(face.failures[name]) for name in SUBSYSTEMS},
        **_nominal_kpis(p),
        **{f"time_{state}_h": rec.time_s[state] * u.H_PER_S for state in STATES},
        **{f"limit_share_{name}": share for name, share in limit_share.items()},
    }
    return RunResult(
        scenario=scenario.name, seed=seed, status="ok", reasons=[], warnings=list(p.warnings),
        summary=summary, time_in_state_s=dict(rec.time_s), limit_share=limit_share, horizon_s=horizon_s,
        _passes=face.passes, _events=rec.events, _trace=rec.trace,
    )


def _infeasible(scenario: Scenario, p: FaceParameters, seed: int | None) -> RunResult:
    time_s = dict.fromkeys(STATES, 0.0)
    time_s["infeasible"] = p.horizon_s
    limit_share = dict.fromkeys(LIMIT_NAMES, 0.0)
    zero = ("rom_t", "coal_t", "rock_t", "rom_t_per_month", "coal_t_per_month", "cuts", "cuts_per_day",
            "face_advance_m", "running_ratio", "t_per_worker_shift", "energy_kwh", "cable_loss_kwh", "rock_share", "jams",
            "jam_stops", "pick_changes", "picks_used", "line_current_a", "peak_current_a")
    summary = {
        **dict.fromkeys(zero, 0.0),
        "worker_shifts": float(p.crew.per_production_shift * production_shifts_started(p)),
        "kwh_per_t": math.nan,
        "kwh_per_t_coal": math.nan,
        "ash_pct": math.nan,
        "picks_per_kt_coal": math.nan,
        "electrical_trip_mtbf_h": math.nan,
        "min_clearance_mm": math.nan,
        **{f"failures_{name}": 0.0 for name in SUBSYSTEMS},
        **_nominal_kpis(p),
        **{f"time_{state}_h": time_s[state] * u.H_PER_S for state in STATES},
        **{f"limit_share_{name}": 0.0 for name in LIMIT_NAMES},
    }
    return RunResult(
        scenario=scenario.name, seed=seed, status="infeasible", reasons=list(p.reasons), warnings=list(p.warnings),
        summary=summary, time_in_state_s=time_s, limit_share=limit_share, horizon_s=p.horizon_s,
    )
