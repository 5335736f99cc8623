"""``canbo init``, ``canbo demo``, ``canbo backup`` and ``canbo restore``: the database."""
import sys

import click

from canbo import db as dbm
from canbo.cli.common import OUTPUT_FILE, pass_context
from canbo.records import backup as backup_mod
from canbo.records import demo as demo_mod


@click.command()
@pass_context
def init(ctx):
    """Tạo mới hoặc nâng cấp cơ sở dữ liệu (áp dụng các migration còn thiếu)."""
    db = dbm.connect(ctx.url)
    applied = dbm.migrate(db)
    ctx.db = db
    url = dbm.redact(dbm.database_url(ctx.url))
    if applied:
        click.echo(f"Đã áp dụng {len(applied)} migration: {', '.join(applied)}.")
    click.echo(f"Cơ sở dữ liệu sẵn sàng: {url}")


@click.command()
@pass_context
def demo(ctx):
    """Nạp xã mẫu Kim Tân (dữ liệu hư cấu tái hiện báo cáo 07/07/2023).

    Chạy lại không thay đổi gì. In ra mã đơn vị đã tạo.
    """
    ctx.open(upgrade=True)
    unit = demo_mod.load()
    click.echo(unit.code)


@click.command("backup")
@click.argument("file", metavar="TỆP", type=OUTPUT_FILE)
@pass_context
def backup_cmd(ctx, file):
    """Sao lưu toàn bộ cơ sở dữ liệu vào TỆP (SQLite: bản sao trực tuyến; .json: JSON)."""
    db = ctx.open()
    kind = backup_mod.backup(db, file)
    click.echo(f"Đã sao lưu ({kind}) vào {file}")


@click.command("restore")
@click.argument("file", metavar="TỆP", type=click.Path(dir_okay=False))
@click.option("--yes", is_flag=True, help="Không hỏi lại trước khi ghi đè.")
@pass_context
def restore_cmd(ctx, file, yes):
    """Khôi phục cơ sở dữ liệu từ TỆP (thay toàn bộ dữ liệu hiện có).

    TỆP được kiểm tra trọn vẹn trước (toàn vẹn, cấu trúc, số dòng, tổng kiểm tra); dữ liệu
    hiện có được giữ thành một bản sao ghi ngày giờ (SQLite: tệp bên cạnh; PostgreSQL: tệp
    JSON cạnh TỆP) trước khi bị thay."""
    db = dbm.connect(ctx.url)
    if not yes and sys.stdin.isatty():
        click.confirm("Toàn bộ dữ liệu hiện có sẽ bị thay thế. Tiếp tục?", abort=True)
    done = backup_mod.restore(db, file)
    kept = f"; dữ liệu trước khi khôi phục được giữ tại {done.kept}" if done.kept else ""
    click.echo(f"Đã khôi phục từ {file}{kept}.")
