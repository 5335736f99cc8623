"""The yearly cycle: transitions, role checks, the rules approval enforces, concurrency."""
import datetime
import json
import threading
from decimal import Decimal

import pytest

from canbo.errors import Forbidden, InvalidInput, RuleViolation
from canbo.models import AuditLog, Rating, Staff, Unit, User
from canbo.models.cycle import Cycle, Objection, TaskGroup
from canbo.rating import guards
from canbo.rating import records as wr
from canbo.rating import workflow as wf
from canbo.rules import rulesets

D = datetime.date


@pytest.fixture
def unit(db):
    return Unit.create(code="XA", name="UBND xã An Bình", place_name="An Bình")


def add_people(unit, n, kind="CIVIL_SERVANT", prefix="P", joined=D(2010, 1, 1), **kw):
    out = []
    for i in range(n):
        s = Staff(unit=unit, code=f"{prefix}{i:02d}", full_name=f"Người {prefix} {i:02d}",
                  kind=kind, joined_on=joined, **kw)
        s.save()
        out.append(s)
    return out


@pytest.fixture
def actors(unit):
    person = add_people(unit, 1, prefix="S")[0]
    other = Unit.create(code="XB", name="UBND xã B", place_name="B")
    users = {role: User.create(username=role.lower(), password_hash="x", role=role,
                               unit=None if role == "ADMIN" else unit)
             for role in ("ADMIN", "OFFICER", "CHAIRMAN", "VIEWER")}
    users["STAFF"] = User.create(username="staff", password_hash="x", role="VIEWER",
                                 unit=unit, staff=person)
    users["OTHER_OFFICER"] = User.create(username="other", password_hash="x",
                                         role="OFFICER", unit=other)
    users["person"] = person
    return users


def rating_of(staff, year):
    return Rating.get(Rating.staff == staff, Rating.year == year)


def prepare(officer, cycle, levels, points=None, party="Đồng ý"):
    """Take every rating of ``levels`` ({staff code: level}) up to "proposed"."""
    for r in guards.cycle_ratings(cycle):
        if r.staff.code not in levels:
            continue
        first = rulesets.get(r.rule_set).criteria[0][0]
        wf.self_assess(officer, r, {first: "Tốt"}, levels[r.staff.code] or "HTTNV")
        wf.record_comments(officer, r, "Nhất trí", D(cycle.year, 12, 1), party_opinion=party)
        wf.propose(officer, r, levels[r.staff.code],
                   points=None if points is None else points[r.staff.code])


def cycle_with(actors, unit, year, groups):
    """A cycle of ``year`` with, for each ``(prefix, level, n)``, n people proposed."""
    people = {}
    for prefix, level, n in groups:
        for s in add_people(unit, n, prefix=prefix):
            people[s.code] = level
    cycle = wf.open_cycle(actors["OFFICER"], unit, year)
    prepare(actors["OFFICER"], cycle, people)
    return cycle


# --- opening ----------------------------------------------------------------------------


def test_opening_rates_everyone_in_post_and_marks_the_not_eligible(actors, unit):
    add_people(unit, 1, prefix="NEW", joined=D(2024, 7, 3))
    add_people(unit, 1, prefix="CB", kind="CADRE")
    add_people(unit, 1, prefix="PT", kind="PART_TIME")
    add_people(unit, 1, prefix="GONE", left_on=D(2023, 6, 1))
    cycle = wf.open_cycle(actors["OFFICER"], unit, 2024, today=D(2024, 11, 1))
    ratings = {r.staff.code: r for r in guards.cycle_ratings(cycle)}
    assert sorted(ratings) == ["CB00", "NEW00", "S00"]
    assert ratings["NEW00"].status == "NOT_ELIGIBLE"
    assert "5 tháng 29 ngày" in ratings["NEW00"].not_eligible_reason
    assert ratings["S00"].status == "OPEN" and ratings["S00"].rule_set == "ND90_ND48_2023"
    groups = cycle.task_groups.order_by(TaskGroup.position)
    assert [g.name for g in groups] == ["Cán bộ", "Công chức"]
    assert cycle.deadline == D(2024, 12, 15)
    entry = AuditLog.get(AuditLog.action == "cycle.open")
    assert entry.actor == "officer" and json.loads(entry.changes)["status"] == [None, "OPEN"]
    with pytest.raises(RuleViolation, match="đã được mở"):
        wf.open_cycle(actors["OFFICER"], unit, 2024)


