"""``canbo worker``: a Huey consumer that runs the background jobs (``canbo.jobs``).

A province runs its queue on Redis (``$CANBO_REDIS_URL``) and one or more of these
processes, on any machine that reaches the database, the Redis server and the jobs
folder (``$CANBO_JOBS_FOLDER``).  A commune needs none: ``canbo serve`` runs a consumer
beside the web server on the SQLite queue.
"""
import logging

import click

from canbo import jobs
from canbo.cli.common import pass_context


@click.command("worker")
@click.option("--workers", type=click.IntRange(1, 32), default=2, show_default=True,
              metavar="SỐ",
              help="Số công việc chạy cùng lúc (mỗi việc in còn dùng thêm các tiến trình "
                   "in song song).")
@pass_context
def worker(ctx, workers):
    """Chạy các công việc nền (in nhiều phiếu…) cho đến khi nhấn Ctrl+C."""
    ctx.open()
    jobs.configure()
    kind, where = jobs.queue_settings()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    click.echo(f"Công việc nền: hàng đợi {kind} ({where if kind == 'sqlite' else 'Redis'}), "
               f"{workers} luồng, kết quả trong {jobs.results_folder()}.")
    jobs.huey.create_consumer(workers=workers, worker_type="thread", max_delay=2.0).run()
