"""Bad input at the model and domain boundary: a message, never a database error or a 500
(issue 16, "No 500, ever").  On SQLite and PostgreSQL: NUL bytes and lengths are where
they differ (PostgreSQL refuses a NUL outright; SQLite stores any length)."""
import datetime
import io
import random
import re
import threading
import time
import zipfile
from decimal import Decimal

import openpyxl
import pytest
from click.testing import CliRunner

from canbo import db as dbm
from canbo.cli import cli
from canbo.errors import InvalidInput
from canbo.levels import Rating as RatingLevel
from canbo.levels import StaffKind
from canbo.models import AuditLog, Qualification, Rating, Staff, Unit, User
from canbo.rating import workflow
from canbo.spreadsheets import workbook as spreadsheets
from panel_helpers import log_in, panel_app


def test_control_characters_never_reach_the_database(db):
    unit = Unit.create(code="X\x00A", name="UBND\x1b xã\x00 An\tBình", place_name="An\x07")
    unit = Unit.get_by_id(unit.id)
    assert (unit.code, unit.name, unit.place_name) == ("XA", "UBND xã An Bình", "An")
    person = Staff(unit=unit, code="A1", full_name="Lê\x00 Văn An", kind="CADRE",
                   left_reason="dòng 1\ndòng 2\x00")
    person.save()
    person = Staff.get_by_id(person.id)
    assert person.full_name == "Lê Văn An" and person.search_name == "le van an"


def test_text_longer_than_its_column_is_refused_naming_the_field(db):
    with pytest.raises(InvalidInput, match=r"Mã: dài 33 ký tự; cho phép tối đa 32"):
        Unit.create(code="x" * 33, name="UBND", place_name="An")
    assert not Unit.select().count()


@pytest.mark.parametrize("points", [Decimal("NaN"), Decimal("Infinity"), Decimal("1e400"),
                                    Decimal(123456789), float("nan")])
def test_points_not_finite_or_past_the_column_are_refused(db, points):
    unit = Unit.create(code="XA", name="UBND", place_name="An")
    person = Staff(unit=unit, code="A1", full_name="Lê Văn An", kind="CADRE")
    person.save()
    with pytest.raises(InvalidInput, match="Điểm"):
        Rating.create(staff=person, unit=unit, year=2024, rule_set="ND90_2020", points=points)
    assert not Rating.select().count()


def test_a_level_outside_the_list_is_invalid_input_naming_what_is_allowed():
    for parse, bad in ((RatingLevel.parse, "\x00"), (StaffKind.parse, "x" * 3000)):
        with pytest.raises(InvalidInput, match="cho phép: ") as caught:
            parse(bad)
        assert isinstance(caught.value, ValueError) and len(caught.value.message) < 400
        assert "\x00" not in caught.value.message


@pytest.mark.parametrize("kind, level, named", [
    ("EDUCATION", "CVC", "Trình độ «CVC» không thuộc «Trình độ chuyên môn»; cho phép: Tiến sĩ"),
    ("NGOAI_NGU", "B1", "Loại trình độ «NGOAI_NGU» không có; cho phép: Trình độ chuyên môn")])
def test_a_qualification_outside_its_kinds_levels_is_refused_naming_them(demo_db, kind,
                                                                         level, named):
    person = Staff.get(Staff.code == "KT13")
    before = Qualification.select().count()
    with pytest.raises(InvalidInput) as caught:
        Qualification(staff=person, kind=kind, level=level).save()
    assert caught.value.message.startswith(named)
    assert Qualification.select().count() == before


@pytest.mark.parametrize("username", ["quan\x00tri", "\x00", "q" * 500])
def test_an_odd_username_is_a_wrong_login_not_a_500(client, username):
    response = log_in(client, username)
    assert response.status_code == 200
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in response.get_data(as_text=True)


def test_the_audit_log_shows_workflow_entries(login_as):
    officer = User.get(User.username == "canbo")
    workflow.open_cycle(officer, Unit.get(Unit.code == "KIMTAN"), 2024,
                        today=datetime.date(2024, 12, 1))
    assert AuditLog.get(AuditLog.action == "cycle.open").changes.count('"year": 2024')
    response = login_as("ADMIN").get("/admin/auditlog/")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<b>year</b>: 2024" in html and "∅ → OPEN" in html


