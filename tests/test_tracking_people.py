"""ND 335 in people's hands: who evaluates whom (Điều 10.1), the evaluator assigns, the
person records results and evidence, reassignment (Điều 18.1.d), why each number is."""
import datetime

import pytest

from accounts import account, own_account
from canbo.errors import Forbidden, InvalidInput, RuleViolation
from canbo.models import AuditLog, Department, Staff, Unit
from canbo.models.tracking import Assignment, Evidence
from canbo.tracking import catalogue as cat
from canbo.tracking import evaluators, sheets
from test_tracking import GENERAL_28, YEAR, person, standard


@pytest.fixture
def unit(db):
    return Unit.create(code="KT", name="UBND xã Kim Tân", place_name="Kim Tân")


@pytest.fixture
def decided(unit):
    c = cat.open_catalogue(account("OFFICER", unit), unit, YEAR)
    cat.add_product(account("OFFICER", unit), c, 1, "Soạn thảo văn bản hành chính", 1, 5, 5)
    return cat.decide(account("CHAIRMAN", unit), c, "12/QĐ-UBND", datetime.date(2026, 1, 5))


def officer(staff):
    return account("OFFICER", staff.unit)


@pytest.fixture
def office(unit):
    """A unit with a recorded head, a department with its head, and three civil servants."""
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


def test_evaluators_default_from_the_structure(office):
    o = office
    got = evaluators.resolve([o["head"], o["deputy"], o["clerk"], o["loner"], o["chief"]],
                             YEAR, 3)
    assert got[o["deputy"].id].staff_id == o["head"].id  # Điều 10.1.b
    assert got[o["loner"].id].staff_id == o["head"].id
    assert got[o["clerk"].id].staff_id == o["chief"].id  # 10.1.c: the department's head
    assert got[o["chief"].id].staff_id == o["head"].id   # 10.1.b: heads of departments
    assert got[o["head"].id].staff_id is None            # 10.1.a: the managing agency
    assert got[o["head"].id].source == evaluators.AGENCY


def test_a_recorded_range_wins_and_ranges_never_overlap(office):
    o = office
    evaluators.set_evaluator(officer(o["clerk"]), o["clerk"], YEAR, o["deputy"],
                             from_month=6, to_month=12)
    assert evaluators.of(o["clerk"], YEAR, 5).staff_id == o["chief"].id
    assert evaluators.of(o["clerk"], YEAR, 6).staff_id == o["deputy"].id
    with pytest.raises(InvalidInput, match="mỗi kỳ chỉ một người đánh giá"):
        evaluators.set_evaluator(officer(o["clerk"]), o["clerk"], YEAR, o["head"],
                                 from_month=3, to_month=7)
    with pytest.raises(InvalidInput, match="không thể là người đánh giá của chính mình"):
        evaluators.set_evaluator(officer(o["clerk"]), o["clerk"], YEAR, o["clerk"])
    with pytest.raises(InvalidInput, match="Đến tháng «13»"):
        evaluators.set_evaluator(officer(o["clerk"]), o["clerk"], YEAR, o["head"], to_month=13)
    assert AuditLog.select().where(AuditLog.action == "evaluator.set").count() == 1


def test_the_department_head_evaluates_their_people_and_nobody_else(office, decided):
    o = office
    chief_account = own_account(o["chief"])
    row = sheets.assign(chief_account, o["clerk"], YEAR, 2, standard(decided), 2)
    assert row.assigned_by == chief_account.username
    with pytest.raises(Forbidden, match="Người đánh giá Nguyễn Văn TP"):
        sheets.assign(chief_account, o["loner"], YEAR, 2, standard(decided), 2)
    sheets.record_result(own_account(o["clerk"]), row, completed=2)
    sheet = sheets.sheet_for(o["clerk"], YEAR, 2)
    sheets.self_score(own_account(o["clerk"]), sheet, GENERAL_28)
    with pytest.raises(Forbidden):
        sheets.evaluate(own_account(o["head"]), sheet, GENERAL_28)
    sheets.evaluate(chief_account, sheet, GENERAL_28)
    sheets.confirm(chief_account, sheet)
    assert sheet.total == 98  # 28 + 100% × 70


