import datetime
import xml.etree.ElementTree as ET

import pytest

from canbo.levels import Education, PoliticalTheory, StateManagement
from canbo.levels import Rating as RatingLevel
from canbo.stats import charts, reports

SVG = "{http://www.w3.org/2000/svg}"


def ratings(year, counts):
    total = sum(counts)
    rows = [reports.Row(m.code, m.label, n, p) for m, n, p in
            zip(RatingLevel, counts, reports.percents(counts, total))]
    return reports.RatingsReport(None, year, total, rows)


def qualifications(edu, pol, sm):
    total = sum(edu.values())

    def rows(levels, found):
        values = [found.get(m.code, 0) for m in levels]
        return [reports.Row(m.code, m.label, n, p) for m, n, p in
                zip(levels, values, reports.percents(values, total))]

    return reports.QualificationReport(
        None, datetime.date(2023, 6, 30), total, rows(Education, edu),
        rows(PoliticalTheory, pol), rows(StateManagement, sm))


KIM_TAN = [ratings(2021, [16, 4, 0, 0]), ratings(2022, [14, 5, 1, 0])]
KIM_TAN_2023 = qualifications({"DH": 15, "TC": 3}, {"TC": 15, "SC": 3}, {"CV": 7, "NONE": 11})

CHARTS = {
    "ratings": lambda: charts.rating_distribution_chart(KIM_TAN, chart_id="r"),
    "qualifications": lambda: charts.qualification_chart(KIM_TAN_2023, chart_id="q"),
    "meter": lambda: charts.meter(5, 3, "Cán bộ", chart_id="m"),
    "meter without cap": lambda: charts.meter(5, None, "Cán bộ", chart_id="m"),
    "no ratings yet": lambda: charts.rating_distribution_chart([], chart_id="e"),
}


def texts(svg):
    return ["".join(t.itertext()) for t in ET.fromstring(svg).iter(f"{SVG}text")]


@pytest.mark.parametrize("name", CHARTS)
def test_every_chart_is_titled_accessible_svg_that_fetches_nothing(name):
    svg = CHARTS[name]()
    root = ET.fromstring(svg)  # well-formed XML
    assert root.tag == f"{SVG}svg" and root.get("role") == "img"
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title.text and desc.text
    assert root.get("aria-labelledby").split() == [title.get("id"), desc.get("id")]
    lowered = svg.lower()
    assert "<script" not in lowered and "href" not in lowered and "url(" not in lowered
    assert "http" not in lowered.replace('xmlns="http://www.w3.org/2000/svg"', "")


def test_ratings_chart_writes_every_count_and_percent_as_text():
    found = texts(CHARTS["ratings"]())
    for expected in ["Năm 2021", "Năm 2022", "16 (80%)", "4 (20%)", "14 (70%)", "5 (25%)",
                     "1 (5%)", "Hoàn thành xuất sắc nhiệm vụ", "Không hoàn thành nhiệm vụ"]:
        assert expected in found


def test_ratings_chart_describes_its_numbers_in_words():
    desc = ET.fromstring(CHARTS["ratings"]()).find(f"{SVG}desc").text
    assert "Năm 2022: 20 người được xếp loại; Hoàn thành xuất sắc nhiệm vụ 14 (70%)" in desc


def test_ratings_chart_draws_one_segment_per_level_present():
    root = ET.fromstring(CHARTS["ratings"]())
    bars = root.findall(f".//{SVG}g[@class='bar']")
    assert [len(bar.findall(f"{SVG}rect")) for bar in bars] == [2, 3]


@pytest.mark.parametrize("value,text", [(83.3, "83,3%"), (16.7, "16,7%"), (70.0, "70%"),
                                        (0.5, "0,5%")])
def test_percents_use_the_vietnamese_decimal_comma(value, text):
    assert charts.percent_text(value) == text


def test_qualification_chart_lists_held_levels_with_comma_decimals():
    found = texts(CHARTS["qualifications"]())
    assert {"Trình độ chuyên môn", "Lý luận chính trị", "Quản lý nhà nước"} <= set(found)
    assert "15 (83,3%)" in found and "3 (16,7%)" in found and "11 (61,1%)" in found
    assert "Tiến sĩ" not in found  # nobody holds it: left out
    assert not any("83.3" in t for t in found)


def test_qualification_chart_can_list_every_level():
    found = texts(charts.qualification_chart(KIM_TAN_2023, skip_empty=False))
    assert "Tiến sĩ" in found and "0 (0%)" in found


def test_user_text_is_escaped_everywhere():
    evil = '<script>alert(1)</script> & "x"'
    svg = charts.rating_distribution_chart(KIM_TAN, title=evil, chart_id='a"b')
    root = ET.fromstring(svg)
    assert root.find(f"{SVG}title").text == evil
    assert root.get("id") == 'a"b'
    assert "<script>" not in svg
    svg = charts.meter(1, 2, evil)
    assert ET.fromstring(svg).find(f"{SVG}title").text == evil


@pytest.mark.parametrize("value,limit,fill,caption", [
    (3, 3, "#2e7d32", "3 / tối đa 3"),
    (4, 3, "#c62828", "4 / tối đa 3"),
    (0, 0, "#2e7d32", "0 / tối đa 0"),
    (2, None, "#bdbdbd", "2 — không giới hạn"),
])
def test_meter_turns_red_only_over_the_limit(value, limit, fill, caption):
    svg = charts.meter(value, limit, "Công chức")
    fills = [r.get("fill") for r in ET.fromstring(svg).iter(f"{SVG}rect")]
    assert fills[-1] == fill
    assert caption in texts(svg)


def test_charts_on_one_page_get_distinct_ids():
    a, b = charts.qualification_chart(KIM_TAN_2023), charts.qualification_chart(KIM_TAN_2023)
    assert ET.fromstring(a).get("id") != ET.fromstring(b).get("id")
