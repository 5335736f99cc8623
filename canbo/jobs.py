"""Background jobs: long work run by a Huey consumer, not inside an HTTP request.

Printing a unit's (or the province's) forms takes minutes; inside a request it held a
web thread and its render processes kept running after the browser gave up.  A job is
a ``Job`` row (``canbo.models.jobs``) — who asked, status, progress ``done / total``,
the result's name and file — and one Huey task that runs it.  Everything a page shows
lives in the database, so any web process shows the progress of a job any worker runs.

- the queue: ``huey``, configured by ``configure()`` from the settings — Huey's SQLite
  storage in a file next to the SQLite database (``<name>-jobs.db``; a commune installs
  nothing, ``canbo serve`` runs a consumer beside the web server), or Redis when
  ``$CANBO_REDIS_URL`` is set (a province; ``canbo worker`` processes run the jobs);
  ``$CANBO_JOBS_QUEUE`` names another SQLite queue file;
- results: files in ``results_folder()`` (``$CANBO_JOBS_FOLDER``, default the data
  folder's ``jobs/``: ``$CANBO_DATA_DIR``, else beside the SQLite database, else
  ``instance/``, see ``canbo.db.data_folder``), written under a temporary name and
  renamed when complete, so a failed or cancelled job leaves nothing half-written; kept
  ``$CANBO_JOBS_KEEP_HOURS`` hours (24), then removed by ``purge()`` (a periodic task);
- ``submit(actor, kind, **params)``, ``progress(job_id, done, total)`` (also where a
  running job learns it was cancelled), ``cancel(actor, job_id)``, ``result(actor,
  job_id)``; a user reaches only their own jobs, the admin (``jobs.all``) every one —
  another's job is ``NotFound``, as if it did not exist.
"""
import datetime
import json
import logging
import os
import pathlib
import secrets
import tempfile

from huey import Huey, crontab
from huey.consumer import Consumer
from huey.storage import MemoryStorage, RedisStorage, SqliteStorage

from canbo import db as dbm
from canbo import settings
from canbo.documents import batch, render
from canbo.errors import CanboError, InvalidInput, NotFound
from canbo.models import Job, Unit, User
from canbo.records import users
from canbo.spreadsheets import exporter
from canbo.stats import national

log = logging.getLogger(__name__)

QUEUED, RUNNING, DONE, FAILED, CANCELLED = "queued", "running", "done", "failed", "cancelled"
STATUS_LABELS = {QUEUED: "Đang chờ", RUNNING: "Đang chạy", DONE: "Đã xong",
                 FAILED: "Lỗi", CANCELLED: "Đã hủy"}
FINISHED = {DONE, FAILED, CANCELLED}

REDIS_ENV = settings.REDIS_ENV
QUEUE_ENV = "CANBO_JOBS_QUEUE"
FOLDER_ENV = "CANBO_JOBS_FOLDER"
KEEP_ENV = "CANBO_JOBS_KEEP_HOURS"
KEEP_HOURS = 24

#: The queue.  Its storage is chosen by ``configure()`` (in memory until then, so that
#: importing the module writes no file).
huey = Huey("canbo", results=False, storage_class=MemoryStorage)
_configured = {}


class Cancelled(Exception):
    """Raised by ``progress`` inside a job whose cancellation was asked."""


# --- settings ------------------------------------------------------------------------


def queue_settings():
    """``("redis", url)`` or ``("sqlite", path)``: where the queue of this setup is."""
    url = os.environ.get(REDIS_ENV, "").strip()
    if url:
        return "redis", url
    if os.environ.get(QUEUE_ENV, "").strip():
        return "sqlite", os.environ[QUEUE_ENV].strip()
    path = dbm.sqlite_file()
    name = f"{path.stem}-jobs.db" if path else "canbo-jobs.db"
    return "sqlite", str(dbm.data_root() / name)


def results_folder():
    named = os.environ.get(FOLDER_ENV, "").strip()
    if not named:
        return dbm.data_folder("jobs")
    folder = pathlib.Path(named)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def keep_hours():
    return settings.number(KEEP_ENV, KEEP_HOURS, 0, 24 * 365,
                           "một số giờ lớn hơn 0 và không quá 8760", low_open=True)


def configure():
    """Point ``huey`` at this setup's queue (``queue_settings``); idempotent."""
    kind, where = queue_settings()
    if _configured.get("at") == (kind, where):
        return huey
    if kind == "redis":
        try:
            import redis  # noqa: F401
        except ImportError as exc:
            raise CanboError(f"{REDIS_ENV} được đặt nhưng thiếu thư viện redis; hãy chạy "
                             "«pip install 'canbo[redis]'».") from exc
        huey.storage_class, huey.storage_kwargs = RedisStorage, {"url": where}
    else:
        pathlib.Path(where).parent.mkdir(parents=True, exist_ok=True)
        huey.storage_class, huey.storage_kwargs = SqliteStorage, {"filename": where}
    huey.storage = huey.create_storage()
    _configured["at"] = (kind, where)
    return huey


# --- the kinds of job ----------------------------------------------------------------

