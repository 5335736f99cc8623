"""The admin panel in a real headless Chromium: an officer adds a person, finds them
without diacritics and logs out; the chairman logs in and sees them.

Saves ``staff-list.png`` and ``ratings-list.png`` (see conftest.py for where).
"""
import pytest

from canbo.records import users

from .conftest import PASSWORD, log_in, playwright

pytestmark = pytest.mark.browser
NEW_NAME = "Lê Thị Ngọc Hằng"


@pytest.fixture
def server(live_panel):
    def accounts(unit):
        users.create_user("canbo", PASSWORD, "OFFICER", unit)
        users.create_user("chutich", PASSWORD, "CHAIRMAN", unit)

    return live_panel(accounts)


@pytest.fixture
def page(browser_context):
    return browser_context(1366)


def test_officer_adds_a_person_and_the_chairman_sees_them(server, page, screenshots):
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    log_in(page, server, "canbo")
    page.goto(f"{server}/admin/staff/")
    assert "Danh sách" in page.inner_text("body") or "Cán bộ, công chức" in page.inner_text("h4")
    page.click("a[href^='/admin/staff/new/']")
    page.fill("#code", "KT21")
    page.fill("#full_name", NEW_NAME)
    page.select_option("#kind", "CIVIL_SERVANT", force=True)
    page.select_option("#gender", "F", force=True)
    page.click("input[type=submit]")
    page.wait_for_url(lambda url: "/admin/staff/" in url and "/new/" not in url)
    assert "Đã thêm bản ghi." in page.inner_text(".alert")

    page.fill("input[name=search]", "ngoc hang")
    page.press("input[name=search]", "Enter")
    page.wait_for_url("**search=ngoc+hang**", wait_until="load")
    playwright.expect(page.locator("td.col-full_name")).to_have_text([NEW_NAME])

    page.goto(f"{server}/admin/staff/?page_size=20")
    page.screenshot(path=str(screenshots / "staff-list.png"), full_page=True)
    page.goto(f"{server}/admin/rating/?flt0_0=2022")
    page.screenshot(path=str(screenshots / "ratings-list.png"), full_page=True)

    page.click("#logout")
    page.wait_for_url("**/admin/login/**")
    assert page.goto(f"{server}/admin/staff/").url.startswith(f"{server}/admin/login/")

    log_in(page, server, "chutich")
    page.goto(f"{server}/admin/staff/?search=HẰNG")
    playwright.expect(page.locator("td.col-full_name")).to_have_text([NEW_NAME])
    assert page.locator("a[href^='/admin/staff/new/']").count() == 0  # read-only for him
    # every file came from this server: no CDN
    assert all(u.startswith(server) or u.startswith("data:") for u in requests)
