"""The seamsim dashboard: Streamlit pages over the public ``seamsim`` API.

Layout (see DESIGN.md, "Dashboard"):

- ``app.py`` — the ``st.navigation`` entry point, nothing else;
- ``pages/`` — Explore, Scenarios, Compare, Sweep, History; thin scripts;
- ``widgets.py`` — the scenario schema turned into widgets, presets, KPI cards, the job panel;
- ``charts.py`` — pure DataFrame/dict → plotly figure builders (no Streamlit);
- ``history.py`` — runs and uploaded scenarios kept in SQLite across restarts;
- this module — the Streamlit-free logic the pages share: the scenario library, KPI labels,
  means and confidence intervals, the replications behind the Explore page, sweep points,
  the feasible-region grid and background jobs with progress and cooperative cancel.

The dashboard never imports ``seamsim.model`` or simpy: it calls ``seamsim.simulate``,
``seamsim.engineering_picture``, ``seamsim.run_experiment``, ``seamsim.compare`` and
``seamsim.decompose``.
"""

from __future__ import annotations

import itertools
import math
import os
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

import seamsim

PACKAGE_DIR = Path(__file__).resolve().parent
"""The ``dashboard`` package folder."""
APP_PATH = PACKAGE_DIR / "app.py"
"""The Streamlit entry point (``streamlit run`` this file)."""

MAX_UPLOAD_BYTES = 1_000_000
"""Largest scenario upload accepted [bytes] (the loader refuses larger files too)."""

ARTICLE_BEFORE = "article_before_1140v"
ARTICLE_AFTER = "article_after_3300v"
ARTICLE_BANDS_T_PER_MONTH: dict[str, tuple[float, float]] = {
    "reported before (1,140 V)": (15_000.0, 20_000.0),
    "reported after (3,300 V)": (40_000.0, 50_000.0),
}
"""Monthly output the article reports before and after the change [t/month]."""


def scenario_dir() -> Path:
    """Return the folder of bundled scenarios (``SEAMSIM_SCENARIO_DIR`` overrides it)."""
    env = os.environ.get("SEAMSIM_SCENARIO_DIR")
    return Path(env) if env else PACKAGE_DIR.parent / "scenarios"


# --------------------------------------------------------------------------------------
# KPIs: labels, units, formats
# --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Kpi:
    """How a KPI column is shown to people."""

    key: str
    label: str
    unit: str
    fmt: str = ",.0f"
    scale: float = 1.0
    higher_is_better: bool | None = True

    def format(self, value: float | None, *, signed: bool = False) -> str:
        """Return ``value`` scaled, formatted and with its unit; ``—`` when missing."""
        if value is None or not np.isfinite(value):
            return "—"
        spec = self.fmt.lstrip("+")
        text = format(value * self.scale, ("+" if signed or self.fmt.startswith("+") else "") + spec)
        return f"{text} {self.unit}".rstrip()

    @property
    def title(self) -> str:
        """Label with the unit, e.g. ``Monthly output [t/month]``."""
        return f"{self.label} [{self.unit}]" if self.unit else self.label


KPIS: dict[str, Kpi] = {
    k.key: k
    for k in (
        Kpi("rom_t_per_month", "Monthly output (run-of-mine)", "t/month"),
        Kpi("coal_t_per_month", "Monthly coal", "t/month"),
        Kpi("running_ratio", "Running ratio", "%", ".0f", 100.0),
        Kpi("t_per_worker_shift", "Tonnes per worker-shift", "t", ",.1f"),
        Kpi("kwh_per_t", "Energy per tonne", "kWh/t", ".2f", higher_is_better=False),
        Kpi("spare_clearance_mm", "Spare clearance", "mm", "+.0f"),
        Kpi("voltage_drop_pct", "Voltage drop", "%", ".1f", higher_is_better=False),
        Kpi("cuts_per_day", "Cuts per day", "", ".1f"),
        Kpi("face_advance_m", "Face advance", "m", ",.0f"),
        Kpi("rom_t", "Run-of-mine", "t"),
        Kpi("coal_t", "Coal", "t"),
        Kpi("rock_t", "Rock cut", "t", higher_is_better=False),
        Kpi("rock_share", "Rock in the output", "%", ".1f", 100.0, higher_is_better=False),
        Kpi("energy_kwh", "Energy", "kWh", higher_is_better=None),
        Kpi("cable_loss_kwh", "Cable losses", "kWh", higher_is_better=False),
        Kpi("min_clearance_mm", "Least clearance met", "mm", "+.0f"),
        Kpi("line_current_a", "Line current", "A", higher_is_better=False),
        Kpi("start_dip_pct", "Start dip", "%", ".1f", higher_is_better=False),
        Kpi("cable_loading_pct", "Cable loading", "%", higher_is_better=False),
        Kpi("crew_per_shift", "Crew per production shift", "people", higher_is_better=False),
        Kpi("jams", "Jams", "", ".0f", higher_is_better=False),
    )
}
"""Known KPI columns of ``RunResult.summary`` and how to show them."""

