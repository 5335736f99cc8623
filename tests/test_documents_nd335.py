"""The papers of the yearly review under ND 335/2025: the meeting's minutes, the notice
to each civil servant, the public list (Điều 21, 22), the quarter and half-year table
(Điều 23) and the person's electronic file of the year (Điều 24).

The tests build their own commune (Hòa Bình, ``review_commune``) on an empty database,
so they do not depend on the demo's 2026 data."""
import io
import re
import subprocess
import unicodedata

import pytest
from pypdf import PdfReader

from canbo.documents import review
from canbo.errors import InvalidInput, NoData
from canbo.models import Rating, Unit
from canbo.models.cycle import Evaluation
from canbo.models.tracking import Sheet
from review_commune import YEAR, build_commune


def pdftotext(data, tmp_path, layout=True):
    path = tmp_path / "doc.pdf"
    path.write_bytes(data)
    args = ["pdftotext", "-layout"] if layout else ["pdftotext"]
    out = subprocess.run([*args, str(path), "-"], capture_output=True, check=True, text=True)
    return unicodedata.normalize("NFC", out.stdout)


def flat(data, tmp_path):
    """The PDF's words on one line (a paragraph's line breaks do not matter)."""
    return " ".join(pdftotext(data, tmp_path, layout=False).split())


def pages(data):
    return len(PdfReader(io.BytesIO(data)).pages)


@pytest.fixture
def commune(db):
    return build_commune()


# --- the minutes (Điều 21.1.b, 21.2.b) ---------------------------------------------------


def test_minutes_have_the_meeting_the_attendees_and_each_persons_review(commune, tmp_path):
    data = review.minutes_pdf(commune["unit"], YEAR)
    text = flat(data, tmp_path)
    assert "BIÊN BẢN" in text
    assert "Cuộc họp nhận xét, đánh giá, xếp loại chất lượng công chức năm 2026" in text
    assert "Hòa Bình, ngày 08 tháng 12 năm 2026" in text
    assert "Thời gian: ngày 08 tháng 12 năm 2026" in text
    assert "Địa điểm: Trụ sở Ủy ban nhân dân xã Hòa Bình" in text
    assert "Chủ trì: đồng chí Lê Văn Chính, Chủ tịch UBND" in text
    # In post on the meeting's day: four (Đức left in October; Em is a part-timer).
    assert "Tổng số: 4 người; có mặt: ....../4" in text
    layout = pdftotext(data, tmp_path)
    attendees = re.findall(r"^\s*(\d)\s+(.+?)\s{2,}(.+?)\s*$",
                           layout[layout.index("STT"):layout.index("NỘI DUNG")], re.M)
    assert attendees == [("1", "Nguyễn Thị An", "Văn phòng – thống kê"),
                         ("2", "Trần Văn Bảo", "Tư pháp – hộ tịch"),
                         ("3", "Lê Văn Chính", "Chủ tịch UBND"),
                         ("4", "Phạm Thị Cúc", "Văn hóa – xã hội")]
    an = re.search(r"Đồng chí Nguyễn Thị An(.*?)Đồng chí Trần Văn Bảo", text).group(1)
    assert "Ưu điểm: Hoàn thành 100% sản phẩm đúng hạn" in an
    assert "Hạn chế: Còn chậm báo cáo quý III" in an
    assert "Tập thể nhất trí đề nghị mức hoàn thành tốt nhiệm vụ <b>" in an  # escaped
    assert "Điểm theo dõi, đánh giá trong năm: 86,50 điểm" in an
    assert "Mức xếp loại chất lượng đề xuất: Hoàn thành tốt nhiệm vụ" in an
    assert "Điểm theo dõi, đánh giá trong năm: 91,25 điểm" in text
    # The person not rated is not reviewed; the signatures close the minutes.
    assert "Đồng chí Phạm Thị Cúc" not in text
    assert text.index("THƯ KÝ") < text.index("CHỦ TRÌ") and text.endswith("Lê Văn Chính")


