"""A civil servant's own account (STAFF) reaches their own records and nothing else of
the unit (issue 12: "they see and edit only their own … and nothing else"): no staff
list of colleagues, no ratings but their own, no dashboard, imports or lists."""
import pytest

from canbo.models import Rating, Staff, Unit
from canbo.records import users
from panel_helpers import PASSWORD, log_in

pytestmark = pytest.mark.usefixtures("accounts")


@pytest.fixture
def me(demo_db):
    kt14 = Staff.get(Staff.code == "KT14")
    users.create_user("kt14", PASSWORD, "STAFF", kt14.unit, staff=kt14)
    return kt14


def test_a_civil_servant_reads_only_their_own_records(app, me):
    client = app.test_client()
    assert log_in(client, "kt14").status_code == 302
    other = Staff.get(Staff.code == "KT13")
    listing = client.get("/admin/staff/").get_data(as_text=True)
    assert me.full_name in listing and other.full_name not in listing
    assert client.get(f"/admin/staff/details/?id={me.id}").status_code == 200
    assert client.get(f"/admin/staff/details/?id={other.id}").status_code == 404
    mine = Rating.get(Rating.staff == me, Rating.year == 2022)
    theirs = Rating.get(Rating.staff == other, Rating.year == 2022)
    ratings = client.get("/admin/rating/?flt0_0=2022").get_data(as_text=True)
    assert me.full_name in ratings and other.full_name not in ratings
    assert client.get(f"/admin/rating/details/?id={mine.id}").status_code == 200
    assert client.get(f"/admin/rating/details/?id={theirs.id}").status_code == 404
    assert client.get(f"/admin/rating/edit/?id={mine.id}").status_code == 403
    # the yearly cycle: their own rating page, not the unit's cycle page
    assert client.get(f"/admin/workflow/rating/{mine.id}").status_code == 200
    assert client.get(f"/admin/workflow/rating/{theirs.id}").status_code == 404
    assert client.get("/admin/workflow/?year=2022").status_code == 404
    for url in ("/admin/unit/", "/admin/title/", "/admin/department/", "/admin/dashboard/",
                "/admin/import/", "/admin/documents/", "/admin/user/",
                "/admin/auditlog/", "/admin/accounts/", "/admin/monthly/evaluators"):
        assert client.get(url).status_code == 403, url
    assert client.get(f"/admin/catalogue/?unit={Unit.get(Unit.code == 'XB').code}"
                      ).status_code == 404
    assert client.get("/admin/catalogue/").status_code == 200  # their unit's catalogue
    home = client.get("/admin/monthly/").get_data(as_text=True)
    for hidden in ('href="/admin/unit/"', 'href="/admin/dashboard/"', 'href="/admin/import/"',
                   'href="/admin/workflow/"'):
        assert hidden not in home, hidden  # no menu entry that leads to a refusal
