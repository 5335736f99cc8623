"""Fixtures shared by the suite.

``db`` runs a test on SQLite and on PostgreSQL, each time on a database already migrated
and holding nothing a previous test wrote; ``demo_db`` is the same with the demo commune
(KIMTAN) loaded.  Migrating and loading the demo took most of a small test's time, so
each is done once per session: on SQLite into a template file that every test copies,
on PostgreSQL into the session's database, whose rows each test gets back from a
snapshot (``PostgresServer`` says why not ``CREATE DATABASE … TEMPLATE``).

PostgreSQL comes from ``$CANBO_TEST_POSTGRES_URL`` (default: the local server); each
pytest process (each xdist worker too) works in a database of its own, dropped at the
end, so parallel runs do not meet.  PostgreSQL tests are skipped only when no server
answers; CI always has one.

The admin panel's fixtures: ``app`` runs on the demo commune plus a second commune, XB,
with one person and one rating, so that tests can check that an officer of KIMTAN never
reaches XB's records; ``client``, ``login_as(role)``, ``csrf``, ``accounts``.  The
helpers tests call directly (``PASSWORD``, ``log_in``, ``csrf_token``) are in
``panel_helpers``.
"""
import os
import shutil
import socket
import subprocess
import time
import uuid

import flask
import jinja2
import peewee
import pytest
from click.testing import CliRunner

import fuzzing
from canbo import cache, settings
from canbo import db as dbm
from canbo.cli import cli
from canbo.models import Rating, Staff, Unit, all_models
from canbo.records import demo, demo_2026, users
from panel_helpers import PASSWORD, ROLES, USERNAMES, csrf_token, log_in, panel_app

# Property tests: derandomized under $CI, randomized elsewhere, a longer randomized
# profile for a separate hunt (HYPOTHESIS_PROFILE=long); fuzzing says how to run it.
fuzzing.load()

# scrypt, werkzeug's default, is slow on purpose; the suite makes hundreds of accounts and
# logs them in, and what it tests of passwords does not depend on the method.  A
# developer who sets the variable keeps their own.
os.environ.setdefault(users.PASSWORD_HASH_ENV, "pbkdf2:sha256:1")
# A developer's own Redis (a province's setup) is not the tests': the job and cache tests
# that use Redis start a server of their own (``redis_url``).
os.environ.pop(settings.REDIS_ENV, None)


class SharedBytecodeCache(jinja2.BytecodeCache):
    """Compiled templates shared by every Flask app of the process.

    Each test makes its own app, and each app's Jinja environment compiled the panel's
    templates again: half of an admin test's time.  Jinja keys the code by template file
    and checks it against the source, so a changed template is compiled afresh.
    """

    def __init__(self):
        self.codes = {}

    def load_bytecode(self, bucket):
        if bucket.key in self.codes:
            bucket.bytecode_from_string(self.codes[bucket.key])

    def dump_bytecode(self, bucket):
        self.codes[bucket.key] = bucket.bytecode_to_string()


flask.Flask.jinja_options = {**flask.Flask.jinja_options, "bytecode_cache": SharedBytecodeCache()}

PG_URL = os.environ.get(
    "CANBO_TEST_POSTGRES_URL", "postgresql://postgres:postgres@localhost:5432/postgres"
)

#: The templates a test's database may be copied from.
KINDS = ("migrated", "demo")


def _build(url, kind):
    """Migrate the database at ``url``, load the demo if ``kind`` asks for it, close."""
    database = dbm.connect(url)
    dbm.migrate(database)
    if kind == "demo":
        demo.load()
    database.close()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory):
    """``sqlite_template(kind)`` → the path of a template database, built on first use."""
    built = {}

    def path(kind):
        if kind not in built:
            target = tmp_path_factory.mktemp("templates") / f"{kind}.db"
            _build(f"sqlite:///{target}", kind)
            # Closing the last connection checkpoints the WAL into the file and removes
            # it; a copy of the file alone is then the whole database.
            assert not target.with_name(target.name + "-wal").exists()
            built[kind] = target
        return built[kind]

    return path


