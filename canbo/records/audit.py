"""The audit log (Nhật ký thay đổi): every change to a rating, a staff record or a user.

``record()`` writes one row in the caller's transaction, so a change and its log entry
are committed or rolled back together.  ``diff()`` gives the ``{field: [from, to]}`` of a
model instance against the values it was loaded with.
"""
import datetime
import decimal
import json

from canbo.models import AuditLog


def _plain(value):
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if hasattr(value, "_pk"):  # a related model instance
        return value._pk
    return value


def snapshot(instance):
    """The instance's column values as plain JSON-able data."""
    return {name: _plain(value) for name, value in instance.__data__.items()}


def diff(before, after):
    """``{field: [old, new]}`` for every field whose value changed."""
    keys = sorted(set(before) | set(after))
    return {k: [before.get(k), after.get(k)] for k in keys if before.get(k) != after.get(k)}


def record(actor, action, instance=None, changes=None, reason=None, table_name=None):
    """Add one entry: who (a username or "system"), what, on which row, from → to, why."""
    return AuditLog.create(
        actor=str(getattr(actor, "username", None) or actor or "system"),
        action=action,
        table_name=table_name or (instance._meta.table_name if instance is not None else ""),
        row_id=instance._pk if instance is not None else None,
        changes=json.dumps(changes or {}, ensure_ascii=False, default=str),
        reason=reason,
    )
