"""The national database export (ND 335/2025 Điều 26.1.d): the table, the log, the
five-day warning, the command and the panel's form."""
import datetime
from decimal import Decimal as D

import openpyxl
import pytest

from accounts import account
from canbo.errors import Forbidden, InvalidInput
from canbo.models import Assignment, AuditLog, NationalExport, Rating, Sheet, Staff, Unit
from canbo.stats import dashboard, national
from canbo.tracking import catalogue as cat

YEAR = 2026
CONFIRMED = datetime.datetime(2026, 11, 5, 9, 0)


@pytest.fixture
def unit(db):
    unit = Unit.create(code="KT", name="UBND xã Kim Tân", place_name="Kim Tân")
    officer = account("OFFICER", unit)
    catalogue = cat.open_catalogue(officer, unit, YEAR)
    cat.add_product(officer, catalogue, 1, "Văn bản", "1")
    cat.decide(account("CHAIRMAN", unit), catalogue, "12/QĐ-UBND", datetime.date(2026, 1, 5))
    return unit


def tracked(unit, code, generals, personal_id=None):
    """A civil servant whose months ``{month: general points}`` are confirmed, every
    product done on time (a month scores its general points + 70)."""
    staff = Staff.create(unit=unit, code=code, full_name=f"Nguyễn Văn {code}",
                         kind="CIVIL_SERVANT", birth_date=datetime.date(1985, 3, 4),
                         personal_id=personal_id)
    product = cat.catalogue_for(unit, YEAR).products.first()
    for month, general in generals.items():
        Assignment.create(staff=staff, year=YEAR, month=month, product=product,
                          coefficient=product.coefficient, quantity=2, completed=2)
        Sheet.create(staff=staff, unit=unit, year=YEAR, month=month, rule_set="ND335_2025",
                     status="CONFIRMED", general=general, confirmed_at=CONFIRMED)
    return staff


def test_a_month_and_a_quarter_give_one_row_per_person_with_the_documented_columns(unit):
    tracked(unit, "A1", {10: D(20), 11: D(19), 12: D(25)}, personal_id="037201001234")
    tracked(unit, "A2", {10: D(10)})  # November not confirmed: not final, not sent
    month = national.table(unit, national.parse_period("2026-10"))
    assert month.headers == [label for _, label in national.COLUMNS]
    rows = {r[1]: r for r in month.rows}
    assert rows["Nguyễn Văn A1"][:5] == ["037201001234", "Nguyễn Văn A1",
                                         datetime.date(1985, 3, 4), "KT", "2026-10"]
    assert rows["Nguyễn Văn A1"][5:] == [D(20), D(70), D(90), "HTXSNV",
                                         CONFIRMED.date()]
    assert rows["Nguyễn Văn A2"][7:9] == [D(80), "HTTNV"]
    quarter = national.table(unit, national.parse_period("2026-q4"))
    assert [(r[1], r[7], r[8]) for r in quarter.rows] == [
        ("Nguyễn Văn A1", D("91.33"), "HTXSNV")]  # (90 + 89 + 95) / 3, shown to 2 places


def test_the_year_takes_the_approved_ratings(unit):
    staff = tracked(unit, "A3", {})
    Rating.create(staff=staff, unit=unit, year=YEAR, rule_set="ND335_2025", status="APPROVED",
                  level="HTTNV", points=D("89.995833"))
    [row] = national.table(unit, national.parse_period("2026")).rows
    assert row[7:9] == [D("89.99"), "HTTNV"]  # never shown reaching 90


@pytest.mark.parametrize("text", ["2026-13", "2026-Q5", "26-05", "2025", "tháng 5", ""])
def test_a_bad_period_is_named_with_what_is_allowed(text):
    with pytest.raises(InvalidInput, match="YYYY-MM"):
        national.parse_period(text)


def test_an_export_is_logged_and_ends_the_five_day_warning(unit):
    tracked(unit, "A4", {10: D(20)})
    late = datetime.date(2026, 11, 11)  # confirmed on 05/11: more than 5 days
    assert national.overdue([unit.id], datetime.date(2026, 11, 10)) == 0
    assert national.overdue([unit.id], late) == 1
    alert = next(a for a in dashboard.dashboard(unit, YEAR, today=late).warnings
                 if a.code == "national_export")
    assert "1 kết quả" in alert.message and "Điều 26.1.d" in alert.message
    national.export(account("OFFICER", unit), unit, national.parse_period("2026-10"))
    assert national.overdue([unit.id], late) == 0
    entry = NationalExport.get()
    assert (entry.actor, entry.period, entry.rows) == ("officer-kt", "2026-10", 1)
    assert AuditLog.select().where(AuditLog.action == "national.export").count() == 1


def test_only_officers_and_admins_export_and_a_viewer_writes_no_log(unit):
    with pytest.raises(Forbidden, match="Cơ sở dữ liệu quốc gia"):
        national.export(account("VIEWER", unit), unit, national.parse_period("2026-10"))
    assert NationalExport.select().count() == 0


def test_the_command_writes_xlsx_and_csv(unit, run, tmp_path):
    tracked(unit, "A5", {10: D(20)}, personal_id="001085000123")
    out = run("export", "national", "--period", "2026-10", "-o", str(tmp_path / "q.xlsx"),
              "--actor", "truongphong")
    assert out.exit_code == 0, out.output
    sheet = openpyxl.load_workbook(tmp_path / "q.xlsx").active
    assert sheet["A2"].value == "001085000123"  # a text cell: the leading zeros stay
    run("export", "national", "--period", "2026-10", "-o", str(tmp_path / "q.csv"))
    text = (tmp_path / "q.csv").read_text(encoding="utf-8-sig")
    assert text.startswith("Số định danh cá nhân,Họ và tên,Ngày sinh,Đơn vị,Kỳ,")
    assert NationalExport.select().where(NationalExport.actor == "truongphong").count() == 1
    bad = run("export", "national", "--period", "2026-13", "-o", str(tmp_path / "x.xlsx"))
    assert bad.exit_code == 2 and "YYYY-MM" in bad.output


def test_the_panel_form_downloads_for_the_officer_and_is_hidden_from_the_viewer(
        login_as, csrf):
    officer = login_as("OFFICER")
    page = officer.get("/admin/import/").get_data(as_text=True)
    assert 'id="national"' in page
    response = officer.post("/admin/import/national", data={
        "csrf_token": csrf(officer, "/admin/import/"), "unit": "KIMTAN", "period": "2026-10",
        "fmt": "csv"})
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].endswith("csdl-quoc-gia-KIMTAN-2026-10.csv")
    viewer = login_as("VIEWER")
    assert 'id="national"' not in viewer.get("/admin/import/").get_data(as_text=True)
    assert viewer.post("/admin/import/national", data={
        "csrf_token": csrf(viewer, "/admin/import/"), "unit": "KIMTAN",
        "period": "2026-10"}).status_code == 403
    bad = officer.post("/admin/import/national", data={
        "csrf_token": csrf(officer, "/admin/import/"), "unit": "KIMTAN", "period": "quý 4"},
        follow_redirects=True)
    assert "YYYY-MM" in bad.get_data(as_text=True)
