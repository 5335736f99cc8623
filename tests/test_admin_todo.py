"""The officer's month on the grid and the to-do on every home page (ND 335/2025 Điều
17–19): each cell says who must act, overdue cells are marked, the unit sets its deadline
working day; the officer, an evaluator (a STAFF account bound to the head) and a civil
servant each find what waits for them on their home page."""
import datetime
import re

import pytest

import test_admin_monthly
from canbo import cache
from canbo.models import AuditLog, Staff, Unit, User
from canbo.models.tracking import TrackingSetting
from canbo.records import users
from canbo.tracking import evaluators, sheets, status, todo
from panel_helpers import PASSWORD, csrf_token
from test_admin_monthly import GENERAL, YEAR, client_of

GRID = f"/admin/tracking/?year={YEAR}"
month = test_admin_monthly.month  # the fixture: KT13's March assigned, STAFF accounts


def on(monkeypatch, day):
    monkeypatch.setattr(status, "current_date", lambda: day)


@pytest.fixture
def head(month, accounts):
    """KT05 (Lê Quang Minh) recorded as the head of Kim Tân, with a STAFF account: the
    evaluator of KT13 and KT14 (Điều 10.1.b)."""
    unit = Unit.get(Unit.code == "KIMTAN")
    kt05 = Staff.get(Staff.code == "KT05")
    evaluators.set_head(accounts["OFFICER"], unit, kt05)
    users.create_user("kt05", PASSWORD, "STAFF", unit, staff=kt05)
    return kt05


def submit(staff, month_no=3):
    sheet = sheets.sheet_for(staff, YEAR, month_no)
    sheets.self_score(User.get(User.staff == staff), sheet,
                      {k: v.replace(",", ".") for k, v in GENERAL.items()})
    return sheet


def todo_of(html):
    found = re.search(r'<section class="canbo-card todo" id="todo">.*?</section>', html, re.S)
    assert found, "no to-do on the page"
    return re.sub(r"\s+", " ", found.group(0))


def cell(html, staff, month_no):
    """The grid cell of ``staff`` for ``month_no`` (1–12)."""
    row = re.search(rf"<tr>\s*<td>{staff.code}</td>.*?</tr>", html, re.S).group(0)
    return re.findall(r"<td class=\"(?:num|missing|counted-out)[^\"]*\">.*?</td>", row,
                      re.S)[month_no - 1]


def test_the_grid_says_who_must_act_and_what_is_late(app, monkeypatch, month, head):
    on(monkeypatch, datetime.date(2026, 4, 8))
    submit(month["kt13"])
    html = client_of(app, "canbo").get(GRID).get_data(as_text=True)
    assert "hạn 07/04/2026" in html  # March: 5th working day of April, in the header
    late = cell(html, month["kt13"], 3)
    assert "Chờ xác nhận — Lê Quang Minh" in late
    assert "overdue" in late and "Quá hạn 07/04/2026" in late
    april = cell(html, month["kt13"], 4)
    assert "Chưa giao việc — Lê Quang Minh giao" in april and "Quá hạn" not in april
    assert f"/admin/monthly/assign/{month['kt13'].id}/{YEAR}/4" in april
    head_cell = cell(html, head, 3)
    assert "Chưa giao việc — Cơ quan quản lý giao" in head_cell  # Điều 10.1.a


def test_the_grid_shows_a_confirmed_score_and_the_returned_reason(app, monkeypatch, month,
                                                                  head):
    on(monkeypatch, datetime.date(2026, 4, 8))
    sheet = submit(month["kt13"])
    boss = User.get(User.username == "kt05")
    sheets.return_sheet(boss, sheet, "Thiếu minh chứng")
    html = client_of(app, "canbo").get(GRID).get_data(as_text=True)
    returned = cell(html, month["kt13"], 3)
    assert "Bị trả lại, chưa chấm lại — người được đánh giá" in returned
    assert 'title="Lý do trả lại: Thiếu minh chứng"' in returned
    sheet = submit(month["kt13"])
    sheets.evaluate(boss, sheet, {k: v.replace(",", ".") for k, v in GENERAL.items()})
    sheets.confirm(boss, sheet)
    html = client_of(app, "canbo").get(GRID).get_data(as_text=True)
    done = cell(html, month["kt13"], 3)
    assert ">28,00<" in done and "overdue" not in done  # nothing done: 0 + general 28
    row = re.search(rf"<tr>\s*<td>{month['kt13'].code}</td>.*?</tr>", html, re.S).group(0)
    assert "28,00*" in row and "Không hoàn thành nhiệm vụ" in row  # average, level


