"""What every command shares: the error type, the parameter types, the context, options.

Every domain error becomes one Vietnamese line on stderr and exit status 2, never a
traceback (``Group``).
"""
import datetime
import sys

import click
import peewee

from canbo import db as dbm
from canbo.errors import CanboError, DatabaseUnavailable
from canbo.vietnamese import parse_date


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


FORMAT = click.option(
    "--format", "fmt", type=click.Choice(["text", "json", "csv"]), default="text",
    show_default=True, help="Dạng kết quả.",
)
UNIT = click.option("--unit", metavar="MÃ", help="Mã đơn vị (bỏ trống khi chỉ có một đơn vị).")
SUBUNITS = click.option(
    "--subunits/--no-subunits", default=True, show_default=True,
    help="Tính cả các đơn vị trực thuộc.",
)


class Progress:
    """``with Progress("Đang in phiếu") as report: work(progress=report)``: click's
    progress bar on a terminal, nothing at all when the output is a file or a pipe (a
    cron job's log stays clean).  ``report(done, total)`` is what the library's long
    operations call (``canbo.documents.batch.render_batch``'s ``progress``)."""

    def __init__(self, label, file=None):
        self.label = label
        self.file = file
        self.bar = None

    def __enter__(self):
        return self

    def __call__(self, done, total):
        stream = self.file or sys.stderr
        if not (hasattr(stream, "isatty") and stream.isatty()):
            return
        if self.bar is None:
            self.bar = click.progressbar(length=total, label=self.label, file=stream,
                                         show_pos=True, show_eta=True)
            self.bar.__enter__()
        self.bar.update(done - self.bar.pos)

    def __exit__(self, *exc):
        if self.bar is not None:
            self.bar.__exit__(*exc)
        return False
