"""Benchmark: the ND 335 pages people open every month, through the panel.

Two datasets, each on SQLite (and PostgreSQL with ``--postgres``): a commune of 150
people, and the province of ``bench/dataset.py`` (100 communes, 10,000 people).  Every
person has ``--per-month`` assignments with results in each month of 2026
(``bench_tracking``), January–October confirmed, November self-scored and waiting for
the evaluator, December not started.  Logged in through Flask's test client, the median
of ``--runs`` whole pages and the page's SQL query count:

- the officer's grid (people × months): a commune's officer on their commune, and the
  province's officer on the province (the grid shows one page of people at a time);
- a civil servant's month (the sheet page with results and why) and "Việc của tôi";
- the evaluator's queue of November: the commune's chairman, who evaluates its civil
  servants by default (ND 335 Điều 10.1.b);
- the officer's home page with its to-do, for the commune's and the province's officer.

Target: each under 150 ms median on SQLite, with the same query count for the 150-person
commune as for a 100-person commune of the province (it must not grow with the rows).

    python -m bench.bench_monthly [--postgres URL] [--runs N] [--per-month N]
"""
import argparse
import os
import random
import time

from playhouse.test_utils import count_queries

from canbo import db as dbm
from canbo.models import Staff, Unit
from canbo.models.tracking import Sheet
from canbo.records import users

from .bench_admin import PASSWORD, logged_in_client
from .bench_tracking import YEAR, catalogues, load_results, load_sheets
from .common import DEFAULT_ADMIN_URL, median_ms, run_on_engines
from .dataset import generate

MONTH = 11


def build(db, communes, staff, per_month):
    """The dataset; returns ``(province, first commune, a civil servant of it)``."""
    rnd = random.Random(2026)
    province = generate(db, units=communes, staff=staff, years=1)
    people = list(Staff.select(Staff.id, Staff.unit).where(
        Staff.unit != province.id, Staff.left_on.is_null()).order_by(Staff.id).tuples())
    leaders = {sid for (sid,) in Staff.select(Staff.id).where(Staff.leader_role != "NONE")
               .tuples()}
    with db.atomic():
        products = catalogues([u for (u,) in Unit.select(Unit.id).where(
            Unit.parent == province.id).tuples()])
        load_sheets(people, leaders, rnd)
        Sheet.update(status="SELF_SCORED", general=None, confirmed_at=None).where(
            Sheet.month == MONTH).execute()
        Sheet.delete().where(Sheet.month == 12).execute()
    load_results(db, people, products, rnd, per_month)
    db.execute_sql("DELETE FROM assignment WHERE month = 12")
    db.execute_sql("ANALYZE")
    commune = Unit.get(Unit.code == "X001")
    person = (Staff.select().where(Staff.unit == commune, Staff.leader_role == "NONE",
                                   Staff.left_on.is_null(), Staff.kind == "CIVIL_SERVANT")
              .order_by(Staff.id).first())
    users.create_user("tinh", PASSWORD, "OFFICER", province)
    users.create_user("xa", PASSWORD, "OFFICER", commune)
    users.create_user("chutich", PASSWORD, "CHAIRMAN", commune)
    users.create_user("congchuc", PASSWORD, "STAFF", commune, staff=person)
    return province, commune, person


def pages(person):
    return [
        ("xa", "officer's grid of the commune", f"/admin/tracking/?unit=X001&year={YEAR}"),
        ("tinh", "officer's grid of the province", f"/admin/tracking/?year={YEAR}"),
        ("congchuc", "civil servant's month (sheet)",
         f"/admin/tracking/sheet/{person.id}/{YEAR}/{MONTH}"),
        ("congchuc", "civil servant's 'Việc của tôi'", f"/admin/monthly/?year={YEAR}"),
        ("chutich", "chairman's queue of the month",
         f"/admin/monthly/queue?year={YEAR}&month={MONTH}"),
        ("xa", "commune officer's home page (to-do)", "/admin/"),
        ("tinh", "province officer's home page (to-do)", "/admin/"),
    ]


def measure(url, communes, staff, per_month, runs):
    db = dbm.connect(url)
    dbm.migrate(db)
    start = time.perf_counter()
    _, commune, person = build(db, communes, staff, per_month)
    load = time.perf_counter() - start
    size = Staff.select().where(Staff.unit == commune).count()
    rows = [(f"load {staff:,} people in {communes} communes", f"{load:.1f} s", "", "")]
    clients = {}
    for username, label, page in pages(person):
        client = clients.get(username) or logged_in_client(url, username)
        clients[username] = client

        def get():
            response = client.get(page)
            assert response.status_code == 200, (page, response.status_code)

        wall, cpu = median_ms(get, runs)
        with count_queries() as counter:
            get()
        rows.append((f"{label} ({size} in the commune)", f"{wall:.1f}", f"{cpu:.1f}",
                     str(counter.count)))
    rows.append((f"(load average after the runs: {os.getloadavg()[0]:.1f} on "
                 f"{os.cpu_count()} cores)", "", "", ""))
    db.close()
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", default=DEFAULT_ADMIN_URL)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--per-month", type=int, default=8)
    parser.add_argument("--skip-sqlite", action="store_true")
    parser.add_argument("--only", choices=("commune", "province"))
    args = parser.parse_args()
    print("| engine | dataset | page | median (ms) | CPU (ms) | SQL queries |")
    print("|---|---|---|---|---|---|")
    for name, communes, staff in (("commune", 1, 150), ("province", 100, 10_000)):
        if args.only and args.only != name:
            continue
        results = run_on_engines(
            lambda url, c=communes, s=staff: measure(url, c, s, args.per_month, args.runs),
            args.postgres, sqlite=not args.skip_sqlite)
        for engine, rows in results.items():
            for label, wall, cpu, queries in rows:
                print(f"| {engine} | {name} | {label} | {wall} | {cpu} | {queries} |",
                      flush=True)


if __name__ == "__main__":
    main()
