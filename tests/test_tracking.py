"""ND 335 tracking stored: catalogue, assignments, sheets, the year's points (both engines)."""
import datetime
import io
import random
from decimal import Decimal as D

import openpyxl
import pytest

from accounts import account, own_account
from canbo.errors import Forbidden, InvalidInput, RuleViolation
from canbo.levels import Rating as RatingLevel
from canbo.models import AuditLog, Rating, Staff, Unit
from canbo.models.tracking import Assignment, Product, Sheet, TrackingSetting
from canbo.rules import scoring
from canbo.tracking import catalogue as cat
from canbo.tracking import sheets
from canbo.tracking import year_points as yp

YEAR = 2026
GENERAL_28 = {"I.1": 5, "I.2": 5, "II.1": 2.5, "II.2": 2.5, "II.3": 2.5, "II.4": 2.5,
              "III.1": 2.5, "III.2": 2.5, "III.3": 2, "III.4": 1}
GENERAL_27 = dict(GENERAL_28, **{"III.4": 0})


@pytest.fixture
def unit(db):
    return Unit.create(code="KT", name="UBND xã Kim Tân", place_name="Kim Tân")


def person(unit, code, leader="NONE"):
    return Staff.create(unit=unit, code=code, full_name=f"Nguyễn Văn {code}",
                        kind="CIVIL_SERVANT", leader_role=leader)


@pytest.fixture
def decided(unit):
    officer = account("OFFICER", unit)
    c = cat.open_catalogue(officer, unit, YEAR)
    cat.add_product(officer, c, "N1", "Soạn thảo văn bản hành chính đơn giản", "1", 5, 5)
    cat.add_product(officer, c, 2, "Báo cáo chuyên đề", "2,5", 11, 50)
    return cat.decide(account("CHAIRMAN", unit), c, "12/QĐ-UBND", datetime.date(2026, 1, 5))


def standard(catalogue):
    return catalogue.products.order_by(Product.position).first()


def officer(staff):
    return account("OFFICER", staff.unit)


def chairman(staff):
    return account("CHAIRMAN", staff.unit)


def staff_month(staff, product, month=1):
    """Issue 8's month: 10 standard products, one failed review, two delays, general 28."""
    rows = [sheets.assign(officer(staff), staff, YEAR, month, product, q) for q in (7, 1, 1, 1)]
    sheets.record_result(officer(staff), rows[0], completed=7)
    sheets.record_result(officer(staff), rows[1], completed=1, failed_reviews=1)
    sheets.record_result(officer(staff), rows[2], completed=1, delays=1)
    sheets.record_result(officer(staff), rows[3], completed=1, delays=1)
    sheet = sheets.sheet_for(staff, YEAR, month)
    sheets.self_score(own_account(staff), sheet, GENERAL_28, strengths="Chủ động",
                      weaknesses="Chậm hai việc")
    sheets.evaluate(chairman(staff), sheet, GENERAL_28, comment="Hoàn thành tốt")
    return sheets.confirm(chairman(staff), sheet)


def test_staff_month_confirmed_totals_96_25_and_locks(unit, decided):
    staff = person(unit, "CC01")
    sheet = staff_month(staff, standard(decided))
    sheet = Sheet.get_by_id(sheet.id)
    assert (sheet.a, sheet.b, sheet.c) == (D("100.00"), D("97.50"), D("95.00"))
    assert (sheet.general, sheet.task_score, sheet.total) == (D(28), D("97.50"), D("96.25"))
    with pytest.raises(RuleViolation, match="đã được xác nhận"):
        sheets.record_result(officer(staff), Assignment.get(Assignment.staff == staff),
                             completed=6)
    with pytest.raises(RuleViolation, match="đã được xác nhận"):
        sheets.assign(officer(staff), staff, YEAR, 1, standard(decided), 1)


def test_head_month_totals_91_17(unit, decided):
    head = person(unit, "CT01", leader="HEAD")
    row = sheets.assign(officer(head), head, YEAR, 3, standard(decided), 4)
    sheets.record_result(officer(head), row, completed=4)
    sheet = sheets.sheet_for(head, YEAR, 3)
    sheets.self_score(own_account(head), sheet, GENERAL_27)
    sheets.evaluate(chairman(head), sheet, GENERAL_27, d=100, dd=50, e=100)
    sheet = sheets.confirm(chairman(head), sheet)
    assert (sheet.task_score, sheet.total) == (D("91.67"), D("91.17"))


