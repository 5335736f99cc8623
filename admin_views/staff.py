"""Danh sách cán bộ, công chức: records, qualification histories, archiving, export.

- Search ignores case and Vietnamese diacritics in both directions: the typed text is
  folded like ``Staff.search_name`` (``canbo.vietnamese.fold``), so "anh", "ÁNH" and
  "do thi" all find "Đỗ Thị Ánh" on SQLite and PostgreSQL alike.
- Names sort the Vietnamese way by default (``Staff.sort_name``: given name, then
  middle and family names, in the Vietnamese alphabet).
- A person who leaves is archived with a date and a reason, never deleted
  (kim-tan-2023.md: the two who left in 2023 keep their ratings); their login accounts
  are closed with them (``canbo.records.accounts.close_accounts``), whether the date is
  set by "Cho nghỉ / chuyển công tác" or in the record's form.
"""
import datetime
import json

from flask import flash, g, has_request_context, redirect, request, url_for
from flask_admin import expose
from flask_admin.contrib.peewee.filters import BasePeeweeFilter
from flask_admin.model.template import EndpointLinkRowAction
from flask_wtf import FlaskForm
from markupsafe import Markup
from peewee import JOIN
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from canbo.errors import InvalidInput
from canbo.levels import (
    Gender,
    LeaderRole,
    QualificationKind,
    StaffKind,
)
from canbo.models import Department, Qualification, Staff, Title, Unit
from canbo.records import accounts, audit, lists
from canbo.vietnamese import vi_date

from .base import (
    SecureModelView,
    can,
    choice_filter,
    current_account,
    forbid,
    search_words,
    unit_choices,
    visible_unit_ids,
)
from .dates import DateField

LABELS = {
    "code": "Mã",
    "full_name": "Họ và tên",
    "search_name": "Họ và tên (gõ có dấu hoặc không dấu)",
    "birth_date": "Ngày sinh",
    "gender": "Giới tính",
    "ethnicity": "Dân tộc",
    "kind": "Loại",
    "unit": "Đơn vị",
    "title": "Chức vụ, chức danh",
    "department": "Phòng, ban",
    "leader_role": "Lãnh đạo",
    "party_member": "Đảng viên",
    "joined_on": "Ngày vào cơ quan",
    "left_on": "Ngày nghỉ / chuyển công tác",
    "left_reason": "Lý do nghỉ / chuyển công tác",
    "personal_id": "Số định danh cá nhân",
    "rank_code": "Mã ngạch",
    "job_position": "Vị trí việc làm",
    "qualifications": "Quá trình đào tạo",
}

def _level_choices():
    """Every qualification level once: the codes shared by several lists (TC, SC, NONE)
    carry the same label in each, and the kind chosen beside it says which list."""
    seen, out = set(), []
    for kind in QualificationKind:
        for member in kind.levels:
            if member.code not in seen:
                seen.add(member.code)
                out.append((member.code, member.label))
    return out


ALL_LEVELS = _level_choices()

#: ``{kind code: [[level code, label], …]}``: the levels each kind lists, in order, on the
#: level box of every qualification row, so that ``canbo-levels.js`` shows only those of
#: the kind chosen beside it; ``level_matches_kind`` checks the same on the server.
LEVELS_BY_KIND = json.dumps({kind.code: [list(c) for c in kind.levels.choices()]
                             for kind in QualificationKind}, ensure_ascii=False)


def title_choices():
    """The titles of the staff list's filter: the shared ones and the user's units' own."""
    if not has_request_context():
        return []
    query = lists.visible(current_account(), Title, Title.select(Title.id, Title.name))
    return [(t.id, t.name) for t in query.order_by(Title.position, Title.name)]


def department_choices():
    if not has_request_context():
        return []
    ids = visible_unit_ids()
    query = Department.select(Department.id, Department.name)
    if ids is not None:
        query = query.where(Department.unit.is_null() | Department.unit.in_(ids))
    return [(d.id, d.name) for d in query.order_by(Department.name)]


def qualification_history(person):
    """One line per qualification kind: its levels with their dates, oldest first."""
    by_kind = {}
    for q in person.qualifications.order_by(Qualification.awarded_on, Qualification.id):
        kind = QualificationKind(q.kind)
        text = kind.levels(q.level).label + (f" ({vi_date(q.awarded_on)})" if q.awarded_on else "")
        by_kind.setdefault(kind, []).append(text)
    lines = [Markup("<b>{}:</b> {}").format(kind.label, ", ".join(levels))
             for kind, levels in sorted(by_kind.items(), key=lambda kv: kv[0].rank)]
    return Markup("<br>").join(lines)


