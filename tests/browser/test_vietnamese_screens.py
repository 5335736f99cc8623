"""What a person meets beside the records, in a real headless Chromium (issue 14): the
error pages in the panel's layout with a way back, and the file inputs' Vietnamese
control instead of Chromium's "Choose File / No file chosen"."""
import datetime
import types

import pytest

from canbo.records import users
from canbo.tracking import catalogue as catalogues

from .conftest import PASSWORD, log_in

pytestmark = pytest.mark.browser
YEAR = datetime.date.today().year
ACTOR = types.SimpleNamespace(role="ADMIN", unit_id=None, username="admin", active=True,
                              staff_id=None)


@pytest.fixture
def server(live_panel):
    def setup(unit):
        users.create_user("canbo", PASSWORD, "OFFICER", unit)
        users.create_user("xem", PASSWORD, "VIEWER", unit)
        catalogues.open_catalogue(ACTOR, unit, YEAR)

    return live_panel(setup)


def test_error_pages_are_vietnamese_with_a_way_back(server, browser_context, screenshots):
    page = browser_context(1366)
    log_in(page, server, "xem")
    page.goto(f"{server}/admin/staff/")
    response = page.goto(f"{server}/admin/staff/new/")
    assert response.status == 403
    card = page.inner_text("#error-page")
    assert "Không có quyền" in card
    assert "Vai trò Người xem không được thêm mới mục «Cán bộ, công chức»" in card
    assert "chỉ: Quản trị hệ thống, Cán bộ phụ trách tổ chức" in card
    assert "Forbidden" not in page.content()
    assert page.locator("nav.navbar").is_visible()  # the panel's own layout
    page.screenshot(path=str(screenshots / "error-403.png"))
    page.click("#error-home")
    page.wait_for_url(lambda url: "/admin" in url and "/new/" not in url)

    response = page.goto(f"{server}/admin/khong-co-trang-nay/")
    assert response.status == 404
    assert "Không tìm thấy" in page.inner_text("#error-page")
    assert "Not Found" not in page.content()


def test_file_inputs_are_a_vietnamese_control(server, browser_context, tmp_path):
    sheet = tmp_path / "danh-sach.xlsx"
    sheet.write_bytes(b"PK")  # only its name matters here
    page = browser_context(1366)
    log_in(page, server, "canbo")
    # the demo's 2026 catalogue is decided (no upload): the month's assignment sheet has one
    for url in ("/admin/import/", "/admin/monthly/assign-sheet"):
        page.goto(server + url)
        control = page.locator(".canbo-file").first
        assert control.locator("label").inner_text().strip() == "Chọn tệp…"
        assert control.locator(".canbo-file-name").inner_text() == "Chưa chọn tệp"
        box = control.locator("input[type=file]").bounding_box()
        assert box["width"] <= 1 and box["height"] <= 1  # Chromium's own button unseen
        with page.expect_file_chooser() as chooser:
            control.locator("label").click()  # the label opens the file dialog
        chooser.value.set_files(str(sheet))
        assert control.locator(".canbo-file-name").inner_text() == "danh-sach.xlsx"
