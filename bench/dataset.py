"""A province-sized dataset for the benchmarks, loaded with bulk inserts.

``generate(db)`` makes a province (code ``TINH``) with ``units`` communes (``X001`` …),
``staff`` people spread evenly over them, a qualification history of one to three rows a
person, and ``years`` years of approved ratings ending in 2025. The random generator is
seeded, so every run builds the same data.

    python -m bench.dataset sqlite:////tmp/province.db
"""
import datetime
import random
import sys
import time
from decimal import Decimal

from canbo import db as dbm
from canbo.levels import Education, PoliticalTheory, StateManagement
from canbo.models import (
    Assignment,
    Catalogue,
    Product,
    Qualification,
    Rating,
    Sheet,
    Staff,
    Title,
    Unit,
)
from canbo.rules.rulesets import rule_set_for

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng",
          "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý"]
MIDDLE = ["Văn", "Thị", "Đức", "Thị Thu", "Minh", "Quang", "Ngọc", "Thanh", "Hữu", "Xuân"]
GIVEN = ["An", "Anh", "Ánh", "Bình", "Châu", "Cường", "Dũng", "Đông", "Giang", "Hà", "Hải",
         "Hạnh", "Hùng", "Hương", "Khánh", "Lan", "Linh", "Long", "Mai", "Minh", "Nam",
         "Ngọc", "Oanh", "Phúc", "Quân", "Sơn", "Thảo", "Trang", "Tuấn", "Uyên", "Yến"]
LEVELS = ["HTXSNV", "HTTNV", "HTTNV", "HTTNV", "HTNV", "KHTNV"]
CHUNK = 500
PRODUCTS = 8  # products in a commune's catalogue of the monthly year
ASSIGNMENTS = 3  # products assigned to a person a month


def _bulk(model, rows):
    fields = None
    for i in range(0, len(rows), CHUNK):
        batch = rows[i:i + CHUNK]
        fields = fields or list(batch[0])
        model.insert_many([tuple(r[f] for f in fields) for r in batch], fields=[
            getattr(model, f) for f in fields]).execute()


def generate(db=None, units=100, staff=10_000, years=10, last_year=2025, seed=7,
             monthly_year=None, monthly_months=11):
    """Fill the (migrated, empty) database; returns the province ``Unit``.  With
    ``monthly_year``, that year also gets ND 335 tracking (``_monthly``)."""
    rnd = random.Random(seed)
    titles = list(Title.select())
    with dbm.database.atomic():
        province = Unit.create(code="TINH", name="UBND tỉnh Mẫu", place_name="Mẫu")
        _bulk(Unit, [{"code": f"X{i:03d}", "name": f"UBND xã Mẫu {i}",
                      "place_name": f"Mẫu {i}", "parent": province.id}
                     for i in range(1, units + 1)])
        unit_ids = [u for (u,) in Unit.select(Unit.id).where(Unit.parent == province.id)
                    .order_by(Unit.id).tuples()]
        people = []
        for n in range(staff):
            name = f"{rnd.choice(FAMILY)} {rnd.choice(MIDDLE)} {rnd.choice(GIVEN)}"
            title = rnd.choice(titles) if titles else None
            born = datetime.date(rnd.randint(1965, 1990), rnd.randint(1, 12), 15)
            # joined at 20 or later, and before the first rated year
            joined = datetime.date(rnd.randint(born.year + 20, max(born.year + 20, last_year - years)),
                                   rnd.randint(1, 12), 1)
            left = None
            if rnd.random() < 0.08:
                left = joined + datetime.timedelta(days=rnd.randint(400, 6000))
            row = {
                "unit": unit_ids[n % len(unit_ids)], "code": f"P{n:05d}",
                "gender": rnd.choice("MF"),
                "birth_date": born,
                "ethnicity": "Kinh",
                "kind": title.kind if title and title.kind else "CIVIL_SERVANT",
                "title": title.id if title else None, "department": None,
                "leader_role": title.leader_role if title else "NONE",
                "party_member": rnd.random() < 0.8, "joined_on": joined, "left_on": left,
                "left_reason": "Nghỉ hưu" if left else None,
            }
            row.update(Staff.derived(name))
            people.append(row)
        _bulk(Staff, people)
        ids = list(Staff.select(Staff.id, Staff.unit, Staff.kind, Staff.joined_on)
                   .where(Staff.unit.in_(unit_ids)).order_by(Staff.id).tuples())
        quals, ratings = [], []
        for sid, uid, kind, joined in ids:
            for qkind, levels in (("EDUCATION", Education), ("POLITICAL_THEORY", PoliticalTheory),
                                  ("STATE_MANAGEMENT", StateManagement)):
                steps = rnd.randint(0 if qkind == "STATE_MANAGEMENT" else 1, 2)
                ranks = sorted(rnd.sample(range(len(levels) - 1), steps), reverse=True)
                for k, rank in enumerate(ranks):
                    quals.append({"staff": sid, "kind": qkind, "level": list(levels)[rank].code,
                                  "rank": rank, "major": None,
                                  "awarded_on": datetime.date(2000 + 5 * k + rnd.randint(0, 4), 6, 30)})
            for year in range(last_year - years + 1, last_year + 1):
                level = rnd.choice(LEVELS)
                ratings.append({"staff": sid, "unit": uid, "year": year,
                                "rule_set": rule_set_for(year, kind), "level": level,
                                "self_level": level, "original_label": None, "points": None,
                                "status": "APPROVED", "note": None,
                                "updated_at": datetime.datetime(year, 12, 10, 9, 0)})
        _bulk(Qualification, quals)
        _bulk(Rating, ratings)
        if monthly_year:
            _monthly(rnd, monthly_year, monthly_months, unit_ids, ids)
    return province


