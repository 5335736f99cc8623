"""Vietnamese text: folding for search, and the sort key of personal names.

``fold`` removes case and diacritics ("Đỗ Thị Ánh" → "do thi anh") so that a search can
match in both directions; it is what the indexed ``search_name`` column holds.

``sort_key`` orders names the Vietnamese way: by given name (the last word), then the
middle names, then the family name, comparing letters in the Vietnamese alphabet
(a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y) and, for equal letters, tones
in the conventional order (ngang, huyền, hỏi, ngã, sắc, nặng).
"""
import datetime
import functools
import unicodedata

_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_LETTER_RANK = {ch: i for i, ch in enumerate(_ALPHABET)}

# Combining marks: the vowel-shape marks are part of the letter, the tone marks are not.
_SHAPE = {"\u0306": "breve", "\u0302": "circumflex", "\u031b": "horn"}
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}  # huyền hỏi ngã sắc nặng


def nfc(text):
    return unicodedata.normalize("NFC", text)


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


DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d")


def parse_date(text):
    """A date typed the Vietnamese way, dd/mm/yyyy, or as ISO YYYY-MM-DD (REFERENCE.md §10).

    ``None`` for empty text; ``ValueError`` with a Vietnamese message otherwise.
    """
    text = str(text or "").strip()
    if not text:
        return None
    for fmt in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"Ngày «{text}» không hợp lệ; hãy viết dd/mm/yyyy (ví dụ 30/06/2023) "
                     "hoặc YYYY-MM-DD (2023-06-30).")
