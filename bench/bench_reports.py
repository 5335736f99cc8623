"""Benchmark: the report functions against one hand-written SQL GROUP BY each.

On the province dataset (bench/dataset.py) for SQLite and, when reachable, PostgreSQL:
the load time, then the median of ``ratings_report`` (province, one year, with its 100
communes) and ``qualification_report`` (province, at a date) against the bare SQL that
computes the same counts. Target: each within 1.5× its SQL.

    python -m bench.bench_reports [--postgres URL]
"""
import argparse
import datetime
import time

from canbo import db as dbm
from canbo.stats import reports

from .common import DEFAULT_ADMIN_URL, median_ms, run_on_engines
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


def wall_ms(fn):
    """The median wall time in ms of ``RUNS`` calls after a warm-up call."""
    return median_ms(fn, RUNS)[0]


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
    lib = wall_ms(lambda: reports.ratings_report(province, 2025))
    sql = wall_ms(lambda: db.execute_sql(RATINGS_SQL.format(p=p), (2025, pid, pid)).fetchall())
    rows.append(("ratings report, province-year", lib, sql))
    lib = wall_ms(lambda: reports.qualification_report(province, AT))
    sql = wall_ms(lambda: db.execute_sql(
        QUALIFICATIONS_SQL.format(p=p), (pid, pid, AT, AT, AT)).fetchall())
    rows.append(("qualification report at a date", lib, sql))
    db.close()
    return rows


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--postgres", default=DEFAULT_ADMIN_URL)
    args = parser.parse_args()
    results = run_on_engines(measure, args.postgres)
    print("| engine | measure | canbo (ms) | hand-written SQL (ms) | ratio |")
    print("|---|---|---|---|---|")
    for engine, rows in results.items():
        for label, lib, sql in rows:
            if sql is None:
                print(f"| {engine} | {label} | {lib:.1f} s | | |")
            else:
                print(f"| {engine} | {label} | {lib:.1f} | {sql:.1f} | {lib / sql:.2f}× |")


if __name__ == "__main__":
    main()
