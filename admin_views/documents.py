"""Printing from the panel (In): the PDF documents of ``canbo.documents*`` as downloads.

- ``/admin/documents/?unit=CODE&year=Y``: the page with one button per document of the
  cycle (all forms, the yearly list, the decision, the qualification structure, blank
  forms) and a "Phiếu" button per person of the year.
- ``/admin/documents/form/<staff_id>/<year>``: one person's rating form;
  ``/admin/documents/forms`` (past ``BACKGROUND_FROM`` forms, a background job of
  ``canbo.jobs`` followed on ``/admin/jobs/<id>``), ``/list``, ``/decision``, ``/qualifications``: the unit's
  documents; ``/admin/documents/blank/<kind>``: a blank form.
- the ND 335 review's papers (``canbo.documents.review``): ``/minutes`` (the meeting's
  minutes, ``&staff=<id>`` for one person's extract), ``/notice/<staff_id>/<year>`` and
  ``/notices`` (the written notices), ``/announcement`` (the public list),
  ``/file/<staff_id>/<year>`` (the person's electronic file of the year, Điều 24); the
  cycle page and a person's rating page link here.
Other screens link here with ``url_for("documents.form", staff_id=…, year=…)``.

Who: the roles holding the ``print`` permission (admin, personnel officer, chairman),
within the units they may see; another unit's person or unit is a 404.  Files are sent
with a meaningful ASCII name (``phieu-danh-gia-2022-kt13-nguyen-thi-ngoc-anh.pdf``).
"""
import datetime

from flask import Response, abort, flash, redirect, request, url_for
from flask_admin import expose

from canbo import jobs
from canbo.documents import batch as documents_batch
from canbo.documents import forms as documents_forms
from canbo.documents import render as documents
from canbo.documents import review
from canbo.errors import CanboError, InvalidInput
from canbo.models import Staff
from canbo.records import units
from canbo.vietnamese import parse_date

from .base import SecureView, current_account, sees
from .dashboard import chosen_unit, chosen_year


