"""The catalogue of output products (ND 335/2025 Điều 13, 13.3, 26.1.c): the draft edited,
the standard product and derived coefficients, the decision that locks it, supplements;
the workbooks communes publish; ``canbo catalogue``; the panel for every role."""
import datetime
import io
from decimal import Decimal as D

import openpyxl
import pytest
from playhouse.test_utils import count_queries

import catalogue_books as books
from accounts import account, own_account
from canbo.errors import Forbidden, InvalidInput, RuleViolation
from canbo.models import AuditLog, Staff, Unit
from canbo.models.tracking import Catalogue, CatalogueDecision, Product
from canbo.records import users
from canbo.tracking import catalogue as cat
from canbo.tracking import sheets
from panel_helpers import PASSWORD, csrf_token, log_in

YEAR = 2026
STANDARD = books.STANDARD


@pytest.fixture
def unit(db):
    return Unit.create(code="NL", name="UBND xã Nghĩa Lâm", place_name="Nghĩa Lâm")


@pytest.fixture
def draft(unit):
    c = cat.open_catalogue(account("OFFICER", unit), unit, YEAR)
    return cat.set_standard(account("OFFICER", unit), c, *STANDARD)


def officer(unit):
    return account("OFFICER", unit)


def chairman(unit):
    return account("CHAIRMAN", unit)


def add(unit, catalogue, name="Soạn thảo báo cáo định kỳ", **values):
    values = {"group": "N2", "range": "11-50", "points": 12, **values}
    return cat.add_product(officer(unit), catalogue, name=name, **values)


def decided(unit, catalogue):
    return cat.decide(chairman(unit), catalogue, "283/QĐ-UBND", datetime.date(2026, 5, 31))


# --- the draft -----------------------------------------------------------------------------


def test_a_draft_is_edited_and_deleted_then_nothing_decided_changes(unit, draft):
    product = add(unit, draft, code="NVC02", section="Nhiệm vụ chung")
    assert product.coefficient == D("2.40")  # 12 points ÷ the standard's 5
    cat.edit_product(officer(unit), product, {"name": "Soạn thảo báo cáo tháng", "group": 2,
                                              "range": "11-50", "points": "20",
                                              "section": "Nhiệm vụ chung"})
    product = Product.get_by_id(product.id)
    assert (product.name, product.points, product.coefficient) == (
        "Soạn thảo báo cáo tháng", D(20), D(4))
    assert product.code is None  # what the form left empty is empty
    extra = add(unit, draft, "Tờ trình")
    cat.delete_product(officer(unit), extra)
    assert [p.name for p in draft.products] == ["Soạn thảo báo cáo tháng"]
    actions = [a.action for a in AuditLog.select().order_by(AuditLog.id)]
    assert actions[-3:] == ["catalogue.edit_product", "catalogue.add_product",
                            "catalogue.delete_product"]

    decided(unit, draft)
    for change in (lambda: cat.edit_product(officer(unit), product, {"name": "X", "group": 1,
                                                                    "coefficient": 1}),
                   lambda: cat.delete_product(officer(unit), product),
                   lambda: add(unit, draft, "Công văn"),
                   lambda: cat.set_standard(officer(unit), draft, "Công văn", 4),
                   lambda: cat.import_xlsx(officer(unit), draft, books.nghia_lam())):
        with pytest.raises(RuleViolation, match="283/QĐ-UBND.*không sửa được.*Điều 13.3"):
            change()
    assert Product.get_by_id(product.id).name == "Soạn thảo báo cáo tháng"


def test_the_coefficient_follows_the_points_and_the_standard_product(unit):
    catalogue = cat.open_catalogue(officer(unit), unit, YEAR)
    with pytest.raises(InvalidInput, match="chưa có điểm của sản phẩm chuẩn"):
        add(unit, catalogue)
    cat.set_standard(officer(unit), catalogue, *STANDARD)
    derived = add(unit, catalogue)
    given = add(unit, catalogue, "Báo cáo chuyên đề", coefficient="3,5")
    assert (derived.coefficient, given.coefficient) == (D("2.40"), D("3.50"))
    cat.set_standard(officer(unit), catalogue, STANDARD[0], "4")
    assert Product.get_by_id(derived.id).coefficient == D("3.00")  # 12 ÷ 4
    assert Product.get_by_id(given.id).coefficient == D("3.50")  # typed: kept
    for points, message in (("0", "«0» phải > 0"), ("năm", "không phải là số")):
        with pytest.raises(InvalidInput, match=message):
            cat.set_standard(officer(unit), catalogue, STANDARD[0], points)
    with pytest.raises(InvalidInput, match="Sản phẩm chuẩn: hãy ghi tên"):
        cat.set_standard(officer(unit), catalogue, "  ", 5)


