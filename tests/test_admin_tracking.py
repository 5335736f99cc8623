"""The tracking screens: who opens the grid, a person's own sheet, the evaluator's confirm."""
import datetime

import pytest

from canbo import cache
from canbo.models import Staff, Unit
from canbo.models.tracking import Sheet
from canbo.records import users
from canbo.tracking import catalogue as cat
from canbo.tracking import sheets, year_points
from panel_helpers import PASSWORD, log_in

YEAR = 2026
GRID = f"/admin/tracking/?year={YEAR}"
SELF = {f"self-{c}": v for c, v in (("I.1", "5"), ("I.2", "5"), ("II.1", "2,5"),
                                      ("II.2", "2,5"), ("II.3", "2,5"), ("II.4", "2,5"),
                                      ("III.1", "2,5"), ("III.2", "2,5"), ("III.3", "2"),
                                      ("III.4", "1"))}
EVAL = {k.replace("self-", "eval-"): v for k, v in SELF.items()}


@pytest.fixture
def tracked(accounts, without_demo_2026):
    """A KIMTAN civil servant with an account, and the month of issue 8 assigned."""
    kimtan = Unit.get(Unit.code == "KIMTAN")
    person = (Staff.select().where(Staff.unit == kimtan, Staff.kind == "CIVIL_SERVANT",
                                   Staff.leader_role == "NONE", Staff.left_on.is_null())
              .order_by(Staff.code).first())
    account = users.create_user("congchuc", PASSWORD, "VIEWER", kimtan)
    account.staff = person
    account.save()
    officer, chairman = accounts["OFFICER"], accounts["CHAIRMAN"]
    c = cat.open_catalogue(officer, kimtan, YEAR)
    product = cat.add_product(officer, c, 1, "Soạn thảo văn bản hành chính đơn giản", 1, 5, 5)
    cat.decide(chairman, c, "01/QĐ-UBND", datetime.date(YEAR, 1, 5))
    for quantity, fields in ((7, {}), (1, {"failed_reviews": 1}), (1, {"delays": 1}),
                             (1, {"delays": 1})):
        row = sheets.assign(officer, person, YEAR, 1, product, quantity)
        sheets.record_result(officer, row, completed=quantity, **fields)
    return person


@pytest.mark.parametrize("role, status", [
    (None, 302), ("ADMIN", 200), ("OFFICER", 200), ("CHAIRMAN", 200), ("VIEWER", 403),
])
def test_who_opens_the_grid(login_as, tracked, role, status):
    assert login_as(role).get(GRID).status_code == status


def test_grid_names_what_is_missing(login_as, tracked):
    html = login_as("OFFICER").get(GRID).get_data(as_text=True)
    assert tracked.full_name in html
    # who must act (canbo.tracking.status): no head recorded, so the chairman assigns
    assert "Chưa tự chấm — người được đánh giá" in html
    assert "Chưa giao việc — Chủ tịch giao" in html


def test_officer_of_another_commune_gets_404(login_as, tracked):
    url = f"/admin/tracking/sheet/{tracked.id}/{YEAR}/1"
    assert login_as("OFFICER_B").get(url).status_code == 404
    assert login_as("OFFICER").get(url).status_code == 200


def test_self_score_then_chairman_confirms_96_25(app, login_as, tracked, csrf):
    url = f"/admin/tracking/sheet/{tracked.id}/{YEAR}/1"
    me = app.test_client()
    assert log_in(me, "congchuc").status_code == 302
    assert me.get("/admin/tracking/").status_code == 302  # a staff account lands on its sheet
    me.post(url, data={**SELF, "action": "self", "strengths": "Chủ động",
                       "csrf_token": csrf(me, url)})
    sheet = Sheet.get(Sheet.staff == tracked)
    assert sheet.status == "SELF_SCORED" and sheet.self_general == 28
    boss = login_as("CHAIRMAN")
    boss.post(url, data={**EVAL, "action": "confirm", "comment": "Tốt",
                         "csrf_token": csrf(boss, url)})
    sheet = Sheet.get_by_id(sheet.id)
    assert sheet.status == "CONFIRMED" and str(sheet.total) == "96.25"
    assert "96,25" in login_as("OFFICER").get(GRID).get_data(as_text=True)
    page = me.get(url).get_data(as_text=True)
    assert "kỳ này đã khóa" in page and 'name="self-I.1"' not in page


