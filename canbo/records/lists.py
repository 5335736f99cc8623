"""Who may change the editable lists: titles (chức vụ, chức danh) and departments.

REFERENCE.md §8: since the 2025 reorganisation these change with local decisions, so they
are data, seeded by the migrations.  A row of no unit (``unit`` empty: every seeded
title, a department for every unit) is shared by all units: it is added, changed or
deleted only with ``lists.shared`` (the admin), because every unit's records use it — an
officer of commune B renaming a title would rename it in commune A's records too (issue
16).  A row of a unit is that unit's own addition: whoever holds ``lists.edit`` and sees
the unit (its personnel officer) adds, changes and deletes it.

``check_change`` is the one check, called by the panel (``admin_views/lists.py``) before
every save and delete; ``visible`` is the query of the rows a user may pick or list.
"""
from canbo.models import Department, Title
from canbo.records import users

SHARED = "lists.shared"
_KINDS = {Title: "chức vụ, chức danh", Department: "phòng, ban"}
_NEW = object()


def check_change(user, row, verb="sửa", unit_before=_NEW):
    """Refuse (``Forbidden``, naming the roles that may) ``user`` changing ``row`` (a
    ``Title`` or ``Department``; ``verb``: "thêm", "sửa", "xóa").  ``unit_before`` is the
    unit id the row had before the change (left out: a new row), so that neither a shared
    row nor another unit's can be taken over by changing its unit."""
    what = f"{_KINDS[type(row)]} «{row.name}»"
    users.require(user, "lists.edit", f"{verb} {what}")
    units = [row.unit_id] if unit_before is _NEW else [unit_before, row.unit_id]
    for unit_id in dict.fromkeys(units):
        if unit_id is None:
            users.require(user, SHARED, f"{verb} {what}, dùng chung cho mọi đơn vị")
        else:
            users.require(user, "lists.edit", f"{verb} {what} của đơn vị khác", unit_id)


def may_change(user, row, **known):
    """Whether ``user`` may change or delete ``row`` (the panel draws its buttons);
    ``visible=``: the user's ``visible_unit_ids`` when the caller has them already (a list
    page asks for every row), as ``users.sees`` takes them."""
    if row.unit_id is None:
        return users.can(user, SHARED)
    return users.can(user, "lists.edit") and users.sees(user, row.unit_id, **known)


def visible(user, model, query=None):
    """``query`` (default all of ``model``) narrowed to the rows ``user`` reaches: the
    shared ones and those of the units it sees."""
    query = model.select() if query is None else query
    ids = users.visible_unit_ids(user)
    if ids is None:
        return query
    return query.where(model.unit.is_null() | model.unit.in_(ids))
