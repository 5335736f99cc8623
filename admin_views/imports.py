"""Import from and export to spreadsheets in the panel (Nhập từ tệp / Xuất ra tệp).

- ``/admin/import/``: upload an XLSX or CSV file; the page answers with a preview — what
  would be added, updated or left alone, and every problem with its row, column and
  value — before anything is written.  "Ghi vào cơ sở dữ liệu" then imports the same file
  (kept server-side under a random token bound to the session), all or nothing, or
  only the valid rows when the user ticked "bỏ qua dòng lỗi".
- ``/admin/import/export/<kind>.<fmt>``: the staff list, the ratings of a year and the
  two reports as XLSX or CSV, scoped to the units the user may see.
- ``/admin/import/national`` (POST): the national database export; past
  ``national.BACKGROUND_FROM`` people (a province) a background job (``canbo.jobs``),
  followed on ``/admin/jobs/<id>``.

A thin layer over ``canbo.spreadsheets.importer`` and ``exporter``: the importer itself
refuses rows naming a unit outside the user's scope, and the creation of units by anyone
but the admin (``importer.may_create_units``).
"""
import datetime
import io
import re
import secrets
import time

from flask import Response, abort, current_app, flash, redirect, request, session, url_for
from flask_admin import expose
from werkzeug.utils import secure_filename

from canbo import db as dbm
from canbo import jobs
from canbo.errors import CanboError
from canbo.models import Unit
from canbo.spreadsheets import exporter, importer
from canbo.spreadsheets import workbook as spreadsheets
from canbo.stats import national
from canbo.vietnamese import parse_date

from .base import SecureView, can, current_account
from .dashboard import chosen_unit, chosen_year

KEEP_SECONDS = 24 * 3600  # an unconfirmed upload is kept for a day
SHOWN_PROBLEMS = 500  # the preview lists this many; the count says how many in all
MIMETYPES = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
             "csv": "text/csv; charset=utf-8"}
EXPORTS = [("staff", "Danh sách cán bộ, công chức"), ("ratings", "Kết quả xếp loại năm"),
           ("report-ratings", "Báo cáo xếp loại năm"),
           ("report-qualifications", "Cơ cấu trình độ tại ngày")]


def _uploads():
    """Where an upload waits for its confirmation: the data folder's ``imports/``
    (``canbo.db.data_folder``), which every worker process of a deployment sees — the
    preview may be answered by one process and the confirmation by another."""
    return dbm.data_folder("imports")


def _upload_path(token):
    """The file of upload ``token``: the same name when it is written, read and removed.
    A token is hex (``secrets.token_hex``), a file name as it is; anything else names no
    file.  (Read through ``secure_filename``, a ``token_urlsafe`` token beginning or
    ending with "_" named another file than the one written: 1.5% of the confirmations
    found no upload.)"""
    if not re.fullmatch(r"[0-9a-f]{32}", token or ""):
        return None
    return _uploads() / token


def _stash(data, filename):
    """Keep an uploaded file until it is confirmed; returns its token."""
    uploads = _uploads()
    stale = time.time() - KEEP_SECONDS
    for old in uploads.iterdir():  # previews never confirmed
        try:
            if old.stat().st_mtime < stale:
                old.unlink()
        except OSError:
            pass
    token = secrets.token_hex(16)
    _upload_path(token).write_bytes(data)
    session.setdefault("imports", {})[token] = filename
    session.modified = True
    return token


def _unstash(token):
    """The bytes and name of a stashed upload of this session, or 404."""
    name = session.get("imports", {}).get(token)
    path = _upload_path(token)
    if not name or path is None or not path.is_file():
        abort(404, "Tệp tải lên đã hết hạn; hãy tải lên lại.")
    return path.read_bytes(), name


def _forget(token):
    session.get("imports", {}).pop(token, None)
    session.modified = True
    path = _upload_path(token)
    if path is not None:
        path.unlink(missing_ok=True)


def _default_unit():
    account = current_account()
    return Unit.get_by_id(account.unit_id) if account.unit_id else None