@pytest.mark.parametrize("change,message", [
    ({"group": "N6"}, "Sản phẩm «Báo cáo»: nhóm «N6» không hợp lệ; cho phép 1 – 5"),
    ({"group": ""}, "Sản phẩm «Báo cáo»: nhóm còn trống"),
    ({"range": "50-11"}, "khung điểm «50-11» không hợp lệ"),
    ({"range": "11-50-70"}, "khung điểm «11-50-70» không hợp lệ"),
    ({"points": "NaN"}, "điểm chấm «NaN» không phải là số"),
    ({"points": "inf"}, "điểm chấm «inf» không phải là số"),
    ({"points": 60}, "điểm chấm 60 nằm ngoài khung điểm 11-50"),
    ({"points": "-3", "range": ""}, "điểm chấm «-3» phải ≥ 0"),
    ({"coefficient": "0"}, "hệ số quy đổi «0» phải > 0"),
    ({"coefficient": "100000"}, "hệ số quy đổi «100000» phải > 0 và ≤ 9999,99"),
    ({"name": "Báo\x07cáo"}, "tên sản phẩm/công việc có ký tự điều khiển"),
    ({"name": "B" * 301}, "tên sản phẩm/công việc dài 301 ký tự, quá giới hạn 300"),
    ({"name": "  "}, "tên sản phẩm/công việc còn trống"),
    ({"code": "X" * 33}, "mã công việc dài 33 ký tự, quá giới hạn 32"),
    ({"job_position": "Kế toán\x00"}, "vị trí việc làm có ký tự điều khiển"),
])
def test_a_bad_value_is_refused_naming_the_field_and_nothing_is_written(
        unit, draft, change, message):
    with pytest.raises(InvalidInput) as caught:
        add(unit, draft, **{"name": "Báo cáo", **change})
    assert message in caught.value.message
    assert draft.products.count() == 0


def test_a_name_is_unique_within_its_section(unit, draft):
    add(unit, draft, "Báo cáo tháng", section="Văn phòng")
    add(unit, draft, "Báo cáo tháng", section="Phòng Kinh tế")  # another section: fine
    with pytest.raises(InvalidInput, match="Danh mục đã có sản phẩm «Báo cáo tháng» trong "
                                           "phần «Văn phòng»"):
        add(unit, draft, "Báo  cáo tháng", section=" Văn phòng ")  # spaces do not count
    assert draft.products.count() == 2


# --- the decision and supplements ------------------------------------------------------------


def test_a_supplement_adds_products_under_a_numbered_decision(unit, draft):
    first = add(unit, draft)
    decided(unit, draft)
    decision = cat.supplement(
        chairman(unit), draft, "45/QĐ-UBND", datetime.date(2026, 6, 20),
        datetime.date(2026, 7, 1), [
            {"name": "Báo cáo chuyển đổi số", "group": "N2", "range": "11-50", "points": 15,
             "section": "Nhiệm vụ chung", "job_position": "Văn phòng - Thống kê"},
            {"name": "Hồ sơ sáp nhập thôn", "group": 3, "coefficient": "12"}])
    added = list(decision.products.order_by(Product.position))
    assert [(p.name, p.coefficient, p.decision_number, p.applies_from) for p in added] == [
        ("Báo cáo chuyển đổi số", D(3), "45/QĐ-UBND", datetime.date(2026, 7, 1)),
        ("Hồ sơ sáp nhập thôn", D(12), "45/QĐ-UBND", datetime.date(2026, 7, 1))]
    first = Product.get_by_id(first.id)
    assert (first.decision_number, first.applies_from) == ("283/QĐ-UBND",
                                                           datetime.date(2026, 1, 1))
    entry = AuditLog.select().where(AuditLog.action == "catalogue.supplement").get()
    assert '"45/QĐ-UBND"' in entry.changes and entry.actor == "chairman-nl"
    staff = Staff.create(unit=unit, code="NL05", full_name="Lê Thị Hoa", kind="CIVIL_SERVANT")
    with pytest.raises(InvalidInput, match="45/QĐ-UBND, áp dụng từ 01/07/2026"):
        sheets.assign(officer(unit), staff, YEAR, 6, added[0], 1)
    assert sheets.assign(officer(unit), staff, YEAR, 7, added[0], 1).coefficient == D(3)


