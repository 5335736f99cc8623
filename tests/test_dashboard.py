import datetime
import decimal
import types

import pytest
from playhouse.test_utils import count_queries

from canbo.levels import RatingStatus
from canbo.models import Qualification, Rating, Staff, Unit
from canbo.records import units
from canbo.rules import yearly as rules
from canbo.rules.rulesets import rule_set_for
from canbo.stats import dashboard

D = datetime.date

# Demo commune in post after mid-2023: 10 cadres (KT01–KT11 but KT04), 8 civil servants
# (KT12–KT20 but KT19); in 2026 a ninth, KT22, transferred in on 01/07/2026 (demo_2026),
# so 19 are in post in 2026.
CADRES = ["KT01", "KT02", "KT03", "KT05", "KT06", "KT07", "KT08", "KT09", "KT10", "KT11"]
CIVIL = ["KT12", "KT13", "KT14", "KT15", "KT16", "KT17", "KT18", "KT20"]


def rate(unit, year, levels, status="APPROVED", reason=None):
    """``levels``: {staff code: level or None}; every rating gets ``status``."""
    for code, level in levels.items():
        staff = Staff.get(Staff.unit == unit, Staff.code == code)
        Rating.create(staff=staff, unit=unit, year=year, rule_set=rule_set_for(year, staff.kind),
                      level=level, self_level=level, status=status,
                      not_eligible_reason=reason)


def kimtan():
    return units.find_unit("KIMTAN")


def warning(board, code):
    found = [w for w in board.warnings if w.code == code]
    return found[0] if found else None


def test_the_kim_tan_years_show_their_figures(demo_db):
    board = dashboard.dashboard(kimtan(), 2022, today=D(2023, 7, 7))
    assert [(r.code, r.count) for r in board.progress.rows()] == [
        ("NOT_STARTED", 0), ("SELF_ASSESSED", 0), ("PROPOSED", 0), ("APPROVED", 20),
        ("PUBLISHED", 0)]
    assert board.progress.percent_done == 100.0
    assert [(h.year, [r.count for r in h.rows]) for h in board.history] == [
        (2021, [16, 4, 0, 0]), (2022, [14, 5, 1, 0])]
    assert board.qualifications.total == 18
    assert board.units == [] and not board.with_subunits
    # ND 90 as first issued had no quota: meters without a limit, no quota warning
    assert {q.label: (q.excellent, q.good, q.limit) for q in board.quotas} == {
        "Cán bộ": (10, 1, None), "Công chức": (4, 4, None)}
    assert warning(board, "quota_exceeded") is None


@pytest.mark.parametrize("today,severity,words", [
    (D(2026, 11, 30), None, None),
    (D(2026, 12, 1), "warning",
     "Còn 14 ngày đến hạn (trước ngày 15/12/2026): 19 người chưa được phê duyệt"),
    (D(2026, 12, 14), "warning", "Còn 1 ngày đến hạn (trước ngày 15/12/2026)"),
    # ND 335/2025 Điều 19.2: "trước ngày 15 tháng 12" — on the 15th it is late
    (D(2026, 12, 15), "danger",
     "Đã quá hạn (xếp loại trước ngày 15/12/2026) mà còn 19 người chưa được phê duyệt"),
])
def test_the_15_december_deadline_is_warned_about_as_it_nears(demo_db, today, severity, words):
    board = dashboard.dashboard(kimtan(), 2026, today=today)
    found = warning(board, "deadline")
    assert board.progress.counts == {"NOT_STARTED": 19}
    if severity is None:
        assert found is None
    else:
        assert found.severity == severity and words in found.message


def test_a_finished_cycle_is_not_warned_about(demo_db):
    board = dashboard.dashboard(kimtan(), 2022, today=D(2023, 1, 10))
    assert warning(board, "deadline") is None


@pytest.mark.parametrize("status,stage", [
    ("OPEN", "NOT_STARTED"), ("SELF_ASSESSED", "SELF_ASSESSED"), ("COMMENTED", "SELF_ASSESSED"),
    ("RETURNED", "SELF_ASSESSED"), ("PROPOSED", "PROPOSED"), ("APPROVED", "APPROVED"),
    ("PUBLISHED", "PUBLISHED"),
])
def test_each_status_counts_in_its_stage(demo_db, status, stage):
    rate(kimtan(), 2026, {"KT12": "HTTNV", "KT13": "HTTNV"}, status=status)
    board = dashboard.dashboard(kimtan(), 2026, today=D(2026, 11, 1))
    expected = {stage: 2}
    expected["NOT_STARTED"] = expected.get("NOT_STARTED", 0) + 17
    assert board.progress.counts == expected
    assert board.progress.total == 19


