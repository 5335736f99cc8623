import pytest

from canbo import levels
from canbo.levels import Education, PoliticalTheory, Rating, StaffKind, StateManagement

ALL = [levels.Rating, levels.Education, levels.PoliticalTheory, levels.StateManagement,
       levels.StaffKind, levels.Gender, levels.LeaderRole, levels.QualificationKind,
       levels.RatingStatus]


@pytest.mark.parametrize("enum", ALL, ids=lambda e: e.__name__)
def test_every_value_has_an_ascii_code_and_a_vietnamese_label(enum):
    for member in enum:
        assert member.code.isascii() and member.code == member.code.upper()
        assert member.label and member.label != member.code


def test_orders_follow_the_law():
    assert [m.code for m in Rating] == ["HTXSNV", "HTTNV", "HTNV", "KHTNV"]
    assert [m.code for m in Education] == ["TS", "THS", "DH", "CD", "TC", "SC", "NONE"]
    assert [m.code for m in PoliticalTheory] == ["CN", "CC", "TC", "SC", "NONE"]
    assert [m.code for m in StateManagement] == ["CVCC", "CVC", "CV", "CS", "NONE"]
    assert Rating.HTXSNV.rank < Rating.KHTNV.rank


@pytest.mark.parametrize("text,code", [
    ("HTXSNV", "HTXSNV"), ("htxsnv", "HTXSNV"),
    ("Hoàn thành xuất sắc nhiệm vụ", "HTXSNV"), ("HOAN THANH XUAT SAC NHIEM VU", "HTXSNV"),
    ("Hoàn thành suất sắc nhiệm vụ", "HTXSNV"), ("hoàn thành suất sắc", "HTXSNV"),
    ("Hoàn thành nhiệm vụ nhưng còn hạn chế về năng lực", "HTNV"),
    ("không hoàn thành nhiệm vụ", "KHTNV"),
])
def test_ratings_parse_codes_labels_and_real_world_spellings(text, code):
    assert Rating.parse(text).code == code


def test_unknown_values_name_what_is_allowed():
    with pytest.raises(ValueError, match="cho phép: TS \\(Tiến sĩ\\)"):
        Education.parse("Phó giáo sư")
    assert StaffKind.parse("Không chuyên trách") is StaffKind.PART_TIME
    assert StaffKind.parse("cong chuc") is StaffKind.CIVIL_SERVANT
