"""``canbo user add|passwd``: accounts of the admin panel.

Passwords are read from a hidden prompt, or from the first line of stdin when stdin is
not a terminal (``echo "$PW" | canbo user add …`` in scripts); they never appear on the
command line, where other users of the machine could read them.
"""
import sys

import click

from canbo import db as dbm
from canbo.cli.common import UserError, pass_context
from canbo.levels import Role
from canbo.records import users


def read_password(confirm=True):
    """A password from a hidden prompt, or the first line of stdin when it is a pipe."""
    if not sys.stdin.isatty():
        line = sys.stdin.readline()
        return line.rstrip("\r\n")
    return click.prompt("Mật khẩu", hide_input=True, confirmation_prompt=(
        "Nhập lại mật khẩu" if confirm else False))


@click.group("user")
def user_group():
    """Tài khoản của bảng quản trị: thêm tài khoản, đổi mật khẩu."""


@user_group.command("add")
@click.argument("username")
@click.option("--role", required=True, metavar="VAI_TRÒ",
              help="ADMIN (Quản trị hệ thống), OFFICER (Cán bộ phụ trách tổ chức), "
                   "CHAIRMAN (Chủ tịch) hoặc VIEWER (Người xem).")
@click.option("--unit", metavar="MÃ", help="Mã đơn vị của tài khoản (bắt buộc trừ ADMIN).")
@pass_context
def user_add(ctx, username, role, unit):
    """Thêm tài khoản USERNAME; mật khẩu nhập ở lời nhắc (hoặc dòng đầu của stdin)."""
    ctx.open()
    try:
        role = Role.parse(role)
    except ValueError as exc:
        raise UserError(str(exc)) from exc
    password = read_password()
    with dbm.database.atomic():
        user = users.create_user(username, password, role.code, unit or None)
    where = f", đơn vị {user.unit.name} ({user.unit.code})" if user.unit_id else ""
    click.echo(f"Đã thêm tài khoản «{user.username}»: {role.label}{where}.")


@user_group.command("passwd")
@click.argument("username")
@pass_context
def user_passwd(ctx, username):
    """Đặt mật khẩu mới cho USERNAME (và mở khóa nếu tài khoản đang bị khóa)."""
    ctx.open()
    user = users.find_user(username)
    password = read_password()
    with dbm.database.atomic():
        users.set_password(user, password)
    click.echo(f"Đã đổi mật khẩu của «{user.username}».")
