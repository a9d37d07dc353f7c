"""Compute the figures the docs quote from the code, and write them into the docs.

The docs quote model results (monthly tonnes, cuts a day, tonnes per worker-shift, running
ratio, the decomposition's shares, derived machine heights…). Those figures are written
only between markers::

    <!-- BEGIN generated:calibration -->
    … rendered from docs/generated/figures.json …
    <!-- END generated:calibration -->

and the prose around them stays hand-written. Usage (``make docs`` runs the first)::

    python tools/make_docs.py            # simulate, write docs/generated/figures.json, render
    python tools/make_docs.py --render   # render the blocks from figures.json only (no simulation)
    python tools/make_docs.py --check    # exit 1, saying what to do, if the docs have drifted

The figures come from :func:`seamsim.run_experiment` (process executor, :data:`SEED`,
:data:`REPLICATIONS` replications of :data:`DAYS` days, every bundled scenario, common random
numbers), :func:`seamsim.decompose` (before → after, same seed and replications) and
:func:`seamsim.engineering_picture` (design state, no simulation), and the worked study of
docs/researchers.md (``tools/study_figures.py``: sizing, Morris, Sobol, the gain over seam
heights and its order-free split, at a reduced size; it also writes
``docs/images/study-sobol-indices.png``). ``figures.json`` records the
model code hash (:func:`seamsim.experiment.provenance.model_hash`), so a test can tell a model
change without ``make docs`` cheaply (``tests/test_docs_drift.py``).
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import study_figures  # noqa: E402 - the worked study of docs/researchers.md, beside this file

ROOT = Path(__file__).resolve().parents[1]
FIGURES_PATH = ROOT / "docs" / "generated" / "figures.json"
SCENARIO_DIR = ROOT / "scenarios"
DOCS: tuple[str, ...] = ("docs/model.md", "docs/scenarios.md", "docs/researchers.md", "README.md")
"""Files (relative to the repository root) that may hold generated blocks."""

SEED = 2026
REPLICATIONS = 30
DAYS = 30.0
BEFORE = "article_before_1140v"
AFTER = "article_after_3300v"
BEFORE_AT_3300V = "article_before_at_3300v"
"""The before face with only its supply raised to 3,300 V (height derived, everything else kept)."""
BUILT_FOR_1140V = "whatif_after_machine_built_for_1140v"
FEW_END_MEN = 2
"""End men of the before face in the "fewer end men" face-end time quoted in model.md §5."""

KPIS: tuple[str, ...] = (
    "rom_t_per_month", "coal_t_per_month", "ash_pct", "cuts_per_day", "running_ratio",
    "t_per_worker_shift", "machine_height_mm", "pick_changes", "line_current_a",
    "electrical_trip_mtbf_h", "time_pick_change_h",
)
"""KPIs whose mean (and 95 % half-width) figures.json keeps per scenario."""

PICTURE_KEYS: tuple[str, ...] = (
    "machine_height_mm", "rated_current_a", "start_dip_pct", "cable_ampacity_a", "rock_cut_mm",
    "end_operations_min", "rock_reach_mm",
)
"""Design-state numbers of :func:`seamsim.engineering_picture` kept per scenario."""

BEGIN = "<!-- BEGIN generated:{name} -->"
END = "<!-- END generated:{name} -->"
BLOCK_RE = re.compile(
    r"<!-- BEGIN generated:(?P<name>[\w-]+) -->(?P<body>.*?)<!-- END generated:(?P=name) -->", re.S
)
FIX_HINT = (
    "run `make docs` (simulates, about 2 min) to recompute docs/generated/figures.json and "
    "rewrite the generated blocks, then commit docs/ and README.md"
)
RENDER_HINT = (
    "run `python tools/make_docs.py --render` (no simulation) to rewrite the blocks from "
    "docs/generated/figures.json; change the text of a block in tools/make_docs.py, not in the doc"
)


# --------------------------------------------------------------------------- model hash


def model_code_hash() -> str:
    """Return the SHA-256 of the model's source (physics, model, scenario schema).

    The same hash that every result's provenance carries
    (:func:`seamsim.experiment.provenance.model_hash`).
    """
    from seamsim.experiment.provenance import model_hash

    return model_hash()


# --------------------------------------------------------------------------- computing


def _scenario_files() -> list[Path]:
    """Return the bundled scenario files, sorted by name."""
    return sorted(SCENARIO_DIR.glob("*.yaml"))


def _finite(value: Any) -> float | None:
    """Return ``value`` as a float, or ``None`` for NaN (JSON has no NaN)."""
    number = float(value)
    return number if math.isfinite(number) else None


def _picture_numbers(scenario: Any) -> dict[str, float | None]:
    """Return :data:`PICTURE_KEYS` of the scenario's engineering picture."""
    from seamsim import engineering_picture

    picture = engineering_picture(scenario)
    return {key: _finite(picture[key]) for key in PICTURE_KEYS}


