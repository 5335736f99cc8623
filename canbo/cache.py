"""Figures that cost a page most of its time, kept until the data they were read from change.

A province's dashboard, its chairman's to-do and a page of the tracking grid read tens of
thousands of rows; an officer and a chairman open them again and again while the rows
stay the same.  ``keep`` remembers what such a function returned, keyed by its arguments
and by the version of the data it read:

- on PostgreSQL the version is the database's MVCC snapshot, ``pg_current_snapshot()``
  (``xmin:xmax:in-progress xids``, 64-bit, never reused).  Two statements that take the
  same snapshot see exactly the same committed rows; any commit that changes a row
  changes the snapshot of every statement after it.  So a figure is never older than the
  last commit: the chairman approves, and the next dashboard shows it.  Reading the
  snapshot is one query of a few tenths of a millisecond;
- on SQLite (a commune's data, where these figures cost milliseconds) there is no such
  version across connections, and nothing is kept.

Nothing is kept inside a transaction either: its own uncommitted writes are not in the
snapshot.  A kept value is shared by the requests of the process and must not be changed
by its readers.  Each process keeps at most ``SIZE`` values, the least recently used
going first; ``clear()`` forgets them all.
"""
import collections
import functools
import threading

from canbo import db as dbm

SIZE = 256

_values = collections.OrderedDict()
_lock = threading.Lock()


def data_version():
    """What identifies the committed data a query would see now, or ``None`` when it
    cannot be told (SQLite, or inside a transaction)."""
    database = dbm.database.obj
    if not dbm.is_postgres(database) or database.in_transaction():
        return None
    (snapshot,) = database.execute_sql("SELECT pg_current_snapshot()::text").fetchone()
    return database.database, snapshot


def _hashable(value):
    if isinstance(value, (list, tuple)):
        return tuple(_hashable(v) for v in value)
    if isinstance(value, (set, frozenset)):
        return frozenset(value)
    return value


def keep(function):
    """``function``'s results, kept per arguments and data version (see the module)."""

    @functools.wraps(function)
    def kept(*args, **kwargs):
        version = data_version()
        if version is None:
            return function(*args, **kwargs)
        try:
            key = (function.__qualname__, version, _hashable(args),
                   _hashable(tuple(sorted(kwargs.items()))))
            hash(key)
        except TypeError:  # an argument that cannot be a key: compute, keep nothing
            return function(*args, **kwargs)
        with _lock:
            if key in _values:
                _values.move_to_end(key)
                return _values[key]
        value = function(*args, **kwargs)
        with _lock:
            _values[key] = value
            while len(_values) > SIZE:
                _values.popitem(last=False)
        return value

    return kept


def clear():
    with _lock:
        _values.clear()
