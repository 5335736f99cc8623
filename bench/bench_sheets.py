"""Benchmark: a 10,000-row staff sheet exported, imported into an empty database, and
imported again (nothing to change).

The sheet is the province's staff list (bench/dataset.py: 100 communes, 10,000 people)
exported by ``canbo.exporter``; the import goes into a fresh database with
``create_units`` (100 communes created), the second import of the same file must
change nothing.  For SQLite and, when reachable, PostgreSQL; one run each (an import
writes, so repeating it would not measure the same thing), SQL queries counted.

Targets: import under 5 s, export under 3 s on this machine.

    python -m bench.bench_sheets [--postgres URL]
"""
import argparse
import tempfile
import time

from playhouse.test_utils import count_queries

from canbo import db as dbm
from canbo.models import Staff
from canbo.records import users
from canbo.spreadsheets import exporter, importer

from .common import DEFAULT_ADMIN_URL, run_on_engines
from .dataset import generate


def timed(fn):
    """``(result, (wall seconds, CPU seconds of this process), SQL queries)``.

    The CPU time is reported beside the wall clock because other jobs share the two
    cores: for this single-threaded work it is what the wall clock reads on an idle
    machine (less the database server's own time on PostgreSQL)."""
    with count_queries() as counter:
        start, cpu = time.perf_counter(), time.process_time()
        result = fn()
        seconds = (time.perf_counter() - start, time.process_time() - cpu)
    return result, seconds, counter.count


def measure(source_url, target_url, tmp):
    rows = []
    db = dbm.connect(source_url)
    dbm.migrate(db)
    province = generate(db, years=1)
    # The generator draws birth and joining dates independently; the importer refuses a
    # person who joined before being born, so make those few plausible first.
    for sid, joined in (Staff.select(Staff.id, Staff.joined_on)
                        .where(Staff.joined_on <= Staff.birth_date).tuples()):
        Staff.update(birth_date=joined.replace(year=joined.year - 25)).where(
            Staff.id == sid).execute()
    for fmt in ("xlsx", "csv"):
        path = f"{tmp}/staff.{fmt}"

        def export(path=path, fmt=fmt):
            exporter.export([exporter.staff_table(province)], path, fmt)

        _, seconds, queries = timed(export)
        rows.append((f"export 10,000 staff to {fmt.upper()}", seconds, queries))
    db.close()
    db = dbm.connect(target_url)
    dbm.migrate(db)
    runs = [("xlsx", "import into an empty database (XLSX)"),
            ("csv", "import again (CSV), nothing to change"),
            ("xlsx", "import again (XLSX), nothing to change")]
    for n, (fmt, label) in enumerate(runs):
        path = f"{tmp}/staff.{fmt}"
        result, seconds, queries = timed(
            lambda path=path: importer.import_file(path, create_units=True,
                                                 actor=users.operator("bench")))
        assert not result.problems, result.problem_lines()[:5]
        assert result.counts["staff_created" if n == 0 else "staff_unchanged"] == 10_000
        rows.append((label, seconds, queries))
    db.close()
    return rows


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--postgres", default=DEFAULT_ADMIN_URL)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:  # the exported sheets
        results = run_on_engines(lambda source, target: measure(source, target, tmp),
                                 args.postgres, databases=2)
    print("| engine | measure | wall | CPU | SQL queries |")
    print("|---|---|---|---|---|")
    for engine, rows in results.items():
        for label, (wall, cpu), queries in rows:
            print(f"| {engine} | {label} | {wall:.2f} s | {cpu:.2f} s | {queries} |")


if __name__ == "__main__":
    main()