def compute_figures(workers: int | None = None) -> dict[str, Any]:
    """Simulate and return every figure the docs quote (the content of figures.json).

    Parameters
    ----------
    workers : int, optional
        Processes of the pool (default: the CPUs available).
    """
    from seamsim import decompose, load_scenario, run_experiment

    files = _scenario_files()
    scenarios = [load_scenario(path) for path in files]
    before_3300 = load_scenario(
        SCENARIO_DIR / f"{BEFORE}.yaml",
        overrides={"electrical.supply_voltage_v": 3300, "machine.height_mode": "derived",
                   "name": BEFORE_AT_3300V},
    )
    ex = run_experiment([*scenarios, before_3300], replications=REPLICATIONS, seed=SEED, days=DAYS,
                        executor="processes", workers=workers)
    summary = ex.summary
    figures: dict[str, Any] = {
        "model_sha256": model_code_hash(),
        "settings": {"seed": SEED, "replications": REPLICATIONS, "days": DAYS,
                     "executor": "processes"},
        "scenarios": {},
    }
    for scenario, path in [*zip(scenarios, [p.name for p in files], strict=True), (before_3300, None)]:
        rows = summary[summary["scenario"] == scenario.name].set_index("kpi")
        statuses = ex.runs.loc[ex.runs["scenario"] == scenario.name, "status"]
        figures["scenarios"][scenario.name] = {
            "file": path,
            "runs_ok": int((statuses == "ok").sum()),
            "mean": {k: _finite(rows.at[k, "mean"]) for k in KPIS},
            "half_width": {k: _finite(rows.at[k, "half_width"]) for k in KPIS},
            "picture": _picture_numbers(scenario),
        }
    few_men = load_scenario(SCENARIO_DIR / f"{BEFORE}.yaml",
                            overrides={"crew.face_end_men": FEW_END_MEN})
    figures["before_few_end_men"] = {
        "face_end_men": FEW_END_MEN, "end_operations_min": _picture_numbers(few_men)["end_operations_min"],
    }
    result = decompose(SCENARIO_DIR / f"{BEFORE}.yaml", SCENARIO_DIR / f"{AFTER}.yaml",
                       replications=REPLICATIONS, seed=SEED, executor="processes", workers=workers)
    figures["decomposition"] = {
        "kpi": result.kpi,
        "start_mean": _finite(result.start["mean"]),
        "steps": [
            {"factor": str(row.factor), "mean": _finite(row.mean), "delta": _finite(row.delta),
             "ci95_lo": _finite(row.ci95_lo), "ci95_hi": _finite(row.ci95_hi),
             "share": _finite(row.share), "status": str(row.status)}
            for row in result.steps.itertuples()
        ],
        "total": {k: _finite(result.total[k]) for k in ("a_mean", "b_mean", "delta", "ci95_lo", "ci95_hi")},
    }
    figures["study"] = study_figures.compute_study(workers, ROOT / study_figures.SOBOL_FIGURE)
    return figures


