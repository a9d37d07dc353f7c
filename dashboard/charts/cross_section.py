"""The cross-section at the canopy tip, drawn to scale (mm), looking along the face.

:func:`cross_section` puts together the parts built here: the heights of the stack read
from an engineering picture (:func:`face_stack`), the strata, shield and shearer traces,
the gap between body and canopy (spare clearance or overlap), the dimensions and labels of
each panel, and the sentence that titles the figure.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from dashboard.charts.style import finite_or, with_layout

PAN_HEIGHT_MM = 180.0
"""Height drawn for the conveyor pan (part of the machine-face height; schematic split)."""

_COAL = "#263238"
_ROCK = "#bcaaa4"
_FLOOR = "#a1887f"
_STEEL = "#546e7a"
_MACHINE = "#f9a825"
_PAN = "#78909c"
_GOOD = "#43a047"
_BAD = "#e53935"

FLOOR_DEPTH_MM = 150.0
"""Depth of floor rock drawn under the seam."""
ROOF_BAND_MM = 220.0
"""Thickness of roof rock drawn above the seam."""

# Along the drawing (mm): the coal face at 0; solid coal to the left; machine and canopy to the right.
X_COAL0_MM, X_FACE_MM = -900.0, 0.0
X_MACHINE0_MM, X_MACHINE1_MM = 120.0, 1500.0
X_TIP_MM, X_CANOPY1_MM = 60.0, 3300.0
X_LEG0_MM, X_LEG1_MM = 2500.0, 2700.0
X_END_MM = 3600.0
X_BODY0_MM, X_BODY1_MM = X_MACHINE0_MM + 60.0, X_MACHINE1_MM - 60.0

_PANEL_TITLE_FONT = {"size": 12, "color": "#616161"}


@dataclass(frozen=True)
class FaceStack:
    """The heights at the canopy tip that the cross-section draws [mm].

    Attributes
    ----------
    seam_mm, machine_mm, canopy_mm, convergence_mm : float
        Seam height, machine-face height, canopy tip thickness, roof convergence at the tip.
    spare_mm : float
        Clearance between body and canopy (negative: the body is that much too tall).
    margin_mm, sag_mm, rock_mm : float
        The design's spare clearance, the extra height of a rigid body over an undulating
        floor, the roof rock to cut.
    """

    seam_mm: float
    machine_mm: float
    canopy_mm: float
    convergence_mm: float
    spare_mm: float
    margin_mm: float
    sag_mm: float
    rock_mm: float

    @property
    def canopy_top_mm(self) -> float:
        """Height of the canopy's top: the seam less the convergence."""
        return self.seam_mm - self.convergence_mm

    @property
    def canopy_bottom_mm(self) -> float:
        """Height of the canopy tip's underside."""
        return self.canopy_top_mm - self.canopy_mm

    @property
    def pan_mm(self) -> float:
        """Height drawn for the conveyor pan (at most 40% of the machine)."""
        return min(PAN_HEIGHT_MM, 0.4 * self.machine_mm)

    @property
    def gap_mm(self) -> tuple[float, float]:
        """Bottom and top of the gap (or overlap) between body top and canopy."""
        return min(self.machine_mm, self.canopy_bottom_mm), max(self.machine_mm, self.canopy_bottom_mm)


def face_stack(picture: Mapping[str, float]) -> FaceStack:
    """The heights of ``picture`` (``seamsim.engineering_picture``), a default for each one
    missing or not finite."""
    seam = finite_or(picture.get("seam_height_mm"), 800.0)
    machine = finite_or(picture.get("machine_height_mm"), 600.0)
    canopy = finite_or(picture.get("canopy_tip_thickness_mm"), 150.0)
    conv = finite_or(picture.get("convergence_mm"), 0.0)
    spare = finite_or(picture.get("spare_clearance_mm"), seam - machine - canopy - conv)
    return FaceStack(
        seam_mm=seam, machine_mm=machine, canopy_mm=canopy, convergence_mm=conv, spare_mm=spare,
        margin_mm=finite_or(picture.get("design_spare_clearance_mm"), 0.0),
        sag_mm=finite_or(picture.get("body_sag_mm"), 0.0),
        rock_mm=finite_or(picture.get("rock_cut_mm"), max(0.0, -spare)),
    )


