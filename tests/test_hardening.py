"""Bad input at the model and domain boundary: a message, never a database error or a 500
(issue 16, "No 500, ever").  On SQLite and PostgreSQL: NUL bytes and lengths are where
they differ (PostgreSQL refuses a NUL outright; SQLite stores any length)."""
import datetime
from decimal import Decimal

import pytest

from canbo.errors import InvalidInput
from canbo.levels import Rating as RatingLevel
from canbo.levels import StaffKind
from canbo.models import AuditLog, Rating, Staff, Unit, User
from canbo.rating import workflow
from panel_helpers import log_in


def test_control_characters_never_reach_the_database(db):
    unit = Unit.create(code="X\x00A", name="UBND\x1b xã\x00 An\tBình", place_name="An\x07")
    unit = Unit.get_by_id(unit.id)
    assert (unit.code, unit.name, unit.place_name) == ("XA", "UBND xã An Bình", "An")
    person = Staff(unit=unit, code="A1", full_name="Lê\x00 Văn An", kind="CADRE",
                   left_reason="dòng 1\ndòng 2\x00")
    person.save()
    person = Staff.get_by_id(person.id)
    assert person.full_name == "Lê Văn An" and person.search_name == "le van an"


def test_text_longer_than_its_column_is_refused_naming_the_field(db):
    with pytest.raises(InvalidInput, match=r"Mã: dài 33 ký tự; cho phép tối đa 32"):
        Unit.create(code="x" * 33, name="UBND", place_name="An")
    assert not Unit.select().count()


@pytest.mark.parametrize("points", [Decimal("NaN"), Decimal("Infinity"), Decimal("1e400"),
                                    Decimal(123456789), float("nan")])
def test_points_not_finite_or_past_the_column_are_refused(db, points):
    unit = Unit.create(code="XA", name="UBND", place_name="An")
    person = Staff(unit=unit, code="A1", full_name="Lê Văn An", kind="CADRE")
    person.save()
    with pytest.raises(InvalidInput, match="Điểm"):
        Rating.create(staff=person, unit=unit, year=2024, rule_set="ND90_2020", points=points)
    assert not Rating.select().count()


def test_a_level_outside_the_list_is_invalid_input_naming_what_is_allowed():
    for parse, bad in ((RatingLevel.parse, "\x00"), (StaffKind.parse, "x" * 3000)):
        with pytest.raises(InvalidInput, match="cho phép: ") as caught:
            parse(bad)
        assert isinstance(caught.value, ValueError) and len(caught.value.message) < 400
        assert "\x00" not in caught.value.message


@pytest.mark.parametrize("username", ["quan\x00tri", "\x00", "q" * 500])
def test_an_odd_username_is_a_wrong_login_not_a_500(client, username):
    response = log_in(client, username)
    assert response.status_code == 200
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in response.get_data(as_text=True)


def test_the_audit_log_shows_workflow_entries(login_as):
    officer = User.get(User.username == "canbo")
    workflow.open_cycle(officer, Unit.get(Unit.code == "KIMTAN"), 2024,
                        today=datetime.date(2024, 12, 1))
    assert AuditLog.get(AuditLog.action == "cycle.open").changes.count('"year": 2024')
    response = login_as("ADMIN").get("/admin/auditlog/")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<b>year</b>: 2024" in html and "∅ → OPEN" in html


@pytest.mark.parametrize("url, status", [
    ("/admin/staff/?page=99999999999999999999", 200),
    ("/admin/staff/details/?id=99999999999999999999", 404),
    ("/admin/workflow/rating/99999999999999999999", 404),
    ("/admin/rating/edit/?id=-1", 404),
])
def test_numbers_past_what_the_database_holds_are_no_row(login_as, url, status):
    assert login_as("OFFICER").get(url).status_code == status


@pytest.mark.parametrize("unit", ["99999999999999999999", "NaN", "abc", "\x00"])
def test_a_select_box_sent_an_odd_id_says_not_a_valid_choice(login_as, csrf, unit):
    client = login_as("ADMIN")
    token = csrf(client, "/admin/department/new/")
    response = client.post("/admin/department/new/",
                           data={"csrf_token": token, "name": "Phòng mới", "unit": unit})
    assert response.status_code == 200
    assert "Phòng mới" in response.get_data(as_text=True)  # the form again, with the error
