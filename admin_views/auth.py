"""Logging in and out: Flask-Login over ``canbo.users``, CSRF-protected forms.

Wrong passwords count towards the five-failures lock (``canbo.users.authenticate``); the
session is renewed at login so that a session id planted before login is worthless.
"""
from urllib.parse import urlsplit

from flask import flash, redirect, request, session, url_for
from flask_admin import BaseView, expose
from flask_login import UserMixin, login_user, logout_user
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired

from canbo.errors import CanboError
from canbo.levels import Role
from canbo.models import User
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
    try:
        user = User.get_or_none(User.id == int(user_id))
    except (TypeError, ValueError):
        return None
    return Account(user) if user is not None and user.active else None


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


def register(app, admin):
    admin.add_view(LoginView(name="Đăng nhập", endpoint="login", url="/admin/login"))
    app.login_manager.user_loader(load_account)
    app.login_manager.login_view = "login.index"
    app.login_manager.login_message = "Hãy đăng nhập để tiếp tục."
    app.login_manager.login_message_category = "info"
    # Templates show a form only to those whose permission it needs: ``can('print')``.
    app.add_template_global(can, "can")
