"""How values read on the panel's screens and exports: dates dd/mm/yyyy, yes/no in
Vietnamese (REFERENCE.md §10)."""
import datetime

from flask_admin.model import typefmt
from markupsafe import Markup

from canbo.rules import scoring


def vi_date(view, value, name=None):
    """Dates read dd/mm/yyyy on every screen and export (REFERENCE.md §10)."""
    return value.strftime("%d/%m/%Y")


def vi_datetime(view, value, name=None):
    return value.strftime("%H:%M %d/%m/%Y")


def points(view, context, model, name):
    """A rating's points as shown: rounded for reading; the stored value decides."""
    return scoring.points_text(getattr(model, name))


def yes_no(view, value, name=None):
    return "Có" if value else "Không"


def yes_no_icon(view, value, name=None):
    return Markup('<span class="text-success">Có</span>') if value else "–"


LIST_FORMATTERS = {**typefmt.BASE_FORMATTERS, **{
    type(None): lambda view, value, name: "",
    datetime.date: vi_date,
    datetime.datetime: vi_datetime,
    bool: yes_no_icon,
}}
EXPORT_FORMATTERS = {**typefmt.EXPORT_FORMATTERS, **{
    datetime.date: vi_date,
    datetime.datetime: vi_datetime,
    bool: yes_no,
}}
