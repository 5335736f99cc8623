"""The 100-point score of ND 335/2025: general criteria, task results, period, year, level.

Pure functions over ``Decimal`` (REFERENCE.md §3 "ND 335"); nothing here touches the
database.  A civil servant's period (month or quarter) is scored on 30 points of
general criteria (Điều 12) plus 70 points of task results (Điều 13–16); the year is the
average of the periods (Điều 17) and the level follows the thresholds and the KHTNV
conditions of Điều 20.

The decree leaves things open (REFERENCE.md §3, §5); they are the fields of
``ScoringRules`` with the documented defaults, **not law**: capping a, b, c at 100%
unless extra work is recorded, a floor of 0 for repeated 25% deductions, no middle
value for đ, keeping two decimals while comparing thresholds without rounding, and
which months of leave are not "months worked" (more than half of the month's days).
``ScoringRules.explain()`` lists them in Vietnamese so a sheet can show how a number
was reached.
"""
import dataclasses
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal

from canbo.errors import InvalidInput
from canbo.rules.rulesets import (
    MIN_MONTHS_WORKED,
    ND335,
    POINT_THRESHOLDS,
    QD366,
    RATED_ON_TIME_WORKED,
)
from canbo.vietnamese import parse_decimal, vi_decimal, vi_points

HUNDRED = Decimal(100)
ZERO = Decimal(0)
_QUANTA = {n: Decimal(1).scaleb(-n) for n in range(0, 7)}

# Điều 12 and the annex form Mẫu 01 (Phụ lục II), in the annex's own words: its three
# groups, their sub-items (part III: Phụ lục I §3 a–d) and maxima.  The maxima are data,
# because each province fills in what earns full or partial points (REFERENCE.md §3).
GENERAL_CRITERIA = (
    ("I", "Phẩm chất chính trị, phẩm chất đạo đức, văn hóa thực thi công vụ và ý thức kỷ "
          "luật, kỷ cương trong thực thi công vụ", (
        ("I.1", "Phẩm chất chính trị, phẩm chất đạo đức, văn hóa thực thi công vụ",
         Decimal("5")),
        ("I.2", "Ý thức kỷ luật, kỷ cương trong thực thi công vụ", Decimal("5")),
    )),
    ("II", "Năng lực chuyên môn, nghiệp vụ theo yêu cầu của vị trí việc làm; khả năng đáp "
           "ứng yêu cầu thực thi nhiệm vụ được giao; tinh thần trách nhiệm trong thực thi "
           "công vụ; thái độ phục vụ người dân, doanh nghiệp và khả năng phối hợp với đồng "
           "nghiệp", (
        ("II.1", "Năng lực chuyên môn, nghiệp vụ theo yêu cầu của vị trí việc làm",
         Decimal("2.5")),
        ("II.2", "Khả năng đáp ứng yêu cầu thực thi nhiệm vụ được giao thường xuyên, đột xuất",
         Decimal("2.5")),
        ("II.3", "Tinh thần trách nhiệm trong thực thi công vụ", Decimal("2.5")),
        ("II.4", "Thái độ phục vụ người dân, doanh nghiệp và khả năng phối hợp với đồng "
                 "nghiệp", Decimal("2.5")),
    )),
    ("III", "Năng lực đổi mới, sáng tạo, dám nghĩ, dám làm, dám chịu trách nhiệm vì lợi ích "
            "chung trong thực thi công vụ", (
        ("III.1", "Có sản phẩm, giải pháp đột phá, sáng tạo đem lại giá trị, hiệu quả thiết "
                  "thực, tác động tích cực đến kết quả thực hiện nhiệm vụ của cơ quan, tổ "
                  "chức, đơn vị.", Decimal("2.5")),
        ("III.2", "Sẵn sàng tham gia thực hiện nhiệm vụ chính trị đặc biệt quan trọng, nhiệm "
                  "vụ có tính chất đột xuất, phức tạp hoặc trong điều kiện khó khăn.",
         Decimal("2.5")),
        ("III.3", "Có tinh thần chịu trách nhiệm trước kết quả công việc; chủ động nhận trách "
                  "nhiệm khi có sai sót và có biện pháp khắc phục rõ ràng, cụ thể.",
         Decimal("2.5")),
        ("III.4", "Chủ động đưa ra quyết định trong phạm vi thẩm quyền, không né tránh; có "
                  "tinh thần tiên phong trong thực hiện những nhiệm vụ mới.", Decimal("2.5")),
    )),
)


