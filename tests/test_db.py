import sys
import uuid

import peewee
import pytest
from playhouse.schema_diff import diff_models

from canbo import db as dbm
from canbo.errors import DatabaseUnavailable
from canbo.models import Title, all_models


def test_migrated_schema_matches_the_models(db):
    assert not diff_models(db, all_models())


def test_migrating_twice_applies_nothing(db):
    assert dbm.migrate(db) == []
    assert dbm.pending_migrations(db) == []


def test_titles_and_departments_are_seeded_as_editable_data(db):
    names = [t.name for t in Title.select().order_by(Title.position)]
    assert names[0] == "Bí thư Đảng ủy" and "Tư pháp – hộ tịch" in names
    Title.create(name="Phó Chỉ huy trưởng Quân sự", kind="CIVIL_SERVANT")
    assert Title.select().count() == len(names) + 1


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(tmp_path):
    db = dbm.connect(f"sqlite:///{tmp_path / 'x.db'}")
    assert db.pragma("journal_mode") == "wal"
    assert db.pragma("busy_timeout") == 10_000
    assert db.pragma("foreign_keys") == 1
    db.close()


def test_the_url_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv("CANBO_DATABASE_URL", "sqlite:////tmp/elsewhere.db")
    assert dbm.database_url() == "sqlite:////tmp/elsewhere.db"
    assert dbm.database_url("sqlite:///given.db") == "sqlite:///given.db"
    monkeypatch.delenv("CANBO_DATABASE_URL")
    assert dbm.database_url() == "sqlite:///instance/canbo.db"


def test_an_unreachable_server_is_a_vietnamese_error_without_the_password():
    with pytest.raises(DatabaseUnavailable) as err:
        dbm.connect("postgresql://u:secret@127.0.0.1:1/none")
    assert "Không kết nối được" in err.value.message and "secret" not in err.value.message


@pytest.mark.parametrize("url", ["postgresql://u:secret@127.0.0.1:1/none",
                                 "postgres+pool://u:secret@127.0.0.1:1/none"])
def test_postgresql_without_its_driver_says_which_extra_to_install(monkeypatch, url):
    # None in sys.modules is how Python marks a module as not importable.
    monkeypatch.setitem(sys.modules, "psycopg2", None)
    monkeypatch.setitem(sys.modules, "psycopg", None)
    with pytest.raises(DatabaseUnavailable) as err:
        dbm.connect(url)
    assert "pip install 'canbo[postgres]'" in err.value.message
    assert "secret" not in err.value.message


def test_staff_code_is_unique_within_its_unit_only(db):
    from canbo.models import Staff, Unit

    a = Unit.create(code="A", name="A", place_name="A")
    b = Unit.create(code="B", name="B", place_name="B")
    Staff(unit=a, code="01", full_name="Lê Văn Tám", kind="CADRE").save()
    Staff(unit=b, code="01", full_name="Lê Văn Tám", kind="CADRE").save()
    with pytest.raises(peewee.IntegrityError), db.atomic():
        Staff(unit=a, code="01", full_name="Trần Thị Hai", kind="CADRE").save()


@pytest.mark.parametrize("engine", ["sqlite", "postgres"])
def test_disciplines_keep_their_meaning_when_the_cause_replaces_the_public_service_flag(
        engine, tmp_path, request):
    """Migration 0008: a public-service discipline stays one (and so still gives KHTNV
    under ND 335 Điều 11.3.a); the others become 'Vi phạm khác'."""
    from playhouse.migrations import Runner

    if engine == "sqlite":
        db = dbm.connect(f"sqlite:///{tmp_path / 'old.db'}")
    else:  # a database of its own: the session's is kept migrated for the other tests
        server = request.getfixturevalue("postgres")
        name = f"canbo_mig_{uuid.uuid4().hex[:10]}"
        server.admin.execute_sql(f"CREATE DATABASE {name}")
        request.addfinalizer(lambda: server.admin.execute_sql(
            f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        db = dbm.connect(server.url.rsplit("/", 1)[0] + "/" + name)
    runner = Runner(db, str(dbm.MIGRATIONS))
    runner.up("0007_rating_points_six_places")
    from canbo.models import Staff, Unit

    unit = Unit.create(code="U", name="UBND xã U", place_name="U")  # as the models have them
    names = Staff.derived("Lê Văn A")
    db.execute_sql(  # only the columns of 0001
        "INSERT INTO staff (unit_id, code, kind, full_name, search_name, sort_name, ethnicity, "
        f"leader_role, party_member) VALUES ({', '.join([db.param] * 9)})",
        (unit.id, "S1", "CIVIL_SERVANT", names["full_name"], names["search_name"],
         names["sort_name"], "Kinh", "NONE", False))
    for public in (True, False):
        db.execute_sql(
            "INSERT INTO discipline (staff_id, system, kind, public_service, decided_on, "
            "violation_year) SELECT id, 'PARTY', 'REPRIMAND', %s, '2026-03-01', 2026 "
            "FROM staff" % ("TRUE" if public else "FALSE"))
    dbm.migrate(db)
    causes = [row[0] for row in db.execute_sql("SELECT cause FROM discipline ORDER BY id")]
    assert causes == ["PUBLIC_SERVICE", "OTHER"]
    assert not diff_models(db, all_models())
    db.close()


def test_among_finds_what_in_finds_with_one_parameter_on_postgres(demo_db, backend):
    from playhouse.test_utils import count_queries

    from canbo.models import Staff

    everyone = [s.id for s in Staff.select(Staff.id).order_by(Staff.id)]
    some = everyone[::3]

    def ids(where):
        return [s.id for s in Staff.select(Staff.id).where(where).order_by(Staff.id)]

    with count_queries() as q:
        assert ids(dbm.among(Staff.id, some)) == some
    sql, params = q.get_queries()[0].msg
    assert len(params) == (1 if backend == "postgres" else len(some))
    assert ids(dbm.among(Staff.id, set(some))) == some  # any iterable
    assert ids(~dbm.among(Staff.id, some)) == [i for i in everyone if i not in some]
    assert ids(dbm.among(Staff.id, [])) == []
    assert ids(~dbm.among(Staff.id, [])) == everyone
