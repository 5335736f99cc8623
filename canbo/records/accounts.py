"""Accounts of the people themselves: made in bulk for a unit, closed when a person leaves.

ND 335/2025 Điều 18.2 has each cadre and civil servant update their results in the
software and self-score every month (Điều 17.2), so each needs an account bound to their
own staff record (role ``STAFF``, ``users.check_staff_binding``).  The personnel officer
makes them for a unit in one go (permission ``accounts.bulk``):

- ``plan_bulk`` picks the unit's people not left by today who have no account yet (those
  who have one are skipped and listed), gives each a username from their staff code
  (lower case, ASCII; a clash takes the unit's code, then a number) and a random
  one-time password (``secrets``), and hashes it — nothing is written yet;
- ``slips_pdf`` and ``list_xlsx`` print the plan: one slip per person (unit, name,
  username, one-time password, the panel's address, what to do) and the list;
- ``write`` makes every account of the plan in ONE transaction, each with its audit
  entry, or none of them.

Slips lost before anyone used them: ``plan_reissue`` gives new one-time passwords to the
unit's accounts that still wait for their first password change (and only to those: an
account whose holder has set a password of their own is never taken over this way),
printed and written the same way.

Callers print before they write, so that no account is ever made whose one-time password
nobody has (``bulk_create`` does both for callers that print nothing).  The passwords
live only in the ``Batch`` in memory and in the printed files; the database keeps their
hashes and ``must_change_password``, so the first login asks for a password of the
person's own (``users.change_own_password``).

When a person leaves (``Staff.left_on``), ``close_accounts`` deactivates the accounts bound
to them, with an audit entry: "leaving archives the account with the person" (issue 12).
"""
import dataclasses
import datetime
import os
import re
import secrets

from canbo.db import database
from canbo.errors import InvalidInput, NoData
from canbo.levels import Role
from canbo.models import Staff, Unit, User
from canbo.records import audit, units, users
from canbo.vietnamese import fold

#: Letters and digits of the one-time passwords, without those read alike on paper
#: (0 O o, 1 l I, 5 S): 30 symbols, 10 of them ≈ 49 bits — a password to type once.
ALPHABET = "abcdefghijkmnpqrtuvwxyz2346789"
PASSWORD_LENGTH = 10

#: Where the slips say to log in, when the caller names no address.
PANEL_URL_ENV = "CANBO_PANEL_URL"

REASON = "Tạo tài khoản hàng loạt (mật khẩu dùng một lần)"


@dataclasses.dataclass
class Issued:
    """One account to make: the person, the username, the one-time password in clear."""

    staff: Staff
    username: str
    password: str
    password_hash: str
    account: User = None  # the account given a new one-time password (``plan_reissue``)


@dataclasses.dataclass
class Batch:
    """What ``plan_bulk`` found: accounts to make, and people skipped with their account."""

    unit: Unit
    issued: list
    skipped: list  # [(Staff, User)]
    written: bool = False
    reissue: bool = False

    @property
    def created(self):
        return len(self.issued) if self.written else 0


def panel_url():
    """The panel's address for the slips: ``$CANBO_PANEL_URL``, or ``None``."""
    return os.environ.get(PANEL_URL_ENV, "").strip() or None


def one_time_password():
    """A random password that the password rules accept (``users.check_password_strength``:
    drawn again in the rare case it is all digits)."""
    while True:
        password = "".join(secrets.choice(ALPHABET) for _ in range(PASSWORD_LENGTH))
        if not password.isdigit():
            return password


def base_username(staff):
    """The staff code in lower case ASCII ("KT13" → "kt13"; "Đ-05" → "d-05")."""
    name = re.sub(r"[^a-z0-9._-]+", "", fold(staff.code).replace(" ", ""))
    return name[:48] or f"cb{staff.id}"


