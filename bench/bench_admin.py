"""Benchmark: the panel's lists on the province dataset (10,000 staff, 100,000 ratings).

On SQLite (the embedded default) and, with ``--postgres``, PostgreSQL: the median time
of a whole page through Flask's test client, and the page's SQL query count, logged in
as an officer of the province (who sees all 101 units) and as an officer of one commune
(whose every query carries the unit scope):

- the staff list (first page, 50 rows, Vietnamese name order);
- a search without diacritics ("nguyen thi anh");
- the ratings list as one lands on it: the latest year (10,000 ratings), name order;
- the ratings list over all ten years (100,000 ratings), newest year first.

Target: each under 150 ms median on SQLite.

    python -m bench.bench_admin [--postgres URL] [--runs N]
"""
import argparse
import tempfile
import time

from playhouse.test_utils import count_queries

from canbo import db as dbm
from canbo.records import users

from .common import median_ms, scratch_postgres
from .dataset import generate

PASSWORD = "bench-password"
PAGES = [
    ("staff list, 50 rows", "/admin/staff/"),
    ("staff search 'nguyen thi anh'", "/admin/staff/?search=nguyen+thi+anh"),
    ("ratings list, latest year (the landing page)", "/admin/rating/?flt0_0=2025"),
    ("ratings list, all 10 years", "/admin/rating/?page_size=50"),
]


def logged_in_client(url, username):
    import re

    import admin_app

    app = admin_app.create_app({"DATABASE": url, "SECRET_KEY": "bench", "TESTING": True})
    client = app.test_client()
    html = client.get("/admin/login/").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)
    response = client.post("/admin/login/", data={"username": username, "password": PASSWORD,
                                                  "csrf_token": token})
    assert response.status_code == 302, "login failed"
    return client


def bench(engine, url, runs):
    db = dbm.connect(url)
    db.url = url
    dbm.migrate(db)
    start = time.perf_counter()
    province = generate(db)
    load = time.perf_counter() - start
    users.create_user("tinh", PASSWORD, "OFFICER", province)
    users.create_user("xa", PASSWORD, "OFFICER", "X001")
    rows = [(engine, "load dataset", f"{load:.1f} s", "", "")]
    for username, who in (("tinh", "province"), ("xa", "commune")):
        client = logged_in_client(url, username)
        for label, page in PAGES:
            def get():
                response = client.get(page)
                assert response.status_code == 200, (page, response.status_code)

            wall, cpu = median_ms(get, runs)
            with count_queries() as counter:
                get()
            rows.append((engine, f"{who}: {label}", f"{wall:.1f}", f"{cpu:.1f}",
                         str(counter.count)))
    db.close()
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", help="URL of a PostgreSQL server to create a database on")
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        rows += bench("SQLite", f"sqlite:///{tmp}/province.db", args.runs)
    if args.postgres:
        with scratch_postgres(args.postgres) as url:
            rows += bench("PostgreSQL", url, args.runs)
    print("| engine | page | median wall (ms) | median CPU (ms) | SQL queries |")
    print("|---|---|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
