"""Which regulation governs a rating (REFERENCE.md §1), and what each one says.

A rule set is named by a stable code stored on every rating; a rating keeps the code it
was made under for ever, so a 2022 rating is judged by 2022's rules.  ``RULE_SETS`` holds
each rule set's data (quota ratio and ceiling, points thresholds, which discipline
counts); the functions applying them are in ``rules/yearly.py``.
"""
import dataclasses
from decimal import Decimal

from canbo.errors import InvalidInput
from canbo.levels import StaffKind

ND56 = "ND56_2015"
ND90 = "ND90_2020"
ND90_ND48 = "ND90_ND48_2023"
ND335 = "ND335_2025"
QD366 = "QD366_2025"

LABELS = {
    ND56: "Nghị định 56/2015/NĐ-CP (sửa đổi bởi Nghị định 88/2017/NĐ-CP)",
    ND90: "Nghị định 90/2020/NĐ-CP",
    ND90_ND48: "Nghị định 90/2020/NĐ-CP, sửa đổi bởi Nghị định 48/2023/NĐ-CP",
    ND335: "Nghị định 335/2025/NĐ-CP",
    QD366: "Khung 100 điểm theo Quy định 366-QĐ/TW (cán bộ từ năm 2026)",
}

#: The choices a unit has for rating its cadres from 2026 (REFERENCE.md §1): the
#: QĐ 366 frame by default, ND 90's cadre rules as the alternative.
CADRE_FRAMES = (QD366, ND90_ND48)

FIRST_YEAR = 2000  # no record of this kind is older; a smaller year is a typing error

#: ND 335/2025 tracks civil servants month by month, and rates their year on the
#: tracked points, from 2026 (Điều 27: in force 01/01/2026); the QĐ 366 frame scores
#: cadres the same way from the same year.
MONTHLY_TRACKING_FROM = 2026

#: Under six months of work in the year → not rated (ND 90/2020 Điều 2.2 as amended;
#: ND 335/2025 Điều 11.1), with the exceptions each rule states.
MIN_MONTHS_WORKED = 6

#: Leave rated on the time actually worked, even under six months (ND 335/2025 Điều
#: 11.2: "nghỉ ốm hoặc nghỉ thai sản theo quy định của pháp luật về bảo hiểm xã hội").
RATED_ON_TIME_WORKED = ("SICK", "MATERNITY")


def tracked_monthly(year):
    """Whether ``year``'s civil servants are scored month by month (ND 335/2025)."""
    return int(year) >= MONTHLY_TRACKING_FROM


def rule_set_for(year, kind, cadre_frame=QD366):
    """The code of the rule set that governs a rating of ``year`` for a person of ``kind``.

    - up to 2019: ND 56/2015 (in force 01/08/2015 – 19/08/2020);
    - 2020 – 2022: ND 90/2020 as first issued (20/08/2020 – 14/09/2023);
    - 2023 – 2025: ND 90/2020 as amended by ND 48/2023 (from 15/09/2023; ratings of 2023
      are made at the year's end, so all of 2023 falls under it);
    - from 2026: civil servants ND 335/2025 (Điều 27.2 repeals only ND 90's civil-servant
      provisions); cadres the unit's ``cadre_frame`` (default the QĐ 366 frame);
      public employees and others stay under ND 90 + ND 48 until it is replaced.
    """
    year = int(year)
    if year < FIRST_YEAR:
        raise InvalidInput(f"Năm {year} không hợp lệ (từ {FIRST_YEAR} trở đi).", year=year)
    kind = StaffKind(kind) if not isinstance(kind, StaffKind) else kind
    if year <= 2019:
        return ND56
    if year <= 2022:
        return ND90
    if not tracked_monthly(year):
        return ND90_ND48
    if kind is StaffKind.CIVIL_SERVANT:
        return ND335
    if kind is StaffKind.CADRE:
        if cadre_frame not in CADRE_FRAMES:
            raise InvalidInput(
                f"Khung đánh giá cán bộ «{cadre_frame}» không hợp lệ; cho phép: "
                + ", ".join(CADRE_FRAMES),
                cadre_frame=cadre_frame,
            )
        return cadre_frame
    return ND90_ND48


# --- what each rule set says ----------------------------------------------------------

#: Which discipline makes a rating KHTNV (REFERENCE.md §5):
#: ``ANY`` — any Party or administrative discipline decided in the year (ND 48/2023);
#: ``REPRIMAND_PUBLIC_SERVICE`` — reprimand (khiển trách) or above for a violation in
#: public service (ND 335/2025 Điều 11.3, Điều 20).
DISCIPLINE_ANY = "ANY"
DISCIPLINE_PUBLIC_SERVICE = "REPRIMAND_PUBLIC_SERVICE"

