import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from canbo.vietnamese import fold, sort_key, sort_string, split_name

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


@settings(max_examples=150, deadline=None)
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