@dataclasses.dataclass(frozen=True)
class ScoringRules:
    """The numbers of one rule set.  Defaults: ND 335/2025 and REFERENCE.md §3.

    ``cap_at_100``, ``deduction_floor``, ``middle_value_dd``, ``decimals`` and
    ``leave_month_share`` are the settings the decree leaves open (unconfirmed; a unit
    may change them).

    ``leave_month_share``: ND 335 Điều 17 and 19.3 (REFERENCE.md §5) average the year
    over "the months actually worked" for sick, maternity and unpaid leave without
    saying when a month with some days of leave is one; the default (**unconfirmed**)
    counts a month as worked unless those leaves cover more than this share of its days.
    """

    general_criteria: tuple = GENERAL_CRITERIA
    general_max: Decimal = Decimal(30)          # Điều 12
    task_max: Decimal = Decimal(70)             # Điều 13
    deduction_rate: Decimal = Decimal("0.25")   # Điều 14–15: 25% per failed review / delay
    leader_values: tuple = (HUNDRED, Decimal(50))    # d, đ, e (Điều 16)
    cap_at_100: bool = True                     # open: a, b, c ≤ 100% unless extra work
    deduction_floor: Decimal = ZERO             # open: a row's points never go below this
    middle_value_dd: Decimal = None             # open: a value between 50% and 100% for đ
    decimals: int = 2                           # open: stored and shown precision
    leave_month_share: Decimal = Decimal("0.5")  # open: leave > this share → not worked

    def items(self):
        """``[(code, label, max), …]`` of every general sub-item, in form order."""
        return [item for _, _, items in self.general_criteria for item in items]

    def explain(self):
        """Vietnamese lines stating the open settings, for the foot of a sheet."""
        lines = [
            "Tỷ lệ a, b, c " + ("tối đa 100%, trừ khi có công việc phát sinh ngoài kế hoạch"
                                if self.cap_at_100 else "không giới hạn ở 100%") + ".",
            f"Mỗi lần không đạt chất lượng hoặc chậm tiến độ trừ "
            f"{vi_decimal(self.deduction_rate * HUNDRED, 0)}% điểm của sản phẩm đó; "
            f"điểm một sản phẩm không thấp hơn {vi_decimal(self.deduction_floor * HUNDRED, 0)}%"
            "; không trừ khi nguyên nhân khách quan được xác nhận (chậm tiến độ).",
            "Tiêu chí đ nhận 100% hoặc 50%" + (
                f", hoặc mức giữa {vi_decimal(self.middle_value_dd, 0)}%"
                if self.middle_value_dd is not None else "") + ".",
            f"Điểm được làm tròn {self.decimals} chữ số thập phân; so sánh với ngưỡng xếp "
            "loại bằng giá trị chưa làm tròn.",
            "Tháng nghỉ ốm, thai sản hoặc không lương quá "
            f"{vi_decimal(self.leave_month_share * HUNDRED, 0)}% số ngày của tháng không tính "
            "là tháng làm việc; điểm năm là trung bình các tháng làm việc thực tế.",
        ]
        return lines

    def round(self, value):
        """``value`` to ``decimals`` places (half up), for showing only: no decision is
        made on a rounded value (the decree has no rounding rule)."""
        return Decimal(value).quantize(_QUANTA[self.decimals], ROUND_HALF_UP)


#: The rule sets that score on 100 points (REFERENCE.md §1): ND 335 for civil servants,
#: the QĐ 366 frame (same 30 + 70 and 90/70/50) for cadres from 2026.
RULES = {ND335: ScoringRules(), QD366: ScoringRules()}


#: Places a year's points keep when stored on a rating (``Rating.points``).
STORED_PLACES = 6


