import datetime
import json
import shutil

import pytest
from click.testing import CliRunner

from canbo import db as dbm
from canbo.cli import cli
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


# --- a restore that cannot destroy data (issue 16) -----------------------------------------


def _damaged_copy(source, target):
    """A copy of the SQLite file ``source`` whose header is intact and whose pages 7 to 9
    are overwritten: it opens, and its staff table still reads, but it is damaged."""
    shutil.copyfile(source, target)
    with open(target, "r+b") as fh:
        fh.seek(4096 * 6)
        fh.write(bytes(range(256)) * 48)
    return target


def _rewrite(path, change, reseal=False):
    """Rewrite the JSON backup at ``path`` after ``change(payload)``; ``reseal``: with its
    checksum made to match, so that only the change itself can give it away."""
    payload = json.loads(path.read_text(encoding="utf-8"))
    change(payload)
    if reseal:
        payload["checksum"] = backup.checksum(payload["migrations"], payload["tables"])
    path.write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")


def _kept_copies(db, tmp_path):
    return sorted(p.name for p in tmp_path.rglob("*truoc-khoi-phuc*"))


def test_a_sqlite_backup_with_damaged_pages_is_refused(demo_db, tmp_path, sqlite_template,
                                                       run):
    bad = _damaged_copy(sqlite_template("demo"), tmp_path / "damaged.db")
    _change_everything()
    before = backup.dump(demo_db)
    with pytest.raises(InvalidInput, match="bị hỏng"):
        backup.restore(demo_db, bad)
    assert backup.dump(demo_db) == before
    # on the command line: one Vietnamese line, exit 2, no traceback, nothing changed
    result = CliRunner().invoke(cli, ["--db", demo_db.url, "restore", "--yes", str(bad)])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Lỗi: Không khôi phục từ «{bad}»: tệp SQLite bị hỏng")
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.output
    assert backup.dump(demo_db) == before
    assert _kept_copies(demo_db, tmp_path) == []


def _without_staff(payload):
    """What a truncated dump looks like: no staff table (nor its children), the counts
    and the checksum made to match, so only the missing tables give it away."""
    for table in ("staff", "rating", "qualification", "user"):
        del payload["tables"][table]
        del payload["counts"][table]


def test_a_json_backup_missing_tables_is_refused_and_nothing_is_deleted(demo_db, tmp_path):
    path = tmp_path / "partial.json"
    backup.backup(demo_db, path)
    _rewrite(path, _without_staff, reseal=True)
    before = backup.dump(demo_db)
    with pytest.raises(InvalidInput, match="thiếu bảng qualification, rating, staff, user"):
        backup.restore(demo_db, path)
    assert backup.dump(demo_db) == before
    assert Staff.select().count() == 21 and Rating.select().count() > 0


def test_a_json_backup_with_a_wrong_checksum_is_refused(demo_db, tmp_path):
    path = tmp_path / "edited.json"
    backup.backup(demo_db, path)

    def rename_someone(payload):
        staff = payload["tables"]["staff"]
        staff["rows"][0][staff["columns"].index("full_name")] = "Người Bị Sửa"

    _rewrite(path, rename_someone)
    _change_everything()
    before = backup.dump(demo_db)
    with pytest.raises(InvalidInput, match="tổng kiểm tra .checksum. không khớp"):
        backup.restore(demo_db, path)
    assert backup.dump(demo_db) == before


def test_a_json_backup_whose_row_count_differs_is_refused(demo_db, tmp_path):
    path = tmp_path / "short.json"
    backup.backup(demo_db, path)

    def drop_a_rating(payload):
        payload["tables"]["rating"]["rows"].pop()

    _rewrite(path, drop_a_rating, reseal=True)
    before = backup.dump(demo_db)
    with pytest.raises(InvalidInput, match="bảng rating có .* dòng, tệp ghi"):
        backup.restore(demo_db, path)
    assert backup.dump(demo_db) == before


def test_a_backup_of_a_newer_canbo_is_refused(demo_db, tmp_path):
    path = tmp_path / "newer.json"
    backup.backup(demo_db, path)

    def newer(payload):
        payload["migrations"].append("0099_from_the_future")

    _rewrite(path, newer, reseal=True)
    with pytest.raises(InvalidInput, match="phiên bản canbo mới hơn"):
        backup.restore(demo_db, path)


@pytest.mark.parametrize("suffix", [".db", ".json"])
def test_a_good_restore_keeps_the_database_as_it_was(demo_db, tmp_path, suffix):
    path = tmp_path / "backups" / f"good{suffix}"
    path.parent.mkdir()
    backup.backup(demo_db, path)
    restored = backup.dump(demo_db)
    _change_everything()
    changed = backup.dump(demo_db)
    done = backup.restore(demo_db, path, now=datetime.datetime(2026, 12, 2, 9, 30, 5))
    assert backup.dump(demo_db) == restored
    assert done.kept is not None and done.kept.name.endswith(
        ("-truoc-khoi-phuc-20261202-093005.db", "-truoc-khoi-phuc-20261202-093005.json"))
    if dbm.is_postgres(demo_db):
        assert done.kept.parent == path.parent and done.kept.suffix == ".json"
    else:  # the SQLite file beside the database
        assert done.kept == tmp_path / "canbo-truoc-khoi-phuc-20261202-093005.db"
    # the copy holds the data as it was before the restore, and is itself a good backup
    if dbm.is_postgres(demo_db):
        kept = json.loads(done.kept.read_text(encoding="utf-8"))["tables"]
        assert kept == json.loads(json.dumps(changed))
    else:
        other = dbm.connect(f"sqlite:///{tmp_path / 'check.db'}")
        backup.restore(other, done.kept)
        assert backup.dump(other) == changed
        other.close()
    assert backup.restore(demo_db, done.kept).kept is not None
    assert Rating.select().count() == 0  # the changed data, back again


@pytest.mark.parametrize("suffix", [".db", ".json"])
def test_a_backup_killed_half_way_leaves_no_file_under_the_target_name(
        demo_db, tmp_path, monkeypatch, suffix):
    folder = tmp_path / "backups"
    folder.mkdir()
    target = folder / f"tonight{suffix}"

    def copy_part(source, destination):
        source.backup(destination, pages=5, progress=lambda *a: (_ for _ in ()).throw(
            OSError(28, "No space left on device")))

    real_encode = backup._encode

    def encode_part(payload):
        for number, piece in enumerate(real_encode(payload)):
            if number == 1000:
                raise OSError(28, "No space left on device")
            yield piece

    monkeypatch.setattr(backup, "_copy_sqlite", copy_part)
    monkeypatch.setattr(backup, "_encode", encode_part)
    with pytest.raises(OSError):
        backup.backup(demo_db, target)
    assert list(folder.iterdir()) == []
    # an older backup under that name stays whole
    monkeypatch.undo()
    backup.backup(demo_db, target)
    good = target.read_bytes()
    monkeypatch.setattr(backup, "_copy_sqlite", copy_part)
    monkeypatch.setattr(backup, "_encode", encode_part)
    Staff.update(full_name="Đổi Sau").execute()
    with pytest.raises(OSError):
        backup.backup(demo_db, target)
    assert list(folder.iterdir()) == [target] and target.read_bytes() == good
