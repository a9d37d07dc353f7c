"""The state colours are grouped by family: every state in exactly one, the running family the
model's running states, the exercise causes covering the same states, stacked bars and
legends family by family."""

from __future__ import annotations

import colorsys

import pandas as pd

import seamsim
from seamsim.exercise.causes import CAUSES, SCHEDULED_STATES
from seamsim.report import palette


def _hue_deg(hex_color: str) -> float:
    r, g, b = (int(hex_color.lstrip("#")[i: i + 2], 16) / 255 for i in (0, 2, 4))
    return colorsys.rgb_to_hls(r, g, b)[0] * 360.0


def test_every_state_is_in_exactly_one_family_and_has_its_own_colour():
    listed = [s for _, states in palette.STATE_FAMILIES.values() for s in states]
    assert len(listed) == len(set(listed))
    assert set(seamsim.STATES) <= set(listed)
    assert set(palette.STATE_COLORS) == set(listed)
    assert palette.STATE_ORDER == tuple(listed)
    colours = [palette.STATE_COLORS[s] for s in listed]
    assert len(set(colours)) == len(colours)


def test_the_running_family_is_the_models_running_states():
    assert set(palette.STATE_FAMILIES["running"][1]) == set(seamsim.RUNNING_STATES)


def test_the_exercise_causes_cover_the_same_states():
    in_causes = [s for c in CAUSES for s in c.states] + list(SCHEDULED_STATES)  # the stops, once each
    assert len(in_causes) == len(set(in_causes))
    assert set(in_causes) | set(seamsim.RUNNING_STATES) == set(palette.STATE_ORDER)


def test_each_family_keeps_to_its_hue():
    def hues(family):
        return [_hue_deg(palette.STATE_COLORS[s]) for s in palette.STATE_FAMILIES[family][1]]

    assert all(80 <= h <= 160 for h in hues("running"))  # greens
    assert all(195 <= h <= 230 for h in hues("face_cycle"))  # blues
    assert all(h <= 40 or h >= 340 for h in hues("breakdowns"))  # reds to oranges
    assert all(h <= 40 for h in hues("outside"))  # browns
    org = palette.STATE_FAMILIES["organisation"][1]
    assert all(270 <= _hue_deg(palette.STATE_COLORS[s]) <= 300 for s in org if s not in ("off_shift", "idle"))


def test_state_family_and_rank():
    assert palette.state_family("jam") == "breakdowns"
    assert palette.state_family("reversals") == "face cycle"
    assert palette.state_family("no_such_state") == "other"
    assert palette.state_rank("cutting") == 0
    assert palette.state_rank("no_such_state") == len(palette.STATE_ORDER)


def test_stacked_time_bars_and_their_legend_go_family_by_family():
    from dashboard import charts

    states = ["comms_outage", "jam", "cutting", "shift_change", "reversals", "sumping", "shearer_repair"]
    table = pd.DataFrame([[1.0 + i for i in range(len(states))]] * 2, columns=states, index=["a", "b"])
    fig = charts.time_breakdown_compare(table)
    names = [t.name for t in fig.data]
    expected = [palette.state_label(s) for s in sorted(states, key=palette.state_rank)]
    assert names == expected
    assert names[:2] == ["cutting", "sumping"]
    groups = [t.legendgroup for t in fig.data]
    assert groups == ["running", "running", "face cycle", "breakdowns", "breakdowns", "organisation",
                      "outside the face"]
    assert [t.legendgrouptitle.text for t in fig.data] == groups
    assert fig.layout.legend.traceorder in (None, "normal")  # the legend in the bars' order
