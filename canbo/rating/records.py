"""The records around a cycle: objections and their answers, the cycle's settings (the
unit's own rating, a quota exception), task groups, and each person's absences and
disciplines.  Same ``guards`` as ``workflow.py``: permission check, one transaction, audit entry.
"""
import datetime

from canbo.db import database
from canbo.errors import InvalidInput, NotFound, RuleViolation
from canbo.levels import AbsenceKind, DisciplineCause, DisciplineKind, DisciplineSystem
from canbo.levels import Rating as RatingLevel
from canbo.levels import RatingStatus as S
from canbo.models import Rating
from canbo.models.cycle import Absence, Cycle, Discipline, Evaluation, Objection, TaskGroup
from canbo.rating.guards import cycle_ratings, lock, not_published, open_cycle_of
from canbo.records import audit
from canbo.records.users import require
from canbo.rules import rulesets, yearly
from canbo.vietnamese import strip_control, vi_date


def _text(value, what):
    """Typed text, trimmed, control characters (a NUL) dropped as every stored text's are
    (``db.check_values``), before it is looked up; required."""
    value = strip_control(value or "").strip()
    if not value:
        raise InvalidInput(f"Cần ghi {what}.")
    return value


# --- objections (kiến nghị; ND 335/2025 Điều 22) ---------------------------------------


def lodge_objection(actor, rating, text, lodged_on):
    """Record a person's kiến nghị about their published rating; under ND 335 it must be
    answered within 7 working days (``answer_due``)."""
    require(actor, "cycle.prepare", "ghi kiến nghị", rating.unit_id,
            own_staff_id=rating.staff_id)
    text = _text(text, "nội dung kiến nghị")
    with database.atomic():
        lock(open_cycle_of(rating).id)
        rating = Rating.get_by_id(rating.id)
        if rating.status != S.PUBLISHED.code:
            raise RuleViolation(
                f"Chỉ ghi kiến nghị khi kết quả của {rating.staff.full_name} đã công bố "
                f"(đang «{S(rating.status).label}»).")
        due = yearly.objection_due(rulesets.get(rating.rule_set), lodged_on)
        objection = Objection.create(rating=rating, lodged_on=lodged_on, text=text,
                                     answer_due=due, recorded_by=actor.username)
        audit.record(actor.username, "objection.lodge", objection, changes={
            "rating": rating.id, "answer_due": due.isoformat() if due else None})
    return objection


def answer_objection(actor, objection, answer, answered_on):
    """The competent person's answer to a kiến nghị (typed by the chairman, or by the
    officer from the signed reply)."""
    require(actor, "cycle.record", "trả lời kiến nghị", objection.rating.unit_id)
    answer = _text(answer, "nội dung trả lời")
    with database.atomic():
        objection = Objection.get_by_id(objection.id)
        if objection.is_answered:
            raise RuleViolation(f"Kiến nghị ngày {vi_date(objection.lodged_on)} đã được trả lời.")
        if answered_on < objection.lodged_on:
            raise InvalidInput("Ngày trả lời không thể trước ngày kiến nghị.")
        objection.answer, objection.answered_on = answer, answered_on
        objection.answered_by = actor.username
        objection.save()
        late = objection.answer_due is not None and answered_on > objection.answer_due
        audit.record(actor.username, "objection.answer", objection,
                     changes={"answered_on": answered_on.isoformat(), "late": late})
    return objection


def overdue_objections(cycle, today=None):
    """Kiến nghị of the cycle not answered by their due date."""
    today = today or datetime.date.today()
    ids = [r.id for r in cycle_ratings(cycle)] or [0]
    return list(Objection.select().where(
        Objection.rating.in_(ids), Objection.answered_on.is_null(),
        Objection.answer_due < today))


# --- the cycle's settings ----------------------------------------------------------------


def set_unit_level(actor, cycle, level):
    """The unit's own rating for the year, against which its head is capped (ND 335 Điều 20.6)."""
    require(actor, "cycle.record", "ghi mức xếp loại của đơn vị", cycle.unit_id)
    code = RatingLevel.parse(level).code
    with database.atomic():
        cycle = lock(cycle.id)
        not_published(cycle, "sửa mức xếp loại của đơn vị")
        before, cycle.unit_level = cycle.unit_level, code
        cycle.save()
        audit.record(actor.username, "cycle.unit_level", cycle,
                     changes={"unit_level": [before, code]})
    return cycle


