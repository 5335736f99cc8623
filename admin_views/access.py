"""Who is asking and what they may see: the logged-in account, its permissions, the
units it may see, and the queries built on them — each a call to ``canbo.records.users``
with the logged-in account, whose unit scope is worked out once per request.

Every feature module uses these through ``admin_views.base`` (which re-exports them).
"""
from flask import abort, g, has_request_context, request, url_for
from flask_login import current_user
from peewee import SQL, NodeList, Value

from canbo.errors import Forbidden
from canbo.models import Unit
from canbo.records import users
from canbo.vietnamese import fold


def current_account():
    """The ``canbo.models.User`` of the logged-in user, or ``None``."""
    if has_request_context() and current_user and current_user.is_authenticated:
        return current_user.user
    return None


def can(permission):
    """Whether the logged-in user holds ``permission`` (``canbo.records.users.PERMISSIONS``)."""
    return users.can(current_account(), permission)


def forbid(permission, action="làm việc này"):
    """Stop the request with a 403 whose page names the roles that may do ``action``
    (``canbo.records.users.require``'s message, shown by ``admin_views.errors``);
    ``permission=None``: the panel offers ``action`` to nobody here."""
    if permission is None:
        abort(403, f"Trang này không cho phép {action}.")
    try:
        users.require(current_account(), permission, action)
    except Forbidden as exc:
        abort(403, exc.message)
    abort(403, f"Trang này không cho phép {action}.")


def visible_unit_ids():
    """Unit ids the logged-in user may see; ``None`` means all (admin). Cached per request."""
    if "visible_unit_ids" not in g:
        g.visible_unit_ids = users.visible_unit_ids(current_account())
    return g.visible_unit_ids


def sees(unit_id, staff_id=None, permission=None):
    """Whether the logged-in user may reach unit ``unit_id``'s records (or the person
    ``staff_id``'s, when it is their own): ``canbo.records.users.sees``."""
    return users.sees(current_account(), unit_id, staff_id, permission, visible_unit_ids())


def own_unit(unit_id):
    """Whether ``unit_id`` is the logged-in account's own unit: a self-service account
    (a civil servant's) does not reach its unit's records (``sees``), but reads what its
    unit publishes for everyone in it — the catalogue of products — and, as an
    evaluator, works in it."""
    account = current_account()
    return account is not None and unit_id is not None and account.unit_id == unit_id


def scope_units(query, column):
    """``query`` restricted to rows whose ``column`` (a unit id) the user may see."""
    ids = visible_unit_ids()
    return query if ids is None else query.where(column.in_(ids))


def _like(column, template, word):
    """``column LIKE template % word``, the word's ``%``, ``_`` and ``\\`` taken as
    themselves.  Case-sensitive on PostgreSQL, where it costs a fifth of the ``ILIKE``
    peewee's ``startswith`` writes (6.1 → 1.2 ms over 10,000 names): both sides are
    folded already.  SQLite's ``LIKE`` ignores ASCII case, which changes nothing here."""
    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return NodeList((column, SQL("LIKE"), Value(template % escaped, converter=False),
                     SQL("ESCAPE"), Value("\\", converter=False)))


def search_words(query, column, text):
    """Rows whose folded ``column`` has a word starting with each word of ``text``.

    Both sides are folded (``canbo.vietnamese.fold``), so case and diacritics do not
    matter in either direction ("anh", "ÁNH" → "Đỗ Thị Ánh"); matching word starts keeps
    "hang" from finding "Thắng".
    """
    for word in fold(text or "").split():
        query = query.where(_like(column, "%s%%", word) | _like(column, "%% %s%%", word))
    return query


def unit_choices():
    """``[(id, name)]`` of the visible units, for filters and select boxes."""
    if not has_request_context():
        return []
    return [(u.id, u.name) for u in scope_units(Unit.select(), Unit.id).order_by(Unit.name)]


def login_url():
    """The login page, coming back to the page asked for (GET only)."""
    target = None
    if request.method == "GET":
        target = request.path + (f"?{request.query_string.decode()}" if request.query_string else "")
    return url_for("login.index", next=target)
