"""The to-do list on every home page (``canbo.tracking.todo``), with each item's link.

The home page, "Việc của tôi" (a civil servant's home) and the dashboard (the chairman's
home) include ``admin/_todo.html`` with what ``todo_links`` gives.
"""
from flask import url_for

from canbo.tracking import todo


def _link(item):
    if item.kind in (todo.CONFIRM, todo.ASSIGN) and item.staff_id is None:  # grouped
        return url_for("monthly.queue", year=item.year, month=item.month)
    if item.kind in (todo.SELF_SCORE, todo.RETURNED, todo.CONFIRM):
        return url_for("tracking.sheet", staff_id=item.staff_id, year=item.year,
                       month=item.month)
    if item.kind == todo.ASSIGN:
        return url_for("monthly.assign", staff_id=item.staff_id, year=item.year,
                       month=item.month)
    if item.kind == todo.UNASSIGNED:
        return url_for("tracking.index", year=item.year)
    if item.staff_id is not None:
        return url_for("monthly.year", staff_id=item.staff_id, year=item.year)
    return url_for("tracking.index", year=item.year)


def todo_links(account, today=None):
    """``[(Item, url)]`` waiting for ``account``."""
    return [(item, _link(item)) for item in todo.for_account(account, today)]
