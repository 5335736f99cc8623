"""An officer of KIMTAN cannot read or change XB's people by guessing ids or filtering,
in any view, export or lookup."""
import io

import openpyxl
import pytest

from canbo.models import Rating, Staff, Unit

B_NAME = "Trần Văn Bình"


@pytest.mark.parametrize("url", [
    "/admin/staff/details/?id={staff}",
    "/admin/staff/edit/?id={staff}",
    "/admin/staff/archive/?id={staff}",
    "/admin/rating/details/?id={rating}",
    "/admin/rating/edit/?id={rating}",
    "/admin/unit/details/?id={unit}",
])
def test_guessed_ids_of_another_unit_are_not_found(login_as, other_unit, url):
    client = login_as("OFFICER")
    url = url.format(staff=other_unit["staff"].id, rating=other_unit["rating"].id,
                     unit=other_unit["unit"].id)
    response = client.get(url)
    assert response.status_code == 404
    assert B_NAME not in response.get_data(as_text=True)


@pytest.mark.parametrize("url", [
    "/admin/staff/",
    "/admin/staff/?search=binh",
    "/admin/staff/?flt0_0={unit}",
    "/admin/staff/export/csv/",
    "/admin/staff/export/csv/?search=binh",
    "/admin/rating/?flt0_1={unit}",
    "/admin/rating/export/csv/",
    "/admin/unit/",
    "/admin/staff/new/",
    "/admin/rating/new/",
    "/admin/department/new/",
])
def test_lists_exports_and_form_choices_hide_another_unit(login_as, other_unit, url):
    response = login_as("OFFICER").get(url.format(unit=other_unit["unit"].id))
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert B_NAME not in text
    assert "Bình Minh" not in text


def test_xlsx_export_holds_only_own_unit(login_as, other_unit):
    response = login_as("OFFICER").get("/admin/staff/export/xlsx/")
    sheet = openpyxl.load_workbook(io.BytesIO(response.data)).active
    names = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert len(names) == 21 and B_NAME not in names  # the demo's 20 and KT22 (2026)
    assert sheet.cell(1, 2).value == "Họ và tên"


def test_the_other_units_officer_sees_only_their_person(login_as, other_unit):
    text = login_as("OFFICER_B").get("/admin/staff/").get_data(as_text=True)
    assert B_NAME in text and "Đỗ Thị Ánh" not in text


def test_posting_to_another_units_person_changes_nothing(login_as, csrf, other_unit):
    client = login_as("OFFICER")
    person = other_unit["staff"]
    response = client.post(f"/admin/staff/edit/?id={person.id}", data={
        "csrf_token": csrf(client), "code": "B01", "full_name": "Đã Sửa", "kind": "CADRE",
        "unit": person.unit_id})
    assert response.status_code == 404
    response = client.post(f"/admin/staff/archive/?id={person.id}", data={
        "csrf_token": csrf(client), "left_on": "2024-01-01", "left_reason": "x"})
    assert response.status_code == 404
    again = Staff.get_by_id(person.id)
    assert (again.full_name, again.left_on) == (B_NAME, None)


def test_moving_own_person_into_another_unit_is_refused(login_as, csrf, other_unit):
    client = login_as("OFFICER")
    person = Staff.get(Staff.code == "KT06")
    client.post(f"/admin/staff/edit/?id={person.id}", data={
        "csrf_token": csrf(client), "code": "KT06", "full_name": "Đỗ Thị Ánh",
        "kind": "CADRE", "unit": other_unit["unit"].id, "leader_role": "NONE"})
    assert Staff.get_by_id(person.id).unit_id == Unit.get(Unit.code == "KIMTAN").id


def test_rating_for_another_units_person_cannot_be_created(login_as, csrf, other_unit):
    client = login_as("OFFICER")
    before = Rating.select().count()
    client.post("/admin/rating/new/", data={
        "csrf_token": csrf(client), "staff": other_unit["staff"].id, "year": 2023,
        "status": "OPEN"})
    assert Rating.select().count() == before


@pytest.mark.parametrize("query", ["binh", "tran van", "anh"])
def test_person_lookup_of_the_rating_form_stays_in_the_unit(login_as, other_unit, query):
    response = login_as("OFFICER").get(
        "/admin/rating/ajax/lookup/", query_string={"name": "staff", "query": query})
    names = [label for _, label in response.get_json()]
    assert B_NAME not in names
    if query == "anh":
        assert "Đỗ Thị Ánh" in names


def test_rating_form_lookup_finds_the_other_units_person_for_its_officer(login_as, other_unit):
    response = login_as("OFFICER_B").get(
        "/admin/rating/ajax/lookup/", query_string={"name": "staff", "query": "BÌNH"})
    assert [label for _, label in response.get_json()] == [B_NAME]
