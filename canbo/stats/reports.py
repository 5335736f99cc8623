"""The two tables of the commune's report: ratings of a year, qualifications at a date.

Pure functions over the database (one GROUP BY each), returning plain data that renders
as Vietnamese text in the reference report's style, as JSON and as CSV.  Percents carry
one decimal and add up to exactly 100.0 (largest-remainder method).
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


def percents(counts, total):
    """Percents with one decimal that add up to exactly 100.0 (largest remainder).

    ``counts`` is a list of integers summing to ``total``; every share is first rounded
    down to a tenth, then the tenths still missing go to the largest remainders (ties to
    the earlier row, which keeps the result stable).
    """
    if total <= 0:
        return [0.0 for _ in counts]
    exact = [c * 1000 / total for c in counts]
    tenths = [int(e) for e in exact]
    missing = 1000 - sum(tenths)
    order = sorted(range(len(counts)), key=lambda i: (-(exact[i] - tenths[i]), i))
    for i in order[:missing]:
        tenths[i] += 1
    return [t / 10 for t in tenths]


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
        f"{vi_count(r.count)} đồng chí {_lower_first(r.label)} = {vi_decimal(r.percent, 1)}%"
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
            f"{r.label} {vi_count(r.count)} đồng chí = {vi_decimal(r.percent, 1)}%"
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
