"""Nothing a role is shown leads to a refusal: every menu entry, every link and button of
the pages it opens (a list's create, edit, delete and archive icons, its row actions), and
every form there, followed as that role, answers without a 403.

A role sees a control only when it may use it (issue 14): the viewer sees no archive,
edit, delete or create icon and no monthly-tracking menu entry, since each led to a 403.
"""
import re
from html.parser import HTMLParser
from urllib.parse import parse_qsl

import pytest

from canbo.models import Staff
from canbo.records import users
from panel_helpers import PASSWORD, log_in

#: Links that leave or do not open a page of the panel.
NOT_PAGES = re.compile(r"/logout|/static/|[?&]lang=|^#|^javascript:|^mailto:")
#: Links per shape ("/admin/staff/edit/?id=N") followed: the first few rows stand for all.
PER_SHAPE = 2


class Controls(HTMLParser):
    """The menu's links, every link, and the forms (method, action, default values)."""

    def __init__(self):
        super().__init__()
        self.menu, self.links, self.forms = [], [], []
        self._nav, self._form, self._select = 0, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "nav":
            self._nav += 1
        href = attrs.get("href")
        if tag == "a" and href and href.startswith("/") and not NOT_PAGES.search(href):
            (self.menu if self._nav else self.links).append(href)
        if tag == "form":
            self._form = ((attrs.get("method") or "get").lower(), attrs.get("action") or "", {})
            self.forms.append(self._form)
        elif tag in ("input", "select", "textarea", "button") and self._form and \
                attrs.get("name") and attrs.get("type") not in ("checkbox", "radio"):
            self._form[2].setdefault(attrs["name"], attrs.get("value") or "")
            self._select = attrs["name"] if tag == "select" else None
        elif tag == "option" and self._select and \
                (not self._form[2][self._select] or "selected" in attrs):
            self._form[2][self._select] = attrs.get("value") or ""  # the chosen, or the first

    def handle_endtag(self, tag):
        if tag == "nav":
            self._nav -= 1
        elif tag == "form":
            self._form = None


def controls(response):
    parser = Controls()
    if response.status_code == 200 and "html" in response.content_type:
        parser.feed(response.get_data(as_text=True))
    return parser


def shape(url):
    return re.sub(r"\d+", "N", url)


def staff_client(app):
    """The demo's civil servant KT14, through the account bound to their staff record."""
    users.create_user("kt14", PASSWORD, "STAFF", staff=Staff.get(Staff.code == "KT14"))
    client = app.test_client()
    assert log_in(client, "kt14").status_code == 302
    return client


@pytest.mark.parametrize("role", ["VIEWER", "CHAIRMAN", "OFFICER", "STAFF", "ADMIN"])
def test_nothing_a_role_is_shown_leads_to_a_refusal(app, login_as, role):
    client = staff_client(app) if role == "STAFF" else login_as(role)
    home = client.get("/admin/", follow_redirects=True)
    menu = sorted(set(controls(home).menu))
    assert len(menu) >= 3, menu
    refused, followed, shapes, forms = [], set(), {}, []

    def follow(url, source):
        if url in followed or shapes.get(shape(url), 0) >= PER_SHAPE:
            return None
        followed.add(url)
        shapes[shape(url)] = shapes.get(shape(url), 0) + 1
        response = client.get(url)
        if response.status_code == 403:
            refused.append(f"GET {url} (from {source})")
        return response

    for entry in menu:  # the menu, then every link of the pages it opens
        page = controls(follow(entry, "menu") or client.get(entry))
        for link in page.links:
            inner = follow(link, entry)
            if inner is not None:
                forms += [(link, f) for f in controls(inner).forms]
        forms += [(entry, f) for f in page.forms]
    seen = set()
    for source, (method, action, values) in forms:  # then every form of those pages
        target = action or source
        key = (method, shape(target), tuple(sorted(values)))
        if key in seen or NOT_PAGES.search(target):
            continue
        seen.add(key)
        if method == "post":
            status = client.post(target, data=values).status_code
        else:
            path, _, query = target.partition("?")
            status = client.get(path, query_string={**dict(parse_qsl(query)), **values}
                                ).status_code
        if status == 403:
            refused.append(f"{method.upper()} {target} {sorted(values)} (from {source})")
    assert not refused, f"{role}: shown but refused:\n" + "\n".join(refused)


def test_the_viewer_sees_no_control_that_changes_a_record(login_as):
    viewer = login_as("VIEWER")
    menu = " ".join(controls(viewer.get("/admin/", follow_redirects=True)).menu)
    assert "/admin/tracking/" not in menu
    for url in ("/admin/staff/", "/admin/rating/?flt0_0=2022", "/admin/title/",
                "/admin/department/", "/admin/unit/"):
        html = viewer.get(url).get_data(as_text=True)
        for icon in ("fa-archive", "fa-pencil", "fa-trash", "/new/", "/edit/", "/delete/"):
            assert icon not in html, f"{icon} on {url}"
