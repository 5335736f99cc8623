"""The database: chosen by URL, bound late, upgraded by numbered migrations.

Models are declared against ``database``, a ``DatabaseProxy``; ``connect(url)`` binds it
(``sqlite:///path`` or ``postgresql://user:pass@host/db``, as playhouse.db_url reads
them).  ``migrate()`` applies the scripts in ``canbo/migrations`` with
``playhouse.migrations``; nothing calls ``create_tables`` on the live models.
"""
import importlib.util
import math
import os
import pathlib
from decimal import Decimal

import peewee
from playhouse.db_url import connect as url_connect
from playhouse.migrations import Runner

from canbo.errors import DatabaseUnavailable, InvalidInput

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
    """Every stored row.  ``save`` checks what is about to be written (``check_values``),
    so a value the database would refuse, or should never hold, is a Vietnamese
    ``InvalidInput`` naming the field, not a database error or a 500."""

    class Meta:
        database = database
        legacy_table_names = False

    def save(self, *args, **kwargs):
        check_values(self)
        return super().save(*args, **kwargs)


def check_values(row):
    """Clean and check ``row``'s values before they are written, for every model:

    - text: control characters (NUL, escape, …) are dropped, and a one-line field
      (``CharField``) loses its tabs and line breaks; then its length is checked against
      the column's, which PostgreSQL would enforce with an error and SQLite not at all;
    - whole numbers: within the column's range (``MAX_INT``);
    - decimals and floats: finite (no NaN, no infinity) and within the column's digits.

    Raises ``InvalidInput`` naming the field (``field``, ``value`` in its data).
    """
    from canbo.vietnamese import strip_control

    for field in row._meta.sorted_fields:
        value = row.__data__.get(field.name)
        if value is None:
            continue
        if isinstance(field, (peewee.CharField, peewee.TextField)) and isinstance(value, str):
            clean = strip_control(value, multiline=not isinstance(field, peewee.CharField))
            if clean != value:
                row.__data__[field.name] = value = clean
            limit = getattr(field, "max_length", None)
            if limit and len(value) > limit:
                raise InvalidInput(f"{_label(field)}: dài {len(value)} ký tự; cho phép tối đa "
                                   f"{limit} ký tự.", field=field.name, value=value[:50])
        elif isinstance(field, (peewee.IntegerField, peewee.ForeignKeyField)) and \
                isinstance(value, int) and not isinstance(value, bool):
            if not -MAX_INT - 1 <= value <= MAX_INT:
                raise InvalidInput(f"{_label(field)}: «{value}» quá lớn; cho phép từ "
                                   f"{-MAX_INT - 1} đến {MAX_INT}.", field=field.name,
                                   value=str(value)[:50])
        elif isinstance(field, peewee.DecimalField) and isinstance(value, (Decimal, float)):
            _check_number(field, Decimal(str(value)) if isinstance(value, float) else value)
        elif isinstance(field, peewee.FloatField) and isinstance(value, float):
            if not math.isfinite(value):
                raise InvalidInput(f"{_label(field)}: «{value}» không phải là số hữu hạn.",
                                   field=field.name, value=str(value))


def _check_number(field, value):
    if not value.is_finite():
        raise InvalidInput(f"{_label(field)}: «{value}» không phải là số hữu hạn.",
                           field=field.name, value=str(value))
    whole = field.max_digits - field.decimal_places
    if whole > 0 and abs(value) >= Decimal(10) ** whole:
        raise InvalidInput(f"{_label(field)}: «{value}» quá lớn; cho phép dưới "
                           f"{10 ** whole}.", field=field.name, value=str(value)[:50])


#: How a field is named in a message when the model gives it no Vietnamese name.
FIELD_NAMES = {
    "code": "Mã", "name": "Tên", "full_name": "Họ và tên", "username": "Tên đăng nhập",
    "email": "Địa chỉ thư điện tử", "note": "Ghi chú", "notes": "Ghi chú", "reason": "Lý do",
    "points": "Điểm", "decision_number": "Số quyết định", "doc_number": "Số văn bản",
    "place_name": "Địa danh", "ethnicity": "Dân tộc", "left_reason": "Lý do nghỉ",
    "rank_code": "Mã ngạch", "job_position": "Vị trí việc làm", "text": "Nội dung",
    "answer": "Trả lời", "comments": "Ý kiến", "title": "Tên", "year": "Năm",
    "personal_id": "Số định danh cá nhân", "quota_exception": "Tỷ lệ ngoại lệ",
}


