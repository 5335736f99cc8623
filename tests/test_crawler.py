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
from html.parser import HTMLParser

import peewee
import pytest
from flask_admin.contrib.peewee import ModelView

from canbo.models import Cycle, Rating, Staff, Unit, User, all_models
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


def open_2024(app):
    officer = User.get(User.username == "canbo")
    unit = Unit.get(Unit.code == "KIMTAN")
    cycle = workflow.open_cycle(officer, unit, 2024, today=datetime.date(2024, 12, 1))
    rating = (Rating.select().join(Staff)
              .where(Rating.year == 2024, Rating.status == "OPEN").first())
    workflow.self_assess(officer, rating, {}, "HTTNV")
    assert Cycle.select().count() and cycle.id
    return app


@pytest.fixture
def cycle_app(app, backend):
    if backend != "sqlite":
        pytest.skip("the crawl runs on SQLite (see the module docstring)")
    return open_2024(app)


@pytest.fixture
def cycle_forms(app):
    """The forms are fuzzed on both: NUL bytes and lengths are where storage differs."""
    return open_2024(app)


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


# --- forms: every field of every form, with what a clumsy user or an attacker sends ------

ODD_VALUES = ["\x00", "Lê\x00Văn\x1bAn", "x" * 3000, "NaN", "Infinity", "1e400", "-1",
              "99999999999999999999", "123456789", "ZZZ", "31/02/2024"]
#: Forms not to fuzz: leaving, and the file uploads (tested with random bytes apiece).
SKIP_FORMS = re.compile(r"/logout|/admin/import|/national")
FORM_PAGES = ["/admin/workflow/?unit=KIMTAN&year=2024", "/admin/tracking/",
              "/admin/monthly/", "/admin/catalogue/", "/admin/accounts/",
              "/admin/password/", "/admin/staff/archive/", "/admin/monthly/evaluators",
              "/admin/monthly/assign-sheet"]


class Forms(HTMLParser):
    """The POST forms of a page: ``[(action, {name: value}, {name: kind})]``."""

    def __init__(self):
        super().__init__()
        self.forms, self.current = [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "").lower() == "post":
            self.current = (attrs.get("action") or "", {}, {})
            self.forms.append(self.current)
        elif tag in ("input", "select", "textarea", "button") and self.current and \
                attrs.get("name"):
            kind = attrs.get("type", tag) if tag == "input" else tag
            self.current[1].setdefault(attrs["name"], attrs.get("value") or "")
            self.current[2].setdefault(attrs["name"], kind)

    def handle_endtag(self, tag):
        if tag == "form":
            self.current = None


def page_forms(client, url):
    parser = Forms()
    parser.feed(client.get(url).get_data(as_text=True))
    return [(action or url.split("?")[0], values, kinds)
            for action, values, kinds in parser.forms if not SKIP_FORMS.search(action or url)]


def fuzz_pages(app):
    pages = list(FORM_PAGES)
    rating = Rating.select().where(Rating.year == 2024).order_by(Rating.id).first()
    person = Staff.select().join(Unit).where(Unit.code == "KIMTAN").first()
    pages += [f"/admin/workflow/rating/{rating.id}", f"/admin/monthly/year/{person.id}/2026",
              f"/admin/tracking/sheet/{person.id}/2026/3",
              f"/admin/monthly/assign/{person.id}/2026/3"]
    for view in admin_views(app):
        base = view.url.rstrip("/") + "/"
        pages.append(f"{base}new/")
        row = view.model.select(view.model._meta.primary_key).first()
        if row is not None:
            pages.append(f"{base}edit/?id={row.get_id()}")
    return pages


def stored_control_characters():
    """Every text stored anywhere: no NUL or other control character but tab/newline."""
    bad = []
    for model in all_models():
        fields = [f for f in model._meta.sorted_fields
                  if isinstance(f, (peewee.CharField, peewee.TextField))]
        for row in model.select(*fields).tuples() if fields else ():
            bad += [(model.__name__, f.name, v) for f, v in zip(fields, row)
                    if isinstance(v, str) and CONTROL.search(v)]
    return bad


CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@pytest.mark.parametrize("role", ["ADMIN", "OFFICER", "CHAIRMAN"])
def test_odd_values_in_every_form_field_give_a_message_never_a_5xx(cycle_forms, login_as,
                                                                    role):
    client = login_as(role)
    failures, seen = [], set()
    for page in fuzz_pages(cycle_forms):
        for action, values, kinds in page_forms(client, page):
            key = (re.sub(r"\d+", "N", action), tuple(sorted(values)))
            if key in seen:
                continue
            seen.add(key)
            for odd in ODD_VALUES:
                data = {name: (value if kinds[name] in ("hidden", "submit", "button")
                               else odd) for name, value in values.items()}
                try:
                    status = client.post(action, data=data).status_code
                except Exception as exc:  # the test app lets the 500's exception through
                    status = f"{type(exc).__name__}: {exc}"[:200]
                if not isinstance(status, int) or status >= 500:
                    failures.append(f"{role} POST {action} {sorted(values)} = {odd[:20]!r}"
                                    f" → {status}")
    assert not failures, "\n".join(failures[:100])
    assert not stored_control_characters()
