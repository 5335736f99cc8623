"""The yearly rating cycle of a unit: its transitions (REFERENCE.md §6).

open → self-assessment → comments of the unit meeting (and the Party committee's opinion
for heads and deputies) → the officer's proposal → the chairman approves or returns with
a reason → published (locked, notice date) → objection (kiến nghị) and its answer →
reopened only by the chairman, with a reason.

Every transition checks the acting user's permission in ``users.PERMISSIONS``
(``cycle.prepare``, ``cycle.decide``, ``cycle.record``; a person's own account,
``User.staff``, may self-assess and lodge an objection) and unit, through the shared
``guards``, runs in one transaction that first locks the cycle row, and writes
``audit.record`` with who, from → to and why.  Approval judges the picture it would
commit by every rule of each rating's rule set (``compliance.judge``); because the cycle
row is locked first, two approvals racing in one unit are serialised and can never
together pass the quota.
"""
import datetime
import json

from canbo.db import database
from canbo.errors import InvalidInput, NotFound, RuleViolation
from canbo.levels import CycleStatus, StaffKind
from canbo.levels import Rating as RatingLevel
from canbo.levels import RatingStatus as S
from canbo.models import Rating, Staff, now
from canbo.models.cycle import Absence, Cycle, Evaluation, TaskGroup
from canbo.rating import compliance
from canbo.rating.guards import check_status, cycle_ratings, lock, not_published, open_cycle_of
from canbo.records import audit
from canbo.records.users import require
from canbo.rules import rulesets, yearly
from canbo.vietnamese import vi_date

#: Kinds rated under the decrees; part-time officials and contract workers are not.
RATED_KINDS = (StaffKind.CADRE.code, StaffKind.CIVIL_SERVANT.code,
               StaffKind.PUBLIC_EMPLOYEE.code)
DEADLINE_WARNING_DAYS = 14


def _log(actor, action, instance, before, after, reason=None, **extra):
    changes = {"status": [before, after], **extra} if before != after else dict(extra)
    audit.record(actor.username, action, instance, changes=changes, reason=reason)


def _move(actor, action, rating, to, reason=None, **extra):
    before = rating.status
    rating.status, rating.updated_at = to, now()
    rating.save()
    _log(actor, action, rating, before, to, reason, **extra)


def _evaluation(rating):
    return Evaluation.get_or_create(rating=rating)[0]


# --- opening ----------------------------------------------------------------------------


def open_cycle(actor, unit, year, cadre_frame=rulesets.QD366, today=None, special=False):
    """Open the unit's cycle of ``year``: one task group per staff kind, one rating for
    every person in post (on the year's last day, or today for the current year), marked
    not eligible with the reason where the rules say so (REFERENCE.md §5); from 2026 the
    points and proposed levels come from the monthly tracking (``rating.points``).
    ``special``: a unit whose superior set the 15 January deadline (Điều 19.2)."""
    require(actor, "cycle.prepare", "mở kỳ đánh giá", unit.id)
    if cadre_frame not in rulesets.CADRE_FRAMES:
        raise InvalidInput(f"Khung đánh giá cán bộ «{cadre_frame}» không hợp lệ; cho phép: "
                           + ", ".join(rulesets.CADRE_FRAMES))
    today = today or datetime.date.today()
    with database.atomic():
        if Cycle.get_or_none(Cycle.unit == unit, Cycle.year == year):
            raise RuleViolation(f"Kỳ đánh giá năm {year} của {unit.name} đã được mở.")
        cycle = Cycle.create(unit=unit, year=year, cadre_frame=cadre_frame,
                             deadline=yearly.deadline(year, special), opened_by=actor.username)
        _enrol(cycle, _in_post(cycle, today))
        _log(actor, "cycle.open", cycle, None, CycleStatus.OPEN.code,
             year=year, cadre_frame=cadre_frame)
        if rulesets.tracked_monthly(year):  # the points come from the monthly tracking
            from canbo.rating.points import fill_points  # it builds on this module

            fill_points(actor, cycle)
    return cycle


