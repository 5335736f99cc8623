"""The spreadsheets personnel officers exchange: XLSX and CSV in and out.

- ``workbook``: reading any workbook into plain rows, writing tables;
- ``xlsx_writer``: a small, fast XLSX writer;
- ``legacy_text``: TCVN3 and VNI text turned into Unicode;
- ``columns``: the columns of the staff and ratings sheets and how cells are read;
- ``plan`` and ``rows``: the checking half of an import (nothing written);
- ``importer``: the writing half, in one transaction;
- ``exporter``: the staff list, ratings, reports and templates as tables;
- ``self_assessment``: the yearly cycle's self-assessment sheet, template and rows.

May import: ``canbo.models``, ``canbo.rules``, ``canbo.records``, ``canbo.stats``.
"""
