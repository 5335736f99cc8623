"""Đơn vị: the units (a commune's People's Committee, its parents and sub-units).

Everyone sees the units they are bound to; only the admin adds or changes them.
"""
from peewee import JOIN

from canbo.models import Unit

from .base import SecureModelView

LABELS = {"code": "Mã đơn vị", "name": "Tên đơn vị", "place_name": "Địa danh",
          "parent": "Đơn vị cấp trên"}


class UnitView(SecureModelView):
    unit_column = Unit.id
    edit_permission = "units.edit"
    column_labels = LABELS
    column_descriptions = {"place_name": "Địa danh ghi ở dòng ngày tháng của văn bản."}
    column_list = ["code", "name", "place_name", "parent"]
    column_sortable_list = ["code", "name"]
    column_searchable_list = [Unit.name, Unit.code]
    form_columns = ["code", "name", "place_name", "parent"]
    form_args = {"parent": {"get_label": "name"}}

    def base_query(self):
        # The parent in the same query, so that a page of units costs one query.
        parent = Unit.alias("parent_unit")
        return (Unit.select(Unit, parent)
                .join(parent, JOIN.LEFT_OUTER, on=(Unit.parent == parent.id), attr="parent")
                .switch(Unit).order_by(Unit.code))

    def row_unit_id(self, model):
        # A new unit is in scope when its parent is.
        return model.parent_id if model.id is None else model.id


def register(app, admin):
    admin.add_view(UnitView(Unit, name="Đơn vị", endpoint="unit", category="Danh mục",
                            menu_icon_type="fa", menu_icon_value="fa-building"))