HEADLINE_KPIS: tuple[str, ...] = (
    "rom_t_per_month",
    "running_ratio",
    "t_per_worker_shift",
    "kwh_per_t",
    "spare_clearance_mm",
    "voltage_drop_pct",
)
"""The KPI cards of the Explore page, in order."""

COMPARE_KPIS: tuple[str, ...] = (
    "rom_t_per_month",
    "running_ratio",
    "t_per_worker_shift",
    "cuts_per_day",
    "kwh_per_t",
    "rock_share",
    "crew_per_shift",
    "spare_clearance_mm",
    "voltage_drop_pct",
    "line_current_a",
)
"""KPIs shown side by side on the Compare and History pages."""


def kpi(key: str) -> Kpi:
    """Return the :class:`Kpi` of ``key`` (a plain one for unknown columns)."""
    if key in KPIS:
        return KPIS[key]
    if key.startswith("time_") and key.endswith("_h"):
        return Kpi(key, "Time " + key[5:-2].replace("_", " "), "h", ",.1f", higher_is_better=None)
    if key.startswith("limit_share_"):
        return Kpi(key, "Bound by " + key[12:], "%", ".0f", 100.0, higher_is_better=None)
    return Kpi(key, key.replace("_", " "), "", ",.3g", higher_is_better=None)


# --------------------------------------------------------------------------------------
# Statistics
# --------------------------------------------------------------------------------------
def mean_ci(values: Iterable[float], confidence: float = 0.95) -> tuple[float, float, float]:
    """Return the mean of ``values`` and its t-based confidence interval.

    Missing (NaN) values are left out. With fewer than two values the interval is
    ``(nan, nan)``; with no values everything is NaN.

    Parameters
    ----------
    values : iterable of float
        One value per replication.
    confidence : float, optional
        Two-sided confidence level (0.95).

    Returns
    -------
    tuple of float
        ``(mean, lo, hi)``.
    """
    from scipy import stats

    x = np.asarray([v for v in values if v is not None], dtype=float)
    x = x[np.isfinite(x)]
    if x.size == 0:
        return math.nan, math.nan, math.nan
    mean = float(x.mean())
    if x.size < 2:
        return mean, math.nan, math.nan
    sd = float(x.std(ddof=1))
    half = float(stats.t.ppf(0.5 + confidence / 2.0, x.size - 1)) * sd / math.sqrt(x.size)
    return mean, mean - half, mean + half


def summarize(
    runs: pd.DataFrame, kpis: Sequence[str], *, by: str = "scenario", confidence: float = 0.95
) -> pd.DataFrame:
    """Means and CIs of ``kpis`` per group of ``runs``.

    Returns
    -------
    pandas.DataFrame
        One row per (group, kpi): ``by``, ``kpi``, ``mean``, ``lo``, ``hi``, ``n``, in the
        order the groups first appear.
    """
    rows = []
    for group, frame in runs.groupby(by, sort=False):
        for key in kpis:
            if key not in frame:
                continue
            mean, lo, hi = mean_ci(frame[key], confidence)
            rows.append({by: group, "kpi": key, "mean": mean, "lo": lo, "hi": hi, "n": len(frame)})
    return pd.DataFrame(rows, columns=[by, "kpi", "mean", "lo", "hi", "n"])


