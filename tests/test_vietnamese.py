import datetime
import random
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from canbo.errors import InvalidInput
from canbo.vietnamese import (
    fold,
    parse_decimal,
    sort_key,
    sort_string,
    split_name,
    vi_count,
    vi_date,
    vi_date_words,
    vi_datetime,
    vi_decimal,
    vi_percent,
    vi_points,
)
from fuzzing import examples

# In the order a personnel list shows them: by given name (letters in the Vietnamese
# alphabet, then tone), then middle name, then family name.
TRICKY = [
    "Trần An",               # a shorter given name first: An < Anh
    "Nguyễn Anh",            # no middle name before any middle name
    "Nguyễn Văn Anh",        # tone ngang before sắc, whatever the middle names
    "Bùi Thị Ánh",           # same given name: middle "Thị" before "Thị Ngọc"…
    "Đỗ Thị Ánh",            # …then family: B < Đ
    "Nguyễn Thị Ngọc Ánh",
    "Lê Ân",                 # â after a: every A… before every Â…
    "Ngô Chi",               # tones: ngang, huyền, hỏi, ngã, sắc, nặng
    "Ngô Chì",
    "Ngô Chỉ",
    "Ngô Chĩ",
    "Hồ Chí",
    "Ngô Chí",
    "Ngô Chị",
    "Phạm Dũng",             # d before đ
    "Vũ Đức",
    "Hà Thị Êm",             # e, then ê
    "Mai Ông",               # o, ô, ơ
    "Lê Thị Ơn",
    "Nguyễn Thuỷ",           # old-style tone placement sorts with the new style
    "Trần Thị Thu Trang",    # h before r
    "Đinh Văn Ước",          # u, then ư
    "Cao Thị Yến",           # y last
]


def test_tricky_names_sort_in_vietnamese_order():
    shuffled = TRICKY[:]
    random.Random(4).shuffle(shuffled)
    assert sorted(shuffled, key=sort_key) == TRICKY


def test_sort_string_orders_like_sort_key():
    shuffled = TRICKY[::-1]
    assert sorted(shuffled, key=sort_string) == TRICKY


@pytest.mark.parametrize("old,new", [("Lê Hoà", "Lê Hòa"), ("Nguyễn Thuý", "Nguyễn Thúy"),
                                     ("Trần Quỳnh", "Trần Quỳnh")])
def test_old_and_new_tone_placement_sort_as_one_name(old, new):
    assert sort_key(old) == sort_key(new)
    assert sort_string(old) == sort_string(new)


@pytest.mark.parametrize("name,expected", [
    ("Đỗ Thị Ánh", "do thi anh"),
    ("  NGUYỄN   Văn  Hùng ", "nguyen van hung"),
    ("Ước", "uoc"),
])
def test_fold(name, expected):
    assert fold(name) == expected


@pytest.mark.parametrize("name,parts", [
    ("Nguyễn Thị Ngọc Ánh", ("Nguyễn", "Thị Ngọc", "Ánh")),
    ("Trần An", ("Trần", "", "An")),
    ("Hùng", ("", "", "Hùng")),
    ("", ("", "", "")),
])
def test_split_name(name, parts):
    assert split_name(name) == parts


SYLLABLES = ["An", "Anh", "Ánh", "Ân", "Bình", "Chi", "Chí", "Chị", "Dũng", "Đức", "Em", "Êm",
             "Hà", "Hoà", "Hòa", "Lan", "Ngọc", "Oanh", "Ông", "Ơn", "Thị", "Thu", "Thư",
             "Trang", "Uyên", "Ước", "Văn", "Yến", "Nguyễn", "Trần", "Đỗ", "Lê"]


@settings(max_examples=examples(150), deadline=None)
@given(st.lists(st.lists(st.sampled_from(SYLLABLES), min_size=1, max_size=4).map(" ".join),
                min_size=2, max_size=8))
def test_sql_sort_column_agrees_with_the_key(names):
    by_key = sorted(names, key=lambda n: (sort_key(n), n))
    by_string = sorted(names, key=lambda n: (sort_string(n), n))
    assert [sort_key(n) for n in by_key] == [sort_key(n) for n in by_string]


def test_dates_are_read_the_vietnamese_way_or_as_iso():
    import datetime

    import pytest

    from canbo.vietnamese import parse_date

    assert parse_date("07/07/2023") == parse_date("2023-07-07") == datetime.date(2023, 7, 7)
    assert parse_date("  ") is None
    with pytest.raises(ValueError, match="Ngày «31/02/2023» không hợp lệ"):
        parse_date("31/02/2023")