# --------------------------------------------------------------------------------------
# Traces: the parts of the stack
# --------------------------------------------------------------------------------------
def _rect(x0: float, x1: float, y0: float, y1: float, name: str, color: str, hover: str,
          *, line: str | None = None, opacity: float = 1.0) -> go.Scatter:
    return go.Scatter(
        x=[x0, x1, x1, x0, x0],
        y=[y0, y0, y1, y1, y0],
        mode="lines",
        fill="toself",
        fillcolor=color,
        line={"color": line or color, "width": 1},
        opacity=opacity,
        name=name,
        hoverinfo="text",
        hoveron="fills",
        text=hover,
        showlegend=False,
    )


def strata_traces(s: FaceStack) -> list[go.Scatter]:
    """The rock and coal: ``floor``, ``coal seam``, ``roof`` (the band above the seam, down
    to the canopy) and ``rock to cut`` when the machine must cut roof."""
    out = [
        _rect(X_COAL0_MM, X_END_MM, -FLOOR_DEPTH_MM, 0.0, "floor", _FLOOR, "floor rock"),
        _rect(X_COAL0_MM, X_FACE_MM, 0.0, s.seam_mm, "coal seam", _COAL, f"coal seam: {s.seam_mm:,.0f} mm"),
        go.Scatter(
            x=[X_COAL0_MM, X_FACE_MM, X_TIP_MM, X_END_MM, X_END_MM, X_COAL0_MM, X_COAL0_MM],
            y=[s.seam_mm, s.seam_mm, s.canopy_top_mm, s.canopy_top_mm, s.seam_mm + ROOF_BAND_MM,
               s.seam_mm + ROOF_BAND_MM, s.seam_mm],
            mode="lines", fill="toself", fillcolor=_ROCK, line={"color": "#8d6e63", "width": 1},
            name="roof", hoverinfo="text", hoveron="fills", showlegend=False,
            text=f"roof rock (down {s.convergence_mm:,.0f} mm at the canopy tip)",
        ),
    ]
    if s.rock_mm > 0.5:
        out.append(_rect(X_FACE_MM - 30.0, X_MACHINE1_MM, s.seam_mm, s.seam_mm + s.rock_mm, "rock to cut", _BAD,
                         f"rock to cut: {s.rock_mm:,.0f} mm of roof", line=_BAD, opacity=0.85))
    return out


def shield_traces(s: FaceStack) -> list[go.Scatter]:
    """The shield: its ``shield leg`` and its ``canopy`` hanging from the converged roof."""
    return [
        _rect(X_LEG0_MM, X_LEG1_MM, 0.0, s.canopy_bottom_mm, "shield leg", _STEEL, "shield leg", opacity=0.8),
        _rect(X_TIP_MM, X_CANOPY1_MM, s.canopy_bottom_mm, s.canopy_top_mm, "canopy", _STEEL,
              f"shield canopy tip: {s.canopy_mm:,.0f} mm thick"),
    ]


def body_traces(s: FaceStack) -> list[go.Scatter]:
    """The shearer: ``conveyor pan``, ``machine body`` and ``body sag`` when there is any."""
    out = [
        _rect(X_MACHINE0_MM, X_MACHINE1_MM, 0.0, s.pan_mm, "conveyor pan", _PAN,
              "conveyor pan (the machine rides on it; part of the machine-face height)"),
        _rect(X_BODY0_MM, X_BODY1_MM, s.pan_mm, s.machine_mm, "machine body", _MACHINE,
              f"machine-face height: {s.machine_mm:,.0f} mm"),
    ]
    if s.sag_mm > 0.5:
        out.append(_rect(X_BODY0_MM, X_BODY1_MM, s.machine_mm, s.machine_mm + s.sag_mm, "body sag", _MACHINE,
                         f"{s.sag_mm:,.0f} mm more for the rigid body over the floor's undulation", opacity=0.45))
    return out


def clearance_trace(s: FaceStack) -> go.Scatter:
    """The gap between body and canopy: ``spare clearance`` (green) or ``overlap`` (red)."""
    if s.spare_mm >= 0:
        return _rect(X_BODY0_MM, X_BODY1_MM, s.machine_mm + s.sag_mm, s.canopy_bottom_mm, "spare clearance", _GOOD,
                     f"spare clearance: {s.spare_mm:,.0f} mm", line=_GOOD, opacity=0.85)
    return _rect(X_BODY0_MM, X_BODY1_MM, s.canopy_bottom_mm, s.machine_mm + s.sag_mm, "overlap", _BAD,
                 f"the body is {-s.spare_mm:,.0f} mm taller than the space under the canopy",
                 line=_BAD, opacity=0.9)


