"""The staff list: accent-insensitive search, Vietnamese name order, filters, archiving,
inline qualifications, export, and a query count that does not grow with the page size."""
import datetime
import json
import re
from html import unescape

import pytest
from playhouse.test_utils import count_queries

from canbo.models import AuditLog, Staff, Unit
from canbo.vietnamese import sort_key


def names_on(response):
    """The person names of a staff list page, in order."""
    html = response.get_data(as_text=True)
    return re.findall(r'<td class="col-full_name">\s*(.*?)\s*</td>', html, re.S)


@pytest.mark.parametrize("query", ["anh", "ÁNH", "Ánh", "do thi", "Đỗ Thị", "DO THI ANH"])
def test_search_ignores_case_and_diacritics(login_as, query):
    names = names_on(login_as("OFFICER").get("/admin/staff/", query_string={"search": query}))
    assert "Đỗ Thị Ánh" in names


@pytest.mark.parametrize("query, absent", [
    ("anh", "Nguyễn Văn Hùng"), ("ơn", "Hà Thị Êm"), ("thang", "Nguyễn Văn Hùng"),
])
def test_search_leaves_out_the_others(login_as, query, absent):
    names = names_on(login_as("OFFICER").get("/admin/staff/", query_string={"search": query}))
    assert names and absent not in names


def test_search_matches_word_starts_not_any_substring(login_as):
    client = login_as("OFFICER")
    assert names_on(client.get("/admin/staff/?search=thang")) == ["Trần Đức Thắng"]
    assert names_on(client.get("/admin/staff/?search=hang")) == []


@pytest.mark.parametrize("query", ["%", "_", "t_ang", "\\", "%anh"])
def test_search_takes_wildcards_as_themselves(login_as, query):
    """"%" and "_" typed in the box are letters to find, not LIKE's wildcards: no name
    holds them, so nobody is listed (unescaped, "%" would list everyone)."""
    names = names_on(login_as("OFFICER").get("/admin/staff/", query_string={"search": query}))
    assert names == []


def test_list_sorts_by_given_name_the_vietnamese_way(login_as):
    names = names_on(login_as("OFFICER").get("/admin/staff/?page_size=50"))
    assert len(names) == 21  # the demo's 20 and KT22, transferred in on 01/07/2026
    assert names == sorted(names, key=sort_key)
    # Ân (â) after Ánh (a), and Đức (đ) after Dũng (d): the Vietnamese alphabet, not ASCII.
    assert names.index("Đỗ Thị Ánh") < names.index("Mạc Thị Ân")
    assert names.index("Lương Văn Dũng") < names.index("Trịnh Văn Đức")


def test_in_post_filter_leaves_out_those_who_left(login_as):
    client = login_as("OFFICER")
    in_post = names_on(client.get("/admin/staff/?flt0_7=1"))
    left = names_on(client.get("/admin/staff/?flt0_7=0"))
    assert len(in_post) == 19 and sorted(left) == ["Vũ Văn Long", "Đinh Văn Ước"]


def test_education_filter_uses_the_highest_level(login_as):
    names = names_on(login_as("OFFICER").get("/admin/staff/?flt0_4=TC"))
    assert sorted(names) == sorted(["Mạc Thị Ân", "Cao Thị Yến"])  # KT18 has a later Đại học


def test_archiving_keeps_the_person_and_logs_why(login_as, csrf):
    client = login_as("OFFICER")
    person = Staff.get(Staff.code == "KT20")
    response = client.post(f"/admin/staff/archive/?id={person.id}", data={
        "csrf_token": csrf(client), "left_on": "2024-03-31", "left_reason": "Nghỉ hưu"})
    assert response.status_code == 302
    person = Staff.get_by_id(person.id)
    assert (str(person.left_on), person.left_reason) == ("2024-03-31", "Nghỉ hưu")
    entry = AuditLog.get(AuditLog.action == "archive")
    assert entry.row_id == person.id and entry.reason == "Nghỉ hưu"


NEW = {"code": "KT97", "full_name": "Lê Văn Mười", "kind": "CIVIL_SERVANT",
       "leader_role": "NONE", "ethnicity": "Kinh", "birth_date": "1990-05-01",
       "joined_on": "2015-03-01"}


