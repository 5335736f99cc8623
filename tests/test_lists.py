"""Who changes the shared lists (issue 16, ``canbo.records.lists``): a title or department
of no unit only the admin; a unit's own only an officer who sees that unit."""
import pytest

from accounts import account
from canbo.errors import Forbidden
from canbo.models import Department, Title, Unit
from canbo.records import lists


@pytest.fixture
def units(db):
    return {code: Unit.create(code=code, name=f"UBND xã {code}", place_name=code)
            for code in ("A", "B")}


def test_a_shared_title_is_changed_only_by_the_admin(units):
    title = Title.get(Title.name == "Tư pháp – hộ tịch")
    for role in ("OFFICER", "CHAIRMAN", "VIEWER"):
        with pytest.raises(Forbidden):
            lists.check_change(account(role, units["B"]), title)
    with pytest.raises(Forbidden, match="dùng chung cho mọi đơn vị; chỉ: Quản trị hệ thống"):
        lists.check_change(account("OFFICER", units["B"]), title)
    lists.check_change(account("ADMIN"), title)
    assert not lists.may_change(account("OFFICER", units["B"]), title)


@pytest.mark.parametrize("model", [Title, Department])
def test_a_units_own_row_is_its_officers(units, model):
    row = model.create(name="Bộ phận một cửa", unit=units["A"])
    lists.check_change(account("OFFICER", units["A"]), row)
    lists.check_change(account("OFFICER", units["A"]), row, "xóa")
    with pytest.raises(Forbidden, match="không thuộc đơn vị này"):
        lists.check_change(account("OFFICER", units["B"]), row)
    assert lists.may_change(account("OFFICER", units["A"]), row)
    assert not lists.may_change(account("OFFICER", units["B"]), row)
    assert row not in list(lists.visible(account("OFFICER", units["B"]), model))


def test_a_row_cannot_be_taken_over_by_changing_its_unit(units):
    shared = Title.get(Title.name == "Tư pháp – hộ tịch")
    shared.unit = units["A"]  # the officer of A tries to make the shared title A's
    with pytest.raises(Forbidden, match="dùng chung"):
        lists.check_change(account("OFFICER", units["A"]), shared, unit_before=None)
    theirs = Department.create(name="Tổ B", unit=units["B"])
    theirs.unit = units["A"]
    with pytest.raises(Forbidden, match="không thuộc đơn vị này"):
        lists.check_change(account("OFFICER", units["A"]), theirs, unit_before=units["B"].id)