def test_a_heads_d_follows_from_the_civil_servants_results_of_the_month(unit, decided):
    """ND 335/2025 Điều 15.3.a: 100% when everyone managed scores at HTNV's points (≥ 50)
    or above in the period, 50% when anyone scores below; derived, not typed, and not
    known before every subordinate's month is confirmed."""
    head = person(unit, "CT05", leader="HEAD")
    product = standard(decided)
    row = sheets.assign(officer(head), head, YEAR, 4, product, 2)
    sheets.record_result(officer(head), row, completed=2)
    sheet = sheets.sheet_for(head, YEAR, 4)
    sheets.self_score(own_account(head), sheet, GENERAL_27)
    low, fine = person(unit, "CC40"), person(unit, "CC41")
    # CC40 does nothing in April: 0 of 70 task points; the general points decide
    Assignment.create(staff=low, year=YEAR, month=4, product=product,
                      coefficient=product.coefficient, quantity=2, completed=0)
    fill_year(fine, product, {4: D(20)})  # 90
    with pytest.raises(RuleViolation, match="còn chờ xác nhận: Nguyễn Văn CC40"):
        sheets.evaluate(chairman(head), sheet, GENERAL_27, dd=100, e=100)
    Sheet.create(staff=low, unit=unit, year=YEAR, month=4, rule_set="ND335_2025",
                 status="CONFIRMED", general=D(20))  # 20 + 0 task points: below 50
    with pytest.raises(InvalidInput, match="không nhập tay.*50%"):
        sheets.evaluate(chairman(head), sheet, GENERAL_27, d=100, dd=100, e=100)
    assert sheets.evaluate(chairman(head), sheet, GENERAL_27, dd=100, e=100).d == 50
    Assignment.update(completed=2).where(Assignment.staff == low).execute()  # 20 + 70
    assert sheets.evaluate(chairman(head), sheet, GENERAL_27, dd=100, e=100).d == 100


def test_a_heads_d_does_not_wait_for_people_on_leave_or_not_yet_in_post(unit, decided):
    """Nobody on maternity leave for the month, or not yet in post, has a score to wait
    for (Điều 15.3.a counts the results of the period; Điều 11.2, 17.3, 19.3); without
    their month the head's d follows from the others'."""
    from canbo.models.cycle import Absence

    head = person(unit, "CT06", leader="HEAD")
    product = standard(decided)
    row = sheets.assign(officer(head), head, YEAR, 5, product, 2)
    sheets.record_result(officer(head), row, completed=2)
    sheet = sheets.sheet_for(head, YEAR, 5)
    sheets.self_score(own_account(head), sheet, GENERAL_27)
    on_leave, newcomer, fine = person(unit, "CC50"), person(unit, "CC51"), person(unit, "CC52")
    Absence.create(staff=on_leave, kind="MATERNITY", starts_on=datetime.date(2026, 4, 20),
                   ends_on=datetime.date(2026, 10, 19))
    newcomer.joined_on = datetime.date(2026, 7, 1)
    newcomer.save()
    fill_year(fine, product, {5: D(20)})
    assert sheets.evaluate(chairman(head), sheet, GENERAL_27, dd=100, e=100).d == 100
    # someone in post without a score, merely not assigned any work, is waited for
    Assignment.delete().where(Assignment.staff == fine).execute()
    with pytest.raises(RuleViolation, match=r"còn chờ xác nhận: Nguyễn Văn CC52 \(CC52\)\.$"):
        sheets.evaluate(chairman(head), sheet, GENERAL_27, dd=100, e=100)


def test_a_score_of_exactly_50_keeps_the_heads_d_at_100():
    assert scoring.leader_d([D(50), D(90)]) == 100
    assert scoring.leader_d([D("49.99"), D(90)]) == 50
    assert scoring.leader_d([]) == 100  # nobody to manage


