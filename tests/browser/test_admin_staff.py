"""The admin panel in a real headless Chromium: an officer adds a person, finds them
without diacritics and logs out; the chairman logs in and sees them.

Saves ``docs/screenshots/staff-list.png`` and ``docs/screenshots/ratings-list.png``.
"""
import pathlib
import threading

import pytest
from werkzeug.serving import make_server

from canbo import db as dbm
from canbo import demo, users

pytestmark = pytest.mark.browser
playwright = pytest.importorskip("playwright.sync_api")

CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = pathlib.Path(__file__).resolve().parents[2] / "docs" / "screenshots"
PASSWORD = "matkhau-demo-1"
NEW_NAME = "Lê Thị Ngọc Hằng"


@pytest.fixture
def server(tmp_path):
    if not pathlib.Path(CHROMIUM).exists():
        pytest.skip("Chromium is not installed at /usr/bin/chromium")
    from admin_app import create_app

    url = f"sqlite:///{tmp_path / 'canbo.db'}"
    dbm.migrate(dbm.connect(url))
    unit = demo.load()
    users.create_user("canbo", PASSWORD, "OFFICER", unit)
    users.create_user("chutich", PASSWORD, "CHAIRMAN", unit)
    app = create_app({"DATABASE": url, "SECRET_KEY": "browser-test", "TESTING": False})
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    dbm.database.close()


@pytest.fixture
def page():
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync"])
        context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="vi-VN")
        yield context.new_page()
        browser.close()


def log_in(page, server, username):
    page.goto(f"{server}/admin/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/login" not in url)


def test_officer_adds_a_person_and_the_chairman_sees_them(server, page):
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    log_in(page, server, "canbo")
    page.goto(f"{server}/admin/staff/")
    assert "Danh sách" in page.inner_text("body") or "Cán bộ, công chức" in page.inner_text("h4")
    page.click("a[href^='/admin/staff/new/']")
    page.fill("#code", "KT21")
    page.fill("#full_name", NEW_NAME)
    page.select_option("#kind", "CIVIL_SERVANT", force=True)
    page.select_option("#gender", "F", force=True)
    page.click("input[type=submit]")
    page.wait_for_url(lambda url: "/admin/staff/" in url and "/new/" not in url)
    assert "Đã thêm bản ghi." in page.inner_text(".alert")

    page.fill("input[name=search]", "ngoc hang")
    page.press("input[name=search]", "Enter")
    page.wait_for_url("**search=ngoc+hang**", wait_until="load")
    from canbo.models import Staff
    playwright.expect(page.locator("td.col-full_name")).to_have_text([NEW_NAME])

    page.goto(f"{server}/admin/staff/?page_size=20")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "staff-list.png"), full_page=True)
    page.goto(f"{server}/admin/rating/?flt0_0=2022")
    page.screenshot(path=str(SCREENSHOTS / "ratings-list.png"), full_page=True)

    page.click("#logout")
    page.wait_for_url("**/admin/login/**")
    assert page.goto(f"{server}/admin/staff/").url.startswith(f"{server}/admin/login/")

    log_in(page, server, "chutich")
    page.goto(f"{server}/admin/staff/?search=HẰNG")
    playwright.expect(page.locator("td.col-full_name")).to_have_text([NEW_NAME])
    assert page.locator("a[href^='/admin/staff/new/']").count() == 0  # read-only for him
    # every file came from this server: no CDN
    assert all(u.startswith(server) or u.startswith("data:") for u in requests)
