"""The editable lists: what every unit shares is added, changed and deleted only by the
admin; the officer keeps their own units' titles and departments."""
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
    refused = delete(officer, csrf, "department", shared.id)
    assert Department.get_or_none(Department.id == shared.id) is not None
    page = refused.get_data(as_text=True)
    assert refused.status_code == 403
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


# --- issue 16: shared titles are the admin's; a unit's own additions are its officer's ---


def edit_title(client, csrf, title, name):
    return client.post(f"/admin/title/edit/?id={title.id}", data={
        "csrf_token": csrf(client, "/admin/title/"), "name": name, "kind": "",
        "leader_role": "NONE", "position": "0", "unit": title.unit_id or "__None"})


def test_an_officer_of_another_commune_cannot_rename_a_shared_title(login_as, csrf):
    title = Title.get(Title.name == "Tư pháp – hộ tịch")  # KIMTAN's records use it
    officer_b = login_as("OFFICER_B")
    listing = officer_b.get("/admin/title/?page_size=100").get_data(as_text=True)
    assert f"/admin/title/edit/?id={title.id}&" not in listing  # no edit button
    page = officer_b.get(f"/admin/title/edit/?id={title.id}")
    assert page.status_code == 403
    assert "dùng chung cho mọi đơn vị" in page.get_data(as_text=True)
    assert edit_title(officer_b, csrf, title, "Tư pháp (xã B)").status_code == 403
    assert Title.get_by_id(title.id).name == "Tư pháp – hộ tịch"
    admin = login_as("ADMIN")
    assert edit_title(admin, csrf, title, "Tư pháp – hộ tịch (sửa)").status_code == 302
    assert Title.get_by_id(title.id).name == "Tư pháp – hộ tịch (sửa)"


def test_an_officer_adds_and_keeps_their_units_own_title(login_as, csrf):
    officer = login_as("OFFICER")
    form = officer.get("/admin/title/new/").get_data(as_text=True)
    kimtan = Unit.get(Unit.code == "KIMTAN")
    assert f'value="{kimtan.id}" selected' in form or f'selected value="{kimtan.id}"' in form
    response = officer.post("/admin/title/new/", data={
        "csrf_token": csrf(officer, "/admin/title/new/"), "name": "Cán bộ một cửa",
        "leader_role": "NONE", "position": "0", "unit": kimtan.id})
    assert response.status_code == 302
    own = Title.get(Title.name == "Cán bộ một cửa")
    assert own.unit_id == kimtan.id
    assert edit_title(officer, csrf, own, "Cán bộ bộ phận một cửa").status_code == 302
    assert Title.get_by_id(own.id).name == "Cán bộ bộ phận một cửa"
    officer_b = login_as("OFFICER_B")
    assert "Cán bộ bộ phận một cửa" not in officer_b.get("/admin/title/?page_size=100"
                                                       ).get_data(as_text=True)
    assert officer_b.get(f"/admin/title/edit/?id={own.id}").status_code == 404
    assert delete(officer_b, csrf, "title", own.id).status_code in (403, 404)
    assert delete(officer, csrf, "title", own.id).status_code == 302
    assert Title.get_or_none(Title.id == own.id) is None


def test_an_officer_cannot_make_a_shared_title(login_as, csrf):
    officer = login_as("OFFICER")
    page = officer.post("/admin/title/new/", data={
        "csrf_token": csrf(officer, "/admin/title/new/"), "name": "Chức danh chung mới",
        "leader_role": "NONE", "position": "0", "unit": "__None"},
        follow_redirects=True).get_data(as_text=True)
    assert "chỉ: Quản trị hệ thống" in page
    assert not Title.select().where(Title.name == "Chức danh chung mới").exists()
