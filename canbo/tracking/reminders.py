"""E-mail reminders of what waits for each account (``canbo remind``).

ND 335/2025 sets a monthly rhythm (Điều 17–18): each civil servant records results and
self-scores every month, the evaluator confirms, the yearly rating is due before 15
December (Điều 19.2).  Each active account with an e-mail address (``User.email``) whose
to-do (``todo.for_account``) is not empty gets one message listing it, overdue items
first, each with its deadline and a link; accounts with nothing waiting get none.

The SMTP server comes from the environment: ``CANBO_SMTP_HOST`` (no host: no mail),
``CANBO_SMTP_PORT`` (25, or 587 with ``CANBO_SMTP_STARTTLS=1``), ``CANBO_SMTP_USER`` /
``CANBO_SMTP_PASSWORD`` for a server that needs a login, ``CANBO_SMTP_FROM`` (the
sender, default ``canbo@localhost``).  All messages go through one connection; a refused
address is reported and the rest are still sent.
"""
import dataclasses
import email.message
import os
import smtplib

from canbo.errors import InvalidInput
from canbo.models import User
from canbo.tracking import todo

SUBJECT = "[canbo] {count} việc đang chờ anh/chị"


@dataclasses.dataclass
class Settings:
    host: str
    port: int = 25
    user: str = None
    password: str = None
    sender: str = "canbo@localhost"
    starttls: bool = False

    @classmethod
    def from_env(cls, env=None):
        """The settings of ``$CANBO_SMTP_*``, or ``None`` without a host."""
        env = os.environ if env is None else env
        host = env.get("CANBO_SMTP_HOST", "").strip()
        if not host:
            return None
        starttls = env.get("CANBO_SMTP_STARTTLS", "") in ("1", "true", "yes")
        text = env.get("CANBO_SMTP_PORT", "").strip() or ("587" if starttls else "25")
        if not text.isdigit() or not 0 < int(text) < 65536:
            raise InvalidInput(f"CANBO_SMTP_PORT «{text}» không hợp lệ; cần số cổng 1–65535.")
        return cls(host, int(text), env.get("CANBO_SMTP_USER") or None,
                   env.get("CANBO_SMTP_PASSWORD") or None,
                   env.get("CANBO_SMTP_FROM") or "canbo@localhost", starttls)


@dataclasses.dataclass
class Outcome:
    sent: list = dataclasses.field(default_factory=list)        # usernames
    nothing: int = 0                                             # nothing waiting
    no_address: int = 0                                          # no e-mail address
    refused: list = dataclasses.field(default_factory=list)     # (username, reason)


def message(account, items, link, sender):
    """The e-mail to ``account`` listing ``items``; ``link(item)`` gives each one's URL."""
    msg = email.message.EmailMessage()
    msg["Subject"] = SUBJECT.format(count=len(items))
    msg["From"] = sender
    msg["To"] = account.email
    lines = [f"Kính gửi {account.staff.full_name if account.staff_id else account.username},",
             "", "Trên phần mềm theo dõi, đánh giá cán bộ, công chức đang có việc chờ "
             "anh/chị:", ""]
    for item in items:
        due = f" — {item.due_text}" if item.deadline else ""
        lines.append(f"- {item.text}{due}")
        if item.reason:
            lines.append(f"  Lý do trả lại: {item.reason}")
        url = link(item) if link else None
        if url:
            lines.append(f"  {url}")
    lines += ["", "Thư này do phần mềm gửi tự động; xin đừng trả lời thư này."]
    msg.set_content("\n".join(lines))
    return msg


def pending(today=None):
    """``[(account, [Item])]``: the active accounts with an address and something
    waiting; also returns how many had nothing and how many had no address."""
    out, nothing, no_address = [], 0, 0
    for account in User.select().where(User.active == True).order_by(User.username):  # noqa: E712
        if not account.email:
            no_address += 1
            continue
        items = todo.for_account(account, today)
        if items:
            out.append((account, items))
        else:
            nothing += 1
    return out, nothing, no_address


def send(settings, today=None, link=None, dry_run=False):
    """Send every account its to-do; ``Outcome``.  ``dry_run`` builds the messages and
    sends none (the ``sent`` list then names who would get one)."""
    waiting, nothing, no_address = pending(today)
    outcome = Outcome(nothing=nothing, no_address=no_address)
    messages = [(account, message(account, items, link, settings.sender if settings
                                  else "canbo@localhost")) for account, items in waiting]
    if dry_run or not messages:
        outcome.sent = [a.username for a, _ in messages]
        return outcome
    with smtplib.SMTP(settings.host, settings.port, timeout=30) as smtp:
        if settings.starttls:
            smtp.starttls()
        if settings.user:
            smtp.login(settings.user, settings.password or "")
        for account, msg in messages:
            try:
                smtp.send_message(msg)
            except smtplib.SMTPRecipientsRefused as exc:
                outcome.refused.append((account.username, str(exc.recipients)))
            else:
                outcome.sent.append(account.username)
    return outcome


def describe(outcome, dry_run=False):
    """One Vietnamese line saying what was done."""
    verb = "Sẽ gửi" if dry_run else "Đã gửi"
    text = (f"{verb} {len(outcome.sent)} thư nhắc việc; {outcome.nothing} tài khoản không có "
            f"việc chờ; {outcome.no_address} tài khoản chưa có địa chỉ thư.")
    for username, reason in outcome.refused:
        text += f"\nMáy chủ thư từ chối địa chỉ của «{username}»: {reason}"
    return text


