"""The yearly cycle taken many people at a time, in real Chromium (issue 14, "cycle").

On the demo commune, Kim Tân, whose 2025 is not rated yet:

- the officer opens the 2025 cycle, downloads the self-assessment sheet prefilled with
  the 18 people, fills it in (as the paper forms say) and uploads it; then ticks
  "Chọn tất cả", types the unit meeting's comment and proposes everyone at once, each at
  the level the table offers (their self-rating);
- the chairman ticks every row of a cycle whose civil servants propose 2 "excellent" for
  6 "good" and approves: refused by the quota with its numbers, nothing approved;
- a civil servant transferred in after the cycle opened joins it as the officer opens
  the page.

Saves ``cycle-bulk-proposed.png`` (see conftest.py for where).
"""
import datetime

import openpyxl
import pytest

from canbo.models import Rating, Staff, User
from canbo.rating import bulk, guards
from canbo.rating import workflow as wf
from canbo.records import users

from .conftest import PASSWORD, log_in

pytestmark = pytest.mark.browser
YEAR = 2025
PAGE = f"/admin/workflow/?unit=KIMTAN&year={YEAR}"
EXCELLENT = ("KT13", "KT14")  # two civil servants who rate themselves "excellent"


def accounts(unit):
    users.create_user("canbo", PASSWORD, "OFFICER", unit)
    users.create_user("chutich", PASSWORD, "CHAIRMAN", unit)


def submit(page, selector):
    with page.expect_navigation():
        page.click(selector)


def alert(page):
    return " ".join(page.inner_text(".alert").split())


def test_the_officer_self_assesses_and_proposes_eighteen_people_at_once(
        live_panel, browser_context, tmp_path, screenshots):
    server = live_panel(accounts)
    page = browser_context(1366)
    log_in(page, server, "canbo")
    page.goto(f"{server}{PAGE}")
    submit(page, "button:has-text('Mở kỳ đánh giá')")
    assert "Đã mở kỳ đánh giá năm 2025." in alert(page)
    assert page.locator("#progress tbody tr").count() == 18

    with page.expect_download() as info:
        page.click("#self-template")
    sheet_path = tmp_path / info.value.suggested_filename
    info.value.save_as(sheet_path)
    assert sheet_path.name == "tu-danh-gia-KIMTAN-2025.xlsx"
    book = openpyxl.load_workbook(sheet_path)
    sheet = book["Tự đánh giá"]
    for row in range(2, sheet.max_row + 1):
        excellent = sheet.cell(row, 1).value in EXCELLENT
        sheet.cell(row, 3).value = ("Hoàn thành xuất sắc nhiệm vụ" if excellent
                                    else "Hoàn thành tốt nhiệm vụ")
        sheet.cell(row, 4).value = "Hoàn thành đầy đủ các nhiệm vụ được giao trong năm."
    assert sheet.max_row == 19
    book.save(sheet_path)

    page.set_input_files("#self-sheet", str(sheet_path))
    assert page.inner_text("#self-sheet-name") == sheet_path.name
    submit(page, "#self-sheet-upload")
    assert "Đã ghi tự đánh giá của 18 người." in alert(page)
    kt13 = Rating.select().join(Staff).where(Staff.code == "KT13", Rating.year == YEAR).get()
    assert page.locator(f"select[name=level-{kt13.id}]").input_value() == "HTXSNV"

    page.check("#select-all")
    assert page.locator("#progress input.pick:checked").count() == 18
    page.fill("#bulk-comments", "Nhất trí với nội dung tự đánh giá")
    submit(page, "#propose-selected")
    assert "Đã đề xuất mức xếp loại cho 18 người." in alert(page)
    assert page.locator("#progress tbody tr", has_text="Đã đề xuất").count() == 18
    page.screenshot(path=str(screenshots / "cycle-bulk-proposed.png"), full_page=True)
    proposed = {r.staff.code: r.level for r in Rating.select(Rating, Staff).join(Staff)
                .where(Rating.year == YEAR)}
    assert proposed["KT13"] == "HTXSNV" and proposed["KT20"] == "HTTNV"
    assert set(Rating.select(Rating.status).where(Rating.year == YEAR)
               .tuples()) == {("PROPOSED",)}


def _proposed_cycle(unit):
    """The 2025 cycle with everyone proposed at their self-rating: KT13 and KT14
    "excellent", the leaders with the Party committee's opinion."""
    accounts(unit)
    officer = User.get(User.username == "canbo")
    cycle = wf.open_cycle(officer, unit, YEAR)
    ratings = guards.cycle_ratings(cycle)
    bulk.self_assess_rows(officer, cycle, [
        {"row": n, "code": r.staff.code, "text": None,
         "self_level": "HTXSNV" if r.staff.code in EXCELLENT else "HTTNV"}
        for n, r in enumerate(ratings, 2)])
    bulk.propose_many(officer, cycle, {
        r.id: "HTXSNV" if r.staff.code in EXCELLENT else "HTTNV" for r in ratings},
        comments="Nhất trí", meeting_on=datetime.date(2025, 12, 5))
    for r in guards.cycle_ratings(cycle):
        if r.staff.leader_role != "NONE":
            wf.record_comments(officer, r, "Nhất trí", datetime.date(2025, 12, 5),
                               party_opinion="Đảng ủy nhất trí")


def test_the_chairmans_bulk_approval_is_refused_by_the_quota(live_panel, browser_context):
    server = live_panel(_proposed_cycle)
    page = browser_context(1366)
    log_in(page, server, "chutich")
    page.goto(f"{server}{PAGE}")
    page.check("#select-all")
    submit(page, "button[value=approve_selected]")
    message = alert(page)
    assert "Không thể phê duyệt (1 vi phạm)" in message
    assert "6 người HTTNV × 20% = 1,2 → tối đa 1 người HTXSNV; đang đề xuất 2" in message
    assert "Đã phê duyệt" not in message
    assert not Rating.select().where(Rating.year == YEAR, Rating.status == "APPROVED").exists()
    assert page.locator("#progress tbody tr", has_text="Đã phê duyệt").count() == 0


def test_a_late_joiner_is_added_to_the_cycle(live_panel, browser_context):
    def setup(unit):
        accounts(unit)
        wf.open_cycle(User.get(User.username == "canbo"), unit, YEAR)
        Staff(unit=unit, code="KT31", full_name="Tạ Văn Sang", kind="CIVIL_SERVANT",
              joined_on=datetime.date(2025, 3, 1)).save()  # transferred in, imported later

    server = live_panel(setup)
    page = browser_context(1366)
    log_in(page, server, "canbo")
    page.goto(f"{server}{PAGE}")
    assert "Đã thêm 1 người mới vào đợt: Tạ Văn Sang (Chưa tự đánh giá)." in alert(page)
    row = page.locator("#progress tbody tr", has_text="Tạ Văn Sang")
    assert row.count() == 1 and "Chưa tự đánh giá" in row.inner_text()
    assert page.locator("#progress tbody tr").count() == 19
    page.reload()
    assert page.locator(".alert", has_text="người mới").count() == 0  # added once
    submit(page, "#add-people")
    assert "Không có người mới" in alert(page)
