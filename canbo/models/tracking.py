"""The stored records of ND 335/2025 tracking: catalogue, assignments, monthly sheets.

- ``Catalogue`` / ``Product``: a unit's catalogue of output products for a year, in at
  most 5 complexity groups, with points and the coefficient that converts a product to
  the unit's standard product (Điều 13); locked once the chairman's decision (number,
  date) is recorded.
- ``Assignment``: one catalogue product assigned to a person for a month, with its
  quantity and deadline, and its result: completed quantity, failed quality reviews,
  delays, whether an objective cause was confirmed, and whether it is extra work
  outside the assignment (Điều 14–15).  The coefficient is copied at assignment, so a
  result keeps the conversion it was assigned under and the year's points are one
  scan of this table.
- ``Sheet`` / ``SheetItem``: the period's form Mẫu 01 (ND 335 annex II): the general
  criteria's self and evaluator points per sub-item, d, đ, e for leaders, the computed
  a, b, c, task score and total, strengths, weaknesses, the evaluator's comment; the
  evaluator's confirmation locks the period.
- ``TrackingSetting``: per unit and year, monthly or quarterly tracking and the open
  settings of ``scoring.ScoringRules`` (empty = the rule set's default).

Operations are in ``tracking/catalogue.py`` (the catalogue, its decision and supplements;
the values checked by ``catalogue_values``, workbooks read and written by
``catalogue_xlsx``), ``tracking/sheets.py`` (assigning,
scoring, confirming) and ``tracking/year_points.py`` (the year's points in SQL).
"""
import datetime

from peewee import (
    BlobField,
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    DecimalField,
    ForeignKeyField,
    IntegerField,
    TextField,
)

from canbo.db import BaseModel
from canbo.levels import Period, SheetStatus
from canbo.models.records import Department, Staff, Unit

MAX_GROUPS = 5  # Điều 13: at most five complexity groups


class TrackingSetting(BaseModel):
    """A unit's choices for a year: period and the decree's open settings (nullable)."""

    unit = ForeignKeyField(Unit, backref="tracking_settings", on_delete="CASCADE")
    year = IntegerField()
    period = CharField(max_length=10, choices=Period.choices(), default="MONTH")
    cap_at_100 = BooleanField(null=True)
    deduction_floor = DecimalField(max_digits=5, decimal_places=4, null=True)
    middle_value_dd = DecimalField(max_digits=5, decimal_places=2, null=True)
    decimals = IntegerField(null=True)
    # The first tracked month of the year (empty = January): the first ND 335 year
    # started when the province's criteria were issued (snv-3743-2026.txt).
    first_month = IntegerField(null=True)
    # A month's sheets are due on this working day of the next month (empty = 5th).
    deadline_working_day = IntegerField(null=True)

    class Meta:
        indexes = ((("unit", "year"), True),)


class Catalogue(BaseModel):
    """A unit's catalogue of output products for a year (Điều 13)."""

    unit = ForeignKeyField(Unit, backref="catalogues", on_delete="RESTRICT")
    year = IntegerField()
    standard_product = CharField(max_length=300, null=True)
    decision_number = CharField(max_length=50, null=True)
    decision_date = DateField(null=True)
    decided_by = CharField(max_length=64, null=True)
    # Points of the standard product (Điều 13.2): a product's coefficient is its points
    # divided by these when the catalogue gives points but no coefficient.
    standard_points = DecimalField(max_digits=7, decimal_places=2, null=True)

    class Meta:
        indexes = ((("unit", "year"), True),)

    @property
    def locked(self):
        """Decided by the chairman: products can no longer change."""
        return bool(self.decision_number)


class CatalogueDecision(BaseModel):
    """A numbered decision adding products to a decided catalogue (Điều 13.3, 26.1.c):
    nothing decided is edited in place; a supplement's products apply from its date."""

    catalogue = ForeignKeyField(Catalogue, backref="decisions", on_delete="CASCADE")
    number = CharField(max_length=50)
    decided_on = DateField()
    applies_from = DateField()
    decided_by = CharField(max_length=64)
    note = TextField(null=True)


