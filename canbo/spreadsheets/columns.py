"""The columns of the staff and ratings sheets, and how each cell's value is read.

Headers are matched ignoring case, diacritics and punctuation, Vietnamese first with
English aliases, in any order.  A value parser returns the Python value or raises
``BadValue`` with the Vietnamese words that say what is allowed; the importer adds the
sheet, row and column.
"""
import dataclasses
import datetime
import decimal
import functools
import re

from openpyxl.utils.datetime import from_excel

from canbo.errors import InvalidInput
from canbo.levels import Education, Gender, PoliticalTheory, Rating, StaffKind, StateManagement
from canbo.models.records import check_personal_id
from canbo.vietnamese import (
    NoSuchDate,
    fold,
    nfc,
    parse_date,
    parse_decimal,
    strip_control,
    vi_date,
)


class BadValue(ValueError):
    """A cell's value is not allowed; the message says what is."""


@dataclasses.dataclass(frozen=True)
class Column:
    key: str
    header: str  # the Vietnamese header written in templates and exports
    aliases: tuple
    parse: object
    required: bool = False


# --- value parsers --------------------------------------------------------------------


def text(value, max_length=200):
    """A cell as clean text: NFC, white space collapsed; numbers without a trailing .0."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, (datetime.datetime, datetime.date)):
        value = vi_date(value)
    out = " ".join(strip_control(nfc(str(value))).split())
    if len(out) > max_length:
        raise BadValue(f"dài quá {max_length} ký tự")
    return out or None


def code(value):
    return text(value, 32)


def short_text(value):
    return text(value, 50)


def personal_id(value):
    """The 12-digit personal identification number, as ``Staff`` checks it."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a number cell; a leading 0 is lost that way, hence the check
    try:
        return check_personal_id(text(value, 40))
    except InvalidInput as exc:
        raise BadValue(exc.message) from None


DATE_HELP = "ngày viết dd/mm/yyyy (ví dụ 12/03/1972) hoặc ô kiểu ngày của Excel"


