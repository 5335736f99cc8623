"""Issue 16, hardening:

- ``user.session_version``: the number every session of the account carries since its
  login; logging out, a password change, a deactivation or a change of role or unit
  raises it, so a session cookie kept from before (copied, left in another browser)
  opens nothing any more (``canbo.records.users.end_sessions``);
- ``title.unit``: a title added by a unit for itself belongs to that unit (its officer
  edits it); a title of no unit is shared by every unit and only the admin changes it
  (``canbo.records.lists``), so an officer of one commune cannot rename a title that
  another commune's records use.
"""
from peewee import *  # noqa: F403


def up(migrator, db):
    class Unit(Model):
        class Meta:
            database = db
            table_name = 'unit'

    migrator.migrate(
        migrator.add_column('user', 'session_version', IntegerField(default=0)),
        migrator.add_column('title', 'unit_id', ForeignKeyField(
            Unit, null=True, on_delete='CASCADE', field=Unit.id)),
    )


def down(migrator, db):
    migrator.migrate(migrator.drop_column('title', 'unit_id'),
                     migrator.drop_column('user', 'session_version'))
