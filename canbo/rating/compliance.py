"""Judging the ratings of one unit and year by a rule set: every rule of ``rules/yearly.py``.

``load(unit, year)`` reads what the rules need in a handful of queries (ratings with
their people, evaluations and task groups, absences, disciplines, the cycle);
``judge(cases, …)`` returns the ``Finding`` list.  Approval (``workflow.approve``) judges
the picture it is about to commit by each rating's own rule set; ``canbo check`` judges
recorded years by their own rule set (violations) and by today's (advisories).
"""
import dataclasses
import datetime

from peewee import JOIN

from canbo.levels import DisciplineKind, LeaderRole, StaffKind
from canbo.levels import Rating as RatingLevel
from canbo.models import Rating, Staff
from canbo.models.cycle import Absence, Cycle, Discipline, Evaluation, TaskGroup
from canbo.rules import rulesets, yearly
from canbo.vietnamese import vi_date, vi_decimal


@dataclasses.dataclass
class Case:
    """One person's rating as the rules see it; ``level`` is the level being judged."""

    rating: Rating
    staff: Staff
    level: str
    group: str
    evaluation: Evaluation = None
    absences: list = dataclasses.field(default_factory=list)
    disciplines: list = dataclasses.field(default_factory=list)

    @property
    def who(self):
        return f"{self.staff.full_name} ({self.staff.code})"


def default_group(kind):
    """The default task group of a person: one group per staff kind (REFERENCE.md §4)."""
    try:
        return StaffKind(kind).label
    except ValueError:
        return str(kind)


def load(unit, year, ratings=None):
    """``(cycle or None, [Case])`` for the unit's ratings of ``year`` that carry a level
    (or every rating in ``ratings`` when given)."""
    cycle = Cycle.get_or_none(Cycle.unit == unit, Cycle.year == year)
    if ratings is None:
        ratings = list(
            Rating.select(Rating, Staff).join(Staff)
            .where(Rating.unit == unit, Rating.year == year, Rating.level.is_null(False))
            .order_by(Staff.sort_name)
        )
    if not ratings:
        return cycle, []
    rating_ids = [r.id for r in ratings]
    staff_ids = list({r.staff_id for r in ratings})
    evaluations = {
        e.rating_id: e
        for e in Evaluation.select(Evaluation, TaskGroup)
        .join(TaskGroup, JOIN.LEFT_OUTER)
        .where(Evaluation.rating.in_(rating_ids))
    }
    absences, disciplines = {}, {}
    for a in Absence.select().where(Absence.staff.in_(staff_ids)):
        absences.setdefault(a.staff_id, []).append(a)
    for d in Discipline.select().where(Discipline.staff.in_(staff_ids)):
        disciplines.setdefault(d.staff_id, []).append(d)
    cases = []
    for r in ratings:
        ev = evaluations.get(r.id)
        group = ev.task_group.name if ev is not None and ev.task_group_id else None
        cases.append(Case(
            rating=r, staff=r.staff, level=r.level, evaluation=ev,
            group=group or default_group(r.staff.kind),
            absences=absences.get(r.staff_id, []),
            disciplines=disciplines.get(r.staff_id, []),
        ))
    return cycle, cases


def judge(cases, year, rule_set_of=None, unit_level=None, exception_ratio=None,
          verb="đề xuất", points=True, procedure=False):
    """Every broken rule among ``cases`` (levels as given in each case).

    ``rule_set_of(case)`` chooses the rule set (default: the rating's own); ``points``
    judges the points rules (off for advisories on years that had no points);
    ``procedure`` adds the rules of the procedure itself (the unit's own rating recorded,
    the Party committee's opinion for heads and deputies) that approval requires.
    """
    rule_set_of = rule_set_of or (lambda case: rulesets.get(case.rating.rule_set))
    findings, groups = [], {}
    for case in cases:
        rs = rule_set_of(case)
        if case.level:
            groups.setdefault((case.group, rs.code), []).append(case)
        findings.extend(_person(case, rs, year, unit_level, points, procedure))
    for (group, code), members in groups.items():
        rs = rulesets.get(code)
        good = [c.staff.code for c in members if c.level == RatingLevel.HTTNV.code]
        excellent = [c for c in members if c.level == RatingLevel.HTXSNV.code]
        found = yearly.excellent_quota(rs, group, good, [c.staff.code for c in excellent],
                                      exception_ratio, verb)
        if found:
            found.message = found.message.rstrip(".") + " — HTXSNV: " + ", ".join(
                c.who for c in excellent) + "."
            findings.append(found)
    return findings


