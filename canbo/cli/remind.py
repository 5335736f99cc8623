"""``canbo remind``: e-mail each account what waits for it (``canbo.tracking.reminders``).

Meant for a daily cron or systemd timer.  The links in the messages point at the panel's
address (``--url`` or ``$CANBO_PANEL_URL``); they are made by the panel's own routes, so
the panel is imported when the command runs.
"""
import smtplib

import click

from canbo import db as dbm
from canbo.cli.common import DateType, UserError, pass_context
from canbo.tracking import reminders


def _links(base_url, database):
    """``link(item)`` → the item's absolute URL in the panel at ``base_url``."""
    if not base_url:
        return None
    from admin_app import create_app
    from admin_views.todo import _link

    app = create_app({"TESTING": True, "SECRET_KEY": "links-only", "DATABASE": database})

    def link(item):
        with app.test_request_context("/", base_url=base_url.rstrip("/")):
            return base_url.rstrip("/") + _link(item)
    return link


@click.command("remind")
@click.option("--dry-run", is_flag=True, help="Chỉ cho biết sẽ gửi cho ai, không gửi thư.")
@click.option("--url", envvar="CANBO_PANEL_URL", metavar="ĐỊA_CHỈ",
              help="Địa chỉ bảng quản trị để đặt đường dẫn trong thư "
                   "(mặc định $CANBO_PANEL_URL; không có thì thư không có đường dẫn).")
@click.option("--on", "today", type=DateType(), metavar="NGÀY",
              help="Tính việc chờ và hạn như vào ngày này (mặc định hôm nay).")
@pass_context
def remind(ctx, dry_run, url, today):
    """Gửi thư nhắc việc (tự chấm phiếu, xác nhận phiếu, giao việc, hạn đánh giá năm) cho
    các tài khoản có địa chỉ thư; máy chủ thư lấy từ $CANBO_SMTP_HOST, $CANBO_SMTP_PORT,
    $CANBO_SMTP_USER, $CANBO_SMTP_PASSWORD, $CANBO_SMTP_FROM, $CANBO_SMTP_STARTTLS."""
    ctx.open()
    settings = reminders.Settings.from_env()
    if settings is None and not dry_run:
        raise UserError("Chưa cấu hình máy chủ thư: đặt $CANBO_SMTP_HOST (và cổng "
                        "$CANBO_SMTP_PORT), hoặc chạy với --dry-run.")
    try:
        outcome = reminders.send(settings, today, _links(url, dbm.database_url(ctx.url)),
                                  dry_run=dry_run)
    except (OSError, smtplib.SMTPException) as exc:
        raise UserError(f"Không gửi được thư qua {settings.host}:{settings.port}: "
                        f"{exc}") from exc
    if dry_run:
        for username in outcome.sent:
            click.echo(f"- {username}")
    click.echo(reminders.describe(outcome, dry_run))