class Product(BaseModel):
    """An output product of a catalogue: group 1–5, points range, conversion coefficient.

    ``section`` is where the published workbook lists it (leaders' tasks, shared tasks,
    a department's sheet); ``code`` its "Mã CV"; ``job_position`` the vị trí việc làm it
    belongs to (empty = anyone); ``supplement`` the further decision that added it
    (empty = the catalogue's own decision)."""

    catalogue = ForeignKeyField(Catalogue, backref="products", on_delete="CASCADE")
    complexity_group = IntegerField()
    name = CharField(max_length=300)
    points_min = DecimalField(max_digits=7, decimal_places=2, null=True)
    points_max = DecimalField(max_digits=7, decimal_places=2, null=True)
    coefficient = DecimalField(max_digits=6, decimal_places=2)
    position = IntegerField(default=0)
    section = CharField(max_length=200, default="")
    code = CharField(max_length=32, null=True)
    task = TextField(null=True)
    output = TextField(null=True)
    points = DecimalField(max_digits=7, decimal_places=2, null=True)
    job_position = CharField(max_length=200, null=True)
    supplement = ForeignKeyField(CatalogueDecision, null=True, backref="products",
                                 on_delete="RESTRICT")

    class Meta:
        indexes = ((("catalogue", "section", "name"), True),)

    def __str__(self):
        return self.name

    @property
    def decision_number(self):
        """The decision the product came from: its supplement's, else the catalogue's
        (``None`` while the catalogue is a draft)."""
        return self.supplement.number if self.supplement_id else self.catalogue.decision_number

    @property
    def applies_from(self):
        """From when work is assigned from it: its supplement's date, else the first day of
        the catalogue's year once decided (``None`` while a draft)."""
        if self.supplement_id:
            return self.supplement.applies_from
        return datetime.date(self.catalogue.year, 1, 1) if self.catalogue.locked else None


class Head(BaseModel):
    """The head of a using agency (``department`` empty; ND 335/2025 Điều 10.1.b) or of a
    department that directly uses civil servants (Điều 10.1.c): the default evaluator
    of its deputies and civil servants.  At most one per unit and department."""

    unit = ForeignKeyField(Unit, backref="heads", on_delete="CASCADE")
    department = ForeignKeyField(Department, null=True, backref="heads", on_delete="CASCADE")
    staff = ForeignKeyField(Staff, backref="headships", on_delete="CASCADE")


class Evaluator(BaseModel):
    """Who tracks and evaluates a person in a year, from ``from_month`` to ``to_month``
    (ND 335/2025 Điều 10.1): a staff record, or — for the head of the unit — the managing
    agency named in ``agency``.  One evaluator per person per period; what is not
    recorded follows the unit's structure (``tracking.evaluators``)."""

    staff = ForeignKeyField(Staff, backref="evaluators", on_delete="CASCADE")
    year = IntegerField()
    from_month = IntegerField(default=1)
    to_month = IntegerField(default=12)
    evaluator = ForeignKeyField(Staff, null=True, backref="evaluatees", on_delete="RESTRICT")
    agency = CharField(max_length=200, null=True)
    set_by = CharField(max_length=64)

    class Meta:
        indexes = ((("staff", "year", "from_month"), True),)


class WorkPackage(BaseModel):
    """A product worth many standard units, done over several months or by a group
    (Điều 18.1.c), split into parts: each part is an ``Assignment`` of some of its
    units to one person in one month; ``owner`` is the primary owner."""

    product = ForeignKeyField(Product, backref="packages", on_delete="RESTRICT")
    year = IntegerField()
    name = CharField(max_length=300)
    units = IntegerField()
    owner = ForeignKeyField(Staff, backref="packages", on_delete="RESTRICT")
    created_by = CharField(max_length=64)


class Assignment(BaseModel):
    """One product assigned to a person for a month, and its result (Điều 14–15).

    ``assigned_on`` is when it was given (a completion cannot precede it);
    ``completed_on`` and ``evidence`` (a document number or link; files in
    ``Evidence``) are the person's own record of the result; ``reassigned_to`` is the
    part a person could not do, handed to a colleague — it stays in the first person's
    assigned total but not in their results (Điều 18.1.d); ``taken_over_from`` marks
    extra work taken from a colleague and ``urgent`` unplanned urgent work, both outside
    the assigned total (``extra``); ``package`` ties a part to its ``WorkPackage``."""

    staff = ForeignKeyField(Staff, backref="assignments", on_delete="RESTRICT")
    year = IntegerField()
    month = IntegerField()
    product = ForeignKeyField(Product, backref="assignments", on_delete="RESTRICT")
    coefficient = DecimalField(max_digits=6, decimal_places=2)
    quantity = IntegerField(default=0)
    deadline = DateField(null=True)
    completed = IntegerField(default=0)
    failed_reviews = IntegerField(default=0)
    delays = IntegerField(default=0)
    objective_cause = BooleanField(default=False)
    extra = BooleanField(default=False)
    note = TextField(null=True)
    assigned_on = DateField(null=True)
    assigned_by = CharField(max_length=64, null=True)
    completed_on = DateField(null=True)
    evidence = TextField(null=True)
    reassigned_to = ForeignKeyField("self", null=True, backref="taken_from",
                                    on_delete="SET NULL")
    taken_over_from = ForeignKeyField(Staff, null=True, backref="handed_over",
                                      on_delete="RESTRICT")
    urgent = BooleanField(default=False)
    package = ForeignKeyField(WorkPackage, null=True, backref="parts", on_delete="RESTRICT")

    class Meta:
        # The year's points scan (year, staff, month) in order: one index range.
        indexes = ((("year", "staff", "month"), False),)


