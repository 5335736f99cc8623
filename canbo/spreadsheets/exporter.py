"""Export to spreadsheets: the staff list, the ratings of a year, the two reports, and
the empty templates to fill in.

The staff list and the ratings use exactly the importer's columns (``columns``),
so an exported file imports back unchanged.  Lists go unit by unit (by code), each in
Vietnamese name order (``vietnamese.sort_string``, stored as ``Staff.sort_name``).  Each
function returns ``spreadsheets.Table`` objects; ``export()`` writes them as XLSX or CSV.
"""
from peewee import JOIN

from canbo.levels import FINAL_STATUSES, Gender, QualificationKind, StaffKind
from canbo.levels import Rating as RatingLevel
from canbo.models import Department, Qualification, Rating, Staff, Title, Unit
from canbo.records import units
from canbo.spreadsheets import columns as cols
from canbo.spreadsheets import workbook as spreadsheets
from canbo.spreadsheets.workbook import Table
from canbo.stats import reports

_LEVEL_KEYS = {"EDUCATION": "education", "POLITICAL_THEORY": "political_theory",
               "STATE_MANAGEMENT": "state_management"}


def _formats(columns, **by_key):
    return {i: by_key[c.key] for i, c in enumerate(columns) if c.key in by_key}


def _labels(level_class):
    return {m.code: m.label for m in level_class}


def best_qualifications(staff_ids):
    """``{staff id: {kind: (level code, major)}}``: the highest level of each kind held
    (``Qualification.highest``), with the major of that qualification."""
    out = {}
    Q = Qualification
    for batch in range(0, len(staff_ids), 5000):
        best = Q.highest().where(Q.staff.in_(staff_ids[batch:batch + 5000])).alias("best")
        query = (Q.select(Q.staff, Q.kind, Q.level, Q.major)
                 .join(best, on=((Q.staff == best.c.staff_id) & (Q.kind == best.c.kind)
                                 & (Q.rank == best.c.best)))
                 .order_by(Q.id).tuples())
        for sid, kind, level, major in query:
            out.setdefault(sid, {}).setdefault(kind, (level, major))  # the first of a tie
    return out


def staff_table(unit, include_subunits=True, in_post_only=False):
    """The staff of ``unit`` (and sub-units) with the staff template's columns."""
    query = (
        Staff.select(Staff.id, Staff.code, Staff.full_name, Staff.birth_date, Staff.gender,
                     Unit.code, Staff.kind, Title.name, Department.name, Staff.party_member,
                     Staff.ethnicity, Staff.joined_on, Staff.left_on, Staff.left_reason,
                     Staff.personal_id, Staff.rank_code, Staff.job_position)
        .join_from(Staff, Unit)
        .join_from(Staff, Title, JOIN.LEFT_OUTER)
        .join_from(Staff, Department, JOIN.LEFT_OUTER)
        .where(Staff.unit.in_(units.unit_ids(unit, include_subunits)))
        .order_by(Unit.code, Staff.sort_name, Staff.code)
    )
    if in_post_only:
        query = query.where(Staff.left_on.is_null())
    people = list(query.tuples())
    best = best_qualifications([p[0] for p in people])
    kinds, genders = _labels(StaffKind), _labels(Gender)
    level_labels = {k.code: _labels(k.levels) for k in QualificationKind}
    rows = []
    for (sid, code, name, born, gender, unit_code, kind, title, department, party, ethnicity,
         joined, left, reason, pid, rank, position) in people:
        held = best.get(sid, {})
        value = {
            "code": code, "full_name": name, "birth_date": born,
            "gender": genders.get(gender), "unit": unit_code, "kind": kinds.get(kind, kind),
            "title": title, "department": department, "party_member": "x" if party else None,
            "ethnicity": ethnicity, "joined_on": joined, "left_on": left, "left_reason": reason,
            "personal_id": pid, "rank_code": rank, "job_position": position,
            "major": held.get("EDUCATION", (None, None))[1],
        }
        for kind_code, key in _LEVEL_KEYS.items():
            level = held.get(kind_code)
            value[key] = level_labels[kind_code][level[0]] if level else None
        rows.append([value[c.key] for c in cols.STAFF])
    return Table(cols.STAFF_SHEET, [c.header for c in cols.STAFF], rows,
                 _formats(cols.STAFF, birth_date="date", joined_on="date", left_on="date"))