@pytest.mark.parametrize("url, status", [
    ("/admin/staff/?page=99999999999999999999", 200),
    ("/admin/staff/details/?id=99999999999999999999", 404),
    ("/admin/workflow/rating/99999999999999999999", 404),
    ("/admin/rating/edit/?id=-1", 404),
])
def test_numbers_past_what_the_database_holds_are_no_row(login_as, url, status):
    assert login_as("OFFICER").get(url).status_code == status


@pytest.mark.parametrize("unit", ["99999999999999999999", "NaN", "abc", "\x00"])
def test_a_select_box_sent_an_odd_id_says_not_a_valid_choice(login_as, csrf, unit):
    client = login_as("ADMIN")
    token = csrf(client, "/admin/department/new/")
    response = client.post("/admin/department/new/",
                           data={"csrf_token": token, "name": "Phòng mới", "unit": unit})
    assert response.status_code == 200
    assert "Phòng mới" in response.get_data(as_text=True)  # the form again, with the error


# --- files: random bytes are a message, in the panel and on the command line -----------


def _zip_of(member, payload):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(member, payload)
    return buffer.getvalue()


FILES = [
    ("a.xlsx", bytes(random.Random(1).randrange(256) for _ in range(3000))),
    ("a.csv", bytes(random.Random(2).randrange(256) for _ in range(3000))),
    ("a.xlsx", _zip_of("xl/workbook.xml", b"<not xml")),
    ("a.xlsx", b"PK\x03\x04" + b"\x00" * 200),
    ("a.csv", b"M\xc3\xa3;H\xe1\xbb\x8d v\xc3\xa0 t\xc3\xaan\n\x00\x00;" + b"9" * 201),
    ("a.csv", "Mã;Họ và tên;Loại\nA1;Lê\x00Văn An;Cán bộ\n".encode()),
    ("a.xls", b"\xd0\xcf\x11\xe0" + b"\x00" * 100),
    ("a.ods", b"PK"),
]


@pytest.mark.parametrize("name, data", FILES)
def test_a_damaged_upload_is_a_message_in_the_panel(login_as, csrf, name, data):
    client = login_as("OFFICER")
    token = csrf(client, "/admin/import/")
    response = client.post("/admin/import/", data={
        "csrf_token": token, "file": (io.BytesIO(data), name)},
        content_type="multipart/form-data")
    assert response.status_code == 200


@pytest.mark.parametrize("name, data", FILES)
def test_a_damaged_file_is_one_line_on_the_command_line(demo_db, tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data)
    result = CliRunner().invoke(cli, ["--db", demo_db.url, "import", str(path), "--unit",
                                      "KIMTAN", "--dry-run"])
    assert result.exit_code in (0, 1, 2), result.output
    assert "Traceback" not in result.output and not isinstance(result.exception, Exception) \
        or isinstance(result.exception, SystemExit), repr(result.exception)


# --- bounded uploads ---------------------------------------------------------------------


