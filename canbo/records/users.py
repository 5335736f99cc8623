"""Accounts of the admin panel: roles, passwords, lockout, and which units a user sees.

Four roles (REFERENCE.md §10): the admin manages everything and the accounts; the
personnel officer keeps staff records and prepares ratings up to "proposed"; the chairman
sees what the officer sees and approves, returns and reopens ratings; the viewer only
reads.  Every role but the admin is bound to a unit and sees that unit and its sub-units.

Passwords are kept as werkzeug hashes only, made with werkzeug's default method (scrypt)
unless ``$CANBO_PASSWORD_HASH`` names another (see ``password_hash_method``).  Five failed
logins in a row lock the account for 15 minutes, so that a password cannot be guessed by
trying many.
"""
import datetime
import functools
import os

from werkzeug.security import check_password_hash, generate_password_hash

from canbo.errors import Forbidden, InvalidInput, NotFound
from canbo.levels import Level, RatingStatus
from canbo.models import Unit, User
from canbo.records import audit, units

MAX_FAILED_LOGINS = 5
LOCK_MINUTES = 15
MIN_PASSWORD_LENGTH = 8


class Role(Level):
    """Roles of the panel, with the glossary's labels (REFERENCE.md §10)."""

    ADMIN = ("ADMIN", "Quản trị hệ thống")
    OFFICER = ("OFFICER", "Cán bộ phụ trách tổ chức")
    CHAIRMAN = ("CHAIRMAN", "Chủ tịch")
    VIEWER = ("VIEWER", "Người xem")


#: What each role may do.  Views ask ``can(user, "staff.edit")``; reading the records of
#: one's own units needs no permission beyond being logged in.
PERMISSIONS = {
    "ADMIN": {
        "staff.edit", "ratings.edit", "ratings.approve", "lists.edit", "units.edit",
        "users.manage", "audit.read", "print", "import",
    },
    "OFFICER": {"staff.edit", "ratings.edit", "lists.edit", "print", "import"},
    "CHAIRMAN": {"ratings.approve", "print"},
    "VIEWER": set(),
}

#: Statuses a role may give a rating from the record screens.  The officer prepares a
#: rating up to "proposed" (ND 90/2020 Điều 19 steps 1–3); deciding it belongs to the
#: competent person, the chairman (step 4).  The full workflow lives in its own screens.
_PREPARING = {
    RatingStatus.NOT_ELIGIBLE.code, RatingStatus.OPEN.code, RatingStatus.SELF_ASSESSED.code,
    RatingStatus.COMMENTED.code, RatingStatus.PROPOSED.code,
}
_DECIDING = {
    RatingStatus.RETURNED.code, RatingStatus.APPROVED.code, RatingStatus.PUBLISHED.code,
    RatingStatus.OPEN.code,
}
RATING_STATUSES = {
    "ADMIN": _PREPARING | _DECIDING,
    "OFFICER": _PREPARING,
    "CHAIRMAN": _DECIDING | {RatingStatus.PROPOSED.code},
    "VIEWER": set(),
}


def now():
    return datetime.datetime.now().replace(microsecond=0)


def role_of(user):
    return Role.parse(user.role) if user is not None else None


def can(user, permission):
    """Whether ``user`` (an active account) holds ``permission``."""
    return bool(user is not None and user.active and permission in PERMISSIONS.get(user.role, ()))


def visible_unit_ids(user):
    """Ids of the units ``user`` may see: ``None`` for all of them (the admin, or a user
    of the top unit), else the user's unit and its sub-units, any depth; an unbound
    non-admin sees nothing."""
    if user is None:
        return []
    if user.role == Role.ADMIN.code:
        return None
    if user.unit_id is None:
        return []
    ids = units.unit_ids(Unit(id=user.unit_id))
    # A user of the top unit sees every unit: no filter at all lets the database use
    # its indexes for the lists' order instead of a list of ids.
    return None if len(ids) >= Unit.select().count() else ids


def check_rating_status(user, old_status, new_status):
    """Refuse a status change the user's role may not make (``Forbidden``).

    A rating already approved or published is changed only by those who decide it.
    """
    allowed = RATING_STATUSES.get(getattr(user, "role", None), set())
    labels = RatingStatus.labels()
    if old_status != new_status and new_status not in allowed:
        names = ", ".join(labels[s] for s in RatingStatus.labels() if s in allowed) or "không có"
        raise Forbidden(
            f"Vai trò {role_of(user).label} không được chuyển xếp loại sang trạng thái "
            f"«{labels.get(new_status, new_status)}»; được phép: {names}.",
            status=new_status,
        )
    final = {RatingStatus.APPROVED.code, RatingStatus.PUBLISHED.code}
    if old_status in final and not can(user, "ratings.approve"):
        raise Forbidden(
            f"Xếp loại đã ở trạng thái «{labels[old_status]}»; chỉ Chủ tịch mới được "
            "mở lại để sửa.",
            status=old_status,
        )


