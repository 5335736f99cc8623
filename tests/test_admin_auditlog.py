"""The audit log's page shows every entry, whatever the shape of its changes."""
from canbo.records import audit


def test_entries_of_facts_and_of_changes_are_both_shown(login_as):
    audit.record("canbo", "absence.add", table_name="absence",
                 changes={"staff": 12, "from": "2026-04-15", "to": "2026-04-20"})
    audit.record("canbo", "update", table_name="staff",
                 changes={"full_name": ["Lê Văn A", "Lê Văn Á"]})
    audit.record("canbo", "note", table_name="staff", changes=["không phải bảng"])
    response = login_as("ADMIN").get("/admin/auditlog/")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<b>from</b>: 2026-04-15</li>" in html and "<b>staff</b>: 12</li>" in html
    assert "<b>full_name</b>: Lê Văn A → Lê Văn Á</li>" in html