def _label(field):
    return FIELD_NAMES.get(field.name, field.name)


def database_url(url=None):
    """The URL to use: the one given, else ``$CANBO_DATABASE_URL``, else the default."""
    return url or os.environ.get("CANBO_DATABASE_URL") or DEFAULT_URL


DATA_DIR_ENV = "CANBO_DATA_DIR"


def sqlite_file(db=None):
    """The file of SQLite database ``db`` (default the bound one) as a ``pathlib.Path``,
    or ``None`` (PostgreSQL, an in-memory database, nothing bound)."""
    obj = db or database.obj
    if isinstance(obj, peewee.SqliteDatabase) and obj.database not in ("", ":memory:"):
        return pathlib.Path(obj.database)
    return None


def data_root():
    """Where this setup keeps its files: ``$CANBO_DATA_DIR`` when set — on a deployment of
    several worker processes, or of several machines, a folder every one of them sees —
    else beside the SQLite database file, else ``instance/``."""
    root = os.environ.get(DATA_DIR_ENV, "").strip()
    if root:
        return pathlib.Path(root)
    file = sqlite_file()
    return file.parent if file else pathlib.Path("instance")


def data_folder(name):
    """The folder ``name`` (``jobs``, ``imports``) under ``data_root()``, created."""
    folder = data_root() / name
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


#: A panel process keeps at most this many PostgreSQL connections open for reuse; a
#: thread asking for one more waits up to ``POOL_WAIT`` seconds.
POOL_SIZE = 32
POOL_WAIT = 10
#: A pooled connection unused for this many seconds is closed, not reused.
POOL_STALE = 300


def connect(url=None, pool=False):
    """Open the database named by ``url`` and bind the models to it.

    With ``pool`` (the panel's processes), a PostgreSQL database keeps its connections
    for the next request (``playhouse.pool``): a new connection costs PostgreSQL a
    backend process, and opening one per request was a fifth of a light page's time.
    ``close()`` then hands the connection back; one left inside a failed transaction is
    rolled back first, one the server dropped is not reused.

    Raises ``DatabaseUnavailable`` with a Vietnamese message when it cannot be reached.
    """
    url = database_url(url)
    kwargs = {}
    scheme = url.split("://", 1)[0]
    if is_postgres_url(url) and not _postgres_driver():
        raise DatabaseUnavailable(NO_POSTGRES_DRIVER)
    if pool and scheme in POSTGRES_SCHEMES:
        url = f"{scheme}+pool://{url.split('://', 1)[1]}"
        kwargs.update(max_connections=POOL_SIZE, stale_timeout=POOL_STALE, timeout=POOL_WAIT)
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


def among(column, ids):
    """``column IN ids`` for a list of ids the code already holds (a grid's people).

    On PostgreSQL it is ``column = ANY(%s)``, the ids one array parameter: peewee writes
    ``IN (%s, %s, …)`` one node per id, and a province's year status, whose 516 ids go into
    twenty queries, spent more time building them than PostgreSQL spent running them.
    Elsewhere, and for no ids, it is peewee's ``IN``."""
    ids = list(ids)
    if ids and is_postgres():
        return column == peewee.fn.ANY(peewee.Value(ids, unpack=False, converter=False))
    return column.in_(ids)


def is_postgres_url(url):
    """Whether ``url`` names a PostgreSQL database (``POSTGRES_SCHEMES``, with or without
    playhouse's ``+pool``)."""
    if "://" not in url:
        return False
    return url.split("://", 1)[0].lower().split("+", 1)[0] in POSTGRES_SCHEMES


def migrate(db=None):
    """Apply every pending migration; returns the names applied."""
    return Runner(db or database.obj, str(MIGRATIONS)).up()


def pending_migrations(db=None):
    return [m.name for m in Runner(db or database.obj, str(MIGRATIONS)).status() if not m.applied]
