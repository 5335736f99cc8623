"""Recompute every staff member's sort key with the corrected Vietnamese order.

The first sort key compared tones only after all the letters of the whole name, so
"Bùi Thị Ánh" sorted before "Nguyễn Văn Anh"; ``vietnamese.sort_string`` now compares
each word letters-first, then tone. Stored keys of older databases are rewritten here.
"""
from peewee import *  # noqa: F403

from canbo.vietnamese import sort_string


def up(migrator, db):
    class Staff(Model):
        full_name = CharField(max_length=200)
        sort_name = CharField(max_length=400)

        class Meta:
            database = db
            table_name = "staff"

    for sid, name in Staff.select(Staff.id, Staff.full_name).tuples():
        Staff.update(sort_name=sort_string(name)).where(Staff.id == sid).execute()
