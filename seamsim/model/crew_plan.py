"""Who is on each shift and what the chosen modes need of them.

:func:`crew_plan` turns a scenario's crew and operating modes into the crew per shift,
the shield advances it allows, the repair rosters and the plain-language reasons a mode
cannot be run with it.
"""

from __future__ import annotations

from dataclasses import dataclass

from seamsim.physics import support
from seamsim.scenario.schema import Scenario


@dataclass(frozen=True)
class CrewPlan:
    """Who is on each shift and what the chosen modes need."""

    per_production_shift: int
    shield_parallel_advances: float
    fitters_on_production_shift: int
    electricians_on_production_shift: int
    maintenance_crew: int
    rosters: dict
    """Shift kind → the skills of each person on it who can repair or change picks
    (``fitter``, ``electrician``, ``picks``), in the order they are called on."""
    reasons: tuple[str, ...]
    warnings: tuple[str, ...]


def crew_plan(scenario: Scenario) -> CrewPlan:
    """Return the crew plan, with plain-language reasons where it is short of the modes.

    Parameters
    ----------
    scenario : Scenario
        A validated scenario.

    Returns
    -------
    CrewPlan
        The crew per production shift, the shield advances it allows, and reasons why a
        mode cannot be run with it (empty when it can).

    Notes
    -----
    What each mode needs (docs/model.md §6): local control needs a shearer driver at the
    machine (two to work both drums); remote control needs a remote operator; manual
    shields need ``shield_men_per_advance`` men per shield advanced at once; manual face
    ends need two face-end men; automated face ends need someone on patrol or at the
    ends; local control needs a conveyor driver (automation interlocks the conveyor);
    repairs need a fitter or electrician on some shift.
    """
    op = scenario.operation
    c = scenario.crew
    reasons: list[str] = []
    warnings: list[str] = []
    if op.remote_control:
        if c.remote_operators < 1:
            reasons.append("remote control needs at least one remote operator per production shift; the crew has none")
    else:
        if c.shearer_drivers < 1:
            reasons.append("the shearer is run at the machine but no shearer driver is on shift")
        elif c.shearer_drivers < 2:
            warnings.append("one shearer driver works both drums: usual practice is two at a manned machine")
        if c.conveyor_drivers < 1:
            reasons.append("without automation the conveyor needs a driver, and none is on shift")
    if op.shield_control == "manual":
        n_par = support.manual_parallel_advances(c.shield_men, op.shield_men_per_advance, op.max_manual_parallel_advances)
        if n_par <= 0:
            reasons.append("manual shield advance needs shield men, and none is on shift: no shield can be advanced")
        elif c.shield_men < op.shield_men_per_advance:
            warnings.append(
                f"one shield needs {op.shield_men_per_advance} shield men and only {c.shield_men} is on shift: "
                "the shields advance, but slower")
    else:
        n_par = op.eh_parallel_advances
    if op.face_end_mode == "manual" and c.face_end_men < 1:
        reasons.append("manual face-end work needs face-end men, and the crew has none")
    elif op.face_end_mode == "manual" and c.face_end_men < 2:
        warnings.append("one face-end man works alone: the end work takes twice as long and cannot overlap the shearer")
    if op.face_end_mode == "automated" and c.face_end_men + c.patrol < 1:
        reasons.append("automated face ends still need someone on patrol at the ends; the crew has nobody")
    maintenance_people = c.maintenance_crew if scenario.calendar.production_shifts_per_day < scenario.calendar.shifts_per_day else 0
    fitters = c.fitters + c.patrol_qualified_fitters
    electricians = c.electricians + c.patrol_qualified_electricians
    if fitters < 1 and maintenance_people < 1:
        reasons.append("no fitter on any shift: mechanical breakdowns could never be repaired")
    if electricians < 1 and maintenance_people < 1:
        reasons.append("no electrician on any shift: electrical faults could never be repaired")
    if fitters < 1 and maintenance_people >= 1:
        warnings.append("no fitter on the production shifts: mechanical repairs wait for the maintenance shift")
    if c.patrol + c.shearer_drivers + fitters < 1:
        warnings.append("nobody on the production shifts can change picks: worn picks wait for the maintenance shift")
    return CrewPlan(
        per_production_shift=c.per_production_shift,
        shield_parallel_advances=n_par,
        fitters_on_production_shift=fitters,
        electricians_on_production_shift=electricians,
        maintenance_crew=maintenance_people,
        rosters={"production": production_roster(c), "maintenance": (("fitter", "electrician", "picks"),) * maintenance_people},
        reasons=tuple(reasons),
        warnings=tuple(warnings),
    )


def production_roster(c) -> tuple[tuple[str, ...], ...]:
    """Return the skills of the people on a production shift who repair or change picks.

    Patrolmen and shearer drivers change picks; fitters repair mechanical failures (and can
    change picks); electricians repair electrical faults; a patrolman may also be qualified
    as a fitter or an electrician (``crew.patrol_qualified_*``). People with fewer skills are
    called on first, so a qualified patrolman stays free for a repair when he can.
    """
    people: list[tuple[str, ...]] = []
    for i in range(c.patrol):
        skills = ["picks"]
        if i < c.patrol_qualified_fitters:
            skills.append("fitter")
        if i < c.patrol_qualified_electricians:
            skills.append("electrician")
        people.append(tuple(skills))
    people += [("picks",)] * c.shearer_drivers
    people += [("fitter", "picks")] * c.fitters
    people += [("electrician",)] * c.electricians
    return tuple(sorted(people, key=len))


