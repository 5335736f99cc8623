"""The two tables of the commune's report: ratings of a year, qualifications at a date.

Pure functions over the database (one GROUP BY each), returning plain data that renders
as Vietnamese text in the reference report's style, as JSON and as CSV.  Percents carry
one decimal (two where one cannot give equal counts equal percents) and add up to
exactly 100 (largest-remainder method, ``percents``; ``ROUNDING_NOTE`` says how).
"""
import csv
import dataclasses
import datetime
import io
import json

from peewee import JOIN, fn

from canbo.errors import InvalidInput, NoData
from canbo.levels import FINAL_STATUSES, QualificationKind
from canbo.levels import Rating as RatingLevel
from canbo.models import Qualification, Rating, Staff, Unit
from canbo.records.units import in_post_on, unit_ids
from canbo.vietnamese import vi_count, vi_date, vi_decimal


@dataclasses.dataclass
class Row:
    code: str
    label: str
    count: int
    percent: float


@dataclasses.dataclass
class RatingsReport:
    unit: Unit
    year: int
    total: int
    rows: list

    def as_dict(self):
        return {
            "unit": self.unit.code,
            "year": self.year,
            "total": self.total,
            "rows": [dataclasses.asdict(r) for r in self.rows],
        }


@dataclasses.dataclass
class QualificationReport:
    unit: Unit
    at: datetime.date
    total: int
    education: list
    political_theory: list
    state_management: list

    def groups(self):
        """``[(QualificationKind, rows), …]`` in the report's order."""
        return [
            (QualificationKind.EDUCATION, self.education),
            (QualificationKind.POLITICAL_THEORY, self.political_theory),
            (QualificationKind.STATE_MANAGEMENT, self.state_management),
        ]

    def as_dict(self):
        out = {"unit": self.unit.code, "at": self.at.isoformat(), "total": self.total}
        for kind, rows in self.groups():
            out[kind.code.lower()] = [dataclasses.asdict(r) for r in rows]
        return out


# --- arithmetic -----------------------------------------------------------------------


#: How the percents are rounded, for the note under every table that shows them.
ROUNDING_NOTE = (
    "Tỷ lệ làm tròn để cộng đúng 100%: dòng có phần lẻ lớn nhất được làm tròn lên trước; "
    "các dòng cùng số người có cùng tỷ lệ (ghi thêm một chữ số thập phân khi cần); chỉ khi "
    "không thể (ba dòng, mỗi dòng một phần ba) thì dòng đứng trước được làm tròn lên trước."
)
#: The decimals tried, in order, before equal counts may differ (``percents``).
MAX_PLACES = 2


def percents(counts, total):
    """Percents that add up to exactly 100 (largest remainder), equal for equal counts.

    ``counts`` is a list of integers summing to ``total``.  With one decimal, every share
    is first rounded down to a tenth, then the tenths still missing go to the largest
    remainders.  Rows with the same count have the same remainder and are given their
    tenth together; when the tenths left are fewer than such a group, the whole list takes
    one more decimal (``MAX_PLACES``) and is rounded again: ``[1, 1, 19]`` of 21 reads
    4,76 + 4,76 + 90,48, not 4,8 + 4,7 + 90,5.  With two decimals a group that does not
    fit is passed over for the next largest remainders (each share is then still its
    exact value rounded down or up by a hundredth).  Only when nothing keeps equal counts
    equal (``[1, 1, 1]`` of 3) does the stated order decide: one decimal, the earlier row
    first (``ROUNDING_NOTE``), which keeps the result stable.
    """
    if total <= 0:
        return [0.0 for _ in counts]
    for places, skip in ((1, False), (MAX_PLACES, False), (MAX_PLACES, True)):
        units = _fair_remainders(counts, total, 100 * 10 ** places, skip)
        if units is not None:
            return [u / 10 ** places for u in units]
    floors, missing, order = _floors(counts, total, 1000)
    for i in order[:missing]:
        floors[i] += 1
    return [u / 10 for u in floors]


