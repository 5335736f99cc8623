"""Many people through one step at once (``canbo.rating.bulk``), the self-assessment
sheet (``spreadsheets.self_assessment``), and the late joiners of a cycle."""
import datetime
import io
import json

import openpyxl
import pytest

import test_workflow as tw
from canbo.errors import Forbidden, InvalidInput, RuleViolation
from canbo.models import AuditLog, Rating, Staff
from canbo.models.cycle import Cycle
from canbo.rating import bulk, guards
from canbo.rating import workflow as wf
from canbo.spreadsheets import self_assessment as sheet
from test_workflow import add_people, prepare, rating_of

# the fixtures of test_workflow: a commune with one person, and an account per role
unit, actors = tw.unit, tw.actors

D = datetime.date


def rows(*items):
    """Sheet rows numbered from 2 (row 1 is the header): ``(code, level, text)``."""
    return [{"row": n, "code": c, "self_level": lv, "text": t}
            for n, (c, lv, t) in enumerate(items, 2)]


def statuses(cycle):
    return {r.staff.code: r.status for r in guards.cycle_ratings(cycle)}


# --- the self-assessment sheet -------------------------------------------------------------


def test_a_sheet_records_every_self_assessment_at_once(actors, unit):
    add_people(unit, 2, prefix="G")
    cycle = wf.open_cycle(actors["OFFICER"], unit, 2024)
    done = bulk.self_assess_rows(actors["OFFICER"], cycle, rows(
        ("G00", "Hoàn thành tốt nhiệm vụ", "Hoàn thành đủ việc"),
        ("g01", "HTXSNV", "Vượt tiến độ"),
        ("S00", "htnv", None)))
    assert len(done.ratings) == 3
    assert statuses(cycle) == {"G00": "SELF_ASSESSED", "G01": "SELF_ASSESSED",
                               "S00": "SELF_ASSESSED"}
    g01 = rating_of(Staff.get(Staff.code == "G01"), 2024)
    assert g01.self_level == "HTXSNV"
    assert g01.evaluations.get().criteria_texts == {"II": "Vượt tiến độ"}  # ND 90's section II
    assert AuditLog.select().where(AuditLog.action == "rating.self_assess").count() == 3


def test_a_sheet_with_one_bad_row_writes_nothing_and_names_every_row(actors, unit):
    add_people(unit, 2, prefix="G")
    cycle = wf.open_cycle(actors["OFFICER"], unit, 2024)
    with pytest.raises(RuleViolation) as err:
        bulk.self_assess_rows(actors["OFFICER"], cycle, rows(
            ("G00", "HTTNV", "Tốt"),
            ("X99", "HTTNV", None),
            ("G01", None, "Quên tự xếp loại"),
            ("S00", "Xuất sắc lắm", None),
            ("G00", "HTNV", None),
            (None, "HTTNV", None)))
    message = err.value.message
    assert "Chưa ghi gì" in message
    assert "Dòng 3, cột «Mã cán bộ»: mã «X99» không có trong kỳ đánh giá năm 2024" in message
    assert "Dòng 4 (Người G 01), cột «Tự xếp loại»: chưa chọn mức tự xếp loại" in message
    assert "Dòng 5 (Người S 00), cột «Tự xếp loại»: Giá trị «Xuất sắc lắm» không hợp lệ" in message
    assert "Dòng 6, cột «Mã cán bộ»: mã «G00» đã có ở dòng 2" in message
    assert "Dòng 7, cột «Mã cán bộ»: chưa ghi mã" in message
    assert set(statuses(cycle).values()) == {"OPEN"}
    assert not AuditLog.select().where(AuditLog.action == "rating.self_assess").exists()


def test_a_sheet_refuses_a_person_past_the_self_assessment(actors, unit):
    cycle = wf.open_cycle(actors["OFFICER"], unit, 2024)
    prepare(actors["OFFICER"], cycle, {"S00": "HTTNV"})
    with pytest.raises(RuleViolation, match="Dòng 2 .*đang «Đã đề xuất»"):
        bulk.self_assess_rows(actors["OFFICER"], cycle, rows(("S00", "HTTNV", None)))


