"""The officer's month and the to-do (ND 335/2025 Điều 17–19): who must act on each
person's period, the per-month deadline in working days, overdue cells, the yearly
deadline before 15/12, and a query count that does not grow with the people."""
import datetime

import pytest
from playhouse.test_utils import count_queries

from accounts import account, own_account
from canbo.errors import Forbidden, InvalidInput
from canbo.models import AuditLog, Department, Staff, Unit
from canbo.models.tracking import TrackingSetting
from canbo.rules import yearly
from canbo.tracking import catalogue as cat
from canbo.tracking import evaluators, sheets, status, todo
from test_tracking import GENERAL_28, YEAR, person, standard
from test_tracking_people import officer

D = datetime.date


def test_the_nth_working_day_skips_weekends_and_public_holidays():
    # 31/08 (substitute day), 01/09 and 02/09/2026 are the National Day holidays
    assert yearly.nth_working_day(2026, 9, 1) == D(2026, 9, 3)
    assert yearly.nth_working_day(2026, 9, 5) == D(2026, 9, 9)
    # Tết 2026: 16/02 – 20/02; the 12th working day of February is 24/02, not 17/02
    assert yearly.nth_working_day(2026, 2, 5) == D(2026, 2, 6)
    assert yearly.nth_working_day(2026, 2, 12) == D(2026, 2, 24)
    assert yearly.nth_working_day(2026, 3, 1) == D(2026, 3, 2)  # 01/03 is a Sunday


def test_a_month_is_due_on_the_5th_working_day_of_the_next_month():
    assert status.deadline(YEAR, 8) == D(2026, 9, 9)      # after the 2/9 holidays
    assert status.deadline(YEAR, 1, 12) == D(2026, 2, 24)  # after Tết
    assert status.deadline(YEAR, 12) == D(2027, 1, 8)     # 01/01/2027 is a holiday


@pytest.fixture
def unit(db):
    return Unit.create(code="KT", name="UBND xã Kim Tân", place_name="Kim Tân")


@pytest.fixture
def decided(unit):
    c = cat.open_catalogue(account("OFFICER", unit), unit, YEAR)
    cat.add_product(account("OFFICER", unit), c, 1, "Soạn thảo văn bản hành chính", 1, 5, 5)
    return cat.decide(account("CHAIRMAN", unit), c, "12/QĐ-UBND", datetime.date(2026, 1, 5))


@pytest.fixture
def office(unit):
    """A unit with a recorded head, a deputy, a department with its head and clerk, and
    a civil servant of no department (as in test_tracking_people)."""
    head = person(unit, "CT", leader="HEAD")
    deputy = person(unit, "PCT", leader="DEPUTY")
    dept = Department.create(name="Văn phòng – Thống kê", unit=unit)
    chief = person(unit, "VP", leader="NONE")
    clerk = person(unit, "VT")
    clerk.department = dept
    clerk.save()
    loner = person(unit, "TP")
    evaluators.set_head(officer(head), unit, head)
    evaluators.set_head(officer(head), unit, chief, dept)
    return {"head": head, "deputy": deputy, "chief": chief, "clerk": clerk, "loner": loner,
            "dept": dept}


@pytest.fixture
def month_of(unit, decided, office):
    """March for the office: the clerk (evaluated by the department head) submitted,
    the loner (evaluated by the unit head) has work but has not self-scored, the deputy
    had his sheet returned, nobody assigned anything to the chief."""
    o = office
    product = standard(decided)
    for who in ("clerk", "loner", "deputy"):
        row = sheets.assign(officer(o[who]), o[who], YEAR, 3, product, 2)
        sheets.record_result(own_account(o[who]), row, completed=2)
    for who in ("clerk", "deputy"):
        sheet = sheets.sheet_for(o[who], YEAR, 3)
        sheets.self_score(own_account(o[who]), sheet, GENERAL_28)
    sheets.return_sheet(own_account(o["head"]), sheets.sheet_for(o["deputy"], YEAR, 3),
                        "Thiếu minh chứng")
    return o


def states(year=YEAR, today=D(2026, 4, 1), unit_ids=None):
    return {p.staff_id: p for p in status.year_status(year, unit_ids, today)}


