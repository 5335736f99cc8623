"""Lost updates (issue 16): two people editing the same staff record or rating from
copies read at the same time — the second save is refused, naming what changed."""
import re

import pytest

from canbo.errors import StaleRecord
from canbo.models import Rating, Staff
from canbo.records import audit


def test_the_second_of_two_staff_saves_is_refused_and_the_first_kept(demo_db):
    first = Staff.get(Staff.code == "KT06")
    second = Staff.get(Staff.code == "KT06")
    read_at = first.version
    first.full_name = "Đỗ Thị Ánh Hồng"
    first.save()
    assert first.version == read_at + 1
    second.ethnicity = "Tày"
    with pytest.raises(StaleRecord) as refused:
        second.save()
    message = refused.value.message
    assert "trong lúc bạn sửa, người khác đã sửa hồ sơ của Đỗ Thị Ánh Hồng" in message
    assert "Họ và tên nay là «Đỗ Thị Ánh Hồng»" in message and "Dân tộc" not in message
    assert refused.value.data["changes"] == {"Họ và tên": "Đỗ Thị Ánh Hồng"}
    stored = Staff.get(Staff.code == "KT06")
    assert (stored.full_name, stored.ethnicity) == ("Đỗ Thị Ánh Hồng", "Kinh")
    assert stored.version == read_at + 1
    # read again, the same change goes through
    again = Staff.get(Staff.code == "KT06")
    again.ethnicity = "Tày"
    again.save()
    assert Staff.get(Staff.code == "KT06").version == read_at + 2


def test_every_save_raises_the_version_and_a_copy_saved_twice_stays_current(demo_db):
    person = Staff.get(Staff.code == "KT01")
    read_at = person.version
    for step in (1, 2, 3):
        person.save()
        assert person.version == read_at + step == Staff.get_by_id(person.id).version


def test_the_second_of_two_rating_saves_is_refused_naming_who_and_the_value(demo_db):
    first = Rating.select().where(Rating.year == 2022).order_by(Rating.id).first()
    second = Rating.get_by_id(first.id)
    before = audit.snapshot(first)
    first.note = "Đã xác minh hồ sơ"
    first.save()
    audit.record("truongphong", "update", first, changes=audit.diff(before, audit.snapshot(first)))
    second.note = "Ghi chú khác"
    with pytest.raises(StaleRecord) as refused:
        second.save()
    message = refused.value.message
    assert f"tài khoản «truongphong» đã sửa bản xếp loại năm 2022 của {first.staff.full_name}" in message
    assert "Ghi chú nay là «Đã xác minh hồ sơ»" in message
    assert Rating.get_by_id(first.id).note == "Đã xác minh hồ sơ"


# --- on the panel: two officers, two forms opened at the same time --------------------------


def opened_form(client, url):
    """The edit form as the browser got it: the CSRF token and the hidden version."""
    html = client.get(url).get_data(as_text=True)
    version = re.search(r'<input[^>]*name="record_version"[^>]*value="(\d+)"', html)
    token = re.search(r'<input[^>]*name="csrf_token"[^>]*value="([^"]+)"', html)
    assert version and token, "no record_version or csrf_token on the edit form"
    return {"record_version": version.group(1), "csrf_token": token.group(1)}


def staff_form(person, **changes):
    return {"code": person.code, "full_name": person.full_name, "kind": person.kind,
            "unit": str(person.unit_id), "ethnicity": person.ethnicity,
            "leader_role": person.leader_role, "gender": person.gender or "",
            **changes}


def test_the_second_officer_saving_a_staff_record_is_told_what_changed(login_as):
    person = Staff.get(Staff.code == "KT06")
    url = f"/admin/staff/edit/?id={person.id}"
    officer, admin = login_as("OFFICER"), login_as("ADMIN")
    first, second = opened_form(officer, url), opened_form(admin, url)
    saved = officer.post(url, data={**first, **staff_form(person, full_name="Đỗ Thị Ánh Hồng")})
    assert saved.status_code == 302
    page = admin.post(url, data={**second, **staff_form(person, ethnicity="Tày")})
    text = page.get_data(as_text=True)
    assert page.status_code == 200  # the form again, not a redirect
    assert "trong lúc bạn sửa, tài khoản «canbo» đã sửa hồ sơ của Đỗ Thị Ánh Hồng" in text
    assert "Họ và tên nay là «Đỗ Thị Ánh Hồng»" in text
    assert re.search(r'<input[^>]*name="ethnicity"[^>]*value="Tày"', text)  # the form kept
    stored = Staff.get_by_id(person.id)
    assert (stored.full_name, stored.ethnicity) == ("Đỗ Thị Ánh Hồng", "Kinh")
    # having read the message, saving the kept form again is a knowing overwrite
    now = re.search(r'<input[^>]*name="record_version"[^>]*value="(\d+)"', text).group(1)
    assert int(now) == stored.version
    again = admin.post(url, data={**second, "record_version": now,
                                  **staff_form(person, full_name="Đỗ Thị Ánh Hồng",
                                               ethnicity="Tày")})
    assert again.status_code == 302 and Staff.get_by_id(person.id).ethnicity == "Tày"


def test_the_second_officer_saving_a_rating_is_refused_and_the_first_value_kept(login_as):
    rating = Rating.select().join(Staff).where(Staff.code == "KT06", Rating.year == 2022).get()
    rating.status = "OPEN"
    rating.save()
    url = f"/admin/rating/edit/?id={rating.id}"
    officer, admin = login_as("OFFICER"), login_as("ADMIN")
    first, second = opened_form(officer, url), opened_form(admin, url)
    common = {"status": "OPEN", "level": rating.level or "", "self_level": ""}
    assert officer.post(url, data={**first, **common, "note": "Đã họp chi bộ"}).status_code == 302
    page = admin.post(url, data={**second, **common, "note": "Chờ bổ sung hồ sơ"})
    text = page.get_data(as_text=True)
    assert "tài khoản «canbo» đã sửa bản xếp loại năm 2022 của Đỗ Thị Ánh" in text
    assert "Ghi chú nay là «Đã họp chi bộ»" in text and "Chờ bổ sung hồ sơ" in text
    assert Rating.get_by_id(rating.id).note == "Đã họp chi bộ"