def test_only_the_selected_rows_of_a_sheet_are_written(actors, unit):
    add_people(unit, 2, prefix="G")
    cycle = wf.open_cycle(actors["OFFICER"], unit, 2024)
    chosen = rating_of(Staff.get(Staff.code == "G01"), 2024).id
    done = bulk.self_assess_rows(actors["OFFICER"], cycle, rows(
        ("G00", "HTTNV", None), ("G01", "HTTNV", None)), rating_ids=[chosen])
    assert [r.staff.code for r in done.ratings] == ["G01"] and done.skipped == ["G00"]
    assert statuses(cycle)["G00"] == "OPEN"


def test_the_template_lists_the_cycles_people_and_reads_back(actors, unit):
    add_people(unit, 2, prefix="G")
    cycle = wf.open_cycle(actors["OFFICER"], unit, 2024)
    data = sheet.template("Kỳ đánh giá năm 2024", bulk.template_people(cycle))
    book = openpyxl.load_workbook(io.BytesIO(data))
    ws = book[sheet.SHEET]
    assert [c.value for c in ws[1]] == ["Mã cán bộ", "Họ và tên", "Tự xếp loại", "Tự đánh giá"]
    assert [r[0] for r in ws.iter_rows(min_row=2, values_only=True)] == ["G00", "G01", "S00"]
    assert "Hoàn thành tốt nhiệm vụ" in ws.data_validations.dataValidation[0].formula1
    ws["C2"], ws["D2"] = "Hoàn thành tốt nhiệm vụ", "Chấp hành tốt"
    ws["C4"], ws["A5"], ws["C5"] = "HTNV", None, "HTTNV"
    out = io.BytesIO()
    book.save(out)
    read = sheet.read_rows(out.getvalue(), "tu-danh-gia.xlsx")
    assert [(r["row"], r.get("code"), r["self_level"]) for r in read] == [
        (2, "G00", "Hoàn thành tốt nhiệm vụ"), (4, "S00", "HTNV"), (5, None, "HTTNV")]
    with pytest.raises(RuleViolation, match="Dòng 5, cột «Mã cán bộ»: chưa ghi mã"):
        bulk.self_assess_rows(actors["OFFICER"], cycle, read)
    done = bulk.self_assess_rows(actors["OFFICER"], cycle, read[:2])  # G01 left as it was
    assert statuses(cycle) == {"G00": "SELF_ASSESSED", "G01": "OPEN", "S00": "SELF_ASSESSED"}
    assert len(done.ratings) == 2


def test_a_file_without_the_code_column_is_refused(db):
    book = openpyxl.Workbook()
    book.active.append(["Họ tên", "Mức"])
    out = io.BytesIO()
    book.save(out)
    with pytest.raises(InvalidInput, match="không có cột «Mã cán bộ»"):
        sheet.read_rows(out.getvalue(), "x.xlsx")


# --- proposing many --------------------------------------------------------------------------


def _self_assessed(actors, unit, year, n=3):
    add_people(unit, n, prefix="G")
    cycle = wf.open_cycle(actors["OFFICER"], unit, year)
    bulk.self_assess_rows(actors["OFFICER"], cycle, rows(
        *[(r.staff.code, "HTTNV", None) for r in guards.cycle_ratings(cycle)]))
    return cycle, {r.staff.code: r.id for r in guards.cycle_ratings(cycle)}


def test_the_officer_proposes_the_selected_with_the_meetings_comments(actors, unit):
    cycle, ids = _self_assessed(actors, unit, 2024)
    done = bulk.propose_many(actors["OFFICER"], cycle,
                             {ids["G00"]: "HTXSNV", ids["G01"]: "HTTNV"},
                             comments="Nhất trí", meeting_on=D(2024, 12, 2))
    assert [r.staff.code for r in done.ratings] == ["G00", "G01"]
    assert statuses(cycle) == {"G00": "PROPOSED", "G01": "PROPOSED", "G02": "SELF_ASSESSED",
                               "S00": "SELF_ASSESSED"}
    g00 = Rating.get_by_id(ids["G00"])
    assert g00.level == "HTXSNV"
    assert g00.evaluations.get().meeting_comments == "Nhất trí"
    assert g00.evaluations.get().meeting_on == D(2024, 12, 2)