def set_quota_exception(actor, cycle, ratio, doc_number, doc_date):
    """A higher excellent ratio for an outstanding unit, decided by the competent level:
    carries the document's number and date, is higher than the rule set's own ratio and
    may not pass the ceiling of any rule set in the cycle (ND 48/2023; ND 335/2025 Điều
    20.5.b).  ``ratio=None`` removes it.

    Only the chairman records it (``cycle.exception``): it raises the quota his own
    approvals are checked against, so the officer, who prepares them, cannot switch that
    check off alone."""
    require(actor, "cycle.exception", "ghi tỷ lệ ngoại lệ", cycle.unit_id)
    with database.atomic():
        cycle = lock(cycle.id)
        not_published(cycle, "sửa tỷ lệ ngoại lệ")
        if ratio is not None:
            doc_number = _text(doc_number, "số văn bản quyết định tỷ lệ ngoại lệ")
            if doc_date is None:
                raise InvalidInput("Cần ghi ngày của văn bản quyết định tỷ lệ ngoại lệ.")
            codes = {r.rule_set for r in cycle_ratings(cycle)} or {
                rulesets.rule_set_for(cycle.year, "CIVIL_SERVANT", cycle.cadre_frame)}
            sets = [rulesets.get(c) for c in sorted(codes)]
            # a rule set without a quota has nothing to except; refuse only if none has one
            for rs in [r for r in sets if r.has_quota] or sets[:1]:
                found = yearly.check_exception(rs, ratio)
                if found:
                    raise RuleViolation(found.message, finding=found.as_dict())
        else:
            doc_number = doc_date = None
        before = [str(cycle.exception_ratio) if cycle.exception_ratio is not None else None,
                  cycle.exception_doc_number]
        cycle.exception_ratio, cycle.exception_doc_number = ratio, doc_number
        cycle.exception_doc_date = doc_date
        cycle.save()
        audit.record(actor.username, "cycle.quota_exception", cycle, changes={
            "exception": [before, [str(ratio) if ratio is not None else None, doc_number]]})
    return cycle


def add_task_group(actor, cycle, name):
    require(actor, "cycle.prepare", "thêm nhóm nhiệm vụ", cycle.unit_id)
    name = _text(name, "tên nhóm nhiệm vụ tương đồng")
    with database.atomic():
        cycle = lock(cycle.id)
        not_published(cycle, "thêm nhóm nhiệm vụ")
        if TaskGroup.get_or_none(TaskGroup.cycle == cycle, TaskGroup.name == name):
            raise InvalidInput(f"Nhóm «{name}» đã có trong kỳ đánh giá này.")
        group = TaskGroup.create(cycle=cycle, name=name, position=cycle.task_groups.count())
        audit.record(actor.username, "task_group.add", group, changes={"name": name})
    return group


def assign_task_group(actor, rating, group):
    """Move a person into another task group of the same cycle (before approval)."""
    require(actor, "cycle.prepare", "xếp nhóm nhiệm vụ", rating.unit_id)
    with database.atomic():
        cycle = lock(open_cycle_of(rating).id)
        not_published(cycle, "xếp nhóm nhiệm vụ")
        if group.cycle_id != cycle.id:
            raise InvalidInput(f"Nhóm «{group.name}» không thuộc kỳ đánh giá năm {cycle.year}.")
        rating = Rating.get_by_id(rating.id)
        if rating.status in (S.APPROVED.code, S.PUBLISHED.code):
            raise RuleViolation(f"Xếp loại của {rating.staff.full_name} đã phê duyệt; "
                                "không đổi nhóm được.")
        ev = Evaluation.get_or_create(rating=rating)[0]
        before, ev.task_group = ev.task_group_id, group
        ev.save()
        audit.record(actor.username, "rating.task_group", rating,
                     changes={"task_group": [before, group.id]})
    return ev


# --- absences and disciplines -------------------------------------------------------------