def paired_differences(
    runs: pd.DataFrame,
    kpis: Sequence[str],
    *,
    baseline: str | None = None,
    by: str = "scenario",
    pair_on: str = "replication",
    confidence: float = 0.95,
) -> pd.DataFrame:
    """Paired differences of each group against ``baseline`` (common random numbers).

    Replication *i* of every scenario ran with the same seed, so the difference is taken
    replication by replication and its CI is the t interval of those differences.

    Returns
    -------
    pandas.DataFrame
        ``by``, ``kpi``, ``mean`` (difference), ``lo``, ``hi``, ``n``, ``baseline_mean``,
        ``relative`` (mean difference / baseline mean).
    """
    groups = list(dict.fromkeys(runs[by]))
    if not groups:
        return pd.DataFrame(columns=[by, "kpi", "mean", "lo", "hi", "n", "baseline_mean", "relative"])
    baseline = groups[0] if baseline is None else baseline
    base = runs[runs[by] == baseline].set_index(pair_on)
    rows = []
    for group in groups:
        if group == baseline:
            continue
        other = runs[runs[by] == group].set_index(pair_on)
        common = base.index.intersection(other.index)
        for key in kpis:
            if key not in other or key not in base:
                continue
            diff = other.loc[common, key].astype(float) - base.loc[common, key].astype(float)
            mean, lo, hi = mean_ci(diff, confidence)
            base_mean = float(np.nanmean(base.loc[common, key].astype(float))) if len(common) else math.nan
            rel = mean / base_mean if base_mean and np.isfinite(base_mean) else math.nan
            rows.append(
                {by: group, "kpi": key, "mean": mean, "lo": lo, "hi": hi, "n": len(common),
                 "baseline_mean": base_mean, "relative": rel}
            )
    return pd.DataFrame(rows, columns=[by, "kpi", "mean", "lo", "hi", "n", "baseline_mean", "relative"])


def time_breakdown_hours(runs: pd.DataFrame, *, by: str = "scenario") -> pd.DataFrame:
    """Mean hours in each state per group: index = group, columns = states (``time_*_h``)."""
    states = [s for s in seamsim.STATES if f"time_{s}_h" in runs]
    if not len(runs) or not states:
        return pd.DataFrame()
    table = runs.groupby(by, sort=False)[[f"time_{s}_h" for s in states]].mean()
    table.columns = states
    return table


def limit_shares(runs: pd.DataFrame, *, by: str = "scenario") -> pd.DataFrame:
    """Mean share of cutting distance bound by each speed limit: index = group, columns = limits."""
    limits = [n for n in seamsim.LIMIT_NAMES if f"limit_share_{n}" in runs]
    if not len(runs) or not limits:
        return pd.DataFrame()
    table = runs.groupby(by, sort=False)[[f"limit_share_{n}" for n in limits]].mean()
    table.columns = limits
    return table


# --------------------------------------------------------------------------------------
# The scenario library: bundled files and uploads
# --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class LibraryEntry:
    """A scenario people can pick: a bundled file or an upload kept in the history store."""

    key: str
    """``bundled:<file stem>`` or ``upload:<name>``."""
    name: str
    title: str
    description: str
    source: str
    """``bundled`` or ``uploaded``."""
    text: str
    """The YAML as written (what *Download* gives)."""
    path: Path | None = None
    error: str | None = None
    """Why the file does not validate (bundled files only; uploads are validated first)."""

    @property
    def label(self) -> str:
        """Name and title, for a select box."""
        tag = " (uploaded)" if self.source == "uploaded" else ""
        return f"{self.title or self.name}{tag}"

    def load(self) -> seamsim.Scenario:
        """Return the validated scenario (raises ``seamsim.ScenarioError``)."""
        if self.path is not None:
            return seamsim.load_scenario(self.path)
        return seamsim.load_scenario_text(
            self.text, source=f"{self.name}.yaml", base_dir=scenario_dir()
        )


_ORDER_FIRST = (ARTICLE_BEFORE, ARTICLE_AFTER)


def bundled_library(folder: Path | None = None) -> list[LibraryEntry]:
    """Return the bundled scenarios (``scenarios/*.yaml``), the article pair first.

    A file that does not validate is listed with its error rather than hidden.
    """
    folder = scenario_dir() if folder is None else folder
    entries = []
    for path in sorted(folder.glob("*.y*ml")):
        text = path.read_text(encoding="utf-8", errors="replace")
        try:
            sc = seamsim.load_scenario(path)
        except seamsim.ScenarioError as error:
            entries.append(
                LibraryEntry(f"bundled:{path.stem}", path.stem, path.stem, "", "bundled", text, path, str(error))
            )
            continue
        entries.append(
            LibraryEntry(f"bundled:{path.stem}", sc.name, sc.title, sc.description, "bundled", text, path)
        )
    rank = {name: i for i, name in enumerate(_ORDER_FIRST)}
    return sorted(entries, key=lambda e: (rank.get(e.name, len(rank)), e.name))


