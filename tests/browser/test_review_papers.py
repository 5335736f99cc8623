"""The review's papers in real Chromium (ND 335/2025 Điều 21, 23, 24; issue 13).

On Hòa Bình's published 2026 cycle (``review_commune``), the personnel officer opens the
cycle page, types the secretary and the count and downloads the meeting's minutes, then
the public list; opens Nguyễn Thị An's rating and downloads her file of the year; from
the tracking grid opens the quarter and half-year table, picks the second half and
downloads it as XLSX.  Each download is read back: the PDFs with pdftotext, the sheet
with openpyxl.
"""
import io
import subprocess
import unicodedata

import openpyxl
import pytest

from canbo.records import users
from review_commune import build_commune

from .conftest import PASSWORD, log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def server(live_panel):
    def setup(_kimtan):
        commune = build_commune()
        users.create_user("canbo-hb", PASSWORD, "OFFICER", commune["unit"])

    return live_panel(setup)


def downloaded(page, click, tmp_path):
    with page.expect_download() as info:
        click()
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    return path


def words(path):
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True,
                         text=True).stdout
    return " ".join(unicodedata.normalize("NFC", out).split())


def test_the_officer_downloads_the_review_papers(server, browser_context, tmp_path,
                                                 screenshots):
    page = browser_context(1280)
    log_in(page, server, "canbo-hb")
    page.goto(f"{server}/admin/workflow/?unit=HOABINH&year=2026")
    papers = page.locator("#review-papers")
    papers.get_by_label("Thư ký").fill("Vũ Thị Thư")
    papers.get_by_label("Số người có mặt").fill("4")
    minutes = downloaded(page, lambda: papers.get_by_role(
        "button", name="Biên bản cuộc họp (PDF)").click(), tmp_path)
    assert minutes.name == "bien-ban-hop-xep-loai-2026-hoabinh.pdf"
    text = words(minutes)
    assert "Thư ký: đồng chí Vũ Thị Thư" in text and "có mặt: 4/4" in text
    assert "Điểm theo dõi, đánh giá trong năm: 86,50 điểm" in text
    public = downloaded(page, lambda: papers.get_by_role(
        "link", name="Danh sách công khai kết quả (PDF)").click(), tmp_path)
    assert "Trần Văn Bảo" in words(public) and "91,25" in words(public)
    page.screenshot(path=str(screenshots / "review-papers-cycle.png"), full_page=True)

    # Her rating page: the file of the year, every paper of Điều 24.2 in one PDF.
    with page.expect_navigation():
        page.locator("#progress").get_by_role("link", name="Nguyễn Thị An").click()
    record = downloaded(page, lambda: page.get_by_role(
        "link", name="Hồ sơ điện tử năm 2026 (PDF)").click(), tmp_path)
    text = words(record)
    assert text.count("PHIẾU THEO DÕI, ĐÁNH GIÁ CÔNG CHỨC") == 12
    assert "Chi bộ nhất trí: gương mẫu, đoàn kết" in text
    assert "Giữ nguyên: điểm tháng 3 đúng" in text

    # Điều 23: from the grid to the half year, on screen and as XLSX.
    page.goto(f"{server}/admin/tracking/?unit=HOABINH&year=2026")
    with page.expect_navigation():
        page.get_by_role("link", name="Kết quả quý, 6 tháng (Điều 23)").click()
    page.select_option("#pick-period", "h2")
    with page.expect_navigation():
        page.get_by_role("button", name="Xem").click()
    row = page.locator("#parts tr", has_text="HB01")
    assert "89,50" in row.inner_text()
    sheet = downloaded(page, lambda: page.get_by_role(
        "link", name="Tải về Excel (XLSX)").click(), tmp_path)
    rows = list(openpyxl.load_workbook(io.BytesIO(sheet.read_bytes())).active.values)
    assert next(r for r in rows if r[0] == "HB01")[8] == 89.5
    page.screenshot(path=str(screenshots / "review-parts.png"), full_page=True)
