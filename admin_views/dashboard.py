"""The dashboard: the year at a glance, the home page of chairmen and viewers.

A thin view over ``canbo.dashboard`` and ``canbo.charts``: the charts are SVG rendered
on the server, so the page needs no script and nothing from the internet.  The unit shown
is the user's own (an admin, who has none, sees the top-level unit); another visible
unit is chosen with ``?unit=CODE`` — a unit outside the user's scope is a 404, exactly
like a guessed id in the record views.
"""
import datetime

from flask import Response, abort, redirect, request, url_for
from flask_admin import expose
from markupsafe import Markup

from canbo.errors import CanboError, NoData
from canbo.models import Unit
from canbo.stats import charts, dashboard, reports, yearly_report

from .base import SecureView, can, current_account, forbid, own_unit, sees, visible_unit_ids
from .todo import todo_links

SORTS = [
    ("excellent", "Tỷ lệ xuất sắc"),
    ("progress", "Tiến độ"),
    ("violations", "Vi phạm"),
    ("code", "Mã đơn vị"),
]


def chosen_unit(code):
    """The unit to show: ``code`` if the user may see it, else 404; by default the user's
    own unit, or for an admin the only top-level unit (the first by code if several)."""
    if code:
        unit = Unit.get_or_none(Unit.code == code)
        if unit is None or not (sees(unit.id) or own_unit(unit.id)):
            abort(404, f"Không có đơn vị mã «{code}» trong phạm vi được xem.")
        return unit
    account = current_account()
    if account.unit_id:
        return Unit.get_by_id(account.unit_id)
    return Unit.select().where(Unit.parent.is_null()).order_by(Unit.code).first()


def chosen_year(text, today):
    try:
        year = int(text)
    except (TypeError, ValueError):
        return today.year
    return year if 2000 <= year <= 2100 else today.year


def unit_options(allowed):
    """``[(code, name)]`` of the units to choose from; empty when there is only one."""
    query = Unit.select(Unit.code, Unit.name).order_by(Unit.code)
    if allowed is not None:
        query = query.where(Unit.id.in_(allowed))
    options = list(query.tuples())
    return options if len(options) > 1 else []


class DashboardView(SecureView):
    """Every logged-in role may open it; what it shows is scoped to the user's units."""

    @expose("/")
    def index(self):
        today = datetime.date.today()
        unit = chosen_unit(request.args.get("unit", "").strip())
        if unit is None:
            return self.render("admin/dashboard_empty.html")
        year = chosen_year(request.args.get("year"), today)
        sort = request.args.get("sort", "excellent")
        try:
            board = dashboard.dashboard(unit, year, today=today)
        except CanboError as exc:
            abort(400, exc.message)
        allowed = visible_unit_ids()
        return self.render(
            "admin/dashboard.html",
            board=board,
            units=dashboard.sort_units(board.units, sort),
            sort=sort,
            sorts=SORTS,
            unit_options=unit_options(allowed),
            years=list(range(today.year + 1, today.year - 10, -1)),
            ratings_chart=Markup(charts.rating_distribution_chart(
                board.history, chart_id="chart-ratings",
                title="Kết quả xếp loại chất lượng các năm gần nhất")),
            qualification_chart=Markup(charts.qualification_chart(
                board.qualifications, chart_id="chart-qualifications"))
            if board.qualifications else None,
            meters=[Markup(charts.meter(q.excellent, q.limit, f"{q.label}: số người HTXSNV",
                                        chart_id=f"meter-{i}"))
                    for i, q in enumerate(board.quotas)],
            can_print=can("print"),
            stages=dashboard.STAGES,
            rounding_note=reports.ROUNDING_NOTE,
            todo=todo_links(current_account(), today),
        )


    @expose("/report")
    def report(self):
        """The yearly report's section III.3 of the chosen unit and year, as a PDF (with
        its two charts) or as text to paste (``?format=text``); needs the print right."""
        if not can("print"):
            forbid("print", "in báo cáo")
        today = datetime.date.today()
        unit = chosen_unit(request.args.get("unit", "").strip())
        if unit is None:
            abort(404)
        year = chosen_year(request.args.get("year"), today)
        try:
            result = yearly_report.yearly_report(unit, year)
        except NoData as exc:
            abort(404, exc.message)
        name = f"bao-cao-nam-{year}-{unit.code}"
        if request.args.get("format") == "text":
            return Response(yearly_report.render_text(result), mimetype="text/plain",
                            headers={"Content-Disposition": f'inline; filename="{name}.txt"'})
        return Response(yearly_report.render_pdf(result), mimetype="application/pdf",
                        headers={"Content-Disposition": f'attachment; filename="{name}.pdf"'})


def home_redirect():
    """Those whose home is the dashboard (``dashboard.home``: chairmen and viewers) land
    on it instead of the records home page; the officer and the admin keep the records
    home page and reach the dashboard from the menu."""
    if (request.endpoint == "admin.index" and can("dashboard.home")
            and "home" not in request.args):
        return redirect(url_for("dashboard.index"))
    return None


def register(app, admin):
    admin.add_view(DashboardView(name="Tổng quan", endpoint="dashboard",
                                 url="/admin/dashboard"))
    app.before_request(home_redirect)