def set_deadline(client, working_day, page=GRID):
    return client.post("/admin/tracking/deadline", data={
        "csrf_token": csrf_token(client, page), "unit": "KIMTAN", "year": str(YEAR),
        "working_day": working_day}, follow_redirects=True)


def test_the_officer_sets_the_deadline_working_day(app, monkeypatch, month):
    on(monkeypatch, datetime.date(2026, 4, 8))
    officer = client_of(app, "canbo")
    page = set_deadline(officer, "0").get_data(as_text=True)
    assert "Ngày làm việc hạn nộp «0» không hợp lệ; cho phép một số từ 1 đến 20" in page
    assert not TrackingSetting.select().exists()
    set_deadline(officer, "10")
    html = officer.get(GRID).get_data(as_text=True)
    assert "hạn 14/04/2026" in html and 'name="working_day" value="10"' in html
    assert "Quá hạn 14/04/2026" not in cell(html, month["kt13"], 3)
    assert AuditLog.select().where(AuditLog.action == "tracking.deadline").count() == 1


def test_only_who_assigns_may_set_the_deadline(app, month):
    me = client_of(app, "kt13")
    assert set_deadline(me, "3", "/admin/monthly/").status_code == 403
    viewer = client_of(app, "xem")
    assert set_deadline(viewer, "3", "/admin/monthly/").status_code == 403
    officer = client_of(app, "canbo")
    data = {"unit": "KIMTAN", "year": str(YEAR), "working_day": "3"}
    assert officer.post("/admin/tracking/deadline", data=data).status_code == 400  # no CSRF
    other = client_of(app, "canbo_b")  # another commune's officer: not their unit
    assert set_deadline(other, "3").status_code == 404
    assert not TrackingSetting.select().exists()


def test_the_civil_servant_lands_on_their_month_with_their_to_do(app, monkeypatch, month):
    on(monkeypatch, datetime.date(2026, 3, 20))
    me = client_of(app, "kt13")
    home = me.get("/admin/")
    assert home.status_code == 302 and home.headers["Location"].endswith("/admin/monthly/")
    todo = todo_of(me.get("/admin/monthly/").get_data(as_text=True))
    link = f'href="/admin/tracking/sheet/{month["kt13"].id}/{YEAR}/3"'
    assert f"{link}>Ghi kết quả và tự chấm phiếu tháng 3/2026</a>" in todo
    assert "hạn 07/04/2026" in todo and "Quá hạn" not in todo
    assert "Xác nhận phiếu" not in todo and "Giao việc" not in todo
    on(monkeypatch, datetime.date(2026, 4, 8))
    todo = todo_of(me.get("/admin/monthly/").get_data(as_text=True))
    assert "Quá hạn 07/04/2026" in todo


def test_the_returned_sheet_shows_its_reason(app, monkeypatch, month, head):
    on(monkeypatch, datetime.date(2026, 3, 31))
    sheets.return_sheet(User.get(User.username == "kt05"), submit(month["kt13"]),
                        "Thiếu minh chứng <báo cáo>")
    todo = todo_of(client_of(app, "kt13").get("/admin/monthly/").get_data(as_text=True))
    assert "Phiếu tháng 3/2026 bị trả lại — sửa và gửi lại" in todo
    assert "Lý do trả lại: Thiếu minh chứng &lt;báo cáo&gt;" in todo  # escaped


def test_the_evaluator_sees_what_to_confirm_and_whom_to_assign(app, monkeypatch, month, head):
    on(monkeypatch, datetime.date(2026, 3, 20))
    submit(month["kt13"])
    boss = client_of(app, "kt05")
    assert boss.get("/admin/").headers["Location"].endswith("/admin/monthly/")
    todo = todo_of(boss.get("/admin/monthly/").get_data(as_text=True))
    sheet_url = f"/admin/tracking/sheet/{month['kt13'].id}/{YEAR}/3"
    assert (f'href="{sheet_url}">Xác nhận phiếu tháng 3/2026 của '
            f"{month['kt13'].full_name}</a>") in todo
    kt14 = month["kt14"]
    assert (f'href="/admin/monthly/assign/{kt14.id}/{YEAR}/3">Giao việc tháng 3/2026 cho '
            f"{kt14.full_name}</a>") in todo
    assert "tự chấm" not in todo  # nothing assigned to the head: nothing to self-score
    assert boss.get(sheet_url).status_code == 200  # the evaluator reads the sheet
    colleague = todo_of(client_of(app, "kt14").get("/admin/monthly/").get_data(as_text=True))
    assert "Xác nhận phiếu" not in colleague and "Giao việc" not in colleague


