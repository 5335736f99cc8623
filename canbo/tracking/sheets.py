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
from canbo.models.tracking import Assignment, Sheet, SheetItem, TrackingSetting
from canbo.records import audit
from canbo.records.users import require
from canbo.rules import scoring
from canbo.rules.rulesets import rule_set_for
from canbo.tracking import evaluators
from canbo.vietnamese import parse_decimal, vi_points

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


def assign(actor, staff, year, month, product, quantity, deadline=None, extra=False):
    """Assign ``quantity`` of a decided catalogue's ``product`` for a month (Điều 13)."""
    require(actor, "tracking.assign", "giao sản phẩm", staff.unit_id)
    if not product.catalogue.locked:
        raise RuleViolation(f"Danh mục sản phẩm năm {product.catalogue.year} chưa được phê "
                            "duyệt; chưa giao việc từ danh mục được.")
    if product.catalogue.year != year:
        raise InvalidInput(f"Sản phẩm «{product.name}» thuộc danh mục năm "
                           f"{product.catalogue.year}, không phải năm {year}.")
    if product.catalogue.unit_id != staff.unit_id:
        raise InvalidInput(f"Sản phẩm «{product.name}» thuộc danh mục của đơn vị khác; hãy "
                           f"chọn trong danh mục của {staff.unit.name}.")
    if int(quantity) < 0 or (int(quantity) == 0 and not extra):
        raise InvalidInput(f"Số lượng giao «{quantity}» phải lớn hơn 0.", value=quantity)
    _check_unlocked(staff, year, month)
    row = Assignment.create(staff=staff, year=year, month=month, product=product,
                            coefficient=product.coefficient, quantity=quantity,
                            deadline=deadline, extra=extra)
    audit.record(actor, "tracking.assign", row)
    return row


def record_result(actor, assignment, **fields):
    """Record the result of an assignment: completed, failed_reviews, delays,
    objective_cause, note.  Counts must be whole numbers ≥ 0."""
    require(actor, "tracking.assign", "ghi kết quả thực hiện", assignment.staff.unit_id)
    allowed = {"completed", "failed_reviews", "delays", "objective_cause", "note"}
    unknown = set(fields) - allowed
    if unknown:
        raise InvalidInput("Không có trường " + ", ".join(sorted(unknown)))
    _check_unlocked(assignment.staff, assignment.year, assignment.month)
    before = audit.snapshot(assignment)
    for name, value in fields.items():
        if name in ("completed", "failed_reviews", "delays") and int(value) < 0:
            raise InvalidInput(f"{name} = {value} không hợp lệ (phải ≥ 0).", field=name)
        setattr(assignment, name, value)
    assignment.save()
    audit.record(actor, "tracking.result", assignment,
                 changes=audit.diff(before, audit.snapshot(assignment)))
    return assignment


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


def self_score(actor, sheet, scores, strengths=None, weaknesses=None):
    """The person's own points per general sub-item, strengths and weaknesses."""
    check_self_score(actor, sheet.staff)
    if sheet.locked:
        raise RuleViolation(f"Phiếu tháng {sheet.month}/{sheet.year} đã được xác nhận.")
    with database.atomic():
        sheet.self_general = _score_items(sheet, scores, "self_points")
        sheet.strengths = strengths if strengths is not None else sheet.strengths
        sheet.weaknesses = weaknesses if weaknesses is not None else sheet.weaknesses
        if sheet.self_general is not None:
            sheet.status = SheetStatus.SELF_SCORED.code
        sheet.save()
        audit.record(actor, "sheet.self_score", sheet)
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
        sheet.save()
        audit.record(actor, "sheet.return", sheet, reason=reason,
                     changes={"status": ["SELF_SCORED", "RETURNED"]})
    return sheet
