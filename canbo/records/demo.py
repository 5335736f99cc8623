"""The demo commune: fictional people whose records reproduce the Kim Tân report.

kim-tan-2023.md gives two tables, and these 20 people reproduce both exactly:

- 2021: 20 rated, 16 HTXSNV and 4 HTTNV; 2022: 20 rated, 14 HTXSNV, 5 HTTNV, 1 HTNV
  (ND 90/2020 as first issued: no quota then);
- on 30/06/2023: 18 in post (two left in the first half of 2023, archived, not deleted),
  education Đại học 15 and Trung cấp 3, political theory Trung cấp 15 and Sơ cấp 3.

Some histories are there to exercise the date logic: people whose degree came after an
earlier level, and one whose Đại học was awarded after 30/06/2023.

From 2026 the commune tracks its people under ND 335/2025: ``demo_2026`` adds the year's
catalogue, evaluators, and January to November assigned, self-scored and confirmed.

``load()`` adds only what is missing, so running it twice changes nothing.
"""
import datetime

from canbo.db import database
from canbo.levels import FINAL_STATUSES
from canbo.models import Qualification, Rating, Staff, Title, Unit
from canbo.records import demo_2026
from canbo.rules.rulesets import rule_set_for

D = datetime.date

UNIT = {"code": "KIMTAN", "name": "UBND xã Kim Tân", "place_name": "Kim Tân"}

# code, name, gender, born, kind, title, joined, party member
PEOPLE = [
    ("KT01", "Nguyễn Văn Hùng", "M", D(1972, 3, 12), "CADRE", "Bí thư Đảng ủy", D(2010, 7, 1), True),
    ("KT02", "Trần Đức Thắng", "M", D(1975, 8, 2), "CADRE", "Phó Bí thư Đảng ủy", D(2012, 1, 3), True),
    ("KT03", "Phạm Thị Hương", "F", D(1978, 11, 20), "CADRE", "Chủ tịch HĐND", D(2011, 5, 16), True),
    ("KT04", "Vũ Văn Long", "M", D(1963, 2, 9), "CADRE", "Phó Chủ tịch HĐND", D(2005, 9, 1), True),
    ("KT05", "Lê Quang Minh", "M", D(1976, 6, 30), "CADRE", "Chủ tịch UBND", D(2009, 4, 1), True),
    ("KT06", "Đỗ Thị Ánh", "F", D(1984, 1, 5), "CADRE", "Phó Chủ tịch UBND", D(2013, 8, 12), True),
    ("KT07", "Hoàng Văn Toản", "M", D(1970, 12, 1), "CADRE", "Chủ tịch UB MTTQ", D(2008, 3, 1), True),
    ("KT08", "Bùi Thị Thu Trang", "F", D(1992, 9, 14), "CADRE", "Bí thư Đoàn TNCS Hồ Chí Minh", D(2017, 4, 3), True),
    ("KT09", "Ngô Thị Lan", "F", D(1980, 4, 22), "CADRE", "Chủ tịch Hội Liên hiệp Phụ nữ", D(2014, 6, 2), True),
    ("KT10", "Đặng Văn Khải", "M", D(1968, 7, 7), "CADRE", "Chủ tịch Hội Nông dân", D(2007, 1, 15), True),
    ("KT11", "Lương Văn Dũng", "M", D(1966, 10, 10), "CADRE", "Chủ tịch Hội Cựu chiến binh", D(2010, 2, 1), True),
    ("KT12", "Phan Văn Quý", "M", D(1982, 5, 18), "CIVIL_SERVANT", "Chỉ huy trưởng Quân sự", D(2012, 10, 1), True),
    ("KT13", "Nguyễn Thị Ngọc Ánh", "F", D(1990, 3, 3), "CIVIL_SERVANT", "Văn phòng – thống kê", D(2015, 9, 1), True),
    ("KT14", "Trịnh Văn Đức", "M", D(1987, 12, 25), "CIVIL_SERVANT", "Văn phòng – thống kê", D(2014, 3, 10), True),
    ("KT15", "Mạc Thị Ân", "F", D(1991, 8, 8), "CIVIL_SERVANT", "Địa chính – xây dựng", D(2016, 7, 1), False),
    ("KT16", "Vương Đình Bảo", "M", D(1985, 2, 14), "CIVIL_SERVANT", "Địa chính – xây dựng", D(2013, 5, 6), True),
    ("KT17", "Hà Thị Êm", "F", D(1989, 6, 1), "CIVIL_SERVANT", "Tài chính – kế toán", D(2015, 1, 5), True),
    ("KT18", "Lê Thị Ơn", "F", D(1993, 10, 30), "CIVIL_SERVANT", "Tư pháp – hộ tịch", D(2018, 12, 3), False),
    ("KT19", "Đinh Văn Ước", "M", D(1986, 9, 9), "CIVIL_SERVANT", "Tư pháp – hộ tịch", D(2011, 11, 1), True),
    ("KT20", "Cao Thị Yến", "F", D(1988, 4, 4), "CIVIL_SERVANT", "Văn hóa – xã hội", D(2016, 2, 15), True),
]

