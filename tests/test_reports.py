import datetime
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from canbo.errors import NoData
from canbo.models import Rating, Staff
from canbo.records import units
from canbo.stats import reports

D = datetime.date


@given(st.lists(st.integers(min_value=0, max_value=10_000), min_size=1, max_size=9))
def test_percents_add_up_to_exactly_100(counts):
    total = sum(counts)
    values = reports.percents(counts, total)
    if total:
        assert round(sum(values) * 10) == 1000
        for c, p in zip(counts, values):
            assert abs(p - c * 100 / total) < 0.1 + 1e-9
    else:
        assert values == [0.0] * len(counts)


def test_percents_of_a_third_each():
    # no number of decimals gives three thirds equal shares of 100: the stated order
    assert reports.percents([1, 1, 1], 3) == [33.4, 33.3, 33.3]


@pytest.mark.parametrize("counts, expected", [
    ([1, 1, 19], [4.76, 4.76, 90.48]),  # one decimal read 4,8 beside 4,7
    ([0, 1, 13, 1, 2, 1, 1], [0.0, 5.26, 68.43, 5.26, 10.53, 5.26, 5.26]),
    ([1, 15, 1, 2], [5.3, 78.9, 5.3, 10.5]),  # one decimal is enough: kept
    ([16, 4, 0, 0], [80.0, 20.0, 0.0, 0.0]),
])
def test_equal_counts_get_equal_percents(counts, expected):
    assert reports.percents(counts, sum(counts)) == expected


@given(st.lists(st.integers(min_value=0, max_value=60), min_size=1, max_size=9))
def test_equal_counts_differ_only_in_the_stated_order(counts):
    total = sum(counts)
    values = reports.percents(counts, total)
    if not total:
        return
    assert round(sum(values) * 100) == 10000
    shown = {}
    for c, p in zip(counts, values):
        shown.setdefault(c, []).append(p)
    if any(len(set(v)) > 1 for v in shown.values()):  # the fallback: one decimal, and
        assert all(round(p * 10) == p * 10 for p in values)  # earlier rows first
        for v in shown.values():
            assert v == sorted(v, reverse=True)


def test_ratings_2021_and_2022_reproduce_the_kim_tan_report(demo_db):
    unit = units.find_unit()
    r21 = reports.ratings_report(unit, 2021)
    assert (r21.total, [r.count for r in r21.rows]) == (20, [16, 4, 0, 0])
    assert [r.percent for r in r21.rows] == [80.0, 20.0, 0.0, 0.0]
    r22 = reports.ratings_report(unit, 2022)
    assert [r.count for r in r22.rows] == [14, 5, 1, 0]
    assert reports.ratings_sentence(r22) == (
        "Năm 2022: 20 đồng chí. 14 đồng chí hoàn thành xuất sắc nhiệm vụ = 70%, "
        "05 đồng chí hoàn thành tốt nhiệm vụ = 25%, 01 đồng chí hoàn thành nhiệm vụ = 5%."
    )


def test_qualifications_on_30_june_2023_reproduce_the_report(demo_db):
    report = reports.qualification_report(units.find_unit(), D(2023, 6, 30))
    assert report.total == 18
    edu = {r.code: (r.count, r.percent) for r in report.education}
    assert edu["DH"] == (15, 83.3) and edu["TC"] == (3, 16.7)
    pol = {r.code: (r.count, r.percent) for r in report.political_theory}
    assert pol["TC"] == (15, 83.3) and pol["SC"] == (3, 16.7)
    text = " ".join(reports.qualification_sentences(report))
    assert "Trình độ chuyên môn: Đại học 15 đồng chí = 83,3%; Trung cấp 03 đồng chí = 16,7%." in text


def test_levels_are_a_query_on_the_date(demo_db):
    # KT18's Đại học came on 20/06/2024: Trung cấp on the report's date, Đại học after.
    unit = units.find_unit()
    before = {r.code: r.count for r in reports.qualification_report(unit, D(2023, 6, 30)).education}
    after = {r.code: r.count for r in reports.qualification_report(unit, D(2024, 7, 1)).education}
    assert (before["DH"], after["DH"]) == (15, 16)


def test_people_who_left_are_counted_before_they_left(demo_db):
    unit = units.find_unit()
    assert reports.qualification_report(unit, D(2022, 12, 31)).total == 20
    assert reports.qualification_report(unit, D(2023, 3, 31)).total == 19  # left that day
    assert Staff.select().count() == 21  # archived, not deleted; KT22 joined in 2026


def test_only_final_ratings_count(demo_db):
    Rating.update(status="PROPOSED").where(Rating.year == 2022, Rating.level == "HTNV").execute()
    r = reports.ratings_report(units.find_unit(), 2022)
    assert r.total == 19


def test_a_year_without_ratings_is_no_data(demo_db):
    with pytest.raises(NoData, match="năm 2019"):
        reports.ratings_report(units.find_unit(), 2019)


def test_json_keys_are_stable(demo_db):
    data = json.loads(reports.render(reports.qualification_report(units.find_unit(), D(2023, 6, 30)), "json"))
    assert list(data) == ["unit", "at", "total", "education", "political_theory", "state_management"]
    assert [r["code"] for r in data["education"]] == ["TS", "THS", "DH", "CD", "TC", "SC", "NONE"]
    assert set(data["education"][0]) == {"code", "label", "count", "percent"}


def test_sub_units_roll_up(demo_db):
    from canbo.models import Unit

    province = Unit.create(code="HD", name="Tỉnh Hải Dương", place_name="Hải Dương")
    Unit.update(parent=province).where(Unit.code == "KIMTAN").execute()
    assert reports.ratings_report(province, 2022).total == 20
    with pytest.raises(NoData):
        reports.ratings_report(province, 2022, include_subunits=False)


def test_an_nd56_record_keeps_its_wording_and_counts_as_htnv(db):
    from canbo.levels import ND56_HTNV_LABEL
    from canbo.models import Unit

    unit = Unit.create(code="X", name="UBND xã X", place_name="X")
    person = Staff(unit=unit, code="1", full_name="Lò Văn Páo", kind="CIVIL_SERVANT")
    person.save()
    Rating.create(staff=person, unit=unit, year=2018, rule_set="ND56_2015", level="HTNV",
                  original_label=ND56_HTNV_LABEL, status="APPROVED")
    report = reports.ratings_report(unit, 2018)
    assert [r.count for r in report.rows] == [0, 0, 1, 0]
    assert Rating.get().original_label == "Hoàn thành nhiệm vụ nhưng còn hạn chế về năng lực"
