"""The error pages: Vietnamese, in the panel's layout, with a way back; a 403 names the
roles that may do what was refused (admin_views/errors.py)."""
import pytest

from admin_views import home
from panel_helpers import PASSWORD, log_in, panel_app

ENGLISH = ["Forbidden", "Not Found", "Bad Request", "Internal Server Error",
           "You don't have the permission", "The requested URL", "CSRF token"]


def page(response):
    html = response.get_data(as_text=True)
    assert 'id="error-page"' in html, html[:400]
    assert 'class="navbar' in html and "Về trang chủ" in html  # the layout, a way back
    for words in ENGLISH:
        assert words not in html, words
    return html


def test_404_for_a_page_and_for_a_record(login_as):
    client = login_as("OFFICER")
    html = page(client.get("/admin/khong-co-trang-nay/"))
    assert "Không tìm thấy" in html
    response = client.get("/admin/staff/details/?id=999999")
    # Flask-Admin redirects a missing record to the list; a guessed URL of ours is a 404.
    assert response.status_code in (302, 404)
    response = client.get("/admin/khong-co/", headers={"Referer": "http://localhost/admin/staff/"})
    assert response.status_code == 404
    assert 'href="http://localhost/admin/staff/"' in page(response)  # back where they were


def test_anonymous_visitors_get_the_same_pages(client):
    response = client.get("/khong-co")
    assert response.status_code == 404 and "Không tìm thấy" in page(response)
    response = client.get("/admin/login/logout")  # a button's address, opened directly
    assert response.status_code == 405 and "Không làm được theo cách này" in page(response)


def test_404_message_given_to_abort_is_shown(login_as):
    response = login_as("OFFICER").get("/admin/dashboard/?unit=KHONGCO")
    assert response.status_code == 404
    assert "Không có đơn vị mã «KHONGCO»" in page(response)


@pytest.mark.parametrize("url, roles", [
    ("/admin/staff/new/", "Cán bộ phụ trách tổ chức"),  # a model view's edit permission
    ("/admin/user/", "Quản trị hệ thống"),  # a view's permission
])
def test_403_says_which_role_may(login_as, url, roles):
    response = login_as("VIEWER").get(url)
    assert response.status_code == 403
    html = page(response)
    assert "Không có quyền" in html and "Vai trò Người xem không được" in html
    assert roles in html, html[html.find("error-detail"):][:300]


def test_400_on_a_form_without_its_csrf_token(login_as):
    response = login_as("OFFICER").post("/admin/login/logout", data={})
    assert response.status_code == 400
    html = page(response)
    assert "Yêu cầu không hợp lệ" in html and "tải lại trang" in html


def test_413_names_the_limit(demo_db, accounts):
    app = panel_app(demo_db, TESTING=True, MAX_CONTENT_LENGTH=2 * 1024 * 1024)
    client = app.test_client()
    log_in(client, "canbo", PASSWORD)
    response = client.post("/admin/import/", data={"file": "x" * (3 * 1024 * 1024)})
    assert response.status_code == 413
    html = page(response)
    assert "Tệp gửi lên quá lớn" in html and "tối đa cho một lần gửi: 2 MB" in html


def test_500_is_a_vietnamese_page_not_a_traceback(demo_db, accounts, monkeypatch):
    app = panel_app(demo_db, TESTING=True, PROPAGATE_EXCEPTIONS=False)
    client = app.test_client()
    log_in(client, "canbo", PASSWORD)

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(home.dashboard, "status_progress", broken)
    response = client.get("/admin/")
    assert response.status_code == 500
    html = page(response)
    assert "Đã có lỗi ở máy chủ" in html and "boom" not in html and "Traceback" not in html
