"""The people's own accounts (issue 12, "People and accounts"): STAFF accounts bound to
their staff record, bulk accounts with one-time passwords on slips, the forced password
change at first login, and leaving closing the account — in the library, the CLI and the
panel."""
import base64
import datetime
import io
import re

import openpyxl
import pytest
from pypdf import PdfReader

from canbo.errors import Forbidden, InvalidInput
from canbo.models import AuditLog, Staff, Unit, User
from canbo.records import accounts, audit, users
from panel_helpers import PASSWORD, csrf_token, log_in


def kimtan():
    return Unit.get(Unit.code == "KIMTAN")


def person(code):
    return Staff.get(Staff.code == code)


def pdf_pages(data):
    return PdfReader(io.BytesIO(data)).pages


# --- a STAFF account is bound to its person ------------------------------------------------


def test_a_staff_account_cannot_be_made_without_its_person(demo_db):
    with pytest.raises(InvalidInput, match="phải gắn với hồ sơ cán bộ") as caught:
        users.create_user("kt13", PASSWORD, "STAFF", kimtan())
    assert caught.value.data["field"] == "staff"
    assert not User.select().where(User.username == "kt13").exists()


def test_a_staff_account_takes_its_person_s_unit(demo_db):
    user = users.create_user("kt13", PASSWORD, "STAFF", staff=person("KT13"))
    assert (user.unit_id, user.staff_id, user.role) == (kimtan().id, person("KT13").id, "STAFF")
    entry = AuditLog.get(AuditLog.table_name == "user", AuditLog.row_id == user.id)
    assert f'"staff": [null, {person("KT13").id}]' in entry.changes


def test_the_person_must_be_in_post_in_the_account_s_unit_and_have_no_account(
        demo_db, other_unit):
    with pytest.raises(InvalidInput, match="không thuộc đơn vị của tài khoản"):
        users.create_user("kt13", PASSWORD, "STAFF", other_unit["unit"], staff=person("KT13"))
    with pytest.raises(InvalidInput, match=r"đã nghỉ / chuyển công tác từ 31/03/2023"):
        users.create_user("kt04", PASSWORD, "STAFF", staff=person("KT04"))
    users.create_user("kt13", PASSWORD, "STAFF", staff=person("KT13"))
    with pytest.raises(InvalidInput, match="đã có tài khoản «kt13»"):
        users.create_user("anh", PASSWORD, "STAFF", staff=person("KT13"))
    assert User.select().where(User.staff == person("KT13")).count() == 1


# --- bulk accounts: the library ----------------------------------------------------------


def test_bulk_makes_one_account_per_person_in_post_and_skips_those_who_have_one(demo_db):
    officer = users.create_user("canbo", PASSWORD, "OFFICER", kimtan())
    users.create_user("anh", PASSWORD, "STAFF", staff=person("KT13"))
    batch = accounts.bulk_create(officer, kimtan())
    # 21 people in the demo (KT22 transferred in on 01/07/2026), 2 of whom have left
    # (KT04, KT19), 1 has an account already
    assert batch.created == 18
    assert [(p.code, u.username) for p, u in batch.skipped] == [("KT13", "anh")]
    made = {u.username: u for u in User.select().where(User.role == "STAFF",
                                                      User.username != "anh")}
    assert set(made) == {f"kt{n:02d}" for n in (*range(1, 21), 22)} - {"kt04", "kt13",
                                                                         "kt19"}
    kt01 = made["kt01"]
    assert (kt01.staff_id, kt01.unit_id, kt01.must_change_password, kt01.active) == (
        person("KT01").id, kimtan().id, True, True)
    issued = {i.username: i.password for i in batch.issued}
    assert len(set(issued.values())) == 18
    assert all(len(pw) >= users.MIN_PASSWORD_LENGTH for pw in issued.values())
    assert users.authenticate("kt01", issued["kt01"]).id == kt01.id
    entries = list(AuditLog.select().where(AuditLog.action == "create",
                                           AuditLog.table_name == "user",
                                           AuditLog.actor == "canbo"))
    assert len(entries) == 18
    assert not any(pw in e.changes for e in entries for pw in issued.values())
    # nothing is left to make: a second run makes nothing
    again = accounts.bulk_create(officer, kimtan())
    assert again.created == 0 and len(again.skipped) == 19


