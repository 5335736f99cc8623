"""Password rules (issue 16): beside the length, the account's own username, the most
common passwords (Vietnamese ones too) and all-digit strings are refused, with a
Vietnamese message, in the one place passwords are set — so the panel (the admin's
account form, "Đổi mật khẩu") and ``canbo user`` refuse them alike."""
import pytest

from canbo.cli import serve as cli_serve
from canbo.errors import InvalidInput
from canbo.models import Unit, User
from canbo.records import accounts, users
from panel_helpers import PASSWORD, csrf_token


@pytest.mark.parametrize("password, message", [
    ("matkhau", "ít nhất 8 ký tự"),
    ("123456", "ít nhất 8 ký tự"),
    ("12345678", "chỉ gồm chữ số"),
    ("0912345678", "chỉ gồm chữ số"),  # a phone number
    ("password", "quá phổ biến"),
    ("PassWord", "quá phổ biến"),
    ("qwerty123", "quá phổ biến"),
    ("matkhau123", "quá phổ biến"),
    ("anhyeuem", "quá phổ biến"),
    ("aaaaaaaa", "quá phổ biến"),
    ("nguyenvana", "trùng tên đăng nhập"),
    ("NguyenVanA", "trùng tên đăng nhập"),
])
def test_a_guessable_password_is_refused_with_the_reason(password, message):
    with pytest.raises(InvalidInput, match=message) as caught:
        users.check_password_strength(password, "nguyenvana")
    assert caught.value.data["field"] == "password"


@pytest.mark.parametrize("password", [PASSWORD, "matkhau-demo-1", "mat-khau-moi",
                                      "Hoa.sen-2026"])
def test_the_passwords_of_the_fixtures_and_ordinary_ones_pass(password):
    users.check_password_strength(password, "nguyenvana")


def test_the_demo_passwords_pass_the_rules():
    for username, _, password in cli_serve.DEMO_ACCOUNTS:
        users.check_password_strength(password, username)


def test_one_time_passwords_pass_the_rules():
    for _ in range(200):
        users.check_password_strength(accounts.one_time_password())


def test_every_path_that_sets_a_password_refuses_a_common_one(db):
    unit = Unit.create(code="XA", name="UBND xã An", place_name="An")
    with pytest.raises(InvalidInput, match="quá phổ biến"):
        users.create_user("canbo", "password", "OFFICER", unit)
    with pytest.raises(InvalidInput, match="trùng tên đăng nhập"):
        users.create_user("hoangnam2", "HoangNam2", "OFFICER", unit)
    user = users.create_user("canbo", PASSWORD, "OFFICER", unit)
    with pytest.raises(InvalidInput, match="chỉ gồm chữ số"):
        users.set_password(user, "20101990")
    with pytest.raises(InvalidInput, match="quá phổ biến"):
        users.change_own_password(user, PASSWORD, "matkhau123", "matkhau123")
    assert users.authenticate("canbo", PASSWORD).username == "canbo"


def test_the_command_line_refuses_a_common_password(run, db):
    result = run("user", "add", "qt", "--role", "ADMIN", input="12345678\n")
    assert result.exit_code == 2 and "chỉ gồm chữ số" in result.output
    assert not User.select().where(User.username == "qt").exists()
    run("user", "add", "qt", "--role", "ADMIN", input=PASSWORD + "\n")
    result = run("user", "passwd", "qt", input="qwerty123\n")
    assert result.exit_code == 2 and "quá phổ biến" in result.output
    assert users.authenticate("qt", PASSWORD).username == "qt"


def test_the_password_page_refuses_a_weak_password_in_vietnamese(login_as):
    client = login_as("OFFICER")
    html = client.post("/admin/password/", data={
        "csrf_token": csrf_token(client, "/admin/password/"), "old_password": PASSWORD,
        "password": "matkhau123", "repeated": "matkhau123"}).get_data(as_text=True)
    assert "Mật khẩu này quá phổ biến" in html
    assert users.authenticate("canbo", PASSWORD).username == "canbo"


def test_the_admin_s_account_form_refuses_the_username_as_password(login_as):
    client = login_as("ADMIN")
    response = client.post("/admin/user/new/", data={
        "csrf_token": csrf_token(client, "/admin/user/new/"), "username": "kimtan01",
        "role": "VIEWER", "unit": Unit.get(Unit.code == "KIMTAN").id, "active": "y",
        "new_password": "KimTan01"}, follow_redirects=True)
    assert "Mật khẩu không được trùng tên đăng nhập" in response.get_data(as_text=True)
    assert not User.select().where(User.username == "kimtan01").exists()