def test_a_request_body_past_the_limit_is_refused_before_it_is_read(login_as, csrf, app):
    assert app.config["MAX_CONTENT_LENGTH"] == 20 * 1024 * 1024  # the default
    client = login_as("OFFICER")
    token = csrf(client, "/admin/import/")
    big = io.BytesIO(b"a;b\n" * (21 * 1024 * 1024 // 4))
    response = client.post("/admin/import/", data={"csrf_token": token, "file": (big, "a.csv")},
                           content_type="multipart/form-data")
    assert response.status_code == 413


@pytest.mark.parametrize("value, megabytes", [(None, 20), ("5", 5), ("0.5", 0.5)])
def test_the_request_limit_is_a_setting(value, megabytes):
    import admin_app

    environ = {} if value is None else {"CANBO_MAX_REQUEST_MB": value}
    assert admin_app.max_request_bytes(environ) == int(megabytes * 1024 * 1024)
    with pytest.raises(admin_app.ConfigurationError, match="CANBO_MAX_REQUEST_MB"):
        admin_app.max_request_bytes({"CANBO_MAX_REQUEST_MB": "NaN"})


def test_canbo_serve_gives_waitress_the_same_bound(demo_db, monkeypatch):
    import waitress

    seen = {}
    monkeypatch.setattr(waitress, "serve", lambda app, **options: seen.update(options))
    monkeypatch.setenv("CANBO_SECRET_KEY", "x" * 32)
    monkeypatch.setenv("CANBO_MAX_REQUEST_MB", "7")
    result = CliRunner().invoke(cli, ["--db", demo_db.url, "serve"])
    assert result.exit_code == 0, result.output
    assert seen["max_request_body_size"] == 7 * 1024 * 1024


def _bomb(rows, columns=1):
    """An XLSX whose one sheet holds ``rows`` rows: a few hundred KB zipped."""
    sheet = io.StringIO()
    sheet.write('<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                "<sheetData>")
    cells = "".join('<c t="inlineStr"><is><t>x</t></is></c>' for _ in range(columns))
    for n in range(1, rows + 1):
        sheet.write(f'<row r="{n}">{cells}</row>')
    sheet.write("</sheetData></worksheet>")
    source = io.BytesIO()
    openpyxl.Workbook().save(source)
    out = io.BytesIO()
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            data = old.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = sheet.getvalue().encode()
            new.writestr(item, data, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def test_a_zip_bomb_of_rows_is_refused_before_parsing(monkeypatch):
    data = _bomb(1_000_000)
    assert len(data) < 3 * 1024 * 1024
    started = time.monotonic()
    with pytest.raises(InvalidInput, match=r"quá lớn để nhập: một trang có hơn 100\.000 dòng"):
        spreadsheets.read(data, "bom.xlsx")
    assert time.monotonic() - started < 10
    monkeypatch.setattr(spreadsheets, "MAX_UNCOMPRESSED", 1024 * 1024)
    with pytest.raises(InvalidInput, match="MB"):
        spreadsheets.read(data, "bom.xlsx")


def test_too_many_columns_are_refused_and_a_normal_file_still_reads():
    with pytest.raises(InvalidInput, match="hơn 200 cột"):
        spreadsheets.read(_bomb(2, columns=201), "rong.xlsx")
    assert len(spreadsheets.read(_bomb(3, columns=5), "ok.xlsx").sheets[0].rows) == 3
    with pytest.raises(InvalidInput, match="hơn 200 cột"):
        spreadsheets.read(("a;" * 201 + "\n").encode(), "rong.csv")


# --- exports: a cell that starts like a formula never runs -------------------------------

FORMULAS = ["=cmd|' /C calc'!A0", "=HYPERLINK(\"http://x\",\"y\")", "+1+2", "-3+4", "@SUM(A1)"]


def test_csv_cells_that_start_like_a_formula_are_neutralised_and_read_back_exactly():
    table = spreadsheets.Table("x", ["Mã", "Ghi chú"], [[f"A{i}", f] for i, f in
                                                        enumerate(FORMULAS)] + [["B", -5]])
    out = io.BytesIO()
    spreadsheets.write_csv(table, out)
    text = out.getvalue().decode("utf-8-sig")
    for formula in FORMULAS:
        assert f"'{formula}".replace('"', '""') in text
    assert ",-5\r\n" in text  # a number stays a number
    assert "\n=" not in text and ",=" not in text and ',"=' not in text
    rows = spreadsheets.read(out.getvalue(), "x.csv").sheets[0].rows
    assert [r[1] for r in rows[1:-1]] == FORMULAS


def test_tab_and_carriage_return_at_the_start_are_neutralised():
    assert spreadsheets.neutralise("\t=1") == "'\t=1"
    assert spreadsheets.neutralise("\r=1") == "'\r=1"
    assert spreadsheets.neutralise("An") == "An" and spreadsheets.neutralise(5) == 5
    assert spreadsheets.unneutralise("'\t=1") == "\t=1"
    assert spreadsheets.unneutralise("'Tám") == "'Tám"  # an apostrophe of the text itself


@pytest.fixture
def formula_person(demo_db, accounts):
    person = Staff.get(Staff.code == "KT01")
    person.full_name = "=HYPERLINK(\"http://x\",\"Bấm\")"
    person.save()
    return person


def test_the_panel_list_csv_neutralises_related_columns_too(login_as, formula_person):
    client = login_as("OFFICER")
    ratings = client.get("/admin/rating/export/csv/").get_data(as_text=True)
    staff = client.get("/admin/staff/export/csv/").get_data(as_text=True)
    for text in (ratings, staff):
        assert "'=HYPERLINK" in text and not re.search(r'(^|,)"?=HYPERLINK', text, re.M)


def test_the_panel_list_xlsx_writes_text_cells_never_formulas(login_as, formula_person):
    data = login_as("OFFICER").get("/admin/staff/export/xlsx/").get_data()
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    cells = [c for row in sheet.iter_rows() for c in row if str(c.value).startswith("=")]
    assert cells and all(c.data_type == "s" for c in cells)
    assert "<f>" not in zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml").decode()


def test_the_import_pages_csv_and_the_cli_export_are_neutralised(login_as, formula_person,
                                                                  tmp_path):
    text = login_as("OFFICER").get("/admin/import/export/staff.csv?unit=KIMTAN")
    assert "'=HYPERLINK" in text.get_data(as_text=True)
    target = tmp_path / "ds.csv"
    result = CliRunner().invoke(cli, ["--db", formula_person._meta.database.obj.url, "export",
                                      "staff", "--unit", "KIMTAN", "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert "'=HYPERLINK" in target.read_text("utf-8-sig")


# --- response headers ---------------------------------------------------------------------


def _csp(response):
    return dict(part.strip().split(" ", 1) for part in
                response.headers["Content-Security-Policy"].split(";"))


@pytest.mark.parametrize("url", ["/admin/login/", "/admin/staff/", "/admin/dashboard/"])
def test_every_page_forbids_framing_and_sniffing_and_runs_only_its_own_scripts(login_as, url):
    response = login_as("OFFICER").get(url)
    assert response.status_code == 200
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    csp = _csp(response)
    assert csp["frame-ancestors"] == "'none'" and csp["object-src"] == "'none'"
    assert "unsafe-inline" not in csp["script-src"] and "unsafe-inline" not in csp["style-src"]
    nonce = re.search(r"'nonce-([^']+)'", csp["script-src"]).group(1)
    html = response.get_data(as_text=True)
    for tag in re.findall(r"<(?:script|style)\b[^>]*>", html):
        assert f'nonce="{nonce}"' in tag, tag  # every inline block carries the nonce
    assert "http" not in csp["script-src"] + csp["style-src"]  # no CDN


def test_the_nonce_changes_with_every_request(login_as):
    client = login_as("OFFICER")
    first, second = (_csp(client.get("/admin/staff/"))["script-src"] for _ in range(2))
    assert first != second


def test_an_injected_handler_is_not_allowed_by_hash():
    from admin_views import security

    page = '<a onclick="return false;"></a><b onclick="alert(1)"></b>'
    with panel_app_context():
        csp = security.policy(page)
    assert security._hash("return false;") in csp and security._hash("alert(1)") not in csp


def panel_app_context():
    import flask

    return flask.Flask(__name__).test_request_context("/")


@pytest.mark.parametrize("mode, https, secure", [
    ("auto", True, True), ("auto", False, False), ("on", False, True), ("off", True, False),
])
def test_cookies_are_secure_over_https(demo_db, mode, https, secure):
    app = panel_app(demo_db, TESTING=True, SECURE_COOKIES=mode)
    client = app.test_client()
    base = "https://localhost" if https else "http://localhost"
    response = client.get("/admin/login/", base_url=base)
    cookies = response.headers.getlist("Set-Cookie")
    assert cookies and all(("; Secure" in c) == secure for c in cookies)


def test_secure_cookies_default_on_outside_demo_and_debug(demo_db, monkeypatch):
    from admin_views import security

    monkeypatch.delenv("CANBO_SECURE_COOKIES", raising=False)
    assert panel_app(demo_db, TESTING=True).config["SECURE_COOKIES"] == "off"
    assert panel_app(demo_db, DEMO=True, SECRET_KEY="x").config["SECURE_COOKIES"] == "off"
    assert panel_app(demo_db, SECRET_KEY="x").config["SECURE_COOKIES"] == "auto"
    import flask

    with pytest.raises(Exception, match="CANBO_SECURE_COOKIES"):
        security.secure_cookies_mode(flask.Flask("x"), {"CANBO_SECURE_COOKIES": "yes"})


# --- the lockout cannot be raced ------------------------------------------------------------


def _slow_hashing(monkeypatch, during=None):
    """Count the password checks, each made slow enough for the guesses to overlap."""
    from canbo.records import users

    checked = []
    real = users.check_password_hash

    def check(hashed, password):
        checked.append(password)
        time.sleep(0.05)
        if during:
            during()
        return real(hashed, password)

    monkeypatch.setattr(users, "check_password_hash", check)
    return checked


def test_parallel_wrong_passwords_get_no_more_guesses_than_the_allowance(db, backend,
                                                                          monkeypatch):
    if backend != "postgres":
        pytest.skip("parallel connections: PostgreSQL's row lock is what is raced")
    from canbo import db as dbm
    from canbo.errors import Forbidden
    from canbo.records import users

    users.create_user("an", "dung-mat-khau-1", "ADMIN")
    checked = _slow_hashing(monkeypatch)
    barrier = threading.Barrier(30)
    outcomes = []

    def guess(n):
        try:
            barrier.wait()
            users.authenticate("an", f"sai-{n}")
        except Forbidden as exc:
            outcomes.append(exc.message)
        finally:
            dbm.database.close()

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(30)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(outcomes) == 30
    assert len(checked) <= users.MAX_FAILED_LOGINS  # 19–22 were evaluated before
    with pytest.raises(Forbidden, match="tạm khóa"):
        users.authenticate("an", "dung-mat-khau-1")
    assert User.get(User.username == "an").locked_until is not None


def test_a_failed_login_never_writes_back_a_stale_account(db, monkeypatch):
    from canbo.errors import Forbidden
    from canbo.records import users

    user = users.create_user("an", "dung-mat-khau-1", "ADMIN")
    # the admin deactivates the account and changes its role while the guess is checked
    _slow_hashing(monkeypatch, during=lambda: User.update(active=False, role="VIEWER")
                  .where(User.id == user.id).execute())
    with pytest.raises(Forbidden):
        users.authenticate("an", "sai")
    now = User.get_by_id(user.id)
    assert (now.active, now.role, now.failed_logins) == (False, "VIEWER", 1)


def test_rows_stored_before_the_checks_still_list_and_export(login_as):
    # a level outside the list and a NUL in a name, written past the model (old data)
    person = Staff.get(Staff.code == "KT01")
    name = "Lê\x1bVăn\x07An" + ("" if dbm.is_postgres() else "\x00")  # PostgreSQL holds no NUL
    Staff.update(full_name=name).where(Staff.id == person.id).execute()
    Rating.update(level="TỐT").where(Rating.staff == person).execute()
    client = login_as("OFFICER")
    assert client.get("/admin/rating/", follow_redirects=True).status_code == 200
    for url in ("/admin/rating/export/xlsx/", "/admin/staff/export/xlsx/",
                "/admin/import/export/staff.xlsx?unit=KIMTAN"):
        response = client.get(url)
        assert response.status_code == 200, url
        openpyxl.load_workbook(io.BytesIO(response.get_data()))


def test_an_imported_cell_loses_its_control_characters(db):
    unit_kimtan = Unit.create(code="XA", name="UBND xã An", place_name="An")
    data = "Mã;Họ và tên;Loại\nA1;Lê\x1bVăn An;Cán bộ\n".encode()
    from canbo.records import users
    from canbo.spreadsheets import importer

    result = importer.import_file(data, "a.csv", today=datetime.date(2026, 3, 1),
                                  actor=users.operator(), unit=unit_kimtan)
    assert not result.problems, result.problems
    assert Staff.get(Staff.code == "A1").full_name == "LêVăn An"


def test_the_failure_that_locks_an_account_keeps_a_deactivation_made_meanwhile(db):
    """The fifth wrong password locks the account (``users._lock``): it writes the lock
    alone, so a deactivation and a role change saved while it was checked stay."""
    from canbo.errors import Forbidden
    from canbo.records import users

    user = users.create_user("an", "dung-mat-khau-1", "ADMIN")
    stale = User.get_by_id(user.id)  # the account as the login read it
    for n in range(users.MAX_FAILED_LOGINS - 1):
        with pytest.raises(Forbidden):
            users.authenticate("an", f"sai-{n}")
    User.update(active=False, role="VIEWER").where(User.id == user.id).execute()
    with pytest.raises(Forbidden):
        users.authenticate("an", "sai-cuoi")
    now = User.get_by_id(user.id)
    assert (now.active, now.role, now.locked_until is not None) == (False, "VIEWER", True)
    assert stale.active  # the copy read before is not what was written


@pytest.mark.parametrize("how", ["own", "reset"])
def test_a_password_change_never_writes_back_a_stale_account(db, monkeypatch, how):
    """Hashing the new password takes a while (scrypt); an administrator's deactivation
    and role change saved meanwhile are not undone by the password's save."""
    from canbo.records import users

    user = users.create_user("an", "dung-mat-khau-1", "ADMIN")
    real = users.hash_password

    def slow(password):
        User.update(active=False, role="VIEWER").where(User.id == user.id).execute()
        return real(password)

    monkeypatch.setattr(users, "hash_password", slow)
    if how == "own":
        users.change_own_password(user, "dung-mat-khau-1", "mat-khau-moi-2", "mat-khau-moi-2")
    else:
        users.set_password(user, "mat-khau-moi-2", actor="quantri")
    now = User.get_by_id(user.id)
    assert (now.active, now.role) == (False, "VIEWER")
    monkeypatch.undo()
    assert users.check_password_hash(now.password_hash, "mat-khau-moi-2")
