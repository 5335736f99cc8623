"""The panel's error pages: 400, 403, 404, 405, 413, 429 and 500 in Vietnamese, in its
layout.

Every page says what happened, what the person can do about it, and links back (to the
page they came from when it is one of the panel's, and to the home page).  A message
given to ``abort`` (``abort(403, exc.message)`` with a ``canbo.errors.Forbidden``, which
names the roles that may do it — ``admin_views.access.forbid``) is shown as it is;
werkzeug's and Flask-WTF's own descriptions are English and are replaced by ours.

The page is rendered through the home view (``BaseView.render``), so it has the menu, the
account bar and the CSP nonce of every other page; if that fails too (the database is
down, say), a bare Vietnamese page is sent instead, never a traceback.
"""
from flask import current_app, render_template_string, request, url_for
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

#: code → (title, what the person can do), for the pages the panel sends.
PAGES = {
    400: ("Yêu cầu không hợp lệ",
          "Dữ liệu gửi lên không đúng dạng trang này cần. Hãy quay lại, tải lại trang và "
          "thử lại."),
    403: ("Không có quyền",
          "Tài khoản của bạn không được làm việc này. Nếu cần, hãy nhờ người có vai trò "
          "phù hợp hoặc quản trị viên."),
    404: ("Không tìm thấy",
          "Trang hoặc hồ sơ này không có, đã bị xóa, hoặc không thuộc đơn vị bạn được xem."),
    405: ("Không làm được theo cách này",
          "Trang này không nhận yêu cầu theo cách vừa gửi (ví dụ mở trực tiếp một địa chỉ "
          "chỉ dành cho nút bấm). Hãy quay lại trang trước và dùng nút trên trang."),
    413: ("Tệp gửi lên quá lớn",
          "Tệp hoặc biểu mẫu gửi lên vượt quá dung lượng cho phép. Hãy chọn tệp nhỏ hơn "
          "(ví dụ bỏ bớt các trang tính không cần) rồi gửi lại."),
    429: ("Tạm dừng đăng nhập từ máy này",
          "Đã có quá nhiều lần đăng nhập sai từ máy này. Hãy chờ đến thời điểm ghi trên "
          "rồi thử lại; người dùng ở máy khác vẫn đăng nhập bình thường."),
    500: ("Đã có lỗi ở máy chủ",
          "Việc vừa làm chưa được thực hiện. Hãy thử lại sau ít phút; nếu vẫn lỗi, hãy báo "
          "quản trị viên kèm thời điểm và trang đang dùng."),
}

CSRF_MESSAGE = ("Phiên làm việc đã hết hạn hoặc biểu mẫu đã cũ (thiếu mã bảo vệ CSRF). "
                "Hãy tải lại trang rồi gửi lại.")

BARE = """<!doctype html><html lang="vi"><meta charset="utf-8"><title>{{ title }}</title>
<h1>{{ code }} — {{ title }}</h1><p>{{ detail }}</p><p><a href="/admin/">Về trang chủ</a></p>
</html>"""


def description(error):
    """The message to show for ``error``: the one given to ``abort``, or ours."""
    if isinstance(error, CSRFError):
        return CSRF_MESSAGE
    given = getattr(error, "description", None)
    default = getattr(type(error), "description", None)
    if isinstance(error, HTTPException) and given and given != default:
        return str(given)
    return None


def _limit_text():
    limit = current_app.config.get("MAX_CONTENT_LENGTH")
    if not limit:
        return None
    mb = limit / (1024 * 1024)
    return f"Dung lượng tối đa cho một lần gửi: {mb:.0f} MB." if mb >= 1 else (
        f"Dung lượng tối đa cho một lần gửi: {limit // 1024} KB.")


def _back_url():
    """The page the person came from, when it is one of the panel's own."""
    referrer = request.referrer or ""
    if referrer.startswith(request.host_url) and referrer != request.url:
        return referrer
    return None


def render(admin, code, error):
    title, advice = PAGES[code]
    detail = description(error)
    extra = _limit_text() if code == 413 else None
    try:
        home = url_for("admin.index")
        page = admin.index_view.render(
            "admin/error.html", code=code, title=title, detail=detail, advice=advice,
            extra=extra, back=_back_url(), home=home)
    except Exception:  # the layout itself failed: still answer in Vietnamese
        current_app.logger.exception("error page %s could not be rendered", code)
        page = render_template_string(BARE, code=code, title=title,
                                      detail=detail or advice)
    return page, code


def register(app, admin):
    # 500 also catches an exception no view caught (PROPAGATE_EXCEPTIONS off, as in
    # production): Flask hands it over wrapped in an InternalServerError.
    for code in PAGES:
        app.register_error_handler(code, lambda error, code=code: render(admin, code, error))
