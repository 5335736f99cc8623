"""The yearly report's section on the quality of the staff, generated from the data.

The reference report (Kim Tân, 07/07/2023, kim-tan-2023.md) has a section III.3 on the
quality of the staff's public service: the ratings of the last years, one sentence a
year ("Năm 2022: 20 đồng chí. 14 đồng chí hoàn thành xuất sắc nhiệm vụ = 70%, …"), and
the qualifications of the staff at a date.  ``yearly_report`` gathers those figures and
``render_text`` writes them in the report's style, correctly spelled ("xuất sắc", never
the "suất sắc" of the printed original), ready to paste into the commune's own report.
``render_pdf`` prints the same section with its two charts.
"""
import dataclasses
import datetime

from peewee import fn

from canbo.errors import NoData
from canbo.levels import FINAL_STATUSES
from canbo.models import Rating
from canbo.records import units
from canbo.rules.rulesets import LABELS
from canbo.stats import reports
from canbo.stats.dashboard import HISTORY_YEARS, rating_history
from canbo.vietnamese import vi_date

HEADING = "3. Về chất lượng thực thi công vụ của đội ngũ cán bộ, công chức"
RATINGS_HEADING = "a) Kết quả đánh giá, xếp loại chất lượng cán bộ, công chức hằng năm"
QUALIFICATIONS_HEADING = "b) Trình độ của đội ngũ cán bộ, công chức"


@dataclasses.dataclass
class YearlyReport:
    unit: object
    year: int
    at: datetime.date
    history: list  # RatingsReport, oldest first
    rule_sets: dict  # year -> [rule set codes of its final ratings]
    qualifications: object  # QualificationReport or None

    def rule_set_sentence(self):
        """ "Việc đánh giá … được thực hiện theo Nghị định 90/2020/NĐ-CP (năm 2021, 2022)." """
        by_rule = {}
        for year in sorted(self.rule_sets):
            for code in self.rule_sets[year]:
                by_rule.setdefault(code, []).append(year)
        if not by_rule:
            return ""
        parts = [
            f"{LABELS.get(code, code)} (năm {', '.join(str(y) for y in years)})"
            for code, years in sorted(by_rule.items(), key=lambda kv: kv[1][0])
        ]
        return ("Việc đánh giá, xếp loại chất lượng cán bộ, công chức được thực hiện theo "
                + "; ".join(parts) + ".")


def default_date(year, today=None):
    """The date of the qualification figures: 31/12 of a past year, else today."""
    today = today or datetime.date.today()
    return min(datetime.date(int(year), 12, 31), today)


def yearly_report(unit, year, at=None, include_subunits=True, years=HISTORY_YEARS):
    """The figures of section III.3 for ``unit``: ratings of the last ``years`` years with
    results up to ``year``, qualifications at ``at`` (default ``default_date(year)``).

    Raises ``NoData`` when the unit has neither ratings nor staff to report.
    """
    year = int(year)
    at = at or default_date(year)
    history = rating_history(unit, year, include_subunits, years)
    ids = units.unit_ids(unit, include_subunits)
    rule_sets = {}
    if history:
        query = (
            Rating.select(Rating.year, Rating.rule_set)
            .where(Rating.year.in_([r.year for r in history]) & Rating.unit.in_(ids)
                   & Rating.status.in_(FINAL_STATUSES) & Rating.level.is_null(False))
            .group_by(Rating.year, Rating.rule_set)
            .order_by(Rating.year, fn.MIN(Rating.id))
            .tuples()
        )
        for y, code in query:
            rule_sets.setdefault(y, []).append(code)
    try:
        qualifications = reports.qualification_report(unit, at, include_subunits)
    except NoData:
        qualifications = None
    if not history and qualifications is None:
        raise NoData(f"Đơn vị {unit.code} chưa có kết quả xếp loại nào đến năm {year} và không "
                     f"có cán bộ, công chức nào tại ngày {vi_date(at)}.",
                     unit=unit.code, year=year)
    return YearlyReport(unit, year, at, history, rule_sets, qualifications)


def paragraphs(report):
    """The section as ``[(kind, text)]``: kind is heading, subheading, text or item."""
    out = [("heading", HEADING), ("subheading", RATINGS_HEADING)]
    if report.history:
        sentence = report.rule_set_sentence()
        if sentence:
            out.append(("text", sentence))
        out.extend(("item", reports.ratings_sentence(r)) for r in report.history)
    else:
        out.append(("text", f"Chưa có kết quả xếp loại chất lượng nào đến năm {report.year}."))
    out.append(("subheading", QUALIFICATIONS_HEADING))
    if report.qualifications is not None:
        first, *rest = reports.qualification_sentences(report.qualifications)
        out.append(("text", first))
        out.extend(("item", s) for s in rest)
    else:
        out.append(("text", f"Không có cán bộ, công chức nào tại ngày "
                            f"{vi_date(report.at)}."))
    return out


def render_text(report):
    """The section as plain text, lines of items starting with "- "."""
    lines = [f"{report.unit.name} ({report.unit.code}) — báo cáo năm {report.year}", ""]
    for kind, text in paragraphs(report):
        if kind == "subheading":
            lines.append("")
        lines.append(f"- {text}" if kind == "item" else text)
    return "\n".join(lines) + "\n"


def render_pdf(report, day=None):
    """The section as an A4 PDF with its two charts (``documents/render.py``'s safe renderer).

    ``day`` is the date printed in the place-and-date line; without it the line is left
    to fill by hand.
    """
    from canbo.documents import render as documents
    from canbo.stats import charts

    font = documents.FONT_FAMILY
    history_chart = (charts.rating_distribution_chart(
        report.history, chart_id="yearly-ratings",
        title="Kết quả xếp loại chất lượng các năm", font_family=font)
        if report.history else "")
    qualification_chart = (charts.qualification_chart(
        report.qualifications, chart_id="yearly-qualifications", font_family=font)
        if report.qualifications is not None else "")
    return documents.render_pdf(
        "yearly_report.html",
        header=documents.Header.of(report.unit),
        place_date=documents.place_date(report.unit.place_name, day, report.year),
        report=report,
        paragraphs=paragraphs(report),
        history_chart=history_chart,
        qualification_chart=qualification_chart,
        signer=documents.signer_name(report.unit),
    )
