"""The dashboard in a real headless Chromium, with the demo commune and a province.

Logs in as the chairman (whose home page the dashboard is), checks what a person reads
on it, and saves ``docs/screenshots/dashboard.png``.
"""
import datetime
import pathlib
import threading
import types

import pytest
from werkzeug.serving import make_server

from canbo import db as dbm
from canbo import demo, users, workflow
from canbo.models import Rating, Staff

pytestmark = pytest.mark.browser
playwright = pytest.importorskip("playwright.sync_api")

CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = pathlib.Path(__file__).resolve().parents[2] / "docs" / "screenshots"
PASSWORD = "matkhau-demo-1"


@pytest.fixture
def server(tmp_path):
    if not pathlib.Path(CHROMIUM).exists():
        pytest.skip("Chromium is not installed at /usr/bin/chromium")
    from admin_app import create_app

    url = f"sqlite:///{tmp_path / 'canbo.db'}"
    dbm.migrate(dbm.connect(url))
    unit = demo.load()
    users.create_user("chutich", PASSWORD, "CHAIRMAN", unit)
    open_this_years_cycle(unit)
    app = create_app({"DATABASE": url, "SECRET_KEY": "browser-test", "TESTING": False})
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    dbm.database.close()


def open_this_years_cycle(unit):
    """This year's cycle under way: some self-assessed, the civil servants proposed with
    one "excellent" too many for their task group."""
    today = datetime.date.today()
    actor = types.SimpleNamespace(role="ADMIN", unit_id=None, username="admin", active=True,
                                  staff_id=None)
    workflow.open_cycle(actor, unit, today.year, today=today)
    ratings = {r.staff.code: r for r in Rating.select(Rating, Staff).join(Staff)
               .where(Rating.year == today.year)}
    proposals = {"KT12": "HTXSNV", "KT13": "HTXSNV", "KT14": "HTTNV", "KT15": "HTTNV",
                 "KT16": "HTTNV", "KT17": "HTTNV", "KT18": "HTNV", "KT20": "HTTNV"}
    for code, rating in ratings.items():
        if code in proposals:
            rating.level, rating.status = proposals[code], "PROPOSED"
        elif code in ("KT01", "KT02", "KT03", "KT05"):
            rating.status = "SELF_ASSESSED"
        rating.save()


@pytest.fixture
def page():
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync"])
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
        yield context.new_page()
        browser.close()


def test_the_chairman_lands_on_the_dashboard_with_the_demo_figures(server, page):
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(f"{server}/admin/login/")
    page.fill("input[name=username]", "chutich")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit], input[type=submit]")
    page.wait_for_url(f"{server}/admin/dashboard/**")
    assert "UBND xã Kim Tân" in page.inner_text("h1")
    # 2 of 5 good: floor(1) allowed → the meter and an alert say it is over
    assert "5 người HTTNV × 20% = 1 → tối đa 1 người HTXSNV" in page.inner_text("body")
    assert page.get_by_role("alert").count() >= 1
    assert "Vượt tỷ lệ" in page.get_by_role("alert").first.inner_text()

    # a screen reader finds each chart by its title
    ratings = page.get_by_role("img", name="Kết quả xếp loại chất lượng các năm gần nhất")
    assert ratings.get_attribute("id") == "chart-ratings"
    chart_text = " ".join(ratings.locator("text").all_text_contents())
    for expected in ["Năm 2021", "Năm 2022", "16 (80%)", "14 (70%)", "1 (5%)"]:
        assert expected in chart_text
    qualification_text = " ".join(
        page.locator("svg#chart-qualifications text").all_text_contents())
    assert "15 (83,3%)" in qualification_text and "Lý luận chính trị" in qualification_text
    # charts are drawn: the bars have a size on screen
    box = ratings.bounding_box()
    assert box["width"] > 300 and box["height"] > 200
    # nothing was fetched from outside this server
    assert all(u.startswith(server) or u.startswith("data:") for u in requests)

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "dashboard.png"), full_page=True)


def test_a_chosen_year_shows_its_cycle(server, page):
    page.goto(f"{server}/admin/login/")
    page.fill("input[name=username]", "chutich")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit], input[type=submit]")
    page.wait_for_url(f"{server}/admin/dashboard/**")
    page.select_option("#pick-year", "2022")
    page.click("form.pick button[type=submit]")
    page.wait_for_url("**year=2022**")
    assert "năm 2022" in page.inner_text("h1")
    progress = page.locator("table").first.inner_text()
    assert "Đã phê duyệt\t20\t100%" in progress


def test_a_province_tables_its_communes_and_sorts_them(server, page):
    """An admin looks at a small province: the table of communes, sorted by a click."""
    from canbo.models import Unit

    top = Unit.create(code="TINH", name="UBND tỉnh Mẫu", place_name="Mẫu")
    Unit.update(parent=top).where(Unit.code == "KIMTAN").execute()
    for i, done in ((1, True), (2, False)):
        commune = Unit.create(code=f"X{i:02d}", name=f"UBND xã Mẫu {i}",
                              place_name=f"Mẫu {i}", parent=top)
        for j in range(6):
            staff = Staff(unit=commune, code=f"P{j}", full_name=f"Người Thứ {i}{j}",
                          kind="CIVIL_SERVANT", joined_on=datetime.date(2015, 1, 1))
            staff.save()
            level = "HTXSNV" if j < i else "HTTNV"
            Rating.create(staff=staff, unit=commune, year=2024, rule_set="ND90_ND48_2023",
                          level=level, self_level=level,
                          status="APPROVED" if done else "PROPOSED")
    users.create_user("quantri", PASSWORD, "ADMIN")
    page.goto(f"{server}/admin/login/")
    page.fill("input[name=username]", "quantri")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit], input[type=submit]")
    page.goto(f"{server}/admin/dashboard/?unit=TINH&year=2024")
    table = page.locator("table.units")
    assert "UBND xã Mẫu 1" in table.inner_text()
    page.get_by_role("link", name="Vi phạm").click()
    page.wait_for_url("**sort=violations**")
    first = page.locator("table.units tbody tr").first.inner_text()
    assert "X02" in first  # 2 excellent of 4 good: over the cap of 0
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "dashboard-province.png"), full_page=True)
