"""Accounts: roles and their labels, passwords, lockout, visible units, status rights."""
import datetime

import pytest

from canbo.errors import Forbidden, InvalidInput
from canbo.levels import Role
from canbo.models import AuditLog, Unit, User
from canbo.records import users

T0 = datetime.datetime(2026, 11, 27, 9, 0, 0)


@pytest.fixture
def units(db):
    top = Unit.create(code="HUYEN", name="UBND huyện", place_name="Kim Thành")
    commune = Unit.create(code="XA", name="UBND xã", place_name="Kim Tân", parent=top)
    village = Unit.create(code="THON", name="Thôn 1", place_name="Kim Tân", parent=commune)
    other = Unit.create(code="KHAC", name="UBND xã khác", place_name="Khác", parent=top)
    return {"top": top, "commune": commune, "village": village, "other": other}


def test_every_role_has_the_glossary_label():
    assert Role.labels() == {
        "ADMIN": "Quản trị hệ thống", "OFFICER": "Cán bộ phụ trách tổ chức",
        "CHAIRMAN": "Chủ tịch", "VIEWER": "Người xem", "STAFF": "Cán bộ, công chức",
    }


def test_password_is_stored_hashed_and_creation_is_audited(units):
    user = users.create_user("canbo", "matkhau-123", "officer", units["commune"])
    assert user.role == "OFFICER" and "matkhau-123" not in user.password_hash
    entry = AuditLog.get(AuditLog.table_name == "user")
    assert entry.action == "create" and "matkhau" not in entry.changes


@pytest.mark.parametrize("username, password, role, unit, message", [
    ("canbo", "matkhau-123", "OFFICER", None, "phải gắn với một đơn vị"),
    ("canbo", "ngan", "ADMIN", None, "ít nhất 8 ký tự"),
    ("co dau cach", "matkhau-123", "ADMIN", None, "không có dấu cách"),
    ("canbo", "matkhau-123", "BOSS", None, "cho phép: ADMIN"),
])
def test_invalid_accounts_are_refused_with_a_reason(db, username, password, role, unit, message):
    with pytest.raises(InvalidInput, match=message):
        users.create_user(username, password, role, unit)


def test_duplicate_username_is_refused(units):
    users.create_user("qt", "matkhau-123", "ADMIN")
    with pytest.raises(InvalidInput, match="đã có"):
        users.create_user("qt", "matkhau-456", "ADMIN")


def test_lockout_after_the_failures_in_a_row_for_fifteen_minutes(units):
    users.create_user("canbo", "matkhau-123", "OFFICER", units["commune"])
    for i in range(users.MAX_FAILED_LOGINS):
        with pytest.raises(Forbidden, match="không đúng"):
            users.authenticate("canbo", "sai", at=T0 + datetime.timedelta(seconds=i))
    with pytest.raises(Forbidden, match="tạm khóa"):
        users.authenticate("canbo", "matkhau-123", at=T0 + datetime.timedelta(minutes=14))
    user = users.authenticate("canbo", "matkhau-123", at=T0 + datetime.timedelta(minutes=16))
    assert user.failed_logins == 0 and user.locked_until is None


def test_success_resets_the_failure_count(units):
    users.create_user("canbo", "matkhau-123", "OFFICER", units["commune"])
    for _ in range(users.MAX_FAILED_LOGINS - 1):
        with pytest.raises(Forbidden):
            users.authenticate("canbo", "sai", at=T0)
    users.authenticate("canbo", "matkhau-123", at=T0)
    with pytest.raises(Forbidden, match="không đúng"):
        users.authenticate("canbo", "sai", at=T0)
    assert User.get(User.username == "canbo").locked_until is None


def test_set_password_unlocks(units):
    user = users.create_user("canbo", "matkhau-123", "OFFICER", units["commune"])
    user.locked_until = T0 + datetime.timedelta(days=1)
    user.save()
    users.set_password(user, "mat-khau-moi")
    assert users.authenticate("canbo", "mat-khau-moi", at=T0).username == "canbo"


