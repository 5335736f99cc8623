"""What every command shares: the error type, the parameter types, the context, options.

Every failure becomes one Vietnamese line on stderr and exit status 2, never a traceback
or an English word (``Group``): a domain error, a database error, a file that cannot be
read or written (``OUTPUT`` checks an output file's folder before any work), and click's
own usage errors, whose texts ``canbo.cli.click_vi`` puts in Vietnamese.
"""
import datetime
import errno
import os
import sys

import click
import peewee

from canbo import db as dbm
from canbo.cli import click_vi
from canbo.errors import CanboError, DatabaseUnavailable
from canbo.vietnamese import parse_date


class UserError(click.ClickException):
    """A message for the user: printed alone, in Vietnamese, exit status 2."""

    exit_code = 2

    def show(self, file=None):
        click.echo(f"Lỗi: {self.message}", err=True)


click_vi.install()  # before any command declares its options

#: What an ``OSError`` means, for the line the user reads (the system's text is English).
OS_ERRORS = {
    errno.ENOENT: "không có tệp hoặc thư mục này",
    errno.EACCES: "không có quyền đọc/ghi",
    errno.EPERM: "không có quyền đọc/ghi",
    errno.EISDIR: "đây là một thư mục, không phải tệp",
    errno.ENOTDIR: "một phần của đường dẫn không phải là thư mục",
    errno.ENOSPC: "ổ đĩa đã đầy",
    errno.EROFS: "ổ đĩa chỉ cho đọc",
}


def usage_line(exc):
    """One line for a click usage error: the message, then where help is."""
    ctx = exc.ctx
    hint = f" Xem «{ctx.command_path} --help»." if ctx is not None else ""
    return f"{exc.format_message()}{hint}"


def os_error_line(exc):
    what = OS_ERRORS.get(exc.errno, exc.strerror or str(exc))
    where = f" «{exc.filename}»" if exc.filename else ""
    return f"Không đọc/ghi được{where}: {what}."


class Group(click.Group):
    """Turns every failure of any command, click's usage errors included, into
    ``UserError``: one Vietnamese line on stderr, exit status 2."""

    def make_context(self, info_name, args, parent=None, **extra):
        try:
            return super().make_context(info_name, args, parent=parent, **extra)
        except click.exceptions.NoArgsIsHelpError:
            raise
        except click.UsageError as exc:
            raise UserError(usage_line(exc)) from exc

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except click.exceptions.NoArgsIsHelpError:
            raise
        except click.UsageError as exc:
            raise UserError(usage_line(exc)) from exc
        except CanboError as exc:
            raise UserError(exc.message) from exc
        except peewee.DatabaseError as exc:
            raise UserError(f"Lỗi cơ sở dữ liệu: {str(exc).strip()}") from exc
        except OSError as exc:
            raise UserError(os_error_line(exc)) from exc


class OutputPath(click.Path):
    """A file to write: refused before any work when its folder does not exist or is
    not writable, or when it is a folder itself."""

    def __init__(self):
        super().__init__(dir_okay=False, writable=True)

    def convert(self, value, param, ctx):
        path = super().convert(value, param, ctx)
        folder = os.path.dirname(os.path.abspath(os.fsdecode(path)))
        name = param.opts[-1] if param else "tệp kết quả"
        if not os.path.isdir(folder):
            raise UserError(f"Không có thư mục «{folder}» để ghi {name} «{value}»; hãy tạo "
                            "thư mục trước hoặc chọn thư mục khác.")
        if not os.access(folder, os.W_OK):
            raise UserError(f"Không có quyền ghi vào thư mục «{folder}» ({name} «{value}»).")
        return path


class DateType(click.ParamType):
    """A date written dd/mm/yyyy (d/m/yyyy) or YYYY-MM-DD: ``canbo.vietnamese.parse_date``."""

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
                "hãy viết dd/mm/yyyy (ví dụ 30/06/2023) hoặc YYYY-MM-DD (2023-06-30)."
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
OUTPUT_FILE = OutputPath()


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