def stack_traces(s: FaceStack) -> list[go.Scatter]:
    """Every part of the stack, back to front (the order the panels draw them)."""
    return [*strata_traces(s), *shield_traces(s), *body_traces(s), clearance_trace(s)]


# --------------------------------------------------------------------------------------
# Marks: dimensions and labels (plotly shapes and annotations)
# --------------------------------------------------------------------------------------
Marks = tuple[list[dict], list[dict]]
"""Shapes and annotations to add to a figure."""


def _axis_refs(col: int) -> tuple[str, str]:
    return ("x", "y") if col == 1 else ("x2", "y2")


def dimension_marks(y0: float, y1: float, text: str, x: float, *, col: int, color: str = "#37474f",
                    side: str = "left", tick: float = 60.0, size: int = 13) -> Marks:
    """A dimension line from ``y0`` to ``y1`` at ``x`` with a tick at each end, and its text
    beside it on ``side``."""
    xref, yref = _axis_refs(col)
    shapes = [dict(type="line", x0=x, x1=x, y0=y0, y1=y1, xref=xref, yref=yref, line={"color": color, "width": 2})]
    for y in (y0, y1):
        shapes.append(dict(type="line", x0=x - tick, x1=x + tick, y0=y, y1=y, xref=xref, yref=yref,
                           line={"color": color, "width": 2}))
    note = dict(x=x + (-1 if side == "left" else 1) * (tick + 20), y=(y0 + y1) / 2, text=text,
                showarrow=False, xanchor="right" if side == "left" else "left", xref=xref,
                yref=yref, font={"color": color, "size": size})
    return shapes, [note]


def label_note(x: float, y: float, text: str, color: str, col: int = 1, size: int = 12) -> dict:
    """A text at (``x``, ``y``) of panel ``col``."""
    xref, yref = _axis_refs(col)
    return dict(x=x, y=y, text=text, showarrow=False, xref=xref, yref=yref, font={"color": color, "size": size})


def whole_stack_marks(s: FaceStack) -> Marks:
    """Dimensions (seam, machine) and names of the parts on the whole-height panel."""
    seam_shapes, seam_notes = dimension_marks(0.0, s.seam_mm, f"seam<br>{s.seam_mm:,.0f} mm", X_END_MM + 150.0,
                                              col=1, side="right")
    machine_shapes, machine_notes = dimension_marks(0.0, s.machine_mm, f"machine<br>{s.machine_mm:,.0f} mm",
                                                    X_COAL0_MM - 150.0, col=1, side="left")
    labels = [
        label_note((X_COAL0_MM + X_FACE_MM) / 2, s.seam_mm / 2, "coal", "white", size=13),
        label_note((X_BODY0_MM + X_BODY1_MM) / 2, (s.pan_mm + s.machine_mm) / 2, "shearer body", "#212121"),
        label_note((X_MACHINE0_MM + X_MACHINE1_MM) / 2, s.pan_mm / 2, "conveyor pan", "white", size=11),
        label_note((X_MACHINE1_MM + X_LEG0_MM) / 2, (s.canopy_bottom_mm + s.canopy_top_mm) / 2, "canopy", "white"),
        label_note((X_LEG0_MM + X_END_MM) / 2, s.seam_mm + ROOF_BAND_MM / 2, "roof", "#4e342e"),
        label_note((X_LEG0_MM + X_END_MM) / 2, -FLOOR_DEPTH_MM / 2, "floor", "#3e2723", size=11),
    ]
    return [*seam_shapes, *machine_shapes], [*seam_notes, *machine_notes, *labels]


def magnified_range_mm(s: FaceStack, detail_range_mm: tuple[float, float] | None = None) -> tuple[float, float]:
    """Height range of the magnified panel: around the gap, or ``detail_range_mm`` when given."""
    if detail_range_mm is not None:
        return float(detail_range_mm[0]), float(detail_range_mm[1])
    return s.gap_mm[0] - 120.0, max(s.canopy_top_mm, s.seam_mm + s.rock_mm) + 70.0


