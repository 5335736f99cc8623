"""The cycle page's "Lấy điểm theo dõi hằng tháng" button (2026 cycles, the officer's)."""
import pytest

from canbo.models import AuditLog

YEAR = 2026
PAGE = f"/admin/workflow/?unit=KIMTAN&year={YEAR}"
ACTION = "/admin/workflow/action"
BUTTON = "Lấy điểm theo dõi hằng tháng"


def post(client, csrf, **data):
    return client.post(ACTION, data={"csrf_token": csrf(client, PAGE), "unit": "KIMTAN",
                                     "year": YEAR, **data}, follow_redirects=True)


@pytest.fixture
def opened(login_as, csrf):
    officer = login_as("OFFICER")
    html = post(officer, csrf, action="open").get_data(as_text=True)
    assert f"Đã mở kỳ đánh giá năm {YEAR}" in html
    return officer


def test_the_officer_pulls_the_points_and_an_audit_entry_is_written(opened, csrf):
    assert BUTTON in opened.get(PAGE).get_data(as_text=True)
    before = AuditLog.select().where(AuditLog.action == "cycle.pull_points").count()
    html = post(opened, csrf, action="pull_points").get_data(as_text=True)
    assert "Đã lấy điểm theo dõi hằng tháng: cập nhật" in html
    assert AuditLog.select().where(AuditLog.action == "cycle.pull_points").count() == before + 1


def test_a_viewer_gets_403_and_no_button(opened, login_as, csrf):
    viewer = login_as("VIEWER")
    assert BUTTON not in viewer.get(PAGE).get_data(as_text=True)
    response = viewer.post(ACTION, data={"csrf_token": csrf(viewer, PAGE), "unit": "KIMTAN",
                                         "year": YEAR, "action": "pull_points"})
    assert response.status_code == 403


def test_a_post_without_csrf_is_refused(opened):
    before = AuditLog.select().where(AuditLog.action == "cycle.pull_points").count()
    response = opened.post(ACTION, data={"unit": "KIMTAN", "year": YEAR,
                                         "action": "pull_points"})
    assert response.status_code == 400
    assert AuditLog.select().where(AuditLog.action == "cycle.pull_points").count() == before


def test_no_button_before_2026(login_as, csrf):
    officer, page = login_as("OFFICER"), "/admin/workflow/?unit=KIMTAN&year=2024"
    html = officer.post(ACTION, data={"csrf_token": csrf(officer, page), "unit": "KIMTAN",
                                      "year": 2024, "action": "open"},
                        follow_redirects=True).get_data(as_text=True)
    assert "Đã mở kỳ đánh giá năm 2024" in html and BUTTON not in html
