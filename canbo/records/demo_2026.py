"""Kim Tân's 2026: the first year of ND 335/2025 tracking, January to November done.

Built in one transaction, through the library's own rules as the people of the commune
would build it (``tracking.catalogue``, ``tracking.evaluators``, ``tracking.sheets``,
``rating.records``) — except that, for speed, most months' assignments and sheets are
written in a few INSERTs with the numbers those rules give (``_history``; the demo loads
with every test session and ``serve --demo``); November of the department the demo
accounts work in, of the returned sheet and of the leaders goes through the rules:

- the catalogue of 2026: the standard product and groups of a real commune's decision
  (QĐ 283/QĐ-UBND of xã Nghĩa Lâm, 2026: "Soạn thảo văn bản hành chính đơn giản", 5
  points, coefficient 1; the SNV 3743/2026 examples; groups N1 1–10 … N5 201–500 points),
  in the sections such decisions use (leaders' tasks, tasks shared by all, one per field),
  decided by QĐ 12/QĐ-UBND of 15/01/2026 and supplemented by a further decision
  applying from 01/07/2026 (Điều 13.3);
- the structure (Điều 10.1): the chairman KT05 heads the unit and evaluates its civil
  servants; the department "Văn phòng – Thống kê" is headed by KT13, who evaluates KT14;
  the deputy chairman KT06 is in charge of the economic field (Phòng Kinh tế: KT15–KT17);
  the Party secretary KT01 and the chairman are evaluated by the managing agency; the
  Party's, the Council's and the Front's cadres by KT01; the people's organisations'
  heads by the Front's chairman KT07;
- for everyone in post, January to November: products assigned (Điều 18.1), results
  recorded by the person, a few failed reviews and delays recorded by the evaluator (one
  with a confirmed objective cause), one urgent task and work taken over from a
  colleague on leave (outside the assigned total, Điều 18.1.d), the general criteria
  self-scored and scored (Mẫu 01), the sheets confirmed — except KT20's November, returned
  with a reason, and so the chairman's November, whose d waits on it (Điều 15.3.a);
- KT18 on maternity leave from 02/03 to 01/09/2026; KT22 transferred in on 01/07/2026,
  with the months January–June their old unit sent (Điều 19.1, 19.3);
- December open: assigned, nothing recorded yet.

``load(unit)`` does nothing when the unit already has a 2026 catalogue, so running the
demo twice changes nothing.
"""
import datetime
from decimal import Decimal

from canbo.db import database
from canbo.levels import Role, SheetStatus
from canbo.models import Department, Qualification, Staff, Title, User
from canbo.models.tracking import (
    Assignment,
    Catalogue,
    CatalogueDecision,
    OutsideMonth,
    Product,
    Sheet,
    SheetItem,
)
from canbo.rating import records as rating_records
from canbo.rules import scoring
from canbo.rules.rulesets import rule_set_for
from canbo.tracking import catalogue as catalogues
from canbo.tracking import evaluators, leaders, leave, sheets

D = datetime.date
HUNDRED = Decimal(100)
YEAR = 2026
DONE_MONTHS = range(1, 12)  # January – November confirmed; December open

STANDARD = "Soạn thảo văn bản hành chính đơn giản"
STANDARD_POINTS = Decimal(5)
DECISION = ("12/QĐ-UBND", D(2026, 1, 15))
SUPPLEMENT = {"number": "98/QĐ-UBND", "decided_on": D(2026, 6, 25),
              "applies_from": D(2026, 7, 1),
              "note": "Bổ sung 02 sản phẩm/công việc phát sinh ngoài danh mục (Điều 13.3 "
                      "Nghị định 335/2025)."}
RANGES = {1: (1, 10), 2: (11, 50), 3: (51, 100), 4: (101, 200), 5: (201, 500)}

A = "A. Nhiệm vụ lãnh đạo, quản lý"
B1 = "B.I. Nhiệm vụ chuyên môn dùng chung"
VP = "B.II.1. Văn phòng – Thống kê"
DC = "B.II.2. Địa chính – Xây dựng"
TC = "B.II.3. Tài chính – Kế toán"
TP = "B.II.4. Tư pháp – Hộ tịch"
VH = "B.II.5. Văn hóa – Xã hội"
QS = "B.II.6. Quân sự"
DT = "B.III. Đảng, Mặt trận và các đoàn thể"