def _in_post(cycle, today):
    """The unit's people of the rated kinds in post on the year's last day (or ``today``
    for the current year), in the staff list's order."""
    on = min(today, datetime.date(cycle.year, 12, 31))
    return [s for s in Staff.select().where(Staff.unit == cycle.unit_id,
                                            Staff.kind.in_(RATED_KINDS))
            .order_by(Staff.sort_name) if s.in_post_on(on)]


def _enrol(cycle, people):
    """Give each of ``people`` a rating in ``cycle`` with its rule set and eligibility
    (REFERENCE.md §5; ND 90/2020 Điều 2.2 as amended, ND 335/2025 Điều 11) and its task
    group (one per staff kind, made when first needed).  A final rating, or one made by
    another unit, is kept as recorded.  Returns the ratings made or reset."""
    made = list(cycle.task_groups)
    groups = {g.kind: g for g in made if g.kind}
    named = {g.name: g for g in made}  # a group the officer added under a kind's name
    position = len(made)
    for kind in (k for k in RATED_KINDS if k not in groups and any(p.kind == k for p in people)):
        name = StaffKind(kind).label
        groups[kind] = named.get(name) or TaskGroup.create(cycle=cycle, name=name, kind=kind,
                                                           position=position)
        position += 1
    absences = {}
    for a in Absence.select().where(Absence.staff.in_([p.id for p in people] or [0])):
        absences.setdefault(a.staff_id, []).append(a)
    existing = {r.staff_id: r for r in Rating.select().where(
        Rating.year == cycle.year, Rating.staff.in_([p.id for p in people] or [0]))}
    enrolled = []
    for person in people:
        code = rulesets.rule_set_for(cycle.year, person.kind, cycle.cadre_frame)
        rating = existing.get(person.id)
        if rating is not None and (rating.is_final or rating.unit_id != cycle.unit_id):
            continue  # kept as recorded: imported, or rated by another unit
        elig = yearly.eligibility(rulesets.get(code), cycle.year, person.joined_on,
                                  person.left_on, absences.get(person.id, []))
        status = S.OPEN.code if elig.eligible else S.NOT_ELIGIBLE.code
        if rating is None:
            rating = Rating.create(staff=person, unit=cycle.unit_id, year=cycle.year,
                                   rule_set=code, status=status,
                                   not_eligible_reason=elig.reason)
        else:
            rating.status, rating.not_eligible_reason = status, elig.reason
            rating.save()
        Evaluation.get_or_create(rating=rating,
                                 defaults={"task_group": groups[person.kind]})
        enrolled.append(rating)
    return enrolled


def newcomers(cycle, today=None):
    """People in post who have no rating of the cycle's year yet: they joined, or were
    imported, after the cycle opened."""
    today = today or datetime.date.today()
    rated = {staff_id for (staff_id,) in Rating.select(Rating.staff).where(
        Rating.year == cycle.year,
        Rating.staff.in_(Staff.select(Staff.id).where(Staff.unit == cycle.unit_id))).tuples()}
    return [p for p in _in_post(cycle, today) if p.id not in rated]


def add_newcomers(actor, cycle, today=None):
    """Thêm người mới vào đợt: rate in the open ``cycle`` the people who joined (or were
    imported) after it opened, each with the eligibility of their time worked
    (REFERENCE.md §5) and, from 2026, their tracked points (``rating.points``).  Returns
    the ratings added (none when nobody is missing)."""
    require(actor, "cycle.prepare", "thêm người mới vào đợt đánh giá", cycle.unit_id)
    with database.atomic():
        cycle = lock(cycle.id)
        not_published(cycle, "thêm người mới vào đợt đánh giá")
        added = _enrol(cycle, newcomers(cycle, today))
        if added:
            audit.record(actor.username, "cycle.add_people", cycle, changes={
                "added": [r.staff.code for r in added]})
            if rulesets.tracked_monthly(cycle.year):
                from canbo.rating.points import fill_points  # it builds on this module

                fill_points(actor, cycle)
    return added


