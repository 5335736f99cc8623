"""Two officers open the same staff record at the same time in two browsers (two
Chromium contexts, two sessions).  The first saves a new name; the second, saving the
ethnicity from the form opened before, is told that «canbo» changed the record and
the name it has now, with what they typed kept on the form; having reopened the record
they make their change over the first's, and both are kept (issue 16, lost updates).

Saves ``staff-edit-conflict.png`` (see conftest.py for where).
"""
import pytest

from canbo.models import Staff
from canbo.records import users

from .conftest import PASSWORD, log_in, playwright

pytestmark = pytest.mark.browser
NEW_NAME = "Đỗ Thị Ánh Hồng"


@pytest.fixture
def server(live_panel):
    def accounts(unit):
        users.create_user("canbo", PASSWORD, "OFFICER", unit)
        users.create_user("canbo2", PASSWORD, "OFFICER", unit)

    return live_panel(accounts)


def test_the_second_save_is_refused_with_what_changed_and_the_form_kept(
        server, browser_context, screenshots):
    person = Staff.get(Staff.code == "KT06")
    url = f"{server}/admin/staff/edit/?id={person.id}"
    first, second = browser_context(1366), browser_context(1366)
    log_in(first, server, "canbo")
    log_in(second, server, "canbo2")
    first.goto(url)
    second.goto(url)

    first.fill("#full_name", NEW_NAME)
    first.click("input[type=submit]")
    first.wait_for_url(lambda u: "/edit/" not in u)
    playwright.expect(first.locator(".alert-success")).to_contain_text("Đã lưu bản ghi.")

    second.fill("#ethnicity", "Tày")
    second.click("input[type=submit]")
    second.wait_for_load_state()
    assert "/edit/" in second.url  # the form again, not the list
    alert = second.locator(".alert-danger")
    playwright.expect(alert).to_contain_text(
        f"trong lúc bạn sửa, tài khoản «canbo» đã sửa hồ sơ của {NEW_NAME}")
    playwright.expect(alert).to_contain_text(f"Họ và tên nay là «{NEW_NAME}»")
    playwright.expect(second.locator("#ethnicity")).to_have_value("Tày")  # the form kept
    second.screenshot(path=str(screenshots / "staff-edit-conflict.png"), full_page=True)

    # reopened, the record shows the first officer's name; the ethnicity goes over it
    second.goto(url)
    playwright.expect(second.locator("#full_name")).to_have_value(NEW_NAME)
    second.fill("#ethnicity", "Tày")
    second.click("input[type=submit]")
    second.wait_for_url(lambda u: "/edit/" not in u)
    second.goto(url)
    playwright.expect(second.locator("#full_name")).to_have_value(NEW_NAME)
    playwright.expect(second.locator("#ethnicity")).to_have_value("Tày")
