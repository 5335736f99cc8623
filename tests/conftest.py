"""Fixtures shared by the suite.

``db`` runs a test on SQLite and on PostgreSQL: a fresh, migrated database each time.
PostgreSQL comes from ``$CANBO_TEST_POSTGRES_URL`` (default: the local server); each
pytest process works in a database of its own, dropped at the end, so parallel runs do
not meet.  PostgreSQL tests are skipped only when no server answers; CI always has one.
"""
import os
import uuid

import peewee
import pytest
from click.testing import CliRunner

from canbo import db as dbm
from canbo.cli import cli

PG_URL = os.environ.get(
    "CANBO_TEST_POSTGRES_URL", "postgresql://postgres:postgres@localhost:5432/postgres"
)


def _pg_admin():
    return dbm.url_connect(PG_URL)


@pytest.fixture(scope="session")
def pg_url():
    """URL of a PostgreSQL database owned by this test session, or skip."""
    try:
        admin = _pg_admin()
        admin.connect()
    except peewee.OperationalError as exc:
        if os.environ.get("CI"):
            raise
        pytest.skip(f"no PostgreSQL server: {exc}")
    name = f"canbo_test_{uuid.uuid4().hex[:10]}"
    admin.execute_sql(f"CREATE DATABASE {name}")
    base = PG_URL.rsplit("/", 1)[0]
    yield f"{base}/{name}"
    dbm.database.initialize(None)
    admin.execute_sql(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (name,)
    )
    admin.execute_sql(f"DROP DATABASE IF EXISTS {name}")
    admin.close()


def fresh_database(backend, tmp_path, request):
    """Connect to an empty, migrated database of ``backend``; returns (db, url)."""
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path / 'canbo.db'}"
        db = dbm.connect(url)
    else:
        url = request.getfixturevalue("pg_url")
        db = dbm.connect(url)
        db.execute_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    dbm.migrate(db)
    return db, url


@pytest.fixture(params=["sqlite", "postgres"])
def backend(request):
    return request.param


@pytest.fixture
def db(backend, tmp_path, request):
    database, url = fresh_database(backend, tmp_path, request)
    database.url = url
    yield database
    database.close()


@pytest.fixture
def demo_db(db):
    from canbo.records import demo

    demo.load()
    return db


@pytest.fixture
def run(db):
    """``run("report", "ratings", ...)`` → click Result, against the test database."""

    def invoke(*args, input=None):
        return CliRunner().invoke(cli, ["--db", db.url, *args], input=input,
                                  catch_exceptions=False)

    return invoke
