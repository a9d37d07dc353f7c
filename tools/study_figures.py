"""The worked study of docs/researchers.md: computed by ``make docs``, rendered into its blocks.

The study asks "which factors matter most for the 3,300 V face, and how robust is the
before/after gain?" and answers it in five steps, each a command a researcher can type:

1. sizing — :func:`seamsim.run_until_precise` (``seamsim run … --target-rel 0.02``) on both
   article faces, beside what a 10-replication pilot would have asked for
   (:func:`~seamsim.experiment.stats.replications_needed`);
2. screening — a Morris sweep of :data:`MORRIS_VARY` on the after face, stored in a
   directory and analysed from there (:func:`seamsim.experiment.analyse`, ``seamsim analyse``);
3. Sobol — the :data:`SOBOL_FIELDS` fields with the largest μ*, stored and analysed the same
   way, with the convergence table; its figure is copied to :data:`SOBOL_FIGURE`;
4. robustness of the gain — before and after over :data:`GAIN_HEIGHTS` with common random
   numbers (:func:`~seamsim.experiment.paired_differences_over_design`, ``sweep --compare``)
   and the order-free split with the organisational factors counted together
   (:func:`seamsim.shapley_decomposition`, ``decompose --order-free --together``);
5. the stored Sobol sweep replayed one run (:func:`~seamsim.experiment.replay.replay_run`,
   ``run --replay``) and exported (:func:`~seamsim.experiment.export_runs`, ``export``).

The sizes are kept small so that ``make docs`` stays short on a small machine (10-day runs
and few replications for the designs, ``N`` = 64 for Sobol); the text says what a real study
uses. Every command printed in a block is built from the same constants and ``--vary``
strings as the computation, so it gives the numbers shown.
"""

from __future__ import annotations

import math
import shutil
import tempfile
import warnings
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

SEED = 2026
BEFORE_FILE = "scenarios/article_before_1140v.yaml"
AFTER_FILE = "scenarios/article_after_3300v.yaml"
KPI = "rom_t_per_month"

TARGET_REL = 0.02
"""Sizing: the 95 % half-width asked for, as a share of the mean (±2 %)."""
MAX_REPLICATIONS = 400
"""Sizing: ``--max-replications`` (caps the time ``make docs`` can take)."""
PILOT_REPLICATIONS = 10
"""Sizing: the one-pilot method it is compared with."""
FIXED_REPLICATIONS = 30
"""Sizing: the default ``-n`` of ``seamsim run``, whose precision is quoted."""

SCREEN_DAYS = 10.0
"""Days of every run of the Morris and Sobol sweeps (a real study: 30)."""
MORRIS_VARY: tuple[str, ...] = (
    "seam.height_m=0.7:1.0",
    "roof.convergence_mm=20:80",
    "operation.eh_shield_cycle_s=6:20",
    "face.length_m=100:250",
    "failures.comms_outage_rate_per_h=0.05:1.0",
    "failures.shearer.mean_time_between_failures_h=30:120",
)
"""The screened fields and their ranges, as ``--vary`` takes them."""
MORRIS_TRAJECTORIES = 8
MORRIS_LEVELS = 4
MORRIS_REPLICATIONS = 3

SOBOL_FIELDS = 3
"""How many of the screened fields (largest μ* first) go on to Sobol."""
SOBOL_N = 64
"""Sobol base sample (a real study: 512 or more)."""
SOBOL_REPLICATIONS = 2
REAL_SOBOL_N = 512
"""The base sample the text projects the intervals to."""

GAIN_HEIGHTS: tuple[float, ...] = (0.7, 0.75, 0.8, 1.0)
GAIN_REPLICATIONS = 10

SHAPLEY_TOGETHER: tuple[str, ...] = ("shield control", "face-end automation", "remote control", "crew")
"""Factors counted as one in the order-free split (the organisation of the face)."""
SHAPLEY_REPLICATIONS = 10
VOLTAGE = "voltage and machine"
CREW = "crew"

REPLAY_ROW = 17
"""The row of the stored Sobol sweep replayed."""
SOBOL_FIGURE = Path("docs/images/study-sobol-indices.png")
"""Where the Sobol sweep's ``indices.png`` is copied (relative to the repository root)."""


# --------------------------------------------------------------------------- computing


def _finite(value: Any) -> float | None:
    """Return ``value`` as a float, or ``None`` for NaN (JSON has no NaN)."""
    number = float(value)
    return number if math.isfinite(number) else None