#: Points → level (ND 335/2025 Điều 20): the lowest points of each level, best first.
POINT_THRESHOLDS = ((Decimal(90), "HTXSNV"), (Decimal(70), "HTTNV"), (Decimal(50), "HTNV"))


#: The headings a person self-assesses on, by form (REFERENCE.md §3, §7).
_ND90_CRITERIA = (
    ("1", "Chính trị tư tưởng"),
    ("2", "Đạo đức, lối sống"),
    ("3", "Tác phong, lề lối làm việc"),
    ("4", "Ý thức tổ chức kỷ luật"),
    ("5", "Kết quả thực hiện chức trách, nhiệm vụ được giao"),
    ("6", "Thái độ phục vụ nhân dân, doanh nghiệp"),
    ("7", "Kết quả hoạt động của cơ quan, tổ chức, đơn vị được giao lãnh đạo, quản lý"),
    ("8", "Năng lực lãnh đạo, quản lý"),
    ("9", "Năng lực tập hợp, đoàn kết"),
    ("II", "Tự nhận xét ưu, khuyết điểm"),
)
#: ND 90/2020's "phần dành riêng cho … lãnh đạo, quản lý" (Điều 3.2, 4.2, 5.2; the annex
#: forms): only heads and deputies write criteria 7–9.
LEADER_CRITERIA = ("7", "8", "9")
_ND335_CRITERIA = (
    ("I", "Phẩm chất và kỷ luật"),
    ("II", "Năng lực, trách nhiệm, thái độ"),
    ("III", "Đổi mới, dám nghĩ dám làm"),
    ("TASKS", "Kết quả thực hiện nhiệm vụ"),
    ("STRENGTHS", "Ưu điểm"),
    ("WEAKNESSES", "Hạn chế"),
)

#: The "Căn cứ" lines of the unit's decision, per rule set (REFERENCE.md §1).
_BASES_ND56 = (
        "Căn cứ Nghị định số 56/2015/NĐ-CP ngày 09 tháng 6 năm 2015 của Chính phủ về đánh "
        "giá và phân loại cán bộ, công chức, viên chức; Nghị định số 88/2017/NĐ-CP ngày 27 "
        "tháng 7 năm 2017 của Chính phủ sửa đổi, bổ sung một số điều của Nghị định số "
        "56/2015/NĐ-CP;",
)
_BASES_ND90 = (
        "Căn cứ Nghị định số 90/2020/NĐ-CP ngày 13 tháng 8 năm 2020 của Chính phủ về đánh "
        "giá, xếp loại chất lượng cán bộ, công chức, viên chức;",
)
_BASES_ND90_ND48 = (
        "Căn cứ Nghị định số 90/2020/NĐ-CP ngày 13 tháng 8 năm 2020 của Chính phủ về đánh "
        "giá, xếp loại chất lượng cán bộ, công chức, viên chức;",
        "Căn cứ Nghị định số 48/2023/NĐ-CP ngày 17 tháng 7 năm 2023 của Chính phủ sửa đổi, "
        "bổ sung một số điều của Nghị định số 90/2020/NĐ-CP;",
)
_BASES_ND335 = (
        "Căn cứ Nghị định số 335/2025/NĐ-CP của Chính phủ quy định về đánh giá, xếp loại "
        "chất lượng công chức;",
)
_BASES_QD366 = (
    "Căn cứ Quy định số 366-QĐ/TW ngày 30 tháng 8 năm 2025 của Bộ Chính trị về kiểm điểm "
    "và đánh giá, xếp loại chất lượng hằng năm đối với tập thể, cá nhân trong hệ thống "
    "chính trị;",
)


@dataclasses.dataclass(frozen=True)
class RuleSet:
    """The data of one regulation (REFERENCE.md §1, §3, §4, §5).

    - ``excellent_ratio``: the cap on HTXSNV as a share of those rated HTTNV, counted per
      unit and task group; ``None`` where the rule set has no quota.
    - ``exception_ceiling``: the highest ratio an exception may set; ``None`` when an
      exception is allowed but no ceiling is stated (ND 48), irrelevant without a quota.
    - ``rates_on_points``: the year's points propose the level (``thresholds``).
    - ``discipline``: which discipline forces KHTNV (``None``: no rule encoded).
    - ``absence_cap``: lawful absence of 3 to < 6 months caps the level at HTNV.
    - ``head_capped_by_unit``: a head may not be rated above the unit (ND 335 Điều 20.6).
    - ``objection_days``: working days to answer a kiến nghị (ND 335 Điều 22).
    - ``criteria``: ``(code, heading)`` of what a person self-assesses on (the form's
      headings, REFERENCE.md §3, §7).
    - ``legal_bases``: the "Căn cứ" lines a decision under this rule set cites.
    - ``leave_rated_on_time_worked``: leave that does not count against the six months
      (maternity; from ND 335 Điều 11.2 sick leave too).
    - ``summary_criterion``: where the one text of a self-assessment sheet goes (ND 90's
      section II "Tự nhận xét ưu, khuyết điểm"; ND 335's "Kết quả thực hiện nhiệm vụ").
    """

    code: str
    label: str
    short: str
    excellent_ratio: Decimal = None
    exception_allowed: bool = False
    exception_ceiling: Decimal = None
    rates_on_points: bool = False
    thresholds: tuple = ()
    discipline: str = None
    absence_cap: bool = False
    head_capped_by_unit: bool = False
    objection_days: int = None
    criteria: tuple = ()
    legal_bases: tuple = ()
    leave_rated_on_time_worked: tuple = ("MATERNITY",)
    summary_criterion: str = "II"

    @property
    def has_quota(self):
        return self.excellent_ratio is not None

    def criteria_for(self, leader):
        """The criteria a person self-assesses on: the leaders' part (``LEADER_CRITERIA``,
        ND 90/2020 Điều 3.2) only for a head or a deputy."""
        if leader:
            return self.criteria
        return tuple(c for c in self.criteria if c[0] not in LEADER_CRITERIA)