def qualification_lines(person):
    """A person's qualification history as short lines, for the audit log."""
    if person.id is None:
        return []
    rows = Qualification.select().where(Qualification.staff == person.id).order_by(
        Qualification.kind, Qualification.awarded_on, Qualification.id)
    return [f"{q.kind}:{q.level}:{q.awarded_on or ''}:{q.major or ''}" for q in rows]


class InPostFilter(BasePeeweeFilter):
    """In post (no leaving date) or archived."""

    def apply(self, query, value):
        return query.where(Staff.left_on.is_null(value == "1"))

    def operation(self):
        return "là"


class QualificationLevelFilter(BasePeeweeFilter):
    """People whose highest level of one qualification kind is the chosen one."""

    def __init__(self, kind, name):
        self.kind = kind
        super().__init__(Staff.id, name, options=kind.levels.choices())

    def apply(self, query, value):
        try:
            level = self.kind.levels(value)
        except ValueError:
            return query.where(False)
        best = Qualification.highest(kind=self.kind.code).alias("best")
        holders = Qualification.select(best.c.staff_id).from_(best)
        if level.code == "NONE":  # nothing recorded counts as "Chưa qua đào tạo"
            return query.where(Staff.id.not_in(holders.where(best.c.best < level.rank)))
        return query.where(Staff.id.in_(holders.where(best.c.best == level.rank)))

    def operation(self):
        return "là"


def level_matches_kind(form, field):
    """The level is one of its kind's (``QualificationKind.levels``); its error names
    the level ("Tiến sĩ"), never its code.  A kind that is none of the three is the kind
    box's own error (not a valid choice), not this one's."""
    try:
        kind = QualificationKind(form.kind.data)
    except ValueError:
        return
    try:
        kind.levels(field.data)
    except ValueError:
        allowed = ", ".join(m.label for m in kind.levels)
        level = dict(ALL_LEVELS).get(field.data, field.data)  # the name, not the code
        raise ValidationError(f"Trình độ «{level}» không thuộc {kind.label}; chọn một trong: "
                              f"{allowed}.")


class ArchiveForm(FlaskForm):
    left_on = DateField("Ngày nghỉ / chuyển công tác", default=datetime.date.today,
                        validators=[DataRequired("Hãy nhập ngày (dd/mm/yyyy).")])
    left_reason = StringField("Lý do", validators=[
        DataRequired("Hãy ghi lý do."), Length(max=300, message="Lý do dài quá 300 ký tự.")])