# --- accounts ---------------------------------------------------------------------------


def check_password_strength(password):
    if password is None or len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(
            f"Mật khẩu phải có ít nhất {MIN_PASSWORD_LENGTH} ký tự.", field="password"
        )


#: The environment variable naming werkzeug's hash method for new passwords, e.g.
#: "pbkdf2:sha256:600000".  Unset, werkzeug's default (scrypt) is used; the test suite
#: sets a one-round method because scrypt's deliberate slowness, paid on every account a
#: fixture makes, dominated its run time.  Existing hashes name their own method, so
#: changing it never locks anyone out.
PASSWORD_HASH_ENV = "CANBO_PASSWORD_HASH"


def password_hash_method():
    """werkzeug's method for new hashes: ``$CANBO_PASSWORD_HASH``, or ``None`` for its default."""
    return os.environ.get(PASSWORD_HASH_ENV, "").strip() or None


def hash_password(password):
    return _hash(password, password_hash_method())


def _hash(password, method):
    if method is None:
        return generate_password_hash(password)
    try:
        return generate_password_hash(password, method=method)
    except ValueError as exc:
        raise InvalidInput(
            f"Phương thức băm mật khẩu «{method}» (${PASSWORD_HASH_ENV}) không hợp lệ: {exc}",
            field="password",
        ) from exc


def create_user(username, password, role, unit=None, actor="system"):
    """Add an account; the non-admin roles must name the unit they work for."""
    username = (username or "").strip()
    if not username or len(username) > 64 or " " in username:
        raise InvalidInput(
            f"Tên đăng nhập «{username}» không hợp lệ: 1–64 ký tự, không có dấu cách.",
            field="username",
        )
    try:
        role = Role.parse(role)
    except ValueError as exc:
        raise InvalidInput(str(exc), field="role") from exc
    if isinstance(unit, str):
        unit = units.find_unit(unit)
    if role is not Role.ADMIN and unit is None:
        raise InvalidInput(
            f"Vai trò {role.label} phải gắn với một đơn vị; hãy chỉ rõ --unit MÃ.", field="unit"
        )
    if User.get_or_none(User.username == username) is not None:
        raise InvalidInput(f"Tên đăng nhập «{username}» đã có.", field="username")
    check_password_strength(password)
    user = User.create(
        username=username, password_hash=hash_password(password), role=role.code, unit=unit
    )
    audit.record(actor, "create", user, changes={
        "username": [None, username], "role": [None, role.code],
        "unit": [None, unit.id if unit else None],
    })
    return user


def find_user(username):
    user = User.get_or_none(User.username == username)
    if user is None:
        raise NotFound(f"Không có tài khoản «{username}».", username=username)
    return user


def set_password(user, password, actor="system"):
    """Replace the password and lift any lock (the password itself is never logged)."""
    check_password_strength(password)
    user.password_hash = hash_password(password)
    user.failed_logins = 0
    user.locked_until = None
    user.save()
    audit.record(actor, "password", user, changes={"password_hash": ["***", "***"]})
    return user


def authenticate(username, password, at=None):
    """The account for ``username`` and ``password``, or ``Forbidden``.

    The message does not say whether the name exists.  After ``MAX_FAILED_LOGINS``
    failures in a row the account is locked for ``LOCK_MINUTES`` minutes, during which
    even the right password is refused.
    """
    at = at or now()
    wrong = Forbidden("Tên đăng nhập hoặc mật khẩu không đúng.")
    user = User.get_or_none(User.username == (username or "").strip())
    if user is None:
        check_password_hash(_dummy_hash(password_hash_method()), password or "")
        raise wrong
    if user.locked_until is not None and user.locked_until > at:
        raise Forbidden(
            f"Tài khoản «{user.username}» đang tạm khóa do đăng nhập sai "
            f"{MAX_FAILED_LOGINS} lần; hãy thử lại sau "
            f"{user.locked_until.strftime('%H:%M %d/%m/%Y')}.",
            locked_until=user.locked_until,
        )
    if not check_password_hash(user.password_hash, password or ""):
        user.failed_logins += 1
        if user.failed_logins >= MAX_FAILED_LOGINS:
            user.locked_until = at + datetime.timedelta(minutes=LOCK_MINUTES)
            user.failed_logins = 0
            audit.record(user.username, "lock", user,
                         changes={"locked_until": [None, user.locked_until]})
        user.save()
        raise wrong
    if not user.active:
        raise Forbidden(f"Tài khoản «{user.username}» đã bị vô hiệu hóa.")
    if user.failed_logins or user.locked_until:
        user.failed_logins = 0
        user.locked_until = None
        user.save()
    return user


@functools.lru_cache(maxsize=None)
def _dummy_hash(method):
    """A hash of nothing anyone types, checked for an unknown username so that the answer
    takes as long as for a known one: it must cost what the real hashes cost, hence the
    same method."""
    return _hash("không dùng", method)
