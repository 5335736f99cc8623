"""The rules as pure functions: every boundary the law draws (REFERENCE.md §1, §4, §5)."""
import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest

from canbo.errors import InvalidInput
from canbo.rules import rulesets, yearly
from canbo.rules.rulesets import ND56, ND90, ND90_ND48, ND335, QD366

D = datetime.date
RS = rulesets.RULE_SETS


def absence(kind, start, end):
    return SimpleNamespace(kind=kind, starts_on=start, ends_on=end)


def discipline(decided_on, public_service=True, counted_year=None):
    return SimpleNamespace(decided_on=decided_on,
                           cause="PUBLIC_SERVICE" if public_service else "OTHER",
                           counted_year=counted_year, kind="REPRIMAND", decision_number=None)


# --- which rule set -------------------------------------------------------------------


@pytest.mark.parametrize("year, kind, frame, expected", [
    (2015, "CIVIL_SERVANT", QD366, ND56),
    (2019, "CADRE", QD366, ND56),
    (2020, "CIVIL_SERVANT", QD366, ND90),
    (2022, "CIVIL_SERVANT", QD366, ND90),  # before 15/09/2023: ND 90 as first issued
    (2023, "CIVIL_SERVANT", QD366, ND90_ND48),  # from 15/09/2023: ND 48 amends it
    (2025, "CADRE", QD366, ND90_ND48),  # before 01/01/2026
    (2026, "CIVIL_SERVANT", QD366, ND335),  # from 01/01/2026
    (2026, "CADRE", QD366, QD366),
    (2026, "CADRE", ND90_ND48, ND90_ND48),  # the unit's alternative cadre frame
    (2026, "PUBLIC_EMPLOYEE", QD366, ND90_ND48),
])
def test_the_rule_set_follows_the_year_and_the_staff_kind(year, kind, frame, expected):
    assert rulesets.rule_set_for(year, kind, frame) == expected


def test_an_unknown_rule_set_code_is_refused_naming_the_known_ones():
    with pytest.raises(InvalidInput, match="ND335_2025"):
        rulesets.get("ND999")


@pytest.mark.parametrize("code, ratio, ceiling, points", [
    (ND56, None, None, False),
    (ND90, None, None, False),
    (ND90_ND48, Decimal("0.20"), None, False),
    (ND335, Decimal("0.20"), Decimal("0.25"), True),
    (QD366, Decimal("0.20"), Decimal("0.25"), True),
])
def test_each_rule_set_carries_its_quota_and_scoring(code, ratio, ceiling, points):
    rs = RS[code]
    assert rs.excellent_ratio == ratio and rs.exception_ceiling == ceiling
    assert rs.rates_on_points is points
    assert rs.label and rs.short


# --- the excellent quota ----------------------------------------------------------------


@pytest.mark.parametrize("good, excellent, allowed", [
    (10, 2, True),  # exactly 20%
    (10, 3, False),
    (5, 1, True),  # exactly 20%
    (4, 1, False),  # 0,8 rounds down to 0
    (4, 0, True),
    (17, 3, True),
    (17, 4, False),
    (0, 1, False),
])
def test_excellent_is_at_most_the_floor_of_20_percent_of_good(good, excellent, allowed):
    found = yearly.excellent_quota(RS[ND335], "Công chức", ["g"] * good, ["e"] * excellent)
    assert (found is None) is allowed


def test_the_quota_message_names_the_numbers_and_the_rounding():
    found = yearly.excellent_quota(RS[ND90_ND48], "Công chức", [f"G{i}" for i in range(17)],
                                  [f"E{i}" for i in range(5)])
    assert "17 người HTTNV × 20% = 3,4 → tối đa 3 người HTXSNV; đang đề xuất 5" in found.message
    assert "làm tròn xuống" in found.message
    assert found.rule == "excellent_quota"
    assert found.staff == [f"E{i}" for i in range(5)]
    assert found.details["allowed"] == 3 and found.details["good"] == 17


@pytest.mark.parametrize("code", [ND56, ND90])
def test_no_quota_before_15_september_2023(code):
    assert yearly.excellent_quota(RS[code], "Công chức", ["g"] * 4, ["e"] * 16) is None


@pytest.mark.parametrize("code, ratio, refused", [
    (ND335, "0.25", False),  # the ceiling itself
    (ND335, "0.26", True),
    (QD366, "0.30", True),
    (ND90_ND48, "0.30", False),  # ND 48 states no ceiling
    (ND90_ND48, "0", True),
    (ND90, "0.25", True),  # no quota, so no exception
    (ND56, "0.25", True),
])
def test_an_exception_may_not_pass_the_ceiling(code, ratio, refused):
    assert (yearly.check_exception(RS[code], Decimal(ratio)) is not None) is refused


