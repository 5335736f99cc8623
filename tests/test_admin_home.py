"""The home page: the year's progress by status over the user's units, and the links."""
import re


def progress_rows(html):
    table = re.search(r'<table[^>]*id="progress".*?</table>', html, re.S).group(0)
    return {label: int(n) for label, n in re.findall(
        r"<td>([^<]+)</td><td class=\"text-right\">(\d+)</td>", table)}


def test_the_officer_sees_the_latest_year_of_their_unit(login_as):
    html = login_as("OFFICER").get("/admin/").get_data(as_text=True)
    rows = progress_rows(html)
    assert "Kỳ đánh giá năm 2022: tiến độ" in html
    assert rows["Đã phê duyệt"] == 20 and rows["Đã đề xuất"] == 0  # XB's proposal left out
    assert len(rows) == 8
    assert 'href="/admin/rating/?flt0_0=2022"' in html  # the ratings of that year
    # the third card counts people, in words a person reads, not "1 trạng thái"
    assert re.search(r'id="decided">20</div><div class="lbl">bản ghi năm 2022 đã được phê '
                     r'duyệt hoặc công bố', html)
    assert "trạng thái đang có hồ sơ" not in html


def test_the_other_units_officer_sees_their_own_proposal(login_as):
    rows = progress_rows(login_as("OFFICER_B").get("/admin/").get_data(as_text=True))
    assert rows["Đã đề xuất"] == 1 and rows["Đã phê duyệt"] == 0


def test_the_admin_sees_every_unit(login_as):
    rows = progress_rows(login_as("ADMIN").get("/admin/").get_data(as_text=True))
    assert rows["Đã phê duyệt"] == 20 and rows["Đã đề xuất"] == 1