def _person(case, rs, year, unit_level, points, procedure):
    out, level, staff = [], case.level, case.staff
    ev = case.evaluation
    if not level:
        return out
    elig = yearly.eligibility(rs, year, staff.joined_on, staff.left_on, case.absences)
    if not elig.eligible:
        out.append(yearly.Finding(
            yearly.NOT_ELIGIBLE,
            f"{case.who}: {elig.reason} → không thực hiện đánh giá, xếp loại "
            f"(NĐ 90/2020 Điều 2; NĐ 335/2025 Điều 11); đang {level}.",
            [staff.code], {"level": level, "reason": elig.reason}))
        return out
    if elig.cap and yearly.above(level, elig.cap):
        out.append(yearly.Finding(
            yearly.ABSENCE_CAP, f"{case.who}: {elig.cap_reason}; đang {level}.",
            [staff.code], {"level": level, "cap": elig.cap}))
    forced = yearly.disciplines_forcing_khtnv(rs, year, case.disciplines)
    if forced and level != RatingLevel.KHTNV.code:
        d = forced[0]
        what = DisciplineKind(d.kind).label if d.kind in DisciplineKind.labels() else d.kind
        number = f" (quyết định {d.decision_number})" if d.decision_number else ""
        out.append(yearly.Finding(
            yearly.DISCIPLINE,
            f"{case.who}: bị kỷ luật {what}{number} ngày {vi_date(d.decided_on)}, tính vào năm "
            f"{yearly.counted_year(d)} → phải xếp loại KHTNV ({rs.short}); đang {level}.",
            [staff.code], {"level": level, "decided_on": d.decided_on.isoformat()}))
    if ev is not None and ev.khtnv_finding and level != RatingLevel.KHTNV.code:
        out.append(yearly.Finding(
            yearly.KHTNV_CONDITION,
            f"{case.who}: {ev.khtnv_finding} → phải xếp loại KHTNV ({rs.short}); đang {level}.",
            [staff.code], {"level": level}))
    if points and rs.rates_on_points:
        out.extend(_points(case, rs, level, bool(forced or (ev and ev.khtnv_finding))))
    if rs.head_capped_by_unit and staff.leader_role == LeaderRole.HEAD.code:
        if unit_level is None:
            if procedure:
                out.append(yearly.Finding(
                    yearly.UNIT_RATING_MISSING,
                    f"{case.who} là người đứng đầu: chưa ghi mức xếp loại của đơn vị năm "
                    f"{year} để đối chiếu (NĐ 335/2025 Điều 20.6).", [staff.code], {}))
        elif yearly.above(level, unit_level):
            out.append(yearly.Finding(
                yearly.HEAD_ABOVE_UNIT,
                f"{case.who} là người đứng đầu: không được xếp loại cao hơn đơn vị "
                f"({unit_level}) (NĐ 335/2025 Điều 20.6); đang {level}.",
                [staff.code], {"level": level, "unit_level": unit_level}))
    if procedure and staff.leader_role in (LeaderRole.HEAD.code, LeaderRole.DEPUTY.code):
        if ev is None or not (ev.party_opinion or "").strip():
            out.append(yearly.Finding(
                yearly.PARTY_OPINION_MISSING,
                f"{case.who} là lãnh đạo: chưa có ý kiến của cấp ủy (NĐ 90/2020 Điều 20; "
                "NĐ 335/2025 Điều 21).", [staff.code], {}))
    return out


