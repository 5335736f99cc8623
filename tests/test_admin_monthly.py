"""The ND 335 screens of the people who do it: my month, the evaluator's queue, assigning,
who evaluates whom — every screen × every role, and the month walked through the panel."""
import datetime
import re

import pytest

from canbo.models import Staff, Unit
from canbo.models.tracking import Assignment, Evidence, Sheet
from canbo.records import users
from canbo.tracking import catalogue as cat
from canbo.tracking import evaluators, sheets
from panel_helpers import PASSWORD, csrf_token, log_in

YEAR = 2026
GENERAL = {"I.1": "5", "I.2": "5", "II.1": "2,5", "II.2": "2,5", "II.3": "2,5", "II.4": "2,5",
           "III.1": "2,5", "III.2": "2,5", "III.3": "2", "III.4": "1"}


@pytest.fixture
def month(accounts, without_demo_2026):
    """Kim Tân's decided 2026 catalogue, KT13 with two assignments in March and a STAFF
    account; KT14 with a STAFF account too."""
    unit = Unit.get(Unit.code == "KIMTAN")
    officer = accounts["OFFICER"]
    c = cat.open_catalogue(officer, unit, YEAR)
    cat.add_product(officer, c, 1, "Soạn thảo văn bản hành chính", 1, 5, 5)
    cat.add_product(officer, c, 2, "Báo cáo chuyên đề", 2, 11, 50)
    cat.decide(accounts["CHAIRMAN"], c, "15/QĐ-UBND", datetime.date(2026, 1, 20))
    kt13 = Staff.get(Staff.code == "KT13")
    kt14 = Staff.get(Staff.code == "KT14")
    products = list(c.products.order_by(cat.Product.position))
    rows = [sheets.assign(officer, kt13, YEAR, 3, products[0], 4, on=datetime.date(2026, 3, 2)),
            sheets.assign(officer, kt13, YEAR, 3, products[1], 1, on=datetime.date(2026, 3, 2))]
    for code, staff in (("kt13", kt13), ("kt14", kt14)):
        users.create_user(code, PASSWORD, "STAFF", unit, staff=staff)
    return {"kt13": kt13, "kt14": kt14, "rows": rows, "products": products}


def client_of(app, username):
    client = app.test_client()
    assert log_in(client, username).status_code == 302
    return client


def post(client, url, **data):
    return client.post(url, data={"csrf_token": csrf_token(client, url), **data})


ROLES = {"ADMIN": "quantri", "OFFICER": "canbo", "CHAIRMAN": "chutich", "VIEWER": "xem",
         "STAFF": "kt13", "COLLEAGUE": "kt14", "EVALUATOR": "kt15", "OFFICER_B": "canbo_b",
         None: None}


