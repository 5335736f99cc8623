"""Row by row: the staff and ratings sheets checked and turned into planned writes.

Each function reads its sheets with the planner (``plan._Planner``), which
holds the database state loaded in bulk; a row with any problem adds nothing to the
plan, so ``skip_invalid`` writes exactly the rows that passed.
"""
import datetime
import decimal

from canbo.errors import InvalidInput
from canbo.levels import FINAL_STATUSES, ND56_HTNV_LABEL, RatingStatus, StaffKind
from canbo.models import Cycle, Qualification, Rating, Staff
from canbo.rules.rulesets import FIRST_YEAR, rule_set_for
from canbo.spreadsheets import columns as cols
from canbo.vietnamese import fold, vi_date

QUALIFICATIONS = (("education", "EDUCATION"), ("political_theory", "POLITICAL_THEORY"),
                  ("state_management", "STATE_MANAGEMENT"))
STAFF_FIELDS = ("full_name", "birth_date", "gender", "ethnicity", "kind", "title",
                "department", "leader_role", "party_member", "joined_on", "left_on",
                "left_reason", "personal_id", "rank_code", "job_position")
STAFF_DEFAULTS = {"birth_date": None, "gender": None, "ethnicity": "Kinh", "title": None,
                  "department": None, "leader_role": "NONE", "party_member": False,
                  "joined_on": None, "left_on": None, "left_reason": None,
                  "personal_id": None, "rank_code": None, "job_position": None}


def _cells(planner, sheet, header, found):
    """``(row number, {key: value}, ok)`` for each non-empty data row, values parsed."""
    for index in range(header + 1, len(sheet.rows)):
        row = sheet.rows[index]
        if not any(v not in (None, "") for v in row):
            continue
        values, ok = {}, True
        for i, column in found.items():
            raw = row[i] if i < len(row) else None
            try:
                value = column.parse(raw)
            except cols.BadValue as exc:
                planner.problem(sheet.name, index + 1, column.header, cols.text(raw, 10**6),
                                str(exc))
                ok = False
                continue
            if value is None and column.required:
                planner.problem(sheet.name, index + 1, column.header, None,
                                "bắt buộc, không được để trống")
                ok = False
            values[column.key] = value
        yield index + 1, values, ok


def _code(value):
    return (value.code if hasattr(value, "code") else value) if value is not None else None


# --- staff ----------------------------------------------------------------------------


def plan_staff(planner, sheets):
    rows = []
    ids_seen = {}
    for sheet, header, found in sheets:
        for number, values, ok in _cells(planner, sheet, header, found):
            here = (sheet.name, number)
            try:
                unit = planner.unit_key(values.get("unit"))
            except cols.BadValue as exc:
                planner.problem(*here, "Đơn vị", values.get("unit"), str(exc))
                continue
            if not ok or not _check_staff(planner, here, values):
                continue
            if (unit, values["code"]) in planner.file_staff:
                planner.problem(*here, "Mã", values["code"],
                                "trùng mã với một dòng phía trên của cùng đơn vị")
                continue
            pid = values.get("personal_id")
            if pid and pid in ids_seen:
                planner.problem(*here, "Số định danh cá nhân", pid,
                                f"trùng với dòng {ids_seen[pid]}; mỗi người một số")
                continue
            if pid:
                ids_seen[pid] = number
            planner.file_staff[unit, values["code"]] = values
            planner.codes.setdefault(values["code"], []).append(unit)
            rows.append((here, unit, values))
    existing = _existing_staff({u for _, u, _ in rows if isinstance(u, int)})
    have = _existing_qualifications([s["id"] for s in existing.values()])
    holders = dict(Staff.select(Staff.personal_id, Staff.id)
                   .where(Staff.personal_id.in_(list(ids_seen))).tuples()) if ids_seen else {}
    for here, unit, values in rows:
        current = existing.get((unit, values["code"]))
        pid = values.get("personal_id")
        if pid in holders and (current is None or holders[pid] != current["id"]):
            planner.problem(*here, "Số định danh cá nhân", pid,
                            "đã là số của một người khác trong cơ sở dữ liệu")
            del planner.file_staff[unit, values["code"]]
            planner.codes[values["code"]].remove(unit)
            continue
        kind = _code(values.get("kind")) or (current or {}).get("kind")
        if kind is None:
            planner.problem(*here, "Loại", None, _kind_help())
            # Not added, so the file's ratings may not refer to this person either.
            del planner.file_staff[unit, values["code"]]
            planner.codes[values["code"]].remove(unit)
            continue
        try:
            fields = _staff_fields(planner, values, unit, kind)
        except cols.BadValue as exc:  # another unit's own title
            planner.problem(*here, _HEADERS["title"], values.get("title"), str(exc))
            del planner.file_staff[unit, values["code"]]
            planner.codes[values["code"]].remove(unit)
            continue
        if current is None:
            planner.plan.staff_create.append(
                {**STAFF_DEFAULTS, **fields, "unit": unit, "code": values["code"]})
            ref = (unit, values["code"])
        else:
            changes = {k: [current[k], v] for k, v in fields.items() if current[k] != v}
            if changes:
                planner.plan.staff_update.append(
                    (current["id"], {k: v for k, (_, v) in changes.items()}, changes))
            else:
                planner.plan.staff_unchanged += 1
            ref = current["id"]
        _plan_qualifications(planner, values, ref, have)


