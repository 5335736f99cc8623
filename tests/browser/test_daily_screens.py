"""Daily use of the panel in a real Chromium (issue 14): the viewer's screens carry no
control that changes a record, a qualification's level box lists only its kind's
levels, every list's search hint is read whole in its box, and the import preview lists the cells converted from old Vietnamese fonts.

Saves ``viewer-staff-list.png``, ``qualification-levels.png``, ``search-box.png`` and
``import-legacy-cells.png`` (see conftest.py for where).
"""
import io

import openpyxl
import pytest

from canbo.records import users

from .conftest import PASSWORD, log_in, playwright

pytestmark = pytest.mark.browser


@pytest.fixture
def server(live_panel):
    def accounts(unit):
        users.create_user("canbo", PASSWORD, "OFFICER", unit)
        users.create_user("xem", PASSWORD, "VIEWER", unit)
        users.create_user("quantri", PASSWORD, "ADMIN", None)

    return live_panel(accounts)


@pytest.fixture
def page(browser_context):
    return browser_context(1366)


def test_the_viewer_reads_without_edit_controls(server, page, screenshots):
    log_in(page, server, "xem")
    menu = page.locator("nav").inner_text()
    assert "Cán bộ, công chức" in menu and "Theo dõi, đánh giá hằng tháng" not in menu
    page.goto(f"{server}/admin/staff/")
    playwright.expect(page.locator("td.col-full_name").first).to_be_visible()
    page.screenshot(path=str(screenshots / "viewer-staff-list.png"))
    for url in ("/admin/staff/", "/admin/rating/?flt0_0=2022", "/admin/department/",
                "/admin/title/"):
        page.goto(server + url)
        for control in (".fa-archive", ".fa-pencil", ".fa-trash", "a[href*='/new/']",
                        "a[href*='/edit/']", "form[action*='/delete/']"):
            assert page.locator(control).count() == 0, f"{control} on {url}"
    # the eye opens a record, read-only
    page.goto(f"{server}/admin/staff/")
    page.locator("a[href*='/details/']").first.click()
    assert "Họ và tên" in page.inner_text("body")
    assert page.locator("a[href*='/edit/']").count() == 0


def test_the_level_box_lists_only_the_levels_of_the_kind_chosen(server, page, screenshots):
    log_in(page, server, "canbo")
    page.goto(f"{server}/admin/staff/new/")
    page.click("#qualifications-button")
    kind, level = page.locator("#qualifications-0-kind"), page.locator("#qualifications-0-level")

    def shown():
        return level.locator("option").all_inner_texts()

    kind.select_option("EDUCATION")
    assert shown() == ["Tiến sĩ", "Thạc sĩ", "Đại học", "Cao đẳng", "Trung cấp", "Sơ cấp",
                       "Chưa qua đào tạo"]
    level.select_option("TC")
    kind.select_option("POLITICAL_THEORY")
    assert shown() == ["Cử nhân", "Cao cấp", "Trung cấp", "Sơ cấp", "Chưa qua đào tạo"]
    assert level.input_value() == "TC"  # "Trung cấp" is a level of both: kept
    kind.select_option("STATE_MANAGEMENT")
    assert shown() == ["Chuyên viên cao cấp", "Chuyên viên chính", "Chuyên viên", "Cán sự",
                       "Chưa qua đào tạo"]
    assert level.input_value() == "CVCC"  # not one of its levels: the first instead
    page.screenshot(path=str(screenshots / "qualification-levels.png"), full_page=True)


#: The width the placeholder's text takes in its box, in CSS pixels (canvas metrics with
#: the box's own font), beside the room the box gives it.
PLACEHOLDER_ROOM = """e => {
  const style = getComputedStyle(e);
  const context = document.createElement("canvas").getContext("2d");
  context.font = style.font;
  return [context.measureText(e.placeholder).width,
          e.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight)];
}"""


def test_every_search_hint_is_read_whole_in_its_box(server, page, screenshots):
    page.set_viewport_size({"width": 1366, "height": 768})
    log_in(page, server, "quantri")
    for url in ("/admin/staff/", "/admin/rating/?flt0_0=2022", "/admin/title/",
                "/admin/department/", "/admin/unit/", "/admin/user/", "/admin/auditlog/"):
        page.goto(server + url)
        box = page.locator("input[name=search]")
        assert box.get_attribute("placeholder").startswith("Tìm")
        text, room = box.evaluate(PLACEHOLDER_ROOM)
        assert text <= room, f"{url}: «{box.get_attribute('placeholder')}» {text:.0f}px > {room:.0f}px"
    page.goto(f"{server}/admin/staff/")
    page.screenshot(path=str(screenshots / "search-box.png"))


def legacy_workbook():
    """Most names in Unicode; one pasted from a .VnTime (TCVN3) file, one from VNI."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Cán bộ"
    for row in (["Mã", "Họ và tên", "Loại"], ["KT90", "Nguyễn Văn Hùng", "Công chức"],
                ["KT91", "§inh V¨n Tïng", "Công chức"], ["KT92", "Ñoã Thò AÙnh", "Cán bộ"]):
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_the_import_preview_lists_the_cells_converted_from_old_fonts(server, page,
                                                                      screenshots):
    log_in(page, server, "canbo")
    page.goto(f"{server}/admin/import/")
    page.set_input_files("#file", files=[{
        "name": "ds-cu.xlsx", "buffer": legacy_workbook(),
        "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}])
    page.click("button:has-text('Kiểm tra tệp')")
    rows = page.locator("#converted tbody tr")
    playwright.expect(rows).to_have_count(2)
    assert rows.nth(0).locator("td").all_inner_texts() == [
        "Cán bộ", "3", "«Họ và tên» (B)", "§inh V¨n Tïng", "Đinh Văn Tùng", "TCVN3"]
    assert rows.nth(1).locator("td").all_inner_texts() == [
        "Cán bộ", "4", "«Họ và tên» (B)", "Ñoã Thò AÙnh", "Đỗ Thị Ánh", "VNI"]
    page.locator("#preview").screenshot(path=str(screenshots / "import-legacy-cells.png"))
    page.click("#confirm")
    playwright.expect(page.locator(".alert").first).to_be_visible()
    page.goto(f"{server}/admin/staff/?search=dinh+van+tung")
    playwright.expect(page.locator("td.col-full_name")).to_have_text(["Đinh Văn Tùng"])
