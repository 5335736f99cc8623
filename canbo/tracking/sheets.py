"""The period's tracking: assigning products, recording results, form Mẫu 01.

ND 335/2025 (REFERENCE.md §6): each month (or quarter, a unit setting) the civil
servant self-scores the general criteria on Mẫu 01, the evaluating person scores and
comments, then confirms, which locks the period: its assignments, results and sheet
no longer change.  The task score comes from the period's assignments through
``scoring`` (Điều 13–17) with the unit's ``TrackingSetting``.

Each change takes the acting user first and checks them (``Forbidden``, naming who may):
assignments and results need ``tracking.assign``; the self-scoring is the person's own,
through the account linked to their record; scoring, confirming and returning need
``tracking.evaluate`` and are never done on one's own sheet (``users.PERMISSIONS``).
"""
import datetime

from canbo.db import database
from canbo.errors import Forbidden, InvalidInput, RuleViolation
from canbo.levels import LeaderRole, Period, SheetStatus
from canbo.models.tracking import (
    Assignment,
    Evidence,
    Sheet,
    SheetItem,
    TrackingSetting,
    WorkPackage,
)
from canbo.records import audit
from canbo.records.users import can as users_can
from canbo.records.users import require, sees
from canbo.rules import scoring
from canbo.rules.rulesets import rule_set_for
from canbo.tracking import evaluators
from canbo.vietnamese import parse_date, parse_decimal, vi_date, vi_points

MONTHS = range(1, 13)


def setting_for(unit_id, year):
    """The unit's ``TrackingSetting`` of ``year``, or an unsaved default (monthly)."""
    found = TrackingSetting.get_or_none(TrackingSetting.unit == unit_id,
                                        TrackingSetting.year == year)
    return found or TrackingSetting(unit=unit_id, year=year, period=Period.MONTH.code)


def rules_of(setting, rule_set=scoring.ND335):
    """The scoring rules with the unit's open settings applied (empty = default)."""
    return scoring.rules_for(rule_set, cap_at_100=setting.cap_at_100,
                             deduction_floor=setting.deduction_floor,
                             middle_value_dd=setting.middle_value_dd,
                             decimals=setting.decimals)