def test_leader_sheet_needs_d_dd_e_and_allowed_values(unit, decided):
    head = person(unit, "CT02", leader="DEPUTY")
    sheets.record_result(officer(head),
                         sheets.assign(officer(head), head, YEAR, 2, standard(decided), 1),
                         completed=1)
    sheet = sheets.sheet_for(head, YEAR, 2)
    sheets.self_score(own_account(head), sheet, GENERAL_27)
    sheets.evaluate(chairman(head), sheet, GENERAL_27)
    with pytest.raises(RuleViolation, match="d, đ, e"):
        sheets.confirm(chairman(head), sheet)
    with pytest.raises(InvalidInput, match="75"):
        sheets.evaluate(chairman(head), sheet, {}, d=100, dd=75, e=100)


def test_return_then_self_score_again(unit, decided):
    staff = person(unit, "CC02")
    sheet = sheets.sheet_for(staff, YEAR, 1)
    with pytest.raises(RuleViolation, match="chưa tự đánh giá"):
        sheets.confirm(chairman(staff), sheet)
    sheets.self_score(own_account(staff), sheet, GENERAL_28)
    sheets.return_sheet(chairman(staff), sheet, "Chấm lại mục III")
    assert Sheet.get_by_id(sheet.id).status == "RETURNED"
    sheets.self_score(own_account(staff), sheet, GENERAL_27)
    assert Sheet.get_by_id(sheet.id).self_general == D(27)


def test_score_outside_the_item_maximum_is_refused(unit):
    staff = person(unit, "CC03")
    sheet = sheets.sheet_for(staff, YEAR, 1)
    with pytest.raises(InvalidInput, match="II.1"):
        sheets.self_score(own_account(staff), sheet, {"II.1": 3})


def test_points_are_read_with_a_comma_or_a_dot_and_garbage_is_refused(unit):
    staff = person(unit, "CC05")
    sheet = sheets.sheet_for(staff, YEAR, 1)
    sheets.self_score(own_account(staff), sheet, {**GENERAL_28, "II.1": "2,5", "II.2": " 2.5 "})
    assert Sheet.get_by_id(sheet.id).self_general == D(28)
    for bad in ("NaN", "Infinity", "hai", "2,5,0"):
        with pytest.raises(InvalidInput, match=f"Điểm tiêu chí II.1 «{bad}» không phải là số"):
            sheets.self_score(own_account(staff), sheet, {"II.1": bad})


@pytest.mark.parametrize("coefficient", ["NaN", "inf", "một", ""])
def test_a_coefficient_that_is_not_a_number_is_refused(unit, coefficient):
    editor = account("OFFICER", unit)
    draft = cat.open_catalogue(editor, unit, YEAR)
    with pytest.raises(InvalidInput, match="hệ số quy đổi"):
        cat.add_product(editor, draft, 1, "Công văn", coefficient)


def test_catalogue_is_locked_by_the_decision(unit, decided):
    editor = account("OFFICER", unit)
    with pytest.raises(RuleViolation, match="12/QĐ-UBND"):
        cat.add_product(editor, decided, 1, "Công văn", 1)
    draft = cat.open_catalogue(editor, unit, YEAR + 1)
    with pytest.raises(InvalidInput, match="nhóm «6»"):
        cat.add_product(editor, draft, 6, "Đề án", 3)
    product = cat.add_product(editor, draft, 1, "Công văn", 1)
    with pytest.raises(RuleViolation, match="chưa được phê duyệt"):
        sheets.assign(editor, person(unit, "CC04"), YEAR + 1, 1, product, 1)
    elsewhere = Unit.create(code="XB", name="UBND xã Bình Minh", place_name="Bình Minh")
    stranger = person(elsewhere, "B01")
    with pytest.raises(InvalidInput, match="đơn vị khác"):
        sheets.assign(officer(stranger), stranger, YEAR, 1, standard(decided), 1)