def _kind_help():
    return "bắt buộc với cán bộ mới; cho phép: " + ", ".join(m.label for m in StaffKind)


_HEADERS = {c.key: c.header for c in cols.STAFF}
_DATES = ("birth_date", "joined_on", "left_on", "left_reason")


def _check_staff(planner, here, values):
    """The row's dates judged by ``Staff.check_dates``, as the panel judges them."""
    person = Staff(**{k: values.get(k) for k in _DATES})
    try:
        person.check_dates(planner.today,
                           reason_known="left_on" in values and "left_reason" in values)
    except InvalidInput as exc:
        value = exc.data.get("value")
        shown = vi_date(value) if isinstance(value, datetime.date) else value
        planner.problem(*here, _HEADERS[exc.data["field"]], shown, exc.message)
        return False
    return True


def _staff_fields(planner, values, unit, kind):
    """The Staff columns this row sets: only those whose column is in the sheet."""
    fields = {}
    if "full_name" in values:
        fields.update(Staff.derived(values["full_name"]))
    for key in ("birth_date", "joined_on", "left_on", "left_reason", "party_member",
                "personal_id", "rank_code", "job_position"):
        if key in values:
            fields[key] = values[key]
    if "ethnicity" in values:
        fields["ethnicity"] = values["ethnicity"] or "Kinh"
    for key in ("gender", "kind"):
        if key in values:
            fields[key] = _code(values[key])
    fields["kind"] = kind
    if "title" in values:
        fields["title"], fields["leader_role"] = planner.title(values["title"], kind, unit)
    if "department" in values:
        fields["department"] = planner.department(values["department"], unit)
    return fields


def _existing_staff(unit_ids):
    if not unit_ids:
        return {}
    columns = [Staff.id, Staff.unit, Staff.code, Staff.search_name, Staff.sort_name,
               *(getattr(Staff, f) for f in STAFF_FIELDS)]
    out = {}
    for row in Staff.select(*columns).where(Staff.unit.in_(list(unit_ids))).dicts():
        out[row["unit"], row["code"]] = row
    return out


def _existing_qualifications(staff_ids):
    have = set()
    for batch in range(0, len(staff_ids), 5000):
        query = (Qualification.select(Qualification.staff, Qualification.kind, Qualification.level)
                 .where(Qualification.staff.in_(staff_ids[batch:batch + 5000])).tuples())
        have.update(query)
    return have


def _plan_qualifications(planner, values, ref, have):
    for key, kind in QUALIFICATIONS:
        level = values.get(key)
        if level is None or level.code == "NONE" or (ref, kind, level.code) in have:
            continue
        have.add((ref, kind, level.code))
        planner.plan.qualifications.append({
            "staff": ref, "kind": kind, "level": level.code,
            "rank": level.rank,
            "major": values.get("major") if kind == "EDUCATION" else None,
            "awarded_on": None,
        })


# --- ratings --------------------------------------------------------------------------


def plan_ratings(planner, sheets):
    rows, seen = [], set()
    for sheet, header, found in sheets:
        for number, values, ok in _cells(planner, sheet, header, found):
            here = (sheet.name, number)
            member = None
            if values.get("level") is not None:
                try:
                    member = cols.rating_level(values["level"])
                except cols.BadValue as exc:
                    planner.problem(*here, "Xếp loại", values["level"], str(exc))
                    ok = False
            year = values.get("year")
            if year is not None and not FIRST_YEAR <= year < planner.today.year:
                planner.problem(*here, "Năm", year, f"cho phép: từ {FIRST_YEAR} đến "
                                f"{planner.today.year - 1}; xếp loại của năm {planner.today.year}"
                                " được thực hiện theo quy trình đánh giá, không nhập từ tệp")
                ok = False
            try:
                unit = _rating_unit(planner, values)
            except cols.BadValue as exc:
                planner.problem(*here, "Đơn vị" if values.get("unit") else "Mã",
                                values.get("unit") or values.get("code"), str(exc))
                continue
            if not ok:
                continue
            if (unit, values["code"], year) in seen:
                planner.problem(*here, "Năm", year, "trùng với một dòng phía trên "
                                "(cùng cán bộ, cùng năm)")
                continue
            seen.add((unit, values["code"], year))
            rows.append((here, unit, values, member))
    _plan_rating_rows(planner, rows)


