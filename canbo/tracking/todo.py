"""What waits for an account: the to-do list of its home page (ND 335/2025 Điều 17–19).

- its own sheets to self-score — open, or returned by the evaluator with a reason — up
  to the current period, each with its deadline (Điều 18.2, 17.2); in January, the
  previous December's too, due on a working day of January;
- as an evaluator (``evaluators.evaluatee_ids``): the submitted sheets to confirm
  (Điều 17.2) and the people with no work assigned in the current period (Điều 18.1);
  — more than ``GROUP_FROM`` of one kind in one period are one item naming the first
  few and how many more, which links to the evaluator's queue of that period (a
  province's managing agency evaluates the heads of a hundred communes: one line, not
  five hundred);
- as the officer (``tracking.assign``): how many people of the unit have no work
  assigned in the current period;
- in November and December, the year's rating, due *before* 15 December (Điều 19.2,
  ``rules.yearly.deadline``: on 15/12 it is overdue).

Overdue items come first, then by deadline.  Periods are those of ``status.year_status``,
read in a fixed number of queries for the people near the account (``_near``); the
officer's count of people without work is one query over all its units.
"""
import dataclasses
import datetime

from peewee import fn

from canbo import cache
from canbo import db as dbm
from canbo.levels import LeaderRole, SheetStatus, StaffKind
from canbo.models import Staff, Unit
from canbo.models.tracking import Assignment, Evaluator, Head, Sheet
from canbo.records import units
from canbo.records.units import in_post_during
from canbo.records.users import can
from canbo.rules import rulesets, yearly
from canbo.tracking import evaluators, status
from canbo.tracking.sheets import period_end, period_end_day, period_months, setting_for
from canbo.vietnamese import vi_date

SELF_SCORE, RETURNED, CONFIRM, ASSIGN, UNASSIGNED, YEAR = (
    "self_score", "returned", "confirm", "assign", "unassigned", "year")
#: The year's deadline is listed from this month on.
YEAR_NOTICE_FROM = 11
#: More confirmations (or assignments) than this in one period are listed as one item:
#: a commune head's twenty stay lines of their own, a province's hundreds do not.
GROUP_FROM = 20
#: How many people a grouped item names before "và N người khác".
NAMED = 5


@dataclasses.dataclass
class Item:
    """One thing to do: ``kind``, its Vietnamese ``text``, the period and person it is
    about (for the link), its deadline and whether that has passed."""

    kind: str
    text: str
    year: int
    month: int = None
    staff_id: int = None
    deadline: datetime.date = None
    overdue: bool = False
    reason: str = None
    count: int = None

    @property
    def due_text(self):
        if self.deadline is None:
            return ""
        if self.kind == YEAR:
            return (f"đã quá hạn (phải xong trước ngày {vi_date(self.deadline)})"
                    if self.overdue else f"hạn: trước ngày {vi_date(self.deadline)}")
        return (f"Quá hạn {vi_date(self.deadline)}" if self.overdue
                else f"hạn {vi_date(self.deadline)}")


def _period(month, period):
    return f"quý {month // 3}" if period == "QUARTER" else f"tháng {month}"


def for_account(account, today=None):
    """``[Item]`` waiting for ``account`` on ``today`` (default: today)."""
    return _for_account(account, today or status.current_date())


@cache.keep
def _for_account(account, today):
    year = today.year
    if account is None or not account.active or year < rulesets.MONTHLY_TRACKING_FROM:
        return []
    own, unit_id = _own_and_unit(account)
    items = []
    if unit_id is not None:
        below = units.unit_ids(Unit(id=unit_id))
        near = _near(account, unit_id, below, own)
        # in January, December's sheets are still due (on a working day of January)
        last_year = year - 1 if today.month == 1 and year > rulesets.MONTHLY_TRACKING_FROM \
            else None
        for y in filter(None, (last_year, year)):
            period = setting_for(unit_id, y).period
            current = period_end(today.month, period) if y == year else 12
            first = 1 if y == year else 12
            waiting = _may_wait(near, own, y, first, current)
            people = status.year_status(y, None, today, staff_ids=waiting) if waiting else []
            items += _own(people, own, y, first, current, period)
            evaluated = _as_evaluator(account, people, y, first, current, period, items)
            if y == year:
                items += _as_officer(account, below, unit_id, y, current, period, evaluated,
                                     today)
    if today.month >= YEAR_NOTICE_FROM and (own is not None or can(account, "tracking.read")):
        due = yearly.deadline(year)
        items.append(Item(YEAR, f"Đánh giá, xếp loại chất lượng năm {year} (Điều 19.2 Nghị "
                          "định 335/2025)", year, staff_id=own.id if own else None,
                          deadline=due, overdue=yearly.overdue(due, today)))
    items.sort(key=lambda i: (not i.overdue, i.deadline or datetime.date.max))
    return items


