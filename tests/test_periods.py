"""Periods of days: merged, clipped and cut the same way by eligibility and by the year's
points, so a leave typed twice or in overlapping pieces counts its days once."""
import datetime
from types import SimpleNamespace

import pytest

from canbo import periods
from canbo.rules import rulesets, yearly
from canbo.tracking import leave as year_records

D = datetime.date


@pytest.mark.parametrize("given, expected", [
    ([], []),
    ([(D(2024, 3, 11), D(2024, 3, 20)), (D(2024, 3, 1), D(2024, 3, 10))],  # touching
     [(D(2024, 3, 1), D(2024, 3, 20))]),
    ([(D(2024, 3, 1), D(2024, 3, 31)), (D(2024, 3, 5), D(2024, 3, 9))],    # inside
     [(D(2024, 3, 1), D(2024, 3, 31))]),
    ([(D(2024, 3, 1), D(2024, 3, 9)), (D(2024, 3, 11), D(2024, 3, 20))],   # a day apart
     [(D(2024, 3, 1), D(2024, 3, 9)), (D(2024, 3, 11), D(2024, 3, 20))]),
])
def test_overlapping_or_touching_periods_are_one(given, expected):
    assert periods.merged(given) == expected


def test_clipped_and_without():
    year = (D(2024, 1, 1), D(2024, 12, 31))
    assert periods.clipped([(D(2023, 11, 1), D(2024, 2, 29)), (D(2023, 1, 1), D(2023, 2, 1))],
                           *year) == [(D(2024, 1, 1), D(2024, 2, 29))]
    assert periods.without([year], [(D(2024, 3, 1), D(2024, 3, 31))]) == [
        (D(2024, 1, 1), D(2024, 2, 29)), (D(2024, 4, 1), D(2024, 12, 31))]


def leave(kind, first, last):
    return SimpleNamespace(kind=kind, starts_on=first, ends_on=last)


def test_a_leave_typed_twice_counts_once_for_eligibility():
    # Two months of sick leave, entered twice: not the "3 to 6 months" of ND 90's cap.
    twice = [leave("SICK", D(2024, 3, 1), D(2024, 4, 30))] * 2
    assert yearly.months_absent(2024, twice) == (2, 0)
    rule_set = rulesets.get("ND90_ND48_2023")
    assert yearly.eligibility(rule_set, 2024, D(2010, 1, 1), None, twice).cap is None


def test_a_leave_typed_twice_counts_once_for_the_year_points():
    # Ten days of March entered twice are still ten of its 31 days: the month is worked.
    twice = [leave("SICK", D(2026, 3, 1), D(2026, 3, 10))] * 2
    assert year_records.months_worked(2026, twice) == (None, None)
