"""The rules of a yearly rating: small pure functions over plain data, each citing its article.

Every function takes the ``RuleSet`` (``rulesets.py``) that governs the rating, so a
2022 rating is judged by 2022's rules.  Rules that can fail return ``Finding`` objects
— a stable rule code, a Vietnamese message with the people and the numbers, the staff
codes and the details — which approval (``workflow.py``) turns into ``RuleViolation``
and ``canbo check`` prints.  Nothing here touches the database.
"""
import dataclasses
import datetime
import math
from decimal import Decimal

from canbo import periods
from canbo.levels import Rating as RatingLevel
from canbo.vietnamese import vi_decimal, vi_percent

# Stable rule codes (documented in README.md, "Rule codes").
EXCELLENT_QUOTA = "excellent_quota"
NOT_ELIGIBLE = "not_eligible"
ABSENCE_CAP = "absence_cap"
DISCIPLINE = "discipline"
KHTNV_CONDITION = "khtnv_condition"
POINTS_LEVEL = "points_level"
POINTS_MISSING = "points_missing"
HEAD_ABOVE_UNIT = "head_above_unit"
UNIT_RATING_MISSING = "unit_rating_missing"
PARTY_OPINION_MISSING = "party_opinion_missing"
QUOTA_EXCEPTION = "quota_exception"

#: Kinds of absence (REFERENCE.md §5).  Maternity leave counts as time worked for
#: eligibility; the others are the "lawful absence" of ND 90's 3-to-6-months cap.
MATERNITY = "MATERNITY"
LAWFUL_ABSENCE = ("SICK", "UNPAID", "OTHER")

MIN_MONTHS_WORKED = 6
ABSENCE_CAP_MONTHS = (3, 6)


@dataclasses.dataclass
class Finding:
    """One broken rule: what (``rule``), in words, about whom, with the numbers."""

    rule: str
    message: str
    staff: list = dataclasses.field(default_factory=list)
    details: dict = dataclasses.field(default_factory=dict)

    def as_dict(self):
        return dataclasses.asdict(self)


# --- time worked (ND 90/2020 Điều 2; ND 335/2025 Điều 11, 19; REFERENCE.md §5) ---------