def test_catalogue_xlsx_in_the_units_layout_round_trips(unit, decided):
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["DANH MỤC SẢN PHẨM NĂM 2027"])
    ws.append(["Nhóm", "Sản phẩm", "Khung điểm", "Hệ số quy đổi"])
    ws.append(["Nhóm 1", None, "1-10", None])
    ws.append([None, "Soạn thảo văn bản đơn giản", 5, 1])
    ws.append([None, "Tiếp nhận hồ sơ một cửa", "1–10", "0,5"])
    ws.append(["N3", "Đề án cấp xã", "51 – 100", 12.5])
    source = io.BytesIO()
    book.save(source)
    editor = account("OFFICER", unit)
    draft = cat.open_catalogue(editor, unit, 2027)
    assert cat.import_xlsx(editor, draft, io.BytesIO(source.getvalue())) == 3
    out = io.BytesIO()
    cat.export_xlsx(draft, out)
    rows = cat.read_xlsx(io.BytesIO(out.getvalue()))
    assert [(r["group"], r["name"], r["points_min"], r["points_max"], r["coefficient"])
            for r in rows] == [
        (1, "Soạn thảo văn bản đơn giản", D(5), D(5), D(1)),
        (1, "Tiếp nhận hồ sơ một cửa", D(1), D(10), D("0.5")),
        (3, "Đề án cấp xã", D(51), D(100), D("12.5")),
    ]
    decided_out = io.BytesIO()
    cat.export_xlsx(decided, decided_out)
    sheet = openpyxl.load_workbook(io.BytesIO(decided_out.getvalue())).active
    assert sheet["A3"].value == "Kèm theo Quyết định số 12/QĐ-UBND ngày 05/01/2026"
    assert [c.value for c in sheet[4]] == ["Nhóm", "Sản phẩm", "Khung điểm", "Hệ số quy đổi"]


def fill_year(staff, product, scores, leader=False):
    """Confirmed months straight into the tables: ``{month: general points}``, all done."""
    for month, general in scores.items():
        Assignment.create(staff=staff, year=YEAR, month=month, product=product,
                          coefficient=product.coefficient, quantity=2, completed=2)
        Sheet.create(staff=staff, unit=staff.unit, year=YEAR, month=month, rule_set="ND335_2025",
                     status="CONFIRMED", general=general, leader=leader,
                     d=100 if leader else None, dd=100 if leader else None,
                     e=100 if leader else None)


def grid_of(unit, **kwargs):
    return {p.code: p for p in yp.year_grid(YEAR, [unit.id], **kwargs)}


@pytest.mark.parametrize("general, level", [
    (D("20.00"), RatingLevel.HTXSNV), (D("19.99"), RatingLevel.HTTNV),
    (D("0.00"), RatingLevel.HTTNV),
])
def test_year_average_and_level(unit, decided, general, level):
    staff = person(unit, "CC10")
    fill_year(staff, standard(decided), {m: general for m in range(1, 13)})
    p = grid_of(unit)["CC10"]
    assert p.complete and p.average == general + 70 and p.level is level


def test_maternity_june_to_november_averages_six_months(unit, decided):
    staff = person(unit, "CC11")
    worked = [1, 2, 3, 4, 5, 12]
    fill_year(staff, standard(decided), {m: D(18 + m) for m in worked})  # general ≤ 30
    plain = grid_of(unit)["CC11"]
    assert not plain.complete and "6, 7, 8, 9, 10, 11" in plain.note
    p = grid_of(unit, months_worked={staff.id: set(worked)}, leave={staff.id: "MATERNITY"})
    assert p["CC11"].complete
    assert p["CC11"].average == D(70) + D(18 * 6 + 1 + 2 + 3 + 4 + 5 + 12) / 6


def test_reprimand_gives_khtnv(unit, decided):
    staff = person(unit, "CC12")
    fill_year(staff, standard(decided), {m: D(30) for m in range(1, 13)})
    assert grid_of(unit, reprimanded={staff.id})["CC12"].level is RatingLevel.KHTNV


@pytest.mark.parametrize("left_on, in_grid", [
    (datetime.date(2026, 1, 1), False),  # left on the year's first day: no day in post in it
    (datetime.date(2026, 1, 2), True),
])
def test_the_grid_has_those_in_post_during_the_year(unit, left_on, in_grid):
    Staff.create(unit=unit, code="CC19", full_name="Nguyễn Văn CC19", kind="CIVIL_SERVANT",
                 left_on=left_on, left_reason="Chuyển công tác")
    assert ("CC19" in grid_of(unit)) is in_grid