RULE_SETS = {
    # ND 56/2015 had no quota (REFERENCE.md §4); its discipline and absence clauses are not
    # in the reference, so none are encoded (unconfirmed — never guess a rule as law).
    ND56: RuleSet(ND56, LABELS[ND56], "NĐ 56/2015", criteria=_ND90_CRITERIA,
                  legal_bases=_BASES_ND56),
    # ND 90/2020 as first issued: no quota (the clause was added by ND 48).  Điều 2: the
    # 3-to-6-months absence cap.  Discipline → KHTNV: REFERENCE.md §5 cites ND 48; the
    # first text is treated the same (unconfirmed; the default follows ND 48).
    ND90: RuleSet(ND90, LABELS[ND90], "NĐ 90/2020", discipline=DISCIPLINE_ANY,
                  absence_cap=True, criteria=_ND90_CRITERIA, legal_bases=_BASES_ND90),
    # ND 90 + ND 48/2023: 20% of HTTNV (the Party-member ratio, QĐ 124/2023); a higher
    # ratio may be set for an outstanding unit, with no ceiling stated.
    ND90_ND48: RuleSet(ND90_ND48, LABELS[ND90_ND48], "NĐ 90/2020 + NĐ 48/2023",
                       excellent_ratio=Decimal("0.20"), exception_allowed=True,
                       discipline=DISCIPLINE_ANY, absence_cap=True,
                       criteria=_ND90_CRITERIA, legal_bases=_BASES_ND90_ND48),
    # ND 335/2025 Điều 20.5.a/b (20%, exception ≤ 25%), Điều 20 (points), Điều 20.6
    # (head ≤ unit), Điều 22 (kiến nghị answered within 7 working days).
    ND335: RuleSet(ND335, LABELS[ND335], "NĐ 335/2025", excellent_ratio=Decimal("0.20"),
                   exception_allowed=True, exception_ceiling=Decimal("0.25"),
                   rates_on_points=True, thresholds=POINT_THRESHOLDS,
                   discipline=DISCIPLINE_PUBLIC_SERVICE, head_capped_by_unit=True,
                   objection_days=7, criteria=_ND335_CRITERIA, legal_bases=_BASES_ND335,
                   leave_rated_on_time_worked=RATED_ON_TIME_WORKED, summary_criterion="TASKS"),
    # The cadre frame from 2026 (QĐ 366-QĐ/TW): ND 335's frame, thresholds and quota
    # (REFERENCE.md §1 default; a per-unit setting).  The 7-working-day answer to a kiến
    # nghị is ND 335's, assumed for the frame (unconfirmed for cadres).
    QD366: RuleSet(QD366, LABELS[QD366], "Khung QĐ 366", excellent_ratio=Decimal("0.20"),
                   exception_allowed=True, exception_ceiling=Decimal("0.25"),
                   rates_on_points=True, thresholds=POINT_THRESHOLDS,
                   discipline=DISCIPLINE_PUBLIC_SERVICE, head_capped_by_unit=True,
                   objection_days=7, criteria=_ND335_CRITERIA,
                   legal_bases=_BASES_ND335 + _BASES_QD366,
                   leave_rated_on_time_worked=RATED_ON_TIME_WORKED, summary_criterion="TASKS"),
}


def get(code):
    """The ``RuleSet`` of ``code``; ``InvalidInput`` naming the known codes otherwise."""
    try:
        return RULE_SETS[code]
    except KeyError:
        raise InvalidInput(
            f"Bộ quy tắc «{code}» không tồn tại; cho phép: " + ", ".join(RULE_SETS),
            rule_set=code,
        ) from None