def test_an_exception_raises_the_cap_up_to_the_ceiling():
    good = ["g"] * 8
    assert yearly.excellent_quota(RS[ND335], "X", good, ["e"] * 2) is not None  # 1,6 → 1
    assert yearly.excellent_quota(RS[ND335], "X", good, ["e"] * 2, Decimal("0.25")) is None
    assert yearly.quota_ratio(RS[ND335], Decimal("0.40")) == Decimal("0.25")


# --- eligibility -----------------------------------------------------------------------


@pytest.mark.parametrize("joined, eligible", [
    (D(2023, 7, 1), True),  # exactly 6 months
    (D(2023, 7, 2), False),  # 5 months 30 days
    (D(2023, 7, 3), False),  # 5 months 29 days
    (D(2023, 1, 1), True),
])
def test_under_six_months_worked_is_not_rated(joined, eligible):
    result = yearly.eligibility(RS[ND90_ND48], 2023, joined, None, [])
    assert result.eligible is eligible
    if not eligible:
        assert "dưới 6 tháng" in result.reason


def test_five_months_29_days_is_named_in_the_reason():
    result = yearly.eligibility(RS[ND335], 2026, D(2026, 7, 3), None, [])
    assert "5 tháng 29 ngày" in result.reason


def test_leaving_mid_year_counts_the_days_before_leaving():
    assert yearly.months_worked(2023, None, D(2023, 7, 1), []) == (6, 0)
    assert not yearly.eligibility(RS[ND90_ND48], 2023, None, D(2023, 6, 30), []).eligible


@pytest.mark.parametrize("year", [2023, 2024])
def test_maternity_leave_across_the_year_end_counts_as_worked(year):
    leave = [absence("MATERNITY", D(2023, 9, 1), D(2024, 2, 29))]
    assert yearly.eligibility(RS[ND90_ND48], year, D(2015, 1, 1), None, leave).eligible


def test_maternity_leave_does_not_make_up_for_time_not_in_post():
    leave = [absence("MATERNITY", D(2023, 10, 1), D(2024, 3, 31))]
    assert not yearly.eligibility(RS[ND90_ND48], 2023, D(2023, 8, 1), None, leave).eligible


def test_sick_leave_counts_against_time_worked():
    leave = [absence("SICK", D(2023, 1, 1), D(2023, 7, 3))]
    assert not yearly.eligibility(RS[ND90_ND48], 2023, D(2010, 1, 1), None, leave).eligible


def test_under_nd335_sick_leave_is_rated_on_the_time_worked_and_unpaid_leave_is_not():
    """ND 335/2025 Điều 11.1–2: under six months → not rated, except sick and maternity
    leave under social-insurance law; unpaid personal leave needs six months worked."""
    sick = [absence("SICK", D(2026, 1, 1), D(2026, 7, 3))]
    assert yearly.eligibility(RS[ND335], 2026, D(2010, 1, 1), None, sick).eligible
    unpaid = [absence("UNPAID", D(2026, 1, 1), D(2026, 7, 3))]
    result = yearly.eligibility(RS[ND335], 2026, D(2010, 1, 1), None, unpaid)
    assert not result.eligible and "nghỉ ốm và nghỉ thai sản" in result.reason


@pytest.mark.parametrize("start, end, capped", [
    (D(2024, 3, 1), D(2024, 5, 31), True),  # exactly 3 months
    (D(2024, 3, 1), D(2024, 5, 29), False),  # 2 months 29 days
    (D(2024, 3, 1), D(2024, 8, 29), True),  # 5 months 29 days
    (D(2023, 11, 1), D(2024, 2, 29), False),  # across the year end: 2 months in 2024
])
def test_lawful_absence_of_3_to_6_months_caps_at_htnv(start, end, capped):
    result = yearly.eligibility(RS[ND90_ND48], 2024, D(2010, 1, 1), None,
                               [absence("SICK", start, end)])
    assert result.eligible
    assert (result.cap == "HTNV") is capped


def test_the_absence_cap_is_nd90s_not_nd335s():
    leave = [absence("UNPAID", D(2026, 3, 1), D(2026, 6, 30))]
    assert yearly.eligibility(RS[ND335], 2026, D(2010, 1, 1), None, leave).cap is None
    assert yearly.eligibility(RS[ND90_ND48], 2026, D(2010, 1, 1), None, leave).cap == "HTNV"


# --- discipline ------------------------------------------------------------------------


def test_discipline_decided_in_january_counts_in_the_following_year():
    d = discipline(D(2024, 1, 15))  # for a violation of 2023
    assert yearly.disciplines_forcing_khtnv(RS[ND90_ND48], 2023, [d]) == []
    assert yearly.disciplines_forcing_khtnv(RS[ND90_ND48], 2024, [d]) == [d]


