"""The ND 335 tracking's year points into a unit's yearly cycle (REFERENCE.md §3, §6).

From 2026 a civil servant's year is the average of their monthly scores (ND 335/2025
Điều 17) and the points propose the level (Điều 20).  ``fill_points`` takes each
complete average from the tracking (``year_points.year_grid``, which reads leave and
discipline from the workflow's records) into ``Rating.points`` (``write_points``) and
sets the level the points propose — by the workflow's own rule
(``yearly.proposed_level``: thresholds, overridden by KHTNV for a discipline counted in
the year or a KHTNV finding) — on every rating of the cycle that is scored on 100 points
and not yet approved or published.  Cadres under the QĐ 366 frame are tracked on the same
100 points and are filled the same way.  The officer's proposal step may still change the
level; an approved or published rating is never touched.

``open_cycle`` calls it for a 2026+ cycle; the officer calls ``pull_points`` whenever
the month sheets have moved on (the cycle page's button), and ``canbo score --save``
calls ``pull_year`` for every cycle of a year in its units — the same checks, writes and
audit: each pull writes one audit entry on the cycle listing every rating changed
(points and level, before → after).
"""
from canbo.db import database
from canbo.errors import RuleViolation
from canbo.levels import FINAL_STATUSES
from canbo.levels import RatingStatus as S
from canbo.models import Rating
from canbo.models.cycle import Cycle, Evaluation
from canbo.rating.guards import cycle_ratings, lock, not_published
from canbo.records import audit
from canbo.records.users import require
from canbo.rules import rulesets, scoring, yearly
from canbo.tracking import year_points as yp

ACTION = "lấy điểm theo dõi hằng tháng"


def _text(points):
    """Points as the audit log keeps them: two decimals whatever the engine returned."""
    return None if points is None else str(scoring.ScoringRules().round(points))


def _scored(rating):
    return rating.rule_set in scoring.RULES and rulesets.get(rating.rule_set).rates_on_points


def fill_points(actor, cycle):
    """Fill points and proposed levels of ``cycle`` from the tracking (no role check: the
    caller has made it, in its own transaction).  Returns ``{"updated": n, "incomplete":
    [codes], "kept": [codes]}``: ratings changed, people whose year is not complete yet,
    ratings left alone because they are approved or published."""
    grid = {p.staff_id: p for p in yp.year_grid(cycle.year, [cycle.unit_id])}
    ratings = [r for r in cycle_ratings(cycle) if _scored(r)]
    before = {r.id: (r.points, r.level) for r in ratings}
    yp.write_points(cycle.year, list(grid.values()), unit_ids=[cycle.unit_id])
    findings = {e.rating_id: e.khtnv_finding for e in Evaluation.select().where(
        Evaluation.rating.in_([r.id for r in ratings] or [0]))}
    changes, incomplete, kept = {}, [], []
    for rating in ratings:
        person = grid.get(rating.staff_id)
        if rating.status in FINAL_STATUSES:
            kept.append(rating.staff.code)
            continue
        if person is None or not person.complete:
            incomplete.append(rating.staff.code)
            continue
        rating = Rating.get_by_id(rating.id)  # the points just written
        if rating.status != S.NOT_ELIGIBLE.code:
            rs = rulesets.get(rating.rule_set)
            reasons = yearly.khtnv_reasons(rs, rating.year, list(rating.staff.disciplines),
                                           findings.get(rating.id))
            rating.level = yearly.proposed_level(rs, rating.points, reasons)
            rating.save()
        after = (rating.points, rating.level)
        if after != before[rating.id]:
            changes[rating.staff.code] = {"points": [_text(before[rating.id][0]),
                                                     _text(after[0])],
                                          "level": [before[rating.id][1], after[1]]}
    audit.record(actor.username, "cycle.pull_points", cycle,
                 changes={"ratings": changes, "incomplete": incomplete, "kept": kept})
    return {"updated": len(changes), "incomplete": incomplete, "kept": kept}


def pull_points(actor, cycle):
    """Lấy điểm theo dõi hằng tháng: the officer refreshes the cycle's points and
    proposed levels from the tracking (roles: officer, admin; the cycle not published;
    a 2026+ cycle)."""
    require(actor, "cycle.prepare", ACTION, cycle.unit_id)
    if not rulesets.tracked_monthly(cycle.year):
        raise RuleViolation(f"Năm {cycle.year}: Nghị định 335/2025 chấm điểm hằng tháng từ "
                            f"năm {rulesets.MONTHLY_TRACKING_FROM}; không có điểm theo dõi để lấy.",
                            year=cycle.year)
    with database.atomic():
        cycle = lock(cycle.id)
        not_published(cycle, ACTION)
        return fill_points(actor, cycle)


def pull_year(actor, year, unit_ids, progress=None):
    """``pull_points`` into every cycle of ``year`` among the units ``unit_ids`` (the
    command line's ``canbo score --save``), each with its checks and audit entry.

    Returns ``{"updated": n, "incomplete": [codes], "kept": [codes], "cycles": [unit
    codes pulled], "published": [unit codes left alone]}``; ``RuleViolation`` when no
    unit has opened the year's cycle, since the points are kept in the cycle's ratings.
    ``progress(done, total)`` is called after each cycle (the command line's bar).
    """
    cycles = list(Cycle.select().where(Cycle.year == year, Cycle.unit.in_(list(unit_ids)))
                  .order_by(Cycle.id))
    if not cycles:
        raise RuleViolation(f"Chưa mở kỳ đánh giá năm {year} ở đơn vị nào trong phạm vi; "
                            "điểm năm được ghi vào kết quả xếp loại của kỳ đánh giá — hãy "
                            "mở kỳ ở trang «Kỳ đánh giá năm» trước.", year=year)
    out = {"updated": 0, "incomplete": [], "kept": [], "cycles": [], "published": []}
    report = progress or (lambda done, total: None)
    for number, cycle in enumerate(cycles, 1):
        report(number - 1, len(cycles))
        if cycle.is_published:
            out["published"].append(cycle.unit.code)
            continue
        done = pull_points(actor, cycle)
        out["updated"] += done["updated"]
        out["incomplete"] += done["incomplete"]
        out["kept"] += done["kept"]
        out["cycles"].append(cycle.unit.code)
    report(len(cycles), len(cycles))
    return out