def date(value):
    """An Excel date, an Excel serial number, or text as ``canbo.vietnamese.parse_date``
    reads it (dd/mm/yyyy, also dd/mm/yy as LibreOffice writes it, or ISO)."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if not 1 <= value < 2958466:  # Excel's serial numbers: 1900-01-01 … 9999-12-31
            raise BadValue(f"không phải ngày; cho phép: {DATE_HELP}")
        return from_excel(value).date()
    try:
        return parse_date(value, short_years=True)
    except NoSuchDate:
        raise BadValue(f"không có ngày này; cho phép: {DATE_HELP}") from None
    except ValueError:
        raise BadValue(f"không phải ngày; cho phép: {DATE_HELP}") from None


def _level_parser(level_class, extra=None):
    @functools.lru_cache(maxsize=512)
    def parse_text(raw):
        key = fold(raw)
        for variant, fixed in (extra or {}).items():
            key = key.replace(variant, fixed)
        try:
            return level_class.parse(key)
        except ValueError:
            allowed = ", ".join(f"{m.code} ({m.label})" for m in level_class)
            raise BadValue(f"không thuộc danh mục; cho phép: {allowed}") from None

    def parse(value):
        raw = text(value)
        return None if raw is None else parse_text(raw)

    parse.level_class = level_class
    return parse


# "Thạc sỹ" and "Tiến sỹ" are common spellings of "sĩ".
education = _level_parser(Education, {"sy": "si"})
political_theory = _level_parser(PoliticalTheory)
state_management = _level_parser(StateManagement)
gender = _level_parser(Gender)
staff_kind = _level_parser(StaffKind)
rating_level = _level_parser(Rating)

_TRUE = {"x", "co", "yes", "y", "1", "true", "dang vien", "dv", "v"}
_FALSE = {"khong", "no", "n", "0", "false", "-"}


def flag(value):
    """Đảng viên: x / có / 1 for yes, empty / không / 0 for no."""
    if value is None or value == "":
        return False
    if isinstance(value, bool):
        return value
    key = fold(str(value)).strip(" .")
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    raise BadValue("cho phép: x, có, 1 (là đảng viên) hoặc để trống, không, 0")


def year(value):
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.year
    try:
        number = parse_decimal(value, "Năm", required=True)
    except InvalidInput:
        number = None
    if number is None or number != number.to_integral_value():
        raise BadValue("cho phép: năm viết bốn chữ số, ví dụ 2022")
    return int(number)


def points(value):
    """Điểm: a number from 0 to 100, decimal point or comma."""
    if value is None or value == "":
        return None
    try:
        number = parse_decimal(value, "Điểm")
    except InvalidInput:
        number = None
    if number is None or not 0 <= number <= 100:
        raise BadValue("cho phép: số điểm từ 0 đến 100, ví dụ 85 hoặc 85,5")
    return number.quantize(decimal.Decimal("0.01"))


# --- the sheets -----------------------------------------------------------------------

STAFF = [
    Column("code", "Mã", ("ma", "ma can bo", "ma so", "code", "staff code", "id"), code, True),
    Column("full_name", "Họ và tên", ("ho va ten", "ho ten", "name", "full name"), text, True),
    Column("birth_date", "Ngày sinh", ("ngay sinh", "birth date", "date of birth", "dob",
                                       "birthday"), date),
    Column("gender", "Giới tính", ("gioi tinh", "gender", "sex"), gender),
    Column("unit", "Đơn vị", ("don vi", "unit", "ma don vi", "unit code"), text),
    # Needed for a new person only (checked per row); a sheet without it updates people.
    Column("kind", "Loại", ("loai", "loai can bo", "kind", "type", "staff kind"), staff_kind),
    Column("title", "Chức vụ, chức danh", ("chuc vu chuc danh", "chuc vu", "chuc danh",
                                           "title", "position"), text),
    Column("department", "Phòng ban", ("phong ban", "department"), text),
    Column("education", "Trình độ chuyên môn", ("trinh do chuyen mon", "trinh do", "education"),
           education),
    Column("major", "Chuyên ngành", ("chuyen nganh", "major", "field of study"), text),
    Column("political_theory", "Lý luận chính trị", ("ly luan chinh tri", "llct",
                                                     "political theory"), political_theory),
    Column("state_management", "Quản lý nhà nước", ("quan ly nha nuoc", "qlnn",
                                                    "state management"), state_management),
    Column("party_member", "Đảng viên", ("dang vien", "party member", "party"), flag),
    Column("ethnicity", "Dân tộc", ("dan toc", "ethnicity"), short_text),
    Column("joined_on", "Ngày vào làm", ("ngay vao lam", "ngay tuyen dung", "joined",
                                         "joined on", "start date"), date),
    Column("left_on", "Ngày nghỉ", ("ngay nghi", "left", "left on", "end date"), date),
    Column("left_reason", "Lý do nghỉ", ("ly do nghi", "reason for leaving", "left reason"),
           lambda v: text(v, 300)),
    # What the national database keys a person by (ND 335/2025 Điều 26.1.d).
    Column("personal_id", "Số định danh cá nhân", ("so dinh danh ca nhan", "so dinh danh",
                                                   "so can cuoc", "cccd", "personal id"),
           personal_id),
    Column("rank_code", "Mã ngạch", ("ma ngach", "ngach", "rank code"), lambda v: text(v, 20)),
    Column("job_position", "Vị trí việc làm", ("vi tri viec lam", "job position"), text),
]

RATINGS = [
    Column("code", "Mã", ("ma", "ma can bo", "ma so", "code", "staff code", "id"), code, True),
    Column("full_name", "Họ và tên", ("ho va ten", "ho ten", "name", "full name"), text),
    Column("unit", "Đơn vị", ("don vi", "unit", "ma don vi", "unit code"), text),
    Column("year", "Năm", ("nam", "nam danh gia", "year"), year, True),
    Column("level", "Xếp loại", ("xep loai", "muc xep loai", "xep loai chat luong", "level",
                                 "rating"), text, True),
    Column("points", "Điểm", ("diem", "tong diem", "points", "score"), points),
    Column("note", "Ghi chú", ("ghi chu", "note", "notes", "remarks"), lambda v: text(v, 2000)),
]

#: Columns recognised and deliberately ignored: row numbers.
IGNORED = {"stt", "tt", "so tt", "no", "#"}

STAFF_SHEET = "Cán bộ"
RATINGS_SHEET = "Xếp loại"


def header_key(header):
    """A header as matched: folded, punctuation dropped."""
    return " ".join(re.sub(r"[^\w]+", " ", fold(str(header or ""))).split())


def _header_name(header, shown=60):
    """An unknown header as the warning names it.  It is not a value to import, so a long
    one (any cell of a row scanned for the header, e.g. a number of 200 digits) is cut
    short instead of refusing the file."""
    name = text(header, max_length=float("inf"))
    return name if name is None or len(name) <= shown else name[:shown - 1] + "…"


def match_headers(row, columns):
    """``({index: Column}, [unknown header, …])`` for a header row."""
    lookup = {}
    for column in columns:
        for alias in (header_key(column.header),) + column.aliases:
            lookup.setdefault(alias, column)
    found, unknown, seen = {}, [], set()
    for i, header in enumerate(row):
        key = header_key(header)
        if not key or key in IGNORED:
            continue
        column = lookup.get(key)
        if column is None or column.key in seen:
            unknown.append(_header_name(header) or f"cột {i + 1}")
            continue
        seen.add(column.key)
        found[i] = column
    return found, unknown
