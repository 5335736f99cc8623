"""The self-assessment sheet of a yearly cycle: one row per person, in and out.

The officer downloads the sheet prefilled with the cycle's people (``template``), has
each person's self-rating level and self-assessment typed in (from the paper forms, or
by the people themselves), and uploads it back; ``read_rows`` gives its rows as plain
values with their row numbers.  Whether a row may be written — the person is in the
cycle, the level is one of the list, the rating is at the self-assessment step — is
judged, for every row at once and in one transaction, by ``canbo.rating.bulk``.

Columns (headers matched ignoring case and diacritics, in any order): "Mã cán bộ",
"Họ và tên" (for the reader; not imported), "Tự xếp loại", "Tự đánh giá".
"""
import io

import openpyxl
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.datavalidation import DataValidation

from canbo.errors import InvalidInput
from canbo.levels import Rating as RatingLevel
from canbo.spreadsheets import columns as cols
from canbo.spreadsheets import workbook as spreadsheets

SHEET = "Tự đánh giá"
GUIDE = "Hướng dẫn"
MAX_TEXT = 4000  # a self-assessment is a paragraph or two, not a file

COLUMNS = (
    cols.Column("code", "Mã cán bộ", ("ma", "ma can bo", "ma cbcc", "ma nhan su", "code"),
                cols.code, required=True),
    cols.Column("name", "Họ và tên", ("ho ten", "ho va ten", "name"), cols.text),
    cols.Column("self_level", "Tự xếp loại", ("muc tu xep loai", "tu xep loai chat luong",
                                              "self rating"), cols.text),
    cols.Column("text", "Tự đánh giá", ("noi dung tu danh gia", "tu nhan xet",
                                        "self assessment"),
                lambda value: cols.text(value, MAX_TEXT)),
)
HEADERS = {c.key: c.header for c in COLUMNS}
WIDTHS = (12, 30, 34, 80)


def level_choices():
    """The levels as the sheet's drop-down offers them (any code or label is read)."""
    return [m.label for m in RatingLevel]


def template(title, people):
    """The sheet as XLSX bytes: ``title`` above nothing (the sheet's name says it),
    one row per ``(code, full name, self-level code or None, text or None)`` of
    ``people``, a drop-down of the levels in "Tự xếp loại", and a guide sheet."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = SHEET
    sheet.append([c.header for c in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    labels = RatingLevel.labels()
    for code, name, level, text in people:
        sheet.append([code, name, labels.get(level, level) if level else None, text])
    for letter, width in zip("ABCD", WIDTHS):
        sheet.column_dimensions[letter].width = width
    for row in sheet.iter_rows(min_row=2, min_col=4, max_col=4):
        row[0].alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    choices = DataValidation(type="list", formula1='"' + ",".join(level_choices()) + '"',
                             allow_blank=True, showErrorMessage=True,
                             errorTitle="Tự xếp loại",
                             error="Chọn một mức trong danh sách.")
    choices.add(f"C2:C{max(len(people) + 1, 2) + 200}")
    sheet.add_data_validation(choices)
    guide = book.create_sheet(GUIDE)
    guide.append(["Cột", "Ghi"])
    guide.append([HEADERS["code"], "mã của người trong kỳ đánh giá (không sửa)"])
    guide.append([HEADERS["name"], "để đối chiếu; không được nhập vào"])
    guide.append([HEADERS["self_level"], "chọn một mức: " + "; ".join(
        f"{m.label} ({m.code})" for m in RatingLevel)])
    guide.append([HEADERS["text"], "nội dung tự đánh giá, tự nhận xét ưu, khuyết điểm"])
    guide.append(["", "Dòng để trống cả hai cột «Tự xếp loại» và «Tự đánh giá» được bỏ qua."])
    guide.append(["", title])
    for cell in guide[1]:
        cell.font = Font(bold=True)
    guide.column_dimensions["A"].width = 16
    guide.column_dimensions["B"].width = 90
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def read_rows(source, filename=None):
    """The rows of an uploaded sheet: ``[{"row": n, "code", "self_level", "text"}]``,
    ``n`` the row's number in the sheet, values as typed (trimmed text); a row with
    neither a level nor a text (as the template prefilled it) is left out.  ``InvalidInput`` when the file cannot be read, has no sheet with a
    "Mã cán bộ" column, or a cell is too long (naming the row and column)."""
    book = spreadsheets.read(source, filename)
    for sheet in book.sheets:
        if cols.header_key(sheet.name) == cols.header_key(GUIDE):
            continue
        for index, header in enumerate(sheet.rows[:10]):
            found, _ = cols.match_headers(header, COLUMNS)
            if "code" in {c.key for c in found.values()}:
                return _rows(sheet, index, found)
    raise InvalidInput(f"Tệp không có cột «{HEADERS['code']}»; hãy dùng tệp mẫu tải về "
                       "từ trang kỳ đánh giá (các cột: " + ", ".join(HEADERS.values()) + ").")


def _rows(sheet, header_index, found):
    out, problems = [], []
    for offset, values in enumerate(sheet.rows[header_index + 1:], header_index + 2):
        row = {"row": offset}
        for i, column in found.items():
            value = values[i] if i < len(values) else None
            try:
                row[column.key] = column.parse(value)
            except cols.BadValue as exc:
                problems.append(f"Dòng {offset}, cột «{column.header}»: {exc}.")
        if row.get("self_level") or row.get("text"):  # a row left as prefilled: skipped
            out.append(row)
    if problems:
        raise InvalidInput("Tệp tự đánh giá có lỗi, chưa ghi gì:\n" + "\n".join(problems),
                           problems=problems)
    return out