def _own(people, own, year, first, current, period):
    if own is None:
        return []
    mine = next((p for p in people if p.staff_id == own.id), None)
    out = []
    for m, state in sorted(mine.months.items()) if mine else ():
        if not first <= m <= current or state.actor != status.PERSON:
            continue
        if state.state == status.RETURNED:
            out.append(Item(RETURNED, f"Phiếu {_period(m, period)}/{year} bị trả lại — sửa "
                            "và gửi lại", year, m, own.id, state.deadline, state.overdue,
                            reason=state.reason))
        else:
            out.append(Item(SELF_SCORE, f"Ghi kết quả và tự chấm phiếu {_period(m, period)}"
                            f"/{year}", year, m, own.id, state.deadline, state.overdue))
    return out


def _as_evaluator(account, people, year, first, current, period, items):
    """The confirmations and assignments waiting for ``account`` as an evaluator; adds
    them to ``items`` and returns the ids of the people it evaluates this period."""
    evaluated = set()
    for m in sorted({m for p in people for m in p.months if first <= m <= current}):
        found = []
        waiting = [p for p in people if m in p.months and p.staff_id != account.staff_id
                   and (p.months[m].state == status.NOT_CONFIRMED
                        or (m == current and p.months[m].state == status.NO_ASSIGNMENT))]
        if not waiting:
            continue
        choices = {p.staff_id: p.months[m].choice for p in waiting}
        mine = evaluators.evaluatee_ids(account, [p.staff for p in waiting], year, m, choices)
        for p in waiting:
            if p.staff_id not in mine:
                continue
            state = p.months[m]
            if state.state == status.NOT_CONFIRMED:
                found.append(Item(CONFIRM, f"Xác nhận phiếu {_period(m, period)}/{year} của "
                                  f"{p.name}", year, m, p.staff_id, state.deadline,
                                  state.overdue))
            else:
                evaluated.add(p.staff_id)
                found.append(Item(ASSIGN, f"Giao việc {_period(m, period)}/{year} cho "
                                  f"{p.name}", year, m, p.staff_id, state.deadline,
                                  state.overdue))
        names = {p.staff_id: p.name for p in waiting}
        for kind, text in ((CONFIRM, f"Xác nhận {{n}} phiếu {_period(m, period)}/{year}"),
                           (ASSIGN, f"Giao việc {_period(m, period)}/{year} cho {{n}} người")):
            these = [i for i in found if i.kind == kind]
            if len(these) <= GROUP_FROM:
                items += these
                continue
            items.append(Item(kind, text.format(n=len(these)) + ": " + _names(
                [names[i.staff_id] for i in these], len(these)), year, m,
                deadline=min(i.deadline for i in these),
                overdue=any(i.overdue for i in these), count=len(these)))
    return evaluated


def _names(names, count):
    """The first ``NAMED`` of ``names``, and how many more of ``count`` there are."""
    return ", ".join(names[:NAMED]) + (f" và {count - NAMED} người khác"
                                       if count > NAMED else "")


def near_ids(account):
    """The ids of the people whose months may wait for ``account`` (``_near``), or
    ``None`` for an account of no unit: whom its to-do reads, and its queue of a month
    lists (Điều 10.1)."""
    own, unit_id = _own_and_unit(account)
    if unit_id is None:
        return None
    return _near(account, unit_id, units.unit_ids(Unit(id=unit_id)), own)


