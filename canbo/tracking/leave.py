"""What the workflow's records say about a year's points (ND 335/2025 Điều 17, 19.3, 20).

The year's points (``year_points.year_grid``) need, per person, the months worked, the
kind of leave that took the others away and whether a discipline forces KHTNV.  They
come from the rows the officer keeps on the rating screen (``models.Absence``
and ``Discipline``):

- a month is worked unless sick, maternity or unpaid leave (``scoring.LEAVE_KINDS``)
  covers more than ``ScoringRules.leave_month_share`` of its days — the decree does not
  say when a part month counts, so this is a setting with a default of "more than
  half" (**unconfirmed**, REFERENCE.md §3, §5); other leave keeps the month worked;
- the year is then averaged over the months worked (Điều 17, 11.2, 19.3; REFERENCE.md
  §5), maternity leave rated even under 6 months worked (``scoring.year_average``);
- a discipline counted in the year that the person's rule set says forces KHTNV —
  under ND 335, reprimand (khiển trách) or above for a public-service violation — is
  judged by ``yearly.khtnv_reasons`` (the workflow's own rule), as is a KHTNV finding
  recorded on the year's rating.
"""
import calendar
import datetime

from canbo.models import Rating, Staff
from canbo.models.cycle import Absence, Cycle, Discipline, Evaluation
from canbo.periods import merged
from canbo.rules import rulesets, scoring, yearly

MONTHS = range(1, 13)


def leave_days(year, month, periods):
    """Days of ``month`` covered by the inclusive ``periods`` (already merged)."""
    first = datetime.date(year, month, 1)
    last = datetime.date(year, month, calendar.monthrange(year, month)[1])
    return sum(max(0, (min(b, last) - max(a, first)).days + 1) for a, b in periods)


def months_worked(year, absences, rules=scoring.RULES[scoring.ND335]):
    """``(months worked, leave kind)`` from a person's ``absences`` (objects with ``kind``,
    ``starts_on``, ``ends_on``), or ``(None, None)`` when no month was lost to leave.

    The leave kind is maternity when a maternity leave took a month (it is rated under 6
    months worked), else the kind with the most days in the lost months.
    """
    leaves = [a for a in absences if a.kind in scoring.LEAVE_KINDS]
    periods = merged((a.starts_on, a.ends_on) for a in leaves)
    lost = set()
    for month in MONTHS:
        days = calendar.monthrange(year, month)[1]
        if leave_days(year, month, periods) > rules.leave_month_share * days:
            lost.add(month)
    if not lost:
        return None, None
    by_kind = {}
    for a in leaves:
        for month in lost:
            by_kind[a.kind] = by_kind.get(a.kind, 0) + leave_days(
                year, month, [(a.starts_on, a.ends_on)])
    kind = "MATERNITY" if by_kind.get("MATERNITY") else max(by_kind, key=by_kind.get)
    return set(MONTHS) - lost, kind


def load(year, staff_query):
    """``(absences, disciplines)`` ``{staff_id: [rows]}`` of the people of ``staff_query``
    (a SELECT of staff ids) touching ``year``: two queries for any number of people."""
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    absences, disciplines = {}, {}
    for a in (Absence.select().where(Absence.staff.in_(staff_query),
                                     Absence.starts_on <= last, Absence.ends_on >= first)):
        absences.setdefault(a.staff_id, []).append(a)
    counted = (Discipline.counted_year == year) | (
        Discipline.counted_year.is_null() & Discipline.decided_on.between(first, last))
    for d in Discipline.select().where(Discipline.staff.in_(staff_query), counted):
        disciplines.setdefault(d.staff_id, []).append(d)
    return absences, disciplines


def cadre_frames(year):
    """``{unit_id: cadre frame}`` of the units whose cycle of ``year`` is open."""
    return dict(Cycle.select(Cycle.unit, Cycle.cadre_frame).where(Cycle.year == year).tuples())


def findings(year, staff_query):
    """``{staff_id: KHTNV finding}`` recorded on the ``year``'s ratings of the people of
    ``staff_query`` (``Evaluation.khtnv_finding``): one query."""
    rows = (Evaluation.select(Rating.staff, Evaluation.khtnv_finding).join(Rating)
            .where(Rating.year == year, Rating.staff.in_(staff_query),
                   Evaluation.khtnv_finding.is_null(False)).tuples())
    return {sid: text for sid, text in rows if text}


def in_post_dates(year, staff_query):
    """``{staff_id: (joined_on, left_on)}`` of the people of ``staff_query`` who joined
    during ``year`` or left before its end: one query."""
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    rows = (Staff.select(Staff.id, Staff.joined_on, Staff.left_on)
            .where(Staff.id.in_(staff_query),
                   (Staff.joined_on > first) | (Staff.left_on <= last)).tuples())
    return {sid: (joined, left) for sid, joined, left in rows}


def months_in_post(year, joined_on, left_on, rules=scoring.RULES[scoring.ND335]):
    """The months of ``year`` a person recruited or transferred in (or out) was in post:
    the year is averaged over them (ND 335/2025 Điều 17.3, 19.1; the six-month rule of
    Điều 11.1 still applies).  A month counts when the person was in post for more than
    ``rules.leave_month_share`` of its days, the same open setting as for leave (the
    decree does not say; default more than half); ``left_on`` is the first day out."""
    out = set()
    for month in MONTHS:
        days = calendar.monthrange(year, month)[1]
        first = datetime.date(year, month, 1)
        last = datetime.date(year, month, days)
        start = max(first, joined_on or first)
        end = min(last, left_on - datetime.timedelta(days=1)) if left_on else last
        in_post = max(0, (end - start).days + 1)
        if in_post > rules.leave_month_share * days:
            out.add(month)
    return out


def for_grid(year, people, staff_query, unit_rules):
    """``(months_worked, leave, khtnv)`` for ``year_points.year_grid``.

    ``people`` are ``(id, code, name, kind, unit_id)`` tuples; ``unit_rules`` is
    ``{unit_id: ScoringRules}``, settled once by the caller (its leave-month share).
    ``khtnv`` holds the ids whose year must be KHTNV whatever the points
    (``yearly.khtnv_reasons``: a discipline counted in the year, or a recorded finding),
    so the grid proposes what the cycle will.
    """
    absences, disciplines = load(year, staff_query)
    found = findings(year, staff_query)
    frames = cadre_frames(year) if disciplines else {}
    dates = in_post_dates(year, staff_query)
    worked, leave, khtnv = {}, {}, set()
    for sid, _, _, kind, uid in people:
        if sid in absences:
            months, why = months_worked(year, absences[sid], unit_rules[uid])
            if months is not None:
                worked[sid], leave[sid] = months, why
        if sid in dates:
            posted = months_in_post(year, *dates[sid], unit_rules[uid])
            if posted != set(MONTHS):
                worked[sid] = worked.get(sid, set(MONTHS)) & posted
        if sid in disciplines or sid in found:
            code = rulesets.rule_set_for(year, kind, frames.get(uid, rulesets.QD366))
            if yearly.khtnv_reasons(rulesets.get(code), year, disciplines.get(sid, []),
                                    found.get(sid)):
                khtnv.add(sid)
    return worked, leave, khtnv
