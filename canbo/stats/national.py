"""Results for the national database of cadres, civil servants and public employees.

ND 335/2025 Điều 26.1.d: the monthly or quarterly results and the yearly rating are
updated into the national database within 5 days of being final.  No public exchange
format with named fields was found, so the export is a documented table (README,
"canbo export national"), as XLSX or UTF-8 CSV, one row per person and period:

personal identification number, full name, birth date, unit, period, general points,
task points, total, level, confirmed on.

- a month (``2026-05``): the confirmed sheets of that month (Mẫu 01);
- a quarter (``2026-Q2``): the average of its three confirmed months (Điều 17.3), or the
  quarter's own sheet in a unit that tracks by quarter;
- a year (``2026``): the approved or published ratings (points and level).

Every export is logged (``NationalExport``); ``overdue`` counts the final results more
than 5 days old that no later export of their period has carried.
"""
import dataclasses
import datetime
import re

from peewee import fn

from canbo.db import database
from canbo.errors import InvalidInput
from canbo.levels import FINAL_STATUSES
from canbo.models import NationalExport, Rating, Sheet, Staff, Unit
from canbo.records import audit, units, users
from canbo.rules import rulesets, scoring, yearly
from canbo.spreadsheets.workbook import Table
from canbo.tracking import year_points

#: The days a final result may wait before it must be in the national database.
DAYS_ALLOWED = 5
#: Past this many people (a province) the panel makes the export a background job
#: (``canbo.jobs``) instead of building it inside the request.
BACKGROUND_FROM = 2000

COLUMNS = (
    ("personal_id", "Số định danh cá nhân"),
    ("full_name", "Họ và tên"),
    ("birth_date", "Ngày sinh"),
    ("unit", "Đơn vị"),
    ("period", "Kỳ"),
    ("general", "Điểm tiêu chí chung"),
    ("task", "Điểm kết quả thực hiện nhiệm vụ"),
    ("total", "Tổng điểm"),
    ("level", "Mức xếp loại"),
    ("confirmed_on", "Ngày xác nhận"),
)
SHEET_NAME = "CSDL quốc gia"


@dataclasses.dataclass(frozen=True)
class Period:
    """``2026-05`` (month), ``2026-Q2`` (quarter) or ``2026`` (year)."""

    year: int
    month: int = None
    quarter: int = None

    @property
    def code(self):
        if self.month:
            return f"{self.year}-{self.month:02d}"
        if self.quarter:
            return f"{self.year}-Q{self.quarter}"
        return str(self.year)

    @property
    def months(self):
        if self.month:
            return (self.month,)
        if self.quarter:
            return scoring.QUARTERS[self.quarter]
        return tuple(range(1, 13))


def parse_period(text):
    """The ``Period`` written ``YYYY-MM``, ``YYYY-Qn`` or ``YYYY``; ``InvalidInput`` else."""
    text = str(text or "").strip().upper()
    match = re.fullmatch(r"(\d{4})(?:-(?:(\d{1,2})|Q([1-4])))?", text)
    period = None
    if match:
        year, month, quarter = int(match[1]), match[2], match[3]
        if month is None or 1 <= int(month) <= 12:
            period = Period(year, int(month) if month else None,
                            int(quarter) if quarter else None)
    if period is None or not rulesets.tracked_monthly(period.year):
        raise InvalidInput(
            f"Kỳ «{text}» không hợp lệ; hãy viết YYYY-MM (tháng, ví dụ 2026-05), YYYY-Qn "
            f"(quý, ví dụ 2026-Q2) hoặc YYYY (năm), từ năm {rulesets.MONTHLY_TRACKING_FROM}.",
            period=text)
    return period


def _points(value):
    return None if value is None else scoring.shown(value)


def rows(unit, period, include_subunits=True):
    """The export's rows (dicts keyed by ``COLUMNS``) for ``unit`` and ``period``."""
    ids = units.unit_ids(unit, include_subunits)
    people = {s.id: s for s in Staff.select(Staff, Unit).join(Unit)
              .where(Staff.unit.in_(ids))}
    if period.month is None and period.quarter is None:
        return _year_rows(period, ids, people)
    grid = year_points.year_grid(period.year, ids)
    confirmed = {}
    for sid, month, at in (Sheet.select(Sheet.staff, Sheet.month, Sheet.confirmed_at)
                           .where(Sheet.year == period.year, Sheet.staff.in_(list(people)),
                                  Sheet.month.in_(period.months),
                                  Sheet.confirmed_at.is_null(False)).tuples()):
        confirmed[(sid, month)] = at
    out = []
    for person in grid:
        cells = [person.cells[m] for m in period.months if m in person.cells]
        if not cells or any(c.score is None for c in cells):
            continue  # not final yet: nothing to send
        n = len(cells)
        total = sum(c.score for c in cells) / n
        general = sum(c.general for c in cells) / n
        task = sum(scoring.task_points(c.task) for c in cells) / n
        on = max(confirmed.get((person.staff_id, c.month)) or datetime.datetime.min
                 for c in cells)
        staff = people[person.staff_id]
        out.append(_row(staff, period, general, task, total,
                        yearly.level_from_points(rulesets.get(rulesets.ND335), total),
                        on.date() if on != datetime.datetime.min else None))
    return out