def test_grid_names_what_is_missing(unit, decided):
    product = standard(decided)
    staff = person(unit, "CC13")
    fill_year(staff, product, {1: D(28)})
    sheets.assign(officer(staff), staff, YEAR, 2, product, 1)
    sheets.self_score(own_account(staff), sheets.sheet_for(staff, YEAR, 3), GENERAL_28)
    sheets.assign(officer(staff), staff, YEAR, 3, product, 1)
    cells = grid_of(unit)["CC13"].cells
    assert cells[1].score == D(98)
    assert cells[2].missing == yp.Missing.NOT_SELF_SCORED
    assert cells[3].missing == yp.Missing.NOT_CONFIRMED
    assert cells[4].missing == yp.Missing.NO_ASSIGNMENT
    assert grid_of(unit)["CC13"].average == D(98)  # running average of what is confirmed


@pytest.mark.parametrize("settings", [
    {},                                       # whole-number sums
    {"deduction_floor": D("0.5")},            # NUMERIC sums: a floor
    {"deduction_rate": D("0.3")},             # NUMERIC sums: 1/rate not whole
], ids=["integer", "floor", "rate"])
def test_sql_sums_match_the_pure_functions(unit, decided, settings):
    rules = scoring.rules_for(**settings)
    rnd = random.Random(8)
    products = list(decided.products)
    staff = person(unit, "CC14")
    expected = {}
    for month in (1, 2, 3):
        results = []
        for _ in range(6):
            p = rnd.choice(products)
            r = scoring.Result(quantity=rnd.randint(0, 4), completed=rnd.randint(0, 5),
                               coefficient=p.coefficient, failed_reviews=rnd.randint(0, 5),
                               delays=rnd.randint(0, 5), objective_cause=rnd.random() < .3,
                               extra=rnd.random() < .2)
            results.append(r)
            Assignment.create(staff=staff, year=YEAR, month=month, product=p,
                              **{f: getattr(r, f) for f in r.__dataclass_fields__})
        expected[(staff.id, month)] = scoring.totals(results, rules)
    assert yp.month_totals(YEAR, rules=rules) == expected


def test_quarterly_unit_files_sheets_by_quarter(unit, decided):
    TrackingSetting.create(unit=unit, year=YEAR, period="QUARTER")
    staff = person(unit, "CC15")
    assert sheets.sheet_for(staff, YEAR, 5).month == 6
    for month in (4, 5):
        row = sheets.assign(officer(staff), staff, YEAR, month, standard(decided), 1)
        sheets.record_result(officer(staff), row, completed=1)
    sheet = sheets.sheet_for(staff, YEAR, 4)
    sheets.self_score(own_account(staff), sheet, GENERAL_28)
    sheets.evaluate(chairman(staff), sheet, GENERAL_28)
    assert sheets.confirm(chairman(staff), sheet).total == D(98)
    quarterly = grid_of(unit)["CC15"]
    assert set(quarterly.cells) == {3, 6, 9, 12}
    assert not quarterly.complete and quarterly.average == D(98) and "quý 1" in quarterly.note


def test_write_points_fills_open_ratings_only(unit, decided):
    product = standard(decided)
    a, b = person(unit, "CC20"), person(unit, "CC21")
    for s, status in ((a, "OPEN"), (b, "APPROVED")):
        fill_year(s, product, {m: D(26) for m in range(1, 13)})
        Rating.create(staff=s, unit=unit, year=YEAR, rule_set="ND335_2025", status=status)
    updated, skipped = yp.write_points(YEAR, yp.year_grid(YEAR, [unit.id]))
    assert (updated, skipped) == (1, 1)
    assert Rating.get(Rating.staff == a).points == D("96.00")
    assert Rating.get(Rating.staff == b).points is None


def test_a_year_of_89_9958_is_stored_below_90_and_stays_httnv(unit, decided):
    """ND 335/2025 has no rounding rule: the level is decided on the true average, so
    89.995833… is HTTNV in the grid and in the stored points (both engines)."""
    staff = person(unit, "CC22")
    months = {m: D("20.00") for m in range(1, 13)}
    months[1] = D("19.95")
    fill_year(staff, standard(decided), months)
    Rating.create(staff=staff, unit=unit, year=YEAR, rule_set="ND335_2025", status="OPEN")
    p = grid_of(unit)["CC22"]
    assert p.average < 90 and p.level is RatingLevel.HTTNV
    yp.write_points(YEAR, [p])
    stored = Rating.get(Rating.staff == staff).points
    assert stored == D("89.995833") and stored < 90


