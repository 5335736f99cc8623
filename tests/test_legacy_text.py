import shutil
import subprocess
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from canbo.spreadsheets import legacy_text
from canbo.spreadsheets.legacy_text import TCVN3, UNICODE, VNI, convert, detect
from fuzzing import examples


def to_unicode(text):
    """One text as the reader turns a file's texts into Unicode (``workbook.read``):
    the encoding detected (here over this text alone), then each text converted."""
    return convert(text, detect([text]))


# (Unicode, TCVN3 as Excel shows it, VNI as Excel shows it); the legacy spellings are
# what the .VnTime and VNI-Times fonts store, read through Windows-1252.
PHRASES = [
    ("Nguyễn Văn Hùng", "NguyÔn V¨n Hïng", "Nguyeãn Vaên Huøng"),
    ("Hoàn thành xuất sắc nhiệm vụ", "Hoµn thµnh xuÊt s¾c nhiÖm vô",
     "Hoaøn thaønh xuaát saéc nhieäm vuï"),
    ("Hoàn thành tốt nhiệm vụ", "Hoµn thµnh tèt nhiÖm vô", "Hoaøn thaønh toát nhieäm vuï"),
    ("Độc lập - Tự do - Hạnh phúc", "§éc lËp - Tù do - H¹nh phóc",
     "Ñoäc laäp - Töï do - Haïnh phuùc"),
    ("Không chuyên trách", "Kh«ng chuyªn tr¸ch", "Khoâng chuyeân traùch"),
    ("Quản lý nhà nước", "Qu¶n lý nhµ n\xadíc", "Quaûn lyù nhaø nöôùc"),
    ("Trịnh Văn Đức", "TrÞnh V¨n §øc", "Trònh Vaên Ñöùc"),
    ("Lương Văn Dũng", "L\xad¬ng V¨n Dòng", "Löông Vaên Duõng"),
    ("Đảng viên", "§¶ng viªn", "Ñaûng vieân"),
    ("Thạc sĩ", "Th¹c sÜ", "Thaïc só"),
    ("Nữ", "N÷", "Nöõ"),
]


@pytest.mark.parametrize("unicode_text,tcvn3,vni", PHRASES)
def test_real_phrases_convert_from_both_encodings(unicode_text, tcvn3, vni):
    assert legacy_text.from_tcvn3(tcvn3) == unicode_text
    assert legacy_text.from_vni(vni) == unicode_text
    assert to_unicode(tcvn3) == unicode_text
    assert to_unicode(vni) == unicode_text


@pytest.mark.parametrize("texts,expected", [
    ([p[1] for p in PHRASES], TCVN3),
    ([p[2] for p in PHRASES], VNI),
    ([p[0] for p in PHRASES], UNICODE),
    (["Nam", "KT01", "2022", "Kinh"], UNICODE),
    (["Lê Hà", "Công chức", "café", "Hùng"], UNICODE),
])
def test_detects_the_encoding_of_a_whole_file(texts, expected):
    assert detect(texts) == expected


def test_vntimeh_capitals_come_back_as_capitals():
    # .VnTimeH shows capitals but stores the lower-case codes.
    assert to_unicode("CéNG HOµ X· HéI CHñ NGHÜA VIÖT NAM") == "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM"


def test_vni_capitals():
    assert to_unicode("COÄNG HOØA XAÕ HOÄI CHUÛ NGHÓA VIEÄT NAM") == (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    assert to_unicode("Ñoã Thò AÙnh") == "Đỗ Thị Ánh"


def test_unicode_headers_inside_a_legacy_file_are_left_alone():
    assert convert("Mã", TCVN3) == "Mã"
    assert convert("Họ và tên", TCVN3) == "Họ và tên"
    assert convert("NguyÔn V¨n Hïng", TCVN3) == "Nguyễn Văn Hùng"


def test_result_is_nfc_and_eth_is_corrected():
    decomposed = unicodedata.normalize("NFD", "Nguyễn")
    assert convert(decomposed, UNICODE) == "Nguyễn"
    assert convert("\u00d0ỗ Thị Ánh", UNICODE) == "Đỗ Thị Ánh"


@pytest.mark.skipif(not shutil.which("iconv"), reason="needs glibc iconv")
def test_tcvn3_table_matches_the_standard_as_glibc_has_it():
    for byte in range(0x80, 0x100):
        expected = subprocess.run(["iconv", "-f", "TCVN5712-1", "-t", "UTF-8"],
                                  input=bytes([byte]), capture_output=True).stdout.decode()
        seen = bytes([byte]).decode("latin-1")
        got = seen.translate(legacy_text.TCVN3_TABLE)
        assert got == expected or byte == 0xA0, hex(byte)


@pytest.mark.parametrize("letter", sorted(set(
    "aáàảãạăắằẳẵặâấầẩẫậeéèẻẽẹêếềểễệiíìỉĩịoóòỏõọôốồổỗộơớờởỡợuúùủũụưứừửữựyýỳỷỹỵđ")))
def test_every_vietnamese_letter_has_a_vni_spelling_in_both_cases(letter):
    for case in (letter, letter.upper()):
        spelled = {v: k for k, v in legacy_text.VNI_TO_LETTER.items()}.get(case, case)
        assert legacy_text.from_vni(spelled) == case


@settings(max_examples=examples(200), deadline=None)
@given(st.text())
def test_conversion_never_fails_on_any_text(text):
    for encoding in (UNICODE, TCVN3, VNI):
        assert isinstance(convert(text, encoding), str)
    assert isinstance(to_unicode(text), str)


@pytest.mark.parametrize("cell, expected, encoding", [
    ("NguyÔn V¨n Hïng", "Nguyễn Văn Hùng", TCVN3),
    ("TrÞnh V¨n §øc", "Trịnh Văn Đức", TCVN3),
    ("Th¹c sÜ", "Thạc sĩ", TCVN3),
    ("Nguyeãn Vaên Huøng", "Nguyễn Văn Hùng", VNI),
    ("Ñoã Thò AÙnh", "Đỗ Thị Ánh", VNI),
    # cells that read as Vietnamese, or as nothing a conversion would make Vietnamese
    ("Lê Hà", "Lê Hà", None), ("Mã", "Mã", None), ("Tài – chính", "Tài – chính", None),
    ("José", "José", None), ("café", "café", None), ("Hmông", "Hmông", None),
    ("Nguyễn Văn Hùng", "Nguyễn Văn Hùng", None), ("KT01", "KT01", None),
])
def test_a_cell_pasted_from_an_old_file_is_converted_on_its_own(cell, expected, encoding):
    assert legacy_text.convert_cell(cell) == (expected, encoding)


@pytest.mark.parametrize("phrase", [p[0] for p in PHRASES])
def test_a_unicode_vietnamese_cell_is_never_converted(phrase):
    assert legacy_text.convert_cell(phrase) == (phrase, None)


@settings(max_examples=examples(200), deadline=None)
@given(st.text())
def test_converting_a_cell_never_fails_and_says_when_it_changed_it(text):
    out, encoding = legacy_text.convert_cell(text)
    assert isinstance(out, str) and (encoding is None or out != text)