def magnified_gap_marks(s: FaceStack, col: int, y_range_mm: tuple[float, float]) -> Marks:
    """On the magnified panel ``col``: the gap's dimension and size (with the design margin
    dotted), the canopy tip's thickness, the convergence, the rock to cut, the body."""
    xref, yref = _axis_refs(col)
    gap_lo, gap_hi = s.gap_mm
    y_lo, y_hi = y_range_mm
    x_gap = (X_BODY0_MM + X_BODY1_MM) / 2
    if s.spare_mm >= 0:
        gap_text, color = f"<b>spare {s.spare_mm:,.0f} mm</b>", _GOOD
    else:
        gap_text, color = f"<b>{-s.spare_mm:,.0f} mm too tall</b>", _BAD
    shapes: list[dict] = []
    if s.margin_mm > 0:
        gap_text += f"<br><span style='font-size:11px'>design margin {s.margin_mm:,.0f} mm (dotted)</span>"
        level = s.machine_mm + s.margin_mm
        shapes.append(dict(type="line", x0=X_BODY0_MM, x1=X_BODY1_MM, y0=level, y1=level, xref=xref,
                           yref=yref, line={"color": "#1b5e20", "width": 2, "dash": "dot"}))
    dim_shapes, notes = dimension_marks(gap_lo, gap_hi, "", X_MACHINE1_MM + 80.0, col=col, color=color,
                                        side="right", tick=40.0)
    notes.append(dict(x=x_gap, y=gap_lo - 10.0, text=gap_text, showarrow=False, xanchor="center",
                      yanchor="top", align="center", xref=xref, yref=yref, font={"color": color, "size": 14},
                      bgcolor="rgba(255,255,255,0.92)", bordercolor=color, borderwidth=1, borderpad=3))
    notes.append(label_note(X_MACHINE1_MM + 450.0, (s.canopy_bottom_mm + s.canopy_top_mm) / 2,
                            f"canopy tip {s.canopy_mm:,.0f} mm", "white", col=col))
    if s.convergence_mm > 0:
        notes.append(label_note(X_MACHINE1_MM + 450.0, s.canopy_top_mm + min(60.0, (y_hi - s.canopy_top_mm) / 2),
                                f"roof down {s.convergence_mm:,.0f} mm", "#4e342e", col=col))
    if s.rock_mm > 0.5:
        notes.append(label_note(x_gap, s.seam_mm + s.rock_mm / 2, f"<b>cut {s.rock_mm:,.0f} mm of rock</b>", "white",
                                col=col, size=13))
    notes.append(label_note(x_gap, y_lo + 18.0, "shearer body", "#212121", col=col))
    return [*shapes, *dim_shapes], notes


def clearance_sentence(s: FaceStack) -> str:
    """The figure's title when none is given: the clearance against the design margin, or
    how much too tall the machine is and the rock it must cut."""
    spare, margin = s.spare_mm, s.margin_mm
    if spare >= margin:
        return (f"Clearance under the canopy: {spare:+,.0f} mm (the design keeps {margin:,.0f} mm)"
                " — the machine cuts coal only")
    if spare >= 0:
        return f"Clearance under the canopy: {spare:+,.0f} mm — less than the {margin:,.0f} mm design margin"
    return (f"The machine is {-spare:,.0f} mm taller than the space under the canopy:"
            f" it must cut {s.rock_mm:,.0f} mm of roof rock")


# --------------------------------------------------------------------------------------
# The figure
# --------------------------------------------------------------------------------------
def _panels(detail_only: bool) -> go.Figure:
    """An empty figure with the whole-height and the magnified panel (or the magnified one only)."""
    if detail_only:
        return make_subplots(rows=1, cols=1, subplot_titles=("body top and canopy, magnified",))
    return make_subplots(rows=1, cols=2, column_widths=[0.6, 0.4], horizontal_spacing=0.1,
                         subplot_titles=("the whole height, to scale", "magnified: body top and canopy"))


def _with_fitted_axes(fig: go.Figure, s: FaceStack, *, top_mm: float, detail_col: int,
                      y_range_mm: tuple[float, float], detail_only: bool) -> go.Figure:
    """``fig`` with its axes fixed: hidden x axes, the whole height to ``top_mm``, the
    magnified panel over ``y_range_mm``; the panel titles in small grey."""
    fig.update_xaxes(visible=False, fixedrange=True)
    fig.update_yaxes(fixedrange=True, zeroline=False)
    if not detail_only:
        fig.update_xaxes(range=[X_COAL0_MM - 1250.0, X_END_MM + 1000.0], row=1, col=1)
        fig.update_yaxes(title_text="height above floor [mm]", range=[-FLOOR_DEPTH_MM, top_mm], row=1, col=1)
    fig.update_xaxes(range=[X_FACE_MM - 250.0, X_LEG0_MM - 60.0], row=1, col=detail_col)
    fig.update_yaxes(range=list(y_range_mm), row=1, col=detail_col,
                     title_text="height above floor [mm]" if detail_only else "mm")
    for text in ("the whole height, to scale", "magnified: body top and canopy", "body top and canopy, magnified"):
        fig.update_annotations(selector={"text": text}, font=_PANEL_TITLE_FONT)
    return fig