@pytest.mark.parametrize("args,message", [
    (("283/QĐ-UBND", "2026-06-20", "2026-07-01"), "Quyết định số 283/QĐ-UBND đã được ghi"),
    (("45/QĐ-UBND", "2026-05-01", "2026-07-01"), "trước ngày quyết định phê duyệt danh mục"),
    (("45/QĐ-UBND", "2026-06-20", "2027-01-01"), "không thuộc năm 2026"),
    (("", "2026-06-20", "2026-07-01"), "Số quyết định còn trống"),
    (("45/QĐ-UBND", None, "2026-07-01"), "Ngày quyết định bổ sung còn trống"),
])
def test_a_supplement_with_a_bad_decision_is_refused(unit, draft, args, message):
    add(unit, draft)
    decided(unit, draft)
    number, on, start = args
    day = datetime.date.fromisoformat
    with pytest.raises(InvalidInput, match=message):
        cat.supplement(chairman(unit), draft, number, on and day(on), day(start),
                       [{"name": "Tờ trình", "group": 1, "coefficient": 1}])
    assert CatalogueDecision.select().count() == 0


def test_a_supplement_is_all_or_nothing(unit, draft):
    add(unit, draft)
    with pytest.raises(RuleViolation, match="chưa được phê duyệt: hãy thêm sản phẩm trực"):
        cat.supplement(chairman(unit), draft, "45/QĐ-UBND", datetime.date(2026, 6, 20),
                       datetime.date(2026, 7, 1), [{"name": "Tờ trình", "group": 1,
                                                    "coefficient": 1}])
    decided(unit, draft)
    with pytest.raises(InvalidInput) as caught:
        cat.supplement(chairman(unit), draft, "45/QĐ-UBND", datetime.date(2026, 6, 20),
                       datetime.date(2026, 7, 1), [
                           {"name": "Tờ trình", "group": 1, "coefficient": 1},
                           {"name": "Đề án", "group": 7, "coefficient": 1},
                           {"name": "Tờ trình", "group": 1, "coefficient": 2}])
    assert caught.value.message.startswith("Có 2 lỗi, chưa ghi gì: ")
    assert "Sản phẩm «Đề án»: nhóm «7» không hợp lệ" in caught.value.message
    assert "«Tờ trình» trùng với" in caught.value.message
    with pytest.raises(InvalidInput, match="Danh mục đã có sản phẩm «Soạn thảo báo cáo"):
        cat.supplement(chairman(unit), draft, "45/QĐ-UBND", datetime.date(2026, 6, 20),
                       datetime.date(2026, 7, 1), [{"name": "Soạn thảo báo cáo định kỳ",
                                                    "group": 1, "coefficient": 1}])
    assert CatalogueDecision.select().count() == 0 and draft.products.count() == 1


ROLES = ["ADMIN", "OFFICER", "CHAIRMAN", "VIEWER", "STAFF", "OTHER_OFFICER"]
EDITORS, DECIDERS = {"ADMIN", "OFFICER"}, {"ADMIN", "CHAIRMAN"}
ACTIONS = {
    "edit_product": (lambda a, c: cat.edit_product(a, c["product"], {
        "name": "Tờ trình", "group": 1, "coefficient": 1}), EDITORS),
    "delete_product": (lambda a, c: cat.delete_product(a, c["product"]), EDITORS),
    "set_standard": (lambda a, c: cat.set_standard(a, c["draft"], "Công văn", 5), EDITORS),
    "supplement": (lambda a, c: cat.supplement(
        a, c["decided"], "9/QĐ-UBND", datetime.date(2026, 6, 1), datetime.date(2026, 6, 1),
        [{"name": "Tờ trình", "group": 1, "coefficient": 1}]), DECIDERS),
}


@pytest.mark.parametrize("name", sorted(ACTIONS))
def test_every_catalogue_change_checks_the_acting_user(db, unit, draft, name):
    product = add(unit, draft)
    decided(unit, draft)
    following = cat.open_catalogue(officer(unit), unit, YEAR + 1)
    context = {"draft": following, "decided": draft,
               "product": cat.add_product(officer(unit), following, 1, "Công văn", 1)}
    other = Unit.create(code="XB", name="UBND xã Bình Minh", place_name="Bình Minh")
    staff = Staff.create(unit=unit, code="NL01", full_name="Lê Văn An", kind="CIVIL_SERVANT")
    actors = {role: account(role, unit if role != "ADMIN" else None)
              for role in ("ADMIN", "OFFICER", "CHAIRMAN", "VIEWER")}
    actors.update(STAFF=own_account(staff), OTHER_OFFICER=account("OFFICER", other))
    call, allowed = ACTIONS[name]
    outcome = set()
    for role in ROLES:
        with db.atomic() as txn:
            fresh = {k: type(v).get_by_id(v.id) for k, v in context.items()}
            try:
                call(actors[role], fresh)
                outcome.add(role)
            except Forbidden:
                pass
            txn.rollback()
    assert outcome == allowed and product.id


