"""A month's assignments from one XLSX sheet (ND 335 Điều 18.1): every row is checked
like the assign screen, errors name the row and column, and any error writes nothing."""
import datetime
import io

import openpyxl
import pytest

from accounts import account, own_account
from canbo.errors import Forbidden, InvalidInput
from canbo.models import Unit
from canbo.models.tracking import Assignment
from canbo.tracking import assignment_sheet, evaluators, sheets
from canbo.tracking import catalogue as cat
from test_tracking import YEAR, person


@pytest.fixture
def unit(db):
    return Unit.create(code="KT", name="UBND xã Kim Tân", place_name="Kim Tân")


@pytest.fixture
def catalogue(unit):
    c = cat.open_catalogue(account("OFFICER", unit), unit, YEAR)
    first = cat.add_product(account("OFFICER", unit), c, 1, "Soạn thảo văn bản hành chính",
                            1, 5, 5)
    first.code = "VP01"
    first.save()
    cat.add_product(account("OFFICER", unit), c, 2, "Báo cáo chuyên đề", 2, 11, 50)
    return cat.decide(account("CHAIRMAN", unit), c, "12/QĐ-UBND", datetime.date(2026, 1, 5))


def xlsx(*rows, title_rows=()):
    book = openpyxl.Workbook()
    sheet = book.active
    for row in title_rows:
        sheet.append(row)
    sheet.append(list(assignment_sheet.HEADERS))
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_month_of_a_unit_is_assigned_from_one_sheet(unit, catalogue):
    a, b = person(unit, "A1"), person(unit, "B2")
    data = xlsx(("A1", "Nguyễn Văn A1", "VP01", None, 4, "20/03/2026", None),
                ("b2", None, None, "báo cáo chuyên đề", 1, datetime.datetime(2026, 3, 31), 3),
                ("A1", None, None, "Báo cáo chuyên đề", 2, None, 4),
                title_rows=[("KẾ HOẠCH GIAO VIỆC THÁNG 3/2026",), ()])
    made = assignment_sheet.import_sheet(account("OFFICER", unit), data, unit, YEAR, 3)
    assert [(r.staff_id, r.month, r.product.name, r.quantity, r.deadline) for r in made] == [
        (a.id, 3, "Soạn thảo văn bản hành chính", 4, datetime.date(2026, 3, 20)),
        (b.id, 3, "Báo cáo chuyên đề", 1, datetime.date(2026, 3, 31)),
        (a.id, 4, "Báo cáo chuyên đề", 2, None),
    ]
    assert {r.assigned_by for r in made} == {"officer-kt"}


def test_every_bad_row_is_named_and_nothing_is_written(unit, catalogue):
    person(unit, "A1")
    data = xlsx(("A1", None, "VP01", None, 4, None, None),
                ("ZZ", None, "VP01", None, 1, None, None),
                ("A1", "Trần Thị Khác", "VP01", None, 1, None, None),
                ("A1", None, "XX9", None, 1, None, None),
                ("A1", None, "VP01", None, "hai", None, None),
                ("A1", None, "VP01", None, 1, "31/02/2026", None),
                ("A1", None, "VP01", None, 1, None, 13))
    with pytest.raises(InvalidInput) as caught:
        assignment_sheet.import_sheet(account("OFFICER", unit), data, unit, YEAR, 3)
    message = caught.value.message
    assert "chưa ghi gì" in message
    for line in ("dòng 3: cột «Mã cán bộ»: không có cán bộ mã «ZZ»",
                 "dòng 4: cột «Họ và tên»: «Trần Thị Khác» không khớp",
                 "dòng 5: cột «Mã sản phẩm»: không có sản phẩm mã «XX9»",
                 "dòng 6: cột «Số lượng»: «hai» không hợp lệ",
                 "dòng 7: cột «Hạn hoàn thành»", "dòng 8: cột «Tháng»: «13»"):
        assert line in message
    assert "dòng 2" not in message
    assert Assignment.select().count() == 0


def test_a_row_the_rules_refuse_rolls_back_the_rows_before_it(unit, catalogue):
    a = person(unit, "A1")
    officer = account("OFFICER", unit)
    sheets.assign(officer, a, YEAR, 2, catalogue.products.first(), 1)
    sheet = sheets.sheet_for(a, YEAR, 2)
    sheets.self_score(own_account(a), sheet, {k: 2 for k in ("I.1", "I.2")}, submit=False)
    sheet.status = "CONFIRMED"
    sheet.save()
    data = xlsx(("A1", None, "VP01", None, 1, None, 3), ("A1", None, "VP01", None, 1, None, 2))
    with pytest.raises(Exception) as caught:
        assignment_sheet.import_sheet(officer, data, unit, YEAR, 3)
    assert "dòng 3 (A1)" in caught.value.message and "Chưa ghi dòng nào" in caught.value.message
    assert Assignment.select().where(Assignment.month == 3).count() == 0


def test_an_evaluator_imports_only_for_their_evaluatees(unit, catalogue):
    head, chief, clerk = person(unit, "CT", leader="HEAD"), person(unit, "VP"), person(unit, "VT")
    evaluators.set_head(account("OFFICER", unit), unit, head)
    evaluators.set_evaluator(account("OFFICER", unit), clerk, YEAR, chief)
    ok = xlsx(("VT", None, "VP01", None, 2, None, None))
    made = assignment_sheet.import_sheet(own_account(chief), ok, unit, YEAR, 5)
    assert [r.staff_id for r in made] == [clerk.id]
    other = xlsx(("VT", None, "VP01", None, 1, None, None), ("CT", None, "VP01", None, 1, None,
                                                              None))
    with pytest.raises(Forbidden, match="dòng 3 \\(CT\\)"):
        assignment_sheet.import_sheet(own_account(chief), other, unit, YEAR, 6)
    assert Assignment.select().where(Assignment.month == 6).count() == 0


def test_a_file_without_the_header_or_not_xlsx_is_refused(unit, catalogue):
    book = openpyxl.Workbook()
    book.active.append(["Họ tên", "Việc"])
    out = io.BytesIO()
    book.save(out)
    with pytest.raises(InvalidInput, match="Không tìm thấy dòng tiêu đề"):
        assignment_sheet.read(out.getvalue(), unit, YEAR, 3)
    with pytest.raises(InvalidInput, match="không phải tệp Excel"):
        assignment_sheet.read(b"PK\x03\x04garbage", unit, YEAR, 3, "x.xlsx")


def test_the_template_lists_the_people_and_the_catalogue(unit, catalogue):
    person(unit, "A1")
    out = io.BytesIO()
    assignment_sheet.template(unit, YEAR, 3, out)
    book = openpyxl.load_workbook(io.BytesIO(out.getvalue()))
    first, second = book.worksheets
    assert [c.value for c in first[1]] == list(assignment_sheet.HEADERS)
    assert [c.value for c in first[2]][:2] == ["A1", "Nguyễn Văn A1"]
    assert [c.value for c in second[2]][:2] == ["VP01", "Soạn thảo văn bản hành chính"]
    # The filled-in template goes back in as it is.
    first["C2"], first["E2"] = "VP01", 3
    again = io.BytesIO()
    book.save(again)
    made = assignment_sheet.import_sheet(account("OFFICER", unit), again.getvalue(), unit,
                                         YEAR, 3)
    assert [(r.quantity, r.month) for r in made] == [(3, 3)]
