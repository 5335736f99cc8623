"""ND 335 for the people who do it: my work, my year, the evaluator's queue, assigning work,
who evaluates whom.

- ``/admin/monthly/``: "Việc của tôi" — a person's months (their own staff record, any
  role) and, when they evaluate others, the sheets waiting for them;
- ``/admin/monthly/year/<staff>/<year>``: a person's year, month by month, with the
  average and proposed level (their own, or their units' with ``tracking.read``, or an
  evaluatee's);
- ``/admin/monthly/queue``: the evaluator's queue of a month (Điều 10.1, 17);
- ``/admin/monthly/assign/<staff>/<year>/<month>``: assign catalogue products, one to
  several people, copy last month, reassign (Điều 18.1) — the evaluator or the officer;
- ``/admin/monthly/assign-sheet``: a month's assignments for a unit from an XLSX sheet, and
  the sheet to fill in (``canbo.tracking.assignment_sheet``);
- ``/admin/monthly/evaluators``: who evaluates whom, defaults and recorded ranges, and the
  heads of the unit and its departments (the officer).

A thin layer over ``canbo.tracking.sheets`` and ``evaluators``, which decide who may do
what: a refusal is a 403 with its message, other domain errors are flashed.
"""
import datetime
import io

from flask import Response, abort, flash, redirect, request, url_for
from flask_admin import expose
from peewee import fn

from canbo import db as dbm
from canbo.errors import CanboError, Forbidden, InvalidInput
from canbo.levels import SheetStatus
from canbo.models import Department, Staff
from canbo.models.tracking import Assignment, Catalogue, Evaluator, Head, Product, Sheet
from canbo.records import units
from canbo.rules import rulesets, scoring
from canbo.tracking import assignment_sheet, evaluators, outside, sheets, todo
from canbo.tracking import year_points as yp

from .base import SecureView, can, current_account, forbid, run_change, sees
from .dashboard import chosen_unit, chosen_year
from .exports import XLSX_MIMETYPE
from .todo import todo_links

FIRST_YEAR = rulesets.MONTHLY_TRACKING_FROM
MAX_SHEET_BYTES = 5 * 1024 * 1024
PACKAGE_ROWS = 6  # parts of a large product on the assign page (Điều 18.1.c)


def _year_month():
    today = datetime.date.today()
    year = max(FIRST_YEAR, chosen_year(request.args.get("year"), today))
    try:
        month = int(request.args.get("month") or today.month)
    except ValueError:
        month = today.month
    return year, month if 1 <= month <= 12 else today.month


def _month_days(year, month):
    first = datetime.date(year, month, 1)
    return first, sheets.period_end_day(year, month)


def _people_in_post(unit_ids, year, month):
    return list(Staff.select().where(Staff.unit.in_(unit_ids),
                                     units.in_post_during(*_month_days(year, month)))
                .order_by(Staff.sort_name))


def _queue(account, year, month):
    """The evaluatees of ``account`` in the month with their sheet's status: among the
    people who may wait for it (``todo.near_ids``, Điều 10.1 — a province's chairman
    evaluates the heads of the communes, not their clerks), as its to-do counts them."""
    first, last = _month_days(year, month)
    query = Staff.select().where(units.in_post_during(first, last))
    near = todo.near_ids(account)
    if near is not None:
        query = query.where(dbm.among(Staff.id, near))
    people = list(query.order_by(Staff.sort_name))
    mine = evaluators.evaluatee_ids(account, people, year, month)
    people = [p for p in people if p.id in mine]
    found = {s.staff_id: s for s in Sheet.select().where(
        Sheet.staff.in_([p.id for p in people]), Sheet.year == year, Sheet.month == month)}
    counts = dict(Assignment.select(Assignment.staff, fn.COUNT(Assignment.id)).where(
        Assignment.staff.in_([p.id for p in people]), Assignment.year == year,
        Assignment.month == month).group_by(Assignment.staff).tuples())
    return [(p, found.get(p.id), counts.get(p.id, 0)) for p in people]


