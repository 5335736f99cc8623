"""Danh mục: the editable lists of titles (chức vụ, chức danh) and departments.

REFERENCE.md §8: since the 2025 reorganisation these change with local decisions, so they
are data the officer edits, seeded by the migrations, never hard-coded enums.

A title or department of no unit is shared by every unit: only ``lists.shared`` (the
admin) adds, changes or deletes it.  One of a unit is that unit's own addition, which its
officer (``lists.edit``) keeps; the officer's "new" form starts with their unit.  The rules are the library's (``canbo.records.lists``); here each
row shows only the buttons they allow, and opening the edit page of a row one may not
change is a 403 naming who may.
"""
from flask import abort, request
from flask_admin import expose
from flask_admin.model.template import DeleteRowAction, EditRowAction

from canbo.errors import Forbidden
from canbo.levels import LeaderRole, StaffKind
from canbo.models import Department, Title, Unit
from canbo.records import lists

from .base import IfAllowed, SecureModelView, can, current_account, visible_unit_ids

SHARED = lists.SHARED
UNIT_HELP = ("Để trống: dùng chung cho mọi đơn vị (chỉ Quản trị hệ thống); cán bộ phụ "
             "trách tổ chức thêm mục của đơn vị mình.")


class _ListView(SecureModelView):
    edit_permission = "lists.edit"
    delete_permission = "lists.edit"

    def may_change(self, model):
        # the request's unit ids, read once: a list page asks for every row
        return lists.may_change(current_account(), model, visible=visible_unit_ids())

    def get_list_row_actions(self):
        return [IfAllowed(a, self.may_change) if isinstance(a, (EditRowAction, DeleteRowAction))
                else a for a in super().get_list_row_actions()]

    def scope(self, query):
        # shared rows, and those of the user's units
        return lists.visible(current_account(), self.model, query)

    def _refuse_unless_allowed(self, row_id, verb):
        row = self.get_one(row_id)
        try:
            lists.check_change(current_account(), row, verb)
        except Forbidden as exc:
            abort(403, exc.message)

    @expose("/edit/", methods=("GET", "POST"))
    def edit_view(self):
        self._refuse_unless_allowed(request.args.get("id"), "sửa")
        return super().edit_view()

    @expose("/delete/", methods=("POST",))
    def delete_view(self):
        self._refuse_unless_allowed(request.form.get("id"), "xóa")
        return super().delete_view()

    def create_form(self, obj=None):
        form = super().create_form(obj)
        account = current_account()
        if request.method == "GET" and not can(SHARED) and account.unit_id:
            form.unit.data = Unit.get_by_id(account.unit_id)  # an officer adds their unit's
        return form

    def on_model_change(self, form, model, is_created):
        lists.check_change(current_account(), model, "thêm" if is_created else "sửa",
                           **({} if is_created else {"unit_before": self.before.get("unit")}))
        super().on_model_change(form, model, is_created)

    def on_model_delete(self, model):
        lists.check_change(current_account(), model, "xóa")
        super().on_model_delete(model)


class TitleView(_ListView):
    column_labels = {"name": "Chức vụ, chức danh", "kind": "Loại", "leader_role": "Lãnh đạo",
                     "position": "Thứ tự", "unit": "Đơn vị"}
    column_list = ["name", "kind", "leader_role", "position", "unit"]
    column_choices = {"kind": StaffKind.choices(), "leader_role": LeaderRole.choices()}
    column_default_sort = [("position", False), ("name", False)]
    column_searchable_list = [Title.name]
    form_columns = ["name", "kind", "leader_role", "position", "unit"]
    form_args = {"unit": {"get_label": "name", "description": UNIT_HELP}}


class DepartmentView(_ListView):
    column_labels = {"name": "Phòng, ban", "unit": "Đơn vị"}
    column_list = ["name", "unit"]
    column_default_sort = ("name", False)
    column_searchable_list = [Department.name]
    form_columns = ["name", "unit"]
    form_args = {"unit": {"get_label": "name", "description": UNIT_HELP}}


def register(app, admin):
    admin.add_view(TitleView(Title, name="Chức vụ, chức danh", endpoint="title",
                             category="Danh mục"))
    admin.add_view(DepartmentView(Department, name="Phòng, ban", endpoint="department",
                                  category="Danh mục"))