class Evidence(BaseModel):
    """A file the person attached to a result (PDF, image, office document), size-limited."""

    assignment = ForeignKeyField(Assignment, backref="files", on_delete="CASCADE")
    filename = CharField(max_length=200)
    content_type = CharField(max_length=100)
    size = IntegerField()
    data = BlobField()
    uploaded_by = CharField(max_length=64)
    uploaded_at = DateTimeField()


class OutsideMonth(BaseModel):
    """A month a transferred person was scored at their old unit, as that unit sent it
    (ND 335/2025 Điều 19.3): counted in the year's average, marked as such."""

    staff = ForeignKeyField(Staff, backref="outside_months", on_delete="CASCADE")
    year = IntegerField()
    month = IntegerField()
    unit_name = CharField(max_length=200)
    score = DecimalField(max_digits=9, decimal_places=6)
    entered_by = CharField(max_length=64)

    class Meta:
        indexes = ((("staff", "year", "month"), True),)


class Sheet(BaseModel):
    """Form Mẫu 01 for one person and period; ``month`` is the period's last month."""

    staff = ForeignKeyField(Staff, backref="sheets", on_delete="RESTRICT")
    unit = ForeignKeyField(Unit, backref="sheets", on_delete="RESTRICT")
    year = IntegerField()
    month = IntegerField()
    period = CharField(max_length=10, choices=Period.choices(), default="MONTH")
    rule_set = CharField(max_length=20)
    leader = BooleanField(default=False)
    self_general = DecimalField(max_digits=5, decimal_places=2, null=True)
    general = DecimalField(max_digits=5, decimal_places=2, null=True)
    d = DecimalField(max_digits=5, decimal_places=2, null=True)
    dd = DecimalField(max_digits=5, decimal_places=2, null=True)
    e = DecimalField(max_digits=5, decimal_places=2, null=True)
    a = DecimalField(max_digits=7, decimal_places=2, null=True)
    b = DecimalField(max_digits=7, decimal_places=2, null=True)
    c = DecimalField(max_digits=7, decimal_places=2, null=True)
    task_score = DecimalField(max_digits=7, decimal_places=2, null=True)
    total = DecimalField(max_digits=7, decimal_places=2, null=True)
    strengths = TextField(null=True)
    weaknesses = TextField(null=True)
    comment = TextField(null=True)
    status = CharField(max_length=20, choices=SheetStatus.choices(), default="OPEN")
    evaluator = CharField(max_length=64, null=True)
    confirmed_at = DateTimeField(null=True)
    submitted_at = DateTimeField(null=True)
    returned_reason = TextField(null=True)

    class Meta:
        indexes = ((("staff", "year", "month"), True), (("year", "unit"), False))

    @property
    def locked(self):
        return self.status == SheetStatus.CONFIRMED.code


class SheetItem(BaseModel):
    """One general-criteria sub-item of a sheet: its maximum, self and evaluator points."""

    sheet = ForeignKeyField(Sheet, backref="items", on_delete="CASCADE")
    code = CharField(max_length=10)
    label = CharField(max_length=200)
    max_points = DecimalField(max_digits=5, decimal_places=2)
    self_points = DecimalField(max_digits=5, decimal_places=2, null=True)
    points = DecimalField(max_digits=5, decimal_places=2, null=True)
    position = IntegerField(default=0)

    class Meta:
        indexes = ((("sheet", "code"), True),)


MODELS = [TrackingSetting, Catalogue, CatalogueDecision, Product, Head, Evaluator, WorkPackage,
          Assignment, Evidence, OutsideMonth, Sheet, SheetItem]
