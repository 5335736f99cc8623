import datetime
import decimal
import io
import re

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import fuzzing
from canbo.errors import Forbidden, InvalidInput
from canbo.models import AuditLog, Department, Qualification, Rating, Staff, Title, Unit
from canbo.records import users
from canbo.spreadsheets import exporter, importer
from canbo.spreadsheets import workbook as spreadsheets
from fuzzing import examples

TODAY = datetime.date(2026, 11, 27)
STAFF_HEADERS = ["Mã", "Họ và tên", "Ngày sinh", "Giới tính", "Loại", "Chức vụ, chức danh",
                 "Phòng ban", "Trình độ chuyên môn", "Chuyên ngành", "Lý luận chính trị",
                 "Quản lý nhà nước", "Đảng viên", "Ngày vào làm", "Ngày nghỉ", "Lý do nghỉ"]
HUNG = ["X01", "Nguyễn Văn Hùng", datetime.datetime(1980, 1, 2), "Nam", "Công chức",
        "Văn phòng - thống kê", "Phòng Kinh tế", "Đại học", "Luật", "Trung cấp", "Chuyên viên",
        "x", "01/02/2010", None, None]
LAN = ["X02", "Lê Thị Lan", "15/06/1985", "nữ", "khong chuyen trach", None, None, "Thạc sỹ",
       None, "SC", None, None, "2012-03-01", "31/03/2023", "Nghỉ hưu"]


