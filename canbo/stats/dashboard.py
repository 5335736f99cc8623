"""The year at a glance: the figures of the dashboard, for a unit or a unit with sub-units.

``dashboard(unit, year)`` returns plain data — the cycle's progress, the quota meter per
task group, the ratings of the last five years with results, today's qualification
structure, warnings — and, for a unit with sub-units (a province), a table of its units.
``status_progress(unit_ids)`` is the panel home page's shorter answer: the year's ratings
of the units a user sees, counted by status.
Every figure of every unit comes from a handful of GROUP BY queries over all units at
once, never one query per unit, so a province of a hundred communes costs what one
commune costs.

The rules themselves (which statuses are final, who is rated, the quota on "excellent",
the deadline) are those of ``levels.py``, ``rules/yearly.py`` and ``rating/workflow.py``; this module
only counts.
"""
import dataclasses
import datetime

from peewee import JOIN, fn

from canbo import cache
from canbo.errors import NoData
from canbo.levels import FINAL_STATUSES, QualificationKind, RatingStatus, StaffKind
from canbo.models import Qualification, Rating, Staff, Unit
from canbo.models.cycle import Cycle, Evaluation, TaskGroup
from canbo.rating.compliance import default_group
from canbo.rating.workflow import DEADLINE_WARNING_DAYS, RATED_KINDS
from canbo.records.units import in_post_on, unit_ids
from canbo.rules import rulesets, yearly
from canbo.stats import national, reports
from canbo.vietnamese import vi_date, vi_decimal, vi_percent

#: The cycle's stages as the dashboard shows them, in order.
STAGES = [
    ("NOT_STARTED", "Chưa bắt đầu"),
    ("SELF_ASSESSED", "Đã tự đánh giá"),
    ("PROPOSED", "Đã đề xuất"),
    ("APPROVED", "Đã phê duyệt"),
    ("PUBLISHED", "Đã công bố"),
]

#: Where each rating status stands among the stages. A returned proposal is back with
#: the officer, so it counts as self-assessed until it is proposed again; the minutes
#: of the unit meeting come before the proposal.
STAGE_OF_STATUS = {
    RatingStatus.OPEN.code: "NOT_STARTED",
    RatingStatus.SELF_ASSESSED.code: "SELF_ASSESSED",
    RatingStatus.COMMENTED.code: "SELF_ASSESSED",
    RatingStatus.RETURNED.code: "SELF_ASSESSED",
    RatingStatus.PROPOSED.code: "PROPOSED",
    RatingStatus.APPROVED.code: "APPROVED",
    RatingStatus.PUBLISHED.code: "PUBLISHED",
}

HISTORY_YEARS = 5
HISTORY_HORIZON = 10
NAMES_SHOWN = 10


@dataclasses.dataclass
class Progress:
    counts: dict
    not_eligible: int = 0

    @property
    def total(self):
        """People to be rated this year (the not-eligible are apart)."""
        return sum(self.counts.values())

    @property
    def done(self):
        return self.counts.get("APPROVED", 0) + self.counts.get("PUBLISHED", 0)

    @property
    def percent_done(self):
        return round(100 * self.done / self.total, 1) if self.total else 0.0

    def rows(self):
        """``[Row(code, label, count, percent)]`` over the five stages."""
        values = [self.counts.get(code, 0) for code, _ in STAGES]
        pcts = reports.percents(values, self.total)
        return [reports.Row(c, lbl, n, p) for (c, lbl), n, p in zip(STAGES, values, pcts)]

    def add(self, other):
        for code, n in other.counts.items():
            self.counts[code] = self.counts.get(code, 0) + n
        self.not_eligible += other.not_eligible


