"""``discipline.cause`` replaces ``discipline.public_service``.

ND 335/2025 Điều 11.3.a makes the year KHTNV for a discipline imposed for degradation in
political ideology, ethics or lifestyle *or* for a violation related to public service;
a yes/no "public service" flag could not record the first.  Existing rows keep their
meaning: public service → PUBLIC_SERVICE, otherwise OTHER.
"""
from peewee import *  # noqa: F403


def up(migrator, db):
    migrator.migrate(migrator.add_column(
        'discipline', 'cause', CharField(max_length=20, default='PUBLIC_SERVICE')))
    db.execute_sql("UPDATE discipline SET cause = CASE WHEN public_service THEN "
                   "'PUBLIC_SERVICE' ELSE 'OTHER' END")
    migrator.migrate(migrator.drop_column('discipline', 'public_service'))
    # The model has no default: every new discipline names its cause.
    migrator.migrate(migrator.drop_column_default('discipline', 'cause'))


def down(migrator, db):
    migrator.migrate(migrator.add_column(
        'discipline', 'public_service', BooleanField(default=True)))
    db.execute_sql("UPDATE discipline SET public_service = (cause <> 'OTHER')")
    migrator.migrate(migrator.drop_column('discipline', 'cause'))
