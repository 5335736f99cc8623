"""Sessions that end (issue 16): a session cookie, even copied into another browser, opens
nothing after logout, a password change, a deactivation or a change of role; a session
unused past ``CANBO_SESSION_IDLE_HOURS`` goes to the login page.  On SQLite and
PostgreSQL (the account's ``session_version`` is stored)."""
import datetime

import pytest

from admin_app import ConfigurationError, create_app
from canbo.models import Staff, Unit, User
from canbo.records import accounts, users
from panel_helpers import PASSWORD, csrf_token, log_in

HOME = "/admin/staff/"


def copied(app, client):
    """A second browser holding a copy of ``client``'s session cookie."""
    other = app.test_client()
    other.set_cookie("session", client.get_cookie("session").value)
    return other


def refused(client):
    response = client.get(HOME)
    return response.status_code == 302 and "/admin/login/" in response.headers["Location"]


def logged_in(app, username):
    client = app.test_client()
    assert log_in(client, username).status_code == 302
    assert client.get(HOME).status_code == 200
    return client


def test_a_copied_cookie_opens_the_panel_before_anything_ends_it(app):
    client = logged_in(app, "canbo")
    assert copied(app, client).get(HOME).status_code == 200


def test_a_copied_cookie_is_refused_after_logout(app):
    client = logged_in(app, "canbo")
    kept = copied(app, client)
    response = client.post("/admin/login/logout", data={"csrf_token": csrf_token(client, HOME)})
    assert response.status_code == 302
    assert refused(kept)
    page = kept.get("/admin/login/").get_data(as_text=True)
    assert "Phiên đăng nhập đã kết thúc" in page


def test_a_copied_cookie_is_refused_after_a_password_change_but_the_changer_goes_on(app):
    client = logged_in(app, "canbo")
    kept = copied(app, client)
    response = client.post("/admin/password/", data={
        "csrf_token": csrf_token(client, "/admin/password/"), "old_password": PASSWORD,
        "password": "mat-khau-moi-2026", "repeated": "mat-khau-moi-2026"})
    assert response.status_code == 302
    assert client.get(HOME).status_code == 200  # the session that changed it
    assert refused(kept)


def test_a_password_set_by_the_admin_or_the_command_line_ends_the_sessions(app):
    client = logged_in(app, "canbo")
    users.set_password(User.get(User.username == "canbo"), "mat-khau-moi-2026")
    assert refused(client)


def _admin_edit(app, user, **changes):
    admin = logged_in(app, "quantri")
    form = {"csrf_token": csrf_token(admin, f"/admin/user/edit/?id={user.id}"),
            "username": user.username, "role": user.role, "unit": user.unit_id or "__None",
            "active": "y", "new_password": "", **changes}
    if not form["active"]:
        del form["active"]
    response = admin.post(f"/admin/user/edit/?id={user.id}", data=form)
    assert response.status_code == 302, response.get_data(as_text=True)


def test_a_copied_cookie_is_refused_after_deactivation_even_once_reactivated(app):
    client = logged_in(app, "canbo")
    user = User.get(User.username == "canbo")
    _admin_edit(app, user, active="")
    assert not User.get_by_id(user.id).active
    assert refused(client)
    _admin_edit(app, user)  # active again: the old session stays ended
    assert User.get_by_id(user.id).active
    assert refused(client)


def test_a_copied_cookie_is_refused_after_a_role_change(app):
    client = logged_in(app, "canbo")
    _admin_edit(app, User.get(User.username == "canbo"), role="VIEWER")
    assert refused(client)


def test_an_edit_that_changes_nothing_of_the_access_keeps_the_session(app):
    client = logged_in(app, "canbo")
    _admin_edit(app, User.get(User.username == "canbo"), email="canbo@kimtan.example")
    assert client.get(HOME).status_code == 200


def test_closing_the_accounts_of_a_person_who_left_ends_their_sessions(app):
    person = Staff.get(Staff.code == "KT14")
    users.create_user("kt14", PASSWORD, "STAFF", person.unit, staff=person)
    client = app.test_client()
    assert log_in(client, "kt14").status_code == 302
    version = User.get(User.username == "kt14").session_version
    person.left_on = datetime.date.today() - datetime.timedelta(days=1)
    person.save()
    assert accounts.close_accounts(person, "canbo")
    assert User.get(User.username == "kt14").session_version == version + 1


def test_an_idle_session_past_the_limit_is_sent_to_login(app, monkeypatch):
    start = datetime.datetime(2026, 3, 2, 8, 0)
    monkeypatch.setattr(users, "now", lambda: start)
    client = logged_in(app, "canbo")
    monkeypatch.setattr(users, "now", lambda: start + datetime.timedelta(hours=7, minutes=59))
    assert client.get(HOME).status_code == 200  # used again: the idle time starts over
    used = start + datetime.timedelta(hours=7, minutes=59)
    monkeypatch.setattr(users, "now", lambda: used + datetime.timedelta(hours=8, minutes=1))
    assert refused(client)
    assert "không dùng quá 8 giờ" in client.get("/admin/login/").get_data(as_text=True)
    assert refused(client)  # the session is gone, not only that request


def test_the_idle_limit_is_a_setting(demo_db, accounts, monkeypatch):
    from panel_helpers import panel_app

    app = panel_app(demo_db, TESTING=True, SESSION_IDLE_HOURS=0.5)
    start = datetime.datetime(2026, 3, 2, 8, 0)
    monkeypatch.setattr(users, "now", lambda: start)
    client = logged_in(app, "canbo")
    monkeypatch.setattr(users, "now", lambda: start + datetime.timedelta(minutes=31))
    assert refused(client)


@pytest.mark.parametrize("value", ["0", "-1", "abc", "100000"])
def test_an_idle_limit_that_is_no_number_of_hours_stops_the_start(db, monkeypatch, value):
    monkeypatch.setenv(users.SESSION_IDLE_ENV, value)
    with pytest.raises(ConfigurationError, match="CANBO_SESSION_IDLE_HOURS"):
        create_app({"DATABASE": db.url, "TESTING": True})


def test_idle_expiry_rule():
    at = datetime.datetime(2026, 3, 2, 16, 0)
    assert not users.idle_expired(at - datetime.timedelta(hours=8), at)
    assert users.idle_expired(at - datetime.timedelta(hours=8, seconds=1), at)
    assert users.idle_expired(None, at)
    assert users.session_idle_hours({}) == users.SESSION_IDLE_HOURS == 8


def test_end_sessions_counts_up_atomically(db):
    unit = Unit.create(code="XA", name="UBND xã An", place_name="An")
    user = users.create_user("canbo", PASSWORD, "OFFICER", unit)
    assert user.session_version == 0
    assert users.end_sessions(user) == 1 and users.end_sessions(User.get_by_id(user.id)) == 2
    assert User.get_by_id(user.id).session_version == 2