def period_end(month, period):
    """The month a sheet is filed under: the month itself, or its quarter's last month."""
    if not 1 <= int(month) <= 12:
        raise InvalidInput(f"Tháng «{month}» không hợp lệ; cho phép 1 – 12.", month=month)
    return -(-int(month) // 3) * 3 if period == Period.QUARTER.code else int(month)


def period_months(month, period):
    end = period_end(month, period)
    return list(range(end - 2, end + 1)) if period == Period.QUARTER.code else [end]


# --- who ------------------------------------------------------------------------------


def check_self_score(actor, staff):
    """Only the person themself, through the account linked to their record, self-scores."""
    if actor is None or not actor.active or actor.staff_id != staff.id:
        raise Forbidden(f"Chỉ chính {staff.full_name}, bằng tài khoản gắn với hồ sơ của "
                        "mình, được tự đánh giá phiếu này.", staff=staff.id)


def check_evaluate(actor, staff, year, month, action="chấm điểm, xác nhận hoặc trả lại phiếu"):
    """The person's evaluator of the month (``evaluators.check``, Điều 10.1), never on
    their own sheet."""
    evaluators.check(actor, staff, year, month, action)


def may_self_score(actor, staff):
    return _passes(check_self_score, actor, staff)


def may_evaluate(actor, staff, year, month):
    return _passes(check_evaluate, actor, staff, year, month)


def _passes(check, *args):
    try:
        check(*args)
    except Forbidden:
        return False
    return True


# --- assignments and results --------------------------------------------------------------


def _check_unlocked(staff, year, month):
    end = period_end(month, setting_for(staff.unit_id, year).period)
    sheet = Sheet.get_or_none(Sheet.staff == staff.id, Sheet.year == year, Sheet.month == end)
    if sheet is not None and sheet.locked:
        raise RuleViolation(
            f"Kỳ tháng {sheet.month}/{year} của {staff.full_name} đã được xác nhận; "
            "không sửa được.", sheet=sheet.id)


#: What the person records of their own result (Điều 18.2), what the evaluator records
#: of it (Điều 14.2.b–c: failed quality reviews, delays, a confirmed objective cause);
#: ``tracking.assign`` holders (the officer) may record both, typing a paper sheet.
OWN_FIELDS = ("completed", "completed_on", "evidence", "note")
REVIEW_FIELDS = ("failed_reviews", "delays", "objective_cause")
MAX_COUNT = 10_000
MAX_TEXT = 2_000


def check_assign(actor, staff, year, month, action="giao việc"):
    """The officer (``tracking.assign`` in the person's unit) or the person's evaluator of
    the month (Điều 18.1.a: the head who uses the civil servant assigns the work)."""
    choice = evaluators.of(staff, year, month)
    if evaluators.may_evaluate(actor, staff, year, month, choice):
        return
    try:
        require(actor, "tracking.assign", f"{action} cho {staff.full_name}", staff.unit_id)
    except Forbidden as exc:
        raise Forbidden(f"{exc.message} Người đánh giá {staff.full_name} tháng {month}/{year}"
                        f" là {choice.name} ({choice.why}) cũng được {action}.",
                        staff=staff.id) from exc


def _count(value, field, label):
    try:
        number = int(str(value).strip()) if str(value).strip() != "" else 0
    except (TypeError, ValueError):
        number = None
    if number is None or not 0 <= number <= MAX_COUNT or str(value).strip().startswith("+"):
        raise InvalidInput(f"{label} «{value}» không hợp lệ; cần một số nguyên từ 0 đến "
                           f"{MAX_COUNT:,}.".replace(",", "."), field=field)
    return number


def _text(value, field, label, limit=MAX_TEXT):
    text = str(value or "").strip()
    if any(ord(ch) < 32 and ch not in "\n\r\t" for ch in text):
        raise InvalidInput(f"{label} có ký tự điều khiển; hãy gõ lại.", field=field)
    if len(text) > limit:
        raise InvalidInput(f"{label} dài tối đa {limit} ký tự (đang có {len(text)}).",
                           field=field)
    return text or None


def _date(value, field, label):
    if value is None or isinstance(value, datetime.date):
        return value
    try:
        return parse_date(value)
    except ValueError as exc:
        raise InvalidInput(f"{label}: {exc}", field=field) from exc


def assigned_on_default(year, month, today=None):
    """The day an assignment is taken as made when none is given: today, or — for a month
    already past, entered afterwards — the month's first day, so that its results may
    carry that month's completion dates (Điều 18.1: work is assigned for the period)."""
    today = today or datetime.date.today()
    first = datetime.date(year, month, 1)
    return first if today > period_end_day(year, month) else today


def period_end_day(year, month):
    """The last day of ``month``."""
    return (datetime.date(year, month, 1) + datetime.timedelta(days=31)).replace(
        day=1) - datetime.timedelta(days=1)


def assign(actor, staff, year, month, product, quantity, deadline=None, extra=False,
           urgent=False, taken_over_from=None, package=None, confirm_position=True,
           on=None):
    """Assign ``quantity`` of a decided catalogue's ``product`` for a month (Điều 13, 18.1).

    ``extra`` work is outside the assigned total and adds points (Điều 18.1.d): ``urgent``
    unplanned work, or work ``taken_over_from`` a colleague.  A product outside the
    person's job position needs ``confirm_position`` (Điều 18.1.a: work fits the job
    position); a supplement's product applies from its decision's date."""
    check_assign(actor, staff, year, month)
    month = int(period_end(month, Period.MONTH.code))
    if not product.catalogue.locked:
        raise RuleViolation(f"Danh mục sản phẩm năm {product.catalogue.year} chưa được phê "
                            "duyệt; chưa giao việc từ danh mục được.")
    if product.catalogue.year != year:
        raise InvalidInput(f"Sản phẩm «{product.name}» thuộc danh mục năm "
                           f"{product.catalogue.year}, không phải năm {year}.")
    if product.catalogue.unit_id != staff.unit_id:
        raise InvalidInput(f"Sản phẩm «{product.name}» thuộc danh mục của đơn vị khác; hãy "
                           f"chọn trong danh mục của {staff.unit.name}.")
    if product.supplement_id and product.supplement.applies_from > datetime.date(year, month,
                                                                                  28):
        raise InvalidInput(
            f"Sản phẩm «{product.name}» được bổ sung theo Quyết định số "
            f"{product.supplement.number}, áp dụng từ {vi_date(product.supplement.applies_from)};"
            f" chưa giao được cho tháng {month}/{year}.", field="product")
    if (product.job_position and staff.job_position and not confirm_position
            and product.job_position.casefold() != staff.job_position.casefold()):
        raise RuleViolation(
            f"Sản phẩm «{product.name}» thuộc vị trí việc làm «{product.job_position}», còn "
            f"{staff.full_name} giữ vị trí «{staff.job_position}»; hãy xác nhận nếu vẫn giao.",
            field="confirm_position")
    extra = bool(extra or urgent or taken_over_from is not None)
    quantity = _count(quantity, "quantity", "Số lượng giao")
    if quantity == 0 and not extra:
        raise InvalidInput(f"Số lượng giao «{quantity}» phải lớn hơn 0.", value=quantity,
                           field="quantity")
    deadline = _date(deadline, "deadline", "Hạn hoàn thành")
    if deadline is not None and deadline.year not in (year, year + 1):
        raise InvalidInput(f"Hạn hoàn thành {vi_date(deadline)} không thuộc năm {year}.",
                           field="deadline")
    on = _date(on, "assigned_on", "Ngày giao việc")
    if on is not None and on > period_end_day(year, month):
        raise InvalidInput(f"Ngày giao việc {vi_date(on)} sau tháng {month}/{year} được giao.",
                           field="assigned_on")
    if taken_over_from is not None and taken_over_from.id == staff.id:
        raise InvalidInput("Không nhận lại việc từ chính mình.", field="taken_over_from")
    _check_unlocked(staff, year, month)
    row = Assignment.create(staff=staff, year=year, month=month, product=product,
                            coefficient=product.coefficient, quantity=quantity,
                            deadline=deadline, extra=extra, urgent=bool(urgent),
                            taken_over_from=taken_over_from, package=package,
                            assigned_on=on or assigned_on_default(year, month),
                            assigned_by=actor.username)
    audit.record(actor, "tracking.assign", row)
    return row


def assign_many(actor, people, year, month, product, quantity, deadline=None, **options):
    """One product to several people at once: all assigned, or none (one transaction)."""
    people = list(people)
    if not people:
        raise InvalidInput("Chưa chọn người nào để giao việc.", field="staff")
    with database.atomic():
        return [assign(actor, p, year, month, product, quantity, deadline, **options)
                for p in people]


def copy_month(actor, staff, year, from_month, to_month):
    """Copy ``staff``'s planned assignments of ``from_month`` to ``to_month`` (quantities
    and products; not results, not extra work); returns the new rows."""
    with database.atomic():
        rows = list(Assignment.select().where(
            Assignment.staff == staff, Assignment.year == year,
            Assignment.month == int(from_month), Assignment.extra == False,  # noqa: E712
            Assignment.package.is_null()).order_by(Assignment.id))
        if not rows:
            raise InvalidInput(f"Tháng {from_month}/{year} của {staff.full_name} chưa có việc "
                               "được giao để sao chép.", field="from_month")
        return [assign(actor, staff, year, int(to_month), r.product, r.quantity)
                for r in rows]


def reassign(actor, row, colleague, quantity, reason=None):
    """A person who cannot do part of a task hands ``quantity`` units to ``colleague``
    (Điều 18.1.d): the units stay in the first person's assigned total but not in their
    results; for the colleague they are extra work, adding points."""
    check_assign(actor, row.staff, row.year, row.month, "giao lại việc")
    if colleague.id == row.staff_id:
        raise InvalidInput("Chọn một người khác để giao lại việc.", field="colleague")
    if row.extra or row.reassigned_to_id:
        raise RuleViolation("Chỉ giao lại được việc được giao trong kế hoạch và chưa giao "
                            "lại lần nào.")
    units = _count(quantity, "quantity", "Số lượng giao lại")
    if not 0 < units <= row.quantity - row.completed:
        raise InvalidInput(f"Số lượng giao lại {units} phải từ 1 đến "
                           f"{row.quantity - row.completed} (phần chưa làm).", field="quantity")
    with database.atomic():
        handed = assign(actor, colleague, row.year, row.month, row.product, units,
                        row.deadline, taken_over_from=row.staff)
        row.reassigned_to = handed
        row.save()
        audit.record(actor, "tracking.reassign", row, reason=reason,
                     changes={"reassigned_to": [None, handed.id], "units": [None, units]})
    return handed


def handed_units(row):
    """Units of ``row`` handed to a colleague (0 when none)."""
    return row.reassigned_to.quantity if row.reassigned_to_id else 0


def split_package(actor, product, year, name, units, owner, parts):
    """A product worth many standard units, done over months or by a group (Điều 18.1.c):
    ``parts`` is ``[(staff, month, units)]`` adding up to ``units``; each part is an
    assignment scored in its own month, ``owner`` the primary owner."""
    total = _count(units, "units", "Tổng số đơn vị")
    parts = list(parts)
    if total <= 0 or sum(int(u) for _, _, u in parts) != total:
        raise InvalidInput(f"Các phần phải cộng lại đúng {total} đơn vị (đang là "
                           f"{sum(int(u) for _, _, u in parts)}).", field="parts")
    if owner.id not in {p.id for p, _, _ in parts}:
        raise InvalidInput(f"Người chủ trì {owner.full_name} phải có một phần việc.",
                           field="owner")
    with database.atomic():
        package = WorkPackage.create(product=product, year=year,
                                     name=_text(name, "name", "Tên việc", 300) or product.name,
                                     units=total, owner=owner, created_by=actor.username)
        rows = [assign(actor, person, year, month, product, u, package=package)
                for person, month, u in parts]
    return package, rows


def check_result_edit(actor, row, fields):
    """The person records their own result; the evaluator the reviews; the officer both."""
    unknown = set(fields) - set(OWN_FIELDS) - set(REVIEW_FIELDS)
    if unknown:
        raise InvalidInput("Không có trường " + ", ".join(sorted(unknown)))
    if users_can(actor, "tracking.assign") and sees(actor, row.staff.unit_id):
        return
    own = set(fields) & set(OWN_FIELDS)
    review = set(fields) & set(REVIEW_FIELDS)
    if own and (actor is None or actor.staff_id != row.staff_id):
        raise Forbidden(f"Chỉ chính {row.staff.full_name} (hoặc cán bộ tổ chức) ghi kết quả "
                        "thực hiện của mình.", staff=row.staff_id)
    if review:
        check_evaluate(actor, row.staff, row.year, row.month,
                       "ghi lỗi chất lượng, chậm tiến độ")


def record_result(actor, assignment, **fields):
    """Record the result of an assignment: ``completed`` (whole units), ``completed_on``,
    ``evidence`` (a document number or link), ``note`` — by the person; ``failed_reviews``,
    ``delays``, ``objective_cause`` — by the evaluator (``check_result_edit``)."""
    check_result_edit(actor, assignment, fields)
    _check_unlocked(assignment.staff, assignment.year, assignment.month)
    before = audit.snapshot(assignment)
    values = dict(fields)
    for name, label in (("completed", "Số lượng hoàn thành"),
                        ("failed_reviews", "Số lần không đạt chất lượng"),
                        ("delays", "Số lần chậm tiến độ")):
        if name in values:
            values[name] = _count(values[name], name, label)
    if "completed" in values and not assignment.extra:
        most = assignment.quantity - handed_units(assignment)
        if values["completed"] > most:
            raise InvalidInput(
                f"Số lượng hoàn thành {values['completed']} vượt số được giao {most}"
                + (" (đã trừ phần giao lại)" if handed_units(assignment) else "")
                + "; việc làm thêm ghi thành việc phát sinh.", field="completed")
    if "completed_on" in values:
        done = _date(values["completed_on"], "completed_on", "Ngày hoàn thành")
        if done is not None and assignment.assigned_on and done < assignment.assigned_on:
            raise InvalidInput(f"Ngày hoàn thành {vi_date(done)} trước ngày giao việc "
                               f"{vi_date(assignment.assigned_on)}.", field="completed_on")
        if done is not None and done > datetime.date.today():
            raise InvalidInput(f"Ngày hoàn thành {vi_date(done)} chưa tới.",
                               field="completed_on")
        values["completed_on"] = done
    for name, label in (("evidence", "Minh chứng"), ("note", "Ghi chú")):
        if name in values:
            values[name] = _text(values[name], name, label)
    if "objective_cause" in values:
        values["objective_cause"] = values["objective_cause"] in (True, 1, "1", "on", "true")
    for name, value in values.items():
        setattr(assignment, name, value)
    with database.atomic():
        assignment.save()
        audit.record(actor, "tracking.result", assignment,
                     changes=audit.diff(before, audit.snapshot(assignment)))
    return assignment


#: Evidence files (Điều 18.2: results updated in the software, with their proof).
MAX_EVIDENCE_BYTES = 5 * 1024 * 1024
EVIDENCE_TYPES = {
    ".pdf": "application/pdf", ".png": "image/png", ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg", ".doc": "application/msword", ".xls": "application/vnd.ms-excel",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".odt": "application/vnd.oasis.opendocument.text",
}


def add_evidence(actor, assignment, filename, data):
    """Attach a file to a result: PDF, image or office document, at most 5 MB."""
    check_result_edit(actor, assignment, ["evidence"])
    _check_unlocked(assignment.staff, assignment.year, assignment.month)
    name = _text(str(filename or "").replace("\\", "/").rsplit("/", 1)[-1], "file",
                 "Tên tệp", 200)
    suffix = "." + name.rsplit(".", 1)[-1].lower() if name and "." in name else ""
    if suffix not in EVIDENCE_TYPES:
        raise InvalidInput(f"Tệp «{name}» không được nhận; chỉ nhận "
                           + ", ".join(sorted(EVIDENCE_TYPES)) + ".", field="file")
    if not data:
        raise InvalidInput(f"Tệp «{name}» rỗng.", field="file")
    if len(data) > MAX_EVIDENCE_BYTES:
        raise InvalidInput(f"Tệp «{name}» nặng {len(data) / 1048576:.1f} MB; tối đa 5 MB."
                           .replace(".", ",", 1), field="file")
    with database.atomic():
        row = Evidence.create(assignment=assignment, filename=name,
                              content_type=EVIDENCE_TYPES[suffix], size=len(data),
                              data=data, uploaded_by=actor.username,
                              uploaded_at=datetime.datetime.now().replace(microsecond=0))
        audit.record(actor, "tracking.evidence", row,
                     changes={"filename": [None, name], "size": [None, len(data)]})
    return row


def sheet_for(staff, year, month):
    """The person's sheet of the period containing ``month``, created with its items."""
    setting = setting_for(staff.unit_id, year)
    end = period_end(month, setting.period)
    sheet = Sheet.get_or_none(Sheet.staff == staff, Sheet.year == year, Sheet.month == end)
    if sheet is not None:
        return sheet
    rule_set = rule_set_for(year, staff.kind)
    rules = rules_of(setting, rule_set if rule_set in scoring.RULES else scoring.ND335)
    with database.atomic():
        sheet = Sheet.create(staff=staff, unit=staff.unit_id, year=year, month=end,
                             period=setting.period, rule_set=rule_set,
                             leader=staff.leader_role != LeaderRole.NONE.code)
        SheetItem.insert_many([
            {"sheet": sheet.id, "code": code, "label": label, "max_points": top,
             "position": i} for i, (code, label, top) in enumerate(rules.items())
        ]).execute()
    return sheet


def _items(sheet):
    return {i.code: i for i in sheet.items.order_by(SheetItem.position)}


def _score_items(sheet, scores, field):
    """Store ``scores`` (``{code: points}``) on the sheet's items and return the general
    points once every item is scored; each value is checked by ``scoring.general_points``."""
    items = _items(sheet)
    values = {code: parse_decimal(value, f"Điểm tiêu chí {code}", required=True)
              for code, value in scores.items()}
    rules = scoring.RULES.get(sheet.rule_set, scoring.RULES[scoring.ND335])  # as sheet_for
    scoring.general_points(values, rules)  # every code on the form, each within its maximum
    for code, value in values.items():
        setattr(items[code], field, value)
        items[code].save()
    points = [getattr(i, field) for i in items.values()]
    return sum(points) if all(v is not None for v in points) else None


def self_score(actor, sheet, scores, strengths=None, weaknesses=None, submit=True):
    """The person's own points per general sub-item, strengths and weaknesses (Điều 18.2,
    Mẫu 01); ``submit`` sends the sheet to the evaluator once every item is scored,
    otherwise it is kept as a draft."""
    check_self_score(actor, sheet.staff)
    if sheet.locked:
        raise RuleViolation(f"Phiếu tháng {sheet.month}/{sheet.year} đã được xác nhận.")
    strengths = _text(strengths, "strengths", "Ưu điểm") if strengths is not None else None
    weaknesses = _text(weaknesses, "weaknesses", "Hạn chế") if weaknesses is not None else None
    with database.atomic():
        before = sheet.status
        sheet.self_general = _score_items(sheet, scores, "self_points")
        sheet.strengths = strengths if strengths is not None else sheet.strengths
        sheet.weaknesses = weaknesses if weaknesses is not None else sheet.weaknesses
        if submit:
            if sheet.self_general is None:
                missing = [i.code for i in _items(sheet).values() if i.self_points is None]
                raise InvalidInput("Chưa tự chấm đủ các tiêu chí chung: còn thiếu "
                                   + ", ".join(missing) + ".", field="self")
            sheet.status = SheetStatus.SELF_SCORED.code
            sheet.submitted_at = datetime.datetime.now().replace(microsecond=0)
        sheet.save()
        audit.record(actor, "sheet.submit" if submit else "sheet.self_score", sheet,
                     changes={"status": [before, sheet.status]})
    return sheet


def evaluate(actor, sheet, scores, d=None, dd=None, e=None, comment=None):
    """The evaluator's points per sub-item, d, đ, e for a leader, and comment."""
    check_evaluate(actor, sheet.staff, sheet.year, sheet.month, "chấm điểm phiếu")
    if sheet.locked:
        raise RuleViolation(f"Phiếu tháng {sheet.month}/{sheet.year} đã được xác nhận.")
    rules = rules_of(setting_for(sheet.unit_id, sheet.year), sheet.rule_set)
    if sheet.leader:
        # d follows from the subordinates' results (Điều 15.3.a); the module builds on
        # year_points, which builds on this one
        from canbo.tracking import leaders

        derived, _ = leaders.derived_d(sheet)
        if d is not None and scoring.check_leader_value("d", d, rules) != derived:
            raise InvalidInput(
                f"Tiêu chí d không nhập tay: theo kết quả của công chức thuộc quyền quản "
                f"lý là {vi_points(derived, 0)}% (Điều 15.3.a), không phải "
                f"{vi_points(scoring.check_leader_value('d', d, rules), 0)}%.", field="d")
        d = derived
    with database.atomic():
        sheet.general = _score_items(sheet, scores, "points")
        for name, attr, value in (("d", "d", d), ("đ", "dd", dd), ("e", "e", e)):
            if value is not None:
                setattr(sheet, attr, scoring.check_leader_value(name, value, rules))
        sheet.comment = comment if comment is not None else sheet.comment
        sheet.evaluator = actor.username
        sheet.save()
        audit.record(actor, "sheet.evaluate", sheet, changes={
            "general": [None, None if sheet.general is None else str(sheet.general)]})
    return sheet


def compute(sheet):
    """Fill a, b, c, task score and total from the period's results; returns the sheet."""
    rules = rules_of(setting_for(sheet.unit_id, sheet.year), sheet.rule_set)
    rows = Assignment.select().where(
        Assignment.staff == sheet.staff_id, Assignment.year == sheet.year,
        Assignment.month.in_(period_months(sheet.month, sheet.period)))
    results = [scoring.Result(r.quantity, r.completed, r.coefficient, r.failed_reviews,
                              r.delays, r.objective_cause, r.extra) for r in rows]
    a, b, c = scoring.abc(scoring.totals(results, rules), rules)
    leader = (sheet.d, sheet.dd, sheet.e) if sheet.leader else (None, None, None)
    task = scoring.task_score(a, b, c, *leader)
    # The sheet keeps what Mẫu 01 prints, rounded; the year is decided on the unrounded
    # sums (``year_points.year_grid``), never on these.
    sheet.a, sheet.b, sheet.c = (rules.round(v) for v in (a, b, c))
    sheet.task_score = rules.round(task)
    if sheet.general is not None:
        sheet.total = rules.round(scoring.period_score(sheet.general, task, rules))
    return sheet


def confirm(actor, sheet):
    """The evaluator's confirmation: needs every item scored; locks the period."""
    check_evaluate(actor, sheet.staff, sheet.year, sheet.month, "xác nhận phiếu")
    if sheet.locked:
        raise RuleViolation(f"Phiếu tháng {sheet.month}/{sheet.year} đã được xác nhận.")
    if sheet.status != SheetStatus.SELF_SCORED.code:
        raise RuleViolation("Người được đánh giá chưa tự đánh giá phiếu này.")
    if sheet.general is None:
        raise RuleViolation("Người đánh giá chưa chấm đủ các tiêu chí chung.")
    if sheet.leader and None in (sheet.d, sheet.dd, sheet.e):
        raise RuleViolation("Người giữ chức vụ lãnh đạo cần đủ ba tiêu chí d, đ, e.")
    with database.atomic():
        compute(sheet)
        sheet.status = SheetStatus.CONFIRMED.code
        sheet.evaluator = actor.username
        sheet.confirmed_at = datetime.datetime.now().replace(microsecond=0)
        sheet.save()
        audit.record(actor, "sheet.confirm", sheet,
                     changes={"status": ["SELF_SCORED", "CONFIRMED"], "total": [None,
                                                                               str(sheet.total)]})
    return sheet


def return_sheet(actor, sheet, reason):
    """Send a self-scored sheet back to the person (Trả lại), with the reason."""
    check_evaluate(actor, sheet.staff, sheet.year, sheet.month, "trả lại phiếu")
    if sheet.status != SheetStatus.SELF_SCORED.code:
        raise RuleViolation("Chỉ trả lại được phiếu đã tự đánh giá, chưa xác nhận.")
    if not str(reason or "").strip():
        raise InvalidInput("Cần ghi lý do trả lại.")
    with database.atomic():
        sheet.status = SheetStatus.RETURNED.code
        sheet.returned_reason = _text(reason, "reason", "Lý do trả lại")
        sheet.save()
        audit.record(actor, "sheet.return", sheet, reason=reason,
                     changes={"status": ["SELF_SCORED", "RETURNED"]})
    return sheet


# --- why each number is what it is ------------------------------------------------------


def _n(value, places=2):
    return vi_points(value, places)


def breakdown(staff, year, month, rules=None):
    """What the period's task score is made of, for the evaluator and the person to read:
    ``{"rows": [(assignment, lines)], "totals": lines, "abc": (a, b, c) or None}``, each
    line a Vietnamese sentence with the numbers and the article they follow
    (Điều 13–16).  Nothing is stored; the sheet's own numbers come from ``compute``."""
    setting = setting_for(staff.unit_id, year)
    rules = rules or rules_of(setting)
    rows = list(Assignment.select().where(
        Assignment.staff == staff.id, Assignment.year == year,
        Assignment.month.in_(period_months(month, setting.period)))
        .order_by(Assignment.month, Assignment.id))
    out, results = [], []
    for r in rows:
        result = scoring.Result(r.quantity, r.completed, r.coefficient, r.failed_reviews,
                                r.delays, r.objective_cause, r.extra)
        results.append(result)
        done, quality, on_time = scoring.row_points(result, rules)
        k = _n(r.coefficient)
        lines = [
            ("Ngoài tổng được giao (Điều 18.1.d), cộng thêm điểm" if r.extra else
             f"Được giao {r.quantity} × hệ số {k} = {_n(r.quantity * r.coefficient)} "
             "sản phẩm chuẩn (Điều 13)")
            + (f"; đã giao lại {handed_units(r)} cho người khác, vẫn tính trong tổng giao "
               "nhưng không tính vào kết quả" if handed_units(r) else ""),
            f"Hoàn thành {r.completed} × {k} = {_n(done)} (tiêu chí a, Điều 14.1)",
        ]
        for count, label, value, letter in ((r.failed_reviews, "lần không đạt chất lượng",
                                             quality, "b, Điều 14.2.b"),
                                            (r.delays, "lần chậm tiến độ", on_time,
                                             "c, Điều 14.2.c")):
            if count and r.objective_cause:
                lines.append(f"{count} {label}, nguyên nhân khách quan đã được xác nhận: "
                             f"không trừ → {_n(value)} (tiêu chí {letter})")
            elif count:
                lines.append(f"{_n(done)} − 25% × {k} × {count} {label} = {_n(value)} "
                             f"(tiêu chí {letter})")
            else:
                lines.append(f"Không có {label} → {_n(value)} (tiêu chí {letter})")
        out.append((r, lines))
    totals = scoring.totals(results, rules)
    try:
        a, b, c = scoring.abc(totals, rules)
    except InvalidInput as exc:
        return {"rows": out, "totals": [exc.message], "abc": None}
    capped = rules.cap_at_100 and not totals.extra
    lines = [
        f"Tổng được giao {_n(totals.assigned)}; hoàn thành {_n(totals.completed)}; đạt chất "
        f"lượng {_n(totals.quality)}; đúng tiến độ {_n(totals.on_time)} (sản phẩm chuẩn).",
        f"a = {_n(totals.completed)} ÷ {_n(totals.assigned)} × 100 = {_n(a)}%; "
        f"b = {_n(totals.quality)} ÷ {_n(totals.assigned)} × 100 = {_n(b)}%; "
        f"c = {_n(totals.on_time)} ÷ {_n(totals.assigned)} × 100 = {_n(c)}%"
        + (" (tối đa 100% khi không có việc ngoài kế hoạch)." if capped else "."),
    ]
    return {"rows": out, "totals": lines, "abc": (a, b, c)}
