"""Colours and people's names of face states and speed limits, shared by every chart.

The dashboard's charts, the comparison report and the face animation all read these, so a
state has one colour wherever it is drawn. The states' colours are grouped by *family*
(:data:`STATE_FAMILIES`), one hue each, the states of a family told apart by lightness:

- **running** (greens): the shearer moves — the model's running states (cutting, sumping,
  the triangle coal at the ends, flitting);
- **face cycle** (blues): the face's own stops of every web — reversing at the ends,
  face-end operations, waiting for shields;
- **breakdowns** (reds to oranges): repairs, electrical trips, jams, roof events, pick changes;
- **organisation** (purples to greys): waiting for crew, shift changes, the maintenance
  shift, time off shift, idle;
- **outside the face** (browns): outbye transport and the radio link.

Hues were chosen so that the families stay apart for the common colour-vision deficiencies
(the running greens are dark and the breakdown reds bright and warm, so they differ in
lightness as well as hue; blues and browns are safe for deuteranopes and protanopes), and the
stacked bars and their legends list the states family by family in :data:`STATE_ORDER`.

The families are a grouping by *kind of stop* for colour. :mod:`seamsim.exercise.causes`
groups the same states by *what would remove them* (its "shields" cause holds waiting for
shields, a face-cycle stop, and shield repairs, a breakdown), which is right for a
bottleneck question and wrong for a legend; ``tests`` check that both cover every state.
"""

from __future__ import annotations

STATE_FAMILIES: dict[str, tuple[str, tuple[str, ...]]] = {
    "running": ("running", ("cutting", "sumping", "triangle_coal", "flitting")),
    "face_cycle": ("face cycle", ("reversals", "end_operations", "waiting_for_shields")),
    "breakdowns": ("breakdowns", ("shearer_repair", "conveyor_repair", "shield_repair", "electrical_trip", "jam",
                                  "roof_event", "pick_change")),
    "organisation": ("organisation", ("waiting_for_crew", "shift_change", "maintenance", "off_shift", "idle")),
    "outside": ("outside the face", ("outbye_blocked", "comms_outage")),
    "infeasible": ("cannot work", ("infeasible",)),
}
"""Family key → (people's name, its states in the order they are stacked and listed)."""

STATE_COLORS: dict[str, str] = {
    # running: greens, dark to light
    "cutting": "#1b5e20",
    "sumping": "#388e3c",
    "triangle_coal": "#66bb6a",
    "flitting": "#a5d6a7",
    # face cycle: blues
    "reversals": "#0d47a1",
    "end_operations": "#1e88e5",
    "waiting_for_shields": "#90caf9",
    # breakdowns: reds to oranges
    "shearer_repair": "#b71c1c",
    "conveyor_repair": "#e53935",
    "shield_repair": "#ef9a9a",
    "electrical_trip": "#d84315",
    "jam": "#ef6c00",
    "roof_event": "#ffa726",
    "pick_change": "#ffcc80",
    # organisation: purples to greys
    "waiting_for_crew": "#6a1b9a",
    "shift_change": "#ab47bc",
    "maintenance": "#ce93d8",
    "off_shift": "#bdbdbd",
    "idle": "#e0e0e0",
    # outside the face: browns
    "outbye_blocked": "#5d4037",
    "comms_outage": "#a1887f",
    "infeasible": "#212121",
}
"""Colour of each face state, family by family (the order of :data:`STATE_ORDER`)."""

STATE_ORDER: tuple[str, ...] = tuple(state for _, states in STATE_FAMILIES.values() for state in states)
"""Every state, family by family: the order of stacked bars and of their legends."""

FAMILY_OF_STATE: dict[str, str] = {state: key for key, (_, states) in STATE_FAMILIES.items() for state in states}
"""State → its family key."""


def state_family(state: str) -> str:
    """Return people's name of the family of a face state (``"other"`` for an unknown state)."""
    key = FAMILY_OF_STATE.get(state)
    return STATE_FAMILIES[key][0] if key else "other"


def state_rank(state: str) -> int:
    """Return a state's place in :data:`STATE_ORDER` (unknown states after the known ones)."""
    return STATE_ORDER.index(state) if state in STATE_ORDER else len(STATE_ORDER)


STATE_LABELS: dict[str, str] = {
    "cutting": "cutting",
    "reversals": "reversing at the ends",
    "sumping": "sumping",
    "triangle_coal": "cutting the triangle coal",
    "flitting": "flitting (running empty)",
    "waiting_for_shields": "waiting for shields",
    "end_operations": "face-end operations",
    "shearer_repair": "shearer repair",
    "conveyor_repair": "conveyor repair",
    "shield_repair": "shield repair",
    "electrical_trip": "electrical trip",
    "pick_change": "changing worn picks",
    "jam": "jammed under the canopies",
    "roof_event": "roof / floor event",
    "waiting_for_crew": "waiting for crew",
    "outbye_blocked": "outbye transport stopped",
    "comms_outage": "radio-link outage",
    "shift_change": "shift change",
    "maintenance": "maintenance shift",
    "off_shift": "off shift",
    "idle": "idle",
    "infeasible": "cannot work",
}
"""People's name of each face state."""

LIMIT_COLORS: dict[str, str] = {
    "set": "#78909c",
    "power": "#7b1fa2",
    "pick": "#2e7d32",
    "conveyor": "#1565c0",
    "shields": "#f9a825",
    "machine": "#5d4037",
}
"""Colour of each speed limit."""

LIMIT_LABELS: dict[str, str] = {
    "set": "speed set by the operator",
    "power": "installed cutting power",
    "pick": "pick depth (drum kinematics)",
    "conveyor": "conveyor capacity",
    "shields": "shield advance",
    "machine": "machine top speed",
}
"""People's name of each speed limit."""

OTHER_COLOR = "#9e9e9e"
"""Colour of a state or limit not in the tables."""


def state_label(state: str) -> str:
    """Return people's name of a face state."""
    return STATE_LABELS.get(state, state.replace("_", " "))


def limit_label(limit: str) -> str:
    """Return people's name of a speed limit."""
    return LIMIT_LABELS.get(limit, limit.replace("_", " "))
