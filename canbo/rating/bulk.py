"""Many people through one step of the yearly cycle at once (REFERENCE.md §6).

The officer records the self-assessments of a whole sheet (``self_assess_rows``: one row
per person, as ``spreadsheets.self_assessment`` reads it) and proposes the levels of the
people selected on the cycle page, with the unit meeting's comments for those not yet
commented (``propose_many``); the chairman approves or returns the selected with
``workflow.approve`` and ``workflow.return_ratings``, which already judge the whole
selection at once.

Each is all or nothing: every row or person is checked by the same step as one by one
(``workflow.self_assess``, ``record_comments``, ``propose``: permission, unit, status,
lock, audit entry), inside one transaction; when any is refused, nothing is written and
the message lists every refusal, naming the row (or the person) and the field.
"""
import dataclasses

from canbo.db import database
from canbo.errors import CanboError, Forbidden, InvalidInput, NotFound, RuleViolation
from canbo.levels import Rating as RatingLevel
from canbo.levels import RatingStatus as S
from canbo.models.cycle import Evaluation
from canbo.rating import workflow as wf
from canbo.rating.guards import cycle_ratings, lock, not_published
from canbo.records.users import require
from canbo.rules import rulesets

#: The statuses from which a self-assessment is (re)written (``workflow.self_assess``).
SELF_ASSESSABLE = wf.SELF_ASSESS_FROM
#: The statuses from which a level is proposed: those ``workflow.propose`` starts from,
#: and a self-assessed one, which the meeting's comments take there first.
PROPOSABLE = (S.SELF_ASSESSED.code, *wf.PROPOSE_FROM)
#: What the cycle page's level list sends for "let the points propose it" (ND 335 Điều 20).
BY_POINTS = "POINTS"
SHEET_COLUMNS = {"code": "Mã cán bộ", "self_level": "Tự xếp loại", "text": "Tự đánh giá"}


class BulkRefused(RuleViolation):
    """A bulk step refused: nothing was written; ``problems`` lists every refusal."""


@dataclasses.dataclass
class Done:
    """What a bulk step wrote: the ratings changed and the rows left alone (empty)."""

    ratings: list
    skipped: list = dataclasses.field(default_factory=list)


def _refuse(what, problems):
    raise BulkRefused(f"Chưa ghi gì — {what} ({len(problems)} lỗi):\n"
                      + "\n".join(f"- {p}" for p in problems), problems=problems)


def template_people(cycle):
    """``[(code, full name, self-level, text)]`` to prefill the sheet: the cycle's people
    who may still self-assess, with what is already recorded."""
    ratings = [r for r in cycle_ratings(cycle) if r.status in SELF_ASSESSABLE]
    texts = {e.rating_id: e.criteria_texts for e in Evaluation.select().where(
        Evaluation.rating.in_([r.id for r in ratings] or [0]))}
    return [(r.staff.code, r.staff.full_name, r.self_level,
             texts.get(r.id, {}).get(rulesets.get(r.rule_set).summary_criterion))
            for r in ratings]


def self_assess_rows(actor, cycle, rows, rating_ids=None):
    """Ghi tự đánh giá từ tệp: for each row ``{"row", "code", "self_level", "text"}``, the
    person's self-rating and their text (kept under the rule set's summary criterion,
    their other criteria as recorded), by ``workflow.self_assess``.  Every row is checked
    first — the code is a person of the cycle and appears once, the level is chosen and
    is one of the list (there is no default, ND 90/2020 Điều 19.1), the rating is still at
    the self-assessment step — and one refusal writes nothing.  ``rating_ids``: only the
    people selected on the cycle page; the sheet's other rows are left alone (skipped).
    """
    require(actor, "cycle.prepare", "ghi tự đánh giá từ tệp", cycle.unit_id)
    if not rows:
        raise InvalidInput("Tệp không có dòng nào có dữ liệu dưới dòng tiêu đề.")
    with database.atomic():
        cycle = lock(cycle.id)
        not_published(cycle, "ghi tự đánh giá")
        by_code = {r.staff.code.casefold(): r for r in cycle_ratings(cycle)}
        wanted = None if rating_ids is None else set(rating_ids)
        problems, plan, seen, skipped = [], [], {}, []
        for row in rows:
            where = f"Dòng {row['row']}"
            code = row.get("code")
            if not code:
                problems.append(f"{where}, cột «{SHEET_COLUMNS['code']}»: chưa ghi mã.")
                continue
            rating = by_code.get(code.casefold())
            if rating is None:
                problems.append(f"{where}, cột «{SHEET_COLUMNS['code']}»: mã «{code}» không có "
                                f"trong kỳ đánh giá năm {cycle.year} của {cycle.unit.name}.")
                continue
            if code.casefold() in seen:
                problems.append(f"{where}, cột «{SHEET_COLUMNS['code']}»: mã «{code}» đã có ở "
                                f"dòng {seen[code.casefold()]}; mỗi người một dòng.")
                continue
            seen[code.casefold()] = row["row"]
            if wanted is not None and rating.id not in wanted:
                skipped.append(rating.staff.code)
                continue
            who = f"{where} ({rating.staff.full_name})"
            level = row.get("self_level")
            if not level:
                problems.append(f"{who}, cột «{SHEET_COLUMNS['self_level']}»: chưa chọn mức "
                                "tự xếp loại (bắt buộc).")
                continue
            try:
                level = wf.self_level_code(level)
            except InvalidInput as exc:
                problems.append(f"{who}, cột «{SHEET_COLUMNS['self_level']}»: {exc.message}")
                continue
            if rating.status not in SELF_ASSESSABLE:
                problems.append(f"{who}: đang «{S(rating.status).label}», không ghi lại tự "
                                "đánh giá được; chỉ từ: "
                                + ", ".join(f"«{S(s).label}»" for s in SELF_ASSESSABLE) + ".")
                continue
            plan.append((rating, level, row.get("text")))
        if problems:
            _refuse("tệp tự đánh giá có lỗi", problems)
        if not plan:
            raise InvalidInput("Không có dòng nào của người được chọn trong tệp.")
        texts = {e.rating_id: e.criteria_texts for e in Evaluation.select().where(
            Evaluation.rating.in_([r.id for r, _, _ in plan]))}
        done = []
        for rating, level, text in plan:
            criteria = dict(texts.get(rating.id, {}))
            summary = rulesets.get(rating.rule_set).summary_criterion
            if text:
                criteria[summary] = text
            try:
                done.append(wf.self_assess(actor, rating, criteria, level))
            except Forbidden:
                raise
            except CanboError as exc:  # what the step refuses that the checks above did not
                problems.append(f"{rating.staff.full_name} ({rating.staff.code}): {exc.message}")
        if problems:  # raising rolls back the steps already written
            _refuse("tệp tự đánh giá có lỗi", problems)
    return Done(done, skipped)


