"""The words of the dashboard, explained once: the Glossary page and every "?" tooltip.

:data:`TERMS` holds the glossary (term → plain-words definition); :data:`KPI_TERMS` and
:data:`CHAIN_TERMS` say which term explains each KPI card and each step of the causal chain
(what a KPI counts comes from the KPI table, ``dashboard.kpi(key).help``). :func:`help_for` gives a term's tooltip,
:func:`kpi_help` a KPI's, :func:`with_sources` a text with its source tags ([S17], [E], [A]…)
resolved from the repository's own ``docs/references.md`` (:func:`reference_entries`).

Nothing here needs Streamlit.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path

__all__ = [
    "CHAIN_TERMS",
    "KPI_TERMS",
    "REFERENCES_PATH",
    "TERMS",
    "help_for",
    "kpi_help",
    "reference_entries",
    "source_tags",
    "with_sources",
]

_PACKAGE_COPY = Path(__file__).resolve().parent / "references.md"
REFERENCES_PATH = (_PACKAGE_COPY if _PACKAGE_COPY.is_file()
                   else Path(__file__).resolve().parents[1] / "docs" / "references.md")
"""The repository's list of sources (``docs/references.md``; an installed wheel carries a copy
in the package, see ``setup.py``); the References page shows it."""

TERMS: dict[str, str] = {
    "ash": "The incombustible part of what is mined. Coal has a little; roof rock cut with it is almost all ash, "
           "so every millimetre of rock cut raises the ash of the run-of-mine and lowers its price.",
    "body sag": "The extra height a long, rigid shearer body needs where the floor undulates (L²/8R for a body "
                "of length L over a floor of curvature radius R).",
    "canopy tip": "The front end of a shield's roof plate, nearest the coal face. The shearer passes under it; "
                  "its thickness is height the machine cannot use.",
    "clearance": "The gap between the top of the shearer body and the underside of the shield canopy. Spare "
                 "clearance above the design margin means the machine cuts coal only; negative clearance means "
                 "the machine is taller than the space and must cut roof rock to pass.",
    "coal vs ROM": "Coal is the saleable coal cut from the seam; run-of-mine (ROM) is everything the conveyor "
                   "carries away: coal plus the roof or floor rock cut with it. A face that cuts rock can show a "
                   "high ROM and little more coal.",
    "common random numbers": "Replication i of every scenario uses the same random numbers (the same seam, "
                             "failures and repairs), so the difference between scenarios is the effect of the "
                             "settings, not of luck.",
    "confidence interval (CI)": "The range that holds the true mean with 95 % confidence, given the "
                                "replications run: more replications give a narrower interval. Two scenarios "
                                "really differ when the interval of their paired difference excludes zero.",
    "convergence": "How far the roof has come down towards the floor at the canopy tip since the coal was cut; "
                   "more at depth and while the roof weights.",
    "cutting speed": "How fast the shearer travels along the face while cutting [m/min]; the lowest of several "
                     "limits (power, picks, conveyor, shields, the machine's maximum) sets it.",
    "derived machine height": "With machine.height_mode: derived the model estimates how tall the machine must "
                              "be for its power and supply voltage: a frame, the cable entry (thicker cable at "
                              "higher current), cutting motors sized for the voltage dip, switchgear and "
                              "creepage distances.",
    "design margin": "The spare clearance the design keeps between body top and canopy (20 mm in the article); "
                     "below it the machine trims the roof.",
    "drum": "The rotating cutting drum of the shearer, set with picks; a thin-seam shearer has one at each end.",
    "face end": "Each end of the longwall face where it meets a gate road. There the shearer turns, sumps into "
                "the next web and cuts the triangle coal, and the conveyor and end shields are advanced.",
    "flitting": "The shearer's run along the face without cutting (for example back to the end it started from "
                "in uni-directional cutting).",
    "jam": "The shearer body stalls where the space under the canopy is too low for it (a thin patch of seam, "
           "roof weighting) and must be freed before it goes on.",
    "line current": "The current the shearer draws through its trailing cable. For the same power it is about "
                    "three times less at 3,300 V than at 1,140 V (I = P/(√3·U·cos φ·η)).",
    "outbye": "Away from the face, towards the shaft: the gate-road conveyors, bunkers, shaft hoisting. An "
              "outbye stoppage stops the face although nothing at the face is broken.",
    "paired difference": "Scenario B minus scenario A replication by replication (the same random numbers), "
                         "then averaged: much less noisy than the difference of two averages.",
    "percentage points": "The difference between two percentages: a running ratio going from 60 % to 45 % "
                         "changes by 15 percentage points (a relative change of 25 %).",
    "pick": "A hard-metal-tipped tool on the drum that breaks the coal. Rock wears picks fast; worn picks are "
            "changed by hand with the face stopped.",
    "replication": "One simulated month with its own random failures, repairs and seam; the dashboard averages "
                   "several to give a mean and its confidence interval.",
    "remote control": "The shearer is run from the gate road or the surface over a radio (5G) link instead of by "
                      "drivers crawling beside it.",
    "ROM (run-of-mine)": "Everything the face produces as it leaves the face: coal and any rock cut with it, in "
                         "tonnes.",
    "running ratio": "The share of the scheduled production time the shearer runs: cutting, sumping, cutting "
                     "triangle coal (and the uni-directional return), over production shifts × shift length.",
    "seed": "The number that starts the random numbers. The same seed and settings give exactly the same "
            "results; change it to see another set of random months.",
    "shearer": "The cutting machine: it rides on the face conveyor along the face and cuts a web of coal with "
               "its drums.",
    "shield": "A hydraulic roof support. A row of shields holds the roof over the face; each is lowered, "
              "advanced and set again behind the shearer, by shield men at valve banks or electro-hydraulically.",
    "start dip": "How far the voltage at the machine falls while a cutting motor starts (it draws several times "
                 "its rated current). Too deep a dip and the motor cannot start; the motors must be built larger "
                 "to cope, which makes the machine taller.",
    "sumping": "Driving the drum sideways into the coal at the start of a web, along an oblique run (the "
               "'snake') at the face end.",
    "supply voltage": "The voltage of the gate-end substation that feeds the shearer: 1,140 V or 3,300 V here.",
    "trailing cable": "The flexible cable the shearer drags along the face. Its cross-section must carry the "
                      "current; a thicker cable needs a larger entry and terminal chamber on the machine.",
    "triangle coal": "The wedge of coal left at a face end after the oblique sump; it is cut out before the "
                     "shearer starts the next web.",
    "voltage drop": "The voltage lost along the trailing cable while cutting, as a share of the supply voltage.",
    "web": "The slice of coal one pass of the shearer cuts from the face (its depth, about 0.6–0.8 m); after a "
           "web the conveyor and shields advance by that much.",
    "worker-shift": "One person working one shift; tonnes per worker-shift is output per person at the face.",
}
"""Glossary term → definition, in plain words."""

KPI_TERMS: dict[str, str] = {
    "rom_t_per_month": "coal vs ROM",
    "coal_t_per_month": "coal vs ROM",
    "ash_pct": "ash",
    "running_ratio": "running ratio",
    "t_per_worker_shift": "worker-shift",
    "spare_clearance_mm": "clearance",
    "voltage_drop_pct": "voltage drop",
    "jams": "jam",
    "pick_changes": "pick",
    "picks_per_kt_coal": "pick",
    "start_dip_pct": "start dip",
    "line_current_a": "line current",
    "rated_current_a": "line current",
    "machine_height_mm": "derived machine height",
    "cuts_per_day": "web",
}
"""KPI key → the glossary term its "?" also explains."""

CHAIN_TERMS: dict[str, str] = {
    "supply_voltage_v": "supply voltage",
    "rated_current_a": "line current",
    "trailing_cable_loading_pct": "trailing cable",
    "cable_csa_mm2": "derived machine height",
    "start_dip_pct": "start dip",
    "machine_height_mm": "derived machine height",
    "spare_clearance_mm": "clearance",
    "rock_cut_mm": "ash",
    "cutting_speed_m_per_min": "cutting speed",
    "worn_picks_per_web": "pick",
    "jam_seam_height_mm": "jam",
    "coal_t_per_web": "web",
    "jams": "jam",
    "pick_changes": "pick",
    "running_ratio": "running ratio",
    "coal_t_per_month": "coal vs ROM",
    "rom_t_per_month": "ROM (run-of-mine)",
}
"""Step of the causal chain (its ``key``) → the glossary term that explains it."""


def help_for(term: str) -> str:
    """The tooltip of a glossary ``term`` (its definition).

    Raises
    ------
    KeyError
        When ``term`` is not in :data:`TERMS` (a page asked for a word nobody explained).
    """
    return f"**{term}**: {TERMS[term]}"


def kpi_help(key: str) -> str | None:
    """The tooltip of a KPI card: what the KPI table says of it (``dashboard.kpi(key).help``, its
    source tags resolved), the glossary's word for it, and that a change of a percentage is in
    percentage points. ``None`` for a KPI nobody described."""
    from dashboard.kpis import kpi

    k = kpi(key)
    parts = [k.help] if k.help else []
    term = KPI_TERMS.get(key)
    if term:
        parts.append(help_for(term))
    if k.unit == "%":
        parts.append("A change of it is in percentage points (see the Glossary).")
    return with_sources("\n\n".join(parts)) if parts else None


_TAG = re.compile(r"\[(A|E|E-mem|I|[ST]\d+)(?:[ §][^\]]*)?\]")
"""A source tag: [A], [E], [E-mem], [I], [S17], [T5] (a remark after a space, [E §3.3], is allowed)."""
_ROW = re.compile(r"^\|\s*([A-Z]\d+(?:[–-][A-Z]?\d+)?(?:,\s*[A-Z]\d+)*)\s*\|(.*)\|\s*$")
_BOLD_TAG = re.compile(r"\*\*\[([^\]]+)\]\*\*\s*([^*]*)")


def source_tags(text: str) -> list[str]:
    """The source tags in ``text``, in order, each once: ``"8–10 [S30][S31]"`` → ``["S30", "S31"]``."""
    return list(dict.fromkeys(m.group(1) for m in _TAG.finditer(text or "")))


def _expand(label: str) -> list[str]:
    """``"T19–T21"`` → T19, T20, T21; ``"S30, S31"`` → S30, S31."""
    out: list[str] = []
    for part in re.split(r",\s*", label):
        m = re.fullmatch(r"([A-Z])(\d+)[–-]([A-Z]?)(\d+)", part)
        if m:
            out += [f"{m.group(1)}{n}" for n in range(int(m.group(2)), int(m.group(4)) + 1)]
        else:
            out.append(part.strip())
    return out


@lru_cache(maxsize=4)
def _entries(text: str) -> dict[str, str]:
    entries: dict[str, str] = {}
    for line in text.splitlines():
        if line.startswith("- **["):
            for tag, words in _BOLD_TAG.findall(line):
                entries.setdefault(tag, words.strip().rstrip(";").strip())
            continue
        row = _ROW.match(line.strip())
        if row:
            cells = [c.strip() for c in row.group(2).split("|")]
            words = " — ".join(c for c in cells if c)
            for tag in _expand(row.group(1)):
                entries.setdefault(tag, words)
    return entries


def reference_entries(path: Path = REFERENCES_PATH) -> dict[str, str]:
    """Tag → what ``docs/references.md`` says of it (its table row or its bullet), e.g. ``S17``.

    An unreadable file gives no entries (the tooltips then just keep their tags).
    """
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return {}
    return _entries(text)


def with_sources(text: str | None, entries: Mapping[str, str] | None = None) -> str | None:
    """``text`` with the sources its tags point to listed below it (the tags stay in the text).

    Tags ``docs/references.md`` does not list are named as such, so a missing source shows.
    """
    if not text:
        return text
    tags = source_tags(text)
    if not tags:
        return text
    entries = reference_entries() if entries is None else entries
    lines = []
    for tag in tags:
        what = entries.get(tag) or entries.get(tag.split("-")[0])
        lines.append(f"- [{tag}] {what}" if what else f"- [{tag}] (not listed in docs/references.md)")
    return text + "\n\nSources (the References page lists them all):\n" + "\n".join(lines)
