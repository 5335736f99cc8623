"""A province's deployment: ``canbo serve --production`` (gunicorn worker processes on
PostgreSQL), the trusted proxy setting, and the data folder every process shares."""
import contextlib
import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request

import pytest
from click.testing import CliRunner

import admin_app
from canbo import db as dbm
from canbo.cli import cli, production
from canbo.models import Rating, Staff, Unit
from canbo.records import users
from canbo.rules.rulesets import rule_set_for
from panel_helpers import PASSWORD

pytest.importorskip("gunicorn", reason="gunicorn comes with the production extra")


def test_production_refuses_what_it_cannot_serve(tmp_path, monkeypatch):
    monkeypatch.setenv("CANBO_SECRET_KEY", "x" * 32)
    runner = CliRunner()
    sqlite = runner.invoke(cli, ["--db", f"sqlite:///{tmp_path}/x.db", "serve", "--production"])
    assert sqlite.exit_code == 2 and "cần PostgreSQL" in sqlite.output
    demo = runner.invoke(cli, ["serve", "--production", "--demo"])
    assert demo.exit_code == 2 and "không dùng cùng nhau" in demo.output
    workers = runner.invoke(cli, ["--db", f"sqlite:///{tmp_path}/x.db", "serve", "--workers", "3"])
    assert workers.exit_code == 2 and "chỉ dùng với --production" in workers.output
    monkeypatch.delenv("CANBO_SECRET_KEY")
    keyless = runner.invoke(cli, ["--db", "postgresql://u:p@localhost:1/x", "serve",
                                  "--production"])
    assert keyless.exit_code == 2 and "CANBO_SECRET_KEY" in keyless.output
    assert "Traceback" not in sqlite.output + demo.output + workers.output + keyless.output


def test_workers_follow_the_cores_and_requests_are_bounded_in_time():
    assert production.default_workers(2) == 3 and production.default_workers(8) == 9
    settings = production.options("127.0.0.1", 8000, 5, 4)
    assert (settings["bind"], settings["worker_class"], settings["threads"]) == (
        "127.0.0.1:8000", "gthread", 4)
    assert production.options("::1", 8000, 1, 1)["bind"] == "[::1]:8000"
    assert settings["timeout"] <= 60  # long work is a job, never a request of minutes


def _seen(monkeypatch, demo_db, proxies, headers):
    """What the panel reads of the client (address, scheme, host) with ``proxies``."""
    from flask import request

    monkeypatch.setenv("CANBO_TRUSTED_PROXIES", proxies)
    app = admin_app.create_app({"DATABASE": demo_db.url, "SECRET_KEY": "k" * 32})
    app.add_url_rule("/_seen", "seen",
                     lambda: f"{request.remote_addr} {request.scheme} {request.host}")
    return app.test_client().get("/_seen", headers=headers,
                                 environ_base={"REMOTE_ADDR": "127.0.0.1"}).get_data(as_text=True)


def test_behind_a_trusted_proxy_the_client_and_https_are_read_from_its_headers(
        demo_db, monkeypatch):
    forwarded = {"X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "https",
                 "X-Forwarded-Host": "canbo.tinh.gov.vn"}
    assert _seen(monkeypatch, demo_db, "1", forwarded) == "203.0.113.9 https canbo.tinh.gov.vn"
    # without a proxy, a client's own X-Forwarded-* headers are not believed
    assert _seen(monkeypatch, demo_db, "0", forwarded) == "127.0.0.1 http localhost"
    for wrong in ("-1", "many", "99"):
        monkeypatch.setenv("CANBO_TRUSTED_PROXIES", wrong)
        with pytest.raises(admin_app.ConfigurationError, match="CANBO_TRUSTED_PROXIES"):
            admin_app.create_app({"DATABASE": demo_db.url, "SECRET_KEY": "k" * 32})


