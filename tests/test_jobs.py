"""Background jobs (``canbo.jobs``) through a real Huey consumer: progress, cancel, who
sees what, a crash mid-job, expired results; and the panel's jobs page.

The consumer runs in threads of the test process against Huey's SQLite storage (the
commune's setup), and against Redis when ``redis-server`` is on the machine.
"""
import io
import multiprocessing
import os
import signal
import subprocess
import sys
import threading
import time

import pytest
from pypdf import PdfReader

from canbo import jobs
from canbo.cli import serve
from canbo.cli.common import Progress
from canbo.documents import batch
from canbo.errors import CanboError, NotFound
from canbo.models import Job, NationalExport, Unit
from canbo.records import users
from canbo.stats import national
from panel_helpers import csrf_token

YEAR = 2022  # the demo commune prints 20 forms that year


@pytest.fixture(params=["sqlite", "redis"])
def queue(request, tmp_path, monkeypatch):
    """This test's queue: Huey's SQLite storage in the test's folder, or a Redis server
    of its own."""
    monkeypatch.setenv(jobs.FOLDER_ENV, str(tmp_path / "results"))
    monkeypatch.delenv(jobs.REDIS_ENV, raising=False)
    if request.param == "sqlite":
        monkeypatch.setenv(jobs.QUEUE_ENV, str(tmp_path / "queue.db"))
        yield "sqlite"
        return
    monkeypatch.setenv(jobs.REDIS_ENV, request.getfixturevalue("redis_url"))
    yield "redis"


@pytest.fixture
def consumer(demo_db, queue):
    """A real Huey consumer (one worker thread) on this test's queue and database."""
    running = jobs.start_consumer(workers=1, periodic=False, max_delay=0.2)
    yield running
    running.stop(graceful=True)


@pytest.fixture
def people(demo_db):
    kimtan = Unit.get(Unit.code == "KIMTAN")
    other = Unit.create(code="XB", name="UBND xã Bình Minh", place_name="Bình Minh")
    return {
        "officer": users.create_user("canbo", "matkhau-123", "OFFICER", kimtan),
        "chairman": users.create_user("chutich", "matkhau-123", "CHAIRMAN", kimtan),
        "officer_b": users.create_user("canbo_b", "matkhau-123", "OFFICER", other),
        "admin": users.create_user("quantri", "matkhau-123", "ADMIN", None),
        "kimtan": kimtan,
    }


def wait_for(job_id, statuses=jobs.FINISHED, timeout=120):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = Job.get_by_id(job_id)
        if job.status in statuses:
            return job
        time.sleep(0.05)
    raise AssertionError(f"job {job_id} still {Job.get_by_id(job_id).status}")


@pytest.fixture
def small_chunks(monkeypatch):
    """Chunks of 2 forms: 10 chunks for the demo's 20 forms, rendered in this process."""
    monkeypatch.setattr(batch, "CHUNK_SIZE", 2)
    monkeypatch.setattr(batch, "PARALLEL_FROM", 1000)


@pytest.fixture
def renders(monkeypatch):
    """Every chunk rendered, counted; ``renders.hook(n)`` runs before the n-th."""
    real = batch.forms_pdf
    state = {"count": 0, "hooks": {}}

    def counting(contexts):
        state["count"] += 1
        hook = state["hooks"].get(state["count"])
        if hook:
            hook()
        return real(contexts)

    monkeypatch.setattr(batch, "forms_pdf", counting)
    return state


def test_forms_job_runs_to_a_pdf_with_advancing_progress(consumer, people, small_chunks,
                                                        monkeypatch):
    seen = []
    real = jobs.progress

    def recording(job_id, done, total):
        seen.append((done, total))
        return real(job_id, done, total)

    monkeypatch.setattr(jobs, "progress", recording)
    job = jobs.submit(people["officer"], "forms", unit=people["kimtan"].id, year=YEAR)
    assert job.status == jobs.QUEUED and job.owner == "canbo"
    job = wait_for(job.id)
    assert job.status == jobs.DONE, job.message
    assert seen == [(0, 20)] + [(d, 20) for d in range(2, 21, 2)]
    assert (job.done, job.total) == (20, 20)
    name, path = jobs.result(people["officer"], job.id)
    assert name == "phieu-danh-gia-2022-kimtan.pdf"
    assert len(PdfReader(path).pages) >= 20
    assert job.expires_at > job.finished_at


