"""Logging in and out, changing one's password: Flask-Login over ``canbo.users``,
CSRF-protected forms.

Wrong passwords count towards the five-failures lock (``canbo.users.authenticate``); the
session is renewed at login so that a session id planted before login is worthless.

"Đổi mật khẩu" (``/admin/password/``) lets every logged-in account replace its password
(the current one, the new one twice, ``users.change_own_password``).  An account made
with a one-time password (``User.must_change_password``: the bulk accounts' slips) is
sent there from every other page of the panel, GET or POST, until it has done so.
"""
from urllib.parse import urlsplit

from flask import flash, redirect, request, session, url_for
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


def load_account(user_id):
    """The session's account, while it is active and its person has not left (a leaving
    date reached since the login ends the session; the next login closes the account)."""
    try:
        user = (User.select(User, Staff).join(Staff, JOIN.LEFT_OUTER)
                .where(User.id == int(user_id)).first())
    except (TypeError, ValueError):
        return None
    if user is None or not user.active:
        return None
    if user.staff_id is not None and users.has_left(user.staff):
        return None
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
            try:
                user = users.authenticate(form.username.data, form.password.data)
            except CanboError as exc:
                flash(exc.message, "error")
            else:
                session.clear()
                login_user(Account(user))
                return redirect(safe_next(request.args.get("next")) or url_for("admin.index"))
        elif request.method == "POST" and form.errors.get("csrf_token"):
            flash("Phiên làm việc đã hết hạn; hãy đăng nhập lại.", "error")
        return self.render("admin/login.html", form=form)

    @expose("/logout", methods=("POST",))
    def logout(self):
        logout_user()
        session.clear()
        flash("Đã đăng xuất.", "info")
        return redirect(url_for("login.index"))


class PasswordForm(FlaskForm):
    old_password = PasswordField("Mật khẩu hiện tại (hoặc mật khẩu dùng một lần)",
                                 validators=[DataRequired("Hãy nhập mật khẩu hiện tại.")])
    password = PasswordField("Mật khẩu mới", description=(
        f"Ít nhất {users.MIN_PASSWORD_LENGTH} ký tự, khác mật khẩu hiện tại."),
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


def register(app, admin):
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
