"""Who is on shift, and whether a repair can start now.

Repairs wait for the people who can do them: a mechanical repair needs a fitter, an
electrical one an electrician, a trip reset the operator. On a production shift the
scenario's crew counts decide; on the maintenance shift the maintenance crew (fitters and
electricians) is there; between shifts nobody is (domain.md §6).
"""

from __future__ import annotations

from seamsim.model.calendar import MAINTENANCE, PRODUCTION
from seamsim.model.parameters import FaceParameters


def role_on_shift(p: FaceParameters, role: str, shift_kind: str) -> bool:
    """Return whether someone who can do ``role``'s repairs is on a shift of ``shift_kind``.

    Parameters
    ----------
    p : FaceParameters
        Face parameters (crew plan).
    role : {"fitter", "electrician", "operator"}
        Who the repair needs.
    shift_kind : {"production", "maintenance", "off_shift"}
        The shift now.

    Returns
    -------
    bool
        True when the repair can start.
    """
    crew = p.crew
    if shift_kind == PRODUCTION:
        if role == "fitter":
            return crew.fitters_on_production_shift > 0
        if role == "electrician":
            return crew.electricians_on_production_shift > 0
        return True
    if shift_kind == MAINTENANCE:
        return crew.maintenance_crew > 0
    return False