def test_many_people_to_assign_are_one_item_leading_to_the_queue(app, monkeypatch, month,
                                                                 head):
    """Past ``todo.GROUP_FROM`` the head's people without work are one line naming the
    first five, and it opens the month's queue, where each has a "giao việc" link."""
    on(monkeypatch, datetime.date(2026, 3, 20))
    boss = client_of(app, "kt05")
    single = todo_of(boss.get("/admin/monthly/").get_data(as_text=True))
    count = single.count(">Giao việc tháng 3/2026 cho ")
    assert count > 3
    monkeypatch.setattr(todo, "GROUP_FROM", 3)
    cache.clear()  # the same data: PostgreSQL would show the list kept before the patch
    page = todo_of(boss.get("/admin/monthly/").get_data(as_text=True))
    found = re.search(r'<a href="([^"]+)">Giao việc tháng 3/2026 cho (\d+) người: ([^<]+)</a>',
                      page)
    assert found and page.count("Giao việc tháng 3/2026") == 1
    assert found.group(1) == f"/admin/monthly/queue?year={YEAR}&amp;month=3"
    assert int(found.group(2)) == count
    assert found.group(3).endswith(f" và {count - todo.NAMED} người khác")
    queue = boss.get(found.group(1).replace("&amp;", "&")).get_data(as_text=True)
    kt14 = month["kt14"]
    assert kt14.full_name in queue
    assert f"/admin/monthly/assign/{kt14.id}/{YEAR}/3" in queue


def test_a_provinces_chairman_queues_the_heads_of_its_communes_not_their_clerks(
        app, monkeypatch, month, head):
    """Điều 10.1.a: the managing agency's head evaluates the head of each commune; the
    commune's civil servants are its head's (10.1.b), so the province's queue and to-do
    list the one and not the others."""
    on(monkeypatch, datetime.date(2026, 3, 20))
    province = Unit.create(code="TINH", name="Tỉnh Thử", place_name="Thử")
    Unit.update(parent=province).where(Unit.code == "KIMTAN").execute()
    users.create_user("tinh_chutich", PASSWORD, "CHAIRMAN", province)
    chairman = client_of(app, "tinh_chutich")
    queue = chairman.get(f"/admin/monthly/queue?year={YEAR}&month=3").get_data(as_text=True)
    assert head.full_name in queue  # KT05, Kim Tân's head
    assert month["kt14"].full_name not in queue
    items = todo.for_account(User.get(User.username == "tinh_chutich"),
                             datetime.date(2026, 3, 20))
    assert [(i.kind, i.staff_id) for i in items if i.kind == todo.ASSIGN] == [
        (todo.ASSIGN, head.id)]


def test_the_officer_sees_who_has_no_work_and_the_year(app, monkeypatch, month):
    on(monkeypatch, datetime.date(2026, 12, 15))
    html = client_of(app, "canbo").get("/admin/").get_data(as_text=True)
    todo = todo_of(html)
    people = Staff.select().where(Staff.unit == Unit.get(Unit.code == "KIMTAN"),
                                  Staff.left_on.is_null()).count()
    assert re.search(r"\d+ người chưa được giao việc tháng 12/2026: ", todo)
    assert int(re.search(r"(\d+) người chưa được giao việc", todo).group(1)) <= people
    assert "Đánh giá, xếp loại chất lượng năm 2026 (Điều 19.2 Nghị định 335/2025)" in todo
    assert "đã quá hạn (phải xong trước ngày 15/12/2026)" in todo  # 15/12 is late
    assert "Kỳ đánh giá năm" in html  # the home page's progress stays below


def test_the_chairman_finds_the_to_do_on_the_dashboard(app, monkeypatch, month):
    on(monkeypatch, datetime.date(2026, 3, 20))
    submit(month["kt13"])  # no head recorded: the chairman's account evaluates
    boss = client_of(app, "chutich")
    html = boss.get("/admin/", follow_redirects=True).get_data(as_text=True)
    assert "Xác nhận phiếu tháng 3/2026 của " + month["kt13"].full_name in todo_of(html)
