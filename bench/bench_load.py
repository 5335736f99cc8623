"""Load benchmark: many logged-in sessions against the panel on the province dataset.

Builds the 10,000-staff province (``bench.dataset``, with a year of ND 335 monthly
tracking, 2026) on a scratch PostgreSQL database,
then serves it twice on loopback, one server after the other:

- the baseline, one process: ``canbo serve`` (waitress, 4 threads);
- the production server: ``canbo serve --production`` with its defaults (gunicorn,
  cores + 1 processes of 2 threads; ``--workers`` to try another count), set up as a
  province's: its processes share the figures they keep through a Redis server of the
  run's own (``canbo.cache``; not with ``--no-redis``, nor without ``redis-server``).

Against each, for every session count of ``--sessions`` (default 10 and 50), that many
client threads log in — half as the province's officer, half as its chairman — and loop
over the officer's and the chairman's mix (``MIX``: staff list, a search, a person,
the ratings list, the cycle page, the tracking grid, the dashboard) for ``--seconds``
seconds each, after a warm-up pass.  It prints, per server and session count: requests
per second, median and p95 latency, and errors (any status other than 200, or a
connection error).  With ``--commit-every S`` another writer commits a change every S
seconds meanwhile, so that what the panel keeps (``canbo.cache``) is recomputed as it
would be while the province's officers enter data.  The run is bounded: sessions stop
at their deadline, the servers are stopped, the scratch database dropped.

Targets on 2 cores (issue 15): at 10 sessions p95 < 400 ms; at 50 sessions at least 2×
the baseline's throughput, p95 < 1.5 s, no errors.  The client threads run on the same
machine, so they take some of its CPU: the numbers are a floor for the server.

It also counts the CPU per request of the server's processes, of PostgreSQL's and of the
client (Linux's /proc), and from them the throughput all the cores could give at those
costs: one process is held to one core by the GIL, so the production server's best over
the baseline is the cores' total over what one request costs them all.

    python -m bench.bench_load [--postgres ADMIN_URL | --database URL] [--sessions 10 50]
        [--seconds 30] [--commit-every SECONDS] [--no-redis]
"""
import argparse
import contextlib
import http.client
import itertools
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

from canbo import db as dbm
from canbo import settings
from canbo.cli import production as production_mod
from canbo.models import Staff, Unit
from canbo.records import users

from .common import DEFAULT_ADMIN_URL, scratch_postgres
from .dataset import generate

PASSWORD = "bench-load-password"
YEAR = 2025
#: The ND 335 year of the tracking grid, with its monthly sheets (``bench.dataset``).
TRACKED_YEAR = 2026


def mix(person_id):
    """The pages one session loops over: what an officer and a chairman open all day."""
    return [
        ("staff list", "/admin/staff/"),
        ("staff search", "/admin/staff/?search=nguyen+thi+anh"),
        ("a person", f"/admin/staff/details/?id={person_id}"),
        ("ratings list", f"/admin/rating/?flt0_0={YEAR}"),
        ("cycle page", f"/admin/workflow/?unit=X001&year={YEAR}"),
        ("tracking grid", f"/admin/tracking/?unit=X001&year={TRACKED_YEAR}"),
        ("dashboard", f"/admin/dashboard/?year={YEAR}"),
    ]


class Session:
    """One browser: a keep-alive connection and its session cookie."""

    def __init__(self, port):
        self.port = port
        self.cookies = {}
        self.connection = None

    def request(self, method, path, body=None):
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        for attempt in (1, 2):
            if self.connection is None:
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port,
                                                             timeout=60)
            try:
                self.connection.request(method, path, body=body, headers=headers)
                response = self.connection.getresponse()
                data = response.read()
                break
            except (http.client.HTTPException, OSError):
                self.connection.close()
                self.connection = None
                if attempt == 2:
                    raise
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        if response.getheader("Connection", "").lower() == "close":
            self.connection.close()
            self.connection = None
        return response.status, data.decode("utf-8", "replace")

    def log_in(self, username):
        _, page = self.request("GET", "/admin/login/")
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
        status, _ = self.request("POST", "/admin/login/", urllib.parse.urlencode(
            {"username": username, "password": PASSWORD, "csrf_token": token}))
        if status != 302:
            raise RuntimeError(f"login of {username} answered {status}")


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def redis_server(folder):
    """The URL of a Redis server of the run's own (``None`` without ``redis-server``)."""
    if shutil.which("redis-server") is None:
        yield None
        return
    port = _free_port()
    server = subprocess.Popen(["redis-server", "--port", str(port), "--save", "", "--dir",
                               folder], stdout=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port)):
                break
            time.sleep(0.1)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        server.terminate()
        server.wait(10)