def propose_many(actor, cycle, levels, comments=None, meeting_on=None, party_opinion=None):
    """Đề xuất cho các mục đã chọn: ``levels`` maps each selected rating's id to the level
    proposed (a code, or ``BY_POINTS`` where the rule set rates on points, ND 335/2025
    Điều 20).  Those not yet past the unit meeting get its ``comments`` (and date) first,
    by ``workflow.record_comments``; then each is proposed by ``workflow.propose``.  One
    refusal — no level chosen, a level not in the list, "theo điểm" for an ND 90 rating, a
    rating not at the proposal step, no comments for one who needs them — writes nothing.
    """
    require(actor, "cycle.prepare", "đề xuất mức xếp loại", cycle.unit_id)
    if not levels:
        raise RuleViolation("Chưa chọn người nào để đề xuất; hãy đánh dấu ở cột đầu bảng.")
    comments = (comments or "").strip()
    with database.atomic():
        cycle = lock(cycle.id)
        not_published(cycle, "đề xuất")
        ratings = {r.id: r for r in cycle_ratings(cycle)}
        if set(levels) - set(ratings):
            raise NotFound("Có bản ghi được chọn không thuộc kỳ đánh giá này.")
        problems, plan = [], []
        for rating in (r for r in ratings.values() if r.id in levels):  # the list's order
            who = f"{rating.staff.full_name} ({rating.staff.code})"
            rs = rulesets.get(rating.rule_set)
            level = (levels[rating.id] or "").strip()
            if rating.status not in PROPOSABLE:
                problems.append(f"{who}: đang «{S(rating.status).label}», chưa đề xuất được; "
                                "chỉ từ: " + ", ".join(f"«{S(s).label}»" for s in PROPOSABLE)
                                + ".")
                continue
            if level == BY_POINTS:
                if not rs.rates_on_points:
                    problems.append(f"{who}, cột «Mức đề xuất»: {rs.short} không xếp loại theo "
                                    "điểm; hãy chọn mức xếp loại.")
                    continue
                level = None
            elif not level:
                problems.append(f"{who}, cột «Mức đề xuất»: chưa chọn mức xếp loại.")
                continue
            else:
                try:
                    level = RatingLevel.parse(level).code
                except InvalidInput as exc:
                    problems.append(f"{who}, cột «Mức đề xuất»: {exc.message}")
                    continue
            if rating.status == S.SELF_ASSESSED.code and not comments:
                problems.append(f"{who}: chưa có ý kiến tại cuộc họp đơn vị; hãy ghi ý kiến "
                                "chung của cuộc họp.")
                continue
            plan.append((rating, level))
        if problems:
            _refuse("đề xuất các mục đã chọn", problems)
        done = []
        for rating, level in plan:
            try:
                if rating.status == S.SELF_ASSESSED.code:
                    wf.record_comments(actor, rating, comments, meeting_on,
                                       party_opinion=party_opinion)
                done.append(wf.propose(actor, rating, level))
            except Forbidden:
                raise
            except CanboError as exc:
                problems.append(f"{rating.staff.full_name} ({rating.staff.code}): {exc.message}")
        if problems:  # raising rolls back the steps already written
            _refuse("đề xuất các mục đã chọn", problems)
    return Done(done)
