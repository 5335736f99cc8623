"""Sessions and passwords in a real headless Chromium (issue 16): after logging out, the
session cookie taken from the browser's storage opens nothing in another browser; the
"Đổi mật khẩu" page refuses a common password with the Vietnamese reason; the other
sessions end with the change; too many wrong logins from one machine get the 429 page.

Saves ``password-weak.png`` (see conftest.py for where).
"""
import pytest

from canbo.records import users

from .conftest import PASSWORD, log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def server(live_panel):
    return live_panel(lambda unit: users.create_user("canbo", PASSWORD, "OFFICER", unit))


def _copy_into(page, cookies):
    page.context.add_cookies(cookies)
    return page


def test_the_cookie_kept_from_before_logout_no_longer_opens_the_panel(server, browser_context):
    page = browser_context(1366)
    log_in(page, server, "canbo")
    kept = page.context.storage_state()["cookies"]
    assert any(c["name"] == "session" for c in kept)
    other = _copy_into(browser_context(1366), kept)
    other.goto(f"{server}/admin/staff/")
    assert "/login" not in other.url  # the copy works while the session lives
    page.click("#logout")
    page.wait_for_url(lambda url: "/login" in url)
    assert "Đã đăng xuất" in page.inner_text("body")

    stale = _copy_into(browser_context(1366), kept)
    stale.goto(f"{server}/admin/")
    assert "/admin/login/" in stale.url
    assert "Phiên đăng nhập đã kết thúc" in stale.inner_text("body")
    stale.goto(f"{server}/admin/staff/")
    assert "/admin/login/" in stale.url


def _change_password(page, new):
    """Fill the password page's three boxes (old, new twice) and send it."""
    page.fill("#old_password", PASSWORD)
    page.fill("#password", new)
    page.fill("#repeated", new)
    page.click("#change-password")


def test_a_weak_password_is_refused_and_a_change_ends_the_other_sessions(
        server, browser_context, screenshots):
    page = browser_context(1366)
    log_in(page, server, "canbo")
    elsewhere = _copy_into(browser_context(1366), page.context.storage_state()["cookies"])
    page.goto(f"{server}/admin/password/")
    assert "không phải mật khẩu phổ biến" in page.inner_text("#password-form")
    _change_password(page, "matkhau123")
    page.wait_for_selector(".invalid-feedback")
    assert "Mật khẩu này quá phổ biến, dễ bị đoán" in page.inner_text("#password-form")
    page.screenshot(path=str(screenshots / "password-weak.png"), full_page=True)
    _change_password(page, "12345678901")
    page.wait_for_selector(".invalid-feedback")
    assert "không được chỉ gồm chữ số" in page.inner_text("#password-form")

    _change_password(page, "Hoa-sen-2026")
    page.wait_for_url(lambda url: "/password" not in url)
    assert "Đã đổi mật khẩu" in page.inner_text("body")
    page.goto(f"{server}/admin/staff/")
    assert "/login" not in page.url  # the browser that changed it goes on
    elsewhere.goto(f"{server}/admin/staff/")
    assert "/admin/login/" in elsewhere.url  # the other one is logged out


def test_too_many_wrong_logins_from_one_machine_get_the_vietnamese_429(server,
                                                                       browser_context):
    page = browser_context(1366)
    for _ in range(users.ADDRESS_ACCOUNT_FAILURES):
        page.goto(f"{server}/admin/login/")
        page.fill("input[name=username]", "canbo")
        page.fill("input[name=password]", "doan-bua-123")
        page.click("button[type=submit]")
        assert "Tên đăng nhập hoặc mật khẩu không đúng" in page.inner_text("body")
    page.goto(f"{server}/admin/login/")
    page.fill("input[name=username]", "canbo")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    assert "Tạm dừng đăng nhập từ máy này" in page.inner_text("#error-page")
    assert "hãy thử lại sau" in page.inner_text("#error-detail")
