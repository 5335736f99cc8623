import datetime
import io
import unicodedata
import zipfile

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from canbo.errors import InvalidInput
from canbo.spreadsheets import workbook as spreadsheets
from canbo.spreadsheets.workbook import Table
from fuzzing import examples

HEADER = ["Mã", "Họ và tên", "Ngày sinh", "Loại"]
ROWS = [["KT01", "Nguyễn Văn Hùng", "12/03/1972", "Cán bộ"],
        ["KT13", "Nguyễn Thị Ngọc Ánh", "03/03/1990", "Công chức"]]


def xlsx_bytes(*sheets):
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets:
        ws = book.create_sheet(name)
        for row in rows:
            ws.append(row)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def csv_text(delimiter, rows=(HEADER, *ROWS)):
    return "\r\n".join(delimiter.join(row) for row in rows) + "\r\n"


TONES = "\u0300\u0301\u0303\u0309\u0323"


def cp1258(text):
    """Text as Excel on Vietnamese Windows saves it: cp1258, tones as combining marks."""
    out = b""
    for ch in unicodedata.normalize("NFC", text):
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            decomposed = unicodedata.normalize("NFD", ch)
            tone = [c for c in decomposed if c in TONES]
            base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in TONES))
            out += base.encode("cp1258") + "".join(tone).encode("cp1258")
    return out


def test_reads_an_xlsx_written_by_openpyxl_with_real_dates_and_numbers():
    data = xlsx_bytes(("Cán bộ", [HEADER, ["KT01", "Nguyễn Văn Hùng",
                                           datetime.datetime(1972, 3, 12), 1], [],
                                  ["KT02", "Trần Đức Thắng", None, 2.5]]))
    book = spreadsheets.read(data, "a.xlsx")
    [sheet] = book.sheets
    assert sheet.name == "Cán bộ"
    assert sheet.rows[0] == HEADER
    assert sheet.rows[1] == ["KT01", "Nguyễn Văn Hùng", datetime.datetime(1972, 3, 12), 1]
    assert sheet.rows[2] == []  # an empty row keeps its place, so row numbers stay true
    assert sheet.rows[3] == ["KT02", "Trần Đức Thắng", None, 2.5]


@pytest.mark.parametrize("encode", [
    pytest.param(lambda t: t.encode("utf-8"), id="utf8"),
    pytest.param(lambda t: t.encode("utf-8-sig"), id="utf8-bom"),
    pytest.param(lambda t: t.encode("utf-16"), id="utf16"),
    pytest.param(cp1258, id="cp1258"),
    pytest.param(lambda t: unicodedata.normalize("NFD", t).encode("utf-8"), id="utf8-nfd"),
])
@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_reads_csv_as_excel_and_libreoffice_save_it(encode, delimiter):
    book = spreadsheets.read(encode(csv_text(delimiter)), "danh-sach.csv")
    assert book.sheets[0].rows == [HEADER, *ROWS]


def test_quoted_cells_keep_their_separators():
    text = 'Mã;Chức vụ, chức danh\r\nKT01;"Văn phòng; thống kê"\r\n'
    book = spreadsheets.read(text.encode("utf-8"), "a.csv")
    assert book.sheets[0].rows == [["Mã", "Chức vụ, chức danh"], ["KT01", "Văn phòng; thống kê"]]


@pytest.mark.parametrize("raw,encoding", [
    ("Mã;Họ và tên\r\nKT01;NguyÔn V¨n Hïng\r\n".encode("utf-8"), "tcvn3"),
    ("Ma;Ho va ten\r\nKT01;NguyÔn V¨n Hïng\r\n".encode("latin-1"), "tcvn3"),
    ("Ma;Ho va ten\r\nKT01;Nguyeãn Vaên Huøng\r\n".encode("latin-1"), "vni"),
])
def test_legacy_text_in_csv_is_converted(raw, encoding):
    book = spreadsheets.read(raw, "cu.csv")
    assert book.encoding == encoding
    assert book.sheets[0].rows[1] == ["KT01", "Nguyễn Văn Hùng"]


def test_legacy_text_in_xlsx_is_converted():
    data = xlsx_bytes(("DS", [["Mã", "Họ và tên"], ["KT01", "Hoµn thµnh xuÊt s¾c nhiÖm vô"]]))
    book = spreadsheets.read(data, "cu.xlsx")
    assert book.sheets[0].rows[1][1] == "Hoàn thành xuất sắc nhiệm vụ"