def _own_and_unit(account):
    """The account's own staff record (or ``None``) and the unit it works in: its own,
    else its record's."""
    own = Staff.get_or_none(Staff.id == account.staff_id) if account.staff_id else None
    return own, account.unit_id or (own.unit_id if own else None)


def _near(account, unit_id, below, own):
    """The people whose months may wait for the account itself: its own record, the
    people of its own unit (whom its evaluators and the chairman evaluate, Điều 10.1.b–c)
    and the heads of the units below (evaluated by the managing agency, Điều 10.1.a).  A
    province's officer thus reads a few hundred people, not its 10,000."""
    if not can(account, "tracking.evaluate"):
        # A staff account evaluates only as a recorded evaluator or a recorded head.
        if own is None:
            return []
        heads = list(Head.select(Head.unit, Head.department).where(Head.staff == own.id)
                     .tuples())
        where = Staff.id.in_(Evaluator.select(Evaluator.staff).where(
            Evaluator.evaluator == own.id)) | (Staff.id == own.id)
        for unit, department in heads:
            cond = Staff.unit == unit
            if department is not None:
                cond &= Staff.department == department
            where |= cond
        return [sid for (sid,) in Staff.select(Staff.id).where(where).tuples()]
    query = Staff.select(Staff.id).where(
        (Staff.unit == unit_id)
        | (Staff.unit.in_(below) & (Staff.leader_role == LeaderRole.HEAD.code)))
    ids = [sid for (sid,) in query.tuples()]
    return ids + [own.id] if own is not None and own.id not in ids else ids


def _may_wait(near, own, year, first, current):
    """Of ``near``, those whose months may hold an item: the account's own record, the
    people with a sheet self-scored and not yet confirmed in a period from ``first`` to
    ``current`` (Điều 17.2), and those with no work assigned in month ``current`` — which
    every period holding it lacks too (Điều 18.1).  Two queries; ``year_status`` is then
    worked out for these few, not for the hundreds of heads below a province."""
    if not near:
        return []
    sent = Sheet.select(Sheet.id).where(
        (Sheet.staff == Staff.id) & (Sheet.year == year) & Sheet.month.between(first, current)
        & (Sheet.status == SheetStatus.SELF_SCORED.code))
    work = Assignment.select(Assignment.id).where(
        (Assignment.staff == Staff.id) & (Assignment.year == year)
        & (Assignment.month == current))
    ids = {sid for (sid,) in Staff.select(Staff.id).where(
        dbm.among(Staff.id, near) & (fn.EXISTS(sent) | ~fn.EXISTS(work))).tuples()}
    if own is not None:  # ``_near`` always holds it
        ids.add(own.id)
    return [sid for sid in near if sid in ids]


def _as_officer(account, below, unit_id, year, current, period, evaluated, today):
    """How many people of the units have no work assigned in the current period: one
    query (NOT EXISTS), whatever their number."""
    if not can(account, "tracking.assign"):
        return []
    months = period_months(current, period)
    first = datetime.date(year, months[0], 1)
    last = period_end_day(year, months[-1])
    work = Assignment.select(Assignment.id).where(
        (Assignment.staff == Staff.id) & (Assignment.year == year)
        & Assignment.month.in_(months))
    query = (Staff.select(Staff.id, Staff.full_name)
             .where(Staff.unit.in_(below), in_post_during(first, last),
                    Staff.kind.in_([StaffKind.CIVIL_SERVANT.code, StaffKind.CADRE.code]),
                    ~fn.EXISTS(work))
             .order_by(Staff.sort_name))
    if evaluated:
        query = query.where(~dbm.among(Staff.id, evaluated))
    count = query.count()
    if not count:
        return []
    names = [name for _, name in query.limit(NAMED).tuples()]
    due = status.deadline(year, current, status.unit_working_day(unit_id, year))
    return [Item(UNASSIGNED, f"{count} người chưa được giao việc {_period(current, period)}"
                 f"/{year}: " + _names(names, count),
                 year, current, deadline=due, overdue=today > due, count=count)]