def test_an_upload_waits_for_its_confirmation_in_the_shared_data_folder(
        login_as, tmp_path, monkeypatch):
    from canbo.models import Rating
    from test_admin_imports import confirm, upload, xlsx

    monkeypatch.setenv(dbm.DATA_DIR_ENV, str(tmp_path / "shared"))
    client = login_as("OFFICER")
    page = upload(client, xlsx([["Mã", "Năm", "Xếp loại"], ["KT03", 2019, "HTTNV"]]))
    waiting = list((tmp_path / "shared" / "imports").iterdir())
    assert len(waiting) == 1  # where every worker process finds it
    assert confirm(client, page).status_code == 302
    assert Rating.get(Rating.year == 2019).level == "HTTNV"
    assert list((tmp_path / "shared" / "imports").iterdir()) == []


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serving(demo_db, tmp_path, username, **env):
    """``(open, output)``: ``canbo serve --production`` (2 processes × 2 threads) on the
    test's database, ``open(path)`` a page as ``username`` logged in, ``output()`` what the
    server printed once it stopped."""
    demo_db.close()  # the server's processes open their own connections
    port = _free_port()
    env = {**os.environ, "CANBO_SECRET_KEY": "s" * 32, dbm.DATA_DIR_ENV: str(tmp_path), **env}
    server = subprocess.Popen(
        [sys.executable, "-c", "from canbo.cli import main; main()", "--db", demo_db.url,
         "serve", "--production", "--workers", "2", "--threads", "2", "--port", str(port)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    printed = []
    try:
        opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        deadline = time.monotonic() + 60
        while True:
            try:
                login_page = opener.open(f"{base}/admin/login/", timeout=5).read().decode()
                break
            except OSError as exc:
                if time.monotonic() > deadline or server.poll() is not None:
                    server.kill()  # say why it did not start: its own words
                    raise AssertionError("the server did not start: "
                                         + server.communicate(timeout=30)[0]) from exc
                time.sleep(0.3)
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', login_page).group(1)
        opener.open(f"{base}/admin/login/", data=urllib.parse.urlencode(
            {"username": username, "password": PASSWORD, "csrf_token": token}).encode(),
            timeout=10)
        yield (lambda path: opener.open(base + path, timeout=30)), (lambda: printed[0])
    finally:
        server.terminate()
        # gunicorn lets a worker finish for up to its graceful_timeout (30 s) before it
        # stops it: waiting exactly as long raced that end
        printed.append(server.communicate(timeout=production.options("", 0, 1, 1)[
            "graceful_timeout"] + 30)[0])


def test_gunicorn_workers_serve_logged_in_sessions_on_postgresql(demo_db, tmp_path):
    if not dbm.is_postgres_url(demo_db.url):
        pytest.skip("--production runs on PostgreSQL only")
    users.create_user("canbo", PASSWORD, "OFFICER", Unit.get(Unit.code == "KIMTAN"))
    with serving(demo_db, tmp_path, "canbo") as (open_page, output):
        # many requests, answered by both processes: the session is the same in each
        pages = [open_page("/admin/staff/") for _ in range(12)]
        assert {page.status for page in pages} == {200}
        assert all("Nguyễn" in page.read().decode() for page in pages)
    out = output()
    assert "gunicorn, 2 tiến trình × 2 luồng" in out
    assert len(set(re.findall(r"Booting worker with pid: (\d+)", out))) == 2
    assert "Traceback" not in out


def test_the_processes_share_the_dashboard_through_redis_and_show_each_commit(
        demo_db, tmp_path, redis_url):
    """Both processes read the chairman's dashboard that one of them worked out and
    stored in Redis; after an approval every process's next dashboard counts it."""
    if not dbm.is_postgres_url(demo_db.url):
        pytest.skip("the figures are kept on PostgreSQL only")
    import redis

    users.create_user("chutich", PASSWORD, "CHAIRMAN", Unit.get(Unit.code == "KIMTAN"))
    store = redis.Redis.from_url(redis_url)
    path = "/admin/dashboard/?unit=KIMTAN&year=2026"
    with serving(demo_db, tmp_path, "chutich", CANBO_REDIS_URL=redis_url) as (open_page, _):
        before = [open_page(path).read().decode() for _ in range(8)]
        assert all("Đã phê duyệt hoặc công bố 0 trên 19 người" in page for page in before)
        assert store.keys("canbo:kept:*")  # worked out once, shared
        staff = Staff.get(Staff.code == "KT12")
        Rating.create(staff=staff, unit=staff.unit, year=2026, level="HTTNV",
                      self_level="HTTNV", rule_set=rule_set_for(2026, staff.kind),
                      status="APPROVED")
        demo_db.close()
        after = [open_page(path).read().decode() for _ in range(8)]
        assert all("Đã phê duyệt hoặc công bố 1 trên 19 người" in page for page in after)
    store.close()


def test_the_panel_reuses_its_postgresql_connections(demo_db, monkeypatch):
    """Each request used to open a connection (a PostgreSQL backend process) and close
    it; the panel's processes keep them in a pool, and a failed statement leaves none
    broken for the next request."""
    if not dbm.is_postgres_url(demo_db.url):
        pytest.skip("the pool is PostgreSQL's")
    from panel_helpers import log_in

    app = admin_app.create_app({"DATABASE": demo_db.url + "?application_name=pooltest",
                                "SECRET_KEY": "k" * 32})
    import peewee

    bound = dbm.database.obj
    opened = []
    real = peewee.PostgresqlDatabase._connect
    monkeypatch.setattr(peewee.PostgresqlDatabase, "_connect",
                        lambda self: opened.append(1) or real(self))
    users.create_user("canbo", PASSWORD, "OFFICER", Unit.get(Unit.code == "KIMTAN"))
    bound.close()
    client = app.test_client()
    log_in(client, "canbo")
    assert {client.get("/admin/staff/").status_code for _ in range(15)} == {200}
    with app.app_context():
        try:
            bound.execute_sql("SELECT * FROM no_such_table")
        except Exception:  # noqa: BLE001 - the failure a request may leave behind
            pass
    assert client.get("/admin/staff/").status_code == 200
    assert len(opened) <= 2  # one connection reused by 18 requests, not 18 opened
    getattr(bound, "close_all", lambda: None)()


def test_behind_nginx_each_client_has_its_own_login_count(demo_db, accounts, monkeypatch):
    """Every request reaches the panel from nginx's 127.0.0.1: without the trusted proxy
    setting one guesser would stop every officer of the province from logging in."""
    from canbo.records import users as accounts_mod
    from panel_helpers import log_in

    monkeypatch.setenv("CANBO_TRUSTED_PROXIES", "1")
    app = admin_app.create_app({"DATABASE": demo_db.url, "SECRET_KEY": "k" * 32})

    def via_nginx(client_address):
        client = app.test_client()
        client.environ_base.update({"REMOTE_ADDR": "127.0.0.1",
                                    "HTTP_X_FORWARDED_FOR": client_address})
        return client

    guesser = via_nginx("203.0.113.7")
    for n in range(accounts_mod.ADDRESS_FAILURES):
        log_in(guesser, f"nguoi{n}", "doan-mo-123")
    assert log_in(guesser, "canbo", PASSWORD).status_code == 429
    assert log_in(via_nginx("192.168.1.20"), "canbo", PASSWORD).status_code == 302
