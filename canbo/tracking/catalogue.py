"""A unit's catalogue of output products (ND 335/2025 Điều 13): edit, decide, XLSX.

The personnel officer edits the catalogue (``catalogue.edit``); the chairman's decision
(number and date, ``catalogue.decide``) locks it, after which work is assigned from it.
Each change takes the acting user first and checks their permission and unit
(``users.require``, ``Forbidden`` naming who may).  The XLSX layout is the one units
already circulate: one row per product with the columns *Nhóm*, *Sản phẩm*, *Khung
điểm* and *Hệ số quy đổi*; a row with a group and no product is a group heading whose
group carries on to the rows below it.
"""
import datetime
import re

import openpyxl
from openpyxl.styles import Alignment, Font

from canbo.db import database
from canbo.errors import InvalidInput, NoData, RuleViolation
from canbo.models.tracking import MAX_GROUPS, Catalogue, Product
from canbo.records import audit
from canbo.records.users import require
from canbo.vietnamese import fold, parse_decimal, vi_date, vi_decimal

HEADERS = ("Nhóm", "Sản phẩm", "Khung điểm", "Hệ số quy đổi")
ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5}


def open_catalogue(actor, unit, year):
    """The unit's catalogue of ``year``, created empty (a draft) when there is none."""
    require(actor, "catalogue.edit", "lập danh mục sản phẩm", unit.id)
    catalogue, created = Catalogue.get_or_create(unit=unit, year=year)
    if created:
        audit.record(actor, "catalogue.open", catalogue, changes={"year": [None, year]})
    return catalogue


def catalogue_for(unit, year):
    """The unit's catalogue of ``year`` (``NoData`` when there is none)."""
    found = Catalogue.get_or_none(Catalogue.unit == unit, Catalogue.year == year)
    if found is None:
        raise NoData(f"{unit.name} chưa có danh mục sản phẩm năm {year}.", year=year)
    return found


def _check_open(catalogue):
    if catalogue.locked:
        raise RuleViolation(
            f"Danh mục sản phẩm năm {catalogue.year} đã được phê duyệt (quyết định số "
            f"{catalogue.decision_number}); không sửa được.", catalogue=catalogue.id)


def parse_group(value, row=None):
    """1–5 from ``3``, ``"N3"``, ``"Nhóm 3"`` or ``"III"`` (at most 5 groups, Điều 13)."""
    text = fold(str(value if value is not None else "")).strip()
    match = re.search(r"(\d+)", text)
    number = int(match.group(1)) if match else ROMAN.get(text.replace("nhom", "").strip())
    if number is None or not 1 <= number <= MAX_GROUPS:
        where = f"dòng {row}: " if row else ""
        raise InvalidInput(f"{where}nhóm «{value}» không hợp lệ; cho phép 1 – {MAX_GROUPS}.",
                           row=row, value=value)
    return number


def _number(value, what, row=None):
    """``vietnamese.parse_decimal`` of a required cell, the message led by its row."""
    return parse_decimal(value, f"dòng {row}: {what}" if row else what, required=True)


def parse_range(value, row=None):
    """``(min, max)`` from ``"1–10"``, ``"11 - 50"``, ``"5"`` or a number; None when empty."""
    if value is None or str(value).strip() == "":
        return None, None
    if isinstance(value, (int, float)):
        number = _number(value, "khung điểm", row)
        return number, number
    parts = [p for p in re.split(r"\s*[–—-]\s*", str(value).strip()) if p]
    numbers = [_number(p, "khung điểm", row) for p in parts]
    if len(numbers) not in (1, 2) or numbers[0] > numbers[-1]:
        raise InvalidInput(f"dòng {row}: khung điểm «{value}» không hợp lệ (ví dụ 1–10).",
                           row=row, value=value)
    return numbers[0], numbers[-1]


def add_product(actor, catalogue, group, name, coefficient, points_min=None,
                points_max=None):
    """Add a product to an undecided catalogue; checks group 1–5 and coefficient > 0."""
    require(actor, "catalogue.edit", "sửa danh mục sản phẩm", catalogue.unit_id)
    _check_open(catalogue)
    return _add(actor, catalogue, group, name, coefficient, points_min, points_max)


def _add(actor, catalogue, group, name, coefficient, points_min, points_max):
    group = parse_group(group)
    coefficient = _number(coefficient, "hệ số quy đổi")
    if coefficient <= 0:
        raise InvalidInput(f"Hệ số quy đổi của «{name}» phải lớn hơn 0.", value=coefficient)
    position = Product.select().where(Product.catalogue == catalogue).count()
    product = Product.create(catalogue=catalogue, complexity_group=group, name=name.strip(),
                             coefficient=coefficient, points_min=points_min,
                             points_max=points_max, position=position)
    audit.record(actor, "catalogue.add_product", product)
    return product


