"""Vietnamese text: folding for search, the sort key of personal names, and how numbers
and dates are written and read (REFERENCE.md §10: dd/mm/yyyy, decimal comma).

``fold`` removes case and diacritics ("Đỗ Thị Ánh" → "do thi anh") so that a search can
match in both directions; it is what the indexed ``search_name`` column holds.

``sort_key`` orders names the Vietnamese way: by given name (the last word), then the
middle names, then the family name, comparing letters in the Vietnamese alphabet
(a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y) and, for equal letters, tones
in the conventional order (ngang, huyền, hỏi, ngã, sắc, nặng).
"""
import datetime
import functools
import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal

from canbo.errors import InvalidInput

_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_LETTER_RANK = {ch: i for i, ch in enumerate(_ALPHABET)}

# Combining marks: the vowel-shape marks are part of the letter, the tone marks are not.
_SHAPE = {"\u0306": "breve", "\u0302": "circumflex", "\u031b": "horn"}
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}  # huyền hỏi ngã sắc nặng


def nfc(text):
    return unicodedata.normalize("NFC", text)


#: Control characters no stored text holds: NUL (which PostgreSQL cannot store at all),
#: escape and the like.  Tab, line feed and carriage return are kept in long texts.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
LINE_BREAKS = re.compile(r"[\t\n\r]")


def strip_control(text, multiline=True):
    """``text`` without control characters (``CONTROL``); a one-line text loses its tabs
    and line breaks as well (each becomes a space)."""
    text = CONTROL.sub("", text)
    return text if multiline else LINE_BREAKS.sub(" ", text)


def fold(text):
    """Lower case without diacritics, white space collapsed: the search form of a text."""
    text = unicodedata.normalize("NFD", str(text).lower()).replace("đ", "d")
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(text.replace("\u0111", "d").split())


def _letters(word):
    """Split a word into (base letter with its shape marks, tone) pairs, lower case."""
    out = []
    for ch in unicodedata.normalize("NFD", word.lower()):
        if ch in _SHAPE and out:
            out[-1][0] = unicodedata.normalize("NFC", out[-1][0] + ch)
        elif ch in _TONES and out:
            out[-1][1] = _TONES[ch]
        elif unicodedata.combining(ch):
            continue
        else:
            out.append([ch, 0])
    return out


@functools.lru_cache(maxsize=8192)  # names reuse few words; imports sort thousands
def _word_key(word):
    """``(letter ranks, tone)`` of one word.

    A syllable carries one tone, wherever the mark sits: "Hoà" and "Hòa", "Thuý" and
    "Thúy" are the same name spelled in the old and new styles, and sort together.
    """
    letters = _letters(word.replace("\u00f0", "đ"))
    base = tuple(_LETTER_RANK.get(ch, 100 + ord(ch[0])) for ch, _ in letters)
    return base, max((tone for _, tone in letters), default=0)


def split_name(full_name):
    """``(family, middle, given)`` of a Vietnamese full name."""
    words = nfc(str(full_name)).split()
    if not words:
        return "", "", ""
    if len(words) == 1:
        return "", "", words[0]
    return words[0], " ".join(words[1:-1]), words[-1]


def sort_key(full_name):
    """The key that sorts names by given, middle, then family name, Vietnamese order.

    Words compare as a dictionary compares syllables: letter by letter in the Vietnamese
    alphabet, then, for the same letters, by tone (ngang, huyền, hỏi, ngã, sắc, nặng).
    So every "Anh" comes before every "Ánh", whatever their middle and family names.
    """
    family, middle, given = split_name(full_name)
    return tuple(tuple(_word_key(w) for w in part.split()) for part in (given, middle, family))


def sort_string(full_name):
    """``sort_key`` as a string of digits, for an indexed column that SQL can ORDER BY.

    Each word is its letters as two digits each (alphabet rank + 2), then ``01``, then
    its tone as one digit; a part (given, middle, family) ends with ``00``.  A shorter
    word sorts first ("An" before "Anh") under any database collation, since ``01`` is
    below every letter, and the tone only decides between words of the same letters.
    """
    family, middle, given = split_name(full_name)
    return "".join("".join(_word_code(w) for w in part.split()) + "00"
                   for part in (given, middle, family))


@functools.lru_cache(maxsize=8192)
def _word_code(word):
    letters, tone = _word_key(word)
    return "".join(f"{min(x + 2, 99):02d}" for x in letters) + "01" + str(tone)


# --- numbers and dates, written (REFERENCE.md §10) --------------------------------------
# Every number and date a person reads — screens, printed forms, messages, the CLI — goes
# through these, so that "83,3%" and "07/07/2023" read the same everywhere.  Machine
# formats (CSV cells, JSON, ISO dates in URLs) keep the dot and ISO on purpose.


def _rounded(value, places):
    # Half up, as ``ScoringRules.round`` stores scores: a shown number never disagrees
    # with the stored one.  ``+ 0`` turns a rounded "-0" into "0".
    return Decimal(value).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP) + 0


def vi_decimal(value, places=2):
    """A number with at most ``places`` decimals, trailing zeros dropped, decimal comma:
    ``3,4``, ``4``, ``0,8``, ``83,3`` (REFERENCE.md §10).  For counts of the rules
    (17 × 20% = 3,4), percents of the reports and the maxima printed on the forms."""
    text = f"{_rounded(value, places):f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


