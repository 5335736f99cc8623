"""The catalogue of output products (ND 335/2025 Điều 13) in the panel.

- ``/admin/catalogue/``: a unit's catalogues by year, and a new one (the officer);
- ``/admin/catalogue/<id>``: one catalogue, by section and group, each product with its
  decision and the date it applies from; while a draft, the officer sets the standard
  product, adds products and imports a workbook (errors listed, nothing written), and
  the chairman records the decision that locks it; once decided, the chairman adds a
  supplement under a further numbered decision (Điều 13.3), by form or workbook;
- ``/admin/catalogue/<id>/product/<pid>``: change or delete a product of a draft;
- ``/admin/catalogue/<id>/export.xlsx``: the workbook (``?layout=simple`` for four columns).

Every account reads the catalogues of its units (the decision is addressed to every
civil servant of the unit); what each may change is ``canbo.tracking.catalogue``'s
checks, whose refusal is a 403 with its message; other domain errors are flashed.
"""
import datetime
import io
from urllib.parse import quote

from flask import abort, flash, make_response, redirect, request, url_for
from flask_admin import expose
from peewee import fn

from canbo.errors import CanboError, Forbidden, InvalidInput
from canbo.models import Staff
from canbo.models.tracking import MAX_GROUPS, Catalogue, Product
from canbo.tracking import catalogue as cat
from canbo.vietnamese import parse_date, vi_decimal

from .base import (
    SecureView,
    can,
    current_account,
    own_unit,
    run_change,
    sees,
    visible_unit_ids,
)
from .dashboard import chosen_unit, unit_options

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
FIELDS = ("section", "code", "task", "name", "output", "group", "range", "points",
          "coefficient", "job_position")


def _catalogue(catalogue_id):
    found = Catalogue.get_or_none(Catalogue.id == catalogue_id)
    if found is None or not (sees(found.unit_id) or own_unit(found.unit_id)):
        abort(404)
    return found


def _date(name, what):
    try:
        day = parse_date(request.form.get(name))
    except ValueError as exc:
        raise InvalidInput(f"{what}: {exc}", field=name) from exc
    if day is None:
        raise InvalidInput(f"{what} còn trống; hãy viết dd/mm/yyyy.", field=name)
    return day


def _values(prefix=""):
    return {f: request.form.get(prefix + f, "") for f in FIELDS}


def _upload(name):
    """The uploaded workbook as a file, at most ``MAX_UPLOAD_BYTES``; None when none."""
    upload = request.files.get(name)
    if upload is None or not upload.filename:
        return None
    data = upload.stream.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise InvalidInput(f"Tệp «{upload.filename}» lớn hơn {MAX_UPLOAD_BYTES // 1048576} MB.",
                           field=name)
    return io.BytesIO(data)


def _range(product):
    low, high = product.points_min, product.points_max
    if low is None:
        return ""
    return vi_decimal(low) if low == high else f"{vi_decimal(low)}-{vi_decimal(high)}"


