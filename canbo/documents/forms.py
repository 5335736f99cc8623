"""The rating forms of one person and year, as plain data the templates print.

Which form (REFERENCE.md §6–7):
- ratings under ND 56/2015 and ND 90/2020 (with or without ND 48/2023), and cadres or
  public employees after 2025: the ND 90 annex forms — Mẫu 01 cadre, Mẫu 02 civil
  servant, Mẫu 03 public employee — sections I–IV, the leaders-only part for heads and
  deputies, the four levels as tick boxes (self-rating in II, final rating in IV);
- civil servants under ND 335/2025 (2026 on): annex II Mẫu 02, the yearly sheet with the
  12 monthly totals and their average (Điều 17), and Mẫu 01, the monthly sheet with the
  30-point table of general criteria (Điều 12) and the task score (Điều 16).

Texts typed in the workflow (self-assessment, comments) and the ND 335 monthly points
come from two small interfaces, ``form_texts`` and ``year_scores``, which read the
workflow's and the tracking's records (``models.cycle``, ``tracking.year_points``);
whatever is not filled in prints as dotted lines to write on.  The year's points Mẫu 02
prints are ``year_grid``'s, the number ``canbo score`` shows and the cycle stores.

Contexts are plain dicts of strings and numbers, so batch printing can send them to
worker processes.
"""
import dataclasses
import datetime
import json

from peewee import JOIN

from canbo.documents.render import Header, expand_unit_name, place_date
from canbo.errors import InvalidInput
from canbo.levels import FINAL_STATUSES, LeaderRole, StaffKind
from canbo.models import Evaluation, Rating, Sheet, Staff, Title, Unit, User
from canbo.records.units import in_post_during
from canbo.rules import scoring
from canbo.rules.rulesets import ND335, rule_set_for
from canbo.tracking import evaluators, year_points
from canbo.vietnamese import vi_date, vi_decimal, vi_points

COMMON = [
    "Chính trị tư tưởng",
    "Đạo đức, lối sống",
    "Tác phong, lề lối làm việc",
    "Ý thức tổ chức kỷ luật",
    "Kết quả thực hiện chức trách, nhiệm vụ được giao (xác định rõ nội dung công việc "
    "thực hiện; tỷ lệ hoàn thành, chất lượng, tiến độ công việc)",
]
SERVICE = ("Thái độ phục vụ nhân dân, doanh nghiệp (đối với những vị trí tiếp xúc trực "
           "tiếp hoặc trực tiếp giải quyết công việc của người dân và doanh nghiệp)")
LEADERS = [
    "Kết quả hoạt động của cơ quan, tổ chức, đơn vị được giao lãnh đạo, quản lý, phụ trách",
    "Năng lực lãnh đạo, quản lý",
    "Năng lực tập hợp, đoàn kết",
]

#: ND 90/2020 annex, per staff kind: (form number, word in the title, criteria,
#: heading of the leaders-only part).  ND 90 Điều 3–5; REFERENCE.md §3 and §7.
ND90_FORMS = {
    "CADRE": ("Mẫu số 01", "CÁN BỘ", COMMON, "PHẦN DÀNH RIÊNG CHO CÁN BỘ LÃNH ĐẠO, QUẢN LÝ"),
    "CIVIL_SERVANT": ("Mẫu số 02", "CÔNG CHỨC", COMMON + [SERVICE],
                      "PHẦN DÀNH RIÊNG CHO CÔNG CHỨC LÃNH ĐẠO, QUẢN LÝ"),
    "PUBLIC_EMPLOYEE": ("Mẫu số 03", "VIÊN CHỨC", COMMON + [SERVICE],
                        "PHẦN DÀNH RIÊNG CHO VIÊN CHỨC QUẢN LÝ"),
}
RATED_KINDS = tuple(ND90_FORMS)
#: The workflow's codes of the leaders' criteria (``RuleSet.criteria``); the
#: cadre form prints them as 6–8, the others as 7–9.
LEADER_CODES = (7, 8, 9)


@dataclasses.dataclass
class FormTexts:
    """What people wrote for a rating; empty strings print as lines to write on."""

    criteria: dict = dataclasses.field(default_factory=dict)  # criterion number → text
    strengths: str = ""
    manager_comment: str = ""
    authority_comment: str = ""
    proposal: str = ""
    # The dates and names the records know, printed instead of dots (Mẫu 02).
    self_assessed_on: datetime.date = None
    decided_on: datetime.date = None
    decided_by_name: str = ""


