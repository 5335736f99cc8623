"""The tracking fed by the workflow's records: leave, discipline, the 2026 cycle's points."""
import datetime
import json
from decimal import Decimal
from types import SimpleNamespace

import pytest

from accounts import account
from canbo.errors import Forbidden, RuleViolation
from canbo.models import AuditLog, Rating, Staff, Unit, User
from canbo.models.cycle import Absence, Discipline
from canbo.models.tracking import Assignment, Product, Sheet
from canbo.rating import points as wp
from canbo.rating import workflow as wf
from canbo.tracking import catalogue as cat
from canbo.tracking import leave as year_records

D = datetime.date
YEAR = 2026


def leave(kind, first, last):
    return SimpleNamespace(kind=kind, starts_on=first, ends_on=last)


@pytest.mark.parametrize("absences, worked, kind", [
    ([leave("SICK", D(2026, 3, 1), D(2026, 3, 15))], None, None),        # 15 of 31 days
    ([leave("SICK", D(2026, 3, 1), D(2026, 3, 16))], {3}, "SICK"),       # 16 of 31 days
    ([leave("UNPAID", D(2026, 2, 1), D(2026, 2, 14))], None, None),      # exactly half
    ([leave("UNPAID", D(2026, 2, 1), D(2026, 2, 15))], {2}, "UNPAID"),
    ([leave("SICK", D(2026, 4, 1), D(2026, 4, 8)),                       # 8 + 9 > 15
      leave("SICK", D(2026, 4, 10), D(2026, 4, 18))], {4}, "SICK"),
    ([leave("OTHER", D(2026, 1, 1), D(2026, 12, 31))], None, None),      # not sick/maternity/unpaid
    ([leave("MATERNITY", D(2025, 10, 1), D(2026, 3, 31))], {1, 2, 3}, "MATERNITY"),
    ([leave("SICK", D(2026, 1, 1), D(2026, 1, 31)),
      leave("MATERNITY", D(2026, 6, 1), D(2026, 11, 30))],
     {1, 6, 7, 8, 9, 10, 11}, "MATERNITY"),
])
def test_a_month_is_worked_unless_leave_covers_more_than_half(absences, worked, kind):
    months, why = year_records.months_worked(YEAR, absences)
    assert (None if months is None else set(range(1, 13)) - months) == worked
    assert why == kind


# --- stored records (both engines) -------------------------------------------------------


@pytest.fixture
def unit(db):
    return Unit.create(code="KT", name="UBND xã Kim Tân", place_name="Kim Tân")


@pytest.fixture
def product(unit):
    officer = account("OFFICER", unit)
    c = cat.open_catalogue(officer, unit, YEAR)
    cat.add_product(officer, c, "N1", "Soạn thảo văn bản hành chính đơn giản", "1", 5, 5)
    cat.decide(account("CHAIRMAN", unit), c, "12/QĐ-UBND", D(2026, 1, 5))
    return c.products.order_by(Product.position).first()


def person(unit, code):
    s = Staff(unit=unit, code=code, full_name=f"Nguyễn Văn {code}", kind="CIVIL_SERVANT",
              joined_on=D(2015, 1, 1))
    s.save()
    return s


def fill(staff, product, scores):
    """Confirmed months ``{month: general points}``, every task done (task score 70)."""
    for month, general in scores.items():
        Assignment.create(staff=staff, year=YEAR, month=month, product=product,
                          coefficient=product.coefficient, quantity=2, completed=2)
        Sheet.create(staff=staff, unit=staff.unit, year=YEAR, month=month,
                     rule_set="ND335_2025", status="CONFIRMED", general=general)


def reprimand(staff, cause="PUBLIC_SERVICE", decided_on=D(2026, 5, 4), counted_year=None):
    return Discipline.create(staff=staff, system="ADMINISTRATIVE", kind="REPRIMAND",
                             cause=cause, decided_on=decided_on,
                             violation_year=decided_on.year, counted_year=counted_year)


def score_json(run):
    out = run("score", "--year", str(YEAR), "--unit", "KT", "--format", "json")
    assert out.exit_code == 0, out.output
    return {p["code"]: p for p in json.loads(out.output)["people"]}


