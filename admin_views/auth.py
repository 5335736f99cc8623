"""Logging in and out, changing one's password: Flask-Login over ``canbo.users``,
CSRF-protected forms.

Failed logins are counted by client address (``admin_views.login_limits``: an address
past the count gets a 429) and towards the account's own lock
(``canbo.users.authenticate``); the session is renewed at login so that a session id planted before login is worthless.

A session ends — the cookie, even copied elsewhere, opens nothing any more — on logout,
on a password change, when the account is deactivated or its role, unit or person
changes: the session keeps the account's ``session_version`` of its login (``_sv``) and
every request compares it with the account's (``load_account``; ``users.end_sessions``
raises it).  A session unused for ``SESSION_IDLE_HOURS`` hours
(``$CANBO_SESSION_IDLE_HOURS``, default 8) ends too: the next request goes to the login
page, which says why.

"Đổi mật khẩu" (``/admin/password/``) lets every logged-in account replace its password
(the current one, the new one twice, ``users.change_own_password``).  An account made
with a one-time password (``User.must_change_password``: the bulk accounts' slips) is
sent there from every other page of the panel, GET or POST, until it has done so.
"""
import datetime
import os
from urllib.parse import urlsplit

from flask import abort, current_app, flash, redirect, request, session, url_for
from flask_admin import BaseView, expose
from flask_login import UserMixin, current_user, login_user, logout_user
from flask_wtf import FlaskForm
from peewee import JOIN
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired

from canbo.errors import CanboError, InvalidInput
from canbo.levels import Role
from canbo.models import Staff, User
from canbo.records import users
from canbo.vietnamese import vi_decimal

from . import login_limits
from .access import can


class Account(UserMixin):
    """The Flask-Login face of a ``canbo.models.User`` (``.user``); other attributes are
    read from the account itself (``current_user.username``, ``.role``, ``.unit``)."""

    def __init__(self, user):
        self.user = user

    def get_id(self):
        return str(self.user.id)

    @property
    def is_active(self):
        return bool(self.user.active)

    @property
    def role_label(self):
        return Role(self.user.role).label

    def __getattr__(self, name):
        return getattr(self.__dict__["user"], name)


#: The session's keys: the account's ``session_version`` at login, and when the session
#: was last used (seconds since the epoch, by ``users.now``).
VERSION_KEY, SEEN_KEY = "_sv", "_seen"
#: How often the time of last use is written into the cookie (not on every request).
SEEN_STEP = 60

ENDED = ("Phiên đăng nhập đã kết thúc (đã đăng xuất, đổi mật khẩu hoặc tài khoản vừa được "
         "thay đổi); hãy đăng nhập lại.")


def start_session(user):
    """A new session for ``user``, just authenticated: nothing of the session before it
    is kept (a planted session id is worthless), and it carries the account's
    ``session_version`` and the time."""
    session.clear()
    login_user(Account(user))
    session[VERSION_KEY] = user.session_version
    session[SEEN_KEY] = int(users.now().timestamp())


def _end(message):
    """Forget the session's login and say why on the login page."""
    for key in list(session):
        if key != "lang":
            session.pop(key)
    flash(message, "info")
    return None


def load_account(user_id):
    """The session's account, while it is active and its person has not left (a leaving
    date reached since the login ends the session; the next login closes the account),
    the session carries the account's current ``session_version`` and has not been idle
    past the limit."""
    try:
        user = (User.select(User, Staff).join(Staff, JOIN.LEFT_OUTER)
                .where(User.id == int(user_id)).first())
    except (TypeError, ValueError):
        return None
    if user is None or not user.active:
        return _end(ENDED) if user is not None else None
    if user.staff_id is not None and users.has_left(user.staff):
        return None
    if session.get(VERSION_KEY) != user.session_version:
        return _end(ENDED)
    at = users.now()
    seen = session.get(SEEN_KEY)
    hours = current_app.config["SESSION_IDLE_HOURS"]
    last = datetime.datetime.fromtimestamp(seen) if isinstance(seen, int) else None
    if users.idle_expired(last, at, hours):
        return _end(f"Phiên làm việc đã hết hạn vì không dùng quá {vi_decimal(str(hours))} giờ; "
                    "hãy đăng nhập lại.")
    now_seconds = int(at.timestamp())
    if now_seconds - seen >= SEEN_STEP:
        session[SEEN_KEY] = now_seconds
    return Account(user)


class LoginForm(FlaskForm):
    username = StringField("Tên đăng nhập",
                           validators=[DataRequired("Hãy nhập tên đăng nhập.")])
    password = PasswordField("Mật khẩu", validators=[DataRequired("Hãy nhập mật khẩu.")])