# section, code, group, product, output, points (coefficient = points ÷ 5)
PRODUCTS = [
    (A, "A01", 3, "Chỉ đạo xây dựng, triển khai chương trình công tác tháng của UBND xã",
     "Chương trình, văn bản chỉ đạo", 60),
    (A, "A02", 2, "Chủ trì họp giao ban, cho ý kiến giải quyết vướng mắc thuộc lĩnh vực "
     "phụ trách", "Kết luận, thông báo kết luận", 15),
    (A, "A03", 4, "Chỉ đạo kiểm tra, giám sát việc thực hiện nhiệm vụ thuộc lĩnh vực phụ trách",
     "Báo cáo kết quả kiểm tra", 120),
    (B1, "C01", 1, STANDARD, "Công văn, thông báo, giấy mời", 5),
    (B1, "C02", 1, "Báo cáo định kỳ tháng, quý thuộc lĩnh vực phụ trách", "Báo cáo", 8),
    (B1, "C03", 2, "Xây dựng kế hoạch tổ chức hội nghị sơ kết, tổng kết", "Kế hoạch", 15),
    (B1, "C04", 2, "Xây dựng kế hoạch kiểm tra lĩnh vực phụ trách", "Kế hoạch", 12),
    (B1, "C05", 2, "Báo cáo, thông báo kết quả kiểm tra", "Báo cáo/thông báo kết luận", 20),
    (B1, "C06", 2, "Tham mưu giải quyết đơn thư khiếu nại, tố cáo, phản ánh, kiến nghị",
     "Văn bản trả lời, báo cáo", 25),
    (B1, "C07", 3, "Tham mưu ban hành nghị quyết của HĐND, quyết định của UBND xã",
     "Dự thảo nghị quyết, quyết định", 80),
    (VP, "VP01", 1, "Tiếp nhận, vào sổ, chuyển xử lý văn bản đến (10 văn bản)", "Sổ văn bản", 3),
    (VP, "VP02", 1, "Ghi biên bản, dự thảo thông báo kết luận cuộc họp", "Biên bản, thông báo",
     6),
    (VP, "VP03", 2, "Báo cáo thống kê định kỳ của xã", "Báo cáo thống kê", 20),
    (VP, "VP04", 3, "Xây dựng báo cáo tình hình kinh tế – xã hội tháng, quý", "Báo cáo", 60),
    (DC, "DC01", 2, "Thẩm định hồ sơ đăng ký đất đai, cấp giấy chứng nhận quyền sử dụng đất",
     "Hồ sơ trình ký", 15),
    (DC, "DC02", 2, "Kiểm tra, lập biên bản vi phạm trật tự xây dựng, đất đai",
     "Biên bản, báo cáo", 20),
    (DC, "DC03", 3, "Hòa giải tranh chấp đất đai tại cơ sở", "Biên bản hòa giải", 55),
    (DC, "DC04", 5, "Tham mưu lập kế hoạch sử dụng đất năm 2027 của xã",
     "Hồ sơ kế hoạch sử dụng đất", 250),
    (TC, "TC01", 1, "Lập chứng từ thu, chi ngân sách (01 bộ)", "Chứng từ", 4),
    (TC, "TC02", 3, "Lập báo cáo quyết toán ngân sách quý", "Báo cáo quyết toán", 70),
    (TC, "TC03", 4, "Xây dựng dự toán ngân sách xã năm 2027", "Dự toán trình HĐND", 150),
    (TP, "TP01", 1, "Đăng ký khai sinh, khai tử, kết hôn", "Giấy khai sinh, trích lục", 3),
    (TP, "TP02", 1, "Chứng thực bản sao, chữ ký (10 bản)", "Bản chứng thực", 2),
    (TP, "TP03", 2, "Tổ chức tuyên truyền, phổ biến, giáo dục pháp luật", "Kế hoạch, báo cáo",
     15),
    (VH, "VH01", 2, "Thẩm định hồ sơ hưởng trợ cấp xã hội hằng tháng", "Hồ sơ trình ký", 12),
    (VH, "VH02", 2, "Tổ chức hoạt động văn hóa, thể thao nhân dịp lễ, Tết", "Kế hoạch, báo cáo",
     30),
    (VH, "VH03", 3, "Rà soát hộ nghèo, hộ cận nghèo cuối năm", "Báo cáo kết quả rà soát", 80),
    (QS, "QS01", 2, "Đăng ký, quản lý công dân trong độ tuổi thực hiện nghĩa vụ quân sự",
     "Sổ đăng ký, báo cáo", 20),
    (QS, "QS02", 4, "Xây dựng kế hoạch tuyển chọn, gọi công dân nhập ngũ năm 2027",
     "Kế hoạch, hồ sơ", 150),
    (DT, "DT01", 2, "Xây dựng chương trình, kế hoạch công tác tháng của tổ chức",
     "Chương trình, kế hoạch", 12),
    (DT, "DT02", 2, "Tổ chức hội nghị, sinh hoạt định kỳ của tổ chức", "Biên bản, nghị quyết",
     15),
    (DT, "DT03", 3, "Giám sát, phản biện xã hội theo chương trình năm", "Báo cáo giám sát", 60),
]
SUPPLEMENT_PRODUCTS = [
    (B1, "C08", 2, "Cập nhật, làm sạch dữ liệu trên Cơ sở dữ liệu quốc gia về cán bộ, công "
     "chức", "Dữ liệu được cập nhật, báo cáo", 15),
    (TP, "TP04", 1, "Tiếp nhận, giải quyết hồ sơ trực tuyến trên Cổng dịch vụ công quốc gia",
     "Hồ sơ được giải quyết", 4),
]

