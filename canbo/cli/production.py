"""``canbo serve --production``: the panel in several gunicorn worker processes.

A province runs one deployment for all its communes on PostgreSQL.  One waitress process
serves Python code on one core at a time (the GIL), so on a machine of N cores the
panel runs in ``default_workers()`` processes of a few threads each (gunicorn's
``gthread`` workers), each process binding the database itself after the fork
(``admin_app._init_database``).  Everything that must outlive a request or be seen by
another process lives in the database or the data folder (``canbo.db.data_folder``):
sessions are signed cookies, jobs and their progress are rows, uploads waiting for their
confirmation and job results are files under ``$CANBO_DATA_DIR``.

Background jobs do not run in the web processes: ``canbo worker`` runs them (on Redis,
``$CANBO_REDIS_URL``, or on the SQLite queue file when all processes share one machine).
The setup behind nginx with TLS is in ``docs/deployment.md``.
"""
import os

import click

from canbo import db as dbm
from canbo import jobs
from canbo.cli.common import UserError

#: Seconds a request may take before gunicorn restarts its worker: long work is a
#: background job (``canbo.jobs``), never a request of minutes.
TIMEOUT = 60


#: Threads of each worker process: while one waits on PostgreSQL, another runs.
DEFAULT_THREADS = 2


def default_workers(cores=None):
    """Worker processes for ``cores`` cores: one more than the cores, so that a process
    waiting on PostgreSQL leaves its core to another.  Not gunicorn's 2 × cores + 1: the
    panel's pages mostly run Python over figures kept in memory (``canbo.cache``), and on
    2 cores 3 processes of ``DEFAULT_THREADS`` served 122 requests/s at 50 sessions where
    5 served 107 (``bench/bench_load.py``, docs/benchmarks.md): more processes than that
    only take turns on the same cores."""
    cores = cores or os.cpu_count() or 1
    return cores + 1


def options(host, port, workers, threads):
    """gunicorn's settings for ``canbo serve --production``."""
    return {
        "bind": f"[{host}]:{port}" if ":" in host else f"{host}:{port}",
        "workers": workers,
        "worker_class": "gthread",
        "threads": threads,
        "timeout": TIMEOUT,
        "graceful_timeout": 30,
        "keepalive": 5,
        # one line per request on stdout, the errors on stderr: what systemd collects
        "accesslog": "-",
        "errorlog": "-",
        "proc_name": "canbo",
        # a worker process is replaced after this many requests, so that a slow leak
        # in any library never grows a process for months
        "max_requests": 5000,
        "max_requests_jitter": 500,
    }


def check(url):
    """Refuse a setup ``--production`` cannot serve, with the reason in one line."""
    if not dbm.is_postgres_url(url):
        raise UserError("«canbo serve --production» chạy nhiều tiến trình và cần "
                        "PostgreSQL (CANBO_DATABASE_URL=postgresql://…); một xã dùng SQLite "
                        "hãy chạy «canbo serve».")
    if not os.environ.get("CANBO_SECRET_KEY"):
        raise UserError("Chưa đặt CANBO_SECRET_KEY: mọi tiến trình phải dùng chung một khóa "
                        "bí mật (ví dụ: python -c 'import secrets; print(secrets.token_hex(32))').")
    try:
        import gunicorn  # noqa: F401
    except ImportError as exc:
        raise UserError("Thiếu gunicorn; hãy cài «pip install 'canbo[production]'».") from exc


def run(config, host, port, workers, threads):
    """Serve ``admin_app.create_app(config)`` from gunicorn until it is stopped."""
    from gunicorn.app.base import BaseApplication

    import admin_app

    # the settings are checked once here, before any worker starts, so that a wrong
    # one is one line, not a worker crashing in a loop
    try:
        admin_app.create_app(config)
    except admin_app.ConfigurationError as exc:
        raise UserError(str(exc)) from exc
    if not dbm.database.is_closed():
        dbm.database.close()  # the master holds no connection a worker would inherit

    class Panel(BaseApplication):
        def load_config(self):
            for key, value in options(host, port, workers, threads).items():
                self.cfg.set(key, value)

        def load(self):
            return admin_app.create_app(config)  # in each worker, after the fork

    kind, _ = jobs.queue_settings()
    click.echo(f"Bảng quản trị (gunicorn, {workers} tiến trình × {threads} luồng): "
               f"http://{host}:{port}/admin/  (cơ sở dữ liệu {dbm.redact(config['DATABASE'])})")
    click.echo(f"Công việc nền: hàng đợi {'Redis' if kind == 'redis' else 'SQLite'}, hãy chạy "
               "«canbo worker» bên cạnh.")
    Panel().run()
