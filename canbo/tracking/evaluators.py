"""Who tracks and evaluates whom (ND 335/2025 Điều 10.1): a relation, not a role.

Điều 10.1: (a) the head of the managing agency evaluates the head of the using agency;
(b) the head of the using agency evaluates their deputies and the civil servants they
use, and the heads of the departments that directly use civil servants; (c) the head of
such a department evaluates their deputies and the department's civil servants.

What is recorded (``Evaluator``: a person, a year, a range of months, the evaluator or
the managing agency) wins; what is not follows the unit's structure, read from the heads
recorded for the unit and its departments (``Head``):

- the unit's head → the managing agency (the unit's parent, or "cơ quan quản lý");
- a person of a department whose head is recorded → that department's head;
- everyone else → the unit's head; with no head recorded, the account holding
  ``tracking.evaluate`` for the unit (the chairman's) acts as the head.

One evaluator per person per period: ranges of one person's year never overlap, and
nobody evaluates themself.  ``resolve`` answers for many people in a fixed number of
queries, for the grid and the evaluator's queue.
"""
import dataclasses

from canbo import db as dbm
from canbo.db import database
from canbo.errors import Forbidden, InvalidInput
from canbo.models import Staff, Unit
from canbo.models.tracking import Evaluator, Head
from canbo.records import audit
from canbo.records.users import _ASK, can, require, roles_with, sees, visible_unit_ids

RECORDED, DEPARTMENT, UNIT_HEAD, AGENCY, ROLE = (
    "recorded", "department", "unit_head", "agency", "role")

SOURCES = {
    RECORDED: "do cán bộ tổ chức ghi",
    DEPARTMENT: "trưởng bộ phận trực tiếp sử dụng (Điều 10.1.c)",
    UNIT_HEAD: "người đứng đầu cơ quan sử dụng (Điều 10.1.b)",
    AGENCY: "người đứng đầu cơ quan quản lý (Điều 10.1.a)",
    ROLE: "Chủ tịch (người đứng đầu cơ quan sử dụng, Điều 10.1.b)",
}


@dataclasses.dataclass(frozen=True)
class Choice:
    """The evaluator of one person in one month: ``staff_id`` of the evaluating person,
    or none with ``agency`` (the managing agency) or ``source == ROLE`` (the account
    holding ``tracking.evaluate`` for the unit)."""

    staff_id: int | None
    name: str
    source: str

    @property
    def why(self):
        return SOURCES[self.source]


def _check_month(value, field):
    try:
        month = int(value)
    except (TypeError, ValueError):
        month = 0
    if not 1 <= month <= 12:
        raise InvalidInput(f"{field} «{value}» không hợp lệ; cho phép 1 – 12.", field=field)
    return month


def resolve(people, year, month):
    """``{staff_id: Choice}`` for ``people`` (Staff rows) in ``month`` of ``year``: four
    queries whatever their number."""
    return resolve_months(people, year, [month])[month]


def resolve_months(people, year, months):
    """``{month: {staff_id: Choice}}`` for ``people`` in each of ``months`` of ``year``:
    the same four queries as one month (``resolve``), whatever the months.  A year's
    grid of a province asks for 12 months of thousands of people; each query carries
    their ids, and building it costs more than running it."""
    people = list(people)
    months = sorted(set(months))
    if not people or not months:
        return {m: {} for m in months}
    ids = [p.id for p in people]
    unit_ids = {p.unit_id for p in people}
    rows = list(Evaluator.select().where(dbm.among(Evaluator.staff, ids), Evaluator.year == year,
                                         Evaluator.from_month <= months[-1],
                                         Evaluator.to_month >= months[0]))
    heads = {(h.unit_id, h.department_id): h.staff_id
             for h in Head.select().where(Head.unit.in_(unit_ids))}
    names_of = set(heads.values()) | {r.evaluator_id for r in rows if r.evaluator_id}
    names = dict(Staff.select(Staff.id, Staff.full_name).where(Staff.id.in_(names_of))
                 .tuples()) if names_of else {}
    parents = {u.id: u for u in Unit.select(Unit.id, Unit.name, Unit.parent)
               .where(Unit.id.in_(unit_ids))}
    parent_names = dict(Unit.select(Unit.id, Unit.name).where(
        Unit.id.in_([u.parent_id for u in parents.values() if u.parent_id])).tuples())
    return {m: _choices(people, {r.staff_id: r for r in rows
                                 if r.from_month <= m <= r.to_month},
                        heads, names, parents, parent_names)
            for m in months}


