"""A transferred person's months at the old unit (ND 335 Điều 19.3): entered by the
officer as the old unit sent them, counted in the year and marked as such."""
import datetime
from decimal import Decimal

import pytest

from accounts import account
from canbo.errors import Forbidden, InvalidInput
from canbo.models import AuditLog, Staff, Unit
from canbo.models.tracking import Assignment, OutsideMonth, Sheet
from canbo.tracking import catalogue as cat
from canbo.tracking import outside
from canbo.tracking import year_points as yp
from panel_helpers import csrf_token, log_in

YEAR = 2026


@pytest.fixture
def moved(db):
    """Joined 01/07/2026; July–December confirmed here at 90 + the month."""
    unit = Unit.create(code="KS", name="UBND xã Kim Sơn", place_name="Kim Sơn")
    person = Staff.create(unit=unit, code="KS09", full_name="Đào Văn Chuyển",
                          kind="CIVIL_SERVANT", joined_on=datetime.date(2026, 7, 1))
    officer = account("OFFICER", unit)
    c = cat.open_catalogue(officer, unit, YEAR)
    product = cat.add_product(officer, c, 1, "Văn bản", "1")
    for month in range(7, 13):
        Assignment.create(staff=person, year=YEAR, month=month, product=product,
                          coefficient=product.coefficient, quantity=2, completed=2)
        Sheet.create(staff=person, unit=unit, year=YEAR, month=month, rule_set="ND335_2025",
                     status="CONFIRMED", general=20 + month - 6)  # 91 … 96
    return person


def row(person):
    return next(p for p in yp.year_grid(YEAR, [person.unit_id]) if p.staff_id == person.id)


def test_the_old_units_months_count_in_the_year(moved):
    alone = row(moved)
    assert alone.average == Decimal("93.5") and sorted(alone.worked) == list(range(7, 13))
    officer = account("OFFICER", moved.unit)
    for month in range(1, 7):
        outside.record(officer, moved, YEAR, month, "UBND xã Kim Tân", "80,5")
    full = row(moved)
    assert full.cells[3].score == Decimal("80.5") and full.cells[3].outside == "UBND xã Kim Tân"
    assert full.cells[8].outside is None
    # (6 × 80,5 + 91 + … + 96) ÷ 12 = 87
    assert full.average == Decimal("87") and full.complete
    assert AuditLog.select().where(AuditLog.table_name == "outside_month").count() == 6


def test_a_correction_replaces_the_month_and_a_removal_is_audited(moved):
    officer = account("OFFICER", moved.unit)
    outside.record(officer, moved, YEAR, 2, "UBND xã Kim Tân", 70)
    outside.record(officer, moved, YEAR, 2, "UBND xã Kim Tân", 75)
    rows = outside.of(moved, YEAR)
    assert [(r.month, r.score) for r in rows] == [(2, Decimal("75"))]
    outside.remove(officer, rows[0], "Nhập nhầm")
    assert OutsideMonth.select().count() == 0
    entry = AuditLog.select().where(AuditLog.action == "delete").get()
    assert entry.reason == "Nhập nhầm" and entry.table_name == "outside_month"


@pytest.mark.parametrize("month, unit_name, score, message", [
    (13, "UBND xã Kim Tân", "80", "Tháng «13» không hợp lệ"),
    (7, "UBND xã Kim Tân", "80", "tháng 7/2026 được theo dõi, đánh giá tại đây"),
    (3, "", "80", "Hãy ghi tên đơn vị cũ"),
    (3, "UBND\x00", "80", "không có ký tự điều khiển"),
    (3, "UBND xã Kim Tân", "101", "phải từ 0 đến 100"),
    (3, "UBND xã Kim Tân", "nan", "không phải là số"),
    (3, "UBND xã Kim Tân", "", "Điểm còn trống"),
])
def test_bad_input_is_named_and_changes_nothing(moved, month, unit_name, score, message):
    with pytest.raises(InvalidInput, match=message):
        outside.record(account("OFFICER", moved.unit), moved, YEAR, month, unit_name, score)
    assert OutsideMonth.select().count() == 0


