"""The ``canbo`` command: a thin click layer over the library.

Every domain error becomes one Vietnamese line on stderr and exit status 2, never a
traceback.  Feature modules add their commands at the end of this file.
"""
import datetime
import sys

import click
import peewee

from . import backup as backup_mod
from . import db as dbm
from . import demo as demo_mod
from . import reports
from .errors import CanboError, DatabaseUnavailable
from .vietnamese import parse_date


class UserError(click.ClickException):
    """A message for the user: printed alone, in Vietnamese, exit status 2."""

    exit_code = 2

    def show(self, file=None):
        click.echo(f"Lỗi: {self.message}", err=True)


class Group(click.Group):
    """Turns domain and database errors raised by any command into ``UserError``."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except CanboError as exc:
            raise UserError(exc.message) from exc
        except peewee.DatabaseError as exc:
            raise UserError(f"Lỗi cơ sở dữ liệu: {str(exc).strip()}") from exc


class DateType(click.ParamType):
    """A date written YYYY-MM-DD or dd/mm/yyyy."""

    name = "NGÀY"

    def convert(self, value, param, ctx):
        if isinstance(value, datetime.date):
            return value
        try:
            day = parse_date(value)
        except ValueError:
            day = None
        if day is None:
            raise UserError(
                f"Ngày «{value}» của {param.opts[0] if param else 'tham số'} không hợp lệ; "
                "hãy viết YYYY-MM-DD (ví dụ 2023-06-30) hoặc dd/mm/yyyy (30/06/2023)."
            )
        return day


class YearType(click.ParamType):
    name = "NĂM"

    def convert(self, value, param, ctx):
        try:
            year = int(value)
        except (TypeError, ValueError):
            year = None
        if year is None or not 2000 <= year <= 2100:
            raise UserError(f"Năm «{value}» không hợp lệ; hãy viết bốn chữ số, ví dụ 2022.")
        return year


DATE = DateType()
YEAR = YearType()


class Context:
    """What every command shares: the database URL, opened on first use."""

    def __init__(self, url):
        self.url = url
        self.db = None

    def open(self, upgrade=False):
        """Connect; with ``upgrade`` apply pending migrations, else insist there are none."""
        if self.db is None:
            self.db = dbm.connect(self.url)
        if upgrade:
            dbm.migrate(self.db)
        elif dbm.pending_migrations(self.db):
            raise DatabaseUnavailable(
                f"Cơ sở dữ liệu «{dbm.redact(dbm.database_url(self.url))}» chưa được khởi "
                "tạo hoặc cần nâng cấp; hãy chạy «canbo init»."
            )
        return self.db


pass_context = click.make_pass_decorator(Context)


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--db",
    "url",
    envvar="CANBO_DATABASE_URL",
    metavar="URL",
    help="Cơ sở dữ liệu: sqlite:///đường/dẫn.db hoặc postgresql://… "
    f"(mặc định $CANBO_DATABASE_URL, hoặc {dbm.DEFAULT_URL}).",
)
@click.version_option(package_name="canbo")
@click.pass_context
def cli(ctx, url):
    """canbo — hồ sơ và đánh giá, xếp loại chất lượng cán bộ, công chức."""
    ctx.obj = Context(url)


@cli.command()
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


@cli.command()
@pass_context
def demo(ctx):
    """Nạp xã mẫu Kim Tân (dữ liệu hư cấu tái hiện báo cáo 07/07/2023).

    Chạy lại không thay đổi gì. In ra mã đơn vị đã tạo.
    """
    ctx.open(upgrade=True)
    unit = demo_mod.load()
    click.echo(unit.code)


@cli.group(cls=Group)
def report():
    """Báo cáo: kết quả xếp loại của một năm, cơ cấu trình độ tại một ngày."""


FORMAT = click.option(
    "--format", "fmt", type=click.Choice(["text", "json", "csv"]), default="text",
    show_default=True, help="Dạng kết quả.",
)
UNIT = click.option("--unit", metavar="MÃ", help="Mã đơn vị (bỏ trống khi chỉ có một đơn vị).")
SUBUNITS = click.option(
    "--subunits/--no-subunits", default=True, show_default=True,
    help="Tính cả các đơn vị trực thuộc.",
)


@report.command("ratings")
@click.option("--year", type=YEAR, required=True, help="Năm đánh giá.")
@UNIT
@SUBUNITS
@FORMAT
@pass_context
def report_ratings(ctx, year, unit, subunits, fmt):
    """Kết quả xếp loại chất lượng của đơn vị trong một năm: số lượng và tỷ lệ."""
    ctx.open()
    result = reports.ratings_report(reports.find_unit(unit), year, subunits)
    click.echo(reports.render(result, fmt), nl=False)


@report.command("qualifications")
@click.option("--at", "at", type=DATE, required=True, help="Ngày chốt số liệu (YYYY-MM-DD).")
@UNIT
@SUBUNITS
@FORMAT
@pass_context
def report_qualifications(ctx, at, unit, subunits, fmt):
    """Cơ cấu trình độ chuyên môn, lý luận chính trị, quản lý nhà nước tại một ngày."""
    ctx.open()
    result = reports.qualification_report(reports.find_unit(unit), at, subunits)
    click.echo(reports.render(result, fmt), nl=False)


@cli.command("backup")
@click.argument("file", type=click.Path(dir_okay=False, writable=True))
@pass_context
def backup_cmd(ctx, file):
    """Sao lưu toàn bộ cơ sở dữ liệu vào FILE (SQLite: bản sao trực tuyến; .json: JSON)."""
    db = ctx.open()
    kind = backup_mod.backup(db, file)
    click.echo(f"Đã sao lưu ({kind}) vào {file}")


@cli.command("restore")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--yes", is_flag=True, help="Không hỏi lại trước khi ghi đè.")
@pass_context
def restore_cmd(ctx, file, yes):
    """Khôi phục cơ sở dữ liệu từ FILE (thay toàn bộ dữ liệu hiện có)."""
    db = dbm.connect(ctx.url)
    if not yes and sys.stdin.isatty():
        click.confirm("Toàn bộ dữ liệu hiện có sẽ bị thay thế. Tiếp tục?", abort=True)
    backup_mod.restore(db, file)
    click.echo(f"Đã khôi phục từ {file}")


def main():
    cli(prog_name="canbo")


# Feature modules register their commands on ``cli`` when imported.
from . import (  # noqa: E402,F401
    cli_check,
    cli_dashboard,
    cli_print,
    cli_score,
    cli_sheets,
    cli_users,
)
