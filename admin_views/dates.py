"""The panel's date fields: typed dd/mm/yyyy (or d/m/yyyy), shown dd/mm/yyyy, with a
Vietnamese picker — on the record forms as on the cycle's and the catalogue's screens.

Reading and writing are ``canbo.vietnamese``'s (``parse_date``, ``vi_date``), the same as
the lists, the CLI and the importer.  ``DateField`` replaces the ISO-only field that
Flask-Admin's peewee converter gives every date column (``DateConverter``, the
``model_form_converter`` of ``SecureModelView``; inline rows use it too).

The picker is the one Flask-Admin ships (bootstrap-daterangepicker 1.3 over moment),
started by ``static/canbo-dates.js`` on every ``<input data-role="canbo-date">`` with
Vietnamese month and weekday names, Monday first, and a dd/mm/yyyy format passed as its
options (moment's own locale is not needed: the format is all digits).  The script is a
static file of the panel, so the Content-Security-Policy needs no inline script; it lets
the person type freely — the picker follows a complete date, it never rewrites half a
date as Flask-Admin's own start-up of the picker does.  Our ``data-role`` is not
Flask-Admin's ``datepicker``, so that ``form.js`` leaves these fields to us.
"""
from flask import Blueprint
from flask_admin.contrib.peewee.form import CustomModelConverter
from markupsafe import Markup
from wtforms import fields, widgets

from canbo.vietnamese import DATE_HINT, parse_date, vi_date

#: The attributes that make a text input a Vietnamese date field; hand-written forms
#: write ``<input {{ date_attrs }} … placeholder="dd/mm/yyyy">``.
ATTRIBUTES = {"data-role": "canbo-date", "autocomplete": "off"}


class DateInput(widgets.TextInput):
    def __call__(self, field, **kwargs):
        for name, value in {**ATTRIBUTES, "placeholder": DATE_HINT}.items():
            kwargs.setdefault(name, value)
        return super().__call__(field, **kwargs)


class DateField(fields.DateField):
    """A date typed dd/mm/yyyy, d/m/yyyy or YYYY-MM-DD; shown dd/mm/yyyy."""

    widget = DateInput()

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.pop("format", None)
        super().__init__(label, validators, format="%d/%m/%Y", **kwargs)

    def _value(self):
        if self.raw_data:
            return " ".join(self.raw_data)
        return vi_date(self.data)

    def process_formdata(self, valuelist):
        if not valuelist:
            return
        try:
            self.data = parse_date(" ".join(valuelist))
        except ValueError as exc:
            self.data = None
            raise ValueError(str(exc)) from None


class DateConverter(CustomModelConverter):
    """Flask-Admin's peewee converter with our ``DateField`` for every date column."""

    def handle_date(self, model, field, **kwargs):
        kwargs.pop("widget", None)
        return field.name, DateField(**kwargs)


def register(app):
    """Serve ``admin_views/static`` (the panel's own scripts) at ``/admin/canbo-static``
    and give templates ``date_attrs``."""
    app.register_blueprint(Blueprint("canbo_static", __name__, static_folder="static",
                                     static_url_path="/admin/canbo-static"))
    attrs = Markup(" ".join(f'{k}="{v}"' for k, v in ATTRIBUTES.items()))
    app.jinja_env.globals["date_attrs"] = attrs
