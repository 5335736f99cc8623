"""Xếp loại chất lượng: the yearly ratings, listed by year with filters.

Here the personnel officer (``ratings.edit``) types a rating's level, points and note —
never its status, which is not on the form: approving, returning and publishing go
through the yearly cycle's page (``admin_views/workflow.py``), the one path that checks
the quota of "Hoàn thành xuất sắc nhiệm vụ" and the other rules before approving
(ND 90/2020 Điều 19; ND 335/2025 Điều 20.5, 21; REFERENCE.md §4, §6).  An approved or
published rating is locked, its edit button hidden.  The rules are
``canbo.rating.guards.check_record_edit``, whose errors are flashed.
"""
from flask import has_request_context, redirect, request, url_for
from flask_admin import expose
from flask_admin.model.template import EditRowAction
from markupsafe import Markup
from peewee import fn
from wtforms import SelectField
from wtforms.validators import NumberRange, Optional, ValidationError

from canbo.levels import FINAL_STATUSES, RatingStatus
from canbo.levels import Rating as RatingLevel
from canbo.models import Rating, Staff, Unit
from canbo.rating import guards
from canbo.records import users
from canbo.rules import rulesets

from . import formatters
from .base import (
    IfAllowed,
    SecureModelView,
    choice_filter,
    current_account,
    search_words,
    unit_choices,
)

LABELS = {
    "year": "Năm",
    "staff": "Họ và tên",
    "unit": "Đơn vị",
    "rule_set": "Căn cứ",
    "level": "Mức xếp loại",
    "self_level": "Tự xếp loại",
    "original_label": "Ghi trên hồ sơ gốc",
    "points": "Điểm",
    "status": "Trạng thái",
    "note": "Ghi chú",
    "updated_at": "Cập nhật lúc",
}

#: Position of the year filter in ``RatingView.column_filters`` (for links to one year).
YEAR_FILTER = 0


def year_choices():
    """The years from the first to the last rating, newest first (two index lookups)."""
    if not has_request_context():
        return []
    first = Rating.select(fn.MIN(Rating.year)).scalar()
    last = Rating.select(fn.MAX(Rating.year)).scalar()
    if first is None:
        return []
    return [(str(y), str(y)) for y in range(last, first - 1, -1)]


def year_filter_url(year):
    """The ratings list showing only ``year``."""
    return url_for("rating.index_view", **{f"flt0_{YEAR_FILTER}": year})


#: Short names of the rule sets for the list; the details show the full name.
def rule_set_short(view, context, model, name):
    rule_set = rulesets.RULE_SETS.get(model.rule_set)
    return rule_set.short if rule_set else model.rule_set


def rule_set_full(view, context, model, name):
    return rulesets.LABELS.get(model.rule_set, model.rule_set)


STATUS_STYLE = {"APPROVED": "success", "PUBLISHED": "success", "PROPOSED": "primary",
                "RETURNED": "danger", "NOT_ELIGIBLE": "secondary"}


def status_badge(view, context, model, name):
    style = STATUS_STYLE.get(model.status, "light")
    return Markup('<span class="badge badge-status badge-{}">{}</span>').format(
        style, RatingStatus.labels().get(model.status, model.status))


def level_label(view, context, model, name):
    code = getattr(model, name)
    if not code:
        return ""
    if name == "level" and model.original_label:
        return model.original_label
    # a code outside the list (stored before the form offered only the list) is shown as
    # it is, never a 500 for every user of the list
    return RatingLevel.labels().get(code, code)