@pytest.mark.parametrize("data,name,words", [
    (b"\xd0\xcf\x11\xe0" + b"\0" * 100, "cu.xls", ".xls"),
    (b"PK\x03\x04garbage", "hong.xlsx", "không phải tệp Excel"),
    (b"PK\x03\x04" + b"\xff" * 300, "hong.xlsx", "không phải tệp Excel"),
])
def test_unreadable_files_are_refused_in_vietnamese(data, name, words):
    with pytest.raises(InvalidInput, match=words):
        spreadsheets.read(data, name)


def test_a_zip_that_is_not_a_workbook_is_refused():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        archive.writestr("hello.txt", "xin chào")
    with pytest.raises(InvalidInput):
        spreadsheets.read(buf.getvalue(), "a.xlsx")


@settings(max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=400), st.sampled_from(["a.csv", "a.xlsx", "a"]))
def test_random_bytes_are_read_or_refused_never_crash(data, name):
    for blob in (data, b"PK\x03\x04" + data):
        try:
            book = spreadsheets.read(blob, name)
        except InvalidInput as exc:
            assert exc.message
        else:
            assert all(isinstance(row, list) for s in book.sheets for row in s.rows)


# --- writing --------------------------------------------------------------------------

REPORT = Table("Xếp loại 2022", ["Mức xếp loại", "Số lượng", "Tỷ lệ"],
               [["Hoàn thành xuất sắc nhiệm vụ", 14, 70.0],
                ["Hoàn thành tốt nhiệm vụ", 5, 25.0], ["Hoàn thành nhiệm vụ", 1, 5.0]],
               {2: "percent"})
PEOPLE = Table("Cán bộ", ["Mã", "Họ và tên", "Ngày sinh", "Điểm"],
               [["KT01", "Nguyễn Văn Hùng & <Hội>", datetime.date(1972, 3, 12), 85.5],
                ["KT02", "Trần Đức Thắng", None, None]], {2: "date", 3: "decimal"})


def test_xlsx_has_frozen_bold_header_widths_and_real_numbers(tmp_path):
    path = tmp_path / "out.xlsx"
    spreadsheets.write([REPORT, PEOPLE], path)
    book = openpyxl.load_workbook(path)
    report, people = book["Xếp loại 2022"], book["Cán bộ"]
    assert report.freeze_panes == "A2" and people.freeze_panes == "A2"
    assert report["A1"].value == "Mức xếp loại" and report["A1"].font.b
    assert report.column_dimensions["A"].width >= len("Hoàn thành xuất sắc nhiệm vụ")
    assert report["C2"].value == pytest.approx(0.70) and report["C2"].number_format == "0.0#%"  # 4,76% where needed
    assert report["B2"].value == 14
    assert people["C2"].value == datetime.datetime(1972, 3, 12)
    assert people["C2"].number_format.lower() == "dd/mm/yyyy"
    assert people["B2"].value == "Nguyễn Văn Hùng & <Hội>"
    assert people["D2"].value == 85.5 and people["C3"].value is None


def test_xlsx_reads_back_through_our_reader(tmp_path):
    path = tmp_path / "out.xlsx"
    spreadsheets.write([PEOPLE], path)
    rows = spreadsheets.read(path).sheets[0].rows
    assert rows[1][:3] == ["KT01", "Nguyễn Văn Hùng & <Hội>", datetime.datetime(1972, 3, 12)]


def test_csv_is_utf8_with_bom_and_dd_mm_yyyy(tmp_path):
    path = tmp_path / "out.csv"
    spreadsheets.write([PEOPLE], path)
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    lines = data.decode("utf-8-sig").splitlines()
    assert lines[0] == "Mã,Họ và tên,Ngày sinh,Điểm"
    assert lines[1] == 'KT01,Nguyễn Văn Hùng & <Hội>,12/03/1972,85.5'


def test_csv_percent_is_a_number(tmp_path):
    path = tmp_path / "r.csv"
    spreadsheets.write([REPORT], path)
    assert "Hoàn thành xuất sắc nhiệm vụ,14,70.0" in path.read_text(encoding="utf-8-sig")


def test_csv_holds_one_table_only(tmp_path):
    with pytest.raises(InvalidInput, match="một bảng"):
        spreadsheets.write([REPORT, PEOPLE], tmp_path / "two.csv")


def test_excel_sep_hint_line_is_honoured():
    text = "sep=;\r\nMã;Họ và tên, tên gọi khác\r\nKT01;Nguyễn Văn Hùng, Hùng\r\n"
    rows = spreadsheets.read(text.encode("utf-8"), "a.csv").sheets[0].rows
    assert rows == [["Mã", "Họ và tên, tên gọi khác"], ["KT01", "Nguyễn Văn Hùng, Hùng"]]
