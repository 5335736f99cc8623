"""The checks every step of the yearly cycle shares, and those of the record screens.

- Who: ``users.require(actor, permission, action, unit_id)`` (the permission table of
  ``canbo.records.users``), called first by every transition;
- the rating's status (``check_status``), the cycle it belongs to (``open_cycle_of``),
  the cycle not published (``not_published``), the cycle row locked for the
  transaction (``lock``), the cycle's ratings in the staff list's order
  (``cycle_ratings``);
- a rating changed outside the workflow, on the record screens (``check_record_edit``):
  its status is never changed there — every approval goes through the cycle page's
  quota and eligibility checks — and once approved it is locked until the chairman
  reopens the cycle there.
"""
from canbo.db import is_postgres
from canbo.errors import NotFound, RuleViolation
from canbo.levels import FINAL_STATUSES
from canbo.levels import RatingStatus as S
from canbo.models import Rating, Staff
from canbo.models.cycle import Cycle
from canbo.records import users


def cycle_ratings(cycle):
    """The cycle's ratings with their staff, in the staff list's order."""
    return list(Rating.select(Rating, Staff).join(Staff)
                .where(Rating.unit == cycle.unit_id, Rating.year == cycle.year)
                .order_by(Staff.sort_name))


def check_status(rating, allowed, action):
    """Refuse (``RuleViolation``) unless ``rating`` is in one of the ``allowed`` statuses."""
    if rating.status not in allowed:
        labels = S.labels()
        raise RuleViolation(
            f"Không thể {action} bản ghi của {rating.staff.full_name} ({rating.staff.code}) "
            f"đang ở trạng thái «{labels.get(rating.status, rating.status)}»; chỉ từ: "
            + ", ".join(f"«{labels[s]}»" for s in allowed) + ".",
            rating=rating.id, status=rating.status)


def cycle_of(rating):
    """The yearly cycle the rating belongs to (its unit and year), or ``None``."""
    return Cycle.get_or_none(Cycle.unit == rating.unit_id, Cycle.year == rating.year)


def open_cycle_of(rating):
    cycle = cycle_of(rating)
    if cycle is None:
        raise NotFound(f"Chưa mở kỳ đánh giá năm {rating.year} của đơn vị này.")
    return cycle


def not_published(cycle, action):
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


# --- the record screens -------------------------------------------------------------------


def check_record_edit(user, rating, before_status, changed):
    """Refuse a change to ``rating`` made on the record screens ("Xếp loại chất lượng"),
    before it is saved.

    ``before_status`` is the status it was loaded with (``"OPEN"`` for a new rating) and
    ``changed`` the names of the fields the change touches.  In order:

    - only ``ratings.edit`` writes there (``Forbidden``, naming the roles that may);
    - an approved or published rating is locked, in a cycle or not, for everyone: a
      level changed there would pass the quota as surely as an approval;
    - the status is never changed there (``RuleViolation``): approving, returning and
      publishing go through the yearly cycle's page, the one path that checks the quota
      and every other rule of the rating's rule set before it approves
      (``workflow.approve``, ND 90/2020 Điều 19 step 4; ND 335/2025 Điều 20.5, 21); a
      year without a cycle is opened first.
    """
    users.require(user, "ratings.edit", "sửa xếp loại trên trang «Xếp loại chất lượng»",
                  rating.unit_id)
    if before_status in FINAL_STATUSES and set(changed) - {"updated_at"}:
        raise RuleViolation(
            f"Xếp loại năm {rating.year} đã phê duyệt/công bố nên đã khóa; chỉ Chủ tịch mở "
            "lại ở trang «Kỳ đánh giá năm», có ghi lý do.", rating=rating.id)
    if rating.status != before_status:
        labels = S.labels()
        raise RuleViolation(
            f"Trạng thái xếp loại («{labels.get(before_status, before_status)}» → "
            f"«{labels.get(rating.status, rating.status)}») không đổi ở trang này: phê "
            "duyệt, trả lại và công bố thực hiện ở trang «Kỳ đánh giá năm», nơi kiểm tra tỷ "
            "lệ «Hoàn thành xuất sắc nhiệm vụ» và các điều kiện xếp loại (năm chưa có kỳ "
            "đánh giá: hãy mở kỳ trước).", rating=rating.id, status=rating.status)
