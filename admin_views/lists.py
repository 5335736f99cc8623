"""Danh mục: the editable lists of titles (chức vụ, chức danh) and departments.

REFERENCE.md §8: since the 2025 reorganisation these change with local decisions, so they
are data the officer edits, seeded by the migrations, never hard-coded enums.

What every unit shares — every title, and a department of no unit — is changed or
deleted only with ``lists.shared`` (the admin); the officer (``lists.edit``) adds titles,
edits them, and keeps the departments of their own units.  The list shows each row only
the actions the permission table allows.
"""
from flask_admin.model.template import DeleteRowAction, EditRowAction

from canbo.levels import LeaderRole, StaffKind
from canbo.models import Department, Title
from canbo.records import users

from .base import IfAllowed, SecureModelView, can, current_account, visible_unit_ids

SHARED = "lists.shared"


class TitleView(SecureModelView):
    # Titles are shared by every unit: the officer adds and edits them, only
    # ``lists.shared`` deletes one.
    edit_permission = "lists.edit"
    delete_permission = SHARED
    column_labels = {"name": "Chức vụ, chức danh", "kind": "Loại", "leader_role": "Lãnh đạo",
                     "position": "Thứ tự"}
    column_list = ["name", "kind", "leader_role", "position"]
    column_choices = {"kind": StaffKind.choices(), "leader_role": LeaderRole.choices()}
    column_default_sort = [("position", False), ("name", False)]
    column_searchable_list = [Title.name]
    form_columns = ["name", "kind", "leader_role", "position"]


class DepartmentView(SecureModelView):
    # The departments of one's units are the officer's; one of no unit is shared.
    unit_column = Department.unit
    edit_permission = "lists.edit"
    delete_permission = "lists.edit"
    column_labels = {"name": "Phòng, ban", "unit": "Đơn vị"}
    column_list = ["name", "unit"]
    column_default_sort = ("name", False)
    column_searchable_list = [Department.name]
    form_columns = ["name", "unit"]
    form_args = {"unit": {"get_label": "name"}}

    def may_change(self, model):
        return model.unit_id is not None or can(SHARED)

    def get_list_row_actions(self):
        return [IfAllowed(a, self.may_change) if isinstance(a, (EditRowAction, DeleteRowAction))
                else a for a in super().get_list_row_actions()]

    def scope(self, query):
        # A department without a unit is shared by every unit.
        ids = visible_unit_ids()
        if ids is None:
            return query
        return query.where(Department.unit.is_null() | Department.unit.in_(ids))

    def on_model_change(self, form, model, is_created):
        shared_before = not is_created and self.before.get("unit") is None
        if model.unit_id is None or shared_before:
            users.require(current_account(), SHARED,
                          "lập hoặc sửa phòng, ban dùng chung cho mọi đơn vị")
        super().on_model_change(form, model, is_created)

    def on_model_delete(self, model):
        if model.unit_id is None:
            users.require(current_account(), SHARED,
                          f"xóa phòng, ban «{model.name}», dùng chung cho mọi đơn vị")
        super().on_model_delete(model)


def register(app, admin):
    admin.add_view(TitleView(Title, name="Chức vụ, chức danh", endpoint="title",
                             category="Danh mục"))
    admin.add_view(DepartmentView(Department, name="Phòng, ban", endpoint="department",
                                  category="Danh mục"))