#: kind → ``Kind``: its check, its function and the word its progress counts.
KINDS = {}


class Kind:
    def __init__(self, check, run, counts):
        self.check, self.run, self.counts = check, run, counts


def kind(name, check, counts):
    """Register the function of job kind ``name``, ``run(actor, params, report, path)``
    → the result's download name (the result written to ``path``).  ``check(actor,
    params)`` refuses a user who may not ask for it (``Forbidden``/``NotFound``) and
    returns the job's title; ``counts`` names what ``done / total`` count ("phiếu")."""
    def register(run):
        KINDS[name] = Kind(check, run, counts)
        return run
    return register


def counts(job):
    """What ``job``'s ``done / total`` count, for its page."""
    return KINDS[job.kind].counts if job.kind in KINDS else ""


def _unit(actor, params, permission):
    unit = Unit.get_or_none(Unit.id == params.get("unit"))
    if unit is None or not users.sees(actor, unit.id, permission=permission):
        raise NotFound("Không có đơn vị này.")
    return unit


def _forms_check(actor, params):
    unit = _unit(actor, params, "print")
    users.require(actor, "print", "in phiếu đánh giá", unit.id)
    return (f"Phiếu đánh giá năm {params['year']} – {unit.name}"
            + (" và các đơn vị trực thuộc" if params.get("subunits") else ""))


@kind("forms", _forms_check, "phiếu")
def _forms(actor, params, report, path):
    """A unit's forms of a year as one PDF (``batch.unit_forms_pdf``), per chunk."""
    unit = Unit.get_by_id(params["unit"])
    year, subunits = int(params["year"]), bool(params.get("subunits"))
    batch.unit_forms_pdf(unit, year, subunits, target=path, progress=report,
                         workers=params.get("workers"))
    return render.file_name("phieu danh gia", year, unit.code,
                            "va truc thuoc" if subunits else "")


def _national_check(actor, params):
    unit = _unit(actor, params, "national.export")
    users.require(actor, "national.export", "xuất dữ liệu lên Cơ sở dữ liệu quốc gia",
                  unit.id)
    period = national.parse_period(params.get("period"))
    if params.get("fmt", "xlsx") not in ("xlsx", "csv"):
        raise InvalidInput("Định dạng phải là xlsx hoặc csv.")
    return f"Dữ liệu gửi Cơ sở dữ liệu quốc gia, kỳ {period.code} – {unit.name}"


@kind("national", _national_check, "bước")
def _national(actor, params, report, path):
    """The national database export (ND 335/2025 Điều 26.1.d) of a unit and the units
    below it, logged in the export log when its file is written."""
    unit = Unit.get_by_id(params["unit"])
    period = national.parse_period(params["period"])
    fmt = params.get("fmt", "xlsx")
    report(0, 2)
    table = national.table(unit, period, True)
    report(1, 2)
    exporter.export([table], path, fmt)
    national.log_export(actor, unit, period, True, len(table.rows))
    report(2, 2)
    return f"csdl-quoc-gia-{unit.code}-{period.code}.{fmt}"


# --- asking, following, cancelling ---------------------------------------------------


def visible(actor):
    """The jobs ``actor`` may see, newest first: their own; every one with ``jobs.all``."""
    query = Job.select().order_by(Job.created_at.desc(), Job.id.desc())
    if not users.can(actor, "jobs.all"):
        query = query.where(Job.owner == (actor.username if actor else ""))
    return query


def get(actor, job_id):
    """The job ``job_id`` if ``actor`` may see it; ``NotFound`` otherwise."""
    job = visible(actor).where(Job.id == job_id).first()
    if job is None:
        raise NotFound("Không có công việc này.")
    return job


def submit(actor, kind_name, **params):
    """Queue a job of ``kind_name`` for ``actor``; returns its ``Job`` row."""
    if kind_name not in KINDS:
        raise InvalidInput(f"Không có loại công việc «{kind_name}».")
    title = KINDS[kind_name].check(actor, params)
    configure()
    job = Job.create(kind=kind_name, title=title[:300], owner=actor.username,
                     params=json.dumps(params))
    try:
        run_job(job.id)
    except Exception as exc:  # the queue's server is down, its file unwritable
        job.delete_instance()
        kind_, where = queue_settings()
        log.exception("cannot queue job %s", job.id)
        raise CanboError(
            "Không gửi được công việc vào hàng đợi "
            f"({'Redis' if kind_ == 'redis' else where}): {type(exc).__name__}; hãy báo "
            "quản trị kiểm tra máy chủ hàng đợi.") from exc
    return job


def progress(job_id, done, total):
    """Record that job ``job_id`` has done ``done`` of ``total``; raises ``Cancelled``
    when its cancellation was asked (the job stops between two chunks)."""
    Job.update(done=done, total=total).where(Job.id == job_id).execute()
    if Job.select(Job.cancel_requested).where(Job.id == job_id).scalar():
        raise Cancelled()


