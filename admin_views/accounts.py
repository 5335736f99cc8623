"""Tạo tài khoản hàng loạt: the officer makes the accounts of a unit's people in post.

``/admin/accounts/`` lists the people of a unit (one the user sees) not left by today,
with the account each has or "Chưa có"; its button (POST, CSRF) makes the missing ones
(``canbo.records.accounts``: role Cán bộ, công chức, bound to the person, a one-time
password each, one transaction, audited).  Permission ``accounts.bulk`` (the officer,
the admin).

Where the one-time passwords go — the design: they are never stored in clear, neither
in the database (hashes only) nor on the server's disk, nor in the session (a cookie
the browser keeps, and too small for 150 passwords anyway).  The slips (PDF) and the
list (XLSX) are made in memory during the POST, *before* the accounts are written (a
failure to print makes no account), and sent back inside that one response as two
download links (``data:`` URLs) on the result page, marked ``Cache-Control: no-store``;
nothing on the server can give them again.  Posting again makes no second account
(everyone then has one).  Lost slips: "In lại phiếu" (POST ``/reissue``) gives new
one-time passwords to the accounts still waiting for their first password change, and
offers the files the same way (``accounts.plan_reissue``).
"""
import base64
import datetime
import io

from flask import abort, flash, make_response, redirect, request, url_for
from flask_admin import expose

from canbo.errors import CanboError, Forbidden
from canbo.records import accounts

from .base import SecureView, current_account, visible_unit_ids
from .dashboard import chosen_unit, unit_options
from .exports import XLSX_MIMETYPE


def _data_url(mime, data):
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


class AccountsView(SecureView):
    permission = "accounts.bulk"

    @expose("/", methods=("GET",))
    def index(self):
        unit = chosen_unit(request.args.get("unit", "").strip())
        if unit is None:
            abort(404)
        people = accounts.people_of(unit)
        waiting = sum(1 for _, bound in people
                      if any(u.active and u.must_change_password for u in bound))
        return self.render("admin/accounts_bulk.html", unit=unit, people=people,
                           missing=sum(1 for _, bound in people if not bound),
                           waiting=waiting, unit_options=unit_options(visible_unit_ids()))

    @expose("/create", methods=("POST",))
    def create(self):
        return self._issue(accounts.plan_bulk, "Mọi người đang công tác của đơn vị đều đã "
                           "có tài khoản; không tạo thêm tài khoản nào.")

    @expose("/reissue", methods=("POST",))
    def reissue(self):
        return self._issue(accounts.plan_reissue, "Không có tài khoản nào đang chờ đổi mật "
                           "khẩu dùng một lần; không cấp lại mật khẩu nào.")

    def _issue(self, plan, nothing):
        unit = chosen_unit(request.form.get("unit", "").strip())
        actor = current_account()
        try:
            batch = plan(actor, unit)
            if not batch.issued:
                flash(nothing, "info")
                return redirect(url_for(".index", unit=unit.code))
            url = accounts.panel_url() or url_for("login.index", _external=True)
            pdf = accounts.slips_pdf(batch, url)
            xlsx = io.BytesIO()
            accounts.list_xlsx(batch, xlsx)
            accounts.write(batch, actor)
        except Forbidden as exc:
            abort(403, exc.message)
        except CanboError as exc:
            flash(exc.message, "error")
            return redirect(url_for(".index", unit=unit.code))
        stamp = f"{unit.code.lower()}-{datetime.date.today():%Y%m%d}"
        response = make_response(self.render(
            "admin/accounts_bulk_done.html", unit=unit, batch=batch,
            pdf_url=_data_url("application/pdf", pdf), pdf_name=f"phieu-tai-khoan-{stamp}.pdf",
            xlsx_url=_data_url(XLSX_MIMETYPE, xlsx.getvalue()),
            xlsx_name=f"danh-sach-tai-khoan-{stamp}.xlsx"))
        response.headers["Cache-Control"] = "no-store"
        return response


def register(app, admin):
    admin.add_view(AccountsView(name="Tạo tài khoản hàng loạt", endpoint="accounts",
                                url="/admin/accounts", category="Hệ thống",
                                menu_icon_type="fa", menu_icon_value="fa-id-card-o"))
