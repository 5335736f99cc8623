"""Accounts for the domain tests: one per role and unit, and a person's own account.

Saved without a password (``password_hash="x"``): the domain functions check the role,
the unit and the linked staff record, never a password.
"""
from canbo.models import User


def account(role, unit=None, username=None):
    """The account of ``role`` for ``unit`` (created on first use)."""
    name = username or f"{role.lower()}-{unit.code.lower() if unit else 'all'}"
    return User.get_or_none(User.username == name) or User.create(
        username=name, password_hash="x", role=role, unit=unit)


def own_account(staff):
    """The person's own account (a viewer linked to their staff record)."""
    name = f"staff-{staff.code.lower()}-{staff.id}"
    return User.get_or_none(User.username == name) or User.create(
        username=name, password_hash="x", role="VIEWER", unit=staff.unit_id, staff=staff)
