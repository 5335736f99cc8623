"""Benchmark: the heaviest operations of a province at 10,000 and at 60,000 people.

On scratch PostgreSQL databases, for each size of ``SIZES`` (communes, people) the
province dataset (``bench.dataset``: 10 years of ratings, and a year, 2026, of ND 335
monthly tracking — 3 products a month for 11 months, each month's sheet confirmed) is
built, then timed once each (they are minutes-scale at worst; ``--runs`` for medians):

- the year's points of the whole province (``year_points.year_grid``, what the cycle's
  proposal and the quota read);
- the province's dashboard (``stats.dashboard.dashboard``) and its two reports
  (``ratings_report``, ``qualification_report``);
- the tracking grid's first page for the province (``/admin/tracking/``, 50 people),
  through the panel, with its query count.

It also prints each table's rows, and its table and index sizes (``pg_relation_size``,
``pg_indexes_size``): the figures ``docs/deployment.md`` extrapolates to 34 provinces.

    python -m bench.bench_scale [--postgres ADMIN_URL] [--sizes 100:10000 150:60000]
"""
import argparse
import datetime
import os
import statistics
import time

from playhouse.test_utils import count_queries

from canbo import cache
from canbo import db as dbm
from canbo.models import Assignment, AuditLog, Qualification, Rating, Sheet, Staff, Unit
from canbo.records import users
from canbo.records.units import unit_ids
from canbo.stats import dashboard, reports
from canbo.tracking import year_points

from .common import DEFAULT_ADMIN_URL, scratch_postgres
from .dataset import generate

MODELS = [Staff, Rating, Qualification, Assignment, Sheet, AuditLog]
YEAR = 2026


def timed(fn, runs):
    """``(median seconds, last result)`` of ``fn`` run ``runs`` times, each worked out
    anew: nothing kept from the run before (``canbo.cache``)."""
    spent = []
    for _ in range(runs):
        cache.clear()
        began = time.perf_counter()
        result = fn()
        spent.append(time.perf_counter() - began)
    return statistics.median(spent), result


def sizes(database):
    out = []
    for model in MODELS:
        table = model._meta.table_name
        row = database.execute_sql(
            "SELECT (SELECT count(*) FROM " + table + "), pg_relation_size(%s), "
            "pg_indexes_size(%s)", (table, table)).fetchone()
        out.append((table, *row))
    return out


def measure(url, communes, people, runs):
    database = dbm.connect(url)
    dbm.migrate(database)
    began = time.perf_counter()
    generate(database, units=communes, staff=people, monthly_year=YEAR)
    database.execute_sql("ANALYZE")
    print(f"\n{people:,} people in {communes} communes: built in "
          f"{time.perf_counter() - began:.0f} s (load average {os.getloadavg()[0]:.2f})")
    province = Unit.get(Unit.code == "TINH")
    ids = unit_ids(province)
    seconds, grid = timed(lambda: year_points.year_grid(YEAR, ids), runs)
    print(f"  year points, whole province ({len(grid):,} people): {seconds:.2f} s")
    seconds, _ = timed(lambda: dashboard.dashboard(province, 2025,
                                                  today=datetime.date(2025, 11, 20)), runs)
    print(f"  dashboard of the province: {seconds * 1000:.0f} ms")
    seconds, _ = timed(lambda: reports.ratings_report(province, 2025), runs)
    print(f"  ratings report: {seconds * 1000:.0f} ms")
    seconds, _ = timed(lambda: reports.qualification_report(
        province, datetime.date(2025, 12, 31)), runs)
    print(f"  qualification report: {seconds * 1000:.0f} ms")

    import admin_app

    users.create_user("tinh_canbo", "bench-scale-password", "OFFICER", province)
    app = admin_app.create_app({"DATABASE": url, "SECRET_KEY": "s" * 32, "TESTING": True,
                                "WTF_CSRF_ENABLED": False})
    client = app.test_client()
    client.post("/admin/login/", data={"username": "tinh_canbo",
                                       "password": "bench-scale-password"})
    page = f"/admin/tracking/?unit=TINH&year={YEAR}"
    client.get(page)  # the templates compiled, as on a server that has run a while
    seconds, response = timed(lambda: client.get(page), runs)
    cache.clear()
    with count_queries() as queries:
        client.get(page)
    print(f"  tracking grid, first page of the province: {seconds * 1000:.0f} ms, "
          f"{queries.count} queries (status {response.status_code})")
    for table, rows, data, index in sizes(dbm.database.obj):
        print(f"  {table:<14} {rows:>10,} rows  table {data / 2**20:8.1f} MB  "
              f"indexes {index / 2**20:8.1f} MB")
    getattr(dbm.database.obj, "close_all", lambda: None)()
    database.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--postgres", default=DEFAULT_ADMIN_URL)
    parser.add_argument("--sizes", nargs="+", default=["100:10000", "150:60000"])
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args()
    for size in args.sizes:
        communes, people = (int(x) for x in size.split(":"))
        with scratch_postgres(args.postgres) as url:
            measure(url, communes, people, args.runs)


if __name__ == "__main__":
    main()
