"""The quarter and half-year results per person (ND 335/2025 Điều 17.3, Điều 23) as a
table for the panel and as an XLSX sheet.

Điều 23.1–2: the results of each quarter and of six months are what a unit uses for the
extra income and bonuses from its yearly fund (điểm d), for reviewing assignments and
positions.  The numbers are ``year_points.part_of_year``'s — the average of the 3 or 6
months (or of the quarters for a unit tracking by quarter), the same ``canbo score
--quarter/--half`` prints; a person with a month not yet confirmed has no average, and
the months missing are named.  The sheet holds values, never formulas.
"""
import dataclasses

from canbo.errors import InvalidInput
from canbo.records import units
from canbo.rules import rulesets, scoring
from canbo.spreadsheets.workbook import Table
from canbo.tracking import year_points


def label(quarter=None, half=None):
    """ "quý 2", "6 tháng đầu năm", "6 tháng cuối năm"."""
    if quarter:
        return f"quý {quarter}"
    return "6 tháng đầu năm" if half == 1 else "6 tháng cuối năm"


@dataclasses.dataclass
class PartsOfYear:
    unit: object
    year: int
    quarter: int
    half: int
    periods: list  # [(end month, column heading)]
    people: list  # [year_points.PartOfYear]

    @property
    def label(self):
        return label(self.quarter, self.half)


def parse(period):
    """``"q1"``…``"q4"``, ``"h1"``, ``"h2"`` → ``(quarter, half)``; ``InvalidInput`` else."""
    text = (period or "").strip().lower()
    if len(text) == 2 and text[0] == "q" and text[1] in "1234":
        return int(text[1]), None
    if len(text) == 2 and text[0] == "h" and text[1] in "12":
        return None, int(text[1])
    raise InvalidInput(f"Kỳ «{period}» không hợp lệ; chọn q1, q2, q3, q4 (quý) hoặc h1, h2 "
                       "(6 tháng).", period=period)


def parts_of_year(unit, year, quarter=None, half=None):
    """Every person's quarter or half of ``year`` in ``unit`` and its sub-units."""
    if not rulesets.tracked_monthly(year):
        raise InvalidInput(f"Năm {year}: Nghị định 335/2025 theo dõi, đánh giá từ năm "
                           f"{rulesets.MONTHLY_TRACKING_FROM}.", year=year)
    grid = year_points.year_grid(year, units.unit_ids(unit))
    people = year_points.part_of_year(grid, quarter=quarter, half=half)
    ends = sorted({m for p in people for m in p.scores})
    quarterly = bool(grid) and all(set(p.cells) <= {3, 6, 9, 12} for p in grid)
    periods = [(m, f"Quý {m // 3}" if quarterly else f"Tháng {m}") for m in ends]
    return PartsOfYear(unit, year, quarter, half, periods, people)


def missing_text(part, periods):
    names = dict(periods)
    return ", ".join(names.get(m, f"Tháng {m}") for m in part.missing)


def table(result):
    """The result as one sheet: code, name, each period's score, the average, what is
    missing; scores as numbers (six places, shown with two)."""
    headers = (["Mã", "Họ và tên"] + [h for _, h in result.periods]
               + [f"Điểm trung bình {result.label}", "Chưa có điểm đã xác nhận"])
    rows = []
    for p in result.people:
        rows.append([p.code, p.name]
                    + [_number(p.scores.get(m)) for m, _ in result.periods]
                    + [_number(p.average), missing_text(p, result.periods)])
    formats = {i: "decimal" for i in range(2, 3 + len(result.periods))}
    return Table(f"{result.label.capitalize()} {result.year}"[:31], headers, rows, formats)


def _number(value):
    return None if value is None else scoring.stored_points(value)