def test_inactive_account_cannot_log_in(units):
    user = users.create_user("xem", "matkhau-123", "VIEWER", units["commune"])
    user.active = False
    user.save()
    with pytest.raises(Forbidden, match="vô hiệu hóa"):
        users.authenticate("xem", "matkhau-123")


def test_visible_units_are_the_unit_and_its_subunits(units):
    officer = users.create_user("canbo", "matkhau-123", "OFFICER", units["commune"])
    admin = users.create_user("qt", "matkhau-123", "ADMIN")
    assert sorted(users.visible_unit_ids(officer)) == sorted(
        [units["commune"].id, units["village"].id])
    assert users.visible_unit_ids(admin) is None
    assert users.visible_unit_ids(None) == []
    top = users.create_user("tinh", "matkhau-123", "VIEWER", units["top"])
    assert users.visible_unit_ids(top) is None  # every unit


# --- the permission table: the one place roles are named ---------------------------------

ROOT = __import__("pathlib").Path(__file__).parents[1]
SOURCES = [p for p in [*ROOT.glob("canbo/**/*.py"), *ROOT.glob("admin_views/*.py"),
                       ROOT / "admin_app.py", *ROOT.glob("templates/**/*.html")]
           if "migrations" not in p.parts]


def test_no_role_list_outside_the_permission_table():
    # Only the enumeration, the table (and the demo accounts the command line prints)
    # name role codes: every check asks for a permission instead.
    import re

    allowed = {ROOT / "canbo/levels.py", ROOT / "canbo/records/users.py",
               ROOT / "canbo/cli/serve.py"}
    found = [f"{p.relative_to(ROOT)}: {m.group(0)}" for p in SOURCES if p not in allowed
             for m in re.finditer(r"""["'](ADMIN|OFFICER|CHAIRMAN|VIEWER)["']""",
                                  p.read_text(encoding="utf-8"))]
    assert found == []


def test_every_permission_asked_for_is_in_the_table():
    import re

    known = set().union(*users.PERMISSIONS.values())
    asked = set()
    for path in SOURCES:
        text = path.read_text(encoding="utf-8")
        asked |= set(re.findall(r"""\bcan\(\s*(?:\w+,\s*)?["']([a-z_.]+)["']""", text))
        asked |= set(re.findall(r"""\brequire\(\s*[\w()\[\]"']+,\s*["']([a-z_.]+)["']""", text))
        asked |= set(re.findall(r"""permission\s*=\s*["']([a-z_.]+)["']""", text))
        # a module constant naming a permission (not a logger's dotted name)
        asked |= set(re.findall(r"""^(?![A-Z_]*LOGGER)[A-Z_]+ = ["']([a-z]+\.[a-z_]+)["']""",
                                text, re.M))
    assert {"print", "import", "lists.shared", "units.edit"} <= asked
    assert asked - known == set()


def test_the_workflow_permissions_keep_the_decree_s_split():
    # The officer prepares (ND 90/2020 Điều 19 steps 1–3), the competent person decides
    # (step 4); the admin keeps the records but does not decide in a cycle.
    def holders(permission):
        return {role for role, held in users.PERMISSIONS.items() if permission in held}

    assert holders("cycle.prepare") == {"ADMIN", "OFFICER"}
    assert holders("cycle.decide") == holders("cycle.exception") == {"CHAIRMAN"}
    assert holders("cycle.record") == {"ADMIN", "OFFICER", "CHAIRMAN"}
    assert holders("tracking.evaluate") == {"ADMIN", "CHAIRMAN"}
    assert holders("lists.shared") == holders("units.edit") == {"ADMIN"}
    assert users.roles_with("cycle.decide") == ["Chủ tịch"]


