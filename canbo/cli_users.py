"""``canbo user add|passwd`` and ``canbo serve``: accounts and the admin panel's server.

Passwords are read from a hidden prompt, or from the first line of stdin when stdin is
not a terminal (``echo "$PW" | canbo user add …`` in scripts); they never appear on the
command line, where other users of the machine could read them.

``serve`` imports the web layer only inside the command, so ``canbo`` stays free of
Flask for every other command.
"""
import os
import pathlib
import secrets
import sys

import click

from . import db as dbm
from . import demo as demo_mod
from . import users
from .cli import UserError, cli, pass_context
from .models import User

DEMO_URL = "sqlite:///instance/canbo-demo.db"

#: The demo accounts: one per role, passwords printed by ``serve --demo``.
DEMO_ACCOUNTS = [
    ("admin", "ADMIN", "admin-demo"),
    ("canbo", "OFFICER", "canbo-demo"),
    ("chutich", "CHAIRMAN", "chutich-demo"),
    ("xem", "VIEWER", "xem-demo"),
]


def read_password(confirm=True):
    """A password from a hidden prompt, or the first line of stdin when it is a pipe."""
    if not sys.stdin.isatty():
        line = sys.stdin.readline()
        return line.rstrip("\r\n")
    return click.prompt("Mật khẩu", hide_input=True, confirmation_prompt=(
        "Nhập lại mật khẩu" if confirm else False))


@cli.group("user")
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
        role = users.Role.parse(role)
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


def prepare_demo(url):
    """A fresh demo database at ``url`` (SQLite file recreated): the Kim Tân commune and
    one account per role.  Returns ``[(username, role label, password)]``."""
    if url.startswith("sqlite:///"):
        path = pathlib.Path(url.split(":///", 1)[1])
        for suffix in ("", "-wal", "-shm"):
            pathlib.Path(f"{path}{suffix}").unlink(missing_ok=True)
    db = dbm.connect(url)
    dbm.migrate(db)
    unit = demo_mod.load()
    accounts = []
    with db.atomic():
        for username, role, password in DEMO_ACCOUNTS:
            user = User.get_or_none(User.username == username)
            if user is None:
                users.create_user(username, password, role, None if role == "ADMIN" else unit)
            else:
                users.set_password(user, password)
            accounts.append((username, users.Role(role).label, password))
    return accounts


@cli.command("serve")
@click.option("--demo", is_flag=True,
              help=f"Chạy trên cơ sở dữ liệu mẫu mới ({DEMO_URL}, tạo lại mỗi lần) với một "
                   "tài khoản cho mỗi vai trò.")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Địa chỉ lắng nghe (0.0.0.0 để máy khác trong mạng truy cập).")
@click.option("--port", default=8000, show_default=True, type=int, help="Cổng.")
@click.option("--threads", default=4, show_default=True, type=int, help="Số luồng xử lý.")
@pass_context
def serve(ctx, demo, host, port, threads):
    """Chạy bảng quản trị bằng máy chủ WSGI waitress."""
    import waitress

    import admin_app  # the web layer, imported only here

    config = {}
    if demo:
        url = DEMO_URL
        accounts = prepare_demo(url)
        if not os.environ.get("CANBO_SECRET_KEY"):
            config["SECRET_KEY"] = secrets.token_hex(32)  # demo only: sessions end with it
    else:
        url = dbm.database_url(ctx.url)
        ctx.open()
        accounts = []
    config["DATABASE"] = url
    try:
        app = admin_app.create_app(config)
    except admin_app.ConfigurationError as exc:
        raise UserError(str(exc)) from exc
    shown = "localhost" if host in ("0.0.0.0", "::") else host
    click.echo(f"Bảng quản trị: http://{shown}:{port}/admin/  (cơ sở dữ liệu {dbm.redact(url)})")
    if accounts:
        click.echo("Tài khoản mẫu (tên đăng nhập / mật khẩu):")
        for username, label, password in accounts:
            click.echo(f"  {label:<26} {username} / {password}")
    click.echo("Nhấn Ctrl+C để dừng.")
    waitress.serve(app, host=host, port=port, threads=threads, ident="canbo")