def stored_points(value):
    """``value`` as ``Rating.points`` keeps it: cut (never rounded up) to 6 places.

    A threshold (90, 70, 50) has fewer places, so a value cut down is at or above it
    exactly when the true value is: the level decided on the stored points is the level
    of the true average — 89.995833… is stored 89.995833 and stays HTTNV, where
    rounding to two places made it 90.00 and HTXSNV.
    """
    return Decimal(value).quantize(_QUANTA[STORED_PLACES], ROUND_FLOOR)


def shown(value, rules=RULES[ND335]):
    """``value`` as a person reads it: rounded half up to the rules' ``decimals`` (a
    presentation setting), except that a value is never shown reaching a threshold it
    does not reach — 89.995833 reads 89,99, not 90,00 beside "HTTNV"; such a value is
    cut instead (the decree has no rounding rule; the level follows the true value)."""
    value = Decimal(value)
    rounded = rules.round(value)
    if any(value < lowest <= rounded for lowest, _ in POINT_THRESHOLDS):
        return value.quantize(_QUANTA[rules.decimals], ROUND_FLOOR)
    return rounded


def points_text(value, rules=RULES[ND335]):
    """Points as text, as ``shown``, with the decimal comma; ``""`` for none."""
    return "" if value is None else vi_points(shown(value, rules), rules.decimals)


def points_exact(value):
    """Stored points written out in full, for a form to send back unchanged:
    ``89.995833`` → ``"89,995833"``, ``96.000000`` → ``"96"``."""
    if value is None:
        return ""
    text = format(Decimal(value).normalize(), "f")
    return text.replace(".", ",")


def rules_for(rule_set=ND335, **overrides):
    """The ``ScoringRules`` of ``rule_set`` with a unit's ``overrides`` applied."""
    try:
        base = RULES[rule_set]
    except KeyError:
        raise InvalidInput(
            f"Bộ quy tắc «{rule_set}» không chấm điểm theo thang 100; cho phép: "
            + ", ".join(RULES), rule_set=rule_set) from None
    return dataclasses.replace(base, **{k: v for k, v in overrides.items() if v is not None})


# --- task results (Điều 13–15) -------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Result:
    """One assigned catalogue product and what came of it in the period.

    Quantities are counted in the product's own units and converted by ``coefficient``
    to the unit's standard product (Điều 13).  ``extra`` marks work outside the
    assignment: it adds to what was done, not to what was assigned.
    """

    quantity: int = 0
    completed: int = 0
    coefficient: Decimal = Decimal(1)
    failed_reviews: int = 0
    delays: int = 0
    objective_cause: bool = False
    extra: bool = False


@dataclasses.dataclass(frozen=True)
class Totals:
    """Converted sums over a period's results: the inputs of a, b and c."""

    assigned: Decimal
    completed: Decimal
    quality: Decimal
    on_time: Decimal
    extra: bool


def row_points(result, rules=RULES[ND335]):
    """``(completed, quality, on_time)`` converted points of one result (Điều 14–15).

    Quality: the completed points less 25% of the product's points per failed review
    (Điều 14.2.b).  Progress: the same per delay (Điều 14.2.c).  Neither deduction is
    made when the competent level confirmed an objective cause ("trừ trường hợp sai sót
    do nguyên nhân khách quan được cấp có thẩm quyền xác nhận", in both b and c).
    Neither goes below ``deduction_floor`` × the completed points (open setting,
    default 0).
    """
    k = Decimal(result.coefficient)
    done = result.completed * k
    floor = done * rules.deduction_floor
    failed = 0 if result.objective_cause else result.failed_reviews
    quality = max(floor, done - rules.deduction_rate * k * failed)
    delays = 0 if result.objective_cause else result.delays
    on_time = max(floor, done - rules.deduction_rate * k * delays)
    return done, quality, on_time


def totals(results, rules=RULES[ND335]):
    """Sum a period's results into ``Totals`` (what SQL computes in ``year_points``)."""
    assigned = completed = quality = on_time = ZERO
    extra = False
    for r in results:
        done, q, t = row_points(r, rules)
        if r.extra:
            extra = extra or r.completed > 0
        else:
            assigned += r.quantity * Decimal(r.coefficient)
        completed += done
        quality += q
        on_time += t
    return Totals(assigned, completed, quality, on_time, extra)


