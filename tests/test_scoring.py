"""The ND 335 score: the numbers of issue 8 must come out exactly."""
import datetime
import types
from decimal import Decimal as D

import pytest

from canbo.errors import InvalidInput
from canbo.levels import Rating
from canbo.rules import rulesets, scoring, yearly
from canbo.rules.rulesets import ND335, QD366

STAFF_MONTH = [
    scoring.Result(quantity=7, completed=7),
    scoring.Result(quantity=1, completed=1, failed_reviews=1),
    scoring.Result(quantity=1, completed=1, delays=1),
    scoring.Result(quantity=1, completed=1, delays=1),
]


def test_staff_month_gives_96_25():
    t = scoring.totals(STAFF_MONTH)
    a, b, c = scoring.abc(t)
    assert (a, b, c) == (D(100), D("97.5"), D(95))
    task = scoring.task_score(a, b, c)
    assert task == D("97.5")
    assert scoring.period_score(D(28), task) == D("96.25")


def test_head_month_gives_91_17():
    task = scoring.task_score(100, 100, 100, d=100, dd=50, e=100)
    assert scoring.ScoringRules().round(task) == D("91.67")
    score = scoring.period_score(27, task)
    assert scoring.ScoringRules().round(score) == D("91.17")  # as shown
    assert score == D(27) + task * 70 / 100 < D("91.17")  # as decided: not rounded


def test_task_points_stop_at_70_and_a_period_at_100_even_with_extra_work():
    """ND 335/2025 Điều 12.3: the task results score at most 70 points, Điều 12.2 the
    general criteria 30; a, b, c above 100% (extra work) do not pass that."""
    rules = scoring.rules_for(cap_at_100=False)
    t = scoring.totals([scoring.Result(quantity=4, completed=4),
                        scoring.Result(quantity=0, completed=2, extra=True)], rules)
    a, b, c = scoring.abc(t, rules)
    assert a == D(150)
    assert scoring.task_points(scoring.task_score(a, b, c), rules) == D(70)
    assert scoring.period_score(D(30), scoring.task_score(a, b, c), rules) == D(100)
    with pytest.raises(InvalidInput, match="tiêu chí chung"):
        scoring.period_score(D("30.5"), D(100))


def test_a_confirmed_objective_cause_removes_the_quality_deduction_too():
    """ND 335/2025 Điều 14.2.b and c both except "nguyên nhân khách quan được cấp có
    thẩm quyền xác nhận"."""
    t = scoring.totals([scoring.Result(quantity=4, completed=4, failed_reviews=1,
                                       delays=1, objective_cause=True)])
    assert scoring.abc(t) == (D(100), D(100), D(100))
    t = scoring.totals([scoring.Result(quantity=4, completed=4, failed_reviews=1)])
    assert scoring.abc(t)[1] == D("93.75")


def test_stored_points_decide_as_the_true_average():
    """89.995833… is HTTNV: stored cut to six places it stays below 90."""
    monthly = {m: D("90.00") for m in range(1, 13)}
    monthly[1] = D("89.95")
    true = scoring.year_average(monthly)
    assert true < 90 and scoring.ScoringRules().round(true) == D("90.00")
    stored = scoring.stored_points(true)
    assert stored == D("89.995833")
    assert yearly.level_from_points(rulesets.get(ND335), stored) == "HTTNV"
    # shown to two places it is never "90,00" beside HTTNV: cut, not rounded up
    assert scoring.points_text(stored) == "89,99"
    assert scoring.points_text(D("91.1666")) == "91,17"


def test_objective_cause_removes_the_delay_deduction():
    t = scoring.totals([scoring.Result(quantity=4, completed=4, delays=2, objective_cause=True)])
    assert scoring.abc(t) == (D(100), D(100), D(100))


@pytest.mark.parametrize("coefficient, failed, quality", [
    (D("2"), 1, D("87.5")),       # 4 − 0.25 × 2 over 4 converted
    (D("1.5"), 2, D("75")),       # 3 − 0.5 × 1.5 … over 3
    (D("1"), 9, D("50")),         # 9 failures on one product: floored at 0, not −1.25
])
def test_deduction_is_25_percent_of_that_products_converted_points(coefficient, failed, quality):
    rows = [scoring.Result(quantity=1, completed=1, coefficient=coefficient,
                           failed_reviews=failed),
            scoring.Result(quantity=1, completed=1, coefficient=coefficient)]
    _, b, _ = scoring.abc(scoring.totals(rows))
    assert b == quality


def test_extra_work_lifts_the_cap_and_capping_is_a_setting():
    rows = [scoring.Result(quantity=2, completed=2), scoring.Result(completed=1, extra=True)]
    assert scoring.abc(scoring.totals(rows))[0] == D(150)
    over = [scoring.Result(quantity=2, completed=3)]
    assert scoring.abc(scoring.totals(over))[0] == D(100)
    uncapped = scoring.rules_for(cap_at_100=False)
    assert scoring.abc(scoring.totals(over, uncapped), uncapped)[0] == D(150)