@pytest.mark.parametrize("changes, words", [
    ({"left_on": "2014-12-31", "left_reason": "Chuyển công tác"},
     "phải sau ngày vào làm (01/03/2015)"),
    ({"left_on": "2015-03-01", "left_reason": "Chuyển công tác"},  # no day in post
     "phải sau ngày vào làm (01/03/2015)"),
    ({"joined_on": "1989-01-01"}, "phải sau ngày sinh (01/05/1990)"),
    ({"birth_date": "1899-12-31", "joined_on": ""}, "từ năm 1900"),
    ({"left_on": "2024-03-31"}, "Hãy ghi lý do nghỉ / chuyển công tác cùng với ngày"),
])
def test_impossible_dates_are_refused_as_the_importer_refuses_them(login_as, csrf, changes,
                                                                    words):
    client = login_as("OFFICER")
    unit = Unit.get(Unit.code == "KIMTAN")
    response = client.post("/admin/staff/new/", data={
        "csrf_token": csrf(client), "unit": unit.id, **NEW, **changes}, follow_redirects=True)
    assert words in response.get_data(as_text=True)
    assert not Staff.select().where(Staff.code == "KT97").exists()


def test_archiving_before_joining_is_refused(login_as, csrf):
    client = login_as("OFFICER")
    person = Staff.get(Staff.code == "KT20")
    joined = person.joined_on or datetime.date(2000, 1, 1)
    Staff.update(joined_on=joined).where(Staff.id == person.id).execute()
    response = client.post(f"/admin/staff/archive/?id={person.id}", data={
        "csrf_token": csrf(client), "left_on": (joined - datetime.timedelta(days=1)).isoformat(),
        "left_reason": "Nghỉ hưu"})
    assert "phải sau ngày vào làm" in response.get_data(as_text=True)
    assert Staff.get_by_id(person.id).left_on is None


def test_new_person_with_a_qualification(login_as, csrf):
    client = login_as("OFFICER")
    unit = Unit.get(Unit.code == "KIMTAN")
    response = client.post("/admin/staff/new/", data={
        "csrf_token": csrf(client), "code": "KT99", "full_name": "  Lê   Thị Ước ",
        "kind": "CIVIL_SERVANT", "unit": unit.id, "leader_role": "NONE", "ethnicity": "Kinh",
        "gender": "F", "birth_date": "1995-02-03",
        "qualifications-0-kind": "EDUCATION", "qualifications-0-level": "DH",
        "qualifications-0-awarded_on": "2017-06-30",
    })
    assert response.status_code == 302, response.get_data(as_text=True)
    person = Staff.get(Staff.code == "KT99")
    assert (person.full_name, person.search_name) == ("Lê Thị Ước", "le thi uoc")
    assert [(q.kind, q.level) for q in person.qualifications] == [("EDUCATION", "DH")]
    assert AuditLog.get(AuditLog.table_name == "staff", AuditLog.row_id == person.id).action == "create"


def test_qualification_level_must_belong_to_its_kind(login_as, csrf):
    client = login_as("OFFICER")
    unit = Unit.get(Unit.code == "KIMTAN")
    response = client.post("/admin/staff/new/", data={
        "csrf_token": csrf(client), "code": "KT98", "full_name": "Lê Văn Tám",
        "kind": "CIVIL_SERVANT", "unit": unit.id, "leader_role": "NONE", "ethnicity": "Kinh",
        "qualifications-0-kind": "STATE_MANAGEMENT", "qualifications-0-level": "DH",
    })
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Trình độ «Đại học» không thuộc Quản lý nhà nước" in html and "«DH»" not in html
    assert not Staff.select().where(Staff.code == "KT98").exists()


def test_csv_export_has_vietnamese_headers_and_dates(login_as):
    text = login_as("OFFICER").get("/admin/staff/export/csv/?search=do+thi+anh").get_data(as_text=True)
    header, row = text.splitlines()[:2]
    assert header.startswith("Mã,Họ và tên,Ngày sinh,Giới tính")
    assert row.startswith("KT06,Đỗ Thị Ánh,05/01/1984,Nữ,Kinh,Cán bộ")


def test_list_page_query_count_does_not_grow_with_page_size(login_as, demo_db):
    unit = Unit.get(Unit.code == "KIMTAN")
    rows = [dict(unit=unit.id, code=f"P{i:03d}", kind="CIVIL_SERVANT",
                 **Staff.derived(f"Nguyễn Văn Người {i}")) for i in range(120)]
    Staff.insert_many(rows).execute()
    client = login_as("OFFICER")
    counts = {}
    for size in (20, 100):
        with count_queries() as counter:
            response = client.get(f"/admin/staff/?page_size={size}")
        assert len(names_on(response)) == size
        counts[size] = counter.count
    assert counts[20] == counts[100]


