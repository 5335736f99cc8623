"""Background jobs (``canbo.jobs``): what was asked, by whom, how far it got, its result.

The row is where every web process and every worker finds a job: the consumer that runs
it writes its progress here, the panel reads it, the result's file name and size are
kept here (the bytes in the jobs folder, ``canbo.jobs.results_folder``).
"""
from peewee import BigIntegerField, BooleanField, CharField, DateTimeField, IntegerField, TextField

from canbo.db import BaseModel
from canbo.models.records import now


class Job(BaseModel):
    """One background job: ``kind`` names its function (``canbo.jobs.KINDS``)."""

    kind = CharField(max_length=32)
    title = CharField(max_length=300)
    owner = CharField(max_length=64, index=True)
    params = TextField(default="{}")  # JSON
    created_at = DateTimeField(default=now, index=True)
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
