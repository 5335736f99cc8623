"""Accounts of the admin panel: roles, passwords, lockout, and which units a user sees.

Five roles (REFERENCE.md §10): the admin manages everything and the accounts; the
personnel officer keeps staff records and prepares ratings up to "proposed"; the chairman
sees what the officer sees and approves, returns and reopens ratings; the viewer only
reads; a cadre or civil servant (``STAFF``, bound to their own staff record) records
their monthly results and self-scores (ND 335/2025 Điều 18.2).  What each may do is one table, ``PERMISSIONS``, which every check in the library
and the panel reads (``can``, ``require``).  Every role but the admin is bound to a unit
and sees that unit and its sub-units (``visible_unit_ids``, ``sees``).

A ``STAFF`` account is bound to the person's own staff record, in post in the account's
unit (``check_staff_binding``); when the person leaves, their accounts are closed
(``canbo.records.accounts.close_accounts``, and ``authenticate`` refuses them from the
leaving date on).  An account made with a one-time password (``must_change_password``)
must set its own (``change_own_password``) before the panel lets it do anything else.

Passwords are kept as werkzeug hashes only, made with werkzeug's default method (scrypt)
unless ``$CANBO_PASSWORD_HASH`` names another (see ``password_hash_method``).  The panel
counts failed logins by client address (``admin_views.login_limits``): five for one
account, or ten over any accounts, from one address within 15 minutes, and that address
waits; twenty failures in a row, from however many addresses, lock the account itself for
15 minutes — so that a password cannot be guessed by trying many, nor the admin locked
out by someone trying five.

Sessions end (``end_sessions``: the account's ``session_version`` goes up, and a session
carrying an older number is refused) on logout, a password change, a deactivation and a
change of role, unit or person (``SESSION_FIELDS``); a session unused for
``session_idle_hours()`` hours ends too (``idle_expired``).
"""
import datetime
import functools
import os
import re

from werkzeug.security import check_password_hash, generate_password_hash

from canbo import settings
from canbo.db import database
from canbo.errors import Forbidden, InvalidInput, NotFound
from canbo.levels import Role
from canbo.models import Staff, Unit, User
from canbo.records import audit, units
from canbo.vietnamese import CONTROL, vi_date, vi_datetime

#: Failed logins in a row, from any addresses, that lock the account (``authenticate``):
#: high enough that one address, held to ``ADDRESS_ACCOUNT_FAILURES``, cannot reach it.
MAX_FAILED_LOGINS = 20
LOCK_MINUTES = 15
#: Failed logins from one client address within ``LOGIN_WINDOW_MINUTES`` before it waits:
#: over every username tried, and for one username (``admin_views.login_limits``).
ADDRESS_FAILURES = 10
ADDRESS_ACCOUNT_FAILURES = 5
LOGIN_WINDOW_MINUTES = 15
MIN_PASSWORD_LENGTH = 8


