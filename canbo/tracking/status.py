"""Where each person's month stands and who must act next (ND 335/2025 Điều 17, 18).

The officer's grid answers, per person and period, not only "what is missing" but "who
must do it": the evaluator assigns the work (Điều 18.1); the person records results and
self-scores (Điều 18.2, 17.2); the evaluator scores and confirms (Điều 17.2, 18.3) — then
the cell is the period's score.  Each period is due on a working day of the next month,
a unit setting (``TrackingSetting.deadline_working_day``, the 5th by default): a cell not
confirmed after that day is overdue.  Working days skip weekends and Vietnamese public
holidays (``rules.yearly.is_working_day``, the same days as the 7 working days of an
objection, Điều 22).

``year_status`` builds on ``year_points.year_grid`` (the scores, the running average and
the proposed level, whose thresholds live in ``canbo.rules``) and reads, whatever the
number of people, one query for the sheets' statuses, one for the people's departments,
one for the settings and a fixed number per period for the evaluators
(``evaluators.resolve``).
"""
import dataclasses
import datetime
from decimal import Decimal

from canbo import cache
from canbo import db as dbm
from canbo.db import database
from canbo.errors import InvalidInput
from canbo.levels import SheetStatus
from canbo.models import Staff, Unit
from canbo.models.tracking import Sheet, TrackingSetting
from canbo.records import audit
from canbo.records.users import require
from canbo.rules import rulesets, scoring, yearly
from canbo.tracking import evaluators
from canbo.tracking import year_points as yp
from canbo.vietnamese import vi_date

#: A month's sheets are due on this working day of the next month unless the unit sets
#: another (``TrackingSetting.deadline_working_day``).
DEFAULT_WORKING_DAY = 5
#: The latest working day a unit may choose: every month has at least 20.
MAX_WORKING_DAY = 20

NO_ASSIGNMENT, NOT_SELF_SCORED, RETURNED, NOT_CONFIRMED, CONFIRMED, NOT_COUNTED = (
    "NO_ASSIGNMENT", "NOT_SELF_SCORED", "RETURNED", "NOT_CONFIRMED", "CONFIRMED",
    "NOT_COUNTED")
NOT_TRACKED = "NOT_TRACKED"  # before the unit's first tracked month
EVALUATOR, PERSON = "evaluator", "person"
THE_PERSON = "người được đánh giá"


def current_date():
    """Today's date: the one clock of the deadlines and the to-do (a test may set it)."""
    return datetime.date.today()


def working_day_of(setting):
    """The working day of the next month on which a unit's periods are due."""
    return (setting.deadline_working_day if setting is not None
            and setting.deadline_working_day else DEFAULT_WORKING_DAY)


def deadline(year, month, working_day=DEFAULT_WORKING_DAY):
    """The day the sheets of the period ending in ``month`` of ``year`` are due: the
    ``working_day``-th working day of the next month (December's in January)."""
    if month == 12:
        return yearly.nth_working_day(year + 1, 1, working_day)
    return yearly.nth_working_day(year, month + 1, working_day)


def deadlines(year, working_day=DEFAULT_WORKING_DAY, periods=range(1, 13)):
    """``{period end month: due date}`` for the grid's header."""
    return {m: deadline(year, m, working_day) for m in periods}


def first_month_of(unit_id, year):
    """The unit's first tracked month of ``year`` (``None``: the whole year)."""
    setting = TrackingSetting.get_or_none(TrackingSetting.unit == unit_id,
                                          TrackingSetting.year == year)
    return setting.first_month if setting is not None and setting.first_month else None