class PostgresServer:
    """This session's database on the test server, reset to a snapshot for each test.

    Copying a template with ``CREATE DATABASE … TEMPLATE`` was tried and measured: 0.4 s a
    copy on this machine (PostgreSQL writes and fsyncs every file of the new database),
    no faster than migrating.  So the session migrates one database, keeps a copy of its
    rows (and, after loading the demo, of those) in a schema per kind, and each test
    puts its kind's rows back: about 35 ms, in one transaction.
    """

    def __init__(self, admin, base):
        self.admin = admin
        self.name = f"canbo_test_{uuid.uuid4().hex[:10]}"
        self.url = f"{base}/{self.name}"
        self.reset_sql = None

    def _build(self):
        self.admin.execute_sql(f"CREATE DATABASE {self.name}")
        database = dbm.connect(self.url)
        dbm.migrate(database)
        models = peewee.sort_models(all_models())
        tables = [m._meta.table_name for m in models]
        present = {row[0] for row in database.execute_sql(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")}
        # Tables without a model (the migrations' history) refer to nothing: first.
        tables = sorted(present - set(tables)) + tables
        assert set(tables) == present, present ^ set(tables)
        self.reset_sql = {}
        for kind in KINDS:
            if kind == "demo":
                demo.load()
            database.execute_sql(f"CREATE SCHEMA snapshot_{kind}")
            for table in tables:
                database.execute_sql(
                    f'CREATE TABLE snapshot_{kind}."{table}" AS SELECT * FROM public."{table}"')
            sequences = database.execute_sql(
                "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public'"
            ).fetchall()
            self.reset_sql[kind] = "".join(
                [f'DELETE FROM public."{t}";' for t in reversed(tables)]
                + [f'INSERT INTO public."{t}" SELECT * FROM snapshot_{kind}."{t}";'
                   for t in tables]
                + [f"SELECT setval('public.\"{seq}\"', {value or 1}, {value is not None});"
                   for seq, value in sequences])
        database.close()

    def prepare(self):
        """The database's URL, ready for a new test's connection."""
        if self.reset_sql is None:
            self._build()
        # A connection a test left inside a transaction would hold its locks.
        self.admin.execute_sql(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
            (self.name,))
        return self.url

    def restore(self, database, kind):
        """Put back the rows (and the sequences) of ``kind`` through ``database``."""
        with database.atomic():
            database.execute_sql(self.reset_sql[kind])

    def close(self):
        self.admin.execute_sql(f"DROP DATABASE IF EXISTS {self.name} WITH (FORCE)")
        self.admin.close()


@pytest.fixture(scope="session")
def postgres():
    """This session's ``PostgresServer``, or skip when no server answers."""
    try:
        admin = dbm.url_connect(PG_URL)
        admin.connect()
    except peewee.OperationalError as exc:
        if os.environ.get("CI"):
            raise
        pytest.skip(f"no PostgreSQL server: {exc}")
    server = PostgresServer(admin, PG_URL.rsplit("/", 1)[0])
    yield server
    dbm.database.initialize(None)
    server.close()


@pytest.fixture(params=["sqlite", "postgres"])
def backend(request):
    return request.param


@pytest.fixture
def db(backend, tmp_path, request):
    """A migrated database of ``backend`` of this test's own, bound to the models; with
    the demo already loaded when the test also asks for ``demo_db``."""
    kind = "demo" if "demo_db" in request.fixturenames else "migrated"
    if backend == "sqlite":
        path = tmp_path / "canbo.db"
        shutil.copyfile(request.getfixturevalue("sqlite_template")(kind), path)
        url = f"sqlite:///{path}"
    else:
        server = request.getfixturevalue("postgres")
        url = server.prepare()
    database = dbm.connect(url)
    database.url = url
    if backend == "postgres":
        server.restore(database, kind)
    cache.clear()  # what an earlier test's monkeypatched rules computed is not kept
    yield database
    database.close()


@pytest.fixture
def demo_db(db):
    """``db`` with the demo commune loaded (it comes from the demo template)."""
    return db


@pytest.fixture
def run(db):
    """``run("report", "ratings", ...)`` → click Result, against the test database."""

    def invoke(*args, input=None):
        return CliRunner().invoke(cli, ["--db", db.url, *args], input=input,
                                  catch_exceptions=False)

    return invoke


# --- the admin panel ---------------------------------------------------------------------


def drop_demo_2026(db):
    """Remove the demo's 2026 ND 335 tracking (``records/demo_2026.py``): catalogue,
    assignments, sheets, heads, evaluators and old-unit months; the people (KT22
    transferred in on 01/07/2026 too), the maternity leave and the departments stay."""
    from canbo.models.tracking import (
        Assignment,
        Catalogue,
        CatalogueDecision,
        Evaluator,
        Head,
        OutsideMonth,
        Product,
        Sheet,
        SheetItem,
    )

    year = demo_2026.YEAR
    with db.atomic():
        SheetItem.delete().where(SheetItem.sheet.in_(
            Sheet.select(Sheet.id).where(Sheet.year == year))).execute()
        Sheet.delete().where(Sheet.year == year).execute()
        Assignment.delete().where(Assignment.year == year).execute()
        catalogues = Catalogue.select(Catalogue.id).where(Catalogue.year == year)
        Product.delete().where(Product.catalogue.in_(catalogues)).execute()
        CatalogueDecision.delete().where(CatalogueDecision.catalogue.in_(catalogues)).execute()
        Catalogue.delete().where(Catalogue.year == year).execute()
        Evaluator.delete().where(Evaluator.year == year).execute()
        Head.delete().execute()
        OutsideMonth.delete().where(OutsideMonth.year == year).execute()


@pytest.fixture
def without_demo_2026(demo_db):
    """The demo commune without its 2026 ND 335 tracking (``drop_demo_2026``), for a test
    that builds a 2026 of its own from the start."""
    drop_demo_2026(demo_db)
    return demo_db


@pytest.fixture
def other_unit(demo_db):
    """Commune XB: one person (Trần Văn Bình) and her 2022 rating."""
    unit = Unit.create(code="XB", name="UBND xã Bình Minh", place_name="Bình Minh")
    person = Staff(unit=unit, code="B01", full_name="Trần Văn Bình", kind="CIVIL_SERVANT")
    person.save()
    rating = Rating.create(staff=person, unit=unit, year=2022, rule_set="ND90_2020",
                           level="HTTNV", status="PROPOSED")
    return {"unit": unit, "staff": person, "rating": rating}


@pytest.fixture
def accounts(demo_db, other_unit):
    """One account per role in KIMTAN (the admin in none), and ``OFFICER_B`` in XB."""
    kimtan = Unit.get(Unit.code == "KIMTAN")
    made = {}
    for role in ROLES:
        made[role] = users.create_user(USERNAMES[role], PASSWORD, role,
                                       None if role == "ADMIN" else kimtan)
    made["OFFICER_B"] = users.create_user("canbo_b", PASSWORD, "OFFICER", other_unit["unit"])
    return made


@pytest.fixture
def app(demo_db, accounts):
    return panel_app(demo_db, TESTING=True)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def login_as(app):
    """``login_as("OFFICER")`` → a test client logged in with that role's account."""

    def make(role):
        client = app.test_client()
        if role is not None:
            username = "canbo_b" if role == "OFFICER_B" else USERNAMES[role]
            response = log_in(client, username)
            assert response.status_code == 302, response.get_data(as_text=True)
        return client

    return make


@pytest.fixture
def csrf():
    return csrf_token


@pytest.fixture
def redis_url(tmp_path):
    """The URL of a Redis server of this test's own (skipped without ``redis-server`` or
    the redis library; ``.ci/run`` installs both), stopped after it."""
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed on this machine")
    redis = pytest.importorskip("redis", reason="the redis client library is not installed")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen(["redis-server", "--port", str(port), "--save", "",
                               "--dir", str(tmp_path)], stdout=subprocess.DEVNULL)
    url = f"redis://127.0.0.1:{port}/0"
    client = redis.Redis.from_url(url)
    for _ in range(100):
        try:
            client.ping()
            break
        except redis.ConnectionError:
            time.sleep(0.05)
    yield url
    client.close()
    server.terminate()
    server.wait(10)