def test_minutes_print_the_secretary_and_the_count_given(commune, tmp_path):
    meeting = review.Meeting(secretary="Vũ Thị Thư", present=3, place="Hội trường xã")
    text = flat(review.minutes_pdf(commune["unit"], YEAR, meeting=meeting), tmp_path)
    assert "Thư ký: đồng chí Vũ Thị Thư" in text and "Địa điểm: Hội trường xã" in text
    assert "có mặt: 3/4; vắng mặt: 1" in text


@pytest.mark.parametrize("present, message", [(9, "lớn hơn số công chức"), (-1, "không âm")])
def test_minutes_refuse_a_count_that_cannot_be(commune, present, message):
    with pytest.raises(InvalidInput, match=message):
        review.minutes_pdf(commune["unit"], YEAR, meeting=review.Meeting(present=present))


def test_minutes_of_a_year_without_ratings_say_so(commune):
    with pytest.raises(NoData, match="không có bản ghi xếp loại nào của năm 2025"):
        review.minutes_pdf(commune["unit"], 2025)


def test_minutes_without_a_meeting_date_leave_dots(commune, tmp_path):
    Evaluation.update(meeting_on=None).execute()
    text = flat(review.minutes_pdf(commune["unit"], YEAR), tmp_path)
    assert "Thời gian: ngày ...... tháng ...... năm 2026" in text


# --- the notice (Điều 21.đ, Điều 22) ------------------------------------------------------


def test_notice_tells_the_points_the_level_and_the_right_to_object(commune, tmp_path):
    text = flat(review.notice_pdf(commune["an"], YEAR), tmp_path)
    assert "THÔNG BÁO" in text and "Kết quả đánh giá, xếp loại chất lượng công chức năm 2026" \
        in text
    assert "Hòa Bình, ngày 11 tháng 12 năm 2026" in text  # the cycle's notice date
    assert "Kính gửi: đồng chí Nguyễn Thị An, Văn phòng – thống kê" in text
    assert "Điểm theo dõi, đánh giá cả năm: 86,50 điểm" in text
    assert "Mức xếp loại chất lượng: Hoàn thành tốt nhiệm vụ (quyết định ngày 10/12/2026)" in text
    assert ("có quyền kiến nghị. Người có thẩm quyền đánh giá, xếp loại chất lượng công chức "
            "phải giải quyết kiến nghị trong thời hạn 07 ngày làm việc kể từ ngày nhận được "
            "kiến nghị (Điều 22 Nghị định số 335/2025/NĐ-CP)") in text
    assert "CẤP CÓ THẨM QUYỀN XẾP LOẠI" in text and text.rstrip().endswith("Lê Văn Chính")


def test_no_notice_before_the_result_is_decided(commune):
    Rating.update(status="PROPOSED").where(Rating.staff == commune["an"].id).execute()
    with pytest.raises(NoData, match="Nguyễn Thị An .HB01. chưa có kết quả"):
        review.notice_pdf(commune["an"], YEAR)
    with pytest.raises(NoData, match="chưa có kết quả"):
        review.notice_pdf(commune["cuc"], YEAR)


def test_the_units_notices_are_one_pdf_one_per_decided_person(commune, tmp_path):
    data = review.unit_notices_pdf(commune["unit"], YEAR)
    assert pages(data) == 2
    text = flat(data, tmp_path)
    assert "Kính gửi: đồng chí Nguyễn Thị An" in text
    assert "Kính gửi: đồng chí Trần Văn Bảo" in text
    assert "Phạm Thị Cúc" not in text


# --- the public list (Điều 21.đ) ----------------------------------------------------------