def test_every_screen_answers_each_role(app, month, accounts):
    """Every ND 335 screen × every role: the civil servant (kt13), a colleague (kt14), the
    evaluator of kt13 recorded for the year (kt15, a STAFF account), the
    officer, chairman, viewer and admin, another commune's officer, and anonymous."""
    s13 = month["kt13"].id
    kt15 = Staff.get(Staff.code == "KT15")
    users.create_user("kt15", PASSWORD, "STAFF", kt15.unit, staff=kt15)
    evaluators.set_evaluator(accounts["OFFICER"], month["kt13"], YEAR, kt15)
    proof = sheets.add_evidence(accounts["OFFICER"], month["rows"][0], "cv-45.pdf",
                                b"%PDF-1.4 minh chung")
    everyone = dict.fromkeys(ROLES, 200)
    table = {
        "/admin/monthly/": everyone,
        f"/admin/monthly/queue?year={YEAR}&month=3": everyone,
        f"/admin/tracking/sheet/{s13}/{YEAR}/3": {
            "ADMIN": 200, "OFFICER": 200, "CHAIRMAN": 200, "VIEWER": 404, "STAFF": 200,
            "COLLEAGUE": 404, "EVALUATOR": 200, "OFFICER_B": 404},
        f"/admin/tracking/evidence/{proof.id}": {
            "ADMIN": 200, "OFFICER": 200, "CHAIRMAN": 200, "VIEWER": 404, "STAFF": 200,
            "COLLEAGUE": 404, "EVALUATOR": 200, "OFFICER_B": 404},
        f"/admin/monthly/year/{s13}/{YEAR}": {
            "ADMIN": 200, "OFFICER": 200, "CHAIRMAN": 200, "VIEWER": 404, "STAFF": 200,
            "COLLEAGUE": 404, "EVALUATOR": 200, "OFFICER_B": 404},
        # a colleague does not even learn the page exists: only their own records
        f"/admin/monthly/assign/{s13}/{YEAR}/3": {
            "ADMIN": 200, "OFFICER": 200, "CHAIRMAN": 200, "VIEWER": 403, "STAFF": 403,
            "COLLEAGUE": 404, "EVALUATOR": 200, "OFFICER_B": 404},
        f"/admin/monthly/assign-sheet?year={YEAR}&month=3": {
            "ADMIN": 200, "OFFICER": 200, "CHAIRMAN": 200, "VIEWER": 403, "STAFF": 200,
            "COLLEAGUE": 200, "EVALUATOR": 200, "OFFICER_B": 200},
        f"/admin/monthly/evaluators?year={YEAR}": {
            "ADMIN": 200, "OFFICER": 200, "CHAIRMAN": 200, "VIEWER": 403, "STAFF": 403,
            "COLLEAGUE": 403, "EVALUATOR": 403, "OFFICER_B": 200},
        # the grid: a civil servant is sent to their own month, the viewer refused
        f"/admin/tracking/?year={YEAR}": {
            "ADMIN": 200, "OFFICER": 200, "CHAIRMAN": 200, "VIEWER": 403, "STAFF": 302,
            "COLLEAGUE": 302, "EVALUATOR": 302, "OFFICER_B": 200},
        "/admin/catalogue/": everyone,
        "/admin/accounts/": {
            "ADMIN": 200, "OFFICER": 200, "CHAIRMAN": 403, "VIEWER": 403, "STAFF": 403,
            "COLLEAGUE": 403, "EVALUATOR": 403, "OFFICER_B": 200},
        "/admin/password/": everyone,
    }
    got, want = {}, {}
    for role, username in ROLES.items():
        client = client_of(app, username) if username else app.test_client()
        for url, statuses in table.items():
            status = client.get(url).status_code
            got[(url, role)] = status
            want[(url, role)] = 302 if role is None else statuses[role]
    assert got == want


def test_the_month_through_the_panel(app, month):
    """The civil servant records results and submits; the chairman (the head's account,
    the evaluator by default) returns it; corrected, it is confirmed, to the digit."""
    me = client_of(app, "kt13")
    url = f"/admin/tracking/sheet/{month['kt13'].id}/{YEAR}/3"
    first, second = month["rows"]
    post(me, url, action=f"result-{first.id}", **{f"completed-{first.id}": "4",
         f"completed_on-{first.id}": "20/03/2026", f"evidence-{first.id}": "CV 45/UBND"})
    post(me, url, action=f"result-{second.id}", **{f"completed-{second.id}": "1",
         f"completed_on-{second.id}": "1/3/2026"})
    html = me.get(url).get_data(as_text=True)
    assert "Ngày hoàn thành 01/03/2026 trước ngày giao việc 02/03/2026" in html
    post(me, url, action=f"result-{second.id}", **{f"completed-{second.id}": "1"})
    post(me, url, action="self", strengths="Chủ động", **{f"self-{k}": v
                                                        for k, v in GENERAL.items()})
    assert Sheet.get(Sheet.staff == month["kt13"], Sheet.month == 3).status == "SELF_SCORED"

    boss = client_of(app, "chutich")
    queue = boss.get(f"/admin/monthly/queue?year={YEAR}&month=3").get_data(as_text=True)
    assert "Chờ xác nhận" in queue and month["kt13"].full_name in queue
    post(boss, url, action="return", reason="Thiếu minh chứng báo cáo")
    html = me.get(url).get_data(as_text=True)
    assert "Phiếu bị trả lại." in html and "Thiếu minh chứng báo cáo" in html
    post(me, url, action="self", **{f"self-{k}": v for k, v in GENERAL.items()})
    post(boss, url, action=f"review-{first.id}", **{f"failed-{first.id}": "1",
                                                    f"delays-{first.id}": "0"})
    post(boss, url, action="confirm", comment="Tốt", **{f"eval-{k}": v
                                                       for k, v in GENERAL.items()})
    sheet = Sheet.get(Sheet.staff == month["kt13"], Sheet.month == 3)
    # assigned 4×1 + 1×2 = 6; quality 6 − 0,25 = 5,75 → a 100, b 95,83, c 100 → 98,61%
    assert sheet.status == "CONFIRMED" and str(sheet.total) == "97.03"
    html = me.get(url).get_data(as_text=True)
    assert "Tổng điểm 97,03" in html and "4,00 − 25% × 1,00 × 1 lần không đạt" in html
    assert "đã khóa" in html


