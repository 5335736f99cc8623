"""``canbo serve``: the admin panel on waitress (the panel is imported when it runs).

Waitress's worker threads are sized for the machine unless ``--threads`` says otherwise
(``default_threads``), and its "Task queue depth is N" warning — logged on every request
that waits for a free thread, which under a burst flooded the log (issue 16) — goes
through at most once a minute, with the count of those held back (``OncePerInterval``).
"""
import logging
import os
import pathlib
import secrets
import threading
import time

import click

from canbo import db as dbm
from canbo import jobs
from canbo.cli import production as production_mod
from canbo.cli.common import UserError, pass_context
from canbo.levels import Role
from canbo.models import Staff, User
from canbo.records import demo as demo_mod
from canbo.records import users

DEMO_URL = "sqlite:///instance/canbo-demo.db"

#: The demo accounts: one per role, passwords printed by ``serve --demo``; the two
#: ``STAFF`` accounts are bound to a person of the demo (``DEMO_STAFF``): a civil servant
#: and the department head who evaluates them (``demo_2026``).
DEMO_ACCOUNTS = [
    ("admin", "ADMIN", "admin-demo"),
    ("canbo", "OFFICER", "canbo-demo"),
    ("chutich", "CHAIRMAN", "chutich-demo"),
    ("xem", "VIEWER", "xem-demo"),
    ("congchuc", "STAFF", "congchuc-demo"),
    ("truongbp", "STAFF", "truongbp-demo"),
]
DEMO_STAFF = {"congchuc": ("KT14", "công chức"),
              "truongbp": ("KT13", "trưởng bộ phận, đánh giá KT14")}


def prepare_demo(url):
    """A fresh demo database at ``url`` (SQLite file recreated): the Kim Tân commune and
    one account per role.  Returns ``[(username, role label, password, who)]``, ``who``
    naming the person an account is bound to (else empty)."""
    if url.startswith("sqlite:///"):
        path = pathlib.Path(url.split(":///", 1)[1])
        for suffix in ("", "-wal", "-shm"):
            pathlib.Path(f"{path}{suffix}").unlink(missing_ok=True)
    db = dbm.connect(url)
    dbm.migrate(db)
    unit = demo_mod.load()
    return demo_accounts(unit)


def demo_accounts(unit, accounts=DEMO_ACCOUNTS):
    """Create (or reset the password of) the demo ``accounts`` in ``unit``; the same
    return as ``prepare_demo``."""
    out = []
    with dbm.database.atomic():
        for username, role, password in accounts:
            user = User.get_or_none(User.username == username)
            staff, who = None, ""
            if username in DEMO_STAFF:
                code, what = DEMO_STAFF[username]
                staff = Staff.get(Staff.unit == unit, Staff.code == code)
                who = f"{code} {staff.full_name}, {what}"
            if user is None:
                user = users.create_user(username, password, role,
                                         unit if users.needs_unit(role) else None,
                                         staff=staff, email=f"{username}@kimtan.example")
            else:
                users.set_password(user, password)
            out.append((username, Role(role).label, password, who))
    return out


