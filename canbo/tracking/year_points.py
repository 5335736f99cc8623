"""The year's points of many people at once (ND 335/2025 Điều 17, 20).

``month_totals`` sums the result rows in SQL, one GROUP BY (person, month) over the
``assignment`` table with the 25% deductions and the floor written as CASE
expressions, so a province's 2.4 million rows never travel to Python.  ``year_grid``
joins those sums with the sheets' general points into each person's months (the score
or what is missing), the running average and the proposed level; ``write_points``
stores the year's average in ``Rating.points`` for the yearly cycle (the workflow
reads it there).

Leave and discipline come from the workflow's records (``tracking.leave``: Absence and
Discipline rows) unless a caller passes them in: ``months_worked`` / ``leave`` per
person id and the ids ``reprimanded``.
"""
import dataclasses
import datetime
from decimal import Decimal

from peewee import SQL, Case, fn

from canbo import cache
from canbo import db as dbm
from canbo.db import database
from canbo.errors import InvalidInput
from canbo.levels import FINAL_STATUSES, Period, SheetStatus, StaffKind
from canbo.levels import Rating as RatingLevel
from canbo.models import Rating, Staff
from canbo.models.tracking import Assignment, OutsideMonth, Sheet, TrackingSetting
from canbo.records.units import in_post_during
from canbo.rules import rulesets, scoring, yearly
from canbo.tracking import leave as year_records
from canbo.tracking.sheets import period_end, rules_of

MONTHS = range(1, 13)
EXACT = Decimal("0.000001")  # SQLite NUMERIC sums come back as floats; results have ≤ 6 places
ONE = Decimal(1)


class Missing:
    """Why a cell of the grid has no score (shown instead of the number)."""

    NO_ASSIGNMENT = "Chưa giao việc"
    NOT_SELF_SCORED = "Chưa tự đánh giá"
    NOT_CONFIRMED = "Chưa xác nhận"
    NOT_TRACKED = "Chưa theo dõi"  # before the unit's first tracked month


@dataclasses.dataclass
class Cell:
    month: int
    score: Decimal = None
    missing: str = None
    a: Decimal = None
    b: Decimal = None
    c: Decimal = None
    task: Decimal = None
    general: Decimal = None
    # A month scored at the old unit before a transfer (Điều 19.3): that unit's name.
    outside: str = None


@dataclasses.dataclass
class PersonYear:
    staff_id: int
    code: str
    name: str
    cells: dict
    average: Decimal = None
    complete: bool = False
    level: object = None
    note: str = None
    # The months (period ends) counted in the year; ``None``: all of them.
    worked: set = None

    @property
    def points(self):
        """The year's points as ``Rating.points`` stores them (``scoring.stored_points``:
        cut to six places, deciding as the true average does); ``None`` without one.
        Printed and shown through ``scoring.points_text``."""
        return None if self.average is None else scoring.stored_points(self.average)


def _exact(value):
    if value is None:
        return Decimal(0)
    if isinstance(value, float):
        return Decimal(repr(value)).quantize(EXACT)
    return Decimal(value)


def _not_below(expr, floor):
    return Case(None, [(expr < floor, floor)], expr)


def _integer_sums(rules):
    """The sums in whole numbers, when the rules allow it (floor 0, 1/rate whole).

    A coefficient has two decimals, so ``k = coefficient × 100`` is whole, and
    max(0, completed − rate × failed) × coefficient = k × max(0, n × completed − failed)
    ÷ (100 n) with n = 1/rate (4 for 25%).  Integer sums are exact on both engines and
    several times faster than NUMERIC on PostgreSQL.  Returns the SELECT expressions and
    the divisors, or None.
    """
    n = 1 / rules.deduction_rate
    if rules.deduction_floor or n != n.to_integral_value():
        return None
    A, n = Assignment, int(n)
    # BIGINT: k × n × completed must not overflow a 32-bit integer for large coefficients.
    k = fn.ROUND(A.coefficient * 100).cast("BIGINT")
    done4 = A.completed * n

    def not_below_zero(expr):
        return Case(None, [(expr < 0, 0)], expr)

    columns = (
        fn.SUM(k * Case(None, [(A.extra == True, 0)], A.quantity)),  # noqa: E712 - SQL
        fn.SUM(k * A.completed),
        fn.SUM(k * Case(None, [(A.objective_cause == True, done4)],  # noqa: E712
                        not_below_zero(done4 - A.failed_reviews))),
        fn.SUM(k * Case(None, [(A.objective_cause == True, done4)],  # noqa: E712
                        not_below_zero(done4 - A.delays))),
    )
    return columns, tuple(map(Decimal, (100, 100, 100 * n, 100 * n)))


