"""``canbo check``: past years judged by their own rules, advisories by today's."""
import datetime
import json

import pytest

from canbo.models import Rating, Staff, Unit
from canbo.models.cycle import Discipline
from canbo.rating import compliance

D = datetime.date


def check(run, *args):
    result = run("check", *args)
    assert result.exit_code == 0, result.output
    return result


@pytest.mark.parametrize("year, good", [(2021, 4), (2022, 5)])
def test_demo_years_have_no_quota_violation_but_a_quota_advisory(demo_db, run, year, good):
    out = json.loads(check(run, "--year", str(year), "--format", "json").output)
    assert out["unit"] == "KIMTAN" and out["year"] == year
    assert out["rule_set"] == "ND90_2020"
    assert [v for v in out["violations"] if v["rule"] == "excellent_quota"] == []
    quota = [a for a in out["advisories"] if a["rule"] == "excellent_quota"]
    assert quota and all(a["details"]["allowed"] == 0 for a in quota)
    assert sum(a["details"]["good"] for a in quota) == good
    civil = next(a for a in quota if a["details"]["group"] == "Công chức")
    assert "4 người HTTNV × 20% = 0,8 → tối đa 0 người HTXSNV" in civil["message"]
    for item in out["violations"] + out["advisories"]:
        assert set(item) == {"rule", "message", "staff", "details"}


def test_the_text_form_lists_violations_and_advisories(demo_db, run):
    out = check(run, "--year", "2021", "--unit", "KIMTAN").output
    assert out.splitlines()[0] == "UBND xã Kim Tân (KIMTAN) — năm 2021 — Nghị định 90/2020/NĐ-CP"
    assert "Vi phạm theo quy định của năm 2021: không có." in out
    assert "[excellent_quota]" in out


def test_a_year_under_nd48_reports_the_quota_as_a_violation(demo_db, run):
    unit = Unit.get(Unit.code == "KIMTAN")
    for staff in Staff.select().where(Staff.unit == unit, Staff.left_on.is_null()):
        level = "HTTNV" if staff.code in ("KT12", "KT15") else "HTXSNV"
        Rating.create(staff=staff, unit=unit, year=2024, rule_set="ND90_ND48_2023",
                      level=level, status="APPROVED")
    out = json.loads(check(run, "--year", "2024", "--format", "json").output)
    quota = [v for v in out["violations"] if v["rule"] == "excellent_quota"]
    assert {v["details"]["group"] for v in quota} == {"Cán bộ", "Công chức"}
    assert not [a for a in out["advisories"] if a["rule"] == "excellent_quota"]


def test_a_discipline_is_judged_by_the_years_own_rules(demo_db, run):
    staff = Staff.get(Staff.code == "KT13")
    Discipline.create(staff=staff, system="PARTY", kind="REPRIMAND", cause="OTHER",
                      decided_on=D(2022, 4, 1), violation_year=2022)
    out = json.loads(check(run, "--year", "2022", "--format", "json").output)
    [found] = [v for v in out["violations"] if v["rule"] == "discipline"]
    assert found["staff"] == ["KT13"] and "KHTNV" in found["message"]
    # today (ND 335) a Party discipline for a violation outside public service does not
    # force KHTNV, so nothing more is advised
    assert not [a for a in out["advisories"] if a["rule"] == "discipline"]


def test_a_year_without_ratings_is_not_an_error(demo_db, run):
    out = json.loads(check(run, "--year", "2019", "--format", "json").output)
    assert out["violations"] == [] and out["advisories"] == [] and out["rule_set"] == "ND56_2015"


@pytest.mark.parametrize("args, message", [
    (["--year", "20x1"], "Năm «20x1» không hợp lệ"),
    (["--year", "2021", "--unit", "NOPE"], "Không có đơn vị mã «NOPE»"),
    (["--year", "2021", "--format", "xml"], "xml"),
])
def test_bad_input_exits_2_with_one_line(demo_db, run, args, message):
    result = run("check", *args)
    assert result.exit_code == 2
    assert message in result.output


def test_today_decides_the_advisory_rule_set(demo_db):
    unit = Unit.get(Unit.code == "KIMTAN")
    before = compliance.check_year(unit, 2021, today=D(2022, 6, 1))
    after = compliance.check_year(unit, 2021, today=D(2026, 6, 1))
    assert before["advisories"] == []  # in 2022 no quota existed either
    assert {a["details"]["rule_set"] for a in after["advisories"]} == {"ND335_2025", "QD366_2025"}


def test_help_is_in_vietnamese(run):
    assert "Kiểm tra kết quả xếp loại" in run("check", "--help").output