def test_quota_exceeded_is_shown_per_task_group_with_the_numbers(demo_db):
    # 2024 is under ND 90 + ND 48: at most floor(20% of HTTNV) excellent per group
    civil = dict(zip(CIVIL, ["HTXSNV"] * 2 + ["HTTNV"] * 6))
    cadres = dict(zip(CADRES, ["HTXSNV"] + ["HTTNV"] * 9))
    rate(kimtan(), 2024, {**civil, **cadres}, status="PROPOSED")
    board = dashboard.dashboard(kimtan(), 2024, today=D(2024, 12, 1))
    meters = {q.label: q for q in board.quotas}
    assert list(meters) == ["Cán bộ", "Công chức"]
    assert (meters["Công chức"].excellent, meters["Công chức"].limit) == (2, 1)
    assert meters["Công chức"].exceeded and meters["Công chức"].units_over == ["KIMTAN"]
    assert (meters["Cán bộ"].excellent, meters["Cán bộ"].limit) == (1, 1)
    assert not meters["Cán bộ"].exceeded
    found = warning(board, "quota_exceeded")
    assert found.severity == "danger"
    assert found.message.startswith('Vượt tỷ lệ "Hoàn thành xuất sắc nhiệm vụ" (Công chức): ')
    assert "6 người HTTNV × 20% = 1,2 → tối đa 1 người HTXSNV" in found.message


@pytest.mark.parametrize("good,excellent,over", [(5, 1, False), (4, 1, True), (10, 2, False),
                                                 (9, 2, True), (0, 0, False)])
def test_the_quota_is_the_floor_of_20_percent_of_the_good(good, excellent, over):
    # the ratio the dashboard's meters use, floored as the approval check floors it
    limit = rules.quota_allowed(good, dashboard.quota_ratio("ND90_ND48_2023"))
    assert (excellent > limit) is over


@pytest.mark.parametrize("rule_set", ["ND56_2015", "ND90_2020"])
def test_no_quota_before_nd_48(rule_set):
    assert dashboard.quota_ratio(rule_set) is None


def test_people_not_eligible_are_listed_with_the_reason(demo_db):
    rate(kimtan(), 2026, {"KT13": None}, status="NOT_ELIGIBLE",
         reason="Làm việc dưới 6 tháng")
    board = dashboard.dashboard(kimtan(), 2026, today=D(2026, 11, 1))
    found = warning(board, "not_eligible")
    assert "1 người không thực hiện đánh giá, xếp loại năm 2026" in found.message
    assert found.names == ["Nguyễn Thị Ngọc Ánh (Làm việc dưới 6 tháng)"]
    assert board.progress.not_eligible == 1 and board.progress.total == 18


def test_records_without_an_education_level_are_warned_about(demo_db):
    Staff(unit=kimtan(), code="KT21", full_name="Tạ Văn Mới", kind="CIVIL_SERVANT",
          joined_on=D(2026, 1, 5)).save()
    board = dashboard.dashboard(kimtan(), 2026, today=D(2026, 11, 1))
    found = warning(board, "missing_levels")
    assert found.names == ["Tạ Văn Mới (KT21)"]
    assert "1 hồ sơ chưa có trình độ chuyên môn" in found.message


def test_a_unit_with_nothing_yet_shows_empty_figures(db):
    unit = Unit.create(code="MOI", name="UBND xã Mới", place_name="Mới")
    board = dashboard.dashboard(unit, 2026, today=D(2026, 3, 1))
    assert board.progress.total == 0 and board.history == [] and board.qualifications is None
    assert board.warnings == []


# --- a province -----------------------------------------------------------------------