def _numeric_sums(rules):
    """The sums in NUMERIC arithmetic, for any rate and floor (the general case)."""
    A = Assignment
    rate = SQL(str(rules.deduction_rate))
    done = A.completed * A.coefficient
    floor = SQL("0") if not rules.deduction_floor else done * SQL(str(rules.deduction_floor))
    columns = (
        fn.SUM(Case(None, [(A.extra == True, 0)], A.quantity * A.coefficient)),  # noqa: E712
        fn.SUM(done),
        fn.SUM(Case(None, [(A.objective_cause == True, done)],  # noqa: E712
                    _not_below(done - rate * A.coefficient * A.failed_reviews, floor))),
        fn.SUM(Case(None, [(A.objective_cause == True, done)],  # noqa: E712
                    _not_below(done - rate * A.coefficient * A.delays, floor))),
    )
    return columns, (ONE, ONE, ONE, ONE)


def month_totals(year, staff_query=None, rules=scoring.RULES[scoring.ND335]):
    """``{(staff_id, month): scoring.Totals}`` computed by one GROUP BY in SQL.

    The same arithmetic as ``scoring.row_points`` / ``scoring.totals``, in whole numbers
    when the rules allow (``_integer_sums``), else in NUMERIC.
    """
    A = Assignment
    columns, divisors = _integer_sums(rules) or _numeric_sums(rules)
    extra = fn.MAX(Case(None, [((A.extra == True) & (A.completed > 0), 1)], 0))  # noqa: E712
    query = A.select(A.staff, A.month, *columns, extra).where(A.year == year)
    if staff_query is not None:
        query = query.where(A.staff.in_(staff_query))
    # The raw cursor: peewee's row conversion would cost more than the query itself.
    cursor = database.execute(query.group_by(A.staff, A.month))
    out = {}
    totals = scoring.Totals
    for sid, month, *sums, has_extra in cursor:
        values = [(Decimal(v) if type(v) is int else _exact(v)) / d
                  for v, d in zip(sums, divisors)]
        out[(sid, month)] = totals(*values, bool(has_extra))
    return out


def _people(year, unit_ids, staff_ids=None):
    """Staff in scope: cadres and civil servants (scored on 100 points from 2026, REFERENCE.md
    §1) in post at some time in ``year`` in the units, or anyone with a sheet."""
    in_post = (in_post_during(datetime.date(year, 1, 1), datetime.date(year, 12, 31))
               & Staff.kind.in_([StaffKind.CIVIL_SERVANT.code, StaffKind.CADRE.code]))
    # EXISTS, one probe of the (staff, year, month) index per person: ``id IN (SELECT
    # staff FROM sheet …)`` made PostgreSQL re-scan a province's 660,000 sheets for each
    # person once their ids outgrew work_mem (82 s for the grid's first page at 60,000)
    with_rows = fn.EXISTS(Sheet.select(SQL("1")).where(Sheet.staff == Staff.id,
                                                       Sheet.year == year))
    query = Staff.select(Staff.id, Staff.code, Staff.full_name, Staff.kind, Staff.unit)
    if unit_ids is not None:
        query = query.where(Staff.unit.in_(unit_ids))
    if staff_ids is not None:
        query = query.where(dbm.among(Staff.id, staff_ids))
    return query.where(in_post | with_rows).order_by(Staff.sort_name, Staff.id)


@cache.keep
def people_ids(year, unit_ids=None):
    """The ids of the grid's people of ``year`` in its order (name order): one query, so
    that a page of them can be passed to ``year_grid(staff_ids=…)``."""
    return [row[0] for row in _people(year, unit_ids).tuples()]


OPEN, CONFIRMED = SheetStatus.OPEN.code, SheetStatus.CONFIRMED.code
QUARTER = Period.QUARTER.code


def _combine(month, totals, sheet, rules):
    """One person-month's cell from the SQL sums and the sheet row (raw values)."""
    if totals is None or not totals.assigned:
        return Cell(month, missing=Missing.NO_ASSIGNMENT)
    status, general, leader, d, dd, e = sheet or (None,) * 6
    a, b, c = scoring.abc(totals, rules)
    cell = Cell(month, a=a, b=b, c=c)
    if status is None or status == OPEN:
        cell.missing = Missing.NOT_SELF_SCORED
    elif status != CONFIRMED or general is None or (leader and None in (d, dd, e)):
        cell.missing = Missing.NOT_CONFIRMED
    else:
        leader_parts = (_exact(d), _exact(dd), _exact(e)) if leader else ()
        cell.task = scoring.task_score(a, b, c, *leader_parts)
        cell.general = _exact(general)
        cell.score = scoring.period_score(cell.general, cell.task, rules)
    return cell


