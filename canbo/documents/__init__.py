"""Printed documents as PDF (ND 30/2020 layout, fonts shipped in ``fonts/``).

- ``render``: the templates, the sandboxed renderer and the unit-level documents;
- ``forms``: a person's rating forms of a year as plain data for the templates;
- ``batch``: many forms in one PDF, rendered in parallel chunks.

May import: ``canbo.models``, ``canbo.rules``, ``canbo.records``, ``canbo.stats``,
``canbo.rating``, ``canbo.tracking``.
"""