def _unique(base, unit_code, taken):
    """``base``, else ``base.unit``, else ``base.unit2``, … — the first name not ``taken``
    (compared in lower case, so that "KT13" and "kt13" are not two people's)."""
    suffix = re.sub(r"[^a-z0-9]+", "", fold(unit_code))[:12]
    candidates = [base, f"{base}.{suffix}"] if suffix else [base]
    n = 2
    while True:
        for name in candidates:
            if name.lower() not in taken:
                taken.add(name.lower())
                return name
        candidates = [f"{base}.{suffix}{n}" if suffix else f"{base}{n}"]
        n += 1


def people_of(unit, include_subunits=False, today=None):
    """The people of ``unit`` (and its sub-units) not left by ``today``, with the accounts
    bound to them: ``[(Staff, [User, …])]`` in the Vietnamese name order."""
    ids = units.unit_ids(unit, include_subunits)
    people = list(Staff.select(Staff, Unit).join(Unit)
                  .where(Staff.unit.in_(ids), users.not_left_on(today))
                  .order_by(Unit.code, Staff.sort_name, Staff.id))
    bound = {}
    for user in User.select().where(User.staff.in_([p.id for p in people])).order_by(User.id):
        bound.setdefault(user.staff_id, []).append(user)
    return [(p, bound.get(p.id, [])) for p in people]


def plan_bulk(actor, unit, include_subunits=False, today=None):
    """The accounts to make for ``unit``'s people without one (see the module); writes
    nothing.  ``Forbidden`` unless ``actor`` holds ``accounts.bulk`` and sees the unit."""
    users.require(actor, "accounts.bulk", "tạo tài khoản hàng loạt", unit_id=unit.id)
    taken = {name.lower() for (name,) in User.select(User.username).tuples()}
    issued, skipped = [], []
    for person, accounts in people_of(unit, include_subunits, today):
        if accounts:
            skipped.append((person, accounts[-1]))
            continue
        password = one_time_password()
        issued.append(Issued(person, _unique(base_username(person), person.unit.code, taken),
                             password, users.hash_password(password)))
    return Batch(unit, issued, skipped)


def plan_reissue(actor, unit, include_subunits=False, today=None):
    """New one-time passwords for the accounts of ``unit``'s people in post that are
    active and still wait for their first password change (slips lost); writes nothing.
    The others are skipped.  Same permission as ``plan_bulk``."""
    users.require(actor, "accounts.bulk", "cấp lại mật khẩu dùng một lần",
                  unit_id=unit.id)
    issued, skipped = [], []
    for person, bound in people_of(unit, include_subunits, today):
        waiting = [u for u in bound if u.active and u.must_change_password]
        if not waiting:
            skipped.extend((person, u) for u in bound[-1:])
            continue
        password = one_time_password()
        issued.append(Issued(person, waiting[-1].username, password,
                             users.hash_password(password), account=waiting[-1]))
    return Batch(unit, issued, skipped, reissue=True)


def write(batch, actor):
    """Make every account of ``batch`` in one transaction, each with its audit entry.

    Checked again inside the transaction: a person given an account or a username taken
    since the plan was made refuses the whole batch (``InvalidInput``), which the caller
    plans again.
    """
    if batch.written:
        raise InvalidInput("Các tài khoản này đã được tạo.")
    if batch.reissue:
        return _write_reissue(batch, actor)
    staff_ids = [i.staff.id for i in batch.issued]
    names = [i.username for i in batch.issued]
    with database.atomic():
        meanwhile = (User.select(User.username)
                     .where(User.staff.in_(staff_ids) | User.username.in_(names)).first())
        if meanwhile is not None:
            raise InvalidInput(f"Trong lúc chuẩn bị, tài khoản «{meanwhile.username}» đã được "
                               "tạo ở nơi khác; hãy tạo lại danh sách.", field="username")
        for item in batch.issued:
            user = User.create(username=item.username, password_hash=item.password_hash,
                               role=Role.STAFF.code, unit=item.staff.unit_id, staff=item.staff,
                               must_change_password=True)
            audit.record(actor, "create", user, reason=REASON, changes={
                "username": [None, item.username], "role": [None, Role.STAFF.code],
                "unit": [None, item.staff.unit_id], "staff": [None, item.staff.id],
                "must_change_password": [None, True]})
    batch.written = True
    return batch