def start_server(url, production, workers, folder, redis_url=None):
    port = _free_port()
    command = [sys.executable, "-c", "from canbo.cli import main; main()", "--db", url,
               "serve", "--port", str(port)]
    command += (["--production", "--workers", str(workers),
                 "--threads", str(production_mod.DEFAULT_THREADS)] if production
                else ["--threads", "4"])
    env = {**os.environ, "CANBO_SECRET_KEY": "b" * 64, "CANBO_DATA_DIR": folder,
           "CANBO_JOBS_QUEUE": os.path.join(folder, "queue.db")}
    env.pop(settings.REDIS_ENV, None)
    if redis_url:  # a province's setup: the jobs queue, and the figures shared
        env[settings.REDIS_ENV] = redis_url
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return process, port
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("the server did not start")


_TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _processes():
    """``{pid: (parent pid, command name, CPU seconds so far)}`` of every process (Linux's
    /proc; empty elsewhere)."""
    found = {}
    for entry in os.listdir("/proc") if os.path.isdir("/proc") else ():
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                stat = f.read()
        except OSError:  # gone meanwhile
            continue
        name = stat[stat.index("(") + 1:stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2:].split()
        found[int(entry)] = (int(fields[1]), name, (int(fields[11]) + int(fields[12])) / _TICK)
    return found


def cpu_seconds(server):
    """CPU seconds used so far by the server ``server`` (its process and every process
    under it), by PostgreSQL (every ``postgres`` process) and by this client process."""
    found = _processes()
    tree = {server}
    for _ in range(4):  # gunicorn: arbiter → workers; waitress: one process
        tree |= {pid for pid, (parent, _, _) in found.items() if parent in tree}
    own = sum(found[pid][2] for pid in tree if pid in found)
    postgres = sum(cpu for _, name, cpu in found.values() if name.startswith("postgres"))
    return own, postgres, time.process_time()


