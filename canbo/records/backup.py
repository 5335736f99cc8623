"""Backup and restore of the whole database, made so that a restore cannot destroy data.

- SQLite: the online backup API (a consistent copy while the panel keeps running); the
  file is itself a SQLite database.
- PostgreSQL, or any database when FILE ends in ``.json``: a portable JSON dump of every
  table (found by introspection, so tables added by later migrations come along), which
  also moves data between SQLite and PostgreSQL.  It carries the migrations applied
  (the schema version), each table's row count and a SHA-256 checksum of all of it.

``backup`` writes under a temporary name beside the target and renames it when complete:
a backup that fails or is killed half-way never leaves a half file under the target name
(nor replaces an older backup there).

``restore`` first verifies the backup completely, before anything is touched:

- a SQLite file: ``PRAGMA integrity_check`` on the file itself, its schema version (the
  migrations it records, none newer than this canbo) and the tables and columns that
  version has;
- a JSON file: its format, the checksum, every table of its schema version present with
  its columns, and each table's row count.

A refusal is one ``InvalidInput`` (one Vietnamese line; ``canbo restore`` exits 2).  Then
the database as it was is kept as a dated copy (SQLite: a file beside it; PostgreSQL: a
JSON backup beside the restored file), and the backup goes in all at once: SQLite is
restored into a new file beside the database, upgraded and checked there, then copied over
in one write transaction; JSON is loaded in one transaction.  On any error the database
is left as it was.
"""
import contextlib
import datetime
import decimal
import hashlib
import json
import os
import pathlib
import sqlite3
import tempfile
from dataclasses import dataclass

from peewee import BooleanField, SqliteDatabase, sort_models
from playhouse.migrations import Runner
from playhouse.reflection import Introspector

from canbo.db import MIGRATIONS, is_postgres, migrate, sqlite_file
from canbo.errors import InvalidInput

FORMAT = "canbo-backup"
#: 2: with ``migrations``, ``counts`` and ``checksum`` (version 1 had none of them).
VERSION = 2
SQLITE_MAGIC = b"SQLite format 3\x00"
#: The table in which ``playhouse.migrations.Runner`` records the migrations applied.
HISTORY = "schema_migration"


@dataclass
class Restored:
    """What ``restore`` did: the kind of backup read and where the database as it was
    before is kept (``None`` when it held no tables)."""

    kind: str
    kept: pathlib.Path | None


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
    if isinstance(value, bytes):
        return value.hex()
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


def checksum(migrations, tables):
    """SHA-256 of a backup's schema version and tables, in a canonical JSON spelling (the
    same before writing and after reading back)."""
    text = json.dumps({"migrations": migrations, "tables": tables}, ensure_ascii=False,
                      sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _applied(db):
    """The names of the migrations recorded in ``db``, in order."""
    if HISTORY not in db.get_tables():
        return []
    rows = db.execute_sql(f"SELECT name FROM {_q(HISTORY)}").fetchall()
    return sorted(row[0] for row in rows)


# --- backup -------------------------------------------------------------------------------


def backup(db, path):
    """Write a backup of ``db`` to ``path``; returns the kind written ("sqlite" or "json").

    Written under a temporary name in the same folder and renamed when complete."""
    path = pathlib.Path(path)
    kind = "sqlite" if isinstance(db, SqliteDatabase) and path.suffix != ".json" else "json"
    with _written(path) as partial:
        if kind == "sqlite":
            target = sqlite3.connect(partial)
            try:
                _copy_sqlite(db.connection(), target)
                # one self-contained file (the copy inherits WAL mode): read-only opens
                # of it leave no -wal and -shm files beside it
                target.execute("PRAGMA journal_mode = DELETE")
                _check_integrity(target, path)
            finally:
                target.close()
        else:
            tables = dump(db)
            migrations = _applied(db)
            payload = {
                "format": FORMAT, "version": VERSION, "migrations": migrations,
                "counts": {name: len(table["rows"]) for name, table in tables.items()},
                "checksum": checksum(migrations, tables), "tables": tables,
            }
            with partial.open("w", encoding="utf-8") as fh:
                for chunk in _encode(payload):
                    fh.write(chunk)
                fh.flush()
                os.fsync(fh.fileno())
    return kind


def _copy_sqlite(source, target):
    """Copy the SQLite database of connection ``source`` into connection ``target``."""
    source.backup(target)


def _encode(payload):
    """The JSON text of a backup, in pieces (written one by one)."""
    return json.JSONEncoder(ensure_ascii=False).iterencode(payload)


@contextlib.contextmanager
def _written(path, suffix=".tmp"):
    """A temporary path beside ``path``, renamed to ``path`` when the block completes and
    removed (with any SQLite side files) when it fails."""
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=suffix)
    os.close(fd)
    partial = pathlib.Path(name)
    try:
        yield partial
        os.replace(partial, path)
    finally:
        for leftover in (partial, partial.with_name(partial.name + "-wal"),
                         partial.with_name(partial.name + "-shm"),
                         partial.with_name(partial.name + "-journal")):
            leftover.unlink(missing_ok=True)