class ImportView(SecureView):
    """Officers and admins import; every logged-in role may export what it may see."""

    def _run(self, data, filename, dry_run, skip_invalid, create_units=False):
        return importer.import_workbook(
            spreadsheets.read(data, filename), actor=current_account(), unit=_default_unit(),
            dry_run=dry_run, skip_invalid=skip_invalid, create_units=create_units)

    def _page(self, **context):
        today = datetime.date.today()
        unit = chosen_unit(request.args.get("unit", "").strip())
        asked = request.args.get("year")
        # Exports default to last year: the current year's ratings are still in progress.
        year = chosen_year(asked, today) if asked else today.year - 1
        return self.render("admin/import.html", exports=EXPORTS, unit=unit, year=year,
                           at=today, can_import=can("import"), shown=SHOWN_PROBLEMS,
                           can_create_units=importer.may_create_units(current_account()),
                           **context)

    @expose("/", methods=["GET", "POST"])
    def index(self):
        if request.method == "GET":
            return self._page()
        if not can("import"):
            abort(403)
        upload = request.files.get("file")
        if upload is None or not upload.filename:
            flash("Hãy chọn một tệp .xlsx hoặc .csv.", "error")
            return self._page()
        limit = current_app.config["MAX_CONTENT_LENGTH"]  # the request's bound holds it
        data = upload.read(limit + 1)
        if len(data) > limit:
            flash(f"Tệp lớn quá {limit // 2**20} MB.", "error")
            return self._page()
        skip = bool(request.form.get("skip_invalid"))
        create = bool(request.form.get("create_units"))
        try:
            result = self._run(data, upload.filename, True, skip, create)
        except CanboError as exc:
            flash(exc.message, "error")
            return self._page()
        token = _stash(data, upload.filename)
        return self._page(result=result, token=token, filename=upload.filename,
                          skip_invalid=skip, create_units=create)

    @expose("/confirm", methods=["POST"])
    def confirm(self):
        if not can("import"):
            abort(403)
        token = request.form.get("token", "")
        data, filename = _unstash(token)
        try:
            result = self._run(data, filename, False, bool(request.form.get("skip_invalid")),
                               bool(request.form.get("create_units")))
        except CanboError as exc:
            flash(exc.message, "error")
            return redirect(url_for(".index"))
        _forget(token)
        for line in result.summary():
            flash(line, "success" if result.written else "warning")
        for line in result.problem_lines()[:50]:
            flash(line, "error")
        return redirect(url_for(".index"))

    @expose("/export/<kind>.<fmt>")
    def export(self, kind, fmt):
        if fmt not in MIMETYPES or kind not in dict(EXPORTS):
            abort(404)
        unit = chosen_unit(request.args.get("unit", "").strip())
        if unit is None:
            abort(404)
        subunits = request.args.get("subunits", "1") != "0"
        today = datetime.date.today()
        try:
            if kind == "staff":
                table = exporter.staff_table(unit, subunits)
            elif kind == "ratings":
                table = exporter.ratings_table(unit, chosen_year(request.args.get("year"), today),
                                               subunits)
            elif kind == "report-ratings":
                table = exporter.ratings_report_table(
                    unit, chosen_year(request.args.get("year"), today), subunits)
            else:
                at = _date(request.args.get("at"), today)
                table = exporter.qualification_report_table(unit, at, subunits)
        except CanboError as exc:
            flash(exc.message, "error")
            return redirect(url_for(".index", unit=unit.code))
        return _download(table, fmt, f"{kind}-{unit.code}")

    @expose("/national", methods=["POST"])
    def national_export(self):
        """The results for the national database (ND 335/2025 Điều 26.1.d), logged."""
        fmt = request.form.get("fmt", "xlsx")
        unit = chosen_unit(request.form.get("unit", "").strip())
        if fmt not in MIMETYPES or unit is None:
            abort(404)
        if not can("national.export"):
            abort(403)
        try:
            period = national.parse_period(request.form.get("period"))
            if national.people_count(unit) > national.BACKGROUND_FROM:
                job = jobs.submit(current_account(), "national", unit=unit.id,
                                  period=period.code, fmt=fmt)
                flash("Đang xuất trong nền; trang này cho biết tiến độ.", "info")
                return redirect(url_for("jobs.job", job_id=job.id))
            table = national.export(current_account(), unit, period)
        except CanboError as exc:
            flash(exc.message, "error")
            return redirect(url_for(".index", unit=unit.code))
        return _download(table, fmt, f"csdl-quoc-gia-{unit.code}-{period.code}")

    @expose("/template/<kind>.xlsx")
    def template(self, kind):
        if kind not in ("staff", "ratings"):
            abort(404)
        out = io.BytesIO()
        exporter.export(exporter.template_tables(kind), out, "xlsx")
        return Response(out.getvalue(), mimetype=MIMETYPES["xlsx"],
                        headers={"Content-Disposition": f"attachment; filename=mau-{kind}.xlsx"})


def _download(table, fmt, stem):
    """``table`` as an attachment ``stem.fmt`` (XLSX or CSV)."""
    out = io.BytesIO()
    exporter.export([table], out, fmt)
    name = secure_filename(f"{stem}.{fmt}")
    return Response(out.getvalue(), mimetype=MIMETYPES[fmt],
                    headers={"Content-Disposition": f"attachment; filename={name}"})


def _date(text, default):
    try:
        return parse_date(text) or default
    except ValueError:
        return default


def register(app, admin):
    admin.add_view(ImportView(name="Nhập / xuất tệp", endpoint="imports", url="/admin/import",
                              menu_icon_type="fa", menu_icon_value="fa-file-excel-o"))
