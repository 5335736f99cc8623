"""The classifications of the domain: stable ASCII codes, Vietnamese labels, an order.

Every list here is fixed by law (REFERENCE.md §2 and §8). Titles and departments are
*not* here: they change with local reorganisations and live in the database as data.

Each enumeration member is ``(code, label)``; the declaration order is the order used in
reports and forms (best / highest first).  ``Level.parse()`` accepts a code or a label in
any case, with or without diacritics.
"""
import enum

from canbo.vietnamese import fold


class Level(enum.Enum):
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

        Raises ``ValueError`` naming the allowed values when nothing matches.
        """
        key = fold(str(text or "")).replace(" ", "")
        for member in cls:
            if key in (fold(member.code), fold(member.label).replace(" ", "")):
                return member
        for alias, code in getattr(cls, "_aliases", lambda: {})().items():
            if key == fold(alias).replace(" ", ""):
                return cls(code)
        allowed = ", ".join(f"{m.code} ({m.label})" for m in cls)
        raise ValueError(f"Giá trị «{text}» không hợp lệ; cho phép: {allowed}.")

    def __str__(self):
        return self.label


class Rating(Level):
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


class Education(Level):
    """Professional education, trình độ chuyên môn (REFERENCE.md §8)."""

    TS = ("TS", "Tiến sĩ")
    THS = ("THS", "Thạc sĩ")
    DH = ("DH", "Đại học")
    CD = ("CD", "Cao đẳng")
    TC = ("TC", "Trung cấp")
    SC = ("SC", "Sơ cấp")
    NONE = ("NONE", "Chưa qua đào tạo")


class PoliticalTheory(Level):
    """Political theory, lý luận chính trị (REFERENCE.md §8)."""

    CN = ("CN", "Cử nhân")
    CC = ("CC", "Cao cấp")
    TC = ("TC", "Trung cấp")
    SC = ("SC", "Sơ cấp")
    NONE = ("NONE", "Chưa qua đào tạo")


class StateManagement(Level):
    """State management, quản lý nhà nước (REFERENCE.md §8)."""

    CVCC = ("CVCC", "Chuyên viên cao cấp")
    CVC = ("CVC", "Chuyên viên chính")
    CV = ("CV", "Chuyên viên")
    CS = ("CS", "Cán sự")
    NONE = ("NONE", "Chưa qua đào tạo")


class StaffKind(Level):
    """Kinds of staff (Luật Cán bộ, công chức; REFERENCE.md vocabulary)."""

    CADRE = ("CADRE", "Cán bộ")
    CIVIL_SERVANT = ("CIVIL_SERVANT", "Công chức")
    PUBLIC_EMPLOYEE = ("PUBLIC_EMPLOYEE", "Viên chức")
    PART_TIME = ("PART_TIME", "Người hoạt động không chuyên trách")
    CONTRACT = ("CONTRACT", "Hợp đồng lao động")

    @staticmethod
    def _aliases():
        return {"Không chuyên trách": "PART_TIME", "Hợp đồng": "CONTRACT"}


class Gender(Level):
    MALE = ("M", "Nam")
    FEMALE = ("F", "Nữ")


class LeaderRole(Level):
    """Whether a person leads the unit: heads and deputies have extra criteria and duties."""

    HEAD = ("HEAD", "Người đứng đầu")
    DEPUTY = ("DEPUTY", "Cấp phó")
    NONE = ("NONE", "Không giữ chức vụ lãnh đạo")


class QualificationKind(Level):
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


class RatingStatus(Level):
    """Where a yearly rating stands in its cycle (the workflow is in ``workflow.py``)."""

    NOT_ELIGIBLE = ("NOT_ELIGIBLE", "Không thực hiện đánh giá, xếp loại")
    OPEN = ("OPEN", "Chưa tự đánh giá")
    SELF_ASSESSED = ("SELF_ASSESSED", "Đã tự đánh giá")
    COMMENTED = ("COMMENTED", "Đã họp đơn vị")
    PROPOSED = ("PROPOSED", "Đã đề xuất")
    RETURNED = ("RETURNED", "Bị trả lại")
    APPROVED = ("APPROVED", "Đã phê duyệt")
    PUBLISHED = ("PUBLISHED", "Đã công bố")


#: Statuses whose level is final and counts in statistics.
FINAL_STATUSES = (RatingStatus.APPROVED.code, RatingStatus.PUBLISHED.code)
