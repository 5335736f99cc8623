"""Figures shared by a province's web processes through Redis (``canbo.cache``): worked
out by one process, read by the others, never older than the last commit, and a Redis
that is down costs nothing but the saving.

Each test is one process; ``cache.clear()`` stands for another process, which has kept
nothing of its own.  Nothing is kept on SQLite, so these run on PostgreSQL only.
"""
import datetime
import logging
import threading

import pytest
from playhouse.test_utils import count_queries

from canbo import cache, settings
from canbo.models import Rating, Staff, Unit
from canbo.records import units
from canbo.rules.rulesets import rule_set_for
from canbo.stats import dashboard

TODAY = datetime.date(2026, 11, 1)
on_postgres = pytest.mark.parametrize("backend", ["postgres"], indirect=True)


@pytest.fixture
def shared(demo_db, redis_url, monkeypatch):
    """This test's Redis as the store every process shares."""
    monkeypatch.setenv(settings.REDIS_ENV, redis_url)
    monkeypatch.setitem(cache._shared, "down_until", 0.0)
    store = cache.shared()
    store.client.flushdb()
    return store


def kimtan():
    return units.find_unit("KIMTAN")


def counting():
    calls = []

    @cache.keep
    def figure(n):
        calls.append(n)
        return {"twice": n * 2}

    return figure, calls


@on_postgres
def test_another_process_reads_the_dashboard_from_redis_in_one_query(shared):
    unit = kimtan()
    board = dashboard.dashboard(unit, 2026, today=TODAY)
    cache.clear()  # another process: nothing kept of its own
    with count_queries() as again:
        other = dashboard.dashboard(unit, 2026, today=TODAY)
    assert again.count == 1  # the snapshot; the figures came from Redis
    assert other is not board  # a copy, read back
    assert other.progress.counts == board.progress.counts
    assert other.unit.name == board.unit.name
    assert [w.code for w in other.warnings] == [w.code for w in board.warnings]


@on_postgres
def test_a_commit_is_on_the_next_dashboard_of_every_process(shared):
    before = dashboard.dashboard(kimtan(), 2026, today=TODAY)
    assert before.progress.done == 0
    staff = Staff.get(Staff.code == "KT12")
    Rating.create(staff=staff, unit=staff.unit, year=2026, level="HTTNV", self_level="HTTNV",
                  rule_set=rule_set_for(2026, staff.kind), status="APPROVED")
    cache.clear()
    assert dashboard.dashboard(kimtan(), 2026, today=TODAY).progress.done == 1


@on_postgres
def test_the_value_another_process_is_working_out_is_waited_for(shared):
    figure, calls = counting()
    key = cache._shared_key(figure.__wrapped__, cache.data_version(), (21,), {})
    assert shared.claim(key)  # another process claimed it and is working it out
    timer = threading.Timer(0.3, shared.put, (key, {"twice": "from the other process"}))
    timer.start()
    try:
        assert figure(21) == {"twice": "from the other process"}
    finally:
        timer.cancel()
    assert calls == []


@on_postgres
def test_a_claimant_that_never_answers_is_waited_for_no_longer_than_wait_seconds(
        shared, monkeypatch):
    monkeypatch.setattr(cache, "WAIT_SECONDS", 0.3)
    figure, calls = counting()
    key = cache._shared_key(figure.__wrapped__, cache.data_version(), (4,), {})
    assert shared.claim(key)  # and then that process died
    assert figure(4) == {"twice": 8}
    assert calls == [4]


@on_postgres
def test_a_failed_computation_lets_the_next_process_try(shared):
    @cache.keep
    def broken(n):
        raise ValueError("no figures")

    with pytest.raises(ValueError):
        broken(1)
    key = cache._shared_key(broken.__wrapped__, cache.data_version(), (1,), {})
    assert not shared.claimed(key)  # the claim is given back, nobody waits for nothing


@on_postgres
def test_an_argument_with_no_shared_name_is_kept_by_this_process_only(shared):
    calls = []

    class Opaque:
        pass

    @cache.keep
    def name_of(thing):
        calls.append(thing)
        return type(thing).__name__

    thing = Opaque()
    assert name_of(thing) == name_of(thing) == "Opaque"
    assert len(calls) == 1  # kept by this process
    assert shared.client.dbsize() == 0  # and not in Redis


def test_a_shared_key_names_a_record_by_its_table_and_id():
    unit = Unit(id=7, code="X")
    assert cache._text((unit, datetime.date(2026, 1, 2), [1, 2], frozenset({3, 1}))) == (
        "(unit#7,date:2026-01-02,(1,2),{1,3})")


@on_postgres
def test_redis_down_leaves_each_process_its_own_figures_and_one_warning(
        demo_db, monkeypatch, caplog):
    monkeypatch.setenv(settings.REDIS_ENV, "redis://127.0.0.1:9/0")  # nothing listens
    monkeypatch.setitem(cache._shared, "down_until", 0.0)
    figure, calls = counting()
    with caplog.at_level(logging.WARNING, logger="canbo.cache"):
        assert figure(1) == {"twice": 2}
        cache.clear()
        assert figure(1) == {"twice": 2}  # worked out again, Redis not tried again
        assert figure(1) == {"twice": 2}  # and kept by this process meanwhile
    assert calls == [1, 1]
    assert len([r for r in caplog.records if "Redis" in r.getMessage()]) == 1
    assert cache.shared() is None  # until RETRY_SECONDS have passed