def abc(t, rules=RULES[ND335]):
    """``(a, b, c)`` in percent from ``Totals`` (Điều 14–15).

    a = completed ÷ assigned; b = completed to quality ÷ assigned; c = completed on
    time ÷ assigned, all over converted quantities; each capped at 100% unless extra
    work is recorded (open setting).  Raises ``InvalidInput`` when nothing was
    assigned: the period has no task score.
    """
    if not t.assigned:
        raise InvalidInput("Kỳ này chưa được giao sản phẩm nào; chưa tính được a, b, c.")
    # Multiply before dividing: 100 / 3 first would not be exact.
    n = t.assigned
    values = (t.completed * HUNDRED / n, t.quality * HUNDRED / n, t.on_time * HUNDRED / n)
    if rules.cap_at_100 and not t.extra:
        values = tuple(v if v <= HUNDRED else HUNDRED for v in values)
    return values


# --- leaders (Điều 16) -----------------------------------------------------------------


def leader_d(subordinate_scores):
    """d of a leader (Điều 15.3.a): 100% when every civil servant under their management
    scores at the HTNV level's points or above in the period, 50% when any scores at the
    KHTNV level; 100% with nobody to manage (none scores below)."""
    lowest_passing = POINT_THRESHOLDS[-1][0]  # HTNV: 50
    return HUNDRED if all(Decimal(s) >= lowest_passing for s in subordinate_scores) \
        else Decimal(50)


def check_leader_value(name, value, rules=RULES[ND335]):
    """``value`` as a Decimal percent if the rules allow it for criterion ``name``.

    d and e take 100% or 50%; đ also the ``middle_value_dd`` when a unit sets one.
    """
    allowed = list(rules.leader_values)
    if name == "đ" and rules.middle_value_dd is not None:
        allowed.append(Decimal(rules.middle_value_dd))
    value = parse_decimal(value, f"Tiêu chí {name}", percent=True, required=True)
    if value not in allowed:
        raise InvalidInput(
            f"Tiêu chí {name} = {vi_decimal(value, 0)}% không hợp lệ; cho phép: "
            + ", ".join(f"{vi_decimal(v, 0)}%" for v in allowed), criterion=name, value=value)
    return value


def task_score(a, b, c, d=None, dd=None, e=None):
    """Task score in percent: (a+b+c)/3, or (a+b+c+d+đ+e)/6 for a leader (Điều 16)."""
    if d is None and dd is None and e is None:
        return (Decimal(a) + Decimal(b) + Decimal(c)) / 3
    if d is None or dd is None or e is None:
        raise InvalidInput("Người giữ chức vụ lãnh đạo cần đủ ba tiêu chí d, đ, e.")
    return sum(map(Decimal, (a, b, c, d, dd, e))) / 6


# --- period, quarter, year (Điều 17) ---------------------------------------------------


def general_points(scores, rules=RULES[ND335]):
    """The sum of the general sub-items ``{code: points}``, each within its maximum."""
    maxima = {code: top for code, _, top in rules.items()}
    total = ZERO
    for code, value in scores.items():
        if code not in maxima:
            raise InvalidInput(f"Tiêu chí chung «{code}» không có trong phiếu; cho phép: "
                               + ", ".join(maxima), item=code)
        value = Decimal(value)
        if not ZERO <= value <= maxima[code]:
            raise InvalidInput(
                f"Điểm tiêu chí {code} = {vi_points(value)} ngoài khoảng 0 – "
                f"{vi_points(maxima[code])}.", item=code, value=value)
        total += value
    return total


def task_points(task, rules=RULES[ND335]):
    """The task score in percent as points of the 70 (Điều 17.1): at most 70 (Điều 12.3,
    "được chấm tối đa là 70 điểm"), extra work included."""
    return min(Decimal(task) * rules.task_max / HUNDRED, rules.task_max)


def period_score(general, task, rules=RULES[ND335]):
    """General points (at most 30, Điều 12.2) + task score × 70 (at most 70, Điều 12.3):
    a month or quarter never scores above 100 (Điều 17.1).

    Unrounded: the decree has no rounding rule, so a level is decided on the true value
    and ``ScoringRules.round`` is for showing it only.
    """
    general = Decimal(general)
    if not ZERO <= general <= rules.general_max:
        raise InvalidInput(
            f"Điểm tiêu chí chung {vi_decimal(general)} ngoài khoảng 0 – "
            f"{vi_decimal(rules.general_max, 0)} (Điều 12.2).", general=general)
    return general + task_points(task, rules)


