"""A leader's criterion d, from the results of the civil servants they manage.

ND 335/2025 Điều 15.3.a: the head of an agency or unit scores d = 100% when every civil
servant under their management scores, in the same period, at the points of the HTNV
level or above (≥ 50, Điều 20), and 50% when any scores at the KHTNV level (< 50);
Điều 15.4: a deputy likewise, within the field they are in charge of.  The value is
derived, never typed; ``derived_d`` also says why.

Who is under whose management: the head manages every other cadre and civil servant of
the unit; a deputy with a department recorded manages that department's people, and
otherwise (no field recorded) the unit's as the head does.  When the evaluator relation
records who tracks whom, it replaces this default.
"""
from canbo.errors import RuleViolation
from canbo.levels import LeaderRole, StaffKind
from canbo.models import Staff
from canbo.rules import scoring
from canbo.tracking import sheets, year_points

TRACKED_KINDS = (StaffKind.CIVIL_SERVANT.code, StaffKind.CADRE.code)


def managed_by(leader):
    """The ids of the people ``leader`` (a Staff) manages, for Điều 15.3.a."""
    query = Staff.select(Staff.id).where(Staff.unit == leader.unit_id, Staff.id != leader.id,
                                         Staff.kind.in_(TRACKED_KINDS))
    if leader.leader_role == LeaderRole.DEPUTY.code and leader.department_id:
        query = query.where(Staff.department == leader.department_id)
    return {sid for (sid,) in query.tuples()}


def derived_d(sheet):
    """``(d, [(code, name, score)])`` for a leader's sheet: the value Điều 15.3.a gives and
    the subordinates' scores of the period it follows from.

    Raises ``RuleViolation`` naming the people whose period is not confirmed yet, since
    d cannot be known before their results are.  Someone who did not work in the period
    — on leave that takes it, or not yet (or no longer) in post (``year_grid``'s months
    worked; Điều 11.2, 17.3, 19.3) — has no result in it and is not waited for.
    """
    leader = Staff.get_by_id(sheet.staff_id)
    ids = managed_by(leader)
    people = [p for p in year_points.year_grid(sheet.year, [leader.unit_id])
              if p.staff_id in ids]
    scored, waiting = [], []
    months = set(sheets.period_months(sheet.month, sheet.period))
    for person in people:
        if person.worked is not None and not months & person.worked:
            continue  # on leave or not in post in the period: no score to wait for
        cell = person.cells.get(sheet.month)
        if cell is None or cell.score is None:
            waiting.append(f"{person.name} ({person.code})")
        else:
            scored.append((person.code, person.name, cell.score))
    if waiting:
        raise RuleViolation(
            f"Tiêu chí d của {leader.full_name} tính theo kết quả tháng {sheet.month}/"
            f"{sheet.year} của công chức thuộc quyền quản lý (Điều 15.3.a Nghị định "
            "335/2025); còn chờ xác nhận: " + ", ".join(waiting) + ".", waiting=waiting)
    return scoring.leader_d(score for _, _, score in scored), scored
