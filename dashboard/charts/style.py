"""What every chart shares: the scenario colours, the house layout, and two small helpers
(a number or a default, a hex colour with transparency)."""

from __future__ import annotations

import math

import plotly.graph_objects as go

import seamsim

RUNNING_STATES: frozenset[str] = frozenset(seamsim.RUNNING_STATES)
"""States in which the shearer moves (drawn as the position line, not as a stoppage)."""

SCENARIO_COLORS: tuple[str, ...] = (
    "#6d4c41", "#1565c0", "#2e7d32", "#c62828", "#7b1fa2", "#00838f", "#ef6c00", "#455a64",
)
"""Colours of scenarios in side-by-side charts, in order."""

FONT = {"family": "Source Sans Pro, Arial, sans-serif", "size": 13}
"""The font of every chart."""


def scenario_color(i: int) -> str:
    """Colour of the ``i``-th scenario."""
    return SCENARIO_COLORS[i % len(SCENARIO_COLORS)]


def with_layout(fig: go.Figure, title: str | None = None, *, height: int = 380, legend: bool = True) -> go.Figure:
    """``fig`` with the house layout: title top left, white template, a horizontal legend
    above the plot (or none), ``height`` pixels high."""
    fig.update_layout(
        title={"text": title, "x": 0.0, "xanchor": "left", "font": {"size": 16}} if title else None,
        height=height,
        margin={"l": 60, "r": 20, "t": 50 if title else 20, "b": 50},
        font=FONT,
        template="plotly_white",
        showlegend=legend,
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "xanchor": "right", "x": 1.0}
        if legend
        else None,
    )
    return fig


def finite_or(value, default: float = 0.0) -> float:
    """``value`` as a finite float, or ``default`` when it is missing, not a number or infinite."""
    try:
        value = float(value)
    except (TypeError, ValueError):
        return default
    return value if math.isfinite(value) else default


def rgba(hex_color: str, alpha: float) -> str:
    """``#rrggbb`` as a plotly ``rgba(r,g,b,alpha)`` colour."""
    h = hex_color.lstrip("#")
    r, g, b = (int(h[i : i + 2], 16) for i in (0, 2, 4))
    return f"rgba({r},{g},{b},{alpha})"