def year_grid(year, unit_ids=None, months_worked=None, leave=None, reprimanded=None,
              rule_set=scoring.ND335, staff_ids=None):
    """Every person's cells, running average and proposed level for ``year``.

    ``months_worked`` ``{staff_id: set of months}`` and ``leave`` ``{staff_id: kind}``
    (scoring.LEAVE_KINDS) make the average run over the months worked; ``reprimanded``
    holds the ids disciplined at reprimand or above in the year (KHTNV, Điều 20).
    When none of the three is given they are read from the workflow's Absence and
    Discipline records (``leave.for_grid``).  ``staff_ids`` limits the grid to those
    people (one page of a list, or one person): the same queries, on fewer rows.
    """
    people = list(_people(year, unit_ids, staff_ids).tuples())
    scope = None if unit_ids is None else Staff.select(Staff.id).where(Staff.unit.in_(unit_ids))
    if staff_ids is not None:
        scope = (scope if scope is not None else Staff.select(Staff.id)).where(
            dbm.among(Staff.id, staff_ids))
    stored = {s.unit_id: s for s in TrackingSetting.select().where(TrackingSetting.year == year)}
    default = TrackingSetting(year=year, period=Period.MONTH.code)
    settings = {uid: stored.get(uid, default) for uid in {p[4] for p in people}}
    # Each unit-year's scoring rules are settled here, once, and passed down.
    default_rules = rules_of(default, rule_set)
    unit_rules = {uid: rules_of(setting, rule_set) if setting.id else default_rules
                  for uid, setting in settings.items()}
    if months_worked is None and leave is None and reprimanded is None:
        months_worked, leave, reprimanded = year_records.for_grid(
            year, people, scope if scope is not None else Staff.select(Staff.id), unit_rules)
    months_worked, leave, reprimanded = months_worked or {}, leave or {}, set(reprimanded or ())
    level_rules = rulesets.get(rule_set)
    sums = month_totals(year, scope, default_rules)
    # A unit that changed the deduction floor needs its own sums; the rest share one scan.
    for uid, rules in unit_rules.items():
        if rules.deduction_floor != default_rules.deduction_floor:
            sums.update(month_totals(
                year, Staff.select(Staff.id).where(Staff.unit == uid), rules))
    S = Sheet
    sheet_rows = (S.select(S.staff, S.month, S.status, S.general, S.leader, S.d, S.dd, S.e)
                  .where(S.year == year))
    if scope is not None:
        sheet_rows = sheet_rows.where(S.staff.in_(scope))
    sheets = {(row[0], row[1]): row[2:] for row in database.execute(sheet_rows)}
    outside = _outside_months(year, scope)
    out = []
    for sid, code, name, kind, uid in people:
        setting, rules = settings[uid], unit_rules[uid]
        cells = {}
        if setting.period == QUARTER:
            for end in (3, 6, 9, 12):
                parts = [sums[(sid, m)] for m in (end - 2, end - 1, end) if (sid, m) in sums]
                cells[end] = _combine(end, _merge(parts) if parts else None,
                                      sheets.get((sid, end)), rules)
        else:
            for m in MONTHS:
                cells[m] = _combine(m, sums.get((sid, m)), sheets.get((sid, m)), rules)
        worked = months_worked.get(sid)
        tracked = None
        if setting.first_month and setting.first_month > 1:
            tracked = set(range(setting.first_month, 13))
            for m in range(1, setting.first_month):
                end = period_end(m, setting.period)
                if end < setting.first_month or end not in tracked:
                    cells[end] = Cell(end, missing=Missing.NOT_TRACKED)
        for m, (unit_name, score) in outside.get(sid, {}).items():
            end = period_end(m, setting.period)
            if cells.get(end) is None or cells[end].score is None:
                cells[end] = Cell(end, score=score, outside=unit_name)
            if worked is not None:
                worked = worked | {m}
        out.append(_person_year(sid, code, name, cells, worked, leave.get(sid),
                                sid in reprimanded, level_rules, setting.period, tracked))
    return out