@pytest.mark.parametrize("year, kind, frame, rule_set", [
    (2022, "CIVIL_SERVANT", "QD366_2025", "ND90_2020"),
    (2023, "CIVIL_SERVANT", "QD366_2025", "ND90_ND48_2023"),
    (2025, "CADRE", "QD366_2025", "ND90_ND48_2023"),
    (2026, "CIVIL_SERVANT", "QD366_2025", "ND335_2025"),
    (2026, "CADRE", "QD366_2025", "QD366_2025"),
    (2026, "CADRE", "ND90_ND48_2023", "ND90_ND48_2023"),
])
def test_a_rating_takes_the_rule_set_of_its_year_and_keeps_it(actors, unit, year, kind,
                                                            frame, rule_set):
    person = add_people(unit, 1, prefix="K", kind=kind)[0]
    wf.open_cycle(actors["OFFICER"], unit, year, cadre_frame=frame)
    assert rating_of(person, year).rule_set == rule_set


def test_the_deadline_is_warned_about_as_it_nears(actors, unit):
    cycle = wf.open_cycle(actors["OFFICER"], unit, 2026)
    assert wf.deadline_warning(cycle, D(2026, 11, 1)) is None
    assert "Còn 10 ngày" in wf.deadline_warning(cycle, D(2026, 12, 5))
    assert "Còn 1 ngày" in wf.deadline_warning(cycle, D(2026, 12, 14))
    assert "quá hạn" in wf.deadline_warning(cycle, D(2026, 12, 15))  # due *before* 15/12
    assert "quá hạn" in wf.deadline_warning(cycle, D(2026, 12, 16))


# --- the whole path, with the audit log ---------------------------------------------------


def test_the_whole_cycle_from_opening_to_reopening(actors, unit):
    officer, chairman, person = actors["OFFICER"], actors["CHAIRMAN"], actors["person"]
    cycle = wf.open_cycle(officer, unit, 2026)
    r = rating_of(person, 2026)
    wf.self_assess(actors["STAFF"], r, {"I": "Chấp hành tốt", "TASKS": "Đủ việc"}, "HTTNV")
    wf.record_comments(officer, r, "Nhất trí tự đánh giá", D(2026, 12, 1))
    wf.propose(officer, r, points=Decimal("82.5"))
    assert rating_of(person, 2026).level == "HTTNV"  # proposed by the points
    wf.approve(chairman, cycle)
    wf.publish(chairman, cycle, D(2026, 12, 10))
    cycle = Cycle.get_by_id(cycle.id)
    assert cycle.is_published and cycle.notice_date == D(2026, 12, 10)
    assert rating_of(person, 2026).status == "PUBLISHED"
    objection = wr.lodge_objection(actors["STAFF"], rating_of(person, 2026), "Xin xem lại",
                                   D(2026, 12, 11))
    assert objection.answer_due == D(2026, 12, 22)  # 7 working days (ND 335 Điều 22)
    assert wr.overdue_objections(cycle, D(2026, 12, 23)) == [objection]
    wr.answer_objection(chairman, objection, "Giữ nguyên kết quả", D(2026, 12, 18))
    assert Objection.get_by_id(objection.id).is_answered
    with pytest.raises(InvalidInput, match="lý do"):
        wf.reopen(chairman, cycle, "  ")
    wf.reopen(chairman, cycle, "Kiến nghị có cơ sở")
    assert rating_of(person, 2026).status == "PROPOSED"
    assert Cycle.get_by_id(cycle.id).status == "OPEN"
    steps = [(e.action, json.loads(e.changes).get("status"), e.reason, e.actor)
             for e in AuditLog.select().where(AuditLog.table_name == "rating")
             .order_by(AuditLog.id)]
    assert steps == [
        ("rating.self_assess", ["OPEN", "SELF_ASSESSED"], None, "staff"),
        ("rating.comment", ["SELF_ASSESSED", "COMMENTED"], None, "officer"),
        ("rating.propose", ["COMMENTED", "PROPOSED"], None, "officer"),
        ("rating.approve", ["PROPOSED", "APPROVED"], None, "chairman"),
        ("rating.publish", ["APPROVED", "PUBLISHED"], None, "chairman"),
        ("rating.reopen", ["PUBLISHED", "PROPOSED"], "Kiến nghị có cơ sở", "chairman"),
    ]
    reopened = AuditLog.get(AuditLog.action == "cycle.reopen")
    assert reopened.reason == "Kiến nghị có cơ sở"


