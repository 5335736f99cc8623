"""Vietnamese text in the legacy TCVN3 (ABC) and VNI encodings, turned into Unicode NFC.

Old commune files were typed with the ``.VnTime`` (TCVN3, TCVN 5712:1993) or
``VNI-Times`` fonts.  Excel and CSV readers see those bytes through a Windows code page,
so "Nguyễn Văn Hùng" arrives as ``NguyÔn V¨n Hïng`` (TCVN3) or ``Nguyeãn Vaên Huøng``
(VNI).  This module recognises both and converts them back:

- TCVN3 is one byte per letter: a table of the 5712:1993 VN1 set (VN3, the ABC subset
  used by ``.VnTime``, is its lower-case part).  All-capital cells typed with the
  ``.VnTimeH`` font use the lower-case codes, so a cell whose plain letters are all
  capitals is upper-cased after conversion.
- VNI writes a base letter followed by one or two mark bytes (``a`` + ``ø`` = "à"); a few
  letters (ơ ư đ and the toned i, ỵ) are single bytes.

A file is one encoding (``detect``, ``convert``); in a Unicode file, a few cells pasted
from an old file are found and converted one by one (``convert_cell``).

Detection is by evidence, not by guess: a conversion is kept only when it turns more
words into valid Vietnamese syllables than the text had before, and text holding any
letter that only Unicode can spell (ă, ơ, ư, đ, ạ … ỹ) is Unicode already.
"""
import functools
import itertools
import re
import unicodedata

UNICODE, TCVN3, VNI = "unicode", "tcvn3", "vni"
SAMPLE = 5000  # texts enough to tell a file's encoding; a whole file is one encoding

# TCVN 5712:1993 bytes 0x80–0xFF in Unicode (checked against glibc's TCVN5712-1 table
# in tests).  0xB0–0xB4 are combining tone marks; NFC folds them into the letter.
_TCVN3_HIGH = (
    "ÀẢÃÁẠẶẬÈẺẼÉẸỆÌỈĨ"  # 0x80
    "ÍỊÒỎÕÓỌỘỜỞỠỚỢÙỦŨ"  # 0x90
    "\u00a0ĂÂÊÔƠƯĐăâêôơưđẰ"  # 0xA0
    "\u0300\u0309\u0303\u0301\u0323àảãáạẲằẳẵắẴ"  # 0xB0
    "ẮẦẨẪẤỀặầẩẫấậèỂẻẽ"  # 0xC0
    "éẹềểễếệìỉỄẾỒĩíịò"  # 0xD0
    "Ổỏõóọồổỗốộờởỡớợù"  # 0xE0
    "ỖủũúụừửữứựỳỷỹýỵỐ"  # 0xF0
)
# VN1 also puts capitals on control codes; they only survive in raw CSV bytes.
_TCVN3_LOW = {0x01: "Ú", 0x02: "Ụ", 0x04: "Ừ", 0x05: "Ử", 0x06: "Ữ", 0x11: "Ứ", 0x12: "Ự",
              0x13: "Ỳ", 0x14: "Ỷ", 0x15: "Ỹ", 0x16: "Ý", 0x17: "Ỵ"}

# The code pages through which a legacy byte may have reached us as a character.
_CODEPAGES = ("latin-1", "cp1252", "cp1254")


def _tcvn3_table():
    table = {}
    for codepage in _CODEPAGES:
        for byte in range(0x80, 0x100):
            seen = bytes([byte]).decode(codepage, errors="ignore")
            target = _TCVN3_HIGH[byte - 0x80]
            if seen and seen != target and byte != 0xA0:
                table.setdefault(ord(seen), target)
    for byte, target in _TCVN3_LOW.items():
        table[byte] = target
    return table


TCVN3_TABLE = _tcvn3_table()

# --- VNI ------------------------------------------------------------------------------

# Mark bytes after a plain vowel: tone only.
_VNI_TONE = {"": "", "\u0301": "ù", "\u0300": "ø", "\u0309": "û", "\u0303": "õ", "\u0323": "ï"}
# After a, e, o: the circumflex, alone or with a tone.
_VNI_CIRCUMFLEX = {"": "â", "\u0301": "á", "\u0300": "à", "\u0309": "å", "\u0303": "ã",
                   "\u0323": "ä"}
# After a: the breve, alone or with a tone.
_VNI_BREVE = {"": "ê", "\u0301": "é", "\u0300": "è", "\u0309": "ú", "\u0303": "ü", "\u0323": "ë"}
# Letters VNI writes as one byte of their own (lower case; capitals are 0x20 below).
_VNI_SINGLE = {"ơ": "ô", "ư": "ö", "đ": "ñ", "í": "í", "ì": "ì", "ỉ": "æ", "ĩ": "ó", "ị": "ò",
               "ỵ": "î"}