def test_announcement_lists_the_decided_in_staff_order_with_totals(commune, tmp_path):
    text = pdftotext(review.announcement_pdf(commune["unit"], YEAR), tmp_path)
    assert "DANH SÁCH CÔNG KHAI KẾT QUẢ" in text
    rows = re.findall(r"^\s*(\d)\s+(.+?)\s{2,}(.+?)\s{2,}(\d+,\d\d)\s+(.+?)\s*$", text, re.M)
    assert [(r[0], r[1], r[3], r[4]) for r in rows] == [
        ("1", "Nguyễn Thị An", "86,50", "Hoàn thành tốt nhiệm vụ"),
        ("2", "Trần Văn Bảo", "91,25", "Hoàn thành xuất sắc nhiệm vụ"),
    ]
    words = " ".join(text.split())
    assert "Tổng số: 02 người" in words  # counts as the decision writes them
    assert "- Hoàn thành xuất sắc nhiệm vụ: 01 người;" in words
    assert "- Hoàn thành tốt nhiệm vụ: 01 người;" in words
    assert "- Không hoàn thành nhiệm vụ: 00 người;" in words
    assert "Phạm Thị Cúc" not in words
    assert "Hòa Bình, ngày 11 tháng 12 năm 2026" in words


def test_announcement_before_any_decision_says_so(commune):
    Rating.update(status="PROPOSED").execute()
    with pytest.raises(NoData, match="chưa thể công khai"):
        review.announcement_pdf(commune["unit"], YEAR)


# --- the electronic file (Điều 24) --------------------------------------------------------


def test_the_file_holds_every_paper_of_the_persons_year(commune, tmp_path):
    data = review.file_pdf(commune["an"], YEAR)
    text = flat(data, tmp_path)
    assert "HỒ SƠ ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG CÔNG CHỨC NĂM 2026" in text
    assert "Nguyễn Thị An (mã HB01)" in text
    # a) the minutes' extract: her part only
    assert "(Trích phần nhận xét, đánh giá đồng chí Nguyễn Thị An)" in text
    assert "Tập thể nhất trí đề nghị mức hoàn thành tốt nhiệm vụ" in text
    assert "Đồng chí Trần Văn Bảo" not in text
    # b) the twelve monthly sheets, c) the yearly sheet
    assert text.count("PHIẾU THEO DÕI, ĐÁNH GIÁ CÔNG CHỨC") == 12
    assert "Tháng 7: xong việc đúng hạn" in text
    assert "PHIẾU XẾP LOẠI CHẤT LƯỢNG CÔNG CHỨC" in text and "86,50" in text
    # d) the Party committee's opinion, đ) the kiến nghị and its answer
    assert "Chi bộ nhất trí: gương mẫu, đoàn kết" in text
    assert "Kiến nghị ngày 14/12/2026 (hạn giải quyết 23/12/2026)" in text
    assert "Trả lời ngày 18/12/2026 (Lê Văn Chính): Giữ nguyên: điểm tháng 3 đúng" in text
    # in the order of Điều 24.2
    assert (text.index("Trích phần") < text.index("PHIẾU THEO DÕI")
            < text.index("PHIẾU XẾP LOẠI CHẤT LƯỢNG") < text.index("Chi bộ nhất trí"))


def test_a_file_without_opinion_or_objection_says_what_it_lacks(commune, tmp_path):
    text = pdftotext(review.file_pdf(commune["bao"], YEAR), tmp_path)
    assert re.search(r"d\s+Nhận xét của cấp ủy nơi công tác\s+Không có", text)
    assert "PHIẾU THEO DÕI" not in text
    assert "NHẬN XÉT CỦA CẤP ỦY VÀ HỒ SƠ GIẢI QUYẾT KIẾN NGHỊ" not in text


def test_a_file_of_nothing_says_so(commune):
    with pytest.raises(NoData, match="không có phiếu theo dõi hay bản ghi xếp loại nào"):
        review.file_pdf(commune["an"], 2025)


# --- canbo print minutes / notice / announcement / file -------------------------------------


