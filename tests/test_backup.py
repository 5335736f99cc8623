import datetime

import pytest

from canbo import db as dbm
from canbo.errors import InvalidInput
from canbo.models import Rating, Staff
from canbo.records import backup, units
from canbo.stats import reports


def _change_everything():
    Staff.update(full_name="Xóa Tên").execute()
    Rating.delete().execute()


@pytest.mark.parametrize("suffix", [".db", ".json"])
def test_round_trip_restores_every_row(demo_db, tmp_path, suffix):
    db = demo_db
    Staff.update(left_on=datetime.date(2024, 1, 2), left_reason="Chuyển công tác").where(
        Staff.code == "KT01").execute()
    before = backup.dump(db)
    path = tmp_path / f"copy{suffix}"
    kind = backup.backup(db, path)
    assert kind == ("sqlite" if suffix == ".db" and not dbm.is_postgres(db) else "json")
    _change_everything()
    assert backup.dump(db) != before
    backup.restore(db, path)
    assert backup.dump(db) == before
    # new ids continue after the restored rows (PostgreSQL sequences are reset)
    highest = max(s.id for s in Staff.select())
    newcomer = Staff(unit=Staff.get().unit, code="NEW", full_name="Mới Vào", kind="CADRE")
    newcomer.save()
    assert newcomer.id > highest


def test_json_backup_moves_data_between_engines(demo_db, tmp_path):
    path = tmp_path / "portable.json"
    backup.backup(demo_db, path)
    before = backup.dump(demo_db)
    other = dbm.connect(f"sqlite:///{tmp_path / 'other.db'}")
    backup.restore(other, path)
    after = backup.dump(other)
    assert {t: len(v["rows"]) for t, v in after.items()} == {t: len(v["rows"]) for t, v in before.items()}
    names = [(s.code, s.full_name, s.birth_date, s.party_member, s.left_on) for s in
             Staff.select().order_by(Staff.code)]
    assert names[5] == ("KT06", "Đỗ Thị Ánh", datetime.date(1984, 1, 5), True, None)
    assert reports.ratings_sentence(reports.ratings_report(units.find_unit(), 2022)).startswith(
        "Năm 2022: 20 đồng chí. 14 đồng chí")


def test_a_file_that_is_not_a_backup_changes_nothing(demo_db, tmp_path):
    junk = tmp_path / "junk.json"
    junk.write_text("{not json", encoding="utf-8")
    before = backup.dump(demo_db)
    with pytest.raises(InvalidInput, match="không phải bản sao lưu"):
        backup.restore(demo_db, junk)
    assert backup.dump(demo_db) == before
