"""The cycle screens: who opens them, the officer's steps, the chairman's decisions."""
import datetime
import io

import openpyxl
import pytest

from canbo.models import Rating, Staff

YEAR = 2024
PAGE = f"/admin/workflow/?unit=KIMTAN&year={YEAR}"


def post(client, csrf, url, **data):
    return client.post(url, data={"csrf_token": csrf(client, PAGE), **data},
                       follow_redirects=True)


@pytest.mark.parametrize("role, status", [
    (None, 302), ("ADMIN", 200), ("OFFICER", 200), ("CHAIRMAN", 200), ("VIEWER", 200),
])
def test_who_opens_the_cycle_page(login_as, role, status):
    assert login_as(role).get(PAGE).status_code == status


def test_an_officer_of_another_commune_gets_404(login_as):
    assert login_as("OFFICER_B").get(PAGE).status_code == 404


def test_the_officer_opens_the_cycle_and_the_chairman_is_refused_a_step(login_as, csrf):
    officer = login_as("OFFICER")
    html = post(officer, csrf, "/admin/workflow/action", action="open", unit="KIMTAN",
                year=YEAR).get_data(as_text=True)
    assert "Đã mở kỳ đánh giá năm 2024" in html
    assert 'id="quota"' in html and 'id="progress"' in html
    assert "Nguyễn Thị Ngọc Ánh" in html
    rating = Rating.select().join(Staff).where(Staff.code == "KT13", Rating.year == YEAR).get()
    url = f"/admin/workflow/rating/{rating.id}"
    post(officer, csrf, url, step="self", **{"c-1": "Tốt"}, self_level="HTTNV")
    post(officer, csrf, url, step="comments", comments="Nhất trí", meeting_on="01/12/2024")
    html = post(officer, csrf, url, step="propose", level="HTTNV").get_data(as_text=True)
    assert "Đã đề xuất mức xếp loại" in html
    chairman = login_as("CHAIRMAN")
    html = post(chairman, csrf, url, step="propose", level="HTXSNV").get_data(as_text=True)
    assert "không được đề xuất mức xếp loại" in html
    html = post(chairman, csrf, "/admin/workflow/action", action="approve_selected",
                unit="KIMTAN", year=YEAR, rating_id=rating.id).get_data(as_text=True)
    assert "Đã phê duyệt 1 bản ghi" in html
    assert Rating.get_by_id(rating.id).status == "APPROVED"


def test_a_refused_approval_shows_the_numbers(login_as, csrf):
    officer = login_as("OFFICER")
    post(officer, csrf, "/admin/workflow/action", action="open", unit="KIMTAN", year=YEAR)
    ratings = list(Rating.select().join(Staff)
                   .where(Rating.year == YEAR, Staff.kind == "CIVIL_SERVANT").order_by(Staff.code))
    assert len(ratings) == 8  # KT19 left in 2023
    for n, rating in enumerate(ratings):
        url = f"/admin/workflow/rating/{rating.id}"
        post(officer, csrf, url, step="self", self_level="HTTNV")
        post(officer, csrf, url, step="comments", comments="Nhất trí")
        post(officer, csrf, url, step="propose", level="HTXSNV" if n < 2 else "HTTNV")
    html = post(login_as("CHAIRMAN"), csrf, "/admin/workflow/action", action="approve_all",
                unit="KIMTAN", year=YEAR).get_data(as_text=True)
    assert "6 người HTTNV × 20% = 1,2 → tối đa 1 người HTXSNV; đang đề xuất 2" in html


def test_a_persons_ratings_across_the_years_show_their_rule_sets(login_as):
    person = Staff.get(Staff.code == "KT12")
    html = login_as("VIEWER").get(f"/admin/workflow/person/{person.id}").get_data(as_text=True)
    assert "Nghị định 90/2020/NĐ-CP" in html and "2021" in html and "2022" in html


