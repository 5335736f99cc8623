"""The record screens' rules for a rating (``canbo.rating.guards.check_record_edit``):
statuses by permission, decided only on the cycle page inside a cycle, locked once
approved, a level before approval."""
import datetime

import pytest

from accounts import account
from canbo.errors import Forbidden, InvalidInput, RuleViolation
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


def test_a_historical_rating_is_decided_on_the_record_screen(unit, person):
    r = rating(person, 2022)
    edit(account("CHAIRMAN", unit), r, status="APPROVED")  # no cycle: allowed


def test_the_officer_prepares_but_does_not_decide(unit, person):
    with pytest.raises(Forbidden, match="không được chuyển xếp loại sang trạng thái «Đã phê"):
        edit(account("OFFICER", unit), rating(person, 2022), status="APPROVED")


def test_approval_needs_a_level(unit, person):
    with pytest.raises(InvalidInput, match="Hãy chọn Mức xếp loại"):
        edit(account("CHAIRMAN", unit), rating(person, 2022, level=None), status="APPROVED")


@pytest.mark.parametrize("status", ["APPROVED", "RETURNED", "PUBLISHED"])
def test_inside_a_cycle_deciding_belongs_to_the_cycle_page(unit, person, status):
    wf.open_cycle(account("OFFICER", unit), unit, 2024, today=datetime.date(2024, 11, 27))
    r = Rating.get(Rating.staff == person, Rating.year == 2024)
    Rating.update(status="PROPOSED", level="HTTNV").where(Rating.id == r.id).execute()
    with pytest.raises(RuleViolation, match="thực hiện ở trang «Kỳ đánh giá năm»"):
        edit(account("CHAIRMAN", unit), r, status=status)
    edit(account("OFFICER", unit), r, changed=("note",), note="Đã họp")  # preparing is fine


def test_an_approved_cycle_rating_is_locked_even_for_the_chairman(unit, person):
    wf.open_cycle(account("OFFICER", unit), unit, 2024, today=datetime.date(2024, 11, 27))
    r = Rating.get(Rating.staff == person, Rating.year == 2024)
    Rating.update(status="APPROVED", level="HTTNV").where(Rating.id == r.id).execute()
    with pytest.raises(RuleViolation, match="đã khóa"):
        edit(account("CHAIRMAN", unit), r, changed=("level",), level="HTXSNV")
    edit(account("CHAIRMAN", unit), r, changed=("updated_at",))  # nothing the user changed
