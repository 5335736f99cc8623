"""``canbo serve`` and waitress (issue 16): threads sized for the machine, and the "Task
queue depth" warning let through at most once a minute instead of flooding the log."""
import logging

import pytest
from click.testing import CliRunner

from canbo.cli import cli
from canbo.cli import serve as cli_serve


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def queue_logger_with(monkeypatch, flt):
    logger = logging.getLogger(cli_serve.QUEUE_LOGGER)
    monkeypatch.setattr(logger, "filters", [flt])
    return logger


def test_the_queue_warning_goes_through_at_most_once_a_minute(monkeypatch, caplog):
    clock = Clock()
    logger = queue_logger_with(monkeypatch, cli_serve.OncePerInterval(60, clock))
    caplog.set_level(logging.WARNING, logger=cli_serve.QUEUE_LOGGER)
    for depth in range(1, 201):  # a burst: one warning per waiting request
        logger.warning("Task queue depth is %d", depth)
        clock.now += 0.1  # 200 warnings in 20 seconds
    assert [r.getMessage() for r in caplog.records] == ["Task queue depth is 1"]
    clock.now += 41  # a minute after the first
    logger.warning("Task queue depth is %d", 7)
    assert len(caplog.records) == 2
    assert caplog.records[1].getMessage() == (
        "Task queue depth is 7 (và 199 cảnh báo như vậy trong 60 giây trước, đã lược bớt)")
    clock.now += 61
    logger.warning("Task queue depth is %d", 1)
    assert caplog.records[2].getMessage() == "Task queue depth is 1"


def test_waitress_s_own_queue_warning_is_filtered(monkeypatch, caplog):
    from waitress.task import ThreadedTaskDispatcher

    queue_logger_with(monkeypatch, cli_serve.OncePerInterval(60, Clock()))
    caplog.set_level(logging.WARNING, logger=cli_serve.QUEUE_LOGGER)
    dispatcher = ThreadedTaskDispatcher()  # no threads: every task waits
    for _ in range(50):
        dispatcher.add_task(object())
    queued = [r for r in caplog.records if r.name == cli_serve.QUEUE_LOGGER]
    assert len(queued) == 1 and queued[0].getMessage() == "Task queue depth is 1"


def test_other_loggers_are_not_filtered(monkeypatch, caplog):
    queue_logger_with(monkeypatch, cli_serve.OncePerInterval(60, Clock()))
    caplog.set_level(logging.WARNING)
    for _ in range(3):
        logging.getLogger("waitress").warning("khác")
    assert len(caplog.records) == 3


@pytest.mark.parametrize("cpus, threads", [(1, 8), (2, 8), (4, 16), (8, 32), (64, 32)])
def test_threads_are_sized_for_the_machine(cpus, threads):
    assert cli_serve.default_threads(cpus) == threads


def test_serve_sizes_the_threads_and_installs_the_filter(demo_db, monkeypatch):
    import waitress

    seen = {}
    monkeypatch.setattr(waitress, "serve", lambda app, **options: seen.update(options))
    monkeypatch.setattr(cli_serve, "cpu_count", lambda: 4)
    monkeypatch.setattr(logging.getLogger(cli_serve.QUEUE_LOGGER), "filters", [])
    monkeypatch.setenv("CANBO_SECRET_KEY", "x" * 32)
    result = CliRunner().invoke(cli, ["--db", demo_db.url, "serve"])
    assert result.exit_code == 0, result.output
    assert seen["threads"] == 16 and "Số luồng xử lý: 16" in result.output
    filters = logging.getLogger(cli_serve.QUEUE_LOGGER).filters
    assert [type(f) for f in filters] == [cli_serve.OncePerInterval]
    result = CliRunner().invoke(cli, ["--db", demo_db.url, "serve", "--threads", "6"])
    assert seen["threads"] == 6 and len(logging.getLogger(cli_serve.QUEUE_LOGGER).filters) == 1
