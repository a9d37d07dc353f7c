"""The comparison report as one self-contained HTML file.

:func:`report_html` writes a :class:`~seamsim.report.comparison.ComparisonReport` as a page
that needs nothing else: plotly's JavaScript is inlined once, the other charts reuse it; no
CDN, web font, MathJax or image is fetched; each scenario's resolved YAML is embedded in a
``<pre>`` and can be downloaded from the page (a ``data:`` link). The page reads on a
projector (large type, wide column) and on paper (``@media print``: white, a page per
section, charts redrawn at A4 width before printing). Same report → same bytes.
"""

from __future__ import annotations

import base64
import math
from html import escape
from typing import Any

from seamsim.report import figures
from seamsim.report.comparison import (
    MODEL_ASSUMPTIONS,
    ComparisonReport,
    differing_estimates,
    estimated_fields,
    headline,
)
from seamsim.report.palette import limit_label

__all__ = ["PLOTLY_CONFIG", "kpi_unit", "report_html", "scenario_yaml"]

PLOTLY_CONFIG: dict[str, Any] = {"displaylogo": False, "responsive": True,
                                 "toImageButtonOptions": {"format": "svg"}}
"""Plotly's options for every chart of a report (no link to plotly's servers)."""

PRINT_WIDTH_PX = 680
"""Width the charts are redrawn at before printing (A4 less 15 mm margins, at 96 dpi)."""

_UNITS: tuple[tuple[str, str], ...] = (
    ("_t_per_month", "t/month"), ("kwh_per_t", "kWh/t"), ("t_per_worker_shift", "t"), ("cuts_per_day", "1/d"),
    ("_pct", "%"), ("_mm", "mm"), ("_kwh", "kWh"), ("_t", "t"), ("_m", "m"), ("_a", "A"), ("_h", "h"),
)

_CSS = """
*{box-sizing:border-box}
body{margin:0;background:#fff;color:#212121;font:20px/1.45 Arial,Helvetica,sans-serif}
main{max-width:1240px;margin:0 auto;padding:1.5rem 2rem 4rem}
h1{font-size:2.1rem;line-height:1.2;margin:.3rem 0 1rem}
h2{font-size:1.6rem;margin:2.5rem 0 .8rem;padding-bottom:.3rem;border-bottom:3px solid #1565c0}
h3{font-size:1.25rem;margin:1.5rem 0 .5rem}
.kicker{color:#546e7a;font-size:1rem;text-transform:uppercase;letter-spacing:.08em}
.meta{color:#455a64;font-size:1rem}
.answer li{margin:.3rem 0}
table{border-collapse:collapse;width:100%;font-size:1rem;margin:.5rem 0 1rem}
th,td{padding:.4rem .6rem;border-bottom:1px solid #cfd8dc;text-align:right;vertical-align:top}
th{background:#eceff1;font-weight:bold}
td:first-child,th:first-child{text-align:left}
td.ci{color:#546e7a;font-size:.9rem}
.chart{margin:1rem 0;break-inside:avoid}
pre{background:#f5f5f5;border:1px solid #cfd8dc;padding:.8rem;font-size:.8rem;line-height:1.35;
    max-height:28rem;overflow:auto;white-space:pre}
a.download{display:inline-block;margin:.3rem 0 .6rem;padding:.35rem .8rem;border:2px solid #1565c0;
    border-radius:4px;color:#1565c0;text-decoration:none;font-weight:bold;font-size:1rem}
.note{color:#546e7a;font-size:.95rem}
@media print{
  @page{size:A4;margin:15mm}
  body{font-size:11pt;background:#fff!important;color:#000}
  main{max-width:none;padding:0}
  h1{font-size:20pt} h2{font-size:15pt;border-color:#000} h3{font-size:12pt}
  section{break-before:page} section.first{break-before:auto}
  th{background:#fff;border-bottom:2px solid #000}
  pre{max-height:none;overflow:visible;white-space:pre-wrap;background:#fff;font-size:8pt}
  a.download,.modebar-container{display:none!important}
  .chart{width:180mm}
}
"""

_PRINT_SCRIPT = f"""
<script>
(function(){{
  function plots(){{return Array.prototype.slice.call(document.querySelectorAll('.js-plotly-plot'));}}
  window.addEventListener('beforeprint',function(){{
    plots().forEach(function(gd){{Plotly.relayout(gd,{{width:{PRINT_WIDTH_PX}}});}});
  }});
  window.addEventListener('afterprint',function(){{
    plots().forEach(function(gd){{Plotly.relayout(gd,{{width:null,autosize:true}});}});
  }});
}})();
</script>
"""