def ratings_table(unit, year, include_subunits=True):
    """The final ratings of ``year`` with the ratings template's columns."""
    query = (
        Rating.select(Staff.code, Staff.full_name, Unit.code, Rating.year, Rating.level,
                      Rating.original_label, Rating.points, Rating.note)
        .join_from(Rating, Staff)
        .join_from(Rating, Unit)
        .where((Rating.year == year) & Rating.status.in_(FINAL_STATUSES)
               & Rating.unit.in_(units.unit_ids(unit, include_subunits)))
        .order_by(Unit.code, Staff.sort_name, Staff.code)
    )
    labels = _labels(RatingLevel)
    rows = []
    for code, name, unit_code, year_, level, original, points, note in query.tuples():
        value = {"code": code, "full_name": name, "unit": unit_code, "year": year_,
                 "level": original or labels.get(level, level), "points": points, "note": note}
        rows.append([value[c.key] for c in cols.RATINGS])
    return Table(cols.RATINGS_SHEET, [c.header for c in cols.RATINGS], rows,
                 _formats(cols.RATINGS, points="decimal"))


def ratings_report_table(unit, year, include_subunits=True):
    """``reports.ratings_report`` as a table, percents as numbers formatted as %."""
    report = reports.ratings_report(unit, year, include_subunits)
    rows = [[r.label, r.code, r.count, r.percent] for r in report.rows]
    rows.append(["Tổng số", "", report.total, 100.0])
    return Table(f"Xếp loại {report.year}", ["Mức xếp loại", "Mã", "Số lượng", "Tỷ lệ"], rows,
                 {3: "percent"})


def qualification_report_table(unit, at, include_subunits=True):
    """``reports.qualification_report`` as a table: one row per level of each kind."""
    report = reports.qualification_report(unit, at, include_subunits)
    rows = [[kind.label, r.label, r.code, r.count, r.percent]
            for kind, group in report.groups() for r in group]
    return Table(f"Trình độ {at:%d-%m-%Y}", ["Nhóm", "Trình độ", "Mã", "Số lượng", "Tỷ lệ"],
                 rows, {4: "percent"})


# --- templates ------------------------------------------------------------------------

from canbo.spreadsheets.plan import GUIDE_SHEET  # noqa: E402  (the importer skips this sheet)


def _allowed(column):
    level_class = getattr(column.parse, "level_class", None)
    if level_class is not None:
        return "; ".join(f"{m.label} ({m.code})" for m in level_class)
    return {
        "birth_date": cols.DATE_HELP, "joined_on": cols.DATE_HELP, "left_on": cols.DATE_HELP,
        "party_member": "x nếu là đảng viên, để trống nếu không",
        "unit": "mã hoặc tên đơn vị", "year": "năm đã qua, bốn chữ số",
        "level": "; ".join(f"{m.label} ({m.code})" for m in RatingLevel),
        "points": "0 – 100, có thể để trống",
        "personal_id": "12 chữ số (số căn cước); nhập ô dạng văn bản để giữ số 0 đầu",
    }.get(column.key, "")


def template_tables(kind):
    """The empty sheet of ``kind`` ("staff" or "ratings") and a guide to its columns."""
    columns, name = {"staff": (cols.STAFF, cols.STAFF_SHEET),
                     "ratings": (cols.RATINGS, cols.RATINGS_SHEET)}[kind]
    guide = [[c.header, "bắt buộc" if c.required else "", _allowed(c), ", ".join(c.aliases)]
             for c in columns]
    return [Table(name, [c.header for c in columns], []),
            Table(GUIDE_SHEET, ["Cột", "Bắt buộc", "Giá trị cho phép", "Tên cột tương đương"],
                  guide)]


def export(tables, target, fmt=None):
    """Write ``tables`` to ``target`` (XLSX, or CSV for a single table)."""
    spreadsheets.write(tables, target, fmt)