# --- numbers and dates as Vietnamese text writes them (REFERENCE.md §10) ----------------


@pytest.mark.parametrize("value, text", [
    (Decimal("3.4"), "3,4"), (Decimal("4.0"), "4"), (Decimal("0.8"), "0,8"), (Decimal("0"), "0"),
    (Decimal("17") * Decimal("0.2"), "3,4"), (40, "40"), (Decimal("2.50"), "2,5"),
])
def test_numbers_are_written_the_vietnamese_way(value, text):
    # the rules' counts ("17 × 20% = 3,4") and the forms' maxima ("5", "2,5")
    assert vi_decimal(value) == text


@pytest.mark.parametrize("value, places, text", [
    (83.3, 1, "83,3"), (70.0, 1, "70"), (16.7, 1, "16,7"), (Decimal("0.001"), 2, "0"),
    (Decimal("87.5"), 0, "88"), (Decimal("40"), 0, "40"),
])
def test_report_percents_keep_their_one_decimal_and_drop_a_zero(value, places, text):
    assert vi_decimal(value, places) == text


@pytest.mark.parametrize("value, text", [
    (Decimal("91.17"), "91,17"), (Decimal("83.5"), "83,50"), (90, "90,00"),
    (Decimal("86.125"), "86,13"), (None, ""),
])
def test_scores_always_show_two_decimals_rounded_half_up_as_stored(value, text):
    assert vi_points(value) == text


@pytest.mark.parametrize("ratio, text", [
    (Decimal("0.2"), "20%"), (Decimal("0.25"), "25%"), (Decimal("0.225"), "22,5%"), (0.2, "20%"),
])
def test_a_ratio_reads_as_a_percent_with_a_comma(ratio, text):
    assert vi_percent(ratio) == text


def test_dates_and_counts_are_written_the_vietnamese_way():
    assert vi_date(datetime.date(2023, 7, 7)) == "07/07/2023" and vi_date(None) == ""
    assert vi_datetime(datetime.datetime(2023, 7, 7, 8, 5)) == "08:05 07/07/2023"
    assert vi_count(5) == "05" and vi_count(20) == "20"
    # ND 30/2020 annex I: days under 10 and the months 1 and 2 take a leading zero
    assert vi_date_words(datetime.date(2023, 7, 7)) == "ngày 07 tháng 7 năm 2023"
    assert vi_date_words(datetime.date(2023, 2, 15)) == "ngày 15 tháng 02 năm 2023"


@pytest.mark.parametrize("text, number", [
    ("1,5", Decimal("1.5")), ("1.5", Decimal("1.5")), (" 2 ", Decimal(2)),
    ("0,25", Decimal("0.25")),
    (",5", Decimal("0.5")), ("-3", Decimal(-3)), (2.5, Decimal("2.5")), (7, Decimal(7)),
    (Decimal("85.50"), Decimal("85.50")), ("", None), ("   ", None), (None, None),
])
def test_decimals_are_read_with_a_comma_or_a_dot(text, number):
    assert parse_decimal(text, "Hệ số") == number


def test_a_trailing_percent_sign_is_read_where_a_percent_is_asked():
    assert parse_decimal("25%", "Tỷ lệ", percent=True) == Decimal(25)
    assert parse_decimal("22,5 %", "Tỷ lệ", percent=True) == Decimal("22.5")
    with pytest.raises(InvalidInput, match="Hệ số «25%» không phải là số"):
        parse_decimal("25%", "Hệ số")


@pytest.mark.parametrize("text", [
    "NaN", "nan", "sNaN", "Infinity", "-inf", "1e5", "1.234,5", "1,2,3", "abc", "2 5", "5%%",
    float("nan"), float("inf"), True,
])
def test_garbage_and_non_finite_numbers_are_refused_naming_the_field(text):
    with pytest.raises(InvalidInput) as caught:
        parse_decimal(text, "Điểm tiêu chí I.1", percent=True)
    message = caught.value.message
    assert message.startswith("Điểm tiêu chí I.1 «") and "dấu phẩy hoặc dấu chấm" in message


def test_an_empty_required_number_says_so():
    with pytest.raises(InvalidInput, match="Hệ số quy đổi còn trống"):
        parse_decimal(" ", "Hệ số quy đổi", required=True)