class CatalogueView(SecureView):
    """Every logged-in account reads its units' catalogues; changes follow the domain."""

    self_service = True  # a civil servant reads the catalogue of their own unit

    def _run(self, work):
        return run_change(work)

    @expose("/", methods=("GET", "POST"))
    def index(self):
        unit = chosen_unit(request.values.get("unit", "").strip())
        if request.method == "POST":
            try:
                year = int(request.form.get("year", ""))
            except ValueError:
                year = None
            if year is None or not 2000 <= year <= 2100:
                flash(f"Năm «{request.form.get('year', '')}» không hợp lệ; hãy viết bốn chữ "
                      "số, ví dụ 2026.", "error")
                return redirect(url_for(".index", unit=unit.code))
            made = self._run(lambda: cat.open_catalogue(current_account(), unit, year))
            if made is None:
                return redirect(url_for(".index", unit=unit.code))
            return redirect(url_for(".page", catalogue_id=made.id))
        catalogues = list(Catalogue.select().where(Catalogue.unit == unit)
                          .order_by(Catalogue.year.desc()))
        counts = dict(Product.select(Product.catalogue, fn.COUNT(Product.id))
                      .where(Product.catalogue.in_([c.id for c in catalogues]))
                      .group_by(Product.catalogue).tuples())
        return self.render("admin/catalogue_list.html", unit=unit, catalogues=catalogues,
                           counts=counts, next_year=datetime.date.today().year,
                           unit_options=unit_options(visible_unit_ids()),
                           editor=can("catalogue.edit"))

    @expose("/<int:catalogue_id>", methods=("GET", "POST"))
    def page(self, catalogue_id):
        catalogue = _catalogue(catalogue_id)
        problems = []
        if request.method == "POST":
            action = request.form.get("action", "")
            handlers = {"standard": self._standard, "add": self._add, "import": self._import,
                        "decide": self._decide, "supplement": self._supplement}
            if action not in handlers:
                abort(400)
            try:
                problems = handlers[action](catalogue) or []
            except Forbidden as exc:
                abort(403, exc.message)
            except CanboError as exc:  # shown with what was typed, to correct it
                flash(exc.message, "error")
                problems = None
            if problems == []:
                return redirect(url_for(".page", catalogue_id=catalogue.id))
            catalogue = Catalogue.get_by_id(catalogue.id)  # as stored, not as half-changed
        products = cat.products_of(catalogue)
        return self.render(
            "admin/catalogue.html", catalogue=catalogue, products=products,
            decisions=list(catalogue.decisions.order_by(cat.CatalogueDecision.decided_on)),
            problems=problems or [], form=request.form if request.method == "POST" else {},
            groups=range(1, MAX_GROUPS + 1), rng=_range, num=vi_decimal,
            positions=_job_positions(catalogue.unit_id), editor=can("catalogue.edit"),
            decider=can("catalogue.decide"), max_mb=MAX_UPLOAD_BYTES // 1048576)

    def _standard(self, catalogue):
        cat.set_standard(current_account(), catalogue, request.form.get("standard_product"),
                         request.form.get("standard_points"))
        flash("Đã ghi sản phẩm chuẩn.", "success")

    def _add(self, catalogue):
        product = cat.add_product(current_account(), catalogue, **_values())
        flash(f"Đã thêm «{product.name}».", "success")

    def _import(self, catalogue):
        cat.check_editable(current_account(), catalogue)
        data = _upload("file")
        if data is None:
            raise InvalidInput("Chưa chọn tệp .xlsx để nhập.", field="file")
        count, skipped, errors = cat.preview_xlsx(current_account(), catalogue, data)
        if errors:
            return errors  # shown on the page; nothing written
        data.seek(0)
        count = cat.import_xlsx(current_account(), catalogue, data)
        flash(f"Đã nhập {count} sản phẩm." + "".join(
            f" Bỏ qua trang «{t}» (không có bảng sản phẩm)." for t in skipped), "success")

    def _decide(self, catalogue):
        cat.decide(current_account(), catalogue, request.form.get("number"),
                   _date("date", "Ngày quyết định"))
        flash(f"Đã ghi Quyết định số {catalogue.decision_number}; danh mục đã khóa.",
              "success")

    def _supplement(self, catalogue):
        cat.check_supplement(current_account(), catalogue)
        data = _upload("file")
        products = data if data is not None else [_values("new-")]
        decision = cat.supplement(
            current_account(), catalogue, request.form.get("number"),
            _date("decided_on", "Ngày quyết định bổ sung"),
            _date("applies_from", "Ngày áp dụng"), products)
        flash(f"Đã bổ sung {decision.products.count()} sản phẩm theo Quyết định số {decision.number}.",
              "success")

    @expose("/<int:catalogue_id>/product/<int:product_id>", methods=("GET", "POST"))
    def product(self, catalogue_id, product_id):
        catalogue = _catalogue(catalogue_id)
        product = Product.get_or_none(Product.id == product_id)
        if product is None or product.catalogue_id != catalogue.id:
            abort(404)
        if request.method == "POST":
            account = current_account()
            if request.form.get("action") == "delete":
                done = self._run(lambda: cat.delete_product(account, product) or True)
                if done:
                    flash(f"Đã xóa «{product.name}».", "success")
                    return redirect(url_for(".page", catalogue_id=catalogue.id))
            elif self._run(lambda: cat.edit_product(account, product, _values())):
                flash(f"Đã lưu «{product.name}».", "success")
                return redirect(url_for(".page", catalogue_id=catalogue.id))
        values = request.form if request.method == "POST" else {
            "section": product.section, "code": product.code or "",
            "task": product.task or "", "name": product.name, "output": product.output or "",
            "group": product.complexity_group, "range": _range(product),
            "points": vi_decimal(product.points) if product.points is not None else "",
            "coefficient": vi_decimal(product.coefficient),
            "job_position": product.job_position or ""}
        return self.render("admin/catalogue_product.html", catalogue=catalogue,
                           product=product, values=values, groups=range(1, MAX_GROUPS + 1),
                           positions=_job_positions(catalogue.unit_id),
                           editor=can("catalogue.edit"))

    @expose("/<int:catalogue_id>/export.xlsx")
    def export(self, catalogue_id):
        catalogue = _catalogue(catalogue_id)
        layout = "simple" if request.args.get("layout") == "simple" else "commune"
        out = io.BytesIO()
        cat.export_xlsx(catalogue, out, layout)
        name = f"danh-muc-san-pham-{catalogue.unit.code}-{catalogue.year}.xlsx"
        response = make_response(out.getvalue())
        response.headers["Content-Type"] = (
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response.headers["Content-Disposition"] = (
            f"attachment; filename*=UTF-8''{quote(name)}")
        return response


def _job_positions(unit_id):
    """The job positions recorded on the unit's staff records, for the form's suggestions."""
    return [row[0] for row in Staff.select(Staff.job_position).distinct()
            .where(Staff.unit == unit_id, Staff.job_position.is_null(False),
                   Staff.job_position != "").order_by(Staff.job_position).tuples()]


def register(app, admin):
    admin.add_view(CatalogueView(name="Danh mục sản phẩm", endpoint="catalogue",
                                 url="/admin/catalogue"))
