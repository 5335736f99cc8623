"""A transferred person's months at the old unit (ND 335/2025 Điều 19.3).

When a civil servant moves during the year, the new unit rates the year, counting the
results the old unit sent for the months worked there.  The officer enters each month
as the old unit sent it — the unit's name, the month and its score — and
``year_points.year_grid`` counts it like a month worked here, marked as such ("ĐV cũ" in
the grid, "Tại … (trước khi chuyển đến)" in Mẫu 02).  Only months before the person
joined this unit are taken: a month here is scored here.  Every change is audited.
"""
import datetime

from canbo.db import database
from canbo.errors import InvalidInput
from canbo.models.tracking import OutsideMonth
from canbo.records import audit
from canbo.records.users import require
from canbo.vietnamese import parse_decimal, vi_date, vi_points

MAX_NAME = 200


def _month(value):
    text = str(value if value is not None else "").strip()
    if not text.isdigit() or not 1 <= int(text) <= 12:
        raise InvalidInput(f"Tháng «{text}» không hợp lệ; cần từ 1 đến 12.", field="month")
    return int(text)


def _unit_name(value):
    text = " ".join(str(value or "").split())
    if not text:
        raise InvalidInput("Hãy ghi tên đơn vị cũ đã gửi kết quả tháng này.",
                           field="unit_name")
    if any(ord(ch) < 32 for ch in str(value)) or len(text) > MAX_NAME:
        raise InvalidInput(f"Tên đơn vị cũ tối đa {MAX_NAME} ký tự, không có ký tự điều "
                           "khiển.", field="unit_name")
    return text


def _score(value):
    score = parse_decimal(value, "Điểm", required=True)
    if not 0 <= score <= 100:
        raise InvalidInput(f"Điểm «{vi_points(score)}» phải từ 0 đến 100.", field="score")
    return score


def record(actor, staff, year, month, unit_name, score):
    """Enter (or correct) one month at the old unit; returns the row."""
    require(actor, "tracking.assign", "ghi kết quả tháng tại đơn vị cũ", staff.unit_id)
    month, unit_name, score = _month(month), _unit_name(unit_name), _score(score)
    first = datetime.date(int(year), month, 1)
    if staff.joined_on is None or staff.joined_on <= first:
        since = f" từ {vi_date(staff.joined_on)}" if staff.joined_on else ""
        raise InvalidInput(
            f"{staff.full_name} đã công tác tại {staff.unit.name}{since}: tháng {month}/{year} "
            "được theo dõi, đánh giá tại đây, không nhập từ đơn vị cũ (Điều 19.3). Nếu người "
            "này chuyển đến trong năm, hãy ghi ngày đến đơn vị trong hồ sơ.", field="month")
    with database.atomic():
        row = OutsideMonth.get_or_none(OutsideMonth.staff == staff, OutsideMonth.year == year,
                                       OutsideMonth.month == month)
        before = None if row is None else [row.unit_name, str(row.score)]
        if row is None:
            row = OutsideMonth(staff=staff, year=year, month=month)
        row.unit_name, row.score, row.entered_by = unit_name, score, actor.username
        row.save()
        audit.record(actor, "create" if before is None else "update", row, changes={
            "unit_name": [before and before[0], unit_name],
            "score": [before and before[1], str(score)]})
    return row


def remove(actor, row, reason=None):
    """Take out a month entered by mistake (audited, with the reason)."""
    require(actor, "tracking.assign", "xóa kết quả tháng tại đơn vị cũ", row.staff.unit_id)
    with database.atomic():
        audit.record(actor, "delete", row, changes={
            "unit_name": [row.unit_name, None], "score": [str(row.score), None]},
            reason=reason or None)
        row.delete_instance()


def of(staff, year):
    """The person's months at the old unit in ``year``, by month."""
    return list(OutsideMonth.select().where(OutsideMonth.staff == staff,
                                            OutsideMonth.year == year)
                .order_by(OutsideMonth.month))