def _monthly(rnd, year, months, unit_ids, people):
    """A year of ND 335 tracking: each commune's catalogue of ``PRODUCTS`` products
    (decided), and for every civil servant and cadre in post, ``ASSIGNMENTS`` assigned
    products a month for ``months`` months with their results, and each month's sheet
    confirmed by the evaluator with the general criteria scored."""
    catalogues = {}
    for uid in unit_ids:
        catalogue = Catalogue.create(unit=uid, year=year, decision_number=f"{uid}/QĐ-UBND",
                                     decision_date=datetime.date(year, 1, 5),
                                     decided_by="chutich")
        catalogues[uid] = [
            Product.create(catalogue=catalogue, complexity_group=1 + k % 3,
                           name=f"Sản phẩm {k + 1}", coefficient=Decimal("1.00") + k % 3,
                           position=k).id
            for k in range(PRODUCTS)]
    rows, sheets = [], []
    end = datetime.date(year, 12, 31)
    for sid, uid, kind, joined in people:
        if kind not in ("CIVIL_SERVANT", "CADRE") or joined > end:
            continue
        for month in range(1, months + 1):
            for product in rnd.sample(catalogues[uid], ASSIGNMENTS):
                quantity = rnd.randint(1, 6)
                rows.append({"staff": sid, "year": year, "month": month, "product": product,
                             "coefficient": Decimal("1.00"), "quantity": quantity,
                             "completed": quantity - (rnd.random() < 0.1),
                             "delays": int(rnd.random() < 0.05), "failed_reviews": 0})
            sheets.append({"staff": sid, "unit": uid, "year": year, "month": month,
                           "period": "MONTH", "rule_set": "ND335_2025", "leader": False,
                           "self_general": Decimal(rnd.randint(24, 30)),
                           "general": Decimal(rnd.randint(24, 30)), "status": "CONFIRMED",
                           "evaluator": "truongbp"})
    _bulk(Assignment, rows)
    _bulk(Sheet, sheets)


def main(url):
    db = dbm.connect(url)
    dbm.migrate(db)
    start = time.perf_counter()
    generate(db)
    print(f"loaded in {time.perf_counter() - start:.1f} s: "
          f"{Staff.select().count()} staff, {Rating.select().count()} ratings, "
          f"{Qualification.select().count()} qualifications")


if __name__ == "__main__":
    main(sys.argv[1])
