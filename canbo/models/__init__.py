"""The stored records, and the whole schema in one place.

- ``records``: units, staff and their qualification histories, yearly ratings, the
  editable lists of titles and departments, user accounts, the audit log;
- ``cycle``: a unit's yearly rating cycle and what it records (evaluations, absences,
  disciplines, objections, task groups);
- ``tracking``: ND 335/2025 tracking (catalogue, products, assignments, monthly sheets);
- ``jobs``: background jobs (``canbo.jobs``): their progress and result.

Every model is importable from here (``from canbo.models import Staff, Cycle, Sheet``).
May import: ``canbo.db``, ``canbo.errors``, ``canbo.levels``, ``canbo.vietnamese``,
``canbo.rules`` (the rule sets a cycle is configured by).  The schema drift test
compares the migrated database with ``all_models()``.
"""
from peewee import sort_models

from canbo.db import BaseModel
from canbo.models.cycle import Absence, Cycle, Discipline, Evaluation, Objection, TaskGroup
from canbo.models.jobs import Job
from canbo.models.records import (
    AuditLog,
    Department,
    NationalExport,
    Qualification,
    Rating,
    Staff,
    Title,
    Unit,
    User,
    now,
)
from canbo.models.tracking import (
    Assignment,
    Catalogue,
    CatalogueDecision,
    Evaluator,
    Evidence,
    Head,
    OutsideMonth,
    Product,
    Sheet,
    SheetItem,
    TrackingSetting,
    WorkPackage,
)

__all__ = [
    "Absence", "Assignment", "AuditLog", "Catalogue", "CatalogueDecision", "Cycle",
    "Department", "Discipline", "Evaluation", "Evaluator", "Evidence", "Head", "Job",
    "NationalExport", "Objection", "OutsideMonth", "Product", "Qualification", "Rating",
    "Sheet", "SheetItem", "Staff", "TaskGroup", "Title", "TrackingSetting", "Unit", "User",
    "WorkPackage", "all_models", "now",
]


def all_models():
    """Every concrete model of the package, parents before children."""
    found, todo = [], list(BaseModel.__subclasses__())
    while todo:
        model = todo.pop()
        todo.extend(model.__subclasses__())
        if not getattr(model._meta, "abstract", False):
            found.append(model)
    return sort_models(found)