def test_only_the_units_officer_or_chairman_enters_them(moved, other_unit):
    outside.record(account("CHAIRMAN", moved.unit), moved, YEAR, 3, "UBND xã Kim Tân", 80)
    for who in (account("VIEWER", moved.unit), account("STAFF", moved.unit),
                account("OFFICER", other_unit["unit"])):
        with pytest.raises(Forbidden):
            outside.record(who, moved, YEAR, 3, "UBND xã Kim Tân", 80)


def test_the_officer_enters_them_on_the_persons_year_page(app, accounts):
    kt13 = Staff.get(Staff.code == "KT13")
    kt13.joined_on = datetime.date(2026, 4, 1)
    kt13.save()
    url = f"/admin/monthly/year/{kt13.id}/{YEAR}"
    officer = app.test_client()
    log_in(officer, "canbo")
    page = officer.post(url, data={"csrf_token": csrf_token(officer, url), "action": "outside",
                                   "month": "2", "unit_name": "UBND xã Kim Sơn",
                                   "score": "88,25"}, follow_redirects=True)
    html = page.get_data(as_text=True)
    assert "Đã ghi tháng 2/2026 tại UBND xã Kim Sơn." in html
    assert "88,25" in html and "tại UBND xã Kim Sơn" in html
    refused = officer.post(url, data={"csrf_token": csrf_token(officer, url),
                                      "action": "outside", "month": "5",
                                      "unit_name": "UBND xã Kim Sơn", "score": "90"},
                           follow_redirects=True).get_data(as_text=True)
    assert "tháng 5/2026 được theo dõi, đánh giá tại đây" in refused
    viewer = app.test_client()
    log_in(viewer, "xem")
    assert viewer.get(url).status_code == 404  # the viewer reads no tracking
    assert viewer.post(url, data={"csrf_token": csrf_token(viewer, "/admin/dashboard/"),
                                  "action": "outside", "month": "3", "unit_name": "X",
                                  "score": "1"}).status_code == 404
    assert OutsideMonth.select().where(OutsideMonth.staff == kt13).count() == 1


# --- the first tracked month of 2026 (snv-3743-2026: criteria applied from 01/06/2026) ----


@pytest.fixture
def from_june(db):
    """Confirmed June–December at 80 … 86; January–May never tracked."""
    unit = Unit.create(code="NL", name="UBND xã Nghĩa Lâm", place_name="Nghĩa Lâm")
    person = Staff.create(unit=unit, code="NL01", full_name="Lê Văn Sáu",
                          kind="CIVIL_SERVANT")
    officer = account("OFFICER", unit)
    c = cat.open_catalogue(officer, unit, YEAR)
    product = cat.add_product(officer, c, 1, "Văn bản", "1")
    for month in range(6, 13):
        Assignment.create(staff=person, year=YEAR, month=month, product=product,
                          coefficient=product.coefficient, quantity=1, completed=1)
        Sheet.create(staff=person, unit=unit, year=YEAR, month=month, rule_set="ND335_2025",
                     status="CONFIRMED", general=4 + month)  # 80 … 86
    return person


def test_a_first_tracked_month_makes_the_year_the_average_of_the_tracked_months(from_june):
    from canbo.tracking import status
    before = row(from_june)
    assert before.average == Decimal("83") and not before.complete  # Jan–May missing
    status.set_first_month(account("OFFICER", from_june.unit), from_june.unit, YEAR, "6")
    after = row(from_june)
    assert after.complete and after.average == Decimal("83")  # (80 + … + 86) ÷ 7
    assert after.cells[3].missing == yp.Missing.NOT_TRACKED
    grid = status.year_status(YEAR, [from_june.unit_id], datetime.date(2026, 12, 20))
    months = grid[0].months
    assert months[3].state == status.NOT_TRACKED and months[3].actor is None
    assert not months[3].overdue and months[6].state == status.CONFIRMED


@pytest.mark.parametrize("year, month, message", [
    (2027, "6", "chỉ đặt cho năm đầu tiên"), (2026, "13", "không hợp lệ"),
    (2026, "sáu", "không hợp lệ"),
])
def test_a_bad_first_month_is_refused(from_june, year, month, message):
    from canbo.tracking import status
    with pytest.raises(InvalidInput, match=message):
        status.set_first_month(account("OFFICER", from_june.unit), from_june.unit, year,
                               month)
    with pytest.raises(Forbidden):
        status.set_first_month(account("VIEWER", from_june.unit), from_june.unit, YEAR, "6")