# --- the communes' workbooks -----------------------------------------------------------------


def test_the_communes_workbook_is_read_by_sheet_section_task_and_group(unit, draft):
    assert cat.import_xlsx(officer(unit), draft, books.nghia_lam()) == books.product_count()
    products = {p.code: p for p in draft.products}
    report = products["NVC02"]
    assert (report.section, report.task, report.name, report.output) == (
        "PL III - Nhiệm vụ chung – Công tác văn bản", "Soạn thảo văn bản",  # merged cell
        "Soạn thảo báo cáo định kỳ", "Báo cáo tháng, quý")
    assert (report.complexity_group, report.points_min, report.points_max, report.points,
            report.coefficient) == (2, D(11), D(50), D(12), D("2.40"))
    assert products["NVC01"].coefficient == D(1)  # the standard product itself
    assert (products["LD01"].section, products["LD01"].coefficient) == (
        "PL II - Lãnh đạo – Công tác chỉ đạo, điều hành", D(16))
    assert products["LD04"].section == "PL II - Lãnh đạo – Công tác tiếp công dân"
    assert (products["KT03"].complexity_group, products["KT03"].task) == (5, "Quản lý đất đai")
    assert {p.section.split(" – ")[0] for p in products.values()} == set(books.SHEETS)
    count, skipped, errors = cat.preview_xlsx(officer(unit), draft, books.nghia_lam())
    assert (count, skipped, errors) == (books.product_count(), ["PL I - Tiêu chí chung"], [])


def _break(book):
    sheet = book["PL IV - Phòng Kinh tế"]
    sheet["G9"] = "50-11"
    sheet["F11"] = "N6"
    sheet["H12"] = "hai trăm"
    book["PL II - Lãnh đạo"]["D10"] = "Chủ trì xây dựng kế hoạch năm"  # twice in a section


def test_a_bad_workbook_names_sheet_row_and_column_and_writes_nothing(unit, draft):
    add(unit, draft, "Đã có từ trước")
    with pytest.raises(InvalidInput) as caught:
        cat.import_xlsx(officer(unit), draft, books.nghia_lam(_break))
    errors = caught.value.data["errors"]
    assert errors == [
        "Trang «PL II - Lãnh đạo», dòng 10: «Chủ trì xây dựng kế hoạch năm» trùng với "
        "Trang «PL II - Lãnh đạo», dòng 9 (cùng phần).",
        "Trang «PL IV - Phòng Kinh tế», dòng 9, cột G («Khung điểm»): khung điểm «50-11» "
        "không hợp lệ (ví dụ 11-50).",
        "Trang «PL IV - Phòng Kinh tế», dòng 11, cột F («Nhóm (N1-N5)»): nhóm «N6» không "
        "hợp lệ; cho phép 1 – 5 (N1 – N5).",
        "Trang «PL IV - Phòng Kinh tế», dòng 12, cột H («Điểm chấm»): điểm chấm «hai trăm» "
        "không phải là số; cho phép: một số, dấu thập phân là dấu phẩy hoặc dấu chấm (ví dụ "
        "1,5 hoặc 1.5).",
    ]
    assert caught.value.message.startswith("Có 4 lỗi, chưa ghi gì: ")
    assert [p.name for p in draft.products] == ["Đã có từ trước"]
    assert cat.preview_xlsx(officer(unit), draft, books.nghia_lam(_break))[2] == errors


def _broken_sheet():
    """A real workbook whose sheet's XML is cut short."""
    import zipfile
    source, out = zipfile.ZipFile(books.nghia_lam()), io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            target.writestr(item, data[:200] if item.filename.endswith("sheet2.xml") else data)
    return out.getvalue()


@pytest.mark.parametrize("data,message", [
    (b"not a workbook", "không đọc được như một bảng tính Excel"),
    (_broken_sheet(), "không đọc được như một bảng tính Excel"),
    (books.simple([], header=("Họ và tên", "Ngày sinh")).getvalue(),
     "Không tìm thấy bảng sản phẩm"),
    (books.simple([]).getvalue(), "Tệp không có sản phẩm nào"),
])
def test_a_file_without_products_is_refused(unit, draft, data, message):
    with pytest.raises((InvalidInput, cat.NoData), match=message):
        cat.import_xlsx(officer(unit), draft, io.BytesIO(data))


def test_a_product_row_without_a_group_is_reported_not_taken_for_a_section(unit, draft):
    def drop_group(book):
        book["PL III - Nhiệm vụ chung"]["F10"] = None
    with pytest.raises(InvalidInput) as caught:
        cat.import_xlsx(officer(unit), draft, books.nghia_lam(drop_group))
    assert caught.value.data["errors"] == [
        "Trang «PL III - Nhiệm vụ chung», dòng 10, cột F («Nhóm (N1-N5)»): nhóm còn trống; "
        "cho phép 1 – 5 (N1 – N5)."]


