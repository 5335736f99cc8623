"""The checking half of an import: every row read and validated, nothing written.

``build_plan`` turns a workbook into a ``Plan``: the problems found (row, column, value,
what is allowed) and the exact rows to insert or update, computed against the database
with a handful of bulk queries (never one query per row), so that the writer only has
to run them and a dry run can report the same counts.
"""
import dataclasses
import functools
import re

from canbo.models import Department, Title, Unit
from canbo.spreadsheets import columns as cols
from canbo.spreadsheets.rows import plan_ratings, plan_staff
from canbo.vietnamese import fold

GUIDE_SHEET = "Hướng dẫn"


@dataclasses.dataclass
class Problem:
    """One refused value: where it is, what it was and what is allowed (Vietnamese)."""

    sheet: str
    row: int
    column: str
    value: object
    message: str

    def __str__(self):
        where = f"Trang «{self.sheet}»" + (f", dòng {self.row}" if self.row else "")
        if self.column:
            where += f", cột «{self.column}»"
        if self.value in (None, ""):
            return f"{where}: {self.message}"
        return f"{where}: giá trị «{self.value}» — {self.message}"


@dataclasses.dataclass
class Plan:
    problems: list = dataclasses.field(default_factory=list)
    warnings: list = dataclasses.field(default_factory=list)
    new_units: dict = dataclasses.field(default_factory=dict)
    new_titles: dict = dataclasses.field(default_factory=dict)
    new_departments: dict = dataclasses.field(default_factory=dict)
    staff_create: list = dataclasses.field(default_factory=list)
    staff_update: list = dataclasses.field(default_factory=list)
    staff_unchanged: int = 0
    qualifications: list = dataclasses.field(default_factory=list)
    ratings_create: list = dataclasses.field(default_factory=list)
    ratings_update: list = dataclasses.field(default_factory=list)
    ratings_unchanged: int = 0

    def has_changes(self):
        return any((self.new_units, self.new_titles, self.new_departments, self.staff_create,
                    self.staff_update, self.qualifications, self.ratings_create,
                    self.ratings_update))

    def rating_years(self):
        return sorted({r["year"] for r in self.ratings_create})

    def counts(self):
        return {
            "staff_created": len(self.staff_create),
            "staff_updated": len(self.staff_update),
            "staff_unchanged": self.staff_unchanged,
            "qualifications_created": len(self.qualifications),
            "ratings_created": len(self.ratings_create),
            "ratings_updated": len(self.ratings_update),
            "ratings_unchanged": self.ratings_unchanged,
            "units_created": len(self.new_units),
            "titles_created": len(self.new_titles),
            "departments_created": len(self.new_departments),
            "rows_refused": len({(p.sheet, p.row) for p in self.problems}),
        }


@functools.lru_cache(maxsize=4096)
def _name_key(name):
    """Titles and departments match ignoring case, diacritics and the kind of dash."""
    return re.sub(r"\s*[-–—]\s*", " - ", fold(name))


# --- recognising sheets ---------------------------------------------------------------


def recognise(sheet):
    """``(kind, header row index, {index: Column}, unknown)``; kind None if not a sheet
    of ours.  The header row is the first of the first ten holding a "Mã" column."""
    by_name = {"can bo": cols.STAFF, "danh sach can bo": cols.STAFF,
               "xep loai": cols.RATINGS}.get(cols.header_key(sheet.name))
    for index, row in enumerate(sheet.rows[:10]):
        best = None
        for columns in ([by_name] if by_name else [cols.STAFF, cols.RATINGS]):
            found, unknown = cols.match_headers(row, columns)
            keys = {c.key for c in found.values()}
            if "code" in keys and len(keys) >= 2 and (best is None or len(found) > len(best[1])):
                best = (columns, found, unknown)
        if best:
            return best[0], index, best[1], best[2]
    return None, None, None, None


# --- the planner ----------------------------------------------------------------------


