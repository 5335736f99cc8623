"""The crawler: every page of the panel, as every role and anonymous, never a 5xx.

On the demo commune (with a yearly cycle under way, so the workflow, its audit entries
and the monthly points are there), it visits every Flask-Admin view's list, details,
create and edit pages and every plain GET route of ``app.url_map``, with and without odd
query strings: huge page numbers, unknown sort columns, bad ids, NaN, NUL bytes.  Any
5xx (or an exception, which the test app lets through) fails, with every URL that gave
one.

SQLite only: the crawl is ~2,000 requests, and what it looks for (a page that breaks on
what the user sends) does not depend on the storage; the PostgreSQL-specific failures
(NUL bytes, numbers past a column's range) have tests of their own beside their fixes.
"""
import datetime
import re

import pytest
from flask_admin.contrib.peewee import ModelView

from canbo.models import Cycle, Rating, Staff, Unit, User
from canbo.rating import workflow

ODD_LIST_ARGS = [
    "page=99999999999999999999", "page=-1", "page=NaN", "sort=999", "sort=abc&desc=NaN",
    "page_size=NaN", "page_size=99999999999999999999", "search=%00%FF", "flt0_0=NaN",
    "flt1_99=x", "year=NaN", "year=99999999999999999999", "unit=%00", "ratio=NaN",
    "ratio=Infinity", "ratio=1e400", "month=13", "level=ZZZ", "kind=%00", "id=abc",
]
BAD_IDS = ["abc", "99999999999999999999", "-1", "NaN", "1e400", "%00"]
ROLES = [None, "ADMIN", "OFFICER", "CHAIRMAN", "VIEWER", "OFFICER_B"]
#: Routes that do something, or leave, on GET: not pages to crawl.
SKIP = re.compile(r"/logout|/static/|/_debug|/action$")


@pytest.fixture
def cycle_app(app, backend):
    if backend != "sqlite":
        pytest.skip("the crawl runs on SQLite (see the module docstring)")
    officer = User.get(User.username == "canbo")
    unit = Unit.get(Unit.code == "KIMTAN")
    cycle = workflow.open_cycle(officer, unit, 2024, today=datetime.date(2024, 12, 1))
    rating = (Rating.select().join(Staff)
              .where(Rating.year == 2024, Rating.status == "OPEN").first())
    workflow.self_assess(officer, rating, {}, "HTTNV")
    assert Cycle.select().count() and cycle.id
    return app


def admin_views(app):
    return [v for v in app.extensions["admin"][0]._views if isinstance(v, ModelView)]


def first_ids(view):
    try:
        return [str(r.get_id()) for r in view.model.select().limit(2)]
    except AttributeError:
        return [str(r) for r in view.model.select(view.model._meta.primary_key)
                .limit(2).tuples()]


def model_urls(view):
    base = f"/admin/{view.endpoint}/" if view.url is None else view.url.rstrip("/") + "/"
    urls = [base] + [f"{base}?{q}" for q in ODD_LIST_ARGS]
    ids = [str(pk) for (pk,) in view.model.select(view.model._meta.primary_key)
           .limit(2).tuples()]
    for page in ("details/", "edit/"):
        urls += [f"{base}{page}?id={i}" for i in ids + BAD_IDS]
    urls += [f"{base}new/", f"{base}new/?url=%00", f"{base}export/csv/",
             f"{base}export/xlsx/"]
    return urls


def route_urls(app):
    urls = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or SKIP.search(rule.rule):
            continue
        if rule.endpoint.split(".")[-1] in {"index_view", "details_view", "edit_view",
                                              "create_view", "export", "ajax_lookup",
                                              "ajax_update", "delete_view", "action_view"}:
            continue  # the model views' own pages: model_urls
        variants = [{}]
        if rule.arguments:
            variants = [{a: v for a in rule.arguments}
                        for v in ("1", "2", "99999999999999999999", "x")]
        for values in variants:
            path = rule.rule
            for name in rule.arguments:
                path = re.sub(rf"<(?:[^:<>]+:)?{name}>", values[name], path)
            if "<" in path:
                continue
            urls += [path, f"{path}?{'&'.join(ODD_LIST_ARGS[:8] + ODD_LIST_ARGS[10:])}",
                     f"{path}?year=NaN&unit=KIMTAN&month=99999999999999999999",
                     f"{path}?year=2024&unit=KIMTAN&ratio=1e400&level=%00"]
    return urls


def test_no_page_gives_a_5xx_to_anyone(cycle_app, login_as):
    urls = sorted(set(route_urls(cycle_app)))
    for view in admin_views(cycle_app):
        urls += model_urls(view)
    failures = []
    for role in ROLES:
        client = login_as(role)
        for url in urls:
            try:
                status = client.get(url).status_code
            except Exception as exc:  # the test app lets the 500's exception through
                status = f"{type(exc).__name__}: {exc}"[:200]
            if not isinstance(status, int) or status >= 500:
                failures.append(f"{role} GET {url} → {status}")
    assert not failures, f"{len(failures)} of {len(urls) * len(ROLES)}:\n" + "\n".join(
        failures[:300])