def test_the_person_records_results_but_not_reviews(office, decided):
    clerk = office["clerk"]
    row = sheets.assign(officer(clerk), clerk, YEAR, 3, standard(decided), 3,
                        on=datetime.date(2026, 3, 2))
    mine = own_account(clerk)
    sheets.record_result(mine, row, completed=2, completed_on="20/03/2026",
                         evidence="Công văn 45/UBND-VP")
    assert (row.completed, row.completed_on) == (2, datetime.date(2026, 3, 20))
    with pytest.raises(Forbidden, match="ghi lỗi chất lượng"):
        sheets.record_result(mine, row, failed_reviews=1)
    with pytest.raises(InvalidInput, match="trước ngày giao việc 02/03/2026"):
        sheets.record_result(mine, row, completed_on="01/03/2026")
    with pytest.raises(InvalidInput, match="vượt số được giao 3"):
        sheets.record_result(mine, row, completed=4)
    with pytest.raises(InvalidInput, match="số nguyên từ 0"):
        sheets.record_result(mine, row, completed="-1")
    with pytest.raises(Forbidden, match="Chỉ chính Nguyễn Văn VT"):
        sheets.record_result(own_account(office["loner"]), row, completed=1)
    assert Assignment.get_by_id(row.id).completed == 2  # nothing half-written


def test_no_result_after_the_month_is_confirmed(office, decided):
    clerk, chief = office["clerk"], own_account(office["chief"])
    row = sheets.assign(chief, clerk, YEAR, 4, standard(decided), 1)
    sheets.record_result(own_account(clerk), row, completed=1)
    sheet = sheets.sheet_for(clerk, YEAR, 4)
    sheets.self_score(own_account(clerk), sheet, GENERAL_28)
    sheets.evaluate(chief, sheet, GENERAL_28)
    sheets.confirm(chief, sheet)
    with pytest.raises(RuleViolation, match="đã được xác nhận"):
        sheets.record_result(own_account(clerk), row, completed=0)


def test_a_draft_is_not_submitted_and_submitting_needs_every_item(office, decided):
    clerk = office["clerk"]
    sheets.assign(officer(clerk), clerk, YEAR, 5, standard(decided), 1)
    sheet = sheets.sheet_for(clerk, YEAR, 5)
    sheets.self_score(own_account(clerk), sheet, {"I.1": 5}, submit=False)
    assert sheet.status == "OPEN"
    with pytest.raises(InvalidInput, match="còn thiếu I.2"):
        sheets.self_score(own_account(clerk), sheet, {"I.1": 5})
    with pytest.raises(InvalidInput, match="ngoài khoảng 0 – 5,00"):
        sheets.self_score(own_account(clerk), sheet, dict(GENERAL_28, **{"I.1": 6}))
    sheets.self_score(own_account(clerk), sheet, GENERAL_28)
    assert sheet.status == "SELF_SCORED" and sheet.submitted_at is not None


def test_a_returned_sheet_keeps_the_reason_for_the_person(office, decided):
    clerk, chief = office["clerk"], own_account(office["chief"])
    sheets.assign(chief, clerk, YEAR, 6, standard(decided), 1)
    sheet = sheets.sheet_for(clerk, YEAR, 6)
    sheets.self_score(own_account(clerk), sheet, GENERAL_28)
    sheets.return_sheet(chief, sheet, "Thiếu minh chứng công văn")
    assert (sheet.status, sheet.returned_reason) == ("RETURNED", "Thiếu minh chứng công văn")
    sheets.self_score(own_account(clerk), sheet, GENERAL_28)
    assert sheet.status == "SELF_SCORED"


def test_reassigned_units_stay_in_the_total_but_not_in_the_result(office, decided):
    clerk, loner = office["clerk"], office["loner"]
    row = sheets.assign(officer(clerk), clerk, YEAR, 7, standard(decided), 4)
    handed = sheets.reassign(officer(clerk), row, loner, 1, "Ốm đột xuất")
    assert handed.extra and handed.taken_over_from_id == clerk.id
    with pytest.raises(InvalidInput, match="vượt số được giao 3 \\(đã trừ phần giao lại\\)"):
        sheets.record_result(officer(clerk), row, completed=4)
    sheets.record_result(officer(clerk), row, completed=3)
    why = sheets.breakdown(clerk, YEAR, 7)
    a, _, _ = why["abc"]
    assert a == 75  # 3 done of the 4 still counted as assigned (Điều 18.1.d)
    assert "đã giao lại 1 cho người khác" in why["rows"][0][1][0]


def test_a_supplement_product_applies_from_its_date(unit, decided):
    from canbo.models.tracking import CatalogueDecision, Product

    clerk = person(unit, "BS")
    supplement = CatalogueDecision.create(
        catalogue=decided, number="30/QĐ-UBND", decided_on=datetime.date(2026, 6, 20),
        applies_from=datetime.date(2026, 7, 1), decided_by="chutich")
    late = Product.create(catalogue=decided, complexity_group=2, name="Hồ sơ chuyển đổi số",
                          coefficient=2, supplement=supplement)
    with pytest.raises(InvalidInput, match="áp dụng từ 01/07/2026"):
        sheets.assign(officer(clerk), clerk, YEAR, 6, late, 1)
    assert sheets.assign(officer(clerk), clerk, YEAR, 7, late, 1).quantity == 1


