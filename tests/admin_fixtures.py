"""Fixtures of the admin panel's tests: ``app``, ``client``, ``login_as(role)``, ``csrf``.

The ``app`` runs on the demo commune (KIMTAN, on SQLite and PostgreSQL through the
``demo_db`` fixture) plus a second commune, XB, with one person and one rating, so that
tests can check that an officer of KIMTAN never reaches XB's records.  Import with
``from admin_fixtures import *  # noqa: F401,F403`` in a ``tests/test_admin_*.py`` file.
"""
import re

import pytest

from canbo.models import Rating, Staff, Unit
from canbo.records import users

PASSWORD = "matkhau-123"
ROLES = ["ADMIN", "OFFICER", "CHAIRMAN", "VIEWER"]
USERNAMES = {"ADMIN": "quantri", "OFFICER": "canbo", "CHAIRMAN": "chutich", "VIEWER": "xem"}


@pytest.fixture
def other_unit(demo_db):
    """Commune XB: one person (Trần Văn Bình) and her 2022 rating."""
    unit = Unit.create(code="XB", name="UBND xã Bình Minh", place_name="Bình Minh")
    person = Staff(unit=unit, code="B01", full_name="Trần Văn Bình", kind="CIVIL_SERVANT")
    person.save()
    rating = Rating.create(staff=person, unit=unit, year=2022, rule_set="ND90_2020",
                           level="HTTNV", status="PROPOSED")
    return {"unit": unit, "staff": person, "rating": rating}


@pytest.fixture
def accounts(demo_db, other_unit):
    kimtan = Unit.get(Unit.code == "KIMTAN")
    made = {}
    for role in ROLES:
        made[role] = users.create_user(USERNAMES[role], PASSWORD, role,
                                       None if role == "ADMIN" else kimtan)
    made["OFFICER_B"] = users.create_user("canbo_b", PASSWORD, "OFFICER", other_unit["unit"])
    return made


@pytest.fixture
def app(demo_db, accounts):
    import admin_app

    return admin_app.create_app({"TESTING": True, "DATABASE": demo_db.url})


@pytest.fixture
def client(app):
    return app.test_client()


def csrf_token(client, url="/admin/login/"):
    """The CSRF token of the client's session, read from a page's hidden field."""
    html = client.get(url).get_data(as_text=True)
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html) or re.search(
        r'value="([^"]+)"[^>]*name="csrf_token"', html)
    assert match, f"no CSRF token on {url}"
    return match.group(1)


def log_in(client, username, password=PASSWORD):
    token = csrf_token(client)
    return client.post("/admin/login/", data={"username": username, "password": password,
                                              "csrf_token": token})


@pytest.fixture
def login_as(app):
    """``login_as("OFFICER")`` → a test client logged in with that role's account."""

    def make(role):
        client = app.test_client()
        if role is not None:
            username = "canbo_b" if role == "OFFICER_B" else USERNAMES[role]
            response = log_in(client, username)
            assert response.status_code == 302, response.get_data(as_text=True)
        return client

    return make


@pytest.fixture
def csrf():
    return csrf_token
