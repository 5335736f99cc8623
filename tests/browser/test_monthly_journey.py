"""ND 335 month in real Chromium, by the people who do it (issue 12).

A new commune, Kim Sơn, starts its 2026 tracking: the officer builds the catalogue of
products and the chairman records its decision; the officer assigns March's work (one
product to two people at once); the civil servant, on a 375-px phone, records results
and evidence, self-scores and submits; the chairman, their evaluator by default (ND 335
Điều 10.1.b), returns the sheet with a reason; the civil servant corrects it and submits
again; the chairman scores and confirms.  The officer's grid and ``canbo score`` then
show the confirmed score, to the digit.

Saves ``monthly-phone-sheet.png`` and ``monthly-grid.png`` (see conftest.py for where).
"""
import pytest
from click.testing import CliRunner

from canbo.cli import cli
from canbo.models import Staff, Unit
from canbo.models.tracking import Sheet
from canbo.records import users

from .conftest import PASSWORD, log_in, playwright

pytestmark = pytest.mark.browser
YEAR, MONTH = 2026, 3
GENERAL = {"I.1": "5", "I.2": "4,5", "II.1": "2,5", "II.2": "2,5", "II.3": "2,5", "II.4": "2",
           "III.1": "2,5", "III.2": "2,5", "III.3": "2,5", "III.4": "2"}


@pytest.fixture
def server(live_panel):
    def commune(_kimtan):
        unit = Unit.create(code="KIMSON", name="UBND xã Kim Sơn", place_name="Kim Sơn")
        for code, name, leader in (("KS01", "Phạm Văn Chính", "HEAD"),
                                   ("KS02", "Lò Thị Mai", "NONE"),
                                   ("KS03", "Hứa Văn Tâm", "NONE")):
            Staff.create(unit=unit, code=code, full_name=name, kind="CIVIL_SERVANT",
                         leader_role=leader)
        users.create_user("canbo", PASSWORD, "OFFICER", unit)
        users.create_user("chutich", PASSWORD, "CHAIRMAN", unit)
        users.create_user("mai", PASSWORD, "STAFF", unit,
                          staff=Staff.get(Staff.code == "KS02"))

    return live_panel(commune)


def choose(page, select, text):
    """Select the option of ``select`` whose label contains ``text``."""
    value = page.locator(f"{select} option", has_text=text).first.get_attribute("value")
    page.select_option(select, value)


def submit(page, button):
    with page.expect_navigation():
        page.click(button)