class MonthlyView(SecureView):
    """Every logged-in account; what each page shows follows the domain's checks."""

    self_service = True

    @expose("/")
    def index(self):
        account = current_account()
        year, month = _year_month()
        person = Staff.get_or_none(Staff.id == account.staff_id) if account.staff_id else None
        months = []
        if person is not None:
            grid = {p.staff_id: p for p in yp.year_grid(year, [person.unit_id],
                                                         staff_ids=[person.id])}
            mine = grid.get(person.id)
            statuses = {s.month: s for s in Sheet.select().where(
                Sheet.staff == person, Sheet.year == year)}
            months = [(m, mine.cells.get(m) if mine else None, statuses.get(m))
                      for m in range(1, 13)]
        queue = _queue(account, year, month)
        return self.render("admin/monthly_home.html", person=person, year=year, month=month,
                           months=months, queue=queue, statuses=SheetStatus.labels(),
                           todo=todo_links(account),
                           num=scoring.points_text,
                           grid_row=(grid.get(person.id) if person is not None else None))

    @expose("/year/<int:staff_id>/<int:year>", methods=("GET", "POST"))
    def year(self, staff_id, year):
        person = Staff.get_or_none(Staff.id == staff_id)
        account = current_account()
        if person is None or year < FIRST_YEAR or not (
                sees(person.unit_id, person.id, "tracking.read")
                or any(evaluators.may_evaluate(account, person, year, m) for m in (1, 12))):
            abort(404)
        if request.method == "POST":
            run_change(lambda: self._outside_post(person, year))
            return redirect(request.path)
        row = next(iter(yp.year_grid(year, [person.unit_id], staff_ids=[person.id])), None)
        sheets_of = {s.month: s for s in Sheet.select().where(Sheet.staff == person,
                                                            Sheet.year == year)}
        return self.render("admin/monthly_year.html", person=person, year=year, row=row,
                           outside_months=outside.of(person, year),
                           enters_outside=can("tracking.assign") and sees(person.unit_id),
                           sheets=sheets_of, statuses=SheetStatus.labels(),
                           num=scoring.points_text)

    @expose("/queue")
    def queue(self):
        account = current_account()
        year, month = _year_month()
        return self.render("admin/monthly_queue.html", year=year, month=month,
                           queue=_queue(account, year, month), statuses=SheetStatus.labels(),
                           num=scoring.points_text)

    def _outside_post(self, person, year):
        """The officer enters or removes a month scored at the old unit (Điều 19.3)."""
        form = request.form
        if form.get("action") == "outside":
            row = outside.record(current_account(), person, year, form.get("month"),
                                 form.get("unit_name"), form.get("score"))
            flash(f"Đã ghi tháng {row.month}/{year} tại {row.unit_name}.", "success")
        elif form.get("action") == "outside-remove":
            row = next((r for r in outside.of(person, year)
                        if str(r.id) == form.get("row")), None)
            if row is None:
                abort(404)
            outside.remove(current_account(), row, form.get("reason"))
            flash(f"Đã xóa tháng {row.month}/{year} tại đơn vị cũ.", "success")
        else:
            abort(400)

    # --- assigning ------------------------------------------------------------------------

    @expose("/assign/<int:staff_id>/<int:year>/<int:month>", methods=("GET", "POST"))
    def assign(self, staff_id, year, month):
        person = Staff.get_or_none(Staff.id == staff_id)
        account = current_account()
        if person is None or not 1 <= month <= 12 or year < FIRST_YEAR:
            abort(404)
        try:
            sheets.check_assign(account, person, year, month)
        except Forbidden as exc:
            if not sees(person.unit_id, person.id):
                abort(404)
            abort(403, exc.message)
        if request.method == "POST":
            run_change(lambda: self._assign_post(person, year, month))
            return redirect(request.path)
        catalogue = Catalogue.get_or_none(Catalogue.unit == person.unit_id,
                                          Catalogue.year == year)
        products = list(Product.select().where(Product.catalogue == catalogue)
                        .order_by(Product.complexity_group, Product.section, Product.position,
                                  Product.name)) if catalogue else []
        rows = list(Assignment.select().where(Assignment.staff == person,
                                              Assignment.year == year,
                                              Assignment.month == month)
                    .order_by(Assignment.id))
        colleagues = [p for p in _people_in_post([person.unit_id], year, month)
                      if p.id != person.id]
        return self.render("admin/monthly_assign.html", person=person, year=year,
                           month=month, catalogue=catalogue, products=products, rows=rows,
                           colleagues=colleagues, num=scoring.points_text,
                           default_on=sheets.assigned_on_default(year, month),
                           package_rows=range(PACKAGE_ROWS))

    def _assign_post(self, person, year, month):
        account = current_account()
        form = request.form
        action = form.get("action")
        if action == "add":
            product = _product(form.get("product"), person)
            others = [_colleague(v, person) for v in form.getlist("also")]
            options = {"urgent": form.get("kind") == "urgent",
                       "extra": form.get("kind") == "extra",
                       "confirm_position": form.get("confirm_position") == "on",
                       "on": form.get("assigned_on") or None}
            people = [person] + [p for p in others if p.id != person.id]
            sheets.assign_many(account, people, year, month, product,
                               form.get("quantity", ""), form.get("deadline") or None,
                               **options)
            flash(f"Đã giao «{product.name}» cho {len(people)} người.", "success")
        elif action == "copy":
            if month == 1:
                raise InvalidInput("Tháng 1 không có tháng trước trong năm để sao chép.")
            rows = sheets.copy_month(account, person, year, month - 1, month)
            flash(f"Đã sao chép {len(rows)} việc của tháng {month - 1}.", "success")
        elif action == "package":
            product = _product(form.get("pkg_product"), person)
            team = {p.id: p for p in [person] + _people_in_post([person.unit_id], year, month)}
            owner = team.get(_int(form.get("pkg_owner")))
            if owner is None:
                raise InvalidInput("Chọn người chủ trì trong đơn vị.", field="pkg_owner")
            parts = []
            for i in range(PACKAGE_ROWS):
                units = (form.get(f"part_units_{i}") or "").strip()
                if not units:
                    continue
                member = team.get(_int(form.get(f"part_staff_{i}")))
                part_month = _int(form.get(f"part_month_{i}"))
                if member is None or part_month not in range(1, 13):
                    raise InvalidInput(f"Dòng {i + 1}: chọn người và tháng của phần việc.",
                                       field=f"part_staff_{i}")
                parts.append((member, part_month, units))
            package, rows = sheets.split_package(account, product, year,
                                                 form.get("pkg_name"),
                                                 form.get("pkg_units", ""), owner, parts)
            flash(f"Đã chia «{package.name}» ({package.units} đơn vị) thành {len(rows)} phần.",
                  "success")
        elif action == "reassign":
            row = Assignment.get_or_none(Assignment.id == _int(form.get("row")))
            if row is None or row.staff_id != person.id:
                abort(404)
            colleague = _colleague(form.get("colleague"), person)
            sheets.reassign(account, row, colleague, form.get("units", ""),
                            form.get("reason"))
            flash(f"Đã giao lại cho {colleague.full_name}.", "success")
        else:
            abort(400)

    # --- a month's assignments from a sheet -------------------------------------------------

    def _may_assign_some(self):
        # The officer, or an evaluator (a staff account); each row is checked again.
        account = current_account()
        return can("tracking.assign") or bool(account.staff_id)

    @expose("/assign-sheet", methods=("GET", "POST"))
    def assign_sheet(self):
        if not self._may_assign_some():
            abort(403, "Chỉ người đánh giá hoặc cán bộ phụ trách tổ chức được giao việc.")
        unit = chosen_unit(request.values.get("unit", "").strip())
        year, month = _year_month()
        if request.method == "POST":
            upload = request.files.get("file")
            data = upload.read(MAX_SHEET_BYTES + 1) if upload and upload.filename else b""
            if not data:
                flash("Hãy chọn tệp giao việc (.xlsx).", "error")
            elif len(data) > MAX_SHEET_BYTES:
                flash("Tệp giao việc lớn quá 5 MB.", "error")
            else:
                try:
                    made = assignment_sheet.import_sheet(current_account(), data, unit, year,
                                                         month, upload.filename)
                except CanboError as exc:
                    flash(exc.message, "error")
                else:
                    people = len({a.staff_id for a in made})
                    flash(f"Đã giao {len(made)} việc cho {people} người từ tệp "
                          f"«{upload.filename}».", "success")
            return redirect(url_for(".assign_sheet", unit=unit.code, year=year, month=month))
        return self.render("admin/monthly_assign_sheet.html", unit=unit, year=year,
                           month=month, headers=assignment_sheet.HEADERS)

    @expose("/assign-sheet/template")
    def assign_sheet_template(self):
        if not self._may_assign_some():
            abort(403)
        unit = chosen_unit(request.args.get("unit", "").strip())
        year, month = _year_month()
        out = io.BytesIO()
        assignment_sheet.template(unit, year, month, out)
        return Response(out.getvalue(), mimetype=XLSX_MIMETYPE, headers={
            "Content-Disposition":
                f"attachment;filename=giao-viec-{unit.code}-{year}-{month:02d}.xlsx"})

    # --- who evaluates whom -------------------------------------------------------------------

    @expose("/evaluators", methods=("GET", "POST"))
    def evaluators(self):
        if not can("tracking.read"):
            forbid("tracking.read", "xem ai đánh giá ai")
        unit = chosen_unit(request.values.get("unit", "").strip())
        year, month = _year_month()
        if request.method == "POST":
            run_change(lambda: self._evaluators_post(unit, year))
            return redirect(url_for(".evaluators", unit=unit.code, year=year, month=month))
        people = _people_in_post([unit.id], year, month)
        choices = evaluators.resolve(people, year, month)
        recorded = {}
        for row in Evaluator.select().where(Evaluator.staff.in_([p.id for p in people]),
                                            Evaluator.year == year):
            recorded.setdefault(row.staff_id, []).append(row)
        heads = {h.department_id: h for h in Head.select().where(Head.unit == unit)}
        departments = list(Department.select().where(
            (Department.unit == unit) | Department.unit.is_null()).order_by(Department.name))
        return self.render("admin/monthly_evaluators.html", unit=unit, year=year,
                           month=month, people=people, choices=choices, recorded=recorded,
                           heads=heads, departments=departments)

    def _evaluators_post(self, unit, year):
        account = current_account()
        form = request.form
        action = form.get("action")
        people = {p.id: p for p in Staff.select().where(Staff.unit == unit)}
        if action == "head":
            staff = people.get(_int(form.get("staff")))
            if staff is None:
                raise InvalidInput("Chọn người đứng đầu trong danh sách của đơn vị.",
                                   field="staff")
            dept_id = _int(form.get("department"))
            department = Department.get_or_none(Department.id == dept_id) if dept_id else None
            evaluators.set_head(account, unit, staff, department)
            flash(f"Đã ghi {staff.full_name} là người đứng đầu"
                  + (f" {department.name}." if department else " đơn vị."), "success")
        elif action == "set":
            staff = people.get(_int(form.get("staff")))
            if staff is None:
                raise InvalidInput("Chọn người được đánh giá trong danh sách.", field="staff")
            evaluator = people.get(_int(form.get("evaluator"))) if form.get("evaluator") else None
            if form.get("evaluator") and evaluator is None:
                raise InvalidInput("Người đánh giá phải là người của đơn vị.",
                                   field="evaluator")
            evaluators.set_evaluator(account, staff, year, evaluator, form.get("agency"),
                                     form.get("from_month") or 1, form.get("to_month") or 12)
            flash(f"Đã ghi người đánh giá của {staff.full_name}.", "success")
        elif action == "clear":
            row = Evaluator.get_or_none(Evaluator.id == _int(form.get("row")))
            if row is None or row.staff_id not in people:
                abort(404)
            evaluators.clear_evaluator(account, row, form.get("reason"))
            flash("Đã bỏ phân công; áp dụng người đánh giá mặc định.", "success")
        else:
            abort(400)


def _int(value):
    """A form's id or number, or ``None`` — also for one no database column holds."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if abs(number) <= dbm.MAX_INT else None


def _product(value, person):
    product = Product.get_or_none(Product.id == _int(value))
    if product is None:
        raise InvalidInput("Chọn một sản phẩm trong danh mục đã phê duyệt.", field="product")
    return product


def _colleague(value, person):
    colleague = Staff.get_or_none(Staff.id == _int(value))
    if colleague is None or colleague.unit_id != person.unit_id:
        raise InvalidInput("Chọn người cùng đơn vị trong danh sách.", field="colleague")
    return colleague


def register(app, admin):
    admin.add_view(MonthlyView(name="Việc của tôi", endpoint="monthly",
                               url="/admin/monthly"))