def safe_next(target):
    """Only a path on this site may be the page to return to after login."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


class LoginView(BaseView):
    """The login page (``/admin/login/``) and logout (POST ``/admin/login/logout``)."""

    def is_visible(self):
        return False

    @expose("/", methods=("GET", "POST"))
    def index(self):
        form = LoginForm()
        if form.validate_on_submit():
            refused = login_limits.refusal(form.username.data)
            if refused:
                abort(429, refused)
            try:
                user = users.authenticate(form.username.data, form.password.data)
            except CanboError as exc:
                login_limits.count_failure(form.username.data)
                flash(exc.message, "error")
            else:
                start_session(user)
                return redirect(safe_next(request.args.get("next")) or url_for("admin.index"))
        elif request.method == "POST" and form.errors.get("csrf_token"):
            flash("Phiên làm việc đã hết hạn; hãy đăng nhập lại.", "error")
        return self.render("admin/login.html", form=form,
                           tries=users.ADDRESS_ACCOUNT_FAILURES,
                           minutes=users.LOGIN_WINDOW_MINUTES)

    @expose("/logout", methods=("POST",))
    def logout(self):
        if current_user.is_authenticated:
            # every session of the account ends, a copy of this cookie too
            users.end_sessions(current_user.user)
        logout_user()
        session.clear()
        flash("Đã đăng xuất.", "info")
        return redirect(url_for("login.index"))


class PasswordForm(FlaskForm):
    old_password = PasswordField("Mật khẩu hiện tại (hoặc mật khẩu dùng một lần)",
                                 validators=[DataRequired("Hãy nhập mật khẩu hiện tại.")])
    password = PasswordField("Mật khẩu mới", description=(
        f"Ít nhất {users.MIN_PASSWORD_LENGTH} ký tự, không chỉ gồm chữ số, không phải mật "
        "khẩu phổ biến («123456», «matkhau»…), khác tên đăng nhập và mật khẩu hiện tại."),
        validators=[DataRequired("Hãy nhập mật khẩu mới.")])
    repeated = PasswordField("Nhập lại mật khẩu mới",
                             validators=[DataRequired("Hãy nhập lại mật khẩu mới.")])


def home_url(account):
    """Where an account starts: a cadre or civil servant at their own months."""
    if account.role == Role.STAFF.code and account.staff_id:
        return url_for("monthly.index")
    return url_for("admin.index")


class PasswordView(BaseView):
    """Đổi mật khẩu: any logged-in account, its own password only."""

    def is_visible(self):
        return False

    def is_accessible(self):
        return current_user.is_authenticated

    def inaccessible_callback(self, name, **kwargs):
        return redirect(url_for("login.index", next=request.path))

    @expose("/", methods=("GET", "POST"))
    def index(self):
        form = PasswordForm()
        account = current_user.user
        if form.validate_on_submit():
            try:
                users.change_own_password(account, form.old_password.data,
                                          form.password.data, form.repeated.data)
            except InvalidInput as exc:
                field = {"old_password": form.old_password, "repeated": form.repeated}.get(
                    exc.data.get("field"), form.password)
                field.errors = [*field.errors, exc.message]
            else:
                # the account's other sessions have ended; this one goes on
                session[VERSION_KEY] = account.session_version
                flash("Đã đổi mật khẩu. Từ nay hãy đăng nhập bằng mật khẩu mới.", "success")
                return redirect(home_url(account))
        return self.render("admin/password.html", form=form, forced=account.must_change_password)


#: What an account that must change its password may still reach.
OPEN_ENDPOINTS = {"password.index", "login.index", "login.logout", "static", "admin.static"}


def force_password_change():
    """Send an account with a one-time password to "Đổi mật khẩu" from any other page."""
    if request.endpoint in OPEN_ENDPOINTS:  # before loading the account: static files
        return None
    if current_user.is_authenticated and current_user.user.must_change_password:
        if request.method == "GET":
            flash("Tài khoản đang dùng mật khẩu dùng một lần: hãy đặt mật khẩu mới để tiếp "
                  "tục.", "info")
        return redirect(url_for("password.index"))
    return None


def session_idle_hours(app):
    """``SESSION_IDLE_HOURS``: the app's setting, else ``$CANBO_SESSION_IDLE_HOURS``."""
    from admin_app import ConfigurationError

    value = app.config.get("SESSION_IDLE_HOURS")
    try:
        return users.session_idle_hours(
            {users.SESSION_IDLE_ENV: str(value)} if value is not None else os.environ)
    except InvalidInput as exc:
        raise ConfigurationError(exc.message) from exc


def register(app, admin):
    app.config["SESSION_IDLE_HOURS"] = session_idle_hours(app)
    login_limits.init(app)
    admin.add_view(LoginView(name="Đăng nhập", endpoint="login", url="/admin/login"))
    admin.add_view(PasswordView(name="Đổi mật khẩu", endpoint="password",
                                url="/admin/password"))
    app.before_request(force_password_change)
    app.login_manager.user_loader(load_account)
    app.login_manager.login_view = "login.index"
    app.login_manager.login_message = "Hãy đăng nhập để tiếp tục."
    app.login_manager.login_message_category = "info"
    # Templates show a form only to those whose permission it needs: ``can('print')``.
    app.add_template_global(can, "can")
