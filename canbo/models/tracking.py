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

Operations are in ``catalogue.py`` (catalogue, XLSX), ``tracking/sheets.py`` (assigning,
scoring, confirming) and ``tracking/year_points.py`` (the year's points in SQL).
"""
from peewee import (
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
from canbo.models.records import Staff, Unit

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

    class Meta:
        indexes = ((("unit", "year"), True),)

    @property
    def locked(self):
        """Decided by the chairman: products can no longer change."""
        return bool(self.decision_number)


class Product(BaseModel):
    """An output product of a catalogue: group 1–5, points range, conversion coefficient."""

    catalogue = ForeignKeyField(Catalogue, backref="products", on_delete="CASCADE")
    complexity_group = IntegerField()
    name = CharField(max_length=300)
    points_min = DecimalField(max_digits=7, decimal_places=2, null=True)
    points_max = DecimalField(max_digits=7, decimal_places=2, null=True)
    coefficient = DecimalField(max_digits=6, decimal_places=2)
    position = IntegerField(default=0)

    class Meta:
        indexes = ((("catalogue", "name"), True),)

    def __str__(self):
        return self.name


class Assignment(BaseModel):
    """One product assigned to a person for a month, and its result (Điều 14–15)."""

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

    class Meta:
        # The year's points scan (year, staff, month) in order: one index range.
        indexes = ((("year", "staff", "month"), False),)


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


MODELS = [TrackingSetting, Catalogue, Product, Assignment, Sheet, SheetItem]