#: What each role may do: the one table every check reads, in the panel and in the
#: library (``can``, ``require``).  Reading the records of one's own units needs no
#: permission beyond being logged in.  The permissions:
#:
#: - ``staff.edit``: add and change staff records; ``import``: import spreadsheets;
#: - ``ratings.edit``: on the record screens, type a rating's level, points and note — never
#:   its status: every approval goes through the cycle (``guards.check_record_edit``);
#: - ``cycle.prepare``: the yearly cycle's preparation — open it, type the self-assessment
#:   from the paper form, the meeting's comments, the proposal, task groups, absences,
#:   disciplines, objections, the monthly points (ND 90/2020 Điều 19 steps 1–3);
#: - ``cycle.decide``: approve, return and reopen — the competent person (step 4;
#:   ND 335/2025 Điều 21), which is why the admin does not hold it;
#: - ``cycle.record``: publish the results and record the committee's papers around them
#:   (the unit's own level, the answer to an objection);
#: - ``cycle.exception``: record the competent level's decision of a higher "excellent"
#:   ratio (ND 48/2023; ND 335/2025 Điều 20.5.b) — the chairman's, since it switches the
#:   quota check of his own approvals higher (``records.set_quota_exception``);
#: - ``tracking.read``: the monthly tracking grid and other people's sheets;
#:   ``tracking.assign``: assign catalogue products and record their results;
#:   ``tracking.evaluate``: score, confirm or return another person's monthly sheet
#:   (the person self-scores their own sheet through their staff account);
#: - ``catalogue.edit``: edit a draft catalogue of products; ``catalogue.decide``: record
#:   the decision that locks it;
#: - ``lists.edit``: add, change and delete the titles and departments of one's units;
#:   ``lists.shared``: what every unit shares — a title or department of no unit
#:   (``canbo.records.lists``);
#: - ``units.edit``: add and change units (also when importing); ``units.all``: see every
#:   unit without being bound to one;
#: - ``users.manage``: add and change any account; ``accounts.bulk``: make the accounts of
#:   the people in post of one's units in one go, with one-time passwords on printed slips
#:   (``canbo.records.accounts``) — the personnel officer does it for the unit (issue 12),
#:   not only the admin;
#: - ``audit.read``, ``print``;
#: - ``national.export``: send results to the national database (ND 335 Điều 26.1.d);
#: - ``dashboard.home``: the dashboard, not the records page, is the home page;
#: - ``jobs.all``: see and cancel every user's background jobs (``canbo.jobs``), not only
#:   one's own.
PERMISSIONS = {
    "ADMIN": {
        "staff.edit", "import", "ratings.edit", "cycle.prepare",
        "cycle.record", "tracking.read", "tracking.assign", "tracking.evaluate",
        "catalogue.edit", "catalogue.decide", "lists.edit", "lists.shared", "units.edit",
        "units.all", "users.manage", "accounts.bulk", "audit.read", "print",
        "national.export", "jobs.all",
    },
    "OFFICER": {
        "staff.edit", "import", "ratings.edit", "cycle.prepare", "cycle.record",
        "tracking.read", "tracking.assign", "catalogue.edit", "lists.edit", "print",
        "national.export", "accounts.bulk",
    },
    "CHAIRMAN": {
        "cycle.decide", "cycle.record", "cycle.exception", "tracking.read",
        "tracking.assign", "tracking.evaluate", "catalogue.decide", "print",
        "dashboard.home",
    },
    "VIEWER": {"dashboard.home"},
    # A cadre or civil servant, through the account bound to their own staff record:
    # their own assignments' results, sheets and history need no permission (``sees``
    # with their staff id); evaluating others follows the evaluator relation
    # (``tracking.evaluators``), not a role.
    "STAFF": set(),
}

def now():
    return datetime.datetime.now().replace(microsecond=0)


def can(user, permission):
    """Whether ``user`` (an active account) holds ``permission``."""
    return bool(user is not None and user.active and permission in PERMISSIONS.get(user.role, ()))


def roles_with(permission):
    """The labels of the roles holding ``permission``, for messages ("Chủ tịch")."""
    return [role.label for role in Role if permission in PERMISSIONS[role.code]]


def needs_unit(role):
    """Whether accounts of ``role`` (a code or ``Role``) must be bound to a unit."""
    code = role.code if isinstance(role, Role) else role
    return "units.all" not in PERMISSIONS.get(code, ())


def operator(name="cli"):
    """The acting user of the command line, which whoever holds the database runs: an
    unsaved account with the admin's permissions, named ``name`` in the audit log."""
    return User(username=name, role=Role.ADMIN.code, active=True)


# --- which units a user sees ------------------------------------------------------------


#: Roles that reach only their holder's own records — their own staff record, ratings,
#: assignments and sheets (ND 335/2025 Điều 18.2) — never their unit's (``sees``); what
#: they do for others follows the evaluator relation (``tracking.evaluators``).
SELF_SERVICE_ROLES = {Role.STAFF.code}


def self_service(user):
    """Whether ``user`` reaches only their own records (``SELF_SERVICE_ROLES``)."""
    return user is not None and user.role in SELF_SERVICE_ROLES


def visible_unit_ids(user):
    """Ids of the units ``user`` may see: ``None`` for all of them (``units.all``, or a
    user of the top unit), else the user's unit and its sub-units, any depth; an unbound
    user without ``units.all`` sees nothing."""
    if user is None:
        return []
    if can(user, "units.all"):
        return None
    if user.unit_id is None:
        return []
    ids = units.unit_ids(Unit(id=user.unit_id))
    # A user of the top unit sees every unit: no filter at all lets the database use
    # its indexes for the lists' order instead of a list of ids.
    return None if len(ids) >= Unit.select().count() else ids