def scenario_yaml(scenario: Any) -> str:
    """Return a complete YAML file of ``scenario`` (every field resolved; loads back equal)."""
    import yaml

    return yaml.safe_dump(scenario.model_dump(mode="json"), sort_keys=False, allow_unicode=True, width=100)


def kpi_unit(kpi: str) -> str:
    """Return the unit of a KPI from its name (``rom_t_per_month`` → ``t/month``), ``""`` if none."""
    for suffix, unit in _UNITS:
        if kpi.endswith(suffix):
            return unit
    return ""


def _fmt(value: Any, *, signed: bool = False) -> str:
    try:
        x = float(value)
    except (TypeError, ValueError):
        return "—"
    if not math.isfinite(x):
        return "—"
    size = abs(x)
    spec = ",.0f" if size >= 1000 else ".1f" if size >= 100 else ".2f" if size >= 1 or x == 0 else ".3f"
    return format(x, ("+" if signed else "") + spec)


def _ci(lo: Any, hi: Any, *, signed: bool = False) -> str:
    text_lo, text_hi = _fmt(lo, signed=signed), _fmt(hi, signed=signed)
    return "—" if "—" in (text_lo, text_hi) else f"{text_lo} to {text_hi}"


def _label(scenario: Any) -> str:
    return scenario.title or scenario.name


def _chart(fig: Any, index: int) -> str:
    html = fig.to_html(full_html=False, include_plotlyjs=index == 0, include_mathjax=False,
                       config=PLOTLY_CONFIG, div_id=f"chart-{index + 1}")
    return f'<div class="chart">{html}</div>'


def _kpi_table(report: ComparisonReport) -> str:
    from seamsim.experiment.runner import MAIN_KPIS

    kpis = report.comparison.kpis
    paired = report.comparison.paired
    means = {(r.scenario, r.kpi): r for r in kpis.itertuples(index=False)}
    diffs = {(r.scenario, r.kpi): r for r in paired.itertuples(index=False)}
    base = report.scenarios[0]
    head = "".join(f"<th>{escape(_label(sc))}<br><span class='note'>mean (95 % CI)</span></th>"
                   for sc in report.scenarios)
    head += "".join(f"<th>{escape(_label(sc))} − {escape(_label(base))}<br><span class='note'>paired "
                    "difference (95 % CI)</span></th>" for sc in report.scenarios[1:])
    rows = []
    for kpi in MAIN_KPIS:
        if not any((sc.name, kpi) in means for sc in report.scenarios):
            continue
        unit = kpi_unit(kpi)
        cells = [f"<td>{escape(kpi)}{f' [{escape(unit)}]' if unit else ''}</td>"]
        for sc in report.scenarios:
            m = means.get((sc.name, kpi))
            cells.append(f"<td>{_fmt(m.mean)}<br><span class='note'>{_ci(m.ci95_lo, m.ci95_hi)}</span></td>"
                         if m else "<td>—</td>")
        for sc in report.scenarios[1:]:
            d = diffs.get((sc.name, kpi))
            if d is None:
                cells.append("<td>—</td>")
                continue
            rel = f" ({100 * d.relative_diff:+.0f} %)" if math.isfinite(float(d.relative_diff)) else ""
            cells.append(f"<td>{_fmt(d.mean_diff, signed=True)}{rel}<br><span class='note'>"
                         f"{_ci(d.ci95_lo, d.ci95_hi, signed=True)}</span></td>")
        rows.append(f"<tr>{''.join(cells)}</tr>")
    return f"<table id='kpi-table'><thead><tr><th>KPI</th>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _status_notes(report: ComparisonReport) -> str:
    table = report.comparison.experiment.status_table().set_index("scenario")
    items = []
    for sc in report.scenarios:
        if sc.name not in table.index:
            continue
        row = table.loc[sc.name]
        if row["infeasible"] or row["error"]:
            why = "; ".join(str(r) for r in (row["reasons"], row["errors"]) if r)
            items.append(f"<li><b>{escape(_label(sc))}</b> cannot be worked in {int(row['infeasible'])} and failed "
                         f"in {int(row['error'])} replication(s): {escape(why)}</li>")
    return f"<ul class='answer'>{''.join(items)}</ul>" if items else ""