def test_a_returned_rating_carries_the_reason_and_can_be_proposed_again(actors, unit):
    cycle = cycle_with(actors, unit, 2024, [("G", "HTTNV", 2)])
    r = rating_of(Staff.get(Staff.code == "G00"), 2024)
    with pytest.raises(InvalidInput, match="lý do"):
        wf.return_ratings(actors["CHAIRMAN"], cycle, [r.id], "")
    wf.return_ratings(actors["CHAIRMAN"], cycle, [r.id], "Chưa đủ minh chứng")
    assert rating_of(r.staff, 2024).status == "RETURNED"
    assert r.evaluations.get().return_reason == "Chưa đủ minh chứng"
    wf.propose(actors["OFFICER"], rating_of(r.staff, 2024), "HTNV")
    assert rating_of(r.staff, 2024).status == "PROPOSED"


# --- illegal transitions ------------------------------------------------------------------


def test_every_illegal_transition_is_refused(actors, unit):
    officer, chairman = actors["OFFICER"], actors["CHAIRMAN"]
    late = add_people(unit, 1, prefix="LATE", joined=D(2024, 10, 1))[0]
    cycle = wf.open_cycle(officer, unit, 2024)
    r = rating_of(actors["person"], 2024)
    refused = [
        lambda: wf.record_comments(officer, r, "x", D(2024, 12, 1)),  # before self-assessment
        lambda: wf.propose(officer, r, "HTTNV"),  # before comments
        lambda: wf.approve(chairman, cycle, [r.id]),  # not proposed
        lambda: wf.approve(chairman, cycle),  # nothing proposed
        lambda: wf.return_ratings(chairman, cycle, [r.id], "x"),
        lambda: wf.publish(chairman, cycle, D(2024, 12, 10)),  # not all approved
        lambda: wf.reopen(chairman, cycle, "x"),  # not published
        lambda: wr.lodge_objection(officer, r, "x", D(2024, 12, 1)),  # not published
        lambda: wf.propose(officer, rating_of(late, 2024), "HTTNV"),  # not eligible
    ]
    for call in refused:
        with pytest.raises(RuleViolation):
            call()
    assert rating_of(actors["person"], 2024).status == "OPEN"
    prepare(officer, cycle, {"S00": "HTTNV"})
    wf.approve(chairman, cycle)
    wf.publish(chairman, cycle, D(2024, 12, 10))
    r = rating_of(actors["person"], 2024)
    locked = [
        lambda: wf.self_assess(officer, r, {}, "HTTNV"),
        lambda: wf.propose(officer, r, "HTXSNV"),
        lambda: wf.approve(chairman, cycle),
        lambda: wf.publish(chairman, cycle, D(2024, 12, 11)),
        lambda: wr.set_unit_level(officer, cycle, "HTTNV"),
        lambda: wr.add_task_group(officer, cycle, "Nhóm mới"),
    ]
    for call in locked:
        with pytest.raises(RuleViolation):
            call()
    objection = wr.lodge_objection(officer, r, "x", D(2024, 12, 12))
    assert objection.answer_due is None  # no deadline stated before ND 335
    wr.answer_objection(chairman, objection, "Giữ nguyên", D(2024, 12, 13))
    with pytest.raises(RuleViolation, match="đã được trả lời"):
        wr.answer_objection(chairman, objection, "Lần hai", D(2024, 12, 14))


