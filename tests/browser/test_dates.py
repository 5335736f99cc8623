"""Every kind of date field of the panel in a real headless Chromium (issue 14): typed
15/04/1995 (or d/m/yyyy), saved, and shown back as dd/mm/yyyy, in the record's form as in
its list; the picker speaks Vietnamese, Monday first (admin_views/dates.py)."""
import datetime
import types

import pytest

from canbo import db as dbm
from canbo.models import Absence, Cycle, Discipline, Evaluation, Rating, Staff
from canbo.models.tracking import Catalogue
from canbo.rating import workflow
from canbo.records import users
from canbo.tracking import catalogue as catalogues
from conftest import drop_demo_2026

from .conftest import PASSWORD, log_in

pytestmark = pytest.mark.browser
YEAR = datetime.date.today().year
ACTOR = types.SimpleNamespace(role="ADMIN", unit_id=None, username="admin", active=True,
                              staff_id=None)


@pytest.fixture
def server(live_panel):
    def setup(unit):
        drop_demo_2026(dbm.database)  # builds a catalogue of its own this year
        users.create_user("canbo", PASSWORD, "OFFICER", unit)
        users.create_user("chutich", PASSWORD, "CHAIRMAN", unit)
        users.create_user("quantri", PASSWORD, "ADMIN", None)
        workflow.open_cycle(ACTOR, unit, YEAR)
        (Rating.update(status="SELF_ASSESSED")  # ready for the meeting's comments
         .where(Rating.year == YEAR,
                Rating.staff.in_(Staff.select(Staff.id).where(Staff.code == "KT12")))
         .execute())
        catalogue = catalogues.open_catalogue(ACTOR, unit, YEAR)
        catalogues.set_standard(ACTOR, catalogue, "Soạn thảo văn bản hành chính đơn giản", "5")
        catalogues.add_product(ACTOR, catalogue, "2", "Báo cáo tháng", range="11-50",
                               points="15")

    return live_panel(setup)


def type_date(page, selector, text):
    page.click(selector)
    page.locator(selector).fill("")
    page.locator(selector).press_sequentially(text)
    assert page.input_value(selector) == text  # the picker never rewrites what is typed
    page.keyboard.press("Tab")


def press(page, name):
    with page.expect_navigation():
        page.get_by_role("button", name=name).click()


def test_the_picker_is_vietnamese_monday_first(server, browser_context):
    page = browser_context(1366)
    log_in(page, server, "canbo")
    page.goto(f"{server}/admin/staff/new/")
    page.click("#birth_date")
    type_date(page, "#birth_date", "15/04/1995")
    page.click("#birth_date")
    picker = page.locator(".daterangepicker:visible")
    calendar = picker.locator(".calendar").first
    heads = calendar.locator("thead tr").nth(1).locator("th").all_inner_texts()
    assert heads == ["T2", "T3", "T4", "T5", "T6", "T7", "CN"]
    # it follows the typed date: April 1995, the 15th marked
    assert calendar.locator("select.monthselect option:checked").inner_text() == "Tháng 4"
    assert calendar.locator("select.yearselect option:checked").inner_text() == "1995"
    months = calendar.locator("select.monthselect option").all_inner_texts()
    assert months[0] == "Tháng 1" and months[11] == "Tháng 12"
    assert calendar.locator("td.active").inner_text() == "15"
    body = calendar.inner_text()
    for english in ("Su", "Mo", "Apr", "April", "Apply", "Cancel"):
        assert english not in body.split(), english
    calendar.locator("td.available:not(.off)", has_text="20").first.click()
    assert page.input_value("#birth_date") == "20/04/1995"  # a picked day, dd/mm/yyyy


def test_flask_admins_own_pickers_are_vietnamese_too(server, browser_context):
    """The audit log's time filter keeps Flask-Admin's picker and format, in Vietnamese."""
    page = browser_context(1366)
    log_in(page, server, "quantri")
    page.goto(f"{server}/admin/auditlog/")
    page.get_by_text("Thêm bộ lọc").click()
    page.locator("a.filter", has_text="Thời điểm").click()
    page.locator("input.filter-val").first.click()
    calendar = page.locator(".daterangepicker:visible .calendar").first
    heads = calendar.locator("thead tr").nth(1).locator("th").all_inner_texts()
    assert heads == ["T2", "T3", "T4", "T5", "T6", "T7", "CN"]
    assert calendar.locator("select.monthselect option").first.inner_text() == "Tháng 1"


