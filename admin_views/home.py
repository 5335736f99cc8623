"""The home page: the user's unit, this year's rating progress, the first links.

The personnel officer's first questions (kim-tan-2023.md: clear screens over
configurability) are "who is on my staff" and "how far is this year's rating"; the
figures are ``canbo.stats.dashboard.status_progress`` over the units the user sees.  Above
them, what waits for the user (``todo``); a civil servant (``STAFF``) is sent to "Việc
của tôi", their month, which starts with the same list.
"""
from flask import redirect, url_for
from flask_admin import expose

from canbo.levels import Role
from canbo.models import Unit
from canbo.stats import dashboard

from .base import SecureIndexView, can, current_account, visible_unit_ids
from .ratings import year_filter_url
from .todo import todo_links


class HomeView(SecureIndexView):
    self_service = True  # a civil servant is sent to their month

    @expose("/")
    def index(self):
        account = current_account()
        if account.role == Role.STAFF.code:
            # a civil servant's home is their month, their to-do at the top
            return redirect(url_for("monthly.index"))
        progress = dashboard.status_progress(visible_unit_ids())
        links = [
            ("Danh sách cán bộ, công chức", url_for("staff.index_view"), "fa-users"),
            (f"Xếp loại chất lượng năm {progress.year}", year_filter_url(progress.year),
             "fa-check-square-o"),
        ]
        if can("staff.edit"):
            links.insert(1, ("Thêm cán bộ, công chức", url_for("staff.create_view"), "fa-user-plus"))
        if can("users.manage"):
            links.append(("Tài khoản", url_for("user.index_view"), "fa-key"))
        return self.render(
            "admin/home.html",
            account=account,
            unit=Unit.get_or_none(Unit.id == account.unit_id) if account.unit_id else None,
            progress=progress,
            links=links,
            todo=todo_links(account),
        )


def register(app, admin):
    """The home view is the admin's index view, created by ``create_app``."""