def test_cancel_stops_between_chunks(consumer, people, small_chunks, renders):
    cancelled = threading.Event()
    renders["hooks"][2] = lambda: cancelled.wait(30)  # the 2nd chunk waits for the cancel
    job = jobs.submit(people["officer"], "forms", unit=people["kimtan"].id, year=YEAR)
    wait_for(job.id, {jobs.RUNNING})
    deadline = time.monotonic() + 60
    while Job.get_by_id(job.id).done < 2 and time.monotonic() < deadline:
        time.sleep(0.02)
    jobs.cancel(people["officer"], job.id)
    cancelled.set()
    job = wait_for(job.id)
    assert job.status == jobs.CANCELLED
    assert renders["count"] == 2  # the chunk in hand finished; none of the other 8 began
    assert job.done == 4 and job.total == 20
    with pytest.raises(NotFound):
        jobs.result(people["officer"], job.id)
    assert not list(jobs.results_folder().iterdir())


def test_cancel_stops_the_render_processes(consumer, people, monkeypatch):
    monkeypatch.setattr(batch, "CHUNK_SIZE", 1)
    monkeypatch.setattr(batch, "PARALLEL_FROM", 1)
    job = jobs.submit(people["officer"], "forms", unit=people["kimtan"].id, year=YEAR,
                      workers=2)
    deadline = time.monotonic() + 90
    while Job.get_by_id(job.id).done < 1 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert multiprocessing.active_children()  # the two render processes
    jobs.cancel(people["officer"], job.id)
    job = wait_for(job.id)
    assert job.status == jobs.CANCELLED and job.done < 20
    assert not multiprocessing.active_children()


def test_a_queued_job_cancelled_never_runs(demo_db, queue, people, renders):
    job = jobs.submit(people["officer"], "forms", unit=people["kimtan"].id, year=YEAR)
    assert jobs.cancel(people["officer"], job.id).status == jobs.CANCELLED
    running = jobs.start_consumer(workers=1, periodic=False, max_delay=0.2)
    try:
        time.sleep(1.0)
    finally:
        running.stop(graceful=True)
    assert renders["count"] == 0
    assert Job.get_by_id(job.id).status == jobs.CANCELLED


def test_a_user_sees_only_their_own_jobs(demo_db, queue, people):
    job = jobs.submit(people["officer"], "forms", unit=people["kimtan"].id, year=YEAR)
    for other in ("chairman", "officer_b"):
        with pytest.raises(NotFound):
            jobs.get(people[other], job.id)
        with pytest.raises(NotFound):
            jobs.cancel(people[other], job.id)
        assert job.id not in [j.id for j in jobs.visible(people[other])]
    assert jobs.get(people["admin"], job.id).owner == "canbo"
    assert Job.get_by_id(job.id).status == jobs.QUEUED  # nobody else cancelled it


def test_printing_another_units_forms_is_refused(demo_db, queue, people):
    with pytest.raises(NotFound):
        jobs.submit(people["officer_b"], "forms", unit=people["kimtan"].id, year=YEAR)
    assert Job.select().count() == 0


def test_a_crash_mid_job_marks_it_failed_and_keeps_nothing(consumer, people, small_chunks,
                                                          renders):
    def crash():
        raise RuntimeError("the worker died")

    renders["hooks"][3] = crash
    job = jobs.submit(people["officer"], "forms", unit=people["kimtan"].id, year=YEAR)
    job = wait_for(job.id)
    assert job.status == jobs.FAILED
    assert "RuntimeError" in job.message and job.done == 4
    assert job.result_path is None
    assert not list(jobs.results_folder().iterdir())  # no partial PDF left behind
    with pytest.raises(NotFound):
        jobs.result(people["officer"], job.id)


def test_a_job_left_running_by_a_stopped_server_is_marked_failed(demo_db, queue, people):
    job = jobs.submit(people["officer"], "forms", unit=people["kimtan"].id, year=YEAR)
    Job.update(status=jobs.RUNNING).where(Job.id == job.id).execute()
    part = jobs.results_folder() / f"job-{job.id}-x1y2.part"  # what the killed one wrote
    part.write_bytes(b"%PDF-1.7 half")
    assert jobs.interrupted() == 1
    job = Job.get_by_id(job.id)
    assert job.status == jobs.FAILED and "gián đoạn" in job.message
    assert not part.exists()


def test_expired_results_are_purged(consumer, people, small_chunks):
    job = wait_for(jobs.submit(people["officer"], "forms", unit=people["kimtan"].id,
                               year=YEAR).id)
    _, path = jobs.result(people["officer"], job.id)
    assert jobs.purge() == 0 and path.exists()
    assert jobs.purge(now=job.expires_at) == 1
    assert not path.exists()
    assert Job.get_or_none(Job.id == job.id) is None


def test_eta_from_the_pace_so_far(demo_db, queue, people):
    job = jobs.submit(people["officer"], "forms", unit=people["kimtan"].id, year=YEAR)
    assert jobs.seconds_left(job) is None
    job.status, job.done, job.total = jobs.RUNNING, 5, 20
    job.started_at = jobs._now()
    import datetime
    assert jobs.seconds_left(job, job.started_at + datetime.timedelta(seconds=10)) == 30


