"""Assignments from a spreadsheet: the month's work of a unit in one file (ND 335 Điều 18.1).

The head who uses the civil servants assigns their work (Điều 18.1.a); a unit that plans
in Excel gives the month's plan as one sheet, one row per person and product:

    Mã cán bộ | Họ và tên | Mã sản phẩm | Sản phẩm | Số lượng | Hạn hoàn thành | Tháng

"Mã cán bộ" and "Số lượng" are required, with "Mã sản phẩm" or "Sản phẩm" (the product's
code, or its exact name, in the unit's decided catalogue of the year); "Họ và tên" is
checked against the record when given; "Hạn hoàn thành" is dd/mm/yyyy (or a date cell);
"Tháng" defaults to the month chosen on import.  A row with neither product nor quantity
is skipped, so a template's untouched rows do no harm.  ``template`` writes such a sheet for a
unit's people in post, with the catalogue on a second sheet.

The file is read whole and checked first: every error names its row and column, and any
error writes nothing.  Then each row goes through ``sheets.assign`` — the same checks as
the assign screen (who may assign, the decided catalogue, a supplement's date, the job
position, a confirmed month) — in one transaction.
"""
import datetime

from canbo.db import database
from canbo.errors import CanboError, InvalidInput
from canbo.models import Staff
from canbo.models.tracking import Catalogue, Product
from canbo.records import units
from canbo.spreadsheets import workbook
from canbo.tracking import sheets
from canbo.vietnamese import fold, parse_date, vi_date

HEADERS = ("Mã cán bộ", "Họ và tên", "Mã sản phẩm", "Sản phẩm", "Số lượng",
           "Hạn hoàn thành", "Tháng")
MAX_ROWS = 5000
MAX_ERRORS = 20  # shown at once; the rest are counted


def _header(rows):
    """``(index, {header: column})`` of the header row, searched in the first 10 rows."""
    wanted = {fold(h): h for h in HEADERS}
    for i, row in enumerate(rows[:10]):
        found = {wanted[fold(str(v or "")).strip()]: c for c, v in enumerate(row)
                 if fold(str(v or "")).strip() in wanted}
        if "Mã cán bộ" in found and "Số lượng" in found and (
                "Mã sản phẩm" in found or "Sản phẩm" in found):
            return i, found
    raise InvalidInput("Không tìm thấy dòng tiêu đề; cần các cột «Mã cán bộ», «Số lượng» và "
                       "«Mã sản phẩm» hoặc «Sản phẩm» (tải tệp mẫu để xem cách ghi).")