def add_months(day, months):
    """``day`` moved by whole calendar months, clamped to the month's last day."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=d)
        except ValueError:
            continue


def span(first, last):
    """``(months, days)`` covered by the inclusive period ``first`` … ``last``.

    Calendar months first (01/07 – 31/12 is exactly 6 months), then the days left.
    """
    if last < first:
        return (0, 0)
    months = 0
    while add_months(first, months + 1) - datetime.timedelta(days=1) <= last:
        months += 1
    return (months, (last - add_months(first, months)).days + 1)


def total(spans):
    """The sum of ``(months, days)`` spans.  One period is measured by the calendar
    (01/07 – 30/12 is 5 months 30 days, not 6 months); the leftover days of separate
    periods are added up with 30 days making a month."""
    spans = list(spans)
    months = sum(m for m, _ in spans)
    days = sum(d for _, d in spans)
    if len(spans) <= 1:
        return (months, days)
    return (months + days // 30, days % 30)


def in_post(year, joined_on, left_on):
    """The part of ``year`` a person was in post (``left_on`` is the first day out)."""
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    if left_on is not None:
        last = min(last, left_on - datetime.timedelta(days=1))
    return periods.clipped([(joined_on or first, last)], first, last)


def absence_periods(year, absences, kinds):
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    return periods.clipped([(a.starts_on, a.ends_on) for a in absences if a.kind in kinds],
                           first, last)


def months_worked(year, joined_on, left_on, absences):
    """``(months, days)`` worked in ``year`` for eligibility: time in post less every
    absence except maternity leave, which counts as worked (ND 90/2020 Điều 2;
    ND 335/2025 Điều 11.2; REFERENCE.md §5)."""
    worked = in_post(year, joined_on, left_on)
    holes = absence_periods(year, absences, LAWFUL_ABSENCE)
    return total(span(a, b) for a, b in periods.without(worked, holes))


def months_absent(year, absences):
    """``(months, days)`` of lawful absence (sick, unpaid, other) within ``year``."""
    absent = periods.merged(absence_periods(year, absences, LAWFUL_ABSENCE))
    return total(span(a, b) for a, b in absent)


@dataclasses.dataclass
class Eligibility:
    eligible: bool
    reason: str = None
    cap: str = None  # the highest level allowed, when capped
    cap_reason: str = None


def eligibility(rule_set, year, joined_on, left_on, absences):
    """Whether a person is rated in ``year`` and the highest level they may get.

    - under 6 months worked → not rated, maternity leave excepted (ND 90/2020 Điều 2,
      ND 335/2025 Điều 11; REFERENCE.md §5): 5 months 29 days is not enough;
    - lawful absence of 3 to under 6 months → at most HTNV (ND 90/2020), where the rule
      set carries that cap.
    """
    worked = months_worked(year, joined_on, left_on, absences)
    if worked < (MIN_MONTHS_WORKED, 0):
        return Eligibility(
            False,
            f"Thời gian công tác trong năm {year} là {worked[0]} tháng {worked[1]} ngày, "
            f"dưới {MIN_MONTHS_WORKED} tháng (không tính thời gian nghỉ thai sản)",
        )
    if rule_set.absence_cap:
        absent = months_absent(year, absences)
        low, high = ABSENCE_CAP_MONTHS
        if (low, 0) <= absent < (high, 0):
            return Eligibility(
                True, cap=RatingLevel.HTNV.code,
                cap_reason=f"nghỉ theo quy định {absent[0]} tháng {absent[1]} ngày trong năm "
                f"(từ {low} đến dưới {high} tháng): tối đa «{RatingLevel.HTNV.label}» "
                f"({rule_set.short})",
            )
    return Eligibility(True)


# --- discipline (ND 48/2023; ND 335/2025 Điều 11.3, 20; REFERENCE.md §5) --------------


def counted_year(discipline):
    """The one year a discipline counts in: the year recorded as already counted for the
    violation, else the year of the decision — a violation counts in one year only, so a
    decision landing in January for last year's violation counts in the new year unless
    last year's rating already counted it (ND 48/2023)."""
    return discipline.counted_year or discipline.decided_on.year


def disciplines_forcing_khtnv(rule_set, year, disciplines):
    """The disciplines that make the ``year``'s rating KHTNV under ``rule_set``.

    ND 48/2023: any Party or administrative discipline; ND 335/2025 Điều 20: reprimand or
    above (every form is) for a violation in public service.
    """
    if rule_set.discipline is None:
        return []
    found = [d for d in disciplines if counted_year(d) == year]
    if rule_set.discipline == "REPRIMAND_PUBLIC_SERVICE":
        found = [d for d in found if d.public_service]
    return found


# --- points (ND 335/2025 Điều 20) -----------------------------------------------------


def level_from_points(rule_set, points):
    """The level the year's points propose: ≥ 90 HTXSNV, 70 to < 90 HTTNV, 50 to < 70
    HTNV, < 50 KHTNV (ND 335/2025 Điều 20; thresholds compared without rounding)."""
    points = Decimal(str(points))
    for lowest, code in rule_set.thresholds:
        if points >= lowest:
            return code
    return RatingLevel.KHTNV.code


def proposed_level(rule_set, points, khtnv_reasons=()):
    """The points' level, overridden by KHTNV when any KHTNV condition holds (Điều 20)."""
    if khtnv_reasons:
        return RatingLevel.KHTNV.code
    return level_from_points(rule_set, points)


def above(level, cap):
    """Whether ``level`` is better than ``cap`` (HTXSNV is the best)."""
    return RatingLevel(level).rank < RatingLevel(cap).rank


# --- the excellent quota (REFERENCE.md §4) --------------------------------------------


def quota_allowed(good, ratio):
    """``floor(ratio × good)``: the decrees do not say how to round a head-count, and
    floor is the only reading that never exceeds the ratio (REFERENCE.md §4)."""
    return math.floor(Decimal(good) * Decimal(ratio))


