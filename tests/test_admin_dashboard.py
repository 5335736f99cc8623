"""The dashboard page of the panel: who may open it, which units it shows, what it says."""
import datetime
import re

import pytest

from canbo.models import Qualification, Rating, Staff, Unit
from canbo.records import users
from canbo.stats import reports
from panel_helpers import panel_app

PASSWORD = "matkhau-kiem-thu-1"


@pytest.fixture
def app(demo_db):
    Unit.create(code="KHAC", name="UBND xã <b>Khác</b>", place_name="Khác")
    return panel_app(demo_db, TESTING=True, WTF_CSRF_ENABLED=False, SECRET_KEY="test")


#: username → (role, unit code); each test creates only the accounts it logs in with,
#: since hashing a password is the slow part of the setup.
ACCOUNTS = {"admin": ("ADMIN", None), "officer": ("OFFICER", "KIMTAN"),
            "chairman": ("CHAIRMAN", "KIMTAN"), "viewer": ("VIEWER", "KIMTAN"),
            "officer-khac": ("OFFICER", "KHAC")}


def client_as(app, username):
    client = app.test_client()
    if username:
        role, unit = ACCOUNTS[username]
        users.create_user(username, PASSWORD, role, unit and Unit.get(Unit.code == unit))
        response = client.post("/admin/login/", data={"username": username,
                                                      "password": PASSWORD})
        assert response.status_code == 302
    return client


@pytest.mark.parametrize("username,status", [
    (None, 302), ("admin", 200), ("officer", 200), ("chairman", 200), ("viewer", 200),
])
def test_every_role_opens_the_dashboard_and_strangers_are_sent_to_log_in(app, username,
                                                                          status):
    response = client_as(app, username).get("/admin/dashboard/")
    assert response.status_code == status
    if status == 302:
        assert "/admin/login/" in response.headers["Location"]


@pytest.mark.parametrize("username,home", [
    ("chairman", "/admin/dashboard/"), ("viewer", "/admin/dashboard/"),
    ("officer", None), ("admin", None),
])
def test_chairmen_and_viewers_land_on_the_dashboard(app, username, home):
    response = client_as(app, username).get("/admin/")
    if home:
        assert response.status_code == 302 and response.headers["Location"].endswith(home)
    else:
        assert response.status_code == 200


@pytest.mark.parametrize("username,unit,status", [
    ("officer", "KHAC", 404), ("officer-khac", "KIMTAN", 404), ("chairman", "KHONGCO", 404),
    ("officer", "KIMTAN", 200), ("admin", "KHAC", 200), ("officer-khac", "KHAC", 200),
])
def test_a_unit_outside_the_users_scope_is_not_found(app, username, unit, status):
    assert client_as(app, username).get(f"/admin/dashboard/?unit={unit}").status_code == status


def test_the_page_shows_the_figures_and_charts_of_the_chosen_year(app):
    html = client_as(app, "chairman").get("/admin/dashboard/?year=2022").get_data(as_text=True)
    assert "Tổng quan kỳ đánh giá năm 2022 — UBND xã Kim Tân" in html
    assert 'id="chart-ratings"' in html and 'id="chart-qualifications"' in html
    # the ratings of 2022; the qualification structure of today, KT22 (transferred in on
    # 01/07/2026, demo_2026) among the 19: political theory Trung cấp 16 of 19
    assert "14 (70%)" in html and "16 (84,2%)" in html
    assert "Quy định của năm này không giới hạn tỷ lệ." in html
    # No asset from a CDN: a URL naming one, not the letters "cdn" anywhere, which the
    # page's random CSRF token contains now and then.
    assert "<script src=\"http" not in html and not re.search(r"//[^\"'\s]*cdn", html, re.I)


def test_a_province_lists_its_units_sortable_and_escaped(app):
    kimtan = Unit.get(Unit.code == "KIMTAN")
    top = Unit.create(code="TINH", name="UBND tỉnh Mẫu", place_name="Mẫu")
    Unit.update(parent=top).where(Unit.code.in_(["KIMTAN", "KHAC"])).execute()
    Staff(unit=Unit.get(Unit.code == "KHAC"), code="K1", full_name="Người Khác",
          kind="CADRE", joined_on=datetime.date(2015, 1, 1)).save()
    client = client_as(app, "admin")
    html = client.get("/admin/dashboard/?unit=TINH&year=2022&sort=progress").get_data(
        as_text=True)
    assert "Các đơn vị trực thuộc — năm 2022" in html
    assert "UBND xã &lt;b&gt;Khác&lt;/b&gt;" in html and "<b>Khác</b>" not in html
    table = html.split("Các đơn vị trực thuộc")[1]
    assert table.index("(KIMTAN)") < table.index("(KHAC)")  # 100% done before 0%
    assert f"?unit={kimtan.code}&amp;year=2022" in table


