"""The database: chosen by URL, bound late, upgraded by numbered migrations.

Models are declared against ``database``, a ``DatabaseProxy``; ``connect(url)`` binds it
(``sqlite:///path`` or ``postgresql://user:pass@host/db``, as playhouse.db_url reads
them).  ``migrate()`` applies the scripts in ``canbo/migrations`` with
``playhouse.migrations``; nothing calls ``create_tables`` on the live models.
"""
import importlib.util
import os
import pathlib

import peewee
from playhouse.db_url import connect as url_connect
from playhouse.migrations import Runner

from canbo.errors import DatabaseUnavailable

database = peewee.DatabaseProxy()

DEFAULT_URL = "sqlite:///instance/canbo.db"
MIGRATIONS = pathlib.Path(__file__).with_name("migrations")
#: The largest row id and the largest whole number a column holds: PostgreSQL's INTEGER
#: (SERIAL) is 32 bits; a larger one sent to the database is an error, not "no such row".
MAX_INT = 2**31 - 1

POSTGRES_SCHEMES = {"postgres", "postgresql", "postgresext", "postgresqlext", "psycopg3"}
NO_POSTGRES_DRIVER = (
    "Cơ sở dữ liệu PostgreSQL cần thư viện psycopg2, chưa được cài đặt; hãy chạy "
    "«pip install 'canbo[postgres]'» (SQLite không cần)."
)

# WAL lets the panel read while a batch job writes; the busy timeout makes a second
# writer wait instead of failing at once; foreign keys are off by default in SQLite.
SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "busy_timeout": 10_000,
    "foreign_keys": 1,
    "synchronous": "normal",
}


class BaseModel(peewee.Model):
    class Meta:
        database = database
        legacy_table_names = False


def database_url(url=None):
    """The URL to use: the one given, else ``$CANBO_DATABASE_URL``, else the default."""
    return url or os.environ.get("CANBO_DATABASE_URL") or DEFAULT_URL


def connect(url=None):
    """Open the database named by ``url`` and bind the models to it.

    Raises ``DatabaseUnavailable`` with a Vietnamese message when it cannot be reached.
    """
    url = database_url(url)
    kwargs = {}
    if url.split("://", 1)[0].split("+", 1)[0] in POSTGRES_SCHEMES and not _postgres_driver():
        raise DatabaseUnavailable(NO_POSTGRES_DRIVER)
    if url.startswith("sqlite"):
        path = url.split(":///", 1)[-1]
        if path and path != ":memory:":
            pathlib.Path(path).parent.mkdir(parents=True, exist_ok=True)
        kwargs["pragmas"] = SQLITE_PRAGMAS
    try:
        db = url_connect(url, **kwargs)
        database.initialize(db)
        db.connect(reuse_if_open=True)
    except (peewee.OperationalError, peewee.ImproperlyConfigured, RuntimeError, ValueError) as exc:
        raise DatabaseUnavailable(
            f"Không kết nối được cơ sở dữ liệu «{redact(url)}»: "
            + (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        ) from exc
    return db


def _postgres_driver():
    """Whether a driver peewee can use for PostgreSQL is installed.  psycopg2 comes with
    the ``postgres`` extra only; without it peewee's own message ("Postgres driver not
    installed!") would not say what to install."""
    return any(importlib.util.find_spec(name) is not None for name in ("psycopg2", "psycopg"))


def redact(url):
    """The URL without its password, for messages and logs."""
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        creds, host = rest.rsplit("@", 1)
        return f"{scheme}://{creds.split(':', 1)[0]}:***@{host}"
    return url


def is_postgres(db=None):
    return isinstance(db or database.obj, peewee.PostgresqlDatabase)


def migrate(db=None):
    """Apply every pending migration; returns the names applied."""
    return Runner(db or database.obj, str(MIGRATIONS)).up()


def pending_migrations(db=None):
    return [m.name for m in Runner(db or database.obj, str(MIGRATIONS)).status() if not m.applied]