class _Planner:
    def __init__(self, default_unit, create_units, today, allowed_units=None):
        self.plan = Plan()
        self.allowed = None if allowed_units is None else set(allowed_units)
        self.default_unit = default_unit
        self.create_units = create_units
        self.today = today
        self.units = list(Unit.select(Unit.id, Unit.code, Unit.name).tuples())
        self.unit_names = {}  # folded code or name → {unit id}
        for uid, code, name in self.units:
            for key in (fold(code), fold(name)):
                self.unit_names.setdefault(key, set()).add(uid)
        self.unit_keys = {}  # cell value → unit key, so each distinct value is solved once
        self.titles = {_name_key(n): (tid, role, u) for tid, n, role, u in
                       Title.select(Title.id, Title.name, Title.leader_role,
                                    Title.unit).tuples()}
        self.departments = {(_name_key(n), u): did for did, n, u in
                            Department.select(Department.id, Department.name,
                                              Department.unit).tuples()}
        self.file_staff = {}  # (unit key, code) → parsed staff row, this file
        self.codes = {}  # code → [unit keys] among this file's staff rows

    def problem(self, sheet, row, column, value, message):
        self.plan.problems.append(Problem(sheet, row, column, value, message))

    # units ---------------------------------------------------------------------------

    def unit_key(self, value):
        """An existing unit's id, a new unit's key, or raise ``BadValue``."""
        if value is None:
            if self.default_unit is not None:
                return self.allowed_unit(self.default_unit.id)
            if len(self.units) == 1:
                return self.allowed_unit(self.units[0][0])
            raise cols.BadValue("bắt buộc: ghi mã hoặc tên đơn vị, hoặc dùng --unit MÃ")
        if value in self.unit_keys:
            return self.unit_keys[value]
        key = fold(value)
        matches = self.unit_names.get(key, set())
        if len(matches) == 1:
            self.unit_keys[value] = self.allowed_unit(next(iter(matches)))
            return self.unit_keys[value]
        if matches:
            raise cols.BadValue("trùng tên nhiều đơn vị; hãy ghi mã đơn vị")
        new_key = f"unit:{key}"
        if new_key in self.plan.new_units:
            return new_key
        if self.allowed is not None:
            raise cols.BadValue("không có đơn vị này trong phạm vi tài khoản được nhập")
        if not self.create_units:
            known = ", ".join(code for _, code, _ in self.units[:20]) or "(chưa có đơn vị nào)"
            raise cols.BadValue(f"không có đơn vị này; các mã hiện có: {known} "
                                "(dùng --create-units để tạo đơn vị mới)")
        self.plan.new_units[new_key] = _new_unit(value, {c for _, c, _ in self.units} | {
            u["code"] for u in self.plan.new_units.values()})
        return new_key

    def allowed_unit(self, unit_id):
        """``unit_id`` if the importing account may write to it (the panel's scoping)."""
        if self.allowed is not None and unit_id not in self.allowed:
            raise cols.BadValue("đơn vị này nằm ngoài phạm vi tài khoản được nhập")
        return unit_id

    # titles and departments ----------------------------------------------------------

    def title(self, name, kind, unit_key=None):
        """The title named ``name`` — a shared one or ``unit_key``'s own — or a new one:
        shared when the admin imports (every unit in scope), else the row's unit's own
        (``canbo.records.lists``: the shared list is the admin's)."""
        if name is None:
            return None, "NONE"
        key = _name_key(name)
        if key in self.titles:
            tid, role, owner = self.titles[key]
            if owner is not None and owner != unit_key:
                raise cols.BadValue("chức vụ, chức danh này là danh mục riêng của đơn vị "
                                    "khác; hãy dùng tên khác hoặc nhờ quản trị viên")
            return tid, role
        new_key = f"title:{key}"
        self.plan.new_titles.setdefault(new_key, {
            "name": name, "kind": kind, "leader_role": "NONE", "position": 0,
            "unit": None if self.allowed is None else unit_key})
        return new_key, "NONE"

    def department(self, name, unit_key):
        if name is None:
            return None
        key = _name_key(name)
        for scope in (unit_key, None):
            if (key, scope) in self.departments:
                return self.departments[key, scope]
        new_key = f"dept:{unit_key}:{key}"
        self.plan.new_departments.setdefault(new_key, (name, unit_key))
        return new_key


def _new_unit(name, taken):
    folded = fold(name)
    code = name.upper() if " " not in name and len(name) <= 32 else (
        re.sub(r"[^A-Z0-9]+", "_", folded.upper()).strip("_")[:32] or "DONVI")
    base, n = code, 2
    while code in taken:
        code, n = f"{base[:28]}_{n}", n + 1
    place = name
    for prefix in ("ubnd xa ", "ubnd phuong ", "ubnd thi tran ", "xa ", "phuong ", "thi tran "):
        if folded.startswith(prefix):
            place = name[len(prefix):]
            break
    return {"code": code, "name": name, "place_name": place[:100]}


def build_plan(workbook, unit=None, create_units=False, today=None, allowed_units=None):
    """Check every row of ``workbook``; return the ``Plan`` (see the module docstring).

    ``allowed_units`` (ids, or None for all) limits the units rows may name or reach.
    """
    planner = _Planner(unit, create_units, today, allowed_units)
    staff_sheets, rating_sheets = [], []
    for sheet in workbook.sheets:
        if cols.header_key(sheet.name) == cols.header_key(GUIDE_SHEET):
            continue  # the templates' own explanation of the columns
        columns, header, found, unknown = recognise(sheet)
        if columns is None:
            if any(sheet.rows):
                planner.plan.warnings.append(
                    f"Trang «{sheet.name}» không có dòng tiêu đề nhận ra được (cần cột «Mã» "
                    "và các cột của danh sách cán bộ hoặc xếp loại); đã bỏ qua.")
            continue
        if unknown:
            planner.plan.warnings.append(
                f"Trang «{sheet.name}»: không nhận ra cột " + ", ".join(f"«{u}»" for u in unknown)
                + "; các cột này không được nhập.")
        target = staff_sheets if columns is cols.STAFF else rating_sheets
        target.append((sheet, header, found))
        for column in columns:
            if column.required and column.key not in {c.key for c in found.values()}:
                planner.problem(sheet.name, header + 1, column.header, None,
                                "thiếu cột bắt buộc này")
    if not staff_sheets and not rating_sheets:
        planner.problem(workbook.sheets[0].name if workbook.sheets else "tệp", 0, "", None,
                        "không tìm thấy danh sách cán bộ (cột Mã, Họ và tên, Loại…) hay bảng "
                        "xếp loại (cột Mã, Năm, Xếp loại) trong tệp.")
    if any(p.row and p.message == "thiếu cột bắt buộc này" for p in planner.plan.problems):
        return planner.plan  # a missing column makes every row wrong: say it once
    plan_staff(planner, staff_sheets)
    plan_ratings(planner, rating_sheets)
    return planner.plan

