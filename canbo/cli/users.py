"""``canbo user add|passwd|bulk``: accounts of the admin panel.

``bulk`` makes the accounts of a unit's people in post who have none (role STAFF, bound
to their staff record, a one-time password each; ``canbo.records.accounts``): the slips
and the list are written first, then the accounts in one transaction — if that fails,
the files are removed, so a printed password always belongs to an account.

Passwords are read from a hidden prompt, or from the first line of stdin when stdin is
not a terminal (``echo "$PW" | canbo user add …`` in scripts); they never appear on the
command line, where other users of the machine could read them.
"""
import os
import sys

import click

from canbo import db as dbm
from canbo.cli.common import OUTPUT_FILE, UserError, pass_context
from canbo.documents import batch as documents_batch
from canbo.levels import Role
from canbo.records import accounts, units, users


def read_password(confirm=True):
    """A password from a hidden prompt, or the first line of stdin when it is a pipe."""
    if not sys.stdin.isatty():
        line = sys.stdin.readline()
        return line.rstrip("\r\n")
    return click.prompt("Mật khẩu", hide_input=True, confirmation_prompt=(
        "Nhập lại mật khẩu" if confirm else False))


@click.group("user")
def user_group():
    """Tài khoản của bảng quản trị: thêm tài khoản, đổi mật khẩu, tạo hàng loạt."""


@user_group.command("add")
@click.argument("username", metavar="TÊN_ĐĂNG_NHẬP")
@click.option("--role", required=True, metavar="VAI_TRÒ",
              help="ADMIN (Quản trị hệ thống), OFFICER (Cán bộ phụ trách tổ chức), "
                   "CHAIRMAN (Chủ tịch), VIEWER (Người xem) hoặc STAFF (Cán bộ, công chức "
                   "tự cập nhật kết quả, tự chấm điểm; cần --staff).")
@click.option("--unit", metavar="MÃ", help="Mã đơn vị của tài khoản (bắt buộc trừ ADMIN; "
              "với --staff mặc định là đơn vị của người đó).")
@click.option("--staff", "staff_code", metavar="MÃ",
              help="Mã cán bộ, công chức của chính người dùng (bắt buộc với STAFF).")
@click.option("--email", metavar="ĐỊA_CHỈ", help="Địa chỉ thư nhận nhắc việc (canbo remind).")
@pass_context
def user_add(ctx, username, role, unit, staff_code, email):
    """Thêm tài khoản TÊN_ĐĂNG_NHẬP; mật khẩu nhập ở lời nhắc (hoặc dòng đầu của stdin)."""
    ctx.open()
    try:
        role = Role.parse(role)
    except ValueError as exc:
        raise UserError(str(exc)) from exc
    unit = units.find_unit(unit) if unit else None
    staff = documents_batch.find_staff(staff_code, unit) if staff_code else None
    users.check_staff_binding(role, staff, unit)  # before asking for the password
    users.check_email(email)
    password = read_password()
    with dbm.database.atomic():
        user = users.create_user(username, password, role.code, unit, staff=staff,
                                 email=email)
    where = f", đơn vị {user.unit.name} ({user.unit.code})" if user.unit_id else ""
    who = f", của {staff.full_name} ({staff.code})" if staff is not None else ""
    click.echo(f"Đã thêm tài khoản «{user.username}»: {role.label}{where}{who}.")


@user_group.command("passwd")
@click.argument("username", metavar="TÊN_ĐĂNG_NHẬP")
@pass_context
def user_passwd(ctx, username):
    """Đặt mật khẩu mới cho TÊN_ĐĂNG_NHẬP (và mở khóa nếu tài khoản đang bị khóa)."""
    ctx.open()
    user = users.find_user(username)
    password = read_password()
    with dbm.database.atomic():
        users.set_password(user, password)
    click.echo(f"Đã đổi mật khẩu của «{user.username}».")


@user_group.command("bulk")
@click.option("--unit", required=True, metavar="MÃ", help="Mã đơn vị.")
@click.option("-o", "--output", required=True, type=OUTPUT_FILE,
              metavar="TỆP.pdf", help="Tệp PDF các phiếu tài khoản (mỗi người một trang).")
@click.option("--xlsx", type=OUTPUT_FILE, metavar="TỆP.xlsx",
              help="Ghi thêm danh sách tài khoản (kèm mật khẩu dùng một lần) ra tệp XLSX.")
@click.option("--subunits/--no-subunits", default=False, show_default=True,
              help="Tạo cả cho người của các đơn vị trực thuộc.")
@click.option("--url", metavar="ĐỊA_CHỈ", help="Địa chỉ bảng quản trị in trên phiếu "
              f"(mặc định: biến môi trường {accounts.PANEL_URL_ENV}).")
@click.option("--reissue", is_flag=True, help="In lại phiếu khi bị mất: cấp mật khẩu dùng "
              "một lần mới cho các tài khoản chưa đổi mật khẩu (không tạo tài khoản mới).")
@pass_context
def user_bulk(ctx, unit, output, xlsx, subunits, url, reissue):
    """Tạo tài khoản cho mọi người đang công tác của đơn vị chưa có tài khoản.

    Tên đăng nhập là mã cán bộ viết thường; mỗi người một mật khẩu dùng một lần, in
    trên phiếu (tệp PDF), phải đổi ở lần đăng nhập đầu. Người đã có tài khoản được bỏ
    qua và liệt kê.
    """
    ctx.open()
    plan = accounts.plan_reissue if reissue else accounts.plan_bulk
    batch = plan(users.operator(), units.find_unit(unit), subunits)
    for person, user in batch.skipped:
        state = "" if user.active else ", đã khóa"
        done = "đã tự đặt mật khẩu cho tài khoản" if reissue else "đã có tài khoản"
        click.echo(f"Bỏ qua {person.full_name} ({person.code}): {done} "
                   f"«{user.username}»{state}.")
    if not batch.issued:
        click.echo("Không cấp lại mật khẩu nào: không tài khoản nào chờ đổi mật khẩu dùng "
                   "một lần." if reissue else f"Không tạo tài khoản nào: cả "
                   f"{len(batch.skipped)} người đang công tác đã có tài khoản.")
        return
    written = []
    try:
        with open(output, "wb") as f:
            written.append(output)
            f.write(accounts.slips_pdf(batch, url))
        if xlsx:
            written.append(xlsx)
            accounts.list_xlsx(batch, xlsx)
        accounts.write(batch, users.operator())
    except BaseException:
        for path in written:
            if os.path.exists(path):
                os.remove(path)
        raise
    if reissue:
        click.echo(f"Đã cấp lại mật khẩu dùng một lần cho {batch.created} tài khoản; mật "
                   "khẩu trên phiếu cũ không dùng được nữa.")
    else:
        click.echo(f"Đã tạo {batch.created} tài khoản; bỏ qua {len(batch.skipped)} người đã "
                   "có tài khoản.")
    click.echo(f"Đã ghi {output} ({len(batch.issued)} phiếu)"
               + (f" và {xlsx}." if xlsx else "."))