def test_a_civil_servant_cannot_touch_a_colleagues_sheet(app, month):
    other = client_of(app, "kt14")
    url = f"/admin/tracking/sheet/{month['kt13'].id}/{YEAR}/3"
    row = month["rows"][0]
    assert other.get(url).status_code == 404
    token = csrf_token(other, "/admin/monthly/")
    response = other.post(url, data={"csrf_token": token, "action": f"result-{row.id}",
                                     f"completed-{row.id}": "4"})
    assert response.status_code == 404
    assert Assignment.get_by_id(row.id).completed == 0


def test_evidence_is_uploaded_and_served_only_to_those_who_may_read(app, month):
    import io

    me = client_of(app, "kt13")
    url = f"/admin/tracking/sheet/{month['kt13'].id}/{YEAR}/3"
    row = month["rows"][0]
    me.post(url, data={"csrf_token": csrf_token(me, url), "action": f"evidence-{row.id}",
                       f"file-{row.id}": (io.BytesIO(b"%PDF-1.4 bao cao"), "bao-cao.pdf")},
            content_type="multipart/form-data")
    saved = Evidence.get(Evidence.assignment == row.id)
    link = f"/admin/tracking/evidence/{saved.id}"
    assert link in me.get(url).get_data(as_text=True)
    got = me.get(link)
    assert got.status_code == 200 and got.data == b"%PDF-1.4 bao cao"
    assert client_of(app, "kt14").get(link).status_code == 404
    assert client_of(app, "chutich").get(link).status_code == 200
    me.post(url, data={"csrf_token": csrf_token(me, url), "action": f"evidence-{row.id}",
                       f"file-{row.id}": (io.BytesIO(b"MZ"), "x.exe")},
            content_type="multipart/form-data")
    assert "chỉ nhận" in me.get(url).get_data(as_text=True)
    assert Evidence.select().count() == 1


def test_assigning_from_the_panel(app, month):
    boss = client_of(app, "canbo")
    kt14 = month["kt14"]
    url = f"/admin/monthly/assign/{month['kt13'].id}/{YEAR}/4"
    post(boss, url, action="add", product=str(month["products"][1].id), quantity="2",
         deadline="30/04/2026", kind="plan", also=str(kt14.id))
    assert Assignment.select().where(Assignment.month == 4).count() == 2
    post(boss, url, action="add", product=str(month["products"][1].id), quantity="0",
         kind="plan")
    assert "phải lớn hơn 0" in boss.get(url).get_data(as_text=True)
    post(boss, f"/admin/monthly/assign/{month['kt13'].id}/{YEAR}/5", action="copy")
    assert Assignment.select().where(Assignment.month == 5).count() == 1
    html = boss.get(url).get_data(as_text=True)
    assert re.search(r"Báo cáo chuyên đề.*giao 2.*hạn 30/04/2026", html, re.S)


def test_the_officer_records_who_evaluates_whom(app, month):
    boss = client_of(app, "canbo")
    kt05 = Staff.get(Staff.code == "KT05")
    url = f"/admin/monthly/evaluators?year={YEAR}&month=3"
    post(boss, url, action="head", staff=str(kt05.id), department="", unit="KIMTAN")
    html = boss.get(url).get_data(as_text=True)
    assert "Đơn vị: <strong>Lê Quang Minh</strong>" in html
    post(boss, url, action="set", staff=str(kt05.id), evaluator=str(kt05.id), unit="KIMTAN")
    assert "không thể là người đánh giá của chính mình" in boss.get(url).get_data(as_text=True)