def test_each_cell_names_who_must_act(month_of):
    o = month_of
    got = states()
    clerk = got[o["clerk"].id].months[3]
    assert clerk.state == status.NOT_CONFIRMED and clerk.actor == status.EVALUATOR
    assert clerk.text == f"Chờ xác nhận — {o['chief'].full_name}"  # Điều 10.1.c
    loner = got[o["loner"].id].months[3]
    assert loner.state == status.NOT_SELF_SCORED and loner.actor == status.PERSON
    assert loner.text == "Chưa tự chấm — người được đánh giá"
    deputy = got[o["deputy"].id].months[3]
    assert deputy.state == status.RETURNED and deputy.actor == status.PERSON
    assert deputy.reason == "Thiếu minh chứng"
    chief = got[o["chief"].id].months[3]
    assert chief.state == status.NO_ASSIGNMENT
    assert chief.text == f"Chưa giao việc — {o['head'].full_name} giao"
    assert got[o["head"].id].months[3].text.endswith("Cơ quan quản lý giao")  # Điều 10.1.a


def test_a_confirmed_month_is_its_score(month_of):
    o = month_of
    sheet = sheets.sheet_for(o["clerk"], YEAR, 3)
    sheets.evaluate(own_account(o["chief"]), sheet, GENERAL_28)
    sheets.confirm(own_account(o["chief"]), sheet)
    cell = states(today=D(2026, 12, 31))[o["clerk"].id].months[3]
    assert cell.state == status.CONFIRMED and cell.actor is None and not cell.overdue
    assert cell.text == "98,00"  # 2/2 done: task 70; general 28
    row = states()[o["clerk"].id]
    assert row.average is not None and row.level is not None


def test_overdue_after_the_deadline_day_not_on_it(month_of):
    o = month_of
    # March is due on the 5th working day of April 2026: 01–03, 06, 07 → 07/04
    assert states(today=D(2026, 4, 7))[o["loner"].id].months[3].deadline == D(2026, 4, 7)
    assert not states(today=D(2026, 4, 7))[o["loner"].id].months[3].overdue
    late = states(today=D(2026, 4, 8))[o["loner"].id].months[3]
    assert late.overdue and late.overdue_text == "Quá hạn 07/04/2026"
    assert states(today=D(2026, 5, 20))[o["clerk"].id].months[3].overdue


def test_the_unit_sets_its_deadline_working_day(unit, month_of):
    o = month_of
    with pytest.raises(Forbidden):
        status.set_working_day(own_account(o["loner"]), unit, YEAR, 10)
    with pytest.raises(InvalidInput, match="từ 1 đến 20"):
        status.set_working_day(account("OFFICER", unit), unit, YEAR, "21")
    with pytest.raises(InvalidInput, match="«mười»"):
        status.set_working_day(account("OFFICER", unit), unit, YEAR, "mười")
    assert not TrackingSetting.select().exists()
    status.set_working_day(account("OFFICER", unit), unit, YEAR, "10")
    assert status.unit_working_day(unit.id, YEAR) == 10
    # 10th working day of April 2026: 30/04 and 01/05 are holidays but come later
    cell = states(today=D(2026, 4, 8))[o["loner"].id].months[3]
    assert cell.deadline == D(2026, 4, 14) and not cell.overdue
    assert AuditLog.get(AuditLog.action == "tracking.deadline").actor == "officer-kt"


def test_the_query_count_does_not_grow_with_the_people(unit, decided):
    product = standard(decided)

    def queries(n):
        start = Staff.select().count()
        for i in range(start, start + n):
            p = person(unit, f"N{i:03d}")
            row = sheets.assign(officer(p), p, YEAR, 2, product, 1)
            if i % 3 == 0:
                sheets.self_score(own_account(p), sheets.sheet_for(p, YEAR, 2), GENERAL_28)
        with count_queries() as counter:
            got = status.year_status(YEAR, [unit.id], D(2026, 4, 1))
            assert {c.state for p in got for c in (p.months[2],)} >= {
                status.NOT_CONFIRMED, status.NOT_SELF_SCORED}
        assert row is not None
        return counter.count

    few = queries(5)
    many = queries(45)  # 50 people in all
    assert few == many


