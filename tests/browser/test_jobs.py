"""Printing a unit's forms as a background job, in real Chromium (issue 15).

The personnel officer of Kim Tân asks for all of 2022's forms from the printing page:
past the (lowered) threshold it becomes a job; the browser lands on the job's page, which
reloads itself until the PDF is ready, and downloads it.  A second job is cancelled from
its page while it prints: it stops, and says so.  The consumer is a real Huey consumer
on the SQLite queue, in threads of the test process.
"""
import time

import pytest
from pypdf import PdfReader

from canbo import jobs
from canbo.documents import batch
from canbo.models import Job
from canbo.records import users

from .conftest import PASSWORD, log_in, playwright

pytestmark = pytest.mark.browser


@pytest.fixture
def server(live_panel, tmp_path, monkeypatch):
    monkeypatch.setenv(jobs.QUEUE_ENV, str(tmp_path / "queue.db"))
    monkeypatch.setenv(jobs.FOLDER_ENV, str(tmp_path / "results"))
    monkeypatch.delenv(jobs.REDIS_ENV, raising=False)
    monkeypatch.setattr(batch, "BACKGROUND_FROM", 5)
    monkeypatch.setattr(batch, "CHUNK_SIZE", 2)
    monkeypatch.setattr(batch, "PARALLEL_FROM", 1000)

    def setup(kimtan):
        users.create_user("canbo-kt", PASSWORD, "OFFICER", kimtan)

    url = live_panel(setup)
    consumer = jobs.start_consumer(workers=1, periodic=False, max_delay=0.2)
    yield url
    consumer.stop(graceful=True)


def test_the_officer_prints_the_forms_as_a_job_and_cancels_another(server, browser_context,
                                                                   tmp_path, screenshots,
                                                                   monkeypatch):
    page = browser_context(1280)
    log_in(page, server, "canbo-kt")
    page.goto(f"{server}/admin/documents/?unit=KIMTAN&year=2022")
    with page.expect_navigation():
        page.get_by_role("button", name="Tất cả phiếu đánh giá năm 2022 (PDF)").click()
    assert "/admin/jobs/" in page.url
    assert "Phiếu đánh giá năm 2022" in page.locator("h1").inner_text()
    page.wait_for_selector("#job-download", timeout=90_000)  # the page reloads itself
    assert page.locator("#job-status").inner_text() == "Đã xong"
    assert "20 / 20" in page.locator("#job-progress").inner_text()
    page.screenshot(path=str(screenshots / "jobs-done.png"), full_page=True)
    with page.expect_download() as info:
        page.locator("#job-download").click()
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    assert path.name == "phieu-danh-gia-2022-kimtan.pdf"
    assert len(PdfReader(path).pages) >= 20

    # A second job waits in its 2nd chunk until the officer presses cancel.
    real = batch.forms_pdf
    calls = []

    def slow(contexts):
        calls.append(len(contexts))
        if len(calls) == 2:
            deadline = time.monotonic() + 60
            while not Job.select().where(Job.cancel_requested).exists():
                assert time.monotonic() < deadline
                time.sleep(0.05)
        return real(contexts)

    monkeypatch.setattr(batch, "forms_pdf", slow)
    page.goto(f"{server}/admin/documents/?unit=KIMTAN&year=2022")
    with page.expect_navigation():
        page.get_by_role("button", name="Tất cả phiếu đánh giá năm 2022 (PDF)").click()
    # the page refreshes itself; the panel's CSP forbids evaluated strings, so wait on
    # the locator (no wait_for_function)
    playwright.expect(page.locator("#job-progress")).to_contain_text("2 / 20", timeout=60_000)
    page.screenshot(path=str(screenshots / "jobs-running.png"), full_page=True)
    with page.expect_navigation():
        page.get_by_role("button", name="Hủy công việc").click()
    assert "Đã yêu cầu hủy" in page.content()
    playwright.expect(page.locator("#job-status")).to_have_text("Đã hủy", timeout=60_000)
    assert page.locator("#job-cancel").count() == 0 and page.locator("#job-download").count() == 0
    assert len(calls) == 2  # no chunk after the one in hand
    page.goto(f"{server}/admin/jobs/")
    rows = page.locator("#jobs tbody tr")
    assert rows.count() == 2
    assert "Đã hủy" in rows.nth(0).inner_text() and "Tải về" in rows.nth(1).inner_text()
