"""The admin panel: ``create_app(config=None)`` wires Flask, the database and the views.

It only wires, flaskr-style: defaults first, then ``$CANBO_SECRET_KEY`` /
``$CANBO_DATABASE_URL`` from the environment, then the mapping a caller (a test, ``canbo
serve``) passes.  Views live in ``admin_views/``, one module per feature, each exposing
``register(app, admin)``; they are called in the order of ``FEATURES``.

``flask --app admin_app run`` and ``canbo serve`` both start it.
"""
import os

from flask import Flask, redirect, request, session, url_for
from flask_admin import Admin
from flask_admin.theme import Bootstrap4Theme
from flask_babel import Babel
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from admin_views import (
    accounts,
    auditlog,
    auth,
    catalogue,
    dashboard,
    documents,
    errors,
    formatters,
    home,
    i18n,
    imports,
    jobs,
    lists,
    monthly,
    ratings,
    security,
    staff,
    tracking,
    units,
    users,
    workflow,
)
from canbo import assets, settings
from canbo import db as dbm
from canbo.errors import InvalidInput
from canbo.rules import scoring

#: Feature modules of ``admin_views``, in menu order; a new feature adds its module here.
FEATURES = [
    formatters, i18n, auth, home, dashboard, staff, ratings, units, lists, users, auditlog,
    monthly, tracking, catalogue, workflow, imports, documents, accounts, jobs, errors,
]

LANGUAGES = {"vi": "Tiếng Việt", "en": "English"}

NO_SECRET = (
    "Chưa đặt SECRET_KEY: hãy đặt biến môi trường CANBO_SECRET_KEY (một chuỗi ngẫu nhiên "
    "dài, ví dụ `python -c 'import secrets; print(secrets.token_hex(32))'`) trước khi "
    "chạy bảng quản trị ngoài chế độ debug. / SECRET_KEY is not set: set the "
    "CANBO_SECRET_KEY environment variable to a long random string before running the "
    "admin panel outside debug mode."
)


class ConfigurationError(RuntimeError):
    """The panel cannot start with this configuration."""


#: The largest request body (an upload) the panel reads, in MB, unless
#: $CANBO_MAX_REQUEST_MB says otherwise.
MAX_REQUEST_MB = 20


def max_request_bytes(environ=os.environ):
    """``MAX_CONTENT_LENGTH``: $CANBO_MAX_REQUEST_MB megabytes (default ``MAX_REQUEST_MB``)."""
    megabytes = _setting("CANBO_MAX_REQUEST_MB", MAX_REQUEST_MB, 0, 10_000,
                         "một số MB từ 0 đến 10000", environ, low_open=True)
    return int(megabytes * 1024 * 1024)


def trusted_proxies(environ=os.environ):
    """How many reverse proxies stand in front of the panel ($CANBO_TRUSTED_PROXIES,
    default 0): behind nginx, 1, so that the client's address (the lockout by address,
    the audit log) and HTTPS (Secure cookies, redirects) are read from the
    ``X-Forwarded-For`` / ``-Proto`` / ``-Host`` headers that proxy sets.  With 0 those
    headers are ignored: a client could write them itself."""
    return _setting("CANBO_TRUSTED_PROXIES", 0, 0, 5, "số máy chủ trung gian từ 0 đến 5",
                    environ, whole=True)


def _setting(name, default, low, high, allowed, environ, **options):
    """``canbo.settings.number``, a refusal being this panel's ``ConfigurationError``."""
    try:
        return settings.number(name, default, low, high, allowed, environ, **options)
    except InvalidInput as exc:
        raise ConfigurationError(exc.message) from exc


class RowIdConverter(IntegerConverter):
    """``<int:…>`` in the panel's URLs: a number the database can hold (``dbm.MAX_INT``);
    a larger one is a 404 like any unknown row, never an overflow in the query."""

    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault("max", dbm.MAX_INT)
        super().__init__(url_map, *args, **kwargs)


def create_app(config=None):
    app = Flask(__name__, template_folder=str(assets.TEMPLATES))
    app.url_map.converters["int"] = RowIdConverter
    app.config.from_mapping(
        SECRET_KEY=os.environ.get("CANBO_SECRET_KEY"),
        DATABASE=dbm.database_url(),
        BABEL_DEFAULT_LOCALE="vi",
        BABEL_DEFAULT_TIMEZONE="Asia/Ho_Chi_Minh",
        BABEL_TRANSLATION_DIRECTORIES=str(assets.TRANSLATIONS),
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        WTF_CSRF_TIME_LIMIT=None,  # a form left open all morning still submits
        FLASK_ADMIN_SWATCH="default",
        FLASK_ADMIN_FLUID_LAYOUT=True,
        # A request body past this is refused (413) before it is read; ``canbo serve``
        # gives waitress the same bound.  $CANBO_MAX_REQUEST_MB, default 20.
        MAX_CONTENT_LENGTH=max_request_bytes(),
    )
    if config:
        app.config.update(config)
    if not app.config["SECRET_KEY"]:
        if app.debug or app.testing:
            app.config["SECRET_KEY"] = "dev-only-" + os.urandom(8).hex()
        else:
            raise ConfigurationError(NO_SECRET)

    proxies = trusted_proxies()
    if proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies,
                                x_host=proxies)
    _init_database(app)
    security.init(app)
    app.add_template_filter(scoring.points_text, "points")
    app.add_template_filter(scoring.points_exact, "points_exact")
    Babel(app, locale_selector=_locale)
    CSRFProtect(app)
    login = LoginManager(app)
    login.session_protection = "strong"

    admin = Admin(
        app,
        name="Cán bộ, công chức",
        url="/admin",
        theme=Bootstrap4Theme(base_template="admin/canbo_base.html", fluid=True),
        translations_path=str(assets.TRANSLATIONS),
        index_view=home.HomeView(
            name="Trang chủ", url="/admin", endpoint="admin"
        ),
        csp_nonce_generator=security.nonce,
    )
    for feature in FEATURES:
        feature.register(app, admin)

    @app.route("/")
    def root():
        return redirect(url_for("admin.index"))

    return app


def _init_database(app):
    """Bind the models to ``DATABASE`` (the same setting the CLI reads) per process."""
    url = app.config["DATABASE"]
    bound = dbm.database.obj
    if bound is None or getattr(bound, "url", None) != url:
        dbm.connect(url, pool=True).url = url
    if dbm.pending_migrations(dbm.database.obj):
        raise ConfigurationError(
            f"Cơ sở dữ liệu «{dbm.redact(url)}» chưa được khởi tạo hoặc cần nâng cấp; hãy "
            "chạy «canbo init». / The database needs `canbo init` first."
        )

    @app.before_request
    def _open():
        if dbm.database.obj is not None and dbm.database.is_closed():
            dbm.database.connect(reuse_if_open=True)

    @app.teardown_appcontext
    def _close(exc):
        # per request: SQLite's connection is closed, PostgreSQL's goes back to the pool
        # (``dbm.connect(pool=True)``), rolled back if a failure left it in a transaction.
        if dbm.database.obj is not None and not dbm.database.is_closed():
            dbm.database.close()


def _locale():
    lang = request.args.get("lang")
    if lang in LANGUAGES:
        session["lang"] = lang
    return session.get("lang") or "vi"
