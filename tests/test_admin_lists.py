"""The editable lists: what every unit shares is deleted (and, for departments, changed)
only by the admin; the officer keeps their own units' departments."""
import pytest

from canbo.models import Department, Title, Unit


def delete(client, csrf, endpoint, row_id):
    return client.post(f"/admin/{endpoint}/delete/", data={
        "id": row_id, "csrf_token": csrf(client, f"/admin/{endpoint}/")},
        follow_redirects=False)


@pytest.fixture
def own_department(demo_db):
    return Department.create(name="Tổ một cửa", unit=Unit.get(Unit.code == "KIMTAN"))


def test_only_the_admin_deletes_a_title(login_as, csrf):
    title = Title.select().first()
    officer, admin = login_as("OFFICER"), login_as("ADMIN")
    assert "/admin/title/delete/" not in officer.get("/admin/title/").get_data(as_text=True)
    assert "/admin/title/delete/" in admin.get("/admin/title/").get_data(as_text=True)
    assert delete(officer, csrf, "title", title.id).status_code == 403
    assert Title.get_or_none(Title.id == title.id) is not None
    assert delete(admin, csrf, "title", title.id).status_code == 302
    assert Title.get_or_none(Title.id == title.id) is None


def test_the_officer_deletes_only_their_units_departments(login_as, csrf, own_department):
    shared = Department.select().where(Department.unit.is_null()).first()
    officer = login_as("OFFICER")
    html = officer.get("/admin/department/?page_size=100").get_data(as_text=True)
    forms = html.count('action="/admin/department/delete/"')
    # the delete buttons of "Tổ một cửa" and of the demo's "Văn phòng – Thống kê" only
    assert forms == 2
    delete(officer, csrf, "department", shared.id)
    assert Department.get_or_none(Department.id == shared.id) is not None
    page = officer.get("/admin/department/").get_data(as_text=True)
    assert "dùng chung cho mọi đơn vị" in page and "Quản trị hệ thống" in page
    delete(officer, csrf, "department", own_department.id)
    assert Department.get_or_none(Department.id == own_department.id) is None


def test_only_the_admin_adds_a_shared_department(login_as, csrf):
    officer = login_as("OFFICER")
    page = officer.post("/admin/department/new/", data={
        "csrf_token": csrf(officer, "/admin/department/new/"), "name": "Ban chung mới",
        "unit": "__None"}, follow_redirects=True).get_data(as_text=True)
    assert "chỉ: Quản trị hệ thống" in page
    assert not Department.select().where(Department.name == "Ban chung mới").exists()
    admin = login_as("ADMIN")
    admin.post("/admin/department/new/", data={
        "csrf_token": csrf(admin, "/admin/department/new/"), "name": "Ban chung mới",
        "unit": "__None"})
    assert Department.get(Department.name == "Ban chung mới").unit_id is None
