"""The home page: the user's unit, this year's rating progress, the first links.

The personnel officer's first questions (kim-tan-2023.md: clear screens over
configurability) are "who is on my staff" and "how far is this year's rating"; the
figures are ``canbo.stats.dashboard.status_progress`` over the units the user sees.
"""
from flask import url_for
from flask_admin import expose

from canbo.models import Unit
from canbo.stats import dashboard

from .base import SecureIndexView, can, current_account, visible_unit_ids
from .ratings import year_filter_url


class HomeView(SecureIndexView):
    @expose("/")
    def index(self):
        account = current_account()
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
        )


def register(app, admin):
    """The home view is the admin's index view, created by ``create_app``."""