def form_texts(ratings):
    """``{rating id: FormTexts}`` for ``ratings``, in one query.

    From the workflow's ``Evaluation`` records (``models.cycle``): the text per
    criterion ("1" … "9"), the self-review ("II", or ND 335's "STRENGTHS"/"WEAKNESSES")
    and the unit meeting's comments, printed in section III with the meeting's date.
    Ratings without a record print lines to write on.
    """
    if not ratings:
        return {}
    out = {}
    query = list(Evaluation.select().where(Evaluation.rating.in_([r.id for r in ratings])))
    deciders = {e.decided_by for e in query if e.decided_by}
    names = dict(User.select(User.username, Staff.full_name).join(Staff).where(
        User.username.in_(deciders)).tuples()) if deciders else {}
    for ev in query:
        texts = json.loads(ev.criteria or "{}")
        review = texts.get("II") or "\n".join(
            t for t in (texts.get("STRENGTHS"), texts.get("WEAKNESSES")) if t)
        meeting = ev.meeting_comments or ""
        if meeting and ev.meeting_on:
            meeting = f"Ý kiến tại cuộc họp đơn vị ngày {vi_date(ev.meeting_on)}: {meeting}"
        out[ev.rating_id] = FormTexts(
            criteria={int(k): v for k, v in texts.items() if str(k).isdigit() and v},
            strengths=review, manager_comment=meeting,
            proposal=ev.khtnv_finding or "",
            self_assessed_on=ev.self_assessed_at.date() if ev.self_assessed_at else None,
            decided_on=ev.decided_at.date() if ev.decided_at else None,
            decided_by_name=names.get(ev.decided_by, ""))
    return out


def year_scores(staff_list, year):
    """``{staff id: year_points.PersonYear}``: the ND 335 periods of ``year`` and the
    year's points, from ``year_points.year_grid`` (the tracking sheets, the leave and
    discipline records).

    A month prints when its score is complete (confirmed sheet); a unit tracking by
    quarter fills the quarter's last month.  The average is the grid's — over the months
    worked, by quarter where the unit tracks quarterly (``scoring.year_average``, Điều
    17, 19.3) — so the form, ``canbo score`` and the cycle agree.  Until tracking has
    data the table prints empty.
    """
    if not staff_list:
        return {}
    wanted = {s.id for s in staff_list}
    return {person.staff_id: person
            for person in year_points.year_grid(year, sorted({s.unit_id for s in staff_list}),
                                                staff_ids=wanted)}


def form_variant(kind, rule_set):
    """``"nd90"`` or ``"nd335"``: which annex a rating of ``kind`` under ``rule_set`` uses."""
    if kind not in RATED_KINDS:
        raise InvalidInput(
            f"«{StaffKind(kind).label}» không thuộc diện đánh giá, xếp loại chất lượng; "
            "chỉ in phiếu cho cán bộ, công chức, viên chức.", kind=kind)
    return "nd335" if rule_set == ND335 else "nd90"


def _person(staff, unit):
    return {
        "name": staff.full_name if staff else "",
        "title": (staff.title.name if staff and staff.title_id else ""),
        "unit_name": expand_unit_name(unit.name) if unit else "",
        "leader": bool(staff) and staff.leader_role in (LeaderRole.HEAD.code,
                                                        LeaderRole.DEPUTY.code),
    }


def _average_note(scores):
    """Mẫu 02's note on the year's average: over which months, when not all twelve."""
    if scores is None:
        return ""
    untracked = [m for m, c in scores.cells.items()
                 if c.missing == year_points.Missing.NOT_TRACKED]
    if untracked:
        first = max(untracked) + 1
        return (f"Trung bình các tháng {first}–12 (đơn vị theo dõi từ tháng {first})"
                + (f"; {scores.note}" if scores.note else ""))
    return scores.note or ""


def _month_note(scores, month):
    """Mẫu 02's "Ghi chú" of a month: why it has no score, or why it is not counted."""
    if scores is None:
        return ""
    cell = scores.cells.get(month)
    if cell is not None and cell.missing == year_points.Missing.NOT_TRACKED:
        return "Chưa theo dõi (đơn vị bắt đầu theo dõi sau tháng này)"
    if scores.worked is not None and month not in scores.worked:
        return "Không tính vào điểm trung bình năm"
    if cell is not None and cell.outside:
        return f"Tại {cell.outside} (trước khi chuyển đến)"
    return cell.missing if cell is not None and cell.missing else ""