def test_the_officer_assigns_a_month_from_the_template(app, month):
    """The template downloads with the unit's people; filled in and uploaded, it assigns;
    a civil servant who evaluates nobody is refused, naming the row, and nothing is written."""
    import io

    import openpyxl
    officer = client_of(app, "canbo")
    url = f"/admin/monthly/assign-sheet?year={YEAR}&month=4"
    got = officer.get(f"/admin/monthly/assign-sheet/template?year={YEAR}&month=4")
    assert got.status_code == 200 and got.mimetype.endswith("spreadsheetml.sheet")
    book = openpyxl.load_workbook(io.BytesIO(got.data))
    sheet = book.worksheets[0]
    codes = [sheet.cell(row=r, column=1).value for r in range(2, sheet.max_row + 1)]
    assert "KT13" in codes and "KT14" in codes
    row13, row14 = codes.index("KT13") + 2, codes.index("KT14") + 2
    sheet.cell(row=row13, column=4, value="Báo cáo chuyên đề")
    sheet.cell(row=row13, column=5, value=2)
    sheet.cell(row=row14, column=4, value="Soạn thảo văn bản hành chính")
    sheet.cell(row=row14, column=5, value=3)
    sheet.cell(row=row14, column=6, value="25/04/2026")
    # The rows left as the template gave them (a code, a name, no work) are skipped.
    out = io.BytesIO()
    book.save(out)

    def upload(client):
        return client.post(url, data={"csrf_token": csrf_token(client, url),
                                      "file": (io.BytesIO(out.getvalue()), "giao-viec.xlsx")},
                           content_type="multipart/form-data", follow_redirects=True)

    refused = upload(client_of(app, "kt14")).get_data(as_text=True)
    assert f"dòng {row13} (KT13)" in refused and "Chưa ghi dòng nào" in refused
    assert Assignment.select().where(Assignment.month == 4).count() == 0
    done = upload(officer).get_data(as_text=True)
    assert "Đã giao 2 việc cho 2 người" in done
    rows = {(a.staff.code, a.product.name, a.quantity, a.deadline) for a in
            Assignment.select().where(Assignment.month == 4)}
    assert rows == {("KT13", "Báo cáo chuyên đề", 2, None),
                    ("KT14", "Soạn thảo văn bản hành chính", 3, datetime.date(2026, 4, 25))}
    empty = officer.post(url, data={"csrf_token": csrf_token(officer, url)},
                         follow_redirects=True)
    assert "Hãy chọn tệp giao việc" in empty.get_data(as_text=True)


def test_a_large_product_is_split_into_parts_by_person_and_month(app, month):
    """Điều 18.1.c: a product worth several units, done by two people over two months."""
    officer = client_of(app, "canbo")
    kt13, kt14 = month["kt13"], month["kt14"]
    url = f"/admin/monthly/assign/{kt13.id}/{YEAR}/3"
    report = month["products"][1]
    base = {"action": "package", "pkg_product": str(report.id), "pkg_name": "Báo cáo năm",
            "pkg_units": "3", "pkg_owner": str(kt13.id),
            "part_staff_0": str(kt13.id), "part_month_0": "3", "part_units_0": "2",
            "part_staff_1": str(kt14.id), "part_month_1": "4", "part_units_1": "2"}
    html = officer.post(url, data={"csrf_token": csrf_token(officer, url), **base},
                        follow_redirects=True).get_data(as_text=True)
    assert "Các phần phải cộng lại đúng 3 đơn vị (đang là 4)" in html
    assert not Assignment.select().where(Assignment.package.is_null(False)).exists()
    base["part_units_1"] = "1"
    html = officer.post(url, data={"csrf_token": csrf_token(officer, url), **base},
                        follow_redirects=True).get_data(as_text=True)
    assert "Đã chia «Báo cáo năm» (3 đơn vị) thành 2 phần." in html
    parts = {(a.staff.code, a.month, a.quantity) for a in
             Assignment.select().where(Assignment.package.is_null(False))}
    assert parts == {("KT13", 3, 2), ("KT14", 4, 1)}
    assert "phần của «Báo cáo năm» (3 đơn vị, chủ trì Nguyễn Thị Ngọc Ánh)" in html
