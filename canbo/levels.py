"""The classifications of the domain: stable ASCII codes, Vietnamese labels, an order.

Every list here is fixed by law (REFERENCE.md §2 and §8). Titles and departments are
*not* here: they change with local reorganisations and live in the database as data.

Each enumeration member is ``(code, label)``; the declaration order is the order used in
reports and forms (best / highest first).  ``Classification.parse()`` accepts a code or a label in
any case, with or without diacritics.
"""
import enum

from canbo.errors import InvalidChoice
from canbo.vietnamese import fold, strip_control


class Classification(enum.Enum):
    """Base of every classification: ``member.code``, ``member.label``, ``member.rank``."""

    def __new__(cls, code, label):
        obj = object.__new__(cls)
        obj._value_ = code
        obj.label = label
        return obj

    @property
    def code(self):
        return self.value

    @property
    def rank(self):
        """Position in the declared order, 0 for the first (best or highest) member."""
        return list(type(self)).index(self)

    @classmethod
    def choices(cls):
        """``[(code, label), …]`` in order, for forms and select boxes."""
        return [(m.code, m.label) for m in cls]

    @classmethod
    def labels(cls):
        return {m.code: m.label for m in cls}

    @classmethod
    def parse(cls, text):
        """The member named by ``text`` (a code or a label; case and diacritics ignored).

        Raises ``InvalidChoice`` (an ``InvalidInput`` and a ``ValueError``) naming the
        allowed values when nothing matches, so a form that sends anything else gets the
        message, not an error page.
        """
        key = fold(str(text or "")).replace(" ", "")
        for member in cls:
            if key in (fold(member.code), fold(member.label).replace(" ", "")):
                return member
        for alias, code in getattr(cls, "_aliases", lambda: {})().items():
            if key == fold(alias).replace(" ", ""):
                return cls(code)
        allowed = ", ".join(f"{m.code} ({m.label})" for m in cls)
        shown = " ".join(strip_control(str(text or "")).split())
        shown = shown if len(shown) <= 40 else shown[:39] + "…"
        raise InvalidChoice(f"Giá trị «{shown}» không hợp lệ; cho phép: {allowed}.",
                            value=text)

    def __str__(self):
        return self.label


class Rating(Classification):
    """Rating levels (ND 90/2020 Điều 2; ND 335/2025 Điều 20; REFERENCE.md §2)."""

    HTXSNV = ("HTXSNV", "Hoàn thành xuất sắc nhiệm vụ")
    HTTNV = ("HTTNV", "Hoàn thành tốt nhiệm vụ")
    HTNV = ("HTNV", "Hoàn thành nhiệm vụ")
    KHTNV = ("KHTNV", "Không hoàn thành nhiệm vụ")

    @staticmethod
    def _aliases():
        # Labels met in real files: the ND 56/2015 wording of HTNV for cadres and civil
        # servants, and the misspelling "suất sắc" (REFERENCE.md §2: accept, never print).
        return {
            ND56_HTNV_LABEL: "HTNV",
            "Hoàn thành suất sắc nhiệm vụ": "HTXSNV",
            "Hoàn thành suất sắc": "HTXSNV",
            "Hoàn thành xuất sắc": "HTXSNV",
            "Hoàn thành tốt": "HTTNV",
            "Không hoàn thành": "KHTNV",
        }


#: The ND 56/2015 label of HTNV for cadres and civil servants (Điều 25), kept on
#: historical ratings; statistics count it as HTNV.
ND56_HTNV_LABEL = "Hoàn thành nhiệm vụ nhưng còn hạn chế về năng lực"


class Education(Classification):
    """Professional education, trình độ chuyên môn (REFERENCE.md §8)."""

    TS = ("TS", "Tiến sĩ")
    THS = ("THS", "Thạc sĩ")
    DH = ("DH", "Đại học")
    CD = ("CD", "Cao đẳng")
    TC = ("TC", "Trung cấp")
    SC = ("SC", "Sơ cấp")
    NONE = ("NONE", "Chưa qua đào tạo")


class PoliticalTheory(Classification):
    """Political theory, lý luận chính trị (REFERENCE.md §8)."""

    CN = ("CN", "Cử nhân")
    CC = ("CC", "Cao cấp")
    TC = ("TC", "Trung cấp")
    SC = ("SC", "Sơ cấp")
    NONE = ("NONE", "Chưa qua đào tạo")


class StateManagement(Classification):
    """State management, quản lý nhà nước (REFERENCE.md §8)."""

    CVCC = ("CVCC", "Chuyên viên cao cấp")
    CVC = ("CVC", "Chuyên viên chính")
    CV = ("CV", "Chuyên viên")
    CS = ("CS", "Cán sự")
    NONE = ("NONE", "Chưa qua đào tạo")


class StaffKind(Classification):
    """Kinds of staff (Luật Cán bộ, công chức; REFERENCE.md vocabulary)."""

    CADRE = ("CADRE", "Cán bộ")
    CIVIL_SERVANT = ("CIVIL_SERVANT", "Công chức")
    PUBLIC_EMPLOYEE = ("PUBLIC_EMPLOYEE", "Viên chức")
    PART_TIME = ("PART_TIME", "Người hoạt động không chuyên trách")
    CONTRACT = ("CONTRACT", "Hợp đồng lao động")

    @staticmethod
    def _aliases():
        return {"Không chuyên trách": "PART_TIME", "Hợp đồng": "CONTRACT"}