@pytest.mark.parametrize("args, expected", [
    (["minutes", "--unit", "HOABINH", "--secretary", "Vũ Thị Thư", "--present", "4"],
     ["Thư ký: đồng chí Vũ Thị Thư", "có mặt: 4/4", "Đồng chí Trần Văn Bảo"]),
    (["minutes", "--unit", "HOABINH", "--staff", "HB02"],
     ["(Trích phần nhận xét, đánh giá đồng chí Trần Văn Bảo)", "91,25 điểm"]),
    (["notice", "--staff", "HB01"],
     ["Kính gửi: đồng chí Nguyễn Thị An", "86,50 điểm", "07 ngày làm việc"]),
    (["notice", "--unit", "HOABINH"], ["Kính gửi: đồng chí Trần Văn Bảo"]),
    (["announcement", "--unit", "HOABINH", "--date", "2026-12-20"],
     ["DANH SÁCH CÔNG KHAI KẾT QUẢ", "Hòa Bình, ngày 20 tháng 12 năm 2026"]),
    (["file", "--staff", "HB01"],
     ["HỒ SƠ ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG CÔNG CHỨC NĂM 2026",
      "Chi bộ nhất trí: gương mẫu, đoàn kết"]),
])
def test_cli_prints_the_review_papers(commune, run, tmp_path, args, expected):
    out = tmp_path / "out.pdf"
    result = run("print", *args, "--year", "2026", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"Đã ghi {out} (")
    text = flat(out.read_bytes(), tmp_path)
    for line in expected:
        assert line in text