def test_require_names_the_roles_that_may(units):
    officer = users.create_user("canbo", "matkhau-123", "OFFICER", units["commune"])
    with pytest.raises(Forbidden, match="Vai trò Cán bộ phụ trách tổ chức không được phê "
                                        "duyệt; chỉ: Chủ tịch."):
        users.require(officer, "cycle.decide", "phê duyệt", units["commune"].id)
    with pytest.raises(Forbidden, match="không thuộc đơn vị này"):
        users.require(officer, "cycle.prepare", "mở kỳ đánh giá", units["other"].id)
    users.require(officer, "cycle.prepare", "mở kỳ đánh giá", units["village"].id)
    officer.active = False
    with pytest.raises(Forbidden, match="tài khoản đang hoạt động"):
        users.require(officer, "cycle.prepare", "mở kỳ đánh giá", units["village"].id)


def test_sees_own_record_or_the_units_of_the_scope(units):
    from canbo.models import Staff

    person = Staff.create(unit=units["other"], code="K1", full_name="Lê Văn Khác",
                          kind="CIVIL_SERVANT")
    viewer = users.create_user("xem", "matkhau-123", "VIEWER", units["commune"])
    assert users.sees(viewer, units["village"].id)
    assert not users.sees(viewer, units["other"].id)
    assert not users.sees(viewer, units["commune"].id, permission="tracking.read")
    viewer.staff = person  # their own record, wherever it is kept
    assert users.sees(viewer, units["other"].id, staff_id=person.id)
    assert not users.sees(None, units["commune"].id)


def test_the_command_line_acts_as_an_operator_with_every_unit(units):
    cli = users.operator("cli")
    assert cli.username == "cli" and cli.id is None
    assert users.visible_unit_ids(cli) is None and users.can(cli, "units.edit")
    assert users.needs_unit("OFFICER") and not users.needs_unit("ADMIN")


# --- the hash method ($CANBO_PASSWORD_HASH) --------------------------------------------


def test_passwords_are_hashed_with_scrypt_unless_told_otherwise(units, monkeypatch):
    monkeypatch.delenv(users.PASSWORD_HASH_ENV, raising=False)
    user = users.create_user("canbo", "matkhau-123", "OFFICER", units["commune"])
    assert user.password_hash.startswith("scrypt:")
    assert users.authenticate("canbo", "matkhau-123", at=T0) == user


def test_the_hash_method_is_chosen_by_the_environment(units, monkeypatch):
    monkeypatch.setenv(users.PASSWORD_HASH_ENV, "pbkdf2:sha256:1000")
    user = users.create_user("canbo", "matkhau-123", "OFFICER", units["commune"])
    assert user.password_hash.startswith("pbkdf2:sha256:1000$")
    # A hash names its own method: changing the setting locks no one out.
    monkeypatch.setenv(users.PASSWORD_HASH_ENV, "pbkdf2:sha256:2000")
    assert users.authenticate("canbo", "matkhau-123", at=T0) == user
    users.set_password(user, "mat-khau-moi")
    assert User.get_by_id(user.id).password_hash.startswith("pbkdf2:sha256:2000$")


def test_an_unknown_username_costs_a_hash_of_the_same_method(db, monkeypatch):
    # The answer for a name that does not exist must take as long as for a wrong
    # password, so that timing does not tell which usernames exist.
    checked = []
    real_check = users.check_password_hash
    monkeypatch.setattr(users, "check_password_hash",
                        lambda stored, password: checked.append(stored) or real_check(
                            stored, password))
    monkeypatch.setenv(users.PASSWORD_HASH_ENV, "pbkdf2:sha256:1234")
    with pytest.raises(Forbidden, match="không đúng"):
        users.authenticate("khongco", "matkhau-123", at=T0)
    assert checked and checked[0].startswith("pbkdf2:sha256:1234$")


def test_an_unknown_hash_method_is_refused_with_a_reason(units, monkeypatch):
    monkeypatch.setenv(users.PASSWORD_HASH_ENV, "md5-ish")
    with pytest.raises(InvalidInput, match="CANBO_PASSWORD_HASH"):
        users.create_user("canbo", "matkhau-123", "OFFICER", units["commune"])
