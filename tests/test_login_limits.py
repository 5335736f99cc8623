"""Failed logins counted by client address (issue 16, ``admin_views.login_limits``): one
address guessing across usernames is stopped, and nobody locks the admin out by trying
five times from their own machine — the admin, at another address, still logs in."""
import time

from canbo.models import User
from canbo.records import users
from panel_helpers import PASSWORD, log_in

ATTACKER, OFFICE = "203.0.113.7", "192.168.1.20"


def at(app, address):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def test_failures_across_usernames_stop_the_address_with_a_vietnamese_429(app):
    guesser = at(app, ATTACKER)
    for n in range(users.ADDRESS_FAILURES):
        html = log_in(guesser, f"nguoi{n}", "doan-mo-123").get_data(as_text=True)
        assert "Tên đăng nhập hoặc mật khẩu không đúng" in html
    response = log_in(guesser, "canbo", PASSWORD)  # even the right password, from there
    assert response.status_code == 429
    html = response.get_data(as_text=True)
    assert "Tạm dừng đăng nhập từ máy này" in html and "(lỗi 429)" in html
    assert f"Đã có {users.ADDRESS_FAILURES} lần đăng nhập sai từ máy này" in html
    assert "hãy thử lại sau" in html and 'id="error-home"' in html  # the panel's layout
    assert log_in(at(app, OFFICE), "canbo", PASSWORD).status_code == 302


def test_five_wrong_passwords_for_the_admin_do_not_lock_the_admin_out(app):
    guesser = at(app, ATTACKER)
    for _ in range(users.ADDRESS_ACCOUNT_FAILURES):
        assert log_in(guesser, "quantri", "doan-mo-123").status_code == 200
    response = log_in(guesser, "quantri", "doan-mo-456")
    assert response.status_code == 429
    assert "cho tài khoản này từ máy này" in response.get_data(as_text=True)
    # the admin, at the office, is not locked out, and the account is not locked
    assert log_in(at(app, OFFICE), "quantri", PASSWORD).status_code == 302
    assert User.get(User.username == "quantri").locked_until is None
    # the address may still log in to another account it knows the password of
    assert log_in(guesser, "canbo", PASSWORD).status_code == 302


def test_a_successful_login_costs_nothing(app):
    client = at(app, OFFICE)
    for _ in range(users.ADDRESS_FAILURES + 2):
        assert log_in(client, "canbo", PASSWORD).status_code == 302


def test_the_address_may_try_again_once_the_window_has_passed(app, monkeypatch):
    guesser = at(app, ATTACKER)
    for n in range(users.ADDRESS_FAILURES):
        log_in(guesser, f"nguoi{n}", "doan-mo-123")
    assert log_in(guesser, "canbo", PASSWORD).status_code == 429
    later = time.time() + users.LOGIN_WINDOW_MINUTES * 60 + 1
    monkeypatch.setattr(time, "time", lambda: later)  # the limiter's clock
    assert log_in(guesser, "canbo", PASSWORD).status_code == 302


def test_the_storage_is_memory_unless_a_setting_names_another(app, db, monkeypatch):
    from admin_app import create_app
    from admin_views import login_limits

    assert app.config["RATELIMIT_STORAGE_URI"] == "memory://"
    monkeypatch.setenv(login_limits.STORAGE_ENV, "memory://?v=2")
    other = create_app({"DATABASE": db.url, "TESTING": True})
    assert other.config["RATELIMIT_STORAGE_URI"] == "memory://?v=2"
