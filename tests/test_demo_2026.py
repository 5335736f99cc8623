"""Kim Tân's 2026 in the demo (``canbo/records/demo_2026.py``): what the officer, the
civil servant, the department head and ``canbo score`` find after ``canbo demo``."""
import datetime
import pathlib
import re
from decimal import Decimal

import pytest

from canbo.cli import serve
from canbo.errors import InvalidInput
from canbo.models import AuditLog, Staff, Unit
from canbo.models.cycle import Absence
from canbo.models.tracking import (
    Assignment,
    Catalogue,
    CatalogueDecision,
    Evaluator,
    Head,
    OutsideMonth,
    Product,
    Sheet,
)
from canbo.records import demo, demo_2026
from canbo.records import users as user_records
from canbo.tracking import evaluators, leaders, sheets
from canbo.tracking import year_points as yp
from panel_helpers import log_in, panel_app

YEAR = 2026
README = (pathlib.Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
#: The months each person has no score in, and why (the rest of January – November is
#: confirmed): leave, the returned sheet and the head's d waiting on it.  KT22's months
#: before the transfer carry the old unit's scores (Điều 19.3).
GAPS = {"KT18": {m: yp.Missing.NO_ASSIGNMENT for m in range(3, 9)},
        "KT20": {11: yp.Missing.NOT_CONFIRMED},
        "KT05": {11: yp.Missing.NOT_CONFIRMED}}
IN_POST = {"KT01", "KT02", "KT03", "KT05", "KT06", "KT07", "KT08", "KT09", "KT10", "KT11",
           "KT12", "KT13", "KT14", "KT15", "KT16", "KT17", "KT18", "KT20", "KT22"}


def kimtan():
    return Unit.get(Unit.code == "KIMTAN")


def person(code):
    return Staff.get(Staff.unit == kimtan(), Staff.code == code)


def test_january_to_november_are_confirmed_and_december_is_open(demo_db):
    grid = {p.code: p for p in yp.year_grid(YEAR, [kimtan().id])}
    assert set(grid) == IN_POST
    for code, row in grid.items():
        for month in range(1, 12):
            cell = row.cells[month]
            want = GAPS.get(code, {}).get(month)
            assert cell.missing == want, (code, month, cell.missing)
            assert (cell.score is None) == (want is not None), (code, month)
        # December: assigned, nobody has self-scored yet
        assert row.cells[12].missing == yp.Missing.NOT_SELF_SCORED, code
        assert not row.complete and row.level is not None
    december = Sheet.select().where(Sheet.year == YEAR, Sheet.month == 12).count()
    assert december == 0
    statuses = {}
    for sheet in Sheet.select().where(Sheet.year == YEAR):
        statuses[sheet.status] = statuses.get(sheet.status, 0) + 1
    assert statuses == {"CONFIRMED": 19 * 11 - 6 - 6 - 2, "RETURNED": 1, "SELF_SCORED": 1}
    # the levels are varied: the year is not one level for everyone
    assert {p.level.code for p in grid.values()} >= {"HTXSNV", "HTTNV"}


def test_the_returned_sheet_keeps_its_reason_and_the_heads_november_waits(demo_db):
    returned = Sheet.get(Sheet.staff == person("KT20"), Sheet.year == YEAR, Sheet.month == 11)
    assert returned.status == "RETURNED" and returned.returned_reason == demo_2026.RETURNED[2]
    assert returned.self_general is not None and returned.general is None
    head = Sheet.get(Sheet.staff == person("KT05"), Sheet.year == YEAR, Sheet.month == 11)
    assert head.status == "SELF_SCORED" and head.leader
    with pytest.raises(Exception, match="Cao Thị Yến"):
        leaders.derived_d(head)


def test_maternity_leave_and_the_transfer_in(demo_db):
    leave = Absence.get(Absence.staff == person("KT18"))
    assert (leave.kind, leave.starts_on, leave.ends_on) == (
        "MATERNITY", datetime.date(2026, 3, 2), datetime.date(2026, 9, 1))
    grid = {p.code: p for p in yp.year_grid(YEAR, [kimtan().id])}
    assert grid["KT18"].worked == {1, 2, 9, 10, 11, 12}
    assert not Assignment.select().where(Assignment.staff == person("KT18"),
                                         Assignment.month.between(3, 8)).exists()
    moved = person("KT22")
    assert moved.joined_on == datetime.date(2026, 7, 1) and moved.left_on is None
    # the old unit's January–June count as months worked, marked with its name (Điều 19.3)
    assert grid["KT22"].worked == set(range(1, 13))
    assert {grid["KT22"].cells[m].outside for m in range(1, 7)} == {"UBND xã Kim Sơn"}
    assert grid["KT22"].cells[7].outside is None
    old = [(m.month, m.unit_name, m.score) for m in
           OutsideMonth.select().where(OutsideMonth.staff == moved).order_by(OutsideMonth.month)]
    assert old == [(m, "UBND xã Kim Sơn", Decimal(s)) for m, s in demo_2026.OLD_MONTHS.items()]
    # the work KT18 could not do in July and August was taken over: extra work for KT22
    taken = Assignment.select().where(Assignment.taken_over_from == person("KT18"))
    assert {(a.staff.code, a.month, a.extra) for a in taken} == {("KT22", 7, True),
                                                                 ("KT22", 8, True)}


def test_the_catalogue_is_decided_and_supplemented(demo_db):
    catalogue = Catalogue.get(Catalogue.unit == kimtan(), Catalogue.year == YEAR)
    assert catalogue.locked and catalogue.decision_number == "12/QĐ-UBND"
    assert catalogue.decision_date == datetime.date(2026, 1, 15)
    assert catalogue.standard_product == "Soạn thảo văn bản hành chính đơn giản"
    products = list(catalogue.products)
    assert len(products) == 34
    assert {p.complexity_group for p in products} == {1, 2, 3, 4, 5}
    for p in products:
        assert p.section and p.code and p.output
        assert p.coefficient == p.points / catalogue.standard_points, p.code
        assert p.points_min <= p.points <= p.points_max, p.code
    (decision,) = CatalogueDecision.select().where(CatalogueDecision.catalogue == catalogue)
    assert decision.applies_from == datetime.date(2026, 7, 1)
    assert {p.code for p in decision.products} == {"C08", "TP04"}
    # a supplement's product is assigned from the date it applies, never before
    added = Product.get(Product.catalogue == catalogue, Product.code == "TP04")
    months = {a.month for a in added.assignments}
    assert months and min(months) == 7
    officer = user_records.operator()
    with pytest.raises(InvalidInput, match="áp dụng từ 01/07/2026"):
        sheets.assign(officer, person("KT22"), YEAR, 6, added, 1)


def test_who_evaluates_whom(demo_db):
    unit = kimtan()
    heads = {(h.department.name if h.department_id else None): h.staff.code
             for h in Head.select().where(Head.unit == unit)}
    assert heads == {None: "KT05", "Văn phòng – Thống kê": "KT13"}
    people = [person(c) for c in ("KT14", "KT13", "KT15", "KT05", "KT01", "KT09", "KT03")]
    got = {p.code: evaluators.resolve(people, YEAR, 6)[p.id] for p in people}
    assert got["KT14"].name == "Nguyễn Thị Ngọc Ánh" and got["KT14"].source == "department"
    assert got["KT13"].name == got["KT15"].name == "Lê Quang Minh"
    assert got["KT05"].name == "Chủ tịch UBND tỉnh" and got["KT05"].staff_id is None
    assert got["KT01"].name == "Ban Thường vụ Tỉnh ủy"
    assert got["KT09"].name == "Hoàng Văn Toản" and got["KT03"].name == "Nguyễn Văn Hùng"
    assert Evaluator.select().count() == 9


def test_the_months_written_at_once_are_what_the_rules_give(demo_db):
    """The history is inserted in bulk for speed; every number in it must be what
    ``sheets.compute`` and ``leaders.derived_d`` give from its rows."""
    confirmed = list(Sheet.select().where(Sheet.year == YEAR, Sheet.status == "CONFIRMED"))
    for sheet in confirmed:
        stored = (sheet.a, sheet.b, sheet.c, sheet.task_score, sheet.total)
        sheets.compute(sheet)
        assert (sheet.a, sheet.b, sheet.c, sheet.task_score, sheet.total) == stored, (
            sheet.staff.code, sheet.month)
        assert sheet.general == sum(i.points for i in sheet.items)
        assert sheet.self_general == sum(i.self_points for i in sheet.items)
        if sheet.leader:
            assert leaders.derived_d(sheet)[0] == sheet.d
    reviews = Assignment.select().where(Assignment.year == YEAR,
                                        (Assignment.failed_reviews > 0) | (Assignment.delays > 0))
    assert len(reviews) == len(demo_2026.REVIEWS)
    (storm,) = [a for a in reviews if a.objective_cause]
    assert (storm.staff.code, storm.month, storm.delays) == ("KT12", 9, 2)
    assert Assignment.select().where(Assignment.urgent == True).count() == 1  # noqa: E712


def test_the_demo_twice_changes_nothing(demo_db):
    def counts():
        return [m.select().count() for m in (Staff, Catalogue, Product, Assignment, Sheet,
                                             OutsideMonth, Absence, Head, Evaluator, AuditLog)]

    before = counts()
    demo.load()
    assert counts() == before


def test_the_demo_accounts_log_in_and_see_their_pages(demo_db):
    made = serve.demo_accounts(kimtan())
    assert [(u, who.split()[0] if who else "") for u, _, _, who in made][-2:] == [
        ("congchuc", "KT14"), ("truongbp", "KT13")]
    app = panel_app(demo_db, TESTING=True)
    kt13, kt14 = person("KT13"), person("KT14")

    me = app.test_client()
    assert log_in(me, "congchuc", "congchuc-demo").status_code == 302
    home = me.get(f"/admin/monthly/?year={YEAR}&month=11").get_data(as_text=True)
    assert "Trịnh Văn Đức (KT14)" in home and "Điểm trung bình các tháng đã xác nhận" in home
    november = me.get(f"/admin/tracking/sheet/{kt14.id}/{YEAR}/11")
    assert november.status_code == 200
    assert "Tiếp nhận, vào sổ, chuyển xử lý văn bản đến" in november.get_data(as_text=True)
    assert me.get(f"/admin/tracking/sheet/{kt13.id}/{YEAR}/11").status_code == 404

    boss = app.test_client()
    assert log_in(boss, "truongbp", "truongbp-demo").status_code == 302
    queue = boss.get(f"/admin/monthly/queue?year={YEAR}&month=11").get_data(as_text=True)
    assert "Trịnh Văn Đức" in queue and "Đã xác nhận" in queue
    assert "Mạc Thị Ân" not in queue  # the chairman's evaluatee, not hers
    assert boss.get(f"/admin/monthly/year/{kt14.id}/{YEAR}").status_code == 200
    assert boss.get(f"/admin/monthly/year/{person('KT15').id}/{YEAR}").status_code == 404

    chairman = app.test_client()
    assert log_in(chairman, "chutich", "chutich-demo").status_code == 302
    queue = chairman.get(f"/admin/monthly/queue?year={YEAR}&month=11").get_data(as_text=True)
    assert "Cao Thị Yến" in queue and "Bị trả lại" in queue and "Trịnh Văn Đức" not in queue


def _readme_block(command):
    """The lines a README example shows for ``$ command`` (without the command)."""
    match = re.search(r"```\n\$ " + re.escape(command) + r"\n(.*?)```", README, re.S)
    assert match, f"README has no example of «{command}»"
    return match.group(1).splitlines()


def _elided(line):
    """A line of ``canbo score`` as the README shows it, columns T3 – T11 left out."""
    return line[:49] + "  …" + line[112:] if len(line) > 112 else line


def test_canbo_score_prints_the_readme_example(demo_db, run):
    result = run("score", "--year", "2026", "--unit", "KIMTAN")
    assert result.exit_code == 0, result.output
    shown = _readme_block("canbo score --year 2026 --unit KIMTAN")
    assert [_elided(line) for line in result.output.splitlines()] == shown


def test_every_tracking_screen_shows_the_demos_data_to_every_demo_account(demo_db):
    """The screens of ND 335 open on the demo's real 2026 for each demo account: the page,
    or a refusal (403/404), never an error; the officer's grid shows scores, not "Chưa
    giao việc" everywhere."""
    serve.demo_accounts(kimtan())
    app = panel_app(demo_db, TESTING=True)
    kt14, kt20 = person("KT14"), person("KT20")
    pages = [
        "/admin/", f"/admin/dashboard/?year={YEAR}", f"/admin/monthly/?year={YEAR}&month=11",
        f"/admin/monthly/queue?year={YEAR}&month=11", f"/admin/tracking/?year={YEAR}",
        f"/admin/tracking/sheet/{kt14.id}/{YEAR}/11", f"/admin/tracking/sheet/{kt20.id}/{YEAR}/11",
        f"/admin/tracking/sheet/{kt14.id}/{YEAR}/12", f"/admin/monthly/year/{kt14.id}/{YEAR}",
        f"/admin/monthly/assign/{kt14.id}/{YEAR}/12", f"/admin/monthly/evaluators?year={YEAR}",
    ]
    statuses = {}
    for username, _, password in serve.DEMO_ACCOUNTS:
        client = app.test_client()
        assert log_in(client, username, password).status_code == 302, username
        for url in pages:
            statuses[(username, url)] = client.get(url).status_code
    assert {s for s in statuses.values()} <= {200, 302, 403, 404}, statuses
    assert statuses[("congchuc", f"/admin/tracking/sheet/{kt14.id}/{YEAR}/11")] == 200
    assert statuses[("truongbp", f"/admin/monthly/assign/{kt14.id}/{YEAR}/12")] == 200
    officer = app.test_client()
    log_in(officer, "canbo", "canbo-demo")
    grid = officer.get(f"/admin/tracking/?year={YEAR}").get_data(as_text=True)
    assert "Hồ Văn Tâm" in grid and "Cao Thị Yến" in grid
    assert len(re.findall(r"\b\d{2},\d{2}\b", grid)) > 150  # the confirmed months' scores
    returned = officer.get(f"/admin/tracking/sheet/{kt20.id}/{YEAR}/11").get_data(as_text=True)
    assert demo_2026.RETURNED[2] in returned