def test_a_department_sheet_with_job_positions_and_coefficients(unit, draft):
    """A sheet that gives the coefficient and the job position (vị trí việc làm) keeps
    them; a single product sheet leads no section with its name."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Văn phòng"
    sheet.append(["DANH MỤC SẢN PHẨM VĂN PHÒNG HĐND - UBND"])
    sheet.append(["TT", "Mã công việc", "Tên sản phẩm/công việc", "Kết quả đầu ra",
                  "Mức độ phức tạp", "Khung điểm", "Hệ số quy đổi", "Vị trí việc làm"])
    sheet.append(["A", "Văn thư, lưu trữ"])
    sheet.append([1, "VP01", "Vào sổ công văn đến", "Sổ công văn", "N1", "1-10", "0,5",
                  "Văn phòng - Thống kê"])
    sheet.append([2, "VP02", "Lập hồ sơ lưu trữ\nhằng năm", "Hồ sơ", "Nhóm 2", "11 - 50", 3,
                  None])
    sheet.append(["Tổng cộng", None, None, None, None, None, 3.5])
    data = io.BytesIO()
    book.save(data)
    assert cat.import_xlsx(officer(unit), draft, io.BytesIO(data.getvalue())) == 2
    first, second = draft.products.order_by(Product.position)
    assert (first.section, first.code, first.output, first.coefficient,
            first.job_position) == ("Văn thư, lưu trữ", "VP01", "Sổ công văn", D("0.5"),
                                    "Văn phòng - Thống kê")
    assert (second.name, second.complexity_group, second.points_max, second.coefficient,
            second.job_position) == ("Lập hồ sơ lưu trữ hằng năm", 2, D(50), D(3), None)


def test_the_commune_export_reads_back_the_same_catalogue(unit, draft):
    cat.import_xlsx(officer(unit), draft, books.nghia_lam())
    decided(unit, draft)
    out = io.BytesIO()
    cat.export_xlsx(draft, out, "commune")
    sheet = openpyxl.load_workbook(io.BytesIO(out.getvalue())).active
    assert sheet["A3"].value == "Kèm theo Quyết định số 283/QĐ-UBND ngày 31/05/2026"
    assert sheet["A4"].value == ("Đơn vị sản phẩm/công việc chuẩn: Soạn thảo văn bản hành "
                                 "chính đơn giản, 5 điểm, hệ số 1")
    following = cat.set_standard(officer(unit), cat.open_catalogue(officer(unit), unit, 2027),
                                 *STANDARD)
    assert cat.import_xlsx(officer(unit), following, io.BytesIO(out.getvalue())) == 11

    def fields(catalogue):
        return sorted((p.section, p.code, p.task, p.name, p.output, p.complexity_group,
                       p.points_min, p.points_max, p.points, p.coefficient, p.job_position)
                      for p in catalogue.products)
    assert fields(following) == fields(draft)


# --- canbo catalogue -----------------------------------------------------------------------


def test_the_command_line_imports_shows_decides_exports_and_supplements(run, unit, tmp_path):
    source = tmp_path / "qd-283.xlsx"
    source.write_bytes(books.nghia_lam().getvalue())
    done = run("catalogue", "import", str(source), "--unit", "NL", "--year", "2026",
               "--standard", STANDARD[0], "--standard-points", "5")
    assert done.exit_code == 0, done.output
    assert done.output.splitlines() == [
        "Đã nhập 11 sản phẩm vào danh mục năm 2026 của UBND xã Nghĩa Lâm (dự thảo).",
        "Bỏ qua trang «PL I - Tiêu chí chung»: không có bảng sản phẩm."]
    shown = run("catalogue", "show", "--unit", "NL", "--year", "2026").output.splitlines()
    assert shown[:3] == ["Danh mục sản phẩm năm 2026 — UBND xã Nghĩa Lâm (NL)",
                         "Dự thảo (chưa phê duyệt)",
                         "Sản phẩm chuẩn: Soạn thảo văn bản hành chính đơn giản, 5 điểm, hệ số 1"]
    assert "[PL III - Nhiệm vụ chung – Công tác văn bản]" in shown
    assert ("  N2 NVC02   Soạn thảo báo cáo định kỳ · khung 11-50 điểm 12 hệ số 2,4"
            in shown) and shown[-1] == "11 sản phẩm."
    decide = run("catalogue", "decide", "--unit", "NL", "--year", "2026", "--number",
                 "283/QĐ-UBND", "--date", "31/05/2026")
    assert decide.output.strip() == ("Đã ghi Quyết định số 283/QĐ-UBND ngày 31/05/2026; "
                                     "danh mục năm 2026 đã khóa.")
    addition = tmp_path / "bo-sung.xlsx"
    addition.write_bytes(books.simple([("N2", "Báo cáo chuyển đổi số", "11-50", 3)]).getvalue())
    more = run("catalogue", "supplement", str(addition), "--unit", "NL", "--year", "2026",
               "--number", "45/QĐ-UBND", "--date", "20/06/2026", "--from", "01/07/2026")
    assert more.output.strip() == ("Đã bổ sung 1 sản phẩm theo Quyết định số 45/QĐ-UBND, "
                                   "áp dụng từ 01/07/2026.")
    shown = run("catalogue", "show", "--unit", "NL", "--year", "2026").output
    assert "Quyết định số 283/QĐ-UBND ngày 31/05/2026 (ghi bởi cli)" in shown
    assert "Bổ sung: Quyết định số 45/QĐ-UBND ngày 20/06/2026, áp dụng từ 01/07/2026" in shown
    assert "[bổ sung 45/QĐ-UBND, từ 01/07/2026]" in shown and "12 sản phẩm." in shown
    target = tmp_path / "out.xlsx"
    exported = run("catalogue", "export", "--unit", "NL", "--year", "2026", "-o", str(target))
    assert exported.output.strip() == f"Đã xuất 12 sản phẩm vào {target}"
    sheet = openpyxl.load_workbook(target).active
    assert [c.value for c in sheet[5]][:9] == ["STT", "Mã CV", "Nhiệm vụ", "Công việc chi "
                                               "tiết", "Sản phẩm đầu ra", "Nhóm", "Khung "
                                               "điểm", "Điểm chấm", "Hệ số quy đổi"]
    last = [c.value for c in sheet[sheet.max_row]]
    assert last[3] == "Báo cáo chuyển đổi số" and last[-2:] == ["45/QĐ-UBND", "01/07/2026"]


@pytest.mark.parametrize("args,message", [
    (["show", "--unit", "NL", "--year", "2026"], "chưa có danh mục sản phẩm năm 2026"),
    (["decide", "--unit", "NL", "--year", "2026", "--number", "1", "--date", "31/02/2026"],
     "Ngày «31/02/2026»"),
    (["import", "BAD", "--unit", "NL", "--year", "2026", "--standard", "Công văn",
      "--standard-points", "5"], "Trang «PL IV - Phòng Kinh tế», "
                                                          "dòng 9, cột G («Khung điểm»)"),
    (["export", "--unit", "NOPE", "--year", "2026", "-o", "x.xlsx"], "Không có đơn vị mã"),
])
def test_command_line_errors_are_one_vietnamese_line_and_status_2(run, unit, tmp_path, args,
                                                                    message):
    if "BAD" in args:
        bad = tmp_path / "bad.xlsx"
        bad.write_bytes(books.nghia_lam(_break).getvalue())
        args = [str(bad) if a == "BAD" else a for a in args]
    result = run("catalogue", *args)
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("Lỗi: ") and message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_failed_command_line_import_leaves_no_catalogue(run, unit, tmp_path):
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(books.nghia_lam(_break).getvalue())
    run("catalogue", "import", str(bad), "--unit", "NL", "--year", "2026", "--standard",
        STANDARD[0], "--standard-points", "5")
    assert Catalogue.select().count() == 0


# --- the panel -------------------------------------------------------------------------------


PANEL_ROLES = {"ADMIN": "quantri", "OFFICER": "canbo", "CHAIRMAN": "chutich", "VIEWER": "xem",
               "STAFF": "kt13", "OFFICER_B": "canbo_b", None: None}


@pytest.fixture
def kimtan(accounts, without_demo_2026):
    """Kim Tân's 2026 draft with the standard product and two products, and a civil
    servant's account (KT13)."""
    unit = Unit.get(Unit.code == "KIMTAN")
    c = cat.open_catalogue(accounts["OFFICER"], unit, YEAR)
    cat.set_standard(accounts["OFFICER"], c, *STANDARD)
    first = cat.add_product(accounts["OFFICER"], c, 1, STANDARD[0], points=5, range="1-10",
                            section="Nhiệm vụ chung", code="NVC01")
    cat.add_product(accounts["OFFICER"], c, 2, "Báo cáo <b>chuyên đề</b>", points=20,
                    range="11-50", section="Phòng Kinh tế")
    users.create_user("kt13", PASSWORD, "STAFF", unit,
                      staff=Staff.get(Staff.code == "KT13"))
    return {"unit": unit, "catalogue": c, "product": first}