def test_the_to_do_query_count_does_not_grow_with_the_people(unit, decided):
    product = standard(decided)
    head = person(unit, "CT", leader="HEAD")
    evaluators.set_head(officer(head), unit, head)

    def queries(n):
        start = Staff.select().count()
        for i in range(start, start + n):
            p = person(unit, f"N{i:03d}")
            if i % 2:
                sheets.assign(officer(p), p, YEAR, 3, product, 1)
                sheets.self_score(own_account(p), sheets.sheet_for(p, YEAR, 3), GENERAL_28)
        counts = []
        for who in (own_account(head), account("OFFICER", unit)):
            with count_queries() as counter:
                items = todo.for_account(who, D(2026, 3, 20))
            assert items
            counts.append(counter.count)
        return counts

    assert queries(5) == queries(45)


# --- the to-do ------------------------------------------------------------------------


def kinds(items):
    return [(i.kind, i.month, i.staff_id) for i in items]


def test_the_person_sees_their_own_sheets_to_self_score_and_the_returned_one(month_of):
    o = month_of
    items = todo.for_account(own_account(o["deputy"]), D(2026, 4, 2))
    returned = next(i for i in items if i.kind == todo.RETURNED)
    assert returned.reason == "Thiếu minh chứng" and returned.month == 3
    assert returned.due_text == "hạn 07/04/2026"
    loner = todo.for_account(own_account(o["loner"]), D(2026, 4, 9))
    first = loner[0]
    assert (first.kind, first.month, first.overdue) == (todo.SELF_SCORE, 3, True)
    assert first.text == "Ghi kết quả và tự chấm phiếu tháng 3/2026"
    assert first.due_text == "Quá hạn 07/04/2026"


def test_the_evaluator_sees_sheets_to_confirm_and_people_to_assign(month_of):
    o = month_of
    chief = kinds(todo.for_account(own_account(o["chief"]), D(2026, 3, 20)))
    assert (todo.CONFIRM, 3, o["clerk"].id) in chief
    assert not any(k == todo.CONFIRM and s != o["clerk"].id for k, _, s in chief)
    head = kinds(todo.for_account(own_account(o["head"]), D(2026, 3, 20)))
    assert (todo.ASSIGN, 3, o["chief"].id) in head  # Điều 10.1.b: heads of departments
    assert not any(k == todo.CONFIRM for k, _, _ in head)  # the deputy's is returned
    assert (todo.ASSIGN, 3, o["clerk"].id) not in head


def test_the_officer_sees_how_many_have_no_work(unit, month_of):
    items = todo.for_account(account("OFFICER", unit), D(2026, 3, 20))
    unassigned = next(i for i in items if i.kind == todo.UNASSIGNED)
    assert unassigned.count == 2  # the head and the chief
    assert unassigned.text.startswith("2 người chưa được giao việc tháng 3/2026: ")


def test_in_january_last_decembers_sheets_are_still_due(unit, decided, office):
    loner = office["loner"]
    row = sheets.assign(officer(loner), loner, YEAR, 12, standard(decided), 1)
    sheets.record_result(own_account(loner), row, completed=1)
    items = todo.for_account(own_account(loner), D(2027, 1, 6))
    december = next(i for i in items if i.kind == todo.SELF_SCORE)
    assert (december.year, december.month) == (2026, 12)
    assert december.due_text == "hạn 08/01/2027"  # 01/01/2027 is a holiday
    assert not any(i.year == 2026 and i.month != 12 for i in items)
    later = todo.for_account(own_account(loner), D(2027, 2, 1))
    assert not any(i.year == 2026 for i in later)


def test_the_year_is_due_before_15_december(month_of):
    me = own_account(month_of["loner"])
    assert not any(i.kind == todo.YEAR for i in todo.for_account(me, D(2026, 10, 31)))
    before = next(i for i in todo.for_account(me, D(2026, 12, 14)) if i.kind == todo.YEAR)
    assert not before.overdue and before.due_text == "hạn: trước ngày 15/12/2026"
    on = next(i for i in todo.for_account(me, D(2026, 12, 15)) if i.kind == todo.YEAR)
    assert on.overdue and on.due_text.startswith("đã quá hạn")


def test_evaluatees_are_found_in_a_fixed_number_of_queries(month_of):
    o = month_of
    people = list(Staff.select())
    with count_queries() as counter:
        ids = evaluators.evaluatee_ids(own_account(o["head"]), people, YEAR, 3)
    assert o["chief"].id in ids and o["clerk"].id not in ids
    assert counter.count <= 8