def _rating_unit(planner, values):
    if values.get("unit") is not None or planner.default_unit is not None:
        return planner.unit_key(values.get("unit"))
    units = planner.codes.get(values.get("code"))
    if units and len(units) == 1:
        return units[0]
    found = [u for u, in Staff.select(Staff.unit).where(Staff.code == values.get("code")).tuples()
             if planner.allowed is None or u in planner.allowed]
    if len(found) == 1:
        return found[0]
    if found:
        raise cols.BadValue("mã này có ở nhiều đơn vị; hãy thêm cột «Đơn vị» hoặc dùng --unit")
    return planner.unit_key(None)


def _plan_rating_rows(planner, rows):
    existing = _existing_staff({u for _, u, _, _ in rows if isinstance(u, int)})
    ids = [s["id"] for s in existing.values()]
    years = sorted({v["year"] for _, _, v, _ in rows})
    ratings = {}
    for batch in range(0, len(ids), 5000):
        query = Rating.select().where(Rating.staff.in_(ids[batch:batch + 5000])
                                      & Rating.year.in_(years or [0]))
        for rating in query:
            ratings[rating.staff_id, rating.year] = rating
    # A year with a yearly cycle is rated through it, where approval checks the quota
    # (``canbo.rating.workflow.approve``): an imported level would pass it unchecked.
    cycles = set(Cycle.select(Cycle.unit, Cycle.year).where(
        Cycle.unit.in_([u for _, u, _, _ in rows if isinstance(u, int)] or [0]),
        Cycle.year.in_(years or [0])).tuples())
    for here, unit, values, member in rows:
        key = (unit, values["code"])
        if (unit, values["year"]) in cycles:
            planner.problem(*here, "Năm", values["year"], "đơn vị đã mở kỳ đánh giá năm này; "
                            "xếp loại năm đó đề xuất và phê duyệt ở trang «Kỳ đánh giá năm», "
                            "nơi kiểm tra tỷ lệ, không nhập từ tệp")
            continue
        current, in_file = existing.get(key), planner.file_staff.get(key)
        if current is None and in_file is None:
            planner.problem(*here, "Mã", values["code"], "không có cán bộ nào mang mã này trong "
                            "đơn vị; hãy nhập danh sách cán bộ trước")
            continue
        kind = (_code(in_file.get("kind")) if in_file else None) or current["kind"]
        fields = {
            "level": member.code,
            "original_label": values["level"] if fold(values["level"]) == fold(ND56_HTNV_LABEL)
            else None,
        }
        for key_ in ("points", "note"):
            if key_ in values:
                fields[key_] = values[key_]
        rating = ratings.get((current["id"], values["year"])) if current else None
        if rating is None:
            planner.plan.ratings_create.append({
                "staff": current["id"] if current else key, "unit": unit,
                "year": values["year"], "rule_set": rule_set_for(values["year"], kind),
                "self_level": None, "status": RatingStatus.APPROVED.code,
                "points": None, "note": None, **fields})
            continue
        if rating.status not in FINAL_STATUSES:
            planner.problem(*here, "Xếp loại", values["level"], "cán bộ này đã có xếp loại năm "
                            f"{values['year']} đang trong quy trình đánh giá (trạng thái "
                            f"«{RatingStatus(rating.status).label}»); không ghi đè")
            continue
        changes = {k: [getattr(rating, k), v] for k, v in fields.items()
                   if _differs(getattr(rating, k), v)}
        if changes:
            planner.plan.ratings_update.append(
                (rating.id, {k: v for k, (_, v) in changes.items()}, changes))
        else:
            planner.plan.ratings_unchanged += 1


def _differs(old, new):
    if isinstance(old, decimal.Decimal) or isinstance(new, decimal.Decimal):
        return (None if old is None else decimal.Decimal(old)) != (
            None if new is None else decimal.Decimal(new))
    return old != new
