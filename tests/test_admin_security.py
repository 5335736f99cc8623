"""CSRF, XSS, login lockout, the SECRET_KEY check and the session cookie's flags."""
import datetime

import pytest

import admin_app
from canbo.models import AuditLog, Staff, Unit, User
from canbo.records import users
from panel_helpers import PASSWORD, log_in

SCRIPT = "<script>alert(1)</script>"


def staff_form(person, **changes):
    data = {"code": person.code, "full_name": person.full_name, "kind": person.kind,
            "unit": person.unit_id, "leader_role": person.leader_role, "ethnicity": "Kinh"}
    data.update(changes)
    return data


def test_post_without_csrf_token_changes_nothing(login_as):
    client = login_as("OFFICER")
    person = Staff.get(Staff.code == "KT06")
    logged = AuditLog.select().count()
    response = client.post(f"/admin/staff/edit/?id={person.id}",
                           data=staff_form(person, full_name="Đã Bị Sửa"))
    assert response.status_code == 400
    assert Staff.get_by_id(person.id).full_name == "Đỗ Thị Ánh"
    assert AuditLog.select().count() == logged


def test_post_with_csrf_token_changes_and_is_audited(login_as, csrf):
    client = login_as("OFFICER")
    person = Staff.get(Staff.code == "KT06")
    response = client.post(f"/admin/staff/edit/?id={person.id}", data=staff_form(
        person, full_name="Đỗ Thị Ánh Hồng", csrf_token=csrf(client),
        audit_reason="Sửa theo giấy khai sinh"))
    assert response.status_code == 302
    assert Staff.get_by_id(person.id).search_name == "do thi anh hong"
    entry = AuditLog.select().order_by(AuditLog.id.desc()).first()
    assert (entry.actor, entry.action, entry.table_name, entry.row_id) == (
        "canbo", "update", "staff", person.id)
    assert "Đỗ Thị Ánh Hồng" in entry.changes and entry.reason == "Sửa theo giấy khai sinh"


def test_login_without_csrf_token_is_refused(client):
    response = client.post("/admin/login/", data={"username": "canbo", "password": PASSWORD})
    assert response.status_code == 400
    assert client.get("/admin/staff/").status_code == 302


def test_logout_needs_a_post_with_token(login_as, csrf):
    client = login_as("OFFICER")
    assert client.get("/admin/login/logout").status_code == 405
    assert client.post("/admin/login/logout").status_code == 400
    assert client.get("/admin/staff/").status_code == 200
    client.post("/admin/login/logout", data={"csrf_token": csrf(client, "/admin/staff/")})
    assert client.get("/admin/staff/").status_code == 302


@pytest.mark.parametrize("url", [
    "/admin/staff/", "/admin/staff/?search=%3Cscript%3Ealert(1)%3C/script%3E",
    "/admin/staff/details/?id={id}", "/admin/staff/edit/?id={id}",
    "/admin/staff/archive/?id={id}", "/admin/rating/?flt0_0=2022",
    "/admin/rating/?search=%3Cscript", "/admin/auditlog/", "/admin/unit/", "/admin/department/",
])
def test_a_script_in_a_name_shows_as_text(login_as, url):
    unit = Unit.get(Unit.code == "KIMTAN")
    unit.name = f"Xã {SCRIPT}"
    unit.save()
    person = Staff(unit=unit, code="X1", full_name=SCRIPT, kind="CADRE")
    person.save()
    from canbo.models import Department, Rating
    from canbo.records import audit

    Department.create(name=SCRIPT, unit=unit)
    Rating.create(staff=person, unit=unit, year=2022, rule_set="ND90_2020", note=SCRIPT)
    audit.record(SCRIPT, "update", person, changes={"full_name": ["a", SCRIPT]}, reason=SCRIPT)
    text = login_as("ADMIN").get(url.format(id=person.id)).get_data(as_text=True)
    assert SCRIPT not in text
    assert "&lt;script&gt;" in text


def test_failed_logins_in_a_row_lock_the_account_for_15_minutes(app, client):
    for n in range(users.MAX_FAILED_LOGINS):
        # from many addresses, each within its own allowance (test_login_limits.py)
        client.environ_base["REMOTE_ADDR"] = f"10.0.0.{n + 1}"
        response = log_in(client, "canbo", "sai-mat-khau")
        assert "Tên đăng nhập hoặc mật khẩu không đúng" in response.get_data(as_text=True)
    response = log_in(client, "canbo", PASSWORD)
    assert response.status_code == 200
    assert "tạm khóa" in response.get_data(as_text=True)
    user = User.get(User.username == "canbo")
    assert user.locked_until - datetime.datetime.now() > datetime.timedelta(minutes=14)
    user.locked_until = datetime.datetime.now() - datetime.timedelta(seconds=1)
    user.save()
    assert log_in(client, "canbo", PASSWORD).status_code == 302


def test_unknown_user_gets_the_same_message_as_a_wrong_password(client):
    response = log_in(client, "khongco", "bat-ky")
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in response.get_data(as_text=True)


def test_app_refuses_to_start_without_secret_key(db, monkeypatch):
    monkeypatch.delenv("CANBO_SECRET_KEY", raising=False)
    with pytest.raises(admin_app.ConfigurationError, match="CANBO_SECRET_KEY"):
        admin_app.create_app({"DATABASE": db.url})


def test_app_starts_with_secret_key_from_environment(db, monkeypatch):
    monkeypatch.setenv("CANBO_SECRET_KEY", "x" * 40)
    app = admin_app.create_app({"DATABASE": db.url})
    assert app.secret_key == "x" * 40


def test_session_cookie_is_httponly_and_samesite_lax(app, client):
    response = log_in(client, "canbo")
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("session="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_app_refuses_a_database_that_needs_canbo_init(tmp_path):
    with pytest.raises(admin_app.ConfigurationError, match="canbo init"):
        admin_app.create_app({"TESTING": True, "DATABASE": f"sqlite:///{tmp_path}/empty.db"})
