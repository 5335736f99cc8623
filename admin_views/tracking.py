"""ND 335 monthly tracking in the panel: the officer's grid, a person's sheet, confirm/return.

- ``/admin/tracking/``: people × months of a unit and year, each cell the period score
  or what is missing and who must act, overdue cells marked, each month's deadline in
  the header, with the running average and the proposed level (the ``tracking.read``
  permission; scoped to the user's units); ``/admin/tracking/deadline`` (POST) sets the
  unit's deadline working day (``tracking.assign``).
- ``/admin/tracking/parts?unit=CODE&year=Y&period=q1…q4|h1|h2``: the quarter and
  half-year results per person (Điều 17.3, 23; ``spreadsheets.parts``), ``&format=xlsx``
  the same as an XLSX download (``tracking.read``).
- ``/admin/tracking/sheet/<staff>/<year>/<month>``: form Mẫu 01 of one person; the
  person (an account linked to that staff record) self-scores it, the evaluator —
  the chairman, the competent person for commune civil servants (REFERENCE.md §6) —
  scores, comments, confirms (which locks the month) or returns it with a reason.
A thin layer over ``canbo.tracking.sheets`` and ``year_points``, which decide who may do
what: a refusal is a 403 with its message, other domain errors are flashed.
"""
import datetime
import io
from urllib.parse import quote

from flask import Response, abort, flash, make_response, redirect, request, url_for
from flask_admin import expose

from canbo import db as dbm
from canbo.documents.render import file_name
from canbo.errors import CanboError, Forbidden, InvalidInput
from canbo.levels import SheetStatus
from canbo.models import Staff
from canbo.models.tracking import Assignment, Evidence, Sheet, SheetItem
from canbo.records import units
from canbo.rules import rulesets, scoring
from canbo.spreadsheets import parts as year_parts
from canbo.spreadsheets import workbook
from canbo.tracking import evaluators, sheets, status
from canbo.tracking import year_points as yp
from canbo.vietnamese import vi_date

from .base import SecureView, can, current_account, forbid, run_change, sees
from .dashboard import chosen_unit, chosen_year

FIRST_YEAR = rulesets.MONTHLY_TRACKING_FROM
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: People per page of the grid: its queries read only the page's people (bench_monthly).
GRID_PAGE = 50


def _int_arg(name, default):
    try:
        number = int(request.args.get(name, default))
    except (TypeError, ValueError):
        return default
    return number if abs(number) <= dbm.MAX_INT else default


