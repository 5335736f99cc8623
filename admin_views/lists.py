"""Danh mục: the editable lists of titles (chức vụ, chức danh) and departments.

REFERENCE.md §8: since the 2025 reorganisation these change with local decisions, so they
are data the officer edits, seeded by the migrations, never hard-coded enums.
"""
from canbo.levels import LeaderRole, StaffKind
from canbo.models import Department, Title

from .base import SecureModelView, visible_unit_ids


class TitleView(SecureModelView):
    edit_permission = "lists.edit"
    delete_permission = "units.edit"
    column_labels = {"name": "Chức vụ, chức danh", "kind": "Loại", "leader_role": "Lãnh đạo",
                     "position": "Thứ tự"}
    column_list = ["name", "kind", "leader_role", "position"]
    column_choices = {"kind": StaffKind.choices(), "leader_role": LeaderRole.choices()}
    column_default_sort = [("position", False), ("name", False)]
    column_searchable_list = [Title.name]
    form_columns = ["name", "kind", "leader_role", "position"]


class DepartmentView(SecureModelView):
    unit_column = Department.unit
    edit_permission = "lists.edit"
    delete_permission = "units.edit"
    column_labels = {"name": "Phòng, ban", "unit": "Đơn vị"}
    column_list = ["name", "unit"]
    column_default_sort = ("name", False)
    column_searchable_list = [Department.name]
    form_columns = ["name", "unit"]
    form_args = {"unit": {"get_label": "name"}}

    def scope(self, query):
        # A department without a unit is shared by every unit.
        ids = visible_unit_ids()
        if ids is None:
            return query
        return query.where(Department.unit.is_null() | Department.unit.in_(ids))

    def on_model_change(self, form, model, is_created):
        ids = visible_unit_ids()
        if ids is not None and model.unit_id is None:
            from canbo.errors import Forbidden

            raise Forbidden("Phòng, ban dùng chung cho mọi đơn vị chỉ do quản trị hệ thống lập.")
        super().on_model_change(form, model, is_created)


def register(app, admin):
    admin.add_view(TitleView(Title, name="Chức vụ, chức danh", endpoint="title",
                             category="Danh mục"))
    admin.add_view(DepartmentView(Department, name="Phòng, ban", endpoint="department",
                                  category="Danh mục"))