_ASK = object()


def sees(user, unit_id, staff_id=None, permission=None, visible=_ASK):
    """Whether ``user`` may reach the records of unit ``unit_id``: always their own
    record (``staff_id`` is the person of their account); else, holding ``permission``
    when one is named, a unit of their scope.  ``visible`` passes the user's
    ``visible_unit_ids`` when the caller already has them (the panel, per request)."""
    if user is None or not user.active:
        return False
    if staff_id is not None and user.staff_id == staff_id:
        return True
    if self_service(user):
        return False
    if permission is not None and not can(user, permission):
        return False
    ids = visible_unit_ids(user) if visible is _ASK else visible
    return ids is None or unit_id in ids


def require(user, permission, action, unit_id=None, own_staff_id=None):
    """Refuse (``Forbidden``, naming the roles that may) unless ``user`` is active, holds
    ``permission`` and sees ``unit_id`` (when given) — or is the person ``own_staff_id``
    themself through their staff account.  ``action`` completes "không được …"."""
    if user is None or not user.active:
        raise Forbidden(f"Cần đăng nhập bằng tài khoản đang hoạt động để {action}.")
    if own_staff_id is not None and user.staff_id == own_staff_id:
        return
    if not can(user, permission):
        allowed = ", ".join(roles_with(permission)) or "không vai trò nào"
        raise Forbidden(
            f"Vai trò {_label(user.role)} không được {action}; chỉ: {allowed}"
            + (" hoặc chính người được đánh giá." if own_staff_id is not None else "."),
            role=user.role, action=action, permission=permission)
    if unit_id is not None and not sees(user, unit_id):
        raise Forbidden(f"Tài khoản {user.username} không thuộc đơn vị này nên không "
                        f"được {action}.", unit=unit_id)


def _label(role):
    try:
        return Role.parse(role).label
    except ValueError:
        return role


def check_unit_binding(role, unit, hint=""):
    """Refuse (``InvalidInput``) an account of ``role`` without the unit it must have;
    ``hint`` says how to give one where the caller asks for it."""
    if needs_unit(role) and unit is None:
        raise InvalidInput(f"Vai trò {_label(role)} phải gắn với một đơn vị{hint}.",
                           field="unit")


# --- accounts ---------------------------------------------------------------------------


#: The passwords tried first by anyone guessing (the most common ones of the leaked
#: lists, Vietnamese ones beside them); compared without case.  Those shorter than
#: ``MIN_PASSWORD_LENGTH`` are refused by the length already and kept for the list's sake.
COMMON_PASSWORDS = frozenset("""
    123456 12345678 123456789 1234567890 password password1 password123 passw0rd
    qwerty qwerty123 qwertyuiop abc123 abc12345 abcd1234 a1234567 1qaz2wsx iloveyou
    admin admin123 admin@123 administrator 11111111 00000000 88888888 66668888 87654321
    123123123 12341234 123qweasd zaq12wsx
    matkhau matkhau1 matkhau123 matkhau@123 anhyeuem emyeuanh yeuem123 vietnam
    vietnam123 hanoi123 saigon123 quantri quantri123 canbo123 congchuc ubndxa123
""".split())


def check_password_strength(password, username=None):
    """Refuse (``InvalidInput`` on ``password``, in Vietnamese) a password anyone could
    guess: shorter than ``MIN_PASSWORD_LENGTH``, only digits (a date of birth, a phone
    number), one of ``COMMON_PASSWORDS``, or the account's own ``username``.  The one
    check every path that sets a password calls: the panel's forms, ``canbo user``,
    the demo accounts."""
    if password is None or len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(
            f"Mật khẩu phải có ít nhất {MIN_PASSWORD_LENGTH} ký tự.", field="password"
        )
    folded = password.strip().casefold()
    if password.isdigit():
        raise InvalidInput("Mật khẩu không được chỉ gồm chữ số (ngày sinh, số điện thoại "
                           "dễ bị đoán); hãy thêm chữ cái.", field="password")
    if folded in COMMON_PASSWORDS or len(set(folded)) == 1:
        raise InvalidInput("Mật khẩu này quá phổ biến, dễ bị đoán (ví dụ «123456», "
                           "«matkhau», «password»); hãy chọn mật khẩu khác.", field="password")
    if username and folded == username.strip().casefold():
        raise InvalidInput("Mật khẩu không được trùng tên đăng nhập.", field="password")


