"""Background jobs in the panel (Công việc nền): ``canbo.jobs`` seen by the person who
asked for them.

- ``/admin/jobs/``: my jobs, newest first (the admin: everyone's), each with its status,
  a progress bar and, when done, its download;
- ``/admin/jobs/<id>``: one job — progress ``done / total``, the time left at its pace
  so far, the download when done, the reason when it failed, a cancel button (POST,
  CSRF) while it is queued or running; the page reloads itself every few seconds until
  the job ends (a meta refresh: no script);
- ``/admin/jobs/<id>/download`` and ``/admin/jobs/<id>/cancel``.

Another user's job is a 404 (``canbo.jobs.get``), as if it did not exist.
"""
from flask import abort, flash, redirect, send_file, url_for
from flask_admin import expose

from canbo import jobs
from canbo.errors import CanboError, NotFound
from canbo.vietnamese import vi_datetime

from .base import SecureView, can, current_account

#: Seconds between two reloads of a job's page while it runs.
REFRESH_SECONDS = 3


def _job(job_id):
    try:
        return jobs.get(current_account(), job_id)
    except NotFound:
        abort(404)


def _left(seconds):
    if seconds is None:
        return ""
    if seconds < 60:
        return f"khoảng {seconds} giây nữa"
    return f"khoảng {round(seconds / 60)} phút nữa"


def describe(job):
    """What the templates show of ``job``."""
    percent = round(100 * job.done / job.total) if job.total else 0
    return {
        "job": job, "status": jobs.STATUS_LABELS.get(job.status, job.status),
        "percent": 100 if job.status == jobs.DONE else percent,
        "left": _left(jobs.seconds_left(job)), "finished": job.status in jobs.FINISHED,
        "counts": jobs.counts(job), "created": vi_datetime(job.created_at),
    }


class JobsView(SecureView):

    @expose("/")
    def index(self):
        account = current_account()
        rows = [describe(job) for job in jobs.visible(account).limit(200)]
        return self.render("admin/jobs.html", rows=rows, all_users=can("jobs.all"),
                           refresh=REFRESH_SECONDS if any(not r["finished"] for r in rows)
                           else None)

    @expose("/<int:job_id>")
    def job(self, job_id):
        info = describe(_job(job_id))
        return self.render("admin/job.html", refresh=None if info["finished"]
                           else REFRESH_SECONDS, **info)

    @expose("/<int:job_id>/download")
    def download(self, job_id):
        _job(job_id)
        try:
            name, path = jobs.result(current_account(), job_id)
        except NotFound as exc:
            flash(exc.message, "error")
            return redirect(url_for(".job", job_id=job_id))
        return send_file(path, as_attachment=True, download_name=name)

    @expose("/<int:job_id>/cancel", methods=("POST",))
    def cancel(self, job_id):
        _job(job_id)
        try:
            job = jobs.cancel(current_account(), job_id)
        except CanboError as exc:
            flash(exc.message, "error")
        else:
            if job.status in jobs.FINISHED and job.status != jobs.CANCELLED:
                flash("Công việc đã kết thúc, không còn gì để hủy.", "info")
            else:
                flash("Đã yêu cầu hủy công việc; việc in dừng sau phần đang in.", "success")
        return redirect(url_for(".job", job_id=job_id))


def register(app, admin):
    admin.add_view(JobsView(name="Công việc nền", endpoint="jobs", url="/admin/jobs",
                            menu_icon_type="fa", menu_icon_value="fa-tasks"))