class RatingView(SecureModelView):
    unit_column = Rating.unit
    self_service, own_column = True, Rating.staff  # a civil servant's own history
    edit_permission = "ratings.edit"
    audit_reason = True
    can_export = True
    export_types = ["csv", "xlsx"]
    export_max_rows = 0

    column_labels = LABELS
    column_list = ["year", "staff", "unit", "self_level", "level", "status", "rule_set"]
    column_details_list = ["year", "staff", "unit", "rule_set", "self_level", "level",
                           "original_label", "points", "status", "note", "updated_at"]
    column_export_list = ["year", "staff", "unit", "self_level", "level", "status", "rule_set",
                          "points", "note"]
    column_choices = {"status": RatingStatus.choices()}
    column_formatters = {"level": level_label, "self_level": level_label,
                         "rule_set": rule_set_short, "status": status_badge}
    column_formatters_detail = {"level": level_label, "self_level": level_label,
                                "rule_set": rule_set_full, "points": formatters.points}
    column_formatters_export = {"level": level_label, "self_level": level_label,
                                "rule_set": rule_set_full}
    column_sortable_list = ["year", ("staff", Staff.sort_name), "level", "status"]
    column_searchable_list = [Staff.search_name]
    name_search_column = Staff.search_name
    simple_list_pager = True  # counted by count_query, without the display joins
    column_filters = [
        choice_filter(Rating.year, "Năm", year_choices),
        choice_filter(Rating.unit, "Đơn vị", unit_choices),
        choice_filter(Rating.level, "Mức xếp loại", RatingLevel.choices()),
        choice_filter(Rating.status, "Trạng thái", RatingStatus.choices()),
    ]

    # No status: it changes only through the cycle page (``guards.check_record_edit``).
    form_columns = ["staff", "year", "rule_set", "self_level", "level", "points", "note"]
    # Levels and rule sets are picked from their lists, never typed (a typed "HTT" was
    # stored as it was).
    form_overrides = {"level": SelectField, "self_level": SelectField, "rule_set": SelectField}
    # (a value off the list is refused by ``_check_choices`` with a Vietnamese message)
    form_args = {
        "year": {"validators": [NumberRange(2000, 2100)]},
        "level": {"choices": [("", "")] + RatingLevel.choices(), "validate_choice": False},
        "self_level": {"choices": [("", "")] + RatingLevel.choices(),
                       "validate_choice": False},
        "rule_set": {"choices": [("", "— theo năm và loại cán bộ —")]
                     + list(rulesets.LABELS.items()), "validate_choice": False,
                     "validators": [Optional()],
                     "description": "Để trống: quy định của năm xếp loại."},
    }
    # A province has thousands of people: the person is picked by typing a name.
    form_ajax_refs = {"staff": {"fields": [Staff.search_name], "minimum_input_length": 1,
                                "placeholder": "Gõ họ tên, có dấu hoặc không dấu"}}

    def get_list_row_actions(self):
        # an approved or published rating is locked: no edit button on its row
        return [IfAllowed(a, lambda row: row.status not in FINAL_STATUSES)
                if isinstance(a, EditRowAction) else a for a in super().get_list_row_actions()]

    def base_query(self):
        # Person and unit in the same query (no query per row); newest year first, then
        # the Vietnamese name order.
        return (
            Rating.select(Rating, Staff, Unit)
            .join(Staff).switch(Rating).join(Unit).switch(Rating)
            .order_by(Rating.year.desc(), Staff.sort_name, Rating.id)
        )

    def count_query(self, search):
        query = self.scope(Rating.select())
        if search:
            query = search_words(query.join(Staff), Staff.search_name, search)
        return query

    @expose("/")
    def index_view(self):
        # The list is by year: landing on it (from the menu, with no filter, search or
        # page asked for) shows the latest year, with its filter visible and removable.
        if not request.args:
            latest = Rating.select(fn.MAX(Rating.year)).scalar()
            if latest is not None:
                return redirect(year_filter_url(latest))
        return super().index_view()

    def _handle_join(self, query, field, joins):
        # Staff is already joined by base_query.
        return query

    def create_form(self, obj=None):
        form = super().create_form(obj)
        # blank is a choice (the rule set of the year), though the column is NOT NULL
        form.rule_set.flags.required = False
        return form

    def edit_form(self, obj=None):
        form = super().edit_form(obj)
        # The person, the year and the rule set of an existing rating are not edited here.
        del form.staff
        del form.year
        del form.rule_set
        return form

    def on_model_change(self, form, model, is_created):
        if model.level == "":
            model.level = None
        if model.self_level == "":
            model.self_level = None
        _check_choices(model)
        if is_created:
            model.unit = model.staff.unit_id
            model.rule_set = model.rule_set or rulesets.rule_set_for(model.year,
                                                                     model.staff.kind)
            if Rating.select().where((Rating.staff == model.staff) & (Rating.year == model.year)).exists():
                raise ValidationError(
                    f"{model.staff.full_name} đã có bản ghi xếp loại năm {model.year}."
                )
        super().on_model_change(form, model, is_created)
        guards.check_record_edit(current_account(), model, self.before.get("status", "OPEN"),
                                 self.changes(model))
        model.updated_at = users.now()


def _check_choices(model):
    """A level or rule set sent off the lists is refused, naming the field and the list."""
    levels = RatingLevel.labels()
    for name in ("self_level", "level"):
        value = getattr(model, name)
        if value is not None and value not in levels:
            raise ValidationError(f"{LABELS[name]} «{value}» không thuộc danh mục; cho phép: "
                                  + ", ".join(f"{c} ({lbl})" for c, lbl in levels.items()))
    if model.rule_set == "":
        model.rule_set = None
    if model.rule_set is not None and model.rule_set not in rulesets.LABELS:
        raise ValidationError(f"{LABELS['rule_set']} «{model.rule_set}» không thuộc danh mục; "
                              "cho phép: " + "; ".join(rulesets.LABELS.values()))


def register(app, admin):
    admin.add_view(RatingView(Rating, name="Xếp loại chất lượng", endpoint="rating",
                              menu_icon_type="fa", menu_icon_value="fa-check-square-o"))
