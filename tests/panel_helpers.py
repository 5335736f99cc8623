"""What the admin panel's tests call directly: the test accounts, the app, logging a
client in.

The fixtures built on these (``app``, ``client``, ``login_as``, ``csrf``, ``accounts``,
``other_unit``) are in ``conftest.py``; tests import from here only the names they use.
"""
import re

PASSWORD = "matkhau-123"
ROLES = ["ADMIN", "OFFICER", "CHAIRMAN", "VIEWER"]
USERNAMES = {"ADMIN": "quantri", "OFFICER": "canbo", "CHAIRMAN": "chutich", "VIEWER": "xem"}


#: The panels made so far in this process, by configuration.
_PANELS = {}


def panel_app(database, **config):
    """The admin panel with ``config`` on ``database``, made once per process.

    Making one compiles its 440 URL rules, 0.1 s that every admin test paid.  The app
    keeps no data of its own: its requests go through the database proxy, which the
    ``db`` fixture binds to each test's database, just as one production app serves
    many requests while the data changes under it.
    """
    key = tuple(sorted(config.items()))
    if key not in _PANELS:
        import admin_app

        _PANELS[key] = admin_app.create_app({**config, "DATABASE": database.url})
    app = _PANELS[key]
    app.config["DATABASE"] = database.url
    from admin_views import login_limits

    login_limits.reset(app)  # the failed logins of earlier tests are not this one's
    return app


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