def book(*sheets):
    """XLSX bytes written by openpyxl: ``(name, rows)`` per sheet."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets:
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(list(row))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


OPERATOR = users.operator("test")  # the command line's actor: every unit, may create units


def run_import(data, name="ds.xlsx", **options):
    options.setdefault("today", TODAY)
    options.setdefault("actor", OPERATOR)
    return importer.import_workbook(spreadsheets.read(data, name), **options)


def counts():
    return tuple(m.select().count() for m in (Unit, Staff, Qualification, Rating, AuditLog,
                                              Title, Department))


@pytest.fixture
def unit(db):
    return Unit.create(code="XA", name="UBND xã Mẫu", place_name="Mẫu")


def test_staff_sheet_creates_people_with_their_history(unit):
    result = run_import(book(("Cán bộ", [STAFF_HEADERS, HUNG, LAN])))
    assert not result.problems and result.written
    assert result.counts["staff_created"] == 2
    hung = Staff.get(Staff.code == "X01")
    assert (hung.full_name, hung.birth_date, hung.gender, hung.kind, hung.party_member) == (
        "Nguyễn Văn Hùng", datetime.date(1980, 1, 2), "M", "CIVIL_SERVANT", True)
    assert hung.title.name == "Văn phòng – thống kê"  # the seeded title, whatever the dash
    assert hung.department.name == "Phòng Kinh tế" and hung.joined_on == datetime.date(2010, 2, 1)
    assert {(q.kind, q.level, q.major) for q in hung.qualifications} == {
        ("EDUCATION", "DH", "Luật"), ("POLITICAL_THEORY", "TC", None),
        ("STATE_MANAGEMENT", "CV", None)}
    lan = Staff.get(Staff.code == "X02")
    assert (lan.kind, lan.gender, lan.left_on, lan.left_reason) == (
        "PART_TIME", "F", datetime.date(2023, 3, 31), "Nghỉ hưu")
    assert {q.level for q in lan.qualifications} == {"THS", "SC"}
    assert AuditLog.select().where(AuditLog.table_name == "staff").count() == 2


def test_english_headers_in_any_order(unit):
    rows = [["kind", "Name", "Code", "Date of birth", "Unknown thing"],
            ["Cán bộ", "Trần Đức Thắng", "X09", "02/08/1975", "?"]]
    result = run_import(book(("Sheet1", rows)))
    assert not result.problems
    assert Staff.get(Staff.code == "X09").full_name == "Trần Đức Thắng"
    assert any("«Unknown thing»" in w for w in result.warnings)


def test_second_import_changes_nothing(unit):
    data = book(("Cán bộ", [STAFF_HEADERS, HUNG, LAN]),
                ("Xếp loại", [["Mã", "Năm", "Xếp loại", "Điểm"], ["X01", 2024, "HTTNV", "85,5"]]))
    first = run_import(data)
    assert first.counts["ratings_created"] == 1
    before = counts()
    again = run_import(data)
    assert counts() == before
    assert again.counts["staff_unchanged"] == 2 and again.counts["ratings_unchanged"] == 1
    assert again.counts["qualifications_created"] == 0


def test_a_changed_value_updates_only_that_person(unit):
    run_import(book(("Cán bộ", [STAFF_HEADERS, HUNG, LAN])))
    changed = HUNG[:]
    changed[1] = "Nguyễn Văn Hưng"
    result = run_import(book(("Cán bộ", [STAFF_HEADERS, changed, LAN])))
    assert (result.counts["staff_updated"], result.counts["staff_unchanged"]) == (1, 1)
    hung = Staff.get(Staff.code == "X01")
    assert (hung.full_name, hung.search_name) == ("Nguyễn Văn Hưng", "nguyen van hung")
    log = AuditLog.select().where(AuditLog.action == "import_update").get()
    assert "Nguyễn Văn Hưng" in log.changes


@pytest.mark.parametrize("column,value,words", [
    ("Ngày sinh", "31/02/1980", "dd/mm/yyyy"),
    ("Ngày sinh", "1980", "dd/mm/yyyy"),
    ("Loại", "Bảo vệ", "Công chức"),
    ("Giới tính", "Khác", "Nữ"),
    ("Đảng viên", "có lẽ", "để trống"),
    ("Trình độ chuyên môn", "Tiến sĩ khoa học", "Đại học"),
    ("Họ và tên", None, "bắt buộc"),
    ("Ngày nghỉ", "01/01/2005", "sau ngày vào làm"),
])
def test_one_bad_value_refuses_the_whole_file_and_says_what_is_allowed(
        unit, column, value, words):
    bad = HUNG[:]
    bad[STAFF_HEADERS.index(column)] = value
    before = counts()
    result = run_import(book(("Cán bộ", [STAFF_HEADERS, LAN, bad])))
    assert counts() == before and not result.written
    [problem] = result.problems
    assert (problem.sheet, problem.row, problem.column) == ("Cán bộ", 3, column)
    assert words in problem.message
    line = result.problem_lines()[1]
    assert "dòng 3" in line and f"«{column}»" in line


@pytest.mark.parametrize("changes, column, words", [
    ({"Ngày nghỉ": "01/02/2010", "Lý do nghỉ": "Nghỉ việc"}, "Ngày nghỉ",
     "phải sau ngày vào làm (01/02/2010)"),     # left on the day of joining: no day in post
    ({"Ngày vào làm": "01/01/1979"}, "Ngày vào làm", "phải sau ngày sinh (02/01/1980)"),
    ({"Ngày sinh": "01/01/1899"}, "Ngày sinh", "từ năm 1900"),
    ({"Ngày nghỉ": "31/03/2023"}, "Lý do nghỉ", "lý do nghỉ / chuyển công tác cùng với ngày"),
    ({"Lý do nghỉ": "Nghỉ hưu"}, "Lý do nghỉ", "thiếu ngày nghỉ"),
])
def test_impossible_dates_are_refused_as_the_panel_refuses_them(unit, changes, column, words):
    bad = HUNG[:]
    for header, value in changes.items():
        bad[STAFF_HEADERS.index(header)] = value
    [problem] = run_import(book(("Cán bộ", [STAFF_HEADERS, bad]))).problems
    assert problem.column == column and words in problem.message


def test_a_leaving_date_without_a_reason_column_is_kept(unit):
    headers = STAFF_HEADERS[:-1]  # no "Lý do nghỉ": the reason is not being set
    row = HUNG[:-1]
    row[headers.index("Ngày nghỉ")] = "31/03/2023"
    result = run_import(book(("Cán bộ", [headers, row])))
    assert not result.problems
    assert Staff.get(Staff.code == "X01").left_on == datetime.date(2023, 3, 31)


def test_skip_invalid_writes_the_valid_rows_and_reports_the_rest(unit):
    bad = HUNG[:]
    bad[4] = "Bảo vệ"
    result = run_import(book(("Cán bộ", [STAFF_HEADERS, bad, LAN])), skip_invalid=True)
    assert result.written and result.refused
    assert [s.code for s in Staff.select()] == ["X02"]
    assert result.counts["rows_refused"] == 1


def test_dry_run_counts_but_writes_nothing(unit):
    before = counts()
    result = run_import(book(("Cán bộ", [STAFF_HEADERS, HUNG, LAN])), dry_run=True)
    assert result.counts["staff_created"] == 2 and not result.written
    assert counts() == before
    assert result.summary()[0].startswith("Sẽ ghi")


@pytest.mark.parametrize("label,code,original", [
    ("HTXSNV", "HTXSNV", None),
    ("htxsnv", "HTXSNV", None),
    ("Hoàn thành xuất sắc nhiệm vụ", "HTXSNV", None),
    ("hoan thanh xuat sac nhiem vu", "HTXSNV", None),
    ("Hoàn thành suất sắc nhiệm vụ", "HTXSNV", None),
    ("HOÀN THÀNH TỐT NHIỆM VỤ", "HTTNV", None),
    ("Không hoàn thành nhiệm vụ", "KHTNV", None),
    ("Hoàn thành nhiệm vụ nhưng còn hạn chế về năng lực", "HTNV",
     "Hoàn thành nhiệm vụ nhưng còn hạn chế về năng lực"),
])
def test_rating_levels_by_code_or_label(demo_db, label, code, original):
    result = run_import(book(("Xếp loại", [["Mã", "Năm", "Xếp loại"], ["KT01", 2018, label]])))
    assert not result.problems
    rating = Rating.get(Rating.year == 2018)
    assert (rating.level, rating.original_label) == (code, original)


@pytest.mark.parametrize("year,rule_set", [(2018, "ND56_2015"), (2021, "ND90_2020"),
                                           (2024, "ND90_ND48_2023")])
def test_past_ratings_are_approved_history_under_their_years_rules(demo_db, year, rule_set):
    rows = [["Mã", "Năm", "Xếp loại", "Điểm", "Ghi chú"], ["KT12", year, "HTTNV", 88, "Lưu trữ"]]
    result = run_import(book(("Xếp loại", rows)))
    if year == 2021:  # the demo already holds 2021: the same level, so only points and note
        assert result.counts["ratings_updated"] == 1
    rating = Rating.get(Rating.year == year, Rating.staff == Staff.get(Staff.code == "KT12"))
    assert (rating.status, rating.rule_set, rating.level) == ("APPROVED", rule_set, "HTTNV")
    assert rating.points == decimal.Decimal("88") and rating.note == "Lưu trữ"
    assert rating.unit.code == "KIMTAN"


def test_current_year_is_refused(demo_db):
    rows = [["Mã", "Năm", "Xếp loại"], ["KT01", 2026, "HTXSNV"], ["KT01", 1999, "HTXSNV"]]
    result = run_import(book(("Xếp loại", rows)))
    assert [(p.row, p.column) for p in result.problems] == [(2, "Năm"), (3, "Năm")]
    assert "quy trình đánh giá" in result.problems[0].message


def test_a_rating_in_the_workflow_is_not_overwritten(demo_db):
    kt01 = Staff.get(Staff.code == "KT01")
    Rating.create(staff=kt01, unit=kt01.unit, year=2025, rule_set="ND90_ND48_2023",
                  status="OPEN")
    result = run_import(book(("Xếp loại", [["Mã", "Năm", "Xếp loại"], ["KT01", 2025, "HTNV"]])))
    assert "quy trình" in result.problems[0].message
    assert Rating.get(Rating.staff == kt01, Rating.year == 2025).level is None


def test_a_year_with_a_cycle_is_not_imported_past_its_quota_check(demo_db):
    # Issue 16: every approval goes through the cycle's quota check; an imported
    # "approved" HTXSNV of a cycle's year would not.
    from canbo.models import Cycle

    kimtan = Unit.get(Unit.code == "KIMTAN")
    Cycle.create(unit=kimtan, year=2024, deadline=datetime.date(2024, 12, 15), opened_by="canbo")
    rows = [["Mã", "Năm", "Xếp loại"], ["KT12", 2024, "HTXSNV"], ["KT12", 2018, "HTTNV"]]
    result = run_import(book(("Xếp loại", rows)))
    assert [(p.row, p.column) for p in result.problems] == [(2, "Năm")]
    assert "đã mở kỳ đánh giá năm này" in result.problems[0].message
    assert not Rating.select().where(Rating.year == 2024,
                                     Rating.staff == Staff.get(Staff.code == "KT12")).exists()


def test_unknown_staff_in_a_ratings_sheet(demo_db):
    result = run_import(book(("Xếp loại", [["Mã", "Năm", "Xếp loại"], ["ZZ9", 2020, "HTNV"]])))
    assert result.problems[0].column == "Mã" and "không có cán bộ" in result.problems[0].message


def test_units_are_created_only_when_asked(db):
    Unit.create(code="A", name="UBND xã A", place_name="A")
    Unit.create(code="B", name="UBND xã B", place_name="B")
    rows = [STAFF_HEADERS[:5] + ["Đơn vị"], HUNG[:5] + ["UBND xã Kim Tân"]]
    refused = run_import(book(("Cán bộ", rows)))
    assert refused.problems[0].column == "Đơn vị" and "--create-units" in refused.problems[0].message
    done = run_import(book(("Cán bộ", rows)), create_units=True)
    assert done.counts["units_created"] == 1
    created = Unit.get(Unit.name == "UBND xã Kim Tân")
    assert created.place_name == "Kim Tân"
    assert Staff.get(Staff.code == "X01").unit == created
    assert run_import(book(("Cán bộ", rows))).counts["staff_unchanged"] == 1


def test_only_an_admin_has_an_import_create_units(db):
    a = Unit.create(code="A", name="UBND xã A", place_name="A")
    Unit.create(code="B", name="UBND xã B", place_name="B")
    rows = [STAFF_HEADERS[:5] + ["Đơn vị"], HUNG[:5] + ["UBND xã Kim Tân"]]
    officer = users.create_user("canbo", "matkhau-123", "OFFICER", a)
    assert not importer.may_create_units(officer) and importer.may_create_units(OPERATOR)
    with pytest.raises(Forbidden, match="không được tạo đơn vị mới khi nhập tệp; chỉ: "
                                        "Quản trị hệ thống"):
        run_import(book(("Cán bộ", rows)), create_units=True, actor=officer)
    assert not Unit.select().where(Unit.name == "UBND xã Kim Tân").exists()
    # and the officer's rows stay within the officer's units
    into_b = [rows[0], HUNG[:5] + ["B"]]
    refused = run_import(book(("Cán bộ", into_b)), actor=officer)
    assert "ngoài phạm vi" in refused.problems[0].message
    admin = users.create_user("quantri", "matkhau-123", "ADMIN")
    assert run_import(book(("Cán bộ", rows)), create_units=True,
                      actor=admin).counts["units_created"] == 1
    assert AuditLog.select().where(AuditLog.actor == "quantri",
                                   AuditLog.action == "import_create").exists()


def test_an_officers_import_adds_titles_of_their_unit_not_shared_ones(db):
    # Issue 16: the shared list is the admin's; an officer's new title is their unit's.
    a = Unit.create(code="A", name="UBND xã A", place_name="A")
    b = Unit.create(code="B", name="UBND xã B", place_name="B")
    officer = users.create_user("canbo", "matkhau-123", "OFFICER", a)
    rows = [STAFF_HEADERS[:6] + ["Đơn vị"], HUNG[:5] + ["Cán bộ một cửa", "A"]]
    assert run_import(book(("Cán bộ", rows)), actor=officer).counts["titles_created"] == 1
    assert Title.get(Title.name == "Cán bộ một cửa").unit_id == a.id
    officer_b = users.create_user("canbo_b", "matkhau-123", "OFFICER", b)
    theirs = [rows[0], ["B01"] + HUNG[1:5] + ["Cán bộ một cửa", "B"]]
    refused = run_import(book(("Cán bộ", theirs)), actor=officer_b)
    assert "danh mục riêng của đơn vị khác" in refused.problems[0].message
    assert refused.problems[0].column == "Chức vụ, chức danh"
    assert not Staff.select().where(Staff.code == "B01").exists()
    shared = [rows[0], ["B02"] + HUNG[1:5] + ["Chức danh chung", "B"]]
    run_import(book(("Cán bộ", shared)))  # the command line, every unit: shared
    assert Title.get(Title.name == "Chức danh chung").unit_id is None


def test_without_a_unit_column_and_many_units_the_unit_is_asked_for(db):
    Unit.create(code="A", name="UBND xã A", place_name="A")
    b = Unit.create(code="B", name="UBND xã B", place_name="B")
    data = book(("Cán bộ", [STAFF_HEADERS, HUNG]))
    assert "--unit" in run_import(data).problems[0].message
    assert not run_import(data, unit=b).problems
    assert Staff.get(Staff.code == "X01").unit == b


def test_legacy_tcvn3_sheet_is_imported_as_unicode(unit):
    rows = [STAFF_HEADERS[:5], ["X05", "NguyÔn V¨n Hïng", "02/01/1980", "Nam", "C«ng chøc"]]
    result = run_import(book(("Cán bộ", rows)))
    assert result.encoding == "tcvn3" and not result.problems
    assert Staff.get(Staff.code == "X05").full_name == "Nguyễn Văn Hùng"


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_exported_staff_file_imports_back_unchanged(demo_db, tmp_path, fmt):
    path = tmp_path / f"staff.{fmt}"
    exporter.export([exporter.staff_table(Unit.get())], path)
    before = counts()
    result = importer.import_file(path, today=TODAY, actor=OPERATOR)
    assert not result.problems, result.problem_lines()
    assert result.counts["staff_unchanged"] == 21 and counts() == before  # KT22 too


def test_exported_ratings_import_back_unchanged(demo_db, tmp_path):
    path = tmp_path / "ratings.xlsx"
    exporter.export([exporter.ratings_table(Unit.get(), 2022)], path)
    before = counts()
    result = importer.import_file(path, today=TODAY, actor=OPERATOR)
    assert result.counts["ratings_unchanged"] == 20 and counts() == before


def test_staff_export_is_in_vietnamese_name_order(demo_db):
    names = [row[1] for row in exporter.staff_table(Unit.get()).rows]
    assert names[:3] == ["Đỗ Thị Ánh", "Nguyễn Thị Ngọc Ánh", "Mạc Thị Ân"]  # a before â
    assert names[-1] == "Cao Thị Yến"


def test_staff_export_shows_the_highest_level_held_and_its_major(demo_db):
    # KT18 holds Trung cấp, then Đại học (Luật) from 20/06/2024: the list's filter and the
    # export both take the highest (Qualification.highest), the report the one on its date.
    table = exporter.staff_table(Unit.get())
    kt18 = dict(zip(table.headers, next(r for r in table.rows if r[0] == "KT18")))
    assert (kt18["Trình độ chuyên môn"], kt18["Chuyên ngành"]) == ("Đại học", "Luật")
    kt15 = dict(zip(table.headers, next(r for r in table.rows if r[0] == "KT15")))
    assert kt15["Trình độ chuyên môn"] == "Trung cấp"


def test_report_tables_carry_percent_numbers(demo_db):
    table = exporter.ratings_report_table(Unit.get(), 2022)
    assert table.rows[0] == ["Hoàn thành xuất sắc nhiệm vụ", "HTXSNV", 14, 70.0]
    assert table.rows[-1] == ["Tổng số", "", 20, 100.0] and table.formats == {3: "percent"}
    quals = exporter.qualification_report_table(Unit.get(), datetime.date(2023, 6, 30))
    assert ["Trình độ chuyên môn", "Đại học", "DH", 15, 83.3] in quals.rows


def test_a_template_imports_as_nothing_to_do(unit, tmp_path):
    path = tmp_path / "mau.xlsx"
    exporter.export(exporter.template_tables("staff"), path)
    result = importer.import_file(path, today=TODAY, actor=OPERATOR)
    assert not result.problems and not result.warnings and result.counts["staff_created"] == 0


# --- the command line -----------------------------------------------------------------


def test_cli_import_and_exit_status(run, tmp_path):
    run("demo")
    good = tmp_path / "good.xlsx"
    good.write_bytes(book(("Xếp loại", [["Mã", "Năm", "Xếp loại"], ["KT01", 2019, "HTXSNV"]])))
    dry = run("import", str(good), "--dry-run")
    assert dry.exit_code == 0 and "Sẽ ghi" in dry.output
    assert Rating.select().where(Rating.year == 2019).count() == 0
    done = run("import", str(good))
    assert done.exit_code == 0 and "xếp loại thêm mới 1" in done.output
    bad = tmp_path / "bad.csv"
    bad.write_text("Mã;Năm;Xếp loại\nKT01;2018;Giỏi\nKT02;2018;HTNV\n", encoding="utf-8")
    refused = run("import", str(bad))
    assert refused.exit_code == 2 and "dòng 2" in refused.output and "«Giỏi»" in refused.output
    assert Rating.select().where(Rating.year == 2018).count() == 0
    skipped = run("import", str(bad), "--skip-invalid")
    assert skipped.exit_code == 2 and Rating.select().where(Rating.year == 2018).count() == 1


@pytest.mark.parametrize("args,sheet,first", [
    (["export", "staff"], "Cán bộ", "Mã"),
    (["export", "ratings", "--year", "2022"], "Xếp loại", "Mã"),
    (["export", "report-ratings", "--year", "2022"], "Xếp loại 2022", "Mức xếp loại"),
    (["export", "report-qualifications", "--at", "2023-06-30"], "Trình độ 30-06-2023", "Nhóm"),
    (["template", "staff"], "Cán bộ", "Mã"),
    (["template", "ratings"], "Xếp loại", "Mã"),
])
def test_cli_exports(run, tmp_path, args, sheet, first):
    run("demo")
    path = tmp_path / "out.xlsx"
    result = run(*args, "-o", str(path))
    assert result.exit_code == 0, result.output
    ws = openpyxl.load_workbook(path)[sheet]
    assert ws["A1"].value == first and ws.freeze_panes == "A2"
    csv_path = tmp_path / "out.csv"
    assert run(*args, "-o", str(csv_path)).exit_code == 0
    assert csv_path.read_bytes().startswith(b"\xef\xbb\xbf")


def test_cli_missing_report_data_is_one_line(run, tmp_path):
    run("demo")
    result = run("export", "report-ratings", "--year", "2010", "-o", str(tmp_path / "x.xlsx"))
    assert result.exit_code == 2 and "2010" in result.output


# --- fuzzing: never a crash, never half a file ----------------------------------------

TEXT = st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=12)
CELLS = st.one_of(st.none(), TEXT, st.integers(-5, 3_000_000),
                  st.floats(allow_nan=True, allow_infinity=True),
                  st.sampled_from(["31/02/1980", "12/03/1972", "Cán bộ", "Công chức", "Nam",
                                   "x", "Đại học", "HTXSNV", "2021", "NguyÔn V¨n Hïng"]),
                  st.dates(datetime.date(1900, 1, 1), datetime.date(2100, 1, 1)))
GOOD_ROW = st.tuples(st.from_regex(r"\AR[0-9]{3}\Z"), st.sampled_from(["Lê Văn An", "Ngô Thị Ơn"]),
                     st.just("12/03/1972"), st.sampled_from(["Nam", "Nữ"]),
                     st.sampled_from(["Cán bộ", "Công chức"]))
HYPOTHESIS = settings(max_examples=examples(12), deadline=None,
                      suppress_health_check=[HealthCheck.function_scoped_fixture,
                                             HealthCheck.too_slow])


def test_a_huge_cell_in_a_scanned_row_is_named_short_not_a_crash(unit):
    # Found by the property below: any of the first rows is scanned for the header, and a
    # 1e200 float there, an unknown column, used to raise "dài quá 200 ký tự".
    result = run_import(book(("Cán bộ", [[*STAFF_HEADERS[:5], 1e200],
                                         ["R001", "Lê Văn An", "12/03/1972", "Nam", "Cán bộ"]])))
    assert re.search(r"không nhận ra cột «\d{59}…»", " ".join(result.warnings))
    assert Staff.get(Staff.code == "R001").full_name == "Lê Văn An"


def test_property_tests_are_reproducible_in_ci_and_longer_on_demand():
    # CI failed at random when a quiet run drew a new example; under $CI every run now
    # draws the same ones, and the randomized hunt is a profile of its own.
    assert fuzzing.profile_name({"CI": "true"}) == "ci"
    assert settings.get_profile("ci").derandomize
    assert fuzzing.profile_name({}) == "dev" and not settings.get_profile("dev").derandomize
    long = settings.get_profile("long")
    assert fuzzing.profile_name({"CI": "1", "HYPOTHESIS_PROFILE": "long"}) == "long"
    assert not long.derandomize and long.max_examples > settings.get_profile("dev").max_examples


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_a_201_digit_header_or_cell_is_a_problem_named_not_a_crash(unit, fmt):
    huge = 10 ** 200  # 201 digits, the header the property drew
    rows = [[*STAFF_HEADERS[:5], huge], ["R001", str(huge), "12/03/1972", "Nam", "Cán bộ"]]
    if fmt == "xlsx":
        data = book(("Cán bộ", rows))
    else:
        data = "\n".join(";".join(str(v) for v in row) for row in rows).encode()
    result = run_import(data, f"f.{fmt}")
    assert re.search(r"không nhận ra cột «\d{59}…»", " ".join(result.warnings))
    [problem] = result.problems
    assert (problem.row, problem.column) == (2, "Họ và tên") and "200 ký tự" in problem.message
    assert not Staff.select().count()


@HYPOTHESIS
@given(rows=st.lists(st.one_of(GOOD_ROW, st.lists(CELLS, max_size=6)), min_size=1, max_size=6),
       fmt=st.sampled_from(["xlsx", "csv"]),
       header=st.sampled_from([STAFF_HEADERS[:5], ["Mã", "Năm", "Xếp loại", "Điểm", "Ghi chú"]]))
def test_random_cells_never_crash_and_never_write_half_a_file(unit, rows, fmt, header):
    if fmt == "xlsx":
        data = book(("Cán bộ", [header, *rows]))
    else:
        data = "\n".join(";".join("" if v is None else str(v).replace(";", ",")
                                  .replace("\n", " ").replace('"', "") for v in row)
                         for row in [header, *rows]).encode("utf-8")
    before = counts()
    try:
        result = run_import(data, f"f.{fmt}")
    except InvalidInput:
        assert counts() == before
        return
    if result.problems:
        assert counts() == before and not result.written
    else:
        if header[1] == "Họ và tên":
            good = {r[0] for r in rows if isinstance(r, tuple)}  # rows of valid values
            assert good <= {s.code for s in Staff.select()}


@HYPOTHESIS
@given(data=st.binary(max_size=300), name=st.sampled_from(["a.csv", "a.xlsx"]))
def test_random_bytes_never_crash_and_write_nothing_partial(unit, data, name):
    before = counts()
    try:
        result = importer.import_file(data, name, today=TODAY, actor=OPERATOR)
    except InvalidInput:
        assert counts() == before
        return
    assert result.problems or counts() == before
    if result.problems:
        assert counts() == before


@pytest.mark.parametrize("label,kind", [
    ("Cán bộ", "CADRE"), ("CÔNG CHỨC", "CIVIL_SERVANT"), ("vien chuc", "PUBLIC_EMPLOYEE"),
    ("Không chuyên trách", "PART_TIME"), ("Người hoạt động không chuyên trách", "PART_TIME"),
    ("Hợp đồng", "CONTRACT"), ("CONTRACT", "CONTRACT"),
])
def test_staff_kind_labels(unit, label, kind):
    rows = [["Mã", "Họ và tên", "Loại", "Ngày sinh"], ["K1", "Lê Văn Tám", label, 29221]]
    assert not run_import(book(("Cán bộ", rows))).problems
    person = Staff.get(Staff.code == "K1")
    assert person.kind == kind
    assert person.birth_date == datetime.date(1980, 1, 1)  # an Excel serial number


def test_a_sheet_without_kind_updates_people_but_cannot_add_them(demo_db):
    rows = [["Mã", "Họ và tên", "Ngày sinh"], ["KT01", "Nguyễn Văn Hùng", "12/03/1972"],
            ["KT77", "Lê Văn Mới", "01/01/1990"]]
    result = run_import(book(("Cán bộ", rows)))
    [problem] = result.problems
    assert (problem.row, problem.column) == (3, "Loại") and "Công chức" in problem.message
    result = run_import(book(("Cán bộ", rows[:2])))
    assert not result.problems and result.counts["staff_unchanged"] == 1


@pytest.mark.parametrize("value,expected", [
    ("12/03/1972", datetime.date(1972, 3, 12)), ("2/3/1972", datetime.date(1972, 3, 2)),
    ("12-03-1972", datetime.date(1972, 3, 12)), ("12.03.1972", datetime.date(1972, 3, 12)),
    ("1972-03-12", datetime.date(1972, 3, 12)), ("12/03/72", datetime.date(1972, 3, 12)),
    ("01/07/15", datetime.date(2015, 7, 1)), (datetime.datetime(1972, 3, 12), datetime.date(1972, 3, 12)),
    (26370, datetime.date(1972, 3, 12)), (None, None), ("", None),
])
def test_date_cells(value, expected):
    from canbo.spreadsheets.columns import date

    assert date(value) == expected


@pytest.mark.parametrize("value", ["31/02/1980", "1980", "12/13/1980", "hôm qua", -3, 1e12])
def test_bad_date_cells(value):
    from canbo.spreadsheets.columns import BadValue, date

    with pytest.raises(BadValue, match="dd/mm/yyyy"):
        date(value)


def test_skip_invalid_drops_the_ratings_of_a_refused_new_person(unit):
    data = book(("Cán bộ", [["Mã", "Họ và tên", "Loại"], ["N1", "Lê Văn Một", None],
                            ["N2", "Lê Văn Hai", "Công chức"]]),
                ("Xếp loại", [["Mã", "Năm", "Xếp loại"], ["N1", 2024, "HTNV"],
                              ["N2", 2024, "HTTNV"]]))
    result = run_import(data, skip_invalid=True)
    assert [(p.sheet, p.row) for p in result.problems] == [("Cán bộ", 2), ("Xếp loại", 2)]
    assert [(r.staff.code, r.level) for r in Rating.select()] == [("N2", "HTTNV")]


def test_personal_ids_are_imported_checked_and_unique(unit):
    """The national database's key (ND 335/2025 Điều 26.1.d): 12 digits, one per person,
    in the file and against the database; a bad one refuses the file, writing nothing."""
    headers = [*STAFF_HEADERS, "Số định danh cá nhân", "Mã ngạch", "Vị trí việc làm"]
    hung = [*HUNG, "037201001234", "01.003", "Văn phòng – thống kê"]
    result = run_import(book(("Cán bộ", [headers, hung])))
    assert not result.problems, result.problem_lines()
    saved = Staff.get(Staff.code == "X01")
    assert (saved.personal_id, saved.rank_code, saved.job_position) == (
        "037201001234", "01.003", "Văn phòng – thống kê")
    twice = [*LAN, "037201001234", None, None]
    before = counts()
    for rows, message in (([headers, twice], "đã là số của một người khác"),
                          ([headers, [*LAN, "12345", None, None]], "đúng 12 chữ số")):
        result = run_import(book(("Cán bộ", rows)))
        assert any(message in line for line in result.problem_lines()), result.problem_lines()
        assert counts() == before


def test_cells_pasted_from_old_fonts_in_a_unicode_file_are_converted_and_listed(unit):
    """Most names in Unicode, two pasted from .VnTime (TCVN3) and VNI files: each of
    those converted on its own, and listed (sheet, row, column, before → after)."""
    tcvn3 = [*LAN[:1], "TrÞnh V¨n §øc", *LAN[2:]]
    vni = ["X03", "Nguyeãn Thò Lan", *LAN[2:]]
    result = run_import(book(("Cán bộ", [STAFF_HEADERS, HUNG, tcvn3, vni])), unit=unit)
    assert not result.problems and result.encoding == "unicode"
    assert [(c.sheet, c.row, c.column_name, c.before, c.after, c.encoding)
            for c in result.converted] == [
        ("Cán bộ", 3, "«Họ và tên» (B)", "TrÞnh V¨n §øc", "Trịnh Văn Đức", "tcvn3"),
        ("Cán bộ", 4, "«Họ và tên» (B)", "Nguyeãn Thò Lan", "Nguyễn Thị Lan", "vni")]
    assert ("  Trang «Cán bộ», dòng 3, cột «Họ và tên» (B): «TrÞnh V¨n §øc» → «Trịnh Văn "
            "Đức» (từ TCVN3)") in result.summary()
    result = run_import(book(("Cán bộ", [STAFF_HEADERS, HUNG, tcvn3, vni])), unit=unit)
    assert Staff.get(Staff.code == "X02").full_name == "Trịnh Văn Đức"
    assert Staff.get(Staff.code == "X03").full_name == "Nguyễn Thị Lan"
    assert Staff.get(Staff.code == "X01").full_name == "Nguyễn Văn Hùng"