def test_cli_score_quarter_and_half_average_the_months(unit, decided, run):
    """ND 335/2025 Điều 17.3 (used by Điều 23): a quarter is the average of its 3 months,
    a half-year of its 6; a part with a month not confirmed has no average yet."""
    import json

    product = standard(decided)
    fill_year(person(unit, "CC33"), product, {m: D(10 + m) for m in range(1, 7)})
    fill_year(person(unit, "CC34"), product, {1: D(20), 2: D(20)})
    out = run("score", "--year", "2026", "--quarter", "2")
    line = next(x for x in out.output.splitlines() if x.startswith("CC33"))
    assert line.split()[-4:] == ["84,00", "85,00", "86,00", "85,00"]  # (84 + 85 + 86) / 3
    half = json.loads(run("score", "--year", "2026", "--half", "1", "--format", "json").output)
    people = {p["code"]: p for p in half["people"]}
    assert people["CC33"]["average"] == 83.5  # 70 + (11 + … + 16) / 6
    assert people["CC34"]["average"] is None and people["CC34"]["missing"] == [3, 4, 5, 6]
    both = run("score", "--year", "2026", "--quarter", "1", "--half", "1")
    assert both.exit_code == 2 and "Chỉ chọn một" in both.output


@pytest.mark.parametrize("joined, complete, months", [
    (datetime.date(2026, 7, 1), True, 6),     # July to December: six months in post
    (datetime.date(2026, 7, 14), True, 6),    # 18 of July's 31 days: more than half
    (datetime.date(2026, 7, 20), False, 5),   # 12 days: July is not counted, under six
])
def test_a_person_recruited_mid_year_is_averaged_over_the_months_in_post(
        unit, decided, joined, complete, months):
    """ND 335/2025 Điều 17.3, 19.1: the year is the average of the months in post; under
    six months (Điều 11.1) the person is not rated."""
    staff = person(unit, "CC50")
    staff.joined_on = joined
    staff.save()
    fill_year(staff, standard(decided), {m: D(14 + m) for m in range(7, 13)})
    p = grid_of(unit)["CC50"]
    assert p.complete is complete
    if complete:
        assert p.average == 70 + D(sum(14 + m for m in range(7, 13))) / 6
    else:
        assert f"{months} tháng" in p.note and "không thực hiện đánh giá" in p.note


def test_cli_score_year_text_and_json(unit, decided, run):
    import json

    product = standard(decided)
    fill_year(person(unit, "CC30"), product, {m: D(20) for m in range(1, 13)})
    fill_year(person(unit, "CC31"), product, {1: D("19.99")})
    out = run("score", "--year", "2026", "--unit", "KT")
    assert out.exit_code == 0, out.output
    line30 = next(line for line in out.output.splitlines() if line.startswith("CC30"))
    assert line30.split()[-2:] == ["90,00", "HTXSNV"]
    line31 = next(line for line in out.output.splitlines() if line.startswith("CC31"))
    assert "89,99" in line31 and "GV" in line31 and line31.split()[-2:] == ["89,99*", "HTTNV"]
    data = json.loads(run("score", "--year", "2026", "--format", "json").output)
    people = {p["code"]: p for p in data["people"]}
    assert people["CC30"]["average"] == 90.0 and people["CC30"]["complete"]
    assert people["CC31"]["months"][1]["missing"] == "Chưa giao việc"


def test_cli_score_month_and_save(unit, decided, run):
    from canbo.rating import workflow

    staff = person(unit, "CC32")
    staff_month(staff, standard(decided), month=1)
    out = run("score", "--year", "2026", "--month", "1")
    row = next(line for line in out.output.splitlines() if line.startswith("CC32"))
    assert row.split()[-6:] == ["100,00", "97,50", "95,00", "97,50", "28,00", "96,25"]
    workflow.open_cycle(account("OFFICER", unit), unit, YEAR, today=datetime.date(2026, 11, 27))
    assert Rating.get(Rating.staff == staff).points is None  # 11 months still missing
    fill_year(staff, standard(decided), {m: D(25) for m in range(2, 13)})
    pulls = AuditLog.select().where(AuditLog.action == "cycle.pull_points")
    before = pulls.count()
    saved = run("score", "--year", "2026", "--save", "--actor", "truongphong")
    assert saved.exit_code == 0, saved.output
    assert "Đã ghi điểm năm vào 1 kết quả xếp loại (kỳ đánh giá của KT)" in saved.output
    expected = (D("96.25") + 11 * D(95)) / 12
    rating = Rating.get(Rating.staff == staff)
    # stored cut to six places, never rounded up (a level is decided on the true value)
    assert rating.points == scoring.stored_points(expected) == D("95.104166")
    assert rating.level == "HTXSNV"  # proposed by the points, as the cycle page's button does
    # the same audited path as the panel: one entry on the cycle, in the actor's name
    assert pulls.count() == before + 1
    entry = pulls.order_by(AuditLog.id.desc()).get()
    assert entry.actor == "truongphong" and "CC32" in entry.changes


