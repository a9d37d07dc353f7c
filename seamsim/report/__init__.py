"""Documents made from runs: the comparison report and the face in motion.

Modules
-------
palette       colours and people's names of states and speed limits (every chart uses them)
face_motion   :func:`face_frames` (a run's trace → sampled frames), the animated plan view
              of the face and its self-contained HTML
figures       the plotly figures of the comparison report (print- and projector-friendly)
comparison    :func:`comparison_report`: compare, decompose and the binding limits of scenarios
document      :func:`report_html`: the comparison report as one self-contained HTML file

The command line (``seamsim report``, ``seamsim animate``) and the dashboard both call this
package; it builds on the public API (``seamsim``, ``seamsim.experiment``) and needs plotly.
Names are imported on first use.
"""

from __future__ import annotations

import importlib

_EXPORTS: dict[str, str] = {
    "STATE_COLORS": "seamsim.report.palette",
    "LIMIT_COLORS": "seamsim.report.palette",
    "state_label": "seamsim.report.palette",
    "limit_label": "seamsim.report.palette",
    "FaceFrame": "seamsim.report.face_motion",
    "FaceGeometry": "seamsim.report.face_motion",
    "face_frames": "seamsim.report.face_motion",
    "face_motion_figure": "seamsim.report.face_motion",
    "face_motion_html": "seamsim.report.face_motion",
    "shearer_position_m": "seamsim.report.face_motion",
    "ComparisonReport": "seamsim.report.comparison",
    "comparison_report": "seamsim.report.comparison",
    "report_html": "seamsim.report.document",
    "scenario_yaml": "seamsim.report.document",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'seamsim.report' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