def deadline_warning(cycle, today=None):
    """A warning as the deadline nears or has passed (the rating is due *before*
    ``cycle.deadline``, Điều 19.2: on that day it is late), else None."""
    today = today or datetime.date.today()
    if cycle.is_published:
        return None
    left = (cycle.deadline - today).days
    if yearly.overdue(cycle.deadline, today):
        return (f"Đã quá hạn hoàn thành đánh giá (trước ngày {vi_date(cycle.deadline)}) "
                f"{1 - left} ngày.")
    if left <= DEADLINE_WARNING_DAYS:
        return (f"Còn {left} ngày đến hạn hoàn thành đánh giá (trước ngày "
                f"{vi_date(cycle.deadline)}).")
    return None


# --- the steps of one person's rating ---------------------------------------------------


def self_level_code(text):
    """The code of a self-rating the person chose; there is no default (ND 90/2020
    Điều 19.1, ND 335/2025 Điều 21.1.a: the person rates themselves)."""
    if not (text or "").strip():
        raise InvalidInput("Cần chọn mức tự xếp loại: " + "; ".join(
            f"{m.label} ({m.code})" for m in RatingLevel) + ".", field="self_level")
    return RatingLevel.parse(text).code


#: The statuses each preparation step starts from (``check_status``); the bulk steps
#: (``canbo.rating.bulk``) check a whole sheet or selection against the same.
SELF_ASSESS_FROM = (S.OPEN.code, S.SELF_ASSESSED.code, S.NOT_ELIGIBLE.code)
COMMENT_FROM = (S.SELF_ASSESSED.code, S.COMMENTED.code, S.PROPOSED.code, S.RETURNED.code)
PROPOSE_FROM = (S.COMMENTED.code, S.RETURNED.code, S.PROPOSED.code)


def self_assess(actor, rating, criteria, self_level):
    """Tự đánh giá: the person's text on each criterion and their self-rating, typed by
    the officer from the paper form or by the person through their staff account.  The
    leaders' criteria 7–9 of the ND 90 form belong to heads and deputies only
    (``RuleSet.criteria_for``)."""
    require(actor, "cycle.prepare", "ghi tự đánh giá", rating.unit_id,
            own_staff_id=rating.staff_id)
    leader = rating.staff.writes_leaders_part
    known = dict(rulesets.get(rating.rule_set).criteria_for(leader))
    unknown = sorted(set(criteria) - set(known))
    if unknown:
        raise InvalidInput(f"Tiêu chí {', '.join(unknown)} không có trên phiếu của "
                           f"{rating.staff.full_name}; cho phép: "
                           + ", ".join(f"{k} ({v})" for k, v in known.items()),
                           field="criteria")
    level = self_level_code(self_level)
    with database.atomic():
        cycle = lock(open_cycle_of(rating).id)
        not_published(cycle, "ghi tự đánh giá")
        rating = Rating.get_by_id(rating.id)
        check_status(rating, SELF_ASSESS_FROM, "ghi tự đánh giá")
        ev = _evaluation(rating)
        ev.criteria = json.dumps(criteria, ensure_ascii=False)
        ev.self_assessed_at, ev.self_assessed_by = now(), actor.username
        ev.save()
        rating.self_level = level
        # the not-eligible still write a self-review, but stay not rated (REFERENCE.md §5)
        to = rating.status if rating.status == S.NOT_ELIGIBLE.code else S.SELF_ASSESSED.code
        _move(actor, "rating.self_assess", rating, to, self_level=level)
    return rating