def _text(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def read(source, unit, year, month, filename=None):
    """The rows of an assignment sheet, checked: ``[(row number, staff, product, quantity,
    deadline, month)]``.  Raises ``InvalidInput`` listing every row's error."""
    book = workbook.read(source, filename)
    rows = book.sheets[0].rows if book.sheets else []
    start, cols = _header(rows)
    if len(rows) - start - 1 > MAX_ROWS:
        raise InvalidInput(f"Tệp có {len(rows) - start - 1} dòng; tối đa {MAX_ROWS} dòng "
                           "một lần.")
    ids = units.unit_ids(unit)
    people = {s.code.casefold(): s for s in Staff.select().where(Staff.unit.in_(ids))}
    catalogue = Catalogue.get_or_none(Catalogue.unit == unit, Catalogue.year == year)
    products = list(Product.select().where(Product.catalogue == catalogue)) if catalogue else []
    by_code = {p.code.casefold(): p for p in products if p.code}
    by_name = {fold(p.name): p for p in products}
    out, errors = [], []

    def cell(values, name):
        c = cols.get(name)
        return values[c] if c is not None and c < len(values) else None

    for i, values in enumerate(rows[start + 1:], start=start + 2):
        if not any(_text(cell(values, h)) for h in ("Mã sản phẩm", "Sản phẩm", "Số lượng")):
            continue  # blank, or a template row left without work
        try:
            out.append((i,) + _row(values, cell, people, by_code, by_name, catalogue, unit,
                                   year, month))
        except InvalidInput as exc:
            errors.append(f"dòng {i}: {exc.message}")
    if errors:
        more = len(errors) - MAX_ERRORS
        raise InvalidInput("Tệp giao việc có lỗi, chưa ghi gì:\n" + "\n".join(
            errors[:MAX_ERRORS]) + (f"\n… và {more} lỗi khác." if more > 0 else ""))
    if not out:
        raise InvalidInput("Tệp không có dòng giao việc nào dưới dòng tiêu đề.")
    return out


def _row(values, cell, people, by_code, by_name, catalogue, unit, year, month):
    code = _text(cell(values, "Mã cán bộ"))
    staff = people.get(code.casefold())
    if staff is None:
        raise InvalidInput(f"cột «Mã cán bộ»: không có cán bộ mã «{code}» trong {unit.name}.")
    name = _text(cell(values, "Họ và tên"))
    if name and fold(name) != fold(staff.full_name):
        raise InvalidInput(f"cột «Họ và tên»: «{name}» không khớp với mã {staff.code} "
                           f"({staff.full_name}).")
    if catalogue is None:
        raise InvalidInput(f"đơn vị chưa có danh mục sản phẩm năm {year}.")
    product_code = _text(cell(values, "Mã sản phẩm"))
    product_name = _text(cell(values, "Sản phẩm"))
    product = (by_code.get(product_code.casefold()) if product_code
               else by_name.get(fold(product_name)))
    if product is None:
        what = f"mã «{product_code}»" if product_code else f"«{product_name}»"
        raise InvalidInput(f"cột «{'Mã sản phẩm' if product_code else 'Sản phẩm'}»: không có "
                           f"sản phẩm {what} trong danh mục năm {year}.")
    quantity = _text(cell(values, "Số lượng"))
    if not quantity.isdigit() or not 0 < int(quantity) <= sheets.MAX_COUNT:
        raise InvalidInput(f"cột «Số lượng»: «{quantity}» không hợp lệ; cần một số nguyên "
                           f"từ 1 đến {sheets.MAX_COUNT}.")
    deadline = cell(values, "Hạn hoàn thành")
    if isinstance(deadline, datetime.datetime):
        deadline = deadline.date()
    elif _text(deadline):
        try:
            deadline = parse_date(_text(deadline))
        except ValueError as exc:
            raise InvalidInput(f"cột «Hạn hoàn thành»: {exc}") from exc
    else:
        deadline = None
    row_month = _text(cell(values, "Tháng")) or str(month)
    if not row_month.isdigit() or not 1 <= int(row_month) <= 12:
        raise InvalidInput(f"cột «Tháng»: «{row_month}» không hợp lệ; cần từ 1 đến 12.")
    return staff, product, int(quantity), deadline, int(row_month)


def import_sheet(actor, source, unit, year, month, filename=None):
    """Assign every row of the sheet (all or none); returns the new assignments."""
    rows = read(source, unit, year, month, filename)
    with database.atomic():
        made = []
        for number, staff, product, quantity, deadline, row_month in rows:
            try:
                made.append(sheets.assign(actor, staff, year, row_month, product, quantity,
                                          deadline))
            except CanboError as exc:
                raise type(exc)(f"dòng {number} ({staff.code}): {exc.message} Chưa ghi dòng "
                                "nào.", **exc.data) from exc
        return made


def template(unit, year, month, target):
    """An assignment sheet to fill in: the unit's people in post in the month (one row
    each), and the decided catalogue's products on a second sheet."""
    first = datetime.date(year, month, 1)
    last = sheets.period_end_day(year, month)
    people = (Staff.select().where(Staff.unit.in_(units.unit_ids(unit)),
                                   units.in_post_during(first, last))
              .order_by(Staff.sort_name))
    rows = [[p.code, p.full_name, None, None, None, None, month] for p in people]
    catalogue = Catalogue.get_or_none(Catalogue.unit == unit, Catalogue.year == year)
    products = (Product.select().where(Product.catalogue == catalogue)
                .order_by(Product.complexity_group, Product.position, Product.id)
                if catalogue else [])
    listing = [[p.code, p.name, f"N{p.complexity_group}", float(p.coefficient),
                vi_date(p.supplement.applies_from) if p.supplement_id else None]
               for p in products]
    workbook.write_xlsx([
        workbook.Table(f"Giao việc T{month}-{year}", list(HEADERS), rows),
        workbook.Table(f"Danh mục {year}", ["Mã sản phẩm", "Sản phẩm", "Nhóm",
                                            "Hệ số quy đổi", "Áp dụng từ"], listing,
                       {3: "decimal"}),
    ], target)
    return target