def province(n_units):
    """A province of ``n_units`` communes, each with 5 people rated in 2024."""
    top = Unit.create(code="TINH", name="UBND tỉnh Mẫu", place_name="Mẫu")
    for i in range(n_units):
        unit = Unit.create(code=f"X{i:02d}", name=f"UBND xã {i}", place_name=f"Xã {i}",
                           parent=top)
        for j in range(5):
            staff = Staff(unit=unit, code=f"P{j}", full_name=f"Người {i} {j}",
                          kind="CIVIL_SERVANT", joined_on=D(2015, 1, 1))
            staff.save()
            Qualification(staff=staff, kind="EDUCATION", level="DH",
                          awarded_on=D(2010, 1, 1)).save()
            # commune i: i excellent (capped at 5), the rest good; X00 still proposing
            level = "HTXSNV" if j < i else "HTTNV"
            Rating.create(staff=staff, unit=unit, year=2024, rule_set="ND90_ND48_2023",
                          level=level, self_level=level,
                          status="PROPOSED" if i == 0 else "APPROVED")
    return top


def test_a_province_rolls_up_its_communes_and_tables_them(db):
    top = province(3)
    board = dashboard.dashboard(top, 2024, today=D(2024, 12, 1))
    assert board.with_subunits
    assert board.progress.counts == {"PROPOSED": 5, "APPROVED": 10}
    assert board.qualifications.total == 15
    rows = {r.code: r for r in board.units}
    assert set(rows) == {"X00", "X01", "X02"}
    assert (rows["X02"].excellent, rows["X02"].final, rows["X02"].excellent_share) == (2, 5, 40.0)
    assert rows["X00"].progress.percent_done == 0.0 and rows["X01"].progress.percent_done == 100.0
    # 1 excellent of 4 good: floor(0,8) = 0 allowed; 2 of 3: also over
    assert (rows["X00"].violations, rows["X01"].violations, rows["X02"].violations) == (0, 1, 1)
    meter = board.quotas[0]
    assert meter.units_over == ["X01", "X02"] and meter.excellent == 3
    assert warning(board, "quota_exceeded").message == (
        'Vượt tỷ lệ "Hoàn thành xuất sắc nhiệm vụ" (Công chức) tại 2 đơn vị: X01, X02. '
        "Cộng 3 đơn vị: 3 người HTXSNV, tối đa 1 (tính riêng từng đơn vị: 20% số người "
        "HTTNV, làm tròn xuống).")


@pytest.mark.parametrize("key,order", [
    ("excellent", ["X02", "X01", "X00"]),
    ("progress", ["X01", "X02", "X00"]),
    ("violations", ["X01", "X02", "X00"]),
    ("code", ["X00", "X01", "X02"]),
    ("nonsense", ["X02", "X01", "X00"]),
])
def test_the_table_of_units_sorts(db, key, order):
    board = dashboard.dashboard(province(3), 2024, today=D(2024, 12, 1))
    assert [r.code for r in dashboard.sort_units(board.units, key)] == order


def test_queries_do_not_grow_with_the_number_of_units(db):
    small = province(2)
    with count_queries() as few:
        dashboard.dashboard(small, 2024, today=D(2024, 12, 1))
    many = Unit.create(code="TINH2", name="UBND tỉnh Hai", place_name="Hai")
    for i in range(6):
        Unit.create(code=f"Y{i}", name=f"UBND xã Y{i}", place_name="Y", parent=many)
    for staff in Staff.select():
        Staff.update(unit=Unit.get(Unit.code == f"Y{staff.id % 6}")).where(
            Staff.id == staff.id).execute()
    Rating.update(unit=Staff.select(Staff.unit).where(Staff.id == Rating.staff)).execute()
    with count_queries() as more:
        board = dashboard.dashboard(many, 2024, today=D(2024, 12, 1))
    assert len(board.units) == 6
    assert more.count == few.count


# --- with the workflow's cycle ----------------------------------------------------------

ADMIN = types.SimpleNamespace(role="ADMIN", unit_id=None, username="admin", active=True,
                              staff_id=None)


def open_2026():
    from canbo.rating import workflow

    unit = kimtan()
    Staff(unit=unit, code="KT30", full_name="Lò Văn Hợp", kind="CONTRACT",
          joined_on=D(2020, 1, 1)).save()  # not rated under the decrees
    return workflow.open_cycle(ADMIN, unit, 2026, today=D(2026, 11, 1))


def set_levels(year, levels):
    for code, level in levels.items():
        Rating.update(level=level, status="PROPOSED").where(
            (Rating.year == year)
            & (Rating.staff == Staff.get(Staff.unit == kimtan(), Staff.code == code))).execute()


def test_an_opened_cycle_counts_only_the_people_rated_under_the_decrees(demo_db):
    open_2026()
    board = dashboard.dashboard(kimtan(), 2026, today=D(2026, 11, 1))
    assert board.progress.counts == {"NOT_STARTED": 19}
    assert [q.label for q in board.quotas] == ["Cán bộ", "Công chức"]