def record_comments(actor, rating, comments, meeting_on, party_opinion=None):
    """Ý kiến tại cuộc họp đơn vị (and, for heads and deputies, the Party committee's
    opinion, which approval requires)."""
    require(actor, "cycle.prepare", "ghi ý kiến cuộc họp", rating.unit_id)
    if not (comments or "").strip():
        raise InvalidInput("Cần ghi ý kiến nhận xét tại cuộc họp đơn vị.")
    with database.atomic():
        cycle = lock(open_cycle_of(rating).id)
        not_published(cycle, "ghi ý kiến cuộc họp")
        rating = Rating.get_by_id(rating.id)
        check_status(rating, COMMENT_FROM, "ghi ý kiến cuộc họp")
        ev = _evaluation(rating)
        ev.meeting_comments, ev.meeting_on = comments.strip(), meeting_on
        if party_opinion is not None:
            ev.party_opinion = party_opinion.strip() or None
        ev.save()
        # the Party committee's opinion may come after the proposal: amending keeps its place
        to = S.COMMENTED.code if rating.status == S.SELF_ASSESSED.code else rating.status
        _move(actor, "rating.comment", rating, to)
    return rating


def propose(actor, rating, level=None, points=None, khtnv_finding=None):
    """Đề xuất: the officer proposes the level.  Where the rule set rates on points and no
    level is given, the points propose it and the KHTNV conditions override it
    (ND 335/2025 Điều 20); points typed in here are stored on the rating."""
    require(actor, "cycle.prepare", "đề xuất mức xếp loại", rating.unit_id)
    with database.atomic():
        cycle = lock(open_cycle_of(rating).id)
        not_published(cycle, "đề xuất")
        rating = Rating.get_by_id(rating.id)
        check_status(rating, PROPOSE_FROM, "đề xuất")
        rs = rulesets.get(rating.rule_set)
        ev = _evaluation(rating)
        if khtnv_finding is not None:
            ev.khtnv_finding = khtnv_finding.strip() or None
            ev.save()
        if points is not None:
            rating.points = points
        if level is None:
            if not rs.rates_on_points or rating.points is None:
                raise InvalidInput(f"Cần chọn mức xếp loại cho {rating.staff.full_name}.")
            reasons = yearly.khtnv_reasons(rs, rating.year, list(rating.staff.disciplines),
                                           ev.khtnv_finding)
            level = yearly.proposed_level(rs, rating.points, reasons)
        before = rating.level
        rating.level = RatingLevel.parse(level).code
        _move(actor, "rating.propose", rating, S.PROPOSED.code, level=[before, rating.level])
    return rating


# --- the chairman's decisions -----------------------------------------------------------


def _selected(cycle, rating_ids, allowed, action):
    ratings = cycle_ratings(cycle)
    if rating_ids is None:
        chosen = [r for r in ratings if r.status in allowed]
    else:
        wanted = set(rating_ids)
        chosen = [r for r in ratings if r.id in wanted]
        if len(chosen) != len(wanted):
            raise NotFound("Có bản ghi được chọn không thuộc kỳ đánh giá này.")
        refused = []  # every one named, as one by one would name it; nothing is written
        for r in chosen:
            try:
                check_status(r, allowed, action)
            except RuleViolation as exc:
                refused.append(exc.message)
        if len(refused) == 1:
            raise RuleViolation(refused[0])
        if refused:
            raise RuleViolation(f"Không thể {action} {len(refused)} bản ghi đã chọn:\n"
                                + "\n".join(f"- {m}" for m in refused))
    if not chosen:
        raise RuleViolation(f"Không có bản ghi nào để {action}.")
    return ratings, chosen


def approve(actor, cycle, rating_ids=None):
    """Phê duyệt the proposals (all, or those selected) after judging the picture they
    would make with the ratings already approved: refuses with ``RuleViolation`` naming
    every broken rule, the people and the numbers."""
    require(actor, "cycle.decide", "phê duyệt", cycle.unit_id)
    with database.atomic():
        cycle = lock(cycle.id)
        not_published(cycle, "phê duyệt")
        ratings, chosen = _selected(cycle, rating_ids, (S.PROPOSED.code,), "phê duyệt")
        final = (S.APPROVED.code, S.PUBLISHED.code)
        picture = [r for r in ratings if r.status in final] + chosen
        _, cases = compliance.load(cycle.unit, cycle.year, picture)
        findings = compliance.judge(
            cases, cycle.year, unit_level=cycle.unit_level,
            exception_ratio=cycle.exception_ratio, procedure=True)
        if findings:
            raise RuleViolation(
                f"Không thể phê duyệt ({len(findings)} vi phạm):\n"
                + "\n".join(f"- {f.message}" for f in findings),
                findings=[f.as_dict() for f in findings])
        for r in chosen:
            Evaluation.update(decided_by=actor.username, decided_at=now()).where(
                Evaluation.rating == r).execute()
            _move(actor, "rating.approve", r, S.APPROVED.code, level=r.level)
    return chosen


