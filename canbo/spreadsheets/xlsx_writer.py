"""A small, fast XLSX writer for plain tables (SpreadsheetML, ECMA-376 part 1).

openpyxl builds an object per cell and takes about 3 s for a 10,000-person staff list on
this machine; the export target is under 3 s in all, so tables are written here as XML
text: shared strings, one bold frozen header row, column widths, and three number
formats (date, percent, decimal).  openpyxl still reads every file (and the tests read
these back with it, so what we write is what Excel and LibreOffice read).
"""
import datetime
import decimal
import re
import zipfile
from xml.sax.saxutils import escape, quoteattr

from openpyxl.utils import get_column_letter

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")  # not allowed in XML 1.0
_EPOCH = datetime.date(1899, 12, 30)  # Excel's day 0 in the 1900 date system

# Style indexes in cellXfs below: 0 plain, 1 header, 2 date, 3 percent, 4 decimal.
STYLE = {"header": 1, "date": 2, "percent": 3, "decimal": 4}

_STYLES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="{_MAIN}">
<numFmts count="3"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/>\
<numFmt numFmtId="165" formatCode="0.0#%"/><numFmt numFmtId="166" formatCode="0.00"/></numFmts>
<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>\
<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>
<fills count="2"><fill><patternFill patternType="none"/></fill>\
<fill><patternFill patternType="gray125"/></fill></fills>
<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>
<cellXfs count="5"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>\
<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1" applyAlignment="1">\
<alignment vertical="center" wrapText="1"/></xf>\
<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>\
<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>\
<xf numFmtId="166" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>
<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>
</styleSheet>"""


def _text(value):
    return escape(_ILLEGAL.sub("", value))


class _Strings:
    """The shared string table: each distinct text stored once."""

    def __init__(self):
        self.index = {}

    def __call__(self, value):
        found = self.index.get(value)
        if found is None:
            found = self.index[value] = len(self.index)
        return found

    def xml(self):
        items = "".join(f'<si><t xml:space="preserve">{_text(s)}</t></si>' for s in self.index)
        return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="{_MAIN}" '
                f'count="{len(self.index)}" uniqueCount="{len(self.index)}">{items}</sst>')


def _cell(ref, value, style, strings):
    """One ``<c>`` element; ``style`` is the column's number format style or 0."""
    if value is None or value == "":
        return ""
    s = f' s="{style}"' if style else ""
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return f'<c r="{ref}" s="{STYLE["date"]}"><v>{(value - _EPOCH).days}</v></c>'
    if isinstance(value, (int, float, decimal.Decimal)):
        if style == STYLE["percent"]:
            value = float(value) / 100
        return f'<c r="{ref}"{s}><v>{value}</v></c>'
    return f'<c r="{ref}" t="s"><v>{strings(str(value))}</v></c>'


def _sheet(table, widths, strings):
    letters = [get_column_letter(i + 1) for i in range(max(len(table.headers), 1))]
    styles = {i: STYLE[f] for i, f in table.formats.items()}
    cols = "".join(f'<col min="{i}" max="{i}" width="{w}" customWidth="1"/>'
                   for i, w in enumerate(widths, 1))
    # The dimension spares readers (openpyxl's read-only mode) a pass over the sheet.
    out = [f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{_MAIN}" '
           f'xmlns:r="{_REL}"><dimension ref="A1:{letters[-1]}{len(table.rows) + 1}"/><sheetViews><sheetView workbookViewId="0"><pane ySplit="1" '
           'topLeftCell="A2" activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft" '
           'activeCell="A2" sqref="A2"/></sheetView></sheetViews>'
           f'<sheetFormatPr defaultRowHeight="15"/>{"<cols>" + cols + "</cols>" if cols else ""}'
           '<sheetData>']
    header = "".join(f'<c r="{letters[i]}1" s="1" t="s"><v>{strings(str(h))}</v></c>'
                     for i, h in enumerate(table.headers))
    out.append(f'<row r="1">{header}</row>')
    for n, row in enumerate(table.rows, 2):
        cells = "".join(_cell(f"{letters[i] if i < len(letters) else get_column_letter(i + 1)}{n}",
                              v, styles.get(i, 0), strings) for i, v in enumerate(row))
        out.append(f'<row r="{n}">{cells}</row>')
    out.append("</sheetData></worksheet>")
    return "".join(out)


def write(tables, widths, target):
    """Write ``tables`` (``spreadsheets.Table``) with ``widths`` (one list per table)."""
    strings = _Strings()
    sheets = [_sheet(t, w, strings) for t, w in zip(tables, widths)]
    n = len(sheets)
    names = "".join(f'<sheet name={quoteattr(_ILLEGAL.sub("", t.name)[:31])} sheetId="{i}" '
                    f'r:id="rId{i}"/>' for i, t in enumerate(tables, 1))
    rels = "".join(f'<Relationship Id="rId{i}" Type="{_REL}/worksheet" '
                   f'Target="worksheets/sheet{i}.xml"/>' for i in range(1, n + 1))
    rels += (f'<Relationship Id="rId{n + 1}" Type="{_REL}/styles" Target="styles.xml"/>'
             f'<Relationship Id="rId{n + 2}" Type="{_REL}/sharedStrings" '
             'Target="sharedStrings.xml"/>')
    overrides = "".join(f'<Override PartName="/xl/worksheets/sheet{i}.xml" '
                        f'ContentType="{_CT}.worksheet+xml"/>' for i in range(1, n + 1))
    head = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    parts = {
        "[Content_Types].xml": f'{head}<Types xmlns="http://schemas.openxmlformats.org/package/'
        '2006/content-types"><Default Extension="rels" ContentType="application/vnd.'
        'openxmlformats-package.relationships+xml"/><Default Extension="xml" '
        'ContentType="application/xml"/><Override PartName="/xl/workbook.xml" '
        f'ContentType="{_CT}.sheet.main+xml"/><Override PartName="/xl/styles.xml" '
        f'ContentType="{_CT}.styles+xml"/><Override PartName="/xl/sharedStrings.xml" '
        f'ContentType="{_CT}.sharedStrings+xml"/>{overrides}</Types>',
        "_rels/.rels": f'{head}<Relationships xmlns="{_PKG_REL}"><Relationship Id="rId1" '
        f'Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'{head}<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><sheets>{names}'
        '</sheets></workbook>',
        "xl/_rels/workbook.xml.rels": f'{head}<Relationships xmlns="{_PKG_REL}">{rels}'
        '</Relationships>',
        "xl/styles.xml": _STYLES,
        "xl/sharedStrings.xml": strings.xml(),
    }
    for i, sheet in enumerate(sheets, 1):
        parts[f"xl/worksheets/sheet{i}.xml"] = sheet
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text.encode("utf-8"))
