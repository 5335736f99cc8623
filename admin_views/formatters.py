"""How values read on the panel's screens and exports: dates dd/mm/yyyy, decimals with a
comma, yes/no in Vietnamese (REFERENCE.md §10).

These are Flask-Admin's formatter signatures around ``canbo.vietnamese``, which writes
every number and date the same way on the screens, the printed forms and the CLI;
``register`` gives the panel's templates the same formatters as Jinja filters.
"""
import datetime
import decimal

from flask_admin.model import typefmt
from markupsafe import Markup

from canbo import vietnamese
from canbo.rules import rulesets, scoring

from . import dates


def vi_date(view, value, name=None):
    return vietnamese.vi_date(value)


def vi_datetime(view, value, name=None):
    return vietnamese.vi_datetime(value)


def vi_points(view, value, name=None):
    # The decimals the panel's model views show are points, kept to two places: shown as
    # ``canbo score`` and the printed forms show them.
    return vietnamese.vi_points(value)


def points(view, context, model, name):
    """A rating's points as shown: rounded for reading; the stored value decides."""
    return scoring.points_text(getattr(model, name))


def rule_set_short(code):
    """A rule set as a person names it ("NĐ 90/2020, NĐ 48/2023"), never its code
    (``ND90_ND48_2023``): the template filter ``rule_set``; the full title is
    ``rulesets.LABELS``."""
    rule_set = rulesets.RULE_SETS.get(code)
    return rule_set.short if rule_set else (code or "")


def yes_no(view, value, name=None):
    return "Có" if value else "Không"


def yes_no_icon(view, value, name=None):
    return Markup('<span class="text-success">Có</span>') if value else "–"


# Flask-Admin takes the first type the value is an instance of, and a datetime is a
# date: datetime comes first, or the audit log's times would read as bare dates.
LIST_FORMATTERS = {**typefmt.BASE_FORMATTERS, **{
    type(None): lambda view, value, name: "",
    datetime.datetime: vi_datetime,
    datetime.date: vi_date,
    decimal.Decimal: vi_points,
    bool: yes_no_icon,
}}
EXPORT_FORMATTERS = {**typefmt.EXPORT_FORMATTERS, **{
    datetime.datetime: vi_datetime,
    datetime.date: vi_date,
    bool: yes_no,
}}


def register(app, admin):
    app.jinja_env.filters.update(vietnamese.TEMPLATE_FILTERS)
    app.jinja_env.filters["rule_set"] = rule_set_short
    dates.register(app)  # the date fields' reading, showing and picker