# --------------------------------------------------------------------------- formatting


def thousands(value: float, step: float = 100.0) -> str:
    """Return ``value`` rounded to ``step`` with a thousands comma (``47,700``)."""
    return f"{round(value / step) * step:,.0f}"


def three_figures(value: float) -> str:
    """Return ``value`` to three significant figures, no more decimals than one (``15.0``, ``132``)."""
    if abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:.1f}"


def kt(value_t: float) -> str:
    """Return tonnes as kilotonnes with one decimal (``4.2``)."""
    return f"{value_t / 1000:.1f}"


def signed_kt(value_t: float) -> str:
    """Return tonnes as signed kilotonnes (``+4.2 kt``, ``+0 kt`` when under 50 t)."""
    if abs(value_t) < 50:
        return "+0 kt"
    return f"{value_t / 1000:+.1f} kt"


def percent(share: float) -> str:
    """Return a share (0–1) as a whole percentage (``14 %``)."""
    return f"{share * 100:.0f} %"


# --------------------------------------------------------------------------- rendering


def _mean(figures: Mapping[str, Any], scenario: str, kpi: str) -> float:
    return figures["scenarios"][scenario]["mean"][kpi]


def _picture(figures: Mapping[str, Any], scenario: str, key: str) -> float:
    return figures["scenarios"][scenario]["picture"][key]


def _block_electrical(f: Mapping[str, Any]) -> str:
    def face(name: str, volts: str) -> str:
        return (f"{volts} — {_picture(f, name, 'rated_current_a'):.0f} A rated, "
                f"{_mean(f, name, 'line_current_a'):.0f} A drawn, start dip "
                f"{_picture(f, name, 'start_dip_pct'):.0f} %, a trip every "
                f"≈{_mean(f, name, 'electrical_trip_mtbf_h'):.0f} h")

    return (f"The article's faces: {face(BEFORE, '1,140 V')} (mostly the I²t relay on a 3×95 cable "
            f"that carries {_picture(f, BEFORE, 'cable_ampacity_a'):.0f} A); {face(AFTER, '3,300 V')}.")


def _block_derived_heights(f: Mapping[str, Any]) -> str:
    return (f"Then the 3,300 V after machine comes out at "
            f"**{_picture(f, AFTER, 'machine_height_mm'):.0f} mm** (article: 588); the before machine "
            f"at 3,300 V at **{_picture(f, BEFORE_AT_3300V, 'machine_height_mm'):.0f} mm**; the 680 kW "
            f"machine built for 1,140 V at **{_picture(f, BUILT_FOR_1140V, 'machine_height_mm'):.0f} mm**")


def _block_face_end_times(f: Mapping[str, Any]) -> str:
    few = f["before_few_end_men"]
    return (f"{_picture(f, BEFORE, 'end_operations_min'):.1f} min for the before face (4 end men; "
            f"{few['end_operations_min']:.1f} min with {few['face_end_men']}; 25–45 min summing the "
            f"steps' ranges by hand [E][I]), {_picture(f, AFTER, 'end_operations_min'):.1f} min for the "
            f"after face (8–15 automated)")


