"""Catalogue workbooks (ND 335/2025 Điều 13): read what communes publish, write ours.

A commune publishes its catalogue with the chairman's decision as a workbook of several
sheets — the leaders' tasks, the tasks every department shares, one sheet per
department — each a table under a few title rows, with columns such as *STT*, *Mã CV*,
*Nhiệm vụ*, *Công việc chi tiết*, *Sản phẩm đầu ra*, *Nhóm* (N1–N5), *Khung điểm*
("11-50"), *Điểm chấm*, sometimes *Hệ số quy đổi* and *Vị trí việc làm*.  Between the
products, a row with only a roman numeral (or a letter) and a text opens a section.
The older one-sheet layout (*Nhóm*, *Sản phẩm*, *Khung điểm*, *Hệ số quy đổi*, a row
with a group and no product heading the rows below it) is the same table with fewer
columns, and is read the same way.

``read_rows`` only finds the tables and says where each cell came from (sheet, row,
column); checking the values is ``catalogue.clean_product``'s, so that a typed form and
a workbook are checked by the same rules.  ``write`` is the export.
"""
import dataclasses
import re

import openpyxl
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from canbo.errors import InvalidInput, NoData
from canbo.vietnamese import fold, vi_date, vi_decimal

#: The table's columns: field, the label we write, the folded labels we recognise
#: (``*`` at the end: the label starts so), in the order they are tried.
COLUMNS = (
    ("stt", "STT", ("stt", "tt", "so tt", "so thu tu")),
    ("code", "Mã CV", ("ma cv*", "ma cong viec*", "ma sp*", "ma san pham*", "ma so", "ma")),
    ("output", "Sản phẩm đầu ra", ("san pham dau ra*", "ket qua dau ra*", "dau ra*")),
    ("task", "Nhiệm vụ", ("nhiem vu*",)),
    ("name", "Công việc chi tiết", ("cong viec chi tiet*", "ten san pham*", "ten cong viec*",
                                    "san pham/cong viec*", "san pham", "cong viec")),
    ("group", "Nhóm", ("nhom*", "muc do phuc tap*")),
    ("range", "Khung điểm", ("khung diem*",)),
    ("points", "Điểm chấm", ("diem cham*", "diem quy doi*", "diem")),
    ("coefficient", "Hệ số quy đổi", ("he so*",)),
    ("job_position", "Vị trí việc làm", ("vi tri viec lam*", "vi tri")),
)
LABELS = {field: label for field, label, _ in COLUMNS}
#: The columns in the order we write them.
WRITTEN = ("stt", "code", "task", "name", "output", "group", "range", "points", "coefficient",
           "job_position")
#: The old one-sheet layout, still written by ``write(layout="simple")``.
SIMPLE_HEADERS = ("Nhóm", "Sản phẩm", "Khung điểm", "Hệ số quy đổi")
MEASURES = ("group", "range", "points", "coefficient")
HEADER_SEARCH_ROWS = 30
MAX_ROWS = 5000  # a commune's catalogue is a few hundred products

_ROMAN = re.compile(r"^(?=[ivxlc])(c{0,3})(xc|xl|l?x{0,3})(ix|iv|v?i{0,3})$")
_ARABIC = re.compile(r"^\d+([.,]\d+)*[.)]?$")
_NUMBERING = re.compile(r"^\(?\d+\)?$")


@dataclasses.dataclass
class Row:
    """One product row of a workbook: its cells by field, and where they came from."""

    sheet: str
    row: int
    values: dict
    columns: dict  # field → "G («Khung điểm»)"
    section: str = ""

    def place(self, field=None):
        """"Trang «…», dòng 12, cột G («Khung điểm»)" — the start of an error message."""
        where = f"Trang «{self.sheet}», dòng {self.row}"
        if field in self.columns:
            where += f", cột {self.columns[field]}"
        return where


