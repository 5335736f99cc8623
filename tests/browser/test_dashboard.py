"""The dashboard in a real headless Chromium, with the demo commune and a province.

Logs in as the chairman (whose home page the dashboard is), checks what a person reads
on it, and saves ``dashboard.png``.
"""
import datetime
import types

import pytest

from canbo.models import Rating, Staff
from canbo.rating import workflow
from canbo.records import users

from .conftest import PASSWORD, log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def server(live_panel):
    def setup(unit):
        users.create_user("chutich", PASSWORD, "CHAIRMAN", unit)
        open_this_years_cycle(unit)

    return live_panel(setup)


@pytest.fixture
def page(browser_context):
    return browser_context(1280)


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


def test_the_chairman_lands_on_the_dashboard_with_the_demo_figures(server, page, screenshots):
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    log_in(page, server, "chutich")
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
    # today's 19 in post, KT22 (transferred in on 01/07/2026, demo_2026) among them:
    # political theory Trung cấp 16 of 19
    assert "16 (84,2%)" in qualification_text and "Lý luận chính trị" in qualification_text
    # charts are drawn: the bars have a size on screen
    box = ratings.bounding_box()
    assert box["width"] > 300 and box["height"] > 200
    # nothing was fetched from outside this server
    assert all(u.startswith(server) or u.startswith("data:") for u in requests)

    page.screenshot(path=str(screenshots / "dashboard.png"), full_page=True)


def test_a_chosen_year_shows_its_cycle(server, page, screenshots):
    log_in(page, server, "chutich")
    page.wait_for_url(f"{server}/admin/dashboard/**")
    page.select_option("#pick-year", "2022")
    page.click("form.pick button[type=submit]")
    page.wait_for_url("**year=2022**")
    assert "năm 2022" in page.inner_text("h1")
    progress = page.locator("table").first.inner_text()
    assert "Đã phê duyệt\t20\t100%" in progress


def test_a_province_tables_its_communes_and_sorts_them(server, page, screenshots):
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
    log_in(page, server, "quantri")
    page.goto(f"{server}/admin/dashboard/?unit=TINH&year=2024")
    table = page.locator("table.units")
    assert "UBND xã Mẫu 1" in table.inner_text()
    page.get_by_role("link", name="Vi phạm").click()
    page.wait_for_url("**sort=violations**")
    first = page.locator("table.units tbody tr").first.inner_text()
    assert "X02" in first  # 2 excellent of 4 good: over the cap of 0
    page.screenshot(path=str(screenshots / "dashboard-province.png"), full_page=True)
