"""Benchmark: the year's ND 335 points of a province, summed in SQL.

On the province of ``bench/dataset.py`` (100 communes, 10,000 staff) this adds a decided
catalogue of 10 products per commune, 12 months × 20 assignments with results for every
person (2.4 million ``assignment`` rows, bulk-inserted: ``executemany`` on SQLite,
``COPY`` on PostgreSQL), 120,000 confirmed sheets and an open 2026 rating per person.
It then times, for SQLite and PostgreSQL: the GROUP BY (person, month) alone, the
province's grid (``year_grid``: sums, sheets, scores, averages, levels), and writing the
10,000 averages into ``Rating.points``.  Target: grid under 10 s on each engine.

    python -m bench.bench_tracking [--postgres URL] [--staff N]
"""
import argparse
import datetime
import io
import os
import random
import time

from canbo import db as dbm
from canbo.models import Rating, Staff, Unit
from canbo.models.tracking import Catalogue, Product, Sheet
from canbo.records.units import unit_ids
from canbo.tracking import year_points as yp

from .common import DEFAULT_ADMIN_URL, medians, run_on_engines
from .dataset import _bulk, generate

YEAR = 2026
PER_MONTH = 20
RUNS = 3
COLUMNS = ("staff_id", "year", "month", "product_id", "coefficient", "quantity", "deadline",
           "completed", "failed_reviews", "delays", "objective_cause", "extra", "urgent",
           "note")
COEFFICIENTS = ("0.50", "1.00", "1.00", "1.25", "1.50", "2.00", "2.50", "3.00", "5.00", "12.50")


def catalogues(unit_ids):
    """A decided catalogue of ten products per commune; ``{unit_id: [(id, coef), …]}``."""
    _bulk(Catalogue, [{"unit": uid, "year": YEAR, "standard_product": "Văn bản đơn giản",
                       "decision_number": f"{uid}/QĐ-UBND",
                       "decision_date": datetime.date(YEAR, 1, 5), "decided_by": "bench"}
                      for uid in unit_ids])
    by_unit = dict(Catalogue.select(Catalogue.id, Catalogue.unit).tuples())
    _bulk(Product, [{"catalogue": cid, "complexity_group": 1 + k // 2, "name": f"Sản phẩm {k}",
                     "points_min": None, "points_max": None, "coefficient": coef,
                     "position": k}
                    for cid in by_unit for k, coef in enumerate(COEFFICIENTS)])
    out = {}
    for pid, cid, coef in Product.select(Product.id, Product.catalogue,
                                         Product.coefficient).tuples():
        out.setdefault(by_unit[cid], []).append((pid, str(coef)))
    return out


def result_rows(people, products, rnd, per_month=PER_MONTH):
    """The ``per_month`` assignments a month of each person, with results, as tuples."""
    for sid, uid in people:
        choices = products[uid]
        for month in range(1, 13):
            deadline = datetime.date(YEAR, month, 25)
            for _ in range(per_month):
                pid, coef = rnd.choice(choices)
                quantity = rnd.randint(1, 5)
                extra = rnd.random() < 0.03
                completed = quantity if rnd.random() < 0.9 else rnd.randint(0, quantity)
                yield (sid, YEAR, month, pid, coef, 0 if extra else quantity, deadline,
                       completed, int(rnd.random() < 0.05), int(rnd.random() < 0.08),
                       rnd.random() < 0.02, extra, False, None)


def load_results(db, people, products, rnd, per_month=PER_MONTH):
    rows = result_rows(people, products, rnd, per_month)
    if dbm.is_postgres(db):
        buffer = io.StringIO()
        for row in rows:
            buffer.write("\t".join("\\N" if v is None else str(v) for v in row) + "\n")
        buffer.seek(0)
        with db.atomic():
            db.cursor().copy_expert(
                f"COPY assignment ({', '.join(COLUMNS)}) FROM STDIN", buffer)
        return
    sql = (f"INSERT INTO assignment ({', '.join(COLUMNS)}) VALUES "
           f"({', '.join('?' * len(COLUMNS))})")
    with db.atomic():
        db.cursor().executemany(sql, ((*r[:6], r[6].isoformat(), *r[7:]) for r in rows))


