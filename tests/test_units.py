"""Who is in post on a date: one rule, in SQL for the lists and reports and on a loaded
person for the workflow, with ``left_on`` the first day out (REFERENCE.md §5)."""
import datetime

import pytest

from canbo.models import Staff, Unit
from canbo.records.units import in_post_during, in_post_on

D = datetime.date
DAY = D(2024, 6, 30)


@pytest.mark.parametrize("joined, left, in_post", [
    (None, None, True),
    (DAY, None, True),                     # joined that day: in post from it
    (D(2024, 7, 1), None, False),
    (None, DAY, False),                    # left that day: no longer in post on it
    (None, D(2024, 7, 1), True),           # left the next day: in post on the last
    (D(2020, 1, 1), D(2024, 6, 29), False),
])
def test_in_post_on_a_day_in_sql_and_on_the_person_agree(db, joined, left, in_post):
    unit = Unit.create(code="XA", name="UBND xã Mẫu", place_name="Mẫu")
    person = Staff.create(unit=unit, code="A1", full_name="Lê Văn An", kind="CIVIL_SERVANT",
                          joined_on=joined, left_on=left)
    assert Staff.select().where(in_post_on(DAY)).exists() is in_post
    assert person.in_post_on(DAY) is in_post


@pytest.mark.parametrize("joined, left, in_year", [
    (None, D(2024, 1, 1), False),          # left on the year's first day: no day in it
    (None, D(2024, 1, 2), True),
    (D(2024, 12, 31), None, True),
    (D(2025, 1, 1), None, False),
])
def test_in_post_during_a_year(db, joined, left, in_year):
    unit = Unit.create(code="XA", name="UBND xã Mẫu", place_name="Mẫu")
    Staff.create(unit=unit, code="A1", full_name="Lê Văn An", kind="CIVIL_SERVANT",
                 joined_on=joined, left_on=left)
    during = in_post_during(D(2024, 1, 1), D(2024, 12, 31))
    assert Staff.select().where(during).exists() is in_year
