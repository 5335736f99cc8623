import datetime
import subprocess

import pytest
from pypdf import PdfReader

from canbo.errors import NoData
from canbo.models import Rating, Staff, Unit
from canbo.records import units
from canbo.stats import yearly_report

D = datetime.date

RATINGS_2021 = ("- Năm 2021: 20 đồng chí. 16 đồng chí hoàn thành xuất sắc nhiệm vụ = 80%, "
                "04 đồng chí hoàn thành tốt nhiệm vụ = 20%.")
RATINGS_2022 = ("- Năm 2022: 20 đồng chí. 14 đồng chí hoàn thành xuất sắc nhiệm vụ = 70%, "
                "05 đồng chí hoàn thành tốt nhiệm vụ = 25%, 01 đồng chí hoàn thành nhiệm vụ = 5%.")


def test_the_section_reproduces_the_kim_tan_report_correctly_spelled(demo_db):
    text = yearly_report.render_text(
        yearly_report.yearly_report(units.find_unit(), 2023, at=D(2023, 6, 30)))
    lines = text.splitlines()
    assert lines[0] == "UBND xã Kim Tân (KIMTAN) — báo cáo năm 2023"
    assert yearly_report.HEADING in lines
    assert RATINGS_2021 in lines and RATINGS_2022 in lines
    assert lines.index(RATINGS_2021) < lines.index(RATINGS_2022)
    assert ("Việc đánh giá, xếp loại chất lượng cán bộ, công chức được thực hiện theo "
            "Nghị định 90/2020/NĐ-CP (năm 2021, 2022).") in lines
    assert "Đến ngày 30/06/2023, tổng số cán bộ, công chức là 18 đồng chí." in lines
    assert ("- Trình độ chuyên môn: Đại học 15 đồng chí = 83,3%; "
            "Trung cấp 03 đồng chí = 16,7%.") in lines
    assert ("- Lý luận chính trị: Trung cấp 15 đồng chí = 83,3%; "
            "Sơ cấp 03 đồng chí = 16,7%.") in lines
    assert "suất sắc" not in text and "83.3" not in text


@pytest.mark.parametrize("year,today,expected", [
    (2023, D(2026, 1, 1), D(2023, 12, 31)),
    (2026, D(2026, 11, 27), D(2026, 11, 27)),
])
def test_qualifications_default_to_the_years_end_or_today(year, today, expected):
    assert yearly_report.default_date(year, today) == expected


def test_the_date_decides_the_qualifications(demo_db):
    # KT18's Đại học came on 20/06/2024
    text = yearly_report.render_text(
        yearly_report.yearly_report(units.find_unit(), 2024, at=D(2024, 7, 1)))
    assert "- Trình độ chuyên môn: Đại học 16 đồng chí = 88,9%; Trung cấp 02 đồng chí = 11,1%." \
        in text.splitlines()


def test_only_the_last_years_with_results_are_reported(demo_db):
    report = yearly_report.yearly_report(units.find_unit(), 2023, years=1)
    assert [r.year for r in report.history] == [2022]
    report = yearly_report.yearly_report(units.find_unit(), 2021)
    assert [r.year for r in report.history] == [2021]


def test_each_year_names_the_regulation_it_was_rated_under(demo_db):
    unit = units.find_unit()
    for staff in Staff.select().where(Staff.left_on.is_null(),  # in post in 2023: not KT22
                                      Staff.joined_on <= datetime.date(2023, 12, 31)):
        Rating.create(staff=staff, unit=unit, year=2023, rule_set="ND90_ND48_2023",
                      level="HTTNV", status="APPROVED")
    report = yearly_report.yearly_report(unit, 2023)
    assert report.rule_set_sentence() == (
        "Việc đánh giá, xếp loại chất lượng cán bộ, công chức được thực hiện theo "
        "Nghị định 90/2020/NĐ-CP (năm 2021, 2022); Nghị định 90/2020/NĐ-CP, sửa đổi bởi "
        "Nghị định 48/2023/NĐ-CP (năm 2023).")
    assert "- Năm 2023: 18 đồng chí. 18 đồng chí hoàn thành tốt nhiệm vụ = 100%." in \
        yearly_report.render_text(report).splitlines()


def test_a_unit_with_staff_but_no_ratings_says_so(db):
    unit = Unit.create(code="MOI", name="UBND xã Mới", place_name="Mới")
    Staff(unit=unit, code="M1", full_name="Tạ Văn Mới", kind="CADRE",
          joined_on=D(2020, 1, 1)).save()
    text = yearly_report.render_text(yearly_report.yearly_report(unit, 2024))
    assert "Chưa có kết quả xếp loại chất lượng nào đến năm 2024." in text
    assert "- Trình độ chuyên môn: Chưa qua đào tạo 01 đồng chí = 100%." in text


def test_a_unit_with_nothing_raises_no_data(db):
    unit = Unit.create(code="MOI", name="UBND xã Mới", place_name="Mới")
    with pytest.raises(NoData, match="MOI"):
        yearly_report.yearly_report(unit, 2024)


# --- the command ----------------------------------------------------------------------


def test_command_prints_the_section(demo_db, run):
    result = run("report", "year", "--unit", "KIMTAN", "--year", "2023", "--at", "2023-06-30")
    assert result.exit_code == 0
    assert RATINGS_2022 in result.output.splitlines()


@pytest.mark.parametrize("args,message", [
    (["--unit", "KHONGCO", "--year", "2023"], "Không có đơn vị mã «KHONGCO»"),
    (["--year", "20x3"], "Năm «20x3» không hợp lệ"),
    (["--year", "2023", "-o", "x.pdf"], "--output chỉ dùng với --format pdf"),
])
def test_command_errors_are_one_vietnamese_line(demo_db, run, args, message):
    result = run("report", "year", *args)
    assert result.exit_code == 2
    assert message in result.output


def test_command_writes_a_pdf_with_the_text_and_both_charts(demo_db, run, tmp_path):
    out = tmp_path / "bao-cao.pdf"
    result = run("report", "year", "--year", "2023", "--format", "pdf", "-o", str(out))
    assert result.exit_code == 0 and str(out) in result.output
    reader = PdfReader(out)
    assert reader.pages[0].mediabox.width == pytest.approx(595.3, abs=1)  # A4
    text = " ".join(" ".join(p.extract_text().split()) for p in reader.pages)
    for expected in ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "BÁO CÁO",
                     "14 đồng chí hoàn thành xuất sắc nhiệm vụ = 70%",
                     "Kết quả xếp loại chất lượng các năm", "16 (80%)",
                     "Cơ cấu trình độ ngày 31/12/2023", "15 (83,3%)"]:
        assert expected in text
    fonts = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True).stdout
    families = {line.split()[0].split("+")[-1].split("-")[0]
                for line in fonts.splitlines()[2:] if line.strip()}
    assert families == {"Liberation"} and " no " not in fonts


def test_without_output_the_pdf_is_named_after_the_year_and_unit(demo_db, run, tmp_path,
                                                                  monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("report", "year", "--year", "2022", "--format", "pdf")
    assert result.exit_code == 0
    assert (tmp_path / "bao-cao-nam-2022-KIMTAN.pdf").read_bytes().startswith(b"%PDF")
