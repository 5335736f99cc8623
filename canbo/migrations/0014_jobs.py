"""``job``: background jobs (``canbo.jobs``) — the printing of a unit's forms and the
other long work the panel hands to a Huey consumer: who asked, status, progress, result."""
from peewee import *  # noqa: F403


def up(migrator, db):
    class Job(Model):
        kind = CharField(max_length=32)
        title = CharField(max_length=300)
        owner = CharField(max_length=64, index=True)
        params = TextField(default="{}")
        created_at = DateTimeField(index=True)
        started_at = DateTimeField(null=True)
        finished_at = DateTimeField(null=True)
        status = CharField(max_length=16, default="queued", index=True)
        done = IntegerField(default=0)
        total = IntegerField(default=0)
        message = TextField(default="")
        cancel_requested = BooleanField(default=False)
        result_name = CharField(max_length=200, null=True)
        result_path = CharField(max_length=300, null=True)
        result_size = BigIntegerField(null=True)
        expires_at = DateTimeField(null=True, index=True)

        class Meta:
            database = db
            table_name = 'job'

    db.create_tables([Job])


def down(migrator, db):
    migrator.migrate(migrator.drop_table('job'))