def return_ratings(actor, cycle, rating_ids, reason):
    """Trả lại proposals (or approvals not yet published) to the officer, with a reason."""
    require(actor, "cycle.decide", "trả lại", cycle.unit_id)
    if not (reason or "").strip():
        raise InvalidInput("Cần ghi lý do trả lại.")
    with database.atomic():
        cycle = lock(cycle.id)
        not_published(cycle, "trả lại")
        _, chosen = _selected(cycle, rating_ids, (S.PROPOSED.code, S.APPROVED.code), "trả lại")
        for r in chosen:
            Evaluation.update(return_reason=reason.strip()).where(
                Evaluation.rating == r).execute()
            _move(actor, "rating.return", r, S.RETURNED.code, reason=reason.strip())
    return chosen


def publish(actor, cycle, notice_date):
    """Công bố: every rating approved (or not eligible); the cycle is locked and the
    notice date recorded (ND 90/2020 Điều 19 step 5)."""
    require(actor, "cycle.record", "công bố kết quả", cycle.unit_id)
    with database.atomic():
        cycle = lock(cycle.id)
        not_published(cycle, "công bố lại")
        ratings = cycle_ratings(cycle)
        done = (S.APPROVED.code, S.NOT_ELIGIBLE.code, S.PUBLISHED.code)
        pending = [r for r in ratings if r.status not in done]
        if pending:
            raise RuleViolation("Chưa thể công bố: còn bản ghi chưa phê duyệt — " + ", ".join(
                f"{r.staff.full_name} ({S(r.status).label})" for r in pending) + ".")
        for r in ratings:
            if r.status == S.APPROVED.code:
                _move(actor, "rating.publish", r, S.PUBLISHED.code)
        cycle.status, cycle.notice_date = CycleStatus.PUBLISHED.code, notice_date
        cycle.save()
        _log(actor, "cycle.publish", cycle, CycleStatus.OPEN.code, cycle.status,
             notice_date=notice_date.isoformat())
    return cycle


def reopen(actor, cycle, reason, rating_ids=None):
    """Mở lại a published cycle (only the chairman, with a reason in the audit log): the
    ratings chosen (default all published) go back to "proposed" for a new decision, and
    the old notice date is cleared (publishing again records the new one)."""
    require(actor, "cycle.decide", "mở lại kỳ đánh giá", cycle.unit_id)
    if not (reason or "").strip():
        raise InvalidInput("Cần ghi lý do mở lại.")
    with database.atomic():
        cycle = lock(cycle.id)
        if not cycle.is_published:
            raise RuleViolation(f"Kỳ đánh giá năm {cycle.year} chưa công bố nên không cần mở lại.")
        _, chosen = _selected(cycle, rating_ids, (S.PUBLISHED.code,), "mở lại")
        for r in chosen:
            _move(actor, "rating.reopen", r, S.PROPOSED.code, reason=reason.strip())
        before, notice = cycle.status, cycle.notice_date
        # the old notice announced the results now being decided again: a new one is
        # dated when the cycle is published again
        cycle.status, cycle.notice_date = CycleStatus.OPEN.code, None
        cycle.save()
        _log(actor, "cycle.reopen", cycle, before, cycle.status, reason=reason.strip(),
             notice_date=[notice.isoformat() if notice else None, None])
    return cycle
