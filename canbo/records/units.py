"""Units and their scope: finding a unit by code, the ids of a unit's subtree, who is in post.

Every list, report and access check that asks "which units" or "which people on a date"
asks here, so the answer is the same on every screen.
"""
from canbo.errors import InvalidInput, NotFound
from canbo.models import Staff, Unit


def find_unit(code=None):
    """The unit with ``code``; without a code, the only unit, or the only top-level unit.

    Raises ``NotFound`` naming the known codes.
    """
    if code:
        unit = Unit.get_or_none(Unit.code == code)
        if unit is None:
            known = ", ".join(u.code for u in Unit.select(Unit.code).order_by(Unit.code).limit(20))
            raise NotFound(
                f"Không có đơn vị mã «{code}». Các mã hiện có: {known or '(chưa có đơn vị nào)'}.",
                unit=code,
            )
        return unit
    roots = list(Unit.select().where(Unit.parent.is_null()).limit(2))
    if len(roots) == 1:
        return roots[0]
    if not roots:
        raise NotFound("Cơ sở dữ liệu chưa có đơn vị nào; hãy chạy «canbo demo» hoặc nhập dữ liệu.")
    raise InvalidInput("Cơ sở dữ liệu có nhiều đơn vị; hãy chỉ rõ đơn vị bằng --unit MÃ.")


def unit_ids(unit, include_subunits=True):
    """Ids of ``unit`` and, when asked, of every unit below it (any depth)."""
    if not include_subunits:
        return [unit.id]
    children = {}
    for uid, parent in Unit.select(Unit.id, Unit.parent).tuples():
        children.setdefault(parent, []).append(uid)
    ids, todo = [], [unit.id]
    while todo:
        uid = todo.pop()
        ids.append(uid)
        todo.extend(children.get(uid, ()))
    return ids


def in_post_during(first, last):
    """The condition "in post on some day from ``first`` to ``last``" (both included).

    ``joined_on`` is the first day in post and ``left_on`` the first day out: a person
    who left on day D is not in post on D (REFERENCE.md §5, as ``yearly.in_post`` counts
    the months worked).  So a person is in post during the period when they joined on
    or before its last day and left after its first day; an empty date means "always"
    (joined) or "still in post" (left).  ``Staff.in_post_on`` is the same rule for one
    loaded person.
    """
    return ((Staff.joined_on.is_null()) | (Staff.joined_on <= last)) & (
        (Staff.left_on.is_null()) | (Staff.left_on > first)
    )


def in_post_on(day):
    """The condition "in post on ``day``": joined on or before it, not left by then."""
    return in_post_during(day, day)
