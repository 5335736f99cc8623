"""Reading and writing the spreadsheets personnel officers exchange: XLSX and CSV.

Reading gives plain rows of cell values whatever produced the file: Excel or
LibreOffice XLSX, CSV in UTF-8 with or without BOM, UTF-16 ("Unicode text"), or the
Windows code pages (cp1258, and cp1252 carrying legacy TCVN3/VNI text), separated by
commas, semicolons or tabs.  Every text comes out as Unicode NFC, legacy encodings
converted (``legacy_text``).

Writing makes files Excel opens correctly: XLSX with a frozen bold header row, column
widths fitted to the content, dates and percents as real numbers with a format; CSV in
UTF-8 with BOM (without it Excel reads UTF-8 as the ANSI code page).
"""
import csv
import dataclasses
import datetime
import io
import pathlib
import re
import zipfile

import openpyxl

from canbo.errors import InvalidInput
from canbo.spreadsheets import legacy_text, xlsx_writer
from canbo.vietnamese import vi_date

XLSX_MAGIC = b"PK\x03\x04"
#: What a file to import may hold, checked before it is parsed: an XLSX is a zip, and a
#: small one can unpack to gigabytes or to a million rows (a "zip bomb" that kept a
#: worker busy for minutes).  A province's staff list is far inside these.
MAX_UNCOMPRESSED = 100 * 1024 * 1024
MAX_ROWS = 100_000
MAX_COLUMNS = 200
_ROW_TAG = re.compile(rb"<(?:\w+:)?row[\s>/]")
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # .xls (Excel 97–2003)


@dataclasses.dataclass
class Worksheet:
    """One sheet as read: its name and its rows, ``rows[i]`` being row ``i + 1`` of the
    sheet (a list of values; empty rows are empty lists, trailing ones dropped)."""

    name: str
    rows: list


@dataclasses.dataclass
class Converted:
    """One cell of a Unicode file that was pasted from an old TCVN3 or VNI file and
    converted on its own (``legacy_text.convert_cell``), for the officer to check."""

    sheet: str
    row: int  # the sheet's row number, from 1
    column: int  # from 0; ``letter`` is how the spreadsheet program names it
    before: str
    after: str
    encoding: str
    header: str = ""  # the column's heading, when the sheet is one the importer knows

    @property
    def letter(self):
        return column_letter(self.column)

    @property
    def column_name(self):
        """``«Họ và tên» (B)``, or ``B`` in a column without a known heading."""
        return f"«{self.header}» ({self.letter})" if self.header else self.letter

    def __str__(self):
        return (f"Trang «{self.sheet}», dòng {self.row}, cột {self.column_name}: "
                f"«{self.before}» → «{self.after}» (từ {self.encoding.upper()})")


def column_letter(index):
    """``0`` → ``"A"``, ``26`` → ``"AA"``: a column as spreadsheet programs name it."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@dataclasses.dataclass
class Workbook:
    sheets: list
    encoding: str = legacy_text.UNICODE  # the legacy encoding converted from, if any
    #: In a Unicode file, the cells converted one by one (``Converted``).
    converted: list = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class Table:
    """One sheet to write.  ``formats`` maps a column index to "date", "percent" (values
    in percent, e.g. 83.3) or "decimal"."""

    name: str
    headers: list
    rows: list
    formats: dict = dataclasses.field(default_factory=dict)


# --- reading --------------------------------------------------------------------------


def read(source, filename=None):
    """The sheets of an XLSX or CSV file given as a path, bytes or a binary file.

    Raises ``InvalidInput`` with a Vietnamese message when the file cannot be read.
    """
    if isinstance(source, (str, pathlib.Path)):
        filename = filename or str(source)
        try:
            data = pathlib.Path(source).read_bytes()
        except OSError as exc:
            raise InvalidInput(f"Không đọc được tệp «{source}»: {exc.strerror}.") from exc
    elif isinstance(source, (bytes, bytearray)):
        data = bytes(source)
    else:
        data = source.read()
    name = pathlib.Path(filename or "tệp").name
    if data.startswith(OLE_MAGIC) or name.lower().endswith(".xls"):
        raise InvalidInput(f"Tệp «{name}» là Excel 97–2003 (.xls), chưa được hỗ trợ; "
                           "hãy mở bằng Excel hoặc LibreOffice và lưu lại thành .xlsx.")
    if data.startswith(XLSX_MAGIC):
        sheets = _read_xlsx(data, name)
    else:
        sheets = [Worksheet(pathlib.Path(name).stem, _read_csv(data, name))]
    return _to_unicode(sheets)


def _n(number):
    """A count written the Vietnamese way, a dot between thousands: 100.000."""
    return f"{number:,}".replace(",", ".")


def _too_big(name, what):
    return InvalidInput(f"Tệp «{name}» quá lớn để nhập: {what}. Hãy chia thành nhiều tệp "
                        f"nhỏ hơn (mỗi tệp tối đa {_n(MAX_ROWS)} dòng, {MAX_COLUMNS} cột, "
                        f"{MAX_UNCOMPRESSED // 2**20} MB khi giải nén).")


def check_xlsx_size(data, name):
    """Refuse an XLSX whose parts unpack past ``MAX_UNCOMPRESSED`` or whose sheets hold
    more than ``MAX_ROWS`` rows, before openpyxl reads it: the sizes the zip declares are
    checked first, then each sheet is unpacked as a stream (never more than declared)
    counting its rows."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # not a zip after all: openpyxl says so in its own words
    total = sum(m.file_size for m in members)
    if total > MAX_UNCOMPRESSED:
        raise _too_big(name, f"giải nén ra {total // 2**20} MB")
    unpacked = 0
    for member in members:
        if not (member.filename.startswith("xl/worksheets/") and
                member.filename.endswith(".xml")):
            continue
        rows, tail = 0, b""
        try:
            with archive.open(member) as stream:
                while chunk := stream.read(1 << 20):
                    unpacked += len(chunk)
                    if unpacked > MAX_UNCOMPRESSED:
                        raise _too_big(name, f"giải nén ra hơn {MAX_UNCOMPRESSED // 2**20} MB")
                    rows += len(_ROW_TAG.findall(tail + chunk)) - len(_ROW_TAG.findall(tail))
                    tail = chunk[-16:]
                    if rows > MAX_ROWS:
                        raise _too_big(name, f"một trang có hơn {_n(MAX_ROWS)} dòng")
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError):
            return  # damaged: openpyxl's reading reports it


