"""The papers of the yearly review under ND 335/2025 (Điều 21, 22, 24) as PDF.

- ``minutes_pdf``: the minutes (biên bản) of the unit's review meeting — Điều 21.1.b and
  21.2.b: all the unit's civil servants attend, each presents a self-assessment, the
  members' comments "must be recorded in the minutes and adopted at the meeting"; for
  each person reviewed it prints the self-assessment, the comments recorded
  (``Evaluation.meeting_comments``), the year's points from tracking
  (``year_points.year_grid``) and the proposed level;
- ``notice_pdf``: the written notice of the result to the civil servant (Điều 21.1.đ,
  21.2.đ), with the right to a kiến nghị of Điều 22;
- ``announcement_pdf``: the list made public in the unit (Điều 21.1.đ, 21.2.đ):
  STT, name, title, points, level, in the staff list's order, totals per level;
- ``file_pdf``: the person's electronic file of the year (Điều 24.2): the monthly
  sheets (Mẫu 01), the yearly sheet (Mẫu 02), the extract of the minutes, the Party
  committee's opinion and the kiến nghị with its answer — one PDF (``batch.merge_pdfs``).

Every name and date the records know prints; what they do not know prints as dots to
fill in by hand.  Rendering goes through ``render.render_pdf`` (autoescape, the
package-only fetcher).
"""
import collections
import dataclasses
import datetime
import io
import json

from peewee import JOIN

from canbo.documents import batch
from canbo.documents.forms import (
    RATED_KINDS,
    FormTexts,
    form_texts,
    monthly_context,
    year_contexts,
)
from canbo.documents.render import (
    Header,
    expand_unit_name,
    file_name,
    place_date,
    render_pdf,
    signature,
    signer_name,
)
from canbo.errors import InvalidInput, NoData
from canbo.levels import FINAL_STATUSES, RatingStatus
from canbo.levels import Rating as RatingLevel
from canbo.models import Rating, Sheet, Staff, Title, Unit, User
from canbo.models.cycle import Cycle, Evaluation, Objection
from canbo.records.units import in_post_on
from canbo.rules import rulesets, scoring
from canbo.tracking import year_points
from canbo.vietnamese import vi_date, vi_date_words

#: The decree the papers cite.
DECREE = "Nghị định số 335/2025/NĐ-CP"


def _unit_with_parent(unit):
    if unit.parent_id:
        unit.parent = Unit.get_by_id(unit.parent_id)
    return unit


def _label(code):
    return RatingLevel(code).label if code else ""


def _user_names(usernames):
    """``{username: the full name of the staff record bound to it}``."""
    usernames = {u for u in usernames if u}
    if not usernames:
        return {}
    return dict(User.select(User.username, Staff.full_name).join(Staff)
                .where(User.username.in_(list(usernames))).tuples())


def _ratings(unit, year, staff=None):
    """The unit-year's ratings with staff and title, in the staff list's order."""
    query = (Rating.select(Rating, Staff, Title).join(Staff)
             .join(Title, JOIN.LEFT_OUTER, on=(Staff.title == Title.id))
             .where((Rating.unit == unit.id) & (Rating.year == year)))
    if staff is not None:
        query = query.where(Rating.staff == staff.id)
    return list(query.order_by(Staff.sort_name, Staff.id))


def _points(rating, grid):
    """The year's points of ``rating``: the stored ones (what the cycle decided on),
    else the tracking's (``year_grid``); ``None`` without either."""
    if rating.points is not None:
        return rating.points
    person = grid.get(rating.staff_id)
    return person.points if person is not None else None


def _grid(unit, year, staff_ids):
    if not rulesets.tracked_monthly(year) or not staff_ids:
        return {}
    return {p.staff_id: p for p in year_points.year_grid(year, [unit.id], staff_ids=staff_ids)}


def self_summary(evaluation):
    """The self-assessment as the minutes summarise it: ND 335's strengths and
    weaknesses (or ND 90's section II), else the texts per criterion."""
    if evaluation is None:
        return ""
    texts = json.loads(evaluation.criteria or "{}")
    parts = []
    if texts.get("STRENGTHS"):
        parts.append(f"Ưu điểm: {texts['STRENGTHS']}")
    if texts.get("WEAKNESSES"):
        parts.append(f"Hạn chế: {texts['WEAKNESSES']}")
    if texts.get("II") and not parts:
        parts.append(texts["II"])
    if not parts:
        parts = [v for k, v in texts.items() if v and k not in ("STRENGTHS", "WEAKNESSES")]
    return "\n".join(parts)