# --- sessions ---------------------------------------------------------------------------

#: The fields of an account whose change ends its sessions: a new password, a role or a
#: unit (what the session may reach), the person it is bound to, a deactivation.
SESSION_FIELDS = ("password_hash", "role", "unit", "staff", "active")

#: Hours a panel session may stay unused before it must log in again, unless
#: ``$CANBO_SESSION_IDLE_HOURS`` says otherwise (a working day).
SESSION_IDLE_HOURS = 8
SESSION_IDLE_ENV = "CANBO_SESSION_IDLE_HOURS"


def session_idle_hours(environ=os.environ):
    """``$CANBO_SESSION_IDLE_HOURS`` as a number of hours (default ``SESSION_IDLE_HOURS``);
    ``InvalidInput`` naming what is allowed for anything else."""
    return settings.number(SESSION_IDLE_ENV, SESSION_IDLE_HOURS, 0, 24 * 30,
                           "một số giờ lớn hơn 0 và không quá 720", environ, low_open=True)


def idle_expired(last_seen, at=None, hours=SESSION_IDLE_HOURS):
    """Whether a session last used at ``last_seen`` (a ``datetime``; ``None``: never
    recorded) has been idle for more than ``hours`` at ``at`` (default now)."""
    if last_seen is None:
        return True
    return (at or now()) - last_seen > datetime.timedelta(hours=hours)


def ends_sessions(changes):
    """Whether an account change (``{field: [before, after]}``, ``audit.diff``) ends the
    account's sessions (``SESSION_FIELDS``)."""
    return any(name in changes for name in SESSION_FIELDS)


def end_sessions(user):
    """End every session of ``user`` opened so far: its ``session_version`` goes up in one
    atomic UPDATE, so a session cookie carrying the old number — kept in another browser,
    or copied — is refused from the next request on.  Returns the new number."""
    User.update(session_version=User.session_version + 1).where(User.id == user.id).execute()
    user.session_version = User.select(User.session_version).where(User.id == user.id).scalar()
    return user.session_version


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


def has_left(staff, day=None):
    """Whether ``staff`` has left by ``day`` (default today): ``left_on`` is the first day
    out (``units.in_post_on``), so a person leaving tomorrow still works today."""
    day = day or datetime.date.today()
    return staff.left_on is not None and staff.left_on <= day


def not_left_on(day=None):
    """The query condition of ``has_left``'s opposite: people not left by ``day``."""
    day = day or datetime.date.today()
    return Staff.left_on.is_null() | (Staff.left_on > day)


def check_staff_binding(role, staff, unit=None, account=None, active=True, today=None):
    """Refuse (``InvalidInput``, naming the field) an account of ``role`` bound wrongly to
    ``staff``, and give the unit the account gets.

    A ``STAFF`` account must name its person; a bound person must be in post (not left
    by ``today``) while the account is active, in the account's unit (which defaults to
    the person's), and without another active account (``account`` is the one being
    edited).  Other roles may be bound to their holder's record too (a chairman who is
    also rated), under the same conditions.
    """
    role = Role.parse(role)
    staff = _staff(staff)
    if staff is None:
        if role is Role.STAFF:
            raise InvalidInput(f"Vai trò {role.label} phải gắn với hồ sơ cán bộ, công chức "
                               "của chính người dùng; hãy chọn người (--staff MÃ).",
                               field="staff")
        return unit
    unit_id = unit.id if isinstance(unit, Unit) else unit
    if unit_id is None:
        unit_id, unit = staff.unit_id, staff.unit
    if staff.unit_id != unit_id:
        raise InvalidInput(f"{staff.full_name} ({staff.code}) thuộc đơn vị "
                           f"{staff.unit.name}, không thuộc đơn vị của tài khoản; hãy chọn "
                           "đúng đơn vị hoặc để trống để lấy đơn vị của người đó.",
                           field="staff")
    if active and has_left(staff, today):
        raise InvalidInput(f"{staff.full_name} ({staff.code}) đã nghỉ / chuyển công tác từ "
                           f"{vi_date(staff.left_on)}; không gắn tài khoản đang hoạt động "
                           "với người đã nghỉ.", field="staff")
    if active:
        other = User.select(User.username).where(User.staff == staff, User.active)
        if account is not None and account.id is not None:
            other = other.where(User.id != account.id)
        other = other.first()
        if other is not None:
            raise InvalidInput(f"{staff.full_name} ({staff.code}) đã có tài khoản "
                               f"«{other.username}»; mỗi người một tài khoản.", field="staff")
    return unit