def _vni_pairs():
    """``{unicode letter: VNI spelling}`` for every Vietnamese letter, both cases."""
    pairs = {}
    for tone in _VNI_TONE:
        for base in "aeouy":
            pairs[unicodedata.normalize("NFC", base + tone)] = base + _VNI_TONE[tone]
        for base in "aeo":
            pairs[unicodedata.normalize("NFC", base + "\u0302" + tone)] = (
                base + _VNI_CIRCUMFLEX[tone])
        pairs[unicodedata.normalize("NFC", "a\u0306" + tone)] = "a" + _VNI_BREVE[tone]
        for letter, code in (("ơ", "ô"), ("ư", "ö")):
            pairs[unicodedata.normalize("NFC", letter + tone)] = code + _VNI_TONE[tone]
    pairs.update(_VNI_SINGLE)
    for letter in list(pairs):
        if letter in ("i", "y") or letter.isascii():
            pairs.pop(letter)
    upper = {}
    for letter, code in pairs.items():
        # Capitals: the base letter in capitals and every mark byte 0x20 lower.
        upper[letter.upper()] = "".join(
            ch.upper() if ch.isascii() else chr(ord(ch) - 0x20) for ch in code)
    pairs.update(upper)
    return pairs


VNI_TO_LETTER = {code: letter for letter, code in _vni_pairs().items()}
_VNI_PATTERN = re.compile(
    "|".join(re.escape(code) for code in sorted(VNI_TO_LETTER, key=len, reverse=True)))

# --- detection ------------------------------------------------------------------------

# Letters a legacy decoding can never produce: proof that a text is Unicode already.
_UNICODE_ONLY = re.compile("[\u0102\u0103\u0110\u0111\u0128\u0129\u0168\u0169\u01a0\u01a1"
                           "\u01af\u01b0\u1ea0-\u1ef9\u0300\u0301\u0303\u0309\u0323]")
# Non-ASCII characters of Unicode Vietnamese that fit in Latin-1; any other one in a
# legacy file is a legacy byte.
_LATIN1_VIETNAMESE = "àáâãèéêìíòóôõùúýÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝ"
_AMBIGUOUS = re.compile(f"[^\\x00-\\x7f{_LATIN1_VIETNAMESE}]")
_CAPS_RUN = re.compile("[A-Z]{2}")
_WORD = re.compile(r"[^\W\d_]+")
_ONSETS = ("ngh ng nh ch gh gi kh ph qu th tr b c d đ g h k l m n p q r s t v x").split()
_CODAS = ("ng nh ch c m n p t").split()
# Vowel groups of Vietnamese syllables: those ending in a glide take no final consonant.
_OPEN_NUCLEI = set(
    "ai ao au ay âu ây eo êu ia iu oi ôi ơi ua ui ưa ưi ưu iêu yêu oai oay oao oeo uây uôi "
    "ươi ươu uya uyu".split())
_NUCLEI = _OPEN_NUCLEI | set(
    "a ă â e ê i o ô ơ u ư y iê yê oa oă oe oo uâ uê uô uơ uy ươ uyê".split())
_TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"


@functools.lru_cache(maxsize=65536)  # names and labels repeat the same syllables
def _syllable_ok(word):
    """Whether ``word`` (one token) is spelled like a Vietnamese syllable."""
    decomposed = unicodedata.normalize("NFD", word.lower())
    if sum(1 for ch in decomposed if ch in _TONE_MARKS) > 1:
        return False
    bare = unicodedata.normalize("NFC", "".join(ch for ch in decomposed if ch not in _TONE_MARKS))
    for onset in _ONSETS + [""]:
        if not bare.startswith(onset):
            continue
        rest = bare[len(onset):]
        for coda in _CODAS + [""]:
            nucleus = rest[: len(rest) - len(coda)]
            if not rest.endswith(coda) or nucleus not in _NUCLEI:
                continue
            if coda and nucleus in _OPEN_NUCLEI:
                continue
            if coda in ("ch", "nh") and nucleus[-1] not in "aêiy":
                continue
            return True
    return False


def score(text):
    """Words with non-ASCII letters spelled as syllables, minus those that are not."""
    score = 0
    for token in text.split():
        if token.isascii():
            continue
        words = _WORD.findall(token)
        good = bool(words) and all(_syllable_ok(w) for w in words)
        score += 1 if good and len("".join(words)) >= len(token.strip(".,;:()-–\"'")) else -1
    return score