def _outside_months(year, scope):
    """``{staff_id: {month: (old unit's name, score)}}``: the months a transferred person
    was scored at the old unit, as it sent them (Điều 19.3) — counted in the year, as
    months worked, and shown as such; a month also scored here keeps its own score."""
    query = OutsideMonth.select(OutsideMonth.staff, OutsideMonth.month, OutsideMonth.unit_name,
                                OutsideMonth.score).where(OutsideMonth.year == year)
    if scope is not None:
        query = query.where(OutsideMonth.staff.in_(scope))
    out = {}
    for sid, month, unit_name, score in query.tuples():
        out.setdefault(sid, {})[month] = (unit_name, _exact(score))
    return out


def _merge(parts):
    if len(parts) == 1:
        return parts[0]
    return scoring.Totals(*(sum(getattr(p, f) for p in parts)
                            for f in ("assigned", "completed", "quality", "on_time")),
                          any(p.extra for p in parts))


def _person_year(sid, code, name, cells, worked, leave, reprimand, rule_set, period,
                 tracked=None):
    scores = {m: c.score for m, c in cells.items()}
    counted = None if worked is None else {period_end(m, period) for m in worked}
    if tracked is not None:
        counted = (set(MONTHS) if counted is None else counted) & tracked
    person = PersonYear(sid, code, name, cells, worked=counted)
    try:
        if period == QUARTER:
            person.average = scoring.year_average_quarters(
                {end // 3: score for end, score in scores.items()}, worked, leave, tracked)
        else:
            person.average = scoring.year_average(scores, worked, leave, tracked)
        person.complete = True
    except InvalidInput as exc:
        person.note = exc.message
        person.average = scoring.running_average(
            {m: s for m, s in scores.items() if counted is None or m in counted})
    if person.average is not None or reprimand:
        # which discipline or finding it was is the cycle's to show; the grid needs the fact
        reasons = ("kỷ luật hoặc kết luận không hoàn thành nhiệm vụ",) if reprimand else ()
        person.level = RatingLevel(yearly.proposed_level(rule_set, person.average or 0, reasons))
    return person


@dataclasses.dataclass
class PartOfYear:
    """A person's quarter or half-year (ND 335/2025 Điều 17.3, Điều 23): the periods'
    scores, their average once every period is confirmed, else what is missing."""

    staff_id: int
    code: str
    name: str
    scores: dict  # period end month → score or None
    average: Decimal = None
    missing: tuple = ()


def part_of_year(grid, quarter=None, half=None):
    """``[PartOfYear]`` of ``grid`` (``year_grid``) for a quarter (1–4) or a half (1–2):
    the average of its 3 or 6 months (Điều 17.3), or of its quarters for a unit that
    tracks by quarter."""
    if (quarter is None) == (half is None):
        raise InvalidInput("Chọn một quý (1 – 4) hoặc một nửa năm (1 – 2).")
    months = scoring.QUARTERS[quarter] if quarter else scoring.HALVES[half]
    out = []
    for person in grid:
        ends = [m for m in months if m in person.cells]  # quarter ends when by quarter
        scores = {m: person.cells[m].score for m in ends}
        missing = tuple(m for m, value in scores.items() if value is None)
        average = None if missing or not scores else sum(scores.values()) / len(scores)
        out.append(PartOfYear(person.staff_id, person.code, person.name, scores, average,
                              missing))
    return out


def write_points(year, grid, unit_ids=None):
    """Store each complete year's average in its ``Rating.points`` (yearly cycle).

    Only ratings that exist, are scored on 100 points and are not yet final are
    changed (and, with ``unit_ids``, only the ratings made by those units); returns
    ``(updated, skipped)`` counts.  One UPDATE per 500 people.  It writes no audit
    entry: its caller, ``rating.points.fill_points``, writes the cycle's.
    """
    done = {p.staff_id: p.points for p in grid if p.complete}
    updated = 0
    ids = sorted(done)
    in_units = [] if unit_ids is None else [Rating.unit.in_(list(unit_ids))]
    with database.atomic():
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            # the version too (models.records.Versioned): a form opened before is stale
            updated += (Rating.update(points=Case(Rating.staff, [(sid, done[sid])
                                                                 for sid in chunk]),
                                      version=Rating.version + 1)
                        .where(Rating.year == year, Rating.staff.in_(chunk),
                               Rating.rule_set.in_(list(scoring.RULES)),
                               Rating.status.not_in(FINAL_STATUSES), *in_units)
                        .execute())
    return updated, len(grid) - updated