def cross_section(picture: Mapping[str, float], *, title: str | None = None, y_max_mm: float | None = None,
                  detail_only: bool = False, detail_range_mm: tuple[float, float] | None = None) -> go.Figure:
    """The height stack at the canopy tip, drawn to scale (mm), looking along the face.

    Left, the whole stack to scale: floor, the un-mined coal seam at the face, the
    conveyor pan and the shearer body, the shield canopy with its tip thickness hanging
    from a roof that has converged, and between body and canopy either the spare
    clearance (green) or the overlap that must be cut out of the roof as rock (red).
    Right, the same picture magnified around the gap between body and canopy, where a
    few tens of millimetres decide whether the machine passes.

    Parameters
    ----------
    picture : mapping
        ``seamsim.engineering_picture`` (needs ``seam_height_mm``, ``machine_height_mm``,
        ``canopy_tip_thickness_mm``, ``convergence_mm``, ``spare_clearance_mm``; uses
        ``rock_cut_mm`` and ``design_spare_clearance_mm`` when present).
    title : str, optional
        Figure title; a sentence about the clearance when not given.
    y_max_mm : float, optional
        Top of the vertical axis of the whole-stack panel (fixed, so that pictures of
        different scenarios compare); at least 1,300 mm.
    detail_only : bool, optional
        Draw only the magnified panel (for small pictures side by side).
    detail_range_mm : (float, float), optional
        Height range of the magnified panel (the same for pictures that are compared).

    Returns
    -------
    plotly.graph_objects.Figure
        Traces named ``floor``, ``coal seam``, ``roof``, ``shield leg``, ``canopy``,
        ``conveyor pan``, ``machine body`` and ``spare clearance`` or ``overlap`` (and
        ``rock to cut`` when rock must be cut), in both panels.
    """
    s = face_stack(picture)
    top_mm = max(y_max_mm or 0.0, s.seam_mm + ROOF_BAND_MM + 60.0, 1300.0)
    fig = _panels(detail_only)
    detail_col = 1 if detail_only else 2
    for col in (1,) if detail_only else (1, 2):
        for trace in stack_traces(s):
            fig.add_trace(trace, row=1, col=col)
    y_range_mm = magnified_range_mm(s, detail_range_mm)
    # shapes and annotations are set once: plotly re-validates every earlier one on each
    # add_shape/add_annotation (that alone took ~0.2 s of Explore's run)
    shapes, notes = whole_stack_marks(s) if not detail_only else ([], [])
    gap_shapes, gap_notes = magnified_gap_marks(s, detail_col, y_range_mm)
    fig.update_layout(shapes=[*fig.layout.shapes, *shapes, *gap_shapes],
                      annotations=[*fig.layout.annotations, *notes, *gap_notes])
    with_layout(fig, clearance_sentence(s) if title is None else title, height=400, legend=False)
    return _with_fitted_axes(fig, s, top_mm=top_mm, detail_col=detail_col, y_range_mm=y_range_mm,
                             detail_only=detail_only)


def common_detail_range(pictures: Sequence[Mapping[str, float]]) -> tuple[float, float]:
    """A height range [mm] for the magnified panel that fits every picture (to compare them)."""
    lows, highs = [], []
    for p in pictures:
        seam = finite_or(p.get("seam_height_mm"), 800.0)
        machine = finite_or(p.get("machine_height_mm"), 600.0)
        canopy_top = seam - finite_or(p.get("convergence_mm"), 0.0)
        canopy_bottom = canopy_top - finite_or(p.get("canopy_tip_thickness_mm"), 150.0)
        rock = finite_or(p.get("rock_cut_mm"), 0.0)
        lows.append(min(machine, canopy_bottom) - 120.0)
        highs.append(max(canopy_top, seam + rock) + 70.0)
    return (min(lows), max(highs)) if lows else (400.0, 900.0)
