"""The yearly rating cycle in the panel (Kỳ đánh giá năm …).

- ``/admin/workflow/?unit=CODE&year=Y``: the cycle page.  The officer sees the progress
  table (who has self-assessed, the proposals, the non-eligible with reasons), a quota
  meter per task group, the 15 December deadline, and from 2026 the button "Lấy điểm
  theo dõi hằng tháng" (``canbo.rating.points``); the chairman approves all or the
  selected, returns with a reason, publishes and reopens.  Many people go through a step
  at once (``canbo.rating.bulk``): rows ticked in the table, the officer records the
  self-assessments of an XLSX sheet (``/self-template`` gives it prefilled) and proposes
  the levels chosen in the table; the chairman approves or returns the ticked rows.
  People who joined after the cycle opened are added on opening the page (the officer)
  or with "Thêm người mới vào đợt".
- ``/admin/workflow/rating/<id>``: one person's form — self-assessment per criterion
  (the officer from the paper form, or the person through their own account), the unit
  meeting's comments and the Party committee's opinion, the proposal, objections.
- ``/admin/workflow/person/<staff_id>``: a person's ratings across the years, each with
  the rule set it was made under.
A thin layer over ``canbo.rating``: its permission checks decide, its errors are
flashed; the page shows each form to those whose permission it needs (``can`` in the
templates).
"""
import datetime

from flask import Response, abort, flash, redirect, request, url_for
from flask_admin import expose
from peewee import JOIN
from werkzeug.utils import secure_filename

from canbo.errors import CanboError, InvalidInput, RuleViolation
from canbo.levels import (
    AbsenceKind,
    DisciplineCause,
    DisciplineKind,
    DisciplineSystem,
    RatingStatus,
    StaffKind,
)
from canbo.levels import Rating as RatingLevel
from canbo.models import Rating, Staff
from canbo.models.cycle import (
    Absence,
    Cycle,
    Discipline,
    Evaluation,
    Objection,
    TaskGroup,
)
from canbo.rating import bulk, compliance, guards
from canbo.rating import points as wp
from canbo.rating import records as wr
from canbo.rating import workflow as wf
from canbo.records import users
from canbo.rules import rulesets
from canbo.spreadsheets import self_assessment as self_sheet
from canbo.vietnamese import parse_date, parse_decimal, vi_percent

from .base import SecureView, can, current_account, forbid, run_change, sees
from .dashboard import chosen_unit, chosen_year

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
S = RatingStatus


def _date(text, default=None, what=None):
    """A date typed dd/mm/yyyy (or ISO); ``default`` when empty, unless ``what`` names a
    required field."""
    try:
        day = parse_date(text)
    except ValueError as exc:
        raise InvalidInput(str(exc)) from exc
    if day is None and what:
        raise InvalidInput(f"Cần ghi {what} (dd/mm/yyyy).")
    return default if day is None else day


def _year(text, default):
    text = (text or "").strip()
    if not text:
        return default
    if not text.isdigit():
        raise InvalidInput(f"Năm «{text}» không hợp lệ; hãy viết bốn chữ số.")
    return int(text)


def _visible(unit_id, staff_id=None):
    """404 unless the user may see the unit's records (or it is their own record)."""
    if not sees(unit_id, staff_id):
        abort(404)