# --- role checks --------------------------------------------------------------------------


def _stage(actors, unit, upto):
    """A one-person 2026 cycle brought to ``upto``; returns (cycle, rating, objection)."""
    officer, chairman = actors["OFFICER"], actors["CHAIRMAN"]
    if upto == "none":
        return None, None, None
    cycle = wf.open_cycle(officer, unit, 2026)
    r = lambda: rating_of(actors["person"], 2026)  # noqa: E731
    steps = [
        ("self_assessed", lambda: wf.self_assess(officer, r(), {}, "HTTNV")),
        ("commented", lambda: wf.record_comments(officer, r(), "x", D(2026, 12, 1))),
        ("proposed", lambda: wf.propose(officer, r(), points=Decimal(75))),
        ("approved", lambda: wf.approve(chairman, cycle)),
        ("published", lambda: wf.publish(chairman, cycle, D(2026, 12, 10))),
        ("objected", lambda: wr.lodge_objection(officer, r(), "x", D(2026, 12, 11))),
    ]
    for name, step in steps:
        if upto == "open":
            break
        step()
        if name == upto:
            break
    objection = Objection.get_or_none()
    return Cycle.get_by_id(cycle.id), r(), objection


PREP = {"ADMIN", "OFFICER"}
TRANSITIONS = {
    # name: (state needed, call, roles allowed)
    "open": ("none", lambda a, u, c, r, o: wf.open_cycle(a, u, 2026), PREP),
    "self_assess": ("open", lambda a, u, c, r, o: wf.self_assess(a, r, {}, "HTTNV"),
                    PREP | {"STAFF"}),
    "comment": ("self_assessed",
                lambda a, u, c, r, o: wf.record_comments(a, r, "x", D(2026, 12, 1)), PREP),
    "propose": ("commented", lambda a, u, c, r, o: wf.propose(a, r, points=Decimal(75)), PREP),
    "approve": ("proposed", lambda a, u, c, r, o: wf.approve(a, c), {"CHAIRMAN"}),
    "return": ("proposed", lambda a, u, c, r, o: wf.return_ratings(a, c, [r.id], "x"),
               {"CHAIRMAN"}),
    "publish": ("approved", lambda a, u, c, r, o: wf.publish(a, c, D(2026, 12, 10)),
                PREP | {"CHAIRMAN"}),
    "objection": ("published",
                  lambda a, u, c, r, o: wr.lodge_objection(a, r, "x", D(2026, 12, 11)),
                  PREP | {"STAFF"}),
    "answer": ("objected",
               lambda a, u, c, r, o: wr.answer_objection(a, o, "y", D(2026, 12, 12)),
               PREP | {"CHAIRMAN"}),
    "reopen": ("published", lambda a, u, c, r, o: wf.reopen(a, c, "lý do"), {"CHAIRMAN"}),
    "unit_level": ("open", lambda a, u, c, r, o: wr.set_unit_level(a, c, "HTTNV"),
                   PREP | {"CHAIRMAN"}),
    "exception": ("open", lambda a, u, c, r, o: wr.set_quota_exception(
        a, c, Decimal("0.25"), "12/QĐ-UBND", D(2026, 11, 2)), {"CHAIRMAN"}),
    "task_group": ("open", lambda a, u, c, r, o: wr.add_task_group(a, c, "Một cửa"), PREP),
    "absence": ("none", lambda a, u, c, r, o: wr.record_absence(
        a, Staff.get(Staff.code == "S00"), "SICK", D(2026, 1, 5), D(2026, 1, 9)), PREP),
}
ROLES = ["ADMIN", "OFFICER", "CHAIRMAN", "VIEWER", "STAFF", "OTHER_OFFICER"]


@pytest.mark.parametrize("name", sorted(TRANSITIONS))
def test_every_transition_checks_the_acting_role(db, actors, unit, name):
    state, call, allowed = TRANSITIONS[name]
    cycle, rating, objection = _stage(actors, unit, state)
    outcome = {}
    for role in ROLES:
        with db.atomic() as txn:  # each role tries from the same state
            try:
                call(actors[role], unit, cycle, rating, objection)
                outcome[role] = True
            except Forbidden:
                outcome[role] = False
            txn.rollback()
    assert {role for role, ok in outcome.items() if ok} == allowed