def client_of(app, username):
    client = app.test_client()
    if username:
        assert log_in(client, username).status_code == 302
    return client


def post(client, url, data=None, **fields):
    return client.post(url, data={"csrf_token": csrf_token(client), **(data or {}),
                                  **fields}, content_type="multipart/form-data")


def test_every_catalogue_screen_answers_each_role(app, kimtan):
    c, p = kimtan["catalogue"].id, kimtan["product"].id
    ours = {"ADMIN": 200, "OFFICER": 200, "CHAIRMAN": 200, "VIEWER": 200, "STAFF": 200,
            "OFFICER_B": 404}
    table = {
        "/admin/catalogue/": dict(ours, OFFICER_B=200),
        "/admin/catalogue/?unit=XB": dict(ours, ADMIN=200, OFFICER=404, CHAIRMAN=404,
                                          VIEWER=404, STAFF=404, OFFICER_B=200),
        f"/admin/catalogue/{c}": ours,
        f"/admin/catalogue/{c}/product/{p}": ours,
        f"/admin/catalogue/{c}/export.xlsx": ours,
        f"/admin/catalogue/{c}/product/999999": dict.fromkeys(ours, 404),
    }
    got, want = {}, {}
    for role, username in PANEL_ROLES.items():
        client = client_of(app, username)
        for url, statuses in table.items():
            got[(url, role)] = client.get(url).status_code
            want[(url, role)] = 302 if role is None else statuses[role]
    assert got == want