def cancel(actor, job_id):
    """Ask job ``job_id`` to stop: a queued job is cancelled at once, a running one at
    its next chunk (its render processes are stopped).  A finished job is left alone."""
    job = get(actor, job_id)
    if job.status in FINISHED:
        return job
    Job.update(cancel_requested=True).where(Job.id == job.id).execute()
    Job.update(status=CANCELLED, finished_at=_now(), message="Đã hủy trước khi bắt đầu."
               ).where(Job.id == job.id, Job.status == QUEUED).execute()
    return Job.get_by_id(job.id)


def result(actor, job_id):
    """``(download name, path)`` of a finished job's file; ``NotFound`` when there is
    none (not finished, failed, or removed after ``keep_hours``)."""
    job = get(actor, job_id)
    path = _result_path(job)
    if job.status != DONE or path is None or not path.exists():
        raise NotFound("Kết quả của công việc này không còn (chưa xong, bị lỗi hoặc đã bị "
                       "xóa sau thời hạn lưu).")
    return job.result_name, path


def seconds_left(job, now=None):
    """An estimate of the seconds a running job still needs (from its pace so far), or
    ``None`` before its first chunk."""
    if job.status != RUNNING or not job.started_at or not job.done or not job.total:
        return None
    spent = ((now or _now()) - job.started_at).total_seconds()
    return max(0, round(spent / job.done * (job.total - job.done)))


def purge(now=None):
    """Remove the finished jobs whose results' time is over, and their files; returns
    how many jobs were removed."""
    now = now or _now()
    removed = 0
    for job in Job.select().where(Job.expires_at.is_null(False), Job.expires_at <= now):
        path = _result_path(job)
        if path is not None:
            path.unlink(missing_ok=True)
        job.delete_instance()
        removed += 1
    return removed


def interrupted():
    """Mark the jobs left running by a consumer that stopped (the machine restarted,
    the process was killed) as failed: called when the one consumer of a SQLite setup
    starts, when no job of it can still be running.  Their partial files go too."""
    folder = results_folder()
    for job_id in Job.select(Job.id).where(Job.status == RUNNING).tuples():
        for part in folder.glob(f"job-{job_id[0]}-*.part"):
            part.unlink(missing_ok=True)
    return Job.update(status=FAILED, finished_at=_now(),
                      message="Công việc bị gián đoạn (máy chủ đã dừng); hãy chạy lại.").where(
        Job.status == RUNNING).execute()


# --- running -------------------------------------------------------------------------


def _now():
    return datetime.datetime.now().replace(microsecond=0)


def _result_path(job):
    return results_folder() / job.result_path if job.result_path else None


@huey.task()
def run_job(job_id):
    try:
        execute(job_id)
    finally:
        if not dbm.database.is_closed():
            dbm.database.close()


@huey.periodic_task(crontab(minute="*/15"))
def purge_task():
    try:
        purge()
    finally:
        if not dbm.database.is_closed():
            dbm.database.close()


def execute(job_id):
    """Run job ``job_id`` here (the consumer's task): its result is written to a
    temporary file in the jobs folder and renamed only when complete."""
    started = Job.update(status=RUNNING, started_at=_now()).where(
        Job.id == job_id, Job.status == QUEUED).execute()
    if not started:
        return  # cancelled while queued, or already taken
    job = Job.get_by_id(job_id)
    run = KINDS[job.kind].run
    folder = results_folder()
    fd, part = tempfile.mkstemp(prefix=f"job-{job.id}-", suffix=".part", dir=folder)
    os.close(fd)
    try:
        actor = User.get_or_none(User.username == job.owner)
        name = run(actor, json.loads(job.params),
                   lambda done, total: progress(job.id, done, total), part)
    except Cancelled:
        os.unlink(part)
        _finish(job.id, CANCELLED, "Đã hủy.")
    except Exception as exc:  # noqa: BLE001 — a failed job says why and keeps nothing
        os.unlink(part)
        if isinstance(exc, CanboError):
            message = exc.message
        else:
            log.exception("job %s (%s) failed", job.id, job.kind)
            message = f"Lỗi khi chạy công việc ({type(exc).__name__}); hãy báo quản trị."
        _finish(job.id, FAILED, message)
    else:
        final = f"job-{job.id}-{secrets.token_hex(8)}{pathlib.Path(name).suffix}"
        os.replace(part, folder / final)
        size = (folder / final).stat().st_size
        _finish(job.id, DONE, "", result_name=name, result_path=final, result_size=size)


def _finish(job_id, status, message, **fields):
    now = _now()
    Job.update(status=status, message=message, finished_at=now,
               expires_at=now + datetime.timedelta(hours=keep_hours()), **fields).where(
        Job.id == job_id).execute()


# --- consumers -----------------------------------------------------------------------


class ThreadConsumer(Consumer):
    """A Huey consumer run from a thread other than the main one (``canbo serve``, the
    tests): signals belong to the main thread, which the web server keeps."""

    def _set_signal_handlers(self):
        pass


def start_consumer(workers=1, **options):
    """Start a consumer of this setup's queue in threads of this process; returns it
    (``stop(graceful=True)`` ends it)."""
    configure()
    options.setdefault("max_delay", 1.0)
    consumer = ThreadConsumer(huey, workers=workers, worker_type="thread", **options)
    consumer.start()
    return consumer