# --- what approval enforces -------------------------------------------------------------------


def test_approval_refuses_more_excellent_than_the_quota_naming_the_numbers(actors, unit):
    cycle = cycle_with(actors, unit, 2024, [("G", "HTTNV", 17), ("E", "HTXSNV", 5)])
    with pytest.raises(RuleViolation) as err:
        wf.approve(actors["CHAIRMAN"], cycle)
    assert "17 người HTTNV × 20% = 3,4 → tối đa 3 người HTXSNV; đang đề xuất 5" in err.value.message
    assert "Người E 00 (E00)" in err.value.message
    [finding] = err.value.data["findings"]
    assert finding["rule"] == "excellent_quota" and finding["details"]["allowed"] == 3
    assert Rating.select().where(Rating.status == "APPROVED").count() == 0


def test_exactly_20_percent_is_approved(actors, unit):
    cycle = cycle_with(actors, unit, 2024, [("G", "HTTNV", 10), ("E", "HTXSNV", 2)])
    assert len(wf.approve(actors["CHAIRMAN"], cycle)) == 12


def test_no_quota_for_a_2022_cycle(actors, unit):
    cycle = cycle_with(actors, unit, 2022, [("G", "HTTNV", 4), ("E", "HTXSNV", 16)])
    assert len(wf.approve(actors["CHAIRMAN"], cycle)) == 20


def test_excellent_are_counted_against_the_good_already_approved(actors, unit):
    cycle = cycle_with(actors, unit, 2024, [("G", "HTTNV", 5), ("E", "HTXSNV", 1)])
    excellent = [rating_of(Staff.get(Staff.code == "E00"), 2024).id]
    with pytest.raises(RuleViolation, match="0 người HTTNV"):
        wf.approve(actors["CHAIRMAN"], cycle, excellent)
    good = [r.id for r in guards.cycle_ratings(cycle) if r.level == "HTTNV"]
    wf.approve(actors["CHAIRMAN"], cycle, good)
    wf.approve(actors["CHAIRMAN"], cycle, excellent)


def test_the_quota_is_counted_per_task_group(actors, unit):
    cycle = cycle_with(actors, unit, 2024, [("G", "HTTNV", 10), ("E", "HTXSNV", 2)])
    group = wr.add_task_group(actors["OFFICER"], cycle, "Bộ phận một cửa")
    for code in ("E00", "E01"):
        wr.assign_task_group(actors["OFFICER"], rating_of(Staff.get(Staff.code == code), 2024),
                             group)
    with pytest.raises(RuleViolation, match="Bộ phận một cửa"):
        wf.approve(actors["CHAIRMAN"], cycle)


def test_a_quota_exception_needs_its_document_and_stays_under_the_ceiling(actors, unit):
    cycle = cycle_with(actors, unit, 2026, [])
    chairman = actors["CHAIRMAN"]
    with pytest.raises(InvalidInput, match="số văn bản"):
        wr.set_quota_exception(chairman, cycle, Decimal("0.25"), "", D(2026, 11, 2))
    with pytest.raises(InvalidInput, match="ngày của văn bản"):
        wr.set_quota_exception(chairman, cycle, Decimal("0.25"), "12/QĐ-UBND", None)
    with pytest.raises(RuleViolation, match="25%"):
        wr.set_quota_exception(chairman, cycle, Decimal("0.26"), "12/QĐ-UBND", D(2026, 11, 2))
    with pytest.raises(RuleViolation, match="phải cao hơn tỷ lệ 20%"):
        wr.set_quota_exception(chairman, cycle, Decimal("0.15"), "12/QĐ-UBND", D(2026, 11, 2))
    wr.set_quota_exception(chairman, cycle, Decimal("0.25"), "12/QĐ-UBND", D(2026, 11, 2))
    assert Cycle.get_by_id(cycle.id).exception_doc_number == "12/QĐ-UBND"