# --- verification ---------------------------------------------------------------------


def _refuse(path, why, **data):
    raise InvalidInput(f"Không khôi phục từ «{path}»: {why} Cơ sở dữ liệu không bị thay đổi.",
                       path=str(path), **data)


def _check_integrity(conn, path):
    """``PRAGMA integrity_check`` of an open sqlite3 connection; refuses unless "ok"."""
    try:
        rows = [row[0] for row in conn.execute("PRAGMA integrity_check").fetchall()]
    except sqlite3.DatabaseError as exc:
        rows = [str(exc)]
    if rows != ["ok"]:
        _refuse(path, f"tệp SQLite bị hỏng (kiểm tra toàn vẹn: {rows[0]}).", problems=rows[:10])


def _expected_schema(path, migrations):
    """``{table: {columns}}`` of the schema at the version ``migrations`` name, built by
    applying those migrations to an empty in-memory database; refuses a version this
    canbo does not know (a newer canbo's backup, or history with a gap)."""
    if not migrations:
        _refuse(path, "tệp không ghi phiên bản cấu trúc dữ liệu (không có bảng "
                f"{HISTORY}), không phải bản sao lưu đầy đủ của canbo.")
    scratch = SqliteDatabase(":memory:")
    try:
        runner = Runner(scratch, str(MIGRATIONS))
        known = [m.name for m in runner.migrations()]
        unknown = sorted(set(migrations) - set(known))
        if unknown:
            _refuse(path, "bản sao lưu được tạo bằng phiên bản canbo mới hơn (có migration "
                    f"{', '.join(unknown)}); hãy nâng cấp canbo rồi khôi phục lại.",
                    migrations=unknown)
        last = max(migrations, key=known.index)
        if set(known[:known.index(last) + 1]) != set(migrations):
            _refuse(path, "danh sách migration đã áp dụng trong bản sao lưu không liền mạch.")
        with scratch.atomic():
            runner.up(target=last)
        return {table: {c.name for c in scratch.get_columns(table)}
                for table in scratch.get_tables()}
    finally:
        scratch.close()


def _check_schema(path, expected, found):
    """``found`` (``{table: columns}``) must be ``expected``: every table present, with
    exactly its columns."""
    missing = sorted(set(expected) - set(found))
    if missing:
        _refuse(path, f"thiếu bảng {', '.join(missing)} (bản sao lưu không đầy đủ).",
                tables=missing)
    extra = sorted(set(found) - set(expected))
    if extra:
        _refuse(path, f"có bảng không thuộc cơ sở dữ liệu của canbo: {', '.join(extra)}.",
                tables=extra)
    for table in sorted(expected):
        if set(found[table]) != expected[table]:
            gone = sorted(expected[table] - set(found[table]))
            more = sorted(set(found[table]) - expected[table])
            what = "; ".join(filter(None, [gone and "thiếu cột " + ", ".join(gone),
                                           more and "thừa cột " + ", ".join(more)]))
            _refuse(path, f"bảng {table} không đúng cấu trúc ({what}).", table=table)


def _read_only(path):
    """The URI opening the SQLite file at ``path`` for reading only.  Without a ``-wal``
    file beside it the file is the whole database: opened as immutable, nothing is
    written beside it (a WAL-mode file opened read-only would leave -wal and -shm)."""
    uri = path.resolve().as_uri()
    if path.with_name(path.name + "-wal").exists():
        return f"{uri}?mode=ro"
    return f"{uri}?mode=ro&immutable=1"


