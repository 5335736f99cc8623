"""Keeping the records: units and their scope, user accounts and roles, the audit log,
backup and restore, and the demo commune.

- ``units``: a unit by code, a unit's subtree, who is in post on a date;
- ``users``: accounts, roles and what each role may do, lockout, the units a user sees;
- ``accounts``: the people's own accounts made in bulk (one-time passwords on slips),
  closed when the person leaves;
- ``audit``: one audit row per change, in the caller's transaction;
- ``backup``: whole-database backup and restore;
- ``demo``: the fictional commune of Kim Tân.

May import: ``canbo.models``, ``canbo.rules`` and the top-level modules; ``demo`` alone
also builds through the higher layers, as a user of the library would.
"""