def test_the_officer_alone_cannot_switch_the_quota_off_with_an_exception(actors, unit):
    # ND 48/2023 states no ceiling: a 100% "exception" typed by the officer made every
    # proposal pass the chairman's quota check (issue 16)
    cycle = cycle_with(actors, unit, 2024, [("G", "HTTNV", 8), ("E", "HTXSNV", 4)])
    with pytest.raises(Forbidden, match="không được ghi tỷ lệ ngoại lệ; chỉ: Chủ tịch"):
        wr.set_quota_exception(actors["OFFICER"], cycle, Decimal("1"), "1/QĐ", D(2024, 11, 1))
    assert Cycle.get_by_id(cycle.id).exception_ratio is None
    with pytest.raises(RuleViolation, match="tối đa 1 người HTXSNV"):
        wf.approve(actors["CHAIRMAN"], Cycle.get_by_id(cycle.id))


def test_a_quota_exception_lets_8_good_carry_2_excellent(actors, unit):
    cycle = cycle_with(actors, unit, 2024, [("G", "HTTNV", 8), ("E", "HTXSNV", 2)])
    with pytest.raises(RuleViolation, match="1,6"):
        wf.approve(actors["CHAIRMAN"], cycle)
    wr.set_quota_exception(actors["CHAIRMAN"], cycle, Decimal("0.25"), "5/QĐ-UBND", D(2024, 11, 1))
    assert len(wf.approve(actors["CHAIRMAN"], Cycle.get_by_id(cycle.id))) == 10


def test_approval_refuses_a_disciplined_person_above_khtnv(actors, unit):
    person = actors["person"]
    wr.record_discipline(actors["OFFICER"], person, "ADMINISTRATIVE", "REPRIMAND",
                         D(2024, 3, 1), 2024, "PUBLIC_SERVICE", decision_number="7/QĐ-UBND")
    cycle = cycle_with(actors, unit, 2024, [])
    prepare(actors["OFFICER"], cycle, {"S00": "HTNV"})
    with pytest.raises(RuleViolation, match="Người S 00 .*7/QĐ-UBND.*KHTNV"):
        wf.approve(actors["CHAIRMAN"], cycle)
    wf.propose(actors["OFFICER"], rating_of(person, 2024), "KHTNV")
    wf.approve(actors["CHAIRMAN"], cycle)


def test_a_discipline_without_a_cause_is_refused_and_writes_nothing(actors, unit):
    """ND 335/2025 Điều 11.3.a turns on the cause: it must be recorded."""
    person = actors["person"]
    for cause in (None, "", "CHEATING"):
        with pytest.raises(InvalidInput, match="guyên nhân bị kỷ luật"):
            wr.record_discipline(actors["OFFICER"], person, "PARTY", "WARNING",
                                 D(2026, 1, 10), 2026, cause)
    assert person.disciplines.count() == 0


def test_a_january_decision_for_last_years_violation_counts_in_the_new_year(actors, unit):
    person = actors["person"]
    wr.record_discipline(actors["OFFICER"], person, "PARTY", "WARNING", D(2025, 1, 10), 2024,
                         "PUBLIC_SERVICE")
    cycle = cycle_with(actors, unit, 2024, [])
    prepare(actors["OFFICER"], cycle, {"S00": "HTTNV"})
    wf.approve(actors["CHAIRMAN"], cycle)  # 2024 is not touched by it
    cycle = wf.open_cycle(actors["OFFICER"], unit, 2025)
    prepare(actors["OFFICER"], cycle, {"S00": "HTTNV"})
    with pytest.raises(RuleViolation, match="discipline|kỷ luật"):
        wf.approve(actors["CHAIRMAN"], cycle)


def test_lawful_absence_of_four_months_caps_at_htnv(actors, unit):
    wr.record_absence(actors["OFFICER"], actors["person"], "SICK", D(2024, 2, 1), D(2024, 5, 31))
    cycle = cycle_with(actors, unit, 2024, [])
    prepare(actors["OFFICER"], cycle, {"S00": "HTTNV"})
    with pytest.raises(RuleViolation, match="tối đa «Hoàn thành nhiệm vụ»"):
        wf.approve(actors["CHAIRMAN"], cycle)