def cpu_count():
    """The processors this process may run on."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def default_threads(cpus=None):
    """Waitress's worker threads for a machine of ``cpus`` processors: a request mostly
    waits on the database or the disk, so four per processor, at least 8 and at most 32
    (each thread may hold a database connection; PostgreSQL's default allows 100)."""
    return max(8, min(32, 4 * (cpus or cpu_count())))


class OncePerInterval(logging.Filter):
    """Let a logger's records through at most once per ``seconds`` (default a minute);
    the next one let through says how many were held back meanwhile.  ``clock`` is
    ``time.monotonic`` unless a test gives another."""

    def __init__(self, seconds=60, clock=time.monotonic):
        super().__init__()
        self.seconds, self.clock = seconds, clock
        self.last, self.held = None, 0
        self.lock = threading.Lock()

    def filter(self, record):
        with self.lock:
            at = self.clock()
            if self.last is not None and at - self.last < self.seconds:
                self.held += 1
                return False
            self.last, held, self.held = at, self.held, 0
        if held:
            record.msg = f"{record.getMessage()} (và {held} cảnh báo như vậy trong " \
                         f"{self.seconds} giây trước, đã lược bớt)"
            record.args = ()
        return True


QUEUE_LOGGER = "waitress.queue"


def quiet_queue_warnings(seconds=60):
    """Install ``OncePerInterval`` on waitress's queue logger (once); returns it."""
    logger = logging.getLogger(QUEUE_LOGGER)
    for existing in logger.filters:
        if isinstance(existing, OncePerInterval):
            return existing
    found = OncePerInterval(seconds)
    logger.addFilter(found)
    return found


def start_jobs_consumer():
    """Run the background jobs (``canbo.jobs``) beside the web server when the queue is
    SQLite (a commune: nothing else to start); with Redis, ``canbo worker`` runs them."""
    kind, _ = jobs.queue_settings()
    if kind != "sqlite":
        click.echo("Công việc nền: hàng đợi Redis, hãy chạy «canbo worker».")
        return None
    jobs.interrupted()  # this is the queue's one consumer: no job of it still runs
    return jobs.start_consumer(workers=1)


@click.command("serve")
@click.option("--demo", is_flag=True,
              help=f"Chạy trên cơ sở dữ liệu mẫu mới ({DEMO_URL}, tạo lại mỗi lần) với một "
                   "tài khoản cho mỗi vai trò.")
@click.option("--host", default="127.0.0.1", show_default=True, metavar="ĐỊA_CHỈ",
              help="Địa chỉ lắng nghe (0.0.0.0 để máy khác trong mạng truy cập).")
@click.option("--port", default=8000, show_default=True, type=int, metavar="CỔNG", help="Cổng.")
@click.option("--threads", type=click.IntRange(1, 256), metavar="SỐ",
              help="Số luồng xử lý (mặc định theo số bộ xử lý của máy: 4 luồng mỗi bộ xử "
                   "lý, từ 8 đến 32; với --production: 4 mỗi tiến trình).")
@click.option("--production", is_flag=True,
              help="Chạy nhiều tiến trình gunicorn trên PostgreSQL (một tỉnh; xem "
                   "docs/deployment.md).")
@click.option("--workers", type=click.IntRange(1, 64), metavar="SỐ",
              help="Số tiến trình của --production (mặc định 2 × số lõi + 1).")
@pass_context
def serve(ctx, demo, host, port, threads, production, workers):
    """Chạy bảng quản trị bằng máy chủ WSGI waitress (hoặc gunicorn với --production)."""
    if production:
        if demo:
            raise UserError("--production và --demo không dùng cùng nhau: bản mẫu chạy trên "
                            "SQLite với «canbo serve --demo».")
        url = dbm.database_url(ctx.url)
        production_mod.check(url)
        ctx.open()
        production_mod.run({"DATABASE": url}, host, port,
                           workers or production_mod.default_workers(),
                           threads or production_mod.DEFAULT_THREADS)
        return
    if workers:
        raise UserError("--workers chỉ dùng với --production.")
    import waitress

    import admin_app  # the web layer, imported only here

    config = {}
    if demo:
        config["DEMO"] = True  # on http://localhost: no Secure cookies (admin_views.security)
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
        for username, label, password, who in accounts:
            click.echo(f"  {label:<26} {username} / {password}" + (f"  ({who})" if who else ""))
    threads = threads or default_threads()
    click.echo(f"Số luồng xử lý: {threads}. Nhấn Ctrl+C để dừng.")
    quiet_queue_warnings()
    consumer = start_jobs_consumer()
    try:
        waitress.serve(app, host=host, port=port, threads=threads, ident="canbo",
                       # a body past the panel's bound is refused by waitress before the
                       # panel sees it, never buffered whole
                       max_request_body_size=app.config["MAX_CONTENT_LENGTH"])
    finally:
        # the consumer's threads end with the server, never left polling the queue
        if consumer is not None:
            consumer.stop(graceful=True)
