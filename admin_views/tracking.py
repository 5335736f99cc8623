"""ND 335 monthly tracking in the panel: the officer's grid, a person's sheet, confirm/return.

- ``/admin/tracking/``: people × months of a unit and year, each cell the period score
  or what is missing, with the running average and the proposed level (officer,
  chairman, admin; scoped to the user's units).
- ``/admin/tracking/sheet/<staff>/<year>/<month>``: form Mẫu 01 of one person; the
  person (an account linked to that staff record) self-scores it, the evaluator —
  the chairman, the competent person for commune civil servants (REFERENCE.md §6) —
  scores, comments, confirms (which locks the month) or returns it with a reason.
A thin layer over ``canbo.sheets`` and ``canbo.year_points``: domain errors become
flashed messages.
"""
import datetime

from flask import abort, flash, redirect, request, url_for
from flask_admin import expose

from canbo.errors import CanboError
from canbo.levels import SheetStatus
from canbo.models import Staff
from canbo.models.tracking import Assignment, Sheet, SheetItem
from canbo.records import units
from canbo.rules import scoring
from canbo.tracking import sheets
from canbo.tracking import year_points as yp
from canbo.vietnamese import vi_points

from .base import SecureView, current_account, visible_unit_ids
from .dashboard import chosen_unit, chosen_year

GRID_ROLES = ("ADMIN", "OFFICER", "CHAIRMAN")
EVALUATOR_ROLES = ("ADMIN", "CHAIRMAN")
FIRST_YEAR = 2026  # ND 335 scores from 2026


def _person(staff_id):
    """The staff record if the user may see it: their own, or one of their units'."""
    person = Staff.get_or_none(Staff.id == staff_id)
    account = current_account()
    if person is None:
        abort(404)
    if account.staff_id == person.id:
        return person
    allowed = visible_unit_ids()
    if account.role not in GRID_ROLES or (allowed is not None and person.unit_id not in allowed):
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
    """Every logged-in role may open it; the grid needs a role of ``GRID_ROLES``."""

    @expose("/")
    def index(self):
        account = current_account()
        if account.role not in GRID_ROLES:
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
        own = account.staff_id == person.id
        evaluator = account.role in EVALUATOR_ROLES and not own
        if not 1 <= month <= 12 or year < FIRST_YEAR:
            abort(404)
        if request.method == "POST":
            try:
                self._post(person, year, month, own, evaluator)
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

    def _post(self, person, year, month, own, evaluator):
        action = request.form.get("action")
        sheet = sheets.sheet_for(person, year, month)
        actor = current_account().username
        if action == "self" and own:
            sheets.self_score(sheet, _scores("self-"), request.form.get("strengths"),
                              request.form.get("weaknesses"), actor=actor)
            flash("Đã lưu phần tự đánh giá.", "success")
        elif action in ("evaluate", "confirm") and evaluator:
            leader = {k: request.form.get(k) or None for k in ("d", "dd", "e")}
            sheets.evaluate(sheet, _scores("eval-"), comment=request.form.get("comment"),
                            actor=actor, **leader)
            if action == "confirm":
                sheets.confirm(sheet, actor=actor)
                flash("Đã xác nhận phiếu; kỳ này đã khóa.", "success")
            else:
                flash("Đã lưu điểm đánh giá.", "success")
        elif action == "return" and evaluator:
            sheets.return_sheet(sheet, request.form.get("reason"), actor=actor)
            flash("Đã trả lại phiếu.", "success")
        else:
            abort(403)


def _num(value):
    return "" if value is None else vi_points(scoring.ScoringRules().round(value))


def register(app, admin):
    admin.add_view(TrackingView(name="Theo dõi, đánh giá hằng tháng", endpoint="tracking",
                                url="/admin/tracking"))