def _staff(staff):
    """A ``Staff`` from itself or its id (``InvalidInput`` for an id of nobody)."""
    if staff is None or isinstance(staff, Staff):
        return staff
    found = Staff.get_or_none(Staff.id == staff)
    if found is None:
        raise InvalidInput(f"Không có cán bộ, công chức số {staff}.", field="staff")
    return found


EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def check_email(value):
    """The e-mail address as stored (``None`` when empty), or ``InvalidInput``."""
    text = (value or "").strip()
    if not text:
        return None
    if len(text) > 254 or not EMAIL.match(text) or any(ord(c) < 32 for c in text):
        raise InvalidInput(f"Địa chỉ thư «{text[:60]}» không hợp lệ; ví dụ: ten@xa.gov.vn "
                           "(tối đa 254 ký tự).", field="email")
    return text


def create_user(username, password, role, unit=None, actor="system", staff=None,
                must_change_password=False, email=None):
    """Add an account; the non-admin roles must name the unit they work for, a ``STAFF``
    account its own person (``staff``, a ``Staff``), whose unit it takes by default."""
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
    staff = _staff(staff)
    unit = check_staff_binding(role, staff, unit)
    check_unit_binding(role, unit, "; hãy chỉ rõ --unit MÃ")
    if User.get_or_none(User.username == username) is not None:
        raise InvalidInput(f"Tên đăng nhập «{username}» đã có.", field="username")
    check_password_strength(password, username)
    email = check_email(email)
    user = User.create(
        username=username, password_hash=hash_password(password), role=role.code, unit=unit,
        staff=staff, must_change_password=must_change_password, email=email,
    )
    changes = {"username": [None, username], "role": [None, role.code],
               "unit": [None, unit.id if unit else None]}
    if staff is not None:
        changes["staff"] = [None, staff.id]
    if must_change_password:
        changes["must_change_password"] = [None, True]
    if email:
        changes["email"] = [None, email]
    audit.record(actor, "create", user, changes=changes)
    return user


def find_user(username):
    user = User.get_or_none(User.username == username)
    if user is None:
        raise NotFound(f"Không có tài khoản «{username}».", username=username)
    return user


def _save_password(user):
    """Write only the password's own columns: hashing takes a while (scrypt, on purpose),
    and a deactivation or role change saved meanwhile from a fresher copy of the account
    must not be written back by this one."""
    user.save(only=[User.password_hash, User.must_change_password, User.failed_logins,
                    User.locked_until])


def set_password(user, password, actor="system"):
    """Replace the password and lift any lock (the password itself is never logged)."""
    check_password_strength(password, user.username)
    user.password_hash = hash_password(password)
    user.failed_logins = 0
    user.locked_until = None
    _save_password(user)
    end_sessions(user)
    audit.record(actor, "password", user, changes={"password_hash": ["***", "***"]})
    return user


def change_own_password(user, old_password, new_password, repeated):
    """The account holder replaces their password: the current one, the new one twice.

    Clears ``must_change_password`` (a one-time password is used up), ends the account's
    sessions (``end_sessions``: the caller gives its own session the new number) and writes
    the audit entry, the passwords never.  ``InvalidInput`` names the field that is wrong.
    """
    if not check_password_hash(user.password_hash, old_password or ""):
        raise InvalidInput("Mật khẩu hiện tại không đúng.", field="old_password")
    if (new_password or "") != (repeated or ""):
        raise InvalidInput("Hai lần nhập mật khẩu mới không giống nhau.", field="repeated")
    check_password_strength(new_password, user.username)
    if new_password == old_password:
        raise InvalidInput("Mật khẩu mới phải khác mật khẩu hiện tại (mật khẩu dùng một lần).",
                           field="password")
    changes = {"password_hash": ["***", "***"]}
    if user.must_change_password:
        changes["must_change_password"] = [True, False]
    user.password_hash = hash_password(new_password)
    user.must_change_password = False
    user.failed_logins = 0
    user.locked_until = None
    _save_password(user)
    end_sessions(user)
    audit.record(user.username, "password", user, changes=changes,
                 reason="Người dùng tự đổi mật khẩu")
    return user