#: The months of each quarter and half-year: Điều 17.3 averages 3 months for a quarter
#: and 6 for a half-year, which units use for bonuses and extra income (Điều 23).
QUARTERS = {1: (1, 2, 3), 2: (4, 5, 6), 3: (7, 8, 9), 4: (10, 11, 12)}
HALVES = {1: (1, 2, 3, 4, 5, 6), 2: (7, 8, 9, 10, 11, 12)}


LEAVE_KINDS = {
    "SICK": "nghỉ ốm",
    "MATERNITY": "nghỉ thai sản",
    "UNPAID": "nghỉ không lương",
}


def _months_rated(months_worked, leave):
    """The months the year's average runs over (Điều 11.1–2, 19.3).

    Under 6 months worked a person is not rated (Điều 11.1), except sick and maternity
    leave under social-insurance law, rated on the time actually worked (Điều 11.2);
    unpaid personal leave is rated on the time worked only with at least 6 months.
    """
    months = set(range(1, 13)) if months_worked is None else set(months_worked)
    if leave not in RATED_ON_TIME_WORKED and len(months) < MIN_MONTHS_WORKED:
        raise InvalidInput(
            f"Chỉ làm việc {len(months)} tháng trong năm: không thực hiện đánh giá, xếp "
            f"loại (cần ít nhất {MIN_MONTHS_WORKED} tháng, trừ nghỉ ốm, nghỉ thai sản — "
            "Điều 11 Nghị định 335/2025).", months=sorted(months))
    return months


def year_average(monthly, months_worked=None, leave=None, tracked=None):
    """The year's points, unrounded: the plain average of the 12 months (Điều 17).

    With ``leave`` (sick, maternity or unpaid, Điều 11.2, 19.3) the average runs over
    ``months_worked`` only; with fewer than 6 months worked only maternity leave is
    still rated.  ``tracked`` are the months a unit tracked in its first ND 335 year
    (from its first tracked month, the province's start — snv-3743-2026): the average
    runs over the months worked among them, and the 6-month rule still counts the
    months worked, tracked or not.  Raises ``InvalidInput`` naming the months without a
    score.
    """
    if leave is not None and leave not in LEAVE_KINDS:
        raise InvalidInput(f"Loại nghỉ «{leave}» không hợp lệ; cho phép: "
                           + ", ".join(LEAVE_KINDS), leave=leave)
    months = _tracked(_months_rated(months_worked, leave), tracked)
    missing = sorted(m for m in months if monthly.get(m) is None)
    if missing:
        raise InvalidInput("Chưa có điểm các tháng " + ", ".join(map(str, missing)) + ".",
                           missing=missing)
    return sum(Decimal(monthly[m]) for m in months) / len(months)


def _tracked(months, tracked):
    if tracked is None:
        return months
    kept = months & set(tracked)
    if not kept:
        raise InvalidInput("Không có tháng nào được theo dõi trong thời gian làm việc.",
                           months=sorted(months))
    return kept


def year_average_quarters(quarterly, months_worked=None, leave=None, tracked=None):
    """The year's points of a unit tracking by quarter: the average of the quarters
    ``{1–4: score}`` (a quarter = its three months, Điều 17), over the quarters with a
    month worked when ``months_worked`` is given; the 6-month rule as ``year_average``.
    """
    months = _tracked(_months_rated(months_worked, leave), tracked)
    quarters = sorted({-(-m // 3) for m in months})
    missing = [q for q in quarters if quarterly.get(q) is None]
    if missing:
        raise InvalidInput("Chưa có điểm quý " + ", ".join(map(str, missing)) + ".",
                           missing=missing)
    return sum(Decimal(quarterly[q]) for q in quarters) / len(quarters)


def running_average(monthly):
    """The average of the months scored so far (for the officer's grid), or None."""
    values = [Decimal(v) for v in monthly.values() if v is not None]
    return sum(values) / len(values) if values else None
