"""Numbered schema migrations, applied in order by ``canbo init`` (``db.migrate``).

Each script defines ``up(migrator, db)`` as ``playhouse.migrations`` expects, with frozen
copies of the tables it creates, never the live models.  After changing a model,
generate the next script against a database migrated to the head::

    canbo --db sqlite:////tmp/head.db init
    python -m playhouse.migrations sqlite:////tmp/head.db generate NAME \
        canbo.models:MODELS -d canbo/migrations

(models of other modules: list them the same way).  ``tests/test_db.py`` fails when
the migrated schema and the models differ.
"""