# Who evaluates whom beyond the defaults (Điều 10.1): code → evaluator code or agency.
AGENCY_OF = {"KT01": "Ban Thường vụ Tỉnh ủy", "KT05": "Chủ tịch UBND tỉnh"}
EVALUATED_BY = {"KT02": "KT01", "KT03": "KT01", "KT07": "KT01",
                "KT08": "KT07", "KT09": "KT07", "KT10": "KT07", "KT11": "KT07"}
OFFICE = "Văn phòng – Thống kê"      # a department of the commune, headed by KT13
ECONOMY = "Phòng Kinh tế"            # the deputy chairman's field
DEPARTMENTS = {"KT13": OFFICE, "KT14": OFFICE, "KT06": ECONOMY, "KT15": ECONOMY,
               "KT16": ECONOMY, "KT17": ECONOMY}
#: The accounts the people act through in the audit log: the demo accounts where there is
#: one (``cli.serve.DEMO_ACCOUNTS``), else the staff code.
USERNAMES = {"KT13": "truongbp", "KT14": "congchuc"}

MATERNITY = ("KT18", D(2026, 3, 2), D(2026, 9, 1))
TRANSFERRED = {"code": "KT22", "full_name": "Hồ Văn Tâm", "gender": "M",
               "birth_date": D(1990, 5, 19), "kind": "CIVIL_SERVANT",
               "title": "Tư pháp – hộ tịch", "joined_on": D(2026, 7, 1), "party_member": True,
               "job_position": "Tư pháp – hộ tịch"}
OLD_UNIT = "UBND xã Kim Sơn"
OLD_MONTHS = {1: "86.5", 2: "88.25", 3: "90.5", 4: "89.75", 5: "91", 6: "90.25"}

# What each person is given each month: (product code, quantity) rules; a callable of the
# month gives the quantity, 0 = not that month.


def _every(q):
    return lambda m: q


def _vary(base, span):
    return lambda m: base + (m * 7) % span


def _in(months, q):
    return lambda m: q if m in months else 0