def _records(frame: Any, columns: Sequence[str]) -> list[dict[str, Any]]:
    """Return the rows of ``frame`` as dicts of ``columns`` (numbers as floats or None)."""
    rows = []
    for record in frame[list(columns)].to_dict("records"):
        rows.append({k: (v if isinstance(v, str) else _finite(v)) for k, v in record.items()})
    return rows


def compute_sizing(runner: Mapping[str, Any]) -> dict[str, Any]:
    """Return the sizing step: replications by rule for ±2 % on monthly output, per face."""
    from seamsim import run_until_precise
    from seamsim.experiment.stats import estimate, replications_needed

    faces = []
    for file in (AFTER_FILE, BEFORE_FILE):
        precise = run_until_precise(file, target_rel=TARGET_REL, seed=SEED, kpi=KPI,
                                    max_replications=MAX_REPLICATIONS, **runner)
        values = precise.experiment.runs.sort_values("replication")[KPI].to_numpy(dtype=float)
        check = precise.checks[0]
        fixed = estimate(values[:FIXED_REPLICATIONS]) if len(values) >= FIXED_REPLICATIONS else None
        faces.append({
            "scenario": precise.experiment.runs["scenario"].iloc[0],
            "file": file,
            "n": precise.n,
            "met": bool(precise.met),
            "stop_reason": precise.stop_reason,
            "batches": sorted({int(n) for n in precise.history["n"]}),
            "mean": _finite(check.mean),
            "t_half_width": _finite(check.t_half_width),
            "bootstrap_half_width": _finite(check.bootstrap_half_width),
            "relative_half_width": _finite(check.relative_half_width),
            "skewness": _finite(check.skewness),
            "n_for_skewness": int(check.n_for_skewness),
            "strongly_skewed": bool(check.strongly_skewed),
            "warnings": list(precise.warnings),
            "pilot_needs": int(replications_needed(values[:PILOT_REPLICATIONS], relative=TARGET_REL)),
            "fixed_relative_half_width": None if fixed is None else _finite(fixed.half_width / fixed.mean),
        })
    return {"target_rel": TARGET_REL, "max_replications": MAX_REPLICATIONS, "pilot": PILOT_REPLICATIONS,
            "fixed": FIXED_REPLICATIONS, "faces": faces}


def _stored_sweep(kind: str, vary: Sequence[str], samples: int, replications: int, out: Path,
                  runner: Mapping[str, Any]) -> tuple[Any, Any, list[str]]:
    """Run a Sobol or Morris sweep of the after face into ``out`` as ``seamsim sweep`` builds it,
    analyse it from the directory; return the experiment, the report and the sampler's warnings."""
    from seamsim import run_experiment
    from seamsim.experiment import analyse
    from seamsim.experiment.designs import design_from_spec, parse_vary

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        design = design_from_spec(kind, parse_vary(list(vary)), samples, SEED, levels=MORRIS_LEVELS)
    experiment = run_experiment(AFTER_FILE, replications, SEED, design=design, days=SCREEN_DAYS,
                                out=out, **runner)
    report = analyse(out, KPI)
    return experiment, report, [str(w.message) for w in caught]


def compute_screening(runner: Mapping[str, Any], work: Path) -> dict[str, Any]:
    """Return the Morris step: μ*, σ and μ of every screened field, largest μ* first."""
    experiment, report, caught = _stored_sweep("morris", MORRIS_VARY, MORRIS_TRAJECTORIES,
                                               MORRIS_REPLICATIONS, work / "study-morris", runner)
    table = report.indices.sort_values("mu_star", ascending=False, kind="stable")
    return {
        "vary": list(MORRIS_VARY), "trajectories": MORRIS_TRAJECTORIES, "levels": MORRIS_LEVELS,
        "replications": MORRIS_REPLICATIONS, "days": SCREEN_DAYS, "points": len(experiment.design),
        "runs": len(experiment.runs), "warnings": caught,
        "rows": _records(table, ["field", "mu", "mu_star", "mu_star_ci95_lo", "mu_star_ci95_hi",
                                 "sigma", "sigma_ci95_lo", "sigma_ci95_hi"]),
    }