# --- the panel ---------------------------------------------------------------------------

DOCS = "/admin/documents/?unit=KIMTAN&year=2022"
FORMS = "/admin/documents/forms?unit=KIMTAN&year=2022"


@pytest.fixture
def background(monkeypatch):
    """Past 5 forms the panel prints in the background (the demo has 20)."""
    monkeypatch.setattr(batch, "BACKGROUND_FROM", 5)


def test_printing_many_forms_runs_as_a_job_with_its_page(login_as, consumer, small_chunks,
                                                         background):
    client = login_as("OFFICER")
    page = client.get(DOCS).get_data(as_text=True)
    assert 'id="print-forms"' in page and 'method="post"' in page
    response = client.post(FORMS, data={"csrf_token": csrf_token(client, DOCS)})
    assert response.status_code == 302
    job = Job.select().order_by(Job.id.desc()).get()
    assert response.headers["Location"].endswith(f"/admin/jobs/{job.id}")
    assert job.owner == "canbo" and job.kind == "forms"
    wait_for(job.id)
    page = client.get(f"/admin/jobs/{job.id}").get_data(as_text=True)
    assert "Đã xong" in page and "20 / 20" in page and 'http-equiv="refresh"' not in page
    download = client.get(f"/admin/jobs/{job.id}/download")
    assert download.status_code == 200 and download.data.startswith(b"%PDF")
    assert "phieu-danh-gia-2022-kimtan.pdf" in download.headers["Content-Disposition"]
    listing = client.get("/admin/jobs/").get_data(as_text=True)
    assert "Phiếu đánh giá năm 2022" in listing and "Tải về" in listing


