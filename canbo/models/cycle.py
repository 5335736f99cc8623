"""The stored records of a yearly rating cycle (REFERENCE.md §5, §6).

A unit's ``Cycle`` for a year carries its rule-set settings (the cadre frame, a quota
exception with its deciding document), the unit's own rating and the notice date; its
``TaskGroup`` rows are the groups the quota is counted in; each rating has an
``Evaluation`` (the paper form: self-assessment per criterion, meeting comments, the
Party committee's opinion); ``Absence`` and ``Discipline`` are per person and decide
eligibility; ``Objection`` is a kiến nghị and its answer.  The transitions are in
``rating/workflow.py``.
"""
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
)

from canbo.db import BaseModel
from canbo.levels import (
    AbsenceKind,
    CycleStatus,
    DisciplineCause,
    DisciplineKind,
    DisciplineSystem,
)
from canbo.models.records import Rating, Staff, Unit, now
from canbo.rules.rulesets import QD366


class Cycle(BaseModel):
    """Kỳ đánh giá năm …: one unit's yearly rating, with its settings and state."""

    unit = ForeignKeyField(Unit, backref="cycles", on_delete="RESTRICT")
    year = IntegerField()
    cadre_frame = CharField(max_length=20, default=QD366)
    status = CharField(max_length=20, choices=CycleStatus.choices(), default="OPEN")
    unit_level = CharField(max_length=10, null=True)
    exception_ratio = DecimalField(max_digits=4, decimal_places=2, null=True)
    exception_doc_number = CharField(max_length=60, null=True)
    exception_doc_date = DateField(null=True)
    deadline = DateField()
    notice_date = DateField(null=True)
    opened_at = DateTimeField(default=now)
    opened_by = CharField(max_length=64)
    version = IntegerField(default=0)

    class Meta:
        indexes = ((("unit", "year"), True),)

    @property
    def is_published(self):
        return self.status == CycleStatus.PUBLISHED.code

    def __str__(self):
        return f"Kỳ đánh giá năm {self.year} – {self.unit.name}"


class TaskGroup(BaseModel):
    """Nhóm nhiệm vụ tương đồng: the quota is counted per unit and per group (Điều 20.5)."""

    cycle = ForeignKeyField(Cycle, backref="task_groups", on_delete="CASCADE")
    name = CharField(max_length=200)
    kind = CharField(max_length=20, null=True)
    position = IntegerField(default=0)

    class Meta:
        indexes = ((("cycle", "name"), True),)

    def __str__(self):
        return self.name


class Evaluation(BaseModel):
    """The paper form of one rating: what each step of the procedure recorded."""

    rating = ForeignKeyField(Rating, backref="evaluations", unique=True, on_delete="CASCADE")
    task_group = ForeignKeyField(TaskGroup, null=True, backref="evaluations",
                                 on_delete="SET NULL")
    criteria = TextField(default="{}")  # JSON {criterion code: the person's text}
    self_assessed_at = DateTimeField(null=True)
    self_assessed_by = CharField(max_length=64, null=True)
    meeting_comments = TextField(null=True)
    meeting_on = DateField(null=True)
    party_opinion = TextField(null=True)
    khtnv_finding = TextField(null=True)  # a KHTNV condition found (degraded, …): overrides
    return_reason = TextField(null=True)
    decided_by = CharField(max_length=64, null=True)
    decided_at = DateTimeField(null=True)

    @property
    def criteria_texts(self):
        return json.loads(self.criteria or "{}")


class Absence(BaseModel):
    """A period of leave (from – to, both included)."""

    staff = ForeignKeyField(Staff, backref="absences", on_delete="CASCADE")
    kind = CharField(max_length=20, choices=AbsenceKind.choices())
    starts_on = DateField()
    ends_on = DateField()
    note = CharField(max_length=300, null=True)

    class Meta:
        indexes = ((("staff", "starts_on"), False),)


class Discipline(BaseModel):
    """A disciplinary decision.  ``counted_year`` records the year whose rating already
    counted the violation, so that it is counted once only (ND 48/2023; ND 335/2025
    Điều 11.3.a–b); ``at_old_unit`` a violation at the previous organisation, which
    counts there, not here (Điều 11.3.c–d)."""

    staff = ForeignKeyField(Staff, backref="disciplines", on_delete="CASCADE")
    system = CharField(max_length=20, choices=DisciplineSystem.choices())
    kind = CharField(max_length=20, choices=DisciplineKind.choices())
    cause = CharField(max_length=20, choices=DisciplineCause.choices())
    decided_on = DateField()
    decision_number = CharField(max_length=60, null=True)
    violation_year = IntegerField()
    counted_year = IntegerField(null=True)
    # the violation was at the organisation the person came from (Điều 11.3.c–d)
    at_old_unit = BooleanField(default=False)

    class Meta:
        indexes = ((("staff", "decided_on"), False),)


class Objection(BaseModel):
    """Kiến nghị of a person about their published rating, and its answer (ND 335 Điều 22)."""

    rating = ForeignKeyField(Rating, backref="objections", on_delete="CASCADE")
    lodged_on = DateField()
    text = TextField()
    answer_due = DateField(null=True)
    recorded_by = CharField(max_length=64)
    answer = TextField(null=True)
    answered_on = DateField(null=True)
    answered_by = CharField(max_length=64, null=True)

    @property
    def is_answered(self):
        return self.answered_on is not None


MODELS = [Cycle, TaskGroup, Evaluation, Absence, Discipline, Objection]
