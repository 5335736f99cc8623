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

A province's several web processes (``canbo serve --production``) share what they keep
when ``$CANBO_REDIS_URL`` is set (``canbo.settings.REDIS_ENV``, the Redis server of the
jobs queue).  After a commit every process wants the new figures at once; without Redis
each works them out for itself: N processes, N times the CPU.  With it, the
first process to want a value claims it (``SET … NX``, for ``CLAIM_SECONDS``), works it
out and stores it, pickled, for ``SHARED_SECONDS``; the others wait for it (at most
``WAIT_SECONDS``, then work it out themselves).  The key is a digest of the function,
the arguments (a model instance by its table and id), the database, its snapshot and
canbo's version, so a value is read back only by the same code for the same data.  Redis
is the deployment's own trusted store, as it is for the jobs (Huey pickles those too).
When Redis cannot be reached each process keeps its own values, as without it, and
tries Redis again after ``RETRY_SECONDS``: a kept figure is a saving, never a failure.
"""
import collections
import contextlib
import datetime
import decimal
import functools
import hashlib
import logging
import os
import pickle
import threading
import time

import canbo
from canbo import db as dbm
from canbo import settings

SIZE = 256
#: How long a value stays in Redis: a commit makes a new key anyway; this bounds memory.
SHARED_SECONDS = 120
#: How long a process's claim on working a value out lasts, should it die meanwhile.
CLAIM_SECONDS = 30
#: How long a process waits for the value another one claimed, then works it out itself.
WAIT_SECONDS = 10
POLL_SECONDS = 0.02
#: After Redis failed, how long each process keeps to itself before trying it again.
RETRY_SECONDS = 30

log = logging.getLogger(__name__)

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


def _text(value):
    """A text naming ``value`` the same in every process; ``TypeError`` for a value
    that has none (then it is kept by this process only)."""
    if value is None or isinstance(value, (bool, int, float, str, decimal.Decimal)):
        return repr(value)
    if isinstance(value, (datetime.date, datetime.datetime)):
        return f"{type(value).__name__}:{value.isoformat()}"
    if isinstance(value, (list, tuple)):
        return "(" + ",".join(_text(v) for v in value) + ")"
    if isinstance(value, (set, frozenset)):
        return "{" + ",".join(sorted(_text(v) for v in value)) + "}"
    meta = getattr(value, "_meta", None)  # a model instance: its table and id
    if meta is not None and getattr(value, "_pk", None) is not None:
        return f"{meta.table_name}#{value._pk!r}"
    raise TypeError(f"no shared key for {type(value).__name__}")


class Shared:
    """The values every process of the deployment keeps, in the Redis at ``url``."""

    def __init__(self, url):
        import redis

        self.errors = redis.RedisError
        self.client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)

    def get(self, key):
        """``(True, value)`` or ``(False, None)``."""
        data = self.client.get(key)
        if data is None:
            return False, None
        try:
            return True, pickle.loads(data)
        except Exception:  # written by other code (an upgrade half-way): as if missing
            return False, None

    def claim(self, key):
        return bool(self.client.set(key + ":claim", os.getpid(), nx=True, ex=CLAIM_SECONDS))

    def claimed(self, key):
        return bool(self.client.exists(key + ":claim"))

    def put(self, key, value):
        pipe = self.client.pipeline()
        pipe.set(key, pickle.dumps(value, pickle.HIGHEST_PROTOCOL), ex=SHARED_SECONDS)
        pipe.delete(key + ":claim")
        pipe.execute()

    def release(self, key):
        self.client.delete(key + ":claim")


_shared = {"at": None, "store": None, "down_until": 0.0}


def shared():
    """This process's ``Shared`` store, or ``None``: no ``$CANBO_REDIS_URL``, no redis
    library, or Redis failed less than ``RETRY_SECONDS`` ago."""
    url = os.environ.get(settings.REDIS_ENV, "").strip()
    if not url or time.monotonic() < _shared["down_until"]:
        return None
    at = (url, os.getpid())  # a forked worker opens connections of its own
    if _shared["at"] != at:
        try:
            _shared["store"] = Shared(url)
        except ImportError:
            _shared["store"] = None
        _shared["at"] = at
    return _shared["store"]


def _failed(exc):
    log.warning("Redis (%s) cannot be used for the kept figures for %s s: %s",
                settings.REDIS_ENV, RETRY_SECONDS, exc)
    _shared["down_until"] = time.monotonic() + RETRY_SECONDS


def _shared_key(function, version, args, kwargs):
    try:
        text = "|".join((canbo.__version__, function.__module__, function.__qualname__,
                         _text(version), _text(args), _text(tuple(sorted(kwargs.items())))))
    except TypeError:
        return None
    return "canbo:kept:" + hashlib.sha256(text.encode()).hexdigest()


def _from_shared(store, key, work):
    """``work()``'s value through ``store``: read there, or worked out here (when this
    process's claim is first, or the claimant took too long) and stored there."""
    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        found, value = store.get(key)
        if found:
            return value
        if store.claim(key):
            try:
                value = work()
            except BaseException:
                with contextlib.suppress(store.errors):
                    store.release(key)
                raise
            try:
                store.put(key, value)
            except store.errors as exc:  # worked out all the same: this process keeps it
                _failed(exc)
            return value
        if time.monotonic() >= deadline:
            return work()
        time.sleep(POLL_SECONDS)


def keep(function):
    """``function``'s results, kept per arguments and data version (see the module)."""

    @functools.wraps(function)
    def kept(*args, **kwargs):
        version = data_version()
        if version is None:
            return function(*args, **kwargs)
        try:
            key = (function, version, _hashable(args),
                   _hashable(tuple(sorted(kwargs.items()))))
            hash(key)
        except TypeError:  # an argument that cannot be a key: compute, keep nothing
            return function(*args, **kwargs)
        with _lock:
            if key in _values:
                _values.move_to_end(key)
                return _values[key]
        store = shared()
        shared_key = _shared_key(function, version, args, kwargs) if store else None
        value = None
        if shared_key:
            try:
                value = _from_shared(store, shared_key, lambda: function(*args, **kwargs))
            except store.errors as exc:
                _failed(exc)
                shared_key = None
        if not shared_key:
            value = function(*args, **kwargs)
        with _lock:
            _values[key] = value
            while len(_values) > SIZE:
                _values.popitem(last=False)
        return value

    return kept


def clear():
    """Forget what this process keeps (what Redis holds stays, keyed by its snapshot)."""
    with _lock:
        _values.clear()
