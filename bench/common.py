"""What the benchmarks share: scratch databases for each engine, and median timings.

- ``scratch_postgres(admin_url)``: an empty PostgreSQL database created through the
  server of ``admin_url`` and dropped afterwards;
- ``run_on_engines(measure, admin_url)``: ``measure`` on SQLite temporary files first,
  then on scratch PostgreSQL databases; a server that cannot be reached (or a failing
  PostgreSQL run) only drops its entry, with a "PostgreSQL skipped" line;
- ``medians(fn, runs)`` / ``median_ms(fn, runs)``: median wall and CPU time after one
  warm-up call.
"""
import contextlib
import statistics
import tempfile
import time
import uuid

from canbo import db as dbm

DEFAULT_ADMIN_URL = "postgresql://postgres:postgres@localhost:5432/postgres"


@contextlib.contextmanager
def scratch_postgres(admin_url=DEFAULT_ADMIN_URL):
    """Yield the URL of a new, empty database on the server of ``admin_url``; drop it after.

    On the way out the models are unbound (``dbm.database.initialize(None)``) and the
    sessions still open on the scratch database are ended, so that it can be dropped.
    """
    admin = dbm.url_connect(admin_url)
    admin.connect()
    try:
        name = f"canbo_bench_{uuid.uuid4().hex[:8]}"
        admin.execute_sql(f"CREATE DATABASE {name}")
        try:
            yield admin_url.rsplit("/", 1)[0] + "/" + name
        finally:
            dbm.database.initialize(None)
            admin.execute_sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                              "WHERE datname = %s", (name,))
            admin.execute_sql(f"DROP DATABASE IF EXISTS {name}")
    finally:
        admin.close()


def run_on_engines(measure, admin_url=DEFAULT_ADMIN_URL, sqlite=True, databases=1):
    """``{"SQLite": measure(*urls), "PostgreSQL": measure(*urls)}``, in that order.

    ``measure`` receives ``databases`` URLs of empty databases: SQLite files in a
    temporary directory (unless ``sqlite`` is false), then scratch PostgreSQL databases.
    An error on SQLite propagates; one on PostgreSQL (no server, or the run itself)
    prints ``PostgreSQL skipped: …`` and leaves that engine out.
    """
    results = {}
    if sqlite:
        with tempfile.TemporaryDirectory() as tmp:
            names = ["bench"] if databases == 1 else [f"bench{n}" for n in range(databases)]
            results["SQLite"] = measure(*(f"sqlite:///{tmp}/{name}.db" for name in names))
    with contextlib.ExitStack() as scratch:  # dropped after the skip message
        try:
            urls = [scratch.enter_context(scratch_postgres(admin_url))
                    for _ in range(databases)]
            results["PostgreSQL"] = measure(*urls)
        except Exception as exc:  # noqa: BLE001 - a missing server only drops its rows
            print(f"PostgreSQL skipped: {exc}")
    return results


def medians(fn, runs):
    """``(wall, cpu, result)``: median seconds of ``runs`` calls after one warm-up call,
    and the last call's result.

    The CPU time is this process's: it leaves out the waits for the other jobs sharing
    the machine's cores (SQLite runs inside this process; PostgreSQL's own work is in
    its server, so there the wall time is the one that counts).
    """
    fn()  # warm the caches once
    walls, cpus = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        result = fn()
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - start_cpu)
    return statistics.median(walls), statistics.median(cpus), result


def median_ms(fn, runs):
    """``(wall, cpu)``: the medians of ``medians(fn, runs)`` in milliseconds."""
    wall, cpu, _ = medians(fn, runs)
    return wall * 1000, cpu * 1000