def test_a_bulk_proposal_with_one_refusal_writes_nothing(actors, unit):
    cycle, ids = _self_assessed(actors, unit, 2024)
    with pytest.raises(RuleViolation) as err:
        bulk.propose_many(actors["OFFICER"], cycle, {
            ids["G00"]: "HTTNV", ids["G01"]: "", ids["G02"]: bulk.BY_POINTS,
            ids["S00"]: "HTX"}, comments="Nhất trí")
    message = err.value.message
    assert "Người G 01 (G01), cột «Mức đề xuất»: chưa chọn mức xếp loại" in message
    assert "Người G 02 (G02), cột «Mức đề xuất»: NĐ 90/2020 + NĐ 48/2023 không xếp loại " \
           "theo điểm" in message
    assert "Người S 00 (S00), cột «Mức đề xuất»: Giá trị «HTX» không hợp lệ" in message
    assert set(statuses(cycle).values()) == {"SELF_ASSESSED"}
    with pytest.raises(RuleViolation, match="chưa có ý kiến tại cuộc họp đơn vị"):
        bulk.propose_many(actors["OFFICER"], cycle, {ids["G00"]: "HTTNV"})
    assert Rating.get_by_id(ids["G00"]).status == "SELF_ASSESSED"


def test_an_nd335_rating_is_proposed_by_its_points(actors, unit):
    cycle, ids = _self_assessed(actors, unit, 2026, n=1)
    for code, points in (("G00", 91), ("S00", 75)):
        Rating.update(points=points).where(Rating.id == ids[code]).execute()
    bulk.propose_many(actors["OFFICER"], cycle, {i: bulk.BY_POINTS for i in ids.values()},
                      comments="Nhất trí")
    assert Rating.get_by_id(ids["G00"]).level == "HTXSNV"
    assert Rating.get_by_id(ids["S00"]).level == "HTTNV"


@pytest.mark.parametrize("role", ["CHAIRMAN", "VIEWER", "STAFF", "OTHER_OFFICER"])
def test_only_the_units_officer_takes_many_through_a_step(actors, unit, role):
    cycle, ids = _self_assessed(actors, unit, 2024, n=1)
    with pytest.raises(Forbidden):
        bulk.propose_many(actors[role], cycle, {ids["S00"]: "HTTNV"}, comments="x")
    with pytest.raises(Forbidden):
        bulk.self_assess_rows(actors[role], cycle, rows(("S00", "HTTNV", None)))
    assert Rating.get_by_id(ids["S00"]).status == "SELF_ASSESSED"


def test_a_bulk_approval_names_every_selected_it_cannot_approve(actors, unit):
    cycle, ids = _self_assessed(actors, unit, 2024, n=2)
    bulk.propose_many(actors["OFFICER"], cycle, {ids["G00"]: "HTTNV"}, comments="x")
    with pytest.raises(RuleViolation) as err:
        wf.approve(actors["CHAIRMAN"], cycle, list(ids.values()))
    assert "Không thể phê duyệt 2 bản ghi đã chọn" in err.value.message
    assert "Người G 01 (G01)" in err.value.message and "Người S 00 (S00)" in err.value.message
    assert Rating.get_by_id(ids["G00"]).status == "PROPOSED"


# --- late joiners ---------------------------------------------------------------------------


