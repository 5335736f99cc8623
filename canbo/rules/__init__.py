"""The rules of the law, as data and small pure functions: no database, no I/O.

- ``rulesets``: which regulation governs a year's rating and every fact it states
  (levels, quotas, thresholds, deadlines, criteria), one ``RuleSet`` per regulation;
- ``yearly``: the yearly rating's rules (quota, eligibility, discipline, the proposed
  level), each citing its article;
- ``scoring``: ND 335/2025's 100-point score of a month, a year and its level.

May import: ``canbo.errors``, ``canbo.levels``, ``canbo.periods``, ``canbo.vietnamese``.
Everything else imports these; a rule fact is written here once and read from here.
"""