def _write_reissue(batch, actor):
    ids = [i.account.id for i in batch.issued]
    with database.atomic():
        changed = (User.select(User.username).where(
            User.id.in_(ids), ~User.must_change_password | ~User.active).first())
        if changed is not None:
            raise InvalidInput(f"Tài khoản «{changed.username}» vừa đổi mật khẩu hoặc bị khóa; "
                               "hãy tạo lại danh sách.", field="username")
        for item in batch.issued:
            User.update(password_hash=item.password_hash, failed_logins=0,
                        locked_until=None, session_version=User.session_version + 1,
                        ).where(User.id == item.account.id).execute()
            audit.record(actor, "password", item.account,
                         changes={"password_hash": ["***", "***"]},
                         reason="Cấp lại mật khẩu dùng một lần")
    batch.written = True
    return batch


def bulk_create(actor, unit, include_subunits=False, today=None):
    """``plan_bulk`` then ``write``: the written ``Batch`` (its passwords to print)."""
    return write(plan_bulk(actor, unit, include_subunits, today), actor)


# --- the printed slips and the list -----------------------------------------------------------


def slips_pdf(batch, url=None):
    """One A4 slip per account of ``batch``: the unit, the person, the username, the
    one-time password, where to log in (``url``, else ``panel_url()``) and what to do."""
    from canbo.documents import render

    if not batch.issued:
        raise NoData("Không có tài khoản mới nào để in phiếu.")
    slips = [{"unit": render.expand_unit_name(i.staff.unit.name), "name": i.staff.full_name,
              "code": i.staff.code, "username": i.username, "password": i.password}
             for i in batch.issued]
    return render.render_pdf("account_slips.html", slips=slips, url=url or panel_url(),
                             min_length=users.MIN_PASSWORD_LENGTH,
                             tries=users.ADDRESS_ACCOUNT_FAILURES,
                             minutes=users.LOGIN_WINDOW_MINUTES,
                             day=datetime.date.today())


def list_xlsx(batch, target):
    """The list of the batch as XLSX (a path or a binary file): a sheet of the new accounts
    with their one-time passwords, a sheet of the people skipped.  Written by
    ``canbo.spreadsheets``, whose cells hold text as text, so a name like "=1+1" is never
    a formula."""
    from canbo.spreadsheets import workbook

    made = workbook.Table("Tài khoản mới", [
        "STT", "Đơn vị", "Mã", "Họ và tên", "Tên đăng nhập", "Mật khẩu dùng một lần"],
        [[n, i.staff.unit.name, i.staff.code, i.staff.full_name, i.username, i.password]
         for n, i in enumerate(batch.issued, 1)])
    skipped = workbook.Table("Đã có tài khoản", [
        "STT", "Đơn vị", "Mã", "Họ và tên", "Tên đăng nhập", "Đang hoạt động"],
        [[n, p.unit.name, p.code, p.full_name, u.username, "Có" if u.active else "Không"]
         for n, (p, u) in enumerate(batch.skipped, 1)])
    workbook.write_xlsx([made, skipped], target)


# --- leaving --------------------------------------------------------------------------------


def close_accounts(staff, actor, today=None):
    """Deactivate the active accounts bound to ``staff`` once they have left (by
    ``today``), each with an audit entry, in the caller's transaction; the accounts closed.
    A leaving date still ahead closes nothing now: ``users.authenticate`` closes the
    account from that day on."""
    if not users.has_left(staff, today):
        return []
    closed = list(User.select().where(User.staff == staff, User.active))
    for user in closed:
        user.active = False
        user.save()
        users.end_sessions(user)
        audit.record(actor, "deactivate", user, changes={"active": [True, False]},
                     reason=f"{staff.full_name} nghỉ / chuyển công tác từ "
                            f"{staff.left_on.strftime('%d/%m/%Y')}")
    return closed