def _gain_section(report: ComparisonReport, labels: dict[str, str], charts: list[str]) -> str:
    if not report.decompositions:
        return ("<p class='note'>No decomposition in this report (run <code>seamsim report</code> without "
                "<code>--no-decompose</code>, or Decompose on the dashboard's Compare page).</p>")
    parts = ["<p>Start from the first scenario and apply the other's settings one group of fields at a time "
             "(voltage and machine, shield control, face-end automation, remote control, crew…); each bar is the "
             "paired change of that step with its 95 % interval. The order matters, and is the one shown"
             + (" — the order-free split (Shapley values: each factor's step averaged over every order) follows."
                if report.order_free else ".") + "</p>"]
    for d in report.decompositions:
        parts.append(_chart_next(figures.waterfall_figure(d, labels), charts))
        rows = "".join(
            f"<tr><td>{int(s.order)}. {escape(str(s.factor))}</td><td>{_fmt(s.delta, signed=True)}</td>"
            f"<td class='ci'>{_ci(s.ci95_lo, s.ci95_hi, signed=True)}</td>"
            f"<td>{f'{s.share:.0%}' if math.isfinite(float(s.share)) else '—'}</td>"
            f"<td style='text-align:left'>{escape(str(s.fields))}</td><td>{escape(str(s.status))}</td></tr>"
            for s in d.steps.itertuples(index=False)
        )
        parts.append("<table><thead><tr><th>step</th><th>change [t/month]</th><th>95 % CI</th><th>share</th>"
                     f"<th style='text-align:left'>fields changed</th><th>status</th></tr></thead><tbody>{rows}"
                     "</tbody></table>")
    for s in report.order_free:
        parts.append(_chart_next(figures.order_free_figure(s, labels), charts))
    return "".join(parts)


def _chart_next(fig: Any, charts: list[str]) -> str:
    html = _chart(fig, len(charts))
    charts.append(html)
    return html


def _limits_table(report: ComparisonReport) -> str:
    rows = []
    for sc in report.scenarios:
        pic = report.pictures.get(sc.name, {})
        limits = pic.get("speed_limits_m_per_min") or {}
        binding = pic.get("binding_limit") or ""
        allowed = ", ".join(
            f"{limit_label(n)} {('no limit' if v is None or not math.isfinite(float(v)) else f'{float(v):.1f}')}"
            for n, v in limits.items()
        )
        speed = pic.get("cutting_speed_m_per_min")
        rows.append(
            f"<tr><td>{escape(_label(sc))}</td><td style='text-align:left'><b>{escape(limit_label(binding)) if binding else '—'}"
            f"</b></td><td>{_fmt(speed)}</td><td>{_fmt(pic.get('spare_clearance_mm'), signed=True)}</td>"
            f"<td style='text-align:left' class='note'>{escape(allowed)}</td></tr>")
    return ("<table id='limits-table'><thead><tr><th>scenario</th><th style='text-align:left'>binding limit at the "
            "mean seam height</th><th>cutting speed [m/min]</th><th>spare clearance [mm]</th>"
            "<th style='text-align:left'>what each limit allows [m/min]</th></tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>")


def _assumptions(report: ComparisonReport) -> str:
    estimates = estimated_fields(type(report.scenarios[0]))
    differing = differing_estimates(report.scenarios)
    items = [f"<li>{escape(a)}</li>" for a in MODEL_ASSUMPTIONS]
    items.append(f"<li>{len(estimates)} of the scenario's inputs are engineering estimates (marked [E] in "
                 "<code>seamsim schema</code> and docs/scenarios.md); a figure that rests on one should be swept "
                 "before it is trusted.</li>")
    extra = []
    if differing:
        rows = "".join(
            f"<tr><td>{escape(path)}</td>{''.join(f'<td>{escape(str(v))}</td>' for v in values)}"
            f"<td style='text-align:left' class='note'>{escape(estimates[path])}</td></tr>"
            for path, values in differing.items())
        heads = "".join(f"<th>{escape(_label(sc))}</th>" for sc in report.scenarios)
        extra.append("<h3>Estimates on which the scenarios differ</h3><p>These [E]-labelled inputs take "
                     "different values in the scenarios, so part of the difference rests on them:</p>"
                     f"<table id='estimates-table'><thead><tr><th>field</th>{heads}<th style='text-align:left'>"
                     f"what it is</th></tr></thead><tbody>{rows}</tbody></table>")
    warnings = []
    for sc in report.scenarios:
        for w in report.pictures.get(sc.name, {}).get("warnings") or []:
            warnings.append(f"<li><b>{escape(_label(sc))}</b>: {escape(str(w))}</li>")
    if warnings:
        extra.append(f"<h3>Warnings of the model</h3><ul>{''.join(warnings)}</ul>")
    return f"<ul>{''.join(items)}</ul>{''.join(extra)}"