def record_absence(actor, staff, kind, starts_on, ends_on, note=None):
    require(actor, "cycle.prepare", "ghi thời gian nghỉ", staff.unit_id)
    kind = AbsenceKind.parse(kind).code
    if ends_on < starts_on:
        raise InvalidInput(f"Thời gian nghỉ từ {vi_date(starts_on)} đến {vi_date(ends_on)} "
                           "không hợp lệ: ngày kết thúc trước ngày bắt đầu.")
    with database.atomic():
        absence = Absence.create(staff=staff, kind=kind, starts_on=starts_on, ends_on=ends_on,
                                 note=note)
        audit.record(actor.username, "absence.add", absence, changes={
            "staff": staff.id, "kind": kind, "from": starts_on.isoformat(),
            "to": ends_on.isoformat()})
        for year in range(starts_on.year, ends_on.year + 1):
            _refresh_eligibility(actor, staff, year)
    return absence


#: Statuses in which eligibility may still change: before the chairman's decision.
_UNDECIDED = (S.NOT_ELIGIBLE.code, S.OPEN.code, S.SELF_ASSESSED.code, S.COMMENTED.code,
              S.PROPOSED.code, S.RETURNED.code)


def _refresh_eligibility(actor, staff, year):
    """Re-judge eligibility of the person's undecided rating of ``year`` after an absence is
    recorded: under 6 months worked makes it not eligible, with the reason (REFERENCE.md §5)."""
    rating = Rating.get_or_none(Rating.staff == staff, Rating.year == year)
    if rating is None or rating.status not in _UNDECIDED:
        return
    elig = yearly.eligibility(rulesets.get(rating.rule_set), year, staff.joined_on,
                             staff.left_on, list(Absence.select().where(Absence.staff == staff)))
    was_eligible = rating.status != S.NOT_ELIGIBLE.code
    if elig.eligible == was_eligible:
        return
    before = rating.status
    rating.status = S.OPEN.code if elig.eligible else S.NOT_ELIGIBLE.code
    rating.not_eligible_reason = elig.reason
    rating.save()
    audit.record(actor.username, "rating.eligibility", rating,
                 changes={"status": [before, rating.status]}, reason=elig.reason)


def record_discipline(actor, staff, system, kind, decided_on, violation_year, cause,
                      decision_number=None, counted_year=None, at_old_unit=False):
    """A disciplinary decision with its ``cause`` (``DisciplineCause``: it decides whether
    the year is KHTNV, ND 335/2025 Điều 11.3.a); ``counted_year`` when the violation was
    already counted in that year's rating, so that it counts once only (Điều 11.3,
    ND 48/2023); ``at_old_unit`` when the violation was at the organisation the person
    came from, whose rating counts it (Điều 11.3.c–d)."""
    require(actor, "cycle.prepare", "ghi kỷ luật", staff.unit_id)
    system, kind = DisciplineSystem.parse(system).code, DisciplineKind.parse(kind).code
    if not cause:
        raise InvalidInput("Cần chọn nguyên nhân bị kỷ luật: " + "; ".join(
            DisciplineCause.labels().values()) + " (Điều 11.3 Nghị định 335/2025).",
            field="cause")
    try:
        cause = DisciplineCause.parse(cause).code
    except ValueError as exc:
        raise InvalidInput(f"Nguyên nhân bị kỷ luật: {exc}", field="cause") from None
    if counted_year is not None and not (violation_year <= counted_year <= decided_on.year
                                         + 1):
        raise InvalidInput(f"Năm đã tính kỷ luật {counted_year} phải từ năm vi phạm "
                           f"{violation_year} đến năm sau năm quyết định.",
                           field="counted_year")
    if violation_year > decided_on.year:
        raise InvalidInput(f"Năm vi phạm {violation_year} sau ngày quyết định "
                           f"{vi_date(decided_on)}.")
    with database.atomic():
        d = Discipline.create(staff=staff, system=system, kind=kind, decided_on=decided_on,
                              violation_year=violation_year, cause=cause,
                              decision_number=decision_number, counted_year=counted_year,
                              at_old_unit=bool(at_old_unit))
        audit.record(actor.username, "discipline.add", d, changes={
            "staff": staff.id, "kind": kind, "cause": cause, "decided_on": decided_on.isoformat(),
            "counted_year": yearly.counted_year(d), "at_old_unit": bool(at_old_unit)})
    return d


def find_cycle(unit, year):
    cycle = Cycle.get_or_none(Cycle.unit == unit, Cycle.year == year)
    if cycle is None:
        raise NotFound(f"Chưa mở kỳ đánh giá năm {year} của {unit.name}.")
    return cycle
