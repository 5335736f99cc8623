"""Import staff records and ratings from a spreadsheet: check everything, then write.

A file is read (``spreadsheets``), its sheets recognised by name ("Cán bộ", "Xếp loại")
or by their headers, and every row is checked before anything is written.  Problems are
listed with sheet, row, column, value and what is allowed, in Vietnamese.  Nothing is
written unless the whole file is valid; with ``skip_invalid`` the valid rows are written
and the others reported.  Writing is one transaction, so a failure leaves no trace.

Staff are matched by unit + code (upsert), qualifications are added to the person's
history only when that level is not there yet, and a rating of a past year is stored as
an approved historical rating under the rule set of its year (REFERENCE.md §1, §2;
``rulesets.rule_set_for``), so importing the same file twice changes nothing.

Who imports decides what the file may reach: the acting user's units bound the rows
(``users.visible_unit_ids``), and only a user holding ``units.edit`` (the admin; the
command line's ``users.operator``) may have the import create the units it names.

The checking is ``plan``; this module runs it and writes the plan in bulk.
"""
import dataclasses
import datetime
import json

from peewee import (
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    DecimalField,
    ForeignKeyField,
    IntegerField,
    TextField,
    chunked,
)

from canbo.db import database
from canbo.models import AuditLog, Department, Qualification, Rating, Staff, Title, Unit
from canbo.records import accounts, users
from canbo.spreadsheets import workbook as spreadsheets
from canbo.spreadsheets.plan import Plan, Problem, build_plan, recognise

__all__ = ["ImportResult", "Problem", "import_file", "import_workbook", "may_create_units"]

_PLAIN = (BooleanField, CharField, DateField, DateTimeField, DecimalField, ForeignKeyField,
          IntegerField, TextField)
#: Converted cells the command line's summary lists (the panel's preview lists them all).
SHOWN_CONVERTED = 50
BATCH = 400  # rows per INSERT: under SQLite's limit on bound variables for every table
#: The permission an import needs to create the units its rows name.
CREATE_UNITS = "units.edit"


@dataclasses.dataclass
class ImportResult:
    """What an import found and did (or, with ``dry_run``, would do)."""

    encoding: str
    problems: list
    warnings: list
    counts: dict
    written: bool
    dry_run: bool
    #: Cells of a Unicode file converted from TCVN3 or VNI one by one
    #: (``workbook.Converted``): the officer checks them in the preview.
    converted: list = dataclasses.field(default_factory=list)

    @property
    def refused(self):
        """Whether anything in the file was not accepted."""
        return bool(self.problems)

    def summary(self):
        """Vietnamese lines for the user: what was (or would be) written, and warnings."""
        c = self.counts
        verb = "Sẽ ghi" if self.dry_run else ("Đã ghi" if self.written else "Không ghi gì")
        lines = []
        if self.encoding != "unicode":
            lines.append(f"Đã chuyển mã tiếng Việt từ {self.encoding.upper()} sang Unicode.")
        if self.converted:
            lines.append(f"Đã chuyển {len(self.converted)} ô gõ bằng phông chữ cũ (TCVN3, VNI) "
                         "sang Unicode; hãy xem lại:")
            lines += [f"  {cell}" for cell in self.converted[:SHOWN_CONVERTED]]
            if len(self.converted) > SHOWN_CONVERTED:
                lines.append(f"  … và {len(self.converted) - SHOWN_CONVERTED} ô khác.")
        lines.append(
            f"{verb}: cán bộ thêm mới {c['staff_created']}, cập nhật {c['staff_updated']}, "
            f"không đổi {c['staff_unchanged']}; trình độ thêm {c['qualifications_created']}; "
            f"xếp loại thêm mới {c['ratings_created']}, cập nhật {c['ratings_updated']}, "
            f"không đổi {c['ratings_unchanged']}; đơn vị tạo mới {c['units_created']}."
        )
        return lines + [f"Lưu ý: {w}" for w in self.warnings]

    def problem_lines(self):
        """One line per refused value, after a count; empty when all was accepted."""
        if not self.problems:
            return []
        refused = self.counts["rows_refused"]
        head = (f"{len(self.problems)} lỗi ở {refused} dòng"
                + ("; các dòng này không được ghi:" if self.written else
                   "; không ghi dòng nào (sửa tệp rồi nhập lại, hoặc dùng --skip-invalid):"))
        return [head] + [f"  {p}" for p in self.problems]


def import_file(source, filename=None, **options):
    """Import an XLSX or CSV file (path, bytes or binary file); see ``import_workbook``."""
    return import_workbook(spreadsheets.read(source, filename), **options)


def may_create_units(actor):
    """Whether ``actor``'s import may create the units its rows name."""
    return users.can(actor, CREATE_UNITS)


def import_workbook(workbook, *, actor, unit=None, dry_run=False, skip_invalid=False,
                    create_units=False, today=None, progress=None):
    """Check ``workbook`` (a ``spreadsheets.Workbook``) and write it unless told not to.

    ``actor`` is the importing account (``users.operator()`` for the command line): rows
    may name or reach only its units, and ``create_units`` needs ``CREATE_UNITS``
    (``Forbidden`` otherwise).  ``unit`` (a ``Unit`` or None) is used for rows without a
    "Đơn vị"; ``today`` decides which years are past (ratings of the current year go
    through the rating workflow).  ``progress(done, total)`` counts its two steps,
    checking and writing (the command line's bar).
    """
    report = progress or (lambda done, total: None)
    report(0, 2)
    if create_units:
        users.require(actor, CREATE_UNITS, "tạo đơn vị mới khi nhập tệp")
    plan = build_plan(workbook, unit=unit, create_units=create_units,
                      today=today or datetime.date.today(),
                      allowed_units=users.visible_unit_ids(actor))
    report(1, 2)
    write = not dry_run and (skip_invalid or not plan.problems)
    if write and plan.has_changes():
        with database.atomic():
            _write(plan, actor)
    report(2, 2)
    return ImportResult(workbook.encoding, plan.problems, plan.warnings, plan.counts(),
                        write, dry_run, _name_columns(workbook))


