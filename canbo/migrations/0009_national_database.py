"""What the national database export needs (ND 335/2025 Điều 26.1.d).

``staff`` gains the 12-digit personal identification number (unique), the rank code
and the job position; ``national_export`` logs every export (period, unit, who, when).
"""
from peewee import *  # noqa: F403


def up(migrator, db):
    class Unit(Model):
        class Meta:
            database = db
            table_name = 'unit'

    class NationalExport(Model):
        at = DateTimeField(index=True)
        actor = CharField(max_length=64)
        unit = ForeignKeyField(Unit, on_delete='CASCADE')
        period = CharField(max_length=7)
        with_subunits = BooleanField()
        rows = IntegerField()

        class Meta:
            database = db
            table_name = 'national_export'

    migrator.migrate(
        migrator.add_column('staff', 'personal_id', CharField(max_length=12, null=True)),
        migrator.add_column('staff', 'rank_code', CharField(max_length=20, null=True)),
        migrator.add_column('staff', 'job_position', CharField(max_length=200, null=True)),
        migrator.add_index('staff', ('personal_id',), True),
    )
    db.create_tables([NationalExport])


def down(migrator, db):
    migrator.migrate(migrator.drop_table('national_export'))
    migrator.migrate(
        migrator.drop_index('staff', 'staff_personal_id'),
        migrator.drop_column('staff', 'job_position'),
        migrator.drop_column('staff', 'rank_code'),
        migrator.drop_column('staff', 'personal_id'),
    )