def test_a_month_from_assignment_to_confirmed_score(server, browser_context, screenshots,
                                                     tmp_path):
    officer = browser_context(1366)
    log_in(officer, server, "canbo")
    url = build_catalogue(officer, server)
    chair = browser_context(1366)
    log_in(chair, server, "chutich")
    decide_catalogue(chair, url)

    # The officer assigns March: the report to KS02 and KS03 at once, a task to KS02.
    mai = Staff.get(Staff.code == "KS02")
    officer.goto(f"{server}/admin/monthly/assign/{mai.id}/{YEAR}/{MONTH}")
    choose(officer, "#product", "Báo cáo tổng hợp")
    officer.fill("#quantity", "1")
    officer.fill("#deadline", "31/03/2026")
    choose(officer, "#also", "Hứa Văn Tâm")
    submit(officer, "button[value=add]")
    assert "Đã giao «Báo cáo tổng hợp tình hình kinh tế – xã hội» cho 2 người." in \
        officer.inner_text(".alert")
    choose(officer, "#product", "Văn bản hành chính")
    officer.fill("#quantity", "4")
    submit(officer, "button[value=add]")
    assert officer.locator("#assigned .result-card").count() == 2

    # The civil servant, on a phone, finds March on "Việc của tôi".
    phone = browser_context(375)
    log_in(phone, server, "mai")
    phone.goto(f"{server}/admin/monthly/?year={YEAR}&month={MONTH}")
    with phone.expect_navigation():
        phone.click(f"a[href$='/sheet/{mai.id}/{YEAR}/{MONTH}']")
    sheet_url = phone.url
    cards = phone.locator(".result-card")
    assert cards.count() == 2
    no_overflow = phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    assert no_overflow, "the sheet is wider than the phone"
    for card, done, day, proof in ((cards.nth(0), "1", "28/03/2026", "BC 15/BC-UBND"),
                                   (cards.nth(1), "4", "30/03/2026", "")):
        card.locator("input[name^=completed-]").fill(done)
        card.locator("input[name^=completed_on-]").fill(day)
        card.locator("input[name^=evidence-]").fill(proof)
        with phone.expect_navigation():
            card.locator("button[value^=result-]").click()
        cards = phone.locator(".result-card")
        assert phone.locator(".alert-danger").count() == 0, phone.inner_text(".alert-danger")
    assert "Hoàn thành: 1 ngày 28/03/2026" in cards.nth(0).inner_text()
    assert "Hoàn thành: 4 ngày 30/03/2026" in cards.nth(1).inner_text()
    for code, value in GENERAL.items():
        phone.fill(f"input[name='self-{code}']", value)
    phone.fill("#strengths", "Hoàn thành đúng hạn")
    phone.screenshot(path=str(screenshots / "monthly-phone-sheet.png"), full_page=True)
    submit(phone, "button[value=self]")
    assert phone.inner_text("#sheet-status") == "Đã tự đánh giá"
    for page_url in (f"{server}/admin/monthly/?year={YEAR}&month={MONTH}",
                     f"{server}/admin/monthly/year/{mai.id}/{YEAR}"):
        phone.goto(page_url)
        assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), \
            f"{page_url} is wider than the phone"

    # The chairman's queue: waiting; he returns it with a reason.
    chair.goto(f"{server}/admin/monthly/queue?year={YEAR}&month={MONTH}")
    assert "Chờ xác nhận" in chair.inner_text("#queue")
    with chair.expect_navigation():
        chair.click(f"#queue a[href$='/sheet/{mai.id}/{YEAR}/{MONTH}']")
    chair.fill("#reason", "Thiếu minh chứng cho văn bản hành chính")
    submit(chair, "button[value=return]")

    # The civil servant sees why, adds the evidence and submits again.
    phone.goto(sheet_url)
    assert "Thiếu minh chứng cho văn bản hành chính" in phone.inner_text("#returned-reason")
    card = phone.locator(".result-card").nth(1)
    card.locator("input[name^=evidence-]").fill("Sổ văn bản đi số 41–44")
    with phone.expect_navigation():
        card.locator("button[value^=result-]").click()
    submit(phone, "button[value=self]")

    # The chairman records one delay on the report, scores and confirms.
    chair.goto(sheet_url)
    report = chair.locator(".result-card").nth(0)
    report.locator("input[name^=delays-]").fill("1")
    with chair.expect_navigation():
        report.locator("button[value^=review-]").click()
    for code, value in GENERAL.items():
        chair.fill(f"input[name='eval-{code}']", value)
    chair.fill("#comment", "Tốt")
    submit(chair, "button[value=confirm]")
    total = chair.inner_text("#sheet-total")
    score = Sheet.get(Sheet.staff == mai, Sheet.month == MONTH).total
    shown = f"{score:.2f}".replace(".", ",")
    assert total.startswith(f"Tổng điểm {shown}")

    # The officer's grid and `canbo score` show the same number.
    officer.goto(f"{server}/admin/tracking/?unit=KIMSON&year={YEAR}")
    row = officer.locator("tr", has_text="Lò Thị Mai")
    playwright.expect(row).to_contain_text(shown)
    officer.screenshot(path=str(screenshots / "monthly-grid.png"), full_page=True)
    result = CliRunner().invoke(cli, ["--db", f"sqlite:///{tmp_path / 'canbo.db'}", "score",
                                      "--year", str(YEAR), "--unit", "KIMSON"])
    assert result.exit_code == 0, result.output
    line = next(x for x in result.output.splitlines() if x.startswith("KS02"))
    assert shown in line


def build_catalogue(page, server):
    """The officer's catalogue of 2026 for Kim Sơn: the standard product and two products
    (ND 335 Điều 13), on the catalogue screens."""
    page.goto(f"{server}/admin/")
    page.get_by_role("link", name="Danh mục sản phẩm").click()
    page.fill("#year", str(YEAR))
    page.get_by_role("button", name="Lập danh mục").click()
    page.wait_for_url("**/admin/catalogue/*")
    page.fill("#standard_product", "Văn bản hành chính thông thường")
    page.fill("#standard_points", "5")
    page.get_by_role("button", name="Ghi sản phẩm chuẩn").click()
    for section, name, group, frame, points in (
            ("Văn phòng", "Văn bản hành chính thông thường", "1", "1-5", "5"),
            ("Văn phòng", "Báo cáo tổng hợp tình hình kinh tế – xã hội", "3", "21-50", "25")):
        page.fill("#section", section)
        page.fill("#name", name)
        page.select_option("#group", group)
        page.fill("#range", frame)
        page.fill("#points", points)
        page.get_by_role("button", name="Thêm sản phẩm").click()
        playwright.expect(page.locator("#products")).to_contain_text(name)
    return page.url


def decide_catalogue(page, url):
    """The chairman records the decision, which locks the catalogue (Điều 13.3)."""
    page.goto(url)
    page.fill("#number", "05/QĐ-UBND")
    page.fill("#date", "10/01/2026")
    page.get_by_role("button", name="Ghi quyết định và khóa danh mục").click()
    playwright.expect(page.locator("#status")).to_contain_text(
        "Đã phê duyệt: Quyết định số 05/QĐ-UBND ngày 10/01/2026")
