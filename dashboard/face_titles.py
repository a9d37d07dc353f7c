"""Titles and captions built from a face's settings, never from the preset's name.

A preset called "After: 588 mm shearer on 3,300 V" run at 1,140 V is no longer that face:
:func:`face_title` says what the face *is* now (machine height, power, supply voltage,
seam), :func:`face_subtitle` how it is worked, and :func:`clearance_title` what the
cross-section shows, without promising coal-only cutting on a face that cannot be worked.
Nothing here needs Streamlit.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import seamsim

__all__ = ["clearance_title", "face_subtitle", "face_title"]


def face_title(scenario: seamsim.Scenario, picture: Mapping | None = None) -> str:
    """``"588 mm, 680 kW shearer on 3,300 V in a 0.80 m seam"`` from the settings.

    The machine height is the picture's (derived or given) when ``picture`` is given,
    otherwise the scenario's explicit one.
    """
    m, el = scenario.machine, scenario.electrical
    height_mm = (picture or {}).get("machine_height_mm")
    if height_mm is None or not math.isfinite(float(height_mm)):
        height_mm = m.machine_height_mm
    derived = " (derived)" if m.height_mode == "derived" else ""
    power_kw = m.cutting_power_kw + m.haulage_power_kw
    return (f"{height_mm:,.0f} mm{derived}, {power_kw:,.0f} kW shearer on {el.supply_voltage_v:,} V "
            f"in a {scenario.seam.height_m:.2f} m seam")


def face_subtitle(scenario: seamsim.Scenario) -> str:
    """How the face is worked, from the settings: shields, face ends, control, crew."""
    op = scenario.operation
    shields = "electro-hydraulic shields" if op.shield_control == "electrohydraulic" else "shields advanced by hand"
    ends = "automated face ends" if op.face_end_mode == "automated" else "face ends by hand"
    control = "remote control" if op.remote_control else "drivers at the machine"
    crew = scenario.crew.per_production_shift
    return (f"{scenario.face.length_m:,.0f} m face · {shields} · {ends} · {control} · "
            f"{crew} {'person' if crew == 1 else 'people'} a shift")


def clearance_title(picture: Mapping) -> str:
    """The cross-section's title: the clearance, and only what is true of the face.

    An infeasible face is said to be so; coal-only cutting is claimed only for a face that
    can be worked and keeps its design margin.
    """
    spare = float(picture.get("spare_clearance_mm") or 0.0)
    margin = float(picture.get("design_spare_clearance_mm") or 0.0)
    rock = float(picture.get("rock_cut_mm") or 0.0)
    if spare >= 0:
        head = f"Clearance under the canopy: {spare:+,.0f} mm"
    else:
        head = f"The machine is {-spare:,.0f} mm taller than the space under the canopy"
    if picture.get("status") not in (None, "ok"):
        return head + " — and this face cannot be worked (see why above)"
    if spare >= margin:
        return head + f" (the design keeps {margin:,.0f} mm): the machine cuts coal only"
    if spare >= 0:
        return head + f", less than the {margin:,.0f} mm design margin"
    return head + f": it must cut {rock:,.0f} mm of roof rock"