def _choices(people, recorded, heads, names, parents, parent_names):
    """``{staff_id: Choice}`` of one month, from what ``resolve_months`` read."""
    out = {}
    for person in people:
        row = recorded.get(person.id)
        head = heads.get((person.unit_id, None))
        dept_head = heads.get((person.unit_id, person.department_id)) \
            if person.department_id else None
        if row is not None:
            out[person.id] = (Choice(row.evaluator_id, names[row.evaluator_id], RECORDED)
                              if row.evaluator_id else Choice(None, row.agency, RECORDED))
        elif head == person.id:
            parent = parents[person.unit_id].parent_id
            out[person.id] = Choice(None, parent_names.get(parent, "Cơ quan quản lý"), AGENCY)
        elif dept_head is not None and dept_head != person.id:
            out[person.id] = Choice(dept_head, names[dept_head], DEPARTMENT)
        elif head is not None:
            out[person.id] = Choice(head, names[head], UNIT_HEAD)
        else:
            out[person.id] = Choice(None, "Chủ tịch", ROLE)
    return out


def of(staff, year, month):
    """The ``Choice`` evaluating ``staff`` in ``month`` of ``year``."""
    return resolve([staff], year, _check_month(month, "Tháng"))[staff.id]


def may_evaluate(actor, staff, year, month, choice=None, visible=_ASK):
    """Whether ``actor`` evaluates ``staff`` in that month (``check``, without raising);
    ``visible`` passes the actor's ``visible_unit_ids`` when the caller has them."""
    try:
        check(actor, staff, year, month, choice=choice, visible=visible)
    except Forbidden:
        return False
    return True


def check(actor, staff, year, month, action="chấm điểm, xác nhận hoặc trả lại phiếu",
          choice=None, visible=_ASK):
    """Refuse (``Forbidden``) unless ``actor`` is the person's evaluator of the month.

    A recorded or structural evaluator acts through the account bound to their staff
    record.  Where the evaluator is the managing agency, or no head is recorded, an
    account holding ``tracking.evaluate`` for the unit acts (the chairman's, or one of
    the managing agency); where it is the unit's head, so does such an account that is
    not bound to someone else's record (a chairman's account kept without one).
    Nobody evaluates their own sheet.
    """
    if actor is None or not actor.active:
        raise Forbidden(f"Cần đăng nhập bằng tài khoản đang hoạt động để {action}.")
    if actor.staff_id == staff.id:
        raise Forbidden(f"Không được {action} của chính mình; phiếu của mình do người "
                        "đánh giá của mình thực hiện (Điều 10.1 Nghị định 335/2025).",
                        staff=staff.id)
    choice = choice or of(staff, year, month)
    if choice.staff_id is not None and actor.staff_id == choice.staff_id:
        return
    by_role = choice.staff_id is None or (
        choice.source == UNIT_HEAD and actor.staff_id is None)
    if by_role and can(actor, "tracking.evaluate") and sees(actor, staff.unit_id,
                                                           visible=visible):
        return
    who = (f"{choice.name} ({choice.why})" if choice.source != ROLE else
           "tài khoản có quyền đánh giá của đơn vị: "
           + ", ".join(roles_with("tracking.evaluate")))
    raise Forbidden(f"Người đánh giá {staff.full_name} tháng {month}/{year} là {who}; "
                    f"tài khoản {actor.username} không được {action}.", staff=staff.id)


