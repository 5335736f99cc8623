"""Backup and restore of the whole database.

- SQLite: the online backup API (a consistent copy while the panel keeps running); the
  file is itself a SQLite database.
- PostgreSQL, or any database when FILE ends in ``.json``: a portable JSON dump of every
  table (found by introspection, so tables added by later migrations come along), which
  also moves data between SQLite and PostgreSQL.

``restore`` replaces everything in one transaction: on any error nothing is changed.
"""
import datetime
import decimal
import json
import pathlib
import sqlite3

from peewee import BooleanField, SqliteDatabase, sort_models
from playhouse.reflection import Introspector

from canbo.db import is_postgres, migrate
from canbo.errors import InvalidInput

FORMAT = "canbo-backup"
SQLITE_MAGIC = b"SQLite format 3\x00"


def _tables(db):
    """Reflected models of every table, parents before children."""
    models = Introspector.from_database(db).generate_models(literal_column_names=True)
    return sort_models(list(models.values()))


def _q(name):
    """A quoted identifier; SQLite and PostgreSQL both take double quotes."""
    return '"%s"' % name.replace('"', '""')


def _plain(value):
    if isinstance(value, (datetime.date, datetime.datetime, decimal.Decimal)):
        return str(value)
    if isinstance(value, memoryview):
        return bytes(value).hex()
    return value


def dump(db):
    """``{table: {"columns": [...], "rows": [[...], ...]}}`` of every table, rows by key."""
    out = {}
    for model in _tables(db):
        table = model._meta.table_name
        columns = [f.column_name for f in model._meta.sorted_fields]
        quoted = ", ".join(_q(c) for c in columns)
        order = ", ".join(_q(f.column_name) for f in model._meta.get_primary_keys()) or "1"
        cursor = db.execute_sql(f"SELECT {quoted} FROM {_q(table)} ORDER BY {order}")
        out[table] = {"columns": columns, "rows": [[_plain(v) for v in row] for row in cursor]}
    return out


def backup(db, path):
    """Write a backup of ``db`` to ``path``; returns the kind written ("sqlite" or "json")."""
    path = pathlib.Path(path)
    if isinstance(db, SqliteDatabase) and path.suffix != ".json":
        target = sqlite3.connect(path)
        try:
            db.connection().backup(target)
        finally:
            target.close()
        return "sqlite"
    payload = {"format": FORMAT, "version": 1, "tables": dump(db)}
    path.write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")
    return "json"


def restore(db, path):
    """Replace the contents of ``db`` with the backup at ``path``."""
    path = pathlib.Path(path)
    if not path.is_file():
        raise InvalidInput(f"Không tìm thấy tệp sao lưu «{path}».", path=str(path))
    with path.open("rb") as fh:
        head = fh.read(len(SQLITE_MAGIC))
    if head == SQLITE_MAGIC:
        if not isinstance(db, SqliteDatabase):
            source = SqliteDatabase(str(path))
            tables = dump(source)
            source.close()
            return _load(db, tables)
        source = sqlite3.connect(path)
        try:
            source.backup(db.connection())
        finally:
            source.close()
        return "sqlite"
    try:
        payload = json.loads(path.read_text(encoding="utf-8"))
        assert payload.get("format") == FORMAT
    except (ValueError, AssertionError, AttributeError) as exc:
        raise InvalidInput(
            f"Tệp «{path}» không phải bản sao lưu của canbo (SQLite hoặc JSON).",
            path=str(path),
        ) from exc
    return _load(db, payload["tables"])


def _load(db, tables):
    migrate(db)
    models = _tables(db)
    known = {m._meta.table_name for m in models}
    unknown = sorted(set(tables) - known)
    if unknown:
        raise InvalidInput(
            "Bản sao lưu có bảng không có trong cơ sở dữ liệu này: " + ", ".join(unknown)
            + ". Hãy nâng cấp canbo rồi khôi phục lại.",
            tables=unknown,
        )
    with db.atomic():
        for model in reversed(models):
            db.execute_sql(f"DELETE FROM {_q(model._meta.table_name)}")
        for model in models:
            table = model._meta.table_name
            if table not in tables or not tables[table]["rows"]:
                continue
            columns = tables[table]["columns"]
            quoted = ", ".join(_q(c) for c in columns)
            marks = ", ".join([db.param] * len(columns))
            sql = f"INSERT INTO {_q(table)} ({quoted}) VALUES ({marks})"
            fields = [model._meta.columns.get(c) for c in columns]
            rows = [tuple(_typed(f, v) for f, v in zip(fields, row)) for row in tables[table]["rows"]]
            db.cursor().executemany(sql, rows)
        if is_postgres(db):
            _reset_sequences(db, models)
    return "json"


def _typed(field, value):
    # SQLite keeps booleans as 0/1; PostgreSQL refuses an integer for a boolean column.
    if value is not None and isinstance(field, BooleanField):
        return bool(value)
    return value


def _reset_sequences(db, models):
    for model in models:
        pk = model._meta.primary_key
        if pk is None or pk.field_type != "AUTO":
            continue
        table, column = model._meta.table_name, pk.column_name
        db.execute_sql(
            f"SELECT setval(pg_get_serial_sequence('{table}', '{column}'), "
            f"COALESCE((SELECT MAX({_q(column)}) FROM {_q(table)}), 0) + 1, false)"
        )