def test_nd335_levels_follow_the_points(actors, unit):
    cycle = wf.open_cycle(actors["OFFICER"], unit, 2026)
    prepare(actors["OFFICER"], cycle, {"S00": "HTXSNV"}, points={"S00": Decimal("89.99")})
    with pytest.raises(RuleViolation, match="89,99 điểm → HTTNV"):
        wf.approve(actors["CHAIRMAN"], cycle)
    wf.propose(actors["OFFICER"], rating_of(actors["person"], 2026), points=Decimal("90"))
    assert rating_of(actors["person"], 2026).level == "HTXSNV"


def test_a_head_is_not_rated_above_the_unit_and_needs_the_party_opinion(actors, unit):
    head = add_people(unit, 1, prefix="H", leader_role="HEAD")[0]
    cycle = wf.open_cycle(actors["OFFICER"], unit, 2026)
    prepare(actors["OFFICER"], cycle, {"H00": "HTTNV"}, points={"H00": Decimal("80")},
            party="")
    with pytest.raises(RuleViolation) as err:
        wf.approve(actors["CHAIRMAN"], cycle)
    rules_broken = {f["rule"] for f in err.value.data["findings"]}
    assert rules_broken == {"unit_rating_missing", "party_opinion_missing"}
    wr.set_unit_level(actors["CHAIRMAN"], cycle, "HTNV")
    wf.record_comments(actors["OFFICER"], rating_of(head, 2026), "x", D(2026, 12, 1),
                       party_opinion="Đảng ủy nhất trí")
    with pytest.raises(RuleViolation, match="head_above_unit|cao hơn đơn vị"):
        wf.approve(actors["CHAIRMAN"], Cycle.get_by_id(cycle.id))


# --- concurrency ---------------------------------------------------------------------------


def test_two_racing_approvals_never_pass_the_quota_together(db, actors, unit):
    cycle = cycle_with(actors, unit, 2024, [("G", "HTTNV", 10), ("E", "HTXSNV", 3)])
    good = [r.id for r in guards.cycle_ratings(cycle) if r.level == "HTTNV"]
    first, *racing = [r.id for r in guards.cycle_ratings(cycle) if r.level == "HTXSNV"]
    wf.approve(actors["CHAIRMAN"], cycle, good + [first])  # 10 good → at most 2 excellent
    db.close()
    barrier, results = threading.Barrier(2), []

    def approve(rating_id):
        db.connect(reuse_if_open=True)
        try:
            barrier.wait()
            wf.approve(actors["CHAIRMAN"], cycle, [rating_id])
            results.append("approved")
        except RuleViolation:
            results.append("refused")
        finally:
            db.close()

    threads = [threading.Thread(target=approve, args=(rid,)) for rid in racing]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    db.connect(reuse_if_open=True)
    assert sorted(results) == ["approved", "refused"]
    excellent = Rating.select().where(Rating.level == "HTXSNV", Rating.status == "APPROVED")
    assert excellent.count() == 2


def test_an_absence_recorded_after_opening_makes_the_rating_not_eligible(actors, unit):
    cycle = wf.open_cycle(actors["OFFICER"], unit, 2024)
    person = actors["person"]
    assert rating_of(person, 2024).status == "OPEN"
    wr.record_absence(actors["OFFICER"], person, "MATERNITY", D(2024, 3, 1), D(2024, 8, 31))
    assert rating_of(person, 2024).status == "OPEN"  # maternity leave counts as worked
    wr.record_absence(actors["OFFICER"], person, "UNPAID", D(2023, 12, 1), D(2024, 2, 29))
    wr.record_absence(actors["OFFICER"], person, "SICK", D(2024, 8, 31), D(2024, 12, 31))
    rating = rating_of(person, 2024)
    assert rating.status == "NOT_ELIGIBLE" and "dưới 6 tháng" in rating.not_eligible_reason
    assert AuditLog.get(AuditLog.action == "rating.eligibility").reason == rating.not_eligible_reason
    assert cycle.id == Cycle.get(Cycle.year == 2024).id