def _block_calibration(f: Mapping[str, Any]) -> str:
    s = f["settings"]

    def row(label: str, before: str, after: str, article: str) -> str:
        return f"| {label} | {before} | {after} | {article} |"

    def both(kpi: str, fmt: Callable[[float], str]) -> tuple[str, str]:
        return fmt(_mean(f, BEFORE, kpi)), fmt(_mean(f, AFTER, kpi))

    def rom(name: str) -> str:
        sc = f["scenarios"][name]
        return f"{thousands(sc['mean']['rom_t_per_month'])} ± {thousands(sc['half_width']['rom_t_per_month'])}"

    lines = [
        f"With {s['replications']} replications of a {s['days']:.0f}-day month "
        f"(`seamsim compare scenarios/{BEFORE}.yaml scenarios/{AFTER}.yaml -n {s['replications']} "
        f"--seed {s['seed']}`; ± is the 95 % half-width):",
        "",
        "| KPI | before | after | article |",
        "|---|---|---|---|",
        row("ROM tonnes per month", rom(BEFORE), rom(AFTER), "15–20 kt / 40–50 kt"),
        row("coal tonnes per month", *both("coal_t_per_month", thousands), "— (ROM basis unknown)"),
        row("ash of the ROM", *both("ash_pct", lambda v: f"{v:.1f} %"), "(coal 20 %, rock 85 %)"),
        row("cuts per day", *both("cuts_per_day", lambda v: f"{v:.1f}"), "≈5.5 / ≈15 [I]"),
        row("running ratio (cutting, sumping and triangle coal over scheduled time)",
            *both("running_ratio", lambda v: f"{v:.2f}"), "0.2–0.7 [S17]"),
        row("tonnes per worker-shift", *both("t_per_worker_shift", three_figures), "≈15 / ≈136 [A][I]"),
        row("machine height (derived)", *both("machine_height_mm", lambda v: f"{v:.0f} mm"), "630 / 588 mm"),
        row("pick changes a month", *both("pick_changes", lambda v: f"{v:.0f}"), "—"),
    ]
    return "\n" + "\n".join(lines) + "\n"


def _block_decomposition(f: Mapping[str, Any]) -> str:
    d = f["decomposition"]
    s = f["settings"]
    parts = []
    for step in d["steps"]:
        share = step["share"]
        share_text = f" ({percent(share)})" if share is not None and abs(step["delta"] or 0) >= 50 else ""
        parts.append(f"{step['factor']} {signed_kt(step['delta'] or 0.0)}{share_text}")
    return (f"Where the gain comes from (`seamsim decompose` before → after, {s['replications']} "
            f"replications, seed {s['seed']}, in the default order): " + ", ".join(parts) +
            f"; in all {signed_kt(d['total']['delta'])}.")


def _block_whatif(f: Mapping[str, Any]) -> str:
    before_coal = _mean(f, BEFORE, "coal_t_per_month")
    at_3300_coal = _mean(f, BEFORE_AT_3300V, "coal_t_per_month")
    built_coal = _mean(f, BUILT_FOR_1140V, "coal_t_per_month")
    after_coal = _mean(f, AFTER, "coal_t_per_month")
    return (f"On the before face, switching the supply to 3,300 V with everything else kept lowers the "
            f"derived machine to {_picture(f, BEFORE_AT_3300V, 'machine_height_mm'):.0f} mm and changes "
            f"coal by {(at_3300_coal / before_coal - 1) * 100:+.0f} % "
            f"({kt(before_coal)} → {kt(at_3300_coal)} kt a month); the 680 kW machine built for "
            f"1,140 V would be {_picture(f, BUILT_FOR_1140V, 'machine_height_mm'):.0f} mm tall and make "
            f"about {kt(built_coal)} kt of coal a month instead of {kt(after_coal)} kt "
            f"(`{BUILT_FOR_1140V}`).")


