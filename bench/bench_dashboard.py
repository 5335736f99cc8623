"""Benchmark: the province dashboard (100 communes, 10,000 staff, 100,000 ratings).

On the province dataset (bench/dataset.py), for SQLite and, when reachable, PostgreSQL:
the median of

- ``canbo.dashboard.dashboard`` — every figure of the province for 2025 with its table
  of 100 communes;
- the two SVG charts drawn from those figures;
- the whole page ``/admin/dashboard/?year=2025`` through Flask's test client, logged in
  as the admin (who sees the province): queries, charts, template;
- the number of SQL queries of one page.

Target: the page in under 300 ms median on SQLite.

    python -m bench.bench_dashboard [--postgres URL] [--runs N]
"""
import argparse
import datetime
import time

from playhouse.test_utils import count_queries

from canbo import db as dbm
from canbo.records import users
from canbo.stats import charts, dashboard

from .common import DEFAULT_ADMIN_URL, median_ms, run_on_engines
from .dataset import generate

YEAR = 2025
TODAY = datetime.date(2025, 12, 1)


def page_client(url):
    """A test client logged in as an admin account of the benchmark database."""
    from admin_app import create_app

    users.create_user("bench-admin", "bench-password-1", "ADMIN")
    app = create_app({"DATABASE": url, "TESTING": True, "WTF_CSRF_ENABLED": False,
                      "SECRET_KEY": "bench"})
    client = app.test_client()
    response = client.post("/admin/login/", data={"username": "bench-admin",
                                                  "password": "bench-password-1"})
    assert response.status_code == 302, response.status_code
    return client


def measure(url, runs):
    db = dbm.connect(url)
    dbm.migrate(db)
    start = time.perf_counter()
    province = generate(db)
    rows = [("load dataset", time.perf_counter() - start)]
    if dbm.is_postgres(db):
        db.execute_sql("ANALYZE")
    board = dashboard.dashboard(province, YEAR, today=TODAY)
    assert len(board.units) == 100, len(board.units)
    rows.append(("dashboard figures, province-year",
                 median_ms(lambda: dashboard.dashboard(province, YEAR, today=TODAY), runs)))
    rows.append(("both SVG charts", median_ms(lambda: (
        charts.rating_distribution_chart(board.history),
        charts.qualification_chart(board.qualifications)), runs)))
    client = page_client(url)

    def page():
        response = client.get(f"/admin/dashboard/?year={YEAR}")
        assert response.status_code == 200, response.status_code

    rows.append(("dashboard page (HTTP, test client)", median_ms(page, runs)))
    with count_queries() as counter:
        page()
    rows.append(("SQL queries per page", counter.count))
    db.close()
    return rows


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--postgres", default=DEFAULT_ADMIN_URL)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    results = run_on_engines(lambda url: measure(url, args.runs), args.postgres)
    print("| engine | measure | median wall | median CPU of this process |")
    print("|---|---|---|---|")
    for engine, rows in results.items():
        for label, value in rows:
            if label.startswith("load"):
                print(f"| {engine} | {label} | {value:.1f} s | |")
            elif label.startswith("SQL"):
                print(f"| {engine} | {label} | {value} | |")
            else:
                print(f"| {engine} | {label} | {value[0]:.1f} ms | {value[1]:.1f} ms |")


if __name__ == "__main__":
    main()
