"""Hòa Bình, a commune of its own for the tests of the ND 335 review's papers (Điều 21–24):
its 2026 cycle built straight into the tables, so the tests do not depend on the demo's
2026 data (tests/test_documents_nd335.py, tests/browser/test_review_papers.py)."""
import datetime
import json
from decimal import Decimal

from accounts import account
from canbo.models import Rating, Staff, Title, Unit, User
from canbo.models.cycle import Cycle, Evaluation, Objection
from canbo.models.tracking import Assignment, Sheet
from canbo.tracking import catalogue as cat

YEAR = 2026
MEETING = datetime.date(2026, 12, 8)
NOTICE = datetime.date(2026, 12, 11)


def _staff(unit, code, name, title, kind="CIVIL_SERVANT", **more):
    person = Staff(unit=unit, code=code, full_name=name, kind=kind,
                   title=Title.get(Title.name == title), **more)
    person.save()
    return person


def _track(officer, staff, generals):
    """Confirmed months straight into the tables: every product done on time, so a month
    scores its general points + 70 (as tests/test_documents.py's ``track_year``)."""
    catalogue = cat.open_catalogue(officer, staff.unit, YEAR)
    product = catalogue.products.first() or cat.add_product(officer, catalogue, 1, "Văn bản",
                                                            "1")
    for month, general in generals.items():
        Assignment.create(staff=staff, year=YEAR, month=month, product=product,
                          coefficient=product.coefficient, quantity=2, completed=2)
        Sheet.create(staff=staff, unit=staff.unit, year=YEAR, month=month,
                     rule_set="ND335_2025", status="CONFIRMED", general=general,
                     strengths=f"Tháng {month}: xong việc đúng hạn")


def build_commune():
    """Hòa Bình's 2026 cycle, published on 11/12/2026 after the meeting of 08/12/2026:

    - An (HB01) tracked all year, months 81 … 92, average 86,50 → HTTNV, with her
      self-assessment, the meeting's comments, the Party committee's opinion and an
      answered kiến nghị;
    - Bảo (HB02) with stored points 91,25 → HTXSNV;
    - Cúc (HB03) not rated (under six months of work);
    - Đức (HB04) left on 01/10/2026 before being rated, so not at the meeting;
    - Em (HB05), a part-timer, not one of the civil servants the meeting gathers;
    - the chairman Lê Văn Chính (CT01), whose account decided.
    """
    province = Unit.create(code="HY", name="UBND tỉnh Hưng Yên", place_name="Hưng Yên")
    unit = Unit.create(code="HOABINH", name="UBND xã Hòa Bình", place_name="Hòa Bình",
                       parent=province)
    chairman = _staff(unit, "CT01", "Lê Văn Chính", "Chủ tịch UBND", kind="CADRE",
                      leader_role="HEAD")
    an = _staff(unit, "HB01", "Nguyễn Thị An", "Văn phòng – thống kê")
    bao = _staff(unit, "HB02", "Trần Văn Bảo", "Tư pháp – hộ tịch")
    cuc = _staff(unit, "HB03", "Phạm Thị Cúc", "Văn hóa – xã hội")
    duc = _staff(unit, "HB04", "Đỗ Minh Đức", "Tài chính – kế toán",
                 left_on=datetime.date(2026, 10, 1))
    _staff(unit, "HB05", "Hoàng Văn Em", "Văn hóa – xã hội", kind="PART_TIME")
    decider = User.create(username="ct-hoabinh", password_hash="x", role="CHAIRMAN",
                          unit=unit, staff=chairman)
    officer = account("OFFICER", unit)
    _track(officer, an, {m: 10 + m for m in range(1, 13)})
    cycle = Cycle.create(unit=unit, year=YEAR, deadline=datetime.date(2026, 12, 15),
                         notice_date=NOTICE, opened_by=officer.username, status="PUBLISHED")
    decided = datetime.datetime(2026, 12, 10, 9, 0)
    ratings = {}
    for person, points, level, status in (
            (an, Decimal("86.5"), "HTTNV", "PUBLISHED"),
            (bao, Decimal("91.25"), "HTXSNV", "PUBLISHED"),
            (cuc, None, None, "NOT_ELIGIBLE")):
        ratings[person.code] = Rating.create(
            staff=person, unit=unit, year=YEAR, rule_set="ND335_2025", points=points,
            level=level, self_level=level, status=status)
    Evaluation.create(
        rating=ratings["HB01"], meeting_on=MEETING, decided_by=decider.username,
        decided_at=decided, self_assessed_at=datetime.datetime(2026, 12, 1, 8, 0),
        criteria=json.dumps({"STRENGTHS": "Hoàn thành 100% sản phẩm đúng hạn",
                             "WEAKNESSES": "Còn chậm báo cáo quý III"}),
        meeting_comments="Tập thể nhất trí đề nghị mức hoàn thành tốt nhiệm vụ <b>",
        party_opinion="Chi bộ nhất trí: gương mẫu, đoàn kết")
    Evaluation.create(rating=ratings["HB02"], meeting_on=MEETING, decided_by=decider.username,
                      decided_at=decided, meeting_comments="Đề nghị hoàn thành xuất sắc")
    Objection.create(rating=ratings["HB01"], lodged_on=datetime.date(2026, 12, 14),
                     text="Đề nghị xem lại điểm tháng 3", answer_due=datetime.date(2026, 12, 23),
                     recorded_by=officer.username, answer="Giữ nguyên: điểm tháng 3 đúng",
                     answered_on=datetime.date(2026, 12, 18), answered_by=decider.username)
    return {"unit": unit, "cycle": cycle, "an": an, "bao": bao, "cuc": cuc, "duc": duc,
            "ratings": ratings, "officer": officer}