def test_cli_score_save_needs_an_open_cycle(unit, decided, run):
    staff = person(unit, "CC33")
    fill_year(staff, standard(decided), {m: D(25) for m in range(1, 13)})
    Rating.create(staff=staff, unit=unit, year=YEAR, rule_set="ND335_2025")
    out = run("score", "--year", "2026", "--save")
    assert out.exit_code == 2 and "Chưa mở kỳ đánh giá năm 2026" in out.output
    assert Rating.get(Rating.staff == staff).points is None
    assert not AuditLog.select().where(AuditLog.action == "cycle.pull_points").exists()


def test_cli_score_before_2026_is_refused(unit, run):
    out = run("score", "--year", "2025")
    assert out.exit_code == 2 and "2026" in out.output


def test_a_units_own_floor_changes_its_grid(unit, decided):
    staff = person(unit, "CC40")
    row = sheets.assign(officer(staff), staff, YEAR, 1, standard(decided), 1)
    sheets.record_result(officer(staff), row, completed=1, failed_reviews=9)
    assert grid_of(unit)["CC40"].cells[1].b == 0
    TrackingSetting.create(unit=unit, year=YEAR, deduction_floor=D("0.5"))
    assert grid_of(unit)["CC40"].cells[1].b == 50


# --- who may do what (canbo.records.users.PERMISSIONS) --------------------------------------


def catalogue_file():
    book = openpyxl.Workbook()
    book.active.append(["Nhóm", "Sản phẩm", "Khung điểm", "Hệ số quy đổi"])
    book.active.append(["N1", "Tờ trình", 5, 1])
    out = io.BytesIO()
    book.save(out)
    return io.BytesIO(out.getvalue())


ROLES = ["ADMIN", "OFFICER", "CHAIRMAN", "VIEWER", "STAFF", "OTHER_OFFICER"]
EDITORS, DECIDERS = {"ADMIN", "OFFICER"}, {"ADMIN", "CHAIRMAN"}
ACTIONS = {
    "open_catalogue": (lambda a, c: cat.open_catalogue(a, c["unit"], YEAR + 2), EDITORS),
    "add_product": (lambda a, c: cat.add_product(a, c["draft"], 1, "Tờ trình", 1), EDITORS),
    "import_xlsx": (lambda a, c: cat.import_xlsx(a, c["draft"], catalogue_file()), EDITORS),
    "decide": (lambda a, c: cat.decide(a, c["draft"], "2/QĐ-UBND", datetime.date(2027, 1, 4)),
               DECIDERS),
    "assign": (lambda a, c: sheets.assign(a, c["staff"], YEAR, 2, c["product"], 1),
               EDITORS | {"CHAIRMAN"}),
    # the person records their own result (Điều 18.2); the officer may type it for them
    "record_result": (lambda a, c: sheets.record_result(a, c["row"], completed=1),
                      EDITORS | {"CHAIRMAN", "STAFF"}),
    # failed reviews and delays are the evaluator's (Điều 14.2), never the person's
    "record_review": (lambda a, c: sheets.record_result(a, c["row"], failed_reviews=1),
                      EDITORS | {"CHAIRMAN"}),
    "self_score": (lambda a, c: sheets.self_score(a, c["sheet"], GENERAL_28), {"STAFF"}),
    "evaluate": (lambda a, c: sheets.evaluate(a, c["sheet"], GENERAL_28), DECIDERS),
    "confirm": (lambda a, c: sheets.confirm(a, c["sheet"]), DECIDERS),
    "return": (lambda a, c: sheets.return_sheet(a, c["sheet"], "Chấm lại"), DECIDERS),
}