PARTY = [("DT01", _every(1)), ("DT02", _vary(1, 2)), ("C02", _every(1))]
PLANS = {
    "KT01": [("DT01", _every(1)), ("DT02", _vary(1, 2)), ("DT03", _in({3, 6, 9, 11}, 1))],
    "KT02": PARTY,
    "KT03": [("DT02", _every(1)), ("C02", _every(1)), ("C07", _in({1, 4, 7, 10}, 1))],
    "KT05": [("A01", _every(1)), ("A02", _vary(3, 3)), ("A03", _in({3, 6, 9, 11}, 1))],
    "KT06": [("A02", _vary(2, 3)), ("C06", _vary(1, 2)), ("A03", _in({5, 10}, 1))],
    "KT07": [("DT01", _every(1)), ("DT02", _every(1)), ("DT03", _in({2, 5, 8, 11}, 1))],
    "KT08": PARTY + [("C01", _vary(1, 2))],
    "KT09": PARTY + [("C01", _vary(1, 2))],
    "KT10": PARTY,
    "KT11": PARTY,
    "KT12": [("QS01", _every(1)), ("C01", _vary(2, 3)), ("C02", _every(1)),
             ("QS02", _in({10, 11, 12}, 1))],
    "KT13": [("VP03", _every(1)), ("VP04", _every(1)), ("VP02", _vary(2, 3)),
             ("C01", _vary(2, 3))],
    "KT14": [("VP01", _vary(6, 4)), ("VP02", _vary(3, 3)), ("C01", _vary(4, 3)),
             ("C02", _every(1)), ("C08", _in({7, 8, 9, 10, 11, 12}, 2))],
    "KT15": [("DC01", _vary(4, 3)), ("DC02", _vary(1, 2)), ("DC03", _in({2, 5, 8, 11}, 1))],
    "KT16": [("DC01", _vary(3, 3)), ("DC02", _vary(1, 2)), ("DC04", _in({10}, 1))],
    "KT17": [("TC01", _vary(10, 5)), ("TC02", _in({3, 6, 9}, 1)), ("TC03", _in({10, 11}, 1)),
             ("C02", _every(1))],
    "KT18": [("TP01", _vary(15, 8)), ("TP02", _vary(6, 4)), ("TP03", _every(1))],
    "KT20": [("VH01", _vary(3, 3)), ("VH02", _in({1, 2, 4, 9}, 1)), ("VH03", _in({10, 11}, 1)),
             ("C02", _every(1))],
    "KT22": [("TP01", _vary(14, 8)), ("TP02", _vary(5, 4)), ("TP03", _every(1)),
             ("TP04", _vary(3, 3))],
}
#: Results short of the assignment: (code, month, product) → units not done.
SHORT = {("KT14", 3, "VP01"): 1, ("KT16", 7, "DC02"): 1, ("KT20", 6, "VH01"): 1,
         ("KT10", 4, "DT02"): 1}
#: The evaluator's record (Điều 14.2.b–c): failed quality reviews, delays, objective cause.
REVIEWS = {
    ("KT16", 4, "DC01"): {"failed_reviews": 1},
    ("KT15", 8, "DC02"): {"delays": 1},
    ("KT17", 6, "TC02"): {"delays": 1},
    ("KT20", 10, "VH03"): {"failed_reviews": 1},
    ("KT08", 5, "DT02"): {"delays": 1},
    ("KT14", 2, "VP02"): {"failed_reviews": 1},
    # a storm's floods closed the roads: the delays' cause is confirmed objective
    ("KT12", 9, "QS01"): {"delays": 2, "objective_cause": True},
}
#: Unplanned urgent work (Điều 18.1.d): (code, month) → (product, units).
URGENT = {("KT12", 9): ("C01", 3)}
#: Work taken over from a colleague on leave (Điều 18.1.d): (code, from code, months, product, units)
TAKEN_OVER = [("KT22", "KT18", range(7, 9), "TP02", 2)]
#: Whose last month done goes through the rules themselves (``_month``): the department
#: the demo accounts work in, the returned sheet, and the leaders whose d follows.
THROUGH_THE_RULES = {"KT13", "KT14", "KT20", "KT06", "KT05"}
RETURNED = ("KT20", 11, "Chưa ghi minh chứng kết quả rà soát hộ nghèo, hộ cận nghèo (số biên "
                        "bản, báo cáo); đề nghị bổ sung rồi gửi lại.")