def form_context(staff, unit, year, kind, rating=None, texts=None, scores=None,
                 blank=False, rule_set=None):
    """The context of one yearly form (ND 90 Mẫu 01/02/03 or ND 335 Mẫu 02); ``scores``
    is the person's ``year_points.PersonYear`` (``year_scores``)."""
    if rule_set is None:
        rule_set = rating.rule_set if rating else rule_set_for(year or 2025, kind)
    variant = form_variant(kind, rule_set)
    texts = texts or FormTexts()
    final = rating is not None and rating.status in FINAL_STATUSES
    ctx = {
        "template": f"form_{variant}.html",
        "header": Header.of(unit) if unit else Header("", "", ""),
        "year": year or "",
        "blank": blank,
        "self_level": rating.self_level if rating else None,
        "level": rating.level if final else None,
        "texts": dataclasses.asdict(texts),
        "date_line": place_date(unit.place_name if unit else "............"),
        **_person(staff, unit),
    }
    if blank:
        ctx["leader"] = True  # a blank form carries the leaders' part, to use or strike out
    if variant == "nd90":
        number, word, criteria, leaders_heading = ND90_FORMS[kind]
        ctx.update(form_no=number, kind_word=word,
                   criteria=[(n, text, n) for n, text in enumerate(criteria, 1)],
                   leader_criteria=[(n, text, code) for n, text, code in zip(
                       range(len(criteria) + 1, len(criteria) + 4), LEADERS, LEADER_CODES)],
                   leaders_heading=leaders_heading)
    else:
        cells = scores.cells if scores else {}
        place = unit.place_name if unit else "............"
        ctx.update(form_no="Mẫu số 02", kind_word="CÔNG CHỨC",
                   months=[(m, scoring.points_text(cells[m].score) if m in cells else "",
                            _month_note(scores, m)) for m in range(1, 13)],
                   average=scoring.points_text(scores.points if scores else None),
                   average_note=_average_note(scores),
                   self_date_line=place_date(place, texts.self_assessed_on, year),
                   decided_date_line=place_date(place, texts.decided_on, year))
    return ctx


def tracked_sheet(staff, year, month):
    """The tracking's sheet (ND 335 Mẫu 01) of ``staff`` for ``month`` as the data
    ``monthly_context`` prints, or ``None`` when there is none."""
    if staff is None:
        return None
    sheet = Sheet.get_or_none((Sheet.staff == staff.id) & (Sheet.year == year)
                                    & (Sheet.month == month))
    if sheet is None:
        return None
    task = sheet.task_score
    return {
        "items": [(i.code, i.label, i.max_points, i.self_points, i.points)
                  for i in sorted(sheet.items, key=lambda i: i.position)],
        "self_general": sheet.self_general, "general": sheet.general,
        "task": None if task is None else task * 70 / 100, "task_percent": task,
        "total": sheet.total, "strengths": sheet.strengths or "",
        "weaknesses": sheet.weaknesses or "", "comment": sheet.comment or "",
        "period": sheet.period, "submitted": sheet.submitted_at, "confirmed": sheet.confirmed_at,
    }


def _criteria_groups(items):
    """``[(group, heading, max, [(number, label, max, self, given)])]`` from the items
    ``(code "II.3", label, max, self, given)``; headings from ``scoring.GENERAL_CRITERIA``."""
    general = scoring.GENERAL_CRITERIA
    headings = {code: heading for code, heading, _ in general}
    groups = {}
    for code, label, top, own, given in items:
        group, _, number = str(code).partition(".")
        groups.setdefault(group, []).append(
            (number or group, label, top, vi_points(own), vi_points(given)))
    # A maximum prints as the annex writes it, "5" or "2,5"; the group's is their sum.
    return [(g, headings.get(g, ""), vi_decimal(sum(r[2] for r in rows)),
             [(n, label, vi_decimal(top), own, given) for n, label, top, own, given in rows])
            for g, rows in groups.items()]


