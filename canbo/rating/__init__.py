"""The yearly rating cycle of a unit (REFERENCE.md §6): its steps, guards and records.

- ``guards``: the checks every step shares (role, lock, not published, the cycle's ratings);
- ``workflow``: the transitions, open → … → approve → publish → reopen;
- ``records``: objections and their answers, the cycle's settings, task groups, absences
  and disciplines;
- ``points``: ND 335 tracking's year points pulled into the cycle's ratings;
- ``compliance``: a unit-year's ratings judged by a rule set (``canbo check``).

May import: ``canbo.models``, ``canbo.rules``, ``canbo.records``, ``canbo.tracking``.
"""