@pytest.mark.parametrize("action,fields,allowed", [
    ("add", {"name": "Tờ trình", "group": "1", "coefficient": "1"}, {"ADMIN", "OFFICER"}),
    ("standard", {"standard_product": "Công văn", "standard_points": "4"},
     {"ADMIN", "OFFICER"}),
    ("decide", {"number": "15/QĐ-UBND", "date": "20/01/2026"}, {"ADMIN", "CHAIRMAN"}),
])
def test_each_change_in_the_panel_is_for_its_roles(app, kimtan, action, fields, allowed):
    url = f"/admin/catalogue/{kimtan['catalogue'].id}"
    got = {}
    for role, username in PANEL_ROLES.items():
        if role is None:
            continue
        client = client_of(app, username)
        mine = dict(fields, name=f"{fields['name']} {role}") if "name" in fields else fields
        got[role] = post(client, url, action=action, **mine).status_code
        Catalogue.update(decision_number=None, decision_date=None).execute()  # a draft again
    assert {r for r, status in got.items() if status == 302} == allowed
    assert {r: s for r, s in got.items() if r not in allowed} == {
        r: (404 if r == "OFFICER_B" else 403) for r in PANEL_ROLES if r and r not in allowed}
    assert kimtan["catalogue"].products.count() == 2 + ("add" == action) * len(allowed)


def test_the_catalogue_page_shows_products_by_section_and_group_escaped(app, kimtan):
    html = client_of(app, "xem").get(
        f"/admin/catalogue/{kimtan['catalogue'].id}").get_data(as_text=True)
    assert html.index("Nhiệm vụ chung") < html.index("Phòng Kinh tế")
    assert "Báo cáo &lt;b&gt;chuyên đề&lt;/b&gt;" in html and "<b>chuyên đề</b>" not in html
    assert "Đơn vị sản phẩm/công việc chuẩn: <strong>Soạn thảo văn bản hành chính đơn " \
           "giản</strong>, 5 điểm, hệ số 1" in html
    assert "Nhóm N2" in html and "11-50" in html and ">4<" in html  # 20 ÷ 5
    # the viewer reads; no form to change anything
    assert 'name="action"' not in html