def _read_xlsx(data, name):
    check_xlsx_size(data, name)
    # An uploaded file is untrusted: any failure inside openpyxl (bad zip, bad XML,
    # missing parts, corrupt compression) means the same thing to the user.
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheets = []
        for ws in book.worksheets:
            ws.reset_dimensions()  # some writers store a wrong size; read what is there
            rows = []
            for r in ws.iter_rows(values_only=True, max_col=MAX_COLUMNS + 1):
                rows.append(_trim(list(r)))
                if len(rows[-1]) > MAX_COLUMNS:
                    raise _too_big(name, f"trang «{ws.title}» có hơn {MAX_COLUMNS} cột")
                if len(rows) > MAX_ROWS:
                    raise _too_big(name, f"trang «{ws.title}» có hơn {_n(MAX_ROWS)} dòng")
            sheets.append(Worksheet(ws.title, _trim(rows)))
        book.close()
        return sheets
    except InvalidInput:
        raise
    except Exception as exc:  # noqa: BLE001 - zlib, zipfile, XML and openpyxl all raise
        # their own kinds on a damaged file, and none of them may escape as a crash.
        raise InvalidInput(f"Tệp «{name}» không phải tệp Excel (.xlsx) hợp lệ hoặc đã bị "
                           f"hỏng ({type(exc).__name__}).") from exc


def _trim(values):
    """``values`` without its empty tail (cells, or rows of a sheet)."""
    while values and (values[-1] is None or values[-1] == "" or values[-1] == []):
        values.pop()
    return values


