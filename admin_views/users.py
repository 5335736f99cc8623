"""Tài khoản: the panel's accounts, managed by the admin only.

The password is typed in a field of its own and stored as a werkzeug hash; leaving it
empty when editing keeps the old one.  A new password, role, unit or person and a
deactivation end the account's open sessions (``users.end_sessions``).  Every change goes to the audit log, the password
itself never.  An account may be bound to its holder's staff record ("Cán bộ", required
for the role Cán bộ, công chức; the unit then defaults to the person's): the checks are
the library's (``users.check_staff_binding``), as for ``canbo user add --staff``.  The
officer's accounts in bulk are in ``admin_views/accounts.py``.
"""
from peewee import JOIN
from wtforms import PasswordField, SelectField
from wtforms.validators import ValidationError

from canbo.errors import InvalidInput
from canbo.levels import Role
from canbo.models import Staff, Unit, User
from canbo.records import audit, users

from .base import SecureModelView, current_account

LABELS = {"username": "Tên đăng nhập", "role": "Vai trò", "unit": "Đơn vị",
          "active": "Đang hoạt động", "failed_logins": "Số lần đăng nhập sai",
          "locked_until": "Tạm khóa đến", "created_at": "Ngày tạo", "staff": "Cán bộ",
          "new_password": "Mật khẩu mới", "must_change_password": "Phải đổi mật khẩu",
          "email": "Địa chỉ thư (nhắc việc)"}


class UserView(SecureModelView):
    permission = "users.manage"
    edit_permission = "users.manage"
    audit_reason = True
    column_labels = LABELS
    column_list = ["username", "role", "unit", "staff", "active", "must_change_password",
                   "locked_until", "created_at"]
    column_details_list = ["username", "role", "unit", "staff", "active",
                           "must_change_password", "failed_logins", "locked_until",
                           "created_at"]
    column_choices = {"role": Role.choices()}
    column_default_sort = ("username", False)
    column_searchable_list = [User.username]
    form_columns = ["username", "role", "unit", "staff", "email", "active", "new_password",
                    "must_change_password"]
    form_overrides = {"role": SelectField}
    form_args = {"role": {"choices": Role.choices()},
                 "unit": {"get_label": "name", "description": "Để trống khi đã chọn cán bộ: "
                          "lấy đơn vị của người đó."},
                 "staff": {"description": "Hồ sơ của chính người dùng; bắt buộc với vai trò "
                           "Cán bộ, công chức."},
                 "must_change_password": {"description": "Lần đăng nhập sau phải đặt mật "
                                          "khẩu mới (khi cấp mật khẩu tạm)."}}
    form_ajax_refs = {"staff": {"fields": [Staff.search_name], "minimum_input_length": 1,
                                "placeholder": "Gõ họ tên, có dấu hoặc không dấu"}}
    form_extra_fields = {"new_password": PasswordField(
        "Mật khẩu mới", description=f"Ít nhất {users.MIN_PASSWORD_LENGTH} ký tự, không chỉ gồm "
        "chữ số, không phải mật khẩu phổ biến, khác tên đăng nhập; để trống khi sửa nếu "
        "không đổi mật khẩu.")}

    def base_query(self):
        return (User.select(User, Unit, Staff).join(Unit, JOIN.LEFT_OUTER).switch(User)
                .join(Staff, JOIN.LEFT_OUTER).switch(User))

    def on_model_change(self, form, model, is_created):
        super().on_model_change(form, model, is_created)
        staff = model.staff if model.staff_id is not None else None
        unit = Unit.get_by_id(model.unit_id) if model.unit_id is not None else None
        unit = users.check_staff_binding(model.role, staff, unit, account=model,
                                         active=model.active)
        model.unit = unit
        users.check_unit_binding(model.role, model.unit_id)
        try:
            model.email = users.check_email(model.email)
        except InvalidInput as exc:
            raise ValidationError(exc.message) from exc
        password = form.new_password.data
        if is_created and not password:
            raise ValidationError("Hãy đặt mật khẩu cho tài khoản mới.")
        if password:
            try:
                users.check_password_strength(password, model.username)
            except InvalidInput as exc:
                raise ValidationError(exc.message) from exc
            model.password_hash = users.hash_password(password)
            model.failed_logins = 0
            model.locked_until = None

    def after_model_change(self, form, model, is_created):
        reason = form.audit_reason.data or None
        changes = self.changes(model)
        if not is_created and users.ends_sessions(changes):
            # a new password, role, unit or person, a deactivation: the account's open
            # sessions end (a cookie kept from before opens nothing)
            users.end_sessions(model)
        if "password_hash" in changes:
            changes["password_hash"] = ["***", "***"]
        audit.record(current_account(), "create" if is_created else "update", model,
                     changes=changes, reason=reason)


def register(app, admin):
    admin.add_view(UserView(User, name="Tài khoản", endpoint="user", category="Hệ thống",
                            menu_icon_type="fa", menu_icon_value="fa-key"))
