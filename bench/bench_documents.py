"""Batch printing of rating forms: chunked, parallel rendering against the naive loop.

    python -m bench.bench_documents                # 500 forms, then 2,000 (chunked only)
    python -m bench.bench_documents --forms 500 --no-large

The province dataset comes from ``bench/dataset.py`` (one year of ratings, ``forms``
people spread over communes), in a SQLite file under a temporary directory.  Each
measurement runs in a fresh Python process so that peak memory is its own:

- naive: one standalone WeasyPrint render per form (fonts and stylesheet loaded for
  each, as a one-form-at-a-time loop over ``form_pdf`` in fresh calls would), the PDFs
  merged at the end;
- chunked, 1 process: ``render_batch(workers=1)`` — one render per chunk of forms;
- chunked, parallel: ``render_batch()`` — chunks rendered by worker processes.

Peak memory is the parent's maximum RSS plus, for the parallel run, the largest worker's
maximum RSS times the number of workers (an upper bound: workers run side by side).
"""
import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time

YEAR = 2025


def build(url, forms):
    from bench import dataset
    from canbo import db as dbm

    db = dbm.connect(url)
    dbm.migrate(db)
    dataset.generate(db, units=max(1, forms // 20), staff=forms, years=1, last_year=YEAR)
    db.close()


def measure(url, mode, workers):
    """Run one mode in this process; print a JSON line with the results."""
    from pypdf import PdfReader

    from canbo import db as dbm
    from canbo.documents import batch, forms
    from canbo.documents import render as documents
    from canbo.records.units import find_unit, unit_ids

    dbm.connect(url)
    province = find_unit("TINH")
    started = time.perf_counter()
    people = forms.staff_of_year(unit_ids(province, True), YEAR)
    contexts = forms.year_contexts(people, YEAR)
    with tempfile.TemporaryDirectory() as directory:
        out = os.path.join(directory, "out.pdf")
        if mode == "naive":
            parts = []
            for ctx in contexts:
                documents._resources.cache_clear()  # a standalone render: fonts, CSS anew
                parts.append(batch.forms_pdf([ctx]))
            with open(out, "wb") as f:
                batch.merge_pdfs(parts, f)
        else:
            batch.render_batch(contexts, out, workers=1 if mode == "chunked" else workers)
        seconds = time.perf_counter() - started
        pages = len(PdfReader(out).pages)
        size = os.path.getsize(out)
    self_use = resource.getrusage(resource.RUSAGE_SELF)
    child_use = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = sum(u.ru_utime + u.ru_stime for u in (self_use, child_use))
    own = self_use.ru_maxrss / 1024
    child = child_use.ru_maxrss / 1024
    peak = own + (child * workers if mode == "parallel" else 0)
    print(json.dumps({"mode": mode, "forms": len(contexts), "pages": pages,
                      "seconds": seconds, "cpu": cpu, "peak_mb": peak, "parent_mb": own,
                      "worker_mb": child, "mb_file": size / 2**20}))


def run(url, mode, workers):
    out = subprocess.run([sys.executable, "-m", "bench.bench_documents", "--measure", mode,
                          "--url", url, "--workers", str(workers)],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def table(rows):
    base = next((r for r in rows if r["mode"] == "naive"), None)
    print(f"{'mode':<22}{'forms':>7}{'pages':>7}{'seconds':>9}{'pages/s':>9}{'speed-up':>10}"
          f"{'CPU s':>8}{'peak MB':>9}{'parent':>8}{'worker':>8}{'PDF MB':>8}")
    for r in rows:
        rate = r["pages"] / r["seconds"]
        speed = f"{rate / (base['pages'] / base['seconds']):.1f}x" if base and \
            base["forms"] == r["forms"] else "-"
        label = r["mode"] + (f" ({r['workers']})" if r["mode"] == "parallel" else "")
        print(f"{label:<22}{r['forms']:>7}{r['pages']:>7}{r['seconds']:>9.1f}{rate:>9.1f}"
              f"{speed:>10}{r['cpu']:>8.1f}{r['peak_mb']:>9.0f}{r['parent_mb']:>8.0f}"
              f"{r['worker_mb']:>8.0f}{r['mb_file']:>8.1f}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--forms", type=int, default=500)
    parser.add_argument("--large", type=int, default=2000, help="forms of the memory run")
    parser.add_argument("--no-large", action="store_true")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--measure", choices=["naive", "chunked", "parallel"])
    parser.add_argument("--url")
    args = parser.parse_args()
    if args.measure:
        return measure(args.url, args.measure, args.workers)
    rows = []
    load = os.getloadavg()
    with tempfile.TemporaryDirectory() as directory:
        url = f"sqlite:///{directory}/bench.db"
        build(url, args.forms)
        for mode in ("naive", "chunked", "parallel"):
            rows.append({**run(url, mode, args.workers), "workers": args.workers})
        if not args.no_large:
            large = f"sqlite:///{directory}/large.db"
            build(large, args.large)
            rows.append({**run(large, "parallel", args.workers), "workers": args.workers})
    print(f"load average before: {load[0]:.1f}, after: {os.getloadavg()[0]:.1f}")
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}, SQLite; "
          f"chunk {__import__('canbo.documents.batch').documents.batch.CHUNK_SIZE} forms")
    table(rows)


if __name__ == "__main__":
    main()