def test_no_assignment_has_no_task_score():
    with pytest.raises(InvalidInput, match="chưa được giao"):
        scoring.abc(scoring.totals([]))


def test_maternity_june_to_november_averages_the_six_months_worked():
    worked = {1, 2, 3, 4, 5, 12}
    monthly = {m: D(80) for m in worked}
    monthly[12] = D(92)
    assert scoring.year_average(monthly, worked, leave="MATERNITY") == D(82)
    with pytest.raises(InvalidInput, match="tháng 6"):
        scoring.year_average(monthly)  # twelve months expected without leave


def test_plain_year_is_the_average_of_twelve():
    monthly = {m: D(90) for m in range(1, 13)}
    monthly[1] = D("89.88")
    assert scoring.year_average(monthly) == D("89.99")


def test_fewer_than_six_months_is_not_rated_except_sick_and_maternity_leave():
    """ND 335/2025 Điều 11.1–2: sick and maternity leave are rated on the time actually
    worked; unpaid personal leave only with at least six months worked."""
    monthly = {m: D(95) for m in range(1, 6)}
    with pytest.raises(InvalidInput, match="không thực hiện đánh giá"):
        scoring.year_average(monthly, set(monthly), leave="UNPAID")
    assert scoring.year_average(monthly, set(monthly), leave="SICK") == D(95)
    assert scoring.year_average(monthly, set(monthly), leave="MATERNITY") == D(95)
    six = {m: D(95) for m in range(1, 7)}
    assert scoring.year_average(six, set(six), leave="UNPAID") == D(95)


@pytest.mark.parametrize("points, level", [
    (D("90.00"), Rating.HTXSNV),
    (D("89.99"), Rating.HTTNV),
    (D("89.995"), Rating.HTTNV),  # not rounded up before comparing
    (D("70.00"), Rating.HTTNV),
    (D("69.99"), Rating.HTNV),
    (D("50.00"), Rating.HTNV),
    (D("49.99"), Rating.KHTNV),
])
@pytest.mark.parametrize("rule_set", [ND335, QD366])
def test_thresholds(points, level, rule_set):
    assert yearly.proposed_level(rulesets.get(rule_set), points) == level.code


def _discipline(public_service, year=2026):
    return types.SimpleNamespace(cause="PUBLIC_SERVICE" if public_service else "OTHER",
                                 counted_year=year,
                                 decided_on=datetime.date(year, 5, 4))


@pytest.mark.parametrize("disciplines, finding", [
    ([_discipline(True)], None),  # reprimand or above for a public-service violation
    ([], "Suy thoái về tư tưởng chính trị, đạo đức, lối sống"),
    ([], "Để xảy ra tham nhũng, lãng phí ở đơn vị trực tiếp quản lý"),
])
def test_reprimand_or_finding_gives_khtnv_whatever_the_points(disciplines, finding):
    rs = rulesets.get(ND335)
    reasons = yearly.khtnv_reasons(rs, 2026, disciplines, finding)
    assert yearly.proposed_level(rs, D(99), reasons) == "KHTNV"


def test_a_discipline_outside_public_service_or_counted_elsewhere_leaves_the_points():
    rs = rulesets.get(ND335)
    for disciplines in ([_discipline(False)], [_discipline(True, year=2025)]):
        assert yearly.khtnv_reasons(rs, 2026, disciplines) == []
        assert yearly.proposed_level(rs, D(99), yearly.khtnv_reasons(rs, 2026, disciplines)) \
            == "HTXSNV"


def test_general_criteria_are_data_totalling_30():
    rules = scoring.ScoringRules()
    assert sum(top for _, _, top in rules.items()) == D(30)
    assert [sum(t for _, _, t in items) for _, _, items in rules.general_criteria] == [10] * 3
    assert scoring.general_points({"I.1": 5, "II.1": D("2.5")}) == D("7.5")
    with pytest.raises(InvalidInput, match="I.1"):
        scoring.general_points({"I.1": 6})


@pytest.mark.parametrize("middle, value, ok", [
    (None, 50, True), (None, 75, False), (D(75), 75, True),
])
def test_middle_value_for_dd_is_a_setting(middle, value, ok):
    rules = scoring.rules_for(middle_value_dd=middle)
    if ok:
        assert scoring.check_leader_value("đ", value, rules) == D(value)
    else:
        with pytest.raises(InvalidInput, match="đ"):
            scoring.check_leader_value("đ", value, rules)


def test_explain_states_the_open_settings_in_vietnamese():
    text = " ".join(scoring.ScoringRules().explain())
    assert "tối đa 100%" in text and "25%" in text and "2 chữ số" in text


def test_quarterly_year_averages_the_quarters_worked():
    quarters = {1: D(90), 2: D(80), 3: None, 4: D(60)}
    with pytest.raises(InvalidInput, match="quý 3"):
        scoring.year_average_quarters(quarters)
    worked = {1, 2, 3, 4, 5, 12}  # maternity June – November: quarter 3 not worked
    assert scoring.year_average_quarters(quarters, worked, "MATERNITY") == D(230) / 3