def _year_rows(period, ids, people):
    query = (Rating.select().where(Rating.year == period.year, Rating.unit.in_(ids),
                                   Rating.status.in_(FINAL_STATUSES),
                                   Rating.rule_set.in_(list(scoring.RULES))))
    out = []
    for rating in query:
        staff = people.get(rating.staff_id)
        if staff is None:
            continue
        out.append(_row(staff, period, None, None, rating.points, rating.level,
                        rating.updated_at.date() if rating.updated_at else None))
    return sorted(out, key=lambda r: (r["unit"], r["_sort"]))


def _row(staff, period, general, task, total, level, confirmed_on):
    return {"personal_id": staff.personal_id, "full_name": staff.full_name,
            "birth_date": staff.birth_date, "unit": staff.unit.code, "period": period.code,
            "general": _points(general), "task": _points(task), "total": _points(total),
            "level": level, "confirmed_on": confirmed_on, "_sort": staff.sort_name}


def table(unit, period, include_subunits=True):
    """The export as one ``Table`` for ``spreadsheets.workbook.write``."""
    found = rows(unit, period, include_subunits)
    formats = {2: "date", 5: "decimal", 6: "decimal", 7: "decimal", 9: "date"}
    return Table(SHEET_NAME, [label for _, label in COLUMNS],
                 [[r[key] for key, _ in COLUMNS] for r in found], formats)


def export(actor, unit, period, include_subunits=True):
    """The export's ``Table``, logged as done by ``actor`` (a user holding
    ``national.export`` who sees ``unit``)."""
    users.require(actor, "national.export", "xuất dữ liệu lên Cơ sở dữ liệu quốc gia",
                  unit.id)
    result = table(unit, period, include_subunits)
    log_export(actor, unit, period, include_subunits, len(result.rows))
    return result


def people_count(unit, include_subunits=True):
    """How many staff records the export of ``unit`` reads."""
    return Staff.select().where(Staff.unit.in_(units.unit_ids(unit, include_subunits))).count()


def log_export(actor, unit, period, include_subunits, count):
    """Record in the export log (and the audit log) that ``actor`` exported ``count``
    rows; a background job (``canbo.jobs``) calls it once its file is written."""
    users.require(actor, "national.export", "xuất dữ liệu lên Cơ sở dữ liệu quốc gia",
                  unit.id)
    with database.atomic():
        entry = NationalExport.create(actor=actor.username, unit=unit, period=period.code,
                                      with_subunits=include_subunits, rows=count)
        audit.record(actor.username, "national.export", entry,
                     changes={"period": period.code, "rows": count})


def overdue(unit_ids, today=None):
    """How many final results of the units are more than ``DAYS_ALLOWED`` days old with
    no export of their period (by their unit or a unit above) since: confirmed monthly
    sheets and approved ratings (Điều 26.1.d)."""
    today = today or datetime.date.today()
    # final on day D may be sent up to D + 5; from D + 6 it is late
    limit = datetime.datetime.combine(today - datetime.timedelta(days=DAYS_ALLOWED),
                                      datetime.time.min)
    last = {}  # (unit id, period) → the latest export that carried it
    for unit_id, subunits, period, at in (
            NationalExport.select(NationalExport.unit, NationalExport.with_subunits,
                                  NationalExport.period, fn.MAX(NationalExport.at))
            .group_by(NationalExport.unit, NationalExport.with_subunits,
                      NationalExport.period).tuples()):
        for uid in units.unit_ids(Unit(id=unit_id), subunits):
            if last.get((uid, period)) is None or last[(uid, period)] < at:
                last[(uid, period)] = at
    count = 0
    for uid, year, month, at in (
            Sheet.select(Sheet.unit, Sheet.year, Sheet.month, Sheet.confirmed_at)
            .where(Sheet.unit.in_(unit_ids), Sheet.confirmed_at < limit).tuples()):
        sent = last.get((uid, f"{year}-{month:02d}"))
        count += sent is None or sent < at
    for uid, year, at in (Rating.select(Rating.unit, Rating.year, Rating.updated_at)
                          .where(Rating.unit.in_(unit_ids), Rating.status.in_(FINAL_STATUSES),
                                 Rating.rule_set.in_(list(scoring.RULES)),
                                 Rating.updated_at < limit).tuples()):
        sent = last.get((uid, str(year)))
        count += sent is None or sent < at
    return count