def test_adding_a_qualification_on_edit_is_in_the_audit_entry(login_as, csrf):
    client = login_as("OFFICER")
    person = Staff.get(Staff.code == "KT06")
    held = person.qualifications.count()
    response = client.post(f"/admin/staff/edit/?id={person.id}", data={
        "csrf_token": csrf(client), "code": "KT06", "full_name": person.full_name,
        "kind": person.kind, "unit": person.unit_id, "leader_role": person.leader_role,
        "ethnicity": "Kinh", "audit_reason": "Bằng mới",
        "qualifications-0-kind": "STATE_MANAGEMENT", "qualifications-0-level": "CVC",
        "qualifications-0-awarded_on": "2024-05-20",
    })
    assert response.status_code == 302
    assert person.qualifications.count() == held + 1
    entry = AuditLog.select().where(AuditLog.row_id == person.id,
                                    AuditLog.table_name == "staff").order_by(AuditLog.id.desc()).get()
    assert "STATE_MANAGEMENT:CVC:2024-05-20" in entry.changes and entry.reason == "Bằng mới"


def test_the_personal_id_is_kept_when_12_digits_and_refused_otherwise(login_as, csrf):
    """ND 335/2025 Điều 26.1.d: the national database keys a person by the 12-digit
    personal identification number; anything else is refused with a message and
    changes nothing."""
    officer = login_as("OFFICER")
    person = Staff.get(Staff.code == "KT06")
    url = f"/admin/staff/edit/?id={person.id}"
    html = officer.get(url).get_data(as_text=True)
    assert "Số định danh cá nhân" in html and "Vị trí việc làm" in html
    form = {"code": person.code, "full_name": person.full_name, "kind": person.kind,
            "unit": str(person.unit_id), "ethnicity": "Kinh", "leader_role": "NONE",
            "audit_reason": "Bổ sung số định danh",
            "csrf_token": csrf(officer, url)}
    for bad in ("12345", "03720100123A", "0372010012345"):
        page = officer.post(url, data={**form, "personal_id": bad}, follow_redirects=True)
        text = page.get_data(as_text=True)
        # the domain's message, or the form's own length check for 13 digits
        assert "phải gồm đúng 12 chữ số" in text or "12 ký tự" in text, bad
        assert Staff.get_by_id(person.id).personal_id is None
    officer.post(url, data={**form, "personal_id": "037201001234", "rank_code": "01.003",
                            "job_position": "Công chức Văn phòng – thống kê"})
    saved = Staff.get_by_id(person.id)
    assert (saved.personal_id, saved.rank_code) == ("037201001234", "01.003")


def test_a_qualification_error_names_the_level_and_an_unknown_kind_is_a_message(login_as,
                                                                                csrf):
    client = login_as("OFFICER")
    unit = Unit.get(Unit.code == "KIMTAN")
    form = {"csrf_token": csrf(client), "code": "KT97", "full_name": "Lê Văn Bảy",
            "kind": "CIVIL_SERVANT", "unit": unit.id, "leader_role": "NONE",
            "ethnicity": "Kinh"}
    html = client.post("/admin/staff/new/", data={
        **form, "qualifications-0-kind": "POLITICAL_THEORY",
        "qualifications-0-level": "TS"}).get_data(as_text=True)
    assert "Trình độ «Tiến sĩ» không thuộc Lý luận chính trị" in html and "«TS»" not in html
    response = client.post("/admin/staff/new/", data={
        **form, "qualifications-0-kind": "", "qualifications-0-level": "TS"})
    assert response.status_code == 200  # the kind box's own error, not a 500
    assert not Staff.select().where(Staff.code == "KT97").exists()


def test_the_level_box_knows_each_kinds_levels(login_as):
    person = Staff.get(Staff.code == "KT06")
    html = login_as("OFFICER").get(f"/admin/staff/edit/?id={person.id}").get_data(as_text=True)
    assert "/admin/canbo-static/canbo-levels.js" in html
    raw = re.search(r'data-levels-by-kind="([^"]+)"', html).group(1)
    by_kind = json.loads(unescape(raw))
    assert [code for code, _ in by_kind["STATE_MANAGEMENT"]] == ["CVCC", "CVC", "CV", "CS",
                                                                  "NONE"]
    assert ["TS", "Tiến sĩ"] in by_kind["EDUCATION"]
    assert "TS" not in {code for code, _ in by_kind["POLITICAL_THEORY"]}
