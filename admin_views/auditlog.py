"""Nhật ký thay đổi: who changed what, when and why; read-only, newest first."""
import json

from markupsafe import Markup, escape

from canbo.models import AuditLog

from .base import SecureModelView

LABELS = {"at": "Thời điểm", "actor": "Người thực hiện", "action": "Thao tác",
          "table_name": "Bảng", "row_id": "Số bản ghi", "changes": "Thay đổi (trước → sau)",
          "reason": "Lý do"}
ACTIONS = {"create": "Thêm", "update": "Sửa", "delete": "Xóa", "archive": "Cho nghỉ",
           "password": "Đổi mật khẩu", "lock": "Tạm khóa"}
TABLES = {"staff": "Cán bộ, công chức", "rating": "Xếp loại", "user": "Tài khoản",
          "unit": "Đơn vị", "title": "Chức vụ", "department": "Phòng, ban",
          "qualification": "Trình độ"}


def changes_html(view, context, model, name):
    try:
        changes = json.loads(model.changes or "{}")
    except ValueError:
        return model.changes
    if not isinstance(changes, dict):
        return _show(changes)
    # Most entries are {field: [old, new]}; the cycle's and the tracking's steps also
    # write plain facts ({"rating": 12, "from": "2026-04-15"}), shown as they are.
    items = (
        Markup("<li><b>{}</b>: {} → {}</li>").format(field, _show(value[0]), _show(value[1]))
        if isinstance(value, list) and len(value) == 2
        else Markup("<li><b>{}</b>: {}</li>").format(field, _show(value))
        for field, value in changes.items()
    )
    return Markup('<ul class="list-unstyled mb-0 small">') + Markup("").join(items) + Markup("</ul>")


def _show(value):
    return "∅" if value is None else escape(str(value))


class AuditLogView(SecureModelView):
    permission = "audit.read"
    column_labels = LABELS
    column_list = ["at", "actor", "action", "table_name", "row_id", "changes", "reason"]
    column_default_sort = ("at", True)
    column_searchable_list = [AuditLog.actor, AuditLog.table_name]
    column_filters = ["actor", "action", "table_name", "at"]
    column_formatters = {
        "changes": changes_html,
        "action": lambda v, c, m, n: ACTIONS.get(m.action, m.action),
        "table_name": lambda v, c, m, n: TABLES.get(m.table_name, m.table_name),
    }
    can_export = True
    export_types = ["csv", "xlsx"]
    column_formatters_export = {}


def register(app, admin):
    admin.add_view(AuditLogView(AuditLog, name="Nhật ký thay đổi", endpoint="auditlog",
                                category="Hệ thống", menu_icon_type="fa",
                                menu_icon_value="fa-history"))