def compute_sobol(screening: Mapping[str, Any], runner: Mapping[str, Any], work: Path,
                  figure_path: Path | None) -> dict[str, Any]:
    """Return the Sobol step on the fields with the largest μ*, and its stored sweep's replay
    and export; copy its figure to ``figure_path``."""
    from seamsim.experiment import export_runs, read_export
    from seamsim.experiment.replay import replay_run

    chosen = [row["field"] for row in screening["rows"][:SOBOL_FIELDS]]
    vary = [text for field in chosen for text in MORRIS_VARY if text.split("=", 1)[0] == field]
    out = work / "study-sobol"
    experiment, report, caught = _stored_sweep("sobol", vary, SOBOL_N, SOBOL_REPLICATIONS, out, runner)
    if figure_path is not None:
        figure_path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(out / "indices.png", figure_path)
    again = replay_run(f"{out}#{REPLAY_ROW}")
    exported = read_export(export_runs(out, work / "study-sobol.csv"))
    return {
        "vary": vary, "n": SOBOL_N, "replications": SOBOL_REPLICATIONS, "days": SCREEN_DAYS,
        "points": len(experiment.design), "runs": len(experiment.runs), "warnings": caught,
        "rows": _records(report.indices, ["field", "S1", "S1_ci95_lo", "S1_ci95_hi",
                                          "ST", "ST_ci95_lo", "ST_ci95_hi"]),
        "convergence": _records(report.convergence, ["base_samples", "runs", "field", "S1", "S1_half_width",
                                                     "ST", "ST_half_width"]),
        "files": sorted(str(p.name) for p in report.files.values()),
        "replay": {"row": REPLAY_ROW, "identical": bool(again.identical),
                   "replication": int(again.stored["replication"]), "point": int(again.stored["point"])},
        "export": {"rows": int(len(exported)), "columns": int(len(exported.columns))},
    }


def compute_gain(runner: Mapping[str, Any]) -> dict[str, Any]:
    """Return the before → after gain at every seam height of :data:`GAIN_HEIGHTS` (paired)."""
    from seamsim import run_experiment
    from seamsim.experiment import paired_differences_over_design
    from seamsim.experiment.designs import design_from_spec, parse_vary

    design = design_from_spec("grid", parse_vary([_gain_vary()]))
    experiment = run_experiment([BEFORE_FILE, AFTER_FILE], GAIN_REPLICATIONS, SEED, design=design, **runner)
    paired = paired_differences_over_design(experiment, kpi=KPI)
    return {
        "heights": list(GAIN_HEIGHTS), "replications": GAIN_REPLICATIONS,
        "rows": _records(paired, ["seam.height_m", "n", "baseline_mean", "other_mean", "mean_diff",
                                  "ci95_lo", "ci95_hi", "relative_diff"]),
    }


def compute_split(runner: Mapping[str, Any]) -> dict[str, Any]:
    """Return the order-free split of the gain (the organisation counted as one), what the voltage
    step is worth first and last, and what goes wrong when every factor counts alone."""
    from seamsim import shapley_decomposition

    apart = shapley_decomposition(BEFORE_FILE, AFTER_FILE, SHAPLEY_REPLICATIONS, SEED, kpi=KPI, **runner)
    result = shapley_decomposition(BEFORE_FILE, AFTER_FILE, SHAPLEY_REPLICATIONS, SEED, kpi=KPI,
                                   together=[SHAPLEY_TOGETHER], **runner)
    infeasible = apart.coalitions[apart.coalitions["status"] != "ok"]
    crew = apart.values.set_index("factor")["share"].get(CREW)
    means = dict(zip(result.coalitions["coalition"], result.coalitions["mean"], strict=True))
    everything = " + ".join(result.factors)
    without_voltage = " + ".join(f for f in result.factors if f != VOLTAGE)
    return {
        "together": list(SHAPLEY_TOGETHER), "replications": SHAPLEY_REPLICATIONS,
        "method": result.method, "coalitions": int(len(result.coalitions)),
        "infeasible": int((result.coalitions["status"] != "ok").sum()),
        "start_mean": _finite(result.start["mean"]),
        "values": _records(result.values, ["factor", "shapley", "ci95_lo", "ci95_hi", "share"]),
        "total": {k: _finite(result.total[k]) for k in ("a_mean", "b_mean", "delta", "ci95_lo", "ci95_hi")},
        "voltage_first": _finite(means[VOLTAGE] - means[""]),
        "voltage_last": _finite(means[everything] - means[without_voltage]),
        "apart": {
            "coalitions": int(len(apart.coalitions)), "infeasible": int(len(infeasible)),
            "example": None if infeasible.empty else {
                "coalition": str(infeasible["coalition"].iloc[0]),
                "reason": str(infeasible["reasons"].iloc[0]).split("\n")[0]},
            "crew_share": None if crew is None else _finite(crew),
        },
    }