def _pdf(data, name):
    return Response(data, mimetype="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


def _day(text):
    try:
        return parse_date(text)
    except ValueError as exc:
        raise InvalidInput(str(exc)) from exc


class DocumentsView(SecureView):
    permission = "print"

    def _unit_year(self):
        unit = chosen_unit(request.args.get("unit", "").strip())
        if unit is None:
            abort(404)
        return unit, chosen_year(request.args.get("year"), datetime.date.today())

    def _send(self, make, name, back):
        """``make()``'s PDF as a download; a domain error goes back to the page, flashed."""
        try:
            return _pdf(make(), name)
        except CanboError as exc:
            flash(exc.message, "error")
            return redirect(back)

    @expose("/")
    def index(self):
        unit, year = self._unit_year()
        ids = units.unit_ids(unit, False)
        people = documents_forms.staff_of_year(ids, year)
        today = datetime.date.today()
        return self.render(
            "admin/documents.html", unit=unit, year=year, people=people,
            blanks=[(k, v[2]) for k, v in documents_batch.BLANK_FORMS.items()],
            years=range(today.year + 1, today.year - 8, -1), today=today,
        )

    @expose("/form/<int:staff_id>/<int:year>")
    def form(self, staff_id, year):
        staff = Staff.get_or_none(Staff.id == staff_id)
        if staff is None or not sees(staff.unit_id):
            abort(404)
        back = url_for(".index", unit=staff.unit.code, year=year)
        name = documents.file_name("phieu danh gia", year, staff.code, staff.full_name)
        return self._send(lambda: documents_batch.form_pdf(staff, year), name, back)

    @expose("/forms", methods=("GET", "POST"))
    def forms(self):
        """Every form of the unit-year: a large batch (``BACKGROUND_FROM``) becomes a
        background job, asked by the page's button (POST), followed on the job's page."""
        unit, year = self._unit_year()
        subunits = request.values.get("subunits") == "1"
        back = url_for(".index", unit=unit.code, year=year)
        count = documents_batch.count_forms(unit, year, subunits)
        if count > documents_batch.BACKGROUND_FROM:
            if request.method != "POST":
                flash(f"Có {count} phiếu: hãy bấm nút in để in trong nền.", "info")
                return redirect(back)
            try:
                job = jobs.submit(current_account(), "forms", unit=unit.id, year=year,
                                  subunits=subunits)
            except CanboError as exc:
                flash(exc.message, "error")
                return redirect(back)
            flash(f"Đang in {count} phiếu trong nền; trang này cho biết tiến độ.", "info")
            return redirect(url_for("jobs.job", job_id=job.id))
        name = documents.file_name("phieu danh gia", year, unit.code,
                                   "va truc thuoc" if subunits else "")
        return self._send(lambda: documents_batch.unit_forms_pdf(unit, year, subunits),
                          name, url_for(".index", unit=unit.code, year=year))

    @expose("/list")
    def ratings_list(self):
        unit, year = self._unit_year()
        name = documents.file_name("danh sach xep loai", year, unit.code)
        return self._send(lambda: documents.ratings_list_pdf(unit, year, True),
                          name, url_for(".index", unit=unit.code, year=year))

    @expose("/decision")
    def decision(self):
        unit, year = self._unit_year()
        back = url_for(".index", unit=unit.code, year=year)
        args = request.args
        try:
            day = _day(args.get("date"))
        except CanboError as exc:
            flash(exc.message, "error")
            return redirect(back)
        name = documents.file_name("quyet dinh cong nhan xep loai", year, unit.code)
        return self._send(lambda: documents.decision_pdf(
            unit, year, number=args.get("number", "").strip(), day=day,
            deputy=args.get("deputy") == "1"), name, back)

    @expose("/qualifications")
    def qualifications(self):
        unit, year = self._unit_year()
        back = url_for(".index", unit=unit.code, year=year)
        try:
            at = _day(request.args.get("at")) or datetime.date.today()
        except CanboError as exc:
            flash(exc.message, "error")
            return redirect(back)
        name = documents.file_name("co cau trinh do", unit.code, at.isoformat())
        return self._send(lambda: documents.qualifications_pdf(unit, at, True), name, back)

    @expose("/blank/<kind>")
    def blank(self, kind):
        if kind not in documents_batch.BLANK_FORMS:
            abort(404)
        unit, year = self._unit_year()
        name = documents.file_name("phieu trang", kind, year)
        return self._send(lambda: documents_batch.blank_pdf(kind, unit, year), name,
                          url_for(".index", unit=unit.code, year=year))

    # --- the ND 335 review's papers (Điều 21, 22, 24) ------------------------------------

    def _person(self, staff_id):
        staff = Staff.get_or_none(Staff.id == staff_id)
        if staff is None or not sees(staff.unit_id):
            abort(404)
        return staff

    @expose("/minutes")
    def minutes(self):
        unit, year = self._unit_year()
        back = url_for("workflow.index", unit=unit.code, year=year)
        args = request.args
        staff = None
        if args.get("staff", "").strip():
            if not args["staff"].strip().isdigit():
                abort(404)
            staff = self._person(int(args["staff"]))
            if staff.unit_id != unit.id:
                abort(404)
        present = args.get("present", "").strip()
        if present and not present.isdigit():
            flash(f"Số người có mặt «{present}» không hợp lệ; hãy ghi một số nguyên.", "error")
            return redirect(back)
        meeting = review.Meeting(secretary=args.get("secretary", "").strip(),
                                 place=args.get("place", "").strip(),
                                 present=int(present) if present else None)
        name = documents.file_name("bien ban hop xep loai", year, unit.code,
                                   staff.code if staff else "")
        return self._send(lambda: review.minutes_pdf(unit, year, staff, meeting), name, back)

    @expose("/notice/<int:staff_id>/<int:year>")
    def notice(self, staff_id, year):
        staff = self._person(staff_id)
        name = documents.file_name("thong bao ket qua xep loai", year, staff.code,
                                   staff.full_name)
        return self._send(lambda: review.notice_pdf(staff, year), name,
                          url_for("workflow.person", staff_id=staff.id))

    @expose("/notices")
    def notices(self):
        unit, year = self._unit_year()
        name = documents.file_name("thong bao ket qua xep loai", year, unit.code)
        return self._send(lambda: review.unit_notices_pdf(unit, year), name,
                          url_for("workflow.index", unit=unit.code, year=year))

    @expose("/announcement")
    def announcement(self):
        unit, year = self._unit_year()
        name = documents.file_name("cong khai ket qua xep loai", year, unit.code)
        return self._send(lambda: review.announcement_pdf(unit, year), name,
                          url_for("workflow.index", unit=unit.code, year=year))

    @expose("/file/<int:staff_id>/<int:year>")
    def person_file(self, staff_id, year):
        staff = self._person(staff_id)
        return self._send(lambda: review.file_pdf(staff, year),
                          review.file_download_name(staff, year),
                          url_for("workflow.person", staff_id=staff.id))


def register(app, admin):
    admin.add_view(DocumentsView(name="In văn bản", endpoint="documents",
                                 url="/admin/documents", menu_icon_type="fa",
                                 menu_icon_value="fa-print"))