def test_a_username_taken_by_someone_else_gets_the_unit_s_code(demo_db, other_unit):
    users.create_user("KT05", PASSWORD, "VIEWER", kimtan())  # not KT05's, whatever its case
    Staff(unit=other_unit["unit"], code="KT06", full_name="Ngô Văn Sáu",
          kind="CIVIL_SERVANT").save()
    made = accounts.bulk_create(users.operator(), kimtan()).issued
    names = {i.staff.code: i.username for i in made}
    assert names["KT05"] == "kt05.kimtan" and names["KT06"] == "kt06"
    other = accounts.bulk_create(users.operator(), other_unit["unit"]).issued
    assert {i.staff.code: i.username for i in other} == {"B01": "b01", "KT06": "kt06.xb"}


@pytest.mark.parametrize("role", ["VIEWER", "CHAIRMAN", "STAFF"])
def test_only_the_officer_and_the_admin_make_accounts_in_bulk(demo_db, role):
    actor = User(username="x", role=role, unit=kimtan().id, active=True)
    with pytest.raises(Forbidden, match="tạo tài khoản hàng loạt"):
        accounts.plan_bulk(actor, kimtan())
    assert not User.select().exists()


def test_an_officer_makes_accounts_of_their_own_units_only(demo_db, other_unit):
    officer_b = users.create_user("canbo_b", PASSWORD, "OFFICER", other_unit["unit"])
    with pytest.raises(Forbidden, match="không thuộc đơn vị này"):
        accounts.bulk_create(officer_b, kimtan())
    assert User.select().count() == 1


@pytest.fixture
def big_unit(db):
    """A commune of 150 people in post (and one who left), one named like a formula."""
    unit = Unit.create(code="XL", name="UBND xã Lớn", place_name="Lớn")
    rows = [{"unit": unit.id, "code": f"L{n:03d}", "kind": "CIVIL_SERVANT", "left_on": None,
             **Staff.derived(f"Nguyễn Văn Người {n}")} for n in range(1, 151)]
    rows[0].update(Staff.derived("=HYPERLINK(\"http://x\")"))
    rows.append({"unit": unit.id, "code": "L999", "kind": "CIVIL_SERVANT",
                 "left_on": datetime.date(2024, 1, 1), **Staff.derived("Người Đã Nghỉ")})
    Staff.insert_many(rows).execute()
    return unit


def test_150_accounts_are_written_in_one_transaction_or_not_at_all(big_unit, monkeypatch):
    record, calls = audit.record, []

    def failing(*args, **kwargs):
        calls.append(1)
        if len(calls) == 100:  # the 100th account's audit entry: midway through the batch
            raise RuntimeError("disk full")
        return record(*args, **kwargs)

    monkeypatch.setattr(audit, "record", failing)
    with pytest.raises(RuntimeError):
        accounts.bulk_create(users.operator(), big_unit)
    assert len(calls) == 100
    assert User.select().count() == 0 and AuditLog.select().count() == 0

    monkeypatch.setattr(audit, "record", record)
    batch = accounts.bulk_create(users.operator(), big_unit)
    assert batch.created == 150
    assert User.select().where(User.must_change_password, User.role == "STAFF").count() == 150