def test_a_product_outside_the_job_position_asks_for_confirmation(unit, decided):
    clerk = person(unit, "VTVL")
    clerk.job_position = "Văn phòng – thống kê"
    clerk.save()
    product = standard(decided)
    product.job_position = "Địa chính – xây dựng"
    product.save()
    with pytest.raises(RuleViolation, match="hãy xác nhận nếu vẫn giao"):
        sheets.assign(officer(clerk), clerk, YEAR, 1, product, 1, confirm_position=False)
    assert sheets.assign(officer(clerk), clerk, YEAR, 1, product, 1, confirm_position=True)


def test_one_product_to_many_is_all_or_nothing(office, decided):
    o = office
    people = [o["clerk"], o["loner"], o["deputy"]]
    rows = sheets.assign_many(officer(o["clerk"]), people, YEAR, 8, standard(decided), 2)
    assert len(rows) == 3
    other = Staff.create(unit=Unit.create(code="XB", name="Xã B", place_name="B"),
                         code="B1", full_name="Người xã B", kind="CIVIL_SERVANT")
    before = Assignment.select().count()
    with pytest.raises(Forbidden):
        sheets.assign_many(officer(o["clerk"]), [o["clerk"], other], YEAR, 9,
                           standard(decided), 1)
    assert Assignment.select().count() == before


def test_copying_last_month(office, decided):
    clerk = office["clerk"]
    sheets.assign(officer(clerk), clerk, YEAR, 9, standard(decided), 2)
    sheets.assign(officer(clerk), clerk, YEAR, 9, standard(decided), 1, urgent=True)
    copied = sheets.copy_month(officer(clerk), clerk, YEAR, 9, 10)
    assert [(r.month, r.quantity, r.extra) for r in copied] == [(10, 2, False)]


def test_evidence_files_are_typed_and_bounded(office, decided):
    clerk = office["clerk"]
    row = sheets.assign(officer(clerk), clerk, YEAR, 11, standard(decided), 1)
    saved = sheets.add_evidence(own_account(clerk), row, "bao-cao.pdf", b"%PDF-1.4 ...")
    assert (saved.content_type, saved.size) == ("application/pdf", 12)
    with pytest.raises(InvalidInput, match="chỉ nhận"):
        sheets.add_evidence(own_account(clerk), row, "virus.exe", b"MZ")
    with pytest.raises(InvalidInput, match="tối đa 5 MB"):
        sheets.add_evidence(own_account(clerk), row, "to.pdf",
                            b"x" * (sheets.MAX_EVIDENCE_BYTES + 1))
    with pytest.raises(Forbidden):
        sheets.add_evidence(own_account(office["loner"]), row, "a.pdf", b"%PDF")
    assert Evidence.select().count() == 1


def test_why_each_number_is_what_it_is(office, decided):
    clerk = office["clerk"]
    row = sheets.assign(officer(clerk), clerk, YEAR, 12, standard(decided), 4)
    sheets.record_result(officer(clerk), row, completed=4, failed_reviews=1, delays=2)
    why = sheets.breakdown(clerk, YEAR, 12)
    lines = why["rows"][0][1]
    assert "4,00 − 25% × 1,00 × 1 lần không đạt chất lượng = 3,75" in " ".join(lines)
    assert "4,00 − 25% × 1,00 × 2 lần chậm tiến độ = 3,50" in " ".join(lines)
    assert [round(v, 2) for v in why["abc"]] == [100, 93.75, 87.5]
    assert "c = 3,50 ÷ 4,00 × 100 = 87,50%" in why["totals"][1]


def test_a_past_month_entered_late_is_assigned_on_its_first_day(office, decided):
    """Entered in December for March, the work counts as assigned on 1 March, so that
    March's completion dates are accepted; the current month keeps today."""
    today = datetime.date(2026, 12, 2)
    assert sheets.assigned_on_default(2026, 3, today) == datetime.date(2026, 3, 1)
    assert sheets.assigned_on_default(2026, 12, today) == today
    assert sheets.assigned_on_default(2027, 1, today) == today
    clerk = office["clerk"]
    with pytest.raises(InvalidInput, match="Ngày giao việc 05/04/2026 sau tháng 3/2026"):
        sheets.assign(officer(clerk), clerk, YEAR, 3, standard(decided), 1, on="5/4/2026")
    with pytest.raises(InvalidInput, match="Ngày giao việc"):
        sheets.assign(officer(clerk), clerk, YEAR, 3, standard(decided), 1, on="hôm qua")
