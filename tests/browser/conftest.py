"""What every browser journey needs: a live panel on a demo database, a Chromium page
and a place for screenshots.

Screenshots go to ``docs/screenshots/`` only when ``CANBO_SCREENSHOTS=1`` (to refresh the
committed pictures); otherwise to the test's temporary folder, so a test run leaves the
checkout as it was.
"""
import os
import pathlib
import shutil
import threading

import pytest
from werkzeug.serving import make_server

from canbo import db as dbm
from canbo.models import Unit

playwright = pytest.importorskip("playwright.sync_api")

CHROMIUM = "/usr/bin/chromium"
PASSWORD = "matkhau-demo-1"
DOCS = pathlib.Path(__file__).resolve().parents[2] / "docs" / "screenshots"


@pytest.fixture
def screenshots(tmp_path):
    folder = DOCS if os.environ.get("CANBO_SCREENSHOTS") == "1" else tmp_path / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def live_panel(tmp_path, sqlite_template):
    """``live_panel(setup)`` → the URL of the panel on a fresh demo database; ``setup(unit)``
    adds what the journey needs (accounts, a cycle) before the server starts."""
    if not pathlib.Path(CHROMIUM).exists():
        pytest.skip("Chromium is not installed at /usr/bin/chromium")
    from admin_app import create_app

    servers = []

    def start(setup):
        path = tmp_path / "canbo.db"
        shutil.copyfile(sqlite_template("demo"), path)  # the demo, migrated (conftest.py)
        url = f"sqlite:///{path}"
        dbm.connect(url)
        setup(Unit.get(Unit.code == "KIMTAN"))
        app = create_app({"DATABASE": url, "SECRET_KEY": "browser-test", "TESTING": False})
        httpd = make_server("127.0.0.1", 0, app, threaded=True)
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        servers.append(httpd)
        return f"http://127.0.0.1:{httpd.server_port}"

    yield start
    for httpd in servers:
        httpd.shutdown()
    dbm.database.close()


@pytest.fixture
def browser_context():
    """``browser_context(width)`` → a new page in headless Chromium, Vietnamese locale."""
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync"])
        yield lambda width: browser.new_context(
            viewport={"width": width, "height": 900}, locale="vi-VN").new_page()
        browser.close()


def log_in(page, server, username, password=PASSWORD):
    page.goto(f"{server}/admin/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit], input[type=submit]")
    page.wait_for_url(lambda url: "/login" not in url)
