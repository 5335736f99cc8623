"""Which regulation governs a rating (REFERENCE.md §1).

A rule set is named by a stable code stored on every rating; a rating keeps the code it
was made under for ever, so a 2022 rating is judged by 2022's rules.  The rules
themselves (quota, eligibility, points) are in ``rules.py``.
"""
from .errors import InvalidInput
from .levels import StaffKind

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
    if year <= 2025:
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