def test_a_person_and_a_qualification_keep_their_dates(server, browser_context):
    page = browser_context(1366)
    log_in(page, server, "canbo")
    page.goto(f"{server}/admin/staff/new/")
    page.fill("#code", "KT31")
    page.fill("#full_name", "Phạm Thị Ngày")
    page.select_option("#kind", "CIVIL_SERVANT", force=True)
    page.select_option("#gender", "F", force=True)
    type_date(page, "#birth_date", "15/04/1995")
    type_date(page, "#joined_on", "1/7/2019")  # d/m/yyyy as well
    page.click("#qualifications-button")
    page.select_option("#qualifications-0-kind", "EDUCATION", force=True)
    page.select_option("#qualifications-0-level", "DH", force=True)
    type_date(page, "#qualifications-0-awarded_on", "15/04/1995")
    page.click("input[type=submit]")
    page.wait_for_url(lambda url: "/new/" not in url)
    person = Staff.get(Staff.code == "KT31")
    assert person.birth_date == datetime.date(1995, 4, 15)
    assert person.joined_on == datetime.date(2019, 7, 1)
    assert person.qualifications[0].awarded_on == datetime.date(1995, 4, 15)

    page.goto(f"{server}/admin/staff/?search=pham+thi+ngay")
    assert page.inner_text("td.col-birth_date") == "15/04/1995"
    page.goto(f"{server}/admin/staff/edit/?id={person.id}")
    assert page.input_value("#birth_date") == "15/04/1995"
    assert page.input_value("#joined_on") == "01/07/2019"
    assert page.input_value("#qualifications-0-awarded_on") == "15/04/1995"

    page.goto(f"{server}/admin/staff/archive/?id={person.id}")
    type_date(page, "#left_on", "15/04/" + str(YEAR))
    page.fill("#left_reason", "Chuyển công tác")
    page.get_by_role("button", name="Lưu", exact=True).click()
    page.wait_for_url(lambda url: "/archive/" not in url)
    assert f"nghỉ / chuyển công tác từ 15/04/{YEAR}" in page.inner_text(".alert")
    person = Staff.get_by_id(person.id)
    assert person.left_on == datetime.date(YEAR, 4, 15)
    page.goto(f"{server}/admin/staff/edit/?id={person.id}")
    assert page.input_value("#left_on") == f"15/04/{YEAR}"


def test_a_wrong_date_is_refused_in_vietnamese(server, browser_context):
    page = browser_context(1366)
    log_in(page, server, "canbo")
    page.goto(f"{server}/admin/staff/new/")
    page.fill("#code", "KT32")
    page.fill("#full_name", "Lê Văn Sai")
    type_date(page, "#birth_date", "31/02/1995")
    page.click("input[type=submit]")
    assert "Ngày «31/02/1995» không hợp lệ: không có ngày này" in page.inner_text("form.admin-form")
    assert page.input_value("#birth_date") == "31/02/1995"  # kept to correct it


def test_the_cycles_dates_are_typed_dd_mm_yyyy(server, browser_context):
    page = browser_context(1366)
    log_in(page, server, "canbo")
    cycle = Cycle.get(Cycle.year == YEAR)
    rating = Rating.select().join(Staff).where(Rating.year == YEAR, Staff.code == "KT12").get()
    day = f"15/04/{YEAR}"

    page.goto(f"{server}/admin/workflow/rating/{rating.id}")
    page.fill("textarea[name=comments]", "Hoàn thành tốt.")
    type_date(page, "#meeting-on", day)
    press(page, "Lưu ý kiến")
    evaluation = Evaluation.get(Evaluation.rating == rating.id)
    assert evaluation.meeting_on == datetime.date(YEAR, 4, 15), page.inner_text(".alert")

    type_date(page, "input[name=starts_on]", day)
    type_date(page, "input[name=ends_on]", f"20/4/{YEAR}")
    press(page, "Ghi thời gian nghỉ")
    absence = Absence.get(Absence.staff == rating.staff_id)
    assert (absence.starts_on, absence.ends_on) == (datetime.date(YEAR, 4, 15),
                                                     datetime.date(YEAR, 4, 20))
    assert f"15/04/{YEAR} – 20/04/{YEAR}" in page.inner_text("#absences")

    page.fill("input[name=decision_number]", "12/QĐ-UBND")
    type_date(page, "input[name=decided_on]", day)
    page.fill("input[name=violation_year]", str(YEAR))
    page.select_option("select[name=cause]", index=1)
    press(page, "Ghi kỷ luật")
    discipline = Discipline.get(Discipline.staff == rating.staff_id)
    assert discipline.decided_on == datetime.date(YEAR, 4, 15)
    assert f"quyết định 12/QĐ-UBND ngày 15/04/{YEAR}" in page.inner_text("#absences")

    chairman = browser_context(1366)
    log_in(chairman, server, "chutich")
    chairman.goto(f"{server}/admin/workflow/?unit=KIMTAN&year={YEAR}")
    chairman.fill("#ratio", "25")
    chairman.fill("input[name=doc_number]", "15/UBND")
    type_date(chairman, "input[name=doc_date]", day)
    with chairman.expect_navigation():
        chairman.locator("button[value=exception]").click()
    assert Cycle.get_by_id(cycle.id).exception_doc_date == datetime.date(YEAR, 4, 15)
    assert f"theo văn bản 15/UBND ngày 15/04/{YEAR}" in chairman.inner_text("body")

    catalogue = Catalogue.get(Catalogue.year == YEAR)
    chairman.goto(f"{server}/admin/catalogue/{catalogue.id}")
    chairman.fill("#number", "283/QĐ-UBND")
    type_date(chairman, "#date", day)
    press(chairman, "Ghi quyết định và khóa danh mục")
    assert f"Quyết định số 283/QĐ-UBND ngày 15/04/{YEAR}" in chairman.inner_text("#status")
    assert Catalogue.get_by_id(catalogue.id).decision_date == datetime.date(YEAR, 4, 15)