def test_150_slips_print_one_page_each_and_the_list_keeps_text_as_text(big_unit):
    batch = accounts.plan_bulk(users.operator(), big_unit)
    pages = pdf_pages(accounts.slips_pdf(batch, "https://canbo.example.vn/admin/"))
    assert len(pages) == 150
    first = pages[0].extract_text()
    one = batch.issued[0]
    for text in ("PHIẾU TÀI KHOẢN ĐĂNG NHẬP", "ỦY BAN NHÂN DÂN XÃ LỚN", one.staff.full_name,
                 f"Tên đăng nhập: {one.username}", f"Mật khẩu dùng một lần: {one.password}", "https://canbo.example.vn/admin/",
                 "yêu cầu đổi mật khẩu"):
        assert text in first, text
    target = io.BytesIO()
    accounts.list_xlsx(batch, target)
    sheet = openpyxl.load_workbook(io.BytesIO(target.getvalue()))["Tài khoản mới"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(rows) == 150
    by_user = {r[4]: r for r in rows}
    assert by_user["l002"][3] == "Nguyễn Văn Người 2"
    assert by_user["l002"][5] == next(i.password for i in batch.issued if i.username == "l002")
    formula = next(c for c in sheet["D"] if str(c.value).startswith("=HYPERLINK"))
    assert formula.data_type == "s"  # a string cell, never a formula that runs
    assert not User.select().exists()  # printing a plan writes nothing


# --- the forced password change and leaving, in the library --------------------------------


def test_changing_one_s_password_checks_it_and_clears_the_one_time_flag(demo_db):
    user = users.create_user("kt13", PASSWORD, "STAFF", staff=person("KT13"),
                             must_change_password=True)
    for args, field in (((("sai-mat-khau"), "moi-12345", "moi-12345"), "old_password"),
                        ((PASSWORD, "moi-12345", "moi-54321"), "repeated"),
                        ((PASSWORD, "ngan", "ngan"), "password"),
                        ((PASSWORD, PASSWORD, PASSWORD), "password")):
        with pytest.raises(InvalidInput) as caught:
            users.change_own_password(user, *args)
        assert caught.value.data["field"] == field
    assert User.get_by_id(user.id).must_change_password
    users.change_own_password(user, PASSWORD, "moi-12345", "moi-12345")
    assert not User.get_by_id(user.id).must_change_password
    assert users.authenticate("kt13", "moi-12345").id == user.id
    entry = AuditLog.get(AuditLog.action == "password", AuditLog.row_id == user.id)
    assert "moi-12345" not in entry.changes and "must_change_password" in entry.changes


def test_leaving_closes_the_account(demo_db):
    user = users.create_user("kt13", PASSWORD, "STAFF", staff=person("KT13"))
    kt13 = person("KT13")
    kt13.left_on, kt13.left_reason = datetime.date(2026, 6, 1), "Chuyển công tác"
    kt13.save()
    # a date ahead closes nothing yet; from that day on the login closes it
    assert accounts.close_accounts(kt13, "canbo", today=datetime.date(2026, 5, 31)) == []
    assert users.authenticate("kt13", PASSWORD, at=datetime.datetime(2026, 5, 31, 8)).active
    with pytest.raises(Forbidden, match="vô hiệu hóa"):
        users.authenticate("kt13", PASSWORD, at=datetime.datetime(2026, 6, 1, 8))
    assert not User.get_by_id(user.id).active
    assert AuditLog.get(AuditLog.action == "deactivate", AuditLog.row_id == user.id)


# --- the command line -------------------------------------------------------------------


def test_user_add_binds_a_staff_account_to_its_person(demo_db, run):
    refused = run("user", "add", "kt13", "--role", "STAFF", input="matkhau-123\n")
    assert refused.exit_code == 2 and "--staff MÃ" in refused.output
    result = run("user", "add", "kt13", "--role", "STAFF", "--staff", "KT13",
                 input="matkhau-123\n")
    assert result.exit_code == 0, result.output
    assert "của Nguyễn Thị Ngọc Ánh (KT13)" in result.output
    assert User.get(User.username == "kt13").staff_id == person("KT13").id
    left = run("user", "add", "kt04", "--role", "STAFF", "--staff", "KT04",
               input="matkhau-123\n")
    assert left.exit_code == 2 and "đã nghỉ" in left.output


def test_user_bulk_writes_the_slips_and_the_list(demo_db, run, tmp_path):
    users.create_user("anh", PASSWORD, "STAFF", staff=person("KT13"))
    slips, listing = tmp_path / "slips.pdf", tmp_path / "list.xlsx"
    result = run("user", "bulk", "--unit", "KIMTAN", "-o", str(slips), "--xlsx", str(listing),
                 "--url", "https://canbo.kimtan.vn/admin/")
    assert result.exit_code == 0, result.output
    assert "Đã tạo 18 tài khoản; bỏ qua 1 người đã có tài khoản." in result.output
    assert "Bỏ qua Nguyễn Thị Ngọc Ánh (KT13): đã có tài khoản «anh»." in result.output
    pages = PdfReader(str(slips)).pages
    assert len(pages) == 18 and "https://canbo.kimtan.vn/admin/" in pages[0].extract_text()
    rows = list(openpyxl.load_workbook(listing)["Tài khoản mới"].iter_rows(
        min_row=2, values_only=True))
    username, password = rows[0][4], rows[0][5]
    assert users.authenticate(username, password).must_change_password
    again = run("user", "bulk", "--unit", "KIMTAN", "-o", str(tmp_path / "again.pdf"))
    assert "Không tạo tài khoản nào" in again.output
    assert not (tmp_path / "again.pdf").exists()


def test_user_bulk_leaves_no_file_when_the_accounts_are_not_written(demo_db, run, tmp_path,
                                                                   monkeypatch):
    def refuse(batch, actor):
        raise InvalidInput("Trong lúc chuẩn bị, tài khoản «kt01» đã được tạo ở nơi khác.")

    monkeypatch.setattr(accounts, "write", refuse)
    slips = tmp_path / "slips.pdf"
    result = run("user", "bulk", "--unit", "KIMTAN", "-o", str(slips))
    assert result.exit_code == 2 and "ở nơi khác" in result.output
    assert not slips.exists() and not User.select().where(User.role == "STAFF").exists()


# --- the panel --------------------------------------------------------------------------


def client_of(app, username, password=PASSWORD):
    client = app.test_client()
    assert log_in(client, username, password).status_code == 302
    return client


def post(client, url, page, **data):
    return client.post(url, data={"csrf_token": csrf_token(client, page), **data})


def test_the_bulk_page_answers_each_role(app, login_as):
    users.create_user("kt13", PASSWORD, "STAFF", staff=person("KT13"))
    want = {"ADMIN": 200, "OFFICER": 200, "CHAIRMAN": 403, "VIEWER": 403, None: 302}
    got = {role: login_as(role).get("/admin/accounts/").status_code for role in want}
    got["STAFF"] = client_of(app, "kt13").get("/admin/accounts/").status_code
    assert got == {**want, "STAFF": 403}
    assert login_as("OFFICER_B").get("/admin/accounts/?unit=KIMTAN").status_code == 404


def test_the_officer_makes_the_unit_s_accounts_and_downloads_the_files_once(app, login_as):
    users.create_user("anh", PASSWORD, "STAFF", staff=person("KT13"))
    client = login_as("OFFICER")
    page = client.get("/admin/accounts/").get_data(as_text=True)
    assert "Tạo tài khoản cho 18 người chưa có" in page and "Chưa có" in page
    assert client.post("/admin/accounts/create", data={"unit": "KIMTAN"}).status_code == 400
    assert not User.select().where(User.username == "kt01").exists()  # no CSRF, no account

    response = post(client, "/admin/accounts/create", "/admin/accounts/", unit="KIMTAN")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    html = response.get_data(as_text=True)
    assert "Đã tạo 18 tài khoản" in html and "anh" in html
    pdf = re.search(r'id="download-pdf" href="data:application/pdf;base64,([^"]+)"', html)
    xlsx = re.search(r'id="download-xlsx" href="data:[^;]+;base64,([^"]+)"', html)
    assert len(pdf_pages(base64.b64decode(pdf.group(1)))) == 18
    rows = list(openpyxl.load_workbook(io.BytesIO(base64.b64decode(xlsx.group(1))))[
        "Tài khoản mới"].iter_rows(min_row=2, values_only=True))
    password = next(r[5] for r in rows if r[4] == "kt01")
    assert users.authenticate("kt01", password).staff_id == person("KT01").id
    assert User.get(User.username == "kt01").password_hash != password
    assert "kt01" in client.get("/admin/accounts/").get_data(as_text=True)
    # the files are not offered again: posting again makes nothing
    again = post(client, "/admin/accounts/create", "/admin/accounts/", unit="KIMTAN")
    assert again.status_code == 302 and User.select().where(User.role == "STAFF").count() == 19


def test_an_officer_of_another_unit_cannot_make_kimtan_s_accounts(app, login_as):
    client = login_as("OFFICER_B")
    response = post(client, "/admin/accounts/create", "/admin/accounts/", unit="KIMTAN")
    assert response.status_code == 404
    assert not User.select().where(User.role == "STAFF").exists()


def test_a_one_time_password_must_be_changed_before_anything_else(app):
    users.create_user("kt13", "mot-lan-123", "STAFF", staff=person("KT13"),
                      must_change_password=True)
    client = client_of(app, "kt13", "mot-lan-123")
    for url in ("/admin/", "/admin/monthly/", "/admin/staff/"):
        response = client.get(url)
        assert response.status_code == 302 and response.location.endswith("/admin/password/")
    page = client.get("/admin/password/").get_data(as_text=True)
    assert "Đổi mật khẩu" in page and "mật khẩu dùng một lần" in page
    wrong = post(client, "/admin/password/", "/admin/password/", old_password="sai-roi-1",
                 password="cua-toi-123", repeated="cua-toi-123")
    assert "Mật khẩu hiện tại không đúng." in wrong.get_data(as_text=True)
    short = post(client, "/admin/password/", "/admin/password/", old_password="mot-lan-123",
                 password="ngan", repeated="ngan")
    assert "ít nhất 8 ký tự" in short.get_data(as_text=True)
    assert User.get(User.username == "kt13").must_change_password
    done = post(client, "/admin/password/", "/admin/password/", old_password="mot-lan-123",
                password="cua-toi-123", repeated="cua-toi-123")
    assert done.status_code == 302 and done.location.endswith("/admin/monthly/")
    assert not User.get(User.username == "kt13").must_change_password
    assert "Việc của tôi" in client.get("/admin/monthly/").get_data(as_text=True)
    assert log_in(app.test_client(), "kt13", "cua-toi-123").status_code == 302


def test_every_account_may_change_its_own_password(login_as):
    client = login_as("VIEWER")
    assert "Đổi mật khẩu" in client.get("/admin/", follow_redirects=True).get_data(as_text=True)
    done = post(client, "/admin/password/", "/admin/password/", old_password=PASSWORD,
                password="moi-cua-xem", repeated="moi-cua-xem")
    assert done.status_code == 302 and done.location.endswith("/admin/")
    assert users.authenticate("xem", "moi-cua-xem")


def test_the_account_form_binds_a_staff_account_to_its_person(login_as):
    client = login_as("ADMIN")
    form = {"username": "kt13", "role": "STAFF", "unit": "__None", "active": "y",
            "new_password": "mat-khau-moi"}
    refused = post(client, "/admin/user/new/", "/admin/user/new/", **form)
    assert "phải gắn với hồ sơ cán bộ" in refused.get_data(as_text=True)
    assert not User.select().where(User.username == "kt13").exists()
    left = post(client, "/admin/user/new/", "/admin/user/new/", **form,
                staff=person("KT04").id)
    assert "đã nghỉ / chuyển công tác" in left.get_data(as_text=True)
    made = post(client, "/admin/user/new/", "/admin/user/new/", **form,
                staff=person("KT13").id)
    assert made.status_code == 302
    user = User.get(User.username == "kt13")
    assert (user.staff_id, user.unit_id) == (person("KT13").id, kimtan().id)


def test_archiving_a_person_closes_their_account(app, login_as):
    users.create_user("kt13", PASSWORD, "STAFF", staff=person("KT13"))
    session = client_of(app, "kt13")
    client = login_as("OFFICER")
    url = f"/admin/staff/archive/?id={person('KT13').id}"
    response = post(client, url, url, left_on=datetime.date.today().isoformat(),
                    left_reason="Chuyển công tác")
    assert response.status_code == 302
    assert "đã khóa tài khoản kt13" in client.get("/admin/staff/").get_data(as_text=True)
    assert not User.get(User.username == "kt13").active
    assert session.get("/admin/monthly/").status_code == 302  # logged out at once
    assert "đã bị vô hiệu hóa" in log_in(app.test_client(), "kt13").get_data(as_text=True)


def test_an_imported_leaving_date_closes_the_account(demo_db):
    from canbo.spreadsheets import importer
    from canbo.spreadsheets import workbook as spreadsheets

    users.create_user("kt13", PASSWORD, "STAFF", staff=person("KT13"))
    book = openpyxl.Workbook()
    book.active.append(["Mã", "Họ và tên", "Ngày nghỉ", "Lý do nghỉ"])
    book.active.append(["KT13", "Nguyễn Thị Ngọc Ánh", "01/10/2026", "Chuyển công tác"])
    data = io.BytesIO()
    book.save(data)
    result = importer.import_workbook(spreadsheets.read(data.getvalue(), "ds.xlsx"),
                                      actor=users.operator("test"), unit=kimtan(),
                                      today=datetime.date(2026, 12, 1))
    assert not result.problems and result.written
    assert person("KT13").left_on == datetime.date(2026, 10, 1)
    user = User.get(User.username == "kt13")
    assert not user.active
    assert AuditLog.get(AuditLog.action == "deactivate", AuditLog.row_id == user.id).actor == "test"


def test_a_session_ends_once_the_person_s_leaving_date_is_reached(app):
    users.create_user("kt13", PASSWORD, "STAFF", staff=person("KT13"))
    session = client_of(app, "kt13")
    assert session.get("/admin/monthly/").status_code == 200
    # recorded without the panel (no account closed): the date alone ends the session
    Staff.update(left_on=datetime.date.today(), left_reason="Nghỉ hưu").where(
        Staff.code == "KT13").execute()
    assert session.get("/admin/monthly/").status_code == 302
    assert "đã bị vô hiệu hóa" in log_in(app.test_client(), "kt13").get_data(as_text=True)
    assert not User.get(User.username == "kt13").active


def test_lost_slips_are_reissued_only_for_accounts_still_waiting(demo_db):
    officer = users.create_user("canbo", PASSWORD, "OFFICER", kimtan())
    first = {i.username: i.password for i in accounts.bulk_create(officer, kimtan()).issued}
    kt01 = User.get(User.username == "kt01")
    users.change_own_password(kt01, first["kt01"], "cua-toi-123", "cua-toi-123")
    again = accounts.write(accounts.plan_reissue(officer, kimtan()), officer)
    new = {i.username: i.password for i in again.issued}
    assert set(new) == set(first) - {"kt01"} and [u.username for _, u in again.skipped] == ["kt01"]
    assert users.authenticate("kt01", "cua-toi-123")  # the holder's own password is kept
    assert users.authenticate("kt02", new["kt02"]).must_change_password
    with pytest.raises(Forbidden):
        users.authenticate("kt02", first["kt02"])
    assert User.select().count() == 20  # no account made: officer + 19
    viewer = User(username="x", role="VIEWER", unit=kimtan().id, active=True)
    with pytest.raises(Forbidden, match="cấp lại mật khẩu"):
        accounts.plan_reissue(viewer, kimtan())


def test_user_bulk_reissue(demo_db, run, tmp_path):
    accounts.bulk_create(users.operator(), kimtan())
    result = run("user", "bulk", "--unit", "KIMTAN", "--reissue", "-o", str(tmp_path / "s.pdf"))
    assert result.exit_code == 0, result.output
    assert "Đã cấp lại mật khẩu dùng một lần cho 19 tài khoản" in result.output
    assert len(PdfReader(str(tmp_path / "s.pdf")).pages) == 19


def test_the_officer_reissues_lost_slips_from_the_panel(app, login_as):
    accounts.bulk_create(users.operator(), kimtan())
    before = User.select().count()
    client = login_as("OFFICER")
    assert "In lại phiếu cho 19 tài khoản chưa đổi mật khẩu" in client.get(
        "/admin/accounts/").get_data(as_text=True)
    response = post(client, "/admin/accounts/reissue", "/admin/accounts/", unit="KIMTAN")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Đã cấp lại mật khẩu dùng một lần cho 19" in html
    xlsx = re.search(r'id="download-xlsx" href="data:[^;]+;base64,([^"]+)"', html)
    rows = list(openpyxl.load_workbook(io.BytesIO(base64.b64decode(xlsx.group(1))))[
        "Tài khoản mới"].iter_rows(min_row=2, values_only=True))
    assert users.authenticate(rows[0][4], rows[0][5])
    assert User.select().count() == before  # no account made
