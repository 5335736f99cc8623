"""Figures from the records: the report tables, the dashboard, the yearly report, charts.

- ``reports``: ratings of a year and the qualification structure at a date (text, JSON, CSV);
- ``dashboard``: the year at a glance for a unit or a province;
- ``yearly_report``: section III.3 of a unit's yearly report;
- ``charts``: server-side SVG charts.

May import: ``canbo.models``, ``canbo.rules``, ``canbo.records``, ``canbo.rating``,
``canbo.tracking``; ``yearly_report`` imports ``canbo.documents`` lazily for its PDF.
"""