def test_people_who_join_after_opening_are_added_with_their_eligibility(actors, unit):
    cycle = wf.open_cycle(actors["OFFICER"], unit, 2024, today=D(2024, 11, 1))
    assert wf.newcomers(cycle, D(2024, 11, 2)) == []
    late = add_people(unit, 1, prefix="NEW", joined=D(2024, 10, 1))[0]
    moved = add_people(unit, 1, prefix="MOV", joined=D(2015, 1, 1), kind="PUBLIC_EMPLOYEE")[0]
    add_people(unit, 1, prefix="PT", kind="PART_TIME")  # not rated under the decrees
    assert {p.code for p in wf.newcomers(cycle, D(2024, 11, 2))} == {"NEW00", "MOV00"}
    with pytest.raises(Forbidden):
        wf.add_newcomers(actors["CHAIRMAN"], cycle, D(2024, 11, 2))
    added = wf.add_newcomers(actors["OFFICER"], cycle, D(2024, 11, 2))
    assert sorted(r.staff.code for r in added) == ["MOV00", "NEW00"]
    assert rating_of(late, 2024).status == "NOT_ELIGIBLE"
    assert "dưới 6 tháng" in rating_of(late, 2024).not_eligible_reason
    assert rating_of(moved, 2024).status == "OPEN"
    group = rating_of(moved, 2024).evaluations.get().task_group
    assert group.name == "Viên chức" and group.cycle_id == cycle.id
    entry = AuditLog.get(AuditLog.action == "cycle.add_people")
    assert json.loads(entry.changes)["added"] == ["MOV00", "NEW00"]
    assert wf.add_newcomers(actors["OFFICER"], cycle, D(2024, 11, 2)) == []


def test_nobody_joins_a_published_cycle(actors, unit):
    cycle = wf.open_cycle(actors["OFFICER"], unit, 2024)
    prepare(actors["OFFICER"], cycle, {"S00": "HTTNV"})
    wf.approve(actors["CHAIRMAN"], cycle)
    wf.publish(actors["CHAIRMAN"], cycle, D(2024, 12, 10))
    add_people(unit, 1, prefix="NEW", joined=D(2024, 1, 2))
    with pytest.raises(RuleViolation, match="đã công bố"):
        wf.add_newcomers(actors["OFFICER"], Cycle.get_by_id(cycle.id))


# --- the form's rules ---------------------------------------------------------------------


def test_only_leaders_write_the_leaders_criteria(actors, unit):
    head = add_people(unit, 1, prefix="H", leader_role="DEPUTY")[0]
    wf.open_cycle(actors["OFFICER"], unit, 2024)
    with pytest.raises(InvalidInput, match="Tiêu chí 7 không có trên phiếu của Người S 00"):
        wf.self_assess(actors["OFFICER"], rating_of(actors["person"], 2024),
                       {"7": "Đơn vị hoàn thành"}, "HTTNV")
    wf.self_assess(actors["OFFICER"], rating_of(head, 2024), {"7": "Đơn vị hoàn thành"},
                   "HTTNV")
    assert rating_of(head, 2024).status == "SELF_ASSESSED"


@pytest.mark.parametrize("level", [None, "", "  "])
def test_a_self_rating_must_be_chosen(actors, unit, level):
    wf.open_cycle(actors["OFFICER"], unit, 2024)
    with pytest.raises(InvalidInput, match="Cần chọn mức tự xếp loại"):
        wf.self_assess(actors["OFFICER"], rating_of(actors["person"], 2024), {}, level)
    assert rating_of(actors["person"], 2024).status == "OPEN"


def test_reopening_clears_the_old_notice_date(actors, unit):
    cycle = wf.open_cycle(actors["OFFICER"], unit, 2024)
    prepare(actors["OFFICER"], cycle, {"S00": "HTTNV"})
    wf.approve(actors["CHAIRMAN"], cycle)
    wf.publish(actors["CHAIRMAN"], cycle, D(2024, 12, 10))
    wf.reopen(actors["CHAIRMAN"], Cycle.get_by_id(cycle.id), "Kiến nghị có cơ sở")
    assert Cycle.get_by_id(cycle.id).notice_date is None
    changes = json.loads(AuditLog.get(AuditLog.action == "cycle.reopen").changes)
    assert changes["notice_date"] == ["2024-12-10", None]