def test_cli_default_names_say_what_the_file_is(commune, run, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert "ho-so-xep-loai-2026-hb01-nguyen-thi-an.pdf" in run(
        "print", "file", "--staff", "HB01", "--year", "2026").output
    assert "cong-khai-ket-qua-xep-loai-2026-hoabinh.pdf" in run(
        "print", "announcement", "--unit", "HOABINH", "--year", "2026").output


def test_cli_refusals_are_one_vietnamese_line(commune, run):
    result = run("print", "notice", "--staff", "HB03", "--year", "2026")
    assert result.exit_code != 0
    assert "Phạm Thị Cúc (HB03) chưa có kết quả xếp loại chất lượng năm 2026" in result.output
    assert "Traceback" not in result.output
    result = run("print", "minutes", "--unit", "HOABINH", "--year", "2026", "--present", "9")
    assert result.exit_code != 0 and "lớn hơn số công chức của đơn vị (4)" in result.output


# --- the panel: the buttons and who may download ------------------------------------------


@pytest.fixture
def panel(commune, db):
    """``panel(role)`` → a client logged in as that role in Hòa Bình (``"OTHER"``: an
    officer of another commune)."""
    from canbo.records import users
    from panel_helpers import PASSWORD, log_in, panel_app

    other = Unit.create(code="KHAC", name="UBND xã Khác", place_name="Khác")
    for role in ("OFFICER", "CHAIRMAN", "VIEWER"):
        users.create_user(f"hb-{role.lower()}", PASSWORD, role, commune["unit"])
    users.create_user("hb-other", PASSWORD, "OFFICER", other)
    app = panel_app(db, TESTING=True)

    def login(role):
        client = app.test_client()
        assert log_in(client, f"hb-{role.lower()}").status_code == 302
        return client

    return login


def _urls(commune):
    an, year = commune["an"].id, YEAR
    return {
        "minutes": f"/admin/documents/minutes?unit=HOABINH&year={year}&secretary=V%C5%A9+Th%E1%BB%8B+Th%C6%B0&present=4",
        "notice": f"/admin/documents/notice/{an}/{year}",
        "notices": f"/admin/documents/notices?unit=HOABINH&year={year}",
        "announcement": f"/admin/documents/announcement?unit=HOABINH&year={year}",
        "file": f"/admin/documents/file/{an}/{year}",
    }


@pytest.mark.parametrize("role, status", [
    ("OFFICER", 200), ("CHAIRMAN", 200), ("VIEWER", 403), ("OTHER", 404)])
@pytest.mark.parametrize("doc", ["minutes", "notice", "notices", "announcement", "file"])
def test_who_downloads_the_review_papers(commune, panel, role, status, doc):
    response = panel(role).get(_urls(commune)[doc])
    assert response.status_code == status
    if status == 200:
        assert response.mimetype == "application/pdf" and response.data.startswith(b"%PDF")


def test_the_downloads_carry_the_papers_content_and_names(commune, panel, tmp_path):
    client, urls = panel("OFFICER"), _urls(commune)
    response = client.get(urls["minutes"])
    assert 'filename="bien-ban-hop-xep-loai-2026-hoabinh.pdf"' in \
        response.headers["Content-Disposition"]
    text = flat(response.data, tmp_path)
    assert "Thư ký: đồng chí Vũ Thị Thư" in text and "có mặt: 4/4" in text
    response = client.get(urls["file"])
    assert 'filename="ho-so-xep-loai-2026-hb01-nguyen-thi-an.pdf"' in \
        response.headers["Content-Disposition"]
    assert "Giữ nguyên: điểm tháng 3 đúng" in flat(response.data, tmp_path)


def test_the_cycle_and_person_pages_link_the_papers_for_those_who_print(commune, panel):
    from canbo.records import users

    page = f"/admin/workflow/?unit=HOABINH&year={YEAR}"
    rating = commune["ratings"]["HB01"]
    html = panel("CHAIRMAN").get(page).get_data(as_text=True)
    for text in ("Biên bản cuộc họp (PDF)", "Thông báo kết quả cho từng công chức (PDF)",
                 "Danh sách công khai kết quả (PDF)", "/admin/documents/announcement?"):
        assert text in html
    html = panel("OFFICER").get(f"/admin/workflow/rating/{rating.id}").get_data(as_text=True)
    assert f"/admin/documents/file/{commune['an'].id}/2026" in html
    assert f"/admin/documents/notice/{commune['an'].id}/2026" in html
    html = panel("OFFICER").get(f"/admin/workflow/person/{commune['an'].id}").get_data(
        as_text=True)
    assert "Hồ sơ năm 2026 (PDF)" in html
    html = panel("OFFICER").get(f"/admin/documents/?unit=HOABINH&year={YEAR}").get_data(
        as_text=True)
    assert "Biên bản cuộc họp xếp loại" in html and "Danh sách công khai kết quả" in html
    assert f"/admin/documents/file/{commune['an'].id}/2026" in html
    # A person's own account (no "print") sees their rating page without the buttons.
    from panel_helpers import PASSWORD, log_in, panel_app

    users.create_user("hb-an", PASSWORD, "STAFF", commune["unit"], staff=commune["an"])
    client = panel_app(commune["unit"]._meta.database, TESTING=True).test_client()
    log_in(client, "hb-an")
    html = client.get(f"/admin/workflow/rating/{rating.id}").get_data(as_text=True)
    assert "Nguyễn Thị An" in html and "/admin/documents/file/" not in html


def test_a_paper_not_ready_is_flashed_on_the_cycle_page(commune, panel):
    Rating.update(status="PROPOSED").execute()
    client = panel("OFFICER")
    response = client.get(_urls(commune)["announcement"])
    assert response.status_code == 302 and "/admin/workflow/" in response.location
    html = client.get(response.location).get_data(as_text=True)
    assert "chưa thể công khai" in html
    response = client.get(f"/admin/documents/minutes?unit=HOABINH&year={YEAR}&present=ba")
    assert response.status_code == 302
    assert "Số người có mặt «ba» không hợp lệ" in client.get(response.location).get_data(
        as_text=True)


# --- Điều 23: the quarter and the half year -------------------------------------------------


def test_the_quarter_table_averages_three_confirmed_months(commune, panel):
    html = panel("OFFICER").get(f"/admin/tracking/parts?unit=HOABINH&year={YEAR}&period=q1") \
        .get_data(as_text=True)
    assert "Kết quả theo dõi, đánh giá quý 1 năm 2026" in html
    row = re.search(r"<td>HB01</td>(.*?)</tr>", html, re.S).group(1)
    assert re.findall(r">([\d,–]+)<", row) == ["81,00", "82,00", "83,00", "82,00"]
    row = re.search(r"<td>HB02</td>(.*?)</tr>", html, re.S).group(1)
    assert "Tháng 1, Tháng 2, Tháng 3" in row and "<strong>–</strong>" in row


def test_a_month_not_confirmed_leaves_the_half_without_average(commune, panel):
    Sheet.update(status="SELF_SCORED").where(Sheet.month == 8).execute()
    html = panel("CHAIRMAN").get(f"/admin/tracking/parts?unit=HOABINH&year={YEAR}&period=h2") \
        .get_data(as_text=True)
    assert "6 tháng cuối năm" in html
    row = re.search(r"<td>HB01</td>(.*?)</tr>", html, re.S).group(1)
    assert "<strong>–</strong>" in row and "Tháng 8" in row


def test_the_half_year_downloads_as_xlsx_with_values(commune, panel):
    import openpyxl

    response = panel("OFFICER").get(
        f"/admin/tracking/parts?unit=HOABINH&year={YEAR}&period=h2&format=xlsx")
    assert response.status_code == 200
    assert 'filename="ket-qua-theo-doi-6-thang-cuoi-nam-2026-hoabinh.xlsx"' in \
        response.headers["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.data)).active
    rows = list(sheet.values)
    assert rows[0] == ("Mã", "Họ và tên", "Tháng 7", "Tháng 8", "Tháng 9", "Tháng 10",
                       "Tháng 11", "Tháng 12", "Điểm trung bình 6 tháng cuối năm",
                       "Chưa có điểm đã xác nhận")
    an = next(r for r in rows if r[0] == "HB01")
    assert an[2:9] == (87, 88, 89, 90, 91, 92, 89.5) and an[9] is None
    bao = next(r for r in rows if r[0] == "HB02")
    assert bao[8] is None and bao[9] == "Tháng 7, Tháng 8, Tháng 9, Tháng 10, Tháng 11, Tháng 12"


@pytest.mark.parametrize("role, status", [("VIEWER", 403), ("OTHER", 404)])
def test_who_may_not_see_the_quarter_table(commune, panel, role, status):
    url = f"/admin/tracking/parts?unit=HOABINH&year={YEAR}&period=q1"
    assert panel(role).get(url).status_code == status
    assert panel(role).get(url + "&format=xlsx").status_code == status


def test_a_wrong_period_is_a_message(commune, panel):
    client = panel("OFFICER")
    response = client.get(f"/admin/tracking/parts?unit=HOABINH&year={YEAR}&period=q7")
    assert response.status_code == 302
    html = client.get(response.location).get_data(as_text=True)
    assert "Kỳ «q7» không hợp lệ; chọn q1, q2, q3, q4 (quý) hoặc h1, h2 (6 tháng)." in html


def test_the_grid_links_the_quarter_table(commune, panel):
    html = panel("OFFICER").get(f"/admin/tracking/?unit=HOABINH&year={YEAR}").get_data(
        as_text=True)
    assert "Kết quả quý, 6 tháng (Điều 23)" in html


def test_the_quarter_table_is_the_one_canbo_score_prints(commune, run):
    from canbo.spreadsheets import parts

    result = parts.parts_of_year(commune["unit"], YEAR, quarter=4)
    an = next(p for p in result.people if p.code == "HB01")
    line = next(x for x in run("score", "--year", "2026", "--unit", "HOABINH", "--quarter",
                               "4").output.splitlines() if x.startswith("HB01"))
    assert line.split()[-1] == "91,00" and an.average == 91


# --- a year under ND 90/2020 (no tracking, no seven-day rule) ---------------------------------


def test_the_papers_of_an_nd90_year_print_without_points(demo_db, tmp_path):
    from canbo.models import Staff

    unit = Unit.get(Unit.code == "KIMTAN")
    staff = Staff.get(Staff.code == "KT13")
    text = flat(review.notice_pdf(staff, 2022), tmp_path)
    assert "Kính gửi: đồng chí Nguyễn Thị Ngọc Ánh" in text
    assert "Điểm theo dõi, đánh giá cả năm: không chấm điểm" in text
    assert "có quyền kiến nghị với cấp có thẩm quyền" in text and "07 ngày" not in text
    text = flat(review.minutes_pdf(unit, 2022), tmp_path)
    assert "Đồng chí Nguyễn Thị Ngọc Ánh" in text and "........ điểm" in text
    assert "Nguyễn Thị Ngọc Ánh" in flat(review.announcement_pdf(unit, 2022), tmp_path)
