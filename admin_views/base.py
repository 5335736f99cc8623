"""The secured base of every panel view: login, roles, unit scoping, audit, errors.

- ``SecureView`` (a Flask-Admin ``BaseView``) and ``SecureModelView`` refuse anonymous
  users (redirect to the login page) and users without the view's ``permission`` (403).
- ``SecureModelView`` scopes every query — lists, details, edits, exports, the choices of
  related records in forms — to the units the user may see (``visible_unit_ids()``), so
  an officer of unit A guessing the id of unit B's person gets a 404.
- Every create, update and delete is written to the audit log (``canbo.audit``) in the
  same transaction as the change.
- Domain errors (``canbo.errors``) raised in hooks become flashed messages.
- A versioned record (``canbo.models.records.Versioned``: staff, ratings) carries the
  version its edit form was opened at in a hidden field, ``record_version``; the save
  is made against it, so a form opened before someone else's save is refused with what
  changed, the form kept, and the field set to the version now (saving again overwrites,
  knowingly).
"""
import datetime
import decimal
import functools

import peewee
from flask import abort, flash, g, has_request_context, redirect
from flask_admin import AdminIndexView, BaseView
from flask_admin.contrib.peewee import ModelView
from flask_admin.contrib.peewee.ajax import QueryAjaxModelLoader
from flask_admin.contrib.peewee.filters import FilterEqual
from jinja2 import pass_context
from markupsafe import Markup
from wtforms import HiddenField, StringField, ValidationError
from wtforms.fields.core import UnboundField
from wtfpeewee.fields import SelectQueryField

from canbo.db import MAX_INT, database
from canbo.errors import CanboError, Forbidden, InvalidInput, StaleRecord
from canbo.models import Department, Staff, Title, Unit
from canbo.records import audit, lists, users
from canbo.spreadsheets.workbook import neutralise

# Re-exported: feature modules import the access helpers and formatters from here.
from .access import (  # noqa: F401
    can,
    current_account,
    forbid,
    login_url,
    own_unit,
    scope_units,
    search_words,
    sees,
    unit_choices,
    visible_unit_ids,
)
from .dates import DateConverter
from .formatters import EXPORT_FORMATTERS, LIST_FORMATTERS, vi_date, vi_datetime  # noqa: F401


class SecuredMixin:
    """Access rules shared by every view: a login, and an optional ``permission``
    (``canbo.records.users.PERMISSIONS``) needed just to open the view."""

    permission = None
    #: Whether a self-service account (``users.self_service``: a civil servant's own) may
    #: open the view at all; such views show it only its own records.
    self_service = False

    def is_accessible(self):
        account = current_account()
        if account is None or not account.active:
            return False
        if users.self_service(account) and not self.self_service:
            return False
        return self.permission is None or users.can(account, self.permission)

    def inaccessible_callback(self, name, **kwargs):
        if current_account() is None:
            return redirect(login_url())
        forbid(self.permission, f"mở trang «{self.name}»")


def run_change(work):
    """Run a change of a panel form: its result, or ``None`` after a refusal (a 403 with
    the domain's message) or another domain error (flashed); the caller redirects."""
    try:
        return work()
    except Forbidden as exc:
        abort(403, exc.message)
    except CanboError as exc:
        flash(exc.message, "error")
        return None


class SecureView(SecuredMixin, BaseView):
    """A Flask-Admin ``BaseView`` that needs a login (and ``permission``)."""


class SecureIndexView(SecuredMixin, AdminIndexView):
    """The panel's home, login required."""


# --- model views ------------------------------------------------------------------------


#: The search box's hint on a list of people (``search_words``: case and diacritics
#: ignored), short enough to be read whole in the box.
NAME_SEARCH_HINT = "Tìm họ tên (có dấu hoặc không)"

EDIT_ENDPOINTS = {"create_view", "edit_view", "ajax_update"}
#: The hidden field of a versioned record's form (``Versioned``): the version it was read at.
VERSION_FIELD = "record_version"
DELETE_ENDPOINTS = {"delete_view"}