def set_first_month(actor, unit, year, month):
    """Set the month from which ``unit`` tracked its first ND 335 year (``None`` or ""
    for the whole year); audited.  The provinces issued their criteria by 30/06/2026 and
    some applied them from 01/06/2026 (snv-3743-2026): the year is then the average of
    the tracked months (``year_points.year_grid``)."""
    require(actor, "tracking.assign", "đặt tháng bắt đầu theo dõi", unit.id)
    text = str(month if month is not None else "").strip()
    if int(year) != rulesets.MONTHLY_TRACKING_FROM:
        raise InvalidInput(f"Tháng bắt đầu theo dõi chỉ đặt cho năm đầu tiên áp dụng Nghị "
                           f"định 335/2025 ({rulesets.MONTHLY_TRACKING_FROM}); các năm sau "
                           "theo dõi đủ 12 tháng.", field="first_month")
    if text and (not text.isdigit() or not 1 <= int(text) <= 12):
        raise InvalidInput(f"Tháng bắt đầu theo dõi «{text}» không hợp lệ; cần từ 1 đến 12 "
                           "(để trống: cả năm).", field="first_month")
    with database.atomic():
        setting = TrackingSetting.get_or_none(TrackingSetting.unit == unit,
                                              TrackingSetting.year == year)
        before = audit.snapshot(setting) if setting else {}
        setting = setting or TrackingSetting(unit=unit, year=year)
        setting.first_month = int(text) if text and int(text) > 1 else None
        setting.save()
        audit.record(actor, "tracking.first_month", setting,
                     changes=audit.diff(before, audit.snapshot(setting)))
    return setting


def unit_working_day(unit_id, year):
    """The working day set for the unit's ``year`` (``DEFAULT_WORKING_DAY`` if none)."""
    return working_day_of(TrackingSetting.get_or_none(TrackingSetting.unit == unit_id,
                                                      TrackingSetting.year == year))


def set_working_day(actor, unit, year, working_day):
    """Set the working day of the next month on which ``unit``'s periods of ``year`` are
    due (1 – ``MAX_WORKING_DAY``); audited."""
    require(actor, "tracking.assign", "đặt hạn nộp phiếu hằng tháng", unit.id)
    try:
        day = int(str(working_day).strip())
    except (TypeError, ValueError):
        day = 0
    if not 1 <= day <= MAX_WORKING_DAY:
        raise InvalidInput(f"Ngày làm việc hạn nộp «{working_day}» không hợp lệ; cho phép "
                           f"một số từ 1 đến {MAX_WORKING_DAY} (ngày làm việc thứ mấy "
                           "của tháng sau).", field="deadline_working_day")
    with database.atomic():
        setting = TrackingSetting.get_or_none(TrackingSetting.unit == unit,
                                              TrackingSetting.year == year)
        before = audit.snapshot(setting) if setting else {}
        setting = setting or TrackingSetting(unit=unit, year=year)
        setting.deadline_working_day = day
        setting.save()
        audit.record(actor, "tracking.deadline", setting,
                     changes=audit.diff(before, audit.snapshot(setting)))
    return setting


@dataclasses.dataclass
class MonthState:
    """One person's period: its state, who must act (``EVALUATOR`` or ``PERSON``, with a
    name), when it is due and whether it is overdue, the score once confirmed."""

    month: int
    state: str
    deadline: datetime.date
    overdue: bool = False
    actor: str = None
    actor_name: str = None
    choice: evaluators.Choice = None
    score: Decimal = None
    reason: str = None
    outside: str = None  # scored at the old unit (Điều 19.3): its name

    @property
    def text(self):
        """What the cell says: the score, or what is missing and who must act."""
        if self.state == CONFIRMED:
            return scoring.points_text(self.score)
        return {
            NO_ASSIGNMENT: f"Chưa giao việc — {self.actor_name} giao",
            NOT_SELF_SCORED: f"Chưa tự chấm — {THE_PERSON}",
            RETURNED: f"Bị trả lại, chưa chấm lại — {THE_PERSON}",
            NOT_CONFIRMED: f"Chờ xác nhận — {self.actor_name}",
            NOT_COUNTED: "Không tính (không công tác trong kỳ)",
            NOT_TRACKED: "Chưa theo dõi",
        }[self.state]

    @property
    def overdue_text(self):
        return f"Quá hạn {vi_date(self.deadline)}" if self.overdue else ""


