"""``canbo serve``: the admin panel on waitress (the panel is imported when it runs)."""
import os
import pathlib
import secrets

import click

from canbo import db as dbm
from canbo.cli.common import UserError, pass_context
from canbo.levels import Role
from canbo.models import User
from canbo.records import demo as demo_mod
from canbo.records import users

DEMO_URL = "sqlite:///instance/canbo-demo.db"

#: The demo accounts: one per role, passwords printed by ``serve --demo``.
DEMO_ACCOUNTS = [
    ("admin", "ADMIN", "admin-demo"),
    ("canbo", "OFFICER", "canbo-demo"),
    ("chutich", "CHAIRMAN", "chutich-demo"),
    ("xem", "VIEWER", "xem-demo"),
]


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
                users.create_user(username, password, role,
                                  unit if users.needs_unit(role) else None)
            else:
                users.set_password(user, password)
            accounts.append((username, Role(role).label, password))
    return accounts


@click.command("serve")
@click.option("--demo", is_flag=True,
              help=f"Chạy trên cơ sở dữ liệu mẫu mới ({DEMO_URL}, tạo lại mỗi lần) với một "
                   "tài khoản cho mỗi vai trò.")
@click.option("--host", default="127.0.0.1", show_default=True, metavar="ĐỊA_CHỈ",
              help="Địa chỉ lắng nghe (0.0.0.0 để máy khác trong mạng truy cập).")
@click.option("--port", default=8000, show_default=True, type=int, metavar="CỔNG", help="Cổng.")
@click.option("--threads", default=4, show_default=True, type=int, metavar="SỐ", help="Số luồng xử lý.")
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
