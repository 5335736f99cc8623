"""Printed documents as PDF (ND 30/2020 layout, fonts shipped in ``fonts/``).

- ``render``: the templates, the sandboxed renderer and the unit-level documents;
- ``forms``: a person's rating forms of a year as plain data for the templates;
- ``batch``: many forms in one PDF, rendered in parallel chunks;
- ``review``: the papers of the ND 335 yearly review — the meeting's minutes, the notice
  to each civil servant, the public list (Điều 21, 22) and a person's electronic file of
  the year (Điều 24).

May import: ``canbo.models``, ``canbo.rules``, ``canbo.records``, ``canbo.stats``,
``canbo.rating``, ``canbo.tracking``.
"""