@dataclasses.dataclass
class StatusProgress:
    """A year's ratings counted by status (the home page's "tiến độ"), and the staff in
    post today, of the units someone sees."""

    year: int
    counts: dict  # status code → number of ratings
    in_post: int = 0

    def rows(self):
        """``[(status, label, count)]`` in workflow order, every status listed."""
        return [(s.code, s.label, self.counts.get(s.code, 0)) for s in RatingStatus]

    @property
    def rated(self):
        """Ratings of the year, the not-eligible apart."""
        return sum(n for code, n in self.counts.items()
                   if code != RatingStatus.NOT_ELIGIBLE.code)

    @property
    def decided(self):
        """Ratings of the year already approved or published."""
        return sum(self.counts.get(s.code, 0)
                   for s in (RatingStatus.APPROVED, RatingStatus.PUBLISHED))

    @property
    def statuses_in_use(self):
        return sum(1 for n in self.counts.values() if n)


def status_progress(unit_ids=None, today=None):
    """The ``StatusProgress`` of this year (``today``'s), or of the latest year with
    ratings while this year has none yet, over the units ``unit_ids`` (None: all)."""
    def scoped(query, column):
        return query if unit_ids is None else query.where(column.in_(list(unit_ids)))

    year = (today or datetime.date.today()).year
    if not scoped(Rating.select().where(Rating.year == year), Rating.unit).exists():
        latest = scoped(Rating.select(fn.MAX(Rating.year)), Rating.unit).scalar()
        year = latest if latest is not None else year
    counts = dict(scoped(Rating.select(Rating.status, fn.COUNT(Rating.id))
                         .where(Rating.year == year), Rating.unit)
                  .group_by(Rating.status).tuples())
    in_post = scoped(Staff.select().where(Staff.left_on.is_null()), Staff.unit).count()
    return StatusProgress(year, counts, in_post)


@dataclasses.dataclass
class QuotaMeter:
    """The "excellent" quota of one task group: counted per unit, summed when rolled up."""

    label: str  # the task group's name
    rule_set: str
    excellent: int = 0
    good: int = 0
    limit: int = None  # None: the rule set has no quota
    ratio: object = None  # the ratio in force (a Decimal), the cycle's exception included
    units: int = 0  # how many units' meters are summed here
    units_over: list = dataclasses.field(default_factory=list)

    @property
    def exceeded(self):
        return bool(self.units_over)

    def explanation(self):
        """The numbers behind the meter, in the words of the approval check."""
        if self.limit is None:
            return "Quy định của năm này không giới hạn tỷ lệ."
        if self.units > 1:
            return (f"Cộng {self.units} đơn vị: {self.excellent} người HTXSNV, tối đa "
                    f"{self.limit} (tính riêng từng đơn vị: {vi_percent(self.ratio)} "
                    "số người HTTNV, làm tròn xuống).")
        return quota_explanation(self.good, self.excellent, self.ratio)


@dataclasses.dataclass
class Alert:
    """One line of the warnings box: what (``code``), how serious, in words, about whom."""

    code: str  # deadline, quota_exceeded, not_eligible, missing_levels
    severity: str  # danger, warning, info
    message: str
    names: list = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class UnitRow:
    """One line of the province's table of units."""

    unit_id: int
    code: str
    name: str
    in_post: int = 0
    progress: Progress = dataclasses.field(default_factory=lambda: Progress({}))
    final: int = 0
    excellent: int = 0
    violations: int = 0

    @property
    def excellent_share(self):
        return round(100 * self.excellent / self.final, 1) if self.final else 0.0


@dataclasses.dataclass
class Dashboard:
    unit: Unit
    year: int
    today: datetime.date
    deadline: datetime.date
    with_subunits: bool
    progress: Progress
    quotas: list
    history: list  # RatingsReport of up to five years, oldest first
    qualifications: object  # QualificationReport or None
    warnings: list
    units: list  # UnitRow, one per unit with staff or ratings (provinces only)


SORT_KEYS = {
    "excellent": lambda r: (-r.excellent_share, r.code),
    "progress": lambda r: (-r.progress.percent_done, r.code),
    "violations": lambda r: (-r.violations, r.code),
    "code": lambda r: r.code,
}


def sort_units(rows, key="excellent"):
    """The table of units ordered by share of excellent, progress, violations or code."""
    if key not in SORT_KEYS:
        key = "excellent"
    return sorted(rows, key=SORT_KEYS[key])