def test_maternity_june_to_november_averages_the_six_months_worked(unit, product, run):
    staff = person(unit, "CC01")
    worked = [1, 2, 3, 4, 5, 12]
    fill(staff, product, {m: Decimal(18 + m) for m in worked})  # general ≤ 30
    assert not score_json(run)["CC01"]["complete"]  # no leave recorded: 6 months missing
    Absence.create(staff=staff, kind="MATERNITY", starts_on=D(2026, 6, 1),
                   ends_on=D(2026, 11, 30))
    p = score_json(run)["CC01"]
    expected = 70 + (18 * 6 + 1 + 2 + 3 + 4 + 5 + 12) / 6  # 92.5
    assert p["complete"] and p["average"] == expected and p["level"] == "HTXSNV"


@pytest.mark.parametrize("record, level", [
    (dict(), "KHTNV"),
    (dict(cause="OTHER"), "HTXSNV"),                              # neither cause of Điều 11.3.a
    (dict(cause="DEGRADATION"), "KHTNV"),                         # degradation (Điều 11.3.a)
    (dict(decided_on=D(2026, 1, 12), counted_year=2025), "HTXSNV"),  # counted in 2025 already
    (dict(decided_on=D(2025, 11, 3), counted_year=2026), "KHTNV"),
])
def test_a_reprimand_gives_khtnv_whatever_the_points(unit, product, run, record, level):
    staff = person(unit, "CC02")
    fill(staff, product, {m: Decimal(30) for m in range(1, 13)})
    reprimand(staff, **record)
    p = score_json(run)["CC02"]
    assert p["average"] == 100.0 and p["level"] == level


# --- the 2026 cycle -----------------------------------------------------------------------


@pytest.fixture
def officer(unit):
    return User.create(username="canbo", password_hash="x", role="OFFICER", unit=unit)


def test_opening_a_2026_cycle_takes_the_points_and_levels(unit, product, officer):
    a, b = person(unit, "CC10"), person(unit, "CC11")
    fill(a, product, {m: Decimal(26) for m in range(1, 13)})
    fill(b, product, {m: Decimal(26) for m in range(1, 7)})  # the year not complete
    reprimand(a, decided_on=D(2026, 9, 1), cause="OTHER")  # does not count (ND 335)
    wf.open_cycle(officer, unit, YEAR, today=D(2026, 11, 27))
    ra, rb = (Rating.get(Rating.staff == s, Rating.year == YEAR) for s in (a, b))
    assert (ra.points, ra.level, ra.status) == (Decimal("96.00"), "HTXSNV", "OPEN")
    assert (rb.points, rb.level) == (None, None)
    entry = AuditLog.get(AuditLog.action == "cycle.pull_points")
    changes = json.loads(entry.changes)
    assert changes["ratings"]["CC10"] == {"points": [None, "96.00"], "level": [None, "HTXSNV"]}
    assert changes["incomplete"] == ["CC11"]


def test_pulling_points_leaves_an_approved_rating_untouched(unit, product, officer):
    a, b = person(unit, "CC20"), person(unit, "CC21")
    for s in (a, b):
        fill(s, product, {m: Decimal(26) for m in range(1, 13)})
    cycle = wf.open_cycle(officer, unit, YEAR, today=D(2026, 11, 27))
    Rating.update(status="APPROVED", level="HTTNV", points=Decimal("85.00")).where(
        Rating.staff == b).execute()
    Sheet.update(general=Decimal(10)).execute()  # every month now scores 80
    Discipline.create(staff=a, system="PARTY", kind="WARNING", cause="PUBLIC_SERVICE",
                      decided_on=D(2026, 10, 1), violation_year=2026)
    done = wp.pull_points(officer, cycle)
    assert done == {"updated": 1, "incomplete": [], "kept": ["CC21"]}
    ra, rb = (Rating.get(Rating.staff == s, Rating.year == YEAR) for s in (a, b))
    assert (ra.points, ra.level) == (Decimal("80.00"), "KHTNV")  # a warning ≥ reprimand
    assert (rb.points, rb.level, rb.status) == (Decimal("85.00"), "HTTNV", "APPROVED")
    assert AuditLog.select().where(AuditLog.action == "cycle.pull_points").count() == 2


def test_pulling_points_needs_an_officer_and_a_2026_cycle(unit, product, officer):
    viewer = User.create(username="xem", password_hash="x", role="VIEWER", unit=unit)
    person(unit, "CC30")
    cycle = wf.open_cycle(officer, unit, YEAR, today=D(2026, 11, 27))
    with pytest.raises(Forbidden, match="lấy điểm theo dõi hằng tháng"):
        wp.pull_points(viewer, cycle)
    old = wf.open_cycle(officer, unit, 2025, today=D(2026, 11, 27))
    with pytest.raises(RuleViolation, match="từ năm 2026"):
        wp.pull_points(officer, old)
