"""The rules of a yearly rating: small pure functions over plain data, each citing its article.

Every function takes the ``RuleSet`` (``rules/rulesets.py``) that governs the rating, so a
2022 rating is judged by 2022's rules.  Rules that can fail return ``Finding`` objects
— a stable rule code, a Vietnamese message with the people and the numbers, the staff
codes and the details — which approval (``rating/workflow.py``) turns into ``RuleViolation``
and ``canbo check`` prints.  Nothing here touches the database.
"""
import dataclasses
import datetime
import math
from decimal import Decimal

import holidays

from canbo import periods
from canbo.levels import Rating as RatingLevel
from canbo.rules.rulesets import MIN_MONTHS_WORKED
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
#: The causes of a discipline that make the year KHTNV (ND 335/2025 Điều 11.3.a).
KHTNV_CAUSES = ("DEGRADATION", "PUBLIC_SERVICE")
LEAVE_LABELS = {"MATERNITY": "nghỉ thai sản", "SICK": "nghỉ ốm"}

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


def months_worked(year, joined_on, left_on, absences, counted_as_worked=("MATERNITY",)):
    """``(months, days)`` worked in ``year`` for eligibility: time in post less every
    absence except the kinds ``counted_as_worked`` — maternity leave under ND 90/2020
    Điều 2; sick and maternity leave under ND 335/2025 Điều 11.2, which are rated on
    the time actually worked (``RuleSet.leave_rated_on_time_worked``; REFERENCE.md §5)."""
    worked = in_post(year, joined_on, left_on)
    kinds = [k for k in LAWFUL_ABSENCE if k not in counted_as_worked]
    holes = absence_periods(year, absences, kinds)
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
    kept = rule_set.leave_rated_on_time_worked
    worked = months_worked(year, joined_on, left_on, absences, kept)
    if worked < (MIN_MONTHS_WORKED, 0):
        leave = " và ".join(LEAVE_LABELS[k] for k in kept)
        return Eligibility(
            False,
            f"Thời gian công tác trong năm {year} là {worked[0]} tháng {worked[1]} ngày, "
            f"dưới {MIN_MONTHS_WORKED} tháng (không tính thời gian {leave})",
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

    ND 48/2023: any Party or administrative discipline; ND 335/2025 Điều 11.3.a: a Party
    or administrative discipline (every form is reprimand or above) in the year for
    degradation in political ideology, ethics or lifestyle, or for a violation related
    to public service (``Discipline.cause``); counted once (``counted_year``, Điều
    11.3.a–b), and not when the violation was at the organisation the person came from
    (``Discipline.at_old_unit``, Điều 11.3.c–d).
    """
    if rule_set.discipline is None:
        return []
    # Điều 11.3.c–d: a violation at the previous organisation counts in its rating there
    found = [d for d in disciplines if counted_year(d) == year
             and not getattr(d, "at_old_unit", False)]
    if rule_set.discipline == "REPRIMAND_PUBLIC_SERVICE":
        found = [d for d in found if d.cause in KHTNV_CAUSES]
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
    """The points' level, overridden by KHTNV when any KHTNV condition holds (ND 335/2025
    Điều 11.3.a, Điều 20): the one function the officer's grid, ``canbo score``, the
    cycle's proposal and the pulled points all decide a level with."""
    if khtnv_reasons:
        return RatingLevel.KHTNV.code
    return level_from_points(rule_set, points)


def khtnv_reasons(rule_set, year, disciplines, finding=None):
    """Why the ``year``'s rating must be KHTNV whatever the points: each discipline that
    forces it under ``rule_set`` (``disciplines_forcing_khtnv``) and the recorded KHTNV
    finding (degradation, a leader's breach; ND 335/2025 Điều 20), if any."""
    reasons = list(disciplines_forcing_khtnv(rule_set, year, disciplines))
    if finding:
        reasons.append(finding)
    return reasons


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
    if ratio <= rule_set.excellent_ratio:
        # the exception is a "higher ratio" (ND 48/2023; ND 335/2025 Điều 20.5.b)
        return Finding(QUOTA_EXCEPTION, f"Tỷ lệ ngoại lệ {vi_percent(ratio)} phải cao hơn tỷ "
                       f"lệ {vi_percent(rule_set.excellent_ratio)} của {rule_set.short}.",
                       details={"rule_set": rule_set.code, "ratio": str(ratio)})
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


def deadline(year, special=False):
    """The day by which the year's rating is overdue: it is made *before* 15 December
    (ND 335/2025 Điều 19.2, "trước ngày 15 tháng 12"; ND 90 likewise), so on 15/12 it
    is late; a unit of a special kind, set by its superior, finishes before 15 January
    of the next year (Điều 19.2, second paragraph)."""
    return datetime.date(year + 1, 1, 15) if special else datetime.date(year, 12, 15)


def overdue(due_before, today):
    """Whether ``today`` is past the time allowed: the deadline day itself is late."""
    return today >= due_before


def is_working_day(day):
    """Monday to Friday and not a Vietnamese public holiday — Tết and the other lunar
    holidays included, as the maintained ``holidays`` package keeps them (Bộ luật Lao
    động 2019 Điều 112 and the yearly substitution days)."""
    return day.weekday() < 5 and day not in _vn_holidays(day.year)


def _vn_holidays(year):
    if year not in _HOLIDAYS:
        _HOLIDAYS[year] = holidays.country_holidays("VN", years=year)
    return _HOLIDAYS[year]


_HOLIDAYS = {}


def add_working_days(day, days):
    """``day`` plus ``days`` working days (``is_working_day``): the deadline of an act
    "trong thời hạn N ngày làm việc kể từ ngày nhận"."""
    while days > 0:
        day += datetime.timedelta(days=1)
        if is_working_day(day):
            days -= 1
    return day


def nth_working_day(year, month, n):
    """The ``n``-th working day (``is_working_day``) of ``month`` of ``year``: the 5th of
    September 2026 is 09/09, after the 2/9 holidays (31/08 – 02/09)."""
    if n < 1:
        raise ValueError("n must be at least 1")
    return add_working_days(datetime.date(year, month, 1) - datetime.timedelta(days=1), n)


def objection_due(rule_set, lodged_on):
    """When a kiến nghị must be answered: within 7 working days of receiving it (ND
    335/2025 Điều 22), weekends and public holidays not counted; no deadline is stated
    by the earlier rule sets (``None``)."""
    if rule_set.objection_days is None:
        return None
    return add_working_days(lodged_on, rule_set.objection_days)
