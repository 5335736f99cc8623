"""The ratings list: by year, filters, and status changes limited by role."""
import re

import pytest
from playhouse.test_utils import count_queries

from canbo.models import AuditLog, Rating, Staff


def rating_of(code, year=2022):
    return Rating.select().join(Staff).where(Staff.code == code, Rating.year == year).get()


def edit(client, csrf, rating, **data):
    return client.post(f"/admin/rating/edit/?id={rating.id}",
                       data={"csrf_token": csrf(client), **data}, follow_redirects=True)


def test_landing_on_the_list_shows_the_latest_year(login_as):
    client = login_as("OFFICER")
    response = client.get("/admin/rating/")
    assert response.headers["Location"] == "/admin/rating/?flt0_0=2022"
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert set(re.findall(r'<td class="col-year">\s*(\d+)\s*</td>', html)) == {"2022"}


def test_the_rule_set_column_shows_its_short_name_not_its_code(login_as):
    html = login_as("OFFICER").get("/admin/rating/?flt0_0=2022").get_data(as_text=True)
    cells = set(re.findall(r'<td class="col-rule_set">\s*([^<]*?)\s*</td>', html))
    assert cells and not any("_" in cell for cell in cells), cells
    assert cells <= {"NĐ 90/2020", "NĐ 90/2020 + NĐ 48/2023", "NĐ 335/2025", "Khung QĐ 366"}


def test_year_filter_shows_one_year(login_as):
    html = login_as("OFFICER").get("/admin/rating/?flt0_0=2021").get_data(as_text=True)
    years = re.findall(r'<td class="col-year">\s*(\d+)\s*</td>', html)
    assert years and set(years) == {"2021"}


@pytest.mark.parametrize("level, count", [("HTXSNV", 14), ("HTTNV", 5), ("HTNV", 1)])
def test_level_filter_counts_the_reports_table(login_as, level, count):
    html = login_as("VIEWER").get(f"/admin/rating/?flt0_0=2022&flt1_2={level}").get_data(as_text=True)
    assert len(re.findall(r'<td class="col-year">', html)) == count


def test_officer_types_the_level_and_the_status_is_not_on_the_form(login_as, csrf):
    rating = rating_of("KT06")
    rating.status = "OPEN"
    rating.save()
    client = login_as("OFFICER")
    form = client.get(f"/admin/rating/edit/?id={rating.id}").get_data(as_text=True)
    assert 'name="level"' in form and 'name="status"' not in form
    edit(client, csrf, rating, status="PROPOSED", level="HTTNV", self_level="HTTNV",
         audit_reason="Họp đơn vị 10/12")
    stored = Rating.get_by_id(rating.id)
    assert (stored.status, stored.level) == ("OPEN", "HTTNV")  # a sent status is ignored
    entry = AuditLog.select().where(AuditLog.table_name == "rating").order_by(AuditLog.id.desc()).get()
    assert '"level": ["HTXSNV", "HTTNV"]' in entry.changes and entry.reason == "Họp đơn vị 10/12"


def test_without_a_cycle_the_record_screen_approves_nothing(login_as, csrf):
    # Issue 16: 2023 has no cycle; the officer typed HTXSNV, the chairman approved it here,
    # and no quota was ever checked.
    person = Staff.get(Staff.code == "KT13")
    officer = login_as("OFFICER")
    officer.post("/admin/rating/new/", data={
        "csrf_token": csrf(officer), "staff": person.id, "year": 2023, "level": "HTXSNV",
        "self_level": "", "status": "APPROVED"})
    rating = Rating.get(Rating.staff == person, Rating.year == 2023)
    assert (rating.level, rating.status) == ("HTXSNV", "OPEN")
    edit(officer, csrf, rating, status="APPROVED", level="HTXSNV")
    assert Rating.get_by_id(rating.id).status == "OPEN"
    chairman = login_as("CHAIRMAN")
    response = chairman.post(f"/admin/rating/edit/?id={rating.id}", data={
        "csrf_token": csrf(chairman), "status": "APPROVED", "level": "HTXSNV"})
    assert response.status_code == 403
    assert Rating.get_by_id(rating.id).status == "OPEN"