def monthly_context(staff, unit, year, month=None, sheet=None):
    """ND 335 Mẫu 01, the monthly sheet (Điều 12, 16, 17).  ``sheet`` is
    ``tracked_sheet()``'s data; without it the criteria of ``scoring.GENERAL_CRITERIA``
    (the province's, as data) print with empty points."""
    if sheet is None and month:
        sheet = tracked_sheet(staff, year, month)
    sheet = sheet or {}
    items = sheet.get("items") or [
        (code, label, top, None, None)
        for _, _, rows in (scoring.GENERAL_CRITERIA)
        for code, label, top in rows]
    place = unit.place_name if unit else "............"
    submitted, confirmed = sheet.get("submitted"), sheet.get("confirmed")
    evaluator = None
    if staff is not None and month:
        evaluator = evaluators.of(staff, year, month).name
    if sheet.get("period") == "QUARTER" and month:
        period_text = f"quý {(int(month) + 2) // 3} năm {year}"
    else:
        period_text = f"tháng {month} năm {year}" if month and year else ""
    return {
        "template": "form_nd335_month.html",
        "period_text": period_text,
        # The names and dates the sheet knows are printed (who evaluates: Điều 10.1).
        "evaluator_name": evaluator if confirmed else (evaluator or ""),
        "self_date_line": place_date(place, submitted.date() if submitted else None, year),
        "header": Header.of(unit) if unit else Header("", "", ""),
        "year": year or "", "month": month or "",
        "groups": _criteria_groups(items),
        "self_general": vi_points(sheet.get("self_general")),
        "general": vi_points(sheet.get("general")), "task": vi_points(sheet.get("task")),
        "task_percent": vi_points(sheet.get("task_percent")),
        "total": vi_points(sheet.get("total")),
        "strengths": sheet.get("strengths", ""), "weaknesses": sheet.get("weaknesses", ""),
        "comment": sheet.get("comment", ""),
        "date_line": place_date(place, confirmed.date() if confirmed else None, year),
        **_person(staff, unit),
    }


# --- queries --------------------------------------------------------------------------


def staff_of_year(ids, year):
    """Staff of units ``ids`` to print forms for: rated there in ``year``, or in post
    during the year and of a rated kind; in unit order, then the staff list's order."""
    rated = Rating.select(Rating.staff).where((Rating.year == year) & Rating.unit.in_(ids))
    in_year = (Staff.unit.in_(ids) & Staff.kind.in_(RATED_KINDS)
               & in_post_during(datetime.date(year, 1, 1), datetime.date(year, 12, 31)))
    people = list(Staff.select(Staff, Title, Unit).join(Title, join_type=JOIN.LEFT_OUTER)
                  .switch(Staff).join(Unit)
                  .where(Staff.id.in_(rated) | in_year))
    position = {uid: i for i, uid in enumerate(ids)}
    people.sort(key=lambda s: (position.get(s.unit_id, len(ids)), s.sort_name, s.id))
    return people


def year_contexts(people, year):
    """Form contexts for ``people`` in ``year``: three queries whatever their number."""
    ratings = {r.staff_id: r for r in Rating.select().where(
        (Rating.year == year) & Rating.staff.in_([p.id for p in people]))}
    units = {u.id: u for u in Unit.select()}
    texts = form_texts(list(ratings.values()))
    nd335 = [p for p in people if (ratings[p.id].rule_set if p.id in ratings
                                   else rule_set_for(year, p.kind)) == ND335]
    scores = year_scores(nd335, year)
    out = []
    for person in people:
        rating = ratings.get(person.id)
        unit = units[rating.unit_id] if rating else units[person.unit_id]
        if unit.parent_id:
            unit.parent = units[unit.parent_id]
        out.append(form_context(person, unit, year, person.kind, rating,
                                texts.get(rating.id) if rating else None,
                                scores.get(person.id)))
    return out


def blank_context(kind, variant="nd90", unit=None, year=None):
    """A blank form of ``kind`` (``nd90``, ``nd335`` yearly or ``nd335_month``)."""
    if variant == "nd335_month":
        return monthly_context(None, unit, year)
    rule_set = ND335 if variant == "nd335" else "ND90_ND48_2023"
    if variant == "nd335" and kind != "CIVIL_SERVANT":
        raise InvalidInput("Phiếu theo Nghị định 335/2025/NĐ-CP chỉ dành cho công chức.")
    return form_context(None, unit, year, kind, blank=True, rule_set=rule_set)