def load_sheets(people, leaders, rnd):
    now = datetime.datetime(YEAR, 12, 1, 9, 0)
    rows = []
    for sid, uid in people:
        lead = sid in leaders
        for month in range(1, 13):
            rows.append({"staff": sid, "unit": uid, "year": YEAR, "month": month,
                         "period": "MONTH", "rule_set": "ND335_2025", "leader": lead,
                         "self_general": 28, "general": rnd.choice((24, 26, 27, 28, 29, 30)),
                         "d": 100 if lead else None, "dd": 50 if lead else None,
                         "e": 100 if lead else None, "status": "CONFIRMED",
                         "evaluator": "bench", "confirmed_at": now})
    _bulk(Sheet, rows)
    _bulk(Rating, [{"staff": sid, "unit": uid, "year": YEAR, "rule_set": "ND335_2025",
                    "status": "OPEN"} for sid, uid in people])


def timed(fn):
    """Median wall and CPU seconds of ``RUNS`` calls after a warm-up, and the last result.

    CPU is this process's time: on SQLite the whole work, on PostgreSQL the client's
    share only.  It is reported because the machine is shared and wall time swells with
    the load average (printed with each engine's rows).
    """
    return medians(fn, RUNS)


def measure(url, staff):
    db = dbm.connect(url)
    dbm.migrate(db)
    rnd = random.Random(2026)
    start = time.perf_counter()
    province = generate(db, staff=staff, years=1)
    people = list(Staff.select(Staff.id, Staff.unit).where(Staff.unit != province.id)
                  .order_by(Staff.id).tuples())
    leaders = {sid for (sid,) in Staff.select(Staff.id).where(Staff.leader_role != "NONE")
               .tuples()}
    with db.atomic():
        products = catalogues([u for (u,) in Unit.select(Unit.id).where(
            Unit.parent == province.id).tuples()])
        load_sheets(people, leaders, rnd)
    load_results(db, people, products, rnd)
    db.execute_sql("ANALYZE")
    load = time.perf_counter() - start
    rows = db.execute_sql("SELECT COUNT(*) FROM assignment").fetchone()[0]
    units = unit_ids(province)
    out = [("load dataset, tracking rows", load, None, f"{rows:,} result rows")]
    wall, cpu, result = timed(lambda: yp.month_totals(YEAR))
    out.append(("GROUP BY (person, month) alone", wall, cpu, f"{len(result):,} person-months"))
    wall, cpu, grid = timed(lambda: yp.year_grid(YEAR, units))
    complete = sum(p.complete for p in grid)
    out.append(("year's points of the province (year_grid)", wall, cpu,
                f"{len(grid):,} people, {complete:,} complete"))
    wall, cpu, (updated, _) = timed(lambda: yp.write_points(YEAR, grid))
    out.append(("write Rating.points", wall, cpu, f"{updated:,} ratings"))
    out.append((f"(load average after the runs: {os.getloadavg()[0]:.1f} on "
                f"{os.cpu_count()} cores)", None, None, ""))
    db.close()
    return out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--postgres", default=DEFAULT_ADMIN_URL)
    parser.add_argument("--staff", type=int, default=10_000)
    parser.add_argument("--skip-sqlite", action="store_true")
    args = parser.parse_args()
    results = run_on_engines(lambda url: measure(url, args.staff), args.postgres,
                             sqlite=not args.skip_sqlite)
    print("| engine | measure | wall (s) | CPU of this process (s) | size |")
    print("|---|---|---|---|---|")
    for engine, rows in results.items():
        for label, wall, cpu, size in rows:
            wall, cpu = ("" if v is None else f"{v:.2f}" for v in (wall, cpu))
            print(f"| {engine} | {label} | {wall} | {cpu} | {size} |")


if __name__ == "__main__":
    main()
