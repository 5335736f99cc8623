"""Failed logins counted by client address (issue 16), with Flask-Limiter's storage.

Two counts, each over a moving window of ``users.LOGIN_WINDOW_MINUTES`` minutes, only of
failed attempts (a wrong name or password; a login that succeeds costs nothing):

- one address, whatever the usernames tried: past ``users.ADDRESS_FAILURES`` failures,
  every login from that address is refused until the window lets one through — no
  address can guess across the accounts;
- one address and one username: past ``users.ADDRESS_ACCOUNT_FAILURES`` failures, that
  address may not try that account.  It is this count, not the account's own lock, that
  a mistyping person meets, so nobody locks the admin out by trying five times from
  their own machine: the account itself locks only after ``users.MAX_FAILED_LOGINS``
  failures in a row from any number of addresses (``users.authenticate``).

A refused attempt is a 429 in the panel's layout (``admin_views.errors``) saying until
when, in Vietnamese; the password is not even checked.  The counts live in memory by
default (one ``canbo serve`` process, as for a commune); ``$CANBO_RATELIMIT_STORAGE_URI``
(or the app's ``RATELIMIT_STORAGE_URI``) names another Flask-Limiter storage, e.g.
``redis://localhost:6379`` when several processes serve the panel.  The address is the
one the request came from (``request.remote_addr``) — behind nginx, with
``$CANBO_TRUSTED_PROXIES`` set (``admin_app.trusted_proxies``), the client's own, not the
proxy's.
"""
import datetime
import os

from flask import current_app, request
from flask_limiter import Limiter
from limits import parse

from canbo.records import users
from canbo.vietnamese import vi_datetime

STORAGE_ENV = "CANBO_RATELIMIT_STORAGE_URI"
EXTENSION = "canbo_login_limits"


def client_address():
    return request.remote_addr or "không rõ"


def init(app):
    """Flask-Limiter on ``app`` with no limit of its own on any page: the login view asks
    it (``refusal``, ``count_failure``)."""
    app.config.setdefault("RATELIMIT_STORAGE_URI",
                          os.environ.get(STORAGE_ENV, "").strip() or "memory://")
    app.config.setdefault("RATELIMIT_STRATEGY", "moving-window")
    app.config.setdefault("RATELIMIT_HEADERS_ENABLED", False)
    limiter = Limiter(key_func=client_address, app=app, default_limits=[])
    app.extensions[EXTENSION] = limiter
    return limiter


def reset(app):
    """Forget every count (tests: each starts with none)."""
    limiter = app.extensions.get(EXTENSION)
    if limiter is not None:
        limiter.reset()


def _counts(username):
    """``[(limit, keys, message)]`` of this request's address and ``username``."""
    window = users.LOGIN_WINDOW_MINUTES
    address = client_address()
    name = (username or "").strip().casefold()[:64]
    return [
        (parse(f"{users.ADDRESS_FAILURES} per {window} minutes"), ("login", address),
         f"Đã có {users.ADDRESS_FAILURES} lần đăng nhập sai từ máy này (địa chỉ {address}) "
         f"trong {window} phút"),
        (parse(f"{users.ADDRESS_ACCOUNT_FAILURES} per {window} minutes"),
         ("login", address, name),
         f"Đã nhập sai {users.ADDRESS_ACCOUNT_FAILURES} lần cho tài khoản này từ máy này "
         f"trong {window} phút"),
    ]


def _strategy():
    return current_app.extensions[EXTENSION].limiter


def refusal(username):
    """The message refusing this login attempt, or ``None`` when it may be tried."""
    strategy = _strategy()
    for limit, keys, message in _counts(username):
        if not strategy.test(limit, *keys):
            reset_at = strategy.get_window_stats(limit, *keys).reset_time
            until = datetime.datetime.fromtimestamp(max(reset_at, 0)).replace(microsecond=0)
            return (f"{message}; hãy thử lại sau {vi_datetime(until)}. Nếu quên mật khẩu, "
                    "hãy nhờ quản trị viên đặt lại.")
    return None


def count_failure(username):
    """Count a failed attempt against this address, and against it with ``username``."""
    strategy = _strategy()
    for limit, keys, _ in _counts(username):
        strategy.hit(limit, *keys)
