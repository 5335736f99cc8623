"""The year's catalogue of products in a real headless Chromium (ND 335/2025 Điều 13).

The officer creates Kim Tân's 2026 catalogue, sets the standard product, imports the
commune's workbook (Quyết định 283/QĐ-UBND's annexes) and adds a product; the chairman
records the decision; after that no product can be edited, and a supplement (Điều 13.3)
adds one product that applies from its own date.  Saves ``catalogue.png``.
"""
import pytest

import catalogue_books as books
from canbo import db as dbm
from canbo.models.tracking import Catalogue, Product
from canbo.records import users
from conftest import drop_demo_2026

from .conftest import PASSWORD, log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def server(live_panel):
    def setup(unit):
        drop_demo_2026(dbm.database)  # the demo's 2026 is decided; this builds its own
        users.create_user("canbo", PASSWORD, "OFFICER", unit)
        users.create_user("chutich", PASSWORD, "CHAIRMAN", unit)

    return live_panel(setup)


def test_the_officer_builds_the_catalogue_and_the_chairman_decides_and_supplements(
        server, browser_context, screenshots, tmp_path):
    workbook = tmp_path / "qd-283-2026.xlsx"
    workbook.write_bytes(books.nghia_lam().getvalue())

    officer = browser_context(1280)
    log_in(officer, server, "canbo")
    officer.get_by_role("link", name="Danh mục sản phẩm").click()
    officer.fill("#year", "2026")
    officer.get_by_role("button", name="Lập danh mục").click()
    officer.wait_for_url("**/admin/catalogue/*")
    assert "Danh mục sản phẩm/công việc năm 2026 — UBND xã Kim Tân" in officer.inner_text("h1")
    assert "Dự thảo" in officer.inner_text("#status")

    officer.fill("#standard_product", books.STANDARD[0])
    officer.fill("#standard_points", "5")
    officer.get_by_role("button", name="Ghi sản phẩm chuẩn").click()
    assert "Soạn thảo văn bản hành chính đơn giản, 5 điểm, hệ số 1" in officer.inner_text(
        "#status")

    officer.set_input_files("#file", str(workbook))
    officer.get_by_role("button", name="Nhập tệp").click()
    body = officer.inner_text("body")
    assert "Đã nhập 11 sản phẩm. Bỏ qua trang «PL I - Tiêu chí chung»" in body
    assert "PL III - Nhiệm vụ chung – Công tác văn bản" in officer.inner_text("#products")

    officer.fill("#section", "Văn phòng")
    officer.fill("#name", "Tờ trình đề nghị khen thưởng")
    officer.select_option("#group", "2")
    officer.fill("#range", "11-50")
    officer.fill("#points", "15")
    officer.get_by_role("button", name="Thêm sản phẩm").click()
    added = Product.get(Product.name == "Tờ trình đề nghị khen thưởng")
    row = officer.locator(f"#product-{added.id}")
    assert "Tờ trình đề nghị khen thưởng" in row.inner_text() and "3" in row.inner_text()
    assert officer.get_by_role("link", name="Sửa Tờ trình đề nghị khen thưởng").count() == 1
    assert officer.locator("#decide").count() == 0  # the chairman decides

    chairman = browser_context(1280)
    log_in(chairman, server, "chutich")
    catalogue = Catalogue.get(Catalogue.year == 2026)
    url = f"{server}/admin/catalogue/{catalogue.id}"
    chairman.goto(url)
    assert chairman.locator("#add").count() == 0  # the officer edits
    chairman.fill("#number", "283/QĐ-UBND")
    chairman.fill("#date", "31/05/2026")
    chairman.get_by_role("button", name="Ghi quyết định và khóa danh mục").click()
    assert "Đã phê duyệt: Quyết định số 283/QĐ-UBND ngày 31/05/2026" in chairman.inner_text(
        "#status")

    officer.goto(url)
    assert officer.get_by_role("link", name="Sửa Tờ trình đề nghị khen thưởng").count() == 0
    assert officer.locator("#add").count() == 0 and officer.locator("#import").count() == 0
    officer.goto(f"{url}/product/{added.id}")
    assert "sản phẩm không sửa, không xóa được" in officer.inner_text("body")
    assert officer.get_by_role("button", name="Lưu").count() == 0

    chairman.fill("#s-number", "45/QĐ-UBND")
    chairman.fill("#s-decided", "20/06/2026")
    chairman.fill("#s-from", "01/07/2026")
    chairman.fill("#new-name", "Báo cáo chuyển đổi số")
    chairman.select_option("#new-group", "2")
    chairman.fill("#new-range", "11-50")
    chairman.fill("#new-points", "20")
    chairman.get_by_role("button", name="Ghi quyết định bổ sung").click()
    assert "Đã bổ sung 1 sản phẩm theo Quyết định số 45/QĐ-UBND" in chairman.inner_text("body")
    supplement = Product.get(Product.name == "Báo cáo chuyển đổi số")
    row = chairman.locator(f"#product-{supplement.id}").inner_text()
    assert "Bổ sung 45/QĐ-UBND · từ 01/07/2026" in row and "4" in row  # 20 ÷ 5
    assert "Bổ sung: Quyết định số 45/QĐ-UBND ngày 20/06/2026, áp dụng từ 01/07/2026" in (
        chairman.inner_text("#status"))
    assert Product.select().where(Product.catalogue == catalogue).count() == 13
    chairman.screenshot(path=str(screenshots / "catalogue.png"), full_page=True)
