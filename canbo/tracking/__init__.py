"""ND 335/2025 tracking: the catalogue, assignments and monthly sheets, and the year.

- ``catalogue``: a unit's catalogue of output products (Điều 13), edited then decided;
- ``sheets``: assignments, results and the monthly sheet (Mẫu 01) of a person;
- ``year_points``: the year's points of many people at once (Điều 17, 20);
- ``leave``: what absences and disciplines say about a year's points (Điều 11, 19.3).

May import: ``canbo.models``, ``canbo.rules``, ``canbo.records``.
"""
