"""``discipline.at_old_unit``: a violation committed at the organisation a person came
from, disciplined at the new one, counts in the old organisation's rating, not the new
one's (ND 335/2025 Điều 11.3.c–d)."""
from peewee import *  # noqa: F403


def up(migrator, db):
    migrator.migrate(migrator.add_column('discipline', 'at_old_unit',
                                         BooleanField(default=False)))


def down(migrator, db):
    migrator.migrate(migrator.drop_column('discipline', 'at_old_unit'))
