"""``user.email``: where the to-do reminders go (``canbo remind``, ND 335/2025 Điều 17–18:
each civil servant self-scores every month, their evaluator confirms)."""
from peewee import *  # noqa: F403


def up(migrator, db):
    migrator.migrate(migrator.add_column('user', 'email', CharField(max_length=254, null=True)))


def down(migrator, db):
    migrator.migrate(migrator.drop_column('user', 'email'))