def compute_study(workers: int | None = None, figure_path: Path | None = None) -> dict[str, Any]:
    """Simulate the worked study and return its figures (figures.json's ``study``).

    Parameters
    ----------
    workers : int, optional
        Processes of the pool (default: the CPUs available).
    figure_path : Path, optional
        Where to copy the Sobol sweep's ``indices.png`` (not copied when not given).
    """
    runner = {"executor": "processes", "workers": workers}
    with tempfile.TemporaryDirectory(prefix="seamsim-study-") as tmp:
        work = Path(tmp)
        sizing = compute_sizing(runner)
        screening = compute_screening(runner, work)
        sobol = compute_sobol(screening, runner, work, figure_path)
    return {
        "seed": SEED, "kpi": KPI, "sizing": sizing, "morris": screening, "sobol": sobol,
        "gain": compute_gain(runner), "split": compute_split(runner),
    }


# --------------------------------------------------------------------------- formatting


def tonnes(value: float | None) -> str:
    """Return tonnes with a thousands comma (``46,934``), ``—`` for no value."""
    return "—" if value is None else f"{value:,.0f}"


def signed_tonnes(value: float | None) -> str:
    """Return signed tonnes with a thousands comma (``+28,984``)."""
    return "—" if value is None else f"{value:+,.0f}"


def interval(lo: float | None, hi: float | None, fmt: Callable[[float | None], str]) -> str:
    """Return ``[lo … hi]`` with each end formatted by ``fmt``."""
    return f"[{fmt(lo)} … {fmt(hi)}]"


def index(value: float | None) -> str:
    """Return a sensitivity index with two decimals (``0.97``, ``−0.05``)."""
    return "—" if value is None else f"{value:.2f}".replace("-", "−")


def share(value: float | None) -> str:
    """Return a share (0–1) as a whole percentage (``41 %``)."""
    return "—" if value is None else f"{value * 100:.0f} %"


def _gain_vary() -> str:
    return "seam.height_m=" + ",".join(f"{h:g}" for h in GAIN_HEIGHTS)


def _command(lines: Sequence[str]) -> str:
    """Return a console block of one command split over ``lines`` (continued with ``\\``)."""
    body = " \\\n      ".join(lines)
    return f"$ {body}"


def _sweep_command(kind: str, step: Mapping[str, Any], out: str) -> str:
    samples = step["trajectories"] if kind == "morris" else step["n"]
    head = f"seamsim sweep {AFTER_FILE} --design {kind} --samples {samples}"
    if kind == "morris":
        head += f" --levels {step['levels']}"
    varies = [f"--vary {text}" for text in step["vary"]]
    pairs = [" ".join(varies[i:i + 2]) for i in range(0, len(varies), 2)]
    tail = f"-n {step['replications']} --days {step['days']:g} --seed {SEED} --out {out}"
    return _command([head, *pairs, tail])


# --------------------------------------------------------------------------- rendering


