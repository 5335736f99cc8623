"""ND 335 monthly tracking in the panel: the officer's grid, a person's sheet, confirm/return.

- ``/admin/tracking/``: people × months of a unit and year, each cell the period score
  or what is missing, with the running average and the proposed level (the
  ``tracking.read`` permission; scoped to the user's units).
- ``/admin/tracking/sheet/<staff>/<year>/<month>``: form Mẫu 01 of one person; the
  person (an account linked to that staff record) self-scores it, the evaluator —
  the chairman, the competent person for commune civil servants (REFERENCE.md §6) —
  scores, comments, confirms (which locks the month) or returns it with a reason.
A thin layer over ``canbo.tracking.sheets`` and ``year_points``, which decide who may do
what: a refusal is a 403 with its message, other domain errors are flashed.
"""
import datetime

from flask import abort, flash, redirect, request, url_for
from flask_admin import expose

from canbo.errors import CanboError, Forbidden
from canbo.levels import SheetStatus
from canbo.models import Staff
from canbo.models.tracking import Assignment, Sheet, SheetItem
from canbo.records import units
from canbo.rules import rulesets, scoring
from canbo.tracking import sheets
from canbo.tracking import year_points as yp

from .base import SecureView, can, current_account, sees
from .dashboard import chosen_unit, chosen_year

FIRST_YEAR = rulesets.MONTHLY_TRACKING_FROM


def _person(staff_id):
    """The staff record if the user may see it: their own, or one of their units' with
    ``tracking.read``; else 404."""
    person = Staff.get_or_none(Staff.id == staff_id)
    if person is None or not sees(person.unit_id, person.id, "tracking.read"):
        abort(404)
    return person


def _scores(prefix):
    """``{code: value}`` of the form fields ``prefix-<code>`` that were filled in."""
    out = {}
    for key, value in request.form.items():
        if key.startswith(prefix) and value.strip():
            out[key[len(prefix):]] = value.strip()  # read by the domain: "2,5" or "2.5"
    return out


class TrackingView(SecureView):
    """Every logged-in role may open it; the grid needs ``tracking.read``."""

    @expose("/")
    def index(self):
        account = current_account()
        if not can("tracking.read"):
            if account.staff_id:
                return redirect(url_for(".sheet", staff_id=account.staff_id,
                                        year=max(FIRST_YEAR, datetime.date.today().year),
                                        month=datetime.date.today().month))
            abort(403)
        today = datetime.date.today()
        unit = chosen_unit(request.args.get("unit", "").strip())
        year = max(FIRST_YEAR, chosen_year(request.args.get("year"), today))
        grid = yp.year_grid(year, units.unit_ids(unit)) if unit else []
        periods = sorted({m for p in grid for m in p.cells}) or list(range(1, 13))
        return self.render("admin/tracking_grid.html", unit=unit, year=year, grid=grid,
                           periods=periods, num=_num, years=range(today.year + 1, 2025, -1))

    @expose("/sheet/<int:staff_id>/<int:year>/<int:month>", methods=("GET", "POST"))
    def sheet(self, staff_id, year, month):
        person = _person(staff_id)
        account = current_account()
        own = sheets.may_self_score(account, person)
        evaluator = sheets.may_evaluate(account, person, year, month)
        if not 1 <= month <= 12 or year < FIRST_YEAR:
            abort(404)
        if request.method == "POST":
            try:
                self._post(person, year, month)
            except Forbidden as exc:
                abort(403, exc.message)
            except CanboError as exc:
                flash(exc.message, "error")
            return redirect(request.path)
        setting = sheets.setting_for(person.unit_id, year)
        end = sheets.period_end(month, setting.period)
        found = Sheet.get_or_none(Sheet.staff == person, Sheet.year == year, Sheet.month == end)
        rules = sheets.rules_of(setting)
        if found is not None:
            items = [(i.code, i.label, i.max_points, i.self_points, i.points)
                     for i in found.items.order_by(SheetItem.position)]
            try:
                sheets.compute(found)
            except CanboError:
                pass  # nothing assigned yet: the sheet shows the missing state
        else:
            items = [(code, label, top, None, None) for code, label, top in rules.items()]
        rows = (Assignment.select().where(
            Assignment.staff == person, Assignment.year == year,
            Assignment.month.in_(sheets.period_months(month, setting.period)))
            .order_by(Assignment.month, Assignment.id))
        return self.render("admin/tracking_sheet.html", person=person, year=year, month=end,
                           period=setting.period, sheet=found, items=items, rows=list(rows),
                           own=own, evaluator=evaluator, rules=rules, num=_num,
                           statuses=SheetStatus.labels())

    def _post(self, person, year, month):
        action = request.form.get("action")
        if action not in ("self", "evaluate", "confirm", "return"):
            abort(400)
        sheet = sheets.sheet_for(person, year, month)
        account = current_account()
        if action == "self":
            sheets.self_score(account, sheet, _scores("self-"), request.form.get("strengths"),
                              request.form.get("weaknesses"))
            flash("Đã lưu phần tự đánh giá.", "success")
        elif action in ("evaluate", "confirm"):
            leader = {k: request.form.get(k) or None for k in ("d", "dd", "e")}
            sheets.evaluate(account, sheet, _scores("eval-"),
                            comment=request.form.get("comment"), **leader)
            if action == "confirm":
                sheets.confirm(account, sheet)
                flash("Đã xác nhận phiếu; kỳ này đã khóa.", "success")
            else:
                flash("Đã lưu điểm đánh giá.", "success")
        else:
            sheets.return_sheet(account, sheet, request.form.get("reason"))
            flash("Đã trả lại phiếu.", "success")


def _num(value):
    return scoring.points_text(value)


def register(app, admin):
    admin.add_view(TrackingView(name="Theo dõi, đánh giá hằng tháng", endpoint="tracking",
                                url="/admin/tracking"))
