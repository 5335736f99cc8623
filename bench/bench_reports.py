"""Benchmark: the report functions against one hand-written SQL GROUP BY each.

On the province dataset (bench/dataset.py) for SQLite and, when reachable, PostgreSQL:
the load time, then the median of ``ratings_report`` (province, one year, with its 100
communes) and ``qualification_report`` (province, at a date) against the bare SQL that
computes the same counts. Target: each within 1.5× its SQL.

    python -m bench.bench_reports [--postgres URL]
"""
import argparse
import datetime
import statistics
import tempfile
import time
import uuid

from canbo import db as dbm
from canbo import reports

from .dataset import generate

RUNS = 15
AT = datetime.date(2023, 6, 30)

RATINGS_SQL = """
SELECT level, COUNT(*) FROM rating
WHERE year = {p} AND status IN ('APPROVED', 'PUBLISHED') AND level IS NOT NULL
  AND unit_id IN (SELECT id FROM unit WHERE id = {p} OR parent_id = {p})
GROUP BY level
"""

QUALIFICATIONS_SQL = """
SELECT kind, best, COUNT(*) FROM (
  SELECT q.staff_id, q.kind, MIN(q.rank) AS best
  FROM qualification q JOIN staff s ON s.id = q.staff_id
  WHERE s.unit_id IN (SELECT id FROM unit WHERE id = {p} OR parent_id = {p})
    AND (s.joined_on IS NULL OR s.joined_on <= {p}) AND (s.left_on IS NULL OR s.left_on > {p})
    AND (q.awarded_on IS NULL OR q.awarded_on <= {p})
  GROUP BY q.staff_id, q.kind) best
GROUP BY kind, best
"""


def median_ms(fn):
    fn()  # warm the caches once
    samples = []
    for _ in range(RUNS):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def measure(url):
    db = dbm.connect(url)
    dbm.migrate(db)
    start = time.perf_counter()
    province = generate(db)
    load = time.perf_counter() - start
    if dbm.is_postgres(db):
        db.execute_sql("ANALYZE")
    p = db.param
    pid = province.id
    rows = [("load dataset (s)", load, None)]
    lib = median_ms(lambda: reports.ratings_report(province, 2025))
    sql = median_ms(lambda: db.execute_sql(RATINGS_SQL.format(p=p), (2025, pid, pid)).fetchall())
    rows.append(("ratings report, province-year", lib, sql))
    lib = median_ms(lambda: reports.qualification_report(province, AT))
    sql = median_ms(lambda: db.execute_sql(
        QUALIFICATIONS_SQL.format(p=p), (pid, pid, AT, AT, AT)).fetchall())
    rows.append(("qualification report at a date", lib, sql))
    db.close()
    return rows


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--postgres", default="postgresql://postgres:postgres@localhost:5432/postgres")
    args = parser.parse_args()
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        results["SQLite"] = measure(f"sqlite:///{tmp}/bench.db")
    admin = dbm.url_connect(args.postgres)
    name = f"canbo_bench_{uuid.uuid4().hex[:8]}"
    try:
        admin.connect()
        admin.execute_sql(f"CREATE DATABASE {name}")
        results["PostgreSQL"] = measure(args.postgres.rsplit("/", 1)[0] + "/" + name)
    except Exception as exc:  # noqa: BLE001 - a missing server only drops its column
        print(f"PostgreSQL skipped: {exc}")
    finally:
        dbm.database.initialize(None)
        if not admin.is_closed():
            admin.execute_sql(f"DROP DATABASE IF EXISTS {name}")
            admin.close()
    print(f"| engine | measure | canbo (ms) | hand-written SQL (ms) | ratio |")
    print("|---|---|---|---|---|")
    for engine, rows in results.items():
        for label, lib, sql in rows:
            if sql is None:
                print(f"| {engine} | {label} | {lib:.1f} s | | |")
            else:
                print(f"| {engine} | {label} | {lib:.1f} | {sql:.1f} | {lib / sql:.2f}× |")


if __name__ == "__main__":
    main()