# --- the quota ------------------------------------------------------------------------


def quota_ratio(rule_set, exception_ratio=None):
    """The cap on HTXSNV as a share of HTTNV for a rule set code (``yearly.quota_ratio``:
    none before ND 48/2023, else 20% or the cycle's exception within its ceiling)."""
    return yearly.quota_ratio(rulesets.get(rule_set), exception_ratio)


def quota_explanation(good, excellent, ratio):
    """ "17 người HTTNV × 20% = 3,4 → tối đa 3 người HTXSNV (làm tròn xuống); hiện có 5." """
    return (f"{good} người HTTNV × {vi_percent(ratio)} = {vi_decimal(good * ratio)}"
            f" → tối đa {yearly.quota_allowed(good, ratio)} người HTXSNV (làm tròn xuống); "
            f"hiện có {excellent}.")


# --- the queries (each over every unit at once) ---------------------------------------


def _reference_day(year, today):
    """The day whose staff are the cycle's, as ``workflow.open_cycle`` counts them: the
    year's last day, or today while the year runs."""
    return min(today, datetime.date(year, 12, 31))


def _rating_counts(ids, year):
    """``[(unit, status, level, rule_set, kind, task group, n)]`` for the year's ratings;
    the task group is the one recorded on the rating's evaluation, if any."""
    return list(
        Rating.select(Rating.unit, Rating.status, Rating.level, Rating.rule_set, Staff.kind,
                      TaskGroup.name, fn.COUNT(Rating.id))
        .join(Staff, on=(Rating.staff == Staff.id))
        .switch(Rating)
        .join(Evaluation, JOIN.LEFT_OUTER, on=(Evaluation.rating == Rating.id))
        .join(TaskGroup, JOIN.LEFT_OUTER, on=(Evaluation.task_group == TaskGroup.id))
        .where((Rating.year == year) & Rating.unit.in_(ids))
        .group_by(Rating.unit, Rating.status, Rating.level, Rating.rule_set, Staff.kind,
                  TaskGroup.name)
        .tuples()
    )


def _cycles(ids, year):
    """``{unit: (deadline, exception ratio)}`` of the units that opened the year's cycle."""
    return {uid: (deadline, ratio) for uid, deadline, ratio in
            Cycle.select(Cycle.unit, Cycle.deadline, Cycle.exception_ratio)
            .where((Cycle.year == year) & Cycle.unit.in_(ids)).tuples()}


def _staff_counts(ids, year, day):
    """``{unit: (in post, in post without a rating record of the year)}``."""
    rated = Rating.alias()
    query = (
        Staff.select(Staff.unit, fn.COUNT(Staff.id), fn.COUNT(rated.id))
        .join(rated, JOIN.LEFT_OUTER, on=((rated.staff == Staff.id) & (rated.year == year)))
        .where(in_post_on(day) & Staff.unit.in_(ids) & Staff.kind.in_(RATED_KINDS))
        .group_by(Staff.unit)
        .tuples()
    )
    return {uid: (n, n - with_rating) for uid, n, with_rating in query}


def _missing_education(ids, day):
    """People in post on ``day`` with no professional education recorded at all."""
    has = Qualification.select(Qualification.staff).where(
        Qualification.kind == QualificationKind.EDUCATION.code)
    return list(
        Staff.select(Staff.full_name, Staff.code)
        .where(in_post_on(day) & Staff.unit.in_(ids) & Staff.id.not_in(has))
        .order_by(Staff.sort_name)
        .tuples()
    )


def _not_eligible(ids, year):
    return list(
        Rating.select(Staff.full_name, Rating.not_eligible_reason)
        .join(Staff, on=(Rating.staff == Staff.id))
        .where((Rating.year == year) & Rating.unit.in_(ids)
               & (Rating.status == RatingStatus.NOT_ELIGIBLE.code))
        .order_by(Staff.sort_name)
        .tuples()
    )