def _points(case, rs, level, overridden):
    points = case.rating.points
    if points is None:
        return [yearly.Finding(
            yearly.POINTS_MISSING,
            f"{case.who}: {rs.short} xếp loại theo điểm nhưng chưa có điểm của năm.",
            [case.staff.code], {"level": level})]
    expected = yearly.level_from_points(rs, points)
    if overridden or level == expected:
        return []
    return [yearly.Finding(
        yearly.POINTS_LEVEL,
        f"{case.who}: {vi_decimal(points)} điểm → {expected} (NĐ 335/2025 Điều 20: "
        f"≥ 90 HTXSNV, 70 – < 90 HTTNV, 50 – < 70 HTNV, < 50 KHTNV); đang {level}.",
        [case.staff.code], {"level": level, "points": str(points), "expected": expected})]


def today_rule_set(case, today=None, cadre_frame=rulesets.QD366):
    """The rule set that would govern this person's rating if it were made today."""
    year = (today or datetime.date.today()).year
    return rulesets.get(rulesets.rule_set_for(year, case.staff.kind, cadre_frame))


def check_year(unit, year, today=None):
    """What ``canbo check`` prints: the unit's recorded ratings of ``year`` judged by their
    own rule set (``violations``) and by the rule set that would govern them today
    (``advisories``, leaving out what is already a violation)."""
    today = today or datetime.date.today()
    cycle, cases = load(unit, year)
    frame = cycle.cadre_frame if cycle is not None else rulesets.QD366
    codes = sorted({c.rating.rule_set for c in cases}) or [
        rulesets.rule_set_for(year, StaffKind.CIVIL_SERVANT.code, frame)]
    violations = judge(
        cases, year, unit_level=cycle.unit_level if cycle else None,
        exception_ratio=cycle.exception_ratio if cycle else None, verb="có")
    seen = {(f.rule, tuple(f.staff)) for f in violations}
    advisories = [
        f for f in judge(cases, year, verb="có", points=False,
                         rule_set_of=lambda c: today_rule_set(c, today, frame))
        if (f.rule, tuple(f.staff)) not in seen
    ]
    return {
        "unit": unit.code,
        "year": year,
        "rule_set": ", ".join(codes),
        "today": today.isoformat(),
        "violations": [f.as_dict() for f in violations],
        "advisories": [f.as_dict() for f in advisories],
    }


def render_check(result, unit_name):
    """The text form of ``check_year``'s result, one finding per line."""
    labels = ", ".join(rulesets.LABELS.get(c, c) for c in result["rule_set"].split(", "))
    lines = [f"{unit_name} ({result['unit']}) — năm {result['year']} — {labels}"]
    for key, title in (("violations", f"Vi phạm theo quy định của năm {result['year']}"),
                       ("advisories", "Lưu ý theo quy định hiện hành")):
        items = result[key]
        lines.append(f"{title}: {len(items) or 'không có'}" + ("" if items else "."))
        lines.extend(f"- [{f['rule']}] {f['message']}" for f in items)
    return "\n".join(lines) + "\n"


@dataclasses.dataclass
class Meter:
    """How full one task group's excellent quota is (the cycle page's meter)."""

    group: str
    rule_set: str
    good: int
    excellent: int
    ratio: object  # Decimal, or None when the rule set has no quota
    allowed: int = None

    @property
    def over(self):
        return self.allowed is not None and self.excellent > self.allowed


def quota_meters(cycle, ratings):
    """One ``Meter`` per task group and rule set, over the levels proposed or decided."""
    _, cases = load(cycle.unit, cycle.year, [r for r in ratings if r.level])
    counts = {}
    for c in cases:
        key = (c.group, c.rating.rule_set)
        good, excellent = counts.get(key, (0, 0))
        counts[key] = (good + (c.level == RatingLevel.HTTNV.code),
                       excellent + (c.level == RatingLevel.HTXSNV.code))
    out = []
    for (group, code), (good, excellent) in sorted(counts.items()):
        ratio = yearly.quota_ratio(rulesets.get(code), cycle.exception_ratio)
        allowed = yearly.quota_allowed(good, ratio) if ratio is not None else None
        out.append(Meter(group, code, good, excellent, ratio, allowed))
    return out
