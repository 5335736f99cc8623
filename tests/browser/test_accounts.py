"""The people's accounts in a real headless Chromium: the officer makes the unit's accounts
and downloads the slips and the list; a civil servant logs in (on a phone) with the
one-time password from the list, is made to change it, and lands on their own months.

Saves ``accounts-bulk.png`` and ``password-change.png`` (see conftest.py for where).
"""
import pathlib

import openpyxl
import pytest
from pypdf import PdfReader

from canbo.records import users

from .conftest import PASSWORD, log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def server(live_panel):
    return live_panel(lambda unit: users.create_user("canbo", PASSWORD, "OFFICER", unit))


def test_officer_makes_the_accounts_and_a_civil_servant_sets_their_password(
        server, browser_context, screenshots, tmp_path):
    officer = browser_context(1366)
    log_in(officer, server, "canbo")
    officer.goto(f"{server}/admin/accounts/")
    assert "Chưa có" in officer.inner_text("#people")
    officer.click("#create-accounts")
    officer.wait_for_selector("#downloads")
    assert "Đã tạo 19 tài khoản" in officer.inner_text("h1")
    officer.screenshot(path=str(screenshots / "accounts-bulk.png"), full_page=True)

    with officer.expect_download() as got:
        officer.click("#download-pdf")
    slips = tmp_path / got.value.suggested_filename
    got.value.save_as(slips)
    assert slips.suffix == ".pdf" and len(PdfReader(str(slips)).pages) == 19
    with officer.expect_download() as got:
        officer.click("#download-xlsx")
    listing = tmp_path / "list.xlsx"
    got.value.save_as(listing)
    rows = openpyxl.load_workbook(listing)["Tài khoản mới"].iter_rows(min_row=2,
                                                                      values_only=True)
    password = next(r[5] for r in rows if r[4] == "kt13")

    officer.goto(f"{server}/admin/accounts/")
    assert "Mọi người đang công tác của đơn vị đều đã có tài khoản" in officer.inner_text("body")
    officer.click("#logout")

    phone = browser_context(375)
    log_in(phone, server, "kt13", password)
    assert pathlib.PurePosixPath(phone.url.split("?")[0]).name == "password"
    assert "mật khẩu dùng một lần" in phone.inner_text("#forced")
    phone.goto(f"{server}/admin/monthly/")  # every other page sends them back
    assert "/admin/password/" in phone.url

    phone.fill("#old_password", password)
    phone.fill("#password", "ngan")
    phone.fill("#repeated", "ngan")
    phone.click("#change-password")
    assert "ít nhất 8 ký tự" in phone.inner_text("#password-form")
    phone.fill("#old_password", password)
    phone.fill("#password", "cua-toi-2026")
    phone.fill("#repeated", "cua-toi-2026")
    phone.screenshot(path=str(screenshots / "password-change.png"), full_page=True)
    phone.click("#change-password")
    phone.wait_for_url("**/admin/monthly/**")
    assert "Đã đổi mật khẩu" in phone.inner_text(".alert")
    assert "Nguyễn Thị Ngọc Ánh (KT13)" in phone.inner_text("#my-months")

    again = browser_context(375)  # a new browser: the new password, no detour
    log_in(again, server, "kt13", "cua-toi-2026")
    assert "/admin/password/" not in again.url