def rating_history(unit, year, with_subunits=True, years=HISTORY_YEARS):
    """The ratings reports of the last ``years`` years with results, up to ``year``,
    oldest first, looking back at most ``HISTORY_HORIZON`` years.

    Years without a final rating are skipped, so a commune that entered only 2021 and
    2022 sees those two.  Each year is one ``reports.ratings_report`` (a search on the
    rating's year index); walking back year by year stops as soon as enough are found,
    which for a province with every year rated costs five searches and no scan of all
    its ratings.
    """
    found = []
    for y in range(int(year), int(year) - HISTORY_HORIZON, -1):
        try:
            found.append(reports.ratings_report(unit, y, with_subunits))
        except NoData:
            continue
        if len(found) == years:
            break
    return found[::-1]


# --- the dashboard --------------------------------------------------------------------


def dashboard(unit, year=None, today=None, include_subunits=True):
    """Every figure of the dashboard of ``unit`` for the cycle of ``year``.

    ``today`` (default: the real date) decides the deadline warning and whose staff are
    counted; ``year`` defaults to today's.  A unit without sub-units is a commune: its
    table of units is empty.  Kept until the data change (``canbo.cache``): a province's
    figures read every rating of its year.
    """
    today = today or datetime.date.today()
    return _dashboard(unit, int(year or today.year), today, include_subunits)


@cache.keep
def _dashboard(unit, year, today, include_subunits):
    ids = unit_ids(unit, include_subunits)
    with_subunits = len(ids) > 1
    day = _reference_day(year, today)
    units = {u.id: u for u in Unit.select().where(Unit.id.in_(ids))}
    rows = {uid: UnitRow(uid, u.code, u.name) for uid, u in units.items()}

    meters = {}  # (unit, task group, rule_set) -> QuotaMeter
    unleveled = 0  # approved or published without a level: a record to complete
    for uid, status, level, rule_set, kind, group, n in _rating_counts(ids, year):
        row = rows[uid]
        if status == RatingStatus.NOT_ELIGIBLE.code:
            row.progress.not_eligible += n
            continue
        stage = STAGE_OF_STATUS.get(status, "NOT_STARTED")
        row.progress.counts[stage] = row.progress.counts.get(stage, 0) + n
        if status in FINAL_STATUSES and not level:
            unleveled += n
        if status in FINAL_STATUSES and level:
            row.final += n
            row.excellent += n if level == "HTXSNV" else 0
        label = group or default_group(kind)
        meter = meters.setdefault((uid, label, rule_set), QuotaMeter(label, rule_set))
        meter.excellent += n if level == "HTXSNV" else 0
        meter.good += n if level == "HTTNV" else 0
    for uid, (in_post, unrated) in _staff_counts(ids, year, day).items():
        rows[uid].in_post = in_post
        if unrated:
            rows[uid].progress.counts["NOT_STARTED"] = (
                rows[uid].progress.counts.get("NOT_STARTED", 0) + unrated)

    cycles = _cycles(ids, year)
    quotas = {}
    for (uid, label, rule_set), meter in meters.items():
        meter.ratio = quota_ratio(rule_set, cycles.get(uid, (None, None))[1])
        meter.limit = None if meter.ratio is None else yearly.quota_allowed(meter.good,
                                                                          meter.ratio)
        meter.units = 1
        over = meter.limit is not None and meter.excellent > meter.limit
        if over:
            rows[uid].violations += 1
        total = quotas.setdefault((label, rule_set), QuotaMeter(label, rule_set))
        total.excellent += meter.excellent
        total.good += meter.good
        total.units += 1
        if meter.ratio is not None:
            total.limit = (total.limit or 0) + meter.limit
            total.ratio = meter.ratio if total.ratio is None else min(total.ratio, meter.ratio)
        if over:
            total.units_over.append(units[uid].code)

    progress = Progress({})
    for row in rows.values():
        progress.add(row.progress)
    own_cycle = cycles.get(unit.id)
    deadline = own_cycle[0] if own_cycle and not with_subunits else yearly.deadline(year)
    history = rating_history(unit, year, include_subunits)
    try:
        qualifications = reports.qualification_report(unit, today, include_subunits)
    except NoData:
        qualifications = None
    quota_list = sorted(quotas.values(), key=lambda q: (_group_order(q.label), q.rule_set))
    for q in quota_list:  # the meters come in database order, which PostgreSQL varies
        q.units_over.sort()
    warnings = _warnings(ids, year, today, deadline, progress, quota_list, day, unleveled)
    table = []
    if with_subunits:
        table = sort_units(
            [r for r in rows.values() if r.in_post or r.progress.total or r.final])
    return Dashboard(unit, year, today, deadline, with_subunits, progress, quota_list,
                     history, qualifications, warnings, table)