class StaffView(SecureModelView):
    unit_column = Staff.unit
    self_service, own_column = True, Staff.id  # a civil servant's own record
    edit_permission = "staff.edit"
    audit_reason = True
    can_export = True
    export_types = ["csv", "xlsx"]
    export_max_rows = 0

    column_labels = LABELS
    column_list = ["code", "full_name", "birth_date", "gender", "kind", "title", "department",
                   "unit", "party_member", "left_on"]
    column_details_list = ["code", "full_name", "birth_date", "gender", "ethnicity", "kind",
                           "unit", "title", "department", "leader_role", "party_member",
                           "joined_on", "left_on", "left_reason", "personal_id", "rank_code",
                           "job_position", "qualifications"]
    column_export_list = ["code", "full_name", "birth_date", "gender", "ethnicity", "kind",
                          "unit", "title", "department", "leader_role", "party_member",
                          "joined_on", "left_on", "left_reason", "personal_id", "rank_code",
                          "job_position"]
    column_choices = {
        "gender": Gender.choices(),
        "kind": StaffKind.choices(),
        "leader_role": LeaderRole.choices(),
    }
    column_sortable_list = [("full_name", Staff.sort_name), "code", "birth_date", "kind",
                            "joined_on", "left_on"]
    column_searchable_list = [Staff.search_name]
    name_search_column = Staff.search_name
    simple_list_pager = True  # counted by count_query, without the display joins
    column_filters = [
        choice_filter(Staff.unit, "Đơn vị", unit_choices),
        choice_filter(Staff.kind, "Loại", StaffKind.choices()),
        choice_filter(Staff.title, "Chức vụ, chức danh", title_choices),
        choice_filter(Staff.department, "Phòng, ban", department_choices),
        QualificationLevelFilter(QualificationKind.EDUCATION, "Trình độ chuyên môn"),
        QualificationLevelFilter(QualificationKind.POLITICAL_THEORY, "Lý luận chính trị"),
        QualificationLevelFilter(QualificationKind.STATE_MANAGEMENT, "Quản lý nhà nước"),
        InPostFilter(Staff.left_on, "Tình trạng",
                     options=[("1", "Đang công tác"), ("0", "Đã nghỉ / chuyển công tác")]),
    ]
    column_formatters = {
        "qualifications": lambda v, c, m, n: qualification_history(m),
    }
    column_formatters_export = {}

    form_columns = ["code", "full_name", "gender", "birth_date", "ethnicity", "kind", "unit",
                    "title", "department", "leader_role", "party_member", "joined_on",
                    "left_on", "left_reason", "personal_id", "rank_code", "job_position"]
    form_args = {
        "full_name": {"validators": [DataRequired(), Length(max=200)]},
        "code": {"validators": [DataRequired(), Length(max=32)]},
        "personal_id": {"description": "12 chữ số (số căn cước); để trống nếu chưa có."},
    }
    inline_models = [(Qualification, {
        "form_columns": ["id", "kind", "level", "major", "awarded_on"],
        "form_label": "Quá trình đào tạo",
        "form_overrides": {"level": SelectField},
        "form_args": {
            "kind": {"label": "Loại trình độ"},
            "level": {"label": "Trình độ", "choices": ALL_LEVELS,
                      "validators": [level_matches_kind],
                      "render_kw": {"data-levels-by-kind": LEVELS_BY_KIND}},
            "major": {"label": "Chuyên ngành"},
            "awarded_on": {"label": "Ngày cấp bằng"},
            "id": {"validators": [Optional()]},  # empty for a new row
        },
    })]
    @property
    def extra_js(self):
        # the level box lists only the levels of the kind chosen beside it
        return [url_for("canbo_static.static", filename="canbo-levels.js")]

    column_extra_row_actions = [
        EndpointLinkRowAction("fa fa-archive", ".archive_view", title="Cho nghỉ / chuyển công tác"),
    ]

    def get_list_row_actions(self):
        # "Cho nghỉ / chuyển công tác" is an edit: shown only to who may edit (staff.edit).
        actions = super().get_list_row_actions()
        return actions if self.can_edit else [
            a for a in actions if a not in self.column_extra_row_actions]

    def base_query(self):
        # Unit, title and department in the same query: a list page costs the same number
        # of queries whatever its size.  The default order is the Vietnamese name order.
        return (
            Staff.select(Staff, Unit, Title, Department)
            .join(Unit)
            .switch(Staff).join(Title, JOIN.LEFT_OUTER)
            .switch(Staff).join(Department, JOIN.LEFT_OUTER)
            .switch(Staff)
            .order_by(Staff.sort_name, Staff.id)
        )

    def count_query(self, search):
        return search_words(self.scope(Staff.select()), Staff.search_name, search)

    def update_model(self, form, model):
        g.audit_qualifications = qualification_lines(model)
        return super().update_model(form, model)

    def changes(self, model):
        # The qualification rows are saved by the inline form after the person: their
        # lines before and after go into the same audit entry.
        changes = super().changes(model)
        before, after = g.get("audit_qualifications", []), qualification_lines(model)
        if before != after:
            changes["qualifications"] = [before, after]
        return changes

    def on_model_change(self, form, model, is_created):
        super().on_model_change(form, model, is_created)
        model.check_dates()  # its InvalidInput is flashed (SecureModelView)

    def after_model_change(self, form, model, is_created):
        super().after_model_change(form, model, is_created)
        accounts.close_accounts(model, current_account())  # in the change's transaction

    @expose("/archive/", methods=("GET", "POST"))
    def archive_view(self):
        """Archive one person (Đã nghỉ / chuyển công tác) with a date and a reason."""
        if not can("staff.edit"):
            forbid("staff.edit", "lưu trữ hồ sơ cán bộ")
        person = self.get_one(request.args.get("id"))
        form = ArchiveForm()
        if form.validate_on_submit():
            before = audit.snapshot(person)
            person.left_on, person.left_reason = form.left_on.data, form.left_reason.data
            try:
                person.check_dates()
            except InvalidInput as exc:
                flash(exc.message, "error")
                return self.render("admin/staff_archive.html", form=form, person=person)
            with Staff._meta.database.atomic():
                person.save()
                audit.record(current_account(), "archive", person,
                             changes=audit.diff(before, audit.snapshot(person)),
                             reason=form.left_reason.data)
                closed = accounts.close_accounts(person, current_account())
            flash(f"Đã ghi {person.full_name} nghỉ / chuyển công tác từ "
                  f"{vi_date(person.left_on)}"
                  + (f"; đã khóa tài khoản {', '.join(u.username for u in closed)}."
                     if closed else "."), "success")
            return redirect(url_for(".index_view"))
        return self.render("admin/staff_archive.html", form=form, person=person)


def register(app, admin):
    admin.add_view(StaffView(Staff, name="Cán bộ, công chức", endpoint="staff",
                             menu_icon_type="fa", menu_icon_value="fa-users"))
