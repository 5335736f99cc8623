"""Every admin URL × every role and anonymous → the expected HTTP status."""
import pytest

from canbo.models import Rating, Staff
from panel_helpers import PASSWORD, ROLES

ANON = None
ALL = ["ADMIN", "OFFICER", "CHAIRMAN", "VIEWER"]


def expect(ok, *roles, denied=403, anon=302):
    """Status per role: ``ok`` for ``roles``, ``denied`` for the others, ``anon`` for nobody."""
    table = {role: (ok if role in roles else denied) for role in ALL}
    table[ANON] = anon
    return table



# url template → status per role; {staff} and {rating} are ids in the officer's unit.
TABLE = {
    # chairmen and viewers land on the dashboard
    "/admin/": {**expect(200, *ALL), "CHAIRMAN": 302, "VIEWER": 302},
    "/admin/login/": {**expect(200, *ALL), ANON: 200},
    "/admin/staff/": expect(200, *ALL),
    "/admin/staff/?search=anh": expect(200, *ALL),
    "/admin/staff/details/?id={staff}": expect(200, *ALL),
    "/admin/staff/new/": expect(200, "ADMIN", "OFFICER"),
    "/admin/staff/edit/?id={staff}": expect(200, "ADMIN", "OFFICER"),
    "/admin/staff/archive/?id={staff}": expect(200, "ADMIN", "OFFICER"),
    "/admin/staff/export/csv/": expect(200, *ALL),
    "/admin/staff/export/xlsx/": expect(200, *ALL),
    "/admin/rating/": expect(302, *ALL),  # to the latest year
    "/admin/rating/?flt0_0=2022": expect(200, *ALL),
    "/admin/rating/details/?id={rating}": expect(200, *ALL),
    "/admin/rating/new/": expect(200, "ADMIN", "OFFICER"),
    # the chairman decides on the cycle page only (issue 16), never on the record screen
    "/admin/rating/edit/?id={rating}": expect(200, "ADMIN", "OFFICER"),
    "/admin/rating/export/csv/": expect(200, *ALL),
    "/admin/unit/": expect(200, *ALL),
    "/admin/unit/new/": expect(200, "ADMIN"),
    "/admin/title/": expect(200, *ALL),
    "/admin/title/new/": expect(200, "ADMIN", "OFFICER"),
    "/admin/department/": expect(200, *ALL),
    "/admin/department/new/": expect(200, "ADMIN", "OFFICER"),
    "/admin/user/": expect(200, "ADMIN"),
    "/admin/user/new/": expect(200, "ADMIN"),
    "/admin/accounts/": expect(200, "ADMIN", "OFFICER"),
    "/admin/password/": expect(200, *ALL),
    "/admin/auditlog/": expect(200, "ADMIN"),
    "/admin/auditlog/export/csv/": expect(200, "ADMIN"),
}


@pytest.mark.parametrize("role", [ANON, *ROLES])
def test_every_url_answers_each_role_as_the_table_says(login_as, role):
    client = login_as(role)
    ids = {
        "staff": Staff.get(Staff.code == "KT06").id,
        "rating": Rating.select().join(Staff).where(Staff.code == "KT06").first().id,
    }
    got, want = {}, {}
    for template, statuses in TABLE.items():
        url = template.format(**ids)
        got[url] = client.get(url).status_code
        want[url] = statuses[role]
    assert got == want


@pytest.mark.parametrize("role", [ANON, *ROLES])
def test_deleting_staff_is_refused_to_every_role(login_as, csrf, role):
    client = login_as(role)
    person = Staff.get(Staff.code == "KT06")
    response = client.post("/admin/staff/delete/",
                           data={"id": person.id, "csrf_token": csrf(client)})
    assert response.status_code in (302, 403)
    assert Staff.get_by_id(person.id).full_name == "Đỗ Thị Ánh"


def test_anonymous_user_is_sent_to_login_and_back(client, csrf):
    response = client.get("/admin/staff/?search=anh")
    assert response.status_code == 302
    login_page = response.headers["Location"]
    assert login_page.startswith("/admin/login/?next=/admin/staff/")
    response = client.post(login_page, data={"username": "canbo", "password": PASSWORD,
                                             "csrf_token": csrf(client)})
    assert response.headers["Location"] == "/admin/staff/?search=anh"


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "javascript:x"])
def test_login_never_redirects_off_site(client, csrf, target):
    response = client.post(f"/admin/login/?next={target}", data={
        "username": "canbo", "password": PASSWORD, "csrf_token": csrf(client)})
    assert response.headers["Location"] == "/admin/"