def vi_points(value, places=2):
    """A score with exactly ``places`` decimals, decimal comma: ``83,50``, ``96,25``; ``""``
    for ``None``.  ND 335 scores are stored and printed to two places (REFERENCE.md §3,
    §10), so a column of them lines up; the CLI, the panel's grid and Mẫu 01/02 use it."""
    return "" if value is None else f"{_rounded(value, places):f}".replace(".", ",")


def vi_percent(ratio, places=2):
    """A ratio as a percent, ``vi_decimal``'s way: ``0.2`` → ``20%``, ``0.225`` → ``22,5%``."""
    return vi_decimal(Decimal(ratio) * 100, places) + "%"


def vi_count(n):
    """A head-count as the reports write it, with a leading zero under ten: ``05``."""
    return f"{n:02d}"


def vi_date(day):
    """``07/07/2023`` (REFERENCE.md §10); ``""`` for no date."""
    return "" if day is None else f"{day:%d/%m/%Y}"


def vi_datetime(moment):
    """``08:30 07/07/2023``: the time first, then the date as ``vi_date`` writes it."""
    return "" if moment is None else f"{moment:%H:%M} {vi_date(moment)}"


def vi_date_words(day):
    """``ngày 07 tháng 7 năm 2023``, the date of a document's place-and-date line: days
    under 10 and the months 1 and 2 take a leading zero (ND 30/2020 annex I,
    REFERENCE.md §9)."""
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


#: The formatters under the names templates use, for the panel's and the documents'
#: Jinja environments alike.
TEMPLATE_FILTERS = {
    "vi_decimal": vi_decimal, "vi_points": vi_points, "vi_percent": vi_percent,
    "vi_count": vi_count, "vi_date": vi_date, "vi_datetime": vi_datetime,
}


# --- numbers and dates, read ------------------------------------------------------------

_NUMBER = re.compile(r"[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)")
NUMBER_HELP = "một số, dấu thập phân là dấu phẩy hoặc dấu chấm (ví dụ 1,5 hoặc 1.5)"


def parse_decimal(text, what, percent=False, required=False):
    """A number typed or imported the Vietnamese way, ``"1,5"``, or with a dot, ``"1.5"``
    (REFERENCE.md §10), as a ``Decimal``; with ``percent`` a trailing "%" is allowed
    ("20%" → 20).  A number from a spreadsheet cell is taken as it is.

    ``None`` for empty text, unless ``required``.  Anything else — letters, two decimal
    marks ("1.234,5"), an exponent, NaN or infinity — raises ``InvalidInput`` naming
    ``what`` and what is allowed.
    """
    if isinstance(text, bool):
        raise InvalidInput(f"{what} «{text}» không phải là số; cho phép: {NUMBER_HELP}.",
                           field=what, value=text)
    if isinstance(text, (int, float, Decimal)):
        number = Decimal(str(text)) if isinstance(text, float) else Decimal(text)
        if not number.is_finite():
            raise InvalidInput(f"{what} «{text}» không phải là số hữu hạn; cho phép: "
                               f"{NUMBER_HELP}.", field=what, value=str(text))
        return number
    raw = "" if text is None else str(text).strip()
    body = raw[:-1].rstrip() if percent and raw.endswith("%") else raw
    if not body:
        if required:
            raise InvalidInput(f"{what} còn trống; hãy ghi {NUMBER_HELP}.", field=what)
        return None
    if not _NUMBER.fullmatch(body):
        allowed = NUMBER_HELP + (", có thể kèm dấu % (ví dụ 20%)" if percent else "")
        raise InvalidInput(f"{what} «{raw}» không phải là số; cho phép: {allowed}.",
                           field=what, value=raw)
    return Decimal(body.replace(",", "."))


#: How a date is written for people (the panel's fields say it in their placeholder).
DATE_HINT = "dd/mm/yyyy"
_DMY = re.compile(r"(\d{1,2})([/.\-])(\d{1,2})\2(\d{4}|\d{2})")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?")


class NoSuchDate(ValueError):
    """Written as a date, but no such day exists (31/02/2023)."""


def parse_date(text, short_years=False):
    """A date typed the Vietnamese way, dd/mm/yyyy or d/m/yyyy (also with "." or "-"),
    or as ISO YYYY-MM-DD (REFERENCE.md §10): the one reader of dates typed by a person,
    for the panel's fields, the CLI's options and the importer's text cells.

    ``short_years`` (the importer: LibreOffice writes dd/mm/yy) reads a two-digit year
    as the latest past one.  ``None`` for empty text; ``ValueError`` (``NoSuchDate`` for
    a day that does not exist) with a Vietnamese message otherwise.
    """
    text = str(text or "").strip()
    if not text:
        return None
    match = _DMY.fullmatch(text)
    if match and (len(match.group(4)) == 4 or short_years):
        day, month, year = int(match.group(1)), int(match.group(3)), int(match.group(4))
        if len(match.group(4)) == 2:
            this_year = datetime.date.today().year
            year += 2000 if 2000 + year <= this_year else 1900
    elif _ISO.fullmatch(text):
        year, month, day = (int(g) for g in _ISO.fullmatch(text).groups())
    else:
        raise ValueError(f"Ngày «{text}» không hợp lệ; hãy viết dd/mm/yyyy (ví dụ "
                         "30/06/2023) hoặc YYYY-MM-DD (2023-06-30).")
    try:
        return datetime.date(year, month, day)
    except ValueError:
        raise NoSuchDate(f"Ngày «{text}» không hợp lệ: không có ngày này; hãy viết "
                         "dd/mm/yyyy (ví dụ 30/06/2023).") from None