@dataclasses.dataclass
class PersonStatus:
    """A person's year: the ``year_grid`` row and each period's ``MonthState``."""

    row: yp.PersonYear
    staff: Staff  # id, unit, department and name: what ``evaluators`` reads
    months: dict
    working_day: int

    unit_id = property(lambda self: self.staff.unit_id)

    staff_id = property(lambda self: self.row.staff_id)
    code = property(lambda self: self.row.code)
    name = property(lambda self: self.row.name)
    average = property(lambda self: self.row.average)
    complete = property(lambda self: self.row.complete)
    level = property(lambda self: self.row.level)
    note = property(lambda self: self.row.note)


def _state(cell, sheet, counted):
    if cell.score is not None:
        return CONFIRMED
    if cell.missing == yp.Missing.NOT_TRACKED:
        return NOT_TRACKED
    if cell.missing == yp.Missing.NO_ASSIGNMENT:
        return NO_ASSIGNMENT if counted else NOT_COUNTED
    status = sheet[0] if sheet else None
    if status == SheetStatus.RETURNED.code:
        return RETURNED
    if status in (None, SheetStatus.OPEN.code):
        return NOT_SELF_SCORED
    return NOT_CONFIRMED


def year_status(year, unit_ids=None, today=None, grid=None, staff_ids=None):
    """``[PersonStatus]`` of the people of ``unit_ids`` (all units if ``None``) in ``year``,
    in the grid's order; ``today`` (default: today) decides what is overdue.  ``grid``
    passes a ``year_grid`` already made for the same people; ``staff_ids`` limits it to
    those people (a page of the grid)."""
    today = today or current_date()
    if grid is None:  # read here: kept until the data change (``canbo.cache``)
        return _year_status(year, unit_ids, today, staff_ids)
    return _statuses(year, today, grid)


@cache.keep
def _year_status(year, unit_ids, today, staff_ids):
    return _statuses(year, today, yp.year_grid(year, unit_ids, staff_ids=staff_ids))


def _statuses(year, today, grid):
    if not grid:
        return []
    ids = [p.staff_id for p in grid]
    people = {s.id: s for s in Staff.select(Staff.id, Staff.unit, Staff.department,
                                            Staff.full_name).where(dbm.among(Staff.id, ids))}
    days = {s.unit_id: working_day_of(s) for s in TrackingSetting.select().where(
        TrackingSetting.year == year,
        TrackingSetting.unit.in_({p.unit_id for p in people.values()}))}
    sheets = {(sid, m): (status, reason) for sid, m, status, reason in (
        Sheet.select(Sheet.staff, Sheet.month, Sheet.status, Sheet.returned_reason)
        .where(Sheet.year == year, dbm.among(Sheet.staff, ids)).tuples())}
    periods = sorted({m for p in grid for m in p.cells})
    choices = evaluators.resolve_months(people.values(), year, periods)
    due = {}
    out = []
    for row in grid:
        person = people[row.staff_id]
        day = days.get(person.unit_id, DEFAULT_WORKING_DAY)
        months = {}
        for m, cell in sorted(row.cells.items()):
            if (m, day) not in due:
                due[(m, day)] = deadline(year, m, day)
            sheet = sheets.get((row.staff_id, m))
            counted = row.worked is None or m in row.worked
            state = MonthState(m, _state(cell, sheet, counted), due[(m, day)],
                               choice=choices[m][row.staff_id], score=cell.score,
                               outside=cell.outside)
            if state.state in (NO_ASSIGNMENT, NOT_CONFIRMED):
                state.actor, state.actor_name = EVALUATOR, state.choice.name
            elif state.state in (NOT_SELF_SCORED, RETURNED):
                state.actor, state.actor_name = PERSON, THE_PERSON
            if state.state == RETURNED:
                state.reason = sheet[1]
            state.overdue = state.actor is not None and today > state.deadline
            months[m] = state
        out.append(PersonStatus(row, person, months, day))
    return out


def unit_deadlines(unit, year, periods):
    """``(working_day, {period: due date})`` of ``unit`` for the grid's header."""
    day = unit_working_day(unit.id if isinstance(unit, Unit) else unit, year)
    return day, deadlines(year, day, periods)