def from_tcvn3(text):
    """``text`` read as TCVN3 (any code page) converted to Unicode NFC."""
    out = unicodedata.normalize("NFC", text.translate(TCVN3_TABLE))
    letters = [ch for ch in text if ch.isascii() and ch.isalpha()]
    if len(letters) >= 3 and all(ch.isupper() for ch in letters) and _CAPS_RUN.search(text):
        out = out.upper()  # typed with .VnTimeH, whose capitals sit on lower-case codes
    return out


def from_vni(text):
    """``text`` read as VNI converted to Unicode NFC."""
    return unicodedata.normalize("NFC", _VNI_PATTERN.sub(lambda m: VNI_TO_LETTER[m.group()], text))


CONVERTERS = {TCVN3: from_tcvn3, VNI: from_vni}


def is_unicode(text):
    """True when ``text`` needs no conversion (ASCII, or spelled with Unicode-only letters)."""
    return text.isascii() or bool(_UNICODE_ONLY.search(text))


def detect(texts):
    """The encoding that best explains ``texts`` (an iterable of strings, e.g. one file).

    Returns ``"unicode"``, ``"tcvn3"`` or ``"vni"``: a legacy encoding only when
    converting the texts that could be legacy gains more valid Vietnamese words than the
    texts already in Unicode hold.
    """
    totals = {UNICODE: 0, TCVN3: 0, VNI: 0}
    candidates = (t for t in texts if isinstance(t, str) and not t.isascii())
    for text in itertools.islice(candidates, SAMPLE):
        if is_unicode(text):
            # Spelled with letters only Unicode has: evidence for Unicode, so that a file
            # of Unicode names with a few cells pasted from an old one is read as Unicode
            # and those cells converted one by one (``convert_cell``).
            totals[UNICODE] += max(score(text), 0)
            continue
        totals[UNICODE] += score(text)
        for name, convert in CONVERTERS.items():
            totals[name] += score(convert(text))
    best = max((TCVN3, VNI), key=lambda name: totals[name])
    return best if totals[best] > totals[UNICODE] else UNICODE


def convert(text, encoding):
    """``text`` in ``encoding`` as Unicode NFC; texts already Unicode are left alone."""
    if not isinstance(text, str):
        return text
    if encoding == UNICODE or is_unicode(text):
        return normalize(text)
    converted = CONVERTERS[encoding](text)
    if _AMBIGUOUS.search(text) or score(converted) > score(text):
        return converted
    # Only letters Unicode Vietnamese also uses ("Mã", "Hà"): a header typed later in
    # Unicode inside a legacy file; keep it unless converting makes it better Vietnamese.
    return normalize(text)


# Non-ASCII characters that are not letters but do occur in Unicode Vietnamese text.
_PUNCTUATION = set("–—‘’“”«»…•°·\u00a0")


def _reads_as_vietnamese(text):
    """Whether ``text`` reads as Unicode Vietnamese: each word with a non-ASCII letter
    spelled as a syllable, and no other non-ASCII sign than common punctuation."""
    words = [w for w in _WORD.findall(text) if not w.isascii()]
    strays = {ch for ch in text if not ch.isascii() and not ch.isalpha()} - _PUNCTUATION
    return bool(words) and not strays and all(_syllable_ok(w) for w in words)


def convert_cell(text):
    """One cell of a Unicode file, pasted from an old .VnTime (TCVN3) or VNI file:
    ``(text, encoding)`` — the cell converted and the encoding it was in, or the cell
    as it is and ``None``.

    A cell is converted only when it does not read as Vietnamese (``_reads_as_vietnamese``)
    and its conversion does, with more valid words: "NguyÔn V¨n Hïng" → "Nguyễn Văn
    Hùng", while "Lê Hà", "José" or "café" stay as typed.
    """
    if not isinstance(text, str):
        return text, None
    if is_unicode(text) or _reads_as_vietnamese(text):
        return normalize(text), None
    best = None
    for name, conversion in CONVERTERS.items():
        converted = conversion(text)
        if converted != text and _reads_as_vietnamese(converted) and \
                score(converted) > score(text) and \
                (best is None or score(converted) > score(best[0])):
            best = (converted, name)
    return best or (normalize(text), None)


def normalize(text):
    """Unicode NFC, with the Icelandic eth some converters put for "Đ" corrected."""
    text = unicodedata.normalize("NFC", text)
    if _UNICODE_ONLY.search(text):
        text = text.replace("\u00d0", "Đ").replace("\u00f0", "đ")
    return text