def evaluatee_ids(actor, people, year, month, choices=None):
    """The ids among ``people`` whom ``actor`` evaluates in that month; ``choices``
    passes ``resolve``'s answer when the caller has it.  A fixed number of queries."""
    people = list(people)
    choices = resolve(people, year, month) if choices is None else choices
    visible = visible_unit_ids(actor) if actor is not None and actor.active else None
    return {p.id for p in people
            if may_evaluate(actor, p, year, month, choices[p.id], visible=visible)}


# --- the officer's edits ------------------------------------------------------------------


def set_head(actor, unit, staff, department=None):
    """Record ``staff`` as the head of ``unit`` (or of its ``department``)."""
    require(actor, "staff.edit", "ghi người đứng đầu", unit.id)
    if staff.unit_id != unit.id:
        raise InvalidInput(f"{staff.full_name} không thuộc {unit.name}.", field="staff")
    if department is not None and department.unit_id not in (None, unit.id):
        raise InvalidInput(f"Bộ phận «{department.name}» không thuộc {unit.name}.",
                           field="department")
    with database.atomic():
        query = Head.select().where(Head.unit == unit)
        query = query.where(Head.department.is_null() if department is None
                            else Head.department == department)
        row = query.first()
        before = row.staff_id if row else None
        if row is None:
            row = Head(unit=unit, department=department)
        row.staff = staff
        row.save()
        audit.record(actor, "head.set", row, changes={"staff": [before, staff.id]})
    return row


def set_evaluator(actor, staff, year, evaluator=None, agency=None, from_month=1, to_month=12):
    """Record who evaluates ``staff`` from ``from_month`` to ``to_month`` of ``year``:
    ``evaluator`` (a Staff) or, for the head of the unit, the managing ``agency`` (a name).
    A range starting where a recorded one starts replaces it; any other overlap is
    refused, so each period has one evaluator."""
    require(actor, "tracking.assign", "phân công người đánh giá", staff.unit_id)
    start = _check_month(from_month, "Từ tháng")
    end = _check_month(to_month, "Đến tháng")
    if start > end:
        raise InvalidInput(f"Từ tháng {start} phải trước hoặc bằng đến tháng {end}.",
                           field="from_month")
    agency = (agency or "").strip() or None
    if (evaluator is None) == (agency is None):
        raise InvalidInput("Cần chọn một người đánh giá hoặc ghi tên cơ quan quản lý "
                           "(không cả hai).", field="evaluator")
    if evaluator is not None and evaluator.id == staff.id:
        raise InvalidInput(f"{staff.full_name} không thể là người đánh giá của chính mình "
                           "(Điều 10.1 Nghị định 335/2025).", field="evaluator")
    if agency is not None and len(agency) > 200:
        raise InvalidInput("Tên cơ quan quản lý dài tối đa 200 ký tự.", field="agency")
    with database.atomic():
        rows = list(Evaluator.select().where(Evaluator.staff == staff, Evaluator.year == year))
        for row in rows:
            if row.from_month != start and row.from_month <= end and row.to_month >= start:
                raise InvalidInput(
                    f"{staff.full_name} đã có người đánh giá từ tháng {row.from_month} đến "
                    f"tháng {row.to_month}/{year}; mỗi kỳ chỉ một người đánh giá — hãy sửa "
                    "khoảng đó trước.", field="from_month")
        row = next((r for r in rows if r.from_month == start), None)
        before = audit.snapshot(row) if row else {}
        row = row or Evaluator(staff=staff, year=year, from_month=start)
        row.to_month, row.evaluator, row.agency = end, evaluator, agency
        row.set_by = actor.username
        row.save()
        audit.record(actor, "evaluator.set", row, changes=audit.diff(before,
                                                                     audit.snapshot(row)))
    return row


def clear_evaluator(actor, row, reason=None):
    """Remove a recorded range: the structure's default applies again (audited)."""
    require(actor, "tracking.assign", "bỏ phân công người đánh giá", row.staff.unit_id)
    with database.atomic():
        audit.record(actor, "evaluator.clear", row, reason=reason,
                     changes={"evaluator": [row.evaluator_id or row.agency, None]})
        row.delete_instance()