def _scenarios_section(report: ComparisonReport) -> str:
    parts = []
    for sc in report.scenarios:
        text = scenario_yaml(sc)
        data = base64.b64encode(text.encode("utf-8")).decode("ascii")
        parts.append(
            f"<h3>{escape(_label(sc))}</h3>"
            + (f"<p class='note'>{escape(sc.description.strip())}</p>" if sc.description else "")
            + f"<a class='download' download='{escape(sc.name)}.yaml' "
              f"href='data:application/x-yaml;charset=utf-8;base64,{data}'>Download {escape(sc.name)}.yaml</a>"
            + f"<pre class='scenario-yaml' data-scenario='{escape(sc.name)}'>{escape(text)}</pre>")
    return "".join(parts)


def _reproduce(report: ComparisonReport) -> str:
    files = " ".join(f"{sc.name}.yaml" for sc in report.scenarios)
    days = f" --days {report.days:g}" if report.days is not None else ""
    extra = " --order-free" if report.order_free else "" if report.decompositions else " --no-decompose"
    return f"seamsim report {files} --replications {report.replications} --seed {report.seed}{days}{extra} -o report.html"


def report_html(report: ComparisonReport) -> str:
    """Return the report as one self-contained HTML page.

    Parameters
    ----------
    report : ComparisonReport
        From :func:`~seamsim.report.comparison.comparison_report` or
        :func:`~seamsim.report.comparison.report_from_results`.

    Returns
    -------
    str
        The page: the question, the answer in brief, the KPI table with paired CIs, the
        waterfall(s), the time breakdown, what holds each face back, the assumptions and the
        scenarios (YAML embedded and downloadable), with seed, replications and version.
    """
    charts: list[str] = []
    tonnage = _chart_next(figures.tonnage_figure(report), charts)
    gain = _gain_section(report, {sc.name: sc.name for sc in report.scenarios}, charts)  # short labels
    time_chart = _chart_next(figures.time_breakdown_figure(report), charts)
    limits_chart = _chart_next(figures.limit_shares_figure(report), charts)
    days = sorted({report.days_of(n) for n in report.names})
    answer = "".join(f"<li>{escape(line)}</li>" for line in headline(report))
    names = ", ".join(escape(_label(sc)) for sc in report.scenarios)
    body = f"""
<main>
<section class="first" id="question">
<div class="kicker">seamsim comparison report</div>
<h1>{escape(report.question)}</h1>
<p class="meta">Scenarios: {names} (the first is the baseline) · {report.replications} replication(s) each of
{' / '.join(f'{d:g}' for d in days)} simulated day(s) · seed {report.seed} (replication <i>i</i> uses
<code>SeedSequence({report.seed}, spawn_key=(i,))</code>, the same in every scenario: common random numbers) ·
seamsim {escape(report.version)}</p>
<h2>The answer in brief</h2>
<ul class="answer">{answer}</ul>
{_status_notes(report)}
{tonnage}
</section>
<section id="kpis">
<h2>Key figures, side by side and paired</h2>
<p class="note">Mean of the replications with its 95 % confidence interval; the differences are taken replication by
replication against the baseline (paired), so their intervals are narrower than the two intervals side by side.</p>
{_kpi_table(report)}
</section>
<section id="gain">
<h2>Where the gain comes from</h2>
{gain}
</section>
<section id="time">
<h2>Where the time goes</h2>
{time_chart}
</section>
<section id="limits">
<h2>What holds each face back</h2>
<p>The cutting speed is the lowest of several limits; the chart shows on how much of the cutting each one was the
lowest, the table which one binds at the mean seam height.</p>
{limits_chart}
{_limits_table(report)}
</section>
<section id="assumptions">
<h2>What the model assumes</h2>
{_assumptions(report)}
</section>
<section id="scenarios">
<h2>The scenarios</h2>
<p class="note">Every field resolved (defaults included); each file loads back to the same scenario. To compute this
report again: <code>{escape(_reproduce(report))}</code></p>
{_scenarios_section(report)}
</section>
</main>
"""
    title = escape(report.question if len(report.question) <= 90 else report.question[:88] + "…")
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{title}</title>"
            f"<style>{_CSS}</style></head><body>{body}{_PRINT_SCRIPT}</body></html>\n")