@pytest.fixture
def stage(unit, decided):
    """A person with an assignment and a self-scored, evaluated sheet of January, and a
    draft catalogue for next year with one product."""
    staff = person(unit, "CC50")
    row = sheets.assign(officer(staff), staff, YEAR, 1, standard(decided), 1)
    sheet = sheets.sheet_for(staff, YEAR, 1)
    sheets.self_score(own_account(staff), sheet, GENERAL_28)
    sheets.evaluate(chairman(staff), sheet, GENERAL_28)
    draft = cat.open_catalogue(officer(staff), unit, YEAR + 1)
    cat.add_product(officer(staff), draft, 1, "Công văn", 1)
    other = Unit.create(code="XB", name="UBND xã Bình Minh", place_name="Bình Minh")
    actors = {role: account(role, unit if role != "ADMIN" else None)
              for role in ("ADMIN", "OFFICER", "CHAIRMAN", "VIEWER")}
    actors["STAFF"] = own_account(staff)
    actors["OTHER_OFFICER"] = account("OFFICER", other)
    return actors, {"unit": unit, "staff": staff, "row": row, "sheet": sheet, "draft": draft,
                    "product": standard(decided)}


@pytest.mark.parametrize("name", sorted(ACTIONS))
def test_every_tracking_change_checks_the_acting_user(db, stage, name):
    actors, context = stage
    call, allowed = ACTIONS[name]
    outcome = {}
    for role in ROLES:
        with db.atomic() as txn:  # each role tries from the same state
            fresh = {k: type(v).get_by_id(v.id) for k, v in context.items()}
            try:
                call(actors[role], fresh)
                outcome[role] = True
            except Forbidden:
                outcome[role] = False
            txn.rollback()
    assert {role for role, ok in outcome.items() if ok} == allowed


def test_a_refusal_names_the_roles_that_may(stage):
    actors, context = stage
    with pytest.raises(Forbidden, match="là tài khoản có quyền đánh giá của đơn vị: Quản trị "
                                        "hệ thống, Chủ tịch; tài khoản officer-kt không được "
                                        "xác nhận phiếu."):
        sheets.confirm(actors["OFFICER"], context["sheet"])
    with pytest.raises(Forbidden, match="chỉ: Quản trị hệ thống, Cán bộ phụ trách tổ chức."):
        cat.add_product(actors["CHAIRMAN"], context["draft"], 1, "Tờ trình", 1)
    with pytest.raises(Forbidden, match="Chỉ chính Nguyễn Văn CC50"):
        sheets.self_score(actors["OFFICER"], context["sheet"], GENERAL_28)
    with pytest.raises(Forbidden, match="không thuộc đơn vị này"):
        sheets.assign(actors["OTHER_OFFICER"], context["staff"], YEAR, 2, context["product"], 1)


def test_nobody_evaluates_their_own_sheet(unit, decided):
    head = person(unit, "CT50", leader="HEAD")
    boss = account("CHAIRMAN", unit, username="chutich-ct50")
    boss.staff = head
    boss.save()
    sheets.record_result(officer(head), sheets.assign(officer(head), head, YEAR, 1,
                                                      standard(decided), 1), completed=1)
    sheet = sheets.sheet_for(head, YEAR, 1)
    assert sheets.may_self_score(boss, head) and not sheets.may_evaluate(boss, head, YEAR, 1)
    sheets.self_score(boss, sheet, GENERAL_28)
    with pytest.raises(Forbidden, match="của chính mình"):
        sheets.evaluate(boss, sheet, GENERAL_28, d=100, dd=100, e=100)
    assert sheets.may_evaluate(account("ADMIN"), head, YEAR, 1)


def test_every_sheet_change_is_audited(unit, decided):
    staff = person(unit, "CC51")
    sheet = staff_month(staff, standard(decided))
    actions = [e.action for e in AuditLog.select().where(AuditLog.table_name == "sheet",
                                                         AuditLog.row_id == sheet.id)
               .order_by(AuditLog.id)]
    assert actions == ["sheet.submit", "sheet.evaluate", "sheet.confirm"]
    assert AuditLog.get(AuditLog.action == "sheet.confirm").actor == chairman(staff).username