class UploadRejected(ValueError):
    """An uploaded scenario was refused; ``str()`` says why, for people."""


def read_upload(data: bytes, filename: str = "upload.yaml") -> tuple[seamsim.Scenario, str]:
    """Validate an uploaded scenario file exactly as the CLI would.

    The size is checked before anything is parsed; the text must be UTF-8; the YAML is
    read by the safe loader (no object tags, alias bombs refused); ``extends:`` may only
    name a bundled scenario.

    Parameters
    ----------
    data : bytes
        The uploaded file.
    filename : str
        Its name, used in messages and as the default scenario name.

    Returns
    -------
    tuple
        ``(scenario, text)``.

    Raises
    ------
    UploadRejected
        With a message for people (the loader's messages, one per line).
    """
    if len(data) > MAX_UPLOAD_BYTES:
        raise UploadRejected(
            f"{filename}: {len(data):,} bytes is larger than the {MAX_UPLOAD_BYTES:,}-byte limit "
            "for uploads; a scenario file is a few kB — refused"
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UploadRejected(
            f"{filename}: not UTF-8 text (byte {exc.start}); save the scenario as UTF-8 YAML"
        ) from None
    try:
        scenario = seamsim.load_scenario_text(text, source=filename, base_dir=scenario_dir())
    except seamsim.ScenarioError as error:
        raise UploadRejected(str(error)) from None
    return scenario, text


def scenario_yaml(scenario: seamsim.Scenario) -> str:
    """Return a complete YAML file of ``scenario`` (loads back to an equal scenario)."""
    import yaml

    return yaml.safe_dump(
        scenario.model_dump(mode="json"), sort_keys=False, allow_unicode=True, width=100
    )


def scenario_from_json(text: str) -> seamsim.Scenario:
    """Return the scenario of a ``Scenario.model_dump_json()`` string."""
    return seamsim.Scenario.model_validate_json(text)


# --------------------------------------------------------------------------------------
# Replications of one scenario (the Explore page)
# --------------------------------------------------------------------------------------
def replication_seeds(seed: int, replications: int) -> list[np.random.SeedSequence]:
    """Return the seed of each replication: children of ``SeedSequence(seed)``.

    Replication *i* gets the same seed in every scenario (common random numbers).
    """
    return np.random.SeedSequence(int(seed)).spawn(int(replications))


@dataclass
class Replication:
    """What the dashboard keeps of one simulated replication (small enough to cache)."""

    replication: int
    status: str
    reasons: list[str]
    warnings: list[str]
    summary: dict[str, float]
    time_in_state_s: dict[str, float]
    limit_share: dict[str, float]
    horizon_s: float
    trace: pd.DataFrame
    passes: pd.DataFrame
    events: pd.DataFrame


def simulate_replication(
    scenario: seamsim.Scenario, seed: int, replication: int, days: float | None = None
) -> Replication:
    """Simulate replication ``replication`` of ``scenario`` (seeded as in :func:`replication_seeds`)."""
    child = replication_seeds(seed, replication + 1)[replication]
    r = seamsim.simulate(scenario, seed=child, days=days)
    passes = r.passes
    return Replication(
        replication=replication,
        status=r.status,
        reasons=list(r.reasons),
        warnings=list(r.warnings),
        summary={k: float(v) for k, v in r.summary.items()},
        time_in_state_s=dict(r.time_in_state_s),
        limit_share=dict(r.limit_share),
        horizon_s=float(r.horizon_s),
        trace=r.trace.reset_index(drop=True),
        passes=passes[["end_s", "coal_t", "rock_t"]].reset_index(drop=True)
        if len(passes)
        else pd.DataFrame(columns=["end_s", "coal_t", "rock_t"]),
        events=r.events.reset_index(drop=True),
    )


@dataclass
class ExploreResult:
    """Replications of one scenario, shaped for the Explore page."""

    scenario: str
    replications: list[Replication]

    @property
    def first(self) -> Replication:
        return self.replications[0]

    @property
    def status(self) -> str:
        return self.first.status

    @property
    def reasons(self) -> list[str]:
        return self.first.reasons

    @property
    def warnings(self) -> list[str]:
        return self.first.warnings

    @property
    def runs(self) -> pd.DataFrame:
        """One row per replication: ``scenario``, ``replication``, ``status`` and every KPI."""
        return pd.DataFrame(
            [
                {"scenario": self.scenario, "replication": r.replication, "status": r.status, **r.summary}
                for r in self.replications
            ]
        )

    def cumulative(self) -> pd.DataFrame:
        """Cumulative run-of-mine tonnes over time: ``replication``, ``time_d``, ``rom_t``."""
        frames = []
        for r in self.replications:
            p = r.passes
            t = np.concatenate([[0.0], p["end_s"].to_numpy(float) / 86_400.0, [r.horizon_s / 86_400.0]])
            tonnes = (p["coal_t"] + p["rock_t"]).to_numpy(float).cumsum() if len(p) else np.zeros(0)
            y = np.concatenate([[0.0], tonnes, [tonnes[-1] if tonnes.size else 0.0]])
            frames.append(pd.DataFrame({"replication": r.replication, "time_d": t, "rom_t": y}))
        return pd.concat(frames, ignore_index=True)

    def time_hours(self) -> pd.Series:
        """Mean hours in each state over the replications (every state, in STATES order)."""
        table = pd.DataFrame([r.time_in_state_s for r in self.replications]).mean() / 3600.0
        return table.reindex(list(seamsim.STATES)).fillna(0.0)

    def limit_share(self) -> pd.Series:
        """Mean share of cutting distance bound by each limit."""
        table = pd.DataFrame([r.limit_share for r in self.replications]).mean()
        return table.reindex(list(seamsim.LIMIT_NAMES)).fillna(0.0)


def explore(
    scenario: seamsim.Scenario,
    seed: int = 0,
    replications: int = 5,
    days: float | None = None,
    *,
    runner: Callable[[seamsim.Scenario, int, int, float | None], Replication] = simulate_replication,
    progress: Callable[[int, int], Any] | None = None,
) -> ExploreResult:
    """Run ``replications`` replications of ``scenario`` for the Explore page.

    ``runner`` lets the page put a cache in front of :func:`simulate_replication`.
    """
    reps = []
    n = max(1, int(replications))
    for i in range(n):
        reps.append(runner(scenario, int(seed), i, days))
        if progress is not None:
            progress(i + 1, n)
    return ExploreResult(scenario.name, reps)


# --------------------------------------------------------------------------------------
# Experiments (Scenarios, Compare, Sweep pages)
# --------------------------------------------------------------------------------------
def experiment_runs(
    scenarios: Sequence[seamsim.Scenario],
    replications: int,
    seed: int,
    *,
    days: float | None = None,
    progress: Callable[[int, int], bool | None] | None = None,
    executor: str = "serial",
) -> pd.DataFrame:
    """Run replications of each scenario with common random numbers; one row per run.

    Uses ``seamsim.run_experiment`` with the serial executor (no process-pool start-up per
    click). The scenario names must be distinct; the rows carry ``scenario`` (the name),
    ``replication``, ``status`` and every KPI column.
    """
    result = seamsim.run_experiment(
        list(scenarios), replications=int(replications), seed=int(seed), days=days,
        executor=executor, progress=progress,
    )
    return normalise_runs(result.runs)


def normalise_runs(runs: pd.DataFrame) -> pd.DataFrame:
    """Return ``runs`` with plain columns: ``scenario`` (str), ``replication`` (int), numbers as float."""
    runs = runs.copy()
    if "replication" not in runs:
        runs["replication"] = runs.groupby("scenario").cumcount()
    runs["scenario"] = runs["scenario"].astype(str)
    runs["replication"] = runs["replication"].astype(int)
    return runs.reset_index(drop=True)


def unique_names(scenarios: Sequence[seamsim.Scenario]) -> list[seamsim.Scenario]:
    """Rename repeated scenario names (``x``, ``x-2``…) so runs can be told apart."""
    seen: dict[str, int] = {}
    out = []
    for sc in scenarios:
        count = seen.get(sc.name, 0) + 1
        seen[sc.name] = count
        if count > 1:
            sc = seamsim.apply_overrides(sc, {"name": f"{sc.name[:75]}-{count}"})
        out.append(sc)
    return out


@dataclass(frozen=True)
class SweepAxis:
    """One varied field: its dotted path and the values it takes."""

    path: str
    values: tuple[Any, ...]


def sweep_values(lo: float, hi: float, n: int, *, integer: bool = False) -> tuple[Any, ...]:
    """``n`` evenly spaced values from ``lo`` to ``hi`` (rounded and de-duplicated for ints)."""
    n = max(1, int(n))
    values = np.linspace(float(lo), float(hi), n) if n > 1 else np.array([float(lo)])
    if integer:
        return tuple(dict.fromkeys(int(round(v)) for v in values))
    return tuple(float(f"{v:.6g}") for v in values)


def sweep_points(
    base: seamsim.Scenario, axes: Sequence[SweepAxis]
) -> tuple[list[seamsim.Scenario], pd.DataFrame]:
    """The full grid of ``axes`` applied to ``base``.

    Returns
    -------
    tuple
        The scenarios (named ``<base>-p<i>``) and a table with one row per point:
        ``scenario`` and one column per axis path.

    Raises
    ------
    seamsim.ScenarioError
        When a point is not a valid scenario (e.g. more production shifts than shifts).
    """
    scenarios, rows = [], []
    for i, combo in enumerate(itertools.product(*(a.values for a in axes))):
        name = f"{base.name[:70]}-p{i:03d}"
        overrides = {a.path: v for a, v in zip(axes, combo, strict=True)}
        scenarios.append(seamsim.apply_overrides(base, {**overrides, "name": name}))
        rows.append({"scenario": name, **overrides})
    return scenarios, pd.DataFrame(rows)


FEASIBILITY_LABELS = ("cannot work", "cuts rock or overloads the cable", "works cleanly")
"""Categories of the feasible-region chart, worst first (codes 0, 1, 2): the face cannot be
worked; it works but the machine must cut rock (no spare clearance at the mean seam height)
or the cable carries more than its rating; it cuts coal only within the cable's rating."""


def feasibility_grid(
    bases: Mapping[int, seamsim.Scenario],
    seam_heights_m: Sequence[float],
    cutting_powers_kw: Sequence[float],
) -> pd.DataFrame:
    """Classify every (voltage, seam height, installed cutting power) without simulating.

    Each voltage keeps the machine, cable and everything else of its base scenario; only
    the seam height and the installed cutting power change.

    Returns
    -------
    pandas.DataFrame
        ``supply_voltage_v``, ``seam_height_m``, ``cutting_power_kw``, ``code`` (0 cannot
        work, 1 cuts rock or overloads the cable, 2 works cleanly — see
        :data:`FEASIBILITY_LABELS`), ``category``, ``note`` (the reasons or warnings),
        ``cutting_speed_m_per_min``, ``binding_limit``, ``spare_clearance_mm``,
        ``cable_loading_pct``.
    """
    rows = []
    for voltage, base in bases.items():
        base = seamsim.apply_overrides(base, {"electrical.supply_voltage_v": int(voltage)})
        for h in seam_heights_m:
            for kw in cutting_powers_kw:
                sc = seamsim.apply_overrides(
                    base, {"seam.height_m": float(h), "machine.cutting_power_kw": float(kw)}
                )
                p = seamsim.engineering_picture(sc)
                rock = float(p.get("rock_cut_mm") or 0.0)
                loading = float(p.get("cable_loading_pct") or 0.0)
                if p["status"] != "ok":
                    code, notes = 0, list(p["reasons"])
                elif rock > 0.5 or loading > 100.0:
                    code, notes = 1, list(p["warnings"])
                else:
                    code, notes = 2, list(p["warnings"]) or [
                        f"coal only; the cable carries {loading:.0f} % of its rating"]
                rows.append(
                    {
                        "supply_voltage_v": int(voltage),
                        "seam_height_m": float(h),
                        "cutting_power_kw": float(kw),
                        "code": code,
                        "category": FEASIBILITY_LABELS[code],
                        "note": "; ".join(notes[:2]),
                        "cutting_speed_m_per_min": float(p["cutting_speed_m_per_min"]),
                        "binding_limit": p["binding_limit"],
                        "spare_clearance_mm": float(p["spare_clearance_mm"]),
                        "cable_loading_pct": loading,
                    }
                )
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------------------
# Background jobs: progress and cooperative cancel
# --------------------------------------------------------------------------------------
class Cancelled(Exception):
    """Raised inside a job's work when the user pressed *Stop*."""


@dataclass
class Job:
    """Work that runs in a background thread, reporting progress, stoppable by the user.

    The work is ``fn(progress)``; ``progress(done, total)`` records the progress and
    returns ``False`` once :meth:`cancel` was called — the cooperative cancel of
    ``seamsim.run_experiment``. The page that started the job stays usable: it polls
    :attr:`done` / :attr:`total` and shows :attr:`result` or :attr:`error` when it ends.
    """

    fn: Callable[[Callable[[int, int], bool]], Any]
    label: str = "run"
    meta: dict[str, Any] = field(default_factory=dict)
    done: int = 0
    total: int = 0
    result: Any = None
    error: str | None = None
    started_s: float = 0.0
    finished_s: float | None = None
    _cancel: threading.Event = field(default_factory=threading.Event, repr=False)
    _thread: threading.Thread | None = field(default=None, repr=False)

    def start(self) -> Job:
        """Start the work in a daemon thread and return the job."""
        self.started_s = time.perf_counter()
        self._thread = threading.Thread(target=self._run, name=f"seamsim-{self.label}", daemon=True)
        self._thread.start()
        return self

    def run_here(self) -> Job:
        """Run the work in the calling thread (tests, tiny jobs)."""
        self.started_s = time.perf_counter()
        self._run()
        return self

    def _run(self) -> None:
        try:
            self.result = self.fn(self.progress)
        except Cancelled:
            self.error = None
        except Exception as exc:  # noqa: BLE001 - shown to the user, never raised into the page
            self.error = f"{type(exc).__name__}: {exc}"
        finally:
            self.finished_s = time.perf_counter()

    def progress(self, done: int, total: int) -> bool:
        """Record progress; return ``False`` when the job should stop."""
        self.done, self.total = int(done), int(total)
        return not self._cancel.is_set()

    def check(self) -> None:
        """Raise :class:`Cancelled` if the user asked to stop (for loops inside ``fn``)."""
        if self._cancel.is_set():
            raise Cancelled

    def cancel(self) -> None:
        """Ask the work to stop at its next progress report."""
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    @property
    def running(self) -> bool:
        return self.finished_s is None and self.started_s > 0.0

    @property
    def finished(self) -> bool:
        return self.finished_s is not None

    @property
    def fraction(self) -> float:
        return min(1.0, self.done / self.total) if self.total else 0.0

    @property
    def elapsed_s(self) -> float:
        end = self.finished_s if self.finished_s is not None else time.perf_counter()
        return end - self.started_s if self.started_s else 0.0

    def wait(self, timeout_s: float = 60.0) -> bool:
        """Wait for the thread to end; return whether it ended."""
        if self._thread is not None:
            self._thread.join(timeout_s)
        return self.finished


__all__ = [
    "APP_PATH",
    "ARTICLE_AFTER",
    "ARTICLE_BANDS_T_PER_MONTH",
    "ARTICLE_BEFORE",
    "COMPARE_KPIS",
    "Cancelled",
    "ExploreResult",
    "FEASIBILITY_LABELS",
    "HEADLINE_KPIS",
    "Job",
    "KPIS",
    "Kpi",
    "LibraryEntry",
    "MAX_UPLOAD_BYTES",
    "PACKAGE_DIR",
    "Replication",
    "SweepAxis",
    "UploadRejected",
    "bundled_library",
    "experiment_runs",
    "explore",
    "feasibility_grid",
    "kpi",
    "limit_shares",
    "mean_ci",
    "normalise_runs",
    "paired_differences",
    "read_upload",
    "replication_seeds",
    "scenario_dir",
    "scenario_from_json",
    "scenario_yaml",
    "simulate_replication",
    "summarize",
    "sweep_points",
    "sweep_values",
    "time_breakdown_hours",
    "unique_names",
]