def test_a_violation_already_counted_is_not_counted_again():
    d = discipline(D(2024, 1, 15), counted_year=2023)
    assert yearly.disciplines_forcing_khtnv(RS[ND90_ND48], 2023, [d]) == [d]
    assert yearly.disciplines_forcing_khtnv(RS[ND90_ND48], 2024, [d]) == []


def test_a_violation_at_the_old_unit_counts_there_not_here():
    """ND 335 Điều 11.3.c: committed at the organisation the person came from, disciplined
    at the new one — the old organisation's rating counts it."""
    here = discipline(D(2026, 9, 1))
    there = discipline(D(2026, 9, 1))
    there.at_old_unit = True
    assert yearly.disciplines_forcing_khtnv(RS[ND335], 2026, [there]) == []
    assert yearly.disciplines_forcing_khtnv(RS[ND335], 2026, [here, there]) == [here]


@pytest.mark.parametrize("code, public_service, forces", [
    (ND90_ND48, False, True),  # ND 48: any Party or administrative discipline
    (ND90_ND48, True, True),
    (ND335, True, True),  # ND 335: reprimand or above for a public-service violation
    (ND335, False, False),
    (ND56, True, False),  # no rule encoded
])
def test_which_discipline_forces_khtnv(code, public_service, forces):
    d = discipline(D(2026, 5, 5), public_service=public_service)
    assert bool(yearly.disciplines_forcing_khtnv(RS[code], 2026, [d])) is forces


# --- points ---------------------------------------------------------------------------


@pytest.mark.parametrize("points, level", [
    ("100", "HTXSNV"), ("90", "HTXSNV"), ("89.99", "HTTNV"), ("70", "HTTNV"),
    ("69.99", "HTNV"), ("50", "HTNV"), ("49.99", "KHTNV"), ("0", "KHTNV"),
])
def test_points_propose_the_level(points, level):
    assert yearly.level_from_points(RS[ND335], Decimal(points)) == level


def test_a_khtnv_condition_overrides_the_points():
    assert yearly.proposed_level(RS[ND335], Decimal("95"), ["kỷ luật"]) == "KHTNV"
    assert yearly.proposed_level(RS[ND335], Decimal("95")) == "HTXSNV"


def test_a_head_is_not_above_the_unit():
    assert yearly.above("HTXSNV", "HTTNV") and not yearly.above("HTTNV", "HTTNV")


# --- dates ----------------------------------------------------------------------------


def test_the_deadline_is_15_december():
    assert yearly.deadline(2026) == D(2026, 12, 15)


@pytest.mark.parametrize("code, lodged, due", [
    (ND335, D(2026, 11, 27), D(2026, 12, 8)),  # a Friday: 7 working days, weekends skipped
    (ND335, D(2026, 11, 23), D(2026, 12, 3)),  # 24/11 (Ngày Văn hóa Việt Nam) is a holiday
    (ND90_ND48, D(2024, 11, 27), None),
])
def test_an_objection_is_answered_within_7_working_days_under_nd335(code, lodged, due):
    assert yearly.objection_due(RS[code], lodged) == due


@pytest.mark.parametrize("lodged, due", [
    # Tết 2027: 04/02 – 10/02 are holidays, so 7 working days from Wed 03/02 end Fri 19/02
    (D(2027, 2, 3), D(2027, 2, 19)),
    # 30/04 and 01/05/2026 (Thu, Fri), then the weekend: from Wed 29/04 to Tue 12/05
    (D(2026, 4, 29), D(2026, 5, 12)),
    # National Day 2026: 31/08 (substituted), 01 and 02/09 off: from Fri 28/08 to Fri 11/09
    (D(2026, 8, 28), D(2026, 9, 11)),
])
def test_the_7_working_days_skip_vietnamese_public_holidays_and_tet(lodged, due):
    """ND 335/2025 Điều 22: "trong thời hạn 07 ngày làm việc kể từ ngày nhận được kiến
    nghị" — public holidays are not working days."""
    assert yearly.objection_due(RS[ND335], lodged) == due


def test_the_yearly_rating_is_late_on_15_december_and_special_units_on_15_january():
    """ND 335/2025 Điều 19.2: "trước ngày 15 tháng 12"; special units "trước ngày 15
    tháng 01 năm sau"."""
    assert yearly.deadline(2026) == D(2026, 12, 15)
    assert not yearly.overdue(yearly.deadline(2026), D(2026, 12, 14))
    assert yearly.overdue(yearly.deadline(2026), D(2026, 12, 15))
    assert yearly.deadline(2026, special=True) == D(2027, 1, 15)