ITEMS = ("I.1", "I.2", "II.1", "II.2", "II.3", "II.4", "III.1", "III.2", "III.3", "III.4")
#: How well each person does, which sets their general points and their results:
#: "A" excellent, "B" good (the default), "C" adequate — so the year shows the levels
#: (and the 20% quota on HTXSNV has something to bite on, Điều 20.5).
TIERS = {"KT01": "A", "KT05": "A", "KT07": "A", "KT13": "A", "KT22": "A", "KT16": "C"}
GENERAL = {"A": (5, 5, 2.5, 2.5, 2.5, 2.5, 2.5, 2.5, 2.5, 2.5),
           "B": (4.5, 4.5, 2.5, 2, 2, 2.5, 2, 1.5, 1.5, 2),
           "C": (4, 4, 2, 2, 1.5, 2, 1.5, 1, 1, 1.5)}


def _scores(code, month, evaluator):
    """General sub-item points of ``code`` in ``month`` by their tier, some half points
    off on III now and then; the evaluator a little stricter now and then."""
    n = int(code[2:])
    points = [Decimal(str(v)) for v in GENERAL[TIERS.get(code, "B")]]
    off = (n + month) % 3 + (1 if evaluator and (n * month) % 3 == 0 else 0)
    for i in range(off):
        k = 6 + (n + i) % 4
        points[k] = max(Decimal(0), points[k] - Decimal("0.5"))
    if evaluator and (n + month) % 5 == 0:
        points[5] -= Decimal("0.5")
    return dict(zip(ITEMS, points))


