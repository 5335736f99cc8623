"""The yearly rating cycle of a unit (REFERENCE.md §6): its steps, guards and records.

- ``guards``: the checks every step shares (status, lock, not published; the permission
  check is ``records.users.require``) and the record screens' rules for a rating;
- ``workflow``: the transitions, open → … → approve → publish → reopen, and the late
  joiners added to an open cycle;
- ``bulk``: many people through one step at once (a self-assessment sheet, the
  proposals of the selected), all or nothing;
- ``records``: objections and their answers, the cycle's settings, task groups, absences
  and disciplines;
- ``points``: ND 335 tracking's year points pulled into the cycle's ratings;
- ``compliance``: a unit-year's ratings judged by a rule set (``canbo check``).

May import: ``canbo.models``, ``canbo.rules``, ``canbo.records``, ``canbo.tracking``.
"""