def _group_order(label):
    """Default groups (one per staff kind) in the kinds' order, then named groups A–Z."""
    kinds = [k.label for k in StaffKind]
    return (kinds.index(label), "") if label in kinds else (len(kinds), label)


def _names(rows):
    names = [name for name, *_ in rows[:NAMES_SHOWN]]
    if len(rows) > NAMES_SHOWN:
        names.append(f"… và {len(rows) - NAMES_SHOWN} người khác")
    return names


def _warnings(ids, year, today, deadline, progress, quotas, day, unleveled=0):
    out = []
    pending = progress.total - progress.done
    days_left = (deadline - today).days
    if pending and yearly.overdue(deadline, today):
        out.append(Alert("deadline", "danger",
                           f"Đã quá hạn (xếp loại trước ngày {vi_date(deadline)}) mà "
                           f"còn {pending} người chưa được phê duyệt kết quả xếp loại năm "
                           f"{year}."))
    elif pending and days_left <= DEADLINE_WARNING_DAYS:
        out.append(Alert("deadline", "warning",
                           f"Còn {days_left} ngày đến hạn (trước ngày "
                           f"{vi_date(deadline)}): {pending} người chưa được phê "
                           f"duyệt kết quả xếp loại năm {year}."))
    for q in quotas:
        if not q.exceeded:
            continue
        message = f"Vượt tỷ lệ \"Hoàn thành xuất sắc nhiệm vụ\" ({q.label})"
        if q.units > 1:
            shown = ", ".join(q.units_over[:NAMES_SHOWN])
            more = len(q.units_over) - NAMES_SHOWN
            message += (f" tại {len(q.units_over)} đơn vị: {shown}"
                        + (f" và {more} đơn vị khác" if more > 0 else "") + ". ")
        else:
            message += ": "
        out.append(Alert("quota_exceeded", "danger", message + q.explanation()))
    # the counts already say whether anyone is not eligible; fetch names only then
    not_eligible = _not_eligible(ids, year) if progress.not_eligible else []
    if not_eligible:
        names = [f"{name} ({note})" if note else name for name, note in not_eligible]
        out.append(Alert("not_eligible", "info",
                           f"{len(not_eligible)} người không thực hiện đánh giá, xếp loại "
                           f"năm {year}.", _names([(n,) for n in names])))
    missing = _missing_education(ids, day)
    if missing:
        out.append(Alert("missing_levels", "warning",
                           f"{len(missing)} hồ sơ chưa có trình độ chuyên môn.",
                           _names([(f"{name} ({code})",) for name, code in missing])))
    if unleveled:
        out.append(Alert("missing_levels", "warning",
                           f"{unleveled} kết quả năm {year} đã phê duyệt hoặc công bố nhưng "
                           "chưa ghi mức xếp loại."))
    unsent = national.overdue(ids, today)
    if unsent:
        out.append(Alert("national_export", "warning",
                           f"{unsent} kết quả theo dõi, đánh giá đã có quá "
                           f"{national.DAYS_ALLOWED} ngày mà chưa cập nhật lên Cơ sở dữ liệu "
                           "quốc gia (Điều 26.1.d Nghị định 335/2025): xuất ở trang «Nhập / "
                           "xuất tệp» hoặc bằng «canbo export national»."))
    return out
