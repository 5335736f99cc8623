"""The cycle screens: who opens them, the officer's steps, the chairman's decisions."""
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
