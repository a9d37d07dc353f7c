"""Colours and people's names of face states and speed limits, shared by every chart.

The dashboard's charts, the comparison report and the face animation all read these, so a
state has one colour wherever it is drawn: greens run, ambers wait on the face, reds and
purples are breakdowns, blues are stops from outside the face, greys are the calendar.
"""

from __future__ import annotations

STATE_COLORS: dict[str, str] = {
    "cutting": "#2e7d32",
    "reversals": "#a5d6a7",
    "sumping": "#66bb6a",
    "triangle_coal": "#43a047",
    "flitting": "#a5d6a7",
    "waiting_for_shields": "#f9a825",
    "end_operations": "#fdd835",
    "shearer_repair": "#c62828",
    "conveyor_repair": "#e57373",
    "shield_repair": "#ad1457",
    "electrical_trip": "#7b1fa2",
    "pick_change": "#8d6e63",
    "jam": "#e65100",
    "roof_event": "#6d4c41",
    "waiting_for_crew": "#f06292",
    "outbye_blocked": "#1565c0",
    "comms_outage": "#00acc1",
    "shift_change": "#90a4ae",
    "maintenance": "#546e7a",
    "off_shift": "#cfd8dc",
    "idle": "#e0e0e0",
    "infeasible": "#212121",
}
"""Colour of each face state."""

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
