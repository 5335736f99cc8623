"""Accounts in the panel: only the admin manages them; passwords hashed; changes audited."""
import pytest

from canbo.models import AuditLog, Unit, User
from canbo.records import users


def new_user(client, csrf, **data):
    form = {"csrf_token": csrf(client), "username": "moi", "role": "VIEWER",
            "unit": Unit.get(Unit.code == "KIMTAN").id, "active": "y",
            "new_password": "mat-khau-moi"}
    form.update(data)
    return client.post("/admin/user/new/", data=form)


def test_admin_adds_an_account_with_a_hashed_password(login_as, csrf):
    response = new_user(login_as("ADMIN"), csrf, audit_reason="Cán bộ mới")
    assert response.status_code == 302
    user = User.get(User.username == "moi")
    assert user.password_hash != "mat-khau-moi"
    assert users.authenticate("moi", "mat-khau-moi").role == "VIEWER"
    assert user.email is None
    entry = AuditLog.get(AuditLog.table_name == "user", AuditLog.row_id == user.id,
                         AuditLog.actor == "quantri")
    assert "mat-khau-moi" not in entry.changes and entry.reason == "Cán bộ mới"


@pytest.mark.parametrize("data, message", [
    ({"new_password": ""}, "Hãy đặt mật khẩu"),
    ({"new_password": "ngan"}, "ít nhất 8 ký tự"),
    ({"role": "OFFICER", "unit": "__None"}, "phải gắn với một đơn vị"),
    ({"email": "chutich@"}, "Địa chỉ thư «chutich@» không hợp lệ"),
])
def test_invalid_accounts_are_refused(login_as, csrf, data, message):
    client = login_as("ADMIN")
    response = client.post("/admin/user/new/", data={
        "csrf_token": csrf(client), "username": "moi", "role": "VIEWER",
        "unit": Unit.get(Unit.code == "KIMTAN").id, "new_password": "mat-khau-moi", **data},
        follow_redirects=True)
    assert message in response.get_data(as_text=True)
    assert not User.select().where(User.username == "moi").exists()


def test_editing_without_a_password_keeps_the_old_one(login_as, csrf):
    client = login_as("ADMIN")
    user = User.get(User.username == "xem")
    response = client.post(f"/admin/user/edit/?id={user.id}", data={
        "csrf_token": csrf(client), "username": "xem", "role": "VIEWER",
        "unit": user.unit_id, "active": "y", "new_password": ""})
    assert response.status_code == 302
    assert users.authenticate("xem", "matkhau-123").username == "xem"


@pytest.mark.parametrize("role", ["OFFICER", "CHAIRMAN", "VIEWER"])
def test_only_the_admin_manages_accounts(login_as, csrf, role):
    client = login_as(role)
    assert new_user(client, csrf).status_code == 403
    assert not User.select().where(User.username == "moi").exists()


def test_the_audit_log_shows_when_to_the_minute(login_as, csrf):
    client = login_as("ADMIN")
    new_user(client, csrf, audit_reason="Cán bộ mới")
    entry = AuditLog.get(AuditLog.table_name == "user", AuditLog.actor == "quantri")
    html = client.get("/admin/auditlog/").get_data(as_text=True)
    assert entry.at.strftime("%H:%M %d/%m/%Y") in html


def test_an_account_takes_the_address_its_reminders_go_to(login_as, csrf):
    assert new_user(login_as("ADMIN"), csrf, email=" moi@kimtan.gov.vn ").status_code == 302
    assert User.get(User.username == "moi").email == "moi@kimtan.gov.vn"