def test_an_approved_rating_has_no_edit_button_and_is_locked(login_as, csrf):
    rating = rating_of("KT06")  # the demo's ratings are approved
    client = login_as("OFFICER")
    listing = client.get("/admin/rating/?flt0_0=2022").get_data(as_text=True)
    assert f"/admin/rating/edit/?id={rating.id}&" not in listing
    response = edit(client, csrf, rating, level="HTNV")
    assert "đã khóa" in response.get_data(as_text=True)
    assert Rating.get_by_id(rating.id).level == "HTXSNV"


def test_viewer_cannot_post_an_edit(login_as, csrf):
    rating = rating_of("KT06")
    client = login_as("VIEWER")
    response = client.post(f"/admin/rating/edit/?id={rating.id}",
                           data={"csrf_token": csrf(client), "status": "OPEN"})
    assert response.status_code == 403
    assert Rating.get_by_id(rating.id).status == "APPROVED"


def test_ratings_list_query_count_does_not_grow_with_page_size(login_as):
    client = login_as("OFFICER")
    counts = {}
    for size in (20, 50):
        with count_queries() as counter:
            html = client.get(f"/admin/rating/?page_size={size}").get_data(as_text=True)
        assert len(re.findall(r'<td class="col-year">', html)) == min(size, 40)
        counts[size] = counter.count
    assert counts[20] == counts[50]


def test_officer_opens_a_rating_for_a_person_of_the_unit(login_as, csrf):
    client = login_as("OFFICER")
    person = Staff.get(Staff.code == "KT13")
    response = client.post("/admin/rating/new/", data={
        "csrf_token": csrf(client), "staff": person.id, "year": 2023, "status": "OPEN",
        "level": "", "self_level": ""})
    assert response.status_code == 302
    rating = Rating.get(Rating.staff == person, Rating.year == 2023)
    assert (rating.unit_id, rating.rule_set, rating.status) == (
        person.unit_id, "ND90_ND48_2023", "OPEN")


def _cycle_2026(officer_name="canbo"):
    from canbo.models import Unit, User
    from canbo.rating import workflow

    officer = User.get(User.username == officer_name)
    return workflow.open_cycle(officer, Unit.get(Unit.code == "KIMTAN"), 2026,
                               today=__import__("datetime").date(2026, 11, 27))


def test_a_cycle_rating_is_not_approved_from_the_record_screen(login_as, csrf):
    # Approving here would skip the quota and eligibility checks of the cycle page.
    cycle = _cycle_2026()
    rating = Rating.select().where(Rating.year == 2026, Rating.status == "OPEN").first()
    rating.status, rating.level = "PROPOSED", "HTXSNV"
    rating.save()
    assert edit(login_as("CHAIRMAN"), csrf, rating, status="APPROVED").status_code == 403
    edit(login_as("OFFICER"), csrf, rating, status="APPROVED", level="HTXSNV")
    assert Rating.get_by_id(rating.id).status == "PROPOSED" and cycle.year == 2026


def test_an_approved_cycle_rating_is_locked(login_as, csrf):
    _cycle_2026()
    rating = Rating.select().where(Rating.year == 2026, Rating.status == "OPEN").first()
    Rating.update(status="APPROVED", level="HTTNV").where(Rating.id == rating.id).execute()
    response = edit(login_as("OFFICER"), csrf, rating, status="APPROVED", level="HTXSNV")
    assert "đã khóa" in response.get_data(as_text=True)
    assert Rating.get_by_id(rating.id).level == "HTTNV"
    assert not AuditLog.select().where(AuditLog.table_name == "rating",
                                       AuditLog.row_id == rating.id).exists()