def test_chairman_returns_with_a_reason(app, login_as, tracked, csrf):
    url = f"/admin/tracking/sheet/{tracked.id}/{YEAR}/1"
    me = app.test_client()
    log_in(me, "congchuc")
    me.post(url, data={**SELF, "action": "self", "csrf_token": csrf(me, url)})
    boss = login_as("CHAIRMAN")
    page = boss.post(url, data={"action": "return", "reason": "",
                                "csrf_token": csrf(boss, url)}, follow_redirects=True)
    assert "Cần ghi lý do trả lại" in page.get_data(as_text=True)
    boss.post(url, data={"action": "return", "reason": "Chấm lại mục III",
                         "csrf_token": csrf(boss, url)})
    assert Sheet.get(Sheet.staff == tracked).status == "RETURNED"


def test_officer_cannot_confirm(login_as, tracked, csrf):
    url = f"/admin/tracking/sheet/{tracked.id}/{YEAR}/1"
    officer = login_as("OFFICER")
    response = officer.post(url, data={**EVAL, "action": "confirm",
                                       "csrf_token": csrf(officer, url)})
    assert response.status_code == 403


def test_the_grid_shows_fifty_people_a_page_in_the_same_queries(login_as, tracked):
    """A province's grid is read a page at a time: the page's people only, and as many
    queries for 60 people in the unit as for 160."""
    from playhouse.test_utils import count_queries

    kimtan = Unit.get(Unit.code == "KIMTAN")
    client = login_as("OFFICER")

    def add(n, start):
        Staff.insert_many([{"unit": kimtan.id, "code": f"PG{i:03d}", "kind": "CIVIL_SERVANT",
                            "leader_role": "NONE", **Staff.derived(f"Trần Văn Phụ {i:03d}")}
                           for i in range(start, start + n)]).execute()

    def page(n):
        cache.clear()  # the queries of a page worked out, not of one kept
        with count_queries() as counter:
            html = client.get(f"{GRID}&unit=KIMTAN&page={n}").get_data(as_text=True)
        return html, counter.count

    add(45, 0)
    total = len(year_points.people_ids(YEAR, [kimtan.id]))
    first, queries = page(1)
    assert first.count('<tr>\n      <td>') == 50 and f"trong {total} người" in first
    second, _ = page(2)
    assert second.count('<tr>\n      <td>') == total - 50
    assert "Trang 2/2" in second and "Phụ 044" in second and "Phụ 044" not in first
    add(100, 100)
    _, more = page(1)
    assert more == queries


def test_the_officer_sets_the_first_tracked_month_on_the_grid(login_as, tracked, csrf):
    client = login_as("OFFICER")
    response = client.post("/admin/tracking/first-month", data={
        "csrf_token": csrf(client), "unit": "KIMTAN", "year": str(YEAR), "first_month": "6"},
        follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "Năm 2026 theo dõi từ tháng 6; điểm năm là trung bình các tháng được theo dõi." in html
    assert "Đơn vị theo dõi năm 2026 từ tháng 6" in html and "Chưa theo dõi" in html
    sheet = client.get(f"/admin/tracking/sheet/{tracked.id}/{YEAR}/1").get_data(as_text=True)
    assert "tháng này không được theo dõi, không tính vào điểm năm" in sheet
    viewer = login_as("VIEWER")
    assert viewer.post("/admin/tracking/first-month", data={
        "csrf_token": csrf(viewer), "unit": "KIMTAN", "year": str(YEAR),
        "first_month": "1"}).status_code == 403