def load(port, sessions, seconds, people, server=None):
    """``(requests/s, median ms, p95 ms, errors, per-page medians, CPU ms per request)``
    of ``sessions`` sessions looping over the mix for ``seconds`` seconds; the CPU
    (server, PostgreSQL, this client: see ``cpu_seconds``) is counted when ``server``, the
    server's pid, is given."""
    clients = []
    for n in range(sessions):
        client = Session(port)
        client.log_in("tinh_canbo" if n % 2 == 0 else "tinh_chutich")
        clients.append(client)
    for name, path in mix(people[0]):  # warm-up: every page once, compiled templates
        clients[0].request("GET", path)
    times, errors, pages = [], [0], {}
    lock = threading.Lock()
    cpu_before = cpu_seconds(server) if server else None
    start = time.monotonic()
    deadline = start + seconds

    def loop(n, client):
        for step in itertools.count(n):
            if time.monotonic() >= deadline:
                return
            name, path = mix(people[step % len(people)])[step % 7]
            began = time.perf_counter()
            try:
                status, _ = client.request("GET", path)
            except (OSError, http.client.HTTPException):
                status = 0
            spent = (time.perf_counter() - began) * 1000
            with lock:
                times.append(spent)
                pages.setdefault(name, []).append(spent)
                if status != 200:
                    errors[0] += 1

    threads = [threading.Thread(target=loop, args=(n, c)) for n, c in enumerate(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - start
    cpu = None
    if server and times:
        cpu = tuple((after - before) * 1000 / len(times)
                    for before, after in zip(cpu_before, cpu_seconds(server)))
    times.sort()
    p95 = times[min(len(times) - 1, int(len(times) * 0.95))] if times else 0
    return (len(times) / elapsed, statistics.median(times) if times else 0, p95, errors[0],
            {name: statistics.median(values) for name, values in pages.items()}, cpu)


@contextlib.contextmanager
def dataset(admin_url, existing=None):
    """The URL of the province dataset: ``existing`` as it is (holding ``generate``'s
    dataset with ``monthly_year=TRACKED_YEAR`` and the two accounts), or a scratch one."""
    if existing:
        yield existing
        return
    with scratch_postgres(admin_url) as url:
        database = dbm.connect(url)
        dbm.migrate(database)
        began = time.perf_counter()
        generate(database, monthly_year=TRACKED_YEAR)
        database.execute_sql("ANALYZE")
        province = Unit.get(Unit.code == "TINH")
        users.create_user("tinh_canbo", PASSWORD, "OFFICER", province)
        users.create_user("tinh_chutich", PASSWORD, "CHAIRMAN", province)
        print(f"province dataset built in {time.perf_counter() - began:.0f} s")
        database.close()
        yield url


@contextlib.contextmanager
def committing(url, every):
    """While inside, another connection commits a change every ``every`` seconds (none
    when 0), as the province's other officers do: each commit is new data, so nothing
    kept (``canbo.cache``) lasts longer than ``every`` seconds."""
    done = threading.Event()

    def commit():
        database = dbm.url_connect(url)
        try:
            while not done.wait(every):
                database.execute_sql("UPDATE unit SET name = name WHERE code = 'TINH'")
        finally:
            database.close()

    writer = threading.Thread(target=commit, daemon=True)
    if every:
        writer.start()
    try:
        yield
    finally:
        done.set()
        if every:
            writer.join()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--postgres", default=DEFAULT_ADMIN_URL,
                        help="a server's admin URL; a scratch database is made on it")
    parser.add_argument("--database", default=None,
                        help="use this database, already holding the dataset and accounts")
    parser.add_argument("--sessions", type=int, nargs="+", default=[10, 50])
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--no-redis", action="store_true",
                        help="the production server without Redis: each process keeps "
                             "its own figures (by default it shares them through a Redis "
                             "server of the run's own, when redis-server is installed)")
    parser.add_argument("--commit-every", type=float, default=0,
                        help="seconds between commits by another writer (0: none)")
    args = parser.parse_args()
    workers = args.workers or production_mod.default_workers()
    with dataset(args.postgres, args.database) as url:
        database = dbm.connect(url)
        people = [i for (i,) in Staff.select(Staff.id).order_by(Staff.id).limit(50).tuples()]
        print(f"province dataset: {Staff.select().count():,} staff; {os.cpu_count()} cores; "
              f"load average before: {os.getloadavg()[0]:.2f}; a commit "
              + (f"every {args.commit_every:g} s" if args.commit_every else "never"))
        database.close()
        rows = []
        with tempfile.TemporaryDirectory() as folder, \
                (contextlib.nullcontext() if args.no_redis else redis_server(folder)) as redis:
            shared = " + Redis" if redis else ""
            for label, production in (("canbo serve (1 process, 4 threads)", False),
                                      (f"--production ({workers} processes × "
                                       f"{production_mod.DEFAULT_THREADS} threads"
                                       f"{shared})", True)):
                process, port = start_server(url, production, workers, folder,
                                             redis if production else None)
                try:
                    for sessions in args.sessions:
                        with committing(url, args.commit_every):
                            rate, median, p95, errors, pages, cpu = load(
                                port, sessions, args.seconds, people, process.pid)
                        rows.append((label, sessions, rate, median, p95, errors, cpu))
                        print(f"{label:<40} {sessions:>3} sessions: {rate:6.1f} req/s, "
                              f"median {median:6.0f} ms, p95 {p95:6.0f} ms, errors {errors}",
                              flush=True)
                        print("    " + ", ".join(f"{name} {ms:.0f}" for name, ms in
                                                pages.items()), flush=True)
                        if cpu:
                            print(f"    CPU per request: server {cpu[0]:.1f} ms, "
                                  f"PostgreSQL {cpu[1]:.1f} ms, client {cpu[2]:.1f} ms; the "
                                  f"{os.cpu_count()} cores busy "
                                  f"{sum(cpu) * rate / 10 / os.cpu_count():.0f}%", flush=True)
                finally:
                    process.terminate()
                    process.wait(30)
        print(f"load average after: {os.getloadavg()[0]:.2f}")
        by = {(label.startswith("--"), sessions): (rate, cpu)
              for label, sessions, rate, _, _, _, cpu in rows}
        for sessions in args.sessions:
            if (False, sessions) in by and (True, sessions) in by:
                (base, base_cpu), (production, cpu) = by[(False, sessions)], by[(True, sessions)]
                print(f"{sessions} sessions: production / baseline throughput = "
                      f"{production / base:.2f}×", end="")
                if base_cpu and cpu:
                    # all cores busy with the production server's, PostgreSQL's and the
                    # client's CPU per request: the most the production server could
                    # serve here, over what the baseline served
                    ceiling = os.cpu_count() * 1000 / sum(cpu)
                    print(f"; all {os.cpu_count()} cores busy at these CPU costs would give "
                          f"{ceiling:.1f} req/s, {ceiling / base:.2f}× the baseline", end="")
                print()

if __name__ == "__main__":
    main()