def authenticate(username, password, at=None):
    """The account for ``username`` and ``password``, or ``Forbidden``.

    The message does not say whether the name exists.  After ``MAX_FAILED_LOGINS``
    failures in a row the account is locked for ``LOCK_MINUTES`` minutes, during which
    even the right password is refused.

    Parallel guesses cannot get past the count: each attempt first takes its place in it
    with one atomic ``UPDATE … SET failed_logins = failed_logins + 1`` (a row lock on
    PostgreSQL, the write lock on SQLite), and only an attempt within the allowance has
    its password hashed at all.  The bookkeeping writes only its own columns, so a
    deactivation, password reset or role change made meanwhile is never written back.
    """
    at = at or now()
    wrong = Forbidden("Tên đăng nhập hoặc mật khẩu không đúng.")
    name = (username or "").strip()
    # No account's name holds a control character (``db.check_values``) or is longer than
    # the column; PostgreSQL cannot even compare a NUL, so such a name is not looked up.
    typed = not CONTROL.search(name) and len(name) <= User.username.max_length
    user = User.get_or_none(User.username == name) if typed else None
    if user is None:
        check_password_hash(_dummy_hash(password_hash_method()), password or "")
        raise wrong
    attempt = _count_attempt(user, at)
    if attempt is None or attempt > MAX_FAILED_LOGINS:
        user = User.get_by_id(user.id)
        raise _locked(user, _lock(user, at) if attempt is not None else user.locked_until)
    user = User.get_by_id(user.id)  # as it is now, not as it was before the count
    if not check_password_hash(user.password_hash, password or ""):
        if attempt >= MAX_FAILED_LOGINS:
            _lock(user, at)
        raise wrong
    (User.update(failed_logins=0, locked_until=None).where(User.id == user.id).execute())
    if user.active and user.staff_id is not None and has_left(user.staff, at.date()):
        # Left on a date recorded in advance, or by a path that did not close it: the
        # account is archived with the person now.
        User.update(active=False).where(User.id == user.id).execute()
        user.active = False
        end_sessions(user)
        audit.record("system", "deactivate", user, changes={"active": [True, False]},
                     reason=f"{user.staff.full_name} đã nghỉ / chuyển công tác")
    if not user.active:
        raise Forbidden(f"Tài khoản «{user.username}» đã bị vô hiệu hóa.")
    user.failed_logins, user.locked_until = 0, None
    return user


def _count_attempt(user, at):
    """This attempt's number among the failures in a row, counted atomically; ``None``
    when the account is locked."""
    with database.atomic():
        done = (User.update(failed_logins=User.failed_logins + 1)
                .where(User.id == user.id,
                       User.locked_until.is_null() | (User.locked_until <= at))
                .execute())
        if not done:
            return None
        return (User.select(User.failed_logins).where(User.id == user.id).scalar())


def _lock(user, at):
    """Lock the account for ``LOCK_MINUTES`` (once: a lock already running is kept)."""
    until = at + datetime.timedelta(minutes=LOCK_MINUTES)
    with database.atomic():
        done = (User.update(locked_until=until, failed_logins=0)
                .where(User.id == user.id,
                       User.locked_until.is_null() | (User.locked_until <= at))
                .execute())
        if done:
            audit.record(user.username, "lock", user, changes={"locked_until": [None, until]})
            return until
    return User.get_by_id(user.id).locked_until or until


def _locked(user, until):
    return Forbidden(
        f"Tài khoản «{user.username}» đang tạm khóa do đăng nhập sai "
        f"{MAX_FAILED_LOGINS} lần liên tiếp; hãy thử lại sau {vi_datetime(until)}.",
        locked_until=until,
    )


@functools.lru_cache(maxsize=None)
def _dummy_hash(method):
    """A hash of nothing anyone types, checked for an unknown username so that the answer
    takes as long as for a known one: it must cost what the real hashes cost, hence the
    same method."""
    return _hash("không dùng", method)