def render_sizing(f: Mapping[str, Any]) -> str:
    """Return the sizing block: the commands, a row per face and what the warnings said."""
    s = f["study"]["sizing"]
    target = f"{s['target_rel'] * 100:g}"
    commands = [
        f"$ seamsim run {face['file']} --target-rel {s['target_rel']:g} --seed {SEED} "
        f"--max-replications {s['max_replications']}"
        for face in s["faces"]
    ]
    lines = [
        "", "```console", *commands, "```", "",
        f"| face | replications by rule | batches | mean ROM t/month | 95 % half-width, t / bootstrap | "
        f"skewness g1 | 25·g1² | a {s['pilot']}-run pilot asks for | {s['fixed']} runs give |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for face in s["faces"]:
        fixed = "—" if face["fixed_relative_half_width"] is None else f"±{face['fixed_relative_half_width'] * 100:.1f} %"
        n_text = f"**{face['n']}**" + ("" if face["met"] else f" ({face['stop_reason']})")
        lines.append(
            f"| `{face['scenario']}` | {n_text} | {', '.join(str(n) for n in face['batches'])} | "
            f"{tonnes(face['mean'])} | {tonnes(face['t_half_width'])} / {tonnes(face['bootstrap_half_width'])} "
            f"(±{face['relative_half_width'] * 100:.2f} %) | {face['skewness']:+.2f} | {face['n_for_skewness']} | "
            f"{face['pilot_needs']} | {fixed} |")
    lines.append("")
    skewed = [face for face in s["faces"] if face["strongly_skewed"]]
    if skewed:
        for face in skewed:
            lines.append(f"`{face['scenario']}` is strongly skewed (g1 = {face['skewness']:+.2f}), and the "
                         f"command says so: `warning: {face['warnings'][0]}`")
    else:
        lines.append("Neither face is strongly skewed at this seed (|g1| ≤ 1): no `warning:` line.")
    lines.append("")
    sentence = ("By rule " + " and ".join(f"{face['n']}" for face in s["faces"]) + f" replications; one "
                f"{s['pilot']}-run pilot would have asked for "
                + " and ".join(f"{face['pilot_needs']}" for face in s["faces"]) + ".")
    fixed = [face["fixed_relative_half_width"] for face in s["faces"]]
    if all(value is not None for value in fixed):
        verdict = "all within" if all(v <= s["target_rel"] for v in fixed) else "not all within"
        sentence += (f" The default {s['fixed']} replications give "
                     + " and ".join(f"±{v * 100:.1f} %" for v in fixed) + f": {verdict} ±{target} %.")
    lines.append(sentence)
    return "\n" + "\n".join(lines) + "\n"


def render_screening(f: Mapping[str, Any]) -> str:
    """Return the Morris block: the commands, μ*, σ and μ per field, and the fields kept."""
    m = f["study"]["morris"]
    chosen = [row["field"] for row in m["rows"][:SOBOL_FIELDS]]
    lines = [
        "", "```console", _sweep_command("morris", m, "study-morris"), "$ seamsim analyse study-morris", "```", "",
        f"{m['points']} points (r·(D+1) = {m['trajectories']}·{len(m['vary']) + 1}) × {m['replications']} "
        f"replications = {m['runs']} runs of {m['days']:g} days. `{KPI}` of `article_after_3300v`, "
        f"largest μ* first (t/month; μ* and σ are the mean absolute and the spread of the elementary "
        f"effects over the field's whole range):",
        "",
        "| field | μ* | 95 % CI | σ | 95 % CI | μ |",
        "|---|---|---|---|---|---|",
    ]
    for row in m["rows"]:
        lines.append(
            f"| `{row['field']}` | {tonnes(row['mu_star'])} | "
            f"{interval(row['mu_star_ci95_lo'], row['mu_star_ci95_hi'], tonnes)} | {tonnes(row['sigma'])} | "
            f"{interval(row['sigma_ci95_lo'], row['sigma_ci95_hi'], tonnes)} | {signed_tonnes(row['mu'])} |")
    top = m["rows"][0]["mu_star"]
    rest = m["rows"][SOBOL_FIELDS:]
    lines += [
        "",
        f"The {SOBOL_FIELDS} largest — " + ", ".join(f"`{name}`" for name in chosen) + " — go on to Sobol"
        + (f"; the largest μ* of the others is {share(max(r['mu_star'] for r in rest) / top)} of the first's."
           if rest and top else "."),
    ]
    if rest:
        last_in, first_out = m["rows"][SOBOL_FIELDS - 1], rest[0]
        if last_in["mu_star_ci95_lo"] <= first_out["mu_star_ci95_hi"]:
            lines.append(f"The cut is not settled at this size: the μ* interval of `{last_in['field']}` overlaps "
                         f"that of `{first_out['field']}`; a real screening adds trajectories until it does not "
                         f"(or takes both on).")
        else:
            lines.append(f"The cut is clear: the μ* interval of `{last_in['field']}` lies above that of "
                         f"`{first_out['field']}`.")
    clipped = [row["field"] for row in m["rows"] if row["mu_star_ci95_lo"] == 0.0]
    if clipped:
        lines.append(f"The interval of {', '.join(f'`{c}`' for c in clipped)} reaches 0 and stops there: μ* "
                     f"cannot be negative, so the bootstrap interval is clipped at 0.")
    return "\n" + "\n".join(lines) + "\n"


def _projected(half_width: float, n: int) -> float:
    """Return ``half_width`` at base sample ``n`` scaled to :data:`REAL_SOBOL_N` (as 1/√N)."""
    return half_width * math.sqrt(n / REAL_SOBOL_N)


def render_sobol(f: Mapping[str, Any]) -> str:
    """Return the Sobol block: the commands, S1 and ST per field, and the convergence table."""
    s = f["study"]["sobol"]
    fields = [row["field"] for row in s["rows"]]
    lines = [
        "", "```console", _sweep_command("sobol", s, "study-sobol"), "$ seamsim analyse study-sobol", "```", "",
    ]
    lines += [f"(The command warns: `{w}`)\n" for w in s["warnings"]]
    lines += [
        f"N·(D+2) = {s['n']}·{len(fields) + 2} = {s['points']} points × {s['replications']} replications = "
        f"{s['runs']} runs of {s['days']:g} days. Indices of `{KPI}` with their 95 % intervals:",
        "",
        "| field | S1 (first order) | 95 % CI | ST (total order) | 95 % CI |",
        "|---|---|---|---|---|",
    ]
    for row in s["rows"]:
        lines.append(f"| `{row['field']}` | {index(row['S1'])} | {interval(row['S1_ci95_lo'], row['S1_ci95_hi'], index)} "
                     f"| {index(row['ST'])} | {interval(row['ST_ci95_lo'], row['ST_ci95_hi'], index)} |")
    sizes = sorted({int(row["base_samples"]) for row in s["convergence"]})
    by_key = {(int(row["base_samples"]), row["field"]): row for row in s["convergence"]}
    lines += [
        "",
        "The convergence table (`study-sobol/convergence.csv`): ST ± its half-width on the first N base samples:",
        "",
        "| N | runs | " + " | ".join(f"`{name}`" for name in fields) + " |",
        "|---|---|" + "---|" * len(fields),
    ]
    for n in sizes:
        cells = [f"{index(by_key[n, name]['ST'])} ± {index(by_key[n, name]['ST_half_width'])}" for name in fields]
        lines.append(f"| {n} | {int(by_key[n, fields[0]]['runs']):,} | " + " | ".join(cells) + " |")
    last = {name: by_key[sizes[-1], name] for name in fields}
    widest = max(fields, key=lambda name: last[name]["ST_half_width"] or 0.0)
    hw = last[widest]["ST_half_width"]
    lines += [
        "",
        f"At N = {sizes[-1]} the widest ST interval, `{widest}`'s, is ±{index(hw)}; a half-width shrinks about "
        f"as 1/√N, so N = {REAL_SOBOL_N} would bring it to about ±{index(_projected(hw, sizes[-1]))} "
        f"({REAL_SOBOL_N // sizes[-1]} times the runs).",
    ]
    return "\n" + "\n".join(lines) + "\n"


def render_gain(f: Mapping[str, Any]) -> str:
    """Return the gain block: the command and the paired gain per seam height."""
    g = f["study"]["gain"]
    lines = [
        "", "```console",
        _command([f"seamsim sweep {BEFORE_FILE} --vary {_gain_vary()}",
                  f"--compare {AFTER_FILE} -n {g['replications']} --seed {SEED} --plot gain.html"]),
        "```", "",
        f"`{KPI}`, {g['replications']} replications per point, the same seeds at every point and in both "
        f"faces (t/month; the 95 % CI is that of the paired difference):",
        "",
        "| seam height | before (1,140 V) | after (3,300 V) | gain | 95 % CI | gain / before |",
        "|---|---|---|---|---|---|",
    ]
    for row in g["rows"]:
        rel = "—" if row["relative_diff"] is None else f"{row['relative_diff'] * 100:+.0f} %"
        lines.append(f"| {row['seam.height_m']:.2f} m | {tonnes(row['baseline_mean'])} | {tonnes(row['other_mean'])} | "
                     f"**{signed_tonnes(row['mean_diff'])}** | {interval(row['ci95_lo'], row['ci95_hi'], signed_tonnes)} "
                     f"| {rel} |")
    positive = all((row["ci95_lo"] or 0.0) > 0 for row in g["rows"])
    low, high = g["rows"][0], g["rows"][-1]
    lines += [
        "",
        f"The gain is {'positive at every height, its whole interval above 0' if positive else 'not above 0 at every height'}; "
        f"it grows from {signed_tonnes(low['mean_diff'])} t at {low['seam.height_m']:.2f} m to "
        f"{signed_tonnes(high['mean_diff'])} t at {high['seam.height_m']:.2f} m.",
    ]
    return "\n" + "\n".join(lines) + "\n"


def render_split(f: Mapping[str, Any]) -> str:
    """Return the order-free split block: the command, the Shapley values and the order effect."""
    d = f["study"]["split"]
    apart = d["apart"]
    lines = [
        "", "```console",
        _command([f"seamsim decompose {BEFORE_FILE} {AFTER_FILE} --order-free",
                  f"-n {d['replications']} --seed {SEED}"]),
        "```", "",
        f"Every factor alone: {apart['infeasible']} of the {apart['coalitions']} coalitions are infeasible"
        + (f" (`{apart['example']['coalition']}`: {apart['example']['reason']})" if apart["example"] else "")
        + (f", and the crew's Shapley value comes out as {share(apart['crew_share'])} of the gain."
           if apart["crew_share"] is not None else "."),
        "",
        "Counting the organisation of the face as one factor:",
        "", "```console",
        _command([f"seamsim decompose {BEFORE_FILE} {AFTER_FILE} --order-free",
                  f"-n {d['replications']} --seed {SEED} --together \"{'+'.join(d['together'])}\""]),
        "```", "",
        f"{d['replications']} replications per coalition, all {d['coalitions']} coalitions run "
        f"({d['method']}; {d['infeasible']} infeasible), `{KPI}` from "
        f"{tonnes(d['start_mean'])} t/month:",
        "",
        "| factor | Shapley Δ [t/month] | 95 % CI | share |",
        "|---|---|---|---|",
    ]
    for row in d["values"]:
        lines.append(f"| {row['factor']} | {signed_tonnes(row['shapley'])} | "
                     f"{interval(row['ci95_lo'], row['ci95_hi'], signed_tonnes)} | {share(row['share'])} |")
    total = d["total"]
    lines.append(f"| **total** (after − before) | **{signed_tonnes(total['delta'])}** | "
                 f"{interval(total['ci95_lo'], total['ci95_hi'], signed_tonnes)} | 100 % |")
    voltage = next((row for row in d["values"] if row["factor"] == VOLTAGE), None)
    if voltage is not None and total["delta"]:
        lines += [
            "",
            f"What the voltage and machine are worth depends on when they come: applied first, on the manual "
            f"face, {signed_tonnes(d['voltage_first'])} t ({share(d['voltage_first'] / total['delta'])} of the "
            f"gain); applied last, on the automated one, {signed_tonnes(d['voltage_last'])} t "
            f"({share(d['voltage_last'] / total['delta'])}). The Shapley value, "
            f"{signed_tonnes(voltage['shapley'])} t ({share(voltage['share'])}), is the mean over every order.",
        ]
    return "\n" + "\n".join(lines) + "\n"


def render_stored(f: Mapping[str, Any]) -> str:
    """Return the stored-results block: the commands, the files written, the replay and the export."""
    s = f["study"]["sobol"]
    replay = s["replay"]
    verdict = "reproduced it bit for bit (exit 0)" if replay["identical"] else "did NOT reproduce it (exit 1)"
    lines = [
        "", "```console",
        "$ seamsim analyse study-sobol --kpi rom_t_per_month --kpi running_ratio   # indices kept beside the runs",
        "$ seamsim export study-sobol --csv study-sobol.csv                         # one row per run, every KPI",
        f"$ seamsim run --replay study-sobol#{replay['row']}                                      "
        f"# one run again, checked bit for bit",
        "```", "",
        "For the Sobol sweep above, `seamsim analyse study-sobol` wrote "
        + ", ".join(f"`{name}`" for name in s["files"])
        + f"; `seamsim export study-sobol --csv study-sobol.csv` wrote {s['export']['rows']:,} rows (one per run) "
        f"of {s['export']['columns']} columns; `seamsim run --replay study-sobol#{replay['row']}` (design point "
        f"{replay['point']}, replication {replay['replication']}) {verdict}. The figures of this page were "
        f"computed by model code `{f['model_sha256'][:12]}…` (the `model_sha256` of the provenance).",
    ]
    return "\n" + "\n".join(lines) + "\n"


RENDERERS: dict[str, Callable[[Mapping[str, Any]], str]] = {
    "study-sizing": render_sizing,
    "study-morris": render_screening,
    "study-sobol": render_sobol,
    "study-gain": render_gain,
    "study-split": render_split,
    "study-stored": render_stored,
}
"""The study's generated blocks of docs/researchers.md, by name."""