def test_a_quota_over_the_limit_shows_as_a_danger_alert(app):
    unit = Unit.get(Unit.code == "KIMTAN")
    civil = Staff.select().where((Staff.unit == unit) & (Staff.kind == "CIVIL_SERVANT")
                                 & Staff.left_on.is_null()
                                 & (Staff.joined_on <= datetime.date(2024, 12, 31))
                                 ).order_by(Staff.code)  # in post in 2024: not KT22
    for i, staff in enumerate(civil):
        level = "HTXSNV" if i < 3 else "HTTNV"
        Rating.create(staff=staff, unit=unit, year=2024, rule_set="ND90_ND48_2023",
                      level=level, status="PROPOSED")
    html = client_as(app, "chairman").get("/admin/dashboard/?year=2024").get_data(as_text=True)
    assert 'class="alert alert-danger"' in html
    assert "5 người HTTNV × 20% = 1 → tối đa 1 người HTXSNV" in html


@pytest.mark.parametrize("username,status", [
    (None, 302), ("viewer", 403), ("officer", 200), ("chairman", 200), ("admin", 200),
])
def test_the_yearly_report_downloads_for_those_who_may_print(app, username, status):
    response = client_as(app, username).get("/admin/dashboard/report?unit=KIMTAN&year=2023")
    assert response.status_code == status
    if status == 200:
        assert response.mimetype == "application/pdf"
        assert response.data.startswith(b"%PDF")
        assert "bao-cao-nam-2023-KIMTAN.pdf" in response.headers["Content-Disposition"]


def test_the_yearly_report_as_text_to_paste(app):
    response = client_as(app, "chairman").get(
        "/admin/dashboard/report?year=2023&format=text")
    text = response.get_data(as_text=True)
    assert response.mimetype == "text/plain"
    assert "- Năm 2022: 20 đồng chí. 14 đồng chí hoàn thành xuất sắc nhiệm vụ = 70%" in text


def test_the_report_of_a_unit_outside_the_scope_is_not_found(app):
    client = client_as(app, "officer")
    assert client.get("/admin/dashboard/report?unit=KHAC&year=2023").status_code == 404


@pytest.mark.parametrize("username,choice", [("admin", True), ("officer", False)])
def test_a_unit_is_chosen_only_where_there_is_a_choice(app, username, choice):
    html = client_as(app, username).get("/admin/dashboard/").get_data(as_text=True)
    assert ('id="pick-unit"' in html) is choice


def test_equal_counts_read_as_equal_percents_and_the_rounding_is_stated(app):
    """Four levels of one person each among the 19: 1 of 19 is 5,26% for each of them,
    with the rule of the rounding under the chart (one decimal read 5,3% three times and
    5,2% once, as the tie went to the earlier rows)."""
    graduates = (Staff.select().join(Qualification)
                 .where(Staff.left_on.is_null(), Qualification.kind == "EDUCATION",
                        Qualification.level == "DH").order_by(Staff.id).distinct())
    for person, level in zip(list(graduates)[:4], ("THS", "CD", "SC", None)):
        Qualification.delete().where(Qualification.staff == person,
                                     Qualification.kind == "EDUCATION").execute()
        if level:  # none recorded: "Chưa qua đào tạo"
            Qualification.create(staff=person, kind="EDUCATION", level=level)
    html = client_as(app, "viewer").get("/admin/dashboard/").get_data(as_text=True)
    education = re.search(r"Trình độ chuyên môn: (.*?)\.\s", html).group(1)
    pairs = re.findall(r"([^;]+?) (\d+) \(([\d,]+)%\)", education)
    by_count = {}
    for _, count, percent in pairs:
        by_count.setdefault(count, set()).add(percent)
    assert by_count["1"] == {"5,26"}, pairs
    assert all(len(shown) == 1 for shown in by_count.values()), pairs
    assert round(sum(float(p.replace(",", ".")) for _, _, p in pairs), 2) == 100
    assert reports.ROUNDING_NOTE in html  # under the progress table, and the charts':
    assert "Biểu đồ: tỷ lệ làm tròn để cộng đúng 100%" in html
