"""Tài khoản: the panel's accounts, managed by the admin only.

The password is typed in a field of its own and stored as a werkzeug hash; leaving it
empty when editing keeps the old one.  Every change goes to the audit log, the password
itself never.
"""
from peewee import JOIN
from wtforms import PasswordField, SelectField
from wtforms.validators import ValidationError

from canbo.errors import InvalidInput
from canbo.levels import Role
from canbo.models import Unit, User
from canbo.records import audit, users

from .base import SecureModelView, current_account

LABELS = {"username": "Tên đăng nhập", "role": "Vai trò", "unit": "Đơn vị",
          "active": "Đang hoạt động", "failed_logins": "Số lần đăng nhập sai",
          "locked_until": "Tạm khóa đến", "created_at": "Ngày tạo", "staff": "Cán bộ",
          "new_password": "Mật khẩu mới"}


class UserView(SecureModelView):
    permission = "users.manage"
    edit_permission = "users.manage"
    audit_reason = True
    column_labels = LABELS
    column_list = ["username", "role", "unit", "active", "locked_until", "created_at"]
    column_details_list = ["username", "role", "unit", "active", "failed_logins",
                           "locked_until", "created_at"]
    column_choices = {"role": Role.choices()}
    column_default_sort = ("username", False)
    column_searchable_list = [User.username]
    form_columns = ["username", "role", "unit", "active", "new_password"]
    form_overrides = {"role": SelectField}
    form_args = {"role": {"choices": Role.choices()}, "unit": {"get_label": "name"}}
    form_extra_fields = {"new_password": PasswordField(
        "Mật khẩu mới", description=f"Ít nhất {users.MIN_PASSWORD_LENGTH} ký tự; để trống "
        "khi sửa nếu không đổi mật khẩu.")}

    def base_query(self):
        return User.select(User, Unit).join(Unit, JOIN.LEFT_OUTER).switch(User)

    def on_model_change(self, form, model, is_created):
        super().on_model_change(form, model, is_created)
        users.check_unit_binding(model.role, model.unit_id)
        password = form.new_password.data
        if is_created and not password:
            raise ValidationError("Hãy đặt mật khẩu cho tài khoản mới.")
        if password:
            try:
                users.check_password_strength(password)
            except InvalidInput as exc:
                raise ValidationError(exc.message) from exc
            model.password_hash = users.hash_password(password)
            model.failed_logins = 0
            model.locked_until = None

    def after_model_change(self, form, model, is_created):
        reason = form.audit_reason.data or None
        changes = self.changes(model)
        if "password_hash" in changes:
            changes["password_hash"] = ["***", "***"]
        audit.record(current_account(), "create" if is_created else "update", model,
                     changes=changes, reason=reason)


def register(app, admin):
    admin.add_view(UserView(User, name="Tài khoản", endpoint="user", category="Hệ thống",
                            menu_icon_type="fa", menu_icon_value="fa-key"))
