"""Excel export (XLSX) of a list, with openpyxl: the same rows and columns as the CSV.

Flask-Admin exports formats other than CSV through tablib; the panel writes XLSX itself
so that no extra dependency is needed and the header row is bold, frozen and filtered.
"""
import io

from flask import Response
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from werkzeug.utils import secure_filename

from canbo.vietnamese import strip_control

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_response(view):
    """The rows of ``view``'s current list (its search and filters) as an XLSX download."""
    columns = view._export_columns
    _, rows = view._export_data()
    book = Workbook()
    sheet = book.active
    sheet.title = str(view.name)[:31]
    sheet.append([str(label) for _, label in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([_cell(view.get_export_value(row, name)) for name, _ in columns])
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # a text, never a formula, whatever it starts with
    for i, (_, label) in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = max(10, min(40, len(str(label)) + 4))
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    out = io.BytesIO()
    book.save(out)
    filename = secure_filename(view.get_export_name("xlsx"))
    return Response(
        out.getvalue(), mimetype=XLSX_MIMETYPE,
        headers={"Content-Disposition": f"attachment;filename={filename}"},
    )


def _cell(value):
    """A cell's value as text, shown exactly as the list shows it (the row's text type
    is set after ``append``, which would otherwise take "=…" for a formula)."""
    # A control character (a NUL stored before text was cleaned on save) would make
    # openpyxl refuse the whole file.
    return "" if value is None else strip_control(str(value))