SCENARIO_LESSONS: dict[str, str] = {
    "article_before_1140v": "the face before the upgrade: {height} mm, 1,140 V, manual shields and ends, "
                            "bank-to-bank shifts, 20 a shift",
    "article_after_3300v": "after: {height} mm, 3,300 V, electro-hydraulic shields, automated ends, remote "
                           "control with a hot-seat handover, 6 a shift",
    "whatif_after_machine_built_for_1140v": "the 680 kW machine designed for 1,140 V (`height_mode: derived`): "
                                            "{height} mm tall, {rock} mm of rock every pass",
    "whatif_after_manual_shields": "the new machine held back by hand-advanced shields and manual face ends",
    "whatif_before_automated_1140v": "all the automation, but still the {height} mm machine on 1,140 V: "
                                     "rock and jams remain",
    "whatif_high_power_1140v_long_cable": "the 680 kW machine on 1,140 V over 700 m with two 3×95 cables: "
                                          "a {dip} % start dip (height held at {height} mm)",
    "whatif_thin_seam_0_7m": "the after face in 0.7 m: {rock} mm of rock every pass, slower picks, stalls "
                             "in every weighting",
    "whatif_thick_seam_1_1m": "the after face in 1.1 m: no rock, more coal per web",
    "whatif_before_unidirectional": "the before face cutting one way only",
}
"""What each bundled scenario teaches, for the table of docs/scenarios.md (``{height}``,
``{rock}`` and ``{dip}`` are filled from the scenario's engineering picture)."""