def test_the_officer_builds_the_catalogue_and_the_chairman_decides(app, kimtan):
    officer_client = client_of(app, "canbo")
    listing = officer_client.get("/admin/catalogue/").get_data(as_text=True)
    assert "Năm 2026" in listing and "Dự thảo" in listing
    made = post(officer_client, "/admin/catalogue/", year="2027", unit="KIMTAN")
    following = Catalogue.get(Catalogue.year == 2027)
    assert made.headers["Location"].endswith(f"/admin/catalogue/{following.id}")
    url = f"/admin/catalogue/{following.id}"
    post(officer_client, url, action="standard", standard_product=STANDARD[0],
         standard_points="5")
    page = post(officer_client, url, {"file": (books.nghia_lam(_break), "qd.xlsx")},
                action="import")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Tệp có 4 lỗi — chưa ghi gì" in html
    assert "Trang «PL IV - Phòng Kinh tế», dòng 9, cột G («Khung điểm»)" in html
    assert following.products.count() == 0
    done = post(officer_client, url, {"file": (books.nghia_lam(), "qd.xlsx")},
                action="import")
    assert done.status_code == 302 and following.products.count() == 11
    html = officer_client.get(url).get_data(as_text=True)
    assert "Đã nhập 11 sản phẩm. Bỏ qua trang «PL I - Tiêu chí chung»" in html
    bad = post(officer_client, url, action="add", name="Tờ trình", group="2",
               range="11-50", points="70")
    assert "điểm chấm 70 nằm ngoài khung điểm 11-50" in bad.get_data(as_text=True)
    assert 'value="Tờ trình"' in bad.get_data(as_text=True)  # kept to be corrected
    post(officer_client, url, action="add", name="Tờ trình", group="2", range="11-50",
         points="15", section="Văn phòng")
    added = Product.get(Product.catalogue == following, Product.name == "Tờ trình")
    assert added.coefficient == 3
    edit = f"{url}/product/{added.id}"
    post(officer_client, edit, action="save", name="Tờ trình UBND", group="2", range="11-50",
         points="20", section="Văn phòng")
    assert Product.get_by_id(added.id).coefficient == 4
    assert post(chair := client_of(app, "chutich"), url, action="add", name="X", group="1",
                coefficient="1").status_code == 403
    post(chair, url, action="decide", number="283/QĐ-UBND", date="31/05/2027")
    assert Catalogue.get_by_id(following.id).locked
    html = officer_client.get(edit).get_data(as_text=True)
    assert "sản phẩm không sửa, không xóa được" in html and 'value="delete"' not in html
    refused = post(officer_client, edit, action="delete")
    assert "không sửa được" in refused.get_data(as_text=True)
    assert Product.get_or_none(Product.id == added.id) is not None
    post(chair, url, action="supplement", number="45/QĐ-UBND", decided_on="20/06/2027",
         applies_from="01/07/2027", **{"new-name": "Báo cáo chuyển đổi số",
                                       "new-group": "2", "new-points": "15",
                                       "new-range": "11-50"})
    html = officer_client.get(url).get_data(as_text=True)
    assert "Bổ sung 45/QĐ-UBND · từ 01/07/2027" in html and "283/QĐ-UBND · cả năm 2027" in html
    download = officer_client.get(f"{url}/export.xlsx")
    assert "danh-muc-san-pham-KIMTAN-2027.xlsx" in download.headers["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(download.data)).active
    assert sheet.max_row == 5 + 13 + 7  # titles, header, 13 products, 7 sections


def test_an_upload_too_large_is_refused(app, kimtan, monkeypatch):
    from admin_views import catalogue as view
    monkeypatch.setattr(view, "MAX_UPLOAD_BYTES", 1000)
    client = client_of(app, "canbo")
    url = f"/admin/catalogue/{kimtan['catalogue'].id}"
    html = post(client, url, {"file": (books.nghia_lam(), "qd.xlsx")}, action="import")
    assert "Tệp «qd.xlsx» lớn hơn" in html.get_data(as_text=True)
    assert kimtan["catalogue"].products.count() == 2


def test_the_catalogue_page_reads_in_a_fixed_number_of_queries(app, kimtan):
    client = client_of(app, "canbo")
    url = f"/admin/catalogue/{kimtan['catalogue'].id}"
    counts = []
    for more in (0, 20):
        for i in range(more):
            cat.add_product(users.operator(), kimtan["catalogue"], 1 + i % 5, f"Việc {i}",
                            coefficient=1, section=f"Phần {i % 3}")
        with count_queries() as counter:
            assert client.get(url).status_code == 200
        counts.append(counter.count)
    assert counts[0] == counts[1]


def test_an_upload_is_refused_before_it_is_read_to_whoever_may_not_make_it(app, kimtan):
    url = f"/admin/catalogue/{kimtan['catalogue'].id}"
    for username in ("chutich", "xem", "kt13"):
        client = client_of(app, username)
        assert post(client, url, {"file": (books.nghia_lam(_break), "qd.xlsx")},
                    action="import").status_code == 403
    officer_client = client_of(app, "canbo")
    refused = post(officer_client, url, {"file": (books.nghia_lam(), "qd.xlsx")},
                   action="supplement", number="45/QĐ-UBND", decided_on="20/06/2026",
                   applies_from="01/07/2026")
    assert refused.status_code == 403
    html = post(client_of(app, "chutich"), url, action="supplement", number="45/QĐ-UBND",
                decided_on="20/06/2026", applies_from="01/07/2026").get_data(as_text=True)
    assert "chưa được phê duyệt: hãy thêm sản phẩm trực tiếp vào dự thảo" in html
