"""``canbo user add|passwd`` and ``canbo serve``."""
import pytest

from canbo.cli import serve as cli_serve
from canbo.models import User
from canbo.records import users


@pytest.fixture
def kimtan(demo_db):
    return demo_db


def test_user_add_reads_the_password_from_stdin(run, kimtan):
    result = run("user", "add", "canbo", "--role", "officer", "--unit", "KIMTAN",
                 input="matkhau-123\n")
    assert result.exit_code == 0, result.output
    assert "Đã thêm tài khoản «canbo»: Cán bộ phụ trách tổ chức, đơn vị UBND xã Kim Tân" in result.output
    assert users.authenticate("canbo", "matkhau-123").role == "OFFICER"


@pytest.mark.parametrize("args, message", [
    (["--role", "OFFICER"], "phải gắn với một đơn vị"),
    (["--role", "OFFICER", "--unit", "NOPE"], "NOPE"),
    (["--role", "KING"], "cho phép"),
])
def test_user_add_refuses_with_one_vietnamese_line(run, kimtan, args, message):
    result = run("user", "add", "canbo", *args, input="matkhau-123\n")
    assert result.exit_code == 2
    assert message in result.output and "Traceback" not in result.output


def test_user_passwd_changes_the_password(run, kimtan):
    run("user", "add", "qt", "--role", "ADMIN", input="matkhau-123\n")
    result = run("user", "passwd", "qt", input="mat-khau-moi\n")
    assert result.exit_code == 0 and "Đã đổi mật khẩu của «qt»" in result.output
    assert users.authenticate("qt", "mat-khau-moi").username == "qt"


def test_user_passwd_for_unknown_user(run, kimtan):
    result = run("user", "passwd", "khongco", input="mat-khau-moi\n")
    assert result.exit_code == 2 and "Không có tài khoản «khongco»" in result.output


def test_serve_demo_prints_address_and_accounts(run, db, monkeypatch, tmp_path):
    served = {}
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("waitress.serve", lambda app, **kw: served.update(app=app, **kw))
    result = run("serve", "--demo", "--port", "8123")
    assert result.exit_code == 0, result.output
    assert "http://127.0.0.1:8123/admin/" in result.output
    for username, role, password in cli_serve.DEMO_ACCOUNTS:
        assert f"{username} / {password}" in result.output
    assert served["port"] == 8123 and served["app"].name == "admin_app"
    assert (tmp_path / "instance" / "canbo-demo.db").exists()
    assert User.select().count() == len(cli_serve.DEMO_ACCOUNTS) == 6
    for username, (code, _) in cli_serve.DEMO_STAFF.items():
        assert User.get(User.username == username).staff.code == code
        assert f"{username} / {username}-demo  ({code} " in result.output


def test_serve_without_secret_key_refuses(run, db, monkeypatch):
    monkeypatch.delenv("CANBO_SECRET_KEY", raising=False)
    monkeypatch.setattr("waitress.serve", lambda app, **kw: None)
    result = run("serve")
    assert result.exit_code == 2 and "CANBO_SECRET_KEY" in result.output
