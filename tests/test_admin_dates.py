"""The panel's date fields read dd/mm/yyyy and d/m/yyyy and show dd/mm/yyyy, in the form
as in the list (admin_views/dates.py over canbo.vietnamese)."""
import datetime
import re

import pytest

from canbo.models import Staff


def field_value(html, name):
    tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', html).group(0)
    assert 'data-role="canbo-date"' in tag and 'placeholder="dd/mm/yyyy"' in tag
    return re.search(r'value="([^"]*)"', tag).group(1)


@pytest.mark.parametrize("typed", ["15/04/1995", "15/4/1995", "1995-04-15"])
def test_a_birth_date_is_read_and_shown_the_vietnamese_way(login_as, csrf, typed):
    client = login_as("OFFICER")
    response = client.post("/admin/staff/new/", data={
        "csrf_token": csrf(client, "/admin/staff/new/"), "code": "KT40",
        "full_name": "Vũ Thị Hạnh", "kind": "CIVIL_SERVANT", "gender": "F",
        "birth_date": typed, "unit": Staff.get(Staff.code == "KT01").unit_id})
    assert response.status_code == 302, response.get_data(as_text=True)[-2000:]
    person = Staff.get(Staff.code == "KT40")
    assert person.birth_date == datetime.date(1995, 4, 15)
    html = client.get(f"/admin/staff/edit/?id={person.id}").get_data(as_text=True)
    assert field_value(html, "birth_date") == "15/04/1995"
    assert "15/04/1995" in client.get("/admin/staff/?search=hanh").get_data(as_text=True)


def test_a_wrong_date_names_the_field_and_the_allowed_forms(login_as, csrf):
    client = login_as("OFFICER")
    html = client.post("/admin/staff/new/", data={
        "csrf_token": csrf(client, "/admin/staff/new/"), "code": "KT41",
        "full_name": "Vũ Văn Sai", "kind": "CIVIL_SERVANT", "birth_date": "15.13.1995",
    }).get_data(as_text=True)
    assert "Ngày «15.13.1995» không hợp lệ: không có ngày này" in html
    assert field_value(html, "birth_date") == "15.13.1995"  # kept to be corrected
    assert not Staff.select().where(Staff.code == "KT41").exists()
