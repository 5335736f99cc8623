"""``staff.version`` and ``rating.version``: a number raised by every save, so that a
save made from a form opened before someone else's save is refused instead of silently
undoing it (``canbo.models.records.Versioned``; issue 16, lost updates).  Every change to
a rating is kept and audited (ND 90/2020 Điều 19; ND 335/2025 Điều 24): one officer's
change must not vanish under another's."""
from peewee import *  # noqa: F403


def up(migrator, db):
    # The database's own DEFAULT too: the importer and a restore insert rows by hand.
    migrator.migrate(
        migrator.add_column('staff', 'version',
                            IntegerField(default=1, constraints=[SQL('DEFAULT 1')])),
        migrator.add_column('rating', 'version',
                            IntegerField(default=1, constraints=[SQL('DEFAULT 1')])),
    )


def down(migrator, db):
    migrator.migrate(
        migrator.drop_column('staff', 'version'),
        migrator.drop_column('rating', 'version'),
    )