def _label_field(text):
    key = re.sub(r"\(.*?\)", " ", fold(str(text or "")))
    key = " ".join(key.replace(":", " ").split())
    if not key:
        return None
    for field, _, aliases in COLUMNS:
        for alias in aliases:
            if key == alias.rstrip("*") or (alias.endswith("*") and key.startswith(alias[:-1])):
                return field
    return None


def _header(rows):
    """``(index in rows, {field: column index}, {field: header text})`` of the header."""
    for index, values in enumerate(rows[:HEADER_SEARCH_ROWS]):
        found, texts = {}, {}
        for column, value in enumerate(values):
            field = _label_field(value)
            if field and field not in found:
                found[field], texts[field] = column, " ".join(str(value).split())
        if ({"name", "task"} & set(found)) and (set(MEASURES) & set(found)):
            return index, found, texts
    return None


def _text(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def read_rows(file):
    """``(rows, skipped)``: the product rows (``Row``) of every sheet that has a product
    table, and the names of the sheets that have none (a cover page, the general
    criteria).  The sheet's name leads the section when several sheets have tables."""
    try:
        book = openpyxl.load_workbook(file, read_only=True, data_only=True)
        try:
            tables, skipped = [], []
            for sheet in book.worksheets:
                rows = [list(r) for r in sheet.iter_rows(
                    max_row=MAX_ROWS + HEADER_SEARCH_ROWS, values_only=True)]
                found = _header(rows)
                if found is None:
                    skipped.append(sheet.title)
                else:
                    tables.append((sheet.title, rows, found))
        finally:
            book.close()
    except Exception as exc:  # zip, XML and openpyxl errors alike: not a workbook we read
        raise InvalidInput("Tệp không đọc được như một bảng tính Excel (.xlsx); hãy lưu lại "
                           "bằng Excel dưới dạng .xlsx rồi tải lên.") from exc
    if not tables:
        raise InvalidInput(
            "Không tìm thấy bảng sản phẩm trong tệp: cần một dòng tiêu đề có cột tên công "
            "việc («Công việc chi tiết», «Nhiệm vụ» hoặc «Sản phẩm») và cột «Nhóm», «Khung "
            "điểm», «Điểm chấm» hoặc «Hệ số quy đổi».")
    out = []
    for title, rows, found in tables:
        out.extend(_table(title if len(tables) > 1 else "", title, rows, *found))
    if not out:
        raise NoData("Tệp không có sản phẩm nào.")
    if len(out) > MAX_ROWS:
        raise InvalidInput(f"Tệp có {len(out)} sản phẩm, quá giới hạn {MAX_ROWS}.")
    return out, skipped


def _table(prefix, title, rows, header, columns, texts):
    names = {f: f"{get_column_letter(i + 1)} («{texts[f]}»)" for f, i in columns.items()}
    has_detail = "name" in columns and "task" in columns
    section, task, group = "", "", None
    out = []
    for offset, values in enumerate(rows[header + 1:], start=header + 2):
        cells = {f: (values[i] if i < len(values) else None) for f, i in columns.items()}
        texts_of = {f: _text(v) for f, v in cells.items()}
        filled = [t for t in texts_of.values() if t]
        if not filled or all(_NUMBERING.match(t) for t in filled):
            continue  # a blank line, or the "(1) (2) (3)" line under the header
        stt = fold(texts_of.get("stt", "")).rstrip(".)")
        name = texts_of.get("name") if "name" in columns else texts_of.get("task")
        if fold(filled[0]).rstrip(":") in ("tong", "tong cong", "cong"):
            continue  # a total line at the foot of the table
        if any(texts_of.get(f) for f in MEASURES):
            if not name and texts_of.get("group") and not texts_of.get("coefficient") \
                    and not texts_of.get("points"):
                group = cells["group"]  # "Nhóm 1": a heading for the rows below it
                continue
            if has_detail and texts_of.get("task"):
                task = texts_of["task"]  # a task's cell merged over its detail rows
            elif has_detail and task:
                cells["task"] = task
            if not texts_of.get("group") and group is not None:
                cells["group"] = group
            full = " – ".join(p for p in (prefix, section) if p)
            out.append(Row(sheet=title, row=offset, values=cells, columns=names,
                           section=full))
            continue
        words = " ".join(t for f, t in texts_of.items() if t and f != "stt")
        arabic = bool(_ARABIC.match(stt))
        if has_detail and texts_of.get("task") and not texts_of.get("name") and (
                arabic or not stt):
            task = texts_of["task"]  # a task heading over its detail rows
        elif _ROMAN.match(stt) or re.fullmatch(r"[a-z]", stt) or (not stt and words):
            section, task, group = words, "", None
        else:
            full = " – ".join(p for p in (prefix, section) if p)
            out.append(Row(sheet=title, row=offset, values=cells, columns=names,
                           section=full))  # a product without a group: reported
    return out


# --- writing ---------------------------------------------------------------------------


def _range_text(product):
    low, high = product.points_min, product.points_max
    if low is None:
        return None
    return vi_decimal(low) if low == high else f"{vi_decimal(low)}-{vi_decimal(high)}"


def _number(value):
    return float(value) if value is not None else None


def _roman(n):
    out = ""
    for value, letters in ((100, "C"), (90, "XC"), (50, "L"), (40, "XL"), (10, "X"),
                           (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out, n = out + letters, n - value
    return out


def write(catalogue, products, file, layout="commune"):
    """Write ``products`` (in order) of ``catalogue``: the commune layout — title, the
    decision, the standard product, then one table with section rows — or the old
    four-column ``simple`` one.  Both read back with ``read_rows``."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = f"Danh mục {catalogue.year}"
    sheet.append([f"DANH MỤC SẢN PHẨM ĐẦU RA NĂM {catalogue.year}"])
    sheet.append([catalogue.unit.name])
    sheet.append([f"Kèm theo Quyết định số {catalogue.decision_number} ngày "
                  f"{vi_date(catalogue.decision_date)}" if catalogue.locked else "Dự thảo"])
    if layout == "simple":
        headers, widths = list(SIMPLE_HEADERS), (8, 60, 14, 14)
    else:
        standard = (f"Đơn vị sản phẩm/công việc chuẩn: {catalogue.standard_product}"
                    + (f", {vi_decimal(catalogue.standard_points)} điểm, hệ số 1"
                       if catalogue.standard_points is not None else "")
                    if catalogue.standard_product else "Chưa xác định sản phẩm chuẩn")
        sheet.append([standard])
        headers = [LABELS[f] for f in WRITTEN] + ["Quyết định", "Áp dụng từ"]
        widths = (6, 10, 34, 44, 30, 8, 11, 10, 10, 22, 18, 12)
    sheet.append(headers)
    header_row = sheet.max_row
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    sheet["A1"].font = Font(bold=True, size=13)
    section, sections, number = None, 0, 0
    for p in products:
        if layout == "simple":
            sheet.append([f"N{p.complexity_group}", p.name, _range_text(p),
                          float(p.coefficient)])
            sheet.cell(row=sheet.max_row, column=4).number_format = "0.00"
            continue
        if p.section != section:
            section, number = p.section, 0
            if section:
                sections += 1
                sheet.append([_roman(sections), None, section])
                for cell in sheet[sheet.max_row]:
                    cell.font = Font(bold=True)
        number += 1
        decision = p.supplement.number if p.supplement_id else catalogue.decision_number
        applies = p.applies_from
        sheet.append([number, p.code, p.task, p.name, p.output, f"N{p.complexity_group}",
                      _range_text(p), _number(p.points), float(p.coefficient),
                      p.job_position, decision, vi_date(applies) if applies else None])
        sheet.cell(row=sheet.max_row, column=9).number_format = "0.00"
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    book.save(file)
    return file