# Archived in the first half of 2023: kept, with their ratings (kim-tan-2023.md).
LEFT = {
    "KT04": (D(2023, 3, 31), "Nghỉ hưu"),
    "KT19": (D(2023, 5, 15), "Chuyển công tác"),
}

RATINGS = {
    # 16 HTXSNV, 4 HTTNV
    2021: {"HTTNV": ["KT12", "KT15", "KT18", "KT20"]},
    # 14 HTXSNV, 5 HTTNV, 1 HTNV
    2022: {"HTTNV": ["KT08", "KT12", "KT15", "KT17", "KT20"], "HTNV": ["KT18"]},
}

# On 30/06/2023 the 18 in post hold Đại học 15 / Trung cấp 3 and political theory
# Trung cấp 15 / Sơ cấp 3: KT15, KT18 and KT20 are the three at Trung cấp and Sơ cấp.
LOWER = {"KT15", "KT18", "KT20"}


def qualifications(code):
    """The qualification history of one demo person: ``[(kind, level, major, awarded)]``."""
    n = int(code[2:])
    out = []
    if code in LOWER:
        out.append(("EDUCATION", "TC", "Kế toán", D(2008 + n % 5, 6, 30)))
        out.append(("POLITICAL_THEORY", "SC", None, D(2019, 11, 20)))
    else:
        if n % 3 == 0:  # an earlier Trung cấp, then the degree: the degree counts
            out.append(("EDUCATION", "TC", "Quản lý nhà nước", D(2004, 6, 30)))
        out.append(("EDUCATION", "DH", "Luật" if n % 2 else "Hành chính học", D(2009 + n % 8, 7, 15)))
        if n % 4 == 0:
            out.append(("POLITICAL_THEORY", "SC", None, D(2012, 5, 10)))
        out.append(("POLITICAL_THEORY", "TC", None, D(2015 + n % 6, 12, 1)))
        if n <= 8:
            out.append(("STATE_MANAGEMENT", "CV", None, D(2016 + n % 4, 9, 1)))
    if code == "KT18":  # a degree earned after the report's date must not count on it
        out.append(("EDUCATION", "DH", "Luật", D(2024, 6, 20)))
    return out


def load():
    """Create or complete the demo commune; returns its unit."""
    with database.atomic():
        unit, _ = Unit.get_or_create(code=UNIT["code"], defaults=UNIT)
        titles = {t.name: t for t in Title.select()}
        for code, name, gender, born, kind, title_name, joined, party in PEOPLE:
            staff = Staff.get_or_none(Staff.unit == unit, Staff.code == code)
            if staff is None:
                left_on, reason = LEFT.get(code, (None, None))
                title = titles.get(title_name)
                staff = Staff(
                    unit=unit, code=code, full_name=name, gender=gender, birth_date=born,
                    kind=kind, title=title, joined_on=joined, party_member=party,
                    leader_role=title.leader_role if title else "NONE",
                    left_on=left_on, left_reason=reason,
                )
                staff.save()
            _load_history(staff)
        demo_2026.load(unit)
    return unit


def _load_history(staff):
    have = {(q.kind, q.level) for q in staff.qualifications}
    for kind, level, major, awarded in qualifications(staff.code):
        if (kind, level) not in have:
            Qualification(staff=staff, kind=kind, level=level, major=major,
                          awarded_on=awarded).save()
    rated = {r.year for r in staff.ratings}
    for year, exceptions in RATINGS.items():
        if year in rated:
            continue
        level = next((lv for lv, codes in exceptions.items() if staff.code in codes), "HTXSNV")
        Rating.create(
            staff=staff, unit=staff.unit, year=year, rule_set=rule_set_for(year, staff.kind),
            level=level, self_level=level, status=FINAL_STATUSES[0],
        )