class SecureModelView(SecuredMixin, ModelView):
    """A peewee ``ModelView`` with login, permission checks, unit scoping and audit logging.

    Subclasses set:
    - ``unit_column``: the column holding a row's unit id (``Staff.unit``); ``None`` means
      the rows belong to no unit (lists, the audit log) and are not scoped;
    - ``unit_joins``: models to join to reach ``unit_column`` (e.g. ``[Staff]``);
    - ``self_service`` and ``own_column``: a civil servant's own account opens the view and
      sees the rows whose ``own_column`` is its staff id (``Staff.id``, ``Rating.staff``);
    - ``edit_permission``: the permission needed to create and edit (``None`` = read-only);
    - ``delete_permission``: the permission needed to delete (``None`` = never deleted);
    - ``audit_reason``: add a "Lý do thay đổi" field whose text goes to the audit log;
    - ``name_search_column``: a folded-name column the search box matches word by word
      (``search_words``), instead of Flask-Admin's LIKE on raw text.
    """

    unit_column = None
    unit_joins = ()
    #: The column naming a row's person, for views a self-service account may open
    #: (``self_service = True``): it sees only the rows where it is its own staff id.
    own_column = None
    name_search_column = None
    edit_permission = None
    delete_permission = None
    audit_reason = False
    can_view_details = True
    can_export = False
    page_size = 50
    can_set_page_size = True
    page_size_options = (20, 50, 100)
    model_form_converter = DateConverter  # dates typed and shown dd/mm/yyyy
    column_type_formatters = LIST_FORMATTERS
    column_type_formatters_detail = LIST_FORMATTERS
    column_type_formatters_export = EXPORT_FORMATTERS

    # Buttons and endpoints follow the user's permissions, per request.
    @property
    def can_create(self):
        return self._allowed(self.edit_permission) and self.allow_create

    @property
    def can_edit(self):
        return self._allowed(self.edit_permission)

    @property
    def can_delete(self):
        return self._allowed(self.delete_permission)

    allow_create = True

    def _allowed(self, permission):
        return permission is not None and has_request_context() and can(permission)

    def _handle_view(self, name, **kwargs):
        response = super()._handle_view(name, **kwargs)
        if response is not None:
            return response
        if name == "create_view" and not self.can_create:
            forbid(self.edit_permission, f"thêm mới mục «{self.name}»")
        if name in EDIT_ENDPOINTS and not (self.can_edit or self.can_create):
            forbid(self.edit_permission, f"sửa mục «{self.name}»")
        if name in DELETE_ENDPOINTS and not self.can_delete:
            forbid(self.delete_permission, f"xóa mục «{self.name}»")
        if name == "export" and not self.can_export:
            forbid(None, f"xuất tệp mục «{self.name}»")
        return None

    # -- scoping: every read goes through get_query ------------------------------------
    def base_query(self):
        """The unscoped query; override to select related rows in the same query."""
        return self.model.select()

    def scope(self, query):
        account = current_account()
        if users.self_service(account):
            # a civil servant's own rows only (``own_column``), whatever the unit
            return query.where(self.own_column == account.staff_id)
        if self.unit_column is None:
            return query
        ids = visible_unit_ids()
        if ids is None:
            return query
        for model in self.unit_joins:
            query = query.switch(self.model).join(model)
        return query.where(self.unit_column.in_(ids)).switch(self.model)

    def get_query(self):
        query = self.scope(self.base_query())
        if self.name_search_column is not None:
            query = search_words(query, self.name_search_column, g.get("name_search"))
        return query

    def count_query(self, search):
        """The rows to count for the list's total, without the joins that only fetch
        related rows for display (``None``: count ``get_query()``).  Views that define it
        set ``simple_list_pager = True`` so that Flask-Admin does not count as well."""
        return None

    def get_list(self, page, sort_column, sort_desc, search, filters, execute=True,
                 page_size=None):
        if self.name_search_column is not None:
            # Flask-Admin's own search is a LIKE on the raw text; ours matches word starts
            # of the folded name (``search_words``) and is applied in get_query.
            g.name_search = search
            search = None
        # ?page=99999999999999999999 would be an OFFSET past what the database holds: a
        # page past the end is an empty page, whatever its number.
        page = min(page or 0, MAX_INT // max(page_size or self.page_size or 1, *self.page_size_options))
        count, data = super().get_list(page, sort_column, sort_desc, search, filters,
                                       execute=execute, page_size=page_size)
        counted = self.count_query(g.get("name_search"))
        if counted is not None:
            for index, _, value in filters or ():
                flt = self._filters[index]
                counted = flt.apply(counted, flt.clean(value))
            count = counted.count()
        return count, data

    def get_one(self, id):
        try:
            pk = self.model._meta.primary_key.db_value(id)
        except (TypeError, ValueError):
            abort(404)
        if isinstance(pk, int) and not 0 < pk <= MAX_INT:
            abort(404)
        row = self.get_query().where(self.model._meta.primary_key == pk).first()
        if row is None:
            abort(404)
        return row

    def lookup_query(self, model):
        """The rows of ``model`` a form may link to: only those of visible units."""
        ids = visible_unit_ids()
        if ids is None:
            return model.select()
        if model is Unit:
            return Unit.select().where(Unit.id.in_(ids))
        if model is Staff:
            return Staff.select().where(Staff.unit.in_(ids))
        if model in (Department, Title):  # the shared rows and the user's units' own
            return lists.visible(current_account(), model)
        return model.select()

    def _scope_form(self, form):
        for field in form:
            if hasattr(field, "query") and hasattr(field, "model"):
                field.query = self.lookup_query(field.model)
        return form

    def create_form(self, obj=None):
        return self._scope_form(super().create_form(obj))

    def edit_form(self, obj=None):
        form = self._scope_form(super().edit_form(obj))
        field = getattr(form, VERSION_FIELD, None)
        if field is not None and obj is not None and not field.raw_data:
            field.data = obj.version  # the form as opened; a post brings it back
        return form

    def _create_ajax_loader(self, name, options):
        return ScopedAjaxLoader(self, name, getattr(self.model, name).rel_model, **options)

    def scaffold_form(self):
        form_class = super().scaffold_form()
        for name in dir(form_class):
            field = getattr(form_class, name, None)
            if isinstance(field, UnboundField) and isinstance(field.field_class, type) and \
                    issubclass(field.field_class, SelectQueryField):
                field.field_class = _checked_select(field.field_class)
        # Field labels come from the domain's words (column_labels), not column names.
        for name, label in (self.column_labels or {}).items():
            field = getattr(form_class, name, None)
            if not isinstance(field, UnboundField):
                continue
            if not (field.args and isinstance(field.args[0], str)):  # args[0]: a label
                field.kwargs["label"] = label
        if "version" in self.model._meta.fields:
            setattr(form_class, VERSION_FIELD, HiddenField())
        if self.audit_reason:
            form_class.audit_reason = StringField(
                "Lý do thay đổi", description="Ghi vào Nhật ký thay đổi (không bắt buộc)."
            )
        return form_class

    def row_unit_id(self, model):
        """The unit id ``model`` belongs to, for the check that edits stay in scope."""
        if self.unit_column is None or self.unit_column.model is not self.model:
            return None
        return model.__data__.get(self.unit_column.name)

    def on_model_change(self, form, model, is_created):
        unit_id = self.row_unit_id(model)
        if self.unit_column is not None and not sees(unit_id):
            raise Forbidden("Bạn chỉ được ghi hồ sơ thuộc đơn vị mình quản lý.", unit=unit_id)

    # -- audit: one entry per change, in the change's transaction ----------------------
    # The values before the change are kept per request (``g``), never on the view,
    # which the server's threads share.
    @property
    def before(self):
        """The row's values as loaded, before the form changed them (``{}`` on create)."""
        return g.get("audit_before", {})

    def create_model(self, form):
        g.audit_before = {}
        return self._atomic(super().create_model, form)

    def update_model(self, form, model):
        g.audit_before = audit.snapshot(model)
        result = self._atomic(super().update_model, form, model)
        stale = g.pop("stale_record", None)
        if stale is not None and getattr(form, VERSION_FIELD, None) is not None:
            form[VERSION_FIELD].data = stale.data["current"]  # saving again overwrites
        return result

    def _on_model_change(self, form, model, is_created):
        super()._on_model_change(form, model, is_created)
        # Last before the save: the version the form was opened at (``Versioned``).
        field = getattr(form, VERSION_FIELD, None)
        if field is not None and not is_created and field.data not in (None, ""):
            number = _row_id(field.data)
            if number is None:
                raise InvalidInput("Biểu mẫu gửi phiên bản hồ sơ không hợp lệ; hãy mở lại "
                                   "trang sửa.", field=VERSION_FIELD)
            model.version = number

    def delete_model(self, model):
        return self._atomic(super().delete_model, model)

    def _atomic(self, method, *args):
        with database.atomic() as txn:
            result = method(*args)
            if not result:
                txn.rollback()
        return result

    def after_model_change(self, form, model, is_created):
        reason = getattr(getattr(form, "audit_reason", None), "data", None) or None
        audit.record(
            current_account() or "system", "create" if is_created else "update", model,
            changes=self.changes(model), reason=reason,
        )

    def changes(self, model):
        """``{field: [before, after]}`` of this change, for the audit log."""
        return audit.diff(self.before, audit.snapshot(model))

    def on_model_delete(self, model):
        audit.record(current_account() or "system", "delete", model,
                     changes=audit.diff(audit.snapshot(model), {}))

    def search_placeholder(self):
        """What the search box finds, short enough to be read whole in its box (a list
        of people: their names, typed with or without diacritics)."""
        if not self._search_supported:
            return None
        columns = list(self.column_searchable_list or ())
        if self.name_search_column is not None or any(c is Staff.search_name for c in columns):
            return NAME_SEARCH_HINT
        labels = [(self.column_labels or {}).get(c.name, c.name) for c in columns]
        return "Tìm theo " + ", ".join(label[:1].lower() + label[1:] for label in labels)

    def get_export_value(self, model, name):
        """A cell of the list's export.  In CSV, text that starts like a formula (a name,
        and a related row's too: the person of a rating, a unit, a title) is neutralised
        so that it never runs in the user's spreadsheet program; the XLSX export writes
        every text as a text cell (``exports.xlsx_response``)."""
        value = super().get_export_value(model, name)
        if value is not None and not isinstance(value, (str, bool, int, float, decimal.Decimal,
                                                         datetime.date)):
            value = str(value)  # a related row, as the list shows it
        return neutralise(value) if g.get("export_csv") else value

    def _export_csv(self, return_url):
        g.export_csv = True
        return super()._export_csv(return_url)

    def _export_tablib(self, export_type, return_url):
        if export_type == "xlsx":
            from .exports import xlsx_response

            return xlsx_response(self)
        return super()._export_tablib(export_type, return_url)

    def _get_filter_groups(self):
        # Flask-Admin evaluates filter options once, at start-up; options that depend on
        # the user (their units, the years they have) are evaluated per request instead.
        groups = super()._get_filter_groups()
        for items in (groups or {}).values():
            for item in items:
                flt = self._filters[item["index"]]
                if callable(flt.options):
                    item["options"] = [(k, str(v)) for k, v in flt.options()] or None
        return groups

    def get_export_name(self, export_type="csv"):
        return f"{self.endpoint}-{datetime.date.today():%Y%m%d}.{export_type}"

    def handle_view_exception(self, exc):
        if isinstance(exc, StaleRecord):
            g.stale_record = exc
        if isinstance(exc, CanboError):
            flash(exc.message, "error")
            return True
        if isinstance(exc, peewee.IntegrityError):
            flash("Không lưu được: bản ghi trùng với một bản ghi đã có, hoặc đang được "
                  "bản ghi khác sử dụng.", "error")
            return True
        return super().handle_view_exception(exc)


class IfAllowed:
    """A row action drawn only on the rows ``allowed(row)`` says the user may change."""

    def __init__(self, action, allowed):
        self.action, self.allowed = action, allowed

    @pass_context
    def render_ctx(self, context, row_id, row):
        return self.action.render(context, row_id, row) if self.allowed(row) else Markup("")


def _row_id(pk):
    """``pk`` as a row id the database can hold, or ``None`` ("abc", 99999999999999999999)."""
    try:
        number = int(pk)
    except (TypeError, ValueError):
        return None
    return number if 0 < number <= MAX_INT else None


@functools.lru_cache(maxsize=None)
def _checked_select(field_class):
    """A select box that looks up the row a form sent only when its id is one the database
    can hold; anything else is no row, so the field says "not a valid choice" instead of
    the query failing."""

    class Checked(field_class):
        def get_model(self, pk):
            number = _row_id(pk)
            return None if number is None else super().get_model(number)

        def pre_validate(self, form):
            data = self.data
            if data is not None and not isinstance(data, self.model) and _row_id(data) is None:
                raise ValidationError(self.gettext("Not a valid choice."))
            super().pre_validate(form)

    Checked.__name__ = field_class.__name__
    return Checked


class ScopedAjaxLoader(QueryAjaxModelLoader):
    """The search behind an AJAX select box (``form_ajax_refs``), limited to the rows the
    user may link to (``SecureModelView.lookup_query``); a person is found by the word
    starts of the folded name, like the staff list's search."""

    def __init__(self, view, name, model, **options):
        super().__init__(name, model, **options)
        self.view = view

    def get_one(self, pk):
        if _row_id(pk) is None:
            return None
        return self.view.lookup_query(self.model).where(
            self.model._meta.primary_key == pk).first()

    def get_list(self, term, offset=0, limit=10):
        query = self.view.lookup_query(self.model)
        if self.model is Staff:
            query = search_words(query, Staff.search_name, term).order_by(Staff.sort_name)
        elif term:
            like = None
            for field in self._cached_fields:
                clause = field ** f"%{term}%"
                like = clause if like is None else like | clause
            query = query.where(like)
        return list(query.offset(offset or 0).limit(limit))


def choice_filter(column, name, options):
    """An equality filter shown as a drop-down; ``options`` may be a callable."""
    return FilterEqual(column=column, name=name, options=options)