def _done(code, month, product, quantity):
    """Units completed: all for tier A; tier B falls one short (two of six or more) of a
    product of three or more units in two months of three; tier C a quarter short of
    every product, and misses a single one every third month.  ``SHORT`` adds the odd
    shortfall."""
    n, tier = int(code[2:]), TIERS.get(code, "B")
    short = SHORT.get((code, month, product), 0)
    if tier == "B" and quantity >= 3 and (n + month) % 3:
        short += 1 + (1 if quantity >= 6 and (n + month) % 2 else 0)
    elif tier == "C":
        short += max(quantity // 4, 1 if (n + month) % 3 == 0 else 0)
    return max(0, quantity - short)


def _actor(username, role, unit, staff=None):
    """An unsaved account acting in the demo's name (the audit log records ``username``)."""
    return User(username=username, role=role, unit=unit, staff=staff, active=True)


def _on(month, day):
    """A day of ``month`` no later than today (results cannot be recorded in the future)."""
    return min(D(YEAR, month, day), datetime.date.today())


def load(unit):
    """Add Kim Tân's 2026 to ``unit`` unless it already has a 2026 catalogue."""
    if Catalogue.select().where(Catalogue.unit == unit, Catalogue.year == YEAR).exists():
        return
    with database.atomic():
        people = _people(unit)
        officer = _actor("canbo", Role.OFFICER.code, unit)
        chairman = _actor("chutich", Role.CHAIRMAN.code, unit)
        products = _catalogue(officer, chairman, unit)
        _structure(officer, unit, people)
        who = _evaluators(unit, people, chairman)
        absent = _absences(officer, people)
        # The months are written at once (``_history``), except the last month done
        # of the people the demo accounts see at work, which goes through the rules.
        last = DONE_MONTHS[-1]
        _history([m for m in range(1, 13) if m != last], people, products, who, absent,
                 unit)
        _history([last], people, products, who, absent, unit,
                 only=set(people) - THROUGH_THE_RULES)
        _month(last, people, products, who, absent, only=THROUGH_THE_RULES)


def _people(unit):
    """``{code: Staff}`` of the demo's people in post at some time in 2026, KT22 added
    (people the officer added to the demo's unit are left alone)."""
    if not Staff.select().where(Staff.unit == unit, Staff.code == TRANSFERRED["code"]).exists():
        data = dict(TRANSFERRED)
        data["title"] = Title.get_or_none(Title.name == data["title"])
        person = Staff(unit=unit, **data)
        person.save()
        Qualification.create(staff=person, kind="EDUCATION", level="DH", major="Luật",
                             awarded_on=D(2012, 7, 15))
        Qualification.create(staff=person, kind="POLITICAL_THEORY", level="TC",
                             awarded_on=D(2019, 12, 1))
        for month, score in OLD_MONTHS.items():
            OutsideMonth.create(staff=person, year=YEAR, month=month, unit_name=OLD_UNIT,
                                score=Decimal(score), entered_by="canbo")
    rows = Staff.select().where(Staff.unit == unit, (Staff.left_on.is_null())
                                | (Staff.left_on > D(YEAR, 1, 1)))
    return {p.code: p for p in rows.order_by(Staff.code) if p.code in PLANS}


def _catalogue(officer, chairman, unit):
    """The decided 2026 catalogue and its supplement: ``{code: Product}``."""
    catalogue = catalogues.open_catalogue(officer, unit, YEAR)
    catalogue.standard_product = STANDARD
    catalogue.standard_points = STANDARD_POINTS
    catalogue.save()
    out = {}
    for row in PRODUCTS:
        out[row[1]] = _product(officer, catalogue, row)
    catalogues.decide(chairman, catalogue, *DECISION)
    decision = CatalogueDecision.create(catalogue=catalogue, decided_by=chairman.username,
                                        **SUPPLEMENT)
    for position, row in enumerate(SUPPLEMENT_PRODUCTS, start=len(PRODUCTS)):
        section, code, group, name, output, points = row
        low, high = RANGES[group]
        out[code] = Product.create(
            catalogue=catalogue, complexity_group=group, name=name, section=section,
            code=code, output=output, points=points, points_min=low, points_max=high,
            coefficient=Decimal(points) / STANDARD_POINTS, position=position,
            supplement=decision)
    return out


def _product(officer, catalogue, row):
    section, code, group, name, output, points = row
    low, high = RANGES[group]
    product = catalogues.add_product(officer, catalogue, group, name,
                                     Decimal(points) / STANDARD_POINTS, low, high)
    product.section, product.code, product.output = section, code, output
    product.task, product.points = section.split(". ", 1)[1], points
    product.save()
    return product


def _structure(officer, unit, people):
    """Departments and heads (Điều 10.1.b–c), then the evaluators recorded beyond them."""
    departments = {}
    for name in sorted(set(DEPARTMENTS.values())):
        departments[name] = (Department.get_or_none(Department.name == name,
                                                     Department.unit.is_null())
                             or Department.get_or_create(name=name, unit=unit)[0])
    for code, name in DEPARTMENTS.items():
        person = people[code]
        person.department = departments[name]
        person.save()
    evaluators.set_head(officer, unit, people["KT05"])
    evaluators.set_head(officer, unit, people["KT13"], departments[OFFICE])
    for code, agency in AGENCY_OF.items():
        evaluators.set_evaluator(officer, people[code], YEAR, agency=agency)
    for code, by in EVALUATED_BY.items():
        evaluators.set_evaluator(officer, people[code], YEAR, evaluator=people[by])


def _evaluators(unit, people, chairman):
    """``{code: (person's account, evaluator's account)}``: evaluatees of the unit's head,
    or of the managing agency, are scored through the chairman's account."""
    accounts = {code: _actor(USERNAMES.get(code, code.lower()), Role.STAFF.code, unit, p)
                for code, p in people.items()}
    choices = evaluators.resolve(people.values(), YEAR, 1)
    out = {}
    for code, person in people.items():
        choice = choices[person.id]
        by = next((c for c, p in people.items() if p.id == choice.staff_id), None)
        evaluator = chairman if by in (None, "KT05") else accounts[by]
        out[code] = (accounts[code], evaluator)
    return out


def _absences(officer, people):
    """The maternity leave, and the ``(code, month)`` it takes away (``leave``'s rule)."""
    code, first, last = MATERNITY
    absence = rating_records.record_absence(officer, people[code], "MATERNITY", first, last,
                                            note="Nghỉ chế độ thai sản")
    worked, _ = leave.months_worked(YEAR, [absence])
    return {(code, m) for m in range(1, 13) if m not in worked}


def _order(people):
    """The people in the order their sheets are confirmed: a head's d follows from
    everyone else's month (Điều 15.3.a), a deputy's from their field's, so the leaders
    come last, the head after the deputy."""
    return sorted(people, key=lambda c: (people[c].leader_role != "NONE",
                                         people[c].leader_role == "HEAD", c))


def _tracked(code, person, month, absent):
    return (code, month) not in absent and not (
        person.joined_on and person.joined_on > D(YEAR, month, 15))


def _plan(code, people, month, products):
    """The month's assignments of ``code`` as ``Assignment`` fields, with their results
    (``completed``…) and the evaluator's record (``REVIEWS``) for the months done."""
    deadline = D(YEAR, month, 28)
    rows = [{"product": products[p], "quantity": q(month), "on": D(YEAR, month, 1)}
            for p, q in PLANS[code] if q(month)]
    if (code, month) in URGENT:
        product, units = URGENT[(code, month)]
        rows.append({"product": products[product], "quantity": units, "urgent": True,
                     "on": D(YEAR, month, 10)})
    for taker, giver, months, product, units in TAKEN_OVER:
        if taker == code and month in months:
            rows.append({"product": products[product], "quantity": units,
                         "taken_over_from": people[giver], "on": D(YEAR, month, 1)})
    for i, row in enumerate(rows):
        row["deadline"] = deadline
        if month in DONE_MONTHS:
            product = row["product"].code
            row["result"] = {
                "completed": _done(code, month, product, row["quantity"]),
                "completed_on": _on(month, 20 + i % 6),
                "evidence": f"Số {i + 1:02d}/{product}-T{month}"}
            row["review"] = REVIEWS.get((code, month, product), {})
    return rows


def _month(month, people, products, who, absent, only=None):
    """Through the library's own rules (as the people would, on the screens): assign
    the month's work, record the results and the reviews, self-score, score and confirm
    (or return) each sheet."""
    for code in _order(people):
        person = people[code]
        if (only is not None and code not in only) or not _tracked(code, person, month,
                                                                  absent):
            continue
        account, evaluator = who[code]
        for row in _plan(code, people, month, products):
            made = sheets.assign(evaluator, person, YEAR, month, row["product"],
                                 row["quantity"], row["deadline"], on=row["on"],
                                 urgent=row.get("urgent", False),
                                 taken_over_from=row.get("taken_over_from"))
            if "result" in row:
                sheets.record_result(account, made, **row["result"])
            if row.get("review"):
                sheets.record_result(evaluator, made, **row["review"])
        if month in DONE_MONTHS:
            _sheet(code, person, month, account, evaluator)


def _sheet(code, person, month, account, evaluator):
    n = int(code[2:])
    sheet = sheets.sheet_for(person, YEAR, month)
    sheets.self_score(account, sheet, _scores(code, month, False), **_texts(n))
    if (code, month) == RETURNED[:2]:
        sheets.return_sheet(evaluator, sheet, RETURNED[2])
        return
    if person.leader_role == "HEAD" and month == RETURNED[1]:
        return  # d waits on the returned sheet of the month (Điều 15.3.a)
    sheets.evaluate(evaluator, sheet, _scores(code, month, True), comment=_comment(month),
                    **(_leader(n, month) if sheet.leader else {}))
    sheets.confirm(evaluator, sheet)


def _texts(n):
    return {"strengths": "Hoàn thành đúng hạn các sản phẩm được giao; chủ động phối hợp.",
            "weaknesses": "Cần ứng dụng công nghệ thông tin nhiều hơn." if n % 2 else
            "Có việc còn chậm so với kế hoạch."}


def _comment(month):
    return ("Đồng ý với kết quả tự đánh giá." if month % 3 else
            "Hoàn thành tốt nhiệm vụ; cần chủ động hơn trong tham mưu.")


def _leader(n, month):
    """đ and e of a leader's month (Điều 15.3.b–c); d is derived, never typed."""
    return {"dd": Decimal(50) if (n + month) % 7 == 0 else HUNDRED, "e": HUNDRED}


# --- the months before: the same rows, written at once ----------------------------------


def _history(months, people, products, who, absent, unit, only=None):
    """What ``_month`` would leave for ``months``, written in a few INSERTs: the demo
    loads with every test session and ``serve --demo``, and going through the rules
    for eleven months took seconds.  The numbers are the rules' own (``scoring``, as
    ``sheets.compute`` and ``leaders.derived_d`` use them); the last month done goes
    through the rules themselves (``_month``), so any difference would show there."""
    assignments, sheet_rows, items, scores = [], [], {}, {}
    setting = sheets.setting_for(unit.id, YEAR)
    now = datetime.datetime.now().replace(microsecond=0)
    for month in months:
        for code in _order(people):
            person = people[code]
            if (only is not None and code not in only) or not _tracked(code, person, month,
                                                                      absent):
                continue
            account, evaluator = who[code]
            rows = _plan(code, people, month, products)
            results = []
            for row in rows:
                done = row.get("result", {})
                review = {"failed_reviews": 0, "delays": 0, "objective_cause": False,
                          **row.get("review", {})}
                extra = bool(row.get("urgent") or row.get("taken_over_from"))
                assignments.append({
                    "staff": person.id, "year": YEAR, "month": month,
                    "product": row["product"].id, "coefficient": row["product"].coefficient,
                    "quantity": row["quantity"], "deadline": row["deadline"],
                    "extra": extra, "urgent": bool(row.get("urgent")),
                    "taken_over_from": getattr(row.get("taken_over_from"), "id", None),
                    "assigned_on": row["on"], "assigned_by": evaluator.username,
                    "completed": done.get("completed", 0),
                    "completed_on": done.get("completed_on"), "evidence": done.get("evidence"),
                    **review})
                results.append(scoring.Result(
                    row["quantity"], done.get("completed", 0), row["product"].coefficient,
                    review["failed_reviews"], review["delays"], review["objective_cause"],
                    extra))
            if month not in DONE_MONTHS:
                continue
            n = int(code[2:])
            rule_set = rule_set_for(YEAR, person.kind)
            rules = sheets.rules_of(setting, rule_set)
            own, given = _scores(code, month, False), _scores(code, month, True)
            a, b, c = scoring.abc(scoring.totals(results, rules), rules)
            leader = person.leader_role != "NONE"
            extra = {"d": None, "dd": None, "e": None}  # one set of columns for every row
            if leader:
                managed = leaders.managed_by(person)
                d = scoring.leader_d(v for (sid, m), v in scores.items()
                                     if m == month and sid in managed)
                extra = {"d": d, **_leader(n, month)}
            task = scoring.task_score(a, b, c, *(extra[k] for k in ("d", "dd", "e")) if leader
                                      else ())
            general = sum(given.values())
            scores[(person.id, month)] = scoring.period_score(general, task, rules)
            sheet_rows.append({
                "staff": person.id, "unit": unit.id, "year": YEAR, "month": month,
                "period": setting.period, "rule_set": rule_set, "leader": leader,
                "self_general": sum(own.values()), "general": general, **extra,
                "a": rules.round(a), "b": rules.round(b), "c": rules.round(c),
                "task_score": rules.round(task),
                "total": rules.round(scores[(person.id, month)]),
                "comment": _comment(month), "status": SheetStatus.CONFIRMED.code,
                "evaluator": evaluator.username, "submitted_at": now, "confirmed_at": now,
                **_texts(n)})
            items[(person.id, month)] = [
                {"code": code_, "label": label, "max_points": top, "position": i,
                 "self_points": own[code_], "points": given[code_]}
                for i, (code_, label, top) in enumerate(rules.items())]
    for i in range(0, len(assignments), 200):
        Assignment.insert_many(assignments[i:i + 200]).execute()
    for i in range(0, len(sheet_rows), 100):
        Sheet.insert_many(sheet_rows[i:i + 100]).execute()
    ids = dict(((sid, m), i) for i, sid, m in Sheet.select(Sheet.id, Sheet.staff, Sheet.month)
               .where(Sheet.unit == unit, Sheet.year == YEAR).tuples())
    rows = [{"sheet": ids[key], **item} for key, some in items.items() for item in some]
    for i in range(0, len(rows), 300):
        SheetItem.insert_many(rows[i:i + 300]).execute()