def _person(staff_id, year=None, month=None):
    """The staff record if the user may see it: their own, one of their units' with
    ``tracking.read``, or — given the period — their evaluatee's (Điều 10.1); else 404."""
    person = Staff.get_or_none(Staff.id == staff_id)
    if person is None or not (
            sees(person.unit_id, person.id, "tracking.read")
            or (year is not None and 1 <= month <= 12 and year >= FIRST_YEAR
                and sheets.may_evaluate(current_account(), person, year, month))):
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

    self_service = True  # a civil servant's own sheets, an evaluator's evaluatees'

    def is_visible(self):
        # In the menu only for whom its page opens: the grid (tracking.read) or one's own
        # sheet (an account bound to a staff record); the viewer would meet a 403.
        account = current_account()
        return account is not None and bool(can("tracking.read") or account.staff_id)

    @expose("/")
    def index(self):
        account = current_account()
        if not can("tracking.read"):
            if account.staff_id:
                return redirect(url_for(".sheet", staff_id=account.staff_id,
                                        year=max(FIRST_YEAR, datetime.date.today().year),
                                        month=datetime.date.today().month))
            forbid("tracking.read", "xem bảng theo dõi hằng tháng")
        today = datetime.date.today()
        unit = chosen_unit(request.args.get("unit", "").strip())
        year = max(FIRST_YEAR, chosen_year(request.args.get("year"), today))
        below = units.unit_ids(unit) if unit else []
        ids = yp.people_ids(year, below) if unit else []
        pages = max(1, -(-len(ids) // GRID_PAGE))
        page = min(max(_int_arg("page", 1), 1), pages)
        shown = ids[(page - 1) * GRID_PAGE:page * GRID_PAGE]
        grid = (status.year_status(year, below, status.current_date(), staff_ids=shown)
                if shown else [])
        periods = sorted({m for p in grid for m in p.months}) or list(range(1, 13))
        working_day, due = status.unit_deadlines(unit, year, periods) if unit else (None, {})
        return self.render("admin/tracking_grid.html", unit=unit, year=year, grid=grid,
                           periods=periods, num=_num, years=range(today.year + 1, 2025, -1),
                           due=due, working_day=working_day, vi_date=vi_date,
                           max_working_day=status.MAX_WORKING_DAY,
                           sets_deadline=unit is not None and can("tracking.assign"),
                           page=page, pages=pages, total=len(ids), page_size=GRID_PAGE,
                           first_month=status.first_month_of(unit.id, year) if unit else None,
                           first_year=year == FIRST_YEAR)

    @expose("/parts")
    def parts(self):
        """The quarter or half-year results of the unit's people, as a table or XLSX."""
        if not can("tracking.read"):
            abort(403)
        today = datetime.date.today()
        unit = chosen_unit(request.args.get("unit", "").strip())
        if unit is None:
            abort(404)
        year = max(FIRST_YEAR, chosen_year(request.args.get("year"), today))
        period = request.args.get("period") or f"q{(today.month + 2) // 3}"
        try:
            quarter, half = year_parts.parse(period)
            result = year_parts.parts_of_year(unit, year, quarter, half)
        except CanboError as exc:
            flash(exc.message, "error")
            return redirect(url_for(".parts", unit=unit.code, year=year))
        if request.args.get("format") == "xlsx":
            out = io.BytesIO()
            workbook.write_xlsx([year_parts.table(result)], out)
            name = file_name("ket qua theo doi", result.label, year, unit.code)[:-4] + ".xlsx"
            return Response(out.getvalue(), mimetype=XLSX_MIMETYPE, headers={
                "Content-Disposition": f'attachment; filename="{name}"'})
        return self.render("admin/tracking_parts.html", unit=unit, year=year, result=result,
                           period=period.strip().lower(), num=_num,
                           missing=year_parts.missing_text,
                           years=range(today.year + 1, FIRST_YEAR - 1, -1))

    @expose("/deadline", methods=("POST",))
    def deadline(self):
        """The unit's working day of the next month on which a period is due."""
        unit = chosen_unit(request.form.get("unit", "").strip())
        year = max(FIRST_YEAR, chosen_year(request.form.get("year"), datetime.date.today()))
        try:
            status.set_working_day(current_account(), unit, year,
                                   request.form.get("working_day", ""))
        except Forbidden as exc:
            abort(403, exc.message)
        except CanboError as exc:
            flash(exc.message, "error")
        else:
            flash(f"Đã đặt hạn nộp phiếu: ngày làm việc thứ "
                  f"{status.unit_working_day(unit.id, year)} của tháng sau.", "success")
        return redirect(url_for(".index", unit=unit.code, year=year))

    @expose("/first-month", methods=("POST",))
    def first_month(self):
        """The month from which the unit tracked its first ND 335 year."""
        unit = chosen_unit(request.form.get("unit", "").strip())
        year = max(FIRST_YEAR, chosen_year(request.form.get("year"), datetime.date.today()))
        try:
            setting = status.set_first_month(current_account(), unit, year,
                                             request.form.get("first_month", ""))
        except Forbidden as exc:
            abort(403, exc.message)
        except CanboError as exc:
            flash(exc.message, "error")
        else:
            flash(f"Năm {year} theo dõi từ tháng {setting.first_month}; điểm năm là trung "
                  "bình các tháng được theo dõi." if setting.first_month else
                  f"Năm {year} theo dõi đủ 12 tháng.", "success")
        return redirect(url_for(".index", unit=unit.code, year=year))

    @expose("/sheet/<int:staff_id>/<int:year>/<int:month>", methods=("GET", "POST"))
    def sheet(self, staff_id, year, month):
        person = _person(staff_id, year, month)
        if not 1 <= month <= 12 or year < FIRST_YEAR:
            abort(404)
        account = current_account()
        own = sheets.may_self_score(account, person)
        evaluator = sheets.may_evaluate(account, person, year, month)
        if request.method == "POST":
            run_change(lambda: self._post(person, year, month))
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
        why = sheets.breakdown(person, year, month, rules)
        files = {}
        for f in (Evidence.select(Evidence.id, Evidence.assignment, Evidence.filename,
                                  Evidence.size)
                  .where(Evidence.assignment.in_([r.id for r, _ in why["rows"]]))):
            files.setdefault(f.assignment_id, []).append(f)
        choice = evaluators.of(person, year, end)
        return self.render("admin/tracking_sheet.html", person=person, year=year, month=end,
                           period=setting.period, sheet=found, items=items, why=why,
                           files=files, own=own, evaluator=evaluator, rules=rules,
                           num=_num, statuses=SheetStatus.labels(), choice=choice,
                           assigns=_may_assign(account, person, year, end),
                           first_month=setting.first_month if year == FIRST_YEAR else None,
                           today=datetime.date.today())

    @expose("/evidence/<int:file_id>")
    def evidence(self, file_id):
        """An evidence file, to whoever may read the person's sheet."""
        found = Evidence.get_or_none(Evidence.id == file_id)
        if found is None:
            abort(404)
        row = found.assignment
        account = current_account()
        person = _person(row.staff_id, row.year, row.month)
        if not (sheets.may_self_score(account, person) or can("tracking.read")
                or sheets.may_evaluate(account, person, row.year, row.month)):
            abort(404)
        response = make_response(bytes(found.data))  # PostgreSQL gives a memoryview
        response.headers["Content-Type"] = found.content_type
        response.headers["Content-Disposition"] = (
            "attachment; filename*=UTF-8''" + quote(found.filename))
        response.headers["X-Content-Type-Options"] = "nosniff"
        return response

    def _post(self, person, year, month):
        action = request.form.get("action", "")
        account = current_account()
        if action.split("-")[0] in ("result", "review", "evidence"):
            return self._post_row(person, action)
        if action not in ("draft", "self", "evaluate", "confirm", "return"):
            abort(400)
        sheet = sheets.sheet_for(person, year, month)
        if action in ("draft", "self"):
            sheets.self_score(account, sheet, _scores("self-"), request.form.get("strengths"),
                              request.form.get("weaknesses"), submit=action == "self")
            flash("Đã gửi phiếu tự đánh giá cho người đánh giá." if action == "self"
                  else "Đã lưu nháp phần tự đánh giá.", "success")
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

    def _post_row(self, person, action):
        kind, _, row_id = action.partition("-")
        row = Assignment.get_or_none(Assignment.id == int(row_id)) if row_id.isdigit() else None
        if row is None or row.staff_id != person.id:
            abort(404)
        account = current_account()
        form = request.form
        if kind == "result":
            sheets.record_result(account, row, completed=form.get(f"completed-{row.id}", ""),
                                 completed_on=form.get(f"completed_on-{row.id}", ""),
                                 evidence=form.get(f"evidence-{row.id}", ""))
            flash(f"Đã ghi kết quả «{row.product.name}».", "success")
        elif kind == "review":
            sheets.record_result(account, row,
                                 failed_reviews=form.get(f"failed-{row.id}", ""),
                                 delays=form.get(f"delays-{row.id}", ""),
                                 objective_cause=form.get(f"objective-{row.id}") == "on")
            flash(f"Đã ghi đánh giá chất lượng, tiến độ «{row.product.name}».", "success")
        else:
            upload = request.files.get(f"file-{row.id}")
            if upload is None or not upload.filename:
                raise InvalidInput("Chưa chọn tệp minh chứng.", field="file")
            data = upload.stream.read(sheets.MAX_EVIDENCE_BYTES + 1)
            sheets.add_evidence(account, row, upload.filename, data)
            flash(f"Đã đính kèm «{upload.filename}».", "success")


def _may_assign(account, person, year, month):
    try:
        sheets.check_assign(account, person, year, month)
    except Forbidden:
        return False
    return True


def _num(value):
    return scoring.points_text(value)


def register(app, admin):
    admin.add_view(TrackingView(name="Theo dõi, đánh giá hằng tháng", endpoint="tracking",
                                url="/admin/tracking"))
