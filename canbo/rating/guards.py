"""The checks every step of the yearly cycle shares (REFERENCE.md §6).

``require`` (who may act, for which unit), ``status_in`` (from which status),
``open_cycle_of`` / ``not_published`` (the cycle is there and not yet locked by
publication), ``lock`` (serialise the steps of one unit) and ``cycle_ratings`` (the
cycle's ratings in the staff list's order).  ``workflow``, ``records`` and ``points``
call them; no other module re-implements them.
"""
from canbo.db import is_postgres
from canbo.errors import Forbidden, NotFound, RuleViolation
from canbo.levels import RatingStatus as S
from canbo.levels import Role
from canbo.models import Rating, Staff, Unit
from canbo.models.cycle import Cycle
from canbo.records import units

OFFICER, CHAIRMAN, ADMIN = Role.OFFICER.code, Role.CHAIRMAN.code, Role.ADMIN.code
PREPARERS = (OFFICER, ADMIN)  # keep the records and prepare the ratings
DECIDERS = (CHAIRMAN,)  # the competent person (ND 90 Điều 19 step 4; ND 335 Điều 21)
ROLE_LABELS = Role.labels()


def require(actor, roles, action, unit_id, own_staff_id=None):
    """Refuse (``Forbidden``) unless ``actor`` has one of ``roles`` for the unit, or is the
    person ``own_staff_id`` themself through their staff account."""
    if actor is None or not getattr(actor, "active", True):
        raise Forbidden(f"Cần đăng nhập bằng tài khoản đang hoạt động để {action}.")
    if own_staff_id is not None and getattr(actor, "staff_id", None) == own_staff_id:
        return
    if actor.role not in roles:
        allowed = ", ".join(ROLE_LABELS.get(r, r) for r in roles)
        raise Forbidden(
            f"Vai trò {ROLE_LABELS.get(actor.role, actor.role)} không được {action}; "
            f"chỉ: {allowed}" + (" hoặc chính người được đánh giá." if own_staff_id else "."),
            role=actor.role, action=action)
    if actor.role != ADMIN:
        if actor.unit_id is None or unit_id not in units.unit_ids(Unit(id=actor.unit_id)):
            raise Forbidden(f"Tài khoản {actor.username} không thuộc đơn vị này nên không "
                            f"được {action}.", unit=unit_id)


def status_in(rating, allowed, action):
    """Refuse (``RuleViolation``) unless ``rating`` is in one of the ``allowed`` statuses."""
    if rating.status not in allowed:
        labels = S.labels()
        raise RuleViolation(
            f"Không thể {action} bản ghi của {rating.staff.full_name} ({rating.staff.code}) "
            f"đang ở trạng thái «{labels.get(rating.status, rating.status)}»; chỉ từ: "
            + ", ".join(f"«{labels[s]}»" for s in allowed) + ".",
            rating=rating.id, status=rating.status)


def open_cycle_of(rating):
    """The unit's cycle of the rating's year, or ``NotFound``."""
    cycle = Cycle.get_or_none(Cycle.unit == rating.unit_id, Cycle.year == rating.year)
    if cycle is None:
        raise NotFound(f"Chưa mở kỳ đánh giá năm {rating.year} của đơn vị này.")
    return cycle


def not_published(cycle, action):
    """Refuse (``RuleViolation``) once the cycle is published (locked)."""
    if cycle.is_published:
        raise RuleViolation(
            f"Kỳ đánh giá năm {cycle.year} đã công bố (khóa); không thể {action}. "
            "Chủ tịch có thể mở lại, nêu lý do.", cycle=cycle.id)


def lock(cycle_id):
    """Lock the cycle row for the rest of the transaction and return it fresh.

    PostgreSQL: ``SELECT … FOR UPDATE``.  SQLite: an UPDATE of the row as the first
    statement, which takes the database's write lock at once (a read first would let two
    transactions read the same counts before either writes).
    """
    if is_postgres():
        return Cycle.select().where(Cycle.id == cycle_id).for_update().get()
    Cycle.update(version=Cycle.version + 1).where(Cycle.id == cycle_id).execute()
    return Cycle.get_by_id(cycle_id)


def cycle_ratings(cycle):
    """The cycle's ratings with their staff, in the staff list's order."""
    return list(Rating.select(Rating, Staff).join(Staff)
                .where(Rating.unit == cycle.unit_id, Rating.year == cycle.year)
                .order_by(Staff.sort_name))