def _block_scenario_table(f: Mapping[str, Any]) -> str:
    s = f["settings"]
    lines = [
        "| file | what it teaches | ROM t/month | coal t/month | ash % | running ratio | t/worker-shift | machine |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, sc in f["scenarios"].items():
        if sc["file"] is None:
            continue
        m, p = sc["mean"], sc["picture"]
        lesson = SCENARIO_LESSONS.get(name, "").format(
            height=f"{p['machine_height_mm']:.0f}", rock=f"{p['rock_cut_mm']:.0f}", dip=f"{p['start_dip_pct']:.0f}")
        lines.append(
            f"| `{sc['file']}` | {lesson} | {thousands(m['rom_t_per_month'])} | "
            f"{thousands(m['coal_t_per_month'])} | {m['ash_pct']:.1f} | {m['running_ratio']:.2f} | "
            f"{three_figures(m['t_per_worker_shift'])} | {m['machine_height_mm']:.0f} mm |")
    lines += [
        "",
        f"({s['replications']} replications, seed {s['seed']}: `seamsim compare scenarios/*.yaml "
        f"-n {s['replications']} --seed {s['seed']}`.)",
    ]
    return "\n" + "\n".join(lines) + "\n"


def _block_kpi_table(f: Mapping[str, Any]) -> str:
    """The KPI table of the experiment layer (label, unit, kind, which way is better, help):
    rendered from the code itself, not from figures.json, so that the docs cannot drift from it."""
    del f
    from seamsim.experiment.kpis import KPIS, MAIN_KPIS

    better = {True: "higher", False: "lower", None: "—"}
    rows = ["| KPI | label | unit | kind | better | what it is |", "|---|---|---|---|---|---|"]
    for key in [*MAIN_KPIS, *sorted(k for k in KPIS if k not in MAIN_KPIS)]:
        k = KPIS[key]
        rows.append(f"| `{key}` | {k.label} | {k.unit or '—'} | {k.kind} | {better[k.higher_is_better]} | "
                    f"{k.help.replace('|', '/')} |")
    return "\n" + "\n".join(rows) + "\n"


RENDERERS: dict[str, Callable[[Mapping[str, Any]], str]] = {
    "electrical-state": _block_electrical,
    "derived-heights": _block_derived_heights,
    "face-end-times": _block_face_end_times,
    "calibration": _block_calibration,
    "decomposition": _block_decomposition,
    "whatif-voltage": _block_whatif,
    "scenario-table": _block_scenario_table,
    "kpi-table": _block_kpi_table,
    **study_figures.RENDERERS,
}
"""Every generated block, by name: a function of figures.json to the block's text."""


def render_blocks(figures: Mapping[str, Any]) -> dict[str, str]:
    """Return the text of every generated block rendered from ``figures``."""
    return {name: render(figures) for name, render in RENDERERS.items()}


# --------------------------------------------------------------------------- the docs


def blocks_in(text: str) -> dict[str, str]:
    """Return the body of every generated block in ``text``, by name."""
    return {m["name"]: m["body"] for m in BLOCK_RE.finditer(text)}


def with_blocks(text: str, blocks: Mapping[str, str]) -> str:
    """Return ``text`` with the body of each generated block replaced by ``blocks[name]``.

    Blocks whose name is not in ``blocks`` are left as they are.
    """
    def replace(match: re.Match[str]) -> str:
        name = match["name"]
        if name not in blocks:
            return match[0]
        return BEGIN.format(name=name) + blocks[name] + END.format(name=name)

    return BLOCK_RE.sub(replace, text)


def read_figures(path: Path = FIGURES_PATH) -> dict[str, Any]:
    """Return the stored figures."""
    return json.loads(path.read_text(encoding="utf-8"))


def write_figures(figures: Mapping[str, Any], path: Path = FIGURES_PATH) -> None:
    """Write the figures as sorted, indented JSON."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(figures, indent=1, sort_keys=True, ensure_ascii=False) + "\n",
                    encoding="utf-8")


def render_docs(figures: Mapping[str, Any], root: Path = ROOT) -> list[str]:
    """Rewrite the generated blocks of :data:`DOCS` from ``figures``; return the files changed."""
    blocks = render_blocks(figures)
    changed = []
    for name in DOCS:
        path = root / name
        if not path.exists():
            continue
        text = path.read_text(encoding="utf-8")
        new = with_blocks(text, blocks)
        if new != text:
            path.write_text(new, encoding="utf-8")
            changed.append(name)
    return changed


def drift_problems(root: Path = ROOT, figures_path: Path = FIGURES_PATH) -> list[str]:
    """Return what is out of date in the docs, each with what to do (empty: nothing).

    Cheap: no simulation. Checks that figures.json was computed by the current model code,
    that every generated block equals what :data:`RENDERERS` makes of figures.json, and that
    every renderer's block is somewhere in the docs exactly once.
    """
    if not figures_path.exists():
        return [f"{figures_path.relative_to(root)} is missing: {FIX_HINT}"]
    figures = read_figures(figures_path)
    problems = []
    current = model_code_hash()
    if figures.get("model_sha256") != current:
        problems.append(
            f"the model code changed since the docs' figures were computed (figures.json has model "
            f"hash {str(figures.get('model_sha256'))[:12]}…, the code {current[:12]}…): {FIX_HINT}")
    try:
        blocks = render_blocks(figures)
    except KeyError as missing:
        return [*problems, f"{figures_path.relative_to(root)} has no figure {missing} that a generated "
                           f"block needs (computed before the block existed?): {FIX_HINT}"]
    seen: dict[str, list[str]] = {}
    for name in DOCS:
        path = root / name
        if not path.exists():
            continue
        for block, body in blocks_in(path.read_text(encoding="utf-8")).items():
            seen.setdefault(block, []).append(name)
            if block not in blocks:
                problems.append(f"{name}: unknown generated block {block!r} (known: {', '.join(blocks)})")
            elif body != blocks[block]:
                problems.append(f"{name}: generated block {block!r} differs from figures.json "
                                f"(edited by hand?): {RENDER_HINT}")
    for block in blocks:
        where = seen.get(block, [])
        if len(where) != 1:
            problems.append(f"generated block {block!r} appears {len(where)} times in the docs "
                            f"({', '.join(where) or 'nowhere'}); it must appear exactly once")
    return problems


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--render", action="store_true", help="render from figures.json only")
    mode.add_argument("--check", action="store_true", help="report drift, exit 1 if any")
    parser.add_argument("--workers", type=int, default=None, help="processes (default: CPUs)")
    args = parser.parse_args(argv)
    if args.check:
        problems = drift_problems()
        for problem in problems:
            print(problem, file=sys.stderr)
        return 1 if problems else 0
    if args.render:
        figures = read_figures()
    else:
        figures = compute_figures(args.workers)
        write_figures(figures)
        print(f"wrote {FIGURES_PATH.relative_to(ROOT)}")
    for name in render_docs(figures):
        print(f"rewrote the generated blocks of {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