def test_the_quota_is_counted_in_the_task_group_on_the_evaluation(demo_db):
    from canbo.models.cycle import Evaluation, TaskGroup

    cycle = open_2026()
    office = TaskGroup.create(cycle=cycle, name="Văn phòng", position=5)
    pair = [Rating.get((Rating.year == 2026) & (Rating.staff == Staff.get(Staff.code == c)))
            for c in ("KT13", "KT14")]
    Evaluation.update(task_group=office).where(Evaluation.rating.in_(pair)).execute()
    set_levels(2026, {"KT13": "HTXSNV", "KT14": "HTTNV"})
    board = dashboard.dashboard(kimtan(), 2026, today=D(2026, 11, 1))
    office_meter = [q for q in board.quotas if q.label == "Văn phòng"][0]
    assert (office_meter.excellent, office_meter.good, office_meter.limit) == (1, 1, 0)
    assert office_meter.units_over == ["KIMTAN"]
    assert [q.label for q in board.quotas][-1] == "Văn phòng"


def test_a_cycles_exception_ratio_raises_the_cap_within_its_ceiling(demo_db):
    cycle = open_2026()
    set_levels(2026, dict(zip(CADRES, ["HTXSNV"] * 2 + ["HTTNV"] * 8)))
    board = dashboard.dashboard(kimtan(), 2026, today=D(2026, 11, 1))
    cadres = board.quotas[0]
    assert (cadres.excellent, cadres.limit, cadres.exceeded) == (2, 1, True)
    assert "8 người HTTNV × 20% = 1,6 → tối đa 1 người HTXSNV" in cadres.explanation()
    cycle.exception_ratio = decimal.Decimal("0.25")
    cycle.save()
    cadres = dashboard.dashboard(kimtan(), 2026, today=D(2026, 11, 1)).quotas[0]
    assert (cadres.limit, cadres.exceeded) == (2, False)


def test_the_cycles_own_deadline_is_the_one_warned_about(demo_db):
    cycle = open_2026()
    cycle.deadline = D(2027, 1, 15)  # a unit with a special cycle (REFERENCE.md §6)
    cycle.save()
    board = dashboard.dashboard(kimtan(), 2026, today=D(2026, 12, 20))
    assert board.deadline == D(2027, 1, 15)
    assert warning(board, "deadline") is None


def test_final_ratings_without_a_level_are_warned_about(demo_db):
    rate(kimtan(), 2025, {"KT12": None, "KT13": None}, status="APPROVED")
    board = dashboard.dashboard(kimtan(), 2025, today=D(2025, 11, 1))
    messages = [w.message for w in board.warnings if w.code == "missing_levels"]
    assert messages == ["2 kết quả năm 2025 đã phê duyệt hoặc công bố nhưng chưa ghi mức "
                        "xếp loại."]


# --- the home page's progress (status_progress) -------------------------------------------


def test_status_progress_falls_back_to_the_latest_year_with_ratings(demo_db):
    progress = dashboard.status_progress(None, today=datetime.date(2026, 11, 27))
    assert progress.year == 2022
    rows = progress.rows()
    assert [code for code, _, _ in rows] == [s.code for s in RatingStatus]  # workflow order
    assert dict((code, n) for code, _, n in rows)["APPROVED"] == 20
    assert progress.rated == 20 and progress.statuses_in_use == 1
    assert progress.in_post == 19  # on 27/11/2026, KT22 too


def test_status_progress_counts_only_the_units_given(demo_db):
    kimtan = units.find_unit("KIMTAN")
    other = Unit.create(code="XB", name="UBND xã Bình Minh", place_name="Bình Minh")
    person = Staff.create(unit=other, code="B01", full_name="Trần Văn Bình",
                          kind="CIVIL_SERVANT")
    Rating.create(staff=person, unit=other, year=2026, rule_set="ND335_2025", status="OPEN")
    mine = dashboard.status_progress([kimtan.id], today=datetime.date(2026, 11, 27))
    assert (mine.year, mine.rated, mine.in_post) == (2022, 20, 19)
    theirs = dashboard.status_progress([other.id], today=datetime.date(2026, 11, 27))
    assert (theirs.year, theirs.counts, theirs.in_post) == (2026, {"OPEN": 1}, 1)