def quota_ratio(rule_set, exception_ratio=None):
    """The ratio in force: the rule set's, or a cycle's exception (ND 48/2023; ND 335/2025
    Điều 20.5.b) — never above the rule set's ceiling."""
    if not rule_set.has_quota:
        return None
    if exception_ratio is None:
        return rule_set.excellent_ratio
    ceiling = rule_set.exception_ceiling
    ratio = Decimal(exception_ratio)
    return min(ratio, ceiling) if ceiling is not None else ratio


def check_exception(rule_set, ratio):
    """A ``Finding`` when an exception ratio is not allowed by ``rule_set``, else None."""
    ratio = Decimal(ratio)
    if not rule_set.has_quota or not rule_set.exception_allowed:
        return Finding(QUOTA_EXCEPTION, f"{rule_set.short} không quy định tỷ lệ "
                       "«Hoàn thành xuất sắc nhiệm vụ» nên không có ngoại lệ.",
                       details={"rule_set": rule_set.code, "ratio": str(ratio)})
    if ratio <= 0 or ratio > 1:
        return Finding(QUOTA_EXCEPTION, f"Tỷ lệ ngoại lệ {vi_percent(ratio)} không hợp lệ "
                       "(phải lớn hơn 0% và không quá 100%).", details={"ratio": str(ratio)})
    ceiling = rule_set.exception_ceiling
    if ceiling is not None and ratio > ceiling:
        return Finding(QUOTA_EXCEPTION, f"Tỷ lệ ngoại lệ {vi_percent(ratio)} vượt mức trần "
                       f"{vi_percent(ceiling)} của {rule_set.short} (Điều 20.5.b).",
                       details={"rule_set": rule_set.code, "ratio": str(ratio),
                                "ceiling": str(ceiling)})
    return None


def excellent_quota(rule_set, group, good, excellent, exception_ratio=None, verb="đề xuất"):
    """``excellent ≤ floor(ratio × good)`` within one unit and one task group (ND 48/2023;
    ND 335/2025 Điều 20.5).  ``good`` and ``excellent`` are lists of staff codes rated
    HTTNV and HTXSNV; returns a ``Finding`` when the cap is passed, else None.

    "17 người HTTNV × 20% = 3,4 → tối đa 3 người HTXSNV; đang đề xuất 5"
    """
    ratio = quota_ratio(rule_set, exception_ratio)
    if ratio is None:
        return None
    allowed = quota_allowed(len(good), ratio)
    if len(excellent) <= allowed:
        return None
    product = Decimal(len(good)) * ratio
    message = (
        f"Nhóm «{group}» ({rule_set.short}): {len(good)} người HTTNV × {vi_percent(ratio)} = "
        f"{vi_decimal(product)} → tối đa {allowed} người HTXSNV; đang {verb} {len(excellent)}"
        " (số người làm tròn xuống)."
    )
    return Finding(EXCELLENT_QUOTA, message, sorted(excellent), {
        "group": group, "rule_set": rule_set.code, "good": len(good),
        "excellent": len(excellent), "ratio": str(ratio), "allowed": allowed,
    })


# --- dates (REFERENCE.md §6) ----------------------------------------------------------


def deadline(year):
    """Ratings are finished before 15 December of the year (ND 90; ND 335)."""
    return datetime.date(year, 12, 15)


def add_working_days(day, days):
    """``day`` plus ``days`` working days, Monday to Friday (public holidays are not
    known to the program; the officer may answer earlier)."""
    while days > 0:
        day += datetime.timedelta(days=1)
        if day.weekday() < 5:
            days -= 1
    return day


def objection_due(rule_set, lodged_on):
    """When a kiến nghị must be answered: 7 working days under ND 335/2025 Điều 22; no
    deadline is stated by the earlier rule sets (``None``)."""
    if rule_set.objection_days is None:
        return None
    return add_working_days(lodged_on, rule_set.objection_days)
