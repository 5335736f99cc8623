"""``canbo remind``: each account with an address gets its to-do by e-mail, through a real
SMTP server (aiosmtpd) started by the test; without a server configured nothing is sent."""
import datetime
import email
import socket

import pytest

from canbo.errors import InvalidInput
from canbo.models import Staff, Unit, User
from canbo.records import users
from canbo.tracking import catalogue as cat
from canbo.tracking import sheets

aiosmtpd = pytest.importorskip("aiosmtpd.controller")
PASSWORD = "matkhau-nhac-1"


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.rcpt_tos, email.message_from_bytes(
            envelope.content, policy=email.policy.default)))
        return "250 OK"


@pytest.fixture
def smtp(monkeypatch):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    inbox = Inbox()
    controller = aiosmtpd.Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    monkeypatch.setenv("CANBO_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("CANBO_SMTP_PORT", str(port))
    monkeypatch.setenv("CANBO_SMTP_FROM", "canbo@kimson.gov.vn")
    yield inbox
    controller.stop()


@pytest.fixture
def kimson(demo_db):
    """A commune with March 2026 assigned to Mai; Mai and the chairman have addresses."""
    unit = Unit.create(code="KIMSON", name="UBND xã Kim Sơn", place_name="Kim Sơn")
    mai = Staff.create(unit=unit, code="KS02", full_name="Lò Thị Mai", kind="CIVIL_SERVANT")
    Staff.create(unit=unit, code="KS03", full_name="Hứa Văn Tâm", kind="CIVIL_SERVANT")
    officer = users.create_user("canbo_ks", PASSWORD, "OFFICER", unit)
    chairman = users.create_user("chutich_ks", PASSWORD, "CHAIRMAN", unit,
                                 email="chutich@kimson.gov.vn")
    users.create_user("mai", PASSWORD, "STAFF", unit, staff=mai, email="mai@kimson.gov.vn")
    c = cat.open_catalogue(officer, unit, 2026)
    product = cat.add_product(officer, c, 1, "Văn bản hành chính thông thường", 1, 1, 5)
    cat.decide(chairman, c, "05/QĐ-UBND", datetime.date(2026, 1, 10))
    sheets.assign(officer, mai, 2026, 3, product, 4, on=datetime.date(2026, 3, 2))
    return {"unit": unit, "mai": mai}


def test_each_account_gets_its_own_to_do(run, kimson, smtp):
    result = run("remind", "--on", "10/04/2026", "--url", "https://canbo.kimson.gov.vn")
    assert result.exit_code == 0, result.output
    assert "Đã gửi 2 thư nhắc việc" in result.output
    assert "tài khoản chưa có địa chỉ thư" in result.output
    got = {tuple(to): msg for to, msg in smtp.messages}
    mine = got[("mai@kimson.gov.vn",)]
    assert mine["Subject"] == "[canbo] 1 việc đang chờ anh/chị"
    assert mine["From"] == "canbo@kimson.gov.vn"
    body = mine.get_content()
    assert "Kính gửi Lò Thị Mai," in body
    # March is due on the 5th working day of April (1, 2, 3, 6, 7): overdue on the 10th.
    assert "Ghi kết quả và tự chấm phiếu tháng 3/2026 — Quá hạn 07/04/2026" in body
    assert (f"https://canbo.kimson.gov.vn/admin/tracking/sheet/{kimson['mai'].id}/2026/3"
            in body)
    boss = got[("chutich@kimson.gov.vn",)].get_content()
    assert "Giao việc tháng 4/2026 cho Hứa Văn Tâm" in boss and "Lò Thị Mai" in boss
    assert "Ghi kết quả và tự chấm" not in boss


def test_dry_run_names_who_would_get_mail_and_sends_none(run, kimson, smtp):
    result = run("remind", "--dry-run", "--on", "10/04/2026")
    assert result.exit_code == 0
    assert "- mai" in result.output and "- chutich_ks" in result.output
    assert "Sẽ gửi 2 thư nhắc việc" in result.output
    assert smtp.messages == []


def test_without_a_mail_server_nothing_is_sent(run, kimson, monkeypatch):
    monkeypatch.delenv("CANBO_SMTP_HOST", raising=False)
    result = run("remind", "--on", "10/04/2026")
    assert result.exit_code == 2
    assert "Chưa cấu hình máy chủ thư: đặt $CANBO_SMTP_HOST" in result.output


def test_an_unreachable_server_is_one_line(run, kimson, monkeypatch):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again: nobody listens there
    monkeypatch.setenv("CANBO_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("CANBO_SMTP_PORT", str(port))
    result = run("remind", "--on", "10/04/2026")
    assert result.exit_code == 2
    assert f"Lỗi: Không gửi được thư qua 127.0.0.1:{port}" in result.output


@pytest.mark.parametrize("value", ["mai", "mai@", "a b@x.vn", "x@y", "m\x00@x.vn",
                                   "a" * 250 + "@x.vn"])
def test_a_bad_address_is_refused(kimson, value):
    with pytest.raises(InvalidInput, match="Địa chỉ thư .* không hợp lệ"):
        users.create_user("mai2", PASSWORD, "OFFICER", kimson["unit"], email=value)
    assert User.get_or_none(User.username == "mai2") is None