# --- the minutes (Điều 21.1.b, 21.2.b) ---------------------------------------------------


@dataclasses.dataclass
class Meeting:
    """What the minutes say of the meeting itself; empty fields print as dots."""

    day: datetime.date = None
    place: str = ""
    chair: str = ""
    chair_title: str = ""
    secretary: str = ""
    present: int = None


def meeting_day(evaluations):
    """The meeting's date: the one most of the unit's evaluations recorded."""
    days = collections.Counter(e.meeting_on for e in evaluations if e.meeting_on)
    return max(days, key=lambda d: (days[d], d)) if days else None


def attendees(unit, day):
    """Who the meeting gathers, "toàn thể công chức" of the unit (Điều 21.1.b, 21.2.b):
    its cadres, civil servants and public employees in post on ``day`` (today without
    one) — not the part-timers or contract workers — in the staff list's order."""
    day = day or datetime.date.today()
    return list(Staff.select(Staff, Title).join(Title, JOIN.LEFT_OUTER)
                .where((Staff.unit == unit.id) & Staff.kind.in_(RATED_KINDS)
                       & in_post_on(day))
                .order_by(Staff.sort_name, Staff.id))


def _head(unit, day):
    """The unit's head in post on ``day``: (name, title) or ("", "")."""
    people = [p for p in attendees(unit, day) if p.leader_role == "HEAD"]
    if people:
        return people[0].full_name, people[0].title.name if people[0].title_id else ""
    name = signer_name(unit)
    return (name, "Chủ tịch UBND") if name else ("", "")


def minutes_context(unit, year, staff=None, meeting=None):
    """The minutes' data; with ``staff`` only that person's part (the file's extract)."""
    unit = _unit_with_parent(unit)
    cycle = Cycle.get_or_none(Cycle.unit == unit.id, Cycle.year == year)
    every = _ratings(unit, year)
    if not every:
        raise NoData(f"Đơn vị {unit.code} không có bản ghi xếp loại nào của năm {year}.",
                     unit=unit.code, year=year)
    evaluations = {e.rating_id: e for e in Evaluation.select().where(
        Evaluation.rating.in_([r.id for r in every]))}
    meeting = dataclasses.replace(meeting) if meeting else Meeting()
    meeting.day = meeting.day or meeting_day(evaluations.values())
    if not meeting.chair:
        meeting.chair, title = _head(unit, meeting.day)
        meeting.chair_title = meeting.chair_title or title
    present = attendees(unit, meeting.day)
    reviewed = [r for r in every if r.status != RatingStatus.NOT_ELIGIBLE.code
                and (staff is None or r.staff_id == staff.id)]
    if staff is not None and not reviewed:
        raise NoData(f"{staff.full_name} ({staff.code}) không được nhận xét, đánh giá tại "
                     f"cuộc họp năm {year} của đơn vị {unit.code}.", staff=staff.code)
    grid = _grid(unit, year, [r.staff_id for r in reviewed])
    people = []
    for rating in reviewed:
        ev = evaluations.get(rating.id)
        person = grid.get(rating.staff_id)
        level = rating.level or (person.level.code if person and person.level else None)
        people.append({
            "name": rating.staff.full_name,
            "title": rating.staff.title.name if rating.staff.title_id else "",
            "self_assessment": self_summary(ev),
            "comments": (ev.meeting_comments or "") if ev else "",
            "points": scoring.points_text(
                person.points if person and person.points is not None else rating.points),
            "level": _label(level),
        })
    place = meeting.place or f"Trụ sở {expand_unit_name(unit.name)}"
    return {
        "header": Header.of(unit), "year": year, "unit_name": expand_unit_name(unit.name),
        "date_line": place_date(unit.place_name, meeting.day, year),
        "day_words": _day_words(meeting.day, year), "place": place, "meeting": meeting,
        "attendees": [{"name": p.full_name, "title": p.title.name if p.title_id else ""}
                      for p in present],
        "total": len(present),
        "present": meeting.present if meeting.present is not None else None,
        "people": people, "extract": staff is not None,
        "published": bool(cycle and cycle.is_published),
    }