def test_a_past_rating_opens_read_only_without_a_cycle(login_as):
    rating = Rating.select().join(Staff).where(Staff.code == "KT12", Rating.year == 2021).get()
    response = login_as("OFFICER").get(f"/admin/workflow/rating/{rating.id}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Nghị định 90/2020/NĐ-CP" in html and "Lưu tự đánh giá" not in html


def test_another_communes_rating_is_404(login_as, other_unit):
    url = f"/admin/workflow/rating/{other_unit['rating'].id}"
    assert login_as("OFFICER").get(url).status_code == 404
    assert login_as("OFFICER_B").get(url).status_code == 200


def test_the_officer_records_an_absence_and_a_discipline_on_the_form(login_as, csrf):
    rating = Rating.select().join(Staff).where(Staff.code == "KT12", Rating.year == 2022).get()
    url = f"/admin/workflow/rating/{rating.id}"
    officer = login_as("OFFICER")
    html = post(officer, csrf, url, step="absence", kind="SICK", starts_on="",
                ends_on="").get_data(as_text=True)
    assert "Cần ghi ngày bắt đầu nghỉ" in html
    html = post(officer, csrf, url, step="absence", kind="SICK", starts_on="01/03/2022",
                ends_on="30/06/2022").get_data(as_text=True)
    assert "Nghỉ ốm đau: 01/03/2022 – 30/06/2022" in html
    html = post(officer, csrf, url, step="discipline", system="ADMINISTRATIVE",
                kind="REPRIMAND", decided_on="05/05/2022", decision_number="9/QĐ-UBND",
                cause="PUBLIC_SERVICE").get_data(as_text=True)
    assert "Khiển trách (Kỷ luật hành chính), quyết định 9/QĐ-UBND" in html
    html = post(officer, csrf, url, step="discipline", system="PARTY", kind="REPRIMAND",
                decided_on="10/10/2022", violation_year="2022", counted_year="2021",
                cause="PUBLIC_SERVICE").get_data(as_text=True)
    assert "Năm đã tính kỷ luật 2021 phải từ năm vi phạm 2022" in html
    html = post(officer, csrf, url, step="discipline", system="PARTY", kind="REPRIMAND",
                decided_on="10/10/2022", violation_year="2022", counted_year="2022",
                at_old_unit="on", cause="PUBLIC_SERVICE").get_data(as_text=True)
    assert "đã tính vào năm 2022, vi phạm ở đơn vị cũ (không tính ở đây)" in html
    html = post(login_as("VIEWER"), csrf, url, step="absence", kind="SICK",
                starts_on="01/03/2022", ends_on="02/03/2022").get_data(as_text=True)
    assert "không được ghi thời gian nghỉ" in html


@pytest.mark.parametrize("typed, shown", [("25%", "25%"), ("25,0", "25%"), (" 30 ", "30%")])
def test_an_exception_ratio_is_typed_with_a_comma_or_a_percent_sign(login_as, csrf, typed,
                                                                     shown):
    officer = login_as("OFFICER")
    post(officer, csrf, "/admin/workflow/action", action="open", unit="KIMTAN", year=YEAR)
    html = post(login_as("CHAIRMAN"), csrf, "/admin/workflow/action", action="exception",
                unit="KIMTAN", year=YEAR, ratio=typed, doc_number="15/QĐ-UBND",
                doc_date="02/12/2024").get_data(as_text=True)
    assert f"Tỷ lệ ngoại lệ {shown} theo văn bản 15/QĐ-UBND ngày 02/12/2024" in html


def test_only_the_chairman_sees_and_records_the_quota_exception(login_as, csrf):
    officer = login_as("OFFICER")
    post(officer, csrf, "/admin/workflow/action", action="open", unit="KIMTAN", year=YEAR)
    page = f"/admin/workflow/?unit=KIMTAN&year={YEAR}"
    assert 'id="quota-exception"' not in officer.get(page).get_data(as_text=True)
    html = post(officer, csrf, "/admin/workflow/action", action="exception", unit="KIMTAN",
                year=YEAR, ratio="100", doc_number="1/QĐ",
                doc_date="02/12/2024").get_data(as_text=True)
    assert "không được ghi tỷ lệ ngoại lệ; chỉ: Chủ tịch" in html
    assert "Tỷ lệ ngoại lệ 100%" not in html
    assert 'id="quota-exception"' in login_as("CHAIRMAN").get(page).get_data(as_text=True)


@pytest.mark.parametrize("typed", ["NaN", "Infinity", "hai mươi"])
def test_an_exception_ratio_that_is_not_a_number_is_refused(login_as, csrf, typed):
    officer = login_as("OFFICER")
    post(officer, csrf, "/admin/workflow/action", action="open", unit="KIMTAN", year=YEAR)
    html = post(login_as("CHAIRMAN"), csrf, "/admin/workflow/action", action="exception",
                unit="KIMTAN", year=YEAR, ratio=typed, doc_number="15/QĐ-UBND",
                doc_date="02/12/2024").get_data(as_text=True)
    assert f"Tỷ lệ «{typed}» không phải là số" in html and "Đã ghi tỷ lệ ngoại lệ" not in html


# --- many people through a step at once (issue 14) -------------------------------------


def _open(officer, csrf):
    post(officer, csrf, "/admin/workflow/action", action="open", unit="KIMTAN", year=YEAR)
    return list(Rating.select().join(Staff).where(Rating.year == YEAR).order_by(Staff.sort_name))


def _sheet(officer, csrf, fill):
    """The template downloaded from the cycle page, ``fill(sheet)`` applied, as bytes."""
    response = officer.post("/admin/workflow/self-template", data={
        "csrf_token": csrf(officer, PAGE), "unit": "KIMTAN", "year": YEAR})
    assert response.status_code == 200
    assert "attachment; filename=tu-danh-gia-KIMTAN-2024.xlsx" in \
        response.headers["Content-Disposition"]
    book = openpyxl.load_workbook(io.BytesIO(response.data))
    fill(book.active)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _upload(officer, csrf, data, **extra):
    return officer.post("/admin/workflow/action", data={
        "csrf_token": csrf(officer, PAGE), "unit": "KIMTAN", "year": YEAR,
        "action": "self_sheet", "sheet": (io.BytesIO(data), "tu-danh-gia.xlsx"), **extra},
        content_type="multipart/form-data", follow_redirects=True).get_data(as_text=True)


def test_eighteen_people_self_assessed_proposed_and_approved_in_a_few_steps(login_as, csrf):
    officer = login_as("OFFICER")
    ratings = _open(officer, csrf)
    assert len(ratings) == 18

    def fill(sheet):
        assert sheet.max_row == 19 and sheet["B2"].value == ratings[0].staff.full_name
        for row in range(2, 20):
            sheet.cell(row, 3).value = "Hoàn thành tốt nhiệm vụ"
            sheet.cell(row, 4).value = "Hoàn thành các nhiệm vụ được giao"

    html = _upload(officer, csrf, _sheet(officer, csrf, fill))
    assert "Đã ghi tự đánh giá của 18 người." in html
    page = officer.get(PAGE).get_data(as_text=True)
    assert page.count('<option value="HTTNV" title="Hoàn thành tốt nhiệm vụ" selected>') == 18
    levels = {f"level-{r.id}": "HTTNV" for r in ratings}
    html = post(officer, csrf, "/admin/workflow/action", action="propose_selected",
                unit="KIMTAN", year=YEAR, rating_id=[r.id for r in ratings],
                comments="Nhất trí với tự đánh giá", meeting_on="02/12/2024",
                **levels).get_data(as_text=True)
    assert "Đã đề xuất mức xếp loại cho 18 người." in html
    chairman = login_as("CHAIRMAN")
    html = post(chairman, csrf, "/admin/workflow/action", action="approve_selected",
                unit="KIMTAN", year=YEAR, rating_id=[r.id for r in ratings]).get_data(as_text=True)
    assert "Đỗ Thị Ánh (KT06) là lãnh đạo: chưa có ý kiến của cấp ủy" in html
    assert not Rating.select().where(Rating.year == YEAR, Rating.status == "APPROVED").exists()
    for leader in ("KT05", "KT06"):  # the Party committee's opinion is each leader's own
        rating = next(r for r in ratings if r.staff.code == leader)
        post(officer, csrf, f"/admin/workflow/rating/{rating.id}", step="comments",
             comments="Nhất trí", party_opinion="Đảng ủy nhất trí")
    html = post(chairman, csrf, "/admin/workflow/action", action="approve_selected",
                unit="KIMTAN", year=YEAR, rating_id=[r.id for r in ratings]).get_data(as_text=True)
    assert "Đã phê duyệt 18 bản ghi." in html
    assert Rating.select().where(Rating.year == YEAR, Rating.status == "APPROVED").count() == 18


def test_a_sheet_with_a_bad_row_names_it_and_writes_nothing(login_as, csrf):
    officer = login_as("OFFICER")
    _open(officer, csrf)

    def fill(sheet):
        sheet["C2"] = "HTTNV"
        sheet["C3"] = "Rất tốt"
        sheet["A4"], sheet["C4"] = "KT99", "HTTNV"
        sheet["D5"] = "Quên chọn mức"

    html = _upload(officer, csrf, _sheet(officer, csrf, fill))
    assert "Chưa ghi gì — tệp tự đánh giá có lỗi (3 lỗi)" in html
    assert "Dòng 3 (" in html and "cột «Tự xếp loại»: Giá trị «Rất tốt» không hợp lệ" in html
    assert "Dòng 4, cột «Mã cán bộ»: mã «KT99» không có trong kỳ đánh giá năm 2024" in html
    assert "Dòng 5 (" in html and "chưa chọn mức tự xếp loại" in html
    assert not Rating.select().where(Rating.year == YEAR, Rating.status == "SELF_ASSESSED").exists()
    html = _upload(officer, csrf, b"not a workbook")
    assert "Đã ghi tự đánh giá" not in html and "Traceback" not in html


def test_a_bulk_proposal_refused_names_the_people_and_proposes_nobody(login_as, csrf):
    officer = login_as("OFFICER")
    ratings = _open(officer, csrf)
    first, second = ratings[:2]
    for r in (first, second):
        post(officer, csrf, f"/admin/workflow/rating/{r.id}", step="self", self_level="HTTNV")
    html = post(officer, csrf, "/admin/workflow/action", action="propose_selected",
                unit="KIMTAN", year=YEAR, rating_id=[first.id, second.id, ratings[2].id],
                comments="Nhất trí", **{f"level-{first.id}": "HTTNV",
                                        f"level-{second.id}": ""}).get_data(as_text=True)
    assert f"{second.staff.full_name} ({second.staff.code}), cột «Mức đề xuất»: chưa chọn" in html
    assert f"{ratings[2].staff.full_name} ({ratings[2].staff.code}): đang «Chưa tự đánh giá»" in html
    assert Rating.get_by_id(first.id).status == "SELF_ASSESSED"
    html = post(officer, csrf, "/admin/workflow/action", action="propose_selected",
                unit="KIMTAN", year=YEAR).get_data(as_text=True)
    assert "Chưa chọn người nào để đề xuất" in html


def test_the_chairman_cannot_use_the_officers_bulk_steps(login_as, csrf):
    _open(login_as("OFFICER"), csrf)
    chairman = login_as("CHAIRMAN")
    response = chairman.post("/admin/workflow/self-template", data={
        "csrf_token": csrf(chairman, PAGE), "unit": "KIMTAN", "year": YEAR})
    assert response.status_code == 403
    rating = Rating.select().where(Rating.year == YEAR).first()
    html = post(chairman, csrf, "/admin/workflow/action", action="propose_selected",
                unit="KIMTAN", year=YEAR, rating_id=rating.id,
                **{f"level-{rating.id}": "HTTNV"}).get_data(as_text=True)
    assert "không được đề xuất mức xếp loại" in html
    assert 'id="bulk-propose"' not in chairman.get(PAGE).get_data(as_text=True)


def test_a_late_joiner_joins_the_cycle_when_the_officer_opens_its_page(login_as, csrf):
    officer = login_as("OFFICER")
    _open(officer, csrf)
    person = Staff(unit=Staff.get(Staff.code == "KT13").unit, code="KT30",
                   full_name="Lâm Thị Mới", kind="CIVIL_SERVANT", joined_on=datetime.date(2024, 3, 1))
    person.save()
    html = login_as("VIEWER").get(PAGE).get_data(as_text=True)
    assert 'id="newcomers"' in html and "Lâm Thị Mới" in html
    assert not Rating.select().where(Rating.staff == person).exists()
    html = officer.get(PAGE).get_data(as_text=True)
    assert "Đã thêm 1 người mới vào đợt: Lâm Thị Mới (Chưa tự đánh giá)." in html
    assert Rating.get(Rating.staff == person, Rating.year == YEAR).status == "OPEN"
    html = post(officer, csrf, "/admin/workflow/action", action="add_people", unit="KIMTAN",
                year=YEAR).get_data(as_text=True)
    assert "Không có người mới" in html


# --- the rating form ------------------------------------------------------------------------


def _form(client, code, year=YEAR):
    rating = Rating.select().join(Staff).where(Staff.code == code, Rating.year == year).get()
    return rating, client.get(f"/admin/workflow/rating/{rating.id}").get_data(as_text=True)


def test_the_nd90_form_shows_the_leaders_part_to_leaders_only(login_as, csrf):
    officer = login_as("OFFICER")
    _open(officer, csrf)
    _, html = _form(officer, "KT14")  # a civil servant, not a leader
    assert 'name="c-6"' in html and 'name="c-7"' not in html and 'name="c-9"' not in html
    assert '<option value="" selected>— chọn mức tự xếp loại —</option>' in html
    assert "(theo điểm)" not in html
    for leader in ("KT06", "KT01"):  # the deputy chairman; the Party secretary, a cadre
        _, html = _form(officer, leader)
        assert 'name="c-7"' in html and "Năng lực tập hợp, đoàn kết" in html
    rating, _ = _form(officer, "KT14")
    html = post(officer, csrf, f"/admin/workflow/rating/{rating.id}", step="self",
                self_level="", **{"c-7": "x"}).get_data(as_text=True)
    assert "Cần chọn mức tự xếp loại" in html


def test_an_nd335_rating_offers_the_points(login_as, csrf):
    officer = login_as("OFFICER")
    post(officer, csrf, "/admin/workflow/action", action="open", unit="KIMTAN", year=2026)
    rating, html = _form(officer, "KT14", 2026)
    post(officer, csrf, f"/admin/workflow/rating/{rating.id}", step="self", self_level="HTTNV")
    post(officer, csrf, f"/admin/workflow/rating/{rating.id}", step="comments", comments="x")
    _, html = _form(officer, "KT14", 2026)
    assert "(theo điểm)" in html


def test_the_return_reason_shows_on_the_persons_page_and_reopen_says_reopen(login_as, csrf):
    officer = login_as("OFFICER")
    ratings = _open(officer, csrf)
    rating = ratings[0]
    url = f"/admin/workflow/rating/{rating.id}"
    post(officer, csrf, url, step="self", self_level="HTTNV")
    post(officer, csrf, url, step="comments", comments="Nhất trí")
    post(officer, csrf, url, step="propose", level="HTTNV")
    chairman = login_as("CHAIRMAN")
    page = chairman.get(PAGE).get_data(as_text=True)
    assert 'placeholder="Lý do trả lại"' in page and "Lý do trả lại / mở lại" not in page
    post(chairman, csrf, "/admin/workflow/action", action="return", unit="KIMTAN", year=YEAR,
         rating_id=rating.id, reason="Thiếu minh chứng")
    _, html = _form(officer, rating.staff.code)
    assert 'id="return-reason"' in html and "Lý do trả lại: Thiếu minh chứng" in html


def test_the_ratings_new_form_picks_levels_and_rule_sets_from_lists(login_as, csrf):
    html = login_as("OFFICER").get("/admin/rating/new/").get_data(as_text=True)
    for name in ("level", "self_level", "rule_set"):
        assert f'<select class="form-control" id="{name}" name="{name}">' in html, name
    assert 'name="status"' not in html  # the status moves only through the cycle page
    assert '<option value="ND90_2020">Nghị định 90/2020/NĐ-CP</option>' in html
    client = login_as("OFFICER")
    person = Staff.get(Staff.code == "KT13")
    html = client.post("/admin/rating/new/", data={
        "csrf_token": csrf(client), "staff": person.id, "year": 2019,
        "level": "HTT", "self_level": "", "rule_set": ""}, follow_redirects=True).get_data(as_text=True)
    assert "Mức xếp loại «HTT» không thuộc danh mục" in html
    assert not Rating.select().where(Rating.staff == person, Rating.year == 2019).exists()
