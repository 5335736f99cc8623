"""The record screens' rules for a rating (``canbo.rating.guards.check_record_edit``):
only the officer writes there, never the status (every approval goes through the cycle
page's quota check, with a cycle or without), and an approved rating is locked."""
import datetime

import pytest

from accounts import account
from canbo.errors import Forbidden, RuleViolation
from canbo.models import Rating, Staff, Unit
from canbo.rating import guards
from canbo.rating import workflow as wf


@pytest.fixture
def unit(db):
    return Unit.create(code="XA", name="UBND xã An Bình", place_name="An Bình")


@pytest.fixture
def person(unit):
    return Staff.create(unit=unit, code="S01", full_name="Lê Thị Hoa", kind="CIVIL_SERVANT",
                        joined_on=datetime.date(2010, 1, 1))


def rating(person, year, status="PROPOSED", level="HTTNV"):
    return Rating.create(staff=person, unit=person.unit, year=year, rule_set="ND90_2020",
                         status=status, level=level)


def edit(user, rating, changed=("status",), **values):
    """Check the change of ``values`` on ``rating`` (as stored) as the record screen would."""
    rating = Rating.get_by_id(rating.id)
    before = rating.status
    for name, value in values.items():
        setattr(rating, name, value)
    guards.check_record_edit(user, rating, before, changed)


@pytest.mark.parametrize("role", ["CHAIRMAN", "OFFICER", "ADMIN"])
@pytest.mark.parametrize("status", ["APPROVED", "PUBLISHED", "RETURNED"])
def test_no_rating_is_decided_on_the_record_screen_even_without_a_cycle(unit, person, role,
                                                                        status):
    # Issue 16: with no cycle for the year, an officer typed HTXSNV and the chairman
    # approved it here, past the quota the cycle page checks.
    r = rating(person, 2022, level="HTXSNV")
    with pytest.raises((RuleViolation, Forbidden)) as caught:
        edit(account(role, unit), r, status=status)
    if role != "CHAIRMAN":
        assert "thực hiện ở trang «Kỳ đánh giá năm»" in caught.value.message
    assert Rating.get_by_id(r.id).status == "PROPOSED"


@pytest.mark.parametrize("status", ["SELF_ASSESSED", "PROPOSED", "OPEN"])
def test_the_record_screen_changes_no_status_at_all(unit, person, status):
    r = rating(person, 2022, status="COMMENTED")
    with pytest.raises(RuleViolation, match="không đổi ở trang này"):
        edit(account("OFFICER", unit), r, status=status)


def test_the_chairman_does_not_write_on_the_record_screen(unit, person):
    with pytest.raises(Forbidden, match="Chủ tịch không được sửa xếp loại"):
        edit(account("CHAIRMAN", unit), rating(person, 2022), changed=("level",),
             level="HTXSNV")


def test_the_officer_types_a_level_and_a_note_of_an_undecided_rating(unit, person):
    edit(account("OFFICER", unit), rating(person, 2022), changed=("level", "note"),
         level="HTXSNV", note="Theo biên bản họp")


@pytest.mark.parametrize("year, with_cycle", [(2022, False), (2024, True)])
def test_an_approved_rating_is_locked_on_the_record_screen(unit, person, year, with_cycle):
    if with_cycle:
        wf.open_cycle(account("OFFICER", unit), unit, year, today=datetime.date(2024, 11, 27))
        r = Rating.get(Rating.staff == person, Rating.year == year)
        Rating.update(status="APPROVED", level="HTTNV").where(Rating.id == r.id).execute()
    else:
        r = rating(person, year, status="APPROVED")
    with pytest.raises(RuleViolation, match="đã khóa"):
        edit(account("OFFICER", unit), r, changed=("level",), level="HTXSNV")
    edit(account("OFFICER", unit), r, changed=("updated_at",))  # nothing the user changed


def test_inside_a_cycle_the_officer_still_prepares_on_the_record_screen(unit, person):
    wf.open_cycle(account("OFFICER", unit), unit, 2024, today=datetime.date(2024, 11, 27))
    r = Rating.get(Rating.staff == person, Rating.year == 2024)
    Rating.update(status="PROPOSED", level="HTTNV").where(Rating.id == r.id).execute()
    with pytest.raises(RuleViolation, match="thực hiện ở trang «Kỳ đánh giá năm»"):
        edit(account("OFFICER", unit), r, status="APPROVED")
    edit(account("OFFICER", unit), r, changed=("note",), note="Đã họp")  # preparing is fine