def _day_words(day, year):
    return vi_date_words(day) if day else f"ngày ...... tháng ...... năm {year}"


def minutes_pdf(unit, year, staff=None, meeting=None):
    """The minutes of the unit's yearly review meeting (Điều 21.1.b, 21.2.b; Điều 24.2.a)."""
    if meeting and meeting.present is not None and meeting.present < 0:
        raise InvalidInput("Số người có mặt phải là số không âm.", present=meeting.present)
    ctx = minutes_context(unit, year, staff, meeting)
    if meeting and meeting.present is not None and meeting.present > ctx["total"]:
        raise InvalidInput(f"Số người có mặt ({meeting.present}) lớn hơn số công chức của "
                           f"đơn vị ({ctx['total']}).", present=meeting.present)
    return render_pdf("review_minutes.html", **ctx)


# --- the notice to the civil servant (Điều 21.1.đ, 21.2.đ; Điều 22) ----------------------


def _decided(rating):
    """``FormTexts`` of the rating: who decided and when (``forms.form_texts``)."""
    return form_texts([rating]).get(rating.id) or FormTexts()


def notice_context(staff, year):
    rating = Rating.get_or_none((Rating.staff == staff.id) & (Rating.year == year))
    if rating is None or rating.status not in FINAL_STATUSES or not rating.level:
        raise NoData(f"{staff.full_name} ({staff.code}) chưa có kết quả xếp loại chất lượng "
                     f"năm {year} được phê duyệt; chưa thể in thông báo.", staff=staff.code,
                     year=year)
    unit = _unit_with_parent(Unit.get_by_id(rating.unit_id))
    cycle = Cycle.get_or_none(Cycle.unit == unit.id, Cycle.year == year)
    texts = _decided(rating)
    rule_set = rulesets.get(rating.rule_set)
    grid = _grid(unit, year, [staff.id]) if rating.points is None else {}
    return {
        "header": Header.of(unit), "year": year, "unit_name": expand_unit_name(unit.name),
        "date_line": place_date(unit.place_name, cycle.notice_date if cycle else None, year),
        "name": staff.full_name, "title": staff.title.name if staff.title_id else "",
        "points": scoring.points_text(_points(rating, grid)),
        "level": _label(rating.level),
        "decided_on": vi_date(texts.decided_on) if texts.decided_on else "",
        "objection_days": rule_set.objection_days,
        "signature": signature(name=texts.decided_by_name or signer_name(unit)),
        "decree": DECREE if rating.rule_set == rulesets.ND335 else "",
    }


def notice_pdf(staff, year):
    """The written notice of the year's result to one civil servant."""
    return render_pdf("review_notice.html", **notice_context(staff, year))


def unit_notices_pdf(unit, year):
    """Every notice of the unit-year (those with a decided result), one PDF."""
    people = [r.staff for r in _ratings(unit, year)
              if r.status in FINAL_STATUSES and r.level]
    if not people:
        raise NoData(f"Đơn vị {unit.code} chưa có kết quả xếp loại nào của năm {year} được "
                     "phê duyệt.", unit=unit.code, year=year)
    notices = [notice_context(p, year) for p in people]
    return render_pdf("review_notices.html", notices=notices)


# --- the public announcement (Điều 21.1.đ, 21.2.đ) ---------------------------------------


def announcement_context(unit, year, day=None):
    unit = _unit_with_parent(unit)
    every = [r for r in _ratings(unit, year) if r.status != RatingStatus.NOT_ELIGIBLE.code]
    final = [r for r in every if r.status in FINAL_STATUSES and r.level]
    if not final:
        raise NoData(f"Đơn vị {unit.code} chưa có kết quả xếp loại nào của năm {year} được "
                     "phê duyệt; chưa thể công khai.", unit=unit.code, year=year)
    grid = _grid(unit, year, [r.staff_id for r in final if r.points is None])
    rows = [{"name": r.staff.full_name,
             "title": r.staff.title.name if r.staff.title_id else "",
             "points": scoring.points_text(_points(r, grid)), "level": _label(r.level)}
            for r in final]
    counts = collections.Counter(r.level for r in final)
    totals = [(level.label, counts.get(level.code, 0)) for level in RatingLevel]
    cycle = Cycle.get_or_none(Cycle.unit == unit.id, Cycle.year == year)
    day = day or (cycle.notice_date if cycle else None)
    return {
        "header": Header.of(unit), "year": year, "unit_name": expand_unit_name(unit.name),
        "rows": rows, "totals": totals, "total": len(final),
        "pending": len(every) - len(final),
        "date_line": place_date(unit.place_name, day, year),
        "signature": signature(name=signer_name(unit)),
    }


