"""Kept figures (``canbo.cache``): read again for nothing while the data stay the same,
never older than the last commit."""
import datetime

from playhouse.test_utils import count_queries

from canbo import cache
from canbo.models import Rating, Staff
from canbo.records import units
from canbo.rules.rulesets import rule_set_for
from canbo.stats import dashboard

TODAY = datetime.date(2026, 11, 1)


def kimtan():
    return units.find_unit("KIMTAN")


def approve_one(code="KT12"):
    staff = Staff.get(Staff.code == code)
    Rating.create(staff=staff, unit=staff.unit, year=2026, level="HTTNV", self_level="HTTNV",
                  rule_set=rule_set_for(2026, staff.kind), status="APPROVED")


def test_the_same_dashboard_again_costs_one_query_on_postgres_and_is_recomputed_on_sqlite(
        demo_db, backend):
    unit = kimtan()
    first_board = dashboard.dashboard(unit, 2026, today=TODAY)
    cache.clear()
    with count_queries() as first:
        dashboard.dashboard(unit, 2026, today=TODAY)
    with count_queries() as again:
        board = dashboard.dashboard(unit, 2026, today=TODAY)
    assert board.progress.counts == first_board.progress.counts
    if backend == "postgres":
        assert again.count == 1  # the snapshot, nothing else
    else:
        assert again.count == first.count > 5


def test_a_commit_shows_on_the_next_dashboard(demo_db):
    before = dashboard.dashboard(kimtan(), 2026, today=TODAY)
    assert before.progress.done == 0
    approve_one()
    after = dashboard.dashboard(kimtan(), 2026, today=TODAY)
    assert after.progress.done == 1
    assert after.progress.total == before.progress.total


def test_each_day_and_unit_and_year_has_its_own_figures(demo_db):
    board = dashboard.dashboard(kimtan(), 2026, today=TODAY)
    assert dashboard.dashboard(kimtan(), 2023, today=TODAY).year == 2023
    later = dashboard.dashboard(kimtan(), 2026, today=datetime.date(2026, 12, 16))
    assert later.today != board.today
    assert [w.severity for w in later.warnings if w.code == "deadline"] == ["danger"]
    assert not [w for w in board.warnings if w.code == "deadline"]


def test_inside_a_transaction_its_own_writes_count_and_nothing_is_kept(demo_db, db):
    with db.atomic() as transaction:
        approve_one()
        inside = dashboard.dashboard(kimtan(), 2026, today=TODAY)
        transaction.rollback()
    assert inside.progress.done == 1
    assert dashboard.dashboard(kimtan(), 2026, today=TODAY).progress.done == 0


def test_the_panel_shows_an_approval_on_the_next_dashboard(login_as):
    client = login_as("CHAIRMAN")
    page = client.get("/admin/dashboard/?unit=KIMTAN&year=2026").get_data(as_text=True)
    assert "Đã phê duyệt hoặc công bố 0 trên 19 người" in page
    approve_one()
    again = client.get("/admin/dashboard/?unit=KIMTAN&year=2026").get_data(as_text=True)
    assert "Đã phê duyệt hoặc công bố 1 trên 19 người" in again


def test_no_more_than_size_values_are_kept(demo_db, backend, monkeypatch):
    monkeypatch.setattr(cache, "SIZE", 3)
    calls = []

    @cache.keep
    def figure(n):
        calls.append(n)
        return n * 2

    for n in range(5):
        assert figure(n) == n * 2
    assert len(cache._values) <= 3
    figure(4)  # the newest is still kept on PostgreSQL
    figure(0)  # the oldest was let go
    assert calls[5:] == ([0] if backend == "postgres" else [4, 0])


def test_an_argument_that_cannot_be_a_key_is_computed_each_time(demo_db):
    calls = []

    @cache.keep
    def figure(rows):
        calls.append(1)
        return len(rows)

    assert figure([{"a": 1}]) == figure([{"a": 1}]) == 1
    assert len(calls) == 2