def _name_columns(workbook):
    """``workbook.converted``, each cell with its column's heading where the sheet is a
    list the importer recognised."""
    headings = {}
    for sheet in workbook.sheets:
        if any(c.sheet == sheet.name for c in workbook.converted):
            _, _, found, _ = recognise(sheet)
            headings[sheet.name] = {i: col.header for i, col in (found or {}).items()}
    for cell in workbook.converted:
        cell.header = headings.get(cell.sheet, {}).get(cell.column, "")
    return workbook.converted


# --- writing --------------------------------------------------------------------------


def _write(plan: Plan, actor):
    units = {}
    for key, fields in plan.new_units.items():
        units[key] = Unit.create(**fields).id
    titles = {key: Title.create(**{**fields, "unit": units.get(fields["unit"], fields["unit"])}).id
              for key, fields in plan.new_titles.items()}
    departments = {}
    for key, (name, unit_key) in plan.new_departments.items():
        departments[key] = Department.create(name=name, unit=units.get(unit_key, unit_key)).id
    logs = []

    def resolve(row):
        out = dict(row)
        out["unit"] = units.get(row["unit"], row["unit"])
        out["title"] = titles.get(row.get("title"), row.get("title"))
        if "department" in row:
            out["department"] = departments.get(row["department"], row["department"])
        return out

    created = [resolve(row) for row in plan.staff_create]
    _insert(Staff, created)
    ids = _staff_ids({row["unit"] for row in created})
    for row in created:
        logs.append(_log(actor, "import_create", "staff", ids[row["unit"], row["code"]],
                         {k: [None, v] for k, v in row.items()}))
    for staff_id, fields, changes in plan.staff_update:
        fields = resolve({"unit": None, **fields})
        fields.pop("unit") if fields["unit"] is None else None
        # raises the version (models.records.Versioned): a form opened before is stale
        Staff.update(**fields, version=Staff.version + 1).where(Staff.id == staff_id).execute()
        logs.append(_log(actor, "import_update", "staff", staff_id, changes))
    # A leaving date in the file closes the person's login accounts (accounts.close_accounts).
    leaving = [staff_id for staff_id, fields, _ in plan.staff_update if fields.get("left_on")]
    for person in Staff.select().where(Staff.id.in_(leaving)) if leaving else ():
        accounts.close_accounts(person, actor)

    def staff_id(ref):
        return ref if isinstance(ref, int) else ids[units.get(ref[0], ref[0]), ref[1]]

    quals = [{**q, "staff": staff_id(q["staff"])} for q in plan.qualifications]
    _insert(Qualification, quals)

    now = datetime.datetime.now().replace(microsecond=0)
    ratings = [{**r, "staff": staff_id(r["staff"]), "unit": units.get(r["unit"], r["unit"]),
                "updated_at": now} for r in plan.ratings_create]
    _insert(Rating, ratings)
    for rating_id, fields, changes in plan.ratings_update:
        Rating.update(**fields, version=Rating.version + 1).where(
            Rating.id == rating_id).execute()
        logs.append(_log(actor, "import_update", "rating", rating_id, changes))
    if ratings:
        logs.append(_log(actor, "import_create", "rating", None,
                         {"count": [None, len(ratings)], "years": [None, plan.rating_years()]}))
    _insert(AuditLog, logs)


def _insert(model, rows):
    """INSERT ``rows`` (dicts with the same keys) in multi-row statements.

    Built by hand because peewee's ``insert_many`` spends most of an import composing
    SQL value by value; the values still pass through each field's ``db_value``.
    """
    if not rows:
        return
    names = list(rows[0])
    fields = [model._meta.fields[name] for name in names]
    # Both drivers take str, int, bool, date, datetime and Decimal as they are; other
    # field types go through their own conversion.
    convert = [None if isinstance(f, _PLAIN) else f.db_value for f in fields]
    db = model._meta.database
    one = "(" + ", ".join([db.param] * len(fields)) + ")"
    head = (f'INSERT INTO "{model._meta.table_name}" ('
            + ", ".join(f'"{f.column_name}"' for f in fields) + ") VALUES ")
    for batch in chunked(rows, BATCH):
        params = [row[name] if c is None else c(row[name])
                  for row in batch for name, c in zip(names, convert)]
        db.execute_sql(head + ", ".join([one] * len(batch)), params)


def _staff_ids(unit_ids):
    if not unit_ids:
        return {}
    query = Staff.select(Staff.id, Staff.unit, Staff.code).where(Staff.unit.in_(list(unit_ids)))
    return {(unit_id, code): sid for sid, unit_id, code in query.tuples()}


def _log(actor, action, table, row_id, changes):
    return {
        "at": datetime.datetime.now().replace(microsecond=0),
        "actor": str(actor or "system"),
        "action": action,
        "table_name": table,
        "row_id": row_id,
        "changes": json.dumps(changes, ensure_ascii=False, default=str),
        "reason": "Nhập từ tệp",
    }