def test_a_running_jobs_page_refreshes_itself_and_cancels(login_as, queue, background):
    client = login_as("OFFICER")
    client.post(FORMS, data={"csrf_token": csrf_token(client, DOCS)})
    job = Job.select().order_by(Job.id.desc()).get()  # no consumer: it stays queued
    page = client.get(f"/admin/jobs/{job.id}").get_data(as_text=True)
    assert "Đang chờ" in page and 'http-equiv="refresh" content="3"' in page
    assert 'id="job-cancel"' in page
    assert client.post(f"/admin/jobs/{job.id}/cancel").status_code == 400  # no CSRF token
    assert Job.get_by_id(job.id).status == jobs.QUEUED
    response = client.post(f"/admin/jobs/{job.id}/cancel",
                           data={"csrf_token": csrf_token(client, DOCS)},
                           follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "Đã hủy" in page and 'id="job-cancel"' not in page
    assert Job.get_by_id(job.id).status == jobs.CANCELLED


def test_a_link_to_many_forms_does_not_start_a_job(login_as, queue, background):
    response = login_as("OFFICER").get(FORMS, follow_redirects=True)
    assert "hãy bấm nút in để in trong nền" in response.get_data(as_text=True)
    assert Job.select().count() == 0


def test_another_users_job_is_404_and_the_admin_sees_all(login_as, queue, background):
    client = login_as("OFFICER")
    client.post(FORMS, data={"csrf_token": csrf_token(client, DOCS)})
    job = Job.select().order_by(Job.id.desc()).get()
    chairman = login_as("CHAIRMAN")
    for url in (f"/admin/jobs/{job.id}", f"/admin/jobs/{job.id}/download"):
        assert chairman.get(url).status_code == 404
    assert chairman.post(f"/admin/jobs/{job.id}/cancel",
                         data={"csrf_token": csrf_token(chairman, DOCS)}).status_code == 404
    assert "Phiếu đánh giá năm 2022" not in chairman.get("/admin/jobs/").get_data(as_text=True)
    admin = login_as("ADMIN")
    listing = admin.get("/admin/jobs/").get_data(as_text=True)
    assert "Phiếu đánh giá năm 2022" in listing and "mọi người dùng" in listing
    assert admin.get(f"/admin/jobs/{job.id}").status_code == 200
    # the chairman's refused cancel left it alone (the consumer may have started it)
    assert Job.get_by_id(job.id).status in (jobs.QUEUED, jobs.RUNNING, jobs.DONE)


# --- the command line --------------------------------------------------------------------


def test_canbo_worker_runs_the_queued_jobs(demo_db, queue, people, small_chunks, tmp_path):
    if queue != "sqlite" or not demo_db.url.startswith("sqlite"):
        pytest.skip("one process run is enough: SQLite queue and database")
    job = jobs.submit(people["officer"], "forms", unit=people["kimtan"].id, year=YEAR)
    process = subprocess.Popen([sys.executable, "-c", "from canbo.cli import main; main()",
                                "--db", demo_db.url, "worker", "--workers", "1"],
                               env={**os.environ}, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
    try:
        job = wait_for(job.id, timeout=120)
    finally:
        process.send_signal(signal.SIGINT)
        out, _ = process.communicate(timeout=30)
    assert job.status == jobs.DONE, (job.message, out)
    assert "hàng đợi sqlite" in out
    assert jobs.result(people["officer"], job.id)[1].exists()


def test_canbo_serve_starts_a_consumer_and_fails_the_jobs_it_left(demo_db, queue, people):
    if queue != "sqlite":
        pytest.skip("with Redis, `canbo serve` runs no consumer (`canbo worker` does)")
    left = jobs.submit(people["officer"], "forms", unit=people["kimtan"].id, year=YEAR)
    Job.update(status=jobs.RUNNING).where(Job.id == left.id).execute()
    consumer = serve.start_jobs_consumer()
    try:
        assert Job.get_by_id(left.id).status == jobs.FAILED
        job = wait_for(jobs.submit(people["officer"], "forms", unit=people["kimtan"].id,
                                   year=2024).id)
        assert job.status == jobs.DONE
    finally:
        consumer.stop(graceful=True)


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_print_forms_is_quiet_off_a_terminal_and_shows_a_bar_on_one(run, demo_db, tmp_path,
                                                                    small_chunks):
    result = run("print", "forms", "--unit", "KIMTAN", "--year", "2022", "-o",
                 str(tmp_path / "all.pdf"))
    assert result.exit_code == 0
    assert result.output.strip().splitlines() == [f"Đã ghi {tmp_path / 'all.pdf'} "
                                                  f"({len(PdfReader(tmp_path / 'all.pdf').pages)}"
                                                  " trang)."]
    screen = Terminal()
    with Progress("Đang in phiếu", file=screen) as report:
        for done in (0, 5, 20):
            report(done, 20)
    assert "Đang in phiếu" in screen.getvalue() and "20/20" in screen.getvalue()


def test_a_provinces_national_export_runs_as_a_job(login_as, consumer, monkeypatch):
    monkeypatch.setattr(national, "BACKGROUND_FROM", 5)
    client = login_as("OFFICER")
    before = NationalExport.select().count()
    response = client.post("/admin/import/national", data={
        "csrf_token": csrf_token(client, "/admin/import/"), "unit": "KIMTAN",
        "period": "2026-10", "fmt": "csv"})
    assert response.status_code == 302 and "/admin/jobs/" in response.headers["Location"]
    job = wait_for(Job.select().order_by(Job.id.desc()).get().id)
    assert job.status == jobs.DONE, job.message
    assert (job.done, job.total) == (2, 2)
    assert "2 / 2 bước" in client.get(f"/admin/jobs/{job.id}").get_data(as_text=True)
    download = client.get(f"/admin/jobs/{job.id}/download")
    assert download.headers["Content-Disposition"].endswith("csdl-quoc-gia-KIMTAN-2026-10.csv")
    lines = download.data.decode("utf-8-sig").splitlines()
    assert lines[0].split(",")[0] == national.COLUMNS[0][1] and len(lines) > 1
    entry = NationalExport.select().order_by(NationalExport.id.desc()).get()
    assert NationalExport.select().count() == before + 1
    assert entry.actor == "canbo" and entry.rows == len(lines) - 1


def test_a_queue_that_cannot_be_reached_is_a_clear_message(demo_db, queue, people,
                                                          monkeypatch):
    def down(*args, **kwargs):
        raise ConnectionError("refused")

    monkeypatch.setattr(jobs.huey, "enqueue", down)
    with pytest.raises(CanboError) as caught:
        jobs.submit(people["officer"], "forms", unit=people["kimtan"].id, year=YEAR)
    assert "Không gửi được công việc vào hàng đợi" in caught.value.message
    assert Job.select().count() == 0


def test_canbo_serve_leaves_no_consumer_running_once_the_server_stops(demo_db, queue,
                                                                      monkeypatch):
    """A consumer left polling after the server ended would take the next queue's jobs
    in this process (seen in CI: a worker's result vanished beside a stray consumer)."""
    import waitress
    from click.testing import CliRunner

    from canbo.cli import cli

    if queue != "sqlite":
        pytest.skip("with Redis, `canbo serve` runs no consumer")
    before = set(threading.enumerate())
    monkeypatch.setattr(waitress, "serve", lambda app, **options: None)
    monkeypatch.setenv("CANBO_SECRET_KEY", "x" * 32)
    result = CliRunner().invoke(cli, ["--db", demo_db.url, "serve"])
    assert result.exit_code == 0, result.output
    time.sleep(0.3)
    assert [t.name for t in set(threading.enumerate()) - before if t.is_alive()] == []