class Gender(Classification):
    MALE = ("M", "Nam")
    FEMALE = ("F", "Nữ")


class LeaderRole(Classification):
    """Whether a person leads the unit: heads and deputies have extra criteria and duties."""

    HEAD = ("HEAD", "Người đứng đầu")
    DEPUTY = ("DEPUTY", "Cấp phó")
    NONE = ("NONE", "Không giữ chức vụ lãnh đạo")


class QualificationKind(Classification):
    """The three qualification histories a person carries; each maps to its level list."""

    EDUCATION = ("EDUCATION", "Trình độ chuyên môn")
    POLITICAL_THEORY = ("POLITICAL_THEORY", "Lý luận chính trị")
    STATE_MANAGEMENT = ("STATE_MANAGEMENT", "Quản lý nhà nước")

    @property
    def levels(self):
        return {
            "EDUCATION": Education,
            "POLITICAL_THEORY": PoliticalTheory,
            "STATE_MANAGEMENT": StateManagement,
        }[self.code]


class RatingStatus(Classification):
    """Where a yearly rating stands in its cycle (the workflow is in ``rating/workflow.py``)."""

    NOT_ELIGIBLE = ("NOT_ELIGIBLE", "Không thực hiện đánh giá, xếp loại")
    OPEN = ("OPEN", "Chưa tự đánh giá")
    SELF_ASSESSED = ("SELF_ASSESSED", "Đã tự đánh giá")
    COMMENTED = ("COMMENTED", "Đã họp đơn vị")
    PROPOSED = ("PROPOSED", "Đã đề xuất")
    RETURNED = ("RETURNED", "Bị trả lại")
    APPROVED = ("APPROVED", "Đã phê duyệt")
    PUBLISHED = ("PUBLISHED", "Đã công bố")


class Role(Classification):
    """Roles of the panel, with the glossary's labels (REFERENCE.md §10)."""

    ADMIN = ("ADMIN", "Quản trị hệ thống")
    OFFICER = ("OFFICER", "Cán bộ phụ trách tổ chức")
    CHAIRMAN = ("CHAIRMAN", "Chủ tịch")
    VIEWER = ("VIEWER", "Người xem")
    STAFF = ("STAFF", "Cán bộ, công chức")


class CycleStatus(Classification):
    """Where a unit's yearly cycle stands: open for work, or published and locked."""

    OPEN = ("OPEN", "Đang đánh giá")
    PUBLISHED = ("PUBLISHED", "Đã công bố")


class AbsenceKind(Classification):
    """Kinds of absence (REFERENCE.md §5): maternity counts as worked for eligibility."""

    MATERNITY = ("MATERNITY", "Nghỉ thai sản")
    SICK = ("SICK", "Nghỉ ốm đau")
    UNPAID = ("UNPAID", "Nghỉ không lương")
    OTHER = ("OTHER", "Nghỉ khác theo quy định")


class DisciplineSystem(Classification):
    PARTY = ("PARTY", "Kỷ luật Đảng")
    ADMINISTRATIVE = ("ADMINISTRATIVE", "Kỷ luật hành chính")


class DisciplineKind(Classification):
    """Forms of discipline, lightest first (Luật CBCC; Party rules): all are reprimand or above."""

    REPRIMAND = ("REPRIMAND", "Khiển trách")
    WARNING = ("WARNING", "Cảnh cáo")
    SALARY_REDUCTION = ("SALARY_REDUCTION", "Hạ bậc lương")
    DEMOTION = ("DEMOTION", "Giáng chức")
    DISMISSAL = ("DISMISSAL", "Cách chức")
    FORCED_RESIGNATION = ("FORCED_RESIGNATION", "Buộc thôi việc")
    EXPULSION = ("EXPULSION", "Khai trừ")


class Period(Classification):
    """How often a unit tracks its civil servants (ND 335 Điều 17)."""

    MONTH = ("MONTH", "Tháng")
    QUARTER = ("QUARTER", "Quý")


class SheetStatus(Classification):
    """Where a period's sheet stands (REFERENCE.md §6, ND 335 procedure)."""

    OPEN = ("OPEN", "Chưa tự đánh giá")
    SELF_SCORED = ("SELF_SCORED", "Đã tự đánh giá")
    RETURNED = ("RETURNED", "Bị trả lại")
    CONFIRMED = ("CONFIRMED", "Đã xác nhận")


class DisciplineCause(Classification):
    """Why a discipline was imposed.  The first two make the year KHTNV under ND 335/2025
    Điều 11.3.a ("do suy thoái về tư tưởng chính trị, đạo đức, lối sống, vi phạm liên
    quan đến hoạt động công vụ")."""

    DEGRADATION = ("DEGRADATION", "Suy thoái về tư tưởng chính trị, đạo đức, lối sống")
    PUBLIC_SERVICE = ("PUBLIC_SERVICE", "Vi phạm liên quan đến hoạt động công vụ")
    OTHER = ("OTHER", "Vi phạm khác")


#: Statuses whose level is final and counts in statistics.
FINAL_STATUSES = (RatingStatus.APPROVED.code, RatingStatus.PUBLISHED.code)