def decode(data):
    """The text of CSV bytes: by BOM, else UTF-8, else the better Windows code page.

    Without a BOM or valid UTF-8, the bytes were saved as "ANSI": cp1258 on Vietnamese
    Windows, or a legacy font's bytes read as cp1252; the reading that yields more valid
    Vietnamese words wins.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    vietnamese = legacy_text.normalize(data.decode("cp1258", errors="replace"))
    latin = data.decode("latin-1")
    lines = latin.splitlines()
    legacy = "\n".join(legacy_text.convert(line, legacy_text.detect(lines)) for line in lines)
    if legacy_text.score(legacy) > legacy_text.score(vietnamese):
        return latin  # converted cell by cell later, with the file's detected encoding
    return vietnamese


def _delimiter(text):
    """The separator of the first non-empty line outside quotes: ``;``, ``,`` or tab."""
    line = next((ln for ln in text.splitlines() if ln.strip()), "")
    outside, quoted = [], False
    for ch in line:
        if ch == '"':
            quoted = not quoted
        elif not quoted:
            outside.append(ch)
    counts = {d: outside.count(d) for d in (";", ",", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _read_csv(data, name):
    text = decode(data).replace("\x00", "")
    delimiter = None
    if text[:4].lower() == "sep=" and len(text) > 4:  # Excel's hint line: "sep=;"
        delimiter = text[4]
        text = text.split("\n", 1)[1] if "\n" in text else ""
    try:
        reader = csv.reader(io.StringIO(text, newline=""),
                            delimiter=delimiter or _delimiter(text))
        rows = []
        for row in reader:
            rows.append(_trim([unneutralise(cell).strip() or None
                               for cell in row[:MAX_COLUMNS + 1]]))
            if len(rows[-1]) > MAX_COLUMNS:
                raise _too_big(name, f"dòng {len(rows)} có hơn {MAX_COLUMNS} cột")
            if len(rows) > MAX_ROWS:
                raise _too_big(name, f"có hơn {_n(MAX_ROWS)} dòng")
    except csv.Error as exc:
        raise InvalidInput(f"Tệp «{name}» không phải tệp CSV hợp lệ: {exc}.") from exc
    return _trim(rows)


def _to_unicode(sheets):
    """The sheets with every text in Unicode NFC: a legacy file converted as a whole
    (``legacy_text.detect``); in a Unicode file, each cell pasted from an old file
    converted on its own and listed (``Workbook.converted``)."""
    texts = dict.fromkeys(v for s in sheets for row in s.rows for v in row if isinstance(v, str))
    encoding = legacy_text.detect(texts)
    done = {}  # each distinct text converted once: lists repeat the same values a lot

    def convert(value):
        if not isinstance(value, str) or value.isascii():
            return value, None
        if value not in done:
            done[value] = (legacy_text.convert_cell(value) if encoding == legacy_text.UNICODE
                           else (legacy_text.convert(value, encoding), None))
        return done[value]

    converted = []
    for sheet in sheets:
        sheet.name = convert(sheet.name)[0]
        rows = []
        for number, row in enumerate(sheet.rows, 1):
            out = []
            for column, value in enumerate(row):
                text, legacy = convert(value)
                if legacy:
                    converted.append(Converted(sheet.name, number, column, value, text, legacy))
                out.append(text)
            rows.append(out)
        sheet.rows = rows
    return Workbook(sheets, encoding, converted)


# --- writing --------------------------------------------------------------------------

#: How a cell a spreadsheet program would run as a formula starts (OWASP "CSV
#: injection"): ``=cmd|' /C calc'!A0``, ``=HYPERLINK(…)``, ``@SUM(…)``, and TAB or CR,
#: which some programs skip before looking for ``=``.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """A text cell of a CSV as written: with a leading apostrophe when it starts like a
    formula, so that it is shown, never run.  Numbers and dates are left as they are;
    ``unneutralise`` is the reading back."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def unneutralise(text):
    """A CSV cell as written by ``neutralise``, back as it was (a round trip is exact)."""
    if isinstance(text, str) and text.startswith("'") and text[1:].startswith(FORMULA_START):
        return text[1:]
    return text



def _width(values):
    longest = max((len(_text(v)) for v in values), default=0)
    return max(8, min(60, longest + 2))


def _text(value):
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return vi_date(value)
    return str(value)


def write_xlsx(tables, target):
    """Write ``tables`` as the sheets of one XLSX file (a path or a binary file)."""
    widths = []
    for table in tables:
        sample = table.rows[:500]
        widths.append([_width([header] + [row[i] if i < len(row) else None for row in sample])
                       for i, header in enumerate(table.headers)])
    xlsx_writer.write(tables, widths, target)


def write_csv(table, target):
    """Write one table as CSV, UTF-8 with BOM, comma-separated (a path or binary file)."""
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([neutralise(h) for h in table.headers])
    for row in table.rows:
        writer.writerow([neutralise(_csv_value(v, table.formats.get(i)))
                         if isinstance(v, str) else _csv_value(v, table.formats.get(i))
                         for i, v in enumerate(row)])
    data = ("\ufeff" + buf.getvalue()).encode("utf-8")
    if isinstance(target, (str, pathlib.Path)):
        pathlib.Path(target).write_bytes(data)
    else:
        target.write(data)


def _csv_value(value, fmt):
    if value is None:
        return ""
    if fmt == "percent":  # a number for the spreadsheet to compute with: CSV keeps the dot
        # one decimal, two where the report needed them (``reports.percents``)
        text = f"{value:.2f}"
        return text[:-1] if text.endswith("0") else text
    return _text(value)


def write(tables, target, fmt=None):
    """Write to XLSX or CSV by ``fmt`` or by the target's extension; CSV takes one table."""
    fmt = fmt or pathlib.Path(str(target)).suffix.lower().lstrip(".") or "xlsx"
    if fmt == "csv":
        if len(tables) != 1:
            raise InvalidInput("Tệp CSV chỉ chứa được một bảng; hãy xuất ra .xlsx.")
        return write_csv(tables[0], target)
    if fmt != "xlsx":
        raise InvalidInput(f"Định dạng «{fmt}» không được hỗ trợ; cho phép: xlsx, csv.")
    return write_xlsx(tables, target)