class WorkflowView(SecureView):
    # a civil servant opens their own rating and self-assesses it (Điều 21.1.a, 2.a);
    # the cycle's page stays the unit's (``_visible``)
    self_service = True

    def is_visible(self):
        # no menu entry for a civil servant: the cycle's page is the unit's
        return not users.self_service(current_account())

    @expose("/")
    def index(self):
        today = datetime.date.today()
        unit = chosen_unit(request.args.get("unit", "").strip())
        if unit is None:
            abort(404)
        year = chosen_year(request.args.get("year"), today)
        _visible(unit.id)
        cycle = Cycle.get_or_none(Cycle.unit == unit, Cycle.year == year)
        # people who joined after the cycle opened join it as the officer opens the page
        # (read first: most views have nobody to add, and adding locks the cycle)
        missing = wf.newcomers(cycle, today) if cycle and not cycle.is_published else []
        if missing and can("cycle.prepare"):
            added = run_change(lambda: wf.add_newcomers(current_account(), cycle, today))
            missing = [] if added is not None else missing
            if added:
                flash(_added(added), "success")
        ratings = guards.cycle_ratings(cycle) if cycle else []
        ids = [r.id for r in ratings] or [0]
        evaluations = {e.rating_id: e for e in Evaluation.select(Evaluation, TaskGroup)
                       .join(TaskGroup, JOIN.LEFT_OUTER).where(Evaluation.rating.in_(ids))}
        objections = list(Objection.select().where(Objection.rating.in_(ids)))
        overdue = {o.id for o in wr.overdue_objections(cycle, today)} if cycle else set()
        return self.render(
            "admin/workflow_cycle.html", unit=unit, year=year, cycle=cycle, ratings=ratings,
            evaluations=evaluations, objections=objections, overdue=overdue, today=today,
            meters=compliance.quota_meters(cycle, ratings) if cycle else [],
            warning=wf.deadline_warning(cycle, today) if cycle else None,
            statuses=RatingStatus.labels(),
            levels=RatingLevel.choices(), kinds=StaffKind.labels(), rule_sets=rulesets.LABELS,
            frames=[(c, rulesets.LABELS[c]) for c in rulesets.CADRE_FRAMES],
            years=range(today.year + 1, today.year - 6, -1), pct=_pct,
            tracked=rulesets.tracked_monthly(year), missing=missing,
            by_points={code: rs.rates_on_points for code, rs in rulesets.RULE_SETS.items()},
            proposable=bulk.PROPOSABLE, BY_POINTS=bulk.BY_POINTS,
        )

    @expose("/self-template", methods=("POST",))
    def self_template(self):
        """The self-assessment sheet prefilled with the cycle's people (a POST: the form's
        CSRF token stays out of the address)."""
        unit = chosen_unit(request.form.get("unit", "").strip()) or abort(404)
        year = chosen_year(request.form.get("year"), datetime.date.today())
        _visible(unit.id)
        if not can("cycle.prepare"):
            forbid("cycle.prepare", "tải tệp mẫu tự đánh giá")
        cycle = Cycle.get_or_none(Cycle.unit == unit, Cycle.year == year) or abort(404)
        data = self_sheet.template(f"Kỳ đánh giá năm {year} — {unit.name}",
                                   bulk.template_people(cycle))
        name = secure_filename(f"tu-danh-gia-{unit.code}-{year}.xlsx")
        return Response(data, mimetype=XLSX,
                        headers={"Content-Disposition": f"attachment; filename={name}"})

    @expose("/action", methods=("POST",))
    def action(self):
        form, account = request.form, current_account()
        unit = chosen_unit(form.get("unit", "").strip())
        year = chosen_year(form.get("year"), datetime.date.today())
        back = url_for(".index", unit=unit.code, year=year)
        _visible(unit.id)
        if form.get("action") == "pull_points" and not can("cycle.prepare"):
            # the officer's button; canbo.rating.points checks again
            forbid("cycle.prepare", "lấy điểm theo dõi hằng tháng vào đợt đánh giá")
        try:
            self._act(form.get("action"), account, unit, year, form)
        except CanboError as exc:
            flash(exc.message, "error")
        return redirect(back)

    def _act(self, action, account, unit, year, form):
        if action == "open":
            wf.open_cycle(account, unit, year, form.get("cadre_frame") or rulesets.QD366,
                          special=form.get("special") == "1")
            flash(f"Đã mở kỳ đánh giá năm {year}.", "success")
            return
        cycle = wr.find_cycle(unit, year)
        chosen = [int(i) for i in form.getlist("rating_id") if i.isdigit()]
        if action == "approve_all":
            done = wf.approve(account, cycle)
            flash(f"Đã phê duyệt {len(done)} bản ghi.", "success")
        elif action == "approve_selected":
            done = wf.approve(account, cycle, chosen or [0])
            flash(f"Đã phê duyệt {len(done)} bản ghi.", "success")
        elif action == "add_people":
            done = wf.add_newcomers(account, cycle)
            flash(_added(done) if done else "Không có người mới: mọi người đang công tác "
                  "đã có trong kỳ đánh giá.", "success" if done else "info")
        elif action == "propose_selected":
            if not chosen:
                raise RuleViolation("Chưa chọn người nào để đề xuất; hãy đánh dấu ở cột "
                                    "đầu bảng.")
            done = bulk.propose_many(
                account, cycle, {i: form.get(f"level-{i}", "") for i in chosen},
                comments=form.get("comments"),
                meeting_on=_date(form.get("meeting_on"), datetime.date.today()))
            flash(f"Đã đề xuất mức xếp loại cho {len(done.ratings)} người.", "success")
        elif action == "self_sheet":
            upload = request.files.get("sheet")
            if upload is None or not upload.filename:
                raise InvalidInput("Hãy chọn tệp tự đánh giá (.xlsx) để tải lên.")
            rows = self_sheet.read_rows(upload.read(), upload.filename)
            done = bulk.self_assess_rows(account, cycle, rows, chosen or None)
            flash(f"Đã ghi tự đánh giá của {len(done.ratings)} người"
                  + (f"; bỏ qua {len(done.skipped)} dòng của người không được chọn"
                     if done.skipped else "") + ".", "success")
        elif action == "return":
            done = wf.return_ratings(account, cycle, chosen or None, form.get("reason"))
            flash(f"Đã trả lại {len(done)} bản ghi.", "success")
        elif action == "publish":
            wf.publish(account, cycle, _date(form.get("notice_date"), datetime.date.today()))
            flash("Đã công bố kết quả; kỳ đánh giá đã khóa.", "success")
        elif action == "reopen":
            wf.reopen(account, cycle, form.get("reason"), chosen or None)
            flash("Đã mở lại kỳ đánh giá.", "success")
        elif action == "unit_level":
            wr.set_unit_level(account, cycle, form.get("unit_level"))
            flash("Đã ghi mức xếp loại của đơn vị.", "success")
        elif action == "exception":
            ratio = parse_decimal(form.get("ratio"), "Tỷ lệ", percent=True)
            wr.set_quota_exception(account, cycle, ratio / 100 if ratio is not None else None,
                                   form.get("doc_number"), _date(form.get("doc_date")))
            flash("Đã ghi tỷ lệ ngoại lệ.", "success")
        elif action == "pull_points":
            done = wp.pull_points(account, cycle)
            flash(f"Đã lấy điểm theo dõi hằng tháng: cập nhật {done['updated']} người"
                  + (f"; chưa đủ điểm các tháng: {', '.join(done['incomplete'])}"
                     if done["incomplete"] else "")
                  + (f"; giữ nguyên (đã phê duyệt/công bố): {', '.join(done['kept'])}"
                     if done["kept"] else "") + ".", "success")
        elif action == "task_group":
            wr.add_task_group(account, cycle, form.get("name"))
            flash("Đã thêm nhóm nhiệm vụ tương đồng.", "success")
        else:
            abort(400)

    @expose("/rating/<int:rating_id>", methods=("GET", "POST"))
    def rating(self, rating_id):
        rating = Rating.get_or_none(Rating.id == rating_id) or abort(404)
        _visible(rating.unit_id, rating.staff_id)
        if request.method == "POST":
            try:
                self._step(rating, request.form)
            except CanboError as exc:
                flash(exc.message, "error")
            return redirect(request.path)
        cycle = Cycle.get_or_none(Cycle.unit == rating.unit_id, Cycle.year == rating.year)
        evaluation = rating.evaluations.first()
        rule_set = rulesets.get(rating.rule_set)
        return self.render(
            "admin/workflow_rating.html", rating=rating, cycle=cycle, evaluation=evaluation,
            criteria=rule_set.criteria_for(rating.staff.writes_leaders_part),
            rates_on_points=rule_set.rates_on_points,
            texts=evaluation.criteria_texts if evaluation else {},
            groups=list(cycle.task_groups) if cycle else [],
            objections=list(rating.objections.order_by(Objection.lodged_on)),
            absences=list(rating.staff.absences.order_by(Absence.starts_on)),
            disciplines=list(rating.staff.disciplines.order_by(Discipline.decided_on)),
            absence_kinds=AbsenceKind.choices(), discipline_kinds=DisciplineKind.choices(),
            discipline_causes=DisciplineCause.choices(),
            discipline_systems=DisciplineSystem.choices(),
            levels=RatingLevel.choices(), statuses=RatingStatus.labels(),
            rule_set=rulesets.LABELS.get(rating.rule_set, rating.rule_set),
            own=current_account().staff_id == rating.staff_id,
        )

    def _step(self, rating, form):
        account, step = current_account(), form.get("step")
        if step == "self":
            rule_set = rulesets.get(rating.rule_set)
            texts = {code: form.get(f"c-{code}", "").strip()
                     for code, _ in rule_set.criteria_for(rating.staff.writes_leaders_part)}
            wf.self_assess(account, rating, {k: v for k, v in texts.items() if v},
                           form.get("self_level"))
            flash("Đã lưu phần tự đánh giá.", "success")
        elif step == "comments":
            wf.record_comments(account, rating, form.get("comments"),
                               _date(form.get("meeting_on"), datetime.date.today()),
                               party_opinion=form.get("party_opinion"))
            flash("Đã lưu ý kiến tại cuộc họp đơn vị.", "success")
        elif step == "propose":
            wf.propose(account, rating, form.get("level") or None,
                       points=parse_decimal(form.get("points"), "Điểm"),
                       khtnv_finding=form.get("khtnv_finding"))
            flash("Đã đề xuất mức xếp loại.", "success")
        elif step == "group":
            group = next((g for g in wr.find_cycle(rating.unit, rating.year).task_groups
                          if str(g.id) == form.get("group")), None) or abort(400)
            wr.assign_task_group(account, rating, group)
            flash(f"Đã chuyển sang nhóm «{group.name}».", "success")
        elif step == "absence":
            wr.record_absence(account, rating.staff, form.get("kind"),
                              _date(form.get("starts_on"), what="ngày bắt đầu nghỉ"),
                              _date(form.get("ends_on"), what="ngày kết thúc nghỉ"),
                              note=form.get("note") or None)
            flash("Đã ghi thời gian nghỉ.", "success")
        elif step == "discipline":
            decided = _date(form.get("decided_on"), what="ngày quyết định kỷ luật")
            wr.record_discipline(
                account, rating.staff, form.get("system"), form.get("kind"), decided,
                _year(form.get("violation_year"), decided.year),
                form.get("cause"),
                decision_number=form.get("decision_number") or None,
                counted_year=_year(form.get("counted_year"), None),
                at_old_unit=form.get("at_old_unit") == "on")
            flash("Đã ghi quyết định kỷ luật.", "success")
        elif step == "objection":
            wr.lodge_objection(account, rating, form.get("text"),
                               _date(form.get("lodged_on"), datetime.date.today()))
            flash("Đã ghi kiến nghị.", "success")
        elif step == "answer":
            objection = Objection.get_or_none(Objection.id == form.get("objection"),
                                              Objection.rating == rating) or abort(404)
            wr.answer_objection(account, objection, form.get("answer"),
                                _date(form.get("answered_on"), datetime.date.today()))
            flash("Đã ghi nội dung trả lời kiến nghị.", "success")
        else:
            abort(400)

    @expose("/person/<int:staff_id>")
    def person(self, staff_id):
        person = Staff.get_or_none(Staff.id == staff_id) or abort(404)
        _visible(person.unit_id, person.id)
        ratings = list(person.ratings.order_by(Rating.year.desc()))
        return self.render("admin/workflow_person.html", person=person, ratings=ratings,
                           rule_sets=rulesets.LABELS, levels=RatingLevel.labels(),
                           statuses=RatingStatus.labels())


def _added(ratings):
    return (f"Đã thêm {len(ratings)} người mới vào đợt: "
            + ", ".join(f"{r.staff.full_name} ({S.labels()[r.status]}"
                        + (f": {r.not_eligible_reason}" if r.not_eligible_reason else "") + ")"
                        for r in ratings) + ".")


def _pct(ratio):
    return "–" if ratio is None else vi_percent(ratio)


def register(app, admin):
    admin.add_view(WorkflowView(name="Kỳ đánh giá năm", endpoint="workflow",
                                url="/admin/workflow"))