def decide(actor, catalogue, number, date):
    """Record the chairman's decision (number, date), which locks the catalogue."""
    require(actor, "catalogue.decide", "ghi quyết định phê duyệt danh mục sản phẩm",
            catalogue.unit_id)
    _check_open(catalogue)
    if not str(number or "").strip() or not isinstance(date, datetime.date):
        raise InvalidInput("Cần số và ngày của quyết định phê duyệt danh mục.")
    if not catalogue.products.count():
        raise RuleViolation(f"Danh mục sản phẩm năm {catalogue.year} chưa có sản phẩm nào.")
    catalogue.decision_number = str(number).strip()
    catalogue.decision_date = date
    catalogue.decided_by = actor.username
    catalogue.save()
    audit.record(actor, "catalogue.decide", catalogue,
                 changes={"decision_number": [None, catalogue.decision_number],
                          "decision_date": [None, date.isoformat()]})
    return catalogue


# --- XLSX ----------------------------------------------------------------------------


def _header_columns(sheet):
    """``(row number, {header: column index})`` of the header row, searched in the top 20."""
    wanted = {fold(h): h for h in HEADERS}
    for row in sheet.iter_rows(min_row=1, max_row=20):
        found = {}
        for cell in row:
            key = fold(str(cell.value or "")).strip()
            if key in wanted:
                found[wanted[key]] = cell.column - 1
        if "Sản phẩm" in found and "Hệ số quy đổi" in found:
            return row[0].row, found
    raise InvalidInput("Không tìm thấy dòng tiêu đề (cần các cột: " + ", ".join(HEADERS) + ").")


def read_xlsx(file):
    """Rows ``{group, name, points_min, points_max, coefficient}`` of a catalogue file."""
    book = openpyxl.load_workbook(file, read_only=True, data_only=True)
    try:
        sheet = book.worksheets[0]
        header, cols = _header_columns(sheet)
        rows, group = [], None
        for number, values in enumerate(sheet.iter_rows(min_row=header + 1, values_only=True),
                                        start=header + 1):
            def cell(name):
                i = cols.get(name)
                return values[i] if i is not None and i < len(values) else None
            name = str(cell("Sản phẩm") or "").strip()
            if cell("Nhóm") not in (None, ""):
                group = parse_group(cell("Nhóm"), number)
            if not name:
                continue  # a group heading or a blank line
            if group is None:
                raise InvalidInput(f"dòng {number}: sản phẩm «{name}» chưa thuộc nhóm nào.",
                                   row=number)
            low, high = parse_range(cell("Khung điểm"), number)
            coefficient = _number(cell("Hệ số quy đổi"), "hệ số quy đổi", number)
            rows.append({"group": group, "name": name, "points_min": low,
                         "points_max": high, "coefficient": coefficient})
    finally:
        book.close()
    if not rows:
        raise NoData("Tệp không có sản phẩm nào.")
    return rows


def import_xlsx(actor, catalogue, file):
    """Replace an undecided catalogue's products with those of ``file``; returns the count."""
    require(actor, "catalogue.edit", "sửa danh mục sản phẩm", catalogue.unit_id)
    _check_open(catalogue)
    rows = read_xlsx(file)
    with database.atomic():
        Product.delete().where(Product.catalogue == catalogue).execute()
        for row in rows:
            _add(actor, catalogue, row["group"], row["name"], row["coefficient"],
                 row["points_min"], row["points_max"])
    return len(rows)


def _range_text(product):
    low, high = product.points_min, product.points_max
    if low is None:
        return None
    return vi_decimal(low) if low == high else f"{vi_decimal(low)}–{vi_decimal(high)}"


def export_xlsx(catalogue, file):
    """Write the catalogue in the units' layout (title, decision, then the four columns)."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = f"Danh mục {catalogue.year}"
    sheet.append([f"DANH MỤC SẢN PHẨM ĐẦU RA NĂM {catalogue.year}"])
    sheet.append([catalogue.unit.name])
    decision = (f"Kèm theo Quyết định số {catalogue.decision_number} ngày "
                f"{vi_date(catalogue.decision_date)}" if catalogue.locked else "Dự thảo")
    sheet.append([decision])
    sheet.append(list(HEADERS))
    for cell in sheet[4]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", wrap_text=True)
    sheet["A1"].font = Font(bold=True, size=13)
    products = (Product.select().where(Product.catalogue == catalogue)
                .order_by(Product.complexity_group, Product.position, Product.id))
    for p in products:
        sheet.append([f"N{p.complexity_group}", p.name, _range_text(p), float(p.coefficient)])
        sheet.cell(row=sheet.max_row, column=4).number_format = "0.00"
    for column, width in zip("ABCD", (8, 60, 14, 14)):
        sheet.column_dimensions[column].width = width
    book.save(file)
    return file