def _open_sqlite_backup(path):
    """A read-only connection to the SQLite file at ``path``, verified: integrity, schema
    version, tables and columns."""
    try:
        conn = sqlite3.connect(_read_only(path), uri=True)
    except sqlite3.Error as exc:
        _refuse(path, f"không mở được tệp SQLite ({exc}).")
    try:
        _check_integrity(conn, path)
        try:
            tables = [r[0] for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite_%'")]
            found = {t: [r[1] for r in conn.execute(f"PRAGMA table_info({_q(t)})")]
                     for t in tables}
            migrations = (sorted(r[0] for r in conn.execute(f"SELECT name FROM {_q(HISTORY)}"))
                          if HISTORY in found else [])
        except sqlite3.DatabaseError as exc:
            _refuse(path, f"tệp SQLite bị hỏng ({exc}).")
        _check_schema(path, _expected_schema(path, migrations), found)
    except BaseException:
        conn.close()
        raise
    return conn


def _read_json_backup(path):
    """The verified payload of a JSON backup: format, checksum, tables, row counts."""
    try:
        payload = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise InvalidInput(
            f"Tệp «{path}» không phải bản sao lưu của canbo (SQLite hoặc JSON).",
            path=str(path),
        ) from exc
    if not isinstance(payload, dict) or payload.get("format") != FORMAT:
        raise InvalidInput(f"Tệp «{path}» không phải bản sao lưu của canbo (SQLite hoặc JSON).",
                           path=str(path))
    if payload.get("version") != VERSION:
        _refuse(path, f"bản sao lưu JSON dạng {payload.get('version')!r} không có tổng kiểm "
                f"tra; chỉ nhận dạng {VERSION} (do «canbo backup» của phiên bản này ghi).")
    migrations, tables = payload.get("migrations"), payload.get("tables")
    counts, expected_sum = payload.get("counts"), payload.get("checksum")
    if not (isinstance(migrations, list) and isinstance(tables, dict)
            and isinstance(counts, dict) and isinstance(expected_sum, str)):
        _refuse(path, "thiếu phần migrations, tables, counts hoặc checksum.")
    if checksum(migrations, tables) != expected_sum:
        _refuse(path, "tổng kiểm tra (checksum) không khớp: tệp đã bị sửa hoặc hỏng.")
    for name, table in tables.items():
        if not (isinstance(table, dict) and isinstance(table.get("columns"), list)
                and isinstance(table.get("rows"), list)):
            _refuse(path, f"bảng {name} không đúng dạng.", table=name)
    _check_schema(path, _expected_schema(path, migrations),
                  {name: table["columns"] for name, table in tables.items()})
    if set(counts) != set(tables):
        _refuse(path, "số dòng không được ghi cho đúng các bảng trong tệp.")
    for name, table in tables.items():
        if len(table["rows"]) != counts[name]:
            _refuse(path, f"bảng {name} có {len(table['rows'])} dòng, tệp ghi {counts[name]} "
                    "dòng.", table=name)
        width = len(table["columns"])
        if any(not isinstance(row, list) or len(row) != width for row in table["rows"]):
            _refuse(path, f"bảng {name} có dòng không đủ {width} cột.", table=name)
    return payload


# --- restore ----------------------------------------------------------------------------


def restore(db, path, keep_dir=None, now=None):
    """Replace the contents of ``db`` with the backup at ``path``, verified first; the
    database as it was is kept as a dated copy (``Restored.kept``).

    ``keep_dir``: where a PostgreSQL database's copy goes (default: the backup's folder);
    a SQLite database's copy is always the file beside it."""
    path = pathlib.Path(path)
    if not path.is_file():
        raise InvalidInput(f"Không tìm thấy tệp sao lưu «{path}».", path=str(path))
    stamp = (now or datetime.datetime.now()).strftime("%Y%m%d-%H%M%S")
    with path.open("rb") as fh:
        head = fh.read(len(SQLITE_MAGIC))
    if head == SQLITE_MAGIC:
        source = _open_sqlite_backup(path)
        try:
            if isinstance(db, SqliteDatabase):
                kept = []
                _swap_sqlite(db, source, path,
                             keep=lambda: kept.append(_keep(db, path, keep_dir, stamp)))
                return Restored("sqlite", kept[0])
        finally:
            source.close()
        copy = SqliteDatabase(_read_only(path), uri=True)
        try:
            tables = dump(copy)
        finally:
            copy.close()
        kept = _keep(db, path, keep_dir, stamp)
        _load(db, tables)
        return Restored("sqlite", kept)
    payload = _read_json_backup(path)
    kept = _keep(db, path, keep_dir, stamp)
    _load(db, payload["tables"])
    return Restored("json", kept)


def _keep(db, backup_path, keep_dir, stamp):
    """Keep the database as it is now as a dated copy, before it is replaced; ``None``
    when it holds no tables yet (a new database: nothing to keep)."""
    if not db.get_tables():
        return None
    live = sqlite_file(db)
    if live is not None:
        target = live.with_name(f"{live.stem}-truoc-khoi-phuc-{stamp}{live.suffix or '.db'}")
    else:
        folder = pathlib.Path(keep_dir) if keep_dir else backup_path.resolve().parent
        target = folder / f"canbo-truoc-khoi-phuc-{stamp}.json"
    if target.exists():
        raise InvalidInput(f"Đã có tệp «{target}»; hãy chờ một giây rồi khôi phục lại.",
                           path=str(target))
    backup(db, target)
    return target


def _swap_sqlite(db, source, path, keep):
    """Restore the verified backup (connection ``source``) into a new file beside the
    live database, bring it to this canbo's schema and check it there, then ``keep()``
    the live database and copy the new file over it in one write transaction."""
    live = sqlite_file(db)
    folder = live.parent if live is not None else path.resolve().parent
    fd, name = tempfile.mkstemp(dir=folder, prefix=".canbo-khoi-phuc-", suffix=".db")
    os.close(fd)
    scratch_path = pathlib.Path(name)
    try:
        scratch = SqliteDatabase(str(scratch_path), pragmas={"foreign_keys": 1})
        try:
            source.backup(scratch.connection())
            migrate(scratch)
            _check_integrity(scratch.connection(), path)
            problems = scratch.execute_sql("PRAGMA foreign_key_check").fetchall()
            if problems:
                _refuse(path, f"bản sao lưu có {len(problems)} dòng tham chiếu tới dòng không "
                        f"có (bảng {problems[0][0]}).")
            if db.in_transaction():
                raise InvalidInput("Không khôi phục giữa một giao dịch đang mở.")
            keep()
            scratch.connection().backup(db.connection())
        finally:
            scratch.close()
    finally:
        for leftover in (scratch_path, scratch_path.with_name(scratch_path.name + "-wal"),
                         scratch_path.with_name(scratch_path.name + "-shm"),
                         scratch_path.with_name(scratch_path.name + "-journal")):
            leftover.unlink(missing_ok=True)


def _load(db, tables):
    """Replace every table's rows with ``tables`` (verified) in one transaction.  A column
    added by a migration newer than the backup takes its default."""
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
    models = [m for m in models if m._meta.table_name != HISTORY]  # as migrate() left it
    with db.atomic():
        for model in reversed(models):
            db.execute_sql(f"DELETE FROM {_q(model._meta.table_name)}")
        for model in models:
            table = model._meta.table_name
            if table not in tables or not tables[table]["rows"]:
                continue
            columns = list(tables[table]["columns"])
            rows = [list(row) for row in tables[table]["rows"]]
            for column, default in _defaults(table, set(columns)).items():
                columns.append(column)
                for row in rows:
                    row.append(default)
            quoted = ", ".join(_q(c) for c in columns)
            marks = ", ".join([db.param] * len(columns))
            sql = f"INSERT INTO {_q(table)} ({quoted}) VALUES ({marks})"
            fields = [model._meta.columns.get(c) for c in columns]
            rows = [tuple(_typed(f, v) for f, v in zip(fields, row)) for row in rows]
            db.cursor().executemany(sql, rows)
        if is_postgres(db):
            _reset_sequences(db, models)
    return "json"


def _defaults(table, present):
    """``{column: default}`` of the model's columns a backup of an older schema lacks."""
    from canbo.models import all_models

    for model in all_models():
        if model._meta.table_name == table:
            return {f.column_name: f.default() if callable(f.default) else f.default
                    for f in model._meta.sorted_fields
                    if f.column_name not in present and not f.primary_key
                    and f.default is not None}
    return {}


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

