"""A civil servant's to-do in real Chromium, at a phone's width: they log in, land on
"Việc của tôi", read what waits for them and its deadline, and follow it to the sheet
(ND 335/2025 Điều 18.2: each civil servant self-scores their month)."""
import datetime

import pytest

from canbo import db as dbm
from canbo.models import Staff
from canbo.records import users
from canbo.tracking import catalogue as cat
from canbo.tracking import sheets, status
from conftest import drop_demo_2026

from .conftest import PASSWORD, log_in

pytestmark = pytest.mark.browser
YEAR = 2026


@pytest.fixture
def server(live_panel, monkeypatch):
    # the server runs in this process: its "today" is 20/03/2026, whatever the clock says
    monkeypatch.setattr(status, "current_date", lambda: datetime.date(YEAR, 3, 20))

    def setup(unit):
        drop_demo_2026(dbm.database)  # this journey builds its own March
        officer = users.create_user("canbo", PASSWORD, "OFFICER", unit)
        chairman = users.create_user("chutich", PASSWORD, "CHAIRMAN", unit)
        kt13 = Staff.get(Staff.code == "KT13")
        users.create_user("kt13", PASSWORD, "STAFF", unit, staff=kt13)
        c = cat.open_catalogue(officer, unit, YEAR)
        product = cat.add_product(officer, c, 1, "Soạn thảo văn bản hành chính", 1, 5, 5)
        cat.decide(chairman, c, "15/QĐ-UBND", datetime.date(YEAR, 1, 20))
        sheets.assign(officer, kt13, YEAR, 3, product, 4, on=datetime.date(YEAR, 3, 2))

    return live_panel(setup)


def test_a_civil_servant_follows_their_to_do_to_the_sheet(server, browser_context,
                                                          screenshots):
    page = browser_context(375)
    log_in(page, server, "kt13")
    page.wait_for_url(f"{server}/admin/monthly/**")
    todo = page.locator("#todo")
    assert "Việc cần làm" in todo.inner_text()
    item = todo.get_by_role("link", name="Ghi kết quả và tự chấm phiếu tháng 3/2026")
    assert "hạn 07/04/2026" in todo.inner_text()  # 5th working day of April
    assert "Xác nhận phiếu" not in todo.inner_text()
    # the list fits the phone: no sideways scrolling
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.screenshot(path=str(screenshots / "monthly-todo-phone.png"), full_page=True)
    item.click()
    page.wait_for_url(f"{server}/admin/tracking/sheet/**/{YEAR}/3")
    body = page.inner_text("body")
    assert "Soạn thảo văn bản hành chính" in body
    assert page.locator('input[name="self-I.1"]').count() == 1


@pytest.fixture
def head_server(live_panel, monkeypatch):
    """Kim Tân's head (KT05, a STAFF account) on 20/03/2026 with no work assigned yet,
    and a to-do that groups more than 3 people of one kind (``todo.GROUP_FROM``)."""
    from canbo.models import Unit
    from canbo.tracking import evaluators, todo

    monkeypatch.setattr(status, "current_date", lambda: datetime.date(YEAR, 3, 20))
    monkeypatch.setattr(todo, "GROUP_FROM", 3)

    def setup(unit):
        drop_demo_2026(dbm.database)
        officer = users.create_user("canbo", PASSWORD, "OFFICER", unit)
        kt05 = Staff.get(Staff.code == "KT05")
        evaluators.set_head(officer, Unit.get_by_id(unit.id), kt05)
        users.create_user("kt05", PASSWORD, "STAFF", unit, staff=kt05)

    return live_panel(setup)


def test_a_head_follows_the_grouped_item_to_the_months_queue(head_server, browser_context):
    page = browser_context(375)
    log_in(page, head_server, "kt05")
    page.wait_for_url(f"{head_server}/admin/monthly/**")
    todo_box = page.locator("#todo")
    item = todo_box.get_by_role("link", name="Giao việc tháng 3/2026 cho")
    assert item.count() == 1  # one line, not one a person
    assert "người khác" in item.inner_text()
    item.click()
    page.wait_for_url(f"{head_server}/admin/monthly/queue?year={YEAR}&month=3")
    assert page.get_by_role("link", name="giao việc").count() > 3