def announcement_pdf(unit, year, day=None):
    """The list of the year's results made public in the unit."""
    return render_pdf("review_announcement.html", **announcement_context(unit, year, day))


# --- the electronic file of a person's year (Điều 24) ------------------------------------


def file_parts(staff, year):
    """What the file holds, in order: ``[(title, present)]`` for its contents page."""
    rating = Rating.get_or_none((Rating.staff == staff.id) & (Rating.year == year))
    months = [m for (m,) in Sheet.select(Sheet.month).where(
        (Sheet.staff == staff.id) & (Sheet.year == year)).order_by(Sheet.month).tuples()]
    evaluation = rating.evaluations.first() if rating else None
    objections = list(rating.objections.order_by(Objection.lodged_on)) if rating else []
    return rating, months, evaluation, objections


def file_pdf(staff, year):
    """The person's electronic file of ``year`` as one PDF (Điều 24.2 a–đ)."""
    rating, months, evaluation, objections = file_parts(staff, year)
    if rating is None and not months:
        raise NoData(f"{staff.full_name} ({staff.code}) không có phiếu theo dõi hay bản ghi "
                     f"xếp loại nào của năm {year}.", staff=staff.code, year=year)
    unit = _unit_with_parent(Unit.get_by_id(rating.unit_id if rating else staff.unit_id))
    minutes = None
    if rating is not None:
        try:
            minutes = minutes_pdf(unit, year, staff)
        except NoData:
            minutes = None
    forms = [monthly_context(staff, unit, year, m) for m in months]
    if rating is not None:
        forms += year_contexts([staff], year)
    answered_by = _user_names(o.answered_by for o in objections)
    contents = [
        ("a", "Biên bản cuộc họp xếp loại chất lượng cuối năm (trích phần của công chức)",
         minutes is not None),
        ("b", "Phiếu theo dõi, đánh giá công chức theo tháng hoặc quý (Mẫu số 01): "
              + (", ".join(f"tháng {m}" for m in months) if months else "không có"),
         bool(months)),
        ("c", "Phiếu xếp loại chất lượng công chức hằng năm (Mẫu số 02)", rating is not None),
        ("d", "Nhận xét của cấp ủy nơi công tác",
         bool(evaluation and evaluation.party_opinion)),
        ("đ", "Hồ sơ giải quyết kiến nghị về kết quả theo dõi, đánh giá, xếp loại chất lượng",
         bool(objections)),
    ]
    common = dict(header=Header.of(unit), year=year, name=staff.full_name, code=staff.code,
                  title=staff.title.name if staff.title_id else "",
                  unit_name=expand_unit_name(unit.name))
    cover = render_pdf(
        "review_file.html", part="cover", contents=contents,
        level=_label(rating.level) if rating and rating.status in FINAL_STATUSES else "",
        status=RatingStatus(rating.status).label if rating else "", **common)
    parts = [cover] + ([minutes] if minutes else []) + ([batch.forms_pdf(forms)] if forms else [])
    party = (evaluation.party_opinion or "") if evaluation else ""
    if party or objections:
        parts.append(render_pdf(
            "review_file.html", part="opinions", party_opinion=party,
            objections=[{"lodged_on": vi_date(o.lodged_on), "text": o.text,
                         "answer_due": vi_date(o.answer_due), "answer": o.answer or "",
                         "answered_on": vi_date(o.answered_on),
                         "answered_by": answered_by.get(o.answered_by, "")}
                        for o in objections], **common))
    out = io.BytesIO()
    batch.merge_pdfs(parts, out)
    return out.getvalue()


def file_download_name(staff, year):
    return file_name("ho so xep loai", year, staff.code, staff.full_name)