def _floors(counts, total, whole):
    """Each count's share of ``whole`` rounded down, the units still missing, and the rows
    by decreasing remainder, ties to the earlier row (exact integers: no float ties)."""
    floors = [c * whole // total for c in counts]
    order = sorted(range(len(counts)), key=lambda i: (-(counts[i] * whole % total), i))
    return floors, whole - sum(floors), order


def _fair_remainders(counts, total, whole, skip):
    """``counts`` as whole numbers of ``1/whole`` summing to ``whole``, rows of one count
    rounded up all together or not at all, largest remainders first; ``skip``: a group
    larger than the units left is passed over.  ``None`` when it cannot be done."""
    floors, missing, order = _floors(counts, total, whole)
    groups = {}
    for i in order:  # equal counts share their remainder: one group, in remainder order
        groups.setdefault(counts[i], []).append(i)
    for rows in groups.values():
        if missing == 0:
            break
        if len(rows) > missing:
            if skip:
                continue
            return None
        for i in rows:
            floors[i] += 1
        missing -= len(rows)
    return floors if missing == 0 else None


def _rows(levels, counts, total):
    values = [counts.get(m.code, 0) for m in levels]
    return [
        Row(m.code, m.label, n, p) for m, n, p in zip(levels, values, percents(values, total))
    ]


# --- the reports ----------------------------------------------------------------------


def ratings_report(unit, year, include_subunits=True):
    """How many of the unit's staff were rated in ``year``, and at which level.

    Counts final ratings (approved or published) with a level; a unit with sub-units
    counts theirs too unless ``include_subunits`` is false.  Raises ``NoData`` when none.
    """
    query = (
        Rating.select(Rating.level, fn.COUNT(Rating.id))
        .where(
            (Rating.year == year)
            & Rating.unit.in_(unit_ids(unit, include_subunits))
            & Rating.status.in_(FINAL_STATUSES)
            & Rating.level.is_null(False)
        )
        .group_by(Rating.level)
        .tuples()
    )
    counts = dict(query)
    total = sum(counts.values())
    if not total:
        raise NoData(f"Đơn vị {unit.code} không có kết quả xếp loại nào của năm {year}.",
                     unit=unit.code, year=year)
    return RatingsReport(unit, int(year), total, _rows(list(RatingLevel), counts, total))


def qualification_report(unit, at, include_subunits=True):
    """The qualification structure of the staff in post on ``at``.

    A person's level of each kind is the highest awarded on or before ``at``; a person
    with none of a kind counts as "Chưa qua đào tạo" (NONE).
    """
    in_post = in_post_on(at) & Staff.unit.in_(unit_ids(unit, include_subunits))
    total = Staff.select().where(in_post).count()
    if not total:
        raise NoData(f"Đơn vị {unit.code} không có cán bộ, công chức nào tại ngày "
                     f"{vi_date(at)}.", unit=unit.code, at=at.isoformat())
    best = Qualification.highest(at).join(Staff, JOIN.INNER).where(in_post)
    query = (
        Qualification.select(best.c.kind, best.c.best, fn.COUNT("*"))
        .from_(best)
        .group_by(best.c.kind, best.c.best)
        .tuples()
    )
    counts = {kind: {} for kind in QualificationKind}
    for kind_code, rank, n in query:
        kind = QualificationKind(kind_code)
        counts[kind][list(kind.levels)[rank].code] = n
    groups = {}
    for kind in QualificationKind:
        found = counts[kind]
        found["NONE"] = found.get("NONE", 0) + total - sum(found.values())
        groups[kind.code.lower()] = _rows(list(kind.levels), found, total)
    return QualificationReport(unit, at, total, **groups)


# --- rendering ------------------------------------------------------------------------


def _lower_first(label):
    return label[:1].lower() + label[1:]


def ratings_sentence(report):
    """ "Năm 2022: 20 đồng chí. 14 đồng chí hoàn thành xuất sắc nhiệm vụ = 70%, …" """
    parts = [
        f"{vi_count(r.count)} đồng chí {_lower_first(r.label)} = {vi_decimal(r.percent, 2)}%"
        for r in report.rows
        if r.count
    ]
    return f"Năm {report.year}: {vi_count(report.total)} đồng chí. " + ", ".join(parts) + "."


def qualification_sentences(report):
    """The report's paragraph on qualifications, one sentence per kind of level."""
    out = [f"Đến ngày {vi_date(report.at)}, tổng số cán bộ, công chức là "
           f"{vi_count(report.total)} đồng chí."]
    for kind, rows in report.groups():
        parts = [
            f"{r.label} {vi_count(r.count)} đồng chí = {vi_decimal(r.percent, 2)}%"
            for r in rows
            if r.count
        ]
        out.append(f"{kind.label}: " + "; ".join(parts) + ".")
    return out


class _Neutral:
    """A CSV writer whose text cells are neutralised (``workbook.neutralise``)."""

    def __init__(self, writer, neutralise):
        self.writer, self.neutralise = writer, neutralise

    def writerow(self, row):
        self.writer.writerow([self.neutralise(v) for v in row])


def render(report, fmt="text"):
    """The report as ``text``, ``json`` or ``csv``."""
    if fmt == "json":
        return json.dumps(report.as_dict(), ensure_ascii=False, indent=2)
    if fmt == "csv":
        buf = io.StringIO()
        from canbo.spreadsheets.workbook import neutralise  # the one rule for CSV cells

        writer = _Neutral(csv.writer(buf, lineterminator="\n"), neutralise)
        if isinstance(report, RatingsReport):
            writer.writerow(["code", "label", "count", "percent"])
            for r in report.rows:
                writer.writerow([r.code, r.label, r.count, r.percent])
        else:
            writer.writerow(["group", "code", "label", "count", "percent"])
            for kind, rows in report.groups():
                for r in rows:
                    writer.writerow([kind.code, r.code, r.label, r.count, r.percent])
        return buf.getvalue()
    if fmt != "text":
        raise InvalidInput(f"Định dạng «{fmt}» không hợp lệ; cho phép: text, json, csv.")
    if isinstance(report, RatingsReport):
        return f"{report.unit.name} ({report.unit.code})\n{ratings_sentence(report)}\n"
    return f"{report.unit.name} ({report.unit.code})\n" + "\n".join(
        qualification_sentences(report)) + "\n"
